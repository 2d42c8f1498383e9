/* analysis: each Wireshark label from a minimal segment sequence, with a
 * near miss that must not get it; dup-ACK numbering; precedence; the
 * Wireshark 4.0 quirks the differential test relies on. Times are in
 * microseconds; seq/ack are relative to the ISNs (client 1000, server
 * 5000), as in tests/differential/test_tshark.py's scenarios. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analysis.h"

#define C 0 /* client: sends the SYN */
#define S 1
#define SYN WIRE_TH_SYN
#define ACK WIRE_TH_ACK
#define FIN WIRE_TH_FIN
#define RST WIRE_TH_RST

struct conn {
	struct analysis a;
	uint64_t pkt;
	struct analysis_out out;
	uint32_t isn[2];
};

static void conn_init(struct conn *c)
{
	memset(c, 0, sizeof(*c));
	analysis_init(&c->a, NULL);
	c->isn[C] = 1000;
	c->isn[S] = 5000;
}

/* One segment; returns its labels. ws < 0: no window scale option. */
static uint32_t tx_ws(struct conn *c, int dir, int64_t t_us, uint32_t seq, uint32_t ack,
		      uint8_t flags, uint16_t win, uint32_t len, int ws)
{
	struct seg s;

	memset(&s, 0, sizeof(s));
	s.seq = c->isn[dir] + seq;
	s.ack = (flags & ACK) ? c->isn[!dir] + ack : 0;
	s.flags = flags;
	s.wnd = win;
	s.len = len;
	s.has_ws = ws >= 0;
	s.ws = ws >= 0 ? (uint8_t)ws : 0;
	s.pkt = ++c->pkt;
	analysis_segment(&c->a, dir, &s, t_us * 1000, &c->out);
	return c->out.flags;
}

static uint32_t tx(struct conn *c, int dir, int64_t t_us, uint32_t seq, uint32_t ack,
		   uint8_t flags, uint16_t win, uint32_t len)
{
	return tx_ws(c, dir, t_us, seq, ack, flags, win, len, -1);
}

/* Handshake with window scale 7 both ways; iRTT 20 ms. Packets 1-3. */
static void handshake(struct conn *c)
{
	conn_init(c);
	assert_int_equal(tx_ws(c, C, 0, 0, 0, SYN, 1000, 0, 7), 0);
	assert_int_equal(tx_ws(c, S, 10000, 0, 1, SYN | ACK, 1000, 0, 7), 0);
	assert_int_equal(tx(c, C, 20000, 1, 1, ACK, 1000, 0), 0);
}

static void reason_is(const struct conn *c, enum finding_id id, const char *want)
{
	char buf[256];

	for (unsigned i = 0; i < c->out.n_findings; i++) {
		if (c->out.findings[i].id != id)
			continue;
		finding_reason(&c->out.findings[i], buf, sizeof(buf));
		if (!strstr(buf, want))
			fail_msg("reason '%s' lacks '%s'", buf, want);
		return;
	}
	fail_msg("no finding %s", finding_info(id)->name);
}

static void test_analysis_retransmission_after_rto(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	assert_int_equal(tx(&c, C, 30000, 1, 1, ACK, 1000, 100), 0);
	assert_int_equal(tx(&c, C, 31000, 101, 1, ACK, 1000, 100), 0);
	assert_int_equal(tx(&c, C, 300000, 1, 1, ACK, 1000, 100), ANALYSIS_RETRANSMISSION);
	reason_is(&c, FND_ANA_RETRANSMISSION, "seq 1 < next expected 201, data already sent at or before packet 4");
	/* near miss: continuing at next seq */
	assert_int_equal(tx(&c, C, 301000, 201, 1, ACK, 1000, 100), 0);
}

