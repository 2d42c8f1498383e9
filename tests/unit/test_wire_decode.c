/* Unit tests: the bounds-checked decoder (core/wire_link.c, wire_ip.c,
 * wire_tcp.c) and its text helpers (core/wire_str.c).
 *
 * Packets are built here byte by byte with valid checksums (csum.h), then
 * decoded from a heap copy of exactly caplen bytes so that AddressSanitizer
 * catches any read past the captured data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csum.h"
#include "finding.h"
#include "wire.h"

/* (pointer, length) of a byte-array literal. */
#define BYTES(...) \
	(const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define NO_BYTES NULL, 0

static const uint8_t SRC4[4] = { 192, 0, 2, 2 };
static const uint8_t DST4[4] = { 192, 0, 2, 1 };
static const uint8_t SRC6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t DST6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t MAC_DST[6] = { 0x02, 0, 0, 0, 0, 1 };
static const uint8_t MAC_SRC[6] = { 0x02, 0, 0, 0, 0, 2 };

#define SPORT 40000
#define DPORT 80
#define SEQ   0x01020304u
#define ACK   0x0a0b0c0du

/* ---- byte helpers and packet builders ---------------------------------- */

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* TCP header (ACK|PSH, window 65535) + options (a multiple of 4) + data. */
static size_t put_tcp(uint8_t *p, const uint8_t *opts, size_t opt_len,
		      const void *data, size_t dlen)
{
	assert_true(opt_len % 4 == 0 && opt_len <= 40);
	memset(p, 0, 20);
	be16(p, SPORT);
	be16(p + 2, DPORT);
	be32(p + 4, SEQ);
	be32(p + 8, ACK);
	p[12] = (uint8_t)(((20 + opt_len) / 4) << 4);
	p[13] = WIRE_TH_ACK | WIRE_TH_PSH;
	be16(p + 14, 65535);
	if (opt_len)
		memcpy(p + 20, opts, opt_len);
	if (dlen)
		memcpy(p + 20 + opt_len, data, dlen);
	return 20 + opt_len + dlen;
}

static void tcp_csum_set(uint8_t *tcp, size_t len, uint64_t pseudo)
{
	be16(tcp + 16, 0);
	be16(tcp + 16, csum_finish(csum_partial(tcp, len, pseudo)));
}

/* Recomputes the IPv4 header checksum. */
static void fix_v4_hdr(uint8_t *ip)
{
	be16(ip + 10, 0);
	be16(ip + 10, csum_finish(csum_partial(ip, (ip[0] & 0x0F) * 4u, 0)));
}

/* Recomputes the IPv4 header checksum and the TCP checksum from the
 * header's own IHL and total length. */
static void fix_v4(uint8_t *ip)
{
	size_t hlen = (ip[0] & 0x0F) * 4u, tl = rd16(ip + 2);

	assert_true(tl >= hlen + 20);
	fix_v4_hdr(ip);
	tcp_csum_set(ip + hlen, tl - hlen,
		     csum_pseudo_v4(ip + 12, ip + 16, 6, (uint32_t)(tl - hlen)));
}

/* IPv4 (DF, TTL 64, id 0x1234) with options + TCP; returns total length. */
static size_t build_v4(uint8_t *p, const uint8_t *ipopts, size_t ipopt_len,
		       const uint8_t *opts, size_t opt_len, const void *data,
		       size_t dlen)
{
	size_t hlen = 20 + ipopt_len, l4;

	assert_true(ipopt_len % 4 == 0 && ipopt_len <= 40);
	l4 = put_tcp(p + hlen, opts, opt_len, data, dlen);
	memset(p, 0, 20);
	p[0] = (uint8_t)(0x40 | hlen / 4);
	be16(p + 2, (uint16_t)(hlen + l4));
	be16(p + 4, 0x1234);
	be16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = 6;
	memcpy(p + 12, SRC4, 4);
	memcpy(p + 16, DST4, 4);
	if (ipopt_len)
		memcpy(p + 20, ipopts, ipopt_len);
	fix_v4(p);
	return hlen + l4;
}

/* IPv6 (flow label 0x12345, hop limit 64) + extension bytes + TCP. The
 * TCP checksum uses cs_src/cs_dst (NULL: the header's addresses). */
static size_t build_v6(uint8_t *p, uint8_t first_nh, const uint8_t *ext,
		       size_t ext_len, const uint8_t *opts, size_t opt_len,
		       const void *data, size_t dlen, const uint8_t *cs_src,
		       const uint8_t *cs_dst)
{
	size_t l4 = put_tcp(p + 40 + ext_len, opts, opt_len, data, dlen);

	memset(p, 0, 40);
	be32(p, 0x60012345);
	be16(p + 4, (uint16_t)(ext_len + l4));
	p[6] = first_nh;
	p[7] = 64;
	memcpy(p + 8, SRC6, 16);
	memcpy(p + 24, DST6, 16);
	if (ext_len)
		memcpy(p + 40, ext, ext_len);
	tcp_csum_set(p + 40 + ext_len, l4,
		     csum_pseudo_v6(cs_src ? cs_src : SRC6, cs_dst ? cs_dst : DST6,
				    6, (uint32_t)l4));
	return 40 + ext_len + l4;
}

static size_t put_eth(uint8_t *p, uint16_t type)
{
	memcpy(p, MAC_DST, 6);
	memcpy(p + 6, MAC_SRC, 6);
	be16(p + 12, type);
	return 14;
}

/* Ethernet + IPv4 + TCP("hello"). */
static size_t eth_v4_hello(uint8_t *f)
{
	size_t n = put_eth(f, WIRE_ETHERTYPE_IPV4);

	return n + build_v4(f + n, NO_BYTES, NO_BYTES, "hello", 5);
}

/* ---- decoding with exact-size buffers ---------------------------------- */

#define MAX_COPIES 16
struct copies {
	uint8_t *buf[MAX_COPIES];
	int n;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct copies));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct copies *c = *state;

	for (int i = 0; i < c->n; i++)
		free(c->buf[i]);
	free(c);
	return 0;
}

/* Frees the earlier decode buffers (their packets must not be used). */
static void release(void **state)
{
	struct copies *c = *state;

	while (c->n)
		free(c->buf[--c->n]);
}

static bool in_buf(const uint8_t *p, size_t n, const uint8_t *b, size_t len)
{
	return p >= b && p <= b + len && n <= (size_t)(b + len - p);
}

