/* wire_tcp: the TCP header (RFC 9293 3.1), every option we know, and
 * the checksum verdict over the right pseudo-header.
 *
 * A header we cannot trust (fewer than 20 bytes, data offset below 5 or
 * past the segment) leaves has_tcp false. Option problems stop the
 * option walk but keep the header: RFC 9293 3.2 (MUST-7) asks a receiver
 * to cope with a bad option length, and the analyzer still wants the
 * segment's sequence numbers. */
#include "wire_internal.h"

#include "csum.h"

#define TCP_MIN_HDR   20
#define TCP_MIN_DOFF  5
#define TCP_CSUM_OFF  16
/* The reserved nibble's low bit is AE (RFC 9768, formerly NS, RFC 3540);
 * only the other three are still reserved (RFC 9293 3.1). */
#define TCP_RESERVED_MASK 0x0E

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static void add_opt(struct wire_tcp *t, uint8_t kind, uint8_t len,
		    const uint8_t *data)
{
	/* 40 option bytes hold at most 40 entries (all NOP/EOL). */
	if (t->n_opts >= WIRE_MAX_TCP_OPTS)
		return;
	t->opts[t->n_opts].kind = kind;
	t->opts[t->n_opts].len = len;
	t->opts[t->n_opts].data = data;
	t->n_opts++;
}

/* RFC 7413 4.1.1: the cookie is 4 to 16 bytes, an even number of them;
 * no cookie at all is a cookie request. The experimental form (kind 254,
 * RFC 6994 ExID 0xF989) carries the same cookie after the ExID. */
static bool fastopen(struct wire_tcp *t, const uint8_t *b, uint32_t end,
		     uint32_t at, uint32_t clen, bool exp)
{
	if (clen && (clen < 4 || clen > sizeof(t->fo_cookie) || clen % 2))
		return false;
	t->has_fastopen = true;
	t->fo_exp = exp;
	t->fo_cookie_len = (uint8_t)clen;
	memset(t->fo_cookie, 0, sizeof(t->fo_cookie));
	get_bytes(t->fo_cookie, b, end, at, clen);
	return true;
}

/* Fills the typed field of a known option whose bytes [i, i + len) are
 * all captured (end bounds them). Returns false if the kind cannot have
 * this length; the typed field is then left alone. Unknown kinds and
 * other experiments are fine as they are (raw entry only). */
static bool typed_option(struct wire_tcp *t, const uint8_t *b, uint32_t end,
			 uint32_t i, uint8_t kind, uint8_t len)
{
	uint32_t d = i + 2, n, k;

	switch (kind) {
	case WIRE_TCPOPT_MSS: /* RFC 9293 3.2 */
		if (len != 4)
			return false;
		t->has_mss = true;
		t->mss = get_be16(b, end, d);
		return true;
	case WIRE_TCPOPT_WSCALE: /* RFC 7323 2.2; shift > 14 is the FSM's call */
		if (len != 3)
			return false;
		t->has_ws = true;
		t->ws = get_u8(b, end, d);
		return true;
	case WIRE_TCPOPT_SACK_OK: /* RFC 2018 2 */
		if (len != 2)
			return false;
		t->sack_ok = true;
		return true;
	case WIRE_TCPOPT_SACK: /* RFC 2018 3: 2 + 8n bytes */
		n = (len - 2u) / 8;
		if (len < 10 || (len - 2u) % 8 || n > WIRE_MAX_SACK)
			return false;
		t->n_sack = (uint8_t)n;
		for (k = 0; k < n; k++) {
			t->sack[k].left = get_be32(b, end, d + k * 8);
			t->sack[k].right = get_be32(b, end, d + k * 8 + 4);
		}
		return true;
	case WIRE_TCPOPT_TS: /* RFC 7323 3.2 */
		if (len != 10)
			return false;
		t->has_ts = true;
		t->tsval = get_be32(b, end, d);
		t->tsecr = get_be32(b, end, d + 4);
		return true;
	case WIRE_TCPOPT_MD5: /* RFC 2385 3.0 */
		if (len != 18)
			return false;
		t->has_md5 = true;
		get_bytes(t->md5, b, end, d, sizeof(t->md5));
		return true;
	case WIRE_TCPOPT_FASTOPEN:
		return fastopen(t, b, end, d, len - 2u, false);
	case WIRE_TCPOPT_EXP:
		if (len < 4 || get_be16(b, end, d) != WIRE_TFO_EXP_MAGIC)
			return true;
		return fastopen(t, b, end, d + 2, len - 4u, true);
	default:
		return true;
	}
}

/* Option list (RFC 9293 3.2): EOL and NOP are one byte, every other
 * option is kind, length (counting both), value. hlen is the header
 * length per the data offset, hcap how much of it was captured.
 *
 * Options cut by the snaplen but inside the data offset are not a
 * protocol problem: the walk stops quietly at the capture's end and the
 * checksum verdict (UNVERIFIED) tells the reader the capture is short.
 * An option whose length byte would lie past the data offset is reported
 * as running past the header with length 0. */