static void test_analysis_syn_and_fin_retransmissions(void **state)
{
	struct conn c;

	(void)state;
	conn_init(&c);
	tx(&c, C, 0, 0, 0, SYN, 1000, 0);
	/* the same SYN again: a retransmission, not a reused tuple */
	assert_int_equal(tx(&c, C, 1000000, 0, 0, SYN, 1000, 0), ANALYSIS_RETRANSMISSION);
	handshake(&c);
	tx(&c, C, 30000, 1, 1, FIN | ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 300000, 1, 1, FIN | ACK, 1000, 0), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_fast_retransmission(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 31000, 201, 1, ACK, 1000, 100);   /* 101-201 lost */
	tx(&c, S, 40000, 1, 101, ACK, 1000, 0);     /* packet 6 */
	assert_int_equal(tx(&c, S, 41000, 1, 101, ACK, 1000, 0), ANALYSIS_DUP_ACK);
	assert_int_equal(tx(&c, S, 42000, 1, 101, ACK, 1000, 0), ANALYSIS_DUP_ACK);
	assert_int_equal(tx(&c, C, 45000, 101, 1, ACK, 1000, 100), ANALYSIS_FAST_RETRANSMISSION);
	reason_is(&c, FND_ANA_FAST_RETRANSMISSION, "(2 dup ACKs");
}

static void test_analysis_fast_retransmission_near_misses(void **state)
{
	struct conn c;

	(void)state;
	/* 20 ms after the last dup ACK: a plain retransmission */
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 31000, 201, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 1000, 0);
	tx(&c, S, 41000, 1, 101, ACK, 1000, 0);
	tx(&c, S, 42000, 1, 101, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 62000, 101, 1, ACK, 1000, 100), ANALYSIS_RETRANSMISSION);
	/* one dup ACK only: not fast (out of the iRTT: retransmission) */
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 31000, 201, 1, ACK, 1000, 100);
	tx(&c, S, 60000, 1, 101, ACK, 1000, 0);
	tx(&c, S, 61000, 1, 101, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 62000, 101, 1, ACK, 1000, 100), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_spurious_retransmission(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 300000, 1, 1, ACK, 1000, 100),
			 ANALYSIS_SPURIOUS_RETRANSMISSION);
	reason_is(&c, FND_ANA_SPURIOUS_RETRANSMISSION, "data ends at 101 <= ack 101 the peer sent at packet 5");
	/* near miss: one byte beyond what was ACKed */
	assert_int_equal(tx(&c, C, 400000, 1, 1, ACK, 1000, 101), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_spurious_checked_even_when_seq_advances(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, S, 40000, 1, 201, ACK, 1000, 0), ANALYSIS_ACK_LOST_SEGMENT);
	/* next seq exactly, but the peer already ACKed it */
	assert_int_equal(tx(&c, C, 50000, 101, 1, ACK, 1000, 100),
			 ANALYSIS_SPURIOUS_RETRANSMISSION);
}

static void test_analysis_out_of_order_within_irtt(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 30100, 201, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, C, 30200, 101, 1, ACK, 1000, 100), ANALYSIS_OUT_OF_ORDER);
	reason_is(&c, FND_ANA_OUT_OF_ORDER, "seq 101 < next expected 301 (packet 5)");
	/* near miss: the same after the iRTT (20 ms) is a retransmission */
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 30100, 201, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, C, 50200, 101, 1, ACK, 1000, 100), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_out_of_order_default_threshold_3ms(void **state)
{
	struct conn c;

	(void)state;
	/* no handshake: no iRTT, 3 ms */
	conn_init(&c);
	tx(&c, C, 0, 1, 1, ACK, 1000, 100);
	tx(&c, C, 100, 201, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, C, 2900, 101, 1, ACK, 1000, 100),
			 ANALYSIS_OUT_OF_ORDER);
	tx(&c, C, 4000, 301, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, C, 7100, 101, 1, ACK, 1000, 100),
			 ANALYSIS_RETRANSMISSION);
	/* ending exactly at next seq is not out of order */
	tx(&c, C, 8000, 401, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, C, 8100, 451, 1, ACK, 1000, 50), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_precedence(void **state)
{
	struct conn c;

	(void)state;
	/* retransmission and out of order at once: fast retransmission wins
	 * (tcp.fastrt_supersedes_ooo), all within 3 ms */
	conn_init(&c);
	tx(&c, C, 0, 0, 0, SYN, 1000, 0);
	tx(&c, S, 100, 0, 1, SYN | ACK, 1000, 0);
	tx(&c, C, 200, 1, 1, ACK, 1000, 0);
	tx(&c, C, 1000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 1100, 201, 1, ACK, 1000, 100);
	tx(&c, S, 1200, 1, 101, ACK, 1000, 0);
	tx(&c, S, 1300, 1, 101, ACK, 1000, 0);
	tx(&c, S, 1400, 1, 101, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 1500, 101, 1, ACK, 1000, 100), ANALYSIS_FAST_RETRANSMISSION);
	/* spurious wins over out of order */
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 30100, 101, 1, ACK, 1000, 100);
	tx(&c, S, 30200, 1, 201, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 30300, 1, 1, ACK, 1000, 100),
			 ANALYSIS_SPURIOUS_RETRANSMISSION);
	/* a keep-alive is never a retransmission */
	assert_int_equal(tx(&c, C, 900000, 200, 1, ACK, 1000, 1), ANALYSIS_KEEP_ALIVE);
}