/* What must hold for any input, valid or not. */
static void check_invariants(const struct wire_pkt *pkt, const uint8_t *b,
			     uint32_t caplen)
{
	const struct wire_tcp *t = &pkt->tcp;

	assert_true(pkt->n_problems <= WIRE_MAX_PROBLEMS);
	for (int i = 0; i < pkt->n_problems; i++)
		assert_true(pkt->problems[i].id < FND__COUNT);
	if (pkt->has_tcp)
		assert_true(pkt->has_ip);
	else
		assert_int_not_equal(pkt->tcp_csum, WIRE_CSUM_OK);
	if (pkt->ip.opts)
		assert_true(in_buf(pkt->ip.opts, pkt->ip.opt_len, b, caplen));
	assert_true(t->n_opts <= WIRE_MAX_TCP_OPTS);
	for (int i = 0; i < t->n_opts; i++)
		if (t->opts[i].data)
			assert_true(in_buf(t->opts[i].data, t->opts[i].len - 2u,
					   b, caplen));
	assert_true(t->payload_caplen <= t->payload_len);
	if (t->payload)
		assert_true(in_buf(t->payload, t->payload_caplen, b, caplen));
	else
		assert_int_equal(t->payload_caplen, 0);
	assert_true(pkt->ip.n_ext <= WIRE_MAX_IP6_EXT);
}

static void decode_cw(void **state, enum wire_link link, const uint8_t *f,
		      uint32_t caplen, uint32_t wirelen, struct wire_pkt *pkt)
{
	struct copies *c = *state;
	uint8_t *copy = malloc(caplen ? caplen : 1);

	assert_non_null(copy);
	assert_true(c->n < MAX_COPIES);
	c->buf[c->n++] = copy;
	memcpy(copy, f, caplen);
	assert_int_equal(wire_decode(link, copy, caplen, wirelen, pkt), 0);
	assert_int_equal(pkt->caplen, caplen);
	assert_int_equal(pkt->wirelen, wirelen);
	check_invariants(pkt, copy, caplen);
}

#define decode(link, f, len, pkt) \
	decode_cw(state, link, f, (uint32_t)(len), (uint32_t)(len), pkt)

static const struct finding *find(const struct wire_pkt *pkt,
				  enum finding_id id)
{
	for (int i = 0; i < pkt->n_problems; i++)
		if (pkt->problems[i].id == id)
			return &pkt->problems[i];
	return NULL;
}

static void dump_problems(const struct wire_pkt *pkt)
{
	for (int i = 0; i < pkt->n_problems; i++) {
		char r[256];

		finding_reason(&pkt->problems[i], r, sizeof(r));
		print_error("  problem %s: %s\n",
			    finding_info(pkt->problems[i].id)->name, r);
	}
}

static void expect_clean(const struct wire_pkt *pkt)
{
	if (pkt->n_problems) {
		dump_problems(pkt);
		fail_msg("expected no problems, got %d", pkt->n_problems);
	}
}

static void expect_problem(const struct wire_pkt *pkt, enum finding_id id,
			   unsigned long long v0, unsigned long long v1,
			   unsigned long long v2)
{
	const struct finding *f = find(pkt, id);

	if (!f) {
		dump_problems(pkt);
		fail_msg("expected problem %s", finding_info(id)->name);
	}
	assert_int_equal(f->v[0], v0);
	assert_int_equal(f->v[1], v1);
	assert_int_equal(f->v[2], v2);
}

/* Exactly these problems, in any order. */
static void expect_only(const struct wire_pkt *pkt, int n, ...)
{
	va_list ap;

	if (pkt->n_problems != n) {
		dump_problems(pkt);
		fail_msg("expected %d problems, got %d", n, pkt->n_problems);
	}
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		enum finding_id id = va_arg(ap, enum finding_id);

		if (!find(pkt, id)) {
			dump_problems(pkt);
			fail_msg("missing problem %s", finding_info(id)->name);
		}
	}
	va_end(ap);
}

/* The TCP segment built by put_tcp() decoded as such. */
static void expect_std_tcp(const struct wire_pkt *pkt, size_t opt_len,
			   size_t dlen)
{
	const struct wire_tcp *t = &pkt->tcp;

	assert_true(pkt->has_tcp);
	assert_int_equal(t->sport, SPORT);
	assert_int_equal(t->dport, DPORT);
	assert_int_equal(t->seq, SEQ);
	assert_int_equal(t->ack, ACK);
	assert_int_equal(t->doff, (20 + opt_len) / 4);
	assert_int_equal(t->flags, WIRE_TH_ACK | WIRE_TH_PSH);
	assert_int_equal(t->win, 65535);
	assert_int_equal(t->payload_len, dlen);
	assert_int_equal(t->payload_caplen, dlen);
	assert_int_equal(pkt->ip.l4_len, 20 + opt_len + dlen);
}

/* ---- link layers ------------------------------------------------------- */

