/* fsm_rx_priv: what core/fsm_rx.c (entry, CLOSED, LISTEN, SYN-SENT) and
 * core/fsm_rx_sync.c (RFC 9293 3.10.7.4, every other state) share.
 * Private to those two files. */
#ifndef TCPSPEC_FSM_RX_PRIV_H
#define TCPSPEC_FSM_RX_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm_priv.h"

/* One segment arrival in progress. */
struct fsm_rx {
	struct tcb *t;
	const struct seg *s;
	tstamp now;
	struct fsm_out *out;
	/* What is left of the segment once the parts outside the window are
	 * trimmed off (3.10.7.4 first check: "only the new parts are
	 * processed"): the text [tseq, tseq + tlen) and the FIN. */
	uint32_t tseq, tlen;
	bool fin;
	/* A decision rested on a variable the TCB does not know (see the top
	 * of fsm_rx.c): the new state is a guess, so TCB_K_STATE is cleared
	 * when the segment is done. */
	bool unsure;
};

/* Whether processing goes on to the next step. */
enum fsm_rx_step {
	RX_NEXT,
	RX_DONE,
};

/* Largest window a peer can give: 65535 << 14 with window scaling (RFC
 * 7323 2.3), the hard-coded MAX.SND.WND RFC 5961 5.2 allows. */
#define FSM_RX_MAX_WND ((uint32_t)0xffff << 14)

/* RFC 7323 5.5: TS.Recent is invalid after 24 days of idleness. */
#define FSM_RX_PAWS_IDLE ((tstamp)24 * 24 * 3600 * 1000 * 1000 * 1000)

/* fsm_rx.c */
void fsm_rx_drop(struct fsm_rx *r, enum fsm_drop why, const char *rule);
void fsm_rx_rst_reply(struct fsm_rx *r);
void fsm_rx_trim(struct fsm_rx *r, uint32_t text_seq);
void fsm_rx_set_window(struct fsm_rx *r, bool syn);
void fsm_rx_enter_time_wait(struct fsm_rx *r);
uint32_t fsm_rx_snd_top(const struct tcb *t);

/* fsm_rx_sync.c: 3.10.7.4 in order; first to fourth, sixth to eighth check */
void fsm_rx_other(struct fsm_rx *r);
void fsm_rx_from_sixth(struct fsm_rx *r);

/* fsm_rx_ack.c: the fifth check (ACK, send window) and RFC 7323 (PAWS,
 * TS.Recent) */
enum fsm_rx_step fsm_rx_check_paws(struct fsm_rx *r);
void fsm_rx_update_ts_recent(struct fsm_rx *r);
enum fsm_rx_step fsm_rx_check_ack(struct fsm_rx *r);

/* --- small helpers of the steps ------------------------------------------ */

static inline bool rx_has(const struct seg *s, uint8_t flag)
{
	return (s->flags & flag) != 0;
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> is owed (the fields are filled in
 * when the segment is done). */
static inline void rx_owe_ack(struct fsm_rx *r)
{
	r->out->actions |= FSM_ACT_ACK;
}

/* An RFC 5961 challenge ACK is owed: only on a known state. */
static inline void rx_owe_challenge(struct fsm_rx *r)
{
	if (tcb_known(r->t, TCB_K_STATE))
		r->out->actions |= FSM_ACT_CHALLENGE_ACK;
}

static inline void rx_set_rule(struct fsm_rx *r, const char *rule)
{
	r->out->rule = rule;
}

/* The connection is gone: "Enter the CLOSED state, delete the TCB". */
static inline void rx_close(struct fsm_rx *r, uint32_t actions)
{
	r->t->state = TCP_CLOSED;
	r->t->closed_how = TCB_CLOSED_OTHER; /* by fsm_rx */
	r->out->actions |= actions | FSM_ACT_CLOSED;
}

/* Our FIN has been acknowledged (SND.UNA is past it). */
static inline bool rx_fin_acked(const struct tcb *t)
{
	return t->fin_sent && seq_gt(t->snd_una, t->fin_seq);
}

#endif
