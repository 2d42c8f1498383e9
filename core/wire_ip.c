/* wire_ip: IPv4 (RFC 791) with options, and IPv6 (RFC 8200) with its
 * extension-header chain, down to the upper-layer protocol.
 *
 * Lengths: "cap" is what the capture holds, "wire" what the frame had on
 * the link, and the IP length field says how much of that is the packet.
 * Bytes past the IP length are link padding (Ethernet pads to 60 bytes)
 * and are cut off; an IP length past the captured bytes but within the
 * wire length is only the snaplen at work; an IP length past the wire
 * length is a malformed (or wrongly truncated) packet. */
#include "wire_internal.h"

#include "csum.h"

#define IP4_MIN_HDR 20
#define IP6_HDR     40

#define IP4_OPT_EOL 0
#define IP4_OPT_NOP 1

#define IP4_DF     0x4000
#define IP4_MF     0x2000
#define IP4_OFFSET 0x1FFF

#define IP6_OPT_PAD1     0
#define IP6_OPT_JUMBO    0xC2 /* RFC 2675 2 */
#define IP6_OPT_HOMEADDR 0xC9 /* RFC 6275 6.3: 201 */

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* RFC 791 3.1: options are EOL, NOP (single bytes) or kind, length,
 * data with the length counting kind and length octets. A length of 0 or
 * 1, a missing length octet (reported as length 0), or an option running
 * past IHL is malformed; RFC 1122 3.2.1.8 lets a host drop such a packet. */
static void walk_v4_options(struct wire_pkt *pkt, const uint8_t *b,
			    uint32_t hlen)
{
	uint32_t i = IP4_MIN_HDR;

	while (i < hlen) {
		uint8_t kind = get_u8(b, hlen, i);
		uint8_t len;

		if (kind == IP4_OPT_EOL)
			return;
		if (kind == IP4_OPT_NOP) {
			i++;
			continue;
		}
		len = get_u8(b, hlen, i + 1);
		if (!has(hlen, i, 2) || len < 2 || !has(hlen, i, len)) {
			wire_problem(pkt, FND_IP_BAD_OPTION, kind, len, i);
			return;
		}
		i += len;
	}
}

/* RFC 1071: the sum over a correct header, checksum included, folds to
 * 0xFFFF. The expected value (reported on a mismatch) is computed with
 * the checksum field (bytes 10-11) left out. */
static void check_v4_csum(struct wire_pkt *pkt, const uint8_t *b,
			  uint32_t hlen)
{
	uint64_t sum;

	pkt->ip.ip_csum_ok = csum_fold(csum_partial(b, hlen, 0)) == 0xFFFF;
	if (pkt->ip.ip_csum_ok)
		return;
	sum = csum_partial(b, 10, 0);
	sum = csum_partial(b + 12, hlen - 12, sum);
	wire_problem(pkt, FND_IP_CHECKSUM_BAD, pkt->ip.ip_csum,
		     csum_finish(sum), 0);
}