static void test_decode_ethernet_ipv4_tcp(void **state)
{
	uint8_t f[128];
	size_t n = eth_v4_hello(f);
	struct wire_pkt pkt;

	decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.link, WIRE_LINK_ETHERNET);
	assert_memory_equal(pkt.l2.dst, MAC_DST, 6);
	assert_memory_equal(pkt.l2.src, MAC_SRC, 6);
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
	assert_int_equal(pkt.ip.ip_csum, rd16(f + 14 + 10));
	assert_int_equal(pkt.ip.proto, 6);
	assert_memory_equal(pkt.ip.src, SRC4, 4);
	assert_memory_equal(pkt.ip.dst, DST4, 4);
	assert_memory_equal(pkt.ip.csum_src, SRC4, 4);
	assert_memory_equal(pkt.ip.csum_dst, DST4, 4);
	expect_std_tcp(&pkt, 0, 5);
	assert_memory_equal(pkt.tcp.payload, "hello", 5);
	assert_int_equal(pkt.tcp.csum, rd16(f + 34 + 16));
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ethernet_padding_trimmed_to_total_length(void **state)
{
	uint8_t f[60] = { 0 };
	size_t n = put_eth(f, WIRE_ETHERTYPE_IPV4);
	struct wire_pkt pkt;

	n += build_v4(f + n, NO_BYTES, NO_BYTES, NULL, 0);
	assert_int_equal(n, 54);
	memset(f + 54, 0xAA, 6); /* padding that would break the checksum */
	decode(WIRE_LINK_ETHERNET, f, sizeof(f), &pkt);
	expect_clean(&pkt);
	expect_std_tcp(&pkt, 0, 0);
	assert_null(pkt.tcp.payload);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static size_t vlan_frame(uint8_t *f, const uint16_t *tpid, int ntags)
{
	size_t n = put_eth(f, ntags ? tpid[0] : WIRE_ETHERTYPE_IPV4);

	for (int i = 0; i < ntags; i++) {
		be16(f + n, (uint16_t)(0x2000 | (100 + i))); /* PCP 1, VID */
		be16(f + n + 2, i + 1 < ntags ? tpid[i + 1] : WIRE_ETHERTYPE_IPV4);
		n += 4;
	}
	return n + build_v4(f + n, NO_BYTES, NO_BYTES, "hello", 5);
}

static void test_decode_vlan_single_ipv4_tcp(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	size_t n = vlan_frame(f, tpid, 1);
	struct wire_pkt pkt;

	decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.n_vlan, 1);
	assert_int_equal(pkt.l2.vlan_tpid[0], WIRE_ETHERTYPE_VLAN);
	assert_int_equal(pkt.l2.vlan_tci[0], 0x2000 | 100);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV4);
	assert_int_equal(pkt.l2.hdr_len, 18);
	expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_vlan_qinq_ipv4_tcp(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_QINQ, WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	size_t n = vlan_frame(f, tpid, 2);
	struct wire_pkt pkt;

	decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.n_vlan, 2);
	assert_int_equal(pkt.l2.vlan_tpid[0], WIRE_ETHERTYPE_QINQ);
	assert_int_equal(pkt.l2.vlan_tpid[1], WIRE_ETHERTYPE_VLAN);
	assert_int_equal(pkt.l2.vlan_tci[0], 0x2000 | 100);
	assert_int_equal(pkt.l2.vlan_tci[1], 0x2000 | 101);
	assert_int_equal(pkt.l2.hdr_len, 22);
	expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_vlan_third_tag_is_not_followed(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_QINQ, WIRE_ETHERTYPE_VLAN,
					 WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	size_t n = vlan_frame(f, tpid, 3);
	struct wire_pkt pkt;

	decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.n_vlan, 2);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_VLAN);
	assert_false(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static void test_decode_ethernet_ipv6_tcp(void **state)
{
	uint8_t f[128];
	size_t n = put_eth(f, WIRE_ETHERTYPE_IPV6);
	struct wire_pkt pkt;

	n += build_v6(f + n, 6, NO_BYTES, NO_BYTES, "hello!", 6, NULL, NULL);
	decode(WIRE_LINK_ETHERNET, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV6);
	assert_int_equal(pkt.ip.version, 6);
	assert_int_equal(pkt.ip.hdr_len, 40);
	assert_int_equal(pkt.ip.flow_label, 0x12345);
	assert_int_equal(pkt.ip.ttl, 64);
	assert_int_equal(pkt.ip.proto, 6);
	assert_int_equal(pkt.ip.n_ext, 0);
	assert_true(pkt.ip.ip_csum_ok);
	assert_memory_equal(pkt.ip.src, SRC6, 16);
	assert_memory_equal(pkt.ip.dst, DST6, 16);
	expect_std_tcp(&pkt, 0, 6);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ethernet_non_ip_has_no_ip_and_no_problem(void **state)
{
	uint8_t f[60] = { 0 };
	struct wire_pkt pkt;

	put_eth(f, WIRE_ETHERTYPE_ARP);
	decode(WIRE_LINK_ETHERNET, f, sizeof(f), &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_ARP);
	assert_int_equal(pkt.l2.hdr_len, 14);
	assert_false(pkt.has_ip);
	assert_false(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);

	put_eth(f, 46); /* IEEE 802.3 length field + LLC */
	decode(WIRE_LINK_ETHERNET, f, sizeof(f), &pkt);
	expect_clean(&pkt);
	assert_false(pkt.has_ip);
}

static void test_decode_ethernet_truncated_link_header(void **state)
{
	static const uint16_t tpid[] = { WIRE_ETHERTYPE_VLAN };
	uint8_t f[128];
	struct wire_pkt pkt;

	eth_v4_hello(f);
	decode(WIRE_LINK_ETHERNET, f, 10, &pkt);
	expect_only(&pkt, 1, FND_PKT_TRUNCATED_LINK);
	expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 10, 14, 0);
	assert_false(pkt.has_ip);

	vlan_frame(f, tpid, 1);
	decode(WIRE_LINK_ETHERNET, f, 16, &pkt); /* tag cut */
	expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 16, 18, 0);
	assert_false(pkt.has_ip);
}

static void test_decode_sll_ipv4_tcp(void **state)
{
	uint8_t f[128] = { 0 };
	size_t n;
	struct wire_pkt pkt;

	be16(f, 4);      /* PACKET_OUTGOING */
	be16(f + 2, 1);  /* ARPHRD_ETHER */
	be16(f + 4, 6);
	memcpy(f + 6, MAC_SRC, 6);
	be16(f + 14, WIRE_ETHERTYPE_IPV4);
	n = 16 + build_v4(f + 16, NO_BYTES, NO_BYTES, "hello", 5);
	decode(WIRE_LINK_SLL, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.sll_pkttype, 4);
	assert_memory_equal(pkt.l2.src, MAC_SRC, 6);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV4);
	assert_int_equal(pkt.l2.hdr_len, 16);
	expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	decode(WIRE_LINK_SLL, f, 15, &pkt);
	expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 15, 16, 0);
}

static void test_decode_sll2_ipv6_tcp(void **state)
{
	uint8_t f[128] = { 0 };
	size_t n;
	struct wire_pkt pkt;

	be16(f, WIRE_ETHERTYPE_IPV6);
	be32(f + 4, 3);  /* ifindex */
	be16(f + 8, 1);  /* ARPHRD_ETHER */
	f[10] = 0;       /* PACKET_HOST */
	f[11] = 6;
	memcpy(f + 12, MAC_SRC, 6);
	n = 20 + build_v6(f + 20, 6, NO_BYTES, NO_BYTES, "hi", 2, NULL, NULL);
	decode(WIRE_LINK_SLL2, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.sll2_ifindex, 3);
	assert_int_equal(pkt.l2.sll_pkttype, 0);
	assert_memory_equal(pkt.l2.src, MAC_SRC, 6);
	assert_int_equal(pkt.l2.ethertype, WIRE_ETHERTYPE_IPV6);
	assert_int_equal(pkt.l2.hdr_len, 20);
	assert_int_equal(pkt.ip.version, 6);
	expect_std_tcp(&pkt, 0, 2);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	decode(WIRE_LINK_SLL2, f, 19, &pkt);
	expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 19, 20, 0);
}

static void test_decode_raw_picks_version_from_nibble(void **state)
{
	uint8_t f[128];
	size_t n;
	struct wire_pkt pkt;

	n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	decode(WIRE_LINK_RAW, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.version, 4);
	assert_int_equal(pkt.l2.hdr_len, 0);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	n = build_v6(f, 6, NO_BYTES, NO_BYTES, "hello", 5, NULL, NULL);
	decode(WIRE_LINK_RAW, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.version, 6);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	f[0] = 0x55;
	decode(WIRE_LINK_RAW, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_BAD_VERSION);
	expect_problem(&pkt, FND_IP_BAD_VERSION, 5, 0, 0);
	assert_false(pkt.has_ip);

	decode(WIRE_LINK_RAW, f, 0, &pkt);
	expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
}

