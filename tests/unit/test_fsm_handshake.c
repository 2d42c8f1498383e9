/* Unit tests: fsm_rx in CLOSED, LISTEN and SYN-SENT (RFC 9293 3.10.7.1 -
 * 3.10.7.3), and what every state does with a bad checksum. SYN-RECEIVED:
 * test_fsm_syn_received.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fsm_fixture.h"

/* --- any state ------------------------------------------------------------ */

static void test_fsm_bad_checksum_dropped_silently_in_every_state(void **state)
{
	(void)state;
	for (int st = 0; st < TCP_NSTATES; st++) {
		struct tcb t, before;
		struct fsm_out out;
		struct seg s;

		tcb_in_state(&t, "rfc", (enum tcp_state)st);
		before = t;
		s = seg_next(&t, F_ACK | F_PSH, 10);
		s.csum_ok = false;
		rx_at(&t, &s, FX_NOW + 5, &out);
		assert_actions(&out, FSM_ACT_DROP);
		assert_dropped(&out, FSM_DROP_BAD_CSUM, "RFC9293 3.1 (MUST-3)");
		assert_int_equal(out.old_state, st);
		assert_int_equal(out.new_state, st);
		assert_no_findings(&out);
		/* nothing learned, not even the arrival time */
		assert_memory_equal(&t, &before, sizeof(t));
	}
}

static void test_fsm_rx_rejects_null_arguments(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, 1, 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_ESTABLISHED);
	assert_int_equal(fsm_rx(NULL, &s, FX_NOW, &out), FSM_ERR_INVAL);
	assert_int_equal(fsm_rx(&t, NULL, FX_NOW, &out), FSM_ERR_INVAL);
	assert_int_equal(fsm_rx(&t, &s, FX_NOW, NULL), FSM_ERR_INVAL);
}

/* --- CLOSED (3.10.7.1) ---------------------------------------------------- */

static void test_fsm_closed_rst_dropped_without_reply(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST | F_ACK, 77, 88, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_CLOSED, "RFC9293 3.10.7.1");
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_closed_ack_answered_with_rst_at_seg_ack(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_PSH, 300, 4242, 20);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_dropped(&out, FSM_DROP_CLOSED, "RFC9293 3.10.7.1");
	/* <SEQ=SEG.ACK><CTL=RST> */
	assert_reply(&out, 4242, 0, WIRE_TH_RST);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_closed_syn_answered_with_rst_ack(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, 9000, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>: the SYN counts one */
	assert_reply(&out, 0, 9001, WIRE_TH_RST | WIRE_TH_ACK);
}

static void test_fsm_closed_rst_ack_counts_text_syn_and_fin(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_FIN, 0xfffffff0u, 0, 100);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSED);
	rx(&t, &s, &out);
	/* SEG.LEN = 100 + SYN + FIN, modulo 2^32 */
	assert_reply(&out, 0, 0xfffffff0u + 102u, WIRE_TH_RST | WIRE_TH_ACK);
	assert_int_equal(out.reply.ack, 0x56);
}

static void test_fsm_closed_assumed_state_owes_no_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, 300, 4242, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSED);
	t.known &= ~TCB_K_STATE;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_CLOSED, "RFC9293 3.10.7.1");
	assert_no_findings(&out);
}

/* --- LISTEN (3.10.7.2) ---------------------------------------------------- */

static void test_fsm_listen_rst_ignored(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (first check)");
	assert_state(&out, &t, TCP_LISTEN);
}

static void test_fsm_listen_ack_answered_with_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, 777, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_dropped(&out, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (second check)");
	assert_reply(&out, 777, 0, WIRE_TH_RST);
	assert_state(&out, &t, TCP_LISTEN);
}

static void test_fsm_listen_syn_ack_answered_with_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, 31337, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_reply(&out, 31337, 0, WIRE_TH_RST);
	assert_state(&out, &t, TCP_LISTEN);
}

static void test_fsm_listen_assumed_state_ack_owes_no_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, 777, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	t.known &= ~TCB_K_STATE;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (second check)");
}

