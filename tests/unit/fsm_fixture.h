/* fsm_fixture: TCBs in a given state and segments to feed them, for the
 * state machine's unit tests (test_fsm_*.c). Header-only; include after
 * <cmocka.h>.
 *
 * The TCB is "ours"; the segments come from the peer. Defaults: our ISS
 * FX_ISS, the peer's FX_IRS, our receive window FX_RCV_WND, the peer's
 * window FX_SND_WND, no options. tcb_in_state() fills every variable the
 * state implies and marks them all known, as the reference endpoint has
 * them; tests clear TCB_K_* bits to play the passive analyzer. */
#ifndef TCPSPEC_TEST_FSM_FIXTURE_H
#define TCPSPEC_TEST_FSM_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "fsm.h"
#include "seq.h"

#define FX_ISS      1000u
#define FX_IRS      5000u
#define FX_RCV_WND  10000u
#define FX_SND_WND  20000u
#define FX_NOW      TSTAMP_MS(1000)
#define FX_K_ALL    0xffffffffu

#define F_FIN WIRE_TH_FIN
#define F_SYN WIRE_TH_SYN
#define F_RST WIRE_TH_RST
#define F_PSH WIRE_TH_PSH
#define F_ACK WIRE_TH_ACK
#define F_URG WIRE_TH_URG

static inline bool tcb_known_all(const struct tcb *t, uint32_t bits)
{
	return (t->known & bits) == bits;
}

static inline void fx_profile(const char *name, struct fsm_profile *p)
{
	if (fsm_profile_by_name(name, p) != 0)
		fail_msg("no profile '%s'", name);
}

/* A TCB in state st with ISS iss and IRS irs (the peer's ISN), profile
 * prof ("rfc", "rfc793", "linux"). Closing states have sent and/or
 * received their FIN as the state implies: in FIN-WAIT-1, CLOSING and
 * LAST-ACK our FIN (fin_seq = iss + 1) is not yet acknowledged; in
 * FIN-WAIT-2 and TIME-WAIT it is. The peer's FIN, when received, is at
 * irs + 1. */
static inline void tcb_in_state_at(struct tcb *t, const char *prof, enum tcp_state st,
				   uint32_t iss, uint32_t irs)
{
	struct fsm_profile p;
	bool fin_sent = false, fin_acked = false, fin_rcvd = false;

	fx_profile(prof, &p);
	tcb_init(t, &p, st, 4);
	t->known = FX_K_ALL;
	t->iss = iss;
	t->rcv_wnd = FX_RCV_WND;
	t->rcv_adv = FX_RCV_WND;
	t->last_rx = t->last_tx = FX_NOW;
	switch (st) {
	case TCP_CLOSED:
	case TCP_LISTEN:
		return;
	case TCP_SYN_SENT:
		t->snd_una = iss;
		t->snd_nxt = t->snd_max = iss + 1;
		return;
	case TCP_SYN_RECEIVED:
		t->irs = irs;
		t->rcv_nxt = irs + 1;
		t->last_ack_sent = t->rcv_nxt;
		t->snd_una = iss;
		t->snd_nxt = t->snd_max = iss + 1;
		t->passive_open = true;
		t->snd_wnd = t->max_snd_wnd = FX_SND_WND;
		t->snd_wl1 = irs;
		return;
	case TCP_ESTABLISHED:
		break;
	case TCP_FIN_WAIT_1:
		fin_sent = true;
		break;
	case TCP_FIN_WAIT_2:
		fin_sent = fin_acked = true;
		break;
	case TCP_CLOSE_WAIT:
		fin_rcvd = true;
		break;
	case TCP_CLOSING:
		fin_sent = fin_rcvd = true;
		break;
	case TCP_LAST_ACK:
		fin_sent = fin_rcvd = true;
		break;
	case TCP_TIME_WAIT:
		fin_sent = fin_acked = fin_rcvd = true;
		t->time_wait_until = FX_NOW + 2 * TSTAMP_MS(p.msl_ms);
		break;
	}
	t->irs = irs;
	t->rcv_nxt = irs + 1;
	t->rcv_up = t->rcv_nxt;
	t->snd_una = t->snd_nxt = t->snd_max = iss + 1;
	t->snd_wnd = t->max_snd_wnd = FX_SND_WND;
	t->snd_wl1 = irs + 1;
	t->snd_wl2 = iss + 1;
	if (fin_sent) {
		t->fin_sent = true;
		t->fin_seq = iss + 1;
		t->snd_nxt = t->snd_max = iss + 2;
		if (fin_acked)
			t->snd_una = iss + 2;
	}
	if (fin_rcvd) {
		t->fin_rcvd = true;
		t->peer_fin_seq = irs + 1;
		t->rcv_nxt = irs + 2;
	}
	t->last_ack_sent = t->rcv_nxt;
	t->snd_edge_max = t->snd_una + t->snd_wnd;
}

