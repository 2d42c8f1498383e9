/* fsm_user: the user calls OPEN, SEND, CLOSE and ABORT (RFC 9293 3.10.1 -
 * 3.10.5) and the TIME-WAIT timeout (3.10.8), for the reference endpoint.
 *
 * Each call says what the endpoint must do in out->actions (FSM_ACT_SYN,
 * FSM_ACT_FIN, FSM_ACT_RST with out->reply), moves the state, and returns
 * 0 or the RFC's error response (FSM_ERR_*). The endpoint then builds the
 * segment and passes it through fsm_tx like any other, which records the
 * options and the FIN. Not modelled: the send and receive queues (the
 * caller holds them: FSM_ACT_FIN means "send a FIN once the queue is
 * empty", RFC 9293 3.10.4 "Queue this until all preceding SENDs have been
 * segmentized"), sockets, security/compartment and Diffserv. */
#include "fsm_priv.h"

static void user_state(struct tcb *t, struct fsm_out *out, enum tcp_state st,
		       const char *rule)
{
	t->state = st;
	t->known |= TCB_K_STATE;
	out->rule = rule;
	if (st == TCP_CLOSED) {
		out->actions |= FSM_ACT_CLOSED;
		t->time_wait_until = 0;
		t->closed_how = TCB_CLOSED_USER;
	}
}

static int user_error(struct fsm_out *out, int err, const char *rule)
{
	out->rule = rule;
	return err;
}

/* "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to
 * ISS, SND.NXT to ISS+1, enter SYN-SENT state" (ISS: the caller's, in
 * t->iss; choosing it needs a clock, RFC 9293 3.4.1). */
static void send_syn(struct tcb *t, struct fsm_out *out, const char *rule)
{
	fsm_tx_new_incarnation(t, false);
	t->snd_una = t->iss;
	t->snd_nxt = t->snd_max = t->iss + 1;
	t->known |= TCB_K_ISS | TCB_K_SND;
	user_state(t, out, TCP_SYN_SENT, rule);
	out->actions |= FSM_ACT_SYN;
	out->reply.seq = t->iss;
	out->reply.ack = 0;
	out->reply.flags = WIRE_TH_SYN;
}

/* A FIN once the queue is empty: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>. */
static void send_fin(struct tcb *t, struct fsm_out *out, enum tcp_state st,
		     const char *rule)
{
	user_state(t, out, st, rule);
	out->actions |= FSM_ACT_FIN;
	out->reply.seq = t->snd_nxt;
	out->reply.ack = t->rcv_nxt;
	out->reply.flags = WIRE_TH_FIN | WIRE_TH_ACK;
}

/* 3.10.1 OPEN */
static int user_open(struct tcb *t, bool active, struct fsm_out *out)
{
	switch (t->state) {
	case TCP_CLOSED:
		/* "If passive, enter the LISTEN state and return." */
		if (!active) {
			fsm_tx_new_incarnation(t, false);
			user_state(t, out, TCP_LISTEN, "RFC9293 3.10.1 (CLOSED)");
			return 0;
		}
		send_syn(t, out, "RFC9293 3.10.1 (CLOSED)");
		return 0;
	case TCP_LISTEN:
		/* "If the OPEN call is active and the remote socket is
		 * specified, then change the connection from passive to
		 * active" (an active OPEN names its peer). A passive OPEN
		 * "MUST NOT affect any previously created connection record
		 * (MUST-41)" (3.9.1.1). */
		if (!active)
			return user_error(out, FSM_ERR_EXISTS, "RFC9293 3.9.1.1 (MUST-41)");
		send_syn(t, out, "RFC9293 3.10.1 (LISTEN)");
		return 0;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "Return "error: connection already exists"." */
		return user_error(out, FSM_ERR_EXISTS, "RFC9293 3.10.1");
	}
	return FSM_ERR_INVAL;
}

/* 3.10.2 SEND. The data itself stays with the caller. */
static int user_send(struct tcb *t, struct fsm_out *out)
{
	switch (t->state) {
	case TCP_CLOSED:
		return user_error(out, FSM_ERR_NOCONN, "RFC9293 3.10.2 (CLOSED)");
	case TCP_LISTEN:
		/* "If the remote socket was not specified, then return "error:
		 * remote socket unspecified"": a TCB here holds no remote
		 * socket; an active OPEN is the way to name one. */
		return user_error(out, FSM_ERR_NOREMOTE, "RFC9293 3.10.2 (LISTEN)");
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		/* "Queue the data for transmission after entering ESTABLISHED
		 * state." */
		out->rule = "RFC9293 3.10.2 (SYN-SENT, SYN-RECEIVED)";
		return 0;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		/* "Segmentize the buffer and send it with a piggybacked
		 * acknowledgment (acknowledgment value = RCV.NXT)." */
		out->rule = "RFC9293 3.10.2 (ESTABLISHED, CLOSE-WAIT)";
		return 0;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "Return "error: connection closing" and do not service
		 * request." */
		return user_error(out, FSM_ERR_CLOSING, "RFC9293 3.10.2");
	}
	return FSM_ERR_INVAL;
}

