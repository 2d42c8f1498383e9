/* Unit tests: the finding catalogue (core/finding.c). */
#include <ctype.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"

static void assert_nonempty(const char *s)
{
	assert_non_null(s);
	assert_true(s[0] != '\0');
}

static void test_catalogue_has_a_full_row_per_id(void **state)
{
	(void)state;
	for (int i = 0; i < FND__COUNT; i++) {
		const struct finding_info *fi = finding_info((enum finding_id)i);

		assert_non_null(fi);
		assert_int_equal(fi->id, i);
		assert_nonempty(fi->name);
		assert_nonempty(fi->rfc);
		assert_nonempty(fi->section);
		assert_nonempty(fi->title);
		assert_nonempty(fi->reason);
		assert_true(fi->level == FINDING_MUST || fi->level == FINDING_SHOULD ||
			    fi->level == FINDING_MAY || fi->level == FINDING_ANALYSIS);
	}
}

static bool is_upper_kebab(const char *s)
{
	bool prev_dash = true; /* no leading dash */

	for (; *s; s++) {
		if (*s == '-') {
			if (prev_dash)
				return false;
			prev_dash = true;
		} else if (isupper((unsigned char)*s) || isdigit((unsigned char)*s)) {
			prev_dash = false;
		} else {
			return false;
		}
	}
	return !prev_dash; /* no trailing dash, not empty */
}

static void test_catalogue_names_are_unique_upper_kebab(void **state)
{
	(void)state;
	assert_true(is_upper_kebab("TCP-CHECKSUM-BAD"));
	assert_false(is_upper_kebab("tcp-checksum"));
	assert_false(is_upper_kebab("TCP--X"));
	assert_false(is_upper_kebab("TCP-"));
	assert_false(is_upper_kebab("TCP_X"));
	for (int i = 0; i < FND__COUNT; i++) {
		const char *name = finding_info((enum finding_id)i)->name;

		if (!is_upper_kebab(name))
			fail_msg("name '%s' is not UPPER-KEBAB", name);
		for (int j = 0; j < i; j++)
			if (!strcmp(name, finding_info((enum finding_id)j)->name))
				fail_msg("name '%s' used twice", name);
	}
}

static void test_catalogue_cites_rfc_and_numeric_section(void **state)
{
	(void)state;
	for (int i = 0; i < FND__COUNT; i++) {
		const struct finding_info *fi = finding_info((enum finding_id)i);
		const char *p;

		assert_int_equal(strncmp(fi->rfc, "RFC", 3), 0);
		assert_true(fi->rfc[3] != '\0');
		for (p = fi->rfc + 3; *p; p++)
			assert_true(isdigit((unsigned char)*p));
		assert_true(isdigit((unsigned char)fi->section[0]));
		for (p = fi->section; *p; p++)
			assert_true(isdigit((unsigned char)*p) || *p == '.');
	}
}

/* Every conversion in a reason template must be %llu/%llx/%llX with
 * optional flags and width (or "%%"), at most FINDING_MAX_VALUES, because
 * finding_reason() passes exactly three unsigned long long values. */
static int count_value_conversions(const char *t)
{
	int n = 0;

	for (const char *p = t; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p == '#' || *p == '0' || *p == '-')
			p++;
		while (isdigit((unsigned char)*p))
			p++;
		if (strncmp(p, "ll", 2) != 0)
			return -1;
		p += 2;
		if (*p != 'u' && *p != 'x' && *p != 'X')
			return -1;
		n++;
	}
	return n;
}

static void test_catalogue_reason_templates_only_take_the_values(void **state)
{
	(void)state;
	assert_int_equal(count_value_conversions("a %llu b 0x%04llx %%"), 2);
	assert_int_equal(count_value_conversions("%s"), -1);
	assert_int_equal(count_value_conversions("%u"), -1);
	for (int i = 0; i < FND__COUNT; i++) {
		const struct finding_info *fi = finding_info((enum finding_id)i);
		int n = count_value_conversions(fi->reason);

		if (n < 1 || n > FINDING_MAX_VALUES)
			fail_msg("%s: reason '%s' has %d value conversions",
				 fi->name, fi->reason, n);
	}
}

