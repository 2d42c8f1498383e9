/* stats: Zeek conn_state and history, tcptrace-style per-direction
 * statistics (unique/retransmitted bytes, RTT with Karn, windows,
 * throughput, idle time), handshake RTT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define MS(x) TSTAMP_MS(x)

static void seg_send(struct stats_conn *c, int dir, uint8_t fl, uint32_t seq, uint32_t ack,
		     uint32_t len, uint16_t wnd, tstamp ts, unsigned sflags, int64_t wscaled,
		     bool bad)
{
	struct seg s;

	memset(&s, 0, sizeof(s));
	s.seq = seq;
	s.ack = ack;
	s.flags = fl;
	s.wnd = wnd;
	s.len = len;
	s.csum_ok = !bad;
	stats_segment(c, dir, &s, ts, sflags, wscaled, bad);
}

/* Plain segment, window 65535 with a known scale. */
static void tx(struct stats_conn *c, int dir, uint8_t fl, uint32_t seq, uint32_t ack,
	       uint32_t len, tstamp ts)
{
	seg_send(c, dir, fl, seq, ack, len, 65535, ts, 0, 65535, false);
}

#define S WIRE_TH_SYN
#define A WIRE_TH_ACK
#define F WIRE_TH_FIN
#define R WIRE_TH_RST
#define P WIRE_TH_PSH

/* A tiny script of segments, one per token, 1 ms apart:
 *   <dir><flags>[:len][r][w][x]
 * flags from S A F R P; sequence numbers follow each side's next
 * sequence number (ISN 1000 and 5000) and ACKs the peer's; 'r' resends
 * the direction's previous segment, 'w' advertises a zero window, 'x'
 * has a bad checksum (not advancing either). */
struct script {
	struct stats_conn c;
	uint32_t nxt[2], prev[2];
	tstamp t;
};

static void script_init(struct script *sc)
{
	memset(sc, 0, sizeof(*sc));
	stats_conn_init(&sc->c);
	sc->nxt[0] = 1000;
	sc->nxt[1] = 5000;
}

static void script_run(struct script *sc, const char *text)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", text);
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		int dir = tok[0] - '0';
		uint8_t fl = 0;
		uint32_t len = 0, seq;
		bool resend = false, zero = false, bad = false;
		const char *p = tok + 1;

		assert_true(dir == 0 || dir == 1);
		for (; *p && *p != ':' && !strchr("rwx", *p); p++) {
			switch (*p) {
			case 'S': fl |= S; break;
			case 'A': fl |= A; break;
			case 'F': fl |= F; break;
			case 'R': fl |= R; break;
			case 'P': fl |= P; break;
			default: fail_msg("bad flag in %s", tok);
			}
		}
		if (*p == ':')
			len = (uint32_t)strtoul(p + 1, (char **)&p, 10);
		for (; *p; p++) {
			resend |= *p == 'r';
			zero |= *p == 'w';
			bad |= *p == 'x';
		}
		seq = resend ? sc->prev[dir] : sc->nxt[dir];
		seg_send(&sc->c, dir, fl, seq, (fl & A) ? sc->nxt[!dir] : 0, len,
			 zero ? 0 : 65535, sc->t, 0, zero ? 0 : 65535, bad);
		if (!resend && !bad) {
			sc->prev[dir] = seq;
			sc->nxt[dir] = seq + ((fl & R) ? 0 : len) + !!(fl & S) + !!(fl & F);
		}
		sc->t += MS(1);
	}
}

static void check_script(const char *text, const char *history, enum stats_conn_state st)
{
	struct script sc;

	script_init(&sc);
	script_run(&sc, text);
	assert_string_equal(sc.c.history, history);
	assert_string_equal(stats_conn_state_name(stats_conn_state(&sc.c)),
			    stats_conn_state_name(st));
}

static int count_char(const char *s, char ch)
{
	int n = 0;

	for (; *s; s++)
		n += *s == ch;
	return n;
}

