/* runner_neigh: the tester's side of ARP (RFC 826) and IPv6 neighbour
 * discovery (RFC 4861 7.2). The tester's addresses exist only in the
 * frames the runner injects, so the runner answers for them: an ARP
 * request for the tester's IPv4 address gets a reply with the tester's
 * MAC, a neighbour solicitation for its IPv6 address a solicited, override
 * neighbour advertisement. Duplicate address detection (a solicitation
 * from ::) is not answered: we do not defend an address. For an external
 * target the runner also asks the target's MAC the same way.
 *
 * Frames are built by hand: core/wire knows TCP over IP, not ARP or
 * ICMPv6. */
#include "runner_priv.h"

#include <stdio.h>
#include <string.h>

#include "csum.h"

#define ETH_ARP  0x0806
#define ETH_IPV6 0x86dd
#define ARP_LEN  42            /* Ethernet + ARP for IPv4 over Ethernet */
#define MIN_FRAME 60           /* Ethernet minimum without FCS: padded */
#define ICMP6    58
#define ND_NS    135
#define ND_NA    136

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void eth(uint8_t *out, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(out, dst, 6);
	memcpy(out + 6, src, 6);
	put16(out + 12, type);
}

/* ARP for IPv4 over Ethernet with opcode op: sha/spa, tha/tpa. */
static size_t arp(uint8_t *out, size_t cap, const uint8_t edst[6], uint16_t op,
		  const uint8_t sha[6], const uint8_t spa[4], const uint8_t tha[6],
		  const uint8_t tpa[4])
{
	if (cap < MIN_FRAME)
		return 0;
	memset(out, 0, MIN_FRAME);
	eth(out, edst, sha, ETH_ARP);
	put16(out + 14, 1);          /* Ethernet */
	put16(out + 16, 0x0800);     /* IPv4 */
	out[18] = 6;
	out[19] = 4;
	put16(out + 20, op);
	memcpy(out + 22, sha, 6);
	memcpy(out + 28, spa, 4);
	memcpy(out + 32, tha, 6);
	memcpy(out + 38, tpa, 4);
	return MIN_FRAME;
}

/* An ARP packet of IPv4 over Ethernet: its opcode, or 0. */
static uint16_t arp_op(const uint8_t *f, size_t len)
{
	if (len < ARP_LEN || be16(f + 12) != ETH_ARP || be16(f + 14) != 1 ||
	    be16(f + 16) != 0x0800 || f[18] != 6 || f[19] != 4)
		return 0;
	return be16(f + 20);
}

/* An ICMPv6 neighbour discovery message (no extension headers, hop limit
 * 255 as RFC 4861 7.1.1 requires): its type, or 0. */
static uint8_t nd_type(const uint8_t *f, size_t len)
{
	if (len < 14 + 40 + 24 || be16(f + 12) != ETH_IPV6 || (f[14] >> 4) != 6 ||
	    f[20] != ICMP6 || f[21] != 255 || be16(f + 18) < 24 ||
	    (size_t)be16(f + 18) > len - 54 || f[55] != 0)
		return 0;
	return f[54];
}

/* The link-layer address option of type opt in an ND message, or NULL. */
static const uint8_t *nd_lladdr(const uint8_t *f, size_t len, uint8_t opt)
{
	size_t end = 54 + (size_t)be16(f + 18), o = 54 + 24;

	if (end > len)
		end = len;
	while (o + 8 <= end && f[o + 1]) {
		if (f[o] == opt && f[o + 1] == 1)
			return f + o + 2;
		o += (size_t)f[o + 1] * 8;
	}
	return NULL;
}

/* ICMPv6 checksum of the message at f + 54 (RFC 4443 2.3). */
static void icmp6_csum(uint8_t *f, uint16_t plen)
{
	uint64_t ph = csum_pseudo_v6(f + 22, f + 38, ICMP6, plen);

	put16(f + 56, 0);
	put16(f + 56, csum_finish(csum_partial(f + 54, plen, ph)));
}

static void ip6(uint8_t *f, uint16_t plen, const uint8_t src[16], const uint8_t dst[16])
{
	memset(f + 14, 0, 40);
	f[14] = 0x60;
	put16(f + 18, plen);
	f[20] = ICMP6;
	f[21] = 255;
	memcpy(f + 22, src, 16);
	memcpy(f + 38, dst, 16);
}

