/* Unit tests: fsm_tx (core/fsm_tx.c): our FIN, sending after our RST,
 * the peer's window and the one we advertise, the state changes a sent
 * segment makes, what is learned when variables are unknown, and
 * sequence numbers that wrap. Header and options: test_fsm_tx.c. */
#include "fsm_tx_fixture.h"

/* --- our FIN ------------------------------------------------------------- */

static void test_tx_data_after_fin_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, FIN, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_FIN_WAIT_1);
	s = our(&t, ISS + 1, PSH, 10);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_DATA_AFTER_FIN));
	assert_int_equal(o.findings[0].v[2], ISS + 1);
	s = our(&t, ISS + 1, PSH | FIN, 20); /* and a FIN after it: one finding */
	tx(&t, &s, &o);
	assert_int_equal(count(&o, FND_TX_DATA_AFTER_FIN), 1);
	assert_false(has(&o, FND_TX_FIN_MOVED));
}

static void test_tx_fin_retransmissions_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 100);
	tx(&t, &s, &o);
	s = our(&t, ISS + 101, FIN, 0);
	tx(&t, &s, &o);
	s = our(&t, ISS + 101, FIN, 0);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	s = our(&t, ISS + 1, FIN | PSH, 100); /* data and FIN again, coalesced */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	s = our(&t, ISS + 51, PSH, 50); /* a part below the FIN */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_FIN_WAIT_1);
}

static void test_tx_fin_moved_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, FIN, 0);
	tx(&t, &s, &o);
	s = our(&t, ISS + 51, FIN, 0);
	tx(&t, &s, &o);
	assert_int_equal(count(&o, FND_TX_FIN_MOVED), 1);
	assert_int_equal(t.fin_seq, ISS + 1);
}

/* --- after our RST --------------------------------------------------------- */

static void test_tx_segment_after_own_rst_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, t.rcv_nxt, RST | ACK, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.closed_how, TCB_CLOSED_RST_ACK);
	s = our(&t, ISS + 1, PSH, 10);
	s.ack = IRS + 51; /* more than the RST acknowledged */
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_SEGMENT_AFTER_RST));
	assert_true(o.actions & FSM_ACT_RESYNC);
	assert_int_equal(t.state, TCP_ESTABLISHED);
}

static void test_tx_segment_after_own_rst_in_close_wait(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	t.state = TCP_CLOSE_WAIT; /* fsm_rx took the peer's FIN */
	t.fin_rcvd = true;
	s = seg_make(t.snd_nxt, t.rcv_nxt, RST | ACK, 0);
	tx(&t, &s, &o);
	s = our(&t, ISS + 1, PSH, 10);
	s.ack = IRS + 51;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_SEGMENT_AFTER_RST));
	assert_int_equal(t.state, TCP_CLOSE_WAIT);
}

static void test_tx_segment_after_own_rst_same_ack_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, t.rcv_nxt, RST | ACK, 0);
	tx(&t, &s, &o);
	s = our(&t, ISS + 1, PSH, 10); /* may have been made before the RST */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_CLOSED);
}

static void test_tx_segment_after_own_rst_without_ack_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, 0, RST, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.closed_how, TCB_CLOSED_RST);
	s = our(&t, ISS + 1, PSH, 10);
	s.ack = IRS + 51;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_segment_after_reply_rst_ack_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	/* an RST,ACK whose ACK is not RCV.NXT answers some segment (3.10.7.1
	 * form): its ACK proves nothing about later segments */
	s = seg_make(t.snd_nxt, IRS + 40000, RST | ACK, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_CLOSED);
	assert_int_equal(t.closed_how, TCB_CLOSED_RST);
	s = our(&t, ISS + 1, PSH, 10);
	s.ack = IRS + 51;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_segment_crossing_peer_rst_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	t.state = TCP_CLOSED; /* fsm_rx took the peer's RST */
	s = our(&t, ISS + 1, PSH, 10);
	s.ack = IRS + 51;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_CLOSED);
}

