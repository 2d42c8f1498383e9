/* Unit tests: the decoder's link layers (core/wire_link.c): Ethernet with
 * VLAN tags, Linux cooked SLL and SLL2, raw IP, DLT_NULL and DLT_LOOP,
 * and the IPv4/IPv6 link types.
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

#include "finding.h"
#include "pktbuild.h"
#include "wire.h"

/* ---- link layers ------------------------------------------------------- */

static void test_decode_ethernet_ipv4_tcp(void **state)
{
	uint8_t f[128];
	size_t n = pb_eth_v4_hello(f);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.link, WIRE_LINK_ETHERNET);
	assert_memory_equal(pkt.l2.dst, PB_MAC_DST, 6);
	assert_memory_equal(pkt.l2.src, PB_MAC_SRC, 6);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV4);
	assert_int_equal(pkt.l2.n_vlan, 0);
	assert_int_equal(pkt.l2.hdr_len, 14);
	assert_true(pkt.has_ip);
	assert_int_equal(pkt.ip.version, 4);
	assert_int_equal(pkt.ip.hdr_len, 20);
	assert_int_equal(pkt.ip.ttl, 64);
	assert_int_equal(pkt.ip.id, 0x1234);
	assert_true(pkt.ip.df);
	assert_false(pkt.ip.mf);
	assert_false(pkt.ip.is_fragment);
	assert_true(pkt.ip.ip_csum_ok);
	assert_int_equal(pkt.ip.ip_csum, pb_rd16(f + 14 + 10));
	assert_int_equal(pkt.ip.proto, 6);
	assert_memory_equal(pkt.ip.src, PB_SRC4, 4);
	assert_memory_equal(pkt.ip.dst, PB_DST4, 4);
	assert_memory_equal(pkt.ip.csum_src, PB_SRC4, 4);
	assert_memory_equal(pkt.ip.csum_dst, PB_DST4, 4);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_memory_equal(pkt.tcp.payload, "hello", 5);
	assert_int_equal(pkt.tcp.csum, pb_rd16(f + 34 + 16));
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ethernet_padding_trimmed_to_total_length(void **state)
{
	uint8_t f[60] = { 0 };
	size_t n = pb_put_eth(f, WIRE_ETHERTYPE_IPV4);
	struct wire_pkt pkt;

	n += pb_build_v4(f + n, PB_NO_BYTES, PB_NO_BYTES, NULL, 0);
	assert_int_equal(n, 54);
	memset(f + 54, 0xAA, 6); /* padding that would break the checksum */
	pb_decode(WIRE_LINK_ETHERNET, f, sizeof(f), &pkt);
	pb_expect_clean(&pkt);
	pb_expect_std_tcp(&pkt, 0, 0);
	assert_null(pkt.tcp.payload);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_vlan_single_ipv4_tcp(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	size_t n = pb_vlan_frame(f, tpid, 1);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.n_vlan, 1);
	assert_int_equal(pkt.l2.vlan_tpid[0], WIRE_ETHERTYPE_VLAN);
	assert_int_equal(pkt.l2.vlan_tci[0], 0x2000 | 100);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV4);
	assert_int_equal(pkt.l2.hdr_len, 18);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_vlan_qinq_ipv4_tcp(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_QINQ, WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	size_t n = pb_vlan_frame(f, tpid, 2);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.n_vlan, 2);
	assert_int_equal(pkt.l2.vlan_tpid[0], WIRE_ETHERTYPE_QINQ);
	assert_int_equal(pkt.l2.vlan_tpid[1], WIRE_ETHERTYPE_VLAN);
	assert_int_equal(pkt.l2.vlan_tci[0], 0x2000 | 100);
	assert_int_equal(pkt.l2.vlan_tci[1], 0x2000 | 101);
	assert_int_equal(pkt.l2.hdr_len, 22);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_vlan_third_tag_is_not_followed(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_QINQ, WIRE_ETHERTYPE_VLAN,
					 WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	size_t n = pb_vlan_frame(f, tpid, 3);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.n_vlan, 2);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_VLAN);
	assert_false(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static void test_decode_ethernet_ipv6_tcp(void **state)
{
	uint8_t f[128];
	size_t n = pb_put_eth(f, WIRE_ETHERTYPE_IPV6);
	struct wire_pkt pkt;

	n += pb_build_v6(f + n, 6, PB_NO_BYTES, PB_NO_BYTES, "hello!", 6, NULL, NULL);
	pb_decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV6);
	assert_int_equal(pkt.ip.version, 6);
	assert_int_equal(pkt.ip.hdr_len, 40);
	assert_int_equal(pkt.ip.flow_label, 0x12345);
	assert_int_equal(pkt.ip.ttl, 64);
	assert_int_equal(pkt.ip.proto, 6);
	assert_int_equal(pkt.ip.n_ext, 0);
	assert_true(pkt.ip.ip_csum_ok);
	assert_memory_equal(pkt.ip.src, PB_SRC6, 16);
	assert_memory_equal(pkt.ip.dst, PB_DST6, 16);
	pb_expect_std_tcp(&pkt, 0, 6);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ethernet_non_ip_has_no_ip_and_no_problem(void **state)
{
	uint8_t f[60] = { 0 };
	struct wire_pkt pkt;

	pb_put_eth(f, WIRE_ETHERTYPE_ARP);
	pb_decode(WIRE_LINK_ETHERNET, f, sizeof(f), &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_ARP);
	assert_int_equal(pkt.l2.hdr_len, 14);
	assert_false(pkt.has_ip);
	assert_false(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);

	pb_put_eth(f, 46); /* IEEE 802.3 length field + LLC */
	pb_decode(WIRE_LINK_ETHERNET, f, sizeof(f), &pkt);
	pb_expect_clean(&pkt);
	assert_false(pkt.has_ip);
}

static void test_decode_ethernet_truncated_link_header(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	struct wire_pkt pkt;

	pb_eth_v4_hello(f);
	pb_decode(WIRE_LINK_ETHERNET, f, 10, &pkt);
	pb_expect_only(&pkt, 1, FND_PKT_TRUNCATED_LINK);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 10, 14, 0);
	assert_false(pkt.has_ip);

	pb_vlan_frame(f, tpid, 1);
	pb_decode(WIRE_LINK_ETHERNET, f, 16, &pkt); /* tag cut */
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 16, 18, 0);
	assert_false(pkt.has_ip);
}

