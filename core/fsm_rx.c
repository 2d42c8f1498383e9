/* fsm_rx: a segment arrives (RFC 9293 3.10.7, "SEGMENT ARRIVES").
 *
 * Each step of 3.10.7 is its own static function, called in the RFC's
 * order; a step whose rule depends on the state is a switch over every
 * state with no default, so the compiler names a forgotten state. This
 * file: the entry point, the helpers both files use, CLOSED (3.10.7.1),
 * LISTEN (3.10.7.2) and SYN-SENT (3.10.7.3). fsm_rx_sync.c: every other
 * state (3.10.7.4, first to eighth check), with the fifth check (ACK) and
 * RFC 7323's PAWS and TS.Recent in fsm_rx_ack.c.
 *
 * Profiles (struct fsm_profile) decide where the RFCs leave a choice:
 * rfc5961 (the RST, SYN and ACK checks of RFC 5961 3.2, 4.2 and 5.2, or
 * RFC 793's behaviour), rfc1337 (RST in TIME-WAIT), syn_data_acked (text
 * on a SYN) and paws (RFC 7323 5).
 *
 * Unknown variables. The analyzer may call fsm_rx on a TCB whose state was
 * assumed (the capture started mid-connection) or whose variables are
 * unknown (their TCB_K_* bit is clear). The rule, applied by every step:
 *  - a check that needs an unknown variable is not made: the step learns
 *    the variable from the segment where the RFC allows it, or passes the
 *    segment on as if the check had passed;
 *  - learned: RCV.NXT from the first text or FIN seen (TCB_K_RCV set),
 *    SND.UNA from SEG.ACK (the value only: SND.NXT is learned from the
 *    endpoint's own segments, by fsm_tx), SND.WND/WL1/WL2 (TCB_K_SND_WND
 *    set only when the window scale is known, TCB_K_OPTS) and TS.Recent;
 *  - no finding, no RST and no challenge ACK is ever owed on a decision
 *    that rests on an unknown value or on an assumed state (TCB_K_STATE
 *    clear): an unknown is never reported, nor turned into an expectation;
 *  - when a new state rests on a guess (an RST whose sequence number
 *    cannot be checked is taken as a reset), TCB_K_STATE is cleared, so the
 *    checks that follow know the state is assumed.
 * Replies carry the TCB's values (SEQ=SND.NXT or ISS, ACK=RCV.NXT): a
 * caller matching them against the endpoint's segments looks at
 * t->known (TCB_K_SND, TCB_K_ISS, TCB_K_RCV) before it trusts a field.
 *
 * Not modelled: the IP security/compartment checks (the "third" step of
 * 3.10.7.3 and 3.10.7.4; RFC 9293 Appendix A.1: ignored by non-MLS
 * implementations), urgent-data signalling to the user, and the receive
 * buffer (the caller holds out-of-order text, FSM_ACT_HOLD, and feeds it
 * again once RCV.NXT reaches it, with has_ts cleared: RFC 7323 5.3 checks
 * a timestamp only when a segment first arrives). */
#include "fsm_rx_priv.h"

#include <string.h>

#include "fsm.h"

/* --- helpers shared with fsm_rx_sync.c ----------------------------------- */

void fsm_rx_drop(struct fsm_rx *r, enum fsm_drop why, const char *rule)
{
	r->out->actions |= FSM_ACT_DROP;
	r->out->drop = why;
	r->out->rule = rule;
}

/* The reset that answers a segment which does not belong to the
 * connection (RFC 9293 3.5.2, 3.10.7.1):
 *   ACK on:  <SEQ=SEG.ACK><CTL=RST>
 *   ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
 * Owed only on a known state. */
void fsm_rx_rst_reply(struct fsm_rx *r)
{
	const struct seg *s = r->s;

	if (!tcb_known(r->t, TCB_K_STATE))
		return;
	if (s->flags & WIRE_TH_ACK) {
		r->out->reply.seq = s->ack;
		r->out->reply.ack = 0;
		r->out->reply.flags = WIRE_TH_RST;
	} else {
		r->out->reply.seq = 0;
		r->out->reply.ack = s->seq + seg_seqlen(s);
		r->out->reply.flags = WIRE_TH_RST | WIRE_TH_ACK;
	}
	r->out->actions |= FSM_ACT_RST;
}

