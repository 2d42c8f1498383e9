/* wire_emit: the inverse of wire_decode. Builds link header, IPv4/IPv6
 * header, TCP header with options, and payload into a caller buffer.
 *
 * By default lengths, data offset and checksums are computed; the
 * WIRE_EMIT_KEEP_* flags take them from the struct instead so a decoded
 * packet re-emits byte for byte, and so deliberate faults (a lying data
 * offset, a wrong checksum, a bad option length) can be injected.
 *
 * The whole frame length is computed before the first byte is written:
 * a too small buffer is left untouched (WIRE_ERR_NOSPACE). */
#include <string.h>

#include "csum.h"
#include "wire.h"

#define ETH_HDR_LEN   14
#define VLAN_TAG_LEN  4
#define SLL_HDR_LEN   16
#define SLL2_HDR_LEN  20
#define NULL_HDR_LEN  4
#define IP4_HDR_LEN   20
#define IP4_MAX_OPTS  40
#define IP6_HDR_LEN   40
#define TCP_HDR_LEN   20
#define TCP_MAX_OPTS  40
#define IP_MAX_LEN    0xFFFFu
#define PROTO_TCP     6

/* SLL/SLL2 carry an ARPHRD_ type that struct wire_link_hdr does not keep;
 * we write Ethernet with a 6-byte address, what a capture on an Ethernet
 * interface holds. */
#define ARPHRD_ETHER  1
#define SLL_HALEN     6

/* Address family values written when l2.af is 0. AF_INET6 differs per
 * OS; 24 is NetBSD/OpenBSD, first of the values pcap's LINKTYPE_NULL
 * page lists, and accepted by every reader that accepts any. */
#define AF_VALUE_INET  2
#define AF_VALUE_INET6 24

#define IP4_DF 0x4000
#define IP4_MF 0x2000

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Bytes one option entry occupies: EOL and NOP are single bytes
 * (RFC 9293 3.2); any other kind has kind and length bytes even when the
 * length byte is a fault (0 or 1), and otherwise exactly len bytes. */
static size_t opt_size(const struct wire_tcp_opt *o)
{
	if (o->kind == WIRE_TCPOPT_EOL || o->kind == WIRE_TCPOPT_NOP)
		return 1;
	return o->len < 2 ? 2 : o->len;
}

size_t wire_tcp_opts_len(const struct wire_tcp *tcp)
{
	size_t n = 0;
	unsigned i, count;

	if (!tcp)
		return 0;
	count = tcp->n_opts < WIRE_MAX_TCP_OPTS ? tcp->n_opts : WIRE_MAX_TCP_OPTS;
	for (i = 0; i < count; i++)
		n += opt_size(&tcp->opts[i]);
	return n;
}

/* An experimental option (RFC 6994) is Fast Open when it carries the
 * 0xF989 ExID (RFC 7413 4.1.1), or when it has no raw data to copy, which
 * is how a caller asks for the typed fo_* fields in the kind 254 form. */
static bool exp_is_fastopen(const struct wire_tcp_opt *o)
{
	if (!o->data)
		return true;
	return o->len >= 4 && o->data[0] == (WIRE_TFO_EXP_MAGIC >> 8) &&
	       o->data[1] == (WIRE_TFO_EXP_MAGIC & 0xFF);
}

/* Value bytes (after kind and length) of a known option, from the typed
 * fields; returns their count, the option's natural length minus 2, or
 * -1 when the kind has no typed form. val holds at least 38 bytes. */
