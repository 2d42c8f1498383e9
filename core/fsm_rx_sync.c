/* fsm_rx_sync: a segment arrives in SYN-RECEIVED or a synchronized state
 * (RFC 9293 3.10.7.4, "Other States"): first to eighth check, in the
 * RFC's order, each its own function over every state. The fifth check
 * (ACK) and RFC 7323 (PAWS, TS.Recent) are in fsm_rx_ack.c. RFC 7323's
 * PAWS test (5.3 R1) runs before the sequence check, as 5.3 orders it,
 * and its TS.Recent update (4.3, 5.3 R3) after the checks that can only
 * discard. The rule for unknown variables is at the top of fsm_rx.c. */
#include "fsm_rx_priv.h"

#include "fsm.h"

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

	if (rx_has(s, WIRE_TH_RST)) {
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

	return rx_has(s, WIRE_TH_SYN) && !rx_has(s, WIRE_TH_ACK) && !rx_has(s, WIRE_TH_RST) &&
	       tcb_known(r->t, TCB_K_IRS) && s->seq == r->t->irs;
}

/* SYN-RECEIVED after a simultaneous open (not from LISTEN): the peer's
 * SYN,ACK, its SYN the one already taken (SEG.SEQ = IRS). 3.5 figure 8,
 * line 6: "ESTABLISHED <-- <SEQ=300><ACK=101><CTL=SYN,ACK>". Its SYN is
 * old sequence space, trimmed off by the first check ("trimming off any
 * portions that lie outside the window (including SYN and FIN)"); what is
 * left starts at RCV.NXT and is processed: its ACK moves the connection to
 * ESTABLISHED (fifth check), as the figure shows. */
static bool simopen_synack(const struct fsm_rx *r)
{
	const struct tcb *t = r->t;
	const struct seg *s = r->s;

	return !t->passive_open && rx_has(s, WIRE_TH_SYN) && rx_has(s, WIRE_TH_ACK) &&
	       !rx_has(s, WIRE_TH_RST) && tcb_known(t, TCB_K_IRS) && s->seq == t->irs;
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

	if (!rx_has(s, WIRE_TH_SYN) || rx_has(s, WIRE_TH_ACK) || rx_has(s, WIRE_TH_RST))
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

	if (!rx_has(s, WIRE_TH_FIN) || rx_has(s, WIRE_TH_RST))
		return false;
	return t->fin_rcvd ? fin_seq == t->peer_fin_seq : fin_seq + 1 == t->rcv_nxt;
}

static enum fsm_rx_step check_seq(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t text_seq = s->seq + (rx_has(s, WIRE_TH_SYN) ? 1 : 0);
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
		if (simopen_synack(r)) {
			/* the SYN trimmed off: no RST or SYN check is left to
			 * make; the rest goes on as fsm_rx_other does */
			fsm_rx_trim(r, s->seq + 1);
			rx_set_rule(r, "RFC9293 3.5 (figure 8, simultaneous open)");
			fsm_rx_update_ts_recent(r);
			if (fsm_rx_check_ack(r) == RX_NEXT)
				fsm_rx_from_sixth(r);
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
		if (!rx_has(s, WIRE_TH_RST) && !rx_has(s, WIRE_TH_SYN) &&
		    (s->len || rx_has(s, WIRE_TH_FIN))) {
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
		if (rx_has(s, WIRE_TH_RST))
			return RX_DONE;
		rx_owe_ack(r);
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
		rx_owe_ack(r);
		rx_set_rule(r, "RFC9293 3.10.7.4 (first check)");
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
			rx_close(r, FSM_ACT_RESET);
		return;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		/* "Users should also receive an unsolicited general
		 * "connection reset" signal. Enter the CLOSED state" */
		rx_close(r, FSM_ACT_RESET);
		return;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "enter the CLOSED state, delete the TCB, and return" */
		rx_close(r, 0);
		return;
	}
}

static enum fsm_rx_step check_rst(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	if (!rx_has(s, WIRE_TH_RST))
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
		rx_owe_challenge(r);
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

	if (!rx_has(s, WIRE_TH_SYN))
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
		rx_owe_challenge(r);
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
	rx_close(r, FSM_ACT_RESET);
	fsm_rx_drop(r, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
	return RX_DONE;
}

/* Fifth check, the ACK field: fsm_rx_ack.c. */

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
		if (rx_has(s, WIRE_TH_URG) && seq_gt(s->seq + s->up, t->rcv_up))
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
		rx_owe_ack(r);
		rx_set_rule(r, "RFC9293 3.10.7.4 (seventh check, SHLD-31)");
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
	rx_owe_ack(r);
	rx_set_rule(r, "RFC9293 3.10.7.4 (seventh check)");
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
	rx_owe_ack(r);
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
		rx_owe_ack(r);
		rx_set_rule(r, "RFC9293 3.10.7.4 (seventh check, SHLD-31)");
		return RX_DONE;
	}
	rx_set_rule(r, "RFC9293 3.10.7.4 (eighth check)");
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
		if (rx_fin_acked(t))
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
		rx_owe_ack(r);
		return RX_DONE;
	case TCP_TIME_WAIT:
		/* "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait
		 * timeout." */
		rx_owe_ack(r);
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
	if (fsm_rx_check_paws(r) == RX_DONE || check_seq(r) == RX_DONE ||
	    check_rst(r) == RX_DONE || check_syn(r) == RX_DONE)
		return;
	fsm_rx_update_ts_recent(r);
	if (fsm_rx_check_ack(r) == RX_DONE)
		return;
	fsm_rx_from_sixth(r);
}
