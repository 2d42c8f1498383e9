/* pktbuild: see pktbuild.h. Byte helpers, packet builders with valid
 * checksums, and the decoder tests' exact-size decoding and checks. */
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
#include "pktbuild.h"

const uint8_t PB_SRC4[4] = { 192, 0, 2, 2 };
const uint8_t PB_DST4[4] = { 192, 0, 2, 1 };
const uint8_t PB_SRC6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
const uint8_t PB_DST6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const uint8_t PB_HOME6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 0x42 };
const uint8_t PB_MAC_DST[6] = { 0x02, 0, 0, 0, 0, 1 };
const uint8_t PB_MAC_SRC[6] = { 0x02, 0, 0, 0, 0, 2 };

/* ---- byte helpers and packet builders ---------------------------------- */

void pb_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void pb_be32(uint8_t *p, uint32_t v)
{
	pb_be16(p, (uint16_t)(v >> 16));
	pb_be16(p + 2, (uint16_t)v);
}

uint16_t pb_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t pb_rd32(const uint8_t *p)
{
	return (uint32_t)pb_rd16(p) << 16 | pb_rd16(p + 2);
}

/* TCP header (ACK|PSH, window 65535) + options (a multiple of 4) + data. */
size_t pb_put_tcp(uint8_t *p, const uint8_t *opts, size_t opt_len,
		  const void *data, size_t dlen)
{
	assert_true(opt_len % 4 == 0 && opt_len <= 40);
	memset(p, 0, 20);
	pb_be16(p, PB_SPORT);
	pb_be16(p + 2, PB_DPORT);
	pb_be32(p + 4, PB_SEQ);
	pb_be32(p + 8, PB_ACK);
	p[12] = (uint8_t)(((20 + opt_len) / 4) << 4);
	p[13] = WIRE_TH_ACK | WIRE_TH_PSH;
	pb_be16(p + 14, 65535);
	if (opt_len)
		memcpy(p + 20, opts, opt_len);
	if (dlen)
		memcpy(p + 20 + opt_len, data, dlen);
	return 20 + opt_len + dlen;
}

void pb_tcp_csum_set(uint8_t *tcp, size_t len, uint64_t pseudo)
{
	pb_be16(tcp + 16, 0);
	pb_be16(tcp + 16, csum_finish(csum_partial(tcp, len, pseudo)));
}

/* Recomputes the IPv4 header checksum. */
void pb_fix_v4_hdr(uint8_t *ip)
{
	pb_be16(ip + 10, 0);
	pb_be16(ip + 10, csum_finish(csum_partial(ip, (ip[0] & 0x0F) * 4u, 0)));
}

/* Recomputes the IPv4 header checksum and the TCP checksum from the
 * header's own IHL and total length. */
void pb_fix_v4(uint8_t *ip)
{
	size_t hlen = (ip[0] & 0x0F) * 4u, tl = pb_rd16(ip + 2);

	assert_true(tl >= hlen + 20);
	pb_fix_v4_hdr(ip);
	pb_tcp_csum_set(ip + hlen, tl - hlen,
			csum_pseudo_v4(ip + 12, ip + 16, 6, (uint32_t)(tl - hlen)));
}

/* IPv4 (DF, TTL 64, id 0x1234) with options + TCP; returns total length. */
size_t pb_build_v4(uint8_t *p, const uint8_t *ipopts, size_t ipopt_len,
		   const uint8_t *opts, size_t opt_len, const void *data,
		   size_t dlen)
{
	size_t hlen = 20 + ipopt_len, l4;

	assert_true(ipopt_len % 4 == 0 && ipopt_len <= 40);
	l4 = pb_put_tcp(p + hlen, opts, opt_len, data, dlen);
	memset(p, 0, 20);
	p[0] = (uint8_t)(0x40 | hlen / 4);
	pb_be16(p + 2, (uint16_t)(hlen + l4));
	pb_be16(p + 4, 0x1234);
	pb_be16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = 6;
	memcpy(p + 12, PB_SRC4, 4);
	memcpy(p + 16, PB_DST4, 4);
	if (ipopt_len)
		memcpy(p + 20, ipopts, ipopt_len);
	pb_fix_v4(p);
	return hlen + l4;
}

/* IPv6 (flow label 0x12345, hop limit 64) + extension bytes + TCP. The
 * TCP checksum uses cs_src/cs_dst (NULL: the header's addresses). */