static void test_analysis_next_seq_minus_one_with_data_is_new(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	/* starts one byte back (after a probe), more than one byte: new data */
	assert_int_equal(tx(&c, C, 500000, 100, 1, ACK, 1000, 50), 0);
	/* near miss: two bytes back is a retransmission */
	assert_int_equal(tx(&c, C, 900000, 148, 1, ACK, 1000, 50), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_previous_segment_not_captured(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, C, 31000, 201, 1, ACK, 1000, 100), ANALYSIS_LOST_SEGMENT);
	reason_is(&c, FND_ANA_PREVIOUS_SEGMENT_NOT_CAPTURED,
		  "seq 201 > next expected 101 (highest seen at packet 4)");
	/* near miss: an RST beyond is not checked */
	assert_int_equal(tx(&c, C, 32000, 900, 1, RST | ACK, 1000, 0), 0);
}

static void test_analysis_acked_unseen_segment(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	/* near miss: acking exactly what was seen */
	assert_int_equal(tx(&c, S, 40000, 1, 101, ACK, 1000, 0), 0);
	assert_int_equal(tx(&c, S, 41000, 1, 301, ACK, 1000, 0), ANALYSIS_ACK_LOST_SEGMENT);
	reason_is(&c, FND_ANA_ACKED_UNSEEN_SEGMENT, "ack 301 > 101");
}

static void test_analysis_acked_unseen_once_per_stalled_peer(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 40000, 201, 1, ACK, 1000, 100);
	/* catches up with the peer's highest seq: labelled */
	assert_int_equal(tx(&c, S, 50000, 1, 301, ACK, 1000, 0), ANALYSIS_ACK_LOST_SEGMENT);
	/* beyond even that, peer silent: labelled once more ... */
	assert_int_equal(tx(&c, S, 60000, 1, 401, ACK, 1000, 0), ANALYSIS_ACK_LOST_SEGMENT);
	/* ... then not again while the peer is stalled (4.0.17) */
	assert_int_equal(tx(&c, S, 70000, 1, 401, ACK, 1000, 0), ANALYSIS_DUP_ACK);
	assert_int_equal(tx(&c, S, 90000, 1, 501, ACK, 1000, 0), 0);
	/* the peer's dup-ACK count was "-1": its next dup ACK is #1 */
	assert_int_equal(tx(&c, C, 91000, 301, 1, ACK, 1000, 0), ANALYSIS_DUP_ACK);
	assert_int_equal(c.out.dupack_num, 1);
}

static void test_analysis_fast_retransmission_unsigned_count_quirk(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, C, 40000, 201, 1, ACK, 1000, 100);
	tx(&c, S, 50000, 1, 301, ACK, 1000, 0);
	tx(&c, S, 51000, 1, 401, ACK, 1000, 0);   /* client's count: "-1" */
	tx(&c, S, 52000, 1, 401, ACK, 1000, 100);
	/* no dup ACK from the client, yet Wireshark's unsigned "-1" >= 2 */
	assert_int_equal(tx(&c, S, 55000, 1, 401, ACK, 1000, 100),
			 ANALYSIS_FAST_RETRANSMISSION);
	reason_is(&c, FND_ANA_FAST_RETRANSMISSION, "(0 dup ACKs; 0: after an ACKed-unseen");
}

