/* track: the passive driver (see track.h and DESIGN.md, "One state
 * machine, two drivers").
 *
 * For a segment from endpoint A to endpoint B, in this order:
 *   1. the Wireshark-style analysis (analysis.c) labels it; a hole or a
 *      retransmission of unacknowledged data marks the direction "lossy"
 *      (note_loss), which makes every expectation on the connection
 *      unknown;
 *   2. what A owed from earlier segments is settled against it
 *      (track_expect.c);
 *   3. the capture's gaps are taken into the model: an ACK past what the
 *      model received (RCV.NXT) or past what the peer was seen to send
 *      moves the model there (the data was sent; the capture lost it);
 *   4. fsm_tx(A): was A allowed to send it; fsm_rx(B): what B does and
 *      owes; text B holds out of order is fed again once RCV.NXT reaches
 *      it (FSM_ACT_HOLD);
 *   5. what B now owes becomes an expectation on B's later segments;
 *   6. statistics, reassembly, the per-packet result.
 *
 * The model of an endpoint is what its segments and its peer's segments
 * say. When an endpoint's model was closed by its peer's segment (RST,
 * the last ACK) and it then sends as if still connected, the segment left
 * it before the peer's arrived (they crossed) or the peer's was lost
 * after the capture point: the model goes back to where it was, and
 * nothing is reported for it (the expectations decide, on evidence).
 *
 * Files: track.c (this: packets, connections, the model), track_expect.c
 * (expectations and their rules), track_rob.c (reassembly), track_priv.h.
 *
 * Closing: see conn_over() and track.h ("Closed"): the summary goes out
 * at the packet that closed the connection; its tuple lingers in the flow
 * table (flow_linger) for its late segments, which go through the model
 * (step 1-5 and the bookkeeping of 6, not the statistics or reassembly).
 *
 * Port reuse: see syn_starts_new(). The analysis labels (TRACK_L_*) and its
 * findings are passed on exactly as analysis.c gives them (Wireshark's
 * rules, including its "reused ports" on a SYN with another ISN).
 *
 * No allocation per packet: the per-connection state lives in the flow
 * table's payload; the scratch outputs live in struct tracker. */
#include "track.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "fsm.h"
#include "seq.h"
#include "track_priv.h"

#define TRACK_DEFAULT_OOO_LIMIT (1u << 20)   /* 1 MiB of out-of-order data per direction */
#define TRACK_DEFAULT_HIST (32u << 10)       /* 32 KiB of delivered data to compare retransmissions */
/* A closed connection's tuple is kept this long for its late segments: a
 * FIN or last ACK lost past the capture point is sent again one RTO later
 * (RFC 6298: 1 s at least; Linux 200 ms + RTT), and each late segment
 * starts the linger again. One sent after an RTO backed off to 2 s or
 * more comes after it, and starts a connection seen mid-stream. */
#define TRACK_DEFAULT_LINGER TSTAMP_MS(2000)

/* --- small helpers ------------------------------------------------------- */

static bool has(const struct seg *s, uint8_t f)
{
	return (s->flags & f) != 0;
}

static bool is_syn_only(const struct seg *s)
{
	return (s->flags & (WIRE_TH_SYN | WIRE_TH_ACK | WIRE_TH_RST)) == WIRE_TH_SYN;
}

static void ep_from_pkt(const struct wire_pkt *p, struct track_endpoints *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (!p->has_ip)
		return;
	ep->version = p->ip.version;
	memcpy(ep->src, p->ip.src, sizeof(ep->src));
	memcpy(ep->dst, p->ip.dst, sizeof(ep->dst));
	if (p->has_tcp) {
		ep->sport = p->tcp.sport;
		ep->dport = p->tcp.dport;
	}
}

/* The endpoints of direction dir of c (direction 0 is c->ep). */
void track_ep_of_dir(const struct track_conn *c, int dir, struct track_endpoints *ep)
{
	*ep = c->ep;
	if (dir) {
		memcpy(ep->src, c->ep.dst, sizeof(ep->src));
		memcpy(ep->dst, c->ep.src, sizeof(ep->dst));
		ep->sport = c->ep.dport;
		ep->dport = c->ep.sport;
	}
}

uint32_t track_rel(const struct track_conn *c, int dir, uint32_t seq)
{
	const struct track_side *sd = &c->side[dir & 1];

	return sd->base_known ? seq - sd->base : seq;
}

static void emit_raw(struct tracker *t, uint64_t conn_id, int dir, const struct track_endpoints *ep,
		     const struct finding *f, uint64_t pkt, uint64_t ref_pkt, tstamp ts)
{
	struct track_finding tf;

	if (!t->cfg.on_finding)
		return;
	tf.f = *f;
	tf.conn_id = conn_id;
	tf.dir = (uint8_t)dir;
	tf.pkt = pkt;
	tf.ref_pkt = ref_pkt;
	tf.ts = ts;
	tf.ep = *ep;
	t->cfg.on_finding(t->cfg.ctx, &tf);
}