/* Trims the segment to the receive window (3.10.7.4 first check: "If a
 * segment's contents straddle the boundary between old and new, only the
 * new parts are processed"; "trimming off any portions that lie outside
 * the window (including SYN and FIN)"). text_seq is where the text starts
 * (SEG.SEQ, plus one for a SYN). The left edge needs RCV.NXT, the right
 * edge RCV.WND: an unknown edge trims nothing. */
void fsm_rx_trim(struct fsm_rx *r, uint32_t text_seq)
{
	const struct tcb *t = r->t;
	const struct seg *s = r->s;
	uint32_t len = s->len;
	uint32_t fin_seq = text_seq + len;
	bool fin = (s->flags & WIRE_TH_FIN) != 0;

	if (tcb_known(t, TCB_K_RCV) && seq_lt(text_seq, t->rcv_nxt)) {
		uint32_t old = t->rcv_nxt - text_seq;

		if (old >= len) {
			text_seq += len;
			len = 0;
		} else {
			text_seq += old;
			len -= old;
		}
		if (fin && seq_lt(fin_seq, t->rcv_nxt))
			fin = false;
	}
	if (tcb_known(t, TCB_K_RCV | TCB_K_RCV_WND)) {
		uint32_t right = t->rcv_nxt + t->rcv_wnd;

		if (len && !seq_lt(text_seq, right))
			len = 0;
		else if (len && seq_gt(text_seq + len, right))
			len = right - text_seq;
		/* a FIN after text cut off here lies beyond the window too */
		if (fin && !seq_lt(fin_seq, right))
			fin = false;
	}
	r->tseq = text_seq;
	r->tlen = len;
	r->fin = fin;
}

/* SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK. The window
 * of a SYN is taken as it is, every other one shifted by the peer's shift
 * (RFC 7323 2.2: "The window field in a segment where the SYN bit is set
 * ... MUST NOT be scaled"; 2.3: every other incoming window "MUST be
 * left-shifted by Snd.Wind.Shift bits before updating SND.WND"). Without a
 * known scale (TCB_K_OPTS) the value is a guess: TCB_K_SND_WND stays clear
 * and MAX.SND.WND is no longer known. */
void fsm_rx_set_window(struct fsm_rx *r, bool syn)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	bool scale_known = syn || tcb_known(t, TCB_K_OPTS);
	uint8_t shift = (!syn && tcb_ws_on(t)) ? t->snd_shift : 0;

	t->snd_wnd = (uint32_t)s->wnd << shift;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = s->ack;
	if (!scale_known) {
		t->known &= ~TCB_K_MAX_SND_WND;
		return;
	}
	t->known |= TCB_K_SND_WND;
	if (tcb_known(t, TCB_K_MAX_SND_WND) && t->snd_wnd > t->max_snd_wnd)
		t->max_snd_wnd = t->snd_wnd;
	fsm_note_snd_edge(t); /* the highest right edge offered, for fsm_tx */
}

/* RFC 9293 3.10.7.4 eighth check: "Enter the TIME-WAIT state. Start the
 * time-wait timer" (2 MSL, MUST-13). */
void fsm_rx_enter_time_wait(struct fsm_rx *r)
{
	r->t->state = TCP_TIME_WAIT;
	r->t->time_wait_until = r->now + fsm_two_msl(r->t);
}

/* The highest sequence number sent plus one: SND.NXT, or snd_max after a
 * retransmission went back. An ACK up to there acknowledges something
 * sent. snd_max is only believed within a window (2^30) above SND.NXT. */
uint32_t fsm_rx_snd_top(const struct tcb *t)
{
	if (seq_gt(t->snd_max, t->snd_nxt) && t->snd_max - t->snd_nxt <= FSM_RX_MAX_WND)
		return t->snd_max;
	return t->snd_nxt;
}

/* --- the handshake's SYN ------------------------------------------------- */

/* A SYN is accepted (LISTEN third check, SYN-SENT fourth check): "RCV.NXT
 * is set to SEG.SEQ+1, IRS is set to SEG.SEQ", and its options negotiate
 * the connection's extensions. */