static void test_decode_ipv4_and_ipv6_links_check_the_version(void **state)
{
	uint8_t f4[128], f6[128];
	size_t n4 = build_v4(f4, NO_BYTES, NO_BYTES, "a", 1);
	size_t n6 = build_v6(f6, 6, NO_BYTES, NO_BYTES, "a", 1, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV4, f4, n4, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
	decode(WIRE_LINK_IPV6, f6, n6, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	decode(WIRE_LINK_IPV4, f6, n6, &pkt);
	expect_problem(&pkt, FND_IP_BAD_VERSION, 6, 4, 0);
	assert_false(pkt.has_ip);
	decode(WIRE_LINK_IPV6, f4, n4, &pkt);
	expect_problem(&pkt, FND_IP_BAD_VERSION, 4, 6, 0);
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
				be32(f, afs[i]);
			}
			n = 4 + (version == 4 ?
				 build_v4(f + 4, NO_BYTES, NO_BYTES, "x", 1) :
				 build_v6(f + 4, 6, NO_BYTES, NO_BYTES, "x", 1,
					  NULL, NULL));
			decode(WIRE_LINK_NULL, f, n, &pkt);
			expect_clean(&pkt);
			assert_int_equal(pkt.l2.af, afs[i]);
			assert_int_equal(pkt.l2.hdr_len, 4);
			assert_int_equal(pkt.ip.version, version);
			assert_true(pkt.has_tcp);
			assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
			release(state);
		}
	}
}

static void test_decode_null_unknown_af_has_no_ip(void **state)
{
	uint8_t f[64] = { 7, 0, 0, 0 };
	struct wire_pkt pkt;

	decode(WIRE_LINK_NULL, f, sizeof(f), &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.af, 7);
	assert_false(pkt.has_ip);

	decode(WIRE_LINK_NULL, f, 3, &pkt);
	expect_problem(&pkt, FND_PKT_TRUNCATED_LINK, 3, 4, 0);
}

/* DLT_LOOP: network order only; host order on a little-endian writer is
 * a different (unknown) AF. */
static void test_decode_loop_network_order(void **state)
{
	uint8_t f[128];
	size_t n;
	struct wire_pkt pkt;

	be32(f, 2);
	n = 4 + build_v4(f + 4, NO_BYTES, NO_BYTES, "x", 1);
	decode(WIRE_LINK_LOOP, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.l2.af, 2);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	be32(f, 30);
	n = 4 + build_v6(f + 4, 6, NO_BYTES, NO_BYTES, "x", 1, NULL, NULL);
	decode(WIRE_LINK_LOOP, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.version, 6);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	f[0] = 2;
	f[1] = f[2] = f[3] = 0;
	decode(WIRE_LINK_LOOP, f, n, &pkt);
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

/* ---- IPv4 -------------------------------------------------------------- */

static void test_decode_ipv4_options_walked(void **state)
{
	/* NOP, Record Route (len 7, ptr 4, one slot), EOL, padding. */
	uint8_t f[128];
	size_t n = build_v4(f, BYTES(1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0),
			    NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.hdr_len, 32);
	assert_int_equal(pkt.ip.opt_len, 12);
	assert_non_null(pkt.ip.opts);
	assert_int_equal(pkt.ip.opts[1], 7);
	assert_true(pkt.ip.ip_csum_ok);
	expect_std_tcp(&pkt, 0, 5);
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
		size_t n = build_v4(f, cases[i].opts, 4, NO_BYTES, "x", 1);

		decode(WIRE_LINK_IPV4, f, n, &pkt);
		expect_only(&pkt, 1, FND_IP_BAD_OPTION);
		expect_problem(&pkt, FND_IP_BAD_OPTION, 7, cases[i].len,
			       cases[i].off);
		/* The header itself is sound: TCP still decodes. */
		assert_true(pkt.has_tcp);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
		release(state);
	}
}

static void test_decode_ipv4_header_checksum_bad(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "x", 1);
	uint16_t good = rd16(f + 10);
	struct wire_pkt pkt;

	be16(f + 10, (uint16_t)(good ^ 0x0100));
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_CHECKSUM_BAD);
	expect_problem(&pkt, FND_IP_CHECKSUM_BAD, good ^ 0x0100, good, 0);
	assert_false(pkt.ip.ip_csum_ok);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv4_first_fragment_tcp_unverified(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	be16(f + 6, 0x2000); /* MF, offset 0 */
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 2, FND_IP_FRAGMENT, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_IP_FRAGMENT, 0x1234, 0, 1);
	expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 25, 25, 1);
	assert_true(pkt.ip.is_fragment);
	assert_true(pkt.ip.mf);
	assert_false(pkt.ip.df);
	expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_ipv4_later_fragment_has_no_tcp(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	be16(f + 6, 185); /* offset 1480, last fragment */
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_FRAGMENT);
	expect_problem(&pkt, FND_IP_FRAGMENT, 0x1234, 1480, 0);
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
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, NULL, 0);
	struct wire_pkt pkt;

	f[0] = 0x44;
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_BAD_IHL);
	expect_problem(&pkt, FND_IP_BAD_IHL, 4, 16, 40);
	assert_false(pkt.has_ip);
	/* The fixed header is still filled in for reports. */
	assert_memory_equal(pkt.ip.src, SRC4, 4);

	f[0] = 0x4F; /* 60 bytes of header in a 40-byte packet */
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_problem(&pkt, FND_IP_BAD_IHL, 15, 60, 40);
	assert_false(pkt.has_ip);
}

static void test_decode_ipv4_total_length_below_header(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "x", 1);
	struct wire_pkt pkt;

	be16(f + 2, 16);
	fix_v4_hdr(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_BAD_TOTAL_LENGTH);
	expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 16, 20, n);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

/* Total length past the frame's wire length: malformed, and the segment
 * is incomplete, so the TCP checksum cannot be verified. */
static void test_decode_ipv4_total_length_past_frame(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	be16(f + 2, (uint16_t)(n + 10));
	fix_v4_hdr(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, n + 10, 20, n);
	expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 25, 35, 0);
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
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	be16(f + 2, 0);
	fix_v4_hdr(f);
	/* What Linux leaves for the NIC: the folded pseudo-header sum. */
	be16(f + 20 + 16, csum_fold(csum_pseudo_v4(SRC4, DST4, 6, 25)));
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_PARTIAL);
	expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 0, 20, n);
	assert_int_equal(pkt.ip.l4_len, 25);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.payload_len, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_PARTIAL);
}

