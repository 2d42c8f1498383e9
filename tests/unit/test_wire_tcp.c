/* Unit tests: the decoder's TCP layer (core/wire_tcp.c): the header, every
 * option and its malformed forms, the checksum verdicts, snaplen cuts,
 * truncated and corrupted frames, and wire_flags_str (core/wire_str.c).
 *
 * Packets come from pktbuild.h (built byte by byte with valid checksums)
 * and are decoded from a heap copy of exactly caplen bytes so that
 * AddressSanitizer catches any read past the captured data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csum.h"
#include "finding.h"
#include "pktbuild.h"
#include "wire.h"

/* ---- TCP header and options -------------------------------------------- */

/* IPv4 + TCP with the given options, decoded over the IPV4 link. */
static void decode_opts(void **state, const uint8_t *opts, size_t len,
			struct wire_pkt *pkt)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, opts, len, "data", 4);

	pb_decode(WIRE_LINK_IPV4, f, n, pkt);
	pb_expect_std_tcp(pkt, len, 4);
}

static void expect_opt(const struct wire_pkt *pkt, int i, uint8_t kind,
		       uint8_t len, const uint8_t *data)
{
	const struct wire_tcp_opt *o = &pkt->tcp.opts[i];

	assert_true(i < pkt->tcp.n_opts);
	assert_int_equal(o->kind, kind);
	assert_int_equal(o->len, len);
	if (!data) {
		assert_null(o->data);
	} else {
		assert_non_null(o->data);
		assert_memory_equal(o->data, data, len - 2u);
	}
}

static void test_decode_tcp_options_mss_sackok_ts_ws_md5(void **state)
{
	static const uint8_t md5[16] = { 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5,
		0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF };
	uint8_t opts[40] = {
		2, 4, 0x05, 0xb4,                          /* MSS 1460 */
		4, 2,                                      /* SACK permitted */
		8, 10, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, /* TS 1, 0xfffffffe */
		1,                                         /* NOP */
		3, 3, 7,                                   /* WS 7 */
		19, 18,                                    /* MD5 + 16 bytes */
	};
	struct wire_pkt pkt;

	memcpy(opts + 22, md5, 16);
	opts[38] = opts[39] = 1;
	decode_opts(state, opts, sizeof(opts), &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
	assert_true(pkt.tcp.has_mss);
	assert_int_equal(pkt.tcp.mss, 1460);
	assert_true(pkt.tcp.sack_ok);
	assert_true(pkt.tcp.has_ts);
	assert_int_equal(pkt.tcp.tsval, 1);
	assert_int_equal(pkt.tcp.tsecr, 0xfffffffe);
	assert_true(pkt.tcp.has_ws);
	assert_int_equal(pkt.tcp.ws, 7);
	assert_true(pkt.tcp.has_md5);
	assert_memory_equal(pkt.tcp.md5, md5, 16);
	assert_false(pkt.tcp.has_eol);
	assert_false(pkt.tcp.has_fastopen);
	assert_int_equal(pkt.tcp.n_sack, 0);
	assert_int_equal(pkt.tcp.n_opts, 8);
	expect_opt(&pkt, 0, 2, 4, opts + 2);
	expect_opt(&pkt, 1, 4, 2, NULL);
	expect_opt(&pkt, 2, 8, 10, opts + 8);
	expect_opt(&pkt, 3, 1, 1, NULL);
	expect_opt(&pkt, 4, 3, 3, opts + 19);
	expect_opt(&pkt, 5, 19, 18, md5);
	expect_opt(&pkt, 6, 1, 1, NULL);
	expect_opt(&pkt, 7, 1, 1, NULL);
	/* Option data points into the captured frame, after the header. */
	assert_ptr_equal(pkt.tcp.opts[0].data + 38, pkt.tcp.payload);
}

static void test_decode_tcp_option_sack_blocks(void **state)
{
	uint8_t opts[40] = { 1, 1, 5, 34 };
	struct wire_pkt pkt;

	for (int k = 0; k < 4; k++) {
		pb_be32(opts + 4 + k * 8, 1000u * (k + 1));
		pb_be32(opts + 8 + k * 8, 1000u * (k + 1) + 500);
	}
	/* opts[36] = EOL: the rest is padding. */
	decode_opts(state, opts, sizeof(opts), &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp.n_sack, 4);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(pkt.tcp.sack[k].left, 1000u * (k + 1));
		assert_int_equal(pkt.tcp.sack[k].right, 1000u * (k + 1) + 500);
	}
	assert_true(pkt.tcp.has_eol);
	assert_int_equal(pkt.tcp.n_opts, 4);
	expect_opt(&pkt, 2, 5, 34, opts + 4);
	expect_opt(&pkt, 3, 0, 1, NULL);

	decode_opts(state, PB_BYTES(1, 1, 5, 10, 0, 0, 0, 7, 0, 0, 0, 9), &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp.n_sack, 1);
	assert_int_equal(pkt.tcp.sack[0].left, 7);
	assert_int_equal(pkt.tcp.sack[0].right, 9);
}

