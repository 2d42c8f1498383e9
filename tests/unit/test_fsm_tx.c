/* Unit tests: fsm_tx, "this endpoint sends a segment: was it allowed?"
 * (core/fsm_tx.c): the header, the options, timestamps and SACK blocks.
 * For each finding a segment that raises it, one close to it that must
 * not, and the variant with the needed variable unknown. The sequence
 * space, windows and state changes: test_fsm_tx_state.c. */
#include "fsm_tx_fixture.h"

/* --- header -------------------------------------------------------------- */

static void test_tx_syn_with_fin_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN | FIN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_SYN_WITH_FIN));
	assert_int_equal(t.state, TCP_SYN_SENT);
	assert_true(t.fin_sent);
	assert_int_equal(t.fin_seq, ISS + 1);
}

static void test_tx_plain_syn_no_findings(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	s.has_mss = true;
	s.mss = 1460;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_syn_with_rst_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, 0, SYN | RST, 0);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_SYN_WITH_RST));
	assert_int_equal(t.state, TCP_CLOSED);
}

static void test_tx_rst_ack_abort_no_findings(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, t.rcv_nxt, RST | ACK, 0);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_CLOSED);
	assert_true(o.actions & FSM_ACT_CLOSED);
}

static void test_tx_ack_number_without_ack_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, 12345, RST, 0);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 1);
	assert_true(has(&o, FND_TX_ACK_NUMBER_WITHOUT_ACK));
	assert_int_equal(o.findings[0].v[0], 12345);
}

static void test_tx_zero_ack_number_without_ack_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = seg_make(t.snd_nxt, 0, RST, 0);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_urgent_pointer_without_urg_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 10);
	s.up = 5;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_URGENT_POINTER_WITHOUT_URG));
	s = our(&t, ISS + 11, WIRE_TH_URG, 10);
	s.up = 5;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_data_without_ack_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 10);
	s.flags = PSH;
	s.ack = 0;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_ACK_FLAG_MISSING));
	assert_int_equal(o.findings[0].v[1], 10);
}

static void test_tx_fin_without_ack_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.flags = FIN;
	s.ack = 0;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_ACK_FLAG_MISSING));
	assert_int_equal(t.state, TCP_FIN_WAIT_1);
}

static void test_tx_data_in_syn_sent_is_before_handshake(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	s = seg_make(ISS + 1, 0, PSH, 10);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_DATA_BEFORE_HANDSHAKE));
	assert_false(has(&o, FND_TX_ACK_FLAG_MISSING));
	assert_int_equal(t.state, TCP_SYN_SENT);
}

static void test_tx_data_on_syn_allowed(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 20);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.snd_nxt, ISS + 21);
}

static void test_tx_ack_from_syn_sent_resyncs(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	tx(&t, &s, &o);
	s = seg_make(ISS + 1, 777, ACK | PSH, 10);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_true(o.actions & FSM_ACT_RESYNC);
	assert_int_equal(t.state, TCP_ESTABLISHED);
	assert_false(t.known & TCB_K_STATE);
	assert_int_equal(t.rcv_nxt, 777);
	assert_true(o.learned & TCB_K_RCV);
}

/* --- options ------------------------------------------------------------- */

static void test_tx_mss_on_non_syn_is_must(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.has_mss = true;
	s.mss = 1460;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_MSS_NOT_SYN));
	assert_int_equal(finding_info(FND_TX_MSS_NOT_SYN)->level, FINDING_MUST);
}

static void test_tx_wscale_and_sackperm_on_non_syn_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.has_ws = true;
	s.ws = 3;
	s.sack_ok = true;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_WSCALE_NOT_SYN));
	assert_true(has(&o, FND_TX_SACK_PERM_NOT_SYN));
	assert_int_equal(finding_info(FND_TX_SACK_PERM_NOT_SYN)->level, FINDING_MUST);
	assert_int_equal(finding_info(FND_TX_WSCALE_NOT_SYN)->level, FINDING_ANALYSIS);
}

static void test_tx_wscale_over_14_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	s.has_ws = true;
	s.ws = 15;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_WSCALE_OVER_14));
	assert_int_equal(t.rcv_shift, 14);
	tcb_in_state(&t, TCP_CLOSED);
	s.ws = 14;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.rcv_shift, 14);
}