void track_emit(struct tracker *t, struct track_conn *c, int dir, const struct finding *f,
		uint64_t pkt, uint64_t ref_pkt, tstamp ts)
{
	const struct finding_info *fi = finding_info(f->id);
	struct track_endpoints ep;

	if (fi && (unsigned)fi->level <= FINDING_ANALYSIS)
		c->findings[fi->level]++;
	if (!t->cfg.on_finding)
		return;
	track_ep_of_dir(c, dir, &ep);
	emit_raw(t, c->conn_id, dir, &ep, f, pkt, ref_pkt, ts);
}

static void emit_fsm(struct tracker *t, struct track_conn *c, int dir, const struct fsm_out *o,
		     uint64_t pkt, tstamp ts)
{
	for (unsigned i = 0; i < o->n_findings; i++)
		track_emit(t, c, dir, &o->findings[i], pkt, 0, ts);
}

/* --- connection begin / end ---------------------------------------------- */

/* ep0: the endpoints of direction 0; dir: the direction of s. */
static void conn_begin(struct tracker *t, struct flow *f, struct track_conn *c,
		       const struct track_endpoints *ep0, const struct seg *s, int dir, tstamp ts)
{
	const struct fsm_profile *prof = &t->cfg.profile;
	uint8_t ver = ep0->version;

	c->started = true;
	c->conn_id = f->conn_id;
	c->version = ver;
	c->ep = *ep0;
	c->first_ts = c->last_ts = ts;
	c->first_pkt = c->last_pkt = s->pkt;

	if (is_syn_only(s)) {
		/* An active open seen from its first segment: the sender is
		 * CLOSED and sends its SYN (fsm_tx takes it to SYN-SENT), the
		 * peer is taken as listening. */
		tcb_init(&c->tcb[dir], prof, TCP_CLOSED, ver);
		c->tcb[dir].known = TCB_K_STATE;
		tcb_init(&c->tcb[!dir], prof, TCP_LISTEN, ver);
		c->tcb[!dir].known = TCB_K_STATE;
		c->handshake_seen = true;
	} else if ((s->flags & (WIRE_TH_SYN | WIRE_TH_ACK | WIRE_TH_RST)) ==
		   (WIRE_TH_SYN | WIRE_TH_ACK)) {
		/* the SYN was not captured: states assumed */
		tcb_init(&c->tcb[dir], prof, TCP_SYN_RECEIVED, ver);
		tcb_init(&c->tcb[!dir], prof, TCP_SYN_SENT, ver);
	} else {
		/* mid-connection: both assumed ESTABLISHED, nothing known */
		tcb_init(&c->tcb[0], prof, TCP_ESTABLISHED, ver);
		tcb_init(&c->tcb[1], prof, TCP_ESTABLISHED, ver);
	}
	analysis_init(&c->ana, NULL);
	stats_conn_init(&c->stats);
}

/* The streams end (their buffers back to the pool) and the summary goes
 * out. */
static void conn_report(struct tracker *t, struct track_conn *c, enum flow_end_reason why)
{
	struct track_conn_summary sum;

	track_rob_end(t, c, 0);
	track_rob_end(t, c, 1);
	if (t->cfg.on_conn_end) {
		memset(&sum, 0, sizeof(sum));
		sum.conn_id = c->conn_id;
		sum.ep = c->ep;
		sum.first_ts = c->first_ts;
		sum.last_ts = c->last_ts;
		sum.first_pkt = c->first_pkt;
		sum.last_pkt = c->last_pkt;
		sum.end = why;
		sum.state[0] = c->tcb[0].state;
		sum.state[1] = c->tcb[1].state;
		sum.handshake_seen = c->handshake_seen;
		sum.stats = &c->stats;
		memcpy(sum.findings, c->findings, sizeof(sum.findings));
		t->cfg.on_conn_end(t->cfg.ctx, &sum);
	}
}

static void on_flow_end(void *ctx, struct flow *f, enum flow_end_reason why)
{
	struct tracker *t = ctx;
	struct track_conn *c = flow_user(f);

	if (!c->started)
		return;
	if (why == FLOW_END_EVICTED && !c->lingering) {
		struct finding fe;

		flow_evicted_finding(t->ft, f, &fe);
		track_emit(t, c, 0, &fe, c->last_pkt, 0, t->cur_ts);
	}
	/* What is still owed is unknown: the capture (or our memory of the
	 * connection) ended before the endpoint showed its choice. */
	track_exp_clear(t, c);
	/* a lingering connection was reported when it closed */
	if (!c->lingering)
		conn_report(t, c, why);
	else if (t->cfg.on_conn_gone)
		t->cfg.on_conn_gone(t->cfg.ctx, c->conn_id);
	c->started = false;
	c->lingering = false;
}