static int opt_value(const struct wire_tcp *tcp, const struct wire_tcp_opt *o,
		     uint8_t *val)
{
	unsigned i, n;

	switch (o->kind) {
	case WIRE_TCPOPT_MSS:               /* RFC 9293 3.2 */
		put16(val, tcp->mss);
		return 2;
	case WIRE_TCPOPT_WSCALE:            /* RFC 7323 2.2 */
		val[0] = tcp->ws;
		return 1;
	case WIRE_TCPOPT_SACK_OK:           /* RFC 2018 2 */
		return 0;
	case WIRE_TCPOPT_SACK:              /* RFC 2018 3 */
		n = tcp->n_sack < WIRE_MAX_SACK ? tcp->n_sack : WIRE_MAX_SACK;
		for (i = 0; i < n; i++) {
			put32(val + 8 * i, tcp->sack[i].left);
			put32(val + 8 * i + 4, tcp->sack[i].right);
		}
		return (int)(8 * n);
	case WIRE_TCPOPT_TS:                /* RFC 7323 3.2 */
		put32(val, tcp->tsval);
		put32(val + 4, tcp->tsecr);
		return 8;
	case WIRE_TCPOPT_MD5:               /* RFC 2385 3.0 */
		memcpy(val, tcp->md5, 16);
		return 16;
	case WIRE_TCPOPT_FASTOPEN:          /* RFC 7413 4.1.1 */
		n = tcp->fo_cookie_len < 16 ? tcp->fo_cookie_len : 16;
		memcpy(val, tcp->fo_cookie, n);
		return (int)n;
	case WIRE_TCPOPT_EXP:
		if (!exp_is_fastopen(o))
			return -1;
		n = tcp->fo_cookie_len < 16 ? tcp->fo_cookie_len : 16;
		put16(val, WIRE_TFO_EXP_MAGIC);
		memcpy(val + 2, tcp->fo_cookie, n);
		return (int)(2 + n);
	default:
		return -1;
	}
}

/* Writes one option entry; returns the bytes written (opt_size(o)).
 * A known option at its natural length takes its value from the typed
 * fields. At any other length (fault injection) it writes the raw .data
 * bytes if it has them, else its typed value cut or zero-extended to
 * len - 2 bytes. Unknown kinds copy len - 2 bytes of .data. */
static size_t write_opt(uint8_t *p, const struct wire_tcp *tcp,
			const struct wire_tcp_opt *o)
{
	uint8_t val[40];
	size_t n;
	int vlen;

	p[0] = o->kind;
	if (o->kind == WIRE_TCPOPT_EOL || o->kind == WIRE_TCPOPT_NOP)
		return 1;
	p[1] = o->len;
	if (o->len < 2)
		return 2;
	n = (size_t)o->len - 2;
	vlen = opt_value(tcp, o, val);
	if (vlen >= 0 && ((size_t)vlen == n || !o->data)) {
		size_t c = (size_t)vlen < n ? (size_t)vlen : n;

		memcpy(p + 2, val, c);
		memset(p + 2 + c, 0, n - c);
	} else if (o->data) {
		memcpy(p + 2, o->data, n);
	} else {
		memset(p + 2, 0, n);
	}
	return (size_t)o->len;
}

/* A wrong checksum that no verifier can take for the right one: x ^ m
 * differs from x by a nonzero sum of distinct powers of two below
 * 0x10000, so never by a multiple of 0xFFFF, i.e. it is never the other
 * one's complement zero (0x0000 <-> 0xFFFF, RFC 1624 3). It also avoids
 * the offload seed and its complement (avoid), which a decoder would
 * report as a partial checksum; of three masks at most two can hit. */
static uint16_t csum_corrupt(uint16_t good, uint16_t avoid)
{
	static const uint16_t masks[] = { 0x5555, 0xAAAA, 0x3333 };
	uint16_t avoid_c = (uint16_t)~avoid;
	unsigned i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		uint16_t v = good ^ masks[i];

		if (v != avoid && v != avoid_c)
			return v;
	}
	return good ^ 0x0F0F; /* unreachable, see above */
}

static uint16_t ethertype_of(const struct wire_pkt *pkt)
{
	if (pkt->l2.ethertype)
		return pkt->l2.ethertype;
	return pkt->ip.version == 6 ? WIRE_ETHERTYPE_IPV6 : WIRE_ETHERTYPE_IPV4;
}

static uint32_t af_of(const struct wire_pkt *pkt)
{
	if (pkt->l2.af)
		return pkt->l2.af;
	return pkt->ip.version == 6 ? AF_VALUE_INET6 : AF_VALUE_INET;
}

static uint16_t tpid_of(const struct wire_pkt *pkt, unsigned i)
{
	return pkt->l2.vlan_tpid[i] ? pkt->l2.vlan_tpid[i] : WIRE_ETHERTYPE_VLAN;
}

