/* Unit tests: the decoder's IP layer (core/wire_ip.c): IPv4 with options
 * and fragments, IPv6 extension header chains, the pseudo-header
 * addresses the TCP checksum uses, and wire_addr_str (core/wire_str.c).
 *
 * Packets come from pktbuild.h (built byte by byte with valid checksums)
 * and are decoded from a heap copy of exactly caplen bytes so that
 * AddressSanitizer catches any read past the captured data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csum.h"
#include "finding.h"
#include "pktbuild.h"
#include "wire.h"

/* ---- IPv4 -------------------------------------------------------------- */

static void test_decode_ipv4_options_walked(void **state)
{
	/* NOP, Record Route (len 7, ptr 4, one slot), EOL, padding. */
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_BYTES(1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0),
			       PB_NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.hdr_len, 32);
	assert_int_equal(pkt.ip.opt_len, 12);
	assert_non_null(pkt.ip.opts);
	assert_int_equal(pkt.ip.opts[1], 7);
	assert_true(pkt.ip.ip_csum_ok);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv4_option_bad_length(void **state)
{
	static const struct {
		uint8_t opts[4];
		unsigned len, off;
	} cases[] = {
		{ { 1, 7, 0, 0 }, 0, 21 },   /* length 0 */
		{ { 7, 1, 0, 0 }, 1, 20 },   /* length 1 */
		{ { 1, 1, 7, 8 }, 8, 22 },   /* past IHL */
		{ { 1, 1, 1, 7 }, 0, 23 },   /* no room for the length */
	};
	uint8_t f[128];
	struct wire_pkt pkt;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = pb_build_v4(f, cases[i].opts, 4, PB_NO_BYTES, "x", 1);

		pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
		pb_expect_only(&pkt, 1, FND_IP_BAD_OPTION);
		pb_expect_problem(&pkt, FND_IP_BAD_OPTION, 7, cases[i].len,
				  cases[i].off);
		/* The header itself is sound: TCP still decodes. */
		assert_true(pkt.has_tcp);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
		pb_release(state);
	}
}

static void test_decode_ipv4_header_checksum_bad(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "x", 1);
	uint16_t good = pb_rd16(f + 10);
	struct wire_pkt pkt;

	pb_be16(f + 10, (uint16_t)(good ^ 0x0100));
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_CHECKSUM_BAD);
	pb_expect_problem(&pkt, FND_IP_CHECKSUM_BAD, good ^ 0x0100, good, 0);
	assert_false(pkt.ip.ip_csum_ok);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv4_first_fragment_tcp_unverified(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	pb_be16(f + 6, 0x2000); /* MF, offset 0 */
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 2, FND_IP_FRAGMENT, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_IP_FRAGMENT, 0x1234, 0, 1);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 25, 25, 1);
	assert_true(pkt.ip.is_fragment);
	assert_true(pkt.ip.mf);
	assert_false(pkt.ip.df);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_ipv4_later_fragment_has_no_tcp(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	pb_be16(f + 6, 185); /* offset 1480, last fragment */
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_FRAGMENT);
	pb_expect_problem(&pkt, FND_IP_FRAGMENT, 0x1234, 1480, 0);
	assert_true(pkt.ip.is_fragment);
	assert_false(pkt.ip.mf);
	assert_int_equal(pkt.ip.frag_offset, 1480);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
	assert_int_equal(pkt.ip.l4_len, 25);
}

static void test_decode_ipv4_bad_ihl(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, NULL, 0);
	struct wire_pkt pkt;

	f[0] = 0x44;
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_BAD_IHL);
	pb_expect_problem(&pkt, FND_IP_BAD_IHL, 4, 16, 40);
	assert_false(pkt.has_ip);
	/* The fixed header is still filled in for reports. */
	assert_memory_equal(pkt.ip.src, PB_SRC4, 4);

	f[0] = 0x4F; /* 60 bytes of header in a 40-byte packet */
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_problem(&pkt, FND_IP_BAD_IHL, 15, 60, 40);
	assert_false(pkt.has_ip);
}

static void test_decode_ipv4_total_length_below_header(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "x", 1);
	struct wire_pkt pkt;

	pb_be16(f + 2, 16);
	pb_fix_v4_hdr(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_BAD_TOTAL_LENGTH);
	pb_expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 16, 20, n);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

/* Total length past the frame's wire length: malformed, and the segment
 * is incomplete, so the TCP checksum cannot be verified. */
