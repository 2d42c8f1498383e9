/* libFuzzer target: wire_decode on arbitrary frames, then everything a
 * consumer does with the result (reasons, flag and address strings) and
 * wire_emit on every decoded TCP packet.
 *
 * Input: byte 0 selects the link type (low 3 bits) and how the capture is
 * cut (high 5 bits); the rest is the frame. Each input is decoded as
 * captured whole, as cut by a snaplen (caplen < wirelen, in an exactly
 * sized heap copy so ASan sees any read past caplen), as longer on the
 * wire than captured, and with a wirelen below caplen (a bad writer).
 *
 * Oracles on top of "no crash, no sanitizer report":
 *  - emit with every KEEP flag is idempotent through decode: once emitted,
 *    decoding and emitting again gives the same bytes, for packets whose
 *    decode lost nothing (whole segment captured, option walk complete);
 *  - emit with computed fields always yields a packet that decodes with a
 *    correct TCP (and IPv4 header) checksum, and with BAD_*_CSUM one whose
 *    checksums decode as bad (never as correct or as an offload seed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "wire.h"

#define NLINKS 8
#define KEEP_ALL (WIRE_EMIT_KEEP_TCP_CSUM | WIRE_EMIT_KEEP_IP_CSUM | \
		  WIRE_EMIT_KEEP_DOFF | WIRE_EMIT_KEEP_IP_LEN)
/* link 28 + IPv4 60 + TCP 60 + the largest payload an IP length allows */
#define EMIT_CAP (28 + 60 + 60 + 65535)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct wire_pkt *p)
{
	fprintf(stderr, "oracle failed: %s (link %d, v%u, caplen %u, wirelen %u)\n",
		what, (int)p->link, p->ip.version, p->caplen, p->wirelen);
	abort();
}

static bool has_problem(const struct wire_pkt *p, enum finding_id id)
{
	for (unsigned i = 0; i < p->n_problems; i++)
		if (p->problems[i].id == id)
			return true;
	return false;
}

/* Everything a report does with a decoded packet. */
static void use_result(const struct wire_pkt *p)
{
	char reason[256], flags[16], addr[64];

	if (p->n_problems > WIRE_MAX_PROBLEMS)
		fail("n_problems out of range", p);
	for (unsigned i = 0; i < p->n_problems; i++) {
		if (!finding_info(p->problems[i].id))
			fail("problem without catalogue entry", p);
		finding_reason(&p->problems[i], reason, sizeof(reason));
		if (!memchr(reason, 0, sizeof(reason)))
			fail("reason not terminated", p);
	}
	wire_flags_str(p->tcp.flags, flags);
	if (p->has_ip) {
		wire_addr_str(p->ip.version, p->ip.src, addr);
		wire_addr_str(p->ip.version, p->ip.dst, addr);
		wire_addr_str(p->ip.version, p->ip.csum_src, addr);
		wire_addr_str(p->ip.version, p->ip.csum_dst, addr);
	}
	if (p->has_tcp && p->tcp.payload_caplen && !p->tcp.payload)
		fail("payload bytes without a pointer", p);
}

/* The frame fits a buffer of exactly its size (ASan checks the writes
 * stay inside) and not one byte less. */
static void check_exact_cap(const struct wire_pkt *p, const uint8_t *frame,
			    size_t n)
{
	uint8_t *exact = malloc(n);
	size_t m = 0;

	if (!exact)
		return;
	if (wire_emit(p, p->tcp.payload, p->tcp.payload_caplen, KEEP_ALL,
		      exact, n, &m) || m != n || memcmp(exact, frame, n))
		fail("emit into an exactly sized buffer differs", p);
	if (wire_emit(p, p->tcp.payload, p->tcp.payload_caplen, KEEP_ALL,
		      exact, n - 1, &m) != WIRE_ERR_NOSPACE)
		fail("emit into a buffer one byte short did not fail", p);
	free(exact);
}

/* Emit with kept fields, decode, emit again: the two frames must match
 * when the first decode kept every byte of the segment. */