/* Link header length, or 0 with *err set for an impossible header. */
static size_t link_len(const struct wire_pkt *pkt, int *err)
{
	size_t tags = (size_t)pkt->l2.n_vlan * VLAN_TAG_LEN;

	*err = 0;
	if (pkt->l2.n_vlan > WIRE_MAX_VLAN) {
		*err = WIRE_ERR_INVAL;
		return 0;
	}
	switch (pkt->link) {
	case WIRE_LINK_ETHERNET:
		return ETH_HDR_LEN + tags;
	case WIRE_LINK_SLL:
		return SLL_HDR_LEN + tags;
	case WIRE_LINK_SLL2:
		return SLL2_HDR_LEN + tags;
	case WIRE_LINK_RAW:
	case WIRE_LINK_IPV4:
	case WIRE_LINK_IPV6:
		return 0;
	case WIRE_LINK_NULL:
	case WIRE_LINK_LOOP:
		return NULL_HDR_LEN;
	}
	*err = WIRE_ERR_INVAL;
	return 0;
}

/* Writes the VLAN tags after a header whose protocol field said tag 0's
 * TPID, and the inner Ethertype (IEEE 802.1Q 9.3). */
static uint8_t *write_tags(uint8_t *p, const struct wire_pkt *pkt)
{
	unsigned i;

	for (i = 0; i < pkt->l2.n_vlan; i++) {
		p = put16(p, pkt->l2.vlan_tci[i]);
		p = put16(p, i + 1 < pkt->l2.n_vlan ? tpid_of(pkt, i + 1) :
						      ethertype_of(pkt));
	}
	return p;
}

static uint16_t first_proto(const struct wire_pkt *pkt)
{
	return pkt->l2.n_vlan ? tpid_of(pkt, 0) : ethertype_of(pkt);
}

static uint8_t *write_link(uint8_t *p, const struct wire_pkt *pkt)
{
	const struct wire_link_hdr *l2 = &pkt->l2;
	uint32_t af;

	switch (pkt->link) {
	case WIRE_LINK_ETHERNET:
		memcpy(p, l2->dst, 6);
		memcpy(p + 6, l2->src, 6);
		p = put16(p + 12, first_proto(pkt));
		return write_tags(p, pkt);
	case WIRE_LINK_SLL:
		/* pkttype(2) hatype(2) halen(2) addr(8) protocol(2) */
		p = put16(p, l2->sll_pkttype);
		p = put16(p, ARPHRD_ETHER);
		p = put16(p, SLL_HALEN);
		memcpy(p, l2->src, 6);
		p[6] = p[7] = 0;
		p = put16(p + 8, first_proto(pkt));
		return write_tags(p, pkt);
	case WIRE_LINK_SLL2:
		/* protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1)
		 * halen(1) addr(8) */
		p = put16(p, first_proto(pkt));
		p = put16(p, 0);
		p = put32(p, l2->sll2_ifindex);
		p = put16(p, ARPHRD_ETHER);
		*p++ = (uint8_t)l2->sll_pkttype;
		*p++ = SLL_HALEN;
		memcpy(p, l2->src, 6);
		p[6] = p[7] = 0;
		return write_tags(p + 8, pkt);
	case WIRE_LINK_NULL:
		/* the writer's host order: we are the writer */
		af = af_of(pkt);
		memcpy(p, &af, sizeof(af));
		return p + NULL_HDR_LEN;
	case WIRE_LINK_LOOP:
		return put32(p, af_of(pkt));
	case WIRE_LINK_RAW:
	case WIRE_LINK_IPV4:
	case WIRE_LINK_IPV6:
		break;
	}
	return p;
}

/* RFC 791 3.1 header; returns the byte after it. ip_len is the total
 * length field value. */