static void test_decode_sll_ipv4_tcp(void **state)
{
	uint8_t f[128] = { 0 };
	size_t n;
	struct wire_pkt pkt;

	pb_be16(f, 4);      /* PACKET_OUTGOING */
	pb_be16(f + 2, 1);  /* ARPHRD_ETHER */
	pb_be16(f + 4, 6);
	memcpy(f + 6, PB_MAC_SRC, 6);
	pb_be16(f + 14, WIRE_ETHERTYPE_IPV4);
	n = 16 + pb_build_v4(f + 16, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	pb_decode(WIRE_LINK_SLL, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.sll_pkttype, 4);
	assert_memory_equal(pkt.l2.src, PB_MAC_SRC, 6);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV4);
	assert_int_equal(pkt.l2.hdr_len, 16);
	pb_expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	pb_decode(WIRE_LINK_SLL, f, 15, &pkt);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 15, 16, 0);
}

static void test_decode_sll2_ipv6_tcp(void **state)
{
	uint8_t f[128] = { 0 };
	size_t n;
	struct wire_pkt pkt;

	pb_be16(f, WIRE_ETHERTYPE_IPV6);
	pb_be32(f + 4, 3);  /* ifindex */
	pb_be16(f + 8, 1);  /* ARPHRD_ETHER */
	f[10] = 0;       /* PACKET_HOST */
	f[11] = 6;
	memcpy(f + 12, PB_MAC_SRC, 6);
	n = 20 + pb_build_v6(f + 20, 6, PB_NO_BYTES, PB_NO_BYTES, "hi", 2, NULL, NULL);
	pb_decode(WIRE_LINK_SLL2, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.sll2_ifindex, 3);
	assert_int_equal(pkt.l2.sll_pkttype, 0);
	assert_memory_equal(pkt.l2.src, PB_MAC_SRC, 6);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV6);
	assert_int_equal(pkt.l2.hdr_len, 20);
	assert_int_equal(pkt.ip.version, 6);
	pb_expect_std_tcp(&pkt, 0, 2);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	pb_decode(WIRE_LINK_SLL2, f, 19, &pkt);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 19, 20, 0);
}