/* --- conn_state, one per Zeek state --- */

static void test_stats_state_s0_syn_unanswered(void **state)
{
	(void)state;
	check_script("0S", "S", CONN_S0);
	check_script("0S 0Sr 0Sr", "S", CONN_S0);	/* SYN retries, same seq */
}

static void test_stats_state_s1_established_not_closed(void **state)
{
	(void)state;
	check_script("0S 1SA 0A", "ShA", CONN_S1);
}

static void test_stats_state_sf_data_both_ways(void **state)
{
	(void)state;
	check_script("0S 1SA 0A 0PA:100 1A 1PA:50 0A 0FA 1FA 0A", "ShADadFf", CONN_SF);
}

static void test_stats_state_rej_syn_answered_by_rst(void **state)
{
	(void)state;
	check_script("0S 1RA", "Sr", CONN_REJ);
	/* both reset with no bytes either way is still a rejection */
	check_script("0S 1RA 0R", "SrR", CONN_REJ);
}

static void test_stats_state_s2_s3_half_closed(void **state)
{
	(void)state;
	check_script("0S 1SA 0A 0FA", "ShAF", CONN_S2);
	check_script("0S 1SA 0A 1FA", "ShAf", CONN_S3);
}

static void test_stats_state_rsto_rstr_after_establishment(void **state)
{
	(void)state;
	check_script("0S 1SA 0A 0RA", "ShAR", CONN_RSTO);
	check_script("0S 1SA 0A 0PA:10 1RA", "ShADr", CONN_RSTR);
}

static void test_stats_state_rstos0_needs_syn_then_rst_only(void **state)
{
	(void)state;
	check_script("0S 0R", "SR", CONN_RSTOS0);
	/* an ACK between them breaks main.zeek's ^?S[^HAFGIQ]*R */
	check_script("0S 0A 0R", "SAR", CONN_OTH);
}

static void test_stats_state_rstrh_synack_then_rst_without_syn(void **state)
{
	(void)state;
	/* first packet from the responder: Zeek flipped at creation */
	check_script("1SA 1RA", "^hr", CONN_RSTRH);
}

static void test_stats_state_sh_shr_fin_after_half_handshake(void **state)
{
	(void)state;
	check_script("0S 0F", "SF", CONN_SH);
	check_script("1SA 1FA", "^hf", CONN_SHR);
}

static void test_stats_state_oth_midstream(void **state)
{
	(void)state;
	check_script("0A:100 1A:50 0A:100", "Dd", CONN_OTH);
}

static void test_stats_state_names_cover_every_state(void **state)
{
	static const char *names[] = { "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO",
		"RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH" };

	(void)state;
	for (int i = CONN_S0; i <= CONN_OTH; i++)
		assert_string_equal(stats_conn_state_name((enum stats_conn_state)i), names[i]);
}

/* SYN-ACK seen before its SYN: Zeek swaps the roles and logs '^'. */
static void test_stats_synack_before_syn_flips_roles(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, S | A, 7000, 1001, 0, MS(0));
	tx(&c, 1, S, 1000, 0, 0, MS(1));
	tx(&c, 1, A, 1001, 7001, 0, MS(2));
	assert_string_equal(c.history, "Hs^A");
	assert_int_equal(stats_zeek_orig(&c), 1);
	assert_int_equal(stats_conn_state(&c), CONN_S1);
	/* an explicit flip gives the letters' case back to direction 0 */
	stats_conn_flip(&c);
	tx(&c, 0, A, 7001, 1001, 10, MS(3));
	assert_string_equal(c.history, "Hs^A^D");
	assert_int_equal(stats_zeek_orig(&c), 0);
}

/* --- history letters and repeat rules --- */

