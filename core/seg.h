/* seg: one TCP segment as the state machine sees it, whoever produced it
 * (a capture, the runner, the reference endpoint). A flat copy of what
 * the checks need, so core/fsm depends on no capture detail. */
#ifndef TCPSPEC_SEG_H
#define TCPSPEC_SEG_H

#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

/* Time in nanoseconds on the caller's clock (capture time for the
 * analyzer, virtual or monotonic time for the endpoint). */
typedef int64_t tstamp;
#define TSTAMP_MS(ms) ((tstamp)(ms) * 1000000)

struct seg {
	uint32_t seq, ack;
	uint8_t flags;           /* WIRE_TH_* */
	uint16_t wnd;            /* raw window field (unscaled) */
	uint16_t up;             /* urgent pointer */
	uint32_t len;            /* payload length (per the IP header) */
	const uint8_t *data;     /* captured payload, may be shorter than len */
	uint32_t caplen;         /* payload bytes present at data */

	/* options (RFC 9293 3.2, RFC 7323, RFC 2018) */
	bool has_mss, has_ws, sack_ok, has_ts;
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	uint8_t n_sack;
	struct { uint32_t left, right; } sack[WIRE_MAX_SACK];
	bool opt_malformed;      /* an option was malformed: typed values may be missing */

	bool csum_ok;            /* checksum verified or offloaded: the receiver would accept it */
	uint64_t pkt;            /* packet number in the capture, for findings (0 = none) */
};

/* Sequence space the segment occupies: SYN and FIN count one each. */
static inline uint32_t seg_seqlen(const struct seg *s)
{
	return s->len + !!(s->flags & WIRE_TH_SYN) + !!(s->flags & WIRE_TH_FIN);
}

/* Fills s from a decoded packet (which must have has_tcp). */
void seg_from_wire(struct seg *s, const struct wire_pkt *p, uint64_t pkt);

#endif