static void test_decode_raw_picks_version_from_nibble(void **state)
{
	uint8_t f[128];
	size_t n;
	struct wire_pkt pkt;

	n = pb_build_v4(f, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
	pb_decode(WIRE_LINK_RAW, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.version, 4);
	assert_int_equal(pkt.l2.hdr_len, 0);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	n = pb_build_v6(f, 6, PB_NO_BYTES, PB_NO_BYTES, "hello", 5, NULL, NULL);
	pb_decode(WIRE_LINK_RAW, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.version, 6);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	f[0] = 0x55;
	pb_decode(WIRE_LINK_RAW, f, n, &pkt);
	pb_expect_only(&pkt, 1, FND_IP_BAD_VERSION);
	pb_expect_problem(&pkt, FND_IP_BAD_VERSION, 5, 0, 0);
	assert_false(pkt.has_ip);

	pb_decode(WIRE_LINK_RAW, f, 0, &pkt);
	pb_expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
}

static void test_decode_ipv4_and_ipv6_links_check_the_version(void **state)
{
	uint8_t f4[128], f6[128];
	size_t n4 = pb_build_v4(f4, PB_NO_BYTES, PB_NO_BYTES, "a", 1);
	size_t n6 = pb_build_v6(f6, 6, PB_NO_BYTES, PB_NO_BYTES, "a", 1, NULL, NULL);
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_IPV4, f4, n4, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
	pb_decode(WIRE_LINK_IPV6, f6, n6, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	pb_decode(WIRE_LINK_IPV4, f6, n6, &pkt);
	pb_expect_problem(&pkt, FND_IP_BAD_VERSION, 6, 4, 0);
	assert_false(pkt.has_ip);
	pb_decode(WIRE_LINK_IPV6, f4, n4, &pkt);
	pb_expect_problem(&pkt, FND_IP_BAD_VERSION, 4, 6, 0);
	assert_false(pkt.has_ip);
}

/* DLT_NULL: AF in the writer's byte order; both must decode. */
static void test_decode_null_af_in_either_byte_order(void **state)
{
	static const uint32_t afs[] = { 2, 10, 24, 28, 30 };
	uint8_t f[128];
	struct wire_pkt pkt;

	for (size_t i = 0; i < sizeof(afs) / sizeof(afs[0]); i++) {
		for (int little = 0; little < 2; little++) {
			uint8_t version = afs[i] == 2 ? 4 : 6;
			size_t n;

			if (little) {
				f[0] = (uint8_t)afs[i];
				f[1] = f[2] = f[3] = 0;
			} else {
				pb_be32(f, afs[i]);
			}
			n = 4 + (version == 4 ?
				 pb_build_v4(f + 4, PB_NO_BYTES, PB_NO_BYTES, "x", 1) :
				 pb_build_v6(f + 4, 6, PB_NO_BYTES, PB_NO_BYTES, "x", 1,
					     NULL, NULL));
			pb_decode(WIRE_LINK_NULL, f, n, &pkt);
			pb_expect_clean(&pkt);
			assert_int_equal(pkt.l2.af, afs[i]);
			assert_int_equal(pkt.l2.hdr_len, 4);
			assert_int_equal(pkt.ip.version, version);
			assert_true(pkt.has_tcp);
			assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
			pb_release(state);
		}
	}
}

static void test_decode_null_unknown_af_has_no_ip(void **state)
{
	uint8_t f[64] = { 7, 0, 0, 0 };
	struct wire_pkt pkt;

	pb_decode(WIRE_LINK_NULL, f, sizeof(f), &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.af, 7);
	assert_false(pkt.has_ip);

	pb_decode(WIRE_LINK_NULL, f, 3, &pkt);
	pb_expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 3, 4, 0);
}

/* DLT_LOOP: network order only; host order on a little-endian writer is
 * a different (unknown) AF. */
static void test_decode_loop_network_order(void **state)
{
	uint8_t f[128];
	size_t n;
	struct wire_pkt pkt;

	pb_be32(f, 2);
	n = 4 + pb_build_v4(f + 4, PB_NO_BYTES, PB_NO_BYTES, "x", 1);
	pb_decode(WIRE_LINK_LOOP, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.l2.af, 2);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	pb_be32(f, 30);
	n = 4 + pb_build_v6(f + 4, 6, PB_NO_BYTES, PB_NO_BYTES, "x", 1, NULL, NULL);
	pb_decode(WIRE_LINK_LOOP, f, n, &pkt);
	pb_expect_clean(&pkt);
	assert_int_equal(pkt.ip.version, 6);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	f[0] = 2;
	f[1] = f[2] = f[3] = 0;
	pb_decode(WIRE_LINK_LOOP, f, n, &pkt);
	assert_int_equal(pkt.l2.af, 0x02000000);
	assert_false(pkt.has_ip);
}

static void test_decode_rejects_null_arguments(void **state)
{
	struct wire_pkt pkt;
	uint8_t f[1] = { 0 };

	(void)state;
	assert_int_equal(wire_decode(WIRE_LINK_RAW, f, 1, 1, NULL), WIRE_ERR_INVAL);
	assert_int_equal(wire_decode(WIRE_LINK_RAW, NULL, 1, 1, &pkt), WIRE_ERR_INVAL);
	assert_int_equal(wire_decode((enum wire_link)99, f, 1, 1, &pkt),
			 WIRE_ERR_INVAL);
	assert_int_equal(wire_decode(WIRE_LINK_RAW, NULL, 0, 0, &pkt), 0);
	assert_false(pkt.has_ip);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)
	const struct CMUnitTest tests[] = {
		T(test_decode_ethernet_ipv4_tcp),
		T(test_decode_ethernet_padding_trimmed_to_total_length),
		T(test_decode_vlan_single_ipv4_tcp),
		T(test_decode_vlan_qinq_ipv4_tcp),
		T(test_decode_vlan_third_tag_is_not_followed),
		T(test_decode_ethernet_ipv6_tcp),
		T(test_decode_ethernet_non_ip_has_no_ip_and_no_problem),
		T(test_decode_ethernet_truncated_link_header),
		T(test_decode_sll_ipv4_tcp),
		T(test_decode_sll2_ipv6_tcp),
		T(test_decode_raw_picks_version_from_nibble),
		T(test_decode_ipv4_and_ipv6_links_check_the_version),
		T(test_decode_null_af_in_either_byte_order),
		T(test_decode_null_unknown_af_has_no_ip),
		T(test_decode_loop_network_order),
		T(test_decode_rejects_null_arguments),
	};
#undef T

	return cmocka_run_group_tests_name("wire_link", tests, NULL, NULL);
}