static void test_decode_ipv4_total_length_past_frame(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	pb_be16(f + 2, (uint16_t)(n + 10));
	pb_fix_v4_hdr(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, n + 10, 20, n);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 25, 35, 0);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.payload_len, 15);
	assert_int_equal(pkt.tcp.payload_caplen, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

/* Total length 0: TSO super-segment captured before segmentation. The
 * frame's length stands in, and the offloaded checksum shows PARTIAL. */
static void test_decode_ipv4_total_length_zero_taken_as_tso(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	pb_be16(f + 2, 0);
	pb_fix_v4_hdr(f);
	/* What Linux leaves for the NIC: the folded pseudo-header sum. */
	pb_be16(f + 20 + 16, csum_fold(csum_pseudo_v4(PB_SRC4, PB_DST4, 6, 25)));
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_PARTIAL);
	pb_expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 0, 20, n);
	assert_int_equal(pkt.ip.l4_len, 25);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.payload_len, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_PARTIAL);
}

static void test_decode_ipv4_truncated_header(void **state)
{
	uint8_t f[128];
	struct wire_pkt pkt;
	uint8_t opts[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };

	pb_eth_v4_hello(f);
	pb_decode_cw(state, WIRE_LINK_ETHERNET, f, 14 + 12, 14 + 45, &pkt);
	pb_expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 12, 20, 0);
	assert_false(pkt.has_ip);

	/* Options cut by the snaplen. */
	size_t n = pb_build_v4(f, opts, sizeof(opts), PB_NO_BYTES, NULL, 0);
	pb_decode_cw(state, WIRE_LINK_IPV4, f, 24, (uint32_t)n, &pkt);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 24, 28, 0);
	assert_false(pkt.has_ip);
}