static void test_decode_tcp_option_fastopen(void **state)
{
	static const uint8_t cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct wire_pkt pkt;

	decode_opts(state, PB_BYTES(34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1), &pkt);
	pb_expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_false(pkt.tcp.fo_exp);
	assert_int_equal(pkt.tcp.fo_cookie_len, 8);
	assert_memory_equal(pkt.tcp.fo_cookie, cookie, 8);
	expect_opt(&pkt, 0, 34, 10, cookie);

	/* Cookie request: no cookie. */
	decode_opts(state, PB_BYTES(34, 2, 1, 1), &pkt);
	pb_expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_int_equal(pkt.tcp.fo_cookie_len, 0);
	expect_opt(&pkt, 0, 34, 2, NULL);

	/* Experimental kind 254 with the Fast Open ExID (RFC 6994). */
	decode_opts(state, PB_BYTES(254, 12, 0xF9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8),
		    &pkt);
	pb_expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_true(pkt.tcp.fo_exp);
	assert_int_equal(pkt.tcp.fo_cookie_len, 8);
	assert_memory_equal(pkt.tcp.fo_cookie, cookie, 8);

	decode_opts(state, PB_BYTES(254, 4, 0xF9, 0x89), &pkt);
	pb_expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_true(pkt.tcp.fo_exp);
	assert_int_equal(pkt.tcp.fo_cookie_len, 0);
}