/* --- the peer's window ------------------------------------------------------- */

static void test_tx_beyond_peer_window_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS); /* SND.WND 1000 from ISS+1 */
	s = our(&t, ISS + 1, PSH, 1001);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_BEYOND_PEER_WINDOW));
	assert_int_equal(o.findings[0].v[2], 1);
}

static void test_tx_window_filled_exactly_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 1000);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_zero_window_probe_one_byte_only(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;
	struct hs h = HS;

	(void)state;
	h.peer_wnd = 0;
	established(&t, &h);
	s = our(&t, ISS + 1, 0, 1);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	s = our(&t, ISS + 1, 0, 1); /* the probe again */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	s = our(&t, ISS + 2, 0, 1);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_BEYOND_PEER_WINDOW));
}

static void test_tx_window_unknown_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	t.known &= ~(TCB_K_SND_WND | TCB_K_SND_EDGE);
	s = our(&t, ISS + 1, PSH, 5000);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	t.known |= TCB_K_SND_WND; /* known again: 1000 */
	s = our(&t, ISS + 1, PSH, 5000); /* the same data again: not judged */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_window_withdrawn_edge_still_allowed(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS); /* edge ISS+1001 seen */
	t.snd_wnd = 100;      /* the peer shrank it */
	s = our(&t, ISS + 1, PSH, 1000);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	t.snd_una = ISS + 1001; /* all acked, window 0 */
	t.snd_wnd = 0;
	s = our(&t, ISS + 1, PSH, 1000); /* retransmission past the edge: MAY-7 */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

/* --- the window we advertise ------------------------------------------------ */

static void test_tx_window_shrunk_is_should(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS); /* advertised IRS+1 + 1000 */
	t.rcv_nxt = IRS + 101;
	s = our(&t, ISS + 1, 0, 0);
	s.wnd = 500; /* edge IRS+601 */
	tx(&t, &s, &o);
	assert_int_equal(count(&o, FND_TX_WINDOW_SHRUNK), 1);
	assert_int_equal(o.findings[0].v[2], 400);
	assert_int_equal(finding_info(FND_TX_WINDOW_SHRUNK)->level, FINDING_SHOULD);
	assert_int_equal(t.rcv_adv, IRS + 1001);
}

static void test_tx_window_edge_kept_or_grown_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	t.rcv_nxt = IRS + 101;
	s = our(&t, ISS + 1, 0, 0);
	s.wnd = 900; /* edge unchanged */
	tx(&t, &s, &o);
	t.rcv_nxt = IRS + 201;
	s = our(&t, ISS + 1, 0, 0);
	s.wnd = 2000;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.rcv_adv, IRS + 2201);
	assert_int_equal(t.rcv_wnd, 2000);
}

static void test_tx_window_shrink_within_scale_rounding(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;
	struct hs h = HS;

	(void)state;
	h.ws = true;
	h.ws_ours = 7;
	h.ws_peer = 2;
	h.our_wnd = 100; /* 12800 bytes: edge IRS+12801 */
	established(&t, &h);
	t.rcv_nxt = IRS + 101;
	s = our(&t, ISS + 1, 0, 0);
	s.wnd = 99; /* edge IRS+12773: 28 < 128 to the left */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	t.rcv_nxt = IRS + 201;
	s = our(&t, ISS + 1, 0, 0);
	s.wnd = 97; /* edge IRS+12617: 184 to the left */
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_WINDOW_SHRUNK));
}

static void test_tx_window_shrink_same_ack_may_be_reordered(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.wnd = 10; /* same ACK as the last one */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_window_shrink_scale_unknown_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, IRS, ACK, 0);

	(void)state;
	tcb_init(&t, NULL, TCP_ESTABLISHED, 4); /* handshake not seen */
	s.wnd = 1000;
	tx(&t, &s, &o);
	s = seg_make(ISS, IRS + 500, ACK, 0);
	s.wnd = 1;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_false(t.known & TCB_K_RCV_WND);
}

