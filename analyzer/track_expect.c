/* track_expect: what an endpoint owes after its peer's segment (the
 * trigger), checked against its later segments in capture order.
 *
 * The capture is the clock, and silence proves nothing: an expectation is
 * reported only when a later segment of the owing endpoint (B) shows that
 * B received what came after the trigger and still did not do what it
 * owed. Everything else ends it as unknown, without a word.
 *
 * Created (track_exp_trigger), from fsm_rx's output for B, only when all
 * of these hold; otherwise nothing is expected:
 *   - the trigger's checksum verifies (else B drops it silently);
 *   - B's state is known (TCB_K_STATE) and synchronized, and RCV.NXT known;
 *   - B confirmed its RCV.NXT: its last ACK carried exactly it, and
 *     everything the trigger's sender A was seen to send ends there (no
 *     data in flight, nothing held behind a hole);
 *   - neither direction has shown loss or reordering so far (a segment
 *     beyond the highest sequence sent, sequence space sent again that
 *     the peer had not acknowledged, a reassembly gap, an ACK of data the
 *     capture never had; see note_loss() and resync() in track.c): a
 *     segment lost after the capture point, or a reply lost before it,
 *     is indistinguishable from a missing reply;
 *   - for a reply that may be throttled (RFC 5961 7; Linux sends one
 *     challenge or out-of-window ACK per 500 ms per socket, and at most
 *     100 (3.6-4.6) or about 1000 challenge ACKs a second per host), no
 *     other such reply was owed by B in the second before, and fewer than
 *     TRACK_THROTTLE_GLOBAL by all endpoints in the current second.
 *
 * Kinds, from fsm_rx's output:
 *   CHALLENGE_RST  FSM_ACT_CHALLENGE_ACK, dropped as FSM_DROP_RST (RFC 5961 3.2)
 *   CHALLENGE_SYN  FSM_ACT_CHALLENGE_ACK, FSM_DROP_SYN (RFC 5961 4.2); also a
 *                  SYN the first check found not acceptable (FSM_ACT_ACK), with
 *                  the rfc5961 profile outside TIME-WAIT: 4.2 owes the
 *                  challenge ACK "irrespective of the sequence number"
 *   CHALLENGE_ACK  FSM_ACT_CHALLENGE_ACK, FSM_DROP_BAD_ACK (RFC 5961 5.2)
 *   ACK_UNACCEPTABLE  FSM_ACT_ACK with FSM_DROP_NOT_ACCEPTABLE, no RST (3.10.7.4)
 *   RESET          an RST at exactly RCV.NXT that resets (FSM_ACT_RESET)
 *   NO_RESET       an RST outside a known window that changes nothing (not
 *                  one at RCV.NXT - 1 after the peer's FIN, which Linux takes)
 *   TW_FIN         the peer's FIN sent again into B's TIME-WAIT (FSM_ACT_TW_RESTART,
 *                  not acceptable): B owes its ACK (3.10.7.4 fifth check) and
 *                  must still hold TIME-WAIT (3.6.1 MUST-13); made only when
 *                  track_ts.c proved B in TIME-WAIT (it acknowledged the peer's
 *                  FIN, which acknowledged B's own FIN; no RST or SYN of the
 *                  peer since) and 2 MSL of the profile have not passed since
 *                  B's model entered TIME-WAIT; one at a time; not throttled
 *                  (silence is never reported)
 *
 * Data B must not take (data_triggers), with gates of their own: the
 * trigger is A's new sequence space (its first transmission: no copy of
 * its first octet was captured before), B's state known and one that
 * takes data (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2), no loss or reordering
 * so far:
 *   PAWS           its TSval at least 2 below the floor track_ts.c proved
 *                  under B's TS.Recent, proven before the trigger was
 *                  captured, under 24 days old, not spanning 0; timestamps
 *                  on both SYNs, the profile's paws on (RFC 7323 5.3 R1)
 *   OOW            its first octet at or beyond B's highest advertised right
 *                  edge (fsm_tx's rcv_adv, B's window scale known) plus
 *                  2^shift (RFC 7323 2.4 rounding); a 1-byte probe at the
 *                  edge excepted (3.8.6.1) (3.10.7.4 first check)
 *
 * Settled (track_exp_reply) by B's next segments, each in turn:
 *   - satisfied: an ACK-bearing segment with ack = the owed ACK (RCV.NXT
 *     at the trigger) for the ACK kinds, whatever else it carries (it may
 *     be B's data that crossed the trigger: given the benefit of the
 *     doubt); an RST for RESET; an ACK of data sent after the trigger for
 *     NO_RESET (B kept the connection);
 *   - violated, evidence (a): an ACK from B past `need` (the end of what A
 *     had sent before the trigger, or of the trigger itself), up to what A
 *     was seen to send, after A sent such data (checksum verified)
 *     following the trigger: B
 *     received a segment sent after the trigger, so (delivery in order)
 *     the trigger too, yet the owed ACK did not come first. For
 *     ACK_UNACCEPTABLE the later data must have come at least 500 ms
 *     after the trigger (an ACK may be delayed that long and aggregated,
 *     RFC 9293 MUST-40, MUST-58). For RESET: B acknowledged data sent
 *     after the RST, so it kept the connection;
 *   - violated, evidence (b), for CHALLENGE_RST, CHALLENGE_SYN and
 *     NO_RESET: A's first later segment S that the model says B keeps the
 *     connection for (ACK bit, no RST, no SYN, no RST owed) is answered by
 *     B with the reset a closed port sends, <SEQ=S.ACK><CTL=RST> without
 *     the ACK bit: B had dropped the connection on the trigger;
 *   - TW_FIN: satisfied by the ACK; violated when B's next segment is the
 *     RST a closed port sends to the FIN, <SEQ=SEG.ACK><CTL=RST>, within 2
 *     MSL of TIME-WAIT's start: B deleted its TIME-WAIT state early;
 *     unknown when A sent anything but the same FIN since (B may answer
 *     that), or B sends anything else;
 *   - PAWS, OOW: violated when B acknowledges past the trigger's first
 *     octet (up to what A sent): only the trigger carried it, so B took
 *     its data; unknown when A sent another copy of that octet B could take
 *     (one that passes PAWS, or starts inside the window), when B
 *     advertises a window that reaches the trigger (it may have opened it
 *     before the trigger arrived: OOW), or B sends an RST, a SYN or no ACK;
 *     never satisfied (silence proves nothing);
 *   - unknown (dropped): loss or reordering shows up in either direction;
 *     B's ACK goes back before the owed one or past what A sent; B sends
 *     a SYN or a segment without ACK; B resets otherwise (an abort); B
 *     answers a SYN trigger with a SYN,ACK for it (B had
 *     no connection any more: the tracker restarts the connection from
 *     that SYN); the connection ends first (idle, evicted, reused, end of
 *     capture).
 *
 * Not expected (nothing sound to decide on): the RST a closed port or an
 * unacceptable ACK in LISTEN/SYN-SENT/SYN-RECEIVED owes (FSM_ACT_RST:
 * silence proves nothing and a closed endpoint sends nothing else); the
 * missing ACK of a FIN retransmitted into TIME-WAIT (the endpoint sends
 * nothing else that could show the FIN arrived; Linux throttles these
 * ACKs too); an ACK for data the peer was never seen to send (taken
 * as capture loss by resync(), so RFC 5961 5.2 is judged only for ACKs
 * below SND.UNA - MAX.SND.WND); anything on a state the capture only
 * assumed (started mid-connection: fsm_rx owes no challenge ACK there).
 *
 * Residual risks, accepted and documented: a trigger lost between the
 * capture point and B on a connection that showed no other loss; a stack
 * that aborts with a bare <SEQ=SND.NXT><CTL=RST> (no ACK bit) right after
 * an ignored RST, looking like evidence (b); for OOW, a window update of
 * B lost before the capture point (a pure ACK leaves no hole), which may
 * have let B take the trigger; for PAWS, a pure ACK of A dropped by the
 * capture (see track_ts.c). */