static void test_decode_tcp_unknown_options_kept_raw(void **state)
{
	struct wire_pkt pkt;
	static const uint8_t mptcp[10] = { 0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t other_exp[4] = { 0x12, 0x34, 0xAB, 0xCD };

	decode_opts(state, PB_BYTES(30, 12, 0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8,
				    254, 6, 0x12, 0x34, 0xAB, 0xCD, 1, 1), &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp.n_opts, 4);
	expect_opt(&pkt, 0, 30, 12, mptcp);
	expect_opt(&pkt, 1, 254, 6, other_exp);
	assert_false(pkt.tcp.has_fastopen);
	assert_false(pkt.tcp.has_mss);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_tcp_eol_ends_the_option_list(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, PB_BYTES(2, 4, 0x05, 0xb4, 0, 0xff, 0xff, 0xff), &pkt);
	pb_expect_clean(&pkt);
	assert_true(pkt.tcp.has_eol);
	assert_int_equal(pkt.tcp.n_opts, 2);
	expect_opt(&pkt, 1, 0, 1, NULL);
	assert_true(pkt.tcp.has_mss);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

/* A known kind with a length it cannot have: raw entry kept, typed field
 * not set, FND_TCP_OPT_WRONG_LENGTH, and parsing continues. */
static void test_decode_tcp_option_wrong_length(void **state)
{
	static const struct {
		uint8_t opts[20];
		uint8_t len;
		uint8_t kind, olen;
	} cases[] = {
		{ { 2, 6, 5, 0xb4, 0, 0, 1, 1 }, 8, 2, 6 },          /* MSS */
		{ { 2, 3, 5, 1 }, 4, 2, 3 },                         /* MSS */
		{ { 3, 4, 7, 0 }, 4, 3, 4 },                         /* WS */
		{ { 4, 3, 0, 1 }, 4, 4, 3 },                         /* SACK-perm */
		{ { 5, 6, 0, 0, 0, 1, 1, 1 }, 8, 5, 6 },             /* SACK < 1 block */
		{ { 5, 13, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0 }, 16, 5, 13 },
		{ { 8, 8, 0, 0, 0, 1, 0, 0 }, 8, 8, 8 },             /* TS */
		{ { 19, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1 }, 12, 19, 10 }, /* MD5 */
		{ { 34, 4, 1, 2 }, 4, 34, 4 },                       /* TFO cookie 2 */
		{ { 34, 5, 1, 2, 3, 1, 1, 1 }, 8, 34, 5 },           /* TFO odd */
		{ { 34, 20, 1 }, 20, 34, 20 },                       /* TFO cookie 18 */
		{ { 254, 6, 0xF9, 0x89, 1, 2, 1, 1 }, 8, 254, 6 },   /* exp TFO 2 */
	};
	struct wire_pkt pkt;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		decode_opts(state, cases[i].opts, cases[i].len, &pkt);
		pb_expect_only(&pkt, 1, FND_TCP_OPT_WRONG_LENGTH);
		pb_expect_problem(&pkt, FND_TCP_OPT_WRONG_LENGTH, cases[i].kind,
				  cases[i].olen, 20);
		assert_true(pkt.tcp.n_opts >= 1);
		expect_opt(&pkt, 0, cases[i].kind, cases[i].olen, cases[i].opts + 2);
		assert_false(pkt.tcp.has_mss);
		assert_false(pkt.tcp.has_ws);
		assert_false(pkt.tcp.sack_ok);
		assert_int_equal(pkt.tcp.n_sack, 0);
		assert_false(pkt.tcp.has_ts);
		assert_false(pkt.tcp.has_md5);
		assert_false(pkt.tcp.has_fastopen);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
		pb_release(state);
	}
	/* Parsing goes on after a wrong length: the MSS that follows counts. */
	decode_opts(state, PB_BYTES(3, 4, 7, 0, 2, 4, 0x05, 0xb4), &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_OPT_WRONG_LENGTH);
	assert_true(pkt.tcp.has_mss);
	assert_int_equal(pkt.tcp.mss, 1460);
}

static void test_decode_tcp_option_length_zero(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, PB_BYTES(1, 2, 0, 0, 2, 4, 0x05, 0xb4), &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_OPT_BAD_LENGTH);
	pb_expect_problem(&pkt, FND_TCP_OPT_BAD_LENGTH, 2, 0, 21);
	assert_int_equal(pkt.tcp.n_opts, 1); /* the NOP; parsing stopped */
	assert_false(pkt.tcp.has_mss);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_tcp_option_length_one(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, PB_BYTES(3, 1, 7, 0), &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_OPT_BAD_LENGTH);
	pb_expect_problem(&pkt, FND_TCP_OPT_BAD_LENGTH, 3, 1, 20);
	assert_int_equal(pkt.tcp.n_opts, 0);
	assert_false(pkt.tcp.has_ws);
}

static void test_decode_tcp_option_past_header(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, PB_BYTES(1, 1, 2, 4), &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_OPT_PAST_HEADER);
	pb_expect_problem(&pkt, FND_TCP_OPT_PAST_HEADER, 2, 4, 22);
	assert_int_equal(pkt.tcp.n_opts, 2);
	assert_false(pkt.tcp.has_mss);

	/* The length byte itself would lie past the data offset. */
	decode_opts(state, PB_BYTES(1, 1, 1, 2), &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_OPT_PAST_HEADER);
	pb_expect_problem(&pkt, FND_TCP_OPT_PAST_HEADER, 2, 0, 23);
	assert_int_equal(pkt.tcp.n_opts, 3);
}

/* Options cut by the snaplen inside the data offset: what was captured is
 * decoded, the cut option is neither recorded nor a protocol problem, and
 * the checksum is UNVERIFIED. */