static void test_tx_window_our_scale_unanswered_unknown_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	s.has_ws = true;
	s.ws = 7;
	tx(&t, &s, &o);
	t.state = TCP_ESTABLISHED; /* the peer's SYN,ACK was not seen */
	t.ws_rcvd = true;          /* a value nobody vouches for */
	s = seg_make(ISS + 1, IRS, ACK, 0);
	s.wnd = 1000;
	tx(&t, &s, &o);
	s = seg_make(ISS + 1, IRS + 500, ACK, 0);
	s.wnd = 600; /* unscaled: the edge grew; scaled by 7 it would shrink */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

/* --- state on send ---------------------------------------------------------- */

static void test_tx_syn_from_closed_enters_syn_sent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	s.has_ws = true;
	s.ws = 7;
	s.has_ts = true;
	s.tsval = 9;
	s.sack_ok = true;
	tx(&t, &s, &o);
	assert_int_equal(o.old_state, TCP_CLOSED);
	assert_int_equal(o.new_state, TCP_SYN_SENT);
	assert_int_equal(t.iss, ISS);
	assert_int_equal(t.snd_una, ISS);
	assert_int_equal(t.snd_nxt, ISS + 1);
	assert_int_equal(t.snd_max, ISS + 1);
	assert_true(t.ws_sent && t.sack_sent && t.ts_sent);
	assert_int_equal(t.rcv_shift, 7);
	assert_int_equal(t.ts_last_sent, 9);
	assert_true((t.known & (TCB_K_STATE | TCB_K_ISS | TCB_K_SND | TCB_K_OUR_SYN)) ==
		    (TCB_K_STATE | TCB_K_ISS | TCB_K_SND | TCB_K_OUR_SYN));
	assert_true(o.learned & TCB_K_ISS);
}

static void test_tx_synack_in_syn_received_learns_iss(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(false, false, false);

	(void)state;
	syn_received(&t, false, false, false);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_RECEIVED);
	assert_int_equal(t.iss, ISS);
	assert_int_equal(t.snd_nxt, ISS + 1);
	assert_true(t.known & TCB_K_OPTS); /* both SYNs now seen */
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_from_listen_enters_syn_received(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(false, false, false);

	(void)state;
	tcb_in_state(&t, TCP_LISTEN);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_RECEIVED);
	assert_true(t.passive_open);
	assert_int_equal(t.rcv_nxt, IRS + 1);
}

static void test_tx_syn_retransmission_keeps_state(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_SENT);
	assert_int_equal(t.snd_nxt, ISS + 1);
	assert_int_equal(o.n_findings, 0);
	s.seq = ISS + 70000; /* another attempt */
	tx(&t, &s, &o);
	assert_int_equal(t.iss, ISS + 70000);
	assert_int_equal(t.snd_nxt, ISS + 70001);
}

static void test_tx_simultaneous_open_synack(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	s = syn_ack(false, false, false);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_RECEIVED);
	assert_false(t.passive_open);
	assert_int_equal(t.iss, ISS);
}

/* The peer's SYN was taken in LISTEN (the analyzer assumes a listener),
 * then the endpoint sends a SYN of its own without ACK: the two crossed
 * (RFC 9293 3.5 figure 8). The peer's SYN is kept, ISS learned, the state
 * stays SYN-RECEIVED and is no longer a passive one. */