/* Snaplen cut: total length within the wire length is no IP problem. */
static void test_decode_snaplen_cut_payload_unverified(void **state)
{
	uint8_t f[256], data[100];
	size_t n = put_eth(f, WIRE_ETHERTYPE_IPV4);
	struct wire_pkt pkt;

	memset(data, 'd', sizeof(data));
	n += build_v4(f + n, NO_BYTES, NO_BYTES, data, sizeof(data));
	decode_cw(state, WIRE_LINK_ETHERNET, f, 14 + 20 + 20 + 50,
		  (uint32_t)n, &pkt);
	expect_only(&pkt, 1, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 70, 120, 0);
	assert_int_equal(finding_info(FND_TCP_CHECKSUM_UNVERIFIED)->level,
			 FINDING_ANALYSIS);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.payload_len, 100);
	assert_int_equal(pkt.tcp.payload_caplen, 50);
	assert_int_equal(pkt.ip.l4_len, 120);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_ipv4_truncated_header(void **state)
{
	uint8_t f[128];
	struct wire_pkt pkt;
	uint8_t opts[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };

	eth_v4_hello(f);
	decode_cw(state, WIRE_LINK_ETHERNET, f, 14 + 12, 14 + 45, &pkt);
	expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
	expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 12, 20, 0);
	assert_false(pkt.has_ip);

	/* Options cut by the snaplen. */
	size_t n = build_v4(f, opts, sizeof(opts), NO_BYTES, NULL, 0);
	decode_cw(state, WIRE_LINK_IPV4, f, 24, (uint32_t)n, &pkt);
	expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 24, 28, 0);
	assert_false(pkt.has_ip);
}

static void test_decode_ipv4_non_tcp_protocol(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "x", 1);
	struct wire_pkt pkt;

	f[9] = 17;
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_clean(&pkt);
	assert_true(pkt.has_ip);
	assert_int_equal(pkt.ip.proto, 17);
	assert_false(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

/* ---- IPv6 extension headers ------------------------------------------- */

static const uint8_t FINAL6[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0x99, [15] = 0x99 };
static const uint8_t HOME6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 0x42 };