static void check_keep_idempotent(const struct wire_pkt *p, uint8_t *out1,
				  uint8_t *out2)
{
	struct wire_pkt d2;
	size_t n1 = 0, n2 = 0;
	int rc;

	rc = wire_emit(p, p->tcp.payload, p->tcp.payload_caplen, KEEP_ALL,
		       out1, EMIT_CAP, &n1);
	if (rc == WIRE_ERR_NOSPACE)
		fail("NOSPACE with a buffer for any packet", p);
	if (rc) {
		/* only a kept IP length past 65535 (jumbo, TSO) is refused */
		if (p->ip.l4_len + (p->ip.version == 4 ? p->ip.hdr_len : 0u) <= 0xFFFF)
			fail("kept emit of a decoded packet refused", p);
		return;
	}
	check_exact_cap(p, out1, n1);
	if (p->tcp_csum == WIRE_CSUM_UNVERIFIED || p->ip.n_ext ||
	    p->problems_truncated || has_problem(p, FND_TCP_OPT_BAD_LENGTH) ||
	    has_problem(p, FND_TCP_OPT_PAST_HEADER))
		return; /* the decode dropped bytes: no exact oracle */
	wire_decode(p->link, out1, (uint32_t)n1, (uint32_t)n1, &d2);
	use_result(&d2);
	if (!d2.has_tcp)
		fail("kept re-emit lost the TCP header", p);
	rc = wire_emit(&d2, d2.tcp.payload, d2.tcp.payload_caplen, KEEP_ALL,
		       out2, EMIT_CAP, &n2);
	if (rc)
		fail("second kept emit failed", p);
	if (n1 != n2 || memcmp(out1, out2, n1))
		fail("kept emit not idempotent", p);
}

/* Emit with computed lengths and checksums: always a correct packet. */
static void check_computed_is_valid(const struct wire_pkt *p, uint8_t *out)
{
	struct wire_pkt d2;
	unsigned flags;
	size_t n = 0;
	int rc;

	rc = wire_emit(p, p->tcp.payload, p->tcp.payload_caplen, 0, out,
		       EMIT_CAP, &n);
	if (rc == WIRE_ERR_NOSPACE)
		fail("NOSPACE with a buffer for any packet", p);
	if (rc)
		fail("computed emit of a decoded packet refused", p);
	/* a fragment's TCP checksum cannot be verified from one packet */
	if (p->ip.mf || p->ip.frag_offset)
		return;
	wire_decode(p->link, out, (uint32_t)n, (uint32_t)n, &d2);
	use_result(&d2);
	if (!d2.has_tcp || d2.tcp_csum != WIRE_CSUM_OK || !d2.ip.ip_csum_ok)
		fail("computed emit does not verify", p);
	if (d2.tcp.seq != p->tcp.seq || d2.tcp.ack != p->tcp.ack ||
	    d2.tcp.flags != p->tcp.flags ||
	    d2.tcp.payload_caplen != p->tcp.payload_caplen)
		fail("computed emit changed the segment", p);

	/* Fault injection: a spoiled checksum never verifies, nor reads as
	 * an offload seed (PARTIAL). */
	flags = WIRE_EMIT_BAD_TCP_CSUM |
		(p->ip.version == 4 ? WIRE_EMIT_BAD_IP_CSUM : 0);
	if (wire_emit(p, p->tcp.payload, p->tcp.payload_caplen, flags, out,
		      EMIT_CAP, &n))
		fail("faulty emit refused", p);
	wire_decode(p->link, out, (uint32_t)n, (uint32_t)n, &d2);
	use_result(&d2);
	if (!d2.has_tcp || d2.tcp_csum != WIRE_CSUM_BAD ||
	    (p->ip.version == 4 && d2.ip.ip_csum_ok))
		fail("spoiled checksum not reported as bad", p);
}

static void run(enum wire_link link, const uint8_t *buf, uint32_t caplen,
		uint32_t wirelen)
{
	uint8_t out1[EMIT_CAP], out2[EMIT_CAP];
	struct wire_pkt p;

	if (wire_decode(link, buf, caplen, wirelen, &p))
		abort(); /* buf and out are valid: never INVAL */
	use_result(&p);
	if (!p.has_tcp)
		return;
	if (wire_tcp_opts_len(&p.tcp) > 40)
		fail("decoded options longer than a header holds", &p);
	check_keep_idempotent(&p, out1, out2);
	check_computed_is_valid(&p, out1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum wire_link link;
	uint32_t len, cut;
	uint8_t *copy;

	if (size < 1 || size > 65535)
		return 0;
	link = (enum wire_link)(data[0] % NLINKS);
	len = (uint32_t)size - 1;
	cut = (uint32_t)(((uint64_t)len * (data[0] >> 3)) / 32);

	run(link, data + 1, len, len);
	run(link, data + 1, len, len + 1 + (data[0] >> 3) * 97u);
	run(link, data + 1, len, len / 2);
	/* snaplen: caplen bytes in a buffer of exactly that size */
	copy = malloc(cut ? cut : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, cut);
	run(link, copy, cut, len);
	free(copy);
	return 0;
}
