/* capture: reading pcap/pcapng files, record offsets, damaged files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

static char tmpdir[] = "/tmp/tcpspec-capture-XXXXXX";

static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }
static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }

/* Classic pcap, host byte order, given magic and link type. */
static void pcap_header(FILE *f, uint32_t magic, uint32_t linktype)
{
	put32(f, magic);
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, 65535);
	put32(f, linktype);
}

static void pcap_record(FILE *f, uint32_t sec, uint32_t frac, uint32_t len, uint8_t fill)
{
	put32(f, sec);
	put32(f, frac);
	put32(f, len);
	put32(f, len);
	for (uint32_t i = 0; i < len; i++)
		fputc(fill, f);
}

static char *path_of(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_capture_reads_records_with_offsets(void **state)
{
	struct capture *c;
	struct capture_pkt p;
	struct diag d;
	FILE *f = fopen(path_of("ok.pcap"), "wb");

	(void)state;
	pcap_header(f, 0xa1b2c3d4, 1);
	pcap_record(f, 10, 500000, 60, 0xaa);
	pcap_record(f, 11, 0, 54, 0xbb);
	fclose(f);

	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("ok.pcap"), &d), 0);
	assert_int_equal(capture_link(c), WIRE_LINK_ETHERNET);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(p.num, 1);
	assert_int_equal(p.offset, 24);
	assert_int_equal(p.caplen, 60);
	assert_int_equal(p.data[0], 0xaa);
	assert_true(p.ts_ns == 10500000000LL);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(p.num, 2);
	assert_int_equal(p.offset, 24 + 16 + 60);
	assert_int_equal(capture_next(c, &p, &d), 0);
	capture_close(c);
}

static void test_capture_nanosecond_magic(void **state)
{
	struct capture *c;
	struct capture_pkt p;
	struct diag d;
	FILE *f = fopen(path_of("ns.pcap"), "wb");

	(void)state;
	pcap_header(f, 0xa1b23c4d, 101); /* LINKTYPE_RAW */
	pcap_record(f, 1, 123456789, 20, 0x45);
	fclose(f);
	assert_int_equal(capture_open_file(&c, path_of("ns.pcap"), &d), 0);
	assert_int_equal(capture_link(c), WIRE_LINK_RAW);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_true(p.ts_ns == 1123456789LL);
	capture_close(c);
}

static void test_capture_truncated_record_names_offset(void **state)
{
	struct capture *c;
	struct capture_pkt p;
	struct diag d;
	char msg[1024];
	FILE *f = fopen(path_of("trunc.pcap"), "wb");

	(void)state;
	pcap_header(f, 0xa1b2c3d4, 1);
	pcap_record(f, 1, 0, 60, 0xaa);
	/* a record header promising 100 bytes, followed by only 10 */
	put32(f, 2);
	put32(f, 0);
	put32(f, 100);
	put32(f, 100);
	for (int i = 0; i < 10; i++)
		fputc(0, f);
	fclose(f);

	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("trunc.pcap"), &d), 0);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(capture_next(c, &p, &d), CAPTURE_ERR_READ);
	diag_format(&d, msg, sizeof(msg));
	assert_non_null(strstr(msg, "trunc.pcap"));
	assert_non_null(strstr(msg, "byte 100 (after packet 1)"));
	assert_non_null(strstr(msg, "truncated"));
	capture_close(c);
}

static void test_capture_truncated_record_header(void **state)
{
	struct capture *c;
	struct capture_pkt p;
	struct diag d;
	FILE *f = fopen(path_of("trunchdr.pcap"), "wb");

	(void)state;
	pcap_header(f, 0xa1b2c3d4, 1);
	pcap_record(f, 1, 0, 60, 0xaa);
	put32(f, 2); /* 4 of 16 header bytes */
	fclose(f);
	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("trunchdr.pcap"), &d), 0);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(capture_next(c, &p, &d), CAPTURE_ERR_READ);
	assert_non_null(strstr(d.msg, "byte 100"));
	capture_close(c);
}

static void test_capture_not_a_capture(void **state)
{
	struct capture *c = (struct capture *)1;
	struct diag d;
	FILE *f = fopen(path_of("text.pcap"), "wb");

	(void)state;
	fputs("hello, this is text\n", f);
	fclose(f);
	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("text.pcap"), &d), CAPTURE_ERR_OPEN);
	assert_null(c);
	assert_non_null(strstr(d.file, "text.pcap"));
	assert_non_null(strstr(d.msg, "not a pcap or pcapng file"));
	assert_non_null(strstr(d.msg, "68 65 6c 6c"));
}

static void test_capture_empty_file(void **state)
{
	struct capture *c;
	struct diag d;
	FILE *f = fopen(path_of("empty.pcap"), "wb");

	(void)state;
	fclose(f);
	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("empty.pcap"), &d), CAPTURE_ERR_OPEN);
	assert_non_null(strstr(d.msg, "empty file"));
}

static void test_capture_missing_file(void **state)
{
	struct capture *c;
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("nope.pcap"), &d), CAPTURE_ERR_OPEN);
	assert_non_null(strstr(d.msg, "No such file"));
}

