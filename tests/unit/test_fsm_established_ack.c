/* Unit tests: fsm_rx in ESTABLISHED (RFC 9293 3.10.7.4), the fifth check:
 * SND.UNA and "ACK of something not yet sent", RFC 5961 5.2's range,
 * the send window (RFC 7323 2, SND.WL1/WL2, MAX.SND.WND), PAWS and
 * TS.Recent (RFC 7323 4.3, 5), and unknown variables: learn or pass,
 * never report. */
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

/* --- fifth check: ACK ---------------------------------------------------- */

static void test_fsm_est_ack_advances_snd_una(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.snd_nxt = t.snd_max = SND + 1000;
	s = seg_make(F_ACK, NXT, SND + 400, 0);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_int_equal(t.snd_una, SND + 400);
}

static void test_fsm_est_duplicate_ack_ignored(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.snd_una = SND + 400;
	t.snd_nxt = t.snd_max = SND + 1000;
	s = seg_make(F_ACK, NXT, SND + 100, 0);
	s.wnd = 1;
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_int_equal(t.snd_una, SND + 400);
	assert_int_equal(t.snd_wnd, FX_SND_WND); /* an old ACK updates no window */
}

static void test_fsm_est_ack_beyond_snd_nxt_acked_and_dropped_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, SND + 1, 20);

	(void)state;
	est(&t, "rfc793");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check)");
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_int_equal(t.rcv_nxt, NXT); /* the text is not taken */
	assert_no_findings(&out);
}

static void test_fsm_est_ack_beyond_snd_nxt_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, SND + 1, 20);

	(void)state;
	est(&t, "rfc");
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check), RFC5961 5.2");
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_no_findings(&out);
}

static void test_fsm_est_ack_below_max_snd_wnd_challenged_rfc5961(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.snd_una = t.snd_nxt = t.snd_max = SND + 100000;
	s = seg_make(F_ACK, NXT, SND + 100000 - FX_SND_WND - 1, 10);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check), RFC5961 5.2");

	/* exactly SND.UNA - MAX.SND.WND is still acceptable (a duplicate) */
	s.ack = SND + 100000 - FX_SND_WND;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
}

static void test_fsm_est_ack_very_old_rfc793_ignored_text_taken(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc793");
	t.snd_una = t.snd_nxt = t.snd_max = SND + 100000;
	s = seg_make(F_ACK, NXT, SND, 10);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(t.snd_una, SND + 100000);
}

static void test_fsm_est_unknown_max_snd_wnd_uses_largest_window(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_wscale(&t, 14, 14);
	t.known &= ~TCB_K_MAX_SND_WND;
	t.snd_una = t.snd_nxt = t.snd_max = SND + 0x10000000u;
	/* older than what we ever saw, but within 65535 << 14 */
	s = seg_make(F_ACK, NXT, SND + 0x10000000u - 0x100000u, 0);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	/* older than any window can be */
	s.ack = SND + 0x10000000u - 0x40000000u;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);

	/* without window scaling no window is larger than 65535 */
	est(&t, "rfc");
	t.known &= ~TCB_K_MAX_SND_WND;
	t.snd_una = t.snd_nxt = t.snd_max = SND + 0x10000000u;
	s.ack = SND + 0x10000000u - 0xffff;
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	s.ack = SND + 0x10000000u - 0x10000;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
}

static void test_fsm_est_ack_up_to_snd_max_after_rewind_accepted(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	/* a retransmission went back to SND.UNA; data up to snd_max was sent */
	t.snd_max = SND + 500;
	t.snd_nxt = SND + 100;
	s = seg_make(F_ACK, NXT, SND + 500, 0);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_int_equal(t.snd_una, SND + 500);
	assert_int_equal(t.snd_nxt, SND + 500);
}

static void test_fsm_est_wraparound_ack_advances(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	tcb_in_state_at(&t, "rfc", TCP_ESTABLISHED, 0xfffffff0u, FX_IRS);
	t.snd_nxt = t.snd_max = 0x200; /* 0x210 bytes sent */
	s = seg_make(F_ACK, FX_IRS + 1, 0x100, 0);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_int_equal(t.snd_una, 0x100);
	s.ack = 0x201;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
}

/* --- the send window ----------------------------------------------------- */

static void test_fsm_est_window_update_scaled(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_wscale(&t, 7, 7);
	s = seg_next(&t, F_ACK, 0);
	s.wnd = 1000;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_wnd, 1000u << 7);
	assert_int_equal(t.max_snd_wnd, 1000u << 7);
	assert_int_equal(t.snd_wl1, NXT);
	assert_int_equal(t.snd_wl2, SND);
	/* the highest right edge offered, for fsm_tx */
	assert_int_equal(t.snd_edge_max, SND + (1000u << 7));
}