static void decode_v4(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		      uint32_t wire)
{
	struct wire_ip *ip = &pkt->ip;
	uint32_t hlen, tl, l3_cap;
	uint16_t frag;

	if (!has(cap, 0, IP4_MIN_HDR)) {
		wire_problem(pkt, FND_PKT_TRUNCATED_IP, cap, IP4_MIN_HDR, 0);
		return;
	}
	/* The fixed header is there: fill it in even if IHL turns out bad,
	 * so a report can still name the hosts. */
	ip->version = 4;
	hlen = (get_u8(b, cap, 0) & 0x0F) * 4u;
	ip->hdr_len = (uint16_t)hlen;
	ip->tos = get_u8(b, cap, 1);
	tl = get_be16(b, cap, 2);
	ip->id = get_be16(b, cap, 4);
	frag = get_be16(b, cap, 6);
	ip->df = frag & IP4_DF;
	ip->mf = frag & IP4_MF;
	ip->frag_offset = (uint16_t)((frag & IP4_OFFSET) * 8u);
	ip->is_fragment = ip->mf || ip->frag_offset;
	ip->ttl = get_u8(b, cap, 8);
	ip->proto = get_u8(b, cap, 9);
	ip->ip_csum = get_be16(b, cap, 10);
	get_bytes(ip->src, b, cap, 12, 4);
	get_bytes(ip->dst, b, cap, 16, 4);
	memcpy(ip->csum_src, ip->src, sizeof(ip->src));
	memcpy(ip->csum_dst, ip->dst, sizeof(ip->dst));

	/* RFC 791 3.1: "the minimum value for a correct header is 5". */
	if (hlen < IP4_MIN_HDR || hlen > wire) {
		wire_problem(pkt, FND_IP_BAD_IHL, hlen / 4, hlen, wire);
		return;
	}
	if (!has(cap, 0, hlen)) {
		wire_problem(pkt, FND_PKT_TRUNCATED_IP, cap, hlen, 0);
		return;
	}
	ip->opt_len = (uint8_t)(hlen - IP4_MIN_HDR);
	ip->opts = ip->opt_len ? b + IP4_MIN_HDR : NULL;
	check_v4_csum(pkt, b, hlen);
	walk_v4_options(pkt, b, hlen);
	pkt->has_ip = true;
	if (ip->is_fragment)
		wire_problem(pkt, FND_IP_FRAGMENT, ip->id, ip->frag_offset,
			     ip->mf);

	if (tl == 0) {
		/* Captured on the sending host before TSO/GSO segmentation,
		 * Linux leaves a super-segment's total length 0 when it does
		 * not fit in 16 bits (and Wireshark presumes TSO too). Report
		 * it and take the frame's length so the TCP header still
		 * decodes; its checksum will show as PARTIAL or BAD. */
		wire_problem(pkt, FND_IP_BAD_TOTAL_LENGTH, tl, hlen, wire);
		tl = wire;
	} else if (tl < hlen) {
		wire_problem(pkt, FND_IP_BAD_TOTAL_LENGTH, tl, hlen, wire);
		return;
	} else if (tl > wire) {
		/* Cut short on the wire: decode what is there; the missing
		 * bytes make the TCP checksum UNVERIFIED. */
		wire_problem(pkt, FND_IP_BAD_TOTAL_LENGTH, tl, hlen, wire);
	}
	l3_cap = min_u32(cap, tl); /* drop link padding */
	ip->l4_len = tl - hlen;

	if (ip->proto != WIRE_PROTO_TCP)
		return;
	/* RFC 791 2.3: only the first fragment (offset 0) carries the TCP
	 * header; with MF set the segment continues elsewhere, so its
	 * checksum cannot be verified from this packet. */
	if (ip->frag_offset)
		return;
	wire_decode_tcp(pkt, b + hlen, l3_cap - hlen, ip->l4_len, !ip->mf);
}

/* State of the IPv6 chain walk. total is the packet length per the IP
 * header (40 + payload length); cap the captured part of it. */
struct v6_walk {
	const uint8_t *b;
	uint32_t cap, total;
	uint32_t jumbo; /* RFC 2675 Jumbo Payload length, 0 if none */
};

static bool bad_ext(struct wire_pkt *pkt, uint8_t type, uint32_t off,
		    uint32_t avail)
{
	wire_problem(pkt, FND_IP6_BAD_EXT_HEADER, type, off, avail);
	return false;
}

/* Hop-by-hop and destination options (RFC 8200 4.2): Pad1 is a single
 * byte, every other option is type, length, data and must end inside
 * its header. We act on two options: Jumbo Payload (RFC 2675) and Home
 * Address (RFC 6275 6.3), whose address replaces the source for the
 * upper-layer checksum (RFC 6275 6.3, "swapped" before upper layers). */
static bool walk_tlv_options(struct wire_pkt *pkt, struct v6_walk *w,
			     uint8_t type, uint32_t off, uint32_t len)
{
	uint32_t end = off + len, i = off + 2;

	while (i < end) {
		uint8_t opt = get_u8(w->b, end, i);
		uint8_t olen;

		if (opt == IP6_OPT_PAD1) {
			i++;
			continue;
		}
		olen = get_u8(w->b, end, i + 1);
		if (!has(end, i, 2) || !has(end, i + 2, olen))
			return bad_ext(pkt, type, i, end);
		if (type == WIRE_IP6_DSTOPTS && opt == IP6_OPT_HOMEADDR) {
			if (olen != 16)
				return bad_ext(pkt, type, i, end);
			get_bytes(pkt->ip.csum_src, w->b, end, i + 2, 16);
		} else if (type == WIRE_IP6_HOPOPTS && opt == IP6_OPT_JUMBO) {
			if (olen != 4)
				return bad_ext(pkt, type, i, end);
			w->jumbo = get_be32(w->b, end, i + 2);
		}
		i += 2u + olen;
	}
	return true;
}

