/* track_priv: what analyzer/track.c (packets, connections, the model,
 * analysis, statistics), analyzer/track_expect.c (expectations on an
 * endpoint's later segments) and analyzer/track_rob.c (reassembly) share.
 * Private to those files. */
#ifndef TCPSPEC_TRACK_PRIV_H
#define TCPSPEC_TRACK_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "fsm.h"
#include "track.h"

/* Expectations an endpoint can owe at once; a further one is dropped
 * (unknown), never reported. */
#define TRACK_MAX_EXPECT 4

/* Out-of-order segments held per receiving endpoint until RCV.NXT
 * reaches them (fsm_rx FSM_ACT_HOLD, SHLD-31). Past this the model loses
 * them: RCV.NXT is then resynchronised from the endpoint's own ACKs. */
#define TRACK_MAX_HELD 16

/* RFC 9293 3.8.6.3 (MUST-40): an ACK may be delayed, "the delay MUST be
 * less than 0.5 seconds", and 3.10.7.4 (MUST-58) asks a receiver to
 * aggregate ACKs. An ACK owed for a not-acceptable segment is therefore
 * only missed when the data that shows it was skipped arrived at least
 * this long after the trigger. */
#define TRACK_ACK_DELAY_MAX TSTAMP_MS(500)

/* RFC 5961 7 (and Errata 4772): challenge ACKs and ACKs for out-of-window
 * segments may be throttled (Linux: one per 500 ms per socket,
 * net.ipv4.tcp_invalid_ratelimit). A second such reply owed within this
 * time of the previous trigger is unknown. */
#define TRACK_THROTTLE TSTAMP_MS(1000)
/* ...and across connections: Linux 3.6-4.6 sent at most 100 challenge ACKs
 * a second per host (net.ipv4.tcp_challenge_ack_limit), later kernels
 * about 1000 with randomisation. Past this many such replies owed in one
 * second of capture, the next ones are unknown. */
#define TRACK_THROTTLE_GLOBAL 90

enum track_exp_kind {
	TEXP_CHALLENGE_RST,     /* challenge ACK for an in-window RST (RFC 5961 3.2) */
	TEXP_CHALLENGE_SYN,     /* challenge ACK for a SYN (RFC 5961 4.2) */
	TEXP_CHALLENGE_ACK,     /* ACK for an ACK outside the range (RFC 5961 5.2) */
	TEXP_ACK_UNACCEPTABLE,  /* ACK for a not-acceptable segment (3.10.7.4) */
	TEXP_RESET,             /* the RST at RCV.NXT must end the connection */
	TEXP_NO_RESET,          /* the RST outside the window must not */
	TEXP_PAWS,              /* data with SEG.TSval < TS.Recent must not be taken
				   (RFC 7323 5.3 R1) */
	TEXP_OOW,               /* data wholly beyond the advertised window must not be
				   taken (3.10.7.4 first check) */
	TEXP_TW_FIN,            /* the FIN sent again into TIME-WAIT: an ACK, not a closed
				   port's RST (3.6.1 MUST-13, 3.10.7.4) */
};

/* One reply (or behaviour) an endpoint owes, from its peer's segment, the
 * trigger. All sequence numbers absolute. */
struct track_exp {
	uint8_t kind;           /* enum track_exp_kind */
	uint64_t trig_pkt;
	tstamp trig_ts;
	uint32_t trig_seq, trig_ack;
	bool trig_syn;          /* the trigger was a SYN (no ACK): kept in track_conn.syn */
	uint32_t ack;           /* the reply's ACK: the owing endpoint's RCV.NXT */
	uint32_t need;          /* the end of what the trigger's sender had sent before it
				   (or of the trigger's own text): an ACK past it acknowledges
				   something sent after the trigger */
	/* later segments of the trigger's sender */
	bool beyond;            /* one carried sequence space past need */
	tstamp beyond_ts;       /* ...the first of them, captured at */
	bool s_valid;           /* the first later segment the model says the
				   owing endpoint keeps the connection for */
	uint32_t s_ack;
	uint64_t s_pkt;
	/* TEXP_PAWS, TEXP_OOW: the trigger's first data octet; a later copy
	   of it that the receiver may take spoils the expectation */
	uint32_t data_seq;
	bool spoiled;
	uint32_t tsval;         /* PAWS: the trigger's TSval */
	uint32_t bound;         /* PAWS: TS.Recent is at least this; OOW: the highest
				   right edge the receiver advertised */
	uint8_t shift;          /* OOW: the receiver's window shift; 2^shift is the
				   rounding of its window (RFC 7323 2.4), 0 none */
	uint64_t bound_pkt;     /* PAWS: the peer's data that set bound */
	tstamp since, limit;    /* TW_FIN: when TIME-WAIT began, 2 MSL */
};

/* A held (out-of-order) segment: what fsm_rx needs to take it again. */
struct track_held {
	uint32_t seq, ack, len;
	uint16_t wnd, up;
	uint8_t flags;
	uint64_t pkt;
};