static void test_analysis_dup_ack_numbering(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 1000, 0);      /* packet 5 */
	for (uint32_t n = 1; n <= 3; n++) {
		assert_int_equal(tx(&c, S, 40000 + n, 1, 101, ACK, 1000, 0), ANALYSIS_DUP_ACK);
		assert_int_equal(c.out.dupack_num, n);
		assert_int_equal(c.out.dupack_of, 5);
	}
	reason_is(&c, FND_ANA_DUP_ACK, "dup ack #3 of packet 5 (ack 101)");
	/* a new ack restarts the numbering from its packet */
	tx(&c, C, 50000, 101, 1, ACK, 1000, 100);
	tx(&c, S, 60000, 1, 201, ACK, 1000, 0);      /* packet 10 */
	assert_int_equal(tx(&c, S, 60001, 1, 201, ACK, 1000, 0), ANALYSIS_DUP_ACK);
	assert_int_equal(c.out.dupack_num, 1);
	assert_int_equal(c.out.dupack_of, 10);
	/* near misses: data, another window, a FIN */
	assert_int_equal(tx(&c, S, 60002, 1, 201, ACK, 1000, 10), 0);
	assert_int_equal(tx(&c, S, 60003, 11, 201, ACK, 999, 0), ANALYSIS_WINDOW_UPDATE);
	assert_int_equal(tx(&c, S, 60004, 11, 201, FIN | ACK, 999, 0), 0);
}

static void test_analysis_zero_window(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	assert_int_equal(tx(&c, S, 40000, 1, 101, ACK, 0, 0), ANALYSIS_ZERO_WINDOW);
	reason_is(&c, FND_ANA_ZERO_WINDOW, "window 0 with ack 101");
	/* near miss: RST with window 0 */
	assert_int_equal(tx(&c, S, 50000, 1, 101, RST | ACK, 0, 0), 0);
}

static void test_analysis_zero_window_probe_and_ack(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 0, 0);
	assert_int_equal(tx(&c, C, 300000, 101, 1, ACK, 1000, 1), ANALYSIS_ZERO_WINDOW_PROBE);
	reason_is(&c, FND_ANA_ZERO_WINDOW_PROBE, "1 byte at seq 101, peer's window 0 since packet 5");
	/* the probe does not advance next seq; the ACK repeats window 0, so
	 * it is a zero window too (checked before, as in Wireshark) */
	assert_int_equal(tx(&c, S, 310000, 1, 101, ACK, 0, 0),
			 ANALYSIS_ZERO_WINDOW_PROBE_ACK | ANALYSIS_ZERO_WINDOW);
	assert_int_equal(tx(&c, S, 500000, 1, 101, ACK, 500, 0), ANALYSIS_WINDOW_UPDATE);
	assert_int_equal(tx(&c, C, 510000, 101, 1, ACK, 1000, 100), 0);
	/* near miss: two bytes into a zero window is no probe */
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 0, 0);
	assert_int_equal(tx(&c, C, 300000, 101, 1, ACK, 1000, 2), 0);
}

static void test_analysis_window_full_scaled(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, S, 25000, 1, 1, ACK, 2, 0);           /* 2 << 7 = 256 */
	assert_int_equal(tx(&c, C, 30000, 1, 1, ACK, 1000, 256), ANALYSIS_WINDOW_FULL);
	reason_is(&c, FND_ANA_WINDOW_FULL, "data ends at 257 = peer's ack 1 + window 256");
	/* near miss: one byte short of the edge */
	handshake(&c);
	tx(&c, S, 25000, 1, 1, ACK, 2, 0);
	assert_int_equal(tx(&c, C, 30000, 1, 1, ACK, 1000, 255), 0);
}

static void test_analysis_window_full_syn_window_unscaled(void **state)
{
	struct conn c;

	(void)state;
	/* no scaling: the SYN-ACK's window is taken as is */
	conn_init(&c);
	tx(&c, C, 0, 0, 0, SYN, 1000, 0);
	tx(&c, S, 10000, 0, 1, SYN | ACK, 300, 0);
	assert_int_equal(tx(&c, C, 30000, 1, 1, ACK, 1000, 300), ANALYSIS_WINDOW_FULL);
	/* with scaling, the SYN-ACK's window stays unscaled until the
	 * server's first pure ACK (Wireshark issue 14690) */
	conn_init(&c);
	tx_ws(&c, C, 0, 0, 0, SYN, 1000, 0, 7);
	tx_ws(&c, S, 10000, 0, 1, SYN | ACK, 300, 0, 7);
	assert_int_equal(tx(&c, C, 30000, 1, 1, ACK, 1000, 300), ANALYSIS_WINDOW_FULL);
}

