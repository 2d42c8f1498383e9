/* Unit tests: fsm_rx in ESTABLISHED (RFC 9293 3.10.7.4): the sequence
 * check and trimming, RST and SYN (RFC 5961 vs RFC 793), URG, text, FIN,
 * and sequence numbers across 2^32. The ACK field, windows, RFC 7323 and
 * unknown variables: test_fsm_established_ack.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fsm_fixture.h"

#define NXT (FX_IRS + 1) /* RCV.NXT in the fixture */
#define SND (FX_ISS + 1) /* SND.NXT in the fixture */

static void est(struct tcb *t, const char *prof)
{
	tcb_in_state(t, prof, TCP_ESTABLISHED);
}

/* --- first check: acceptability and trimming ----------------------------- */

static void test_fsm_est_data_in_order_delivered_and_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	s = seg_next(&t, F_ACK | F_PSH, 100);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (seventh check)");
	assert_int_equal(out.deliver_seq, NXT);
	assert_int_equal(out.deliver_len, 100);
	assert_int_equal(t.rcv_nxt, NXT + 100);
	/* RCV.NXT + RCV.WND is not reduced */
	assert_int_equal(t.rcv_wnd, FX_RCV_WND - 100);
	assert_reply(&out, SND, NXT + 100, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
	assert_no_findings(&out);
}

static void test_fsm_est_old_duplicate_data_acked_and_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT - 100, SND, 100);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_int_equal(t.rcv_nxt, NXT);
}

static void test_fsm_est_data_at_right_edge_not_acceptable(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT + FX_RCV_WND, SND, 10);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
}

static void test_fsm_est_data_at_last_window_byte_held(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT + FX_RCV_WND - 1, SND, 1);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_HOLD | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT + FX_RCV_WND - 1);
	assert_int_equal(out.deliver_len, 1);
}

static void test_fsm_est_data_straddling_left_edge_trimmed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT - 5, SND, 10);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT);
	assert_int_equal(out.deliver_len, 5);
	assert_int_equal(t.rcv_nxt, NXT + 5);
}

static void test_fsm_est_data_straddling_right_edge_trimmed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT, SND, FX_RCV_WND + 10);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	/* the text beyond the window and the FIN after it are cut off */
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_len, FX_RCV_WND);
	assert_int_equal(t.rcv_wnd, 0);
	assert_false(t.fin_rcvd);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_est_data_covering_whole_window_accepted(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT - 10, SND, FX_RCV_WND + 20);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT);
	assert_int_equal(out.deliver_len, FX_RCV_WND);
}

static void test_fsm_est_out_of_order_data_held_and_dup_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT + 100, SND, 50);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_HOLD | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (seventh check, SHLD-31)");
	assert_int_equal(out.deliver_seq, NXT + 100);
	assert_int_equal(out.deliver_len, 50);
	/* the duplicate ACK still asks for RCV.NXT; the FIN waits */
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_int_equal(t.rcv_nxt, NXT);
	assert_false(t.fin_rcvd);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_est_held_segment_fed_again_is_delivered(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg late = seg_make(F_ACK, NXT + 100, SND, 50);
	struct seg hole = seg_make(F_ACK, NXT, SND, 100);

	(void)state;
	est(&t, "rfc");
	rx(&t, &late, &out);
	assert_true(out.actions & FSM_ACT_HOLD);
	rx(&t, &hole, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	rx(&t, &late, &out); /* the caller feeds the held segment again */
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT + 100);
	assert_int_equal(t.rcv_nxt, NXT + 150);
}

static void test_fsm_est_empty_ack_at_rcv_nxt_takes_nothing_owes_nothing(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	s = seg_next(&t, F_ACK, 0);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_rule(&out, "RFC9293 3.10.7.4 (fifth check)");
}

static void test_fsm_est_empty_ack_before_rcv_nxt_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT - 1, SND, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
}

static void test_fsm_est_empty_ack_at_right_edge_not_acceptable(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT + FX_RCV_WND, SND, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);

	est(&t, "rfc");
	s.seq = NXT + FX_RCV_WND - 1;
	rx(&t, &s, &out);
	assert_actions(&out, 0);
}

static void test_fsm_est_zero_window_empty_segment_only_at_rcv_nxt(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, SND, 0);

	(void)state;
	est(&t, "rfc");
	t.rcv_wnd = 0;
	rx(&t, &s, &out);
	assert_actions(&out, 0);

	s.seq = NXT + 1;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
}

static void test_fsm_est_zero_window_probe_not_taken_but_ack_processed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.snd_nxt = t.snd_max = SND + 300;
	t.rcv_wnd = 0;
	s = seg_make(F_ACK, NXT, SND + 300, 1);
	rx(&t, &s, &out);
	/* the byte is not taken, the ACK is (MUST-66 allowance) */
	assert_actions(&out, FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (first check)");
	assert_int_equal(t.snd_una, SND + 300);
	assert_int_equal(t.rcv_nxt, NXT);
	assert_reply(&out, SND + 300, NXT, WIRE_TH_ACK);
}