static void test_tx_crossed_syn_keeps_peer_syn(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	syn_received(&t, true, true, true);
	t.passive_open = true;
	s.has_ts = true;
	s.tsval = 300;
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_RECEIVED);
	assert_false(t.passive_open);
	assert_int_equal(t.iss, ISS);
	assert_int_equal(t.snd_nxt, ISS + 1);
	assert_int_equal(t.irs, IRS);
	assert_int_equal(t.rcv_nxt, IRS + 1);
	assert_true(tcb_known(&t, TCB_K_ISS | TCB_K_IRS | TCB_K_RCV | TCB_K_OPTS | TCB_K_STATE));
	assert_true(t.ts_sent && t.ts_rcvd);
	assert_int_equal(o.n_findings, 0);
	/* its SYN,ACK (3.10.7.3 fourth check) follows: same ISS, same state */
	s = syn_ack(false, true, false);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_RECEIVED);
	assert_int_equal(t.irs, IRS);
	assert_int_equal(o.n_findings, 0);
}

/* Near miss: a bare SYN with another ISN after the endpoint answered with
 * its SYN,ACK is a new attempt: the peer's SYN is forgotten. */
static void test_tx_new_syn_after_synack_starts_over(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(false, false, false);

	(void)state;
	syn_received(&t, false, false, false);
	tx(&t, &s, &o);
	s = seg_make(ISS + 90000, 0, SYN, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_SENT);
	assert_int_equal(t.iss, ISS + 90000);
	assert_false(tcb_known(&t, TCB_K_IRS));
}

/* Our FIN from CLOSE-WAIT whose ACK does not cover the peer's FIN left
 * before the peer's FIN came (simultaneous close, 3.6 figure 13): CLOSING.
 * Covering it: the normal LAST-ACK. */
static void test_tx_fin_crossing_peer_fin_enters_closing(void **state)
{
	for (int covers = 0; covers < 2; covers++) {
		struct tcb t;
		struct fsm_out o;
		struct seg s;

		(void)state;
		established(&t, &HS);
		t.fin_rcvd = true;
		t.peer_fin_seq = IRS + 1;
		t.rcv_nxt = IRS + 2;
		t.state = TCP_CLOSE_WAIT;
		s = our(&t, ISS + 1, FIN, 0);
		s.ack = covers ? IRS + 2 : IRS + 1;
		tx(&t, &s, &o);
		assert_int_equal(t.state, covers ? TCP_LAST_ACK : TCP_CLOSING);
		assert_true(t.fin_sent);
		assert_int_equal(o.n_findings, 0);
	}
}

static void test_tx_fin_moves_state(void **state)
{
	static const struct {
		enum tcp_state from, to;
	} cases[] = {
		{ TCP_ESTABLISHED, TCP_FIN_WAIT_1 },
		{ TCP_SYN_RECEIVED, TCP_FIN_WAIT_1 },
		{ TCP_CLOSE_WAIT, TCP_LAST_ACK },
		{ TCP_FIN_WAIT_1, TCP_FIN_WAIT_1 }, /* CLOSE moved it already */
		{ TCP_LAST_ACK, TCP_LAST_ACK },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tcb t;
		struct fsm_out o;
		struct seg s;

		established(&t, &HS);
		t.state = cases[i].from;
		s = our(&t, ISS + 1, FIN, 0);
		tx(&t, &s, &o);
		assert_int_equal(t.state, cases[i].to);
		assert_true(t.fin_sent);
		assert_int_equal(t.fin_seq, ISS + 1);
		assert_int_equal(t.snd_nxt, ISS + 2);
		assert_int_equal(o.n_findings, 0);
	}
}

static void test_tx_rst_closes_synchronized_states(void **state)
{
	static const enum tcp_state st[] = {
		TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
		TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT,
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		struct tcb t;
		struct fsm_out o;
		struct seg s;

		established(&t, &HS);
		t.state = st[i];
		s = seg_make(t.snd_nxt, 0, RST, 0);
		tx(&t, &s, &o);
		assert_int_equal(t.state, TCP_CLOSED);
		assert_true(o.actions & FSM_ACT_CLOSED);
	}
}

