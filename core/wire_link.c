/* wire_link: link-layer headers down to the network layer, and the
 * decoder's entry point wire_decode().
 *
 * Link layers: Ethernet II with up to two 802.1Q / 802.1ad tags, Linux
 * cooked captures v1 (SLL, 16 bytes) and v2 (SLL2, 20 bytes), raw IP and
 * the BSD loopback encapsulations (NULL, LOOP). A frame that carries no
 * IPv4/IPv6 (ARP, LLC, an unknown address family) decodes its link header
 * and stops: that is not a problem, just not our business. */
#include "wire_internal.h"

#define ETH_HDR_LEN  14
#define VLAN_TAG_LEN 4
#define SLL_HDR_LEN  16
#define SLL2_HDR_LEN 20
#define NULL_HDR_LEN 4

/* Values below this in the type/length field are an IEEE 802.3 length,
 * not an Ethertype (IEEE 802.3 clause 3.2.6). */
#define ETH_MIN_ETHERTYPE 0x0600

/* Address families in DLT_NULL / DLT_LOOP headers: AF_INET is 2 everywhere;
 * AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly), 30 (macOS,
 * iOS) and 10 (Linux), see pcap's LINKTYPE_NULL description. */
static uint8_t af_ip_version(uint32_t af)
{
	switch (af) {
	case 2:
		return 4;
	case 10:
	case 24:
	case 28:
	case 30:
		return 6;
	default:
		return 0;
	}
}

void wire_problem(struct wire_pkt *pkt, enum finding_id id,
		  unsigned long long v0, unsigned long long v1,
		  unsigned long long v2)
{
	struct finding *f;

	if (pkt->n_problems >= WIRE_MAX_PROBLEMS) {
		pkt->problems_truncated = true;
		return;
	}
	f = &pkt->problems[pkt->n_problems++];
	f->id = id;
	f->v[0] = v0;
	f->v[1] = v1;
	f->v[2] = v2;
}

static bool link_truncated(struct wire_pkt *pkt, uint32_t cap, uint32_t need)
{
	if (has(cap, 0, need))
		return false;
	wire_problem(pkt, FND_PKT_TRUNCATED_LINK, cap, need, 0);
	return true;
}

/* Hands the rest of the frame, from off on, to the IP decoder if the
 * Ethertype is one of ours. */
static void dispatch_ethertype(struct wire_pkt *pkt, const uint8_t *b,
			       uint32_t cap, uint32_t wire, uint32_t off)
{
	uint8_t version;

	pkt->l2.hdr_len = (uint16_t)off;
	switch (pkt->l2.ethertype) {
	case WIRE_ETHERTYPE_IPV4:
		version = 4;
		break;
	case WIRE_ETHERTYPE_IPV6:
		version = 6;
		break;
	default:
		return;
	}
	wire_decode_ip(pkt, b + off, cap - off, wire - off, version);
}

/* 802.1Q (0x8100) and 802.1ad (0x88A8) tags: TPID already read as the
 * Ethertype, then TCI and the next Ethertype. We follow at most
 * WIRE_MAX_VLAN of them (QinQ); a third tag leaves the Ethertype at the
 * TPID, which is not IP, so the frame is reported without IP. */
static bool walk_vlan(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		      uint32_t *off)
{
	struct wire_link_hdr *l2 = &pkt->l2;

	while ((l2->ethertype == WIRE_ETHERTYPE_VLAN ||
		l2->ethertype == WIRE_ETHERTYPE_QINQ) &&
	       l2->n_vlan < WIRE_MAX_VLAN) {
		if (link_truncated(pkt, cap, *off + VLAN_TAG_LEN))
			return false;
		l2->vlan_tpid[l2->n_vlan] = l2->ethertype;
		l2->vlan_tci[l2->n_vlan] = get_be16(b, cap, *off);
		l2->n_vlan++;
		l2->ethertype = get_be16(b, cap, *off + 2);
		*off += VLAN_TAG_LEN;
	}
	return true;
}

static void decode_ethernet(struct wire_pkt *pkt, const uint8_t *b,
			    uint32_t cap, uint32_t wire)
{
	uint32_t off = ETH_HDR_LEN;

	if (link_truncated(pkt, cap, ETH_HDR_LEN))
		return;
	get_bytes(pkt->l2.dst, b, cap, 0, 6);
	get_bytes(pkt->l2.src, b, cap, 6, 6);
	pkt->l2.ethertype = get_be16(b, cap, 12);
	pkt->l2.hdr_len = ETH_HDR_LEN;
	if (pkt->l2.ethertype < ETH_MIN_ETHERTYPE)
		return; /* 802.3 length + LLC: not IP over Ethernet II */
	if (!walk_vlan(pkt, b, cap, &off))
		return;
	dispatch_ethertype(pkt, b, cap, wire, off);
}

/* Copies up to 6 bytes of the SLL link-layer address (halen may be less). */
static void sll_addr(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		     uint32_t off, uint32_t halen)
{
	memset(pkt->l2.src, 0, sizeof(pkt->l2.src));
	get_bytes(pkt->l2.src, b, cap, off, halen < 6 ? halen : 6);
}