static void test_decode_ipv4_non_tcp_protocol(void **state)
{
	uint8_t f[128];
	size_t n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "x", 1);
	struct wire_pkt pkt;

	f[9] = 17;
	pb_fix_v4(f);
	pb_decode(WIRE_LINK_IPV4, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_true(pkt.has_ip);
	assert_int_equal(pkt.ip.proto, 17);
	assert_false(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

/* ---- IPv6 extension headers ------------------------------------------- */

static const uint8_t FINAL6[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0x99, [15] = 0x99 };

static void test_decode_ipv6_hbh_dstopts_fragment_chain(void **state)
{
	const uint8_t ext[] = {
		60, 0, 1, 4, 0, 0, 0, 0,                   /* hop-by-hop, PadN */
		44, 0, 1, 4, 0, 0, 0, 0,                   /* destination options */
		6, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef,  /* fragment: off 0, M */
	};
	uint8_t f[160];
	size_t n = pb_build_v6(f, 0, ext, sizeof(ext), PB_NO_BYTES, "hello", 5,
			       NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 2, FND_IP_FRAGMENT, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_IP_FRAGMENT, 0xdeadbeef, 0, 1);
	pb_expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 25, 25, 1);
	assert_int_equal(pkt.ip.n_ext, 3);
	assert_int_equal(pkt.ip.ext[0], 0);
	assert_int_equal(pkt.ip.ext[1], 60);
	assert_int_equal(pkt.ip.ext[2], 44);
	assert_int_equal(pkt.ip.hdr_len, 64);
	assert_int_equal(pkt.ip.proto, 6);
	assert_true(pkt.ip.is_fragment);
	assert_true(pkt.ip.mf);
	assert_int_equal(pkt.ip.frag_offset, 0);
	assert_int_equal(pkt.ip.id, 0xbeef);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_ipv6_later_fragment_has_no_tcp(void **state)
{
	uint8_t f[160];
	size_t n = pb_build_v6(f, 44, PB_BYTES(6, 0, 0x05, 0xc8, 0, 0, 0, 9),
			       PB_NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_FRAGMENT);
	pb_expect_problem(&pkt, FND_IP_FRAGMENT, 9, 1480, 0);
	assert_int_equal(pkt.ip.frag_offset, 1480);
	assert_false(pkt.ip.mf);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static void test_decode_ipv6_atomic_fragment_is_whole_packet(void **state)
{
	uint8_t f[160];
	size_t n = pb_build_v6(f, 44, PB_BYTES(6, 0, 0, 0, 0, 0, 0, 9), PB_NO_BYTES,
			       "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_false(pkt.ip.is_fragment);
	assert_int_equal(pkt.ip.n_ext, 1);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

/* RFC 8200 8.1: with a routing header the pseudo-header carries the final
 * destination. The packet's checksum is right only for that address. */
static void test_decode_ipv6_routing_type0_checksum_uses_final_destination(void **state)
{
	uint8_t ext[40] = { 6, 4, 0, 2 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, PB_HOME6, 16);    /* an intermediate hop */
	memcpy(ext + 24, FINAL6, 16);  /* last address: final destination */
	n = pb_build_v6(f, 43, ext, sizeof(ext), PB_NO_BYTES, "hello", 5, NULL,
			FINAL6);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.ext[0], 43);
	assert_memory_equal(pkt.ip.dst, PB_DST6, 16);
	assert_memory_equal(pkt.ip.csum_dst, FINAL6, 16);
	assert_memory_equal(pkt.ip.csum_src, PB_SRC6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	/* The same packet summed over the header's destination is wrong. */
	n = pb_build_v6(f, 43, ext, sizeof(ext), PB_NO_BYTES, "hello", 5, NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_TCP_CHECKSUM_BAD);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_BAD);
}

static void test_decode_ipv6_routing_type2_checksum_uses_home_address(void **state)
{
	uint8_t ext[24] = { 6, 2, 2, 1 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, FINAL6, 16);
	n = pb_build_v6(f, 43, ext, sizeof(ext), PB_NO_BYTES, "x", 1, NULL, FINAL6);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, FINAL6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	ext[1] = 4; /* type 2 carries exactly one address */
	uint8_t big[40] = { 0 };
	memcpy(big, ext, sizeof(ext));
	n = pb_build_v6(f, 43, big, sizeof(big), PB_NO_BYTES, "x", 1, NULL, FINAL6);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	pb_expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 43, 40, 80);
	assert_false(pkt.has_tcp);
}

static void test_decode_ipv6_srh_checksum_uses_segment_list_0(void **state)
{
	/* RFC 8754: SL 1, Last Entry 1; Segment List[0] is the final one. */
	uint8_t ext[40] = { 6, 4, 4, 1, 1, 0, 0, 0 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, FINAL6, 16);
	memcpy(ext + 24, PB_DST6, 16);
	n = pb_build_v6(f, 43, ext, sizeof(ext), PB_NO_BYTES, "seg", 3, NULL, FINAL6);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, FINAL6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv6_routing_segments_left_zero_keeps_destination(void **state)
{
	uint8_t ext[40] = { 6, 4, 0, 0 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, PB_HOME6, 16);
	memcpy(ext + 24, FINAL6, 16);
	n = pb_build_v6(f, 43, ext, sizeof(ext), PB_NO_BYTES, "x", 1, NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, PB_DST6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	ext[2] = 3; /* RPL (RFC 6554), SL 1: final destination unknown here */
	ext[3] = 1;
	n = pb_build_v6(f, 43, ext, sizeof(ext), PB_NO_BYTES, "x", 1, NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, PB_DST6, 16);
}

/* RFC 6275 6.3: the Home Address option's address is the source the
 * upper layer sees. */
static void test_decode_ipv6_home_address_option_sets_checksum_source(void **state)
{
	/* PadN(2), then the option type at 8n+6 as RFC 6275 6.3 aligns it. */
	uint8_t ext[24] = { 6, 2, 1, 2, 0, 0, 0xC9, 16 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, PB_HOME6, 16);
	n = pb_build_v6(f, 60, ext, sizeof(ext), PB_NO_BYTES, "x", 1, PB_HOME6, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_memory_equal(pkt.ip.src, PB_SRC6, 16);
	assert_memory_equal(pkt.ip.csum_src, PB_HOME6, 16);
	assert_int_equal(pkt.ip.ext[0], 60);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	/* A Home Address option must be 16 bytes. */
	memset(ext, 0, sizeof(ext));
	ext[0] = 6;
	ext[1] = 2;
	ext[2] = 1;
	ext[4] = 0xC9;
	ext[5] = 18;
	n = pb_build_v6(f, 60, ext, sizeof(ext), PB_NO_BYTES, "x", 1, NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	pb_expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 60, 44, 64);
}

static void test_decode_ipv6_ah_skipped_by_its_length(void **state)
{
	/* RFC 4302 2.2: length in 32-bit words minus 2; 24 bytes -> 4. */
	uint8_t ext[24] = { 6, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };
	uint8_t f[160];
	size_t n = pb_build_v6(f, 51, ext, sizeof(ext), PB_NO_BYTES, "x", 1,
			       NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.n_ext, 1);
	assert_int_equal(pkt.ip.ext[0], 51);
	assert_int_equal(pkt.ip.hdr_len, 64);
	pb_expect_std_tcp(&pkt, 0, 1);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv6_no_next_header_stops(void **state)
{
	uint8_t f[160];
	size_t n = pb_build_v6(f, 60, PB_BYTES(59, 0, 1, 4, 0, 0, 0, 0), PB_NO_BYTES,
			       NULL, 0, NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.proto, 59);
	assert_int_equal(pkt.ip.n_ext, 1);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static size_t dstopts_chain(uint8_t *ext, int count)
{
	for (int i = 0; i < count; i++) {
		static const uint8_t h[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };

		memcpy(ext + i * 8, h, 8);
	}
	ext[(count - 1) * 8] = 6;
	return (size_t)count * 8;
}

static void test_decode_ipv6_too_many_ext_headers(void **state)
{
	uint8_t ext[80], f[200];
	size_t n;
	struct wire_pkt pkt;

	n = pb_build_v6(f, 60, ext, dstopts_chain(ext, WIRE_MAX_IP6_EXT), PB_NO_BYTES,
			"x", 1, NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.n_ext, WIRE_MAX_IP6_EXT);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	n = pb_build_v6(f, 60, ext, dstopts_chain(ext, WIRE_MAX_IP6_EXT + 1),
			PB_NO_BYTES, "x", 1, NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP6_TOO_MANY_EXT);
	pb_expect_problem(&pkt, FND_IP6_TOO_MANY_EXT, WIRE_MAX_IP6_EXT, 60,
			  40 + 8 * WIRE_MAX_IP6_EXT);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static void test_decode_ipv6_ext_header_past_packet(void **state)
{
	uint8_t f[160];
	size_t n = pb_build_v6(f, 0, PB_BYTES(6, 10, 1, 4, 0, 0, 0, 0), PB_NO_BYTES,
			       NULL, 0, NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	pb_expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 0, 40, 68);
	assert_false(pkt.has_tcp);

	/* An option running past the end of its header. */
	n = pb_build_v6(f, 0, PB_BYTES(6, 0, 1, 9, 0, 0, 0, 0), PB_NO_BYTES, NULL, 0,
			NULL, NULL);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	pb_expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 0, 42, 48);

	/* Cut by the snaplen instead: a capture problem, not a malformation. */
	n = pb_build_v6(f, 0, PB_BYTES(6, 0, 1, 4, 0, 0, 0, 0), PB_NO_BYTES, NULL, 0,
			NULL, NULL);
	pb_decode_cw(state, WIRE_LINK_IPV6, f, 44, (uint32_t)n, &pkt);
	pb_expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 44, 48, 0);
}

static void test_decode_ipv6_payload_length_past_frame(void **state)
{
	uint8_t f[160];
	size_t n = pb_build_v6(f, 6, PB_NO_BYTES, PB_NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	pb_be16(f + 4, 35);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 75, 40, 65);
	assert_int_equal(pkt.tcp.payload_len, 15);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);

	pb_decode(WIRE_LINK_IPV6, f, 30, &pkt);
	pb_expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 30, 40, 0);
	assert_false(pkt.has_ip);
}

/* Payload length 0 without a jumbo option: GSO super-packet captured on
 * the sender; the frame length stands in. */
static void test_decode_ipv6_payload_length_zero_taken_as_gso(void **state)
{
	uint8_t f[160];
	size_t n = pb_build_v6(f, 6, PB_NO_BYTES, PB_NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	pb_be16(f + 4, 0);
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_BAD_TOTAL_LENGTH);
	pb_expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 40, 40, n);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

/* RFC 2675: payload length 0 and a Jumbo Payload option. */
static void test_decode_ipv6_jumbogram_uses_jumbo_length(void **state)
{
	const size_t dlen = 70000, n = 40 + 8 + 20 + dlen;
	uint8_t *f = calloc(1, n), *data = malloc(dlen);
	struct wire_pkt pkt;

	assert_non_null(f);
	assert_non_null(data);
	memset(data, 0x5a, dlen);
	pb_build_v6(f, 0, PB_BYTES(6, 0, 0xC2, 4, 0, 0, 0, 0), PB_NO_BYTES, NULL, 0,
		    NULL, NULL);
	pb_be16(f + 4, 0);
	pb_be32(f + 44, (uint32_t)(n - 40));
	pb_put_tcp(f + 48, NULL, 0, data, dlen);
	pb_tcp_csum_set(f + 48, 20 + dlen,
			csum_pseudo_v6(PB_SRC6, PB_DST6, 6, (uint32_t)(20 + dlen)));
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.l4_len, 20 + dlen);
	pb_expect_std_tcp(&pkt, 0, dlen);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
	pb_release(state);

	/* A jumbo length past the frame: reported, and the TCP checksum
	 * cannot be verified. */
	pb_be32(f + 44, (uint32_t)(n - 40 + 10));
	pb_decode(WIRE_LINK_IPV6, f, n, &pkt);
	pb_expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_UNVERIFIED);
	pb_expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, n + 10, 40, n);
	assert_int_equal(pkt.tcp.payload_len, dlen + 10);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
	free(data);
	free(f);
}

/* ---- text helpers ------------------------------------------------------- */

static void test_addr_str_ipv4(void **state)
{
	char buf[46];

	(void)state;
	wire_addr_str(4, PB_SRC4, buf);
	assert_string_equal(buf, "192.0.2.2");
	wire_addr_str(4, (const uint8_t[]){ 255, 255, 255, 255 }, buf);
	assert_string_equal(buf, "255.255.255.255");
	wire_addr_str(5, PB_SRC4, buf);
	assert_string_equal(buf, "?");
}

/* RFC 5952 section 4 rules, one case each. */
static void test_addr_str_ipv6_rfc5952(void **state)
{
	static const struct {
		uint16_t w[8];
		const char *text;
	} cases[] = {
		{ { 0x2001, 0xdb8, 0, 0, 0, 0, 0, 1 }, "2001:db8::1" },
		{ { 0x2001, 0xdb8, 0, 1, 1, 1, 1, 1 }, "2001:db8:0:1:1:1:1:1" },
		{ { 0x2001, 0, 0, 1, 0, 0, 0, 1 }, "2001:0:0:1::1" },
		{ { 0x2001, 0xdb8, 0, 0, 1, 0, 0, 1 }, "2001:db8::1:0:0:1" },
		{ { 0x2001, 0xDB8, 0, 0, 0, 0, 0, 0xABCD }, "2001:db8::abcd" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0 }, "::" },
		{ { 0, 0, 0, 0, 0, 0, 0, 1 }, "::1" },
		{ { 0xfe80, 0, 0, 0, 0, 0, 0, 0 }, "fe80::" },
		{ { 0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201 }, "::ffff:192.0.2.1" },
		{ { 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff },
		  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	};
	char buf[46];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t a[16];

		for (int k = 0; k < 8; k++)
			pb_be16(a + 2 * k, cases[i].w[k]);
		wire_addr_str(6, a, buf);
		assert_string_equal(buf, cases[i].text);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)
	const struct CMUnitTest tests[] = {
		T(test_decode_ipv4_options_walked),
		T(test_decode_ipv4_option_bad_length),
		T(test_decode_ipv4_header_checksum_bad),
		T(test_decode_ipv4_first_fragment_tcp_unverified),
		T(test_decode_ipv4_later_fragment_has_no_tcp),
		T(test_decode_ipv4_bad_ihl),
		T(test_decode_ipv4_total_length_below_header),
		T(test_decode_ipv4_total_length_past_frame),
		T(test_decode_ipv4_total_length_zero_taken_as_tso),
		T(test_decode_ipv4_truncated_header),
		T(test_decode_ipv4_non_tcp_protocol),
		T(test_decode_ipv6_hbh_dstopts_fragment_chain),
		T(test_decode_ipv6_later_fragment_has_no_tcp),
		T(test_decode_ipv6_atomic_fragment_is_whole_packet),
		T(test_decode_ipv6_routing_type0_checksum_uses_final_destination),
		T(test_decode_ipv6_routing_type2_checksum_uses_home_address),
		T(test_decode_ipv6_srh_checksum_uses_segment_list_0),
		T(test_decode_ipv6_routing_segments_left_zero_keeps_destination),
		T(test_decode_ipv6_home_address_option_sets_checksum_source),
		T(test_decode_ipv6_ah_skipped_by_its_length),
		T(test_decode_ipv6_no_next_header_stops),
		T(test_decode_ipv6_too_many_ext_headers),
		T(test_decode_ipv6_ext_header_past_packet),
		T(test_decode_ipv6_payload_length_past_frame),
		T(test_decode_ipv6_payload_length_zero_taken_as_gso),
		T(test_decode_ipv6_jumbogram_uses_jumbo_length),
		T(test_addr_str_ipv4),
		T(test_addr_str_ipv6_rfc5952),
	};
#undef T

	return cmocka_run_group_tests_name("wire_ip", tests, NULL, NULL);
}