static inline void tcb_in_state(struct tcb *t, const char *prof, enum tcp_state st)
{
	tcb_in_state_at(t, prof, st, FX_ISS, FX_IRS);
}

/* Window scaling negotiated both ways: the peer's shift ps, ours os. */
static inline void tcb_with_wscale(struct tcb *t, uint8_t ps, uint8_t os)
{
	t->ws_sent = t->ws_rcvd = true;
	t->snd_shift = ps;
	t->rcv_shift = os;
}

/* Timestamps negotiated, TS.Recent = recent, set at FX_NOW. */
static inline void tcb_with_ts(struct tcb *t, uint32_t recent)
{
	t->ts_sent = t->ts_rcvd = true;
	t->ts_recent = recent;
	t->ts_recent_age = FX_NOW;
	t->known |= TCB_K_TS_RECENT;
}

/* A segment from the peer: flags, SEG.SEQ, SEG.ACK, payload length;
 * window FX_SND_WND (raw), checksum good. */
static inline struct seg seg_make(uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	struct seg s;

	memset(&s, 0, sizeof(s));
	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.wnd = (uint16_t)(FX_SND_WND > 0xffff ? 0xffff : FX_SND_WND);
	s.csum_ok = true;
	return s;
}

/* The peer's next in-order segment for t: SEG.SEQ = RCV.NXT, SEG.ACK =
 * SND.NXT. */
static inline struct seg seg_next(const struct tcb *t, uint8_t flags, uint32_t len)
{
	return seg_make(flags, t->rcv_nxt, t->snd_nxt, len);
}

static inline struct seg seg_with_ts(struct seg s, uint32_t tsval, uint32_t tsecr)
{
	s.has_ts = true;
	s.tsval = tsval;
	s.tsecr = tsecr;
	return s;
}

/* Feeds s to t at FX_NOW and checks fsm_rx succeeded. */
static inline void rx(struct tcb *t, const struct seg *s, struct fsm_out *out)
{
	assert_int_equal(fsm_rx(t, s, FX_NOW, out), 0);
}

static inline void rx_at(struct tcb *t, const struct seg *s, tstamp now, struct fsm_out *out)
{
	assert_int_equal(fsm_rx(t, s, now, out), 0);
}

/* "ACK|DELIVER" for failure messages. */
static inline const char *fx_actions_str(uint32_t a, char *buf, size_t cap)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{FSM_ACT_ACK, "ACK"}, {FSM_ACT_CHALLENGE_ACK, "CHALLENGE_ACK"},
		{FSM_ACT_RST, "RST"}, {FSM_ACT_SYN_ACK, "SYN_ACK"},
		{FSM_ACT_SYN, "SYN"}, {FSM_ACT_FIN, "FIN"}, {FSM_ACT_DROP, "DROP"},
		{FSM_ACT_DELIVER, "DELIVER"}, {FSM_ACT_FIN_ACCEPTED, "FIN_ACCEPTED"},
		{FSM_ACT_RESET, "RESET"}, {FSM_ACT_OPENED, "OPENED"},
		{FSM_ACT_CLOSED, "CLOSED"}, {FSM_ACT_TW_RESTART, "TW_RESTART"},
		{FSM_ACT_HOLD, "HOLD"},
	};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (a & names[i].bit)
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s",
					      n ? "|" : "", names[i].name);
	if (!n)
		snprintf(buf, cap, "none");
	return buf;
}

/* The actions are exactly `want`. */
#define assert_actions(out, want)                                                  \
	do {                                                                       \
		char got_[160], want_[160];                                        \
		if ((out)->actions != (uint32_t)(want))                            \
			fail_msg("actions %s, want %s",                            \
				 fx_actions_str((out)->actions, got_, sizeof(got_)), \
				 fx_actions_str((uint32_t)(want), want_, sizeof(want_))); \
	} while (0)

#define assert_state(out, t, st)                                                   \
	do {                                                                       \
		if ((t)->state != (st) || (out)->new_state != (st))                \
			fail_msg("state %s (out %s), want %s",                     \
				 tcp_state_name((t)->state),                       \
				 tcp_state_name((out)->new_state), tcp_state_name(st)); \
	} while (0)

#define assert_reply(out, seq_, ack_, flags_)                                      \
	do {                                                                       \
		assert_int_equal((out)->reply.seq, (uint32_t)(seq_));              \
		assert_int_equal((out)->reply.ack, (uint32_t)(ack_));              \
		assert_int_equal((out)->reply.flags, (flags_));                    \
	} while (0)

#define assert_rule(out, want) assert_string_equal((out)->rule, (want))

/* Dropped for `why` with the rule `rule`. */
#define assert_dropped(out, why, rule_)                                            \
	do {                                                                       \
		assert_true((out)->actions & FSM_ACT_DROP);                        \
		assert_int_equal((out)->drop, (why));                              \
		assert_rule(out, rule_);                                           \
	} while (0)

#define assert_no_findings(out) assert_int_equal((out)->n_findings, 0)

#endif