/* DLT_LINUX_SLL: pkttype(2) hatype(2) halen(2) addr(8) protocol(2).
 * The kernel usually strips VLAN tags into metadata, but a tag left in
 * the data shows up as protocol 0x8100 followed by TCI and protocol. */
static void decode_sll(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		       uint32_t wire)
{
	uint32_t off = SLL_HDR_LEN;

	if (link_truncated(pkt, cap, SLL_HDR_LEN))
		return;
	pkt->l2.sll_pkttype = get_be16(b, cap, 0);
	sll_addr(pkt, b, cap, 6, get_be16(b, cap, 4));
	pkt->l2.ethertype = get_be16(b, cap, 14);
	pkt->l2.hdr_len = SLL_HDR_LEN;
	if (!walk_vlan(pkt, b, cap, &off))
		return;
	dispatch_ethertype(pkt, b, cap, wire, off);
}

/* DLT_LINUX_SLL2: protocol(2) reserved(2) ifindex(4) hatype(2)
 * pkttype(1) halen(1) addr(8). */
static void decode_sll2(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
			uint32_t wire)
{
	uint32_t off = SLL2_HDR_LEN;

	if (link_truncated(pkt, cap, SLL2_HDR_LEN))
		return;
	pkt->l2.ethertype = get_be16(b, cap, 0);
	pkt->l2.sll2_ifindex = get_be32(b, cap, 4);
	pkt->l2.sll_pkttype = get_u8(b, cap, 10);
	sll_addr(pkt, b, cap, 12, get_u8(b, cap, 11));
	pkt->l2.hdr_len = SLL2_HDR_LEN;
	if (!walk_vlan(pkt, b, cap, &off))
		return;
	dispatch_ethertype(pkt, b, cap, wire, off);
}

/* DLT_NULL holds the AF in the byte order of the host that wrote the
 * capture, which the file does not tell us; AF values are small, so the
 * reading that fits in 16 bits is the right one (a known AF such as 2 is
 * 0x02000000 the other way round). DLT_LOOP is always network order. */
static void decode_null(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
			uint32_t wire, bool network_order)
{
	uint32_t be, le, af;
	uint8_t version;

	if (link_truncated(pkt, cap, NULL_HDR_LEN))
		return;
	be = get_be32(b, cap, 0);
	le = get_le32(b, cap, 0);
	af = network_order || be <= 0xFFFF ? be : le;
	pkt->l2.af = af;
	pkt->l2.hdr_len = NULL_HDR_LEN;
	version = af_ip_version(af);
	if (!version)
		return;
	/* Not an Ethertype on the wire, but consumers get one field to test. */
	pkt->l2.ethertype = version == 4 ? WIRE_ETHERTYPE_IPV4 :
					   WIRE_ETHERTYPE_IPV6;
	wire_decode_ip(pkt, b + NULL_HDR_LEN, cap - NULL_HDR_LEN,
		       wire - NULL_HDR_LEN, version);
}

/* No link header; version 0 = take it from the first nibble. */
static void decode_raw(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		       uint32_t wire, uint8_t version)
{
	uint8_t found = get_u8(b, cap, 0) >> 4;

	if (has(cap, 0, 1) && (found == 4 || found == 6) &&
	    (!version || version == found))
		pkt->l2.ethertype = found == 4 ? WIRE_ETHERTYPE_IPV4 :
						 WIRE_ETHERTYPE_IPV6;
	wire_decode_ip(pkt, b, cap, wire, version);
}

int wire_decode(enum wire_link link, const uint8_t *buf, uint32_t caplen,
		uint32_t wirelen, struct wire_pkt *out)
{
	if (!out)
		return WIRE_ERR_INVAL;
	memset(out, 0, sizeof(*out));
	/* Nothing decoded yet: no checksum verdict to trust. */
	out->tcp_csum = WIRE_CSUM_UNVERIFIED;
	out->link = link;
	out->caplen = caplen;
	out->wirelen = wirelen;
	if (!buf && caplen)
		return WIRE_ERR_INVAL;
	/* pcap promises caplen <= wirelen; a writer that broke it gets its
	 * captured bytes believed rather than an underflow. */
	if (wirelen < caplen)
		wirelen = caplen;

	switch (link) {
	case WIRE_LINK_ETHERNET:
		decode_ethernet(out, buf, caplen, wirelen);
		break;
	case WIRE_LINK_SLL:
		decode_sll(out, buf, caplen, wirelen);
		break;
	case WIRE_LINK_SLL2:
		decode_sll2(out, buf, caplen, wirelen);
		break;
	case WIRE_LINK_RAW:
		decode_raw(out, buf, caplen, wirelen, 0);
		break;
	case WIRE_LINK_IPV4:
		decode_raw(out, buf, caplen, wirelen, 4);
		break;
	case WIRE_LINK_IPV6:
		decode_raw(out, buf, caplen, wirelen, 6);
		break;
	case WIRE_LINK_NULL:
		decode_null(out, buf, caplen, wirelen, false);
		break;
	case WIRE_LINK_LOOP:
		decode_null(out, buf, caplen, wirelen, true);
		break;
	default:
		return WIRE_ERR_INVAL;
	}
	return 0;
}
