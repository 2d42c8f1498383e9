/* Unit tests: fsm_rx in SYN-RECEIVED (RFC 9293 3.10.7.4), passive and
 * active, and a whole passive open across sequence number 2^32. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fsm_fixture.h"

/* --- SYN-RECEIVED (3.10.7.4) ---------------------------------------------- */

static void test_fsm_syn_received_ack_establishes(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	s.wnd = 3000;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED);
	assert_rule(&out, "RFC9293 3.10.7.4 (fifth check)");
	assert_state(&out, &t, TCP_ESTABLISHED);
	assert_int_equal(t.snd_una, FX_ISS + 1);
	assert_int_equal(t.snd_wnd, 3000);
	assert_int_equal(t.snd_wl1, FX_IRS + 1);
	assert_int_equal(t.snd_wl2, FX_ISS + 1);
	assert_no_findings(&out);
}

static void test_fsm_syn_received_ack_window_scaled(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	tcb_with_wscale(&t, 7, 2);
	s.wnd = 100;
	rx(&t, &s, &out);
	/* RFC 7323 2.3: the first non-SYN window is shifted */
	assert_int_equal(t.snd_wnd, 100u << 7);
}

static void test_fsm_syn_received_ack_of_iss_answered_with_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, FX_ISS, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_dropped(&out, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check)");
	assert_reply(&out, FX_ISS, 0, WIRE_TH_RST);
	assert_state(&out, &t, TCP_SYN_RECEIVED);
}

static void test_fsm_syn_received_ack_beyond_snd_nxt_answered_with_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, FX_ISS + 100, 0);

	(void)state;
	tcb_in_state(&t, "rfc793", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST);
	assert_reply(&out, FX_ISS + 100, 0, WIRE_TH_RST);
}

static void test_fsm_syn_received_passive_rst_returns_to_listen(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, FX_IRS + 1, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	/* "The user need not be informed." */
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check)");
	assert_state(&out, &t, TCP_LISTEN);
	assert_int_equal(t.known, TCB_K_STATE);
	assert_false(t.passive_open);
	assert_int_equal(t.prof.rfc5961, true);
}

static void test_fsm_syn_received_active_rst_refused(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, FX_IRS + 1, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	t.passive_open = false;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_syn_received_rst_in_window_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, FX_IRS + 10, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check), RFC5961 3.2");
	assert_reply(&out, FX_ISS + 1, FX_IRS + 1, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_SYN_RECEIVED);
}

static void test_fsm_syn_received_rst_in_window_resets_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, FX_IRS + 10, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc793", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_state(&out, &t, TCP_LISTEN);
}

static void test_fsm_syn_received_dup_syn_resends_syn_ack(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	t.peer_syn_seq = FX_IRS;
	t.peer_syn_opts = 0;
	s.sack_ok = true; /* options OR-ed over the SYNs with one ISN */
	rx(&t, &s, &out);
	assert_int_equal(t.peer_syn_opts, TCB_SYNOPT_SACK);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_SYN_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
	assert_reply(&out, FX_ISS, FX_IRS + 1, WIRE_TH_SYN | WIRE_TH_ACK);
	assert_state(&out, &t, TCP_SYN_RECEIVED);
}

static void test_fsm_syn_received_passive_other_syn_returns_to_listen(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS + 5, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
	assert_state(&out, &t, TCP_LISTEN);
}

static void test_fsm_syn_received_active_syn_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS + 5, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	t.passive_open = false;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check), RFC5961 4.2");
	assert_state(&out, &t, TCP_SYN_RECEIVED);
}

static void test_fsm_syn_received_active_syn_in_window_resets_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS + 5, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc793", TCP_SYN_RECEIVED);
	t.passive_open = false;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_reply(&out, 0, FX_IRS + 6, WIRE_TH_RST | WIRE_TH_ACK);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_syn_received_ack_with_data_delivered(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_PSH, FX_IRS + 1, FX_ISS + 1, 200);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (seventh check)");
	assert_int_equal(out.deliver_seq, FX_IRS + 1);
	assert_int_equal(out.deliver_len, 200);
	assert_reply(&out, FX_ISS + 1, FX_IRS + 201, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_syn_received_ack_with_fin_enters_close_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, FX_IRS + 1, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (eighth check)");
	assert_state(&out, &t, TCP_CLOSE_WAIT);
	assert_reply(&out, FX_ISS + 1, FX_IRS + 2, WIRE_TH_ACK);
}

