/* wire: bounds-checked, zero-copy parse of a captured frame down to TCP,
 * and its inverse, emit. No I/O, no allocation: pointers in the parsed
 * structs point into the caller's buffer.
 *
 * Malformed input never fails the call: the packet gets findings
 * (struct wire_pkt.problems) and the parse goes as deep as it safely can. */
#ifndef TCPSPEC_WIRE_H
#define TCPSPEC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"

/* Error codes (library convention: 0 or negative). */
#define WIRE_ERR_INVAL   -1  /* bad argument */
#define WIRE_ERR_NOSPACE -2  /* emit: output buffer too small */

/* Link layers we decode. The capture front end maps pcap's DLT_ values. */
enum wire_link {
	WIRE_LINK_ETHERNET, /* DLT_EN10MB, with 802.1Q / 802.1ad tags */
	WIRE_LINK_SLL,      /* DLT_LINUX_SLL */
	WIRE_LINK_SLL2,     /* DLT_LINUX_SLL2 */
	WIRE_LINK_RAW,      /* DLT_RAW: IPv4 or IPv6 by version nibble */
	WIRE_LINK_IPV4,     /* DLT_IPV4 */
	WIRE_LINK_IPV6,     /* DLT_IPV6 */
	WIRE_LINK_NULL,     /* DLT_NULL: 4-byte AF in host byte order of the writer */
	WIRE_LINK_LOOP,     /* DLT_LOOP: 4-byte AF in network byte order */
};

#define WIRE_ETHERTYPE_IPV4  0x0800
#define WIRE_ETHERTYPE_ARP   0x0806
#define WIRE_ETHERTYPE_IPV6  0x86DD
#define WIRE_ETHERTYPE_VLAN  0x8100
#define WIRE_ETHERTYPE_QINQ  0x88A8
#define WIRE_MAX_VLAN 2

struct wire_link_hdr {
	uint8_t dst[6], src[6];      /* Ethernet; SLL/SLL2: src = link address (first 6 bytes) */
	uint16_t ethertype;          /* protocol after tags (or SLL protocol) */
	uint8_t n_vlan;
	uint16_t vlan_tpid[WIRE_MAX_VLAN];
	uint16_t vlan_tci[WIRE_MAX_VLAN];
	uint16_t sll_pkttype;        /* SLL/SLL2 packet type (0 host, 4 outgoing, ...) */
	uint32_t sll2_ifindex;
	uint32_t af;                 /* NULL/LOOP address family value */
	uint16_t hdr_len;            /* bytes of link header incl. tags */
};

#define WIRE_MAX_IP6_EXT 8

struct wire_ip {
	uint8_t version;        /* 4 or 6 */
	uint16_t hdr_len;       /* v4: IHL*4; v6: 40 + extension headers */
	uint8_t tos;            /* v4 TOS / v6 traffic class (DSCP|ECN) */
	uint8_t ttl;            /* v4 TTL / v6 hop limit */
	uint32_t flow_label;    /* v6 */
	uint16_t id;            /* v4 identification (v6: low 16 bits of the fragment id) */
	bool df, mf;            /* v4 flags; mf also from the v6 fragment header */
	uint16_t frag_offset;   /* in bytes */
	bool is_fragment;       /* mf set or offset != 0 */
	uint16_t ip_csum;       /* v4 header checksum as found */
	bool ip_csum_ok;        /* v4 header checksum verified; v6: true */
	uint8_t opt_len;        /* v4 options bytes */
	const uint8_t *opts;    /* v4 options */
	uint8_t proto;          /* upper-layer protocol after the v6 chain */
	uint8_t src[16], dst[16];         /* v4 in the first 4 bytes */
	uint8_t csum_src[16], csum_dst[16]; /* pseudo-header addresses: v6 home-address
					       option changes src, routing header dst */
	uint8_t n_ext;
	uint8_t ext[WIRE_MAX_IP6_EXT];     /* v6 extension header types in order */
	uint32_t l4_len;        /* upper-layer length according to the IP header */
};

/* TCP flags (the low 8 bits of the flags field) and the AE/NS bit. */
#define WIRE_TH_FIN 0x01
#define WIRE_TH_SYN 0x02
#define WIRE_TH_RST 0x04
#define WIRE_TH_PSH 0x08
#define WIRE_TH_ACK 0x10
#define WIRE_TH_URG 0x20
#define WIRE_TH_ECE 0x40
#define WIRE_TH_CWR 0x80

/* Option kinds. */
#define WIRE_TCPOPT_EOL       0
#define WIRE_TCPOPT_NOP       1
#define WIRE_TCPOPT_MSS       2
#define WIRE_TCPOPT_WSCALE    3
#define WIRE_TCPOPT_SACK_OK   4
#define WIRE_TCPOPT_SACK      5
#define WIRE_TCPOPT_TS        8
#define WIRE_TCPOPT_MD5       19
#define WIRE_TCPOPT_FASTOPEN  34
#define WIRE_TCPOPT_EXP       254  /* experimental; 0xF989 magic = Fast Open */
#define WIRE_TFO_EXP_MAGIC    0xF989

