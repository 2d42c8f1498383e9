/* fsm_tx: this endpoint sends a segment. Was it allowed?
 *
 * The analyzer calls fsm_tx for every segment an endpoint sends (and
 * fsm_rx with it on the other endpoint); the reference endpoint calls it
 * for its own segments. fsm_tx
 *  (1) checks the sender's obligations that this endpoint's TCB can
 *      judge, adding findings (levels: the RFC's keyword; ANALYSIS where no
 *      keyword forbids the thing, and the finding's title says so);
 *  (2) advances the sender's side: SYN -> SYN-SENT, SYN,ACK ->
 *      SYN-RECEIVED, FIN -> FIN-WAIT-1 or LAST-ACK, an RST that ends the
 *      connection -> CLOSED; ISS, SND.NXT/snd_max, our FIN, the window we
 *      advertise (rcv_wnd, rcv_adv), our SYN's options, our timestamps and
 *      Last.ACK.sent.
 *
 * Unknown variables. A capture may start mid-connection or miss segments.
 *  - A check that needs a variable whose TCB_K_* bit is clear is not
 *    made, and no finding ever rests on an unknown value. The variable is
 *    learned from the segment where that is sound: the first segment sets
 *    SND.UNA/SND.NXT (TCB_K_SND), a SYN sets ISS, an ACK sets RCV.NXT when
 *    it was unknown; out->learned lists what was learned. An ACK above a
 *    known RCV.NXT only raises FSM_ACT_ACK_UNSEEN: whether that data was
 *    ever sent is for the analyzer, which holds both TCBs.
 *  - A segment that shows the endpoint synchronized while the TCB says
 *    otherwise (an ACK from SYN-SENT or LISTEN, or from a CLOSED TCB never
 *    seen open) re-learns the state (FSM_ACT_RESYNC, TCB_K_STATE cleared):
 *    not a finding, the capture missed what moved it.
 *  - Retransmissions (sequence space below snd_max) are normal and never
 *    a finding here; the analysis layer labels them.
 *  - Crossing segments: the analyzer feeds the peer's segment to this
 *    TCB's fsm_rx as soon as it is captured, which may be after this
 *    endpoint sent its own. A bare SYN from a TCB that took the peer's SYN
 *    and never sent one (simultaneous open), and a FIN whose ACK does not
 *    cover the peer's FIN from CLOSE-WAIT (simultaneous close), are read
 *    as such: SYN-RECEIVED and CLOSING, as the RFC's figures 8 and 13
 *    show.
 * Order. Segments can be reordered between the sender and the capture
 * point, and a segment sent before a state change can be captured after
 * the peer's segment that caused it. A check that compares a segment with
 * earlier ones (TSval, TSecr, our window edge, sending after our own RST)
 * is made only when the segment was provably made after all of them: its
 * ACK field is above every ACK field we sent before. RCV.NXT never goes
 * back, so ACK fields grow in the order segments are made. New sequence
 * space is no such proof: a retransmission made later can overtake it.
 * A segment whose checksum fails is not judged at all (its fields may be
 * damaged), nor SACK blocks from a malformed option list.
 * Not judged here: the fields of replies the RFC owes and ACKs of data
 * never sent (the analyzer, with both TCBs), congestion control, Nagle and
 * SWS avoidance (they need the send queue and timers). */
#include "fsm_priv.h"

/* RFC 7323 5.5: after 24 days without a segment a timestamp clock may
 * have wrapped, so TSval/TSecr ordering starts over. */
#define TX_TS_IDLE ((tstamp)24 * 24 * 3600 * 1000 * 1000 * 1000)

/* snd_max moves forward by at most this much: a window is below 2^30
 * (RFC 7323 2.3), anything further is not taken as this stream's. */
#define TX_MAX_JUMP ((uint32_t)1 << 30)

struct tx {
	struct tcb *t;
	const struct seg *s;
	struct fsm_out *out;
	bool syn, ack, rst, fin;
	uint32_t data_seq;  /* first data octet: SEG.SEQ, plus one on a SYN */
	uint32_t data_end;  /* data_seq + SEG.LEN: where a FIN sits */
	uint32_t seq_end;   /* SEG.SEQ + SEG.LEN, SYN and FIN counted */
	bool later;         /* ACK above every ACK sent before: made after them */
};