static void test_decode_tcp_options_cut_by_snaplen(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES,
			       PB_BYTES(2, 4, 0x05, 0xb4, 1, 3, 3, 7, 8, 10,
					0, 0, 0, 1, 0, 0, 0, 2, 1, 1), "data", 4);
	struct wire_pkt pkt;

	pb_decode_cw(state, WIRE_LINK_IPV4, f, 20 + 29, (uint32_t)n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 29, 44, 0);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.doff, 10);
	assert_true(pkt.tcp.has_mss);
	assert_true(pkt.tcp.has_ws);
	assert_false(pkt.tcp.has_ts);
	assert_int_equal(pkt.tcp.n_opts, 3);
	assert_null(pkt.tcp.payload);
	assert_int_equal(pkt.tcp.payload_caplen, 0);
	assert_int_equal(pkt.tcp.payload_len, 4);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_tcp_data_offset_below_five(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "data", 4);
	struct wire_pkt pkt;

	f[20 + 12] = 0x40;
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_BAD_DATA_OFFSET);
	pb_expect_problem(&pkt, FND_TCP_BAD_DATA_OFFSET, 4, 16, 0);
	assert_false(pkt.has_tcp);
	assert_true(pkt.has_ip);
	assert_int_equal(pkt.tcp.doff, 4);
	assert_int_equal(pkt.tcp.sport, PB_SPORT); /* fixed fields still read */
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_tcp_data_offset_past_end(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, NULL, 0);
	struct wire_pkt pkt;

	f[20 + 12] = 0xF0;
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_DATA_OFFSET_PAST_END);
	pb_expect_problem(&pkt, FND_TCP_DATA_OFFSET_PAST_END, 15, 60, 20);
	assert_false(pkt.has_tcp);

	n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "ab", 2);
	f[20 + 12] = 0x60;
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_problem(&pkt, FND_TCP_DATA_OFFSET_PAST_END, 6, 24, 22);
	assert_false(pkt.has_tcp);
}

/* Only the upper three bits of the nibble are reserved; bit 0 is AE. */
static void test_decode_tcp_reserved_bits_but_not_ae(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "data", 4);
	struct wire_pkt pkt;

	f[20 + 12] |= 0x0F;
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_RESERVED_BITS);
	pb_expect_problem(&pkt, FND_TCP_RESERVED_BITS, 0x0E, 0, 0);
	assert_int_equal(pkt.tcp.reserved, 0x0F);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.doff, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	f[20 + 12] = 0x51; /* AE only */
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp.reserved, 0x01);
}

static void test_decode_tcp_truncated(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	pb_decode_cw(state, WIRE_LINK_IPV4, f, 30, (uint32_t)n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_TRUNCATED);
	pb_expect_problem(&pkt, FND_TCP_TRUNCATED, 10, 25, 0);
	assert_false(pkt.has_tcp);
	assert_true(pkt.has_ip);

	/* The IP length leaves only 12 bytes for TCP. */
	pb_be16(f + 2, 32);
	pb_fix_v4_hdr(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_TRUNCATED);
	pb_expect_problem(&pkt, FND_TCP_TRUNCATED, 12, 12, 0);
}

/* ---- checksum verdicts -------------------------------------------------- */

static void test_decode_tcp_checksum_bad(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	uint16_t sent = pb_rd16(f + 36), expected;
	struct wire_pkt pkt;

	f[40] = 'j'; /* payload corrupted after the checksum was computed */
	pb_fix_v4(f);
	expected = pb_rd16(f + 36);
	pb_be16(f + 36, sent);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_CHECKSUM_BAD);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_BAD, sent, expected, 0);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_BAD);
	assert_true(pkt.has_tcp);

	n = pb_build_v6(f, 6, PB_NO_BYTES, PB_NO_BYTES, "hello", 5, NULL, NULL);
	expected = pb_rd16(f + 56);
	pb_be16(f + 56, (uint16_t)(expected ^ 0x0100));
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_BAD, expected ^ 0x0100, expected, 0);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_BAD);
}

/* Offload: the field holds the folded pseudo-header sum (as Linux leaves
 * it) or its complement; either is PARTIAL, not BAD. */
static void test_decode_tcp_checksum_partial_is_not_bad(void **state)
{
	uint8_t f[128];
	size_t n;
	uint16_t good, ph;
	struct wire_pkt pkt;

	for (int inv = 0; inv < 2; inv++) {
		n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
		good = pb_rd16(f + 36);
		ph = csum_fold(csum_pseudo_v4(PB_SRC4, PB_DST4, 6, 25));
		pb_be16(f + 36, inv ? (uint16_t)~ph : ph);
		pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
		pb_expect_only(&pkt, 1, FND_TCP_CHECKSUM_PARTIAL);
		pb_expect_problem(&pkt, FND_TCP_CHECKSUM_PARTIAL, pb_rd16(f + 36), good, 0);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_PARTIAL);

		n = pb_build_v6(f, 6, PB_NO_BYTES, PB_NO_BYTES, "hello", 5, NULL, NULL);
		good = pb_rd16(f + 56);
		ph = csum_fold(csum_pseudo_v6(PB_SRC6, PB_DST6, 6, 25));
		pb_be16(f + 56, inv ? (uint16_t)~ph : ph);
		pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
		pb_expect_only(&pkt, 1, FND_TCP_CHECKSUM_PARTIAL);
		pb_expect_problem(&pkt, FND_TCP_CHECKSUM_PARTIAL, pb_rd16(f + 56), good, 0);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_PARTIAL);
		pb_release(state);
	}
}