static bool closed_or_time_wait(enum tcp_state s)
{
	return s == TCP_CLOSED || s == TCP_TIME_WAIT;
}

/* The connection is over when both endpoints' models are CLOSED or in
 * TIME-WAIT (the FIN exchange with its last ACK, an RST that closed them,
 * a refused SYN), or when the receiver's model took an RST (reset: it
 * may be left in LISTEN). What the model closed wrongly (segments that
 * crossed, an RST its sender did not send, see revive()) comes back as
 * late segments and is handled as before. */
static bool conn_over(const struct track_conn *c, bool reset)
{
	return reset || (closed_or_time_wait(c->tcb[0].state) &&
			 closed_or_time_wait(c->tcb[1].state));
}

/* Closed: summarised now, the tuple lingers for late segments. What is
 * still owed stays owed: a late segment may settle it (an RST not
 * honoured shows in the data after it); the linger's end makes it
 * unknown. */
static void conn_close(struct tracker *t, struct flow *f, struct track_conn *c, tstamp ts)
{
	conn_report(t, c, FLOW_END_CLOSED);
	c->lingering = true;
	flow_linger(t->ft, f, ts, FLOW_END_CLOSED);
}

/* --- port reuse ----------------------------------------------------------- */

static bool state_over(enum tcp_state s)
{
	return s == TCP_CLOSED || s == TCP_LISTEN || s == TCP_TIME_WAIT;
}

/* A SYN (no ACK) from dir on a live flow: does it open a new connection?
 *  - the connection is over (both ends CLOSED, LISTEN or TIME-WAIT): yes;
 *  - the SYN repeats the sender's ISN: no (a retransmission);
 *  - the sender never got synchronized (a new attempt with another ISN),
 *    or either state is only assumed (the capture began mid-connection):
 *    yes, the likelier reading, and no conformance check rests on it;
 *  - otherwise both ends are synchronized and known: the SYN belongs to
 *    this connection, where RFC 5961 4.2 owes a challenge ACK for it. */
static bool syn_starts_new(const struct track_conn *c, int dir, const struct seg *s)
{
	const struct tcb *a = &c->tcb[dir], *b = &c->tcb[!dir];
	const struct track_side *sa = &c->side[dir];

	if (!is_syn_only(s))
		return false;
	if (state_over(a->state) && state_over(b->state))
		return true;
	if (sa->isn_known && s->seq == sa->base)
		return false;
	/* the sender never sent on this connection and its peer waits in
	 * SYN-SENT: the SYNs crossed (simultaneous open, RFC 9293 3.5 figure
	 * 8), one connection */
	if (!sa->sent && b->state == TCP_SYN_SENT && (b->known & TCB_K_STATE))
		return false;
	if (!tcp_state_synchronized(a->state) && a->state != TCP_CLOSED)
		return true;
	if (!(a->known & TCB_K_STATE) || !(b->known & TCB_K_STATE))
		return true;
	return false;
}

/* Ends c's connection and starts a new one on the same tuple with the
 * sender of direction dir as its originator. The analysis goes on as
 * Wireshark's does: a new conversation (labelled "reused ports") when the
 * SYN's ISN differs, else the same one. */
static void conn_restart(struct tracker *t, struct flow *f, struct track_conn *c,
			 const struct track_endpoints *ep0, const struct seg *s, int dir, tstamp ts)
{
	struct analysis keep;
	struct analysis_reuse r;
	bool reused = analysis_port_reused(&c->ana, dir, s, &r);

	if (!reused) {
		keep = c->ana;
		if (dir) {
			struct analysis_dir tmp = keep.dir[0];

			keep.dir[0] = keep.dir[1];
			keep.dir[1] = tmp;
		}
	}
	flow_restart(t->ft, f, dir, ts, s->pkt);
	conn_begin(t, f, c, ep0, s, 0, ts);
	if (reused)
		analysis_init(&c->ana, &r);
	else
		c->ana = keep;
}

/* --- the model and the capture's gaps ------------------------------------ */

static void held_add(struct track_conn *c, int rcv, const struct seg *s)
{
	struct track_side *sd = &c->side[rcv];
	struct track_held *held = c->cold[rcv].held, *h;
	unsigned i;

	for (i = 0; i < sd->n_held; i++)
		if (held[i].seq == s->seq && held[i].len == s->len && held[i].flags == s->flags)
			return; /* the same segment again */
	if (sd->n_held >= TRACK_MAX_HELD)
		return; /* lost to the model: an ACK past it resynchronises */
	h = &held[sd->n_held++];
	h->seq = s->seq;
	h->ack = s->ack;
	h->len = s->len;
	h->wnd = s->wnd;
	h->up = s->up;
	h->flags = s->flags;
	h->pkt = s->pkt;
}

/* Held segments of the peer's stream (held at endpoint rcv) that RCV.NXT
 * has reached are taken again (fsm_rx, FSM_ACT_HOLD). */