/* RFC 8200 8.1: "If the IPv6 packet contains a Routing header, the
 * Destination Address used in the pseudo-header is that of the final
 * destination." With Segments Left 0 the header destination already is
 * the final one. Type 0 (RFC 2460, deprecated by RFC 5095): the last
 * address of the list; type 2 (RFC 6275 6.4): its one address; type 4
 * Segment Routing (RFC 8754 2): Segment List[0]. For other types the
 * final destination is unknowable and the header's stays. */
static bool routing_dst(struct wire_pkt *pkt, struct v6_walk *w,
			uint32_t off, uint32_t len)
{
	uint32_t end = off + len;
	uint8_t hdr_ext = get_u8(w->b, end, off + 1);
	uint8_t rtype = get_u8(w->b, end, off + 2);
	uint8_t left = get_u8(w->b, end, off + 3);
	uint32_t at;

	if (!left)
		return true;
	switch (rtype) {
	case 0:
		if (hdr_ext < 2 || hdr_ext % 2)
			return bad_ext(pkt, WIRE_IP6_ROUTING, off, end);
		at = off + 8 + (hdr_ext / 2u - 1) * 16;
		break;
	case 2:
		if (hdr_ext != 2)
			return bad_ext(pkt, WIRE_IP6_ROUTING, off, end);
		at = off + 8;
		break;
	case 4:
		if (hdr_ext < 2)
			return bad_ext(pkt, WIRE_IP6_ROUTING, off, end);
		at = off + 8;
		break;
	default:
		return true;
	}
	if (!has(end, at, 16))
		return bad_ext(pkt, WIRE_IP6_ROUTING, off, end);
	get_bytes(pkt->ip.csum_dst, w->b, end, at, 16);
	return true;
}

/* RFC 8200 4.5: offset (13 bits, 8-octet units), 2 reserved bits, M. */
static void fragment_hdr(struct wire_pkt *pkt, struct v6_walk *w, uint32_t off)
{
	struct wire_ip *ip = &pkt->ip;
	uint16_t offlg = get_be16(w->b, w->cap, off + 2);
	uint32_t id = get_be32(w->b, w->cap, off + 4);

	ip->frag_offset = offlg & 0xFFF8;
	ip->mf = offlg & 1;
	ip->id = (uint16_t)id;
	/* An atomic fragment (offset 0, M 0; RFC 6946) is a whole packet. */
	ip->is_fragment = ip->mf || ip->frag_offset;
	if (ip->is_fragment)
		wire_problem(pkt, FND_IP_FRAGMENT, id, ip->frag_offset, ip->mf);
}

/* Length of the extension header at off, by its type's formula. */
static uint32_t ext_len(uint8_t type, uint8_t len_field)
{
	switch (type) {
	case WIRE_IP6_FRAGMENT:
		return 8;
	case WIRE_IP6_AH:
		return (len_field + 2u) * 4; /* RFC 4302 2.2: 32-bit words - 2 */
	default:
		return (len_field + 1u) * 8; /* RFC 8200 4.3-4.6: 8 octets - 1 */
	}
}

static bool is_ext(uint8_t nh)
{
	return nh == WIRE_IP6_HOPOPTS || nh == WIRE_IP6_ROUTING ||
	       nh == WIRE_IP6_FRAGMENT || nh == WIRE_IP6_AH ||
	       nh == WIRE_IP6_DSTOPTS;
}

/* Walks the chain from the fixed header on; returns the offset of the
 * upper-layer header with *nh its protocol, or 0 if the walk had to stop
 * (problem recorded). */
static uint32_t walk_chain(struct wire_pkt *pkt, struct v6_walk *w,
			   uint8_t *nh)
{
	struct wire_ip *ip = &pkt->ip;
	uint32_t off = IP6_HDR;

	while (is_ext(*nh)) {
		uint32_t len;
		bool ok = true;

		if (ip->n_ext == WIRE_MAX_IP6_EXT) {
			wire_problem(pkt, FND_IP6_TOO_MANY_EXT,
				     WIRE_MAX_IP6_EXT, *nh, off);
			return 0;
		}
		if (!has(w->total, off, 2)) {
			bad_ext(pkt, *nh, off, w->total);
			return 0;
		}
		if (!has(w->cap, off, 2)) {
			wire_problem(pkt, FND_PKT_TRUNCATED_IP, w->cap, off + 2, 0);
			return 0;
		}
		len = ext_len(*nh, get_u8(w->b, w->cap, off + 1));
		if (!has(w->total, off, len)) {
			bad_ext(pkt, *nh, off, w->total);
			return 0;
		}
		if (!has(w->cap, off, len)) {
			wire_problem(pkt, FND_PKT_TRUNCATED_IP, w->cap, off + len, 0);
			return 0;
		}
		switch (*nh) {
		case WIRE_IP6_HOPOPTS:
		case WIRE_IP6_DSTOPTS:
			ok = walk_tlv_options(pkt, w, *nh, off, len);
			break;
		case WIRE_IP6_ROUTING:
			ok = routing_dst(pkt, w, off, len);
			break;
		case WIRE_IP6_FRAGMENT:
			fragment_hdr(pkt, w, off);
			break;
		default:
			break;
		}
		if (!ok)
			return 0;
		ip->ext[ip->n_ext++] = *nh;
		*nh = get_u8(w->b, w->cap, off);
		off += len;
	}
	return off;
}