#include <string.h>

#include "seq.h"
#include "track_priv.h"

enum verdict {
	V_KEEP,       /* undecided: wait for B's next segment */
	V_SATISFIED,  /* B did what it owed */
	V_UNKNOWN,    /* cannot be told: forgotten silently */
	V_VIOLATED,   /* report it */
	V_RESTART,    /* unknown, and the connection restarts from the SYN */
};

static bool has(const struct seg *s, uint8_t f)
{
	return (s->flags & f) != 0;
}

static bool throttleable(uint8_t kind)
{
	return kind == TEXP_CHALLENGE_RST || kind == TEXP_CHALLENGE_SYN ||
	       kind == TEXP_CHALLENGE_ACK || kind == TEXP_ACK_UNACCEPTABLE;
}

void track_exp_clear(struct tracker *t, struct track_conn *c)
{
	t->exp_stats.ended += c->side[0].n_exp + c->side[1].n_exp;
	c->side[0].n_exp = 0;
	c->side[1].n_exp = 0;
	c->syn.valid = false;
}

/* B's ACK x shows that B received something A sent after the trigger. */
static bool acks_later_data(const struct track_conn *c, int b, const struct track_exp *e,
			    uint32_t x)
{
	const struct track_side *sa = &c->side[!b];

	return e->beyond && seq_gt(x, e->need) && sa->sent && seq_leq(x, sa->max_end);
}