static void test_stats_history_multi_flag_letters(void **state)
{
	(void)state;
	check_script("0SF", "Q", CONN_SH);
	/* a SYN+RST still "answers" the SYN for Zeek: reset, not rejected */
	check_script("0S 1SR", "Sq", CONN_RSTR);
	check_script("0S 1SA 0A 0FR 0FR", "ShAI", CONN_RSTO);
}

static void test_stats_history_syn_fin_rst_repeat_on_new_seq_only(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, S, 1000, 0, 0, MS(0));
	tx(&c, 0, S, 1000, 0, 0, MS(1));	/* same seq: no letter */
	tx(&c, 0, S, 9000, 0, 0, MS(2));	/* Zeek renumbers from it: same relative seq */
	tx(&c, 0, R, 9001, 0, 0, MS(3));
	tx(&c, 0, S, 20000, 0, 0, MS(4));	/* after an RST it keeps numbering: new seq */
	tx(&c, 0, R, 20001, 0, 0, MS(5));
	tx(&c, 0, R, 20001, 0, 0, MS(6));
	assert_string_equal(c.history, "SRSR");
	assert_int_equal(stats_conn_state(&c), CONN_RSTOS0);
	/* data and pure ACKs are logged once */
	check_script("0S 1SA 0A 0PA:10 0PA:10 0A 0A", "ShAD", CONN_S1);
	/* a FIN retransmitted at the same end is not */
	check_script("0S 1SA 0A 0FA 0FAr", "ShAF", CONN_S2);
}

static void test_stats_history_retransmissions_scale_by_ten(void **state)
{
	struct script sc;

	(void)state;
	script_init(&sc);
	script_run(&sc, "0S 1SA 0A 1PA:10");
	for (int i = 0; i < 9; i++)
		script_run(&sc, "1PA:10r");
	assert_string_equal(sc.c.history, "ShAdt");	/* 1st */
	script_run(&sc, "1PA:10r");
	assert_string_equal(sc.c.history, "ShAdtt");	/* 10th */
	for (int i = 0; i < 89; i++)
		script_run(&sc, "1PA:10r");
	assert_int_equal(count_char(sc.c.history, 't'), 2);
	script_run(&sc, "1PA:10r");
	assert_int_equal(count_char(sc.c.history, 't'), 3);	/* 100th */
	script_run(&sc, "0PA:5 0PA:5r");
	assert_int_equal(count_char(sc.c.history, 'T'), 1);
}

static void test_stats_history_zero_windows_scale_by_ten(void **state)
{
	struct script sc;

	(void)state;
	script_init(&sc);
	script_run(&sc, "0S 1SA 0A");
	for (int i = 0; i < 10; i++)
		script_run(&sc, "1A:0w");
	assert_string_equal(sc.c.history, "ShAaww");
	/* after the peer's FIN a zero window is not news */
	script_init(&sc);
	script_run(&sc, "0S 1SA 0A 0FA 1A:0w");
	assert_string_equal(sc.c.history, "ShAFa");
}

static void test_stats_history_bad_checksums_scale_and_drop(void **state)
{
	struct script sc;

	(void)state;
	script_init(&sc);
	script_run(&sc, "0S");
	for (int i = 0; i < 10; i++)
		script_run(&sc, "1SAx");
	assert_string_equal(sc.c.history, "Scc");
	assert_int_equal(stats_conn_state(&sc.c), CONN_S0);	/* never seen */
	assert_int_equal(sc.c.dir[1].pkts, 10);
	assert_int_equal(sc.c.dir[1].bad_csum_pkts, 10);
	assert_int_equal(sc.c.dir[1].syns, 0);
}

