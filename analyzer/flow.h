/* flow: the analyzer's table of TCP connections, keyed by the 4-tuple.
 *
 * Both directions of a tuple map to one flow; the caller is told the
 * direction of each packet: 0 = from the flow's initiator (the SYN sender,
 * else the endpoint seen first), 1 = the other one.
 *
 * Open addressing (linear probing, backward-shift deletion), one
 * allocation per flow and none per packet. Flows idle longer than the
 * timeout are closed when the table is touched (taken from the head of
 * the LRU list, a bounded number per call); past max_flows the least
 * recently used flow is evicted. Every close goes through the end
 * callback with its reason: nothing is dropped silently.
 *
 * Lingering: when the caller knows a flow's connection is over (FIN
 * exchange, RST) it reports it and calls flow_linger. The flow then
 * leaves the LRU list for a deadline list, first in first out by the
 * time it started lingering, and stays findable with its payload for
 * cfg.linger of capture time, so that a late segment of the connection
 * (a retransmitted FIN or ACK) still finds it. It is closed, with the
 * reason given to flow_linger, at the same bounded pace per touch as
 * idle flows, or first when the table is full, or by a flush. A touch
 * during the linger starts it again from that time. Memory stays
 * O(live + lingering flows). */
#ifndef TCPSPEC_FLOW_H
#define TCPSPEC_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "seg.h"
#include "wire.h"

#define FLOW_ERR_INVAL  -1  /* bad argument (not TCP, bad config) */
#define FLOW_ERR_NOMEM  -2

/* Canonical key: endpoint 0 is the lower (address, port). 40 bytes, no
 * implicit padding, so it is hashed and compared as bytes. */
struct flow_key {
	uint16_t port[2];
	uint8_t version;        /* 4 or 6 */
	uint8_t pad[3];         /* zero */
	uint8_t addr[2][16];    /* v4 in the first 4 bytes, rest zero */
};

enum flow_end_reason {
	FLOW_END_IDLE,     /* idle longer than the timeout */
	FLOW_END_EVICTED,  /* table full: least recently used flow */
	FLOW_END_REUSED,   /* flow_restart: a new connection on the tuple */
	FLOW_END_REMOVED,  /* flow_remove by the caller */
	FLOW_END_FLUSH,    /* flow_flush / flow_table_free: end of capture */
	FLOW_END_CLOSED,   /* the connection closed (FIN exchange, RST): reported
			      by the caller when it closed (see flow_linger) */
};

struct flow {
	struct flow_key key;
	uint8_t init_side;      /* key endpoint (0/1) that is direction 0 */
	uint64_t conn_id;       /* 1, 2, ...: distinct per connection, even on one tuple */
	tstamp first_ts, last_ts;
	uint64_t first_pkt, last_pkt;
	uint64_t pkts[2];       /* per direction */
	bool lingering;         /* flow_linger: its connection is over and reported */

	/* table internals */
	uint32_t hash;
	uint8_t linger_why;     /* enum flow_end_reason for the close after the linger */
	tstamp linger_ts;       /* lingering since (capture time) */
	/* LRU list (least recently touched first), or for a lingering flow
	 * the deadline list (longest lingering first) */
	struct flow *lru_prev, *lru_next;
	struct flow *seen_prev, *seen_next; /* first-seen order */
	/* the caller's payload follows (flow_user) */
};

struct flow_table;

struct flow_config {
	size_t max_flows;       /* 0: no limit (lingering flows count) */
	tstamp idle_timeout;    /* 0: never */
	tstamp linger;          /* capture time a lingering flow stays (0: until
				   the next touch of the table) */
	size_t user_size;       /* bytes of caller payload per flow, zeroed */
	/* Called after a flow is created (payload zeroed) and before each
	 * close, with the reason; either may be NULL. The end callback must
	 * not touch the table. */
	void (*init)(void *ctx, struct flow *f);
	void (*end)(void *ctx, struct flow *f, enum flow_end_reason why);
	void *ctx;
	/* Allocator (NULL: calloc/free); lets tests count allocations. */
	void *(*alloc)(void *actx, size_t n);
	void (*release)(void *actx, void *p);
	void *actx;
};