static void test_tx_synack_wscale_not_offered_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(true, false, false);

	(void)state;
	syn_received(&t, false, false, false);
	tx(&t, &s, &o);
	assert_int_equal(count(&o, FND_TX_WSCALE_NOT_OFFERED), 1);
	syn_received(&t, true, false, false);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_options_peer_syn_unknown_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(true, true, true);

	(void)state;
	tcb_in_state(&t, TCP_SYN_RECEIVED); /* no fsm_note_peer_syn */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_answers_syn_retransmitted_without_options(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg p = seg_make(IRS, 0, SYN, 0), s = syn_ack(true, true, false);

	(void)state;
	syn_received(&t, true, true, false);
	fsm_note_peer_syn(&t, &p); /* same ISN, options dropped (BSD's third retry) */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_new_peer_isn_forgets_old_offer(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg p = seg_make(IRS + 9000, 0, SYN, 0), s = syn_ack(true, false, false);

	(void)state;
	syn_received(&t, true, false, false);
	fsm_note_peer_syn(&t, &p);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_WSCALE_NOT_OFFERED));
}

static void test_tx_syn_offer_not_checked_against_peer_syn(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0), p = seg_make(IRS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	s.has_ws = true;
	s.ws = 7;
	s.has_ts = true;
	s.tsval = 5;
	tx(&t, &s, &o);
	fsm_note_peer_syn(&t, &p); /* simultaneous open: the peer's bare SYN */
	s.tsval = 6;
	tx(&t, &s, &o); /* our SYN again: an offer (RFC 7323 2.2, 3.2 MAY) */
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_timestamps_not_offered_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(false, true, false);

	(void)state;
	syn_received(&t, false, false, false);
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_TS_NOT_OFFERED));
	syn_received(&t, false, true, false);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_synack_sackperm_unoffered_allowed(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = syn_ack(false, false, true);

	(void)state;
	syn_received(&t, false, false, false);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_timestamps_missing_after_negotiation_is_must(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 10);
	s.has_ts = false;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_TS_MISSING));
	assert_int_equal(finding_info(FND_TX_TS_MISSING)->level, FINDING_MUST);
	s = seg_make(t.snd_nxt, 0, RST, 0); /* an RST only SHOULD carry it */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_timestamps_not_negotiated_missing_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;
	struct hs h = HS;

	(void)state;
	h.ts = false;
	established(&t, &h);
	s = our(&t, ISS + 1, PSH, 10);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	/* we offered, the peer did not */
	established(&t, &HS);
	t.ts_rcvd = false;
	s = our(&t, ISS + 1, PSH, 10);
	s.has_ts = false;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_timestamps_missing_handshake_unseen_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(123456, 654321, ACK | PSH, 100);

	(void)state;
	tcb_init(&t, NULL, TCP_ESTABLISHED, 4); /* assumed: nothing known */
	t.ts_sent = t.ts_rcvd = true;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_tsecr_without_ack_should_be_zero(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(ISS, 0, SYN, 0);

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	s.has_ts = true;
	s.tsval = 1;
	s.tsecr = 55;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_TSECR_WITHOUT_ACK));
	assert_int_equal(finding_info(FND_TX_TSECR_WITHOUT_ACK)->level, FINDING_SHOULD);
	tcb_in_state(&t, TCP_CLOSED);
	s.tsecr = 0;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_tsval_backwards_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 10);
	s.tsval = 200;
	tx(&t, &s, &o);
	t.rcv_nxt = IRS + 101; /* fsm_rx took 100 bytes */
	s = our(&t, ISS + 11, PSH, 10);
	s.tsval = 150;
	tx(&t, &s, &o);
	assert_int_equal(count(&o, FND_TX_TSVAL_BACKWARDS), 1);
	assert_int_equal(o.findings[0].v[0], 150);
	assert_int_equal(o.findings[0].v[1], 200);
}

static void test_tx_tsval_backwards_same_ack_may_be_reordered(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, PSH, 10);
	s.tsval = 200;
	tx(&t, &s, &o);
	s = our(&t, ISS + 11, PSH, 10);
	s.tsval = 150; /* same ACK: may have been made before the other */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_tsval_wraps_forward_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;
	static const uint32_t clock[] = { 0x70000000u, 0xe0000000u, 0xfffffff0u };

	(void)state;
	established(&t, &HS);
	for (unsigned i = 0; i < 3; i++) {
		s = our(&t, ISS + 1, 0, 0);
		s.tsval = clock[i]; /* a clock moving on, same ACK */
		tx(&t, &s, &o);
	}
	assert_int_equal(t.ts_last_sent, 0xfffffff0u);
	t.rcv_nxt = IRS + 101;
	s = our(&t, ISS + 1, 0, 0);
	s.tsval = 0x10;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.ts_last_sent, 0x10);
}