static void set_state(struct tx *x, enum tcp_state st, const char *rule)
{
	x->t->state = st;
	x->out->rule = rule;
	if (st == TCP_CLOSED) {
		x->out->actions |= FSM_ACT_CLOSED;
		x->t->time_wait_until = 0;
	}
}

/* --- header ---------------------------------------------------------------- */

static void check_header(struct tx *x)
{
	const struct seg *s = x->s;
	struct fsm_out *out = x->out;

	/* RFC 9293 names no keyword against either combination. */
	if (x->syn && x->fin)
		fsm_out_finding(out, FND_TX_SYN_WITH_FIN, s->seq, s->len, 0);
	if (x->syn && x->rst)
		fsm_out_finding(out, FND_TX_SYN_WITH_RST, s->seq, 0, 0);
	/* 3.1: "If the ACK control bit is set, this field contains the value
	 * of the next sequence number" */
	if (!x->ack && s->ack)
		fsm_out_finding(out, FND_TX_ACK_NUMBER_WITHOUT_ACK, s->ack, 0, 0);
	/* 3.1: "This field is only to be interpreted in segments with the URG
	 * control bit set." */
	if (!(s->flags & WIRE_TH_URG) && s->up)
		fsm_out_finding(out, FND_TX_URGENT_POINTER_WITHOUT_URG, s->up, 0, 0);
	if (x->ack || x->syn || x->rst)
		return;
	/* No state takes such a segment: LISTEN "must have an ACK" (3.10.7.2
	 * fourth), SYN-SENT drops it (3.10.7.3 fifth), the others too
	 * (3.10.7.4 fifth: "if the ACK bit is off drop the segment"). 3.1:
	 * "Once a connection is established, this is always sent." Text
	 * from SYN-SENT is named for what it is (3.10.2: SEND there queues
	 * the data "for transmission after entering ESTABLISHED state"). */
	if (x->t->state == TCP_SYN_SENT && s->len)
		fsm_out_finding(out, FND_TX_DATA_BEFORE_HANDSHAKE, s->len, s->seq, 0);
	else
		fsm_out_finding(out, FND_TX_ACK_FLAG_MISSING, s->seq, s->len, s->flags);
}

/* --- state: RST ------------------------------------------------------------ */

/* Our RST ended the connection. An RST with ACK whose ACK is RCV.NXT
 * (Linux's abort) lets a later segment prove it was made after the RST. */
static void close_by_rst(struct tx *x, const char *rule)
{
	struct tcb *t = x->t;
	const struct seg *s = x->s;

	set_state(x, TCP_CLOSED, rule);
	t->closed_how = TCB_CLOSED_RST;
	if (x->ack && tcb_known(t, TCB_K_RCV) && s->ack == t->rcv_nxt) {
		t->closed_how = TCB_CLOSED_RST_ACK;
		if (!tcb_known(t, TCB_K_LAST_ACK) || seq_gt(s->ack, t->last_ack_sent))
			t->last_ack_sent = s->ack;
		t->known |= TCB_K_LAST_ACK;
	}
}

/* RFC 9293 sends an RST in a synchronized state only to end the
 * connection: ABORT (3.10.5, <SEQ=SND.NXT><CTL=RST>) or data lost after
 * CLOSE (RFC 1122 4.2.2.13). In CLOSED, LISTEN and SYN-SENT an RST only
 * answers a segment (3.5.2) and the state stays (ABORT there sends none);
 * in SYN-RECEIVED it is ABORT's <SEQ=SND.NXT> or the answer to an
 * unacceptable ACK, <SEQ=SEG.ACK>. */