static void test_decode_ipv6_hbh_dstopts_fragment_chain(void **state)
{
	const uint8_t ext[] = {
		60, 0, 1, 4, 0, 0, 0, 0,                   /* hop-by-hop, PadN */
		44, 0, 1, 4, 0, 0, 0, 0,                   /* destination options */
		6, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef,  /* fragment: off 0, M */
	};
	uint8_t f[160];
	size_t n = build_v6(f, 0, ext, sizeof(ext), NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 2, FND_IP_FRAGMENT, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_IP_FRAGMENT, 0xdeadbeef, 0, 1);
	expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 25, 25, 1);
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
	expect_std_tcp(&pkt, 0, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_ipv6_later_fragment_has_no_tcp(void **state)
{
	uint8_t f[160];
	size_t n = build_v6(f, 44, BYTES(6, 0, 0x05, 0xc8, 0, 0, 0, 9),
			    NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_FRAGMENT);
	expect_problem(&pkt, FND_IP_FRAGMENT, 9, 1480, 0);
	assert_int_equal(pkt.ip.frag_offset, 1480);
	assert_false(pkt.ip.mf);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static void test_decode_ipv6_atomic_fragment_is_whole_packet(void **state)
{
	uint8_t f[160];
	size_t n = build_v6(f, 44, BYTES(6, 0, 0, 0, 0, 0, 0, 9), NO_BYTES,
			    "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
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

	memcpy(ext + 8, HOME6, 16);    /* an intermediate hop */
	memcpy(ext + 24, FINAL6, 16);  /* last address: final destination */
	n = build_v6(f, 43, ext, sizeof(ext), NO_BYTES, "hello", 5, NULL, FINAL6);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.ext[0], 43);
	assert_memory_equal(pkt.ip.dst, DST6, 16);
	assert_memory_equal(pkt.ip.csum_dst, FINAL6, 16);
	assert_memory_equal(pkt.ip.csum_src, SRC6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	/* The same packet summed over the header's destination is wrong. */
	n = build_v6(f, 43, ext, sizeof(ext), NO_BYTES, "hello", 5, NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_TCP_CHECKSUM_BAD);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_BAD);
}

static void test_decode_ipv6_routing_type2_checksum_uses_home_address(void **state)
{
	uint8_t ext[24] = { 6, 2, 2, 1 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, FINAL6, 16);
	n = build_v6(f, 43, ext, sizeof(ext), NO_BYTES, "x", 1, NULL, FINAL6);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, FINAL6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	ext[1] = 4; /* type 2 carries exactly one address */
	uint8_t big[40] = { 0 };
	memcpy(big, ext, sizeof(ext));
	n = build_v6(f, 43, big, sizeof(big), NO_BYTES, "x", 1, NULL, FINAL6);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 43, 40, 80);
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
	memcpy(ext + 24, DST6, 16);
	n = build_v6(f, 43, ext, sizeof(ext), NO_BYTES, "seg", 3, NULL, FINAL6);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, FINAL6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv6_routing_segments_left_zero_keeps_destination(void **state)
{
	uint8_t ext[40] = { 6, 4, 0, 0 };
	uint8_t f[160];
	size_t n;
	struct wire_pkt pkt;

	memcpy(ext + 8, HOME6, 16);
	memcpy(ext + 24, FINAL6, 16);
	n = build_v6(f, 43, ext, sizeof(ext), NO_BYTES, "x", 1, NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, DST6, 16);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	ext[2] = 3; /* RPL (RFC 6554), SL 1: final destination unknown here */
	ext[3] = 1;
	n = build_v6(f, 43, ext, sizeof(ext), NO_BYTES, "x", 1, NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_memory_equal(pkt.ip.csum_dst, DST6, 16);
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

	memcpy(ext + 8, HOME6, 16);
	n = build_v6(f, 60, ext, sizeof(ext), NO_BYTES, "x", 1, HOME6, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_memory_equal(pkt.ip.src, SRC6, 16);
	assert_memory_equal(pkt.ip.csum_src, HOME6, 16);
	assert_int_equal(pkt.ip.ext[0], 60);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	/* A Home Address option must be 16 bytes. */
	memset(ext, 0, sizeof(ext));
	ext[0] = 6;
	ext[1] = 2;
	ext[2] = 1;
	ext[4] = 0xC9;
	ext[5] = 18;
	n = build_v6(f, 60, ext, sizeof(ext), NO_BYTES, "x", 1, NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 60, 44, 64);
}

static void test_decode_ipv6_ah_skipped_by_its_length(void **state)
{
	/* RFC 4302 2.2: length in 32-bit words minus 2; 24 bytes -> 4. */
	uint8_t ext[24] = { 6, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };
	uint8_t f[160];
	size_t n = build_v6(f, 51, ext, sizeof(ext), NO_BYTES, "x", 1, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.n_ext, 1);
	assert_int_equal(pkt.ip.ext[0], 51);
	assert_int_equal(pkt.ip.hdr_len, 64);
	expect_std_tcp(&pkt, 0, 1);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_ipv6_no_next_header_stops(void **state)
{
	uint8_t f[160];
	size_t n = build_v6(f, 60, BYTES(59, 0, 1, 4, 0, 0, 0, 0), NO_BYTES,
			    NULL, 0, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
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

	n = build_v6(f, 60, ext, dstopts_chain(ext, WIRE_MAX_IP6_EXT), NO_BYTES,
		     "x", 1, NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.n_ext, WIRE_MAX_IP6_EXT);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	n = build_v6(f, 60, ext, dstopts_chain(ext, WIRE_MAX_IP6_EXT + 1),
		     NO_BYTES, "x", 1, NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP6_TOO_MANY_EXT);
	expect_problem(&pkt, FND_IP6_TOO_MANY_EXT, WIRE_MAX_IP6_EXT, 60,
		       40 + 8 * WIRE_MAX_IP6_EXT);
	assert_true(pkt.has_ip);
	assert_false(pkt.has_tcp);
}

static void test_decode_ipv6_ext_header_past_packet(void **state)
{
	uint8_t f[160];
	size_t n = build_v6(f, 0, BYTES(6, 10, 1, 4, 0, 0, 0, 0), NO_BYTES,
			    NULL, 0, NULL, NULL);
	struct wire_pkt pkt;

	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 0, 40, 68);
	assert_false(pkt.has_tcp);

	/* An option running past the end of its header. */
	n = build_v6(f, 0, BYTES(6, 0, 1, 9, 0, 0, 0, 0), NO_BYTES, NULL, 0,
		     NULL, NULL);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP6_BAD_EXT_HEADER);
	expect_problem(&pkt, FND_IP6_BAD_EXT_HEADER, 0, 42, 48);

	/* Cut by the snaplen instead: a capture problem, not a malformation. */
	n = build_v6(f, 0, BYTES(6, 0, 1, 4, 0, 0, 0, 0), NO_BYTES, NULL, 0,
		     NULL, NULL);
	decode_cw(state, WIRE_LINK_IPV6, f, 44, (uint32_t)n, &pkt);
	expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
	expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 44, 48, 0);
}

static void test_decode_ipv6_payload_length_past_frame(void **state)
{
	uint8_t f[160];
	size_t n = build_v6(f, 6, NO_BYTES, NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	be16(f + 4, 35);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 75, 40, 65);
	assert_int_equal(pkt.tcp.payload_len, 15);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);

	decode(WIRE_LINK_IPV6, f, 30, &pkt);
	expect_only(&pkt, 1, FND_PKT_TRUNCATED_IP);
	expect_problem(&pkt, FND_PKT_TRUNCATED_IP, 30, 40, 0);
	assert_false(pkt.has_ip);
}

/* Payload length 0 without a jumbo option: GSO super-packet captured on
 * the sender; the frame length stands in. */
static void test_decode_ipv6_payload_length_zero_taken_as_gso(void **state)
{
	uint8_t f[160];
	size_t n = build_v6(f, 6, NO_BYTES, NO_BYTES, "hello", 5, NULL, NULL);
	struct wire_pkt pkt;

	be16(f + 4, 0);
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 1, FND_IP_BAD_TOTAL_LENGTH);
	expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, 40, 40, n);
	expect_std_tcp(&pkt, 0, 5);
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
	build_v6(f, 0, BYTES(6, 0, 0xC2, 4, 0, 0, 0, 0), NO_BYTES, NULL, 0,
		 NULL, NULL);
	be16(f + 4, 0);
	be32(f + 44, (uint32_t)(n - 40));
	put_tcp(f + 48, NULL, 0, data, dlen);
	tcp_csum_set(f + 48, 20 + dlen,
		     csum_pseudo_v6(SRC6, DST6, 6, (uint32_t)(20 + dlen)));
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.ip.l4_len, 20 + dlen);
	expect_std_tcp(&pkt, 0, dlen);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
	release(state);

	/* A jumbo length past the frame: reported, and the TCP checksum
	 * cannot be verified. */
	be32(f + 44, (uint32_t)(n - 40 + 10));
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_only(&pkt, 2, FND_IP_BAD_TOTAL_LENGTH, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_IP_BAD_TOTAL_LENGTH, n + 10, 40, n);
	assert_int_equal(pkt.tcp.payload_len, dlen + 10);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
	free(data);
	free(f);
}

/* ---- TCP header and options -------------------------------------------- */

/* IPv4 + TCP with the given options, decoded over the IPV4 link. */
static void decode_opts(void **state, const uint8_t *opts, size_t len,
			struct wire_pkt *pkt)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, opts, len, "data", 4);

	decode(WIRE_LINK_IPV4, f, n, pkt);
	expect_std_tcp(pkt, len, 4);
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
	expect_clean(&pkt);
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
		be32(opts + 4 + k * 8, 1000u * (k + 1));
		be32(opts + 8 + k * 8, 1000u * (k + 1) + 500);
	}
	/* opts[36] = EOL: the rest is padding. */
	decode_opts(state, opts, sizeof(opts), &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.tcp.n_sack, 4);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(pkt.tcp.sack[k].left, 1000u * (k + 1));
		assert_int_equal(pkt.tcp.sack[k].right, 1000u * (k + 1) + 500);
	}
	assert_true(pkt.tcp.has_eol);
	assert_int_equal(pkt.tcp.n_opts, 4);
	expect_opt(&pkt, 2, 5, 34, opts + 4);
	expect_opt(&pkt, 3, 0, 1, NULL);

	decode_opts(state, BYTES(1, 1, 5, 10, 0, 0, 0, 7, 0, 0, 0, 9), &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.tcp.n_sack, 1);
	assert_int_equal(pkt.tcp.sack[0].left, 7);
	assert_int_equal(pkt.tcp.sack[0].right, 9);
}