static void test_tx_tsecr_backwards_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	t.rcv_nxt = IRS + 101;
	s = our(&t, ISS + 1, 0, 0);
	s.tsecr = 7100;
	tx(&t, &s, &o);
	t.rcv_nxt = IRS + 201;
	s = our(&t, ISS + 1, 0, 0);
	s.tsecr = 7100; /* repeated: fine */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	t.rcv_nxt = IRS + 301;
	s = our(&t, ISS + 1, 0, 0);
	s.tsecr = 7050;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_TSECR_BACKWARDS));
	t.ts_ecr_last = 0; /* TS.Recent 0: BSD's "unset", anything may follow */
	t.rcv_nxt = IRS + 401;
	s = our(&t, ISS + 1, 0, 0);
	s.tsecr = 0xf0000000u;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.ts_ecr_last, 0xf0000000u); /* the new base */
}

static void test_tx_ts_order_forgotten_after_24_days_idle(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.tsval = 200;
	tx(&t, &s, &o);
	t.rcv_nxt = IRS + 101;
	s = our(&t, ISS + 1, 0, 0);
	s.tsval = 100;
	assert_int_equal(fsm_tx(&t, &s, TSTAMP_MS(1) + (tstamp)25 * 86400 * 1000000000, &o), 0);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_sack_without_permission_is_must(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;
	struct hs h = HS;

	(void)state;
	h.sack = false;
	established(&t, &h);
	s = our(&t, ISS + 1, 0, 0);
	s.n_sack = 1;
	s.sack[0].left = IRS + 101;
	s.sack[0].right = IRS + 201;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_SACK_NOT_PERMITTED));
	assert_int_equal(finding_info(FND_TX_SACK_NOT_PERMITTED)->level, FINDING_MUST);
	established(&t, &HS);
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_sack_permission_unknown_silent(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(123, 456, ACK, 0);

	(void)state;
	tcb_init(&t, NULL, TCP_ESTABLISHED, 4);
	s.n_sack = 1;
	s.sack[0].left = 600;
	s.sack[0].right = 700;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_sack_block_empty_flagged(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	s = our(&t, ISS + 1, 0, 0);
	s.n_sack = 1;
	s.sack[0].left = IRS + 300;
	s.sack[0].right = IRS + 300;
	tx(&t, &s, &o);
	assert_true(has(&o, FND_TX_SACK_BLOCK_EMPTY));
	s.opt_malformed = true; /* the blocks may not be what was sent */
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
}

static void test_tx_sack_block_below_ack_only_first_may(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	established(&t, &HS);
	t.rcv_nxt = IRS + 501;
	s = our(&t, ISS + 1, 0, 0);
	s.n_sack = 2;
	s.sack[0].left = IRS + 101; /* D-SACK (RFC 2883): allowed first */
	s.sack[0].right = IRS + 201;
	s.sack[1].left = IRS + 601;
	s.sack[1].right = IRS + 701;
	tx(&t, &s, &o);
	assert_int_equal(o.n_findings, 0);
	s.sack[1].left = IRS + 301;
	s.sack[1].right = IRS + 401;
	tx(&t, &s, &o);
	assert_int_equal(count(&o, FND_TX_SACK_BLOCK_BELOW_ACK), 1);
}

/* --- misc -------------------------------------------------------------------- */

static void test_tx_invalid_arguments(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s = seg_make(0, 0, SYN, 0);

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	assert_int_equal(fsm_tx(NULL, &s, 0, &o), FSM_ERR_INVAL);
	assert_int_equal(fsm_tx(&t, NULL, 0, &o), FSM_ERR_INVAL);
	assert_int_equal(fsm_tx(&t, &s, 0, NULL), FSM_ERR_INVAL);
}

static void test_tx_catalogue_levels(void **state)
{
	static const struct {
		enum finding_id id;
		enum finding_level level;
		const char *rfc;
	} rows[] = {
		{ FND_TX_SYN_WITH_FIN, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_SYN_WITH_RST, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_ACK_FLAG_MISSING, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_ACK_NUMBER_WITHOUT_ACK, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_URGENT_POINTER_WITHOUT_URG, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_MSS_NOT_SYN, FINDING_MUST, "RFC9293" },
		{ FND_TX_WSCALE_NOT_SYN, FINDING_ANALYSIS, "RFC7323" },
		{ FND_TX_SACK_PERM_NOT_SYN, FINDING_MUST, "RFC2018" },
		{ FND_TX_WSCALE_OVER_14, FINDING_MUST, "RFC7323" },
		{ FND_TX_WSCALE_NOT_OFFERED, FINDING_ANALYSIS, "RFC7323" },
		{ FND_TX_TS_NOT_OFFERED, FINDING_ANALYSIS, "RFC7323" },
		{ FND_TX_TS_MISSING, FINDING_MUST, "RFC7323" },
		{ FND_TX_TSECR_WITHOUT_ACK, FINDING_SHOULD, "RFC7323" },
		{ FND_TX_TSVAL_BACKWARDS, FINDING_ANALYSIS, "RFC7323" },
		{ FND_TX_TSECR_BACKWARDS, FINDING_ANALYSIS, "RFC7323" },
		{ FND_TX_SACK_NOT_PERMITTED, FINDING_MUST, "RFC2018" },
		{ FND_TX_SACK_BLOCK_EMPTY, FINDING_ANALYSIS, "RFC2018" },
		{ FND_TX_SACK_BLOCK_BELOW_ACK, FINDING_ANALYSIS, "RFC2883" },
		{ FND_TX_DATA_BEFORE_HANDSHAKE, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_DATA_AFTER_FIN, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_FIN_MOVED, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_SEGMENT_AFTER_RST, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_BEYOND_PEER_WINDOW, FINDING_ANALYSIS, "RFC9293" },
		{ FND_TX_WINDOW_SHRUNK, FINDING_SHOULD, "RFC9293" },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct finding_info *fi = finding_info(rows[i].id);

		assert_non_null(fi);
		assert_int_equal(fi->level, rows[i].level);
		assert_string_equal(fi->rfc, rows[i].rfc);
		assert_int_equal(strncmp(fi->name, "TX-", 3), 0);
		/* a title without a keyword says so */
		if (rows[i].level == FINDING_ANALYSIS)
			assert_non_null(strstr(fi->title, "keyword"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_syn_with_fin_flagged),
		cmocka_unit_test(test_tx_plain_syn_no_findings),
		cmocka_unit_test(test_tx_syn_with_rst_flagged),
		cmocka_unit_test(test_tx_rst_ack_abort_no_findings),
		cmocka_unit_test(test_tx_ack_number_without_ack_flagged),
		cmocka_unit_test(test_tx_zero_ack_number_without_ack_silent),
		cmocka_unit_test(test_tx_urgent_pointer_without_urg_flagged),
		cmocka_unit_test(test_tx_data_without_ack_flagged),
		cmocka_unit_test(test_tx_fin_without_ack_flagged),
		cmocka_unit_test(test_tx_data_in_syn_sent_is_before_handshake),
		cmocka_unit_test(test_tx_data_on_syn_allowed),
		cmocka_unit_test(test_tx_ack_from_syn_sent_resyncs),
		cmocka_unit_test(test_tx_mss_on_non_syn_is_must),
		cmocka_unit_test(test_tx_wscale_and_sackperm_on_non_syn_flagged),
		cmocka_unit_test(test_tx_wscale_over_14_flagged),
		cmocka_unit_test(test_tx_synack_wscale_not_offered_flagged),
		cmocka_unit_test(test_tx_synack_options_peer_syn_unknown_silent),
		cmocka_unit_test(test_tx_synack_answers_syn_retransmitted_without_options),
		cmocka_unit_test(test_tx_synack_new_peer_isn_forgets_old_offer),
		cmocka_unit_test(test_tx_syn_offer_not_checked_against_peer_syn),
		cmocka_unit_test(test_tx_synack_timestamps_not_offered_flagged),
		cmocka_unit_test(test_tx_synack_sackperm_unoffered_allowed),
		cmocka_unit_test(test_tx_timestamps_missing_after_negotiation_is_must),
		cmocka_unit_test(test_tx_timestamps_not_negotiated_missing_silent),
		cmocka_unit_test(test_tx_timestamps_missing_handshake_unseen_silent),
		cmocka_unit_test(test_tx_tsecr_without_ack_should_be_zero),
		cmocka_unit_test(test_tx_tsval_backwards_flagged),
		cmocka_unit_test(test_tx_tsval_backwards_same_ack_may_be_reordered),
		cmocka_unit_test(test_tx_tsval_wraps_forward_silent),
		cmocka_unit_test(test_tx_tsecr_backwards_flagged),
		cmocka_unit_test(test_tx_ts_order_forgotten_after_24_days_idle),
		cmocka_unit_test(test_tx_sack_without_permission_is_must),
		cmocka_unit_test(test_tx_sack_permission_unknown_silent),
		cmocka_unit_test(test_tx_sack_block_empty_flagged),
		cmocka_unit_test(test_tx_sack_block_below_ack_only_first_may),
		cmocka_unit_test(test_tx_invalid_arguments),
		cmocka_unit_test(test_tx_catalogue_levels),
	};

	return cmocka_run_group_tests_name("fsm_tx", tests, NULL, NULL);
}
