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

/* fsm_rx_sync.c */
void fsm_rx_other(struct fsm_rx *r);
void fsm_rx_from_sixth(struct fsm_rx *r);

#endif
