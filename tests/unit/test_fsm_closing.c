/* Unit tests: fsm_rx in FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING,
 * LAST-ACK and TIME-WAIT (RFC 9293 3.10.7.4), RFC 1337 and RFC 5961 in
 * TIME-WAIT, the 2 MSL timer, whole close sequences, wraparound and
 * unknown variables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fsm_fixture.h"

/* The fixture's numbers: our FIN is at FX_ISS + 1, the peer's at FX_IRS + 1. */
#define OUR_FIN   (FX_ISS + 1)
#define PEER_FIN  (FX_IRS + 1)
#define NXT       (FX_IRS + 1) /* RCV.NXT before the peer's FIN */
#define NXT_FIN   (FX_IRS + 2) /* RCV.NXT after it */
#define SND_FIN   (FX_ISS + 2) /* SND.NXT after our FIN */

static tstamp two_msl(const char *prof)
{
	struct fsm_profile p;

	fx_profile(prof, &p);
	return 2 * TSTAMP_MS(p.msl_ms);
}

/* --- FIN-WAIT-1 ----------------------------------------------------------- */

static void test_fsm_fin_wait_1_ack_of_fin_enters_fin_wait_2(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_rule(&out, "RFC9293 3.10.7.4 (fifth check)");
	assert_state(&out, &t, TCP_FIN_WAIT_2);
	assert_int_equal(out.old_state, TCP_FIN_WAIT_1);
	assert_int_equal(t.snd_una, SND_FIN);
}

static void test_fsm_fin_wait_1_ack_short_of_fin_stays(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, OUR_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	t.snd_una = FX_ISS - 99; /* 100 bytes and the FIN outstanding */
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_state(&out, &t, TCP_FIN_WAIT_1);
	assert_int_equal(t.snd_una, OUR_FIN);
}

static void test_fsm_fin_wait_1_fin_without_ack_of_ours_enters_closing(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT, OUR_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (eighth check)");
	assert_state(&out, &t, TCP_CLOSING);
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
	assert_int_equal(t.time_wait_until, 0);
}

static void test_fsm_fin_wait_1_fin_acking_ours_enters_time_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	rx_at(&t, &s, FX_NOW + 3, &out);
	assert_actions(&out, FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_state(&out, &t, TCP_TIME_WAIT);
	assert_int_equal(t.time_wait_until, FX_NOW + 3 + two_msl("rfc"));
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
}

static void test_fsm_fin_wait_1_text_delivered(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_PSH, NXT, OUR_FIN, 64);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_int_equal(out.deliver_seq, NXT);
	assert_int_equal(out.deliver_len, 64);
	assert_reply(&out, SND_FIN, NXT + 64, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_FIN_WAIT_1);
}

static void test_fsm_fin_wait_1_rst_resets(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_fin_wait_1_unknown_fin_taken_as_not_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_1);
	t.fin_sent = false; /* the analyzer did not see our FIN */
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_CLOSING);
	assert_no_findings(&out);
}

static void test_fsm_fin_wait_1_fin_acked_across_wraparound(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	/* our FIN at 2^32 - 1, acknowledged by ACK 0 */
	tcb_in_state_at(&t, "rfc", TCP_FIN_WAIT_1, 0xfffffffeu, FX_IRS);
	assert_int_equal(t.fin_seq, 0xffffffffu);
	assert_int_equal(t.snd_nxt, 0);
	s = seg_make(F_ACK, NXT, 0, 0);
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_FIN_WAIT_2);
	assert_int_equal(t.snd_una, 0);
}

/* --- FIN-WAIT-2 ----------------------------------------------------------- */

static void test_fsm_fin_wait_2_fin_enters_time_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "linux", TCP_FIN_WAIT_2);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_state(&out, &t, TCP_TIME_WAIT);
	assert_int_equal(t.time_wait_until, FX_NOW + two_msl("linux"));
	assert_int_equal(two_msl("linux"), TSTAMP_MS(60000));
	assert_true(t.fin_rcvd);
	assert_int_equal(t.peer_fin_seq, PEER_FIN);
}

static void test_fsm_fin_wait_2_text_delivered_and_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT, SND_FIN, 500);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_2);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_ACK);
	assert_reply(&out, SND_FIN, NXT + 500, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_FIN_WAIT_2);
}

static void test_fsm_fin_wait_2_text_and_fin_enter_time_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT, SND_FIN, 500);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_2);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DELIVER | FSM_ACT_FIN_ACCEPTED | FSM_ACT_ACK);
	assert_reply(&out, SND_FIN, NXT + 501, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_TIME_WAIT);
}