static uint8_t *write_ip4(uint8_t *p, const struct wire_ip *ip, size_t hlen,
			  uint16_t ip_len, unsigned flags)
{
	uint16_t frag = (uint16_t)((ip->frag_offset >> 3) & 0x1FFF);
	uint16_t sum;

	if (ip->df)
		frag |= IP4_DF;
	if (ip->mf)
		frag |= IP4_MF;
	p[0] = (uint8_t)(0x40 | (hlen / 4));
	p[1] = ip->tos;
	put16(p + 2, ip_len);
	put16(p + 4, ip->id);
	put16(p + 6, frag);
	p[8] = ip->ttl;
	p[9] = PROTO_TCP;
	put16(p + 10, 0);
	memcpy(p + 12, ip->src, 4);
	memcpy(p + 16, ip->dst, 4);
	if (ip->opt_len)
		memcpy(p + IP4_HDR_LEN, ip->opts, ip->opt_len);
	/* options shorter than a word are padded with EOL (RFC 791 3.1) */
	memset(p + IP4_HDR_LEN + ip->opt_len, 0, hlen - IP4_HDR_LEN - ip->opt_len);

	if (flags & WIRE_EMIT_KEEP_IP_CSUM) {
		sum = ip->ip_csum;
	} else {
		sum = csum_finish(csum_partial(p, hlen, 0));
		if (flags & WIRE_EMIT_BAD_IP_CSUM)
			sum = csum_corrupt(sum, sum); /* no seed to avoid */
	}
	put16(p + 10, sum);
	return p + hlen;
}

/* RFC 8200 3 fixed header, no extension headers. */
static uint8_t *write_ip6(uint8_t *p, const struct wire_ip *ip, uint16_t plen)
{
	put32(p, (uint32_t)6 << 28 | (uint32_t)ip->tos << 20 |
		 (ip->flow_label & 0xFFFFF));
	put16(p + 4, plen);
	p[6] = PROTO_TCP;
	p[7] = ip->ttl;
	memcpy(p + 8, ip->src, 16);
	memcpy(p + 24, ip->dst, 16);
	return p + IP6_HDR_LEN;
}

/* RFC 9293 3.1 header and options; the checksum field is left 0. */
static void write_tcp(uint8_t *p, const struct wire_tcp *tcp, size_t hlen,
		      unsigned flags)
{
	uint8_t doff = (flags & WIRE_EMIT_KEEP_DOFF) ? tcp->doff :
						      (uint8_t)(hlen / 4);
	uint8_t *o = p + TCP_HDR_LEN;
	unsigned i;

	put16(p, tcp->sport);
	put16(p + 2, tcp->dport);
	put32(p + 4, tcp->seq);
	put32(p + 8, tcp->ack);
	p[12] = (uint8_t)(doff << 4 | (tcp->reserved & 0x0F));
	p[13] = tcp->flags;
	put16(p + 14, tcp->win);
	put16(p + 16, 0);
	put16(p + 18, tcp->urp);
	for (i = 0; i < tcp->n_opts; i++)
		o += write_opt(o, tcp, &tcp->opts[i]);
	/* RFC 9293 3.1: "The TCP header padding is composed of zeros." */
	memset(o, 0, (size_t)(p + hlen - o));
}

static int check_args(const struct wire_pkt *pkt, const uint8_t *payload,
		      uint32_t payload_len, unsigned flags, size_t *out_len)
{
	const struct wire_tcp *tcp = &pkt->tcp;

	if (!out_len || (!payload && payload_len))
		return WIRE_ERR_INVAL;
	if (pkt->ip.version != 4 && pkt->ip.version != 6)
		return WIRE_ERR_INVAL;
	if (pkt->ip.version == 4 &&
	    (pkt->ip.opt_len > IP4_MAX_OPTS || (pkt->ip.opt_len && !pkt->ip.opts)))
		return WIRE_ERR_INVAL;
	/* keeping a checksum and corrupting it contradict each other */
	if ((flags & WIRE_EMIT_KEEP_TCP_CSUM) && (flags & WIRE_EMIT_BAD_TCP_CSUM))
		return WIRE_ERR_INVAL;
	if ((flags & WIRE_EMIT_KEEP_IP_CSUM) && (flags & WIRE_EMIT_BAD_IP_CSUM))
		return WIRE_ERR_INVAL;
	/* IPv6 has no header checksum: asking to spoil one is a script bug
	 * that would otherwise send a valid packet silently */
	if (pkt->ip.version == 6 && (flags & WIRE_EMIT_BAD_IP_CSUM))
		return WIRE_ERR_INVAL;
	if ((flags & WIRE_EMIT_KEEP_DOFF) && tcp->doff > 15)
		return WIRE_ERR_INVAL;
	if (tcp->n_opts > WIRE_MAX_TCP_OPTS)
		return WIRE_ERR_INVAL;
	return 0;
}