static void test_fsm_listen_syn_enters_syn_received(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	t.iss = FX_ISS;
	t.known = TCB_K_STATE | TCB_K_ISS;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_SYN_ACK);
	assert_rule(&out, "RFC9293 3.10.7.2 (third check)");
	assert_state(&out, &t, TCP_SYN_RECEIVED);
	assert_int_equal(out.old_state, TCP_LISTEN);
	/* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
	assert_reply(&out, FX_ISS, FX_IRS + 1, WIRE_TH_SYN | WIRE_TH_ACK);
	assert_int_equal(t.irs, FX_IRS);
	assert_int_equal(t.rcv_nxt, FX_IRS + 1);
	assert_int_equal(t.snd_una, FX_ISS);
	assert_int_equal(t.snd_nxt, FX_ISS + 1);
	assert_true(t.passive_open);
	assert_true(tcb_known_all(&t, TCB_K_IRS | TCB_K_RCV | TCB_K_SND | TCB_K_STATE));
	assert_int_equal(t.last_rx, FX_NOW);
	assert_no_findings(&out);
}

static void test_fsm_listen_syn_options_negotiated(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	s.has_mss = true;
	s.mss = 1460;
	s.has_ws = true;
	s.ws = 7;
	s.sack_ok = true;
	s = seg_with_ts(s, 123456, 0);
	s.wnd = 64240;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_mss, 1460);
	assert_true(t.ws_rcvd);
	assert_int_equal(t.snd_shift, 7);
	assert_true(t.sack_rcvd);
	assert_true(t.ts_rcvd);
	assert_int_equal(t.ts_recent, 123456);
	assert_int_equal(t.ts_recent_age, FX_NOW);
	assert_true(t.known & TCB_K_TS_RECENT);
	/* the SYN's window is MAX.SND.WND's start, unscaled */
	assert_int_equal(t.max_snd_wnd, 64240);
	assert_true(t.known & TCB_K_MAX_SND_WND);
	/* noted for fsm_tx's check of our SYN,ACK */
	assert_true(t.known & TCB_K_PEER_SYN);
	assert_int_equal(t.peer_syn_seq, FX_IRS);
	assert_int_equal(t.peer_syn_opts, TCB_SYNOPT_WS | TCB_SYNOPT_SACK | TCB_SYNOPT_TS);
	assert_no_findings(&out);
}

static void test_fsm_listen_syn_without_options_uses_defaults(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);
	struct fsm_profile p;

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	t.snd_mss = 9000; /* left from an earlier connection */
	rx(&t, &s, &out);
	assert_int_equal(t.snd_mss, 536); /* MUST-15, IPv4 */
	assert_false(t.ws_rcvd);
	assert_int_equal(t.snd_shift, 0);
	assert_false(t.sack_rcvd);
	assert_false(t.ts_rcvd);

	fx_profile("rfc", &p);
	tcb_init(&t, &p, TCP_LISTEN, 6);
	t.known = TCB_K_STATE;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_mss, 1220); /* MUST-15, IPv6 */
}

/* RFC 7323 2.3: the receiver MUST use 14. The sender's breach is
 * fsm_tx's finding (TX-WSCALE-SHIFT-OVER-14), not reported twice. */
static void test_fsm_listen_syn_ws_over_14_capped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	s.has_ws = true;
	s.ws = 15;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_shift, 14);
	assert_int_equal(out.n_findings, 0);
	/* still answered normally */
	assert_actions(&out, FSM_ACT_SYN_ACK);
}

static void test_fsm_listen_syn_ws_14_no_finding(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	s.has_ws = true;
	s.ws = 14;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_shift, 14);
	assert_no_findings(&out);
}

static void test_fsm_listen_syn_data_acked_profile_delivers_and_acks(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 100);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_SYN_ACK | FSM_ACT_DELIVER);
	assert_int_equal(out.deliver_seq, FX_IRS + 1);
	assert_int_equal(out.deliver_len, 100);
	assert_int_equal(t.rcv_nxt, FX_IRS + 101);
	assert_int_equal(t.rcv_wnd, FX_RCV_WND - 100);
	/* the SYN,ACK acknowledges the text */
	assert_reply(&out, FX_ISS, FX_IRS + 101, WIRE_TH_SYN | WIRE_TH_ACK);
}