static void test_fsm_fin_wait_2_out_of_window_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT + FX_RCV_WND + 1, SND_FIN, 10);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_FIN_WAIT_2);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
	assert_state(&out, &t, TCP_FIN_WAIT_2);
}

/* --- CLOSE-WAIT ----------------------------------------------------------- */

static void test_fsm_close_wait_fin_retransmission_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, PEER_FIN, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSE_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
	assert_reply(&out, FX_ISS + 1, NXT_FIN, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
}

static void test_fsm_close_wait_text_ignored(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, FX_ISS + 1, 10);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSE_WAIT);
	rx(&t, &s, &out);
	/* "This should not occur ... Ignore the segment text." */
	assert_actions(&out, 0);
	assert_int_equal(t.rcv_nxt, NXT_FIN);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
}

static void test_fsm_close_wait_second_fin_acked_state_kept(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, NXT_FIN, FX_ISS + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSE_WAIT);
	rx(&t, &s, &out);
	/* "Remain in the CLOSE-WAIT state"; the first FIN stays the FIN */
	assert_actions(&out, FSM_ACT_ACK);
	assert_rule(&out, "RFC9293 3.10.7.4 (eighth check)");
	assert_int_equal(t.peer_fin_seq, PEER_FIN);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
}

static void test_fsm_close_wait_ack_advances_snd_una(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, FX_ISS + 301, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSE_WAIT);
	t.snd_nxt = t.snd_max = FX_ISS + 401;
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_int_equal(t.snd_una, FX_ISS + 301);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
}

static void test_fsm_close_wait_rst_resets(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT_FIN, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSE_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RESET | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

/* --- CLOSING -------------------------------------------------------------- */

static void test_fsm_closing_ack_of_fin_enters_time_wait(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSING);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_state(&out, &t, TCP_TIME_WAIT);
	assert_int_equal(t.time_wait_until, FX_NOW + two_msl("rfc"));
}

static void test_fsm_closing_ack_short_of_fin_ignored(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, OUR_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSING);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_state(&out, &t, TCP_CLOSING);
}

static void test_fsm_closing_fin_retransmission_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, PEER_FIN, OUR_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSING);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_CLOSING);
}

static void test_fsm_closing_rst_closes_without_reset_signal(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT_FIN, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_CLOSING);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CLOSED);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check)");
	assert_state(&out, &t, TCP_CLOSED);
}

/* --- LAST-ACK ------------------------------------------------------------- */

static void test_fsm_last_ack_ack_of_fin_closes(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LAST_ACK);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_CLOSED);
	assert_rule(&out, "RFC9293 3.10.7.4 (fifth check)");
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_last_ack_ack_short_of_fin_stays(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, OUR_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LAST_ACK);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_state(&out, &t, TCP_LAST_ACK);
}

static void test_fsm_last_ack_fin_retransmission_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, PEER_FIN, OUR_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LAST_ACK);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_LAST_ACK);
}

static void test_fsm_last_ack_rst_closes(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT_FIN, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc793", TCP_LAST_ACK);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_last_ack_ack_beyond_snd_nxt_by_profile(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, SND_FIN + 1, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_LAST_ACK);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_dropped(&out, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check), RFC5961 5.2");
	assert_state(&out, &t, TCP_LAST_ACK);

	tcb_in_state(&t, "rfc793", TCP_LAST_ACK);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_BAD_ACK, "RFC9293 3.10.7.4 (fifth check)");
	assert_state(&out, &t, TCP_LAST_ACK);
}

/* --- TIME-WAIT ------------------------------------------------------------ */

static void test_fsm_time_wait_fin_retransmission_reacked_timer_restarted(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, PEER_FIN, SND_FIN, 0);
	tstamp later = FX_NOW + TSTAMP_MS(30000);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	rx_at(&t, &s, later, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK | FSM_ACT_TW_RESTART);
	assert_rule(&out, "RFC9293 3.10.7.4 (fifth check, TIME-WAIT)");
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
	assert_int_equal(t.time_wait_until, later + two_msl("rfc"));
	assert_state(&out, &t, TCP_TIME_WAIT);
}

static void test_fsm_time_wait_fin_with_text_retransmission_reacked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK | F_FIN, PEER_FIN - 100, SND_FIN, 100);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK | FSM_ACT_TW_RESTART);
}

static void test_fsm_time_wait_other_old_segment_acked_timer_kept(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, PEER_FIN - 100, SND_FIN, 50);
	tstamp until;

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	until = t.time_wait_until;
	rx_at(&t, &s, FX_NOW + 10, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_int_equal(t.time_wait_until, until);
}