static void test_stats_history_gaps_scale_and_count_missed_bytes(void **state)
{
	struct script sc;
	struct seg s;

	(void)state;
	script_init(&sc);
	script_run(&sc, "0S 1SA 0A");
	for (int i = 0; i < 10; i++)
		stats_gap(&sc.c, 0, 100);
	assert_string_equal(sc.c.history, "ShAGG");
	assert_int_equal(sc.c.dir[0].missed_bytes, 1000);
	memset(&s, 0, sizeof(s));
	s.flags = A;
	s.seq = 5001;
	s.ack = 1001;
	s.wnd = 100;
	stats_segment(&sc.c, 1, &s, MS(9), STATS_F_GAP, 100, false);
	assert_string_equal(sc.c.history, "ShAGGag");
}

static void test_stats_history_truncated_when_full(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	/* SYN, RST, SYN ... at new sequence numbers: a letter each */
	for (uint32_t i = 0; i < 30; i++) {
		tx(&c, 0, S, 1000 + i * 100, 0, 0, MS(i));
		tx(&c, 0, R, 1001 + i * 100, 0, 0, MS(i));
	}
	assert_int_equal(c.history_len, STATS_HISTORY_MAX);
	assert_int_equal(strlen(c.history), STATS_HISTORY_MAX);
	assert_true(c.history_truncated);
}

/* --- Zeek byte counts and duration --- */

static void test_stats_zeek_bytes_and_duration_exclude_final_ack(void **state)
{
	struct script sc;

	(void)state;
	script_init(&sc);
	script_run(&sc, "0S 1SA 0A 0PA:100 1A 1PA:50 0A 0FA 1FA 0A");
	assert_int_equal(stats_zeek_bytes(&sc.c, 0), 100);
	assert_int_equal(stats_zeek_bytes(&sc.c, 1), 50);
	assert_int_equal(stats_zeek_duration(&sc.c), MS(8));	/* not the last ACK */
	assert_int_equal(stats_duration(&sc.c), MS(9));

	/* Zeek counts what was acknowledged, even if never captured */
	script_init(&sc);
	script_run(&sc, "0A:100");
	seg_send(&sc.c, 1, A, 5000, 1300, 0, 65535, MS(5), 0, 65535, false);
	assert_int_equal(stats_zeek_bytes(&sc.c, 0), 300);
	assert_int_equal(sc.c.dir[0].unique_bytes, 100);
}

/* --- tcptrace-style byte accounting --- */

static void test_stats_unique_vs_retransmitted_bytes(void **state)
{
	struct stats_conn c;
	const struct stats_dir *d = &c.dir[0];

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 1000, 1, 1000, MS(0));
	tx(&c, 0, A, 1500, 1, 1000, MS(1));	/* 500 old, 500 new */
	tx(&c, 0, A, 1000, 1, 500, MS(2));	/* all old */
	assert_int_equal(d->bytes, 2500);
	assert_int_equal(d->unique_bytes, 1500);
	assert_int_equal(d->retrans_bytes, 1000);
	assert_int_equal(d->retrans_pkts, 2);
	assert_int_equal(d->data_pkts, 3);
	assert_int_equal(d->max_seg, 1000);
	assert_int_equal(d->min_seg, 500);
}

static void test_stats_out_of_order_fill_is_unique(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 2000, 1, 1000, MS(0));
	tx(&c, 0, A, 4000, 1, 1000, MS(1));	/* hole 3000..4000 */
	seg_send(&c, 0, A, 3000, 1, 1000, 65535, MS(2), STATS_F_OUT_OF_ORDER, 65535, false);
	assert_int_equal(c.dir[0].unique_bytes, 3000);
	assert_int_equal(c.dir[0].retrans_bytes, 0);
	assert_int_equal(c.dir[0].out_of_order_pkts, 1);
	/* the same segment without the flag is a retransmission */
	tx(&c, 0, A, 3000, 1, 1000, MS(3));
	assert_int_equal(c.dir[0].retrans_bytes, 1000);
}