static void held_refeed(struct tracker *t, struct track_conn *c, int rcv, tstamp ts)
{
	struct track_side *sd = &c->side[rcv];
	struct track_held *held = c->cold[rcv].held;
	struct tcb *tb = &c->tcb[rcv];
	bool progress = true;

	/* each pass takes at most one segment (which moves RCV.NXT) and
	 * drops those wholly below it; at most TRACK_MAX_HELD passes */
	while (progress && sd->n_held) {
		progress = false;
		for (unsigned i = 0; i < sd->n_held;) {
			struct track_held h = held[i];
			uint32_t end = h.seq + h.len + ((h.flags & WIRE_TH_FIN) ? 1 : 0);
			struct seg s;

			if (!(tb->known & TCB_K_RCV) || seq_gt(h.seq, tb->rcv_nxt)) {
				i++;
				continue;
			}
			held[i] = held[--sd->n_held];
			if (!seq_gt(end, tb->rcv_nxt))
				continue; /* wholly taken meanwhile */
			memset(&s, 0, sizeof(s));
			s.seq = h.seq;
			s.ack = h.ack;
			s.flags = h.flags;
			s.wnd = h.wnd;
			s.up = h.up;
			s.len = h.len;
			s.csum_ok = true;
			s.pkt = h.pkt;
			if (fsm_rx(tb, &s, ts, &t->refeed) == 0)
				emit_fsm(t, c, !rcv, &t->refeed, h.pkt, ts);
			progress = true;
			break;
		}
	}
}

/* Before the state machine sees segment s of endpoint dir: what the
 * capture missed is taken from the ACKs (the data was sent and received;
 * the capture did not have it). */
static void resync(struct track_conn *c, int dir, const struct seg *s)
{
	struct tcb *ta = &c->tcb[dir], *tb = &c->tcb[!dir];
	struct track_side *sb = &c->side[!dir];

	if (!has(s, WIRE_TH_ACK) || has(s, WIRE_TH_RST) || !s->csum_ok)
		return;
	/* A acknowledges more than its model received: text held behind a
	 * hole, or never captured. */
	if ((ta->known & TCB_K_RCV) && seq_gt(s->ack, ta->rcv_nxt) &&
	    tcp_state_synchronized(ta->state)) {
		struct track_held *held = c->cold[!dir].held;

		ta->rcv_nxt = s->ack;
		for (unsigned i = 0; i < sb->n_held;) {
			const struct track_held *h = &held[i];

			if (!seq_gt(h->seq + h->len + ((h->flags & WIRE_TH_FIN) ? 1 : 0), s->ack))
				held[i] = held[--sb->n_held];
			else
				i++;
		}
		sb->lossy = true;
	}
	/* A acknowledges more than B was seen to send: B's data was not
	 * captured (or A is wrong; the capture cannot tell which). */
	if (sb->sent && seq_gt(s->ack, sb->max_end)) {
		if ((tb->known & TCB_K_SND) && seq_gt(s->ack, tb->snd_nxt)) {
			tb->snd_nxt = s->ack;
			if (seq_gt(s->ack, tb->snd_max))
				tb->snd_max = s->ack;
		}
		sb->max_end = s->ack;
		sb->lossy = true;
	}
}

/* An endpoint whose model was closed, sending again as if connected: by
 * its peer's segment (the segments crossed, or the peer's was lost after
 * the capture point), or by an RST in its name that it did not send (a
 * spoofed or injected RST without an ACK proving otherwise). Back to the
 * model before. */
static void revive(struct track_conn *c, int dir, const struct seg *s)
{
	struct track_side *sd = &c->side[dir];

	if (!sd->pre_close_valid || c->tcb[dir].state != TCP_CLOSED)
		return;
	/* its own RST with ACK = RCV.NXT: fsm_tx judges what follows
	 * (FND_TX_SEGMENT_AFTER_RST) */
	if (c->tcb[dir].closed_how == TCB_CLOSED_RST_ACK)
		return;
	if (has(s, WIRE_TH_RST) || is_syn_only(s))
		return;
	c->tcb[dir] = c->cold[dir].pre_close;
	sd->pre_close_valid = false;
}

/* --- one segment ---------------------------------------------------------- */