static void test_catalogue_levels_follow_the_rules(void **state)
{
	(void)state;
	assert_int_equal(finding_info(FND_TCP_CHECKSUM_BAD)->level, FINDING_MUST);
	assert_int_equal(finding_info(FND_IP_CHECKSUM_BAD)->level, FINDING_MUST);
	assert_int_equal(finding_info(FND_TCP_BAD_DATA_OFFSET)->level, FINDING_MUST);
	assert_int_equal(finding_info(FND_IP_FRAGMENT)->level, FINDING_ANALYSIS);
	assert_int_equal(finding_info(FND_TCP_CHECKSUM_UNVERIFIED)->level,
			 FINDING_ANALYSIS);
	assert_int_equal(finding_info(FND_TCP_CHECKSUM_PARTIAL)->level,
			 FINDING_ANALYSIS);
	assert_string_equal(finding_info(FND_TCP_CHECKSUM_BAD)->name,
			    "TCP-CHECKSUM-BAD");
	assert_string_equal(finding_info(FND_TCP_CHECKSUM_BAD)->rfc, "RFC9293");
	assert_string_equal(finding_info(FND_TCP_BAD_DATA_OFFSET)->name,
			    "TCP-BAD-DATA-OFFSET");
	assert_string_equal(finding_info(FND_IP_FRAGMENT)->name, "IP-FRAGMENT");
}

static void test_finding_reason_formats_the_values(void **state)
{
	struct finding f = { .id = FND_TCP_CHECKSUM_BAD, .v = { 0x1234, 0xabcd, 0 } };
	char buf[128];

	(void)state;
	finding_reason(&f, buf, sizeof(buf));
	assert_string_equal(buf, "checksum 0x1234, expected 0xabcd");

	f = (struct finding){ .id = FND_TCP_BAD_DATA_OFFSET, .v = { 3, 12, 0 } };
	finding_reason(&f, buf, sizeof(buf));
	assert_string_equal(buf, "data offset 3 (12 bytes), minimum 5 (20 bytes)");
}

static void test_finding_reason_every_id_formats_nonempty(void **state)
{
	(void)state;
	for (int i = 0; i < FND__COUNT; i++) {
		struct finding f = { .id = (enum finding_id)i,
				     .v = { ~0ULL, ~0ULL, ~0ULL } };
		char buf[256];

		memset(buf, 'X', sizeof(buf));
		finding_reason(&f, buf, sizeof(buf));
		assert_non_null(memchr(buf, '\0', sizeof(buf)));
		assert_true(strlen(buf) > 0);
		/* The largest value must be printed, not truncated to int. */
		assert_true(strstr(buf, "18446744073709551615") ||
			    strstr(buf, "ffffffffffffffff"));
	}
}

static void test_finding_reason_truncates_with_nul(void **state)
{
	struct finding f = { .id = FND_TCP_CHECKSUM_BAD, .v = { 0x1234, 0xabcd, 0 } };
	char buf[9];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	finding_reason(&f, buf, sizeof(buf));
	assert_string_equal(buf, "checksum");
	buf[0] = 'X';
	finding_reason(&f, buf, 0); /* no room: untouched, no crash */
	assert_int_equal(buf[0], 'X');
}

static void test_finding_reason_unknown_id_says_so(void **state)
{
	struct finding f = { .id = FND__COUNT };
	char buf[64];

	(void)state;
	finding_reason(&f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "unknown finding"));
}

static void test_finding_info_out_of_range_is_null(void **state)
{
	(void)state;
	assert_null(finding_info(FND__COUNT));
	assert_null(finding_info((enum finding_id)-1));
}

static void test_finding_level_names(void **state)
{
	(void)state;
	assert_string_equal(finding_level_name(FINDING_MUST), "MUST");
	assert_string_equal(finding_level_name(FINDING_SHOULD), "SHOULD");
	assert_string_equal(finding_level_name(FINDING_MAY), "MAY");
	assert_string_equal(finding_level_name(FINDING_ANALYSIS), "ANALYSIS");
	assert_string_equal(finding_level_name((enum finding_level)42), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_has_a_full_row_per_id),
		cmocka_unit_test(test_catalogue_names_are_unique_upper_kebab),
		cmocka_unit_test(test_catalogue_cites_rfc_and_numeric_section),
		cmocka_unit_test(test_catalogue_reason_templates_only_take_the_values),
		cmocka_unit_test(test_catalogue_levels_follow_the_rules),
		cmocka_unit_test(test_finding_reason_formats_the_values),
		cmocka_unit_test(test_finding_reason_every_id_formats_nonempty),
		cmocka_unit_test(test_finding_reason_truncates_with_nul),
		cmocka_unit_test(test_finding_reason_unknown_id_says_so),
		cmocka_unit_test(test_finding_info_out_of_range_is_null),
		cmocka_unit_test(test_finding_level_names),
	};

	return cmocka_run_group_tests_name("finding", tests, NULL, NULL);
}