static void test_stats_zero_window_probe_is_neither_unique_nor_retrans(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 1000, 5000, 100, MS(0));
	seg_send(&c, 1, A, 5000, 1100, 0, 0, MS(1), 0, 0, false);	/* window 0 */
	tx(&c, 0, A, 1100, 5000, 1, MS(2));				/* probe */
	assert_int_equal(c.dir[0].zwnd_probe_pkts, 1);
	assert_int_equal(c.dir[0].zwnd_probe_bytes, 1);
	assert_int_equal(c.dir[0].unique_bytes, 100);
	assert_int_equal(c.dir[0].retrans_bytes, 0);
	assert_int_equal(c.dir[1].zero_win_adv, 1);
	tx(&c, 1, A, 5000, 1100, 0, MS(3));	/* window opens */
	tx(&c, 0, A, 1100, 5000, 50, MS(4));
	assert_int_equal(c.dir[0].unique_bytes, 150);
}

static void test_stats_rst_payload_is_not_stream_data(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, R | A, 1000, 1, 20, MS(0));
	assert_int_equal(c.dir[0].bytes, 0);
	assert_int_equal(c.dir[0].unique_bytes, 0);
	assert_int_equal(c.dir[0].rsts, 1);
	assert_int_equal(c.dir[0].ack_pkts, 1);
	assert_int_equal(c.dir[0].pure_acks, 0);
}

/* --- RTT --- */

static void test_stats_rtt_one_sample_per_ack_newest_covered(void **state)
{
	struct stats_conn c;
	const struct stats_rtt *r = &c.dir[0].rtt;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 1000, 1, 100, MS(0));
	tx(&c, 0, A, 1100, 1, 100, MS(5));
	tx(&c, 1, A, 1, 1200, 0, MS(25));	/* covers both */
	assert_int_equal(r->n, 1);
	assert_int_equal(r->min, MS(20));
	assert_int_equal(r->max, MS(20));
	assert_int_equal(c.dir[0].ring_n, 0);
	tx(&c, 1, A, 1, 1200, 0, MS(30));	/* duplicate: nothing left */
	assert_int_equal(r->n, 1);
	/* an ACK short of a segment's end does not time it */
	tx(&c, 0, A, 1200, 1, 100, MS(40));
	tx(&c, 1, A, 1, 1250, 0, MS(45));
	assert_int_equal(r->n, 1);
	tx(&c, 1, A, 1, 1300, 0, MS(50));
	assert_int_equal(r->n, 2);
	assert_int_equal(r->min, MS(10));
	assert_int_equal(r->max, MS(20));
}

static void test_stats_rtt_karn_skips_retransmitted_segment(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 1000, 1, 100, MS(0));
	tx(&c, 0, A, 1000, 1, 100, MS(200));	/* retransmission */
	tx(&c, 1, A, 1, 1100, 0, MS(210));
	assert_int_equal(c.dir[0].rtt.n, 0);
	assert_int_equal(c.dir[0].rtt_ambiguous, 1);
}

static void test_stats_rtt_karn_skips_segments_acked_with_a_retransmission(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 1000, 1, 100, MS(0));
	tx(&c, 0, A, 1100, 1, 100, MS(1));	/* sent once, but ... */
	tx(&c, 0, A, 1000, 1, 100, MS(300));	/* ... its ACK waits for this */
	tx(&c, 1, A, 1, 1200, 0, MS(310));
	assert_int_equal(c.dir[0].rtt.n, 0);
	tx(&c, 0, A, 1200, 1, 100, MS(320));	/* new data is timed again */
	tx(&c, 1, A, 1, 1300, 0, MS(330));
	assert_int_equal(c.dir[0].rtt.n, 1);
	assert_int_equal(c.dir[0].rtt.min, MS(10));
}

