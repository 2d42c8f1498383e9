/* pktbuild: packets built byte by byte for the tests, and the decoder
 * tests' checks (test_wire_link.c, test_wire_ip.c, test_wire_tcp.c).
 *
 * Builders write valid checksums (csum.h) with fixed addresses, ports and
 * numbers (PB_SRC4, PB_SPORT, ...). pb_decode_cw() decodes from a heap
 * copy of exactly caplen bytes so that AddressSanitizer catches any read
 * past the captured data; the copies live in the test's state, set up by
 * pb_setup() and freed by pb_teardown() or pb_release(). The checks fail
 * the running cmocka test. */
#ifndef TCPSPEC_TESTS_PKTBUILD_H
#define TCPSPEC_TESTS_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "wire.h"

/* (pointer, length) of a byte-array literal. */
#define PB_BYTES(...) \
	(const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define PB_NO_BYTES NULL, 0

extern const uint8_t PB_SRC4[4], PB_DST4[4];
extern const uint8_t PB_SRC6[16], PB_DST6[16];
/* A Mobile IPv6 home address (routing type 2, Home Address option). */
extern const uint8_t PB_HOME6[16];
extern const uint8_t PB_MAC_DST[6], PB_MAC_SRC[6];

#define PB_SPORT 40000
#define PB_DPORT 80
#define PB_SEQ   0x01020304u
#define PB_ACK   0x0a0b0c0du

/* ---- byte helpers and packet builders ---------------------------------- */

void pb_be16(uint8_t *p, uint16_t v);
void pb_be32(uint8_t *p, uint32_t v);
uint16_t pb_rd16(const uint8_t *p);
uint32_t pb_rd32(const uint8_t *p);

/* TCP header (ACK|PSH, window 65535) + options (a multiple of 4) + data. */
size_t pb_put_tcp(uint8_t *p, const uint8_t *opts, size_t opt_len,
		  const void *data, size_t dlen);
/* Sets the TCP checksum of the len-byte segment at tcp. */
void pb_tcp_csum_set(uint8_t *tcp, size_t len, uint64_t pseudo);
/* Recomputes the IPv4 header checksum. */
void pb_fix_v4_hdr(uint8_t *ip);
/* Recomputes the IPv4 header checksum and the TCP checksum from the
 * header's own IHL and total length. */
void pb_fix_v4(uint8_t *ip);
/* IPv4 (DF, TTL 64, id 0x1234) with options + TCP; returns total length. */
size_t pb_build_v4(uint8_t *p, const uint8_t *ipopts, size_t ipopt_len,
		   const uint8_t *opts, size_t opt_len, const void *data,
		   size_t dlen);
/* IPv6 (flow label 0x12345, hop limit 64) + extension bytes + TCP. The
 * TCP checksum uses cs_src/cs_dst (NULL: the header's addresses). */
size_t pb_build_v6(uint8_t *p, uint8_t first_nh, const uint8_t *ext,
		   size_t ext_len, const uint8_t *opts, size_t opt_len,
		   const void *data, size_t dlen, const uint8_t *cs_src,
		   const uint8_t *cs_dst);
/* Ethernet header, PB_MAC_SRC -> PB_MAC_DST; returns 14. */
size_t pb_put_eth(uint8_t *p, uint16_t type);
/* Ethernet + IPv4 + TCP("hello"). */
size_t pb_eth_v4_hello(uint8_t *f);
/* Ethernet + ntags 802.1Q tags (TPIDs from tpid[], PCP 1, VIDs 100, 101,
 * ...) + IPv4 + TCP("hello"). */
size_t pb_vlan_frame(uint8_t *f, const uint16_t *tpid, int ntags);

/* ---- decoding with exact-size buffers ---------------------------------- */

/* cmocka fixtures: *state holds the decode copies. */
int pb_setup(void **state);
int pb_teardown(void **state);
/* Frees the earlier decode buffers (their packets must not be used). */
void pb_release(void **state);

/* wire_decode() of the first caplen bytes of f (wirelen on the wire) from
 * an exact-size copy; asserts success and the invariants that hold for
 * any input, valid or not. */
void pb_decode_cw(void **state, enum wire_link link, const uint8_t *f,
		  uint32_t caplen, uint32_t wirelen, struct wire_pkt *pkt);

/* The whole frame captured; uses the test's `state`. */
#define pb_decode(link, f, len, pkt) \
	pb_decode_cw(state, link, f, (uint32_t)(len), (uint32_t)(len), pkt)

/* ---- checks ------------------------------------------------------------- */

void pb_expect_clean(const struct wire_pkt *pkt);
/* Problem id present, with these values. */
void pb_expect_problem(const struct wire_pkt *pkt, enum finding_id id,
		       unsigned long long v0, unsigned long long v1,
		       unsigned long long v2);
/* Exactly these n problems (enum finding_id), in any order. */
void pb_expect_only(const struct wire_pkt *pkt, int n, ...);
/* The TCP segment built by pb_put_tcp() decoded as such. */
void pb_expect_std_tcp(const struct wire_pkt *pkt, size_t opt_len,
		       size_t dlen);

#endif