static void test_fsm_time_wait_ack_in_window_owes_nothing(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_ACK, NXT_FIN, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, 0);
	assert_state(&out, &t, TCP_TIME_WAIT);
}

static void test_fsm_time_wait_rst_ignored_rfc1337(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT_FIN, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	assert_true(t.prof.rfc1337);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_dropped(&out, FSM_DROP_RST, "RFC1337 3 (F1)");
	assert_state(&out, &t, TCP_TIME_WAIT);
}

static void test_fsm_time_wait_rst_closes_rfc793(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT_FIN + 7, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc793", TCP_TIME_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CLOSED);
	assert_dropped(&out, FSM_DROP_RST, "RFC9293 3.10.7.4 (second check)");
	assert_state(&out, &t, TCP_CLOSED);
	assert_int_equal(t.time_wait_until, 0);
}

static void test_fsm_time_wait_rst_linux_profile_rfc5961_rules(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg inexact = seg_make(F_RST, NXT_FIN + 7, 0, 0);
	struct seg exact = seg_make(F_RST, NXT_FIN, 0, 0);

	(void)state;
	/* Linux: RFC 5961 on, RFC 1337 off */
	tcb_in_state(&t, "linux", TCP_TIME_WAIT);
	rx(&t, &inexact, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
	assert_state(&out, &t, TCP_TIME_WAIT);
	rx(&t, &exact, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CLOSED);
	assert_state(&out, &t, TCP_CLOSED);
}

static void test_fsm_time_wait_assumed_state_rst_no_challenge(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_RST, NXT_FIN + 7, 0, 0);

	(void)state;
	tcb_in_state(&t, "linux", TCP_TIME_WAIT);
	t.known &= ~TCB_K_STATE;
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP);
	assert_no_findings(&out);
}

static void test_fsm_time_wait_new_syn_owes_nothing(void **state)
{
	static const char *const profiles[] = {"rfc", "rfc793", "linux"};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct tcb t;
		struct fsm_out out;
		struct seg s = seg_make(F_SYN, NXT_FIN + 100000, 0, 0);

		tcb_in_state(&t, profiles[i], TCP_TIME_WAIT);
		rx(&t, &s, &out);
		/* MAY-2: a new incarnation; no challenge ACK, no RST expected */
		assert_actions(&out, FSM_ACT_DROP);
		assert_dropped(&out, FSM_DROP_TIME_WAIT, "RFC9293 3.6.1 (MAY-2)");
		assert_state(&out, &t, TCP_TIME_WAIT);
	}
}

static void test_fsm_time_wait_new_syn_with_newer_timestamp(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	tcb_with_ts(&t, 5000);
	/* below RCV.NXT, but a newer TSval (RFC 6191) */
	s = seg_with_ts(seg_make(F_SYN, FX_IRS - 1000, 0, 0), 6000, 0);
	rx(&t, &s, &out);
	assert_dropped(&out, FSM_DROP_TIME_WAIT, "RFC9293 3.6.1 (MAY-2)");
	assert_actions(&out, FSM_ACT_DROP);
}

static void test_fsm_time_wait_old_syn_acked(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN, FX_IRS - 1000, 0, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_NOT_ACCEPTABLE, "RFC9293 3.10.7.4 (first check)");
	assert_reply(&out, SND_FIN, NXT_FIN, WIRE_TH_ACK);
}

static void test_fsm_time_wait_syn_ack_in_window_challenged(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s = seg_make(F_SYN | F_ACK, NXT_FIN + 5, SND_FIN, 0);

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
	assert_state(&out, &t, TCP_TIME_WAIT);
}

static void test_fsm_time_wait_paws_rejects_old_timestamp(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	tcb_in_state(&t, "rfc", TCP_TIME_WAIT);
	tcb_with_ts(&t, 5000);
	s = seg_with_ts(seg_make(F_ACK, NXT_FIN, SND_FIN, 0), 4000, 0);
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
	assert_dropped(&out, FSM_DROP_PAWS, "RFC7323 5.3 (R1)");
}

static void test_fsm_time_wait_lasts_two_msl_of_profile(void **state)
{
	(void)state;
	assert_int_equal(two_msl("rfc"), TSTAMP_MS(240000));
	assert_int_equal(two_msl("rfc793"), TSTAMP_MS(240000));
	assert_int_equal(two_msl("linux"), TSTAMP_MS(60000));
}

/* --- SYN and RST across the closing states, by profile -------------------- */