static void test_capture_unsupported_linktype(void **state)
{
	struct capture *c;
	struct diag d;
	FILE *f = fopen(path_of("wifi.pcap"), "wb");

	(void)state;
	pcap_header(f, 0xa1b2c3d4, 105); /* IEEE 802.11 */
	fclose(f);
	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("wifi.pcap"), &d), CAPTURE_ERR_LINKTYPE);
	assert_non_null(strstr(d.msg, "link type 105"));
}

/* pcapng: section header, interface description (Linux SLL2), one EPB. */
static void test_capture_pcapng(void **state)
{
	struct capture *c;
	struct capture_pkt p;
	struct diag d;
	FILE *f = fopen(path_of("one.pcapng"), "wb");

	(void)state;
	put32(f, 0x0a0d0d0a); put32(f, 28); put32(f, 0x1a2b3c4d);
	put16(f, 1); put16(f, 0); put32(f, 0xffffffff); put32(f, 0xffffffff);
	put32(f, 28);
	put32(f, 1); put32(f, 20); put16(f, 276); put16(f, 0); put32(f, 65535); put32(f, 20);
	put32(f, 6); put32(f, 32 + 24); put32(f, 0); put32(f, 0x0005e5c0); /* timestamp high, low */
	put32(f, 0); put32(f, 24); put32(f, 24);
	for (int i = 0; i < 24; i++)
		fputc(i, f);
	put32(f, 32 + 24);
	fclose(f);

	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("one.pcapng"), &d), 0);
	assert_int_equal(capture_link(c), WIRE_LINK_SLL2);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(p.caplen, 24);
	assert_int_equal(p.data[23], 23);
	assert_int_equal(capture_next(c, &p, &d), 0);
	capture_close(c);
}

/* A damaged pcapng block is located by walking the block headers. */
static void test_capture_pcapng_truncated_block_names_offset(void **state)
{
	struct capture *c;
	struct capture_pkt p;
	struct diag d;
	FILE *f = fopen(path_of("trunc.pcapng"), "wb");

	(void)state;
	put32(f, 0x0a0d0d0a); put32(f, 28); put32(f, 0x1a2b3c4d);
	put16(f, 1); put16(f, 0); put32(f, 0xffffffff); put32(f, 0xffffffff);
	put32(f, 28);
	put32(f, 1); put32(f, 20); put16(f, 1); put16(f, 0); put32(f, 65535); put32(f, 20);
	for (int k = 0; k < 2; k++) {   /* two EPBs, 60 bytes of packet each */
		put32(f, 6); put32(f, 32 + 60); put32(f, 0); put32(f, 0); put32(f, (uint32_t)k);
		put32(f, 60); put32(f, 60);
		for (int i = 0; i < 60; i++)
			fputc(0xee, f);
		put32(f, 32 + 60);
	}
	/* a third EPB header promising 92 bytes, cut after 20 */
	put32(f, 6); put32(f, 32 + 60); put32(f, 0); put32(f, 0); put32(f, 2);
	fclose(f);

	diag_clear(&d);
	assert_int_equal(capture_open_file(&c, path_of("trunc.pcapng"), &d), 0);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(capture_next(c, &p, &d), 1);
	assert_int_equal(capture_next(c, &p, &d), CAPTURE_ERR_READ);
	/* 28 (SHB) + 20 (IDB) + 2 * 92 (EPBs) */
	assert_non_null(strstr(d.msg, "byte 232 (after packet 2)"));
	capture_close(c);
}

static void test_capture_link_mapping(void **state)
{
	enum wire_link l;

	(void)state;
	assert_int_equal(capture_link_from_dlt(1, &l), 0);
	assert_int_equal(l, WIRE_LINK_ETHERNET);
	assert_int_equal(capture_link_from_dlt(113, &l), 0);
	assert_int_equal(l, WIRE_LINK_SLL);
	assert_int_equal(capture_link_from_dlt(0, &l), 0);
	assert_int_equal(l, WIRE_LINK_NULL);
	assert_int_equal(capture_link_from_dlt(108, &l), 0);
	assert_int_equal(l, WIRE_LINK_LOOP);
	assert_int_equal(capture_link_from_dlt(228, &l), 0);
	assert_int_equal(l, WIRE_LINK_IPV4);
	assert_int_equal(capture_link_from_dlt(229, &l), 0);
	assert_int_equal(l, WIRE_LINK_IPV6);
	assert_int_equal(capture_link_from_dlt(105, &l), CAPTURE_ERR_LINKTYPE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_reads_records_with_offsets),
		cmocka_unit_test(test_capture_nanosecond_magic),
		cmocka_unit_test(test_capture_truncated_record_names_offset),
		cmocka_unit_test(test_capture_truncated_record_header),
		cmocka_unit_test(test_capture_not_a_capture),
		cmocka_unit_test(test_capture_empty_file),
		cmocka_unit_test(test_capture_missing_file),
		cmocka_unit_test(test_capture_unsupported_linktype),
		cmocka_unit_test(test_capture_pcapng),
		cmocka_unit_test(test_capture_pcapng_truncated_block_names_offset),
		cmocka_unit_test(test_capture_link_mapping),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
