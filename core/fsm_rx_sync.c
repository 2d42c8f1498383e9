/* fsm_rx_sync: a segment arrives in SYN-RECEIVED or a synchronized state
 * (RFC 9293 3.10.7.4, "Other States"): first to eighth check, in the
 * RFC's order, each its own function over every state. RFC 7323's PAWS
 * test (5.3 R1) runs before the sequence check, as 5.3 orders it, and its
 * TS.Recent update (4.3, 5.3 R3) after the checks that can only discard.
 * The rule for unknown variables is at the top of fsm_rx.c. */
#include "fsm_rx_priv.h"

#include "fsm.h"

static bool has(const struct seg *s, uint8_t flag)
{
	return (s->flags & flag) != 0;
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> is owed (the fields are filled in
 * when the segment is done). */
static void owe_ack(struct fsm_rx *r)
{
	r->out->actions |= FSM_ACT_ACK;
}

/* An RFC 5961 challenge ACK is owed: only on a known state. */
static void owe_challenge(struct fsm_rx *r)
{
	if (tcb_known(r->t, TCB_K_STATE))
		r->out->actions |= FSM_ACT_CHALLENGE_ACK;
}

static void set_rule(struct fsm_rx *r, const char *rule)
{
	r->out->rule = rule;
}

/* The connection is gone: "Enter the CLOSED state, delete the TCB". */
static void close_tcb(struct fsm_rx *r, uint32_t actions)
{
	r->t->state = TCP_CLOSED;
	r->t->closed_how = TCB_CLOSED_OTHER; /* by fsm_rx */
	r->out->actions |= actions | FSM_ACT_CLOSED;
}

/* A passive SYN-RECEIVED returns to LISTEN (second and fourth checks):
 * the half-made connection is forgotten, a new SYN starts afresh. ISS
 * becomes unknown: the caller picks a new one. */
static void back_to_listen(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	struct tcb old = *t;

	tcb_init(t, &old.prof, TCP_LISTEN, old.ip_version);
	t->known = old.known & TCB_K_STATE;
	t->last_rx = old.last_rx;
	t->last_tx = old.last_tx;
}

/* Our FIN has been acknowledged (SND.UNA is past it). */
static bool fin_acked(const struct tcb *t)
{
	return t->fin_sent && seq_gt(t->snd_una, t->fin_seq);
}

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

static enum fsm_rx_step check_paws(struct fsm_rx *r)
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
	if (!t->prof.paws || !tcb_ts_on(t) || !s->has_ts || has(s, WIRE_TH_RST) ||
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
	owe_ack(r);
	fsm_rx_drop(r, FSM_DROP_PAWS, "RFC7323 5.3 (R1)");
	return RX_DONE;
}

/* --- first check: sequence number ---------------------------------------- */

enum acceptability {
	ACC_NO,
	ACC_YES,
	ACC_CONTROLS, /* zero window, at RCV.NXT: only ACK, URG, RST are taken */
};

/* Table 6 (Segment Acceptability Tests), on a known RCV.NXT. A segment
 * that overlaps the window anywhere is acceptable (4 Glossary, "receive
 * window": "segments overlapping the range RCV.NXT to RCV.NXT + RCV.WND - 1
 * carry acceptable data or control"), which also takes a segment that
 * starts before the window and ends after it. An RST is judged by its
 * sequence number alone (3.5.3: "A reset is valid if its sequence number
 * is in the window"; RFC 5961 3.2). Without a known RCV.WND the right edge
 * is open. */
static enum acceptability acceptable(const struct tcb *t, const struct seg *s)
{
	uint32_t nxt = t->rcv_nxt, wnd = t->rcv_wnd;
	uint32_t len = seg_seqlen(s);
	uint32_t last = s->seq + len - 1;
	bool wnd_known = tcb_known(t, TCB_K_RCV_WND);

	if (has(s, WIRE_TH_RST)) {
		if (s->seq == nxt)
			return ACC_YES; /* MUST-66: even with a zero window */
		if (!wnd_known)
			return seq_gt(s->seq, nxt) ? ACC_YES : ACC_NO;
		return wnd && seq_in(s->seq, nxt, nxt + wnd) ? ACC_YES : ACC_NO;
	}
	if (!wnd_known) {
		if (len == 0)
			return seq_geq(s->seq, nxt) ? ACC_YES : ACC_NO;
		return seq_geq(last, nxt) ? ACC_YES : ACC_NO;
	}
	if (len == 0) {
		if (wnd == 0)
			return s->seq == nxt ? ACC_YES : ACC_NO;
		return seq_in(s->seq, nxt, nxt + wnd) ? ACC_YES : ACC_NO;
	}
	if (wnd == 0) {
		/* "not acceptable", but "special allowance should be made to
		 * accept valid ACKs, URGs, and RSTs" (MUST-66) */
		return s->seq == nxt ? ACC_CONTROLS : ACC_NO;
	}
	if (seq_in(s->seq, nxt, nxt + wnd) || seq_in(last, nxt, nxt + wnd) ||
	    (seq_lt(s->seq, nxt) && seq_geq(last, nxt + wnd)))
		return ACC_YES;
	return ACC_NO;
}

/* SYN-RECEIVED: the peer's SYN again (our SYN,ACK was lost). The SYN,ACK
 * is sent again: it is the acknowledgment the first check owes, and our
 * SYN must be retransmitted anyway. */
static bool dup_syn(const struct fsm_rx *r)
{
	const struct seg *s = r->s;

	return has(s, WIRE_TH_SYN) && !has(s, WIRE_TH_ACK) && !has(s, WIRE_TH_RST) &&
	       tcb_known(r->t, TCB_K_IRS) && s->seq == r->t->irs;
}

/* TIME-WAIT: a SYN that may open a new incarnation of the connection.
 * RFC 9293 3.6.1: a TCP "MAY accept a new SYN ... to reopen the connection
 * directly from TIME-WAIT state (MAY-2)", and the first check "is not
 * applicable for incoming SYN segments with Timestamp Options" when RFC
 * 6191 is implemented. Taken as such: a SYN whose TSval is newer than
 * TS.Recent (RFC 6191 2), or whose SEG.SEQ is not below RCV.NXT (what BSD
 * and Linux accept). The endpoint may accept or ignore it; nothing is
 * owed, so nothing is expected. */
static bool tw_new_syn(const struct fsm_rx *r)
{
	const struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!has(s, WIRE_TH_SYN) || has(s, WIRE_TH_ACK) || has(s, WIRE_TH_RST))
		return false;
	if (s->has_ts && tcb_ts_on(t) && tcb_known(t, TCB_K_TS_RECENT) &&
	    seq_gt(s->tsval, t->ts_recent))
		return true;
	return !tcb_known(t, TCB_K_RCV) || seq_geq(s->seq, t->rcv_nxt);
}