/* What the capture showed of one direction (the endpoint sending it):
 * the fields every packet reads, kept together (its arrays are in struct
 * track_cold). */
struct track_side {
	bool base_known;        /* base: ISN, else first sequence number seen */
	bool isn_known;
	bool sent;              /* any segment seen */
	bool ack_valid;
	bool lossy;             /* its stream shows loss or reordering at the capture */
	bool fin_seen;
	bool syn_seen;          /* its handshake SYN, with its window scale option */
	bool syn_ws;
	uint8_t syn_shift;
	bool syn_ts;            /* ...with a Timestamps option */
	bool synack_sent;       /* a SYN,ACK of its ISN seen */
	bool tw_sure;           /* its model entered TIME-WAIT on the peer's FIN that
				   also acknowledged its own FIN, and no RST or SYN of
				   the peer came since (track_ts.c) */
	bool throttle_valid;
	bool pre_close_valid;   /* track_cold.pre_close holds its model before its
				   peer's segment (or its own RST) closed it */
	bool rob_ready;         /* reassembly of what it sends */
	bool skip_pending;      /* the peer ACKed past a hole: skip to skip_to */
	uint8_t n_exp;          /* expectations this endpoint owes */
	uint8_t n_held;         /* segments its model holds behind a hole */
	uint32_t base;
	uint32_t max_end;       /* highest seq + SYN + len + FIN sent (valid with sent) */
	uint32_t last_ack;      /* ACK field of its last ACK-bearing segment */
	uint32_t fin_seq;
	uint32_t skip_to;
	tstamp throttle_ts;     /* last trigger of a throttleable reply it owed */
	tstamp tw_since;        /* its model entered TIME-WAIT (capture time) */
};

/* The newest TSval one endpoint was seen to send, for its peer's TSecr
 * check (track_ts.c). */
struct track_tsrec {
	bool valid;             /* a TSval seen (since the last reset) */
	bool spoiled;           /* a malformed or cut option list: what it sent is not known */
	uint32_t newest;
	uint64_t newest_pkt;
	tstamp newest_ts;       /* capture time of the newest TSval (RFC 7323 5.5: one
				   24 days old starts the record over) */
};

/* What the capture proves of an endpoint's TS.Recent (RFC 7323 4.3, 5.3):
 * at least `floor`, the TSval of the peer's data it acknowledged
 * (floor_pkt); cand: the peer's newest data that raises the floor once the
 * endpoint acknowledges it. */
struct track_paws {
	bool floor_valid, cand_valid;
	uint32_t floor, cand_seq, cand_tsval;
	uint64_t floor_pkt, cand_pkt;
	tstamp floor_ts, cand_ts;
};

/* The per-endpoint arrays, read only when something is owed or held. */
struct track_cold {
	struct track_exp exp[TRACK_MAX_EXPECT];
	struct track_held held[TRACK_MAX_HELD];
	struct tcb pre_close;
};

struct tracker;
struct track_conn;

struct track_rob_ctx {
	struct tracker *t;
	struct track_conn *c;
	uint8_t dir;
};

/* A SYN seen in a synchronized state, kept so that the connection can be
 * restarted from it if the peer answers it as a new connection (its TCB
 * was gone, e.g. after a reboot). */
struct track_syn_copy {
	bool valid;
	uint8_t dir;
	tstamp ts;
	struct seg s;           /* data pointer cleared */
};

/* The payload of one flow. Zeroed by the flow table for every new
 * connection; `started` is set by conn_begin. */
struct track_conn {
	bool started;
	bool lingering;                 /* closed and reported (track.h, "Closed") */
	bool handshake_seen;
	uint8_t version;
	uint64_t conn_id;
	struct track_endpoints ep;      /* direction 0 */
	tstamp first_ts, last_ts;
	uint64_t first_pkt, last_pkt;
	uint64_t findings[FINDING_ANALYSIS + 1];
	struct tcb tcb[2];              /* the endpoint sending direction d */
	struct track_side side[2];
	struct track_tsrec ts[2];       /* the newest TSval endpoint d sent */
	struct track_paws paws[2];      /* endpoint d's TS.Recent */
	bool ws_pinned;                 /* both SYNs seen: the window scales are known */
	bool shift_known[2];
	uint8_t shift[2];               /* applied to the windows direction d sends */
	struct analysis ana;
	struct stats_conn stats;
	struct rob rob[2];
	struct track_rob_ctx robctx[2];
	struct track_syn_copy syn;
	struct track_cold cold[2];
};

/* Reassembly buffers of ended connections kept for the next ones (with
 * their history buffer as it grew, up to 2 * hist_cap): a capture of many
 * short connections stops allocating and faulting pages in once warm.
 * Bounded: at most this many, each up to 64 KiB with the default hist_cap. */
#define TRACK_ROB_POOL 64

