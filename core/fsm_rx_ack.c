/* fsm_rx_ack: the fifth check of RFC 9293 3.10.7.4 (the ACK field, SND.UNA
 * and the send window, with RFC 5961 5.2's range check) and RFC 7323's
 * checks on arrival (PAWS, 5.3 R1; the TS.Recent update, 4.3 and 5.3 R3).
 * Called in order by fsm_rx_other (fsm_rx_sync.c); the rule for unknown
 * variables is at the top of fsm_rx.c. */
#include "fsm_rx_priv.h"

#include "fsm.h"

/* MAX.SND.WND (RFC 5961 5.2), or, where it is not known, "a maximum
 * permissible window value": 65535 without window scaling, 65535 << 14
 * with (RFC 7323 2.3). */
static uint32_t max_snd_wnd(const struct tcb *t)
{
	if (tcb_known(t, TCB_K_MAX_SND_WND))
		return t->max_snd_wnd;
	if (tcb_known(t, TCB_K_OPTS) && !tcb_ws_on(t))
		return 0xffff;
	return FSM_RX_MAX_WND;
}

/* --- RFC 7323 5.3 R1: PAWS ----------------------------------------------- */

enum fsm_rx_step fsm_rx_check_paws(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE; /* 3.10.7.1 - 3.10.7.3 */
	case TCP_SYN_RECEIVED:
		return RX_NEXT; /* R1-R5 are for "a synchronized connection" */
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		break;
	}
	/* 5.2: an RST "MUST NOT be subjected to the PAWS check". */
	if (!t->prof.paws || !tcb_ts_on(t) || !s->has_ts || rx_has(s, WIRE_TH_RST) ||
	    !tcb_known(t, TCB_K_TS_RECENT))
		return RX_NEXT;
	/* 5.5: "invalidate" TS.Recent when the connection has been idle for
	 * more than 24 days; the next segment sets it again. */
	if (r->now - t->ts_recent_age > FSM_RX_PAWS_IDLE) {
		t->known &= ~TCB_K_TS_RECENT;
		return RX_NEXT;
	}
	if (!seq_lt(s->tsval, t->ts_recent))
		return RX_NEXT;
	/* R1: "If there is a Timestamps option in the arriving segment,
	 * SEG.TSval < TS.Recent, TS.Recent is valid ..., and if the RST bit is
	 * not set, then treat the arriving segment as not acceptable: Send an
	 * acknowledgment in reply ... and drop the segment." */
	rx_owe_ack(r);
	fsm_rx_drop(r, FSM_DROP_PAWS, "RFC7323 5.3 (R1)");
	return RX_DONE;
}

/* --- RFC 7323 4.3 / 5.3 R3: TS.Recent ------------------------------------ */

/* "If SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent then SEG.TSval
 * is copied to TS.Recent; otherwise, it is ignored." Last.ACK.sent is kept
 * by fsm_tx; without it, RCV.NXT (which it equals "except when <ACK>s
 * have been delayed"). An RST's timestamp "MUST NOT be used to update
 * connection state information" (5.2). */
void fsm_rx_update_ts_recent(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t last_ack;

	if (!s->has_ts || rx_has(s, WIRE_TH_RST) || !tcb_ts_on(t))
		return;
	if (tcb_known(t, TCB_K_LAST_ACK))
		last_ack = t->last_ack_sent;
	else if (tcb_known(t, TCB_K_RCV))
		last_ack = t->rcv_nxt;
	else
		return;
	if (tcb_known(t, TCB_K_TS_RECENT) && seq_lt(s->tsval, t->ts_recent))
		return;
	if (seq_gt(s->seq, last_ack))
		return;
	t->ts_recent = s->tsval;
	t->ts_recent_age = r->now;
	t->known |= TCB_K_TS_RECENT;
}

/* --- fifth check: ACK ---------------------------------------------------- */

/* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated.
 * If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)),
 * set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <-
 * SEG.ACK." (the check "prevents using old segments to update the
 * window"). Unknown WL1/WL2: the segment sets them. */
static void update_window(struct fsm_rx *r)
{
	const struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!tcb_known(t, TCB_K_SND_WND) || seq_lt(t->snd_wl1, s->seq) ||
	    (t->snd_wl1 == s->seq && seq_leq(t->snd_wl2, s->ack)))
		fsm_rx_set_window(r, rx_has(s, WIRE_TH_SYN));
}