static void take_syn(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	t->irs = s->seq;
	t->rcv_nxt = s->seq + 1;
	t->rcv_up = t->rcv_nxt;
	t->known |= TCB_K_IRS | TCB_K_RCV;
	fsm_note_peer_syn(t, s); /* the options fsm_tx checks our SYN,ACK against */

	/* RFC 9293 3.7.1: the peer's MSS option (MUST-14), else "a default
	 * send MSS of 536 ... for IPv4 or 1220 ... for IPv6 (MUST-15)". */
	t->snd_mss = s->has_mss ? s->mss : (t->ip_version == 6 ? 1220 : 536);

	/* RFC 7323 2.2: scaling is on when both SYNs carry the option
	 * (tcb_ws_on, decided once our side is known too). 2.3: "If a Window
	 * Scale option is received with a shift.cnt value larger than 14, the
	 * TCP SHOULD log the error but MUST use 14 instead", and the sender
	 * broke "the shift count MUST be limited to 14". */
	t->ws_rcvd = s->has_ws;
	t->snd_shift = 0;
	/* the sender's breach is reported once, by fsm_tx on the sender's TCB */
	if (s->has_ws)
		t->snd_shift = s->ws > 14 ? 14 : s->ws;

	/* RFC 2018 2: SACK-permitted is sent on a SYN. */
	t->sack_rcvd = s->sack_ok;

	/* RFC 7323 3.2 (on when both SYNs carry TSopt) and Appendix D: "save
	 * SEG.TSval in the variable TS.Recent". */
	t->ts_rcvd = s->has_ts;
	if (s->has_ts) {
		t->ts_recent = s->tsval;
		t->ts_recent_age = r->now;
		t->known |= TCB_K_TS_RECENT;
	}

	/* MAX.SND.WND (RFC 5961 5.2) starts at the SYN's window, which is not
	 * scaled (RFC 7323 2.2). */
	t->snd_wnd = s->wnd;
	t->max_snd_wnd = s->wnd;
	t->known |= TCB_K_MAX_SND_WND;
}

/* Text on a SYN that leads to SYN-RECEIVED: "any other control or text
 * should be queued for processing later" (3.10.7.2; 3.10.7.3 "queue them
 * for processing after the ESTABLISHED state has been reached"). Profile
 * syn_data_acked: the text is taken now, delivered, and acknowledged by
 * the SYN,ACK (as TCP Fast Open, RFC 7413, does); otherwise it is
 * discarded and the peer sends it again (Linux without Fast Open). A FIN
 * on such a SYN is not taken either way: the peer retransmits it. */
static void take_syn_text(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	uint32_t n = r->s->len;

	if (!n || !t->prof.syn_data_acked)
		return;
	if (tcb_known(t, TCB_K_RCV_WND) && n > t->rcv_wnd)
		n = t->rcv_wnd;
	if (!n)
		return;
	r->out->actions |= FSM_ACT_DELIVER;
	r->out->deliver_seq = t->rcv_nxt;
	r->out->deliver_len = n;
	t->rcv_nxt += n;
	if (tcb_known(t, TCB_K_RCV_WND))
		t->rcv_wnd -= n;
}

/* --- 3.10.7.1 CLOSED ------------------------------------------------------ */

static void rx_closed(struct fsm_rx *r)
{
	/* "all data in the incoming segment is discarded. An incoming
	 * segment containing a RST is discarded. An incoming segment not
	 * containing a RST causes a RST to be sent in response." */
	fsm_rx_drop(r, FSM_DROP_CLOSED, "RFC9293 3.10.7.1");
	if (!(r->s->flags & WIRE_TH_RST))
		fsm_rx_rst_reply(r);
}

/* --- 3.10.7.2 LISTEN ------------------------------------------------------ */