static const uint32_t label_map[ANALYSIS_N_LABELS] = {
	TRACK_L_RETRANS,            /* ANALYSIS_RETRANSMISSION */
	TRACK_L_LOST_SEGMENT,       /* ANALYSIS_LOST_SEGMENT */
	TRACK_L_ACK_LOST,           /* ANALYSIS_ACK_LOST_SEGMENT */
	TRACK_L_KEEP_ALIVE,         /* ANALYSIS_KEEP_ALIVE */
	TRACK_L_DUP_ACK,            /* ANALYSIS_DUP_ACK */
	TRACK_L_ZERO_WIN,           /* ANALYSIS_ZERO_WINDOW */
	TRACK_L_ZERO_WIN_PROBE,     /* ANALYSIS_ZERO_WINDOW_PROBE */
	TRACK_L_ZERO_WIN_PROBE_ACK, /* ANALYSIS_ZERO_WINDOW_PROBE_ACK */
	TRACK_L_KEEP_ALIVE_ACK,     /* ANALYSIS_KEEP_ALIVE_ACK */
	TRACK_L_OUT_OF_ORDER,       /* ANALYSIS_OUT_OF_ORDER */
	TRACK_L_FAST_RETRANS,       /* ANALYSIS_FAST_RETRANSMISSION */
	TRACK_L_WIN_UPDATE,         /* ANALYSIS_WINDOW_UPDATE */
	TRACK_L_WIN_FULL,           /* ANALYSIS_WINDOW_FULL */
	TRACK_L_PORTS_REUSED,       /* ANALYSIS_REUSED_PORTS */
	TRACK_L_SPURIOUS,           /* ANALYSIS_SPURIOUS_RETRANSMISSION */
};

_Static_assert(ANALYSIS_RETRANSMISSION == 1u << 0 && ANALYSIS_LOST_SEGMENT == 1u << 1 &&
	       ANALYSIS_ACK_LOST_SEGMENT == 1u << 2 && ANALYSIS_KEEP_ALIVE == 1u << 3 &&
	       ANALYSIS_DUP_ACK == 1u << 4 && ANALYSIS_ZERO_WINDOW == 1u << 5 &&
	       ANALYSIS_ZERO_WINDOW_PROBE == 1u << 6 && ANALYSIS_ZERO_WINDOW_PROBE_ACK == 1u << 7 &&
	       ANALYSIS_KEEP_ALIVE_ACK == 1u << 8 && ANALYSIS_OUT_OF_ORDER == 1u << 9 &&
	       ANALYSIS_FAST_RETRANSMISSION == 1u << 10 && ANALYSIS_WINDOW_UPDATE == 1u << 11 &&
	       ANALYSIS_WINDOW_FULL == 1u << 12 && ANALYSIS_REUSED_PORTS == 1u << 13 &&
	       ANALYSIS_SPURIOUS_RETRANSMISSION == 1u << 14,
	       "label_map follows the ANALYSIS_* bit order");

static uint32_t map_labels(uint32_t a)
{
	uint32_t l = 0;

	while (a) {
		unsigned b = (unsigned)__builtin_ctz(a);

		a &= a - 1;
		if (b < ANALYSIS_N_LABELS)
			l |= label_map[b];
	}
	return l;
}

static unsigned stats_flags(uint32_t a)
{
	unsigned f = 0;

	if (a & (ANALYSIS_RETRANSMISSION | ANALYSIS_FAST_RETRANSMISSION |
		 ANALYSIS_SPURIOUS_RETRANSMISSION))
		f |= STATS_F_RETRANS;
	if (a & ANALYSIS_ZERO_WINDOW)
		f |= STATS_F_ZERO_WIN;
	if (a & ANALYSIS_LOST_SEGMENT)
		f |= STATS_F_GAP;
	if (a & ANALYSIS_DUP_ACK)
		f |= STATS_F_DUP_ACK;
	if (a & ANALYSIS_OUT_OF_ORDER)
		f |= STATS_F_OUT_OF_ORDER;
	return f;
}

/* The handshake's window scales, once both SYNs are seen (RFC 7323 2.2:
 * scaling only when both SYNs carry the option). */
static void note_syn(struct track_conn *c, int dir, const struct seg *s)
{
	struct track_side *sd = &c->side[dir];

	sd->syn_seen = true;
	sd->syn_ws = s->has_ws;
	sd->syn_shift = s->ws > 14 ? 14 : s->ws;
	if (c->side[!dir].syn_seen && !c->ws_pinned) {
		bool on = c->side[0].syn_ws && c->side[1].syn_ws;

		for (int d = 0; d < 2; d++) {
			c->shift_known[d] = true;
			c->shift[d] = on ? c->side[d].syn_shift : 0;
			analysis_set_wscale(&c->ana, d, on ? c->side[d].syn_shift : ANALYSIS_WS_NONE);
		}
		c->ws_pinned = true;
	}
}

/* Loss or reordering between the sender and the capture point, or after
 * it, from what the capture showed the sender send (not from the
 * Wireshark labels, which an RST or a SYN of another incarnation skews:
 * Wireshark counts an RST's sequence number as sent): a segment beyond
 * the highest sequence sent (a hole), or sequence space sent again that
 * the peer had not acknowledged (a retransmission: something was lost or
 * reordered, before or after the capture point). Keep-alives and
 * retransmissions of acknowledged data are neither. */