static void test_tx_rst_reply_in_handshake_keeps_state(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	s = seg_make(77777, 0, RST, 0); /* <SEQ=SEG.ACK> for a bad ACK */
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_SENT);
	s = seg_make(ISS + 1, 0, RST, 0); /* at SND.NXT: the TCB is gone */
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_CLOSED);

	syn_received(&t, false, false, false);
	s = syn_ack(false, false, false);
	tx(&t, &s, &o);
	s = seg_make(77777, 0, RST, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_RECEIVED);
	s = seg_make(ISS + 1, 0, RST, 0); /* ABORT */
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_CLOSED);

	tcb_in_state(&t, TCP_LISTEN);
	s = seg_make(4242, 0, RST, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_LISTEN);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_syn_in_time_wait_starts_new_incarnation(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, FIN, 0);
	tx(&t, &s, &o);
	t.state = TCP_TIME_WAIT;
	t.time_wait_until = TSTAMP_MS(240000);
	s = seg_make(ISS + 100000, 0, SYN, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.state, TCP_SYN_SENT);
	assert_false(t.fin_sent);
	assert_int_equal(t.time_wait_until, 0);
	assert_false(t.known & (TCB_K_RCV | TCB_K_IRS | TCB_K_LAST_ACK));
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_retransmission_after_established(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(false, false, false);

	(void)state;
	syn_received(&t, false, false, false);
	tx(&t, &s, &o);
	t.state = TCP_ESTABLISHED; /* fsm_rx took the peer's ACK */
	tx(&t, &s, &o);            /* ours crossed it */
	assert_int_equal(t.state, TCP_ESTABLISHED);
	assert_int_equal(t.iss, ISS);
	assert_int_equal(o.n_findings, 0);
}

/* --- unknown variables ----------------------------------------------------- */

static void test_tx_first_segment_learns_send_and_receive(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(123456, 654321, ACK | PSH, 100);

	(void)state;
	tcb_init(&t, NULL, TCP_ESTABLISHED, 4);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.snd_una, 123456);
	assert_int_equal(t.snd_nxt, 123556);
	assert_int_equal(t.rcv_nxt, 654321);
	assert_int_equal(o.learned, TCB_K_SND | TCB_K_RCV);
	s.seq = 123456; /* a retransmission: nothing new, nothing learned */
	tx(&t, &s, &o);
	assert_int_equal(o.learned, 0);
	assert_int_equal(t.snd_max, 123556);
}

static void test_tx_ack_beyond_rcv_nxt_marked_unseen(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.ack = IRS + 301;
	tx(&t, &s, &o);
	assert_true(o.actions & FSM_ACT_ACK_UNSEEN);
	assert_int_equal(t.rcv_nxt, IRS + 1); /* not moved: the analyzer decides */
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.last_ack_sent, IRS + 301);
	s.ack = IRS + 1; /* a reordered older ACK */
	tx(&t, &s, &o);
	assert_int_equal(t.last_ack_sent, IRS + 301);
}

static void test_tx_bad_checksum_not_judged(void **state)
{
	struct tcb t, before;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	memcpy(&before, &t, sizeof(t));
	s = our(&t, ISS + 1, PSH, 5000); /* beyond the window, and MSS */
	s.has_mss = true;
	s.csum_ok = false;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_memory_equal(&t, &before, sizeof(t));
	s.csum_ok = true;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_BEYOND_PEER_WINDOW));
	assert_true(has(&o, FND_TX_MSS_NOT_SYN));
}

static void test_tx_closed_tcb_never_seen_open_resyncs(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(10, 20, ACK | FIN, 0);

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	tx(&t, &s, &o);
	assert_true(o.actions & FSM_ACT_RESYNC);
	assert_int_equal(t.state, TCP_FIN_WAIT_1);
	assert_int_equal(o.n_findings, 0);
}

/* --- sequence numbers wrap at 2^32 ----------------------------------------- */