static void test_decode_tcp_option_fastopen(void **state)
{
	static const uint8_t cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct wire_pkt pkt;

	decode_opts(state, BYTES(34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1), &pkt);
	expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_false(pkt.tcp.fo_exp);
	assert_int_equal(pkt.tcp.fo_cookie_len, 8);
	assert_memory_equal(pkt.tcp.fo_cookie, cookie, 8);
	expect_opt(&pkt, 0, 34, 10, cookie);

	/* Cookie request: no cookie. */
	decode_opts(state, BYTES(34, 2, 1, 1), &pkt);
	expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_int_equal(pkt.tcp.fo_cookie_len, 0);
	expect_opt(&pkt, 0, 34, 2, NULL);

	/* Experimental kind 254 with the Fast Open ExID (RFC 6994). */
	decode_opts(state, BYTES(254, 12, 0xF9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8), &pkt);
	expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_true(pkt.tcp.fo_exp);
	assert_int_equal(pkt.tcp.fo_cookie_len, 8);
	assert_memory_equal(pkt.tcp.fo_cookie, cookie, 8);

	decode_opts(state, BYTES(254, 4, 0xF9, 0x89), &pkt);
	expect_clean(&pkt);
	assert_true(pkt.tcp.has_fastopen);
	assert_true(pkt.tcp.fo_exp);
	assert_int_equal(pkt.tcp.fo_cookie_len, 0);
}

static void test_decode_tcp_unknown_options_kept_raw(void **state)
{
	struct wire_pkt pkt;
	static const uint8_t mptcp[10] = { 0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t other_exp[4] = { 0x12, 0x34, 0xAB, 0xCD };

	decode_opts(state, BYTES(30, 12, 0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8,
				 254, 6, 0x12, 0x34, 0xAB, 0xCD, 1, 1), &pkt);
	expect_clean(&pkt);
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

	decode_opts(state, BYTES(2, 4, 0x05, 0xb4, 0, 0xff, 0xff, 0xff), &pkt);
	expect_clean(&pkt);
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
		expect_only(&pkt, 1, FND_TCP_OPT_WRONG_LENGTH);
		expect_problem(&pkt, FND_TCP_OPT_WRONG_LENGTH, cases[i].kind,
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
		release(state);
	}
	/* Parsing goes on after a wrong length: the MSS that follows counts. */
	decode_opts(state, BYTES(3, 4, 7, 0, 2, 4, 0x05, 0xb4), &pkt);
	expect_only(&pkt, 1, FND_TCP_OPT_WRONG_LENGTH);
	assert_true(pkt.tcp.has_mss);
	assert_int_equal(pkt.tcp.mss, 1460);
}

static void test_decode_tcp_option_length_zero(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, BYTES(1, 2, 0, 0, 2, 4, 0x05, 0xb4), &pkt);
	expect_only(&pkt, 1, FND_TCP_OPT_BAD_LENGTH);
	expect_problem(&pkt, FND_TCP_OPT_BAD_LENGTH, 2, 0, 21);
	assert_int_equal(pkt.tcp.n_opts, 1); /* the NOP; parsing stopped */
	assert_false(pkt.tcp.has_mss);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

static void test_decode_tcp_option_length_one(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, BYTES(3, 1, 7, 0), &pkt);
	expect_only(&pkt, 1, FND_TCP_OPT_BAD_LENGTH);
	expect_problem(&pkt, FND_TCP_OPT_BAD_LENGTH, 3, 1, 20);
	assert_int_equal(pkt.tcp.n_opts, 0);
	assert_false(pkt.tcp.has_ws);
}

static void test_decode_tcp_option_past_header(void **state)
{
	struct wire_pkt pkt;

	decode_opts(state, BYTES(1, 1, 2, 4), &pkt);
	expect_only(&pkt, 1, FND_TCP_OPT_PAST_HEADER);
	expect_problem(&pkt, FND_TCP_OPT_PAST_HEADER, 2, 4, 22);
	assert_int_equal(pkt.tcp.n_opts, 2);
	assert_false(pkt.tcp.has_mss);

	/* The length byte itself would lie past the data offset. */
	decode_opts(state, BYTES(1, 1, 1, 2), &pkt);
	expect_only(&pkt, 1, FND_TCP_OPT_PAST_HEADER);
	expect_problem(&pkt, FND_TCP_OPT_PAST_HEADER, 2, 0, 23);
	assert_int_equal(pkt.tcp.n_opts, 3);
}

/* Options cut by the snaplen inside the data offset: what was captured is
 * decoded, the cut option is neither recorded nor a protocol problem, and
 * the checksum is UNVERIFIED. */
static void test_decode_tcp_options_cut_by_snaplen(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES,
			    BYTES(2, 4, 0x05, 0xb4, 1, 3, 3, 7, 8, 10, 0, 0,
				  0, 1, 0, 0, 0, 2, 1, 1), "data", 4);
	struct wire_pkt pkt;

	decode_cw(state, WIRE_LINK_IPV4, f, 20 + 29, (uint32_t)n, &pkt);
	expect_only(&pkt, 1, FND_TCP_CHECKSUM_UNVERIFIED);
	expect_problem(&pkt, FND_TCP_CHECKSUM_UNVERIFIED, 29, 44, 0);
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
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "data", 4);
	struct wire_pkt pkt;

	f[20 + 12] = 0x40;
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_TCP_BAD_DATA_OFFSET);
	expect_problem(&pkt, FND_TCP_BAD_DATA_OFFSET, 4, 16, 0);
	assert_false(pkt.has_tcp);
	assert_true(pkt.has_ip);
	assert_int_equal(pkt.tcp.doff, 4);
	assert_int_equal(pkt.tcp.sport, SPORT); /* fixed fields still read */
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_UNVERIFIED);
}

static void test_decode_tcp_data_offset_past_end(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, NULL, 0);
	struct wire_pkt pkt;

	f[20 + 12] = 0xF0;
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_TCP_DATA_OFFSET_PAST_END);
	expect_problem(&pkt, FND_TCP_DATA_OFFSET_PAST_END, 15, 60, 20);
	assert_false(pkt.has_tcp);

	n = build_v4(f, NO_BYTES, NO_BYTES, "ab", 2);
	f[20 + 12] = 0x60;
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_problem(&pkt, FND_TCP_DATA_OFFSET_PAST_END, 6, 24, 22);
	assert_false(pkt.has_tcp);
}

/* Only the upper three bits of the nibble are reserved; bit 0 is AE. */
static void test_decode_tcp_reserved_bits_but_not_ae(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "data", 4);
	struct wire_pkt pkt;

	f[20 + 12] |= 0x0F;
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_TCP_RESERVED_BITS);
	expect_problem(&pkt, FND_TCP_RESERVED_BITS, 0x0E, 0, 0);
	assert_int_equal(pkt.tcp.reserved, 0x0F);
	assert_true(pkt.has_tcp);
	assert_int_equal(pkt.tcp.doff, 5);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);

	f[20 + 12] = 0x51; /* AE only */
	fix_v4(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.tcp.reserved, 0x01);
}