static void test_fsm_est_window_not_scaled_without_both_options(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.ws_rcvd = true; /* the peer offered, we did not */
	t.snd_shift = 7;
	s = seg_next(&t, F_ACK, 0);
	s.wnd = 1000;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_wnd, 1000);
}

static void test_fsm_est_window_update_from_old_segment_ignored(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.snd_wl1 = NXT + 50; /* a later segment already set the window */
	s = seg_make(F_ACK, NXT, SND, 0);
	s.wnd = 7;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_wnd, FX_SND_WND);
}

static void test_fsm_est_window_update_same_seq_newer_ack(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.snd_nxt = t.snd_max = SND + 10;
	s = seg_make(F_ACK, NXT, SND + 10, 0);
	s.wnd = 7;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_wnd, 7);
	assert_int_equal(t.snd_wl2, SND + 10);
	/* the max is the largest window ever given */
	assert_int_equal(t.max_snd_wnd, FX_SND_WND);
}

static void test_fsm_est_window_update_same_seq_older_ack_ignored(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	/* WL2 beyond this ACK: the window came from a segment with the same
	 * seq and a newer ack (the rule as RFC 9293 writes it; in a TCB kept
	 * by fsm_rx alone SND.UNA would be there too) */
	t.snd_nxt = t.snd_max = SND + 10;
	t.snd_wl2 = SND + 10;
	s = seg_make(F_ACK, NXT, SND + 5, 0);
	s.wnd = 7;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_wnd, FX_SND_WND);
	assert_int_equal(t.snd_wl2, SND + 10);
}

/* --- RFC 7323: PAWS and TS.Recent ---------------------------------------- */

static void test_fsm_est_paws_old_tsval_acked_and_dropped(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_next(&t, F_ACK, 100), 999, 1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_PAWS, "RFC7323 5.3 (R1)");
	assert_reply(&out, SND, NXT, WIRE_TH_ACK);
	assert_int_equal(t.rcv_nxt, NXT);
	assert_no_findings(&out);
}

static void test_fsm_est_paws_equal_tsval_accepted(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_next(&t, F_ACK, 100), 1000, 1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
}

static void test_fsm_est_paws_not_applied_to_rst(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_make(F_RST, NXT, 0, 0), 5, 0);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_int_equal(t.ts_recent, 1000); /* nor does it update TS.Recent */
}

static void test_fsm_est_paws_off_in_profile(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.prof.paws = false;
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_next(&t, F_ACK, 100), 999, 1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
}

static void test_fsm_est_paws_without_negotiated_timestamps_not_applied(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	t.ts_sent = false;
	s = seg_with_ts(seg_next(&t, F_ACK, 100), 999, 1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(t.ts_recent, 1000);
}

static void test_fsm_est_paws_ts_recent_invalid_after_24_days_idle(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;
	tstamp later = FX_NOW + (tstamp)25 * 24 * 3600 * 1000000000;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_next(&t, F_ACK, 10), 5, 1); /* older than TS.Recent */
	rx_at(&t, &s, later, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(t.ts_recent, 5);
	assert_int_equal(t.ts_recent_age, later);

	/* within 24 days the same segment is rejected */
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	rx_at(&t, &s, FX_NOW + (tstamp)23 * 24 * 3600 * 1000000000, &out);
	assert_dropped(&out, FSM_DROP_PAWS, "RFC7323 5.3 (R1)");
}

static void test_fsm_est_paws_tsval_wraparound_is_newer(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 0xfffffff0u);
	s = seg_with_ts(seg_next(&t, F_ACK, 10), 0x10, 1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(t.ts_recent, 0x10);
}

static void test_fsm_est_ts_recent_updated_by_in_order_segment(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_next(&t, F_ACK, 10), 2000, 1);
	rx_at(&t, &s, FX_NOW + 7, &out);
	assert_int_equal(t.ts_recent, 2000);
	assert_int_equal(t.ts_recent_age, FX_NOW + 7);
}