static void test_fsm_syn_received_segment_without_ack_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_PSH, FX_IRS + 1, 0, 10);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_NO_ACK, "RFC9293 3.10.7.4 (fifth check)");
	assert_state(&out, &t, TCP_SYN_RECEIVED);
}

static void test_fsm_syn_received_out_of_window_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1 + FX_RCV_WND, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
	assert_reply(&out, FX_ISS + 1, FX_IRS + 1, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_SYN_RECEIVED);
}

static void test_fsm_syn_received_unknown_snd_establishes_state_assumed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, FX_IRS + 1, 0x7777, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_SYN_RECEIVED);
	t.known &= ~(TCB_K_SND | TCB_K_ISS);
	rx(&t, &s, &out);
	assert_false(out.actions & FSM_ACT_RST);
	assert_state(&out, &t, TCP_ESTABLISHED);
	assert_false(t.known & TCB_K_STATE);
	assert_int_equal(t.snd_una, 0x7777); /* learned */
	assert_no_findings(&out);
}

/* The whole passive open across sequence number 2^32. */
static void test_fsm_handshake_passive_open_across_wraparound(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, 0xfffffff8u, 0, 0);
	uint32_t iss = 0xfffffffeu;

	(void)state;
	tcb_in_state_at(&t, "rfc", TCP_LISTEN, iss, 0);
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_SYN_RECEIVED);
	assert_reply(&out, iss, 0xfffffff9u, WIRE_TH_SYN | WIRE_TH_ACK);
	assert_int_equal(t.snd_nxt, 0xffffffffu);

	/* the third ACK, with 20 bytes running across 2^32 */
	s = seg_make(F_ACK, 0xfffffff9u, 0xffffffffu, 20);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_OPENED | FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, 0xfffffff9u);
	assert_int_equal(out.deliver_len, 20);
	assert_int_equal(t.rcv_nxt, 13);
	assert_reply(&out, 0xffffffffu, 13, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_syn_received_ack_establishes),
		cmocka_unit_test(test_fsm_syn_received_ack_window_scaled),
		cmocka_unit_test(test_fsm_syn_received_ack_of_iss_answered_with_rst),
		cmocka_unit_test(test_fsm_syn_received_ack_beyond_snd_nxt_answered_with_rst),
		cmocka_unit_test(test_fsm_syn_received_passive_rst_returns_to_listen),
		cmocka_unit_test(test_fsm_syn_received_active_rst_refused),
		cmocka_unit_test(test_fsm_syn_received_rst_in_window_challenged_rfc5961),
		cmocka_unit_test(test_fsm_syn_received_rst_in_window_resets_rfc793),
		cmocka_unit_test(test_fsm_syn_received_dup_syn_resends_syn_ack),
		cmocka_unit_test(test_fsm_syn_received_passive_other_syn_returns_to_listen),
		cmocka_unit_test(test_fsm_syn_received_active_syn_challenged_rfc5961),
		cmocka_unit_test(test_fsm_syn_received_active_syn_in_window_resets_rfc793),
		cmocka_unit_test(test_fsm_syn_received_ack_with_data_delivered),
		cmocka_unit_test(test_fsm_syn_received_ack_with_fin_enters_close_wait),
		cmocka_unit_test(test_fsm_syn_received_segment_without_ack_dropped),
		cmocka_unit_test(test_fsm_syn_received_out_of_window_acked),
		cmocka_unit_test(test_fsm_syn_received_unknown_snd_establishes_state_assumed),
		cmocka_unit_test(test_fsm_handshake_passive_open_across_wraparound),
	};

	return cmocka_run_group_tests_name("fsm_syn_received", tests, NULL, NULL);
}