size_t pb_build_v6(uint8_t *p, uint8_t first_nh, const uint8_t *ext,
		   size_t ext_len, const uint8_t *opts, size_t opt_len,
		   const void *data, size_t dlen, const uint8_t *cs_src,
		   const uint8_t *cs_dst)
{
	size_t l4 = pb_put_tcp(p + 40 + ext_len, opts, opt_len, data, dlen);

	memset(p, 0, 40);
	pb_be32(p, 0x60012345);
	pb_be16(p + 4, (uint16_t)(ext_len + l4));
	p[6] = first_nh;
	p[7] = 64;
	memcpy(p + 8, PB_SRC6, 16);
	memcpy(p + 24, PB_DST6, 16);
	if (ext_len)
		memcpy(p + 40, ext, ext_len);
	pb_tcp_csum_set(p + 40 + ext_len, l4,
			csum_pseudo_v6(cs_src ? cs_src : PB_SRC6,
				       cs_dst ? cs_dst : PB_DST6, 6, (uint32_t)l4));
	return 40 + ext_len + l4;
}

size_t pb_put_eth(uint8_t *p, uint16_t type)
{
	memcpy(p, PB_MAC_DST, 6);
	memcpy(p + 6, PB_MAC_SRC, 6);
	pb_be16(p + 12, type);
	return 14;
}

/* Ethernet + IPv4 + TCP("hello"). */
size_t pb_eth_v4_hello(uint8_t *f)
{
	size_t n = pb_put_eth(f, WIRE_ETHERTYPE_IPV4);

	return n + pb_build_v4(f + n, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
}

size_t pb_vlan_frame(uint8_t *f, const uint16_t *tpid, int ntags)
{
	size_t n = pb_put_eth(f, ntags ? tpid[0] : WIRE_ETHERTYPE_IPV4);

	for (int i = 0; i < ntags; i++) {
		pb_be16(f + n, (uint16_t)(0x2000 | (100 + i))); /* PCP 1, VID */
		pb_be16(f + n + 2, i + 1 < ntags ? tpid[i + 1] : WIRE_ETHERTYPE_IPV4);
		n += 4;
	}
	return n + pb_build_v4(f + n, PB_NO_BYTES, PB_NO_BYTES, "hello", 5);
}

/* ---- decoding with exact-size buffers ---------------------------------- */

#define MAX_COPIES 16
struct copies {
	uint8_t *buf[MAX_COPIES];
	int n;
};

int pb_setup(void **state)
{
	*state = calloc(1, sizeof(struct copies));
	return *state ? 0 : -1;
}

int pb_teardown(void **state)
{
	struct copies *c = *state;

	for (int i = 0; i < c->n; i++)
		free(c->buf[i]);
	free(c);
	return 0;
}

/* Frees the earlier decode buffers (their packets must not be used). */
void pb_release(void **state)
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

void pb_decode_cw(void **state, enum wire_link link, const uint8_t *f,
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

/* ---- checks ------------------------------------------------------------- */

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

void pb_expect_clean(const struct wire_pkt *pkt)
{
	if (pkt->n_problems) {
		dump_problems(pkt);
		fail_msg("expected no problems, got %d", pkt->n_problems);
	}
}

void pb_expect_problem(const struct wire_pkt *pkt, enum finding_id id,
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
void pb_expect_only(const struct wire_pkt *pkt, int n, ...)
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

/* The TCP segment built by pb_put_tcp() decoded as such. */
void pb_expect_std_tcp(const struct wire_pkt *pkt, size_t opt_len,
		       size_t dlen)
{
	const struct wire_tcp *t = &pkt->tcp;

	assert_true(pkt->has_tcp);
	assert_int_equal(t->sport, PB_SPORT);
	assert_int_equal(t->dport, PB_DPORT);
	assert_int_equal(t->seq, PB_SEQ);
	assert_int_equal(t->ack, PB_ACK);
	assert_int_equal(t->doff, (20 + opt_len) / 4);
	assert_int_equal(t->flags, WIRE_TH_ACK | WIRE_TH_PSH);
	assert_int_equal(t->win, 65535);
	assert_int_equal(t->payload_len, dlen);
	assert_int_equal(t->payload_caplen, dlen);
	assert_int_equal(pkt->ip.l4_len, 20 + opt_len + dlen);
}