static void test_fsm_listen_syn_data_linux_profile_discarded(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 100);

	(void)state;
	tcb_in_state(&t, "linux", TCP_LISTEN);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_SYN_ACK);
	assert_int_equal(t.rcv_nxt, FX_IRS + 1);
	assert_reply(&out, FX_ISS, FX_IRS + 1, WIRE_TH_SYN | WIRE_TH_ACK);
}

static void test_fsm_listen_syn_data_trimmed_to_window(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 300);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	t.rcv_wnd = 120;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_SYN_ACK | FSM_ACT_DELIVER);
	assert_int_equal(out.deliver_len, 120);
	assert_int_equal(t.rcv_nxt, FX_IRS + 121);
	assert_int_equal(t.rcv_wnd, 0);
}

static void test_fsm_listen_segment_without_syn_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_PSH, FX_IRS + 1, 0, 10);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_LISTEN, "RFC9293 3.10.7.2 (fourth check)");
	assert_state(&out, &t, TCP_LISTEN);
}

static void test_fsm_listen_syn_unknown_iss_leaves_snd_unknown(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LISTEN);
	t.known = TCB_K_STATE; /* the analyzer has not seen our SYN,ACK yet */
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_SYN_RECEIVED);
	assert_false(t.known & TCB_K_SND);
	assert_true(tcb_known_all(&t, TCB_K_IRS | TCB_K_RCV));
	assert_actions(&out, FSM_ACT_SYN_ACK);
}

/* --- SYN-SENT (3.10.7.3) -------------------------------------------------- */

static void test_fsm_syn_sent_syn_ack_establishes(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	t.known &= ~(TCB_K_OPTS | TCB_K_IRS | TCB_K_RCV);
	s.wnd = 29200;
	rx(&t, &s, &out);
	/* both SYNs seen: the options, IRS and RCV.NXT are known */
	assert_true(tcb_known_all(&t, TCB_K_OPTS | TCB_K_IRS | TCB_K_RCV));
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.3 (fourth check)");
	assert_state(&out, &t, TCP_ESTABLISHED);
	/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
	assert_reply(&out, FX_ISS + 1, FX_IRS + 1, WIRE_TH_ACK);
	assert_int_equal(t.snd_una, FX_ISS + 1);
	assert_int_equal(t.irs, FX_IRS);
	assert_int_equal(t.snd_wnd, 29200);
	assert_int_equal(t.snd_wl1, FX_IRS);
	assert_int_equal(t.snd_wl2, FX_ISS + 1);
	assert_true(t.known & TCB_K_SND_WND);
	assert_no_findings(&out);
}

static void test_fsm_syn_sent_syn_ack_window_not_scaled(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	t.ws_sent = true;
	s.has_ws = true;
	s.ws = 7;
	s.wnd = 1000;
	rx(&t, &s, &out);
	assert_true(tcb_ws_on(&t));
	assert_int_equal(t.snd_shift, 7);
	/* RFC 7323 2.2: the SYN's window is not scaled */
	assert_int_equal(t.snd_wnd, 1000);
}

static void test_fsm_syn_sent_ack_of_iss_answered_with_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, FX_ISS, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_dropped(&out, FSM_DROP_SYN_SENT, "RFC9293 3.10.7.3 (first check)");
	assert_reply(&out, FX_ISS, 0, WIRE_TH_RST);
	assert_state(&out, &t, TCP_SYN_SENT);
	assert_no_findings(&out);
}

static void test_fsm_syn_sent_ack_beyond_snd_nxt_answered_with_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, 12345, FX_ISS + 2, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_reply(&out, FX_ISS + 2, 0, WIRE_TH_RST);
	assert_state(&out, &t, TCP_SYN_SENT);
}

static void test_fsm_syn_sent_rst_bad_ack(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST | F_ACK, 0, FX_ISS + 7, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	/* "unless the RST bit is set, if so drop the segment and return" */
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_SYN_SENT, "RFC9293 3.10.7.3 (first check)");
	assert_state(&out, &t, TCP_SYN_SENT);
}