static void test_analysis_window_full_needs_known_scale(void **state)
{
	struct conn c;

	(void)state;
	/* capture without the handshake: scale unknown, never "window full" */
	conn_init(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 100, 0);
	assert_int_equal(tx(&c, C, 50000, 101, 1, ACK, 1000, 100), 0);
	/* unless the caller knows it (pinned), as Wireshark would with it */
	conn_init(&c);
	analysis_set_wscale(&c.a, S, 0);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 100, 0);
	assert_int_equal(tx(&c, C, 50000, 101, 1, ACK, 1000, 100), ANALYSIS_WINDOW_FULL);
	/* a pinned scale ignores the options */
	conn_init(&c);
	analysis_set_wscale(&c.a, S, 2);
	tx_ws(&c, C, 0, 0, 0, SYN, 1000, 0, 7);
	tx_ws(&c, S, 10000, 0, 1, SYN | ACK, 300, 0, 7);
	assert_int_equal(c.a.dir[S].win_scale, 2);
	assert_int_equal(c.a.dir[C].win_scale, 7);
}

static void test_analysis_window_scale_needs_both_syns(void **state)
{
	struct conn c;

	(void)state;
	conn_init(&c);
	tx_ws(&c, C, 0, 0, 0, SYN, 1000, 0, 7);
	assert_int_equal(c.a.dir[C].win_scale, 7);
	tx(&c, S, 10000, 0, 1, SYN | ACK, 1000, 0);
	assert_int_equal(c.a.dir[C].win_scale, ANALYSIS_WS_NONE);
	assert_int_equal(c.a.dir[S].win_scale, ANALYSIS_WS_NONE);
}

static void test_analysis_window_update(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 10);
	tx(&c, S, 40000, 1, 11, ACK, 1000, 0);
	assert_int_equal(tx(&c, S, 50000, 1, 11, ACK, 2000, 0), ANALYSIS_WINDOW_UPDATE);
	reason_is(&c, FND_ANA_WINDOW_UPDATE, "window field 1000 -> 2000 (unscaled)");
	/* near miss: the same window again is a dup ACK */
	assert_int_equal(tx(&c, S, 60000, 1, 11, ACK, 2000, 0), ANALYSIS_DUP_ACK);
}

static void test_analysis_keep_alive_and_ack(void **state)
{
	struct conn c;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, ACK, 1000, 100);
	tx(&c, S, 40000, 1, 101, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 10000000, 100, 1, ACK, 1000, 0), ANALYSIS_KEEP_ALIVE);
	reason_is(&c, FND_ANA_KEEP_ALIVE, "seq 100 = next expected 101 - 1, 0 byte(s)");
	assert_int_equal(tx(&c, S, 10010000, 1, 101, ACK, 1000, 0), ANALYSIS_KEEP_ALIVE_ACK);
	assert_int_equal(tx(&c, C, 20000000, 100, 1, ACK, 1000, 1), ANALYSIS_KEEP_ALIVE);
	/* near misses: two below next seq; a FIN there */
	assert_int_equal(tx(&c, C, 30000000, 99, 1, ACK, 1000, 0), 0);
	assert_int_equal(tx(&c, C, 40000000, 100, 1, FIN | ACK, 1000, 0), ANALYSIS_RETRANSMISSION);
}