static void test_fsm_est_zero_window_rst_at_rcv_nxt_resets(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT, 0, 0);

	(void)state;
	est(&t, "rfc");
	t.rcv_wnd = 0;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_est_data_without_ack_bit_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	s = seg_next(&t, F_PSH, 10);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_NO_ACK, "RFC9293 3.10.7.4 (fifth check)");
	assert_int_equal(t.rcv_nxt, NXT);
}

/* --- second check: RST --------------------------------------------------- */

static void test_fsm_est_rst_exact_resets_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT, 0, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check)");
	assert_state(&out, &t, TCP_CLOSED);
	assert_true(t.known & TCB_K_STATE);
}

static void test_fsm_est_rst_in_window_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT + 1, 0, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check), RFC5961 3.2");
	/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_est_rst_at_last_window_seq_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT + FX_RCV_WND - 1, 0, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
}

static void test_fsm_est_rst_out_of_window_dropped_silently(void **state)
{
	static const char *const profiles[] = {"rfc", "rfc793", "linux"};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct tcb t;
		struct fsm_out out;
		struct seg right = seg_make(F_RST, NXT + FX_RCV_WND, 0, 0);
		struct seg left = seg_make(F_RST | F_ACK, NXT - 1, SND, 0);

		est(&t, profiles[i]);
		rx(&t, &right, &out);
		assert_actions(&out, FSM_ACT_DROP);
		assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
		rx(&t, &left, &out);
		assert_actions(&out, FSM_ACT_DROP);
		assert_state(&out, &t, TCP_ESTABLISHED);
	}
}

static void test_fsm_est_rst_in_window_resets_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT + 500, 0, 0);

	(void)state;
	est(&t, "rfc793");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_est_rst_with_text_exact_resets(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST | F_ACK, NXT, SND, 30);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	/* SHLD-2: an RST may carry (diagnostic) text; it is not delivered */
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
}

/* --- fourth check: SYN --------------------------------------------------- */

static void test_fsm_est_syn_in_window_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, NXT + 3, 0, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check), RFC5961 4.2");
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_est_syn_out_of_window_acked(void **state)
{
	static const char *const profiles[] = {"rfc", "rfc793"};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct tcb t;
		struct fsm_out out;
		struct seg s = seg_make(F_SYN, NXT + 2 * FX_RCV_WND, 0, 0);

		est(&t, profiles[i]);
		rx(&t, &s, &out);
		/* the first check answers before the SYN is looked at */
		assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
		assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
		assert_state(&out, &t, TCP_ESTABLISHED);
	}
}

static void test_fsm_est_syn_in_window_resets_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, NXT + 3, 0, 0);

	(void)state;
	est(&t, "rfc793");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_dropped(&out, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
	assert_reply(&out, 0, NXT + 4, WIRE_TH_RST | WIRE_TH_ACK);
	assert_state(&out, &t, TCP_CLOSED);

	est(&t, "rfc793");
	s = seg_make(F_SYN | F_ACK, NXT, SND, 0);
	rx(&t, &s, &out);
	assert_reply(&out, SND, 0, WIRE_TH_RST);
}

static void test_fsm_est_old_syn_with_new_text_rfc793_processes_text(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, SND, 40);

	(void)state;
	est(&t, "rfc793");
	rx(&t, &s, &out);
	/* the SYN lies before RCV.NXT: trimmed, the text goes on */
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT);
	assert_int_equal(out.deliver_len, 40);
}

static void test_fsm_est_syn_ack_retransmission_reacked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, FX_IRS, SND, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	/* our ACK of the SYN,ACK was lost: it is sent again */
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_ESTABLISHED);
}

/* --- sixth and seventh checks: URG and text ------------------------------ */

static void test_fsm_est_urg_advances_rcv_up(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	s = seg_next(&t, F_ACK | F_URG, 10);
	s.up = 5;
	rx(&t, &s, &out);
	assert_int_equal(t.rcv_up, NXT + 5);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);

	/* RCV.UP <- max(RCV.UP, SEG.UP): an older pointer does not move it */
	s = seg_next(&t, F_ACK | F_URG, 0);
	s.seq = NXT + 10;
	s.up = 0;
	t.rcv_up = NXT + 50;
	rx(&t, &s, &out);
	assert_int_equal(t.rcv_up, NXT + 50);
}

/* --- eighth check: FIN --------------------------------------------------- */

static void test_fsm_est_fin_enters_close_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	s = seg_next(&t, F_ACK | F_FIN, 0);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (eighth check)");
	assert_state(&out, &t, TCP_CLOSE_WAIT);
	assert_true(t.fin_rcvd);
	assert_int_equal(t.peer_fin_seq, NXT);
	assert_reply(&out, SND, NXT + 1, WIRE_TH_ACK);
}

static void test_fsm_est_text_and_fin_delivered_then_close_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	s = seg_next(&t, F_ACK | F_FIN | F_PSH, 30);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_int_equal(out.deliver_len, 30);
	assert_int_equal(t.peer_fin_seq, NXT + 30);
	assert_reply(&out, SND, NXT + 31, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
}

