/* rob: reassembly of one direction's byte stream.
 *
 * In-order data is passed on zero-copy (a pointer into the caller's
 * packet); only out-of-order data is copied, into ranges whose total size
 * is bounded. Overlaps are resolved by a selectable policy, and
 * overlapping bytes that differ are reported: the receiver and an IDS may
 * see different streams (RFC 9293 3.10.7.4 leaves the choice open;
 * target-based policies after Novak & Sturges, as in Snort and Suricata).
 *
 * Sequence arithmetic is modulo 2^32 throughout. */
#ifndef TCPSPEC_ROB_H
#define TCPSPEC_ROB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROB_ERR_NOMEM -1
#define ROB_ERR_INVAL -2

/* Out-of-order ranges held at most unless the caller changes max_ranges
 * after rob_init (bounds per-range overhead and the list walk). */
#define ROB_DEFAULT_MAX_RANGES 1024
/* Largest hist_cap rob_init accepts. */
#define ROB_MAX_HIST (1u << 30)

enum rob_policy {
	ROB_POLICY_FIRST,    /* bytes seen first win */
	ROB_POLICY_LAST,     /* bytes seen last win */
	ROB_POLICY_LINUX,
	ROB_POLICY_BSD,
	ROB_POLICY_WINDOWS,
};

int rob_policy_by_name(const char *name, enum rob_policy *out);
const char *rob_policy_name(enum rob_policy p);

enum rob_event_type {
	ROB_EV_DATA,       /* in-order bytes [seq, seq+len) at data */
	ROB_EV_GAP,        /* [seq, seq+len) will never be seen (lost before the capture) */
	ROB_EV_OVERLAP,    /* [seq, seq+len) arrived again with different bytes;
			      old/new point at the differing bytes when still known */
	ROB_EV_LIMIT,      /* out-of-order memory bound hit: [seq, seq+len) skipped as a gap */
};

struct rob_event {
	enum rob_event_type type;
	uint32_t seq, len;
	const uint8_t *data;            /* DATA */
	const uint8_t *old_data, *new_data; /* OVERLAP, may be NULL if not retained */
	uint64_t pkt;                   /* packet that caused it */
};

typedef void (*rob_sink)(void *ctx, const struct rob_event *ev);

struct rob_range;

struct rob {
	enum rob_policy policy;
	bool started;
	uint32_t next;                  /* next in-order sequence number */
	struct rob_range *ranges;       /* out-of-order ranges, sorted by seq */
	size_t ooo_bytes, ooo_limit;
	size_t nranges, max_ranges;     /* ranges held; LIMIT past max_ranges */
	rob_sink sink;
	void *ctx;
	/* counters; an overlap is one segment against the delivered bytes or
	 * against one held range, mismatched when any byte differs */
	uint64_t bytes_delivered, bytes_gap, overlaps, overlap_mismatches;
	uint64_t limits;                /* ROB_EV_LIMIT events */
	uint64_t overlap_unchecked;     /* overlaps with delivered bytes no longer in hist */
	/* a short history of delivered bytes so that retransmissions of data
	 * already passed on can be compared (bounded, see rob.c) */
	uint8_t *hist;                  /* hist_size bytes, the history contiguous in them */
	uint32_t hist_cap, hist_len;    /* bytes [next - hist_len, next) are in hist */
	uint32_t hist_off;              /* ...starting at hist + hist_off */
	uint32_t hist_size;             /* grown as bytes are delivered, doubling from
					   4 KiB: at most 2 * hist_cap */
};

/* ooo_limit: out-of-order bytes held at most; hist_cap: delivered bytes
 * kept for comparing retransmissions (0 = none). Allocates nothing: the
 * history buffer grows with what is delivered. 0 or ROB_ERR_INVAL. */
int rob_init(struct rob *r, enum rob_policy policy, size_t ooo_limit,
	     uint32_t hist_cap, rob_sink sink, void *ctx);
/* Back to the state rob_init left, for another stream: buffered data
 * dropped without events, history emptied, counters cleared, not started;
 * the policy, limits and the history buffer (its memory) kept. Events go
 * to sink/ctx from now on. */
void rob_reset(struct rob *r, rob_sink sink, void *ctx);
/* Sets the first expected sequence number (ISN + 1, or the first seen;
 * rob_add and rob_skip_to start at their seq if this was not called).
 * Called again with another number, it discards buffered data and history
 * without events. */
void rob_start(struct rob *r, uint32_t next);
/* Adds a segment's payload. Events are emitted through the sink, in
 * stream order. Returns 0 or a negative ROB_ERR_*: ROB_ERR_INVAL for
 * len > 2^31, data NULL with len > 0, or a segment ending more than 2^31
 * past next (ambiguous modulo 2^32). */
int rob_add(struct rob *r, uint32_t seq, const uint8_t *data, uint32_t len, uint64_t pkt);
/* Everything before seq is known to be lost (e.g. the receiver ACKed past
 * a hole the capture never saw): emit a GAP up to seq and deliver what
 * was buffered from there. */
int rob_skip_to(struct rob *r, uint32_t seq, uint64_t pkt);
/* End of stream: buffered ranges are delivered with the gaps before them. */
int rob_flush(struct rob *r, uint64_t pkt);
void rob_free(struct rob *r);

struct finding;
/* The catalogue finding for an OVERLAP or LIMIT event (sequence numbers
 * relative to base, e.g. the ISN): true and *out filled, false for DATA
 * and GAP, whose meaning depends on what the caller knows (ACKs). */
bool rob_event_finding(const struct rob *r, const struct rob_event *ev, uint32_t base,
		       struct finding *out);

#endif