int wire_emit(const struct wire_pkt *pkt, const uint8_t *payload,
	      uint32_t payload_len, unsigned flags, uint8_t *buf, size_t cap,
	      size_t *out_len)
{
	size_t l2_len, ip_len, tcp_len, opts_len, seg_len, total;
	uint16_t ip_field, seed;
	uint8_t *p, *ip_hdr, *tcp_hdr;
	uint64_t ph;
	int err;

	if (!pkt)
		return WIRE_ERR_INVAL;
	err = check_args(pkt, payload, payload_len, flags, out_len);
	if (err)
		return err;
	l2_len = link_len(pkt, &err);
	if (err)
		return err;
	ip_len = pkt->ip.version == 4 ? IP4_HDR_LEN + pad4(pkt->ip.opt_len) :
					IP6_HDR_LEN;
	opts_len = wire_tcp_opts_len(&pkt->tcp);
	if (opts_len > TCP_MAX_OPTS)
		return WIRE_ERR_INVAL; /* data offset cannot cover them */
	tcp_len = TCP_HDR_LEN + pad4(opts_len);
	/* After EOL "the rest of the header is padding" (RFC 9293 3.2), and
	 * wire_decode records nothing past EOL: a kept data offset that says
	 * more is zero padding, so a decoded header re-emits whole. Without
	 * a final EOL a kept offset is only the field's value (a fault). */
	if ((flags & WIRE_EMIT_KEEP_DOFF) && pkt->tcp.n_opts &&
	    pkt->tcp.opts[pkt->tcp.n_opts - 1].kind == WIRE_TCPOPT_EOL &&
	    pkt->tcp.doff * 4u > tcp_len)
		tcp_len = pkt->tcp.doff * 4u;
	if (payload_len > IP_MAX_LEN)
		return WIRE_ERR_INVAL;
	seg_len = tcp_len + payload_len;

	/* The IP length field: computed, or kept for fault injection. No
	 * jumbograms (RFC 2675): both must fit in 16 bits. */
	if (pkt->ip.version == 4) {
		size_t v = (flags & WIRE_EMIT_KEEP_IP_LEN) ?
			   ip_len + pkt->ip.l4_len : ip_len + seg_len;

		if (ip_len + seg_len > IP_MAX_LEN || v > IP_MAX_LEN)
			return WIRE_ERR_INVAL;
		ip_field = (uint16_t)v;
	} else {
		size_t v = (flags & WIRE_EMIT_KEEP_IP_LEN) ? pkt->ip.l4_len : seg_len;

		if (seg_len > IP_MAX_LEN || v > IP_MAX_LEN)
			return WIRE_ERR_INVAL;
		ip_field = (uint16_t)v;
	}

	total = l2_len + ip_len + seg_len;
	if (!buf || total > cap)
		return WIRE_ERR_NOSPACE;

	p = write_link(buf, pkt);
	ip_hdr = p;
	if (pkt->ip.version == 4)
		p = write_ip4(p, &pkt->ip, ip_len, ip_field, flags);
	else
		p = write_ip6(p, &pkt->ip, ip_field);
	tcp_hdr = p;
	write_tcp(tcp_hdr, &pkt->tcp, tcp_len, flags);
	if (payload_len)
		memcpy(tcp_hdr + tcp_len, payload, payload_len);

	/* RFC 9293 3.1 / RFC 8200 8.1: the checksum covers a pseudo-header
	 * with the addresses as written (no routing header is emitted, so
	 * the v6 destination is the final one) and the segment emitted. */
	if (flags & WIRE_EMIT_KEEP_TCP_CSUM) {
		put16(tcp_hdr + 16, pkt->tcp.csum);
	} else {
		uint16_t sum;

		ph = pkt->ip.version == 4 ?
		     csum_pseudo_v4(ip_hdr + 12, ip_hdr + 16, PROTO_TCP, (uint32_t)seg_len) :
		     csum_pseudo_v6(ip_hdr + 8, ip_hdr + 24, PROTO_TCP, (uint32_t)seg_len);
		sum = csum_finish(csum_partial(tcp_hdr, seg_len, ph));
		if (flags & WIRE_EMIT_BAD_TCP_CSUM) {
			/* never the offload seed either: it would read as PARTIAL */
			seed = csum_fold(ph);
			sum = csum_corrupt(sum, seed);
		}
		put16(tcp_hdr + 16, sum);
	}
	*out_len = total;
	return 0;
}