/* PAWS, OOW: B's segment x after the trigger, data B must not take. */
static enum verdict judge_taken(const struct track_conn *c, int b, const struct track_exp *e,
				const struct seg *x)
{
	const struct track_side *sa = &c->side[!b];

	if (e->spoiled || has(x, WIRE_TH_SYN) || has(x, WIRE_TH_RST) || !has(x, WIRE_TH_ACK))
		return V_UNKNOWN;
	/* B acknowledges the trigger's first octet, which no other segment
	 * it could take carried: it took the trigger's data */
	if (seq_gt(x->ack, e->data_seq))
		return sa->sent && seq_leq(x->ack, sa->max_end) ? V_VIOLATED : V_UNKNOWN;
	if (e->kind == TEXP_OOW) {
		/* a window that reaches the trigger now: B may have opened it
		 * before the trigger arrived */
		uint32_t slack = e->shift ? (uint32_t)1 << e->shift : 0;
		uint32_t edge = x->ack + ((uint32_t)x->wnd << e->shift);

		if (seq_gt(edge + slack, e->data_seq))
			return V_UNKNOWN;
	}
	return V_KEEP;
}

/* TW_FIN: B's next segment after the FIN sent again into its TIME-WAIT. */
static enum verdict judge_tw(const struct track_exp *e, const struct seg *x, tstamp ts)
{
	if (e->spoiled)
		return V_UNKNOWN;
	if (has(x, WIRE_TH_RST))
		return x->seq == e->trig_ack && ts - e->since < e->limit ? V_VIOLATED : V_UNKNOWN;
	if (has(x, WIRE_TH_SYN) || !has(x, WIRE_TH_ACK))
		return V_UNKNOWN;
	return x->ack == e->ack ? V_SATISFIED : V_UNKNOWN;
}

