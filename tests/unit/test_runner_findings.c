/* Unit tests: the case key `findings:` (injector/script_meta.c) and how
 * the analyzer's findings on the target's segments bear on a verdict
 * (run_findings_judge, cli/run_report.c); expect_fail keys with a
 * profile ("linux:no-sack"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "run_report.h"
#include "script.h"

static int load(const char *yaml, struct script_suite *s, struct diag *d)
{
	memset(s, 0, sizeof(*s));
	diag_clear(d);
	return script_load_buffer("t.yaml", yaml, strlen(yaml), s, d);
}

static void test_findings_key_loads_and_checks_ids(void **state)
{
	struct script_suite s;
	struct diag d;

	(void)state;
	assert_int_equal(load("id: a\ntarget: {port: 80}\n"
			      "findings: {require: [RST-NOT-HONOURED], forbid: TCP-CHECKSUM-BAD, fail_on: none}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), 0);
	assert_int_equal(s.cases[0].findings.n_require, 1);
	assert_string_equal(s.cases[0].findings.require[0], "RST-NOT-HONOURED");
	assert_int_equal(s.cases[0].findings.n_forbid, 1);
	assert_string_equal(s.cases[0].findings.forbid[0], "TCP-CHECKSUM-BAD");
	assert_int_equal(s.cases[0].findings.fail_on, SCRIPT_FAIL_ON_NONE);
	script_suite_free(&s);
	/* the default: fail on MUST */
	assert_int_equal(load("id: a\ntarget: {port: 80}\nsteps: [send: {flags: S}]\n", &s, &d), 0);
	assert_int_equal(s.cases[0].findings.fail_on, SCRIPT_FAIL_ON_MUST);
	script_suite_free(&s);

	assert_int_equal(load("id: a\ntarget: {port: 80}\nfindings: {forbid: [RST-NOT-HONORED]}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), SCRIPT_ERR_SCHEMA);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 21);
	assert_non_null(strstr(d.msg, "unknown finding id 'RST-NOT-HONORED' in findings forbid"));
	assert_non_null(strstr(d.msg, "did you mean 'RST-NOT-HONOURED'"));
	script_suite_free(&s);
	assert_int_equal(load("id: a\ntarget: {port: 80}\n"
			      "findings: {require: [TCP-CHECKSUM-BAD], forbid: [TCP-CHECKSUM-BAD]}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), SCRIPT_ERR_SCHEMA);
	assert_non_null(strstr(d.msg, "in require or in forbid, not both"));
	script_suite_free(&s);
	assert_int_equal(load("id: a\ntarget: {port: 80}\nfindings: {fail_on: should}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), SCRIPT_ERR_SCHEMA);
	assert_non_null(strstr(d.msg, "expected must or none for fail_on but found 'should'"));
	script_suite_free(&s);
	assert_int_equal(load("id: a\ntarget: {port: 80}\nfindings: {fail-on: none}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), SCRIPT_ERR_SCHEMA);
	assert_non_null(strstr(d.msg, "did you mean 'fail_on'"));
	script_suite_free(&s);
}

static void test_expect_fail_may_name_a_profile(void **state)
{
	struct script_suite s;
	struct diag d;

	(void)state;
	assert_int_equal(load("id: a\ntarget: {port: 80}\n"
			      "expect_fail: {linux: \"any\", \"linux:no-sack\": \"this one\"}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), 0);
	assert_string_equal(script_xfail_reason(&s.cases[0], "linux:no-sack"), "this one");
	assert_string_equal(script_xfail_reason(&s.cases[0], "linux"), "any");
	assert_null(script_xfail_reason(&s.cases[0], "linux:rfc1337"));
	script_suite_free(&s);
	assert_int_equal(load("id: a\ntarget: {port: 80}\nexpect_fail: {\"linux:\": x}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), SCRIPT_ERR_SCHEMA);
	assert_non_null(strstr(d.msg, "expected a target name"));
	script_suite_free(&s);
	assert_int_equal(load("id: a\ntarget: {port: 80}\nexpect_fail: {\"a:b:c\": x}\n"
			      "steps: [send: {flags: S}]\n", &s, &d), SCRIPT_ERR_SCHEMA);
	script_suite_free(&s);
}

/* A passing result whose step 2 (index 1) judged packet 2. */
static void passed(struct runner_result *res, struct runner_frame *frames)
{
	memset(res, 0, sizeof(*res));
	res->verdict = RUNNER_PASS;
	frames[0] = (struct runner_frame){ .step = 0, .num = 1 };
	frames[1] = (struct runner_frame){ .step = 1, .num = 2 };
	res->frames = frames;
	res->n_frames = 2;
}

static struct track_finding fnd(enum finding_id id, uint64_t pkt)
{
	struct track_finding f;

	memset(&f, 0, sizeof(f));
	f.f.id = id;
	f.pkt = pkt;
	f.dir = 1;
	return f;
}

static const char CASE[] =
	"id: a\ntarget: {port: 80}\n%s\nsteps:\n"
	"  - send: {flags: S}\n"
	"  - expect: {flags: SA}\n"
	"  - send: {flags: A, seq: 1, ack: 1}\n";

static void judge(const char *policy, struct track_finding *f, size_t n,
		  struct runner_result *res, char *notes, size_t cap)
{
	struct runner_frame frames[2];
	struct script_suite s;
	struct run_findings fs = { .f = f, .n = n };
	char yaml[512];
	struct diag d;

	snprintf(yaml, sizeof(yaml), CASE, policy);
	assert_int_equal(load(yaml, &s, &d), 0);
	passed(res, frames);
	run_findings_judge(&s.cases[0], &fs, res, notes, cap);
	res->frames = NULL;
	res->n_frames = 0;
	script_suite_free(&s);
}

static void test_must_finding_on_the_target_fails_by_default(void **state)
{
	struct track_finding f[2] = { fnd(FND_ANA_DUP_ACK, 2), fnd(FND_TRK_RST_NOT_HONOURED, 2) };
	struct runner_result res;
	char notes[1024];

	(void)state;
	judge("", f, 2, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_FAIL);
	assert_int_equal(res.failed_step, 1);                /* the step that judged packet 2 */
	assert_int_equal(res.line, 6);
	assert_non_null(strstr(res.reason, "t.yaml:6: analyzer: MUST RST-NOT-HONOURED (RFC9293 3.10.7.4) on the target's packet 2:"));
	/* the console lists the MUST finding, not the ANALYSIS one */
	assert_non_null(strstr(notes, "finding MUST RST-NOT-HONOURED"));
	assert_null(strstr(notes, "DUP-ACK"));
	/* fail_on: none reports it only; require makes it the point */
	judge("findings: {fail_on: none}", f, 2, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_PASS);
	assert_non_null(strstr(notes, "RST-NOT-HONOURED"));
	judge("findings: {require: [RST-NOT-HONOURED]}", f, 2, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_PASS);
	/* SHOULD findings never fail on their own */
	f[1] = fnd(FND_TRK_UNACCEPTABLE_NOT_ACKED, 2);
	judge("", f, 2, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_PASS);
	assert_non_null(strstr(notes, "finding SHOULD ACK-NOT-SENT-FOR-UNACCEPTABLE"));
}

static void test_required_and_forbidden_findings(void **state)
{
	struct track_finding f[1] = { fnd(FND_ANA_RETRANSMISSION, 2) };
	struct runner_result res;
	char notes[1024];

	(void)state;
	judge("findings: {require: [TCP-RETRANSMISSION]}", f, 1, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_PASS);
	judge("findings: {require: [TCP-RETRANSMISSION, TCP-DUP-ACK]}", f, 1, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_FAIL);
	assert_int_equal(res.failed_step, 2);                /* no packet: the last step */
	assert_non_null(strstr(res.reason, "analyzer: expected TCP-DUP-ACK on the target's segments"));
	judge("findings: {forbid: [TCP-RETRANSMISSION]}", f, 1, &res, notes, sizeof(notes));
	assert_int_equal(res.verdict, RUNNER_FAIL);
	assert_non_null(strstr(res.reason, "analyzer: TCP-RETRANSMISSION on the target's packet 2, which the case forbids"));
	/* a case that failed already keeps its reason */
	{
		struct runner_frame frames[2];
		struct script_suite s;
		struct run_findings fs = { .f = f, .n = 1 };
		char yaml[512];
		struct diag d;

		snprintf(yaml, sizeof(yaml), CASE, "findings: {forbid: [TCP-RETRANSMISSION]}");
		assert_int_equal(load(yaml, &s, &d), 0);
		passed(&res, frames);
		res.verdict = RUNNER_FAIL;
		snprintf(res.reason, sizeof(res.reason), "the step's own reason");
		run_findings_judge(&s.cases[0], &fs, &res, notes, sizeof(notes));
		assert_string_equal(res.reason, "the step's own reason");
		script_suite_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_key_loads_and_checks_ids),
		cmocka_unit_test(test_expect_fail_may_name_a_profile),
		cmocka_unit_test(test_must_finding_on_the_target_fails_by_default),
		cmocka_unit_test(test_required_and_forbidden_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