static void test_fsm_est_ts_recent_not_updated_beyond_last_ack_sent(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	/* out of order: SEG.SEQ > Last.ACK.sent */
	s = seg_with_ts(seg_make(F_ACK, NXT + 100, SND, 10), 2000, 1);
	rx(&t, &s, &out);
	assert_true(out.actions & FSM_ACT_HOLD);
	assert_int_equal(t.ts_recent, 1000);

	/* delayed ACK: RCV.NXT moved, Last.ACK.sent did not */
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	t.rcv_nxt = NXT + 100;
	s = seg_with_ts(seg_make(F_ACK, NXT + 100, SND, 10), 2000, 1);
	rx(&t, &s, &out);
	assert_true(out.actions & FSM_ACT_DELIVER);
	assert_int_equal(t.ts_recent, 1000);
}

static void test_fsm_est_ts_recent_falls_back_to_rcv_nxt(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	tcb_with_ts(&t, 1000);
	t.known &= ~TCB_K_LAST_ACK;
	t.rcv_nxt = NXT + 100;
	s = seg_with_ts(seg_make(F_ACK, NXT + 100, SND, 10), 2000, 1);
	rx(&t, &s, &out);
	assert_int_equal(t.ts_recent, 2000);
}

static void test_fsm_est_ts_recent_never_moves_back_without_paws(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.prof.paws = false;
	tcb_with_ts(&t, 1000);
	s = seg_with_ts(seg_next(&t, F_ACK, 10), 999, 1);
	rx(&t, &s, &out);
	assert_true(out.actions & FSM_ACT_DELIVER);
	/* "If SEG.TSval >= TS.Recent and ..." */
	assert_int_equal(t.ts_recent, 1000);
}

/* --- unknown variables: learn, or pass, never report ---------------------- */

static void test_fsm_est_unknown_rcv_learned_from_text(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, 777777, SND, 10);

	(void)state;
	est(&t, "rfc");
	t.known &= ~(TCB_K_STATE | TCB_K_RCV | TCB_K_RCV_WND);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, 777777);
	assert_int_equal(t.rcv_nxt, 777787);
	assert_true(t.known & TCB_K_RCV);
	assert_no_findings(&out);
}

static void test_fsm_est_unknown_rcv_empty_ack_passes_untested(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, 123, SND, 0);

	(void)state;
	est(&t, "rfc");
	t.known &= ~TCB_K_RCV;
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_false(t.known & TCB_K_RCV);
}

static void test_fsm_est_unknown_rcv_rst_taken_as_reset_state_assumed(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, 0xabcdef, 0, 0);

	(void)state;
	est(&t, "rfc");
	t.known &= ~TCB_K_RCV;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
	assert_false(t.known & TCB_K_STATE);
}

static void test_fsm_est_unknown_window_rst_beyond_rcv_nxt_no_challenge(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT + 5, 0, 0);

	(void)state;
	est(&t, "rfc");
	t.known &= ~TCB_K_RCV_WND;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check), RFC5961 3.2");
	assert_state(&out, &t, TCP_ESTABLISHED);

	/* RFC 793: taken as in the window, the state a guess */
	est(&t, "rfc793");
	t.known &= ~TCB_K_RCV_WND;
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_CLOSED);
	assert_false(t.known & TCB_K_STATE);
}

static void test_fsm_est_assumed_state_owes_no_challenge(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg rst = seg_make(F_RST, NXT + 1, 0, 0);
	struct seg syn = seg_make(F_SYN, NXT + 1, 0, 0);
	struct seg ack = seg_make(F_ACK, NXT, SND + 5000, 0);

	(void)state;
	est(&t, "rfc");
	t.known &= ~TCB_K_STATE;
	rx(&t, &rst, &out);
	assert_actions(&out, FSM_ACT_DROP);
	rx(&t, &syn, &out);
	assert_actions(&out, FSM_ACT_DROP);
	rx(&t, &ack, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_state(&out, &t, TCP_ESTABLISHED);
	assert_no_findings(&out);
}

static void test_fsm_est_unknown_window_syn_no_reset_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, NXT + 5, 0, 0);

	(void)state;
	est(&t, "rfc793");
	t.known &= ~TCB_K_RCV_WND;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_SYN, "RFC9293 3.10.7.4 (fourth check)");
	assert_state(&out, &t, TCP_ESTABLISHED);
}

static void test_fsm_est_unknown_snd_ack_not_judged(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, SND + 0x40000000u, 0);

	(void)state;
	est(&t, "rfc");
	t.known &= ~TCB_K_SND;
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_int_equal(t.snd_una, SND + 0x40000000u); /* learned */
	assert_no_findings(&out);
}

static void test_fsm_est_unknown_scale_window_not_known(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	est(&t, "rfc");
	t.known &= ~(TCB_K_OPTS | TCB_K_SND_WND);
	s = seg_next(&t, F_ACK, 0);
	s.wnd = 555;
	rx(&t, &s, &out);
	assert_int_equal(t.snd_wnd, 555);
	assert_false(t.known & TCB_K_SND_WND);
	assert_false(t.known & TCB_K_MAX_SND_WND);
}