static enum verdict judge(const struct track_conn *c, int b, const struct track_exp *e,
			  const struct seg *x, tstamp ts)
{
	if (track_conn_lossy(c))
		return V_UNKNOWN;
	switch (e->kind) {
	case TEXP_PAWS:
	case TEXP_OOW:
		return judge_taken(c, b, e, x);
	case TEXP_TW_FIN:
		return judge_tw(e, x, ts);
	default:
		break;
	}
	if (has(x, WIRE_TH_SYN)) {
		if (e->trig_syn && has(x, WIRE_TH_ACK) && !has(x, WIRE_TH_RST) &&
		    x->ack == e->trig_seq + 1)
			return V_RESTART;
		return V_UNKNOWN;
	}
	if (has(x, WIRE_TH_RST)) {
		switch (e->kind) {
		case TEXP_RESET:
			return V_SATISFIED;
		case TEXP_NO_RESET:
		case TEXP_CHALLENGE_RST:
		case TEXP_CHALLENGE_SYN:
			if (e->s_valid && !has(x, WIRE_TH_ACK) && x->seq == e->s_ack)
				return V_VIOLATED;
			return V_UNKNOWN;
		default:
			return V_UNKNOWN;
		}
	}
	if (!has(x, WIRE_TH_ACK))
		return V_UNKNOWN;
	switch (e->kind) {
	case TEXP_CHALLENGE_RST:
	case TEXP_CHALLENGE_SYN:
	case TEXP_CHALLENGE_ACK:
	case TEXP_ACK_UNACCEPTABLE:
		if (x->ack == e->ack)
			return V_SATISFIED;
		if (seq_lt(x->ack, e->ack) || !acks_later_data(c, b, e, x->ack))
			return V_UNKNOWN;
		if (e->kind == TEXP_ACK_UNACCEPTABLE && e->beyond_ts - e->trig_ts < TRACK_ACK_DELAY_MAX)
			return V_UNKNOWN;
		return V_VIOLATED;
	case TEXP_RESET:
		return acks_later_data(c, b, e, x->ack) ? V_VIOLATED : V_KEEP;
	case TEXP_NO_RESET:
		return acks_later_data(c, b, e, x->ack) ? V_SATISFIED : V_KEEP;
	case TEXP_PAWS:
	case TEXP_OOW:
	case TEXP_TW_FIN:
		break;
	}
	return V_UNKNOWN;
}

static void report(struct tracker *t, struct track_conn *c, int b, const struct track_exp *e,
		   const struct seg *x, tstamp ts)
{
	int a = !b;
	struct finding f;

	memset(&f, 0, sizeof(f));
	switch (e->kind) {
	case TEXP_CHALLENGE_RST:
		f.id = FND_TRK_RST_NOT_CHALLENGED;
		f.v[0] = track_rel(c, a, e->trig_seq);
		f.v[1] = track_rel(c, a, e->ack);
		f.v[2] = x->pkt;
		break;
	case TEXP_CHALLENGE_SYN:
		f.id = FND_TRK_SYN_NOT_CHALLENGED;
		f.v[0] = e->trig_seq;
		f.v[1] = track_rel(c, a, e->ack);
		f.v[2] = x->pkt;
		break;
	case TEXP_CHALLENGE_ACK:
		f.id = FND_TRK_ACK_NOT_CHALLENGED;
		f.v[0] = track_rel(c, b, e->trig_ack);
		f.v[1] = track_rel(c, a, e->ack);
		f.v[2] = x->pkt;
		break;
	case TEXP_ACK_UNACCEPTABLE:
		f.id = FND_TRK_UNACCEPTABLE_NOT_ACKED;
		f.v[0] = track_rel(c, a, e->trig_seq);
		f.v[1] = track_rel(c, a, e->ack);
		f.v[2] = x->pkt;
		break;
	case TEXP_RESET:
		f.id = FND_TRK_RST_NOT_HONOURED;
		f.v[0] = track_rel(c, a, e->trig_seq);
		f.v[1] = x->pkt;
		f.v[2] = track_rel(c, a, x->ack);
		break;
	case TEXP_NO_RESET:
		f.id = FND_TRK_RST_OOW_ACCEPTED;
		f.v[0] = track_rel(c, a, e->trig_seq);
		f.v[1] = track_rel(c, a, e->ack);
		f.v[2] = x->pkt;
		break;
	case TEXP_PAWS:
		f.id = FND_TRK_PAWS_NOT_ENFORCED;
		f.v[0] = e->tsval;
		f.v[1] = e->bound;
		f.v[2] = e->bound_pkt;
		break;
	case TEXP_OOW:
		f.id = FND_TRK_OOW_DATA_ACCEPTED;
		f.v[0] = track_rel(c, a, e->data_seq);
		f.v[1] = track_rel(c, a, e->bound);
		f.v[2] = x->pkt;
		break;
	case TEXP_TW_FIN:
		f.id = FND_TRK_TIME_WAIT_NOT_KEPT;
		f.v[0] = x->pkt;
		f.v[1] = (unsigned long long)((ts - e->since) / 1000000);
		f.v[2] = (unsigned long long)(e->limit / 1000000);
		break;
	default:
		return;
	}
	track_emit(t, c, b, &f, x->pkt, e->trig_pkt, ts);
}