static void test_stats_rtt_across_sequence_wraparound(void **state)
{
	struct stats_conn c;
	const uint32_t base = 0xffffff00u;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, base, 1, 0x80, MS(0));
	tx(&c, 0, A, base + 0x80, 1, 0x100, MS(1));	/* ends at 0x80 */
	tx(&c, 1, A, 1, base + 0x80, 0, MS(11));
	tx(&c, 1, A, 1, 0x80, 0, MS(13));
	assert_int_equal(c.dir[0].rtt.n, 2);
	assert_int_equal(c.dir[0].rtt.min, MS(11));
	assert_int_equal(c.dir[0].rtt.max, MS(12));
	assert_int_equal(c.dir[0].unique_bytes, 0x180);
	tx(&c, 0, A, base + 0x80, 1, 0x100, MS(20));	/* below high across the wrap */
	assert_int_equal(c.dir[0].retrans_bytes, 0x100);
	assert_int_equal(c.dir[0].unique_bytes, 0x180);
}

static void test_stats_rtt_full_ring_drops_oldest(void **state)
{
	struct stats_conn c;
	const unsigned extra = 8;

	(void)state;
	stats_conn_init(&c);
	for (unsigned i = 0; i < STATS_RTT_RING + extra; i++)
		tx(&c, 0, A, 1000 + i * 10, 1, 10, MS(i));
	assert_int_equal(c.dir[0].ring_n, STATS_RTT_RING);
	assert_int_equal(c.dir[0].rtt_dropped, extra);
	tx(&c, 1, A, 1, 1000 + 10, 0, MS(100));	/* its segment was dropped */
	assert_int_equal(c.dir[0].rtt.n, 0);
	tx(&c, 1, A, 1, 1000 + (extra + 1) * 10, 0, MS(100));
	assert_int_equal(c.dir[0].rtt.n, 1);
	assert_int_equal(c.dir[0].rtt.min, MS(100 - extra));
}

static void test_stats_rtt_avg_and_stdev_as_tcptrace(void **state)
{
	struct stats_rtt r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_true(stats_rtt_avg_ns(&r) == 0.0);
	r.n = 2;
	r.sum = (double)MS(30);
	r.sumsq = (double)MS(10) * MS(10) + (double)MS(20) * MS(20);
	assert_true(stats_rtt_stdev_ns(&r) == 0.0);	/* tcptrace: n <= 2 */
	r.n = 3;
	r.sum = (double)MS(60);
	r.sumsq += (double)MS(30) * MS(30);
	assert_true(fabs(stats_rtt_avg_ns(&r) - (double)MS(20)) < 1.0);
	assert_true(fabs(stats_rtt_stdev_ns(&r) - (double)MS(10)) < 1.0);
}

static void test_stats_rtt_syn_is_timed_by_synack(void **state)
{
	struct script sc;

	(void)state;
	script_init(&sc);
	script_run(&sc, "0S 1SA 0A");
	assert_int_equal(sc.c.dir[0].rtt.n, 1);	/* SYN -> SYN-ACK */
	assert_int_equal(sc.c.dir[1].rtt.n, 1);	/* SYN-ACK -> ACK */
}

/* --- handshake --- */

static void test_stats_handshake_rtt_syn_to_completing_ack(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	assert_int_equal(stats_handshake_rtt(&c), -1);
	tx(&c, 0, S, 1000, 0, 0, MS(0));
	tx(&c, 1, S | A, 5000, 1001, 0, MS(30));
	assert_int_equal(stats_handshake_rtt(&c), -1);
	tx(&c, 0, A, 1001, 5001, 0, MS(31));
	assert_int_equal(stats_handshake_rtt(&c), MS(31));
	assert_int_equal(stats_syn_rtt(&c), MS(30));
	assert_int_equal(stats_synack_rtt(&c), MS(1));
}

static void test_stats_handshake_rtt_unknown_after_syn_retransmission(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, S, 1000, 0, 0, MS(0));
	tx(&c, 0, S, 1000, 0, 0, MS(1000));
	tx(&c, 1, S | A, 5000, 1001, 0, MS(1030));
	tx(&c, 0, A, 1001, 5001, 0, MS(1031));
	assert_int_equal(stats_syn_rtt(&c), -1);
	assert_int_equal(stats_handshake_rtt(&c), -1);
	assert_int_equal(stats_synack_rtt(&c), MS(1));
}

