/* fsm: the one TCP state machine (RFC 9293 3.10), used passively by the
 * analyzer and actively by the reference endpoint.
 *
 * Pure functions: no I/O, no clock, no allocation. The caller owns the
 * TCB and the output; time is an argument.
 *
 *   fsm_rx    a segment arrives at this endpoint (3.10.7, in the RFC's
 *             order: acceptability, RST, SYN, ACK, URG, text, FIN)
 *   fsm_tx    this endpoint sends a segment: was it allowed? (checks the
 *             sender's obligations and advances the send variables)
 *   fsm_user  OPEN, SEND, CLOSE, ABORT (3.10.1 - 3.10.5)
 *   fsm_timer / fsm_expiry   the TIME-WAIT timer (3.10.8)
 *
 * Outputs say what the endpoint must do (the reply it owes, whether the
 * text is delivered, the new state) and which rules the segment broke
 * (findings). The analyzer turns the owed replies into expectations on the
 * endpoint's later segments; the endpoint sends them. */
#ifndef TCPSPEC_FSM_H
#define TCPSPEC_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "finding.h"
#include "seg.h"
#include "tcb.h"

#define FSM_ERR_INVAL -1
/* fsm_user errors (RFC 9293 3.10.1 - 3.10.5 responses) */
#define FSM_ERR_NOCONN   -2  /* "error: connection does not exist" */
#define FSM_ERR_CLOSING  -3  /* "error: connection closing" */
#define FSM_ERR_EXISTS   -4  /* "error: connection already exists" */
#define FSM_ERR_NOREMOTE -5  /* "error: remote socket unspecified" */

/* What the endpoint must do (bits of fsm_out.actions). */
#define FSM_ACT_ACK           0x0001  /* send reply: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
#define FSM_ACT_CHALLENGE_ACK 0x0002  /* RFC 5961 challenge ACK (same fields as ACK) */
#define FSM_ACT_RST           0x0004  /* send reply: an RST */
#define FSM_ACT_SYN_ACK       0x0008  /* send reply: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
#define FSM_ACT_SYN           0x0010  /* send a SYN (active OPEN) */
#define FSM_ACT_FIN           0x0020  /* send a FIN (CLOSE with nothing left to send) */
#define FSM_ACT_DROP          0x0040  /* segment discarded; fsm_out.drop says why */
#define FSM_ACT_DELIVER       0x0080  /* text accepted: [deliver_seq, +deliver_len) */
#define FSM_ACT_FIN_ACCEPTED  0x0100  /* the peer's FIN was accepted */
#define FSM_ACT_RESET         0x0200  /* connection reset (user gets "connection reset") */
#define FSM_ACT_OPENED        0x0400  /* the connection became ESTABLISHED */
#define FSM_ACT_CLOSED        0x0800  /* the TCB is gone (CLOSED) */
#define FSM_ACT_TW_RESTART    0x1000  /* TIME-WAIT timer restarted (3.10.7.4) */
#define FSM_ACT_HOLD          0x2000  /* in-window text beyond RCV.NXT: hold [deliver_seq,
					 +deliver_len) and feed it again later (SHLD-31) */
/* set by fsm_tx (core/fsm_tx.c) */
#define FSM_ACT_RESYNC        0x00010000 /* the segment shows another state than the
					    TCB's (capture started late or missed
					    segments): state re-learned, TCB_K_STATE clear */
#define FSM_ACT_ACK_UNSEEN    0x00020000 /* the segment acknowledges beyond RCV.NXT:
					    data this TCB did not see arrive */

enum fsm_drop {
	FSM_DROP_NONE,
	FSM_DROP_BAD_CSUM,         /* 3.1: checksum does not verify */
	FSM_DROP_CLOSED,           /* 3.10.7.1: no connection */
	FSM_DROP_LISTEN,           /* 3.10.7.2: not a SYN (or an RST) in LISTEN */
	FSM_DROP_SYN_SENT,         /* 3.10.7.3: unacceptable in SYN-SENT */
	FSM_DROP_NOT_ACCEPTABLE,   /* 3.10.7.4 first check: outside the window */
	FSM_DROP_PAWS,             /* RFC 7323 5.3: TSval older than TS.Recent */
	FSM_DROP_RST,              /* RST processed (or ignored per RFC 5961 / 1337) */
	FSM_DROP_SYN,              /* SYN in a synchronized state */
	FSM_DROP_NO_ACK,           /* 3.10.7.4 fifth check: ACK bit off */
	FSM_DROP_BAD_ACK,          /* ACK outside (SND.UNA - MAX.SND.WND, SND.NXT] or > SND.NXT */
	FSM_DROP_TIME_WAIT,        /* only a FIN retransmission is expected in TIME-WAIT */
};

struct fsm_reply {
	uint32_t seq, ack;
	uint8_t flags;             /* WIRE_TH_* */
};

#define FSM_MAX_FINDINGS 8

struct fsm_out {
	enum tcp_state old_state, new_state;
	uint32_t actions;          /* FSM_ACT_* */
	enum fsm_drop drop;
	struct fsm_reply reply;    /* with ACK / CHALLENGE_ACK / RST / SYN_ACK */
	uint32_t deliver_seq, deliver_len; /* with DELIVER (or HOLD) */
	const char *rule;          /* RFC section of the decisive step, e.g.
				      "RFC9293 3.10.7.4 (first check)" */
	uint32_t learned;          /* TCB_K_* bits fsm_tx learned from the segment */
	uint8_t n_findings;
	bool findings_truncated;
	struct finding findings[FSM_MAX_FINDINGS];
};

enum fsm_user_call {
	FSM_OPEN_PASSIVE,   /* LISTEN */
	FSM_OPEN_ACTIVE,    /* send SYN with tcb->iss */
	FSM_SEND,           /* data queued (the caller owns the data) */
	FSM_CLOSE,          /* no more data: FIN when the queue is empty */
	FSM_ABORT,          /* RST and forget */
};

int fsm_rx(struct tcb *t, const struct seg *s, tstamp now, struct fsm_out *out);
int fsm_tx(struct tcb *t, const struct seg *s, tstamp now, struct fsm_out *out);
int fsm_user(struct tcb *t, enum fsm_user_call call, tstamp now, struct fsm_out *out);
/* Next time fsm_timer has something to do, or 0 for none. */
tstamp fsm_expiry(const struct tcb *t);
int fsm_timer(struct tcb *t, tstamp now, struct fsm_out *out);

/* Adds a finding to out (sets findings_truncated when full). */
void fsm_out_finding(struct fsm_out *out, enum finding_id id,
		     unsigned long long v0, unsigned long long v1, unsigned long long v2);

#endif