/* One's complement has two zeros: a segment whose checksum computes to
 * 0x0000 verifies with 0xFFFF in the field too. */
static void test_decode_tcp_checksum_ffff_equals_zero(void **state)
{
	uint8_t f[128];
	uint8_t data[2] = { 0, 0 };
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, data, 2);
	uint16_t c = pb_rd16(f + 36);
	struct wire_pkt pkt;

	pb_be16(f + 40, c); /* adding c to the sum makes it fold to 0xFFFF */
	pb_fix_v4(f);
	assert_int_equal(pb_rd16(f + 36), 0x0000);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_clean(&pkt);
	pb_be16(f + 36, 0xFFFF);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

/* ---- snaplen cuts and robustness --------------------------------------- */

/* Snaplen cut: total length within the wire length is no IP problem. */
static void test_decode_snaplen_cut_payload_unverified(void **state)
{
	uint8_t f[256], data[100];
	size_t n = pb_put_eth(f, WIRE_ETHERTYPE_IPV4);
	struct wire_pkt pkt;

	memset(data, 'd', sizeof(data));
	n += pb_build_v4(f + n, PB_NO_BYTES, PB_NO_BYTES, data, sizeof(data));
	pb_decode_cw(state, WIRE_LINK_ETHERNET, f, 14 + 20 + 20 + 50,
		     (uint32_t)n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 70, 120, 0);
	assert_int_equal(finding_info(FND_TCP_CHECKSUM_UNVERIFIED)->level,
			 FINDING_ANALYSIS);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.payload_len, 100);
	assert_int_equal(pkt.tcp.payload_caplen, 50);
	assert_int_equal(pkt.ip.l4_len, 120);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

/* A handful of valid frames exercising every layer. */
static size_t sample_frame(int which, uint8_t *f)
{
	static const uint16_t qinq[] = { WIRE_ETHERTYPE_QINQ, WIRE_ETHERTYPE_VLAN };
	/* hop-by-hop, destination options with a Home Address, routing type
	 * 2 with Segments Left 0, atomic fragment, TCP. */
	static const uint8_t chain[64] = {
		60, 0, 1, 4, 0, 0, 0, 0,
		43, 2, 1, 2, 0, 0, 0xC9, 16, 0x20, 0x01, 0x0d, 0xb8, 0xff, [31] = 0x42,
		44, 2, 2, 0, [56] = 6, [63] = 1,
	};
	size_t n;

	switch (which) {
	case 0:
		n = pb_put_eth(f, WIRE_ETHERTYPE_IPV4);
		return n + pb_build_v4(f + n, PB_BYTES(1, 7, 7, 4, 0, 0, 0, 0),
				       PB_BYTES(2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2,
						1, 1, 8, 10, 0, 0, 0, 1, 0, 0,
						0, 2, 1, 1, 5, 10, 0, 0, 0, 1,
						0, 0, 0, 2, 34, 2),
				       "payload", 7);
	case 1:
		return pb_vlan_frame(f, qinq, 2);
	case 2:
		n = pb_put_eth(f, WIRE_ETHERTYPE_IPV6);
		return n + pb_build_v6(f + n, 0, chain, sizeof(chain),
				       PB_BYTES(2, 4, 5, 0xa0, 254, 4, 0xF9, 0x89),
				       "v6", 2, PB_HOME6, NULL);
	default:
		pb_be32(f, 2);
		return 4 + pb_build_v4(f + 4, PB_NO_BYTES,
				       PB_BYTES(19, 18, [19] = 1), NULL, 0);
	}
}

static enum wire_link sample_link(int which)
{
	return which == 3 ? WIRE_LINK_LOOP : WIRE_LINK_ETHERNET;
}

