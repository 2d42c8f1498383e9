/* track_ts: RFC 7323 timestamps, and an endpoint's TIME-WAIT, for the
 * tracker.
 *
 * TSECR-NOT-ECHOED. RFC 7323 3.2: "When the ACK bit is set in an
 * outgoing segment, the sender MUST echo a recently received TSval sent by
 * the remote TCP in the TSval field of a Timestamps option." For each
 * endpoint the newest TSval it was seen to send is kept, with when it was
 * captured (struct track_tsrec). A segment of the other endpoint is judged
 * only when all hold:
 *   - it has ACK and a Timestamps option, no RST, a checksum that
 *     verifies and a well-formed option list;
 *   - both SYNs of the connection were captured with a Timestamps option
 *     (negotiated, 3.2), so the record starts with the peer's first
 *     segment;
 *   - its ACK field lies in (the peer's ISN, the highest sequence number
 *     the peer was seen to send]: it answers this incarnation;
 *   - the peer's direction showed no loss or reordering (note_loss(),
 *     resync(), reassembly gaps in track.c);
 *   - the peer's record is not spoiled (a malformed option list, or a TCP
 *     header the snap length cut: the endpoint may have read a TSval the
 *     capture could not).
 * It is reported when its TSecr is newer than the peer's newest TSval by
 * more than the peer's timestamp clock can have run since that TSval was
 * captured: RFC 7323 5.4 asks for 1 ms to 1 s per tick; allowed here is 1
 * us per tick (Linux can use microsecond timestamps) over that time plus
 * 60 s for the path from the peer to the capture point. No segment of the
 * peer, captured or not, can carry such a value (its clock is monotonic):
 * the endpoint echoes a value the peer never sent. The capture order is
 * causal: a TSval passes the capture point before any echo of it does,
 * wherever the capture is.
 * Not judged: a TSecr older than the newest TSval (TS.Recent may lag, 4.3:
 * it follows Last.ACK.sent; and below the first TSval seen, an earlier
 * SYN of the peer that the capture missed may have carried it); a TSecr
 * between two TSvals the peer was seen to send that neither carried (a
 * pure ACK the capture itself dropped leaves no hole in the sequence space
 * and may have carried it: measured on real captures with 2% of the pure
 * ACKs removed, such echoes are common, so a set of recent TSvals would
 * report them falsely); a TSecr a little newer than the newest (a segment
 * the capture dropped).
 *
 * PAWS (for TEXP_PAWS, track_expect.c). RFC 7323 5.3 R1: a segment with
 * SEG.TSval < TS.Recent (valid) that is no RST is "not acceptable" and
 * dropped. The capture never sees TS.Recent, but proves a floor under it
 * (struct track_paws):
 *   - candidate: the peer's data X that is new sequence space (its first
 *     transmission) starting at the endpoint's RCV.NXT, which the endpoint
 *     had acknowledged exactly (its last ACK is X's SEQ), both SYNs with
 *     timestamps, no loss in the capture. When X arrives every rule for
 *     updating TS.Recent takes it (RFC 7323 4.3 "SEG.SEQ <=
 *     Last.ACK.sent"; RFC 1323 and BSD "Last.ACK.sent < SEG.SEQ +
 *     SEG.LEN"; Linux's rcv_wup), and TS.Recent only grows, so from then
 *     on it is at least X's TSval;
 *   - floor: the candidate's TSval once the endpoint acknowledges past
 *     X's first octet, which only X carried (a copy of it would be a
 *     retransmission, which marks the direction lossy and drops the
 *     candidate).
 * An ACK captured before the peer's segment S was sent after X arrived, so
 * S arrives after X: the floor holds for S.
 *
 * TIME-WAIT (for TEXP_TW_FIN). When the peer's segment takes an
 * endpoint's model to TIME-WAIT the time is kept (tw_since), and whether
 * the segment proves it (tw_sure): a FIN that also acknowledges the
 * endpoint's own FIN, so that once the endpoint acknowledges that FIN it
 * is known to be in TIME-WAIT. An RST or a SYN of the peer afterwards ends
 * the proof: either may end TIME-WAIT legitimately (RFC 1337's
 * assassination, which Linux and RFC 793 allow; a new SYN, RFC 9293 3.6.1
 * MAY-2, RFC 6191).
 *
 * Residual risks, accepted: for PAWS, a pure ACK of the peer that the
 * capture itself dropped (a kernel drop, a filter) leaves no hole; a
 * middlebox between the capture point and the endpoint that rewrites
 * TSvals without rewriting the echoes back (TSECR-NOT-ECHOED). */