static void note_loss(struct track_conn *c, int dir, const struct seg *s)
{
	struct track_side *sd = &c->side[dir];
	const struct track_side *sp = &c->side[!dir];
	uint32_t len = seg_seqlen(s), end = s->seq + len;

	if (!sd->sent || has(s, WIRE_TH_RST) || !len || !s->csum_ok)
		return;
	if (has(s, WIRE_TH_SYN) && !(sd->isn_known && s->seq == sd->base))
		return;
	/* the first SYN,ACK repeating the sender's own SYN once the peer's
	 * SYN came: a simultaneous open's answer (RFC 9293 3.5 figure 8), no
	 * sign of loss */
	if (has(s, WIRE_TH_SYN) && has(s, WIRE_TH_ACK) && !sd->synack_sent && sp->syn_seen)
		return;
	if (seq_gt(s->seq, sd->max_end)) {
		sd->lossy = true;
		return;
	}
	if (seq_lt(s->seq, sd->max_end) &&
	    !(sp->ack_valid && seq_leq(end, sp->last_ack)))
		sd->lossy = true;
}

/* Side bookkeeping after the segment: what the capture showed dir send. */
static void side_after(struct track_conn *c, int dir, const struct seg *s)
{
	struct track_side *sd = &c->side[dir];
	uint32_t end;

	if (!sd->base_known) {
		sd->base_known = true;
		sd->base = s->seq;
		if (has(s, WIRE_TH_SYN))
			sd->isn_known = true;
	}
	if (has(s, WIRE_TH_RST))
		return;
	/* a SYN that is not this side's ISN belongs to another incarnation */
	if (has(s, WIRE_TH_SYN) && !(sd->isn_known && s->seq == sd->base))
		return;
	end = s->seq + seg_seqlen(s);
	if (!sd->sent || seq_gt(end, sd->max_end))
		sd->max_end = end;
	sd->sent = true;
	if (has(s, WIRE_TH_ACK)) {
		sd->ack_valid = true;
		sd->last_ack = s->ack;
		if (has(s, WIRE_TH_SYN))
			sd->synack_sent = true;
	}
	if (has(s, WIRE_TH_FIN)) {
		sd->fin_seen = true;
		sd->fin_seq = end - 1;
	}
}

static int64_t scaled_window(const struct track_conn *c, int dir, const struct seg *s)
{
	if (has(s, WIRE_TH_SYN))
		return s->wnd; /* RFC 7323 2.2: never scaled */
	if (!c->shift_known[dir])
		return -1;
	return (int64_t)s->wnd << c->shift[dir];
}

/* Segment s from endpoint a (direction a) of c. replay: the segment was
 * analysed before (a restart from a kept SYN). */