static void test_fsm_closing_states_syn_by_profile(void **state)
{
	static const enum tcp_state states[] = {
		TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct tcb t;
		struct fsm_out out;
		struct seg s;

		tcb_in_state(&t, "rfc", states[i]);
		s = seg_make(F_SYN, t.rcv_nxt + 10, 0, 0);
		rx(&t, &s, &out);
		assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
		assert_state(&out, &t, states[i]);
		assert_reply(&out, t.snd_nxt, t.rcv_nxt, WIRE_TH_ACK);

		tcb_in_state(&t, "rfc793", states[i]);
		rx(&t, &s, &out);
		assert_actions(&out, FSM_ACT_DROP | FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED);
		assert_reply(&out, 0, s.seq + 1, WIRE_TH_RST | WIRE_TH_ACK);
		assert_state(&out, &t, TCP_CLOSED);
		assert_no_findings(&out);
	}
}

static void test_fsm_closing_states_rst_in_window_by_profile(void **state)
{
	static const enum tcp_state states[] = {
		TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct tcb t;
		struct fsm_out out;
		struct seg s;

		tcb_in_state(&t, "rfc", states[i]);
		s = seg_make(F_RST, t.rcv_nxt + 10, 0, 0);
		rx(&t, &s, &out);
		assert_actions(&out, FSM_ACT_DROP | FSM_ACT_CHALLENGE_ACK);
		assert_state(&out, &t, states[i]);

		tcb_in_state(&t, "rfc793", states[i]);
		rx(&t, &s, &out);
		assert_true(out.actions & FSM_ACT_CLOSED);
		assert_false(out.actions & (FSM_ACT_ACK | FSM_ACT_CHALLENGE_ACK | FSM_ACT_RST));
		assert_state(&out, &t, TCP_CLOSED);
	}
}

/* --- whole close sequences ------------------------------------------------ */

/* RFC 9293 Figure 12, both sides. */
static void test_fsm_normal_close_sequence(void **state)
{
	struct tcb a, b;
	struct fsm_out out;
	struct seg s;

	(void)state;
	/* A closed first: FIN-WAIT-1. B receives A's FIN. */
	tcb_in_state_at(&a, "rfc", TCP_FIN_WAIT_1, 100, 300);
	tcb_in_state_at(&b, "rfc", TCP_ESTABLISHED, 300, 100);
	s = seg_make(F_FIN | F_ACK, 101, 301, 0);
	rx(&b, &s, &out);
	assert_state(&out, &b, TCP_CLOSE_WAIT);
	assert_reply(&out, 301, 102, WIRE_TH_ACK);

	/* A receives B's ACK: FIN-WAIT-2 */
	s = seg_make(F_ACK, 301, 102, 0);
	rx(&a, &s, &out);
	assert_state(&out, &a, TCP_FIN_WAIT_2);

	/* B closes: LAST-ACK with its FIN at 301 (as fsm_user/fsm_tx would) */
	b.state = TCP_LAST_ACK;
	b.fin_sent = true;
	b.fin_seq = 301;
	b.snd_nxt = b.snd_max = 302;
	s = seg_make(F_FIN | F_ACK, 301, 102, 0);
	rx(&a, &s, &out);
	assert_state(&out, &a, TCP_TIME_WAIT);
	assert_reply(&out, 102, 302, WIRE_TH_ACK);

	/* B receives A's last ACK: CLOSED */
	s = seg_make(F_ACK, 102, 302, 0);
	rx(&b, &s, &out);
	assert_actions(&out, FSM_ACT_CLOSED);
	assert_state(&out, &b, TCP_CLOSED);
}

/* RFC 9293 Figure 13: both close at once. */
static void test_fsm_simultaneous_close_sequence(void **state)
{
	struct tcb a;
	struct fsm_out out;
	struct seg s;

	(void)state;
	tcb_in_state_at(&a, "rfc", TCP_FIN_WAIT_1, 100, 300);
	/* B's FIN, not acknowledging A's */
	s = seg_make(F_FIN | F_ACK, 301, 101, 0);
	rx(&a, &s, &out);
	assert_state(&out, &a, TCP_CLOSING);
	assert_reply(&out, 102, 302, WIRE_TH_ACK);
	/* B's ACK of A's FIN */
	s = seg_make(F_ACK, 302, 102, 0);
	rx(&a, &s, &out);
	assert_state(&out, &a, TCP_TIME_WAIT);
}