/* TIME-WAIT: the peer's FIN again (our last ACK was lost). */
static bool fin_again(const struct fsm_rx *r)
{
	const struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t fin_seq = s->seq + seg_seqlen(s) - 1;

	if (!has(s, WIRE_TH_FIN) || has(s, WIRE_TH_RST))
		return false;
	return t->fin_rcvd ? fin_seq == t->peer_fin_seq : fin_seq + 1 == t->rcv_nxt;
}

static enum fsm_rx_step check_seq(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t text_seq = s->seq + (has(s, WIRE_TH_SYN) ? 1 : 0);
	enum acceptability acc;

	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_SYN_RECEIVED:
		if (dup_syn(r)) {
			fsm_note_peer_syn(t, s); /* options OR-ed over its SYNs */
			r->out->actions |= FSM_ACT_SYN_ACK;
			fsm_rx_drop(r, FSM_DROP_NOT_ACCEPTABLE,
				    "RFC9293 3.10.7.4 (first check)");
			return RX_DONE;
		}
		break;
	case TCP_TIME_WAIT:
		if (tw_new_syn(r)) {
			fsm_rx_drop(r, FSM_DROP_TIME_WAIT, "RFC9293 3.6.1 (MAY-2)");
			return RX_DONE;
		}
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		break;
	}

	if (!tcb_known(t, TCB_K_RCV)) {
		/* No RCV.NXT to test against: the first text or FIN seen sets
		 * it (the segment is taken as the one at RCV.NXT), anything else
		 * passes on untested. */
		if (!has(s, WIRE_TH_RST) && !has(s, WIRE_TH_SYN) &&
		    (s->len || has(s, WIRE_TH_FIN))) {
			t->rcv_nxt = s->seq;
			t->known |= TCB_K_RCV;
		}
		fsm_rx_trim(r, text_seq);
		return RX_NEXT;
	}

	acc = acceptable(t, s);
	if (acc == ACC_NO) {
		/* "If an incoming segment is not acceptable, an acknowledgment
		 * should be sent in reply (unless the RST bit is set, if so drop
		 * the segment and return)" - RFC 5961 3.2 1): "silently drop". */
		fsm_rx_drop(r, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
		if (has(s, WIRE_TH_RST))
			return RX_DONE;
		owe_ack(r);
		if (t->state == TCP_TIME_WAIT && fin_again(r)) {
			/* fifth check, TIME-WAIT: "The only thing that can arrive
			 * in this state is a retransmission of the remote FIN.
			 * Acknowledge it, and restart the 2 MSL timeout." */
			t->time_wait_until = r->now + fsm_two_msl(t);
			r->out->actions |= FSM_ACT_TW_RESTART;
			r->out->rule = "RFC9293 3.10.7.4 (fifth check, TIME-WAIT)";
		}
		return RX_DONE;
	}
	fsm_rx_trim(r, text_seq);
	if (acc == ACC_CONTROLS) {
		/* zero window: the text and FIN are not taken, the ACK that
		 * says so is owed; ACK, URG and RST are processed. */
		r->tlen = 0;
		r->fin = false;
		owe_ack(r);
		set_rule(r, "RFC9293 3.10.7.4 (first check)");
	}
	return RX_NEXT;
}