static int segment(struct tracker *t, struct flow *f, struct track_conn *c,
		   const struct seg *s, int a, tstamp ts, bool replay, struct track_pkt_info *info)
{
	int b = !a;
	struct track_before before;
	bool may_close;
	struct analysis_out *ao = &t->aout;
	uint32_t labels = 0;
	bool reset = false;
	int rc = 0;

	/* 1. Wireshark-style analysis */
	if (!replay) {
		analysis_segment(&c->ana, a, s, ts, ao);
		if (ao->flags) {
			labels = map_labels(ao->flags);
			for (unsigned i = 0; i < ao->n_findings; i++)
				track_emit(t, c, a, &ao->findings[i], s->pkt, 0, ts);
		}
	}
	note_loss(c, a, s);
	/* its TSecr, its ACK for the peer's TS.Recent proof, its TSval */
	track_ts_segment(t, c, a, s, ts);

	/* 2. what a owed: its reply, or evidence that it chose not to */
	if (c->side[a].n_exp && track_exp_reply(t, c, a, s, ts) && !replay) {
		/* a answered a SYN as a new connection (it had no state for
		 * the old one): the connection restarts from that SYN, and this
		 * segment is the new connection's SYN,ACK */
		struct track_syn_copy syn = c->syn;
		struct analysis keep = c->ana;
		struct track_endpoints ep0;

		track_ep_of_dir(c, syn.dir, &ep0);
		if (syn.dir) {
			struct analysis_dir tmp = keep.dir[0];

			keep.dir[0] = keep.dir[1];
			keep.dir[1] = tmp;
		}
		flow_restart(t->ft, f, syn.dir, syn.ts, syn.s.pkt);
		conn_begin(t, f, c, &ep0, &syn.s, 0, syn.ts);
		c->ana = keep;
		rc = segment(t, f, c, &syn.s, 0, syn.ts, true, NULL);
		if (rc < 0)
			return rc;
		a = 1;
		b = 0;
		/* the new connection's record of this segment's TSval */
		track_ts_segment(t, c, a, s, ts);
	}

	/* 3. the capture's gaps, and crossings */
	revive(c, a, s);
	resync(c, a, s);

	/* 4. the state machine */
	if (has(s, WIRE_TH_RST) && c->tcb[a].state != TCP_CLOSED) {
		c->cold[a].pre_close = c->tcb[a];
		c->side[a].pre_close_valid = true;
	}
	if (fsm_tx(&c->tcb[a], s, ts, &t->tx) == 0)
		emit_fsm(t, c, a, &t->tx, s->pkt, ts);
	if (c->tcb[a].state != TCP_CLOSED)
		c->side[a].pre_close_valid = false;
	/* an RST that answers the SYN from SYN-RECEIVED before any SYN,ACK:
	 * the port was not listening (3.10.7.1), not an abort */
	if (has(s, WIRE_TH_RST) && c->tcb[a].state == TCP_SYN_RECEIVED &&
	    !(c->tcb[a].known & TCB_K_ISS))
		c->tcb[a].state = TCP_CLOSED;
	before.state = c->tcb[b].state;
	before.known = c->tcb[b].known;
	before.rcv_nxt = c->tcb[b].rcv_nxt;
	before.rcv_wnd = c->tcb[b].rcv_wnd;
	before.rfc5961 = c->tcb[b].prof.rfc5961;
	/* fsm_rx closes a TCB only on an RST or a SYN, or on the ACK of our
	 * FIN (CLOSING, LAST-ACK) or a bad one in SYN-RECEIVED: the copy to
	 * go back to is made only then */
	may_close = before.state != TCP_CLOSED &&
		    ((s->flags & (WIRE_TH_RST | WIRE_TH_SYN)) || before.state == TCP_LAST_ACK ||
		     before.state == TCP_CLOSING || before.state == TCP_SYN_RECEIVED ||
		     before.state == TCP_TIME_WAIT);
	if (may_close) {
		c->cold[b].pre_close = c->tcb[b];
		c->side[b].pre_close_valid = false;
	}
	if (fsm_rx(&c->tcb[b], s, ts, &t->rx) == 0) {
		const struct fsm_out *rx = &t->rx;

		emit_fsm(t, c, a, rx, s->pkt, ts);
		if (may_close && (rx->actions & FSM_ACT_CLOSED))
			c->side[b].pre_close_valid = true;
		reset = (rx->actions & FSM_ACT_RESET) != 0;
		if (rx->actions & FSM_ACT_HOLD)
			held_add(c, b, s);
		if ((rx->actions & (FSM_ACT_DELIVER | FSM_ACT_FIN_ACCEPTED)) && c->side[b].n_held)
			held_refeed(t, c, b, ts);
		/* 5. what b now owes; what b's TS.Recent and TIME-WAIT are */
		track_exp_trigger(t, c, a, s, ts, &before, rx);
		if ((s->len && c->side[b].last_ack == s->seq) || c->tcb[b].state == TCP_TIME_WAIT)
			track_ts_after(c, a, s, ts, &before);
	}
	if (has(s, WIRE_TH_SYN) && !has(s, WIRE_TH_RST) && !c->side[a].syn_seen)
		note_syn(c, a, s);

	/* 6. statistics, reassembly, bookkeeping (a lingering connection's
	 * statistics and streams were reported) */
	if (!c->lingering)
		stats_segment(&c->stats, a, s, ts, replay ? 0 : stats_flags(ao->flags),
			      scaled_window(c, a, s), !s->csum_ok);
	side_after(c, a, s);
	if (t->cfg.reassemble && !c->lingering) {
		track_rob_note_ack(c, a, s);
		rc = track_rob_feed(t, c, a, s);
	}
	c->last_ts = ts;
	c->last_pkt = s->pkt;

	if (info) {
		info->tracked = true;
		info->conn_id = c->conn_id;
		info->dir = (uint8_t)a;
		info->rel_seq = track_rel(c, a, s->seq);
		info->rel_ack_valid = has(s, WIRE_TH_ACK) && c->side[b].base_known;
		info->rel_ack = info->rel_ack_valid ? track_rel(c, b, s->ack) : 0;
		info->labels = labels;
		info->dup_ack_num = (labels & TRACK_L_DUP_ACK) ? ao->dupack_num : 0;
		info->dup_ack_of = (labels & TRACK_L_DUP_ACK) ? ao->dupack_of : 0;
		info->state[0] = c->tcb[0].state;
		info->state[1] = c->tcb[1].state;
		info->late = c->lingering;
	}
	if (c->lingering)
		t->late_segments++;
	else if (!replay && conn_over(c, reset))
		conn_close(t, f, c, ts);
	return rc;
}

/* --- the interface --------------------------------------------------------- */

void track_config_default(struct track_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	fsm_profile_default(&cfg->profile);
	cfg->policy = ROB_POLICY_FIRST;
	cfg->reassemble = true;
	cfg->ooo_limit = TRACK_DEFAULT_OOO_LIMIT;
	cfg->hist_cap = TRACK_DEFAULT_HIST;
	cfg->max_flows = 0;
	cfg->idle_timeout = 0;
	cfg->linger = TRACK_DEFAULT_LINGER;
}