static void test_analysis_reused_ports(void **state)
{
	struct conn c;
	struct analysis_reuse r;
	struct seg s;

	(void)state;
	handshake(&c);
	tx(&c, C, 30000, 1, 1, FIN | ACK, 1000, 0);
	/* a new SYN with another ISN: the caller restarts the flow */
	memset(&s, 0, sizeof(s));
	s.seq = 90000;
	s.flags = SYN;
	s.pkt = 5;
	assert_true(analysis_port_reused(&c.a, C, &s, &r));
	assert_int_equal(r.prev_isn, 1000);
	assert_int_equal(r.prev_last_pkt, 4);
	analysis_init(&c.a, &r);
	analysis_segment(&c.a, C, &s, 1000000000, &c.out);
	assert_int_equal(c.out.flags, ANALYSIS_REUSED_PORTS);
	reason_is(&c, FND_ANA_PORTS_REUSED, "SYN with ISN 90000, the tuple's previous ISN was 1000 (last packet 4)");
	/* only the first segment of the new connection */
	s.seq = 90000;
	s.pkt = 6;
	assert_false(analysis_port_reused(&c.a, C, &s, NULL));
	/* without the caller's restart, analysis restarts by itself */
	handshake(&c);
	c.isn[C] = 77000;
	assert_int_equal(tx(&c, C, 2000000, 0, 0, SYN, 1000, 0), ANALYSIS_REUSED_PORTS);
	assert_int_equal(tx(&c, C, 2000001, 1, 0, 0, 1000, 10), 0);
	/* near miss: a SYN-ACK is not a SYN; with another ISN it is labelled
	 * but keeps the connection */
	handshake(&c);
	c.isn[S] = 5077;
	assert_int_equal(tx(&c, S, 500000, 0, 1, SYN | ACK, 1000, 0) & ANALYSIS_REUSED_PORTS,
			 ANALYSIS_REUSED_PORTS);
}

static void test_analysis_syn_again_restores_next_seq(void **state)
{
	struct conn c;

	(void)state;
	conn_init(&c);
	tx(&c, C, 0, 0, 0, SYN, 1000, 0);
	tx(&c, C, 100000, 1000, 0, RST, 1000, 0);      /* moves next seq */
	assert_int_equal(tx(&c, C, 1000000, 0, 0, SYN, 1000, 0), ANALYSIS_RETRANSMISSION);
	tx(&c, S, 1010000, 0, 1, SYN | ACK, 1000, 0);
	tx(&c, C, 1020000, 1, 1, ACK, 1000, 0);
	assert_int_equal(tx(&c, C, 1030000, 1, 1, ACK, 1000, 10), 0);
}

static void test_analysis_findings_one_per_label(void **state)
{
	(void)state;
	for (int i = 0; i < ANALYSIS_N_LABELS; i++) {
		uint32_t f = 1u << i;
		enum finding_id id = analysis_label_finding(f);
		const struct finding_info *fi = finding_info(id);

		assert_non_null(analysis_label_name(f));
		assert_non_null(fi);
		assert_int_equal(fi->level, FINDING_ANALYSIS);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(analysis_label_finding(1u << j), id);
	}
	assert_null(analysis_label_name(3));
	assert_string_equal(analysis_label_name(ANALYSIS_LOST_SEGMENT), "lost_segment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analysis_retransmission_after_rto),
		cmocka_unit_test(test_analysis_syn_and_fin_retransmissions),
		cmocka_unit_test(test_analysis_fast_retransmission),
		cmocka_unit_test(test_analysis_fast_retransmission_near_misses),
		cmocka_unit_test(test_analysis_spurious_retransmission),
		cmocka_unit_test(test_analysis_spurious_checked_even_when_seq_advances),
		cmocka_unit_test(test_analysis_out_of_order_within_irtt),
		cmocka_unit_test(test_analysis_out_of_order_default_threshold_3ms),
		cmocka_unit_test(test_analysis_precedence),
		cmocka_unit_test(test_analysis_next_seq_minus_one_with_data_is_new),
		cmocka_unit_test(test_analysis_previous_segment_not_captured),
		cmocka_unit_test(test_analysis_acked_unseen_segment),
		cmocka_unit_test(test_analysis_acked_unseen_once_per_stalled_peer),
		cmocka_unit_test(test_analysis_fast_retransmission_unsigned_count_quirk),
		cmocka_unit_test(test_analysis_dup_ack_numbering),
		cmocka_unit_test(test_analysis_zero_window),
		cmocka_unit_test(test_analysis_zero_window_probe_and_ack),
		cmocka_unit_test(test_analysis_window_full_scaled),
		cmocka_unit_test(test_analysis_window_full_syn_window_unscaled),
		cmocka_unit_test(test_analysis_window_full_needs_known_scale),
		cmocka_unit_test(test_analysis_window_scale_needs_both_syns),
		cmocka_unit_test(test_analysis_window_update),
		cmocka_unit_test(test_analysis_keep_alive_and_ack),
		cmocka_unit_test(test_analysis_reused_ports),
		cmocka_unit_test(test_analysis_syn_again_restores_next_seq),
		cmocka_unit_test(test_analysis_findings_one_per_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