/* --- second check: RST --------------------------------------------------- */

static void reset(struct fsm_rx *r)
{
	struct tcb *t = r->t;

	fsm_rx_drop(r, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check)");
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return;
	case TCP_SYN_RECEIVED:
		/* "If this connection was initiated with a passive OPEN ...,
		 * then return this connection to LISTEN state and return. The
		 * user need not be informed. If ... an active OPEN ..., then the
		 * connection was refused" */
		if (t->passive_open)
			back_to_listen(r);
		else
			close_tcb(r, FSM_ACT_RESET);
		return;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		/* "Users should also receive an unsolicited general
		 * "connection reset" signal. Enter the CLOSED state" */
		close_tcb(r, FSM_ACT_RESET);
		return;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "enter the CLOSED state, delete the TCB, and return" */
		close_tcb(r, 0);
		return;
	}
}

static enum fsm_rx_step check_rst(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!has(s, WIRE_TH_RST))
		return RX_NEXT;
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_TIME_WAIT:
		if (t->prof.rfc1337) {
			/* RFC 1337 3, fix (F1): "Ignore RST segments in
			 * TIME-WAIT state." */
			fsm_rx_drop(r, FSM_DROP_RST, "RFC1337 3 (F1)");
			return RX_DONE;
		}
		break;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		break;
	}

	if (!tcb_known(t, TCB_K_RCV)) {
		/* The sequence number cannot be checked: taken as a reset,
		 * the state that follows is a guess. */
		r->unsure = true;
		reset(r);
		return RX_DONE;
	}
	if (s->seq == t->rcv_nxt) {
		/* RFC 5961 3.2 2): "exactly matches the next expected sequence
		 * number (RCV.NXT), then TCP endpoints MUST reset the
		 * connection"; RFC 793: any RST in the window resets. */
		reset(r);
		return RX_DONE;
	}
	if (t->prof.rfc5961) {
		if (!tcb_known(t, TCB_K_RCV_WND)) {
			/* beyond RCV.NXT, window unknown: in the window (a
			 * challenge ACK) or outside (silence), no reset either way */
			fsm_rx_drop(r, FSM_DROP_RST,
				    "RFC9293 3.10.7.4 (second check), RFC5961 3.2");
			return RX_DONE;
		}
		/* 3): "does not exactly match the next expected sequence value,
		 * yet is within the current receive window, TCP endpoints MUST
		 * send an acknowledgment (challenge ACK) ... MUST drop the
		 * unacceptable segment" */
		owe_challenge(r);
		fsm_rx_drop(r, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check), RFC5961 3.2");
		return RX_DONE;
	}
	/* RFC 793: an RST in the window resets (beyond RCV.NXT with an
	 * unknown window: taken as in it, the state that follows a guess). */
	if (!tcb_known(t, TCB_K_RCV_WND))
		r->unsure = true;
	reset(r);
	return RX_DONE;
}

/* Third check, security: not modelled (see fsm_rx.c). */

/* --- fourth check: SYN --------------------------------------------------- */

