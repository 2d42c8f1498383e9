/* fsm_priv: helpers shared by the state machine's files (fsm_rx*.c,
 * fsm_tx.c, fsm_user.c). Private to core/: the analyzer and the endpoint
 * use fsm.h only. Several engineers add to this file: add, never rename
 * or change what is here. */
#ifndef TCPSPEC_FSM_PRIV_H
#define TCPSPEC_FSM_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fsm.h"
#include "seq.h"

/* Every one of the TCB_K_* bits in `bits` is known. */
static inline bool tcb_known(const struct tcb *t, uint32_t bits)
{
	return (t->known & bits) == bits;
}

/* Starts the output of one event on t: nothing to do yet, the state
 * unchanged. */
static inline void fsm_out_begin(struct fsm_out *out, const struct tcb *t)
{
	memset(out, 0, sizeof(*out));
	out->old_state = t->state;
	out->new_state = t->state;
	out->drop = FSM_DROP_NONE;
}

/* 2 MSL: how long TIME-WAIT lasts (RFC 9293 3.6.1, MUST-13). */
static inline tstamp fsm_two_msl(const struct tcb *t)
{
	return 2 * TSTAMP_MS(t->prof.msl_ms);
}

/* --- added for fsm_tx.c / fsm_user.c ------------------------------------- */

/* The peer's SYN (or SYN,ACK) s arrived: remember which of window scale,
 * SACK-permitted and timestamps it offered, OR-ed over every SYN with the
 * same ISN. A peer that retransmits its SYN without options (FreeBSD and
 * macOS drop them after the third retransmission) still offered them on
 * its "initial <SYN>" (RFC 7323 2.2, 3.2), and a SYN,ACK that answers the
 * first SYN may carry them. fsm_tx checks the options of our SYN,ACK and
 * the SACK blocks we send against these (TCB_K_PEER_SYN); without this
 * call those checks are not made. To be called by fsm_rx for every SYN it
 * accepts (LISTEN third check, SYN-SENT fourth check). */
static inline void fsm_note_peer_syn(struct tcb *t, const struct seg *s)
{
	uint8_t o = (uint8_t)((s->has_ws ? TCB_SYNOPT_WS : 0) |
			      (s->sack_ok ? TCB_SYNOPT_SACK : 0) |
			      (s->has_ts ? TCB_SYNOPT_TS : 0));

	if (!(t->known & TCB_K_PEER_SYN) || t->peer_syn_seq != s->seq)
		t->peer_syn_opts = 0;
	t->peer_syn_seq = s->seq;
	t->peer_syn_opts |= o;
	t->known |= TCB_K_PEER_SYN;
}

/* The right edge of the window the peer offered, SND.UNA + SND.WND (RFC
 * 9293 3.3.1 figure 3, 3.8.6.2.1), is folded into snd_edge_max, the
 * highest edge offered: data up to there was allowed once, so sending it
 * is no violation even after the peer shrank its window (3.8.6, MAY-7).
 * fsm_tx calls it before each check; fsm_rx may call it after each window
 * update, so that an edge offered and withdrawn between two of our
 * segments is counted too. */
static inline void fsm_note_snd_edge(struct tcb *t)
{
	uint32_t edge;

	if ((t->known & (TCB_K_SND | TCB_K_SND_WND)) != (TCB_K_SND | TCB_K_SND_WND))
		return;
	edge = t->snd_una + t->snd_wnd;
	if (!(t->known & TCB_K_SND_EDGE) || seq_gt(edge, t->snd_edge_max))
		t->snd_edge_max = edge;
	t->known |= TCB_K_SND_EDGE;
}

/* A new incarnation of the connection starts on our side (our SYN with a
 * new ISN, or OPEN): our send variables, our SYN's options and our FIN are
 * forgotten, and the peer's too unless keep_peer (the peer's SYN that this
 * incarnation answers was just taken). Defined in fsm_tx.c. */
void fsm_tx_new_incarnation(struct tcb *t, bool keep_peer);

#endif
