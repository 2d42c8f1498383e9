/* Fixtures shared by the fsm_tx tests (test_fsm_tx.c, test_fsm_tx_state.c):
 * segments, finding counts, and TCBs in a state. The peer's side is set
 * as fsm_rx leaves it (fields, fsm_note_peer_syn), so the tests do not
 * depend on fsm_rx. */
#ifndef TCPSPEC_TEST_FSM_TX_FIXTURE_H
#define TCPSPEC_TEST_FSM_TX_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm.h"
#include "fsm_priv.h"

#define ISS 1000u
#define IRS 5000u
#define ACK WIRE_TH_ACK
#define SYN WIRE_TH_SYN
#define FIN WIRE_TH_FIN
#define RST WIRE_TH_RST
#define PSH WIRE_TH_PSH

static inline struct seg seg_make(uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len)
{
	struct seg s;

	memset(&s, 0, sizeof(s));
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.len = len;
	s.wnd = 1000;
	s.csum_ok = true;
	return s;
}

static inline int count(const struct fsm_out *o, enum finding_id id)
{
	int n = 0;

	for (unsigned i = 0; i < o->n_findings; i++)
		n += o->findings[i].id == id;
	return n;
}

static inline bool has(const struct fsm_out *o, enum finding_id id)
{
	return count(o, id) > 0;
}

static inline void tx(struct tcb *t, const struct seg *s, struct fsm_out *o)
{
	assert_int_equal(fsm_tx(t, s, TSTAMP_MS(1), o), 0);
}

static inline void tcb_in_state(struct tcb *t, enum tcp_state st)
{
	tcb_init(t, NULL, st, 4);
	t->known = TCB_K_STATE;
}

/* A segment from the endpoint under test: ACK = its RCV.NXT, and
 * timestamps (next TSval, TSecr = TS.Recent) when it sent them on its SYN. */
static inline struct seg our(const struct tcb *t, uint32_t seq, uint8_t flags, uint32_t len)
{
	struct seg s = seg_make(seq, t->rcv_nxt, flags | ACK, len);

	if (t->ts_sent) {
		s.has_ts = true;
		s.tsval = t->ts_last_sent + 1;
		s.tsecr = t->ts_recent;
	}
	return s;
}

struct hs {
	bool ws, ts, sack;
	uint8_t ws_ours, ws_peer;
	uint32_t peer_wnd;  /* SND.WND, bytes */
	uint16_t our_wnd;   /* window field of our third ACK */
};

static const struct hs HS = { .ts = true, .sack = true, .peer_wnd = 1000, .our_wnd = 1000 };

/* An active open seen whole: our SYN (ISS) through fsm_tx, the peer's
 * SYN,ACK as fsm_rx takes it (3.10.7.3 fourth check), our ACK. */
static inline void established(struct tcb *t, const struct hs *h)
{
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0), p;

	tcb_init(t, NULL, TCP_CLOSED, 4);
	s.has_mss = true;
	s.mss = 1460;
	s.has_ws = h->ws;
	s.ws = h->ws_ours;
	s.has_ts = h->ts;
	s.tsval = 100;
	s.sack_ok = h->sack;
	tx(t, &s, &o);
	assert_int_equal(t->state, TCP_SYN_SENT);

	p = seg_make(IRS, ISS + 1, SYN | ACK, 0);
	p.has_ws = h->ws;
	p.ws = h->ws_peer;
	p.has_ts = h->ts;
	p.tsval = 7000;
	p.sack_ok = h->sack;
	fsm_note_peer_syn(t, &p);
	t->irs = IRS;
	t->rcv_nxt = IRS + 1;
	t->ws_rcvd = h->ws;
	t->snd_shift = h->ws_peer;
	t->sack_rcvd = h->sack;
	t->ts_rcvd = h->ts;
	t->ts_recent = 7000;
	t->snd_una = ISS + 1;
	t->snd_wnd = h->peer_wnd;
	t->snd_wl1 = IRS;
	t->snd_wl2 = ISS + 1;
	t->known |= TCB_K_IRS | TCB_K_RCV | TCB_K_OPTS | TCB_K_SND_WND | TCB_K_TS_RECENT;
	t->state = TCP_ESTABLISHED;

	s = our(t, ISS + 1, 0, 0);
	s.wnd = h->our_wnd;
	tx(t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t->state, TCP_ESTABLISHED);
}

/* The peer's SYN taken in LISTEN (3.10.7.2 third check), as fsm_rx does. */
static inline void syn_received(struct tcb *t, bool ws, bool ts, bool sack)
{
	struct seg p = seg_make(IRS, 0, SYN, 0);

	tcb_in_state(t, TCP_SYN_RECEIVED);
	p.has_ws = ws;
	p.ws = 7;
	p.has_ts = ts;
	p.tsval = 7000;
	p.sack_ok = sack;
	fsm_note_peer_syn(t, &p);
	t->irs = IRS;
	t->rcv_nxt = IRS + 1;
	t->ws_rcvd = ws;
	t->ts_rcvd = ts;
	t->sack_rcvd = sack;
	t->known |= TCB_K_IRS | TCB_K_RCV;
}

static inline struct seg syn_ack(bool ws, bool ts, bool sack)
{
	struct seg s = seg_make(ISS, IRS + 1, SYN | ACK, 0);

	s.has_ws = ws;
	s.ws = 7;
	s.has_ts = ts;
	s.tsval = 300;
	s.tsecr = 7000;
	s.sack_ok = sack;
	return s;
}

#endif