static void test_fsm_close_wait_peer_fin_across_wraparound(void **state)
{
	struct tcb t;
	struct fsm_out out;
	struct seg s;

	(void)state;
	/* the peer's FIN is its sequence number 2^32 - 1 */
	tcb_in_state_at(&t, "rfc", TCP_ESTABLISHED, FX_ISS, 0xfffffffeu);
	s = seg_next(&t, F_ACK | F_FIN, 0);
	assert_int_equal(s.seq, 0xffffffffu);
	rx(&t, &s, &out);
	assert_state(&out, &t, TCP_CLOSE_WAIT);
	assert_int_equal(t.rcv_nxt, 0);
	assert_reply(&out, FX_ISS + 1, 0, WIRE_TH_ACK);
	/* and its retransmission is recognised across the wrap */
	rx(&t, &s, &out);
	assert_actions(&out, FSM_ACT_DROP | FSM_ACT_ACK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_fin_wait_1_ack_of_fin_enters_fin_wait_2),
		cmocka_unit_test(test_fsm_fin_wait_1_ack_short_of_fin_stays),
		cmocka_unit_test(test_fsm_fin_wait_1_fin_without_ack_of_ours_enters_closing),
		cmocka_unit_test(test_fsm_fin_wait_1_fin_acking_ours_enters_time_wait),
		cmocka_unit_test(test_fsm_fin_wait_1_text_delivered),
		cmocka_unit_test(test_fsm_fin_wait_1_rst_resets),
		cmocka_unit_test(test_fsm_fin_wait_1_unknown_fin_taken_as_not_acked),
		cmocka_unit_test(test_fsm_fin_wait_1_fin_acked_across_wraparound),
		cmocka_unit_test(test_fsm_fin_wait_2_fin_enters_time_wait),
		cmocka_unit_test(test_fsm_fin_wait_2_text_delivered_and_acked),
		cmocka_unit_test(test_fsm_fin_wait_2_text_and_fin_enter_time_wait),
		cmocka_unit_test(test_fsm_fin_wait_2_out_of_window_acked),
		cmocka_unit_test(test_fsm_close_wait_fin_retransmission_acked),
		cmocka_unit_test(test_fsm_close_wait_text_ignored),
		cmocka_unit_test(test_fsm_close_wait_second_fin_acked_state_kept),
		cmocka_unit_test(test_fsm_close_wait_ack_advances_snd_una),
		cmocka_unit_test(test_fsm_close_wait_rst_resets),
		cmocka_unit_test(test_fsm_closing_ack_of_fin_enters_time_wait),
		cmocka_unit_test(test_fsm_closing_ack_short_of_fin_ignored),
		cmocka_unit_test(test_fsm_closing_fin_retransmission_acked),
		cmocka_unit_test(test_fsm_closing_rst_closes_without_reset_signal),
		cmocka_unit_test(test_fsm_last_ack_ack_of_fin_closes),
		cmocka_unit_test(test_fsm_last_ack_ack_short_of_fin_stays),
		cmocka_unit_test(test_fsm_last_ack_fin_retransmission_acked),
		cmocka_unit_test(test_fsm_last_ack_rst_closes),
		cmocka_unit_test(test_fsm_last_ack_ack_beyond_snd_nxt_by_profile),
		cmocka_unit_test(test_fsm_time_wait_fin_retransmission_reacked_timer_restarted),
		cmocka_unit_test(test_fsm_time_wait_fin_with_text_retransmission_reacked),
		cmocka_unit_test(test_fsm_time_wait_other_old_segment_acked_timer_kept),
		cmocka_unit_test(test_fsm_time_wait_ack_in_window_owes_nothing),
		cmocka_unit_test(test_fsm_time_wait_rst_ignored_rfc1337),
		cmocka_unit_test(test_fsm_time_wait_rst_closes_rfc793),
		cmocka_unit_test(test_fsm_time_wait_rst_linux_profile_rfc5961_rules),
		cmocka_unit_test(test_fsm_time_wait_assumed_state_rst_no_challenge),
		cmocka_unit_test(test_fsm_time_wait_new_syn_owes_nothing),
		cmocka_unit_test(test_fsm_time_wait_new_syn_with_newer_timestamp),
		cmocka_unit_test(test_fsm_time_wait_old_syn_acked),
		cmocka_unit_test(test_fsm_time_wait_syn_ack_in_window_challenged),
		cmocka_unit_test(test_fsm_time_wait_paws_rejects_old_timestamp),
		cmocka_unit_test(test_fsm_time_wait_lasts_two_msl_of_profile),
		cmocka_unit_test(test_fsm_closing_states_syn_by_profile),
		cmocka_unit_test(test_fsm_closing_states_rst_in_window_by_profile),
		cmocka_unit_test(test_fsm_normal_close_sequence),
		cmocka_unit_test(test_fsm_simultaneous_close_sequence),
		cmocka_unit_test(test_fsm_close_wait_peer_fin_across_wraparound),
	};

	return cmocka_run_group_tests_name("fsm_closing", tests, NULL, NULL);
}