bool track_exp_reply(struct tracker *t, struct track_conn *c, int b, const struct seg *x,
		     tstamp ts)
{
	struct track_side *sb = &c->side[b];
	bool restart = false;

	/* a segment that does not verify may not be what B sent */
	if (!x->csum_ok)
		return false;
	for (unsigned i = 0; i < sb->n_exp;) {
		struct track_exp *e = &c->cold[b].exp[i];
		enum verdict v = judge(c, b, e, x, ts);

		if (v == V_KEEP) {
			i++;
			continue;
		}
		switch (v) {
		case V_SATISFIED:
			t->exp_stats.satisfied++;
			break;
		case V_VIOLATED:
			t->exp_stats.violated++;
			report(t, c, b, e, x, ts);
			break;
		case V_RESTART:
			restart = c->syn.valid && c->syn.dir != b;
			t->exp_stats.unknown++;
			break;
		case V_KEEP:
		case V_UNKNOWN:
			t->exp_stats.unknown++;
			break;
		}
		c->cold[b].exp[i] = c->cold[b].exp[--sb->n_exp];
	}
	if (restart)
		track_exp_clear(t, c);
	return restart;
}

/* A's segment s, after a PAWS or OOW trigger: another copy of the
 * trigger's first octet that B could take (it passes PAWS, or starts
 * inside the window the trigger was outside of) explains B taking it. */
static bool copy_taken(const struct track_exp *e, const struct seg *s)
{
	uint32_t seq = s->seq + (has(s, WIRE_TH_SYN) ? 1 : 0);

	if (!s->len || has(s, WIRE_TH_RST) || !s->csum_ok || seq_gt(seq, e->data_seq) ||
	    !seq_lt(e->data_seq, seq + s->len))
		return false;
	if (e->kind == TEXP_PAWS)
		return !(s->has_ts && seq_lt(s->tsval + 1, e->bound));
	return !seq_geq(seq, e->bound + (e->shift ? (uint32_t)1 << e->shift : 0));
}

/* A's segment s, after the trigger: noted on what B owes. */
static void note_later(struct track_conn *c, int b, const struct seg *s, tstamp ts,
		       const struct track_before *before, const struct fsm_out *rx)
{
	struct track_side *sb = &c->side[b];
	uint32_t end = s->seq + seg_seqlen(s);
	bool keeps = !has(s, WIRE_TH_RST) && !has(s, WIRE_TH_SYN) && has(s, WIRE_TH_ACK) &&
		     s->csum_ok && tcp_state_synchronized(before->state) &&
		     !(rx->actions & (FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED));

	for (unsigned i = 0; i < sb->n_exp; i++) {
		struct track_exp *e = &c->cold[b].exp[i];

		if (!e->beyond && !has(s, WIRE_TH_RST) && !has(s, WIRE_TH_SYN) && s->csum_ok &&
		    seg_seqlen(s) && seq_gt(end, e->need)) {
			e->beyond = true;
			e->beyond_ts = ts;
		}
		if (!e->s_valid && keeps) {
			e->s_valid = true;
			e->s_ack = s->ack;
			e->s_pkt = s->pkt;
		}
		if ((e->kind == TEXP_PAWS || e->kind == TEXP_OOW) && copy_taken(e, s))
			e->spoiled = true;
		/* anything but the same FIN again may be what B answers */
		if (e->kind == TEXP_TW_FIN &&
		    (!has(s, WIRE_TH_FIN) || (s->flags & (WIRE_TH_RST | WIRE_TH_SYN)) ||
		     s->seq != e->trig_seq))
			e->spoiled = true;
	}
}