static void test_decode_tcp_truncated(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	struct wire_pkt pkt;

	decode_cw(state, WIRE_LINK_IPV4, f, 30, (uint32_t)n, &pkt);
	expect_only(&pkt, 1, FND_TCP_TRUNCATED);
	expect_problem(&pkt, FND_TCP_TRUNCATED, 10, 25, 0);
	assert_false(pkt.has_tcp);
	assert_true(pkt.has_ip);

	/* The IP length leaves only 12 bytes for TCP. */
	be16(f + 2, 32);
	fix_v4_hdr(f);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_TCP_TRUNCATED);
	expect_problem(&pkt, FND_TCP_TRUNCATED, 12, 12, 0);
}

/* ---- checksum verdicts -------------------------------------------------- */

static void test_decode_tcp_checksum_bad(void **state)
{
	uint8_t f[128];
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
	uint16_t sent = rd16(f + 36), expected;
	struct wire_pkt pkt;

	f[40] = 'j'; /* payload corrupted after the checksum was computed */
	fix_v4(f);
	expected = rd16(f + 36);
	be16(f + 36, sent);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_only(&pkt, 1, FND_TCP_CHECKSUM_BAD);
	expect_problem(&pkt, FND_TCP_CHECKSUM_BAD, sent, expected, 0);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_BAD);
	assert_true(pkt.has_tcp);

	n = build_v6(f, 6, NO_BYTES, NO_BYTES, "hello", 5, NULL, NULL);
	expected = rd16(f + 56);
	be16(f + 56, (uint16_t)(expected ^ 0x0100));
	decode(WIRE_LINK_IPV6, f, n, &pkt);
	expect_problem(&pkt, FND_TCP_CHECKSUM_BAD, expected ^ 0x0100, expected, 0);
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
		n = build_v4(f, NO_BYTES, NO_BYTES, "hello", 5);
		good = rd16(f + 36);
		ph = csum_fold(csum_pseudo_v4(SRC4, DST4, 6, 25));
		be16(f + 36, inv ? (uint16_t)~ph : ph);
		decode(WIRE_LINK_IPV4, f, n, &pkt);
		expect_only(&pkt, 1, FND_TCP_CHECKSUM_PARTIAL);
		expect_problem(&pkt, FND_TCP_CHECKSUM_PARTIAL, rd16(f + 36), good, 0);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_PARTIAL);

		n = build_v6(f, 6, NO_BYTES, NO_BYTES, "hello", 5, NULL, NULL);
		good = rd16(f + 56);
		ph = csum_fold(csum_pseudo_v6(SRC6, DST6, 6, 25));
		be16(f + 56, inv ? (uint16_t)~ph : ph);
		decode(WIRE_LINK_IPV6, f, n, &pkt);
		expect_only(&pkt, 1, FND_TCP_CHECKSUM_PARTIAL);
		expect_problem(&pkt, FND_TCP_CHECKSUM_PARTIAL, rd16(f + 56), good, 0);
		assert_int_equal(pkt.tcp_csum, WIRE_CSUM_PARTIAL);
		release(state);
	}
}

/* One's complement has two zeros: a segment whose checksum computes to
 * 0x0000 verifies with 0xFFFF in the field too. */
static void test_decode_tcp_checksum_ffff_equals_zero(void **state)
{
	uint8_t f[128];
	uint8_t data[2] = { 0, 0 };
	size_t n = build_v4(f, NO_BYTES, NO_BYTES, data, 2);
	uint16_t c = rd16(f + 36);
	struct wire_pkt pkt;

	be16(f + 40, c); /* adding c to the sum makes it fold to 0xFFFF */
	fix_v4(f);
	assert_int_equal(rd16(f + 36), 0x0000);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_clean(&pkt);
	be16(f + 36, 0xFFFF);
	decode(WIRE_LINK_IPV4, f, n, &pkt);
	expect_clean(&pkt);
	assert_int_equal(pkt.tcp_csum, WIRE_CSUM_OK);
}

/* ---- robustness --------------------------------------------------------- */

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
		n = put_eth(f, WIRE_ETHERTYPE_IPV4);
		return n + build_v4(f + n, BYTES(1, 7, 7, 4, 0, 0, 0, 0),
				    BYTES(2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1,
					  8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1,
					  5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 34, 2),
				    "payload", 7);
	case 1:
		return vlan_frame(f, qinq, 2);
	case 2:
		n = put_eth(f, WIRE_ETHERTYPE_IPV6);
		return n + build_v6(f + n, 0, chain, sizeof(chain),
				    BYTES(2, 4, 5, 0xa0, 254, 4, 0xF9, 0x89),
				    "v6", 2, HOME6, NULL);
	default:
		be32(f, 2);
		return 4 + build_v4(f + 4, NO_BYTES, BYTES(19, 18, [19] = 1),
				    NULL, 0);
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
			decode_cw(state, sample_link(which), f, (uint32_t)cap,
				  (uint32_t)n, &pkt);
			if (cap == n)
				assert_true(pkt.has_tcp);
			release(state);
			decode_cw(state, sample_link(which), f, (uint32_t)cap,
				  (uint32_t)cap, &pkt);
			release(state);
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
		decode_cw(state, sample_link(which), f, cap, (uint32_t)n, &pkt);
		decoded_tcp += pkt.has_tcp;
		release(state);
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

static void test_addr_str_ipv4(void **state)
{
	char buf[46];

	(void)state;
	wire_addr_str(4, SRC4, buf);
	assert_string_equal(buf, "192.0.2.2");
	wire_addr_str(4, (const uint8_t[]){ 255, 255, 255, 255 }, buf);
	assert_string_equal(buf, "255.255.255.255");
	wire_addr_str(5, SRC4, buf);
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
			be16(a + 2 * k, cases[i].w[k]);
		wire_addr_str(6, a, buf);
		assert_string_equal(buf, cases[i].text);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
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
		T(test_decode_ipv4_options_walked),
		T(test_decode_ipv4_option_bad_length),
		T(test_decode_ipv4_header_checksum_bad),
		T(test_decode_ipv4_first_fragment_tcp_unverified),
		T(test_decode_ipv4_later_fragment_has_no_tcp),
		T(test_decode_ipv4_bad_ihl),
		T(test_decode_ipv4_total_length_below_header),
		T(test_decode_ipv4_total_length_past_frame),
		T(test_decode_ipv4_total_length_zero_taken_as_tso),
		T(test_decode_snaplen_cut_payload_unverified),
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
		T(test_decode_every_truncation_stays_in_bounds),
		T(test_decode_corrupted_frames_stay_in_bounds),
		T(test_flags_str_syn_first),
		T(test_addr_str_ipv4),
		T(test_addr_str_ipv6_rfc5952),
	};
#undef T

	return cmocka_run_group_tests_name("wire_decode", tests, NULL, NULL);
}