/* --- windows, throughput, idle time --- */

static void test_stats_window_min_avg_max_skip_unknown_scale(void **state)
{
	struct stats_conn c;
	const struct stats_dir *d = &c.dir[1];

	(void)state;
	stats_conn_init(&c);
	seg_send(&c, 1, A, 1, 1000, 0, 1000, MS(0), 0, 1000, false);
	seg_send(&c, 1, A, 1, 1000, 0, 0, MS(1), 0, 0, false);
	seg_send(&c, 1, A, 1, 1000, 0, 3000, MS(2), 0, 3000, false);
	seg_send(&c, 1, A, 1, 1000, 0, 9, MS(3), 0, -1, false);	/* scale unknown */
	seg_send(&c, 1, R, 1, 0, 0, 0, MS(4), 0, 99999, false);	/* RST: not counted */
	assert_int_equal(d->win_min, 1000);	/* zeros ignored */
	assert_int_equal(d->win_max, 3000);
	assert_int_equal(d->win_n, 3);
	assert_true(fabs(stats_win_avg(d) - 4000.0 / 3.0) < 1e-9);
	assert_int_equal(d->zero_win_adv, 1);
}

static void test_stats_throughput_unique_bytes_over_duration(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	assert_true(stats_throughput(&c, 0) == 0.0);
	tx(&c, 0, A, 1000, 1, 1000, MS(0));
	assert_true(stats_throughput(&c, 0) == 0.0);	/* no duration yet */
	tx(&c, 0, A, 1000, 1, 1000, MS(1000));		/* retransmission */
	tx(&c, 1, A, 1, 2000, 0, MS(2000));
	assert_true(fabs(stats_throughput(&c, 0) - 500.0) < 1e-9);
	assert_true(stats_throughput(&c, 1) == 0.0);
	assert_true(stats_throughput(&c, 2) == 0.0);
}

static void test_stats_idle_time_is_longest_gap_per_direction(void **state)
{
	struct stats_conn c;

	(void)state;
	stats_conn_init(&c);
	tx(&c, 0, A, 1000, 1, 0, MS(0));
	tx(&c, 1, A, 1, 1000, 0, MS(500));
	tx(&c, 0, A, 1000, 1, 0, MS(1000));
	tx(&c, 0, A, 1000, 1, 0, MS(4000));
	tx(&c, 0, A, 1000, 1, 0, MS(3500));	/* capture out of order */
	assert_int_equal(c.dir[0].max_idle, MS(3000));
	assert_int_equal(c.dir[1].max_idle, 0);
	assert_int_equal(c.dir[0].first_ts, MS(0));
	assert_int_equal(c.dir[0].last_ts, MS(4000));
	assert_int_equal(stats_duration(&c), MS(4000));
}

static void test_stats_counts_flags_acks_and_mss(void **state)
{
	struct script sc;
	struct seg s;

	(void)state;
	script_init(&sc);
	memset(&s, 0, sizeof(s));
	s.flags = S;
	s.seq = 999;
	s.has_mss = true;
	s.mss = 1460;
	s.wnd = 1000;
	stats_segment(&sc.c, 0, &s, 0, 0, 1000, false);
	script_run(&sc, "1SA 0A 0PA:10 1A 1FA 0FA 1A");
	assert_int_equal(sc.c.dir[0].mss, 1460);
	assert_int_equal(sc.c.dir[0].syns, 1);
	assert_int_equal(sc.c.dir[0].fins, 1);
	assert_int_equal(sc.c.dir[0].pure_acks, 1);
	assert_int_equal(sc.c.dir[0].ack_pkts, 3);
	assert_int_equal(sc.c.dir[1].pure_acks, 2);
	assert_int_equal(sc.c.dir[0].pkts, 4);
	assert_true(sc.c.syn[0] && sc.c.synack[1] && sc.c.data[0] && !sc.c.data[1]);
	assert_string_equal(sc.c.history, "ShADafF");
	assert_int_equal(stats_conn_state(&sc.c), CONN_SF);
}