/* Linux takes an RST at RCV.NXT - 1 after the peer's FIN (CLOSE-WAIT,
 * LAST-ACK, CLOSING: tcp_reset_check(), for stacks that send their RST
 * with the FIN's sequence number). Outside the window by the RFC, but a
 * deliberate and known deviation: not expected either way. */
static bool rst_at_peer_fin(const struct track_before *before, const struct seg *s)
{
	return s->seq == before->rcv_nxt - 1 &&
	       (before->state == TCP_CLOSE_WAIT || before->state == TCP_LAST_ACK ||
		before->state == TCP_CLOSING);
}

static bool owes(const struct track_conn *c, int b, uint8_t kind)
{
	for (unsigned i = 0; i < c->side[b].n_exp; i++)
		if (c->cold[b].exp[i].kind == kind)
			return true;
	return false;
}

/* A new expectation on B from A's segment s, or NULL when B owes too
 * many already (it is then not made). */
static struct track_exp *exp_new(struct tracker *t, struct track_conn *c, int b,
				 uint8_t kind, const struct seg *s, tstamp ts)
{
	struct track_side *sb = &c->side[b];
	struct track_exp *e;

	if (sb->n_exp >= TRACK_MAX_EXPECT)
		return NULL;
	t->exp_stats.created++;
	e = &c->cold[b].exp[sb->n_exp++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->trig_pkt = s->pkt;
	e->trig_ts = ts;
	e->trig_seq = s->seq;
	e->trig_ack = s->ack;
	return e;
}

static bool takes_data(enum tcp_state st)
{
	return st == TCP_ESTABLISHED || st == TCP_FIN_WAIT_1 || st == TCP_FIN_WAIT_2;
}

/* RFC 7323 5.5: TS.Recent is valid for 24 days. */
#define PAWS_IDLE ((tstamp)24 * 24 * 3600 * 1000 * 1000 * 1000)

/* TEXP_PAWS: A's new data s, whose TSval lies at least 2 below the floor
 * proven under B's TS.Recent (track_ts.c; Linux takes one tick below,
 * TCP_PAWS_WINDOW), the floor less than 24 days old and not spanning 0
 * (Linux and BSD take a TS.Recent of 0 as unset and skip PAWS). */
static void paws_trigger(struct tracker *t, struct track_conn *c, int a, const struct seg *s,
			 tstamp ts)
{
	int b = !a;
	const struct track_paws *p = &c->paws[b];
	const struct track_tsrec *r = &c->ts[a];
	struct track_exp *e;

	if (!p->floor_valid || !s->has_ts || !seq_lt(s->tsval + 1, p->floor))
		return;
	if (!c->tcb[b].prof.paws || s->opt_malformed || !c->side[a].syn_ts ||
	    !c->side[b].syn_ts || !r->valid)
		return;
	if (ts - p->floor_ts >= PAWS_IDLE || seq_in_closed(0, p->floor, seq_max(r->newest, p->floor)))
		return;
	e = exp_new(t, c, b, TEXP_PAWS, s, ts);
	if (!e)
		return;
	e->data_seq = s->seq;
	e->tsval = s->tsval;
	e->bound = p->floor;
	e->bound_pkt = p->floor_pkt;
}

/* TEXP_OOW: A's new data s lies wholly beyond every right edge B
 * advertised (rcv_adv, kept by fsm_tx as the highest), by at least the
 * rounding of B's scaled window (RFC 7323 2.4: B's own edge may lie up to
 * 2^shift - 1 further). A 1-byte probe at the edge is left alone (3.8.6.1:
 * the sender probes a zero window so; a receiver whose window reopened
 * takes it). */
static void oow_trigger(struct tracker *t, struct track_conn *c, int a, const struct seg *s,
			tstamp ts)
{
	int b = !a;
	const struct tcb *tb = &c->tcb[b];
	uint8_t shift;
	uint32_t slack, edge;
	struct track_exp *e;

	edge = tb->rcv_adv;
	if (seq_lt(s->seq, edge) ||
	    (tb->known & (TCB_K_RCV_WND | TCB_K_OPTS)) != (TCB_K_RCV_WND | TCB_K_OPTS))
		return;
	shift = tcb_ws_on(tb) ? tb->rcv_shift : 0;
	slack = shift ? (uint32_t)1 << shift : 0;
	if ((s->len == 1 && s->seq == edge) || !seq_geq(s->seq, edge + slack))
		return;
	e = exp_new(t, c, b, TEXP_OOW, s, ts);
	if (!e)
		return;
	e->data_seq = s->seq;
	e->bound = edge;
	e->shift = shift;
}

/* Data B must not take: A's new sequence space (its first transmission:
 * no other copy of its first octet was captured before it) on a
 * connection whose capture shows no loss, to B in a state that takes
 * data (known). */
static void data_triggers(struct tracker *t, struct track_conn *c, int a, const struct seg *s,
			  tstamp ts, const struct track_before *before)
{
	const struct track_side *sa = &c->side[a];
	const struct track_paws *p = &c->paws[!a];
	bool paws, oow;

	if (!s->len || !sa->sent || s->seq != sa->max_end)
		return;
	/* the usual data: a TSval not below the floor, inside the window */
	paws = p->floor_valid && s->has_ts && seq_lt(s->tsval + 1, p->floor);
	oow = (c->tcb[!a].known & TCB_K_RCV_WND) && !seq_lt(s->seq, c->tcb[!a].rcv_adv);
	if (!paws && !oow)
		return;
	if ((s->flags & (WIRE_TH_RST | WIRE_TH_SYN)) || track_conn_lossy(c) ||
	    !(before->known & TCB_K_STATE) || !takes_data(before->state))
		return;
	if (paws)
		paws_trigger(t, c, a, s, ts);
	if (oow)
		oow_trigger(t, c, a, s, ts);
}

void track_exp_trigger(struct tracker *t, struct track_conn *c, int a, const struct seg *s,
		       tstamp ts, const struct track_before *before, const struct fsm_out *rx)
{
	int b = !a;
	struct track_side *sa = &c->side[a], *sb = &c->side[b];
	struct track_exp *e;
	uint8_t kind;
	uint32_t owed = 0, need;
	const uint32_t rst_syn = WIRE_TH_RST | WIRE_TH_SYN;

	if (sb->n_exp)
		note_later(c, b, s, ts, before, rx);
	if (!s->csum_ok)
		return;
	data_triggers(t, c, a, s, ts, before);

	if (rx->actions & FSM_ACT_CHALLENGE_ACK) {
		switch (rx->drop) {
		case FSM_DROP_RST:
			kind = TEXP_CHALLENGE_RST;
			break;
		case FSM_DROP_SYN:
			kind = TEXP_CHALLENGE_SYN;
			break;
		case FSM_DROP_BAD_ACK:
			kind = TEXP_CHALLENGE_ACK;
			break;
		default:
			return;
		}
		owed = rx->reply.ack;
	} else if ((rx->actions & FSM_ACT_TW_RESTART) && rx->drop == FSM_DROP_NOT_ACCEPTABLE &&
		   before->state == TCP_TIME_WAIT && !has(s, WIRE_TH_RST)) {
		/* the peer's FIN sent again: TIME-WAIT acknowledges it */
		kind = TEXP_TW_FIN;
		owed = rx->reply.ack;
	} else if ((rx->actions & FSM_ACT_ACK) && rx->drop == FSM_DROP_NOT_ACCEPTABLE &&
		   !has(s, WIRE_TH_RST) && !(rx->actions & (FSM_ACT_SYN_ACK | FSM_ACT_RST))) {
		/* A SYN outside the window is caught by the first check (an
		 * ACK "should" be sent); RFC 5961 4.2 owes the challenge ACK
		 * for any SYN "irrespective of the sequence number". */
		if (has(s, WIRE_TH_SYN) && before->rfc5961 && before->state != TCP_TIME_WAIT)
			kind = TEXP_CHALLENGE_SYN;
		else
			kind = TEXP_ACK_UNACCEPTABLE;
		owed = rx->reply.ack;
	} else if (has(s, WIRE_TH_RST) && (rx->actions & FSM_ACT_RESET) &&
		   s->seq == before->rcv_nxt) {
		kind = TEXP_RESET;
		owed = before->rcv_nxt;
	} else if (has(s, WIRE_TH_RST) &&
		   !(rx->actions & (FSM_ACT_RESET | FSM_ACT_CLOSED | FSM_ACT_CHALLENGE_ACK)) &&
		   rx->new_state == before->state && before->state != TCP_TIME_WAIT &&
		   (before->known & TCB_K_RCV_WND) &&
		   !seq_in(s->seq, before->rcv_nxt, before->rcv_nxt + before->rcv_wnd) &&
		   s->seq != before->rcv_nxt && !rst_at_peer_fin(before, s)) {
		kind = TEXP_NO_RESET;
		owed = before->rcv_nxt;
	} else {
		return;
	}

	/* RFC 5961 7: such replies may be throttled, per connection and per
	 * host; counted whether or not this one can be judged */
	if (throttleable(kind)) {
		bool recent = sb->throttle_valid && ts - sb->throttle_ts < TRACK_THROTTLE;

		sb->throttle_valid = true;
		sb->throttle_ts = ts;
		if (t->thr_count == 0 || ts - t->thr_start >= TRACK_THROTTLE) {
			t->thr_start = ts;
			t->thr_count = 0;
		}
		if (++t->thr_count > TRACK_THROTTLE_GLOBAL || recent)
			return;
	}

	/* what the model must know for the expectation to be sound */
	if ((before->known & (TCB_K_STATE | TCB_K_RCV)) != (TCB_K_STATE | TCB_K_RCV) ||
	    !tcp_state_synchronized(before->state))
		return;
	if (owed != before->rcv_nxt)
		return;
	if (track_conn_lossy(c))
		return;
	if (!sb->ack_valid || sb->last_ack != before->rcv_nxt)
		return;
	if (!sa->sent || sa->max_end != before->rcv_nxt)
		return;
	/* TIME-WAIT proven (track_ts.c), and 2 MSL (the profile's) not over
	 * since it began: the endpoint must still hold it (MUST-13) */
	if (kind == TEXP_TW_FIN &&
	    (!sb->tw_sure || ts - sb->tw_since >= 2 * TSTAMP_MS(c->tcb[b].prof.msl_ms) ||
	     owes(c, b, TEXP_TW_FIN)))
		return;

	need = sa->max_end;
	if ((kind == TEXP_ACK_UNACCEPTABLE || kind == TEXP_CHALLENGE_ACK) &&
	    !(s->flags & rst_syn) && seg_seqlen(s) && seq_gt(s->seq + seg_seqlen(s), need))
		need = s->seq + seg_seqlen(s);

	e = exp_new(t, c, b, kind, s, ts);
	if (!e)
		return;
	e->ack = owed;
	e->need = need;
	if (kind == TEXP_TW_FIN) {
		e->since = sb->tw_since;
		e->limit = 2 * TSTAMP_MS(c->tcb[b].prof.msl_ms);
	}
	if (has(s, WIRE_TH_SYN) && !has(s, WIRE_TH_ACK)) {
		e->trig_syn = true;
		c->syn.valid = true;
		c->syn.dir = (uint8_t)a;
		c->syn.ts = ts;
		c->syn.s = *s;
		c->syn.s.data = NULL;
		c->syn.s.caplen = 0;
		c->syn.s.len = 0;
	}
}