static void decode_v6(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		      uint32_t wire)
{
	struct wire_ip *ip = &pkt->ip;
	struct v6_walk w = { .b = b };
	uint32_t vtf, plen, off;
	uint8_t nh;

	if (!has(cap, 0, IP6_HDR)) {
		wire_problem(pkt, FND_PKT_TRUNCATED_IP, cap, IP6_HDR, 0);
		return;
	}
	vtf = get_be32(b, cap, 0);
	ip->version = 6;
	ip->hdr_len = IP6_HDR;
	ip->tos = (uint8_t)(vtf >> 20);
	ip->flow_label = vtf & 0xFFFFF;
	plen = get_be16(b, cap, 4);
	nh = get_u8(b, cap, 6);
	ip->ttl = get_u8(b, cap, 7);
	ip->ip_csum_ok = true; /* RFC 8200 has no header checksum */
	get_bytes(ip->src, b, cap, 8, 16);
	get_bytes(ip->dst, b, cap, 24, 16);
	memcpy(ip->csum_src, ip->src, sizeof(ip->src));
	memcpy(ip->csum_dst, ip->dst, sizeof(ip->dst));
	pkt->has_ip = true;

	/* Payload length 0: a Jumbo Payload (RFC 2675) or, far more often,
	 * a GSO/BIG TCP super-packet captured before segmentation. Walk with
	 * the frame's length and settle after the hop-by-hop header. */
	w.total = plen ? IP6_HDR + plen : wire;
	if (plen && w.total > wire)
		wire_problem(pkt, FND_IP_BAD_TOTAL_LENGTH, w.total, IP6_HDR, wire);
	w.cap = min_u32(cap, w.total);

	off = walk_chain(pkt, &w, &nh);
	ip->proto = nh;
	if (!off)
		return;
	ip->hdr_len = (uint16_t)off;
	if (!plen && w.jumbo > 0xFFFF) {
		/* As for IPv4: a length past the frame is reported and kept,
		 * so the missing bytes make the TCP checksum UNVERIFIED. */
		w.total = w.jumbo <= UINT32_MAX - IP6_HDR ? IP6_HDR + w.jumbo :
							    UINT32_MAX;
		if (w.total > wire)
			wire_problem(pkt, FND_IP_BAD_TOTAL_LENGTH, w.total,
				     IP6_HDR, wire);
		w.cap = min_u32(cap, w.total);
		if (w.total < off)
			return;
	} else if (!plen && nh == WIRE_IP6_NONE) {
		w.total = off; /* an empty packet: nothing follows the chain */
	} else if (!plen) {
		wire_problem(pkt, FND_IP_BAD_TOTAL_LENGTH, IP6_HDR, IP6_HDR, wire);
	}
	ip->l4_len = w.total - off;

	if (nh != WIRE_PROTO_TCP || ip->frag_offset)
		return;
	wire_decode_tcp(pkt, b + off, w.cap - off, ip->l4_len, !ip->mf);
}

void wire_decode_ip(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		    uint32_t wire, uint8_t version)
{
	uint8_t found;

	if (!has(cap, 0, 1)) {
		wire_problem(pkt, FND_PKT_TRUNCATED_IP, cap,
			     version == 6 ? IP6_HDR : IP4_MIN_HDR, 0);
		return;
	}
	found = get_u8(b, cap, 0) >> 4;
	/* RFC 1122 3.2.1.1: a version other than expected is discarded. */
	if (version ? found != version : found != 4 && found != 6) {
		wire_problem(pkt, FND_IP_BAD_VERSION, found, version, 0);
		return;
	}
	if (found == 4)
		decode_v4(pkt, b, cap, wire);
	else
		decode_v6(pkt, b, cap, wire);
}