static void test_stats_ignores_invalid_direction(void **state)
{
	struct stats_conn c;
	struct seg s;

	(void)state;
	stats_conn_init(&c);
	memset(&s, 0, sizeof(s));
	stats_segment(&c, 2, &s, 0, 0, 0, false);
	stats_gap(&c, -1, 10);
	assert_false(c.started);
	assert_int_equal(c.history_len, 0);
	assert_int_equal(stats_zeek_bytes(&c, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_state_s0_syn_unanswered),
		cmocka_unit_test(test_stats_state_s1_established_not_closed),
		cmocka_unit_test(test_stats_state_sf_data_both_ways),
		cmocka_unit_test(test_stats_state_rej_syn_answered_by_rst),
		cmocka_unit_test(test_stats_state_s2_s3_half_closed),
		cmocka_unit_test(test_stats_state_rsto_rstr_after_establishment),
		cmocka_unit_test(test_stats_state_rstos0_needs_syn_then_rst_only),
		cmocka_unit_test(test_stats_state_rstrh_synack_then_rst_without_syn),
		cmocka_unit_test(test_stats_state_sh_shr_fin_after_half_handshake),
		cmocka_unit_test(test_stats_state_oth_midstream),
		cmocka_unit_test(test_stats_state_names_cover_every_state),
		cmocka_unit_test(test_stats_synack_before_syn_flips_roles),
		cmocka_unit_test(test_stats_history_multi_flag_letters),
		cmocka_unit_test(test_stats_history_syn_fin_rst_repeat_on_new_seq_only),
		cmocka_unit_test(test_stats_history_retransmissions_scale_by_ten),
		cmocka_unit_test(test_stats_history_zero_windows_scale_by_ten),
		cmocka_unit_test(test_stats_history_bad_checksums_scale_and_drop),
		cmocka_unit_test(test_stats_history_gaps_scale_and_count_missed_bytes),
		cmocka_unit_test(test_stats_history_truncated_when_full),
		cmocka_unit_test(test_stats_zeek_bytes_and_duration_exclude_final_ack),
		cmocka_unit_test(test_stats_unique_vs_retransmitted_bytes),
		cmocka_unit_test(test_stats_out_of_order_fill_is_unique),
		cmocka_unit_test(test_stats_zero_window_probe_is_neither_unique_nor_retrans),
		cmocka_unit_test(test_stats_rst_payload_is_not_stream_data),
		cmocka_unit_test(test_stats_rtt_one_sample_per_ack_newest_covered),
		cmocka_unit_test(test_stats_rtt_karn_skips_retransmitted_segment),
		cmocka_unit_test(test_stats_rtt_karn_skips_segments_acked_with_a_retransmission),
		cmocka_unit_test(test_stats_rtt_across_sequence_wraparound),
		cmocka_unit_test(test_stats_rtt_full_ring_drops_oldest),
		cmocka_unit_test(test_stats_rtt_avg_and_stdev_as_tcptrace),
		cmocka_unit_test(test_stats_rtt_syn_is_timed_by_synack),
		cmocka_unit_test(test_stats_handshake_rtt_syn_to_completing_ack),
		cmocka_unit_test(test_stats_handshake_rtt_unknown_after_syn_retransmission),
		cmocka_unit_test(test_stats_window_min_avg_max_skip_unknown_scale),
		cmocka_unit_test(test_stats_throughput_unique_bytes_over_duration),
		cmocka_unit_test(test_stats_idle_time_is_longest_gap_per_direction),
		cmocka_unit_test(test_stats_counts_flags_acks_and_mss),
		cmocka_unit_test(test_stats_ignores_invalid_direction),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