#define WIRE_MAX_TCP_OPTS  40  /* 40 option bytes, one NOP each at most */
#define WIRE_MAX_SACK       4

/* One option in the order it appeared (or is to be emitted). */
struct wire_tcp_opt {
	uint8_t kind;
	uint8_t len;          /* total length incl. kind/len; 1 for EOL/NOP */
	const uint8_t *data;  /* len-2 bytes of value (unknown kinds); NULL if none */
};

struct wire_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff;         /* data offset in 32-bit words as found */
	uint8_t reserved;     /* the 4 reserved bits (bit 0 = AE / former NS) */
	uint8_t flags;        /* WIRE_TH_* */
	uint16_t win;         /* raw, unscaled */
	uint16_t csum;
	uint16_t urp;

	/* options, in order */
	uint8_t n_opts;
	struct wire_tcp_opt opts[WIRE_MAX_TCP_OPTS];
	/* typed values of the options present (last occurrence wins) */
	bool has_mss, has_ws, sack_ok, has_ts, has_md5, has_fastopen, has_eol;
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	uint8_t n_sack;
	struct { uint32_t left, right; } sack[WIRE_MAX_SACK];
	uint8_t fo_cookie_len;   /* 0 = cookie request */
	uint8_t fo_cookie[16];
	bool fo_exp;             /* Fast Open in the experimental kind 254 */
	uint8_t md5[16];

	const uint8_t *payload;  /* captured payload bytes */
	uint32_t payload_caplen; /* bytes of payload present in the capture */
	uint32_t payload_len;    /* payload length per the IP header */
};

enum wire_csum_verdict {
	WIRE_CSUM_OK,
	WIRE_CSUM_BAD,
	WIRE_CSUM_PARTIAL,    /* offload: field holds the folded pseudo-header sum */
	WIRE_CSUM_UNVERIFIED, /* not all bytes captured */
};

#define WIRE_MAX_PROBLEMS 8

struct wire_pkt {
	enum wire_link link;
	struct wire_link_hdr l2;
	struct wire_ip ip;
	struct wire_tcp tcp;
	bool has_ip;          /* an IPv4/IPv6 header was decoded */
	bool has_tcp;         /* a TCP header (>= 20 bytes, sane data offset) was decoded */
	enum wire_csum_verdict tcp_csum;
	uint32_t caplen, wirelen;
	uint8_t n_problems;
	bool problems_truncated;           /* more problems than fit */
	struct finding problems[WIRE_MAX_PROBLEMS];
};

/* Decode one captured frame. Always fills out (zeroed first); returns 0,
 * or WIRE_ERR_INVAL for NULL arguments. out->has_tcp tells whether a TCP
 * header was found; problems[] lists what was malformed. */
int wire_decode(enum wire_link link, const uint8_t *buf, uint32_t caplen,
		uint32_t wirelen, struct wire_pkt *out);

/* Emit flags: by default emit computes lengths, data offset and both
 * checksums; these keep the values found in the struct instead, which is
 * how deliberate faults are injected and how round-trips are exact. */
#define WIRE_EMIT_KEEP_TCP_CSUM  0x01
#define WIRE_EMIT_KEEP_IP_CSUM   0x02
#define WIRE_EMIT_KEEP_DOFF      0x04
#define WIRE_EMIT_KEEP_IP_LEN    0x08  /* keep v4 total length / v6 payload length (ip.l4_len) */
#define WIRE_EMIT_BAD_TCP_CSUM   0x10  /* compute, then corrupt the TCP checksum */
#define WIRE_EMIT_BAD_IP_CSUM    0x20  /* compute, then corrupt the IPv4 header checksum */

/* Emit pkt (link header per pkt->link, IP, TCP with options in the order of
 * pkt->tcp.opts, padded with zeros to a 4-byte boundary) followed by
 * payload into buf. The v6 header is emitted without extension headers
 * and v4 options are taken from ip.opts/opt_len.
 * On success stores the frame length in *out_len and returns 0. */
int wire_emit(const struct wire_pkt *pkt, const uint8_t *payload,
	      uint32_t payload_len, unsigned flags, uint8_t *buf, size_t cap,
	      size_t *out_len);

/* Length in bytes of the option area pkt->tcp.opts would emit (unpadded). */
size_t wire_tcp_opts_len(const struct wire_tcp *tcp);

/* Flag letters in tcpdump order "FSRPAUEC" -> e.g. "SA" for SYN|ACK
 * written as tcpspec prints them: S F R P A U E C (SYN first). buf >= 10. */
void wire_flags_str(uint8_t flags, char *buf);

/* "ok", "bad", "partial", "unverified": the name of a checksum verdict in
 * packet lines, JSON records and reports. */
const char *wire_csum_name(enum wire_csum_verdict c);

/* Address to text (v4 dotted / v6 RFC 5952). buf >= 46. */
void wire_addr_str(uint8_t version, const uint8_t *addr, char *buf);

#endif