static void test_tx_wraparound(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(0xfffffff0u, 0, SYN, 0);

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	tx(&t, &s, &o);
	t.state = TCP_ESTABLISHED;
	t.snd_una = 0xfffffff1u;
	t.snd_wnd = 100;
	t.rcv_nxt = IRS + 1;
	t.known |= TCB_K_SND_WND | TCB_K_RCV;
	s = seg_make(0xfffffff1u, IRS + 1, ACK, 100); /* ends at 0x55 */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.snd_nxt, 0x55);
	s = seg_make(0x55, IRS + 1, ACK, 1);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_BEYOND_PEER_WINDOW));
	s = seg_make(0x56, IRS + 1, ACK | FIN, 0);
	tx(&t, &s, &o);
	assert_int_equal(t.fin_seq, 0x56);
	s = seg_make(0xfffffff1u, IRS + 1, ACK, 100); /* below the FIN: old */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	s = seg_make(0x50, IRS + 1, ACK, 10);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_DATA_AFTER_FIN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_data_after_fin_flagged),
		cmocka_unit_test(test_tx_fin_retransmissions_silent),
		cmocka_unit_test(test_tx_fin_moved_flagged),
		cmocka_unit_test(test_tx_segment_after_own_rst_flagged),
		cmocka_unit_test(test_tx_segment_after_own_rst_in_close_wait),
		cmocka_unit_test(test_tx_segment_after_own_rst_same_ack_silent),
		cmocka_unit_test(test_tx_segment_after_own_rst_without_ack_silent),
		cmocka_unit_test(test_tx_segment_after_reply_rst_ack_silent),
		cmocka_unit_test(test_tx_segment_crossing_peer_rst_silent),
		cmocka_unit_test(test_tx_beyond_peer_window_flagged),
		cmocka_unit_test(test_tx_window_filled_exactly_silent),
		cmocka_unit_test(test_tx_zero_window_probe_one_byte_only),
		cmocka_unit_test(test_tx_window_unknown_silent),
		cmocka_unit_test(test_tx_window_withdrawn_edge_still_allowed),
		cmocka_unit_test(test_tx_window_shrunk_is_should),
		cmocka_unit_test(test_tx_window_edge_kept_or_grown_silent),
		cmocka_unit_test(test_tx_window_shrink_within_scale_rounding),
		cmocka_unit_test(test_tx_window_shrink_same_ack_may_be_reordered),
		cmocka_unit_test(test_tx_window_shrink_scale_unknown_silent),
		cmocka_unit_test(test_tx_window_our_scale_unanswered_unknown_silent),
		cmocka_unit_test(test_tx_syn_from_closed_enters_syn_sent),
		cmocka_unit_test(test_tx_synack_in_syn_received_learns_iss),
		cmocka_unit_test(test_tx_synack_from_listen_enters_syn_received),
		cmocka_unit_test(test_tx_syn_retransmission_keeps_state),
		cmocka_unit_test(test_tx_simultaneous_open_synack),
		cmocka_unit_test(test_tx_crossed_syn_keeps_peer_syn),
		cmocka_unit_test(test_tx_new_syn_after_synack_starts_over),
		cmocka_unit_test(test_tx_fin_crossing_peer_fin_enters_closing),
		cmocka_unit_test(test_tx_fin_moves_state),
		cmocka_unit_test(test_tx_rst_closes_synchronized_states),
		cmocka_unit_test(test_tx_rst_reply_in_handshake_keeps_state),
		cmocka_unit_test(test_tx_syn_in_time_wait_starts_new_incarnation),
		cmocka_unit_test(test_tx_synack_retransmission_after_established),
		cmocka_unit_test(test_tx_first_segment_learns_send_and_receive),
		cmocka_unit_test(test_tx_ack_beyond_rcv_nxt_marked_unseen),
		cmocka_unit_test(test_tx_bad_checksum_not_judged),
		cmocka_unit_test(test_tx_closed_tcb_never_seen_open_resyncs),
		cmocka_unit_test(test_tx_wraparound),
	};

	return cmocka_run_group_tests_name("fsm_tx_state", tests, NULL, NULL);
}