size_t runner_neigh_answer(const struct runner_link *l, const uint8_t *f, size_t len,
			   uint8_t *out, size_t cap)
{
	static const uint8_t unspec[16];
	const uint8_t *mac;

	if (arp_op(f, len) == 1) {
		/* who has tpa? tell spa (sha) */
		if (l->no_v4 || memcmp(f + 38, l->tester_v4, 4) || !memcmp(f + 28, l->tester_v4, 4))
			return 0;
		return arp(out, cap, f + 22, 2, l->tester_mac, l->tester_v4, f + 22, f + 28);
	}
	if (nd_type(f, len) != ND_NS || l->no_v6 || memcmp(f + 62, l->tester_v6, 16) ||
	    !memcmp(f + 22, unspec, 16) || cap < 14 + 40 + 32)
		return 0;
	mac = nd_lladdr(f, len, 1);
	eth(out, mac ? mac : f + 6, l->tester_mac, ETH_IPV6);
	ip6(out, 32, l->tester_v6, f + 22);
	memset(out + 54, 0, 32);
	out[54] = ND_NA;
	out[58] = 0x60;                      /* Solicited, Override */
	memcpy(out + 62, l->tester_v6, 16);
	out[78] = 2;                         /* target link-layer address */
	out[79] = 1;
	memcpy(out + 80, l->tester_mac, 6);
	icmp6_csum(out, 32);
	return 14 + 40 + 32;
}

size_t runner_neigh_solicit(const struct runner_link *l, int ip_version, uint8_t *out,
			    size_t cap)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t mdst[6] = { 0x33, 0x33, 0xff }, sn[16] = { 0xff, 0x02 };

	if (ip_version == 4)
		return arp(out, cap, bcast, 1, l->tester_mac, l->tester_v4, zero, l->target_v4);
	if (cap < 14 + 40 + 32)
		return 0;
	/* to the target's solicited-node multicast address (RFC 4291 2.7.1) */
	memcpy(mdst + 3, l->target_v6 + 13, 3);
	sn[11] = 1;
	sn[12] = 0xff;
	memcpy(sn + 13, l->target_v6 + 13, 3);
	eth(out, mdst, l->tester_mac, ETH_IPV6);
	ip6(out, 32, l->tester_v6, sn);
	memset(out + 54, 0, 32);
	out[54] = ND_NS;
	memcpy(out + 62, l->target_v6, 16);
	out[78] = 1;                         /* source link-layer address */
	out[79] = 1;
	memcpy(out + 80, l->tester_mac, 6);
	icmp6_csum(out, 32);
	return 14 + 40 + 32;
}

bool runner_neigh_learn(const struct runner_link *l, int ip_version, const uint8_t *f,
			size_t len, uint8_t mac[6])
{
	const uint8_t *m;

	if (ip_version == 4) {
		if (arp_op(f, len) != 2 || memcmp(f + 28, l->target_v4, 4))
			return false;
		memcpy(mac, f + 22, 6);
		return true;
	}
	if (nd_type(f, len) != ND_NA || memcmp(f + 62, l->target_v6, 16))
		return false;
	m = nd_lladdr(f, len, 2);
	memcpy(mac, m ? m : f + 6, 6);
	return true;
}

void neigh_answer_frame(struct runner *r, const struct netdev_frame *fr, unsigned *count)
{
	uint8_t out[128];
	size_t n;

	if (r->cfg.no_neigh)
		return;
	n = runner_neigh_answer(&r->link, fr->data, fr->caplen, out, sizeof(out));
	if (n && netdev_send(r->link.nd, out, n) == 0 && count)
		(*count)++;
}

int runner_resolve_target(struct runner *r, int ip_version, unsigned timeout_ms,
			  char *err, size_t errcap)
{
	int64_t end = netdev_now_ns() + (int64_t)timeout_ms * MS_NS;
	struct netdev_frame fr;
	uint8_t out[128], mac[6];
	char ebuf[256], addr[48];
	size_t n;
	int rc;

	if (netdev_set_filter(r->link.nd, ip_version == 4 ? "arp" : "icmp6", ebuf,
			      sizeof(ebuf)) < 0) {
		snprintf(err, errcap, "%s", ebuf);
		return -1;
	}
	wire_addr_str((uint8_t)ip_version, ip_version == 4 ? r->link.target_v4 : r->link.target_v6,
		      addr);
	while (netdev_now_ns() < end) {
		int64_t next = netdev_now_ns() + 300 * MS_NS;

		n = runner_neigh_solicit(&r->link, ip_version, out, sizeof(out));
		if (!n || netdev_send(r->link.nd, out, n) < 0) {
			snprintf(err, errcap, "asking for %s: %s", addr, netdev_error(r->link.nd));
			return -1;
		}
		while ((rc = netdev_recv(r->link.nd, next < end ? next : end, &fr)) == 1) {
			if (runner_neigh_learn(&r->link, ip_version, fr.data, fr.caplen, mac)) {
				memcpy(r->link.target_mac, mac, 6);
				return 0;
			}
			neigh_answer_frame(r, &fr, NULL);
		}
		if (rc < 0) {
			snprintf(err, errcap, "asking for %s: %s", addr, netdev_error(r->link.nd));
			return -1;
		}
	}
	snprintf(err, errcap, "%s did not answer %s within %u ms on the link", addr,
		 ip_version == 4 ? "ARP" : "neighbour solicitations", timeout_ms);
	return -1;
}