int track_new(struct tracker **out, const struct track_config *cfg)
{
	struct tracker *t;
	struct flow_config fc;
	int rc;

	if (!out || !cfg || cfg->idle_timeout < 0 || cfg->linger < 0 ||
	    cfg->hist_cap > ROB_MAX_HIST || rob_policy_name(cfg->policy)[0] == '?')
		return TRACK_ERR_INVAL;
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return TRACK_ERR_NOMEM;
	t->cfg = *cfg;
	memset(&fc, 0, sizeof(fc));
	fc.max_flows = cfg->max_flows;
	fc.idle_timeout = cfg->idle_timeout;
	fc.linger = cfg->linger;
	fc.user_size = sizeof(struct track_conn);
	fc.end = on_flow_end;
	fc.ctx = t;
	rc = flow_table_new(&t->ft, &fc);
	if (rc < 0) {
		free(t);
		return rc == FLOW_ERR_NOMEM ? TRACK_ERR_NOMEM : TRACK_ERR_INVAL;
	}
	*out = t;
	return 0;
}

static void emit_problems(struct tracker *t, struct track_conn *c, int dir,
			  const struct wire_pkt *p, uint64_t pkt, tstamp ts)
{
	struct track_endpoints ep;

	if (!p->n_problems)
		return;
	if (c) {
		for (unsigned i = 0; i < p->n_problems; i++)
			track_emit(t, c, dir, &p->problems[i], pkt, 0, ts);
		return;
	}
	ep_from_pkt(p, &ep);
	for (unsigned i = 0; i < p->n_problems; i++)
		emit_raw(t, 0, 0, &ep, &p->problems[i], pkt, 0, ts);
}

/* The TCP header was not all captured (the snap length): the decoder
 * stops at the capture's end quietly, so typed option values (a TSval, a
 * SACK block) may be missing, as from a malformed option list. */
static bool header_cut(const struct wire_pkt *p)
{
	if (p->tcp_csum != WIRE_CSUM_UNVERIFIED)
		return false;
	for (unsigned i = 0; i < p->n_problems; i++)
		if (p->problems[i].id == FND_TCP_CHECKSUM_UNVERIFIED)
			return p->problems[i].v[0] < (unsigned long long)p->tcp.doff * 4;
	return true;
}

int track_packet(struct tracker *t, const struct wire_pkt *p, uint64_t pkt, tstamp ts,
		 struct track_pkt_info *info)
{
	struct flow_key key;
	struct flow *f;
	struct track_conn *c;
	struct seg s;
	int side, dir, rc;

	if (!t || !p)
		return TRACK_ERR_INVAL;
	if (info)
		memset(info, 0, sizeof(*info));
	t->cur_pkt = pkt;
	t->cur_ts = ts;
	if (!p->has_tcp || flow_key_from_pkt(p, &key, &side) < 0) {
		emit_problems(t, NULL, 0, p, pkt, ts);
		return 0;
	}
	seg_from_wire(&s, p, pkt);
	if (header_cut(p))
		s.opt_malformed = true;
	rc = flow_touch(t->ft, &key, side, s.flags, ts, pkt, &f, &dir);
	if (rc < 0) {
		emit_problems(t, NULL, 0, p, pkt, ts);
		return rc == FLOW_ERR_NOMEM ? TRACK_ERR_NOMEM : TRACK_ERR_INVAL;
	}
	c = flow_user(f);
	if (!c->started || (is_syn_only(&s) && syn_starts_new(c, dir, &s))) {
		struct track_endpoints ep, ep0;

		ep_from_pkt(p, &ep);
		ep0 = ep;
		if (dir && !c->started) {
			memcpy(ep0.src, ep.dst, sizeof(ep0.src));
			memcpy(ep0.dst, ep.src, sizeof(ep0.dst));
			ep0.sport = ep.dport;
			ep0.dport = ep.sport;
		}
		if (!c->started) {
			conn_begin(t, f, c, &ep0, &s, dir, ts);
		} else {
			conn_restart(t, f, c, &ep0, &s, dir, ts);
			dir = 0;
		}
	}
	emit_problems(t, c, dir, p, pkt, ts);
	return segment(t, f, c, &s, dir, ts, false, info);
}

void track_finish(struct tracker *t)
{
	if (t)
		flow_flush(t->ft);
}

void track_del(struct tracker *t)
{
	if (!t)
		return;
	flow_table_del(t->ft);
	while (t->n_rob_pool)
		rob_free(&t->rob_pool[--t->n_rob_pool]);
	free(t);
}

const struct flow_stats *track_flow_stats(const struct tracker *t)
{
	return t ? flow_table_stats(t->ft) : NULL;
}

uint64_t track_late_segments(const struct tracker *t)
{
	return t ? t->late_segments : 0;
}

const struct track_expect_stats *track_expect_stats(const struct tracker *t)
{
	return t ? &t->exp_stats : NULL;
}