/* Every snaplen of every sample decodes without reading past caplen
 * (ASan checks the exact-size copy) and keeps the invariants; shortening
 * the wire length too must not crash either. */
static void test_decode_every_truncation_stays_in_bounds(void **state)
{
	uint8_t f[256];
	struct wire_pkt pkt;

	for (int which = 0; which < 4; which++) {
		size_t n = sample_frame(which, f);

		for (size_t cap = 0; cap <= n; cap++) {
			pb_decode_cw(state, sample_link(which), f, (uint32_t)cap,
				     (uint32_t)n, &pkt);
			if (cap == n)
				assert_true(pkt.has_tcp);
			pb_release(state);
			pb_decode_cw(state, sample_link(which), f, (uint32_t)cap,
				     (uint32_t)cap, &pkt);
			pb_release(state);
		}
	}
}

/* Deterministic corruption: flip random bytes of the samples and decode
 * at random snaplens; nothing may be read out of bounds. */
static void test_decode_corrupted_frames_stay_in_bounds(void **state)
{
	uint32_t rnd = 12345;
	uint8_t f[256];
	struct wire_pkt pkt;
	int decoded_tcp = 0;

	for (int iter = 0; iter < 20000; iter++) {
		int which = iter % 4;
		size_t n = sample_frame(which, f);
		int flips;
		uint32_t cap;

		rnd = rnd * 1103515245u + 12345u;
		flips = 1 + (int)(rnd >> 16) % 4;
		for (int k = 0; k < flips; k++) {
			rnd = rnd * 1103515245u + 12345u;
			f[(rnd >> 8) % n] ^= (uint8_t)(1u << ((rnd >> 4) % 8));
		}
		rnd = rnd * 1103515245u + 12345u;
		cap = (rnd >> 8) % 4 ? (uint32_t)n : (rnd >> 12) % (uint32_t)(n + 1);
		pb_decode_cw(state, sample_link(which), f, cap, (uint32_t)n, &pkt);
		decoded_tcp += pkt.has_tcp;
		pb_release(state);
	}
	/* Most single-bit flips still leave a decodable segment. */
	assert_true(decoded_tcp > 1000);
}

/* ---- text helpers ------------------------------------------------------- */

static void test_flags_str_syn_first(void **state)
{
	char buf[10];

	(void)state;
	wire_flags_str(WIRE_TH_SYN | WIRE_TH_ACK, buf);
	assert_string_equal(buf, "SA");
	wire_flags_str(WIRE_TH_FIN | WIRE_TH_ACK, buf);
	assert_string_equal(buf, "FA");
	wire_flags_str(WIRE_TH_PSH | WIRE_TH_ACK, buf);
	assert_string_equal(buf, "PA");
	wire_flags_str(WIRE_TH_RST, buf);
	assert_string_equal(buf, "R");
	wire_flags_str(0xFF, buf);
	assert_string_equal(buf, "SFRPAUEC");
	wire_flags_str(0, buf);
	assert_string_equal(buf, "none");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)
	const struct CMUnitTest tests[] = {
		T(test_decode_tcp_options_mss_sackok_ts_ws_md5),
		T(test_decode_tcp_option_sack_blocks),
		T(test_decode_tcp_option_fastopen),
		T(test_decode_tcp_unknown_options_kept_raw),
		T(test_decode_tcp_eol_ends_the_option_list),
		T(test_decode_tcp_option_wrong_length),
		T(test_decode_tcp_option_length_zero),
		T(test_decode_tcp_option_length_one),
		T(test_decode_tcp_option_past_header),
		T(test_decode_tcp_options_cut_by_snaplen),
		T(test_decode_tcp_data_offset_below_five),
		T(test_decode_tcp_data_offset_past_end),
		T(test_decode_tcp_reserved_bits_but_not_ae),
		T(test_decode_tcp_truncated),
		T(test_decode_tcp_checksum_bad),
		T(test_decode_tcp_checksum_partial_is_not_bad),
		T(test_decode_tcp_checksum_ffff_equals_zero),
		T(test_decode_snaplen_cut_payload_unverified),
		T(test_decode_every_truncation_stays_in_bounds),
		T(test_decode_corrupted_frames_stay_in_bounds),
		T(test_flags_str_syn_first),
	};
#undef T

	return cmocka_run_group_tests_name("wire_tcp", tests, NULL, NULL);
}