static void test_fsm_syn_sent_rst_acceptable_ack_resets(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST | F_ACK, 0, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.3 (second check)");
	assert_state(&out, &t, TCP_CLOSED);
	assert_true(t.known & TCB_K_STATE);
}

static void test_fsm_syn_sent_rst_without_ack_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, 0, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_SYN_SENT, "RFC9293 3.10.7.3 (second check)");
	assert_state(&out, &t, TCP_SYN_SENT);
}

static void test_fsm_syn_sent_simultaneous_open_enters_syn_received(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	s.wnd = 4000;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_SYN_ACK);
	assert_rule(&out, "RFC9293 3.10.7.3 (fourth check)");
	assert_state(&out, &t, TCP_SYN_RECEIVED);
	assert_reply(&out, FX_ISS, FX_IRS + 1, WIRE_TH_SYN | WIRE_TH_ACK);
	assert_false(t.passive_open);
	assert_int_equal(t.snd_una, FX_ISS);
	assert_int_equal(t.snd_wnd, 4000);
	assert_int_equal(t.snd_wl1, FX_IRS);
}

static void test_fsm_syn_sent_ack_without_syn_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_SYN_SENT, "RFC9293 3.10.7.3 (fifth check)");
	assert_state(&out, &t, TCP_SYN_SENT);
	assert_int_equal(t.snd_una, FX_ISS);
}

static void test_fsm_syn_sent_syn_ack_with_data_delivered(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK | F_PSH, FX_IRS, FX_ISS + 1, 50);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_ACK | FSM_ACT_DELIVER);
	assert_rule(&out, "RFC9293 3.10.7.3 (fourth check)");
	assert_int_equal(out.deliver_seq, FX_IRS + 1);
	assert_int_equal(out.deliver_len, 50);
	assert_reply(&out, FX_ISS + 1, FX_IRS + 51, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_syn_sent_syn_ack_with_fin_enters_close_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK | F_FIN, FX_IRS, FX_ISS + 1, 5);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_ACK | FSM_ACT_DELIVER |
			     FSM_ACT_FIN_ACCEPTED);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
	assert_true(t.fin_rcvd);
	assert_int_equal(t.peer_fin_seq, FX_IRS + 6);
	assert_reply(&out, FX_ISS + 1, FX_IRS + 7, WIRE_TH_ACK);
}

static void test_fsm_syn_sent_syn_ack_ws_over_14_capped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	s.has_ws = true;
	s.ws = 255;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_shift, 14);
	assert_int_equal(out.n_findings, 0);
}

static void test_fsm_syn_sent_syn_ack_timestamps_set_ts_recent(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	t.ts_sent = true;
	t.known &= ~TCB_K_TS_RECENT;
	s = seg_with_ts(s, 0xdeadbeef, 77);
	s.sack_ok = true;
	rx(&t, &s, &out);
	assert_true(tcb_ts_on(&t));
	assert_int_equal(t.ts_recent, 0xdeadbeef);
	assert_true(t.known & TCB_K_TS_RECENT);
	assert_true(t.sack_rcvd);
}

static void test_fsm_syn_sent_unknown_iss_takes_ack_state_assumed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, 0x12345678, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	t.known = TCB_K_STATE; /* our SYN was not seen */
	rx(&t, &s, &out);
	/* no RST owed on an ACK that cannot be checked */
	assert_false(out.actions & FSM_ACT_RST);
	assert_state(&out, &t, TCP_ESTABLISHED);
	assert_false(t.known & TCB_K_STATE); /* the new state is a guess */
	assert_no_findings(&out);
}

static void test_fsm_syn_sent_unknown_iss_rst_with_ack_resets_state_assumed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST | F_ACK, 0, 0x12345678, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_SENT);
	t.known = TCB_K_STATE;
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_CLOSED);
	assert_false(t.known & TCB_K_STATE);
	assert_false(out.actions & FSM_ACT_RST);
}