/* fsm_rx in ESTABLISHED finds no sender at fault for any of these. */
static void test_fsm_est_no_findings_for_any_segment_kind(void **state)
{
	static const uint8_t flags[] = {
		F_ACK, F_ACK | F_PSH, F_ACK | F_FIN, F_RST, F_RST | F_ACK, F_SYN,
		F_SYN | F_ACK, F_PSH, F_ACK | F_URG, 0,
	};
	static const int32_t offs[] = {-20000, -1, 0, 1, FX_RCV_WND - 1, FX_RCV_WND, 90000};
	static const char *const profiles[] = {"rfc", "rfc793", "linux"};

	(void)state;
	for (size_t p = 0; p < 3; p++)
		for (size_t f = 0; f < sizeof(flags); f++)
			for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
				struct tcb t;
				struct fsm_out out;
				struct seg s;

				est(&t, profiles[p]);
				s = seg_make(flags[f], NXT + (uint32_t)offs[o], SND, 10);
				rx(&t, &s, &out);
				assert_no_findings(&out);
				assert_non_null(out.rule);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_est_ack_advances_snd_una),
		cmocka_unit_test(test_fsm_est_duplicate_ack_ignored),
		cmocka_unit_test(test_fsm_est_ack_beyond_snd_nxt_acked_and_dropped_rfc793),
		cmocka_unit_test(test_fsm_est_ack_beyond_snd_nxt_challenged_rfc5961),
		cmocka_unit_test(test_fsm_est_ack_below_max_snd_wnd_challenged_rfc5961),
		cmocka_unit_test(test_fsm_est_ack_very_old_rfc793_ignored_text_taken),
		cmocka_unit_test(test_fsm_est_unknown_max_snd_wnd_uses_largest_window),
		cmocka_unit_test(test_fsm_est_ack_up_to_snd_max_after_rewind_accepted),
		cmocka_unit_test(test_fsm_est_wraparound_ack_advances),
		cmocka_unit_test(test_fsm_est_window_update_scaled),
		cmocka_unit_test(test_fsm_est_window_not_scaled_without_both_options),
		cmocka_unit_test(test_fsm_est_window_update_from_old_segment_ignored),
		cmocka_unit_test(test_fsm_est_window_update_same_seq_newer_ack),
		cmocka_unit_test(test_fsm_est_window_update_same_seq_older_ack_ignored),
		cmocka_unit_test(test_fsm_est_paws_old_tsval_acked_and_dropped),
		cmocka_unit_test(test_fsm_est_paws_equal_tsval_accepted),
		cmocka_unit_test(test_fsm_est_paws_not_applied_to_rst),
		cmocka_unit_test(test_fsm_est_paws_off_in_profile),
		cmocka_unit_test(test_fsm_est_paws_without_negotiated_timestamps_not_applied),
		cmocka_unit_test(test_fsm_est_paws_ts_recent_invalid_after_24_days_idle),
		cmocka_unit_test(test_fsm_est_paws_tsval_wraparound_is_newer),
		cmocka_unit_test(test_fsm_est_ts_recent_updated_by_in_order_segment),
		cmocka_unit_test(test_fsm_est_ts_recent_not_updated_beyond_last_ack_sent),
		cmocka_unit_test(test_fsm_est_ts_recent_falls_back_to_rcv_nxt),
		cmocka_unit_test(test_fsm_est_ts_recent_never_moves_back_without_paws),
		cmocka_unit_test(test_fsm_est_unknown_rcv_learned_from_text),
		cmocka_unit_test(test_fsm_est_unknown_rcv_empty_ack_passes_untested),
		cmocka_unit_test(test_fsm_est_unknown_rcv_rst_taken_as_reset_state_assumed),
		cmocka_unit_test(test_fsm_est_unknown_window_rst_beyond_rcv_nxt_no_challenge),
		cmocka_unit_test(test_fsm_est_assumed_state_owes_no_challenge),
		cmocka_unit_test(test_fsm_est_unknown_window_syn_no_reset_rfc793),
		cmocka_unit_test(test_fsm_est_unknown_snd_ack_not_judged),
		cmocka_unit_test(test_fsm_est_unknown_scale_window_not_known),
		cmocka_unit_test(test_fsm_est_no_findings_for_any_segment_kind),
	};

	return cmocka_run_group_tests_name("fsm_established_ack", tests, NULL, NULL);
}