struct tracker {
	struct track_config cfg;
	struct flow_table *ft;
	struct rob rob_pool[TRACK_ROB_POOL];
	unsigned n_rob_pool;
	/* throttleable replies owed in the current second, all connections */
	tstamp thr_start;
	unsigned thr_count;
	struct track_expect_stats exp_stats;
	uint64_t late_segments;
	/* scratch reused for every packet: no per-packet allocation */
	struct fsm_out tx, rx, refeed;
	struct analysis_out aout;
	/* the packet being processed, for callbacks from rob */
	uint64_t cur_pkt;
	tstamp cur_ts;
};

/* What track_exp_trigger needs of the receiver's TCB before fsm_rx (a
 * copy of the whole TCB per packet would cost more than the check). */
struct track_before {
	enum tcp_state state;
	uint32_t known;
	uint32_t rcv_nxt, rcv_wnd;
	bool rfc5961;
};

/* track.c */
void track_ep_of_dir(const struct track_conn *c, int dir, struct track_endpoints *ep);
void track_emit(struct tracker *t, struct track_conn *c, int dir, const struct finding *f,
		uint64_t pkt, uint64_t ref_pkt, tstamp ts);
uint32_t track_rel(const struct track_conn *c, int dir, uint32_t seq);
static inline bool track_conn_lossy(const struct track_conn *c)
{
	return c->side[0].lossy || c->side[1].lossy;
}

/* track_rob.c */
/* The payload of s (sent in direction dir) into dir's stream. */
int track_rob_feed(struct tracker *t, struct track_conn *c, int dir, const struct seg *s);
/* s, from dir, may ACK past a hole in the peer's stream. */
void track_rob_note_ack(struct track_conn *c, int dir, const struct seg *s);
/* End of the connection: pending skips, buffered data, the buffers back
 * to the pool. */
void track_rob_end(struct tracker *t, struct track_conn *c, int dir);

/* track_ts.c */
#define TRACK_TS_IDLE ((tstamp)24 * 24 * 3600 * 1000 * 1000 * 1000)

void track_ts_segment_slow(struct tracker *t, struct track_conn *c, int dir,
			   const struct seg *s, tstamp ts);

/* Segment s of endpoint dir, before the state machine: its TSecr is
 * checked against the TSvals its peer sent (TSECR-NOT-ECHOED), its ACK
 * may prove what its TS.Recent holds, and its TSval is recorded. Inline:
 * the usual segment (no SYN, an echo no newer than the peer's newest TSval,
 * no TS.Recent proof pending) only moves the newest TSval on; the rest
 * goes to track_ts_segment_slow(), which also starts a record over after
 * 24 days (RFC 7323 5.5). A record left stale meanwhile only makes the
 * check more cautious: the clock bound grows with its age. */
static inline void track_ts_segment(struct tracker *t, struct track_conn *c, int dir,
				    const struct seg *s, tstamp ts)
{
	struct track_tsrec *r = &c->ts[dir];
	const struct track_tsrec *p = &c->ts[!dir];

	if (s->has_ts && (int32_t)(s->tsecr - p->newest) <= 0 && r->valid && p->valid &&
	    !((s->flags & WIRE_TH_SYN) | s->opt_malformed | c->paws[dir].cand_valid)) {
		if ((int32_t)(s->tsval - r->newest) > 0) {
			r->newest = s->tsval;
			r->newest_pkt = s->pkt;
			r->newest_ts = ts;
		}
		return;
	}
	if (s->has_ts || (s->flags & WIRE_TH_SYN) || s->opt_malformed || c->paws[dir].cand_valid)
		track_ts_segment_slow(t, c, dir, s, ts);
}

/* Segment s of endpoint dir after fsm_rx of its peer (before: the
 * peer's TCB before it): data that raises the peer's TS.Recent once
 * acknowledged; the peer's TIME-WAIT. Only data at the peer's last ACK,
 * or a peer now in TIME-WAIT, has anything to give it. */
void track_ts_after(struct track_conn *c, int dir, const struct seg *s, tstamp ts,
		    const struct track_before *before);

/* track_expect.c */
/* Segment s of endpoint `dir` (before the state machine sees it):
 * settles what that endpoint owed. Returns true when the connection
 * must be restarted from the kept SYN (the endpoint answered it as a new
 * connection). */
bool track_exp_reply(struct tracker *t, struct track_conn *c, int dir, const struct seg *s,
		     tstamp ts);
/* Segment s of endpoint `dir`, after fsm_rx of its peer gave rx: notes it
 * on what the peer owes, then adds what rx says the peer now owes.
 * before: the peer's TCB before fsm_rx. */
void track_exp_trigger(struct tracker *t, struct track_conn *c, int dir, const struct seg *s,
		       tstamp ts, const struct track_before *before, const struct fsm_out *rx);
/* Everything owed is dropped (unknown): the connection ended, or the
 * model lost track. */
void track_exp_clear(struct tracker *t, struct track_conn *c);

#endif