static void test_fsm_est_fin_beyond_hole_held(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT + 10, SND, 0);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_HOLD | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT + 10);
	assert_int_equal(out.deliver_len, 0);
	assert_state(&out, &t, TCP_ESTABLISHED);
	assert_false(t.fin_rcvd);
}

static void test_fsm_est_fin_retransmitted_after_text_trimmed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT - 20, SND, 20);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	/* the old text is trimmed, the FIN at RCV.NXT is new */
	assert_actions(&out, FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
}

/* --- sequence numbers across 2^32 ---------------------------------------- */

static void test_fsm_est_wraparound_text_delivered_across_zero(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	tcb_in_state_at(&t, "rfc", TCP_ESTABLISHED, 0xfffffff0u, 0xffffffe0u);
	s = seg_next(&t, F_ACK, 0x40);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, 0xffffffe1u);
	assert_int_equal(t.rcv_nxt, 0x21);
	assert_reply(&out, 0xfffffff1u, 0x21, WIRE_TH_ACK);
}

static void test_fsm_est_wraparound_window_edges(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	/* RCV.NXT = 0xfffffff0, RCV.WND = 0x100: the window ends at 0xf0 */
	tcb_in_state_at(&t, "rfc", TCP_ESTABLISHED, 100, 0xffffffefu);
	t.rcv_wnd = 0x100;
	s = seg_make(F_ACK, 0xef, 101, 1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_HOLD | FSM_ACT_ACK);
	s.seq = 0xf0;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	s.seq = 0xffffffefu; /* just before RCV.NXT */
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	/* an RST just past the wrap, in the window: challenged */
	s = seg_make(F_RST, 0x5, 0, 0);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_est_data_in_order_delivered_and_acked),
		cmocka_unit_test(test_fsm_est_old_duplicate_data_acked_and_dropped),
		cmocka_unit_test(test_fsm_est_data_at_right_edge_not_acceptable),
		cmocka_unit_test(test_fsm_est_data_at_last_window_byte_held),
		cmocka_unit_test(test_fsm_est_data_straddling_left_edge_trimmed),
		cmocka_unit_test(test_fsm_est_data_straddling_right_edge_trimmed),
		cmocka_unit_test(test_fsm_est_data_covering_whole_window_accepted),
		cmocka_unit_test(test_fsm_est_out_of_order_data_held_and_dup_acked),
		cmocka_unit_test(test_fsm_est_held_segment_fed_again_is_delivered),
		cmocka_unit_test(test_fsm_est_empty_ack_at_rcv_nxt_takes_nothing_owes_nothing),
		cmocka_unit_test(test_fsm_est_empty_ack_before_rcv_nxt_acked),
		cmocka_unit_test(test_fsm_est_empty_ack_at_right_edge_not_acceptable),
		cmocka_unit_test(test_fsm_est_zero_window_empty_segment_only_at_rcv_nxt),
		cmocka_unit_test(test_fsm_est_zero_window_probe_not_taken_but_ack_processed),
		cmocka_unit_test(test_fsm_est_zero_window_rst_at_rcv_nxt_resets),
		cmocka_unit_test(test_fsm_est_data_without_ack_bit_dropped),
		cmocka_unit_test(test_fsm_est_rst_exact_resets_rfc5961),
		cmocka_unit_test(test_fsm_est_rst_in_window_challenged_rfc5961),
		cmocka_unit_test(test_fsm_est_rst_at_last_window_seq_challenged_rfc5961),
		cmocka_unit_test(test_fsm_est_rst_out_of_window_dropped_silently),
		cmocka_unit_test(test_fsm_est_rst_in_window_resets_rfc793),
		cmocka_unit_test(test_fsm_est_rst_with_text_exact_resets),
		cmocka_unit_test(test_fsm_est_syn_in_window_challenged_rfc5961),
		cmocka_unit_test(test_fsm_est_syn_out_of_window_acked),
		cmocka_unit_test(test_fsm_est_syn_in_window_resets_rfc793),
		cmocka_unit_test(test_fsm_est_old_syn_with_new_text_rfc793_processes_text),
		cmocka_unit_test(test_fsm_est_syn_ack_retransmission_reacked),
		cmocka_unit_test(test_fsm_est_urg_advances_rcv_up),
		cmocka_unit_test(test_fsm_est_fin_enters_close_wait),
		cmocka_unit_test(test_fsm_est_text_and_fin_delivered_then_close_wait),
		cmocka_unit_test(test_fsm_est_fin_beyond_hole_held),
		cmocka_unit_test(test_fsm_est_fin_retransmitted_after_text_trimmed),
		cmocka_unit_test(test_fsm_est_wraparound_text_delivered_across_zero),
		cmocka_unit_test(test_fsm_est_wraparound_window_edges),
	};

	return cmocka_run_group_tests_name("fsm_established", tests, NULL, NULL);
}