static void walk_options(struct wire_pkt *pkt, const uint8_t *b, uint32_t hlen,
			 uint32_t hcap)
{
	struct wire_tcp *t = &pkt->tcp;
	uint32_t i = TCP_MIN_HDR;

	while (i < hcap) {
		uint8_t kind = get_u8(b, hcap, i);
		uint8_t len;

		if (kind == WIRE_TCPOPT_EOL) {
			/* The rest of the header is padding. */
			add_opt(t, kind, 1, NULL);
			t->has_eol = true;
			return;
		}
		if (kind == WIRE_TCPOPT_NOP) {
			add_opt(t, kind, 1, NULL);
			i++;
			continue;
		}
		if (!has(hlen, i, 2)) {
			wire_problem(pkt, FND_TCP_OPT_PAST_HEADER, kind, 0, i);
			return;
		}
		if (!has(hcap, i, 2))
			return;
		len = get_u8(b, hcap, i + 1);
		if (len < 2) {
			wire_problem(pkt, FND_TCP_OPT_BAD_LENGTH, kind, len, i);
			return;
		}
		if (!has(hlen, i, len)) {
			wire_problem(pkt, FND_TCP_OPT_PAST_HEADER, kind, len, i);
			return;
		}
		if (!has(hcap, i, len))
			return;
		add_opt(t, kind, len, len > 2 ? b + i + 2 : NULL);
		if (!typed_option(t, b, hcap, i, kind, len))
			wire_problem(pkt, FND_TCP_OPT_WRONG_LENGTH, kind, len, i);
		i += len;
	}
}

/* RFC 9293 3.1 (MUST-2, MUST-3): the checksum covers the pseudo-header
 * (RFC 8200 8.1 for IPv6, with the final destination and the home
 * address), the header and the payload; a correct one sums to 0xFFFF.
 *
 * PARTIAL: with checksum offload (Linux CHECKSUM_PARTIAL) the sender's
 * capture sees the field before the NIC fills it in. tcp_v4_send_check()
 * and tcp_v6_send_check() store ~csum_tcpudp_magic(..., 0), which is the
 * folded pseudo-header sum, not complemented; other stacks store its
 * complement, so either is accepted. */
static void verify_csum(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
			uint32_t l4_len, bool can_verify)
{
	const struct wire_ip *ip = &pkt->ip;
	uint64_t pseudo, sum;
	uint16_t found = pkt->tcp.csum, expected, ph, ph_inv;

	if (!can_verify || cap < l4_len) {
		pkt->tcp_csum = WIRE_CSUM_UNVERIFIED;
		wire_problem(pkt, FND_TCP_CHECKSUM_UNVERIFIED, cap, l4_len,
			     !can_verify);
		return;
	}
	if (ip->version == 4)
		pseudo = csum_pseudo_v4(ip->csum_src, ip->csum_dst,
					WIRE_PROTO_TCP, l4_len);
	else
		pseudo = csum_pseudo_v6(ip->csum_src, ip->csum_dst,
					WIRE_PROTO_TCP, l4_len);
	if (csum_fold(csum_partial(b, l4_len, pseudo)) == 0xFFFF) {
		pkt->tcp_csum = WIRE_CSUM_OK;
		return;
	}
	sum = csum_partial(b, TCP_CSUM_OFF, pseudo);
	sum = csum_partial(b + TCP_CSUM_OFF + 2, l4_len - TCP_CSUM_OFF - 2, sum);
	expected = csum_finish(sum);
	ph = csum_fold(pseudo);
	ph_inv = (uint16_t)~ph;
	if (found == ph || found == ph_inv) {
		pkt->tcp_csum = WIRE_CSUM_PARTIAL;
		wire_problem(pkt, FND_TCP_CHECKSUM_PARTIAL, found, expected, 0);
	} else {
		pkt->tcp_csum = WIRE_CSUM_BAD;
		wire_problem(pkt, FND_TCP_CHECKSUM_BAD, found, expected, 0);
	}
}

void wire_decode_tcp(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		     uint32_t l4_len, bool can_verify)
{
	struct wire_tcp *t = &pkt->tcp;
	uint32_t hlen;

	cap = min_u32(cap, l4_len);
	if (!has(cap, 0, TCP_MIN_HDR)) {
		wire_problem(pkt, FND_TCP_TRUNCATED, cap, l4_len, 0);
		return;
	}
	t->sport = get_be16(b, cap, 0);
	t->dport = get_be16(b, cap, 2);
	t->seq = get_be32(b, cap, 4);
	t->ack = get_be32(b, cap, 8);
	t->doff = get_u8(b, cap, 12) >> 4;
	t->reserved = get_u8(b, cap, 12) & 0x0F;
	t->flags = get_u8(b, cap, 13);
	t->win = get_be16(b, cap, 14);
	t->csum = get_be16(b, cap, 16);
	t->urp = get_be16(b, cap, 18);

	hlen = t->doff * 4u;
	if (t->doff < TCP_MIN_DOFF) {
		wire_problem(pkt, FND_TCP_BAD_DATA_OFFSET, t->doff, hlen, 0);
		return;
	}
	if (hlen > l4_len) {
		wire_problem(pkt, FND_TCP_DATA_OFFSET_PAST_END, t->doff, hlen,
			     l4_len);
		return;
	}
	/* RFC 9293 3.1: reserved bits "must be zero in generated segments". */
	if (t->reserved & TCP_RESERVED_MASK)
		wire_problem(pkt, FND_TCP_RESERVED_BITS,
			     t->reserved & TCP_RESERVED_MASK, 0, 0);
	pkt->has_tcp = true;
	walk_options(pkt, b, hlen, min_u32(hlen, cap));

	t->payload_len = l4_len - hlen;
	if (cap > hlen) {
		t->payload = b + hlen;
		t->payload_caplen = cap - hlen;
	}
	verify_csum(pkt, b, cap, l4_len, can_verify);
}