static void tx_rst(struct tx *x)
{
	struct tcb *t = x->t;
	bool at_nxt = tcb_known(t, TCB_K_SND) && x->s->seq == t->snd_nxt;

	switch (t->state) {
	case TCP_CLOSED:
		x->out->rule = "RFC9293 3.10.7.1";
		break;
	case TCP_LISTEN:
		/* "<SEQ=SEG.ACK><CTL=RST>" for an ACK-bearing segment */
		x->out->rule = "RFC9293 3.10.7.2 (second check)";
		break;
	case TCP_SYN_SENT:
		/* The reply to an ACK outside (ISS, SND.NXT] has SEQ=SEG.ACK,
		 * never SND.NXT; at SND.NXT it comes from a stack that dropped
		 * the TCB and answers the SYN,ACK as 3.10.7.1 says. */
		if (at_nxt)
			close_by_rst(x, "RFC9293 3.10.7.1");
		else
			x->out->rule = "RFC9293 3.10.7.3 (first check)";
		break;
	case TCP_SYN_RECEIVED:
		/* ABORT: <SEQ=SND.NXT>; the reply to an unacceptable ACK is
		 * <SEQ=SEG.ACK> with SEG.ACK != SND.NXT (3.10.7.4 fifth check) */
		if (at_nxt)
			close_by_rst(x, "RFC9293 3.10.5");
		else
			x->out->rule = "RFC9293 3.10.7.4 (fifth check)";
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		close_by_rst(x, "RFC9293 3.10.5");
		break;
	}
}

/* --- state: SYN ------------------------------------------------------------ */

void fsm_tx_new_incarnation(struct tcb *t, bool keep_peer)
{
	uint32_t keep = TCB_K_IRS | TCB_K_RCV | TCB_K_SND_WND | TCB_K_MAX_SND_WND |
			TCB_K_TS_RECENT | TCB_K_PEER_SYN;

	t->known &= keep_peer ? keep : 0;
	t->fin_sent = false;
	t->fin_seq = 0;
	t->ws_sent = t->sack_sent = t->ts_sent = false;
	t->rcv_shift = 0;
	t->time_wait_until = 0;
	t->closed_how = TCB_CLOSED_OTHER;
	if (!keep_peer) {
		t->fin_rcvd = false;
		t->peer_fin_seq = 0;
	}
}

/* ISS, SND.UNA and SND.NXT from our SYN (3.10.1: "Set SND.UNA to ISS,
 * SND.NXT to ISS+1"; data on the SYN counts too). */
static void learn_iss(struct tx *x)
{
	struct tcb *t = x->t;

	t->iss = x->s->seq;
	t->snd_una = t->iss;
	t->snd_nxt = t->snd_max = x->seq_end;
	t->known |= TCB_K_ISS | TCB_K_SND;
	x->out->learned |= TCB_K_ISS | TCB_K_SND;
}

static void start(struct tx *x, bool keep_peer)
{
	struct tcb *t = x->t;

	fsm_tx_new_incarnation(t, keep_peer);
	learn_iss(x);
	t->known |= TCB_K_STATE;
	if (x->ack) {
		if (!keep_peer)
			t->passive_open = true;
		set_state(x, TCP_SYN_RECEIVED, "RFC9293 3.10.7.2 (third check)");
	} else {
		set_state(x, TCP_SYN_SENT, "RFC9293 3.10.1");
	}
}

/* Our SYN's options (RFC 7323 2.2, 3.2; RFC 2018 2), from the latest SYN
 * of the handshake. Scaling is on when both SYNs carry the option. */
static void record_syn_opts(struct tx *x)
{
	struct tcb *t = x->t;
	const struct seg *s = x->s;

	t->ws_sent = s->has_ws;
	/* 2.3: a shift above 14 is taken as 14 */
	t->rcv_shift = s->has_ws ? (s->ws > 14 ? 14 : s->ws) : 0;
	t->sack_sent = s->sack_ok;
	t->ts_sent = s->has_ts;
	if (s->opt_malformed) {
		t->known &= ~TCB_K_OUR_SYN;
		return;
	}
	t->known |= TCB_K_OUR_SYN;
	if (tcb_known(t, TCB_K_IRS)) /* the peer's SYN was taken (fsm_rx) */
		t->known |= TCB_K_OPTS;
}

/* A SYN without ACK from a TCB that took the peer's SYN (SYN-RECEIVED)
 * and never sent one of its own: it left before the peer's SYN arrived,
 * the two crossed (simultaneous open, 3.5 figure 8). The endpoint was in
 * SYN-SENT when it sent it and went to SYN-RECEIVED when the peer's SYN
 * came (3.10.7.3 fourth check), where the model already is: the peer's
 * SYN is kept, ISS learned, and the connection is no passive one (a RST
 * or SYN now does not return it to LISTEN). */