static void listen_syn(struct fsm_rx *r)
{
	struct tcb *t = r->t;

	/* Security/compartment: not modelled. "Set RCV.NXT to SEG.SEQ+1, IRS
	 * is set to SEG.SEQ ... SND.NXT is set to ISS+1 and SND.UNA to ISS.
	 * The connection state should be changed to SYN-RECEIVED." ISS is
	 * the caller's (the endpoint picks it; the analyzer learns it from
	 * the SYN,ACK). */
	take_syn(r);
	if (tcb_known(t, TCB_K_ISS)) {
		t->snd_una = t->iss;
		t->snd_nxt = t->iss + 1;
		t->snd_max = t->snd_nxt;
		t->known |= TCB_K_SND;
	}
	t->passive_open = true;
	t->state = TCP_SYN_RECEIVED;
	take_syn_text(r);
	/* "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>" */
	r->out->actions |= FSM_ACT_SYN_ACK;
	r->out->rule = "RFC9293 3.10.7.2 (third check)";
}

static void rx_listen(struct fsm_rx *r)
{
	const struct seg *s = r->s;

	/* First, check for a RST: "An incoming RST should be ignored." */
	if (s->flags & WIRE_TH_RST) {
		fsm_rx_drop(r, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (first check)");
		return;
	}
	/* Second, check for an ACK: "Any acknowledgment is bad if it arrives
	 * on a connection still in the LISTEN state": <SEQ=SEG.ACK><CTL=RST> */
	if (s->flags & WIRE_TH_ACK) {
		fsm_rx_drop(r, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (second check)");
		fsm_rx_rst_reply(r);
		return;
	}
	/* Third, check for a SYN. */
	if (s->flags & WIRE_TH_SYN) {
		listen_syn(r);
		return;
	}
	/* Fourth, other data or control: "Drop the segment and return." */
	fsm_rx_drop(r, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (fourth check)");
}

/* --- 3.10.7.3 SYN-SENT ---------------------------------------------------- */

static void syn_sent_syn(struct fsm_rx *r, bool acked)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;

	/* "RCV.NXT is set to SEG.SEQ+1, IRS is set to SEG.SEQ. SND.UNA
	 * should be advanced to equal SEG.ACK (if there is an ACK)" */
	take_syn(r);
	if (tcb_known(t, TCB_K_ISS))
		t->known |= TCB_K_OPTS; /* our SYN and theirs both seen */
	r->out->rule = "RFC9293 3.10.7.3 (fourth check)";
	if (acked) {
		t->snd_una = s->ack;
		if (seq_gt(s->ack, t->snd_nxt))
			t->snd_nxt = s->ack;
		/* "If SND.UNA > ISS (our SYN has been ACKed), change the
		 * connection state to ESTABLISHED, form an ACK segment
		 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it." The
		 * SYN,ACK's window is the first SND.WND (not scaled). */
		t->state = TCP_ESTABLISHED;
		r->out->actions |= FSM_ACT_OPENED | FSM_ACT_ACK;
		fsm_rx_set_window(r, true);
		/* "If there are other controls or text in the segment, then
		 * continue processing at the sixth step under Section
		 * 3.10.7.4 where the URG bit is checked" */
		if (s->len || (s->flags & (WIRE_TH_FIN | WIRE_TH_URG))) {
			fsm_rx_trim(r, s->seq + 1);
			fsm_rx_from_sixth(r);
			r->out->rule = "RFC9293 3.10.7.3 (fourth check)";
		}
		return;
	}
	/* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
	 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it. Set the variables:
	 * SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK" */
	t->passive_open = false;
	t->state = TCP_SYN_RECEIVED;
	fsm_rx_set_window(r, true);
	take_syn_text(r);
	r->out->actions |= FSM_ACT_SYN_ACK;
}

static void rx_syn_sent(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	const struct seg *s = r->s;
	bool ack = (s->flags & WIRE_TH_ACK) != 0;
	bool rst = (s->flags & WIRE_TH_RST) != 0;
	bool ack_ok = false;

	/* First, check the ACK bit: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
	 * send a reset (unless the RST bit is set, if so drop the segment and
	 * return) <SEQ=SEG.ACK><CTL=RST> and discard the segment." */
	if (ack) {
		if (tcb_known(t, TCB_K_ISS | TCB_K_SND)) {
			if (seq_leq(s->ack, t->iss) || seq_gt(s->ack, t->snd_nxt)) {
				fsm_rx_drop(r, FSM_DROP_SYN_SENT,
					    "RFC9293 3.10.7.3 (first check)");
				if (!rst)
					fsm_rx_rst_reply(r);
				return;
			}
			/* "If SND.UNA < SEG.ACK =< SND.NXT, then the ACK is
			 * acceptable." */
			ack_ok = seq_lt(t->snd_una, s->ack) && seq_leq(s->ack, t->snd_nxt);
		} else {
			ack_ok = true; /* cannot be checked: taken as acceptable */
			r->unsure = true;
		}
	}

	/* Second, check the RST bit: "If the ACK was acceptable, then signal
	 * to the user "error: connection reset", drop the segment, enter
	 * CLOSED state, delete TCB, and return. Otherwise (no ACK), drop the
	 * segment and return." RFC 5961's exact RCV.NXT match (a SHOULD here)
	 * cannot be made: RCV.NXT has no value before the peer's SYN; the ACK
	 * validates the RST (3.5.3). */
	if (rst) {
		if (ack && ack_ok) {
			t->state = TCP_CLOSED;
			t->closed_how = TCB_CLOSED_OTHER;
			r->out->actions |= FSM_ACT_RESET | FSM_ACT_CLOSED;
			fsm_rx_drop(r, FSM_DROP_RST, "RFC9293 3.10.7.3 (second check)");
		} else {
			r->unsure = false;
			fsm_rx_drop(r, FSM_DROP_SYN_SENT, "RFC9293 3.10.7.3 (second check)");
		}
		return;
	}

	/* Third, check the security: not modelled. */

	/* Fourth, check the SYN bit. */
	if (s->flags & WIRE_TH_SYN) {
		syn_sent_syn(r, ack && ack_ok);
		return;
	}

	/* Fifth, "if neither of the SYN or RST bits is set, then drop the
	 * segment and return." */
	r->unsure = false;
	fsm_rx_drop(r, FSM_DROP_SYN_SENT, "RFC9293 3.10.7.3 (fifth check)");
}

/* --- entry ---------------------------------------------------------------- */

/* The reply owed, from the TCB's values once every step is done. */
static void finish(struct fsm_rx *r)
{
	struct tcb *t = r->t;
	struct fsm_out *out = r->out;

	if (out->actions & FSM_ACT_RST) {
		/* set by fsm_rx_rst_reply from the segment */
	} else if (out->actions & FSM_ACT_SYN_ACK) {
		out->reply.seq = t->iss;
		out->reply.ack = t->rcv_nxt;
		out->reply.flags = WIRE_TH_SYN | WIRE_TH_ACK;
	} else if (out->actions & (FSM_ACT_ACK | FSM_ACT_CHALLENGE_ACK)) {
		/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
		out->reply.seq = t->snd_nxt;
		out->reply.ack = t->rcv_nxt;
		out->reply.flags = WIRE_TH_ACK;
	}
	if (t->state == TCP_CLOSED || t->state == TCP_LISTEN)
		t->time_wait_until = 0;
	if (r->unsure)
		t->known &= ~TCB_K_STATE;
	out->new_state = t->state;
}

int fsm_rx(struct tcb *t, const struct seg *s, tstamp now, struct fsm_out *out)
{
	struct fsm_rx r;

	if (!t || !s || !out)
		return FSM_ERR_INVAL;
	fsm_out_begin(out, t);

	/* RFC 9293 3.1: "the receiver MUST check it (MUST-3)": a segment whose
	 * checksum fails is dropped before anything else, with no reply. */
	if (!s->csum_ok) {
		out->actions = FSM_ACT_DROP;
		out->drop = FSM_DROP_BAD_CSUM;
		out->rule = "RFC9293 3.1 (MUST-3)";
		return 0;
	}

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.s = s;
	r.now = now;
	r.out = out;
	t->last_rx = now;

	switch (t->state) {
	case TCP_CLOSED:
		rx_closed(&r);
		break;
	case TCP_LISTEN:
		rx_listen(&r);
		break;
	case TCP_SYN_SENT:
		rx_syn_sent(&r);
		break;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		fsm_rx_other(&r);
		break;
	}
	finish(&r);
	return 0;
}