/* ESTABLISHED, and the states that do the same. */
static enum fsm_rx_step ack_established(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!r->out->rule)
		rx_set_rule(r, "RFC9293 3.10.7.4 (fifth check)");
	if (!tcb_known(t, TCB_K_SND)) {
		/* SND.UNA/SND.NXT unknown: the ACK is taken as acceptable and
		 * SND.UNA follows it (the value only). */
		t->snd_una = s->ack;
		update_window(r);
		return RX_NEXT;
	}
	/* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then
	 * send an ACK, drop the segment, and return." */
	if (seq_gt(s->ack, fsm_rx_snd_top(t))) {
		rx_owe_ack(r);
		fsm_rx_drop(r, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check)");
		return RX_DONE;
	}
	/* "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK." "If
	 * the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored." */
	if (seq_lt(t->snd_una, s->ack)) {
		t->snd_una = s->ack;
		if (seq_gt(s->ack, t->snd_nxt))
			t->snd_nxt = s->ack; /* acked past a retransmission's rewind */
	}
	if (!seq_lt(s->ack, t->snd_una))
		update_window(r);
	return RX_NEXT;
}

/* RFC 5961 5.2 (MAY-12), for the synchronized states: "the ACK value is
 * acceptable only if it is in the range of ((SND.UNA - MAX.SND.WND) =<
 * SEG.ACK =< SND.NXT). All incoming segments whose ACK value doesn't
 * satisfy the above condition MUST be discarded and an ACK sent back." */
static enum fsm_rx_step check_ack_range(struct fsm_rx *r)
{
	const struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t lo;

	if (!t->prof.rfc5961 || !tcb_known(t, TCB_K_SND))
		return RX_NEXT;
	lo = t->snd_una - max_snd_wnd(t);
	if (seq_leq(lo, s->ack) && seq_leq(s->ack, fsm_rx_snd_top(t)))
		return RX_NEXT;
	rx_owe_challenge(r);
	fsm_rx_drop(r, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check), RFC5961 5.2");
	return RX_DONE;
}

static enum fsm_rx_step ack_syn_received(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (tcb_known(t, TCB_K_SND)) {
		/* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED ...
		 * If the segment acknowledgment is not acceptable, form a reset
		 * segment <SEQ=SEG.ACK><CTL=RST> and send it." */
		if (!seq_lt(t->snd_una, s->ack) || seq_gt(s->ack, t->snd_nxt)) {
			fsm_rx_drop(r, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check)");
			fsm_rx_rst_reply(r);
			return RX_DONE;
		}
	} else {
		r->unsure = true;
	}
	/* "enter ESTABLISHED state and continue processing with the
	 * variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ,
	 * SND.WL2 <- SEG.ACK" */
	t->state = TCP_ESTABLISHED;
	r->out->actions |= FSM_ACT_OPENED;
	if (tcb_known(t, TCB_K_ISS | TCB_K_IRS))
		t->known |= TCB_K_OPTS; /* both SYNs seen */
	fsm_rx_set_window(r, false);
	return ack_established(r);
}

enum fsm_rx_step fsm_rx_check_ack(struct fsm_rx *r)
{
	struct tcb *t = r->t;

	/* "if the ACK bit is off, drop the segment and return" */
	if (!rx_has(r->s, WIRE_TH_ACK)) {
		fsm_rx_drop(r, FSM_DROP_NO_ACK, "RFC9293 3.10.7.4 (fifth check)");
		return RX_DONE;
	}
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_SYN_RECEIVED:
		return ack_syn_received(r);
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_2:
		/* CLOSE-WAIT: "Do the same processing as for the ESTABLISHED
		 * state." FIN-WAIT-2: the same, and the user's CLOSE can be
		 * acknowledged. */
		if (check_ack_range(r) == RX_DONE)
			return RX_DONE;
		return ack_established(r);
	case TCP_FIN_WAIT_1:
		if (check_ack_range(r) == RX_DONE || ack_established(r) == RX_DONE)
			return RX_DONE;
		/* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2
		 * and continue processing in that state" */
		if (rx_fin_acked(t))
			t->state = TCP_FIN_WAIT_2;
		return RX_NEXT;
	case TCP_CLOSING:
		if (check_ack_range(r) == RX_DONE || ack_established(r) == RX_DONE)
			return RX_DONE;
		/* "if the ACK acknowledges our FIN, then enter the TIME-WAIT
		 * state; otherwise, ignore the segment" */
		if (!rx_fin_acked(t))
			return RX_DONE;
		fsm_rx_enter_time_wait(r);
		return RX_NEXT;
	case TCP_LAST_ACK:
		if (check_ack_range(r) == RX_DONE || ack_established(r) == RX_DONE)
			return RX_DONE;
		/* "If our FIN is now acknowledged, delete the TCB, enter the
		 * CLOSED state, and return." */
		if (rx_fin_acked(t)) {
			rx_close(r, 0);
			return RX_DONE;
		}
		return RX_NEXT;
	case TCP_TIME_WAIT:
		/* Only the peer's FIN can arrive; its retransmission is taken
		 * in the first check, a FIN at RCV.NXT in the eighth. */
		if (check_ack_range(r) == RX_DONE)
			return RX_DONE;
		return ack_established(r);
	}
	return RX_DONE;
}