static void crossed_syn(struct tx *x)
{
	struct tcb *t = x->t;
	uint32_t state_known = t->known & TCB_K_STATE;

	fsm_tx_new_incarnation(t, true);
	t->known |= state_known;
	learn_iss(x);
	t->passive_open = false;
	x->out->rule = "RFC9293 3.10.7.3 (fourth check, simultaneous open)";
}

static void tx_syn(struct tx *x)
{
	struct tcb *t = x->t;
	bool same = tcb_known(t, TCB_K_ISS) && x->s->seq == t->iss;

	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_TIME_WAIT:
		/* 3.10.1 active OPEN "<SEQ=ISS><CTL=SYN>"; a SYN,ACK answers a
		 * SYN the TCB did not take (3.10.7.2 third check); in TIME-WAIT
		 * a new incarnation (3.10.7.4 fourth check, RFC 6191). */
		start(x, false);
		break;
	case TCP_SYN_SENT:
		if (!same)
			start(x, false); /* another attempt, another ISS */
		else if (x->ack) {
			/* simultaneous open, 3.10.7.3 fourth check: "enter
			 * SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS>..." */
			t->passive_open = false;
			set_state(x, TCP_SYN_RECEIVED, "RFC9293 3.10.7.3 (fourth check)");
		} else
			x->out->rule = "RFC9293 3.8.1"; /* retransmitted */
		break;
	case TCP_SYN_RECEIVED:
		/* 3.10.7.2: "ISS should be selected and a SYN segment sent":
		 * the analyzer learns ISS here (or sees another ISS answer the
		 * same peer SYN); the peer's SYN, just taken, is kept */
		if (same)
			break;
		if (!x->ack && !tcb_known(t, TCB_K_ISS) && tcb_known(t, TCB_K_IRS))
			crossed_syn(x);
		else
			start(x, x->ack);
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		/* Same ISS: a retransmission that crossed the peer's ACK of
		 * it. Another: we restarted (the peer is half-open, 3.5.1). */
		if (!same)
			start(x, false);
		break;
	}
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED)
		record_syn_opts(x);
}

/* --- state: neither SYN nor RST ------------------------------------------------ */

/* The segment shows a synchronized endpoint. */
static void resync(struct tx *x)
{
	struct tcb *t = x->t;

	t->state = t->fin_rcvd ? TCP_CLOSE_WAIT : TCP_ESTABLISHED;
	t->known &= ~TCB_K_STATE;
	t->closed_how = TCB_CLOSED_OTHER;
	t->time_wait_until = 0;
	x->out->actions |= FSM_ACT_RESYNC;
	x->out->rule = "RFC9293 3.3.2 (state learned from the segment)";
}

/* Our first FIN (CLOSE, 3.10.4). */
static void fin_state(struct tx *x)
{
	struct tcb *t = x->t;

	if (t->fin_sent)
		return; /* a retransmission */
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		/* no connection to close (CLOSE in SYN-SENT sends no FIN) */
		break;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		/* "form a FIN segment and send it, and enter FIN-WAIT-1" */
		set_state(x, TCP_FIN_WAIT_1, "RFC9293 3.10.4");
		break;
	case TCP_CLOSE_WAIT:
		/* "send a FIN segment, enter LAST-ACK state"; but a FIN whose
		 * ACK field does not cover the peer's FIN was made before the
		 * peer's FIN arrived (ACK fields follow RCV.NXT): the two FINs
		 * crossed (simultaneous close, 3.6 figure 13). The endpoint was
		 * in FIN-WAIT-1 when it sent it, and went to CLOSING when the
		 * peer's FIN came (3.10.7.4 eighth check). */
		if (x->ack && t->fin_rcvd && seq_leq(x->s->ack, t->peer_fin_seq))
			set_state(x, TCP_CLOSING,
				  "RFC9293 3.10.7.4 (eighth check, simultaneous close)");
		else
			set_state(x, TCP_LAST_ACK, "RFC9293 3.10.4");
		break;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* CLOSE (fsm_user) moved the state before the FIN went out */
		break;
	}
}