/* 3.10.4 CLOSE */
static int user_close(struct tcb *t, struct fsm_out *out)
{
	switch (t->state) {
	case TCP_CLOSED:
		return user_error(out, FSM_ERR_NOCONN, "RFC9293 3.10.4 (CLOSED)");
	case TCP_LISTEN:
		/* "Delete TCB, enter CLOSED state, and return." */
		user_state(t, out, TCP_CLOSED, "RFC9293 3.10.4 (LISTEN)");
		return 0;
	case TCP_SYN_SENT:
		/* "Delete the TCB and return "error: closing" responses to any
		 * queued SENDs, or RECEIVEs." */
		user_state(t, out, TCP_CLOSED, "RFC9293 3.10.4 (SYN-SENT)");
		return 0;
	case TCP_SYN_RECEIVED:
		/* "If no SENDs have been issued and there is no pending data
		 * to send, then form a FIN segment and send it, and enter
		 * FIN-WAIT-1 state" */
		send_fin(t, out, TCP_FIN_WAIT_1, "RFC9293 3.10.4 (SYN-RECEIVED)");
		return 0;
	case TCP_ESTABLISHED:
		/* "Queue this until all preceding SENDs have been segmentized,
		 * then form a FIN segment and send it. In any case, enter
		 * FIN-WAIT-1 state." */
		send_fin(t, out, TCP_FIN_WAIT_1, "RFC9293 3.10.4 (ESTABLISHED)");
		return 0;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		/* "Strictly speaking, this is an error and should receive an
		 * "error: connection closing" response." */
		return user_error(out, FSM_ERR_CLOSING, "RFC9293 3.10.4 (FIN-WAIT)");
	case TCP_CLOSE_WAIT:
		/* "then send a FIN segment, enter LAST-ACK state" */
		send_fin(t, out, TCP_LAST_ACK, "RFC9293 3.10.4 (CLOSE-WAIT)");
		return 0;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "Respond with "error: connection closing"." */
		return user_error(out, FSM_ERR_CLOSING, "RFC9293 3.10.4");
	}
	return FSM_ERR_INVAL;
}

/* 3.10.5 ABORT */
static int user_abort(struct tcb *t, struct fsm_out *out)
{
	switch (t->state) {
	case TCP_CLOSED:
		return user_error(out, FSM_ERR_NOCONN, "RFC9293 3.10.5 (CLOSED)");
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		/* "connection reset" to what was queued; "Delete the TCB,
		 * enter CLOSED state, and return." No segment. */
		out->actions |= FSM_ACT_RESET;
		user_state(t, out, TCP_CLOSED, "RFC9293 3.10.5 (LISTEN, SYN-SENT)");
		return 0;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		/* "Send a reset segment: <SEQ=SND.NXT><CTL=RST>" */
		out->actions |= FSM_ACT_RST | FSM_ACT_RESET;
		out->reply.seq = t->snd_nxt;
		out->reply.ack = 0;
		out->reply.flags = WIRE_TH_RST;
		user_state(t, out, TCP_CLOSED, "RFC9293 3.10.5");
		return 0;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		/* "Respond with "ok" and delete the TCB, enter CLOSED state" */
		user_state(t, out, TCP_CLOSED, "RFC9293 3.10.5 (CLOSING, LAST-ACK, TIME-WAIT)");
		return 0;
	}
	return FSM_ERR_INVAL;
}

int fsm_user(struct tcb *t, enum fsm_user_call call, tstamp now, struct fsm_out *out)
{
	int rc = FSM_ERR_INVAL;

	(void)now; /* no user call here starts a timer */
	if (!t || !out)
		return FSM_ERR_INVAL;
	fsm_out_begin(out, t);
	switch (call) {
	case FSM_OPEN_PASSIVE:
		rc = user_open(t, false, out);
		break;
	case FSM_OPEN_ACTIVE:
		rc = user_open(t, true, out);
		break;
	case FSM_SEND:
		rc = user_send(t, out);
		break;
	case FSM_CLOSE:
		rc = user_close(t, out);
		break;
	case FSM_ABORT:
		rc = user_abort(t, out);
		break;
	}
	out->new_state = t->state;
	return rc;
}

/* 3.10.8: only the TIME-WAIT timeout is modelled; the retransmission and
 * user timeouts need the send queue, which the caller holds. */
tstamp fsm_expiry(const struct tcb *t)
{
	if (!t)
		return 0;
	switch (t->state) {
	case TCP_TIME_WAIT:
		return t->time_wait_until;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return 0;
	}
	return 0;
}

int fsm_timer(struct tcb *t, tstamp now, struct fsm_out *out)
{
	if (!t || !out)
		return FSM_ERR_INVAL;
	fsm_out_begin(out, t);
	switch (t->state) {
	case TCP_TIME_WAIT:
		/* "If the time-wait timeout expires on a connection, delete
		 * the TCB, enter the CLOSED state, and return." A TIME-WAIT
		 * entered without a deadline (time_wait_until 0) never
		 * expires here: its start was not seen. */
		if (t->time_wait_until && now >= t->time_wait_until) {
			t->state = TCP_CLOSED;
			t->time_wait_until = 0;
			t->closed_how = TCB_CLOSED_TIMER;
			out->actions |= FSM_ACT_CLOSED;
			out->rule = "RFC9293 3.10.8 (TIME-WAIT timeout)";
		}
		break;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		break;
	}
	out->new_state = t->state;
	return 0;
}