/* Closes by reason (closed: after a linger, FLOW_END_CLOSED); live: flows
 * in the table, lingering ones included; peak: most live at once. */
struct flow_stats {
	uint64_t created, idle_closed, evicted, reused, removed, flushed, closed;
	size_t live, peak;
	size_t lingering, linger_peak;  /* of live: lingering now, most at once */
};

int flow_table_new(struct flow_table **out, const struct flow_config *cfg);
/* Closes every flow (as flow_flush) and frees. */
void flow_table_del(struct flow_table *t);

/* Builds the canonical key of a decoded packet; *src_side is the key
 * endpoint that sent it. FLOW_ERR_INVAL unless p->has_tcp. */
int flow_key_from_pkt(const struct wire_pkt *p, struct flow_key *k, int *src_side);
/* The same from parts (addresses of 4 or 16 bytes per version). */
int flow_key_make(uint8_t version, const uint8_t *src, const uint8_t *dst,
		  uint16_t sport, uint16_t dport, struct flow_key *k, int *src_side);

/* Finds or creates the flow of key for a packet sent by src_side with
 * TCP flags tcp_flags at time now (packet number pkt). Expires idle and
 * lingering flows (a bounded number) and evicts at the limit first. On
 * success stores the flow and the packet's direction and returns 1 if the
 * flow was created, else 0. A lingering flow is found while its linger
 * lasts (f->lingering tells), and lingers from now on. */
int flow_touch(struct flow_table *t, const struct flow_key *k, int src_side,
	       uint8_t tcp_flags, tstamp now, uint64_t pkt,
	       struct flow **out, int *dir);
/* Lookup without creating or touching; NULL when absent. */
struct flow *flow_find(const struct flow_table *t, const struct flow_key *k);

/* Port reuse: ends f's connection (end callback, FLOW_END_REUSED),
 * re-initialises the payload (init callback) and starts a new connection
 * on the same tuple with a new conn_id; the endpoint that sent in
 * direction sender_dir becomes direction 0. f stays valid. A lingering f
 * is live again (the end callback still sees f->lingering set). */
void flow_restart(struct flow_table *t, struct flow *f, int sender_dir,
		  tstamp now, uint64_t pkt);
/* f's connection is over and the caller has reported it: f lingers from
 * now for cfg.linger (see the top), then is closed with reason why
 * (through the end callback, f->lingering set). Again on a lingering
 * flow: starts its linger again. */
void flow_linger(struct flow_table *t, struct flow *f, tstamp now, enum flow_end_reason why);
/* Ends f (FLOW_END_REMOVED) and frees it. */
void flow_remove(struct flow_table *t, struct flow *f);
/* Closes flows idle at now and lingering flows whose linger is over (all
 * of them, not bounded); returns how many. */
size_t flow_expire(struct flow_table *t, tstamp now);
/* Closes every flow, in first-seen order: FLOW_END_FLUSH, or for a
 * lingering flow the reason given to flow_linger. */
void flow_flush(struct flow_table *t);

/* Live flows in first-seen order (a restarted connection counts as new):
 * for (f = flow_first(t); f; f = flow_next(f)). */
struct flow *flow_first(const struct flow_table *t);
struct flow *flow_next(const struct flow *f);

void *flow_user(struct flow *f);
const struct flow_stats *flow_table_stats(const struct flow_table *t);
/* Direction of a packet from key endpoint src_side. */
static inline int flow_dir(const struct flow *f, int src_side)
{
	return src_side != f->init_side;
}

/* The finding that reports an eviction (FND_FLOW_EVICTED). */
void flow_evicted_finding(const struct flow_table *t, const struct flow *f,
			  struct finding *out);

#endif