static void tx_other(struct tx *x)
{
	struct tcb *t = x->t;
	const struct seg *s = x->s;

	switch (t->state) {
	case TCP_CLOSED:
		if (t->closed_how == TCB_CLOSED_RST_ACK && x->later) {
			/* 3.10.5: our RST deleted the TCB, yet this segment
			 * acknowledges data that arrived after it */
			fsm_out_finding(x->out, FND_TX_SEGMENT_AFTER_RST, s->seq, s->ack,
					t->last_ack_sent);
			resync(x);
		} else if (!tcb_known(t, TCB_K_STATE) && x->ack) {
			resync(x); /* never seen open: the capture began late */
		}
		/* Otherwise a segment that crossed what closed the TCB (the
		 * peer's RST, its ACK of our FIN) or a late re-ACK. */
		break;
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		/* only SYNs and RSTs come from these states (3.10.7.2,
		 * 3.10.7.3): an ACK shows that the peer's SYN was taken */
		if (x->ack)
			resync(x);
		break;
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
	if (x->fin)
		fin_state(x);
}

/* --- options ----------------------------------------------------------------- */

static void check_options(struct tx *x)
{
	const struct tcb *t = x->t;
	const struct seg *s = x->s;
	struct fsm_out *out = x->out;

	if (!x->syn) {
		/* RFC 9293 3.2: MSS "MUST NOT be sent in other segments
		 * (MUST-65)" */
		if (s->has_mss)
			fsm_out_finding(out, FND_TX_MSS_NOT_SYN, s->mss, s->seq, 0);
		/* RFC 7323 2.2: "MAY be sent in an initial <SYN> segment";
		 * "in a segment without a SYN bit MUST be ignored" */
		if (s->has_ws)
			fsm_out_finding(out, FND_TX_WSCALE_NOT_SYN, s->ws, s->seq, 0);
		/* RFC 2018 2: "It MUST NOT be sent on non-SYN segments." */
		if (s->sack_ok)
			fsm_out_finding(out, FND_TX_SACK_PERM_NOT_SYN, s->seq, 0, 0);
		return;
	}
	/* RFC 7323 2.3: "the shift count MUST be limited to 14" */
	if (s->has_ws && s->ws > 14)
		fsm_out_finding(out, FND_TX_WSCALE_OVER_14, s->ws, 14, 0);
	if (!x->ack || x->rst || !tcb_known(t, TCB_K_PEER_SYN))
		return;
	/* Our SYN,ACK. RFC 7323 2.2: "If a Window Scale option was received
	 * in the initial <SYN> segment, then this option MAY be sent in the
	 * <SYN,ACK> segment"; 3.2: "MAY send a TSopt in <SYN,ACK> only if it
	 * received a TSopt in the initial <SYN>". RFC 2018 2 puts no such
	 * condition on SACK-permitted: any SYN may offer it. */
	if (s->has_ws && !(t->peer_syn_opts & TCB_SYNOPT_WS))
		fsm_out_finding(out, FND_TX_WSCALE_NOT_OFFERED, s->ws, s->seq, 0);
	if (s->has_ts && !(t->peer_syn_opts & TCB_SYNOPT_TS))
		fsm_out_finding(out, FND_TX_TS_NOT_OFFERED, s->tsval, s->seq, 0);
}

static void check_timestamps(struct tx *x)
{
	const struct tcb *t = x->t;
	const struct seg *s = x->s;
	struct fsm_out *out = x->out;

	/* An RST only SHOULD carry TSopt (RFC 7323 3.2), and one sent for no
	 * connection may use another clock: not looked at. */
	if (x->rst)
		return;
	if (!s->has_ts) {
		/* 3.2: "Once TSopt has been successfully negotiated, that is
		 * both <SYN> and <SYN,ACK> contain TSopt, the TSopt MUST be
		 * sent in every non-<RST> segment" */
		if (!x->syn && !s->opt_malformed && tcb_known(t, TCB_K_OPTS) && tcb_ts_on(t))
			fsm_out_finding(out, FND_TX_TS_MISSING, s->seq, s->len, 0);
		return;
	}
	/* 3.2: "If the ACK bit is not set in the outgoing TCP header, the
	 * sender of that segment SHOULD set the TSecr field to zero." */
	if (!x->ack && s->tsecr)
		fsm_out_finding(out, FND_TX_TSECR_WITHOUT_ACK, s->tsecr, 0, 0);
	if (!x->later)
		return;
	/* 5.2: PAWS "assumes that every received TCP segment ... contains a
	 * timestamp SEG.TSval whose values are monotonically non-decreasing" */
	if (tcb_known(t, TCB_K_TS_LAST) && seq_lt(s->tsval, t->ts_last_sent))
		fsm_out_finding(out, FND_TX_TSVAL_BACKWARDS, s->tsval, t->ts_last_sent, s->ack);
	/* 4.3: TS.Recent takes SEG.TSval only if "SEG.TSval >= TS.Recent",
	 * and "(3) When a TSopt is sent, its TSecr field is set to the
	 * current TS.Recent value". A TS.Recent of 0 is taken as unset by
	 * BSD stacks, which then skip PAWS and take any TSval: not judged. */
	if (tcb_known(t, TCB_K_TS_ECR) && t->ts_ecr_last && seq_lt(s->tsecr, t->ts_ecr_last))
		fsm_out_finding(out, FND_TX_TSECR_BACKWARDS, s->tsecr, t->ts_ecr_last, s->ack);
}

static void check_sack(struct tx *x)
{
	const struct tcb *t = x->t;
	const struct seg *s = x->s;
	unsigned n = s->n_sack < WIRE_MAX_SACK ? s->n_sack : WIRE_MAX_SACK;

	if (!n || s->opt_malformed)
		return;
	/* RFC 2018 4: "If the data receiver has not received a SACK-Permitted
	 * option for a given connection, it MUST NOT send SACK options on
	 * that connection." */
	if (tcb_known(t, TCB_K_PEER_SYN) && !(t->peer_syn_opts & TCB_SYNOPT_SACK))
		fsm_out_finding(x->out, FND_TX_SACK_NOT_PERMITTED, n, s->sack[0].left,
				s->sack[0].right);
	for (unsigned i = 0; i < n; i++) {
		uint32_t l = s->sack[i].left, r = s->sack[i].right;

		/* RFC 2018 3: the right edge is "the sequence number
		 * immediately following the last sequence number of this
		 * block" */
		if (!seq_gt(r, l))
			fsm_out_finding(x->out, FND_TX_SACK_BLOCK_EMPTY, i, l, r);
		/* RFC 2883 4: only the first block may report a duplicate
		 * (D-SACK); the others report data queued above the ACK */
		else if (i > 0 && x->ack && seq_leq(r, s->ack))
			fsm_out_finding(x->out, FND_TX_SACK_BLOCK_BELOW_ACK, l, r, s->ack);
	}
}

/* --- sequence space ------------------------------------------------------------ */

static void check_after_fin(struct tx *x)
{
	const struct tcb *t = x->t;
	const struct seg *s = x->s;

	if (x->rst || !t->fin_sent)
		return;
	/* 3.1: "FIN: No more data from sender." */
	if (s->len && seq_gt(x->data_end, t->fin_seq))
		fsm_out_finding(x->out, FND_TX_DATA_AFTER_FIN, x->data_seq, x->data_end,
				t->fin_seq);
	/* 3.10.4, CLOSE in FIN-WAIT: "as long as a second FIN is not emitted
	 * (the first FIN may be retransmitted, though)" */
	else if (x->fin && x->data_end != t->fin_seq)
		fsm_out_finding(x->out, FND_TX_FIN_MOVED, x->data_end, t->fin_seq, 0);
}

/* New data beyond the highest right edge the peer offered. Figure 3 of
 * 3.3.1 calls what lies beyond SND.UNA + SND.WND "future sequence numbers
 * that are not yet allowed", and the glossary (4, "send window"): "The
 * range of new sequence numbers that may be emitted by a TCP
 * implementation lies between SND.NXT and SND.UNA + SND.WND - 1"; no
 * keyword. Retransmissions are left alone
 * (3.8.6: the sender "MAY also retransmit old data beyond
 * SND.UNA+SND.WND (MAY-7)"), and so is one octet into a zero window
 * (3.8.6.1: "transmit at least one octet of new data ... even if the send
 * window is zero"). Data only: the window counts "data octets" (3.1). */
static void check_send_window(struct tx *x)
{
	const struct tcb *t = x->t;
	uint32_t limit;

	if (x->rst || !x->s->len || !tcb_known(t, TCB_K_SND | TCB_K_SND_WND | TCB_K_SND_EDGE))
		return;
	if (!seq_gt(x->data_end, t->snd_max))
		return;
	limit = t->snd_edge_max + (t->snd_wnd == 0 ? 1 : 0);
	if (seq_gt(x->data_end, limit))
		fsm_out_finding(x->out, FND_TX_BEYOND_PEER_WINDOW, x->data_end, t->snd_edge_max,
				x->data_end - t->snd_edge_max);
}

/* --- the window we advertise ---------------------------------------------------- */

/* Our shift on windows without SYN, when known (RFC 7323 2.2: on only if
 * both SYNs carry the option; 2.3: SEG.WND = RCV.WND >> Rcv.Wind.Shift).
 * Taking it too small cannot make a shrink appear (a window field that
 * was rounded down only loses value); taking it too large can, so a shift
 * we offered counts only once the peer's SYN is known. */
static bool our_shift(const struct tcb *t, uint8_t *shift)
{
	if (!tcb_known(t, TCB_K_OUR_SYN))
		return false;
	if (!t->ws_sent) {
		*shift = 0;
		return true;
	}
	if (!tcb_known(t, TCB_K_OPTS))
		return false;
	*shift = tcb_ws_on(t) ? t->rcv_shift : 0;
	return true;
}

/* 3.8.6: "A TCP receiver SHOULD NOT shrink the window, i.e., move the
 * right window edge to the left (SHLD-14)". With a shift S a window is
 * rounded down to a multiple of 2^S, so the edge may seem to move left by
 * less than 2^S without moving (RFC 7323 2.4): that is not a shrink. */
static void check_adv_window(struct tx *x)
{
	struct tcb *t = x->t;
	const struct seg *s = x->s;
	uint8_t shift;
	uint32_t wnd, edge, tol;

	if (!x->ack || x->rst)
		return;
	if (!our_shift(t, &shift)) {
		if (!x->syn) {
			t->known &= ~TCB_K_RCV_WND;
			return;
		}
		shift = 14; /* only for the tolerance: edges of SYNs are exact */
	}
	tol = (uint32_t)1 << shift;
	/* RFC 7323 2.2: "The window field in a segment where the SYN bit is
	 * set (i.e., a <SYN> or <SYN,ACK>) MUST NOT be scaled." */
	wnd = (uint32_t)s->wnd << (x->syn ? 0 : shift);
	edge = s->ack + wnd;
	if (tcb_known(t, TCB_K_RCV_WND) && x->later && seq_lt(edge, t->rcv_adv) &&
	    t->rcv_adv - edge >= tol)
		fsm_out_finding(x->out, FND_TX_WINDOW_SHRUNK, edge, t->rcv_adv, t->rcv_adv - edge);
	if (!tcb_known(t, TCB_K_RCV_WND) || seq_gt(edge, t->rcv_adv))
		t->rcv_adv = edge;
	/* RCV.WND as fsm_rx reads it, from RCV.NXT: RCV.NXT + RCV.WND is the
	 * edge this segment advertised */
	if (tcb_known(t, TCB_K_RCV) && seq_geq(edge, t->rcv_nxt))
		t->rcv_wnd = edge - t->rcv_nxt;
	else
		t->rcv_wnd = wnd;
	t->known |= TCB_K_RCV_WND;
}

/* --- what the segment teaches ------------------------------------------------------ */

static void update_ack(struct tx *x)
{
	struct tcb *t = x->t;
	uint32_t ack = x->s->ack;

	if (!x->ack || x->rst)
		return;
	/* 3.1: the ACK field is "the value of the next sequence number the
	 * sender of the segment is expecting to receive", our RCV.NXT */
	if (!tcb_known(t, TCB_K_RCV)) {
		t->rcv_nxt = ack;
		t->known |= TCB_K_RCV;
		x->out->learned |= TCB_K_RCV;
	} else if (seq_gt(ack, t->rcv_nxt)) {
		x->out->actions |= FSM_ACT_ACK_UNSEEN;
	}
	/* Last.ACK.sent (RFC 7323 4.3), kept as the highest ACK sent so that
	 * a reordered capture cannot move it back */
	if (!tcb_known(t, TCB_K_LAST_ACK) || seq_gt(ack, t->last_ack_sent))
		t->last_ack_sent = ack;
	t->known |= TCB_K_LAST_ACK;
}

static void update_send(struct tx *x)
{
	struct tcb *t = x->t;

	if (x->rst)
		return;
	if (!tcb_known(t, TCB_K_SND)) {
		t->snd_una = x->s->seq;
		t->snd_nxt = t->snd_max = x->seq_end;
		t->known |= TCB_K_SND;
		x->out->learned |= TCB_K_SND;
	} else if (seq_gt(x->seq_end, t->snd_max) && x->seq_end - t->snd_max <= TX_MAX_JUMP) {
		t->snd_max = x->seq_end;
	}
	/* SND.NXT is kept at the highest sequence sent: a retransmission
	 * does not move it back */
	if (seq_gt(t->snd_max, t->snd_nxt))
		t->snd_nxt = t->snd_max;
	if (x->fin && !t->fin_sent) {
		t->fin_sent = true;
		t->fin_seq = x->data_end;
	}
}

static void update_ts(struct tx *x)
{
	struct tcb *t = x->t;
	const struct seg *s = x->s;

	if (x->rst || !s->has_ts)
		return;
	if (!tcb_known(t, TCB_K_TS_LAST) || seq_gt(s->tsval, t->ts_last_sent))
		t->ts_last_sent = s->tsval;
	t->known |= TCB_K_TS_LAST;
	if (!x->ack)
		return;
	if (!tcb_known(t, TCB_K_TS_ECR) || !t->ts_ecr_last || seq_gt(s->tsecr, t->ts_ecr_last))
		t->ts_ecr_last = s->tsecr;
	t->known |= TCB_K_TS_ECR;
}

/* --- entry ------------------------------------------------------------------------ */

int fsm_tx(struct tcb *t, const struct seg *s, tstamp now, struct fsm_out *out)
{
	struct tx x;

	if (!t || !s || !out)
		return FSM_ERR_INVAL;
	fsm_out_begin(out, t);
	/* A segment whose checksum fails may have been damaged on the way:
	 * none of its fields can be judged, nor learned from (the decoder
	 * reports the checksum, RFC 9293 3.1 MUST-2). */
	if (!s->csum_ok) {
		out->rule = "RFC9293 3.1 (checksum fails: segment not judged)";
		return 0;
	}
	memset(&x, 0, sizeof(x));
	x.t = t;
	x.s = s;
	x.out = out;
	x.syn = (s->flags & WIRE_TH_SYN) != 0;
	x.ack = (s->flags & WIRE_TH_ACK) != 0;
	x.rst = (s->flags & WIRE_TH_RST) != 0;
	x.fin = (s->flags & WIRE_TH_FIN) != 0;
	x.data_seq = s->seq + (x.syn ? 1 : 0);
	x.data_end = x.data_seq + s->len;
	x.seq_end = s->seq + seg_seqlen(s);

	if (now - t->last_tx > TX_TS_IDLE)
		t->known &= ~(TCB_K_TS_LAST | TCB_K_TS_ECR);
	x.later = x.ack && !x.rst && tcb_known(t, TCB_K_LAST_ACK) &&
		  seq_gt(s->ack, t->last_ack_sent);
	fsm_note_snd_edge(t);

	check_header(&x);
	if (x.rst)
		tx_rst(&x);
	else if (x.syn)
		tx_syn(&x);
	else
		tx_other(&x);
	check_options(&x);
	check_timestamps(&x);
	check_sack(&x);
	check_after_fin(&x);
	check_send_window(&x);
	update_ack(&x);
	check_adv_window(&x);
	update_send(&x);
	update_ts(&x);
	t->last_tx = now;
	out->new_state = t->state;
	return 0;
}