#include <string.h>

#include "seq.h"
#include "track_priv.h"

/* TRACK_TS_IDLE (track_priv.h), RFC 7323 5.5: after 24 days without a
 * segment a timestamp clock may have wrapped: the record starts over. */
#define TS_IDLE TRACK_TS_IDLE
/* How far a peer's timestamp clock may have run past its newest TSval
 * seen: one tick per microsecond (RFC 7323 5.4 asks for 1 ms to 1 s per
 * tick; Linux can use 1 us) over the time since that TSval was captured,
 * plus TS_PATH for the way from the peer to the capture point. */
#define TS_TICK_NS 1000
#define TS_PATH ((tstamp)60 * 1000 * 1000 * 1000)

static bool has(const struct seg *s, uint8_t f)
{
	return (s->flags & f) != 0;
}

static void rec_add(struct track_tsrec *r, uint32_t v, uint64_t pkt, tstamp ts)
{
	if (seq_gt(v, r->newest) || !r->valid || ts - r->newest_ts > TS_IDLE) {
		r->valid = true;
		r->newest = v;
		r->newest_pkt = pkt;
		r->newest_ts = ts;
	}
}

/* TSECR-NOT-ECHOED: segment s of endpoint a against what b sent. */
static void check_tsecr(struct tracker *t, struct track_conn *c, int a, const struct seg *s,
			tstamp ts)
{
	int b = !a;
	const struct track_tsrec *r = &c->ts[b];
	const struct track_side *sb = &c->side[b];
	struct finding f;
	tstamp run;

	/* the usual echo, of the newest TSval or an older one, first */
	if (!s->has_ts || !r->valid || !seq_gt(s->tsecr, r->newest))
		return;
	if (!has(s, WIRE_TH_ACK) || has(s, WIRE_TH_RST) || !s->csum_ok || s->opt_malformed)
		return;
	if (!c->side[a].syn_ts || !sb->syn_ts || !sb->isn_known || !sb->sent)
		return;
	if (r->spoiled || sb->lossy)
		return;
	if (!seq_gt(s->ack, sb->base) || seq_gt(s->ack, sb->max_end) || ts < r->newest_ts)
		return;
	/* newer than the newest by more than the peer's clock can have run:
	 * no segment of it, captured or not, carried it */
	run = (ts - r->newest_ts + TS_PATH) / TS_TICK_NS;
	if (run >= (tstamp)1 << 31 || (tstamp)(s->tsecr - r->newest) <= run)
		return;
	memset(&f, 0, sizeof(f));
	f.id = FND_TRK_TSECR_NOT_ECHOED;
	f.v[0] = s->tsecr;
	f.v[1] = r->newest;
	f.v[2] = (unsigned long long)run;
	track_emit(t, c, a, &f, s->pkt, r->newest_pkt, ts);
}

/* An ACK of endpoint a past its candidate's first octet: the candidate's
 * TSval is in a's TS.Recent. */