static enum fsm_rx_step check_syn(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!has(s, WIRE_TH_SYN))
		return RX_NEXT;
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_SYN_RECEIVED:
		/* "If the connection was initiated with a passive OPEN, then
		 * return this connection to the LISTEN state and return.
		 * Otherwise, handle per the directions for synchronized
		 * states below." */
		if (t->passive_open) {
			back_to_listen(r);
			fsm_rx_drop(r, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
			return RX_DONE;
		}
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		break;
	}

	if (t->prof.rfc5961) {
		/* RFC 5961 4.2: "if the SYN bit is set, irrespective of the
		 * sequence number, TCP endpoints MUST send a "challenge ACK"
		 * ... MUST drop the unacceptable segment" */
		owe_challenge(r);
		fsm_rx_drop(r, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check), RFC5961 4.2");
		return RX_DONE;
	}
	/* RFC 793: "If the SYN is in the window it is an error: send a
	 * reset ... enter the CLOSED state". A SYN before RCV.NXT was trimmed
	 * off by the first check and the rest is processed. A SYN beyond
	 * RCV.NXT is in the window (the first check passed it) when the
	 * window is known; otherwise that cannot be told, and no reset is
	 * owed. */
	if (!tcb_known(t, TCB_K_RCV) ||
	    (seq_gt(s->seq, t->rcv_nxt) && !tcb_known(t, TCB_K_RCV_WND))) {
		fsm_rx_drop(r, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
		return RX_DONE;
	}
	if (seq_lt(s->seq, t->rcv_nxt))
		return RX_NEXT;
	fsm_rx_rst_reply(r);
	close_tcb(r, FSM_ACT_RESET);
	fsm_rx_drop(r, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
	return RX_DONE;
}

/* --- RFC 7323 4.3 / 5.3 R3: TS.Recent ------------------------------------ */

/* "If SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent then SEG.TSval
 * is copied to TS.Recent; otherwise, it is ignored." Last.ACK.sent is kept
 * by fsm_tx; without it, RCV.NXT (which it equals "except when <ACK>s
 * have been delayed"). An RST's timestamp "MUST NOT be used to update
 * connection state information" (5.2). */
static void update_ts_recent(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t last_ack;

	if (!s->has_ts || has(s, WIRE_TH_RST) || !tcb_ts_on(t))
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
		fsm_rx_set_window(r, has(s, WIRE_TH_SYN));
}

/* ESTABLISHED, and the states that do the same. */
static enum fsm_rx_step ack_established(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!r->out->rule)
		set_rule(r, "RFC9293 3.10.7.4 (fifth check)");
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
		owe_ack(r);
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
	owe_challenge(r);
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

static enum fsm_rx_step check_ack(struct fsm_rx *r)
{
	struct tcb *t = r->t;

	/* "if the ACK bit is off, drop the segment and return" */
	if (!has(r->s, WIRE_TH_ACK)) {
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
		if (fin_acked(t))
			t->state = TCP_FIN_WAIT_2;
		return RX_NEXT;
	case TCP_CLOSING:
		if (check_ack_range(r) == RX_DONE || ack_established(r) == RX_DONE)
			return RX_DONE;
		/* "if the ACK acknowledges our FIN, then enter the TIME-WAIT
		 * state; otherwise, ignore the segment" */
		if (!fin_acked(t))
			return RX_DONE;
		fsm_rx_enter_time_wait(r);
		return RX_NEXT;
	case TCP_LAST_ACK:
		if (check_ack_range(r) == RX_DONE || ack_established(r) == RX_DONE)
			return RX_DONE;
		/* "If our FIN is now acknowledged, delete the TCB, enter the
		 * CLOSED state, and return." */
		if (fin_acked(t)) {
			close_tcb(r, 0);
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

/* --- sixth check: URG ---------------------------------------------------- */

static enum fsm_rx_step check_urg(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		/* "If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP)": SEG.UP
		 * is an offset from SEG.SEQ (3.1). Signalling the user is not
		 * modelled. */
		if (has(s, WIRE_TH_URG) && seq_gt(s->seq + s->up, t->rcv_up))
			t->rcv_up = s->seq + s->up;
		return RX_NEXT;
	case TCP_SYN_RECEIVED: /* left by the fifth check */
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "This should not occur since a FIN has been received from the
		 * remote side. Ignore the URG." */
		return RX_NEXT;
	}
	return RX_DONE;
}

/* --- seventh check: segment text ----------------------------------------- */

static enum fsm_rx_step process_text(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	struct fsm_out *out = r->out;

	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		break;
	case TCP_SYN_RECEIVED: /* left by the fifth check */
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "This should not occur since a FIN has been received from the
		 * remote side. Ignore the segment text." */
		return RX_NEXT;
	}
	if (!r->tlen)
		return RX_NEXT;
	if (r->tseq != t->rcv_nxt) {
		/* In the window, beyond RCV.NXT: "Segments with higher beginning
		 * sequence numbers SHOULD be held for later processing
		 * (SHLD-31)", the FIN with them. The ACK: MAY-13, and RFC 5681
		 * 3.2: "A TCP receiver SHOULD send an immediate duplicate ACK
		 * when an out-of-order segment arrives." */
		out->actions |= FSM_ACT_HOLD;
		out->deliver_seq = r->tseq;
		out->deliver_len = r->tlen;
		r->fin = false;
		owe_ack(r);
		set_rule(r, "RFC9293 3.10.7.4 (seventh check, SHLD-31)");
		return RX_NEXT;
	}
	/* "it is possible to deliver segment data to user RECEIVE buffers
	 * ... it advances RCV.NXT over the data accepted, and adjusts RCV.WND
	 * ... The total of RCV.NXT and RCV.WND should not be reduced." "Send
	 * an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" */
	out->actions |= FSM_ACT_DELIVER;
	out->deliver_seq = r->tseq;
	out->deliver_len = r->tlen;
	t->rcv_nxt += r->tlen;
	if (tcb_known(t, TCB_K_RCV_WND))
		t->rcv_wnd = t->rcv_wnd > r->tlen ? t->rcv_wnd - r->tlen : 0;
	owe_ack(r);
	set_rule(r, "RFC9293 3.10.7.4 (seventh check)");
	return RX_NEXT;
}

/* --- eighth check: FIN --------------------------------------------------- */

/* "advance RCV.NXT over the FIN, and send an acknowledgment for the FIN" */
static void take_fin(struct fsm_rx *r, uint32_t fin_seq)
{
	struct tcb *t = r->t;

	t->rcv_nxt = fin_seq + 1;
	t->fin_rcvd = true;
	t->peer_fin_seq = fin_seq;
	r->out->actions |= FSM_ACT_FIN_ACCEPTED;
	owe_ack(r);
}

static enum fsm_rx_step check_fin(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t fin_seq = s->seq + seg_seqlen(s) - 1;

	if (!r->fin)
		return RX_DONE;
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		/* "Do not process the FIN if the state is CLOSED, LISTEN, or
		 * SYN-SENT since the SEG.SEQ cannot be validated" */
		return RX_DONE;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		break;
	}
	if (fin_seq != t->rcv_nxt) {
		/* a FIN beyond a hole is held with the text (SHLD-31) */
		if (!(r->out->actions & FSM_ACT_HOLD)) {
			r->out->actions |= FSM_ACT_HOLD;
			r->out->deliver_seq = fin_seq;
			r->out->deliver_len = 0;
		}
		owe_ack(r);
		set_rule(r, "RFC9293 3.10.7.4 (seventh check, SHLD-31)");
		return RX_DONE;
	}
	set_rule(r, "RFC9293 3.10.7.4 (eighth check)");
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		return RX_DONE;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		/* "Enter the CLOSE-WAIT state." */
		take_fin(r, fin_seq);
		t->state = TCP_CLOSE_WAIT;
		return RX_DONE;
	case TCP_FIN_WAIT_1:
		/* "If our FIN has been ACKed (perhaps in this segment), then
		 * enter TIME-WAIT, start the time-wait timer ...; otherwise,
		 * enter the CLOSING state." (An ACK of our FIN in this segment
		 * has already moved us to FIN-WAIT-2 in the fifth check.) */
		take_fin(r, fin_seq);
		if (fin_acked(t))
			fsm_rx_enter_time_wait(r);
		else
			t->state = TCP_CLOSING;
		return RX_DONE;
	case TCP_FIN_WAIT_2:
		/* "Enter the TIME-WAIT state. Start the time-wait timer" */
		take_fin(r, fin_seq);
		fsm_rx_enter_time_wait(r);
		return RX_DONE;
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		/* "Remain in the ... state" (the peer's FIN was taken before) */
		owe_ack(r);
		return RX_DONE;
	case TCP_TIME_WAIT:
		/* "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait
		 * timeout." */
		owe_ack(r);
		t->time_wait_until = r->now + fsm_two_msl(t);
		r->out->actions |= FSM_ACT_TW_RESTART;
		return RX_DONE;
	}
	return RX_DONE;
}

/* --- 3.10.7.4 in order --------------------------------------------------- */

/* 3.10.7.3 continues here once SYN-SENT has become ESTABLISHED: "continue
 * processing at the sixth step under Section 3.10.7.4". */
void fsm_rx_from_sixth(struct fsm_rx *r)
{
	if (check_urg(r) == RX_DONE || process_text(r) == RX_DONE)
		return;
	check_fin(r);
}

void fsm_rx_other(struct fsm_rx *r)
{
	if (check_paws(r) == RX_DONE || check_seq(r) == RX_DONE ||
	    check_rst(r) == RX_DONE || check_syn(r) == RX_DONE)
		return;
	update_ts_recent(r);
	if (check_ack(r) == RX_DONE)
		return;
	fsm_rx_from_sixth(r);
}