static void test_fsm_syn_sent_wraparound_iss(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, 0xfffffff0u, 0, 0);

	(void)state;
	/* ISS 2^32 - 1: SND.NXT wraps to 0 */
	tcb_in_state_at(&t, "rfc", TCP_SYN_SENT, 0xffffffffu, 0xfffffff0u);
	assert_int_equal(t.snd_nxt, 0);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_ACK);
	assert_int_equal(t.snd_una, 0);
	assert_reply(&out, 0, 0xfffffff1u, WIRE_TH_ACK);

	/* an ACK of the ISS itself is not acceptable across the wrap either */
	tcb_in_state_at(&t, "rfc", TCP_SYN_SENT, 0xffffffffu, 0xfffffff0u);
	s.ack = 0xffffffffu;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_bad_checksum_dropped_silently_in_every_state),
		cmocka_unit_test(test_fsm_rx_rejects_null_arguments),
		cmocka_unit_test(test_fsm_closed_rst_dropped_without_reply),
		cmocka_unit_test(test_fsm_closed_ack_answered_with_rst_at_seg_ack),
		cmocka_unit_test(test_fsm_closed_syn_answered_with_rst_ack),
		cmocka_unit_test(test_fsm_closed_rst_ack_counts_text_syn_and_fin),
		cmocka_unit_test(test_fsm_closed_assumed_state_owes_no_rst),
		cmocka_unit_test(test_fsm_listen_rst_ignored),
		cmocka_unit_test(test_fsm_listen_ack_answered_with_rst),
		cmocka_unit_test(test_fsm_listen_syn_ack_answered_with_rst),
		cmocka_unit_test(test_fsm_listen_assumed_state_ack_owes_no_rst),
		cmocka_unit_test(test_fsm_listen_syn_enters_syn_received),
		cmocka_unit_test(test_fsm_listen_syn_options_negotiated),
		cmocka_unit_test(test_fsm_listen_syn_without_options_uses_defaults),
		cmocka_unit_test(test_fsm_listen_syn_ws_over_14_capped),
		cmocka_unit_test(test_fsm_listen_syn_ws_14_no_finding),
		cmocka_unit_test(test_fsm_listen_syn_data_acked_profile_delivers_and_acks),
		cmocka_unit_test(test_fsm_listen_syn_data_linux_profile_discarded),
		cmocka_unit_test(test_fsm_listen_syn_data_trimmed_to_window),
		cmocka_unit_test(test_fsm_listen_segment_without_syn_dropped),
		cmocka_unit_test(test_fsm_listen_syn_unknown_iss_leaves_snd_unknown),
		cmocka_unit_test(test_fsm_syn_sent_syn_ack_establishes),
		cmocka_unit_test(test_fsm_syn_sent_syn_ack_window_not_scaled),
		cmocka_unit_test(test_fsm_syn_sent_ack_of_iss_answered_with_rst),
		cmocka_unit_test(test_fsm_syn_sent_ack_beyond_snd_nxt_answered_with_rst),
		cmocka_unit_test(test_fsm_syn_sent_rst_bad_ack),
		cmocka_unit_test(test_fsm_syn_sent_rst_acceptable_ack_resets),
		cmocka_unit_test(test_fsm_syn_sent_rst_without_ack_dropped),
		cmocka_unit_test(test_fsm_syn_sent_simultaneous_open_enters_syn_received),
		cmocka_unit_test(test_fsm_syn_sent_ack_without_syn_dropped),
		cmocka_unit_test(test_fsm_syn_sent_syn_ack_with_data_delivered),
		cmocka_unit_test(test_fsm_syn_sent_syn_ack_with_fin_enters_close_wait),
		cmocka_unit_test(test_fsm_syn_sent_syn_ack_ws_over_14_capped),
		cmocka_unit_test(test_fsm_syn_sent_syn_ack_timestamps_set_ts_recent),
		cmocka_unit_test(test_fsm_syn_sent_unknown_iss_takes_ack_state_assumed),
		cmocka_unit_test(test_fsm_syn_sent_unknown_iss_rst_with_ack_resets_state_assumed),
		cmocka_unit_test(test_fsm_syn_sent_wraparound_iss),
	};

	return cmocka_run_group_tests_name("fsm_handshake", tests, NULL, NULL);
}