static void paws_confirm(struct track_conn *c, int a, const struct seg *s)
{
	struct track_paws *p = &c->paws[a];
	const struct track_side *sb = &c->side[!a];

	if (!p->cand_valid || !has(s, WIRE_TH_ACK) || has(s, WIRE_TH_RST) ||
	    has(s, WIRE_TH_SYN) || !s->csum_ok)
		return;
	if (track_conn_lossy(c)) {
		p->cand_valid = false;
		return;
	}
	if (!seq_gt(s->ack, p->cand_seq) || !sb->sent || seq_gt(s->ack, sb->max_end))
		return;
	if (!p->floor_valid || seq_geq(p->cand_tsval, p->floor)) {
		p->floor = p->cand_tsval;
		p->floor_pkt = p->cand_pkt;
		p->floor_ts = p->cand_ts;
		p->floor_valid = true;
	}
	p->cand_valid = false;
}

void track_ts_segment_slow(struct tracker *t, struct track_conn *c, int a, const struct seg *s,
			   tstamp ts)
{
	struct track_tsrec *r = &c->ts[a];

	/* its first SYN: with timestamps or not (note_syn() in track.c
	 * marks it seen, after the state machine) */
	if (has(s, WIRE_TH_SYN) && !has(s, WIRE_TH_RST) && !c->side[a].syn_seen)
		c->side[a].syn_ts = s->has_ts && !s->opt_malformed;
	check_tsecr(t, c, a, s, ts);
	if (c->paws[a].cand_valid)
		paws_confirm(c, a, s);
	if (s->opt_malformed)
		r->spoiled = true;
	else if (s->has_ts)
		rec_add(r, s->tsval, s->pkt, ts);
}

static bool takes_data(enum tcp_state st)
{
	return st == TCP_ESTABLISHED || st == TCP_FIN_WAIT_1 || st == TCP_FIN_WAIT_2;
}

/* Data of endpoint a that raises b's TS.Recent once b acknowledges it. */
static void paws_candidate(struct track_conn *c, int a, const struct seg *s, tstamp ts,
			   const struct track_before *before)
{
	int b = !a;
	struct track_paws *p = &c->paws[b];
	const struct track_side *sa = &c->side[a], *sb = &c->side[b];
	const uint32_t need = TCB_K_STATE | TCB_K_RCV;

	/* new sequence space at RCV.NXT, which b had acknowledged exactly */
	if (!s->len || !sb->ack_valid || sb->last_ack != s->seq || s->seq != before->rcv_nxt ||
	    !sa->sent || sa->max_end != s->seq)
		return;
	if (!s->has_ts || s->opt_malformed || !s->csum_ok || has(s, WIRE_TH_RST) ||
	    has(s, WIRE_TH_SYN))
		return;
	if (!sa->syn_ts || !sb->syn_ts || track_conn_lossy(c))
		return;
	if ((before->known & need) != need || !takes_data(before->state))
		return;
	if (p->floor_valid && seq_lt(s->tsval, p->floor))
		return;
	if (p->cand_valid && seq_lt(s->tsval, p->cand_tsval))
		return;
	p->cand_valid = true;
	p->cand_seq = s->seq;
	p->cand_tsval = s->tsval;
	p->cand_pkt = s->pkt;
	p->cand_ts = ts;
}

/* b's model and TIME-WAIT after a's segment. */
static void time_wait(struct track_conn *c, int a, const struct seg *s, tstamp ts,
		      const struct track_before *before)
{
	int b = !a;
	const struct tcb *tb = &c->tcb[b];
	struct track_side *sb = &c->side[b];

	if (tb->state != TCP_TIME_WAIT)
		return;
	if (before->state != TCP_TIME_WAIT) {
		sb->tw_since = ts;
		sb->tw_sure = s->csum_ok && (before->known & TCB_K_STATE) &&
			      has(s, WIRE_TH_FIN) && has(s, WIRE_TH_ACK) && !has(s, WIRE_TH_RST) &&
			      tb->fin_sent && seq_gt(s->ack, tb->fin_seq);
		return;
	}
	if (has(s, WIRE_TH_RST) || has(s, WIRE_TH_SYN))
		sb->tw_sure = false;
}

void track_ts_after(struct track_conn *c, int a, const struct seg *s, tstamp ts,
		    const struct track_before *before)
{
	paws_candidate(c, a, s, ts, before);
	time_wait(c, a, s, ts, before);
}
