/* track: the passive driver on synthetic connections (fixtures:
 * test_track_fixture.h): normal and refused connections, capture
 * artefacts, the RFC 5961 expectations, connections ending and lingering,
 * simultaneous open and close, reassembly; one test goes through bytes:
 * frames emitted, written to a pcap file, read back with the capture
 * reader and decoded. The tracker's timestamp, window and TIME-WAIT
 * checks: test_track_checks.c. */
#include "test_track_fixture.h"

/* --- normal connections -------------------------------------------------- */

static void test_normal_connection_has_no_findings_and_closes(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "PA", 1, 1, "GET / HTTP/1.0\r\n\r\n");
	tx(c, B, "A", 1, 19, NULL);
	tx(c, B, "PA", 1, 19, "HTTP/1.0 200 OK\r\n\r\nbody");
	tx(c, A, "A", 19, 24, NULL);
	tx(c, B, "FA", 24, 19, NULL);
	assert_int_equal(c->info.state[B], TCP_FIN_WAIT_1);
	assert_int_equal(c->info.state[A], TCP_CLOSE_WAIT);
	tx(c, A, "A", 19, 25, NULL);
	tx(c, A, "FA", 19, 25, NULL);
	assert_int_equal(c->ns, 0);
	tx(c, B, "A", 25, 20, NULL);
	assert_true(c->info.tracked);
	assert_false(c->info.late);
	assert_int_equal(c->info.dir, B);
	assert_int_equal(c->info.rel_seq, 25);
	assert_true(c->info.rel_ack_valid);
	assert_int_equal(c->info.rel_ack, 20);
	assert_int_equal(c->info.labels, 0);
	/* the last ACK closed it: summarised at once, not at the end */
	assert_int_equal(c->ns, 1);
	track_finish(c->t);

	assert_no_findings(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_true(c->sum[0].s.handshake_seen);
	assert_int_equal(c->sum[0].s.state[A], TCP_CLOSED);
	assert_int_equal(c->sum[0].s.state[B], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].cs, CONN_SF);
	assert_int_equal(c->sum[0].pkts[A], 6);
	assert_int_equal(c->sum[0].pkts[B], 5);
	assert_int_equal(c->sum[0].s.first_pkt, 1);
	assert_int_equal(c->sum[0].s.last_pkt, 11);
	assert_int_equal(c->sum[0].s.ep.sport, 40000);
	assert_int_equal(c->sum[0].s.ep.dport, 80);
	for (int l = 0; l <= FINDING_ANALYSIS; l++)
		assert_int_equal(c->sum[0].s.findings[l], 0);
	/* both streams reassembled */
	assert_int_equal(c->dlen[A], 18);
	assert_memory_equal(c->data[A], "GET / HTTP/1.0\r\n\r\n", 18);
	assert_int_equal(c->dlen[B], 23);
	assert_memory_equal(c->data[B], "HTTP/1.0 200 OK\r\n\r\nbody", 23);
	assert_int_equal(c->gaps[A] + c->gaps[B], 0);
	assert_true(c->data_order_ok);
}

static void test_capture_starting_mid_connection_has_no_findings(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "PA", 501, 901, "abc");
	tx(c, B, "A", 901, 504, NULL);
	tx(c, B, "PA", 901, 504, "defg");
	tx(c, A, "A", 504, 905, NULL);
	tx(c, A, "PA", 504, 905, "hij");
	tx(c, B, "A", 905, 507, NULL);
	tx(c, A, "FA", 507, 905, NULL);
	tx(c, B, "FA", 905, 508, NULL);
	tx(c, A, "A", 508, 906, NULL);
	track_finish(c->t);

	assert_no_findings(c);
	assert_int_equal(c->ns, 1);
	assert_false(c->sum[0].s.handshake_seen);
	assert_int_equal(c->dlen[A], 6);
	assert_memory_equal(c->data[A], "abchij", 6);
	assert_int_equal(c->dlen[B], 4);
}

static void test_refused_connection_is_clean_and_closed(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "S", 0, 0, NULL);
	tx(c, B, "RA", 0, 1, NULL);             /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.state[A], TCP_CLOSED);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
	assert_int_equal(c->sum[0].cs, CONN_REJ);
}

static void test_syn_retransmission_stays_one_connection(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "S", 0, 0, NULL);
	wait_ms(c, 1000);
	tx(c, A, "S", 0, 0, NULL);
	assert_true(c->info.labels & TRACK_L_RETRANS);
	tx(c, B, "SA", 0, 1, NULL);
	tx(c, A, "A", 1, 1, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.state[A], TCP_ESTABLISHED);
	assert_int_equal(c->sum[0].s.state[B], TCP_ESTABLISHED);
}

static void test_ipv6_connection_is_tracked(void **state)
{
	struct ctx *c = *state;
	struct wire_pkt p;
	const char *flags[] = {"S", "SA", "A", "PA", "A", "FA", "FA", "A"};
	const int from[] = {A, B, A, A, B, A, B, A};
	const uint32_t seq[] = {0, 0, 1, 1, 1, 4, 1, 5};
	const uint32_t ack[] = {0, 1, 1, 1, 4, 1, 5, 2};

	for (int i = 0; i < 8; i++) {
		build(c, &p, from[i], flags[i], seq[i], ack[i], 502, i == 3 ? "v6!" : NULL);
		p.ip.version = 6;
		memset(p.ip.src, 0, 16);
		memset(p.ip.dst, 0, 16);
		memcpy(p.ip.src, (uint8_t[]){0x20, 0x01, 0x0d, 0xb8}, 4);
		memcpy(p.ip.dst, (uint8_t[]){0x20, 0x01, 0x0d, 0xb8}, 4);
		p.ip.src[15] = (uint8_t)(from[i] + 1);
		p.ip.dst[15] = (uint8_t)(!from[i] + 1);
		feed(c, &p);
	}
	track_finish(c->t);
	assert_no_findings(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.ep.version, 6);
	assert_int_equal(c->sum[0].s.ep.src[15], 1);
	assert_int_equal(c->sum[0].s.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
	assert_int_equal(c->dlen[A], 3);
}

static void test_fin_retransmission_crossing_last_ack_is_clean(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "A", 1, 2, NULL);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);               /* B: CLOSED in the model */
	tx(c, B, "FA", 1, 2, NULL);              /* sent before that ACK arrived */
	tx(c, A, "A", 2, 2, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->ns, 1);
}

/* --- capture artefacts ---------------------------------------------------- */

static void test_lost_segment_is_labelled_not_a_conformance_finding(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "PA", 1, 1, "aaaa");
	/* bytes 5..8 never captured */
	tx(c, A, "PA", 9, 1, "cccc");
	assert_true(c->info.labels & TRACK_L_LOST_SEGMENT);
	tx(c, B, "A", 1, 13, NULL);
	assert_true(c->info.labels & TRACK_L_ACK_LOST);
	/* an in-window RST now: the capture is known to miss data, so the
	 * challenge ACK cannot be judged */
	wait_ms(c, 100);
	tx(c, A, "R", 100, 0, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 13, 1, "dddd");
	tx(c, B, "A", 1, 17, NULL);
	track_finish(c->t);

	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->created, 0);
	assert_non_null(find(c, FND_ANA_PREVIOUS_SEGMENT_NOT_CAPTURED));
	/* the stream says where the hole was */
	assert_int_equal(c->gaps[A], 1);
	assert_int_equal(c->gap_bytes[A], 4);
	assert_int_equal(c->dlen[A], 12);
	assert_memory_equal(c->data[A], "aaaaccccdddd", 12);
	assert_true(c->data_order_ok);
}

static void test_ack_captured_before_its_data_is_not_a_finding(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "PA", 1, 1, "aaaa");
	/* the capture point saw B's ACK of both segments before the second */
	tx(c, B, "A", 1, 9, NULL);
	tx(c, A, "PA", 5, 1, "bbbb");
	tx(c, B, "PA", 1, 9, "ok");
	tx(c, A, "A", 9, 3, NULL);
	track_finish(c->t);

	assert_no_conformance(c);
	assert_int_equal(c->gaps[A], 0);
	assert_int_equal(c->dlen[A], 8);
	assert_memory_equal(c->data[A], "aaaabbbb", 8);
}

/* --- RFC 5961 3.2: RST in the window --------------------------------------- */

/* packets: 1-3 handshake, 4-7 data both ways, 8 the RST, (9 the challenge
 * ACK), then A's data a second later and B's ACK of it */
static void rst_in_window(struct ctx *c, bool challenge)
{
	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 151, 0, NULL);   /* RCV.NXT is 101, the window 64256 */
	if (challenge)
		tx(c, B, "A", 6, 101, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	track_finish(c->t);
}

static void test_in_window_rst_without_challenge_ack_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;
	char buf[256];

	rst_in_window(c, false);
	f = find(c, FND_TRK_RST_NOT_CHALLENGED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, B);
	assert_int_equal(f->ref_pkt, 8);  /* the RST */
	assert_int_equal(f->pkt, 10);     /* B's ACK of the data sent after it */
	assert_int_equal(f->conn_id, c->sum[0].s.conn_id);
	assert_int_equal(f->ep.sport, 80);
	finding_reason(&f->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "RST seq 151"));
	assert_non_null(strstr(buf, "RCV.NXT 101"));
	assert_int_equal(finding_info(f->f.id)->level, FINDING_MUST);
	assert_int_equal(conformance(c), 1);
	assert_int_equal(c->sum[0].s.findings[FINDING_MUST], 1);
	assert_int_equal(track_expect_stats(c->t)->violated, 1);
}

static void test_in_window_rst_with_challenge_ack_is_clean(void **state)
{
	struct ctx *c = *state;

	rst_in_window(c, true);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->created, 1);
	assert_int_equal(track_expect_stats(c->t)->satisfied, 1);
	assert_int_equal(track_expect_stats(c->t)->violated, 0);
}

static void test_rfc793_profile_owes_no_challenge_ack(void **state)
{
	struct ctx *c = *state;

	ctx_open(c, "rfc793");
	ctx_start(c);
	/* B behaves as RFC 793: the in-window RST resets, the next data
	 * gets the reset of a closed port */
	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 151, 0, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "R", 6, 0, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
}

static void test_rfc793_profile_with_a_stack_that_challenges_is_clean(void **state)
{
	struct ctx *c = *state;

	/* the profile expects a reset; B (an RFC 5961 stack) challenges and
	 * goes on: the model follows B, and nothing is owed. The model took
	 * the RST, so the connection was reported closed at it: what B did
	 * next are late segments of it (within the linger of each other),
	 * still judged by the model. */
	ctx_open(c, "rfc793");
	ctx_start(c);
	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 151, 0, NULL);
	assert_int_equal(c->ns, 1);
	tx(c, B, "A", 6, 101, NULL);
	assert_true(c->info.late);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	tx(c, B, "FA", 6, 105, NULL);
	tx(c, A, "FA", 105, 7, NULL);
	tx(c, B, "A", 7, 106, NULL);
	assert_true(c->info.late);
	assert_int_equal(c->info.conn_id, c->sum[0].s.conn_id);
	assert_int_equal(c->info.state[A], TCP_CLOSED);
	assert_int_equal(c->info.state[B], TCP_TIME_WAIT);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[0].s.last_pkt, 8);
	assert_int_equal(track_late_segments(c->t), 6);
}

static void test_rst_answered_as_closed_port_instead_of_challenge_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	/* profile rfc, B behaves as RFC 793 */
	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 151, 0, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "R", 6, 0, NULL);
	track_finish(c->t);
	f = find(c, FND_TRK_RST_NOT_CHALLENGED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->pkt, 10);
	assert_int_equal(f->ref_pkt, 8);
}

static void test_data_crossing_the_rst_is_not_a_finding(void **state)
{
	struct ctx *c = *state;

	/* B's segment was on its way when the RST came: it carries the old
	 * ACK and proves nothing; the challenge ACK follows */
	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 151, 0, NULL);
	tx(c, B, "PA", 6, 101, "late");
	tx(c, B, "A", 10, 101, NULL);
	tx(c, A, "A", 101, 10, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
}

static void test_second_rst_within_throttle_time_is_unknown(void **state)
{
	struct ctx *c = *state;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 151, 0, NULL);
	tx(c, B, "A", 6, 101, NULL);          /* challenge ACK */
	wait_ms(c, 100);
	tx(c, A, "R", 161, 0, NULL);          /* RFC 5961 7: may be throttled */
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	/* the first was owed and sent; the second throttled, never made */
	assert_int_equal(track_expect_stats(c->t)->created, 1);
	assert_int_equal(track_expect_stats(c->t)->satisfied, 1);
}

static void test_rst_at_rcv_nxt_that_does_not_reset_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 101, 0, NULL);          /* exactly RCV.NXT: MUST reset */
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);          /* ...yet B takes more data */
	track_finish(c->t);
	f = find(c, FND_TRK_RST_NOT_HONOURED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->pkt, 10);
	assert_int_equal(f->ref_pkt, 8);
}

static void test_rst_at_rcv_nxt_that_resets_is_clean(void **state)
{
	struct ctx *c = *state;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 101, 0, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "R", 6, 0, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
}

/* --- RST outside the window ------------------------------------------------ */

static void test_out_of_window_rst_accepted_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 100000, 0, NULL);       /* window is 64256 */
	wait_ms(c, 10);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "R", 6, 0, NULL);            /* B had dropped the connection */
	track_finish(c->t);
	f = find(c, FND_TRK_RST_OOW_ACCEPTED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, B);
	assert_int_equal(f->pkt, 10);
	assert_int_equal(f->ref_pkt, 8);
	assert_int_equal(conformance(c), 1);
}

static void test_out_of_window_rst_ignored_is_clean(void **state)
{
	struct ctx *c = *state;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 100000, 0, NULL);
	wait_ms(c, 10);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	/* B's own abort later is its business */
	tx(c, B, "RA", 6, 105, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
}

/* --- RFC 5961 4.2: SYN in a synchronized state ------------------------------ */

static void syn_in_established(struct ctx *c, bool challenge)
{
	struct wire_pkt p;

	established_with_data(c);
	wait_ms(c, 50);
	build(c, &p, A, "S", 0, 0, 502, NULL);
	p.tcp.seq = 777777;                     /* another ISN */
	feed(c, &p);
	if (challenge)
		tx(c, B, "A", 6, 101, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	track_finish(c->t);
}

static void test_syn_in_established_without_challenge_ack_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	syn_in_established(c, false);
	f = find(c, FND_TRK_SYN_NOT_CHALLENGED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->ref_pkt, 8);
	assert_int_equal(f->pkt, 10);
	assert_int_equal(conformance(c), 1);
	assert_int_equal(c->ns, 1);
}

static void test_syn_in_established_with_challenge_ack_is_clean(void **state)
{
	struct ctx *c = *state;

	syn_in_established(c, true);
	assert_no_conformance(c);
	assert_int_equal(c->ns, 1);
}

static void test_syn_answered_as_new_connection_restarts_it(void **state)
{
	struct ctx *c = *state;
	struct wire_pkt p;

	/* B lost the connection (rebooted): it answers the SYN with a
	 * SYN,ACK of its own. Not a finding; a new connection. */
	established_with_data(c);
	wait_ms(c, 50);
	build(c, &p, A, "S", 0, 0, 502, NULL);
	p.tcp.seq = 777777;
	feed(c, &p);
	build(c, &p, B, "SA", 0, 0, 502, NULL);
	p.tcp.seq = 9999;
	p.tcp.ack = 777778;
	feed(c, &p);
	build(c, &p, A, "A", 0, 0, 502, NULL);
	p.tcp.seq = 777778;
	p.tcp.ack = 10000;
	feed(c, &p);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->ns, 2);
	assert_int_equal(c->sum[0].s.end, FLOW_END_REUSED);
	assert_true(c->sum[1].s.handshake_seen);
	assert_int_equal(c->sum[1].s.state[A], TCP_ESTABLISHED);
	assert_int_equal(c->sum[1].s.state[B], TCP_ESTABLISHED);
	assert_true(c->sum[1].s.conn_id != c->sum[0].s.conn_id);
	assert_int_equal(c->sum[1].s.first_pkt, 8);
}

/* --- RFC 5961 5.2: ACK outside [SND.UNA - MAX.SND.WND, SND.NXT] ------------- */

static void old_ack(struct ctx *c, bool challenge)
{
	struct wire_pkt p;

	established_with_data(c);
	wait_ms(c, 50);
	/* far below B's SND.UNA (6) minus the largest window A gave (64256) */
	build(c, &p, A, "A", 101, 0, 502, NULL);
	p.tcp.ack = c->isn[B] - 200000;
	feed(c, &p);
	if (challenge)
		tx(c, B, "A", 6, 101, NULL);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	track_finish(c->t);
}

static void test_ack_below_the_acceptable_range_without_challenge_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	old_ack(c, false);
	f = find(c, FND_TRK_ACK_NOT_CHALLENGED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->ref_pkt, 8);
	assert_int_equal(f->pkt, 10);
	assert_int_equal(conformance(c), 1);
}

static void test_ack_below_the_acceptable_range_with_challenge_is_clean(void **state)
{
	struct ctx *c = *state;

	old_ack(c, true);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->satisfied, 1);
}

static void test_rfc793_profile_ignores_an_old_ack(void **state)
{
	struct ctx *c = *state;

	ctx_open(c, "rfc793");
	ctx_start(c);
	old_ack(c, false);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->created, 0);
}

/* --- RFC 9293 3.10.7.4: ACK for a not-acceptable segment -------------------- */

static void test_unacceptable_segment_not_acked_is_reported_as_should(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "PA", 1, 6, "xxxx");          /* old data: not acceptable */
	wait_ms(c, 600);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	track_finish(c->t);
	f = find(c, FND_TRK_UNACCEPTABLE_NOT_ACKED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(finding_info(f->f.id)->level, FINDING_SHOULD);
	assert_int_equal(f->ref_pkt, 8);
	assert_int_equal(f->pkt, 10);
}

static void test_unacceptable_segment_acked_or_aggregated_is_clean(void **state)
{
	struct ctx *c = *state;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "PA", 1, 6, "xxxx");
	tx(c, B, "A", 6, 101, NULL);            /* the ACK it owed */
	wait_ms(c, 2000);
	tx(c, A, "PA", 1, 6, "xxxx");
	wait_ms(c, 100);                         /* within the ACK delay... */
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);             /* ...aggregated (MUST-58) */
	track_finish(c->t);
	assert_no_conformance(c);
}

/* --- connections ending ------------------------------------------------------ */

static void test_port_reuse_starts_a_new_connection(void **state)
{
	struct ctx *c = *state;
	struct wire_pkt p;

	handshake(c);
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
	/* a new SYN while the closed connection lingers */
	wait_ms(c, 1000);
	c->isn[A] = 2000000;
	c->isn[B] = 3000000;
	build(c, &p, A, "S", 0, 0, 502, NULL);
	feed(c, &p);
	assert_true(c->info.labels & TRACK_L_PORTS_REUSED);
	assert_false(c->info.late);
	assert_int_equal(c->info.rel_seq, 0);
	tx(c, B, "SA", 0, 1, NULL);
	tx(c, A, "A", 1, 1, NULL);
	track_finish(c->t);

	assert_no_conformance(c);
	assert_non_null(find(c, FND_ANA_PORTS_REUSED));
	assert_int_equal(c->ns, 2);
	/* the first was reported when it closed; the SYN did not report it again */
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[0].s.last_pkt, 6);
	assert_int_equal(c->sum[0].s.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
	assert_int_equal(c->sum[1].s.end, FLOW_END_FLUSH);
	assert_int_equal(c->sum[1].s.first_pkt, 7);
	assert_int_equal(c->sum[1].s.state[A], TCP_ESTABLISHED);
	assert_true(c->sum[1].s.conn_id > c->sum[0].s.conn_id);
}

static void test_idle_timeout_and_eviction_end_connections(void **state)
{
	struct ctx *c = *state;

	ctx_open(c, "rfc");
	c->cfg.idle_timeout = TSTAMP_MS(10000);
	c->cfg.max_flows = 1;
	ctx_start(c);
	handshake(c);
	wait_ms(c, 20000);
	/* another tuple, after the first went idle */
	c->port[A] = 40001;
	handshake(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_IDLE);
	assert_int_equal(c->sum[0].s.last_pkt, 3);
	/* a third, while the second is live: the table holds one */
	c->port[A] = 40002;
	handshake(c);
	assert_int_equal(c->ns, 2);
	assert_int_equal(c->sum[1].s.end, FLOW_END_EVICTED);
	assert_int_equal(c->sum[1].s.findings[FINDING_ANALYSIS], 1);
	assert_non_null(find(c, FND_FLOW_EVICTED));
	track_finish(c->t);
	assert_int_equal(c->ns, 3);
	assert_int_equal(c->sum[2].s.end, FLOW_END_FLUSH);
	assert_int_equal(track_flow_stats(c->t)->evicted, 1);
	assert_int_equal(track_flow_stats(c->t)->idle_closed, 1);
	assert_no_conformance(c);
}

/* --- closed connections: summarised at once, then lingering --------------- */

static void test_rst_closed_connection_is_summarised_at_the_rst(void **state)
{
	struct ctx *c = *state;

	established_with_data(c);
	wait_ms(c, 50);
	tx(c, B, "RA", 6, 101, NULL);          /* B aborts, at A's RCV.NXT */
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[0].s.last_pkt, 8);
	assert_int_equal(c->sum[0].s.state[A], TCP_CLOSED);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
	assert_int_equal(c->sum[0].cs, CONN_RSTR);
	/* streams and statistics are final at the summary */
	assert_int_equal(c->dlen[A], 100);
	assert_int_equal(c->dlen[B], 5);
	assert_int_equal(c->sum[0].pkts[A], 4);
	assert_int_equal(c->sum[0].pkts[B], 4);
	assert_int_equal(track_flow_stats(c->t)->lingering, 1);
	track_finish(c->t);
	assert_int_equal(c->ns, 1);
	assert_no_conformance(c);
	assert_int_equal(track_flow_stats(c->t)->closed, 1);
	assert_int_equal(track_flow_stats(c->t)->flushed, 0);
	assert_int_equal(track_flow_stats(c->t)->lingering, 0);
}

static void test_refused_connection_is_summarised_at_the_rst(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "S", 0, 0, NULL);
	tx(c, B, "RA", 0, 1, NULL);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[0].cs, CONN_REJ);
}

static void test_retransmitted_fin_after_close_is_a_late_segment(void **state)
{
	struct ctx *c = *state;
	uint64_t id;

	open_and_close(c);
	assert_int_equal(c->ns, 1);
	id = c->sum[0].s.conn_id;
	/* A's last ACK was lost past the capture point: B sends its FIN
	 * again an RTO later, A (TIME-WAIT) acknowledges it again */
	wait_ms(c, 800);
	tx(c, B, "FA", 1, 2, NULL);
	assert_true(c->info.tracked);
	assert_true(c->info.late);
	assert_int_equal(c->info.conn_id, id);
	assert_true(c->info.labels & TRACK_L_RETRANS);
	tx(c, A, "A", 2, 2, NULL);
	assert_true(c->info.late);
	assert_int_equal(c->info.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->info.state[B], TCP_CLOSED);
	/* each late segment starts the linger again: 1.5 s after the last
	 * one, 2.3 s after the close, still the same connection */
	wait_ms(c, 1500);
	tx(c, B, "FA", 1, 2, NULL);
	assert_true(c->info.late);
	assert_int_equal(c->info.conn_id, id);
	assert_int_equal(c->ngone, 0);
	track_finish(c->t);
	assert_int_equal(c->ngone, 1);                /* let go at the end */
	assert_int_equal(c->gone[0], id);

	assert_no_conformance(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.last_pkt, 6);
	assert_int_equal(c->sum[0].pkts[B], 2);     /* not counted in the summary... */
	assert_int_equal(track_late_segments(c->t), 3); /* ...but as late segments */
	assert_int_equal(track_flow_stats(c->t)->created, 1);
	/* the late retransmission was labelled, on this connection */
	assert_non_null(find(c, FND_ANA_RETRANSMISSION));
	assert_int_equal(find(c, FND_ANA_RETRANSMISSION)->conn_id, id);
}

static void test_segment_after_the_linger_starts_a_mid_stream_connection(void **state)
{
	struct ctx *c = *state;
	uint64_t id;

	open_and_close(c);
	id = c->sum[0].s.conn_id;
	wait_ms(c, 2500);                      /* the linger (2 s) is over */
	tx(c, A, "A", 2, 2, NULL);             /* A's last ACK again */
	assert_false(c->info.late);
	assert_true(c->info.conn_id > id);
	assert_int_equal(c->ngone, 1);         /* the old one was let go first */
	assert_int_equal(c->gone[0], id);
	/* seen mid-connection: both assumed established */
	assert_int_equal(c->info.state[A], TCP_ESTABLISHED);
	assert_int_equal(c->info.state[B], TCP_ESTABLISHED);
	track_finish(c->t);

	assert_no_conformance(c);
	assert_int_equal(c->ns, 2);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[1].s.end, FLOW_END_FLUSH);
	assert_false(c->sum[1].s.handshake_seen);
	assert_int_equal(c->sum[1].cs, CONN_OTH);
	assert_int_equal(c->sum[1].s.first_pkt, 7);
	assert_int_equal(track_late_segments(c->t), 0);
	assert_int_equal(track_flow_stats(c->t)->created, 2);
	assert_int_equal(track_flow_stats(c->t)->closed, 1);
}

static void test_linger_zero_keeps_nothing_after_close(void **state)
{
	struct ctx *c = *state;

	ctx_open(c, "rfc");
	c->cfg.linger = -1;
	assert_int_equal(track_new(&c->t, &c->cfg), TRACK_ERR_INVAL);
	c->cfg.linger = 0;
	ctx_start(c);
	open_and_close(c);
	tx(c, A, "A", 2, 2, NULL);             /* even at once: a new connection */
	assert_false(c->info.late);
	track_finish(c->t);
	assert_int_equal(c->ns, 2);
	assert_int_equal(c->sum[1].cs, CONN_OTH);
}

static void test_syn_during_linger_restarts_the_lingering_flow(void **state)
{
	struct ctx *c = *state;
	const struct flow_stats *st;

	open_and_close(c);
	wait_ms(c, 100);
	c->isn[A] = 7000000;
	handshake(c);
	assert_false(c->info.late);
	assert_int_equal(c->ngone, 1);
	assert_int_equal(c->gone[0], c->sum[0].s.conn_id);
	st = track_flow_stats(c->t);
	assert_int_equal(st->reused, 1);
	assert_int_equal(st->lingering, 0);
	assert_int_equal(st->live, 1);
	/* the new connection closes and lingers in turn */
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
	assert_int_equal(c->ns, 2);
	assert_int_equal(c->sum[1].s.end, FLOW_END_CLOSED);
	assert_true(c->sum[1].s.handshake_seen);
	assert_int_equal(st->lingering, 1);
	track_finish(c->t);
	assert_int_equal(c->ns, 2);
	assert_no_conformance(c);
}

static void test_late_segments_settle_what_was_owed(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	/* the RST at RCV.NXT closes the connection (reported), B owes the
	 * reset: B acknowledging data sent after it shows it kept the
	 * connection, reported on it after its summary */
	established_with_data(c);
	wait_ms(c, 50);
	tx(c, A, "R", 101, 0, NULL);
	assert_int_equal(c->ns, 1);
	wait_ms(c, 1000);
	tx(c, A, "PA", 101, 6, "more");
	tx(c, B, "A", 6, 105, NULL);
	f = find(c, FND_TRK_RST_NOT_HONOURED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->conn_id, c->sum[0].s.conn_id);
	assert_int_equal(c->sum[0].s.findings[FINDING_MUST], 0); /* after the summary */
	/* the late data is not reassembled: the stream ended with the summary */
	assert_int_equal(c->dlen[A], 100);
	track_finish(c->t);
	assert_int_equal(c->ns, 1);
}

/* 10,000 short connections one after the other, each on its own port:
 * the table holds the live one and those still lingering (2 s of them),
 * never all. */
static void test_many_short_connections_keep_the_table_bounded(void **state)
{
	struct ctx *c = *state;
	const struct flow_stats *st;

	for (int i = 0; i < 10000; i++) {
		c->port[A] = (uint16_t)(10000 + i);
		handshake(c);
		tx(c, A, "PA", 1, 1, "request");
		tx(c, B, "PA", 1, 8, "response");
		tx(c, A, "FA", 8, 9, NULL);
		tx(c, B, "FA", 9, 9, NULL);
		tx(c, A, "A", 9, 10, NULL);
		assert_int_equal(c->ns, (unsigned)i + 1);
	}
	st = track_flow_stats(c->t);
	print_message("peak %zu flows, %zu lingering\n", st->peak, st->linger_peak);
	/* 8 packets 1 ms apart: a connection per 8 ms */
	assert_true(st->linger_peak <= 2000 / 8 + 1);
	assert_true(st->peak <= st->linger_peak + 1);
	assert_true(st->closed >= 10000 - st->linger_peak);
	assert_int_equal(st->created, 10000);
	track_finish(c->t);
	assert_int_equal(c->ns, 10000);
	assert_int_equal(c->ngone, 10000);
	assert_int_equal(st->closed, 10000);
	assert_int_equal(st->flushed, 0);
	assert_no_conformance(c);
}

/* --- simultaneous open and close (RFC 9293 3.5 figure 8, 3.6 figure 13) ---- */

/* Both SYNs cross: each endpoint sends its SYN before the other's arrives,
 * then each answers the other's SYN with a SYN,ACK from SYN-RECEIVED
 * (figure 8). Captured in the middle: SYN, SYN, SYN,ACK, SYN,ACK. */
static void test_simultaneous_open_is_one_clean_connection(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "S", 0, 0, NULL);
	assert_int_equal(c->info.state[A], TCP_SYN_SENT);
	tx(c, B, "S", 0, 0, NULL);                 /* crosses A's SYN */
	assert_int_equal(c->info.conn_id, 1);      /* not a new connection */
	assert_int_equal(c->info.dir, B);
	assert_int_equal(c->info.state[A], TCP_SYN_RECEIVED);
	assert_int_equal(c->info.state[B], TCP_SYN_RECEIVED);
	tx(c, A, "SA", 0, 1, NULL);
	assert_int_equal(c->info.state[B], TCP_ESTABLISHED); /* figure 8, line 7 */
	tx(c, B, "SA", 0, 1, NULL);
	assert_int_equal(c->info.state[A], TCP_ESTABLISHED); /* figure 8, line 6 */
	tx(c, A, "PA", 1, 1, "hello");
	tx(c, B, "A", 1, 6, NULL);
	tx(c, B, "PA", 1, 6, "world");
	tx(c, A, "A", 6, 6, NULL);
	assert_int_equal(c->info.state[A], TCP_ESTABLISHED);
	assert_int_equal(c->info.state[B], TCP_ESTABLISHED);
	track_finish(c->t);
	assert_no_conformance(c);
	/* as Wireshark (tshark 4) labels it: each SYN,ACK repeats its SYN's
	 * sequence number, a "retransmission" */
	assert_int_equal(count_level(c, FINDING_ANALYSIS), 2);
	assert_int_equal(c->f[0].f.id, FND_ANA_RETRANSMISSION);
	assert_int_equal(c->f[1].f.id, FND_ANA_RETRANSMISSION);
	assert_int_equal(c->ns, 1);
	assert_true(c->sum[0].s.handshake_seen);
	assert_int_equal(c->sum[0].s.state[A], TCP_ESTABLISHED);
	assert_int_equal(c->sum[0].s.state[B], TCP_ESTABLISHED);
	assert_int_equal(c->dlen[A], 5);
	assert_int_equal(c->dlen[B], 5);
	assert_int_equal(track_expect_stats(c->t)->violated, 0);
}

/* The same with the ACKs figure 8 does not show but some stacks send
 * (each answers the other's SYN,ACK with a pure ACK). */
static void test_simultaneous_open_with_extra_acks_is_clean(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "S", 0, 0, NULL);
	tx(c, B, "S", 0, 0, NULL);
	tx(c, A, "SA", 0, 1, NULL);
	tx(c, B, "SA", 0, 1, NULL);
	tx(c, A, "A", 1, 1, NULL);
	tx(c, B, "A", 1, 1, NULL);
	assert_int_equal(c->info.state[A], TCP_ESTABLISHED);
	assert_int_equal(c->info.state[B], TCP_ESTABLISHED);
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	/* Wireshark's labels: two "retransmitted" SYNs, two duplicate ACKs */
	assert_int_equal(count_level(c, FINDING_ANALYSIS), 4);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[0].s.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
}

/* The SYN,ACKs of a simultaneous open repeat the SYNs' sequence number,
 * as the RFC asks: no sign of loss, the checks stay on. */
static void test_simultaneous_open_keeps_the_checks_on(void **state)
{
	struct ctx *c = *state;

	tx(c, A, "S", 0, 0, NULL);
	tx(c, B, "S", 0, 0, NULL);
	tx(c, A, "SA", 0, 1, NULL);
	tx(c, B, "SA", 0, 1, NULL);
	tx(c, A, "PA", 1, 1, "hello");
	tx(c, B, "A", 1, 6, NULL);
	wait_ms(c, 50);
	tx(c, A, "R", 100, 0, NULL);                     /* in the window, not RCV.NXT */
	wait_ms(c, 1000);
	tx(c, A, "PA", 6, 1, "more");
	tx(c, B, "A", 1, 10, NULL);                      /* no challenge ACK came first */
	track_finish(c->t);
	assert_non_null(find(c, FND_TRK_RST_NOT_CHALLENGED));
	assert_int_equal(conformance(c), 1);
}

/* Both FINs cross (figure 13): each endpoint is in FIN-WAIT-1 when the
 * other's FIN comes, goes to CLOSING, and to TIME-WAIT on the ACK of its
 * own FIN. */
static void test_simultaneous_close_ends_both_in_time_wait(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "PA", 1, 1, "ping");
	tx(c, B, "PA", 1, 5, "pong");
	tx(c, A, "A", 5, 5, NULL);
	tx(c, A, "FA", 5, 5, NULL);
	assert_int_equal(c->info.state[A], TCP_FIN_WAIT_1);
	tx(c, B, "FA", 5, 5, NULL);                 /* does not ACK A's FIN */
	assert_int_equal(c->info.state[A], TCP_CLOSING);
	assert_int_equal(c->info.state[B], TCP_CLOSING);
	tx(c, A, "A", 6, 6, NULL);
	assert_int_equal(c->info.state[B], TCP_TIME_WAIT);
	assert_int_equal(c->ns, 0);
	tx(c, B, "A", 6, 6, NULL);
	assert_int_equal(c->info.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->info.state[B], TCP_TIME_WAIT);
	assert_int_equal(c->ns, 1);                 /* closed: summarised now */
	track_finish(c->t);
	assert_no_findings(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.end, FLOW_END_CLOSED);
	assert_int_equal(c->sum[0].s.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].s.state[B], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].cs, CONN_SF);
}

/* The FINs cross and carry the ACK of each other's FIN only on the
 * second transmission (Linux: FIN, then the ACK of the peer's FIN). */
static void test_simultaneous_close_with_fin_retransmissions_is_clean(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "FA", 1, 1, NULL);
	tx(c, B, "A", 2, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
	assert_int_equal(c->info.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->info.state[B], TCP_TIME_WAIT);
	track_finish(c->t);
	assert_no_findings(c);
	assert_int_equal(c->ns, 1);
	assert_int_equal(c->sum[0].s.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].s.state[B], TCP_TIME_WAIT);
}

/* --- reassembly ----------------------------------------------------------- */

static void test_reassembly_delivers_both_streams_in_order(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "PA", 1, 1, "one-");
	tx(c, A, "PA", 9, 1, "three");          /* ahead of a segment... */
	tx(c, A, "PA", 5, 1, "two-");           /* ...captured later */
	tx(c, B, "A", 1, 14, NULL);
	tx(c, B, "PA", 1, 14, "reply");
	tx(c, A, "A", 14, 6, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(c->dlen[A], 13);
	assert_memory_equal(c->data[A], "one-two-three", 13);
	assert_int_equal(c->dlen[B], 5);
	assert_memory_equal(c->data[B], "reply", 5);
	assert_int_equal(c->gaps[A] + c->gaps[B], 0);
	assert_true(c->data_order_ok);
}

static void test_overlap_with_other_bytes_is_reported(void **state)
{
	struct ctx *c = *state;

	handshake(c);
	tx(c, A, "PA", 1, 1, "abcd");
	tx(c, A, "PA", 1, 1, "abXd");           /* sent again, other bytes */
	tx(c, B, "A", 1, 5, NULL);
	track_finish(c->t);
	assert_non_null(find(c, FND_ROB_OVERLAP_DIFFERENT_DATA));
	assert_int_equal(c->dlen[A], 4);
	assert_memory_equal(c->data[A], "abcd", 4);
}

/* --- through bytes: a pcap file written and read back ---------------------- */

static size_t frame(struct ctx *c, uint8_t *buf, size_t cap, int from, const char *flags,
		    uint32_t seq, uint32_t ack, const char *data)
{
	struct wire_pkt p;
	size_t n = 0;

	build(c, &p, from, flags, seq, ack, 502, data);
	p.link = WIRE_LINK_ETHERNET;
	p.l2.ethertype = WIRE_ETHERTYPE_IPV4;
	memcpy(p.l2.dst, (uint8_t[]){2, 0, 0, 0, 0, (uint8_t)(!from + 1)}, 6);
	memcpy(p.l2.src, (uint8_t[]){2, 0, 0, 0, 0, (uint8_t)(from + 1)}, 6);
	p.ip.df = true;
	if (p.tcp.has_mss) {
		p.tcp.n_opts = 4;
		p.tcp.opts[0] = (struct wire_tcp_opt){.kind = WIRE_TCPOPT_MSS, .len = 4};
		p.tcp.opts[1] = (struct wire_tcp_opt){.kind = WIRE_TCPOPT_SACK_OK, .len = 2};
		p.tcp.opts[2] = (struct wire_tcp_opt){.kind = WIRE_TCPOPT_NOP, .len = 1};
		p.tcp.opts[3] = (struct wire_tcp_opt){.kind = WIRE_TCPOPT_WSCALE, .len = 3};
	}
	assert_int_equal(wire_emit(&p, p.tcp.payload, p.tcp.payload_len, 0, buf, cap, &n), 0);
	return n;
}

static void put_rec(FILE *fp, tstamp ts, const uint8_t *b, size_t n)
{
	uint32_t h[4] = {(uint32_t)(ts / 1000000000), (uint32_t)(ts % 1000000000 / 1000),
			 (uint32_t)n, (uint32_t)n};

	fwrite(h, sizeof(h), 1, fp);
	fwrite(b, 1, n, fp);
}

static void test_pcap_bytes_through_decoder_and_tracker(void **state)
{
	struct ctx *c = *state;
	char path[] = "/tmp/tcpspec-track-XXXXXX";
	uint32_t hdr[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	struct {
		int from;
		const char *flags;
		uint32_t seq, ack;
		const char *data;
	} script[] = {
		{A, "S", 0, 0, NULL},
		{B, "SA", 0, 1, NULL},
		{A, "A", 1, 1, NULL},
		{A, "PA", 1, 1, "ping"},
		{B, "PA", 1, 5, "pong"},
		{A, "A", 5, 5, NULL},
		{A, "R", 40, 0, NULL},      /* in the window, not RCV.NXT */
		{B, "A", 5, 5, NULL},       /* the challenge ACK */
		{A, "FA", 5, 5, NULL},
		{B, "FA", 5, 6, NULL},
		{A, "A", 6, 6, NULL},
	};
	uint8_t buf[256];
	struct capture *cap;
	struct capture_pkt cp;
	struct diag d;
	tstamp ts = TSTAMP_MS(1700000000000);
	int fd = mkstemp(path);
	FILE *fp;
	int rc;

	assert_true(fd >= 0);
	fp = fdopen(fd, "wb");
	assert_non_null(fp);
	fwrite(hdr, sizeof(hdr), 1, fp);
	for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		size_t n = frame(c, buf, sizeof(buf), script[i].from, script[i].flags,
				 script[i].seq, script[i].ack, script[i].data);

		put_rec(fp, ts, buf, n);
		ts += TSTAMP_MS(2);
	}
	fclose(fp);

	memset(&d, 0, sizeof(d));
	assert_int_equal(capture_open_file(&cap, path, &d), 0);
	while ((rc = capture_next(cap, &cp, &d)) == 1) {
		struct wire_pkt p;

		assert_int_equal(wire_decode(capture_link(cap), cp.data, cp.caplen, cp.wirelen, &p), 0);
		assert_true(p.has_tcp);
		assert_int_equal(p.tcp_csum, WIRE_CSUM_OK);
		assert_int_equal(track_packet(c->t, &p, cp.num, cp.ts_ns, &c->info), 0);
		assert_true(c->info.tracked);
	}
	assert_int_equal(rc, 0);
	capture_close(cap);
	unlink(path);
	track_finish(c->t);

	/* as Wireshark: the challenge ACK is a duplicate ACK, and the FIN
	 * after the RST a "retransmission" (the RST's seq counts as sent) */
	assert_no_conformance(c);
	assert_non_null(find(c, FND_ANA_DUP_ACK));
	assert_int_equal(find(c, FND_ANA_DUP_ACK)->pkt, 8);
	assert_int_equal(c->ns, 1);
	assert_true(c->sum[0].s.handshake_seen);
	assert_int_equal(c->sum[0].s.state[A], TCP_TIME_WAIT);
	assert_int_equal(c->sum[0].s.state[B], TCP_CLOSED);
	assert_int_equal(c->sum[0].s.last_pkt, 11);
	assert_int_equal(c->dlen[A], 4);
	assert_memory_equal(c->data[A], "ping", 4);
	assert_int_equal(c->dlen[B], 4);
	assert_memory_equal(c->data[B], "pong", 4);
}

/* --- the interface ------------------------------------------------------------ */

static void test_non_tcp_packet_problems_are_findings_without_connection(void **state)
{
	struct ctx *c = *state;
	struct wire_pkt p;

	memset(&p, 0, sizeof(p));
	p.has_ip = true;
	p.ip.version = 4;
	p.n_problems = 1;
	p.problems[0].id = FND_IP_CHECKSUM_BAD;
	assert_int_equal(track_packet(c->t, &p, 1, c->now, &c->info), 0);
	assert_false(c->info.tracked);
	assert_int_equal(c->nf, 1);
	assert_int_equal(c->f[0].conn_id, 0);
	assert_int_equal(c->f[0].pkt, 1);
	assert_int_equal(track_packet(NULL, &p, 1, 0, NULL), TRACK_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_normal_connection_has_no_findings_and_closes),
		T(test_capture_starting_mid_connection_has_no_findings),
		T(test_refused_connection_is_clean_and_closed),
		T(test_syn_retransmission_stays_one_connection),
		T(test_ipv6_connection_is_tracked),
		T(test_fin_retransmission_crossing_last_ack_is_clean),
		T(test_lost_segment_is_labelled_not_a_conformance_finding),
		T(test_ack_captured_before_its_data_is_not_a_finding),
		T(test_in_window_rst_without_challenge_ack_is_reported),
		T(test_in_window_rst_with_challenge_ack_is_clean),
		T(test_rfc793_profile_owes_no_challenge_ack),
		T(test_rfc793_profile_with_a_stack_that_challenges_is_clean),
		T(test_rst_answered_as_closed_port_instead_of_challenge_is_reported),
		T(test_data_crossing_the_rst_is_not_a_finding),
		T(test_second_rst_within_throttle_time_is_unknown),
		T(test_rst_at_rcv_nxt_that_does_not_reset_is_reported),
		T(test_rst_at_rcv_nxt_that_resets_is_clean),
		T(test_out_of_window_rst_accepted_is_reported),
		T(test_out_of_window_rst_ignored_is_clean),
		T(test_syn_in_established_without_challenge_ack_is_reported),
		T(test_syn_in_established_with_challenge_ack_is_clean),
		T(test_syn_answered_as_new_connection_restarts_it),
		T(test_ack_below_the_acceptable_range_without_challenge_is_reported),
		T(test_ack_below_the_acceptable_range_with_challenge_is_clean),
		T(test_rfc793_profile_ignores_an_old_ack),
		T(test_unacceptable_segment_not_acked_is_reported_as_should),
		T(test_unacceptable_segment_acked_or_aggregated_is_clean),
		T(test_port_reuse_starts_a_new_connection),
		T(test_idle_timeout_and_eviction_end_connections),
		T(test_rst_closed_connection_is_summarised_at_the_rst),
		T(test_refused_connection_is_summarised_at_the_rst),
		T(test_retransmitted_fin_after_close_is_a_late_segment),
		T(test_segment_after_the_linger_starts_a_mid_stream_connection),
		T(test_linger_zero_keeps_nothing_after_close),
		T(test_syn_during_linger_restarts_the_lingering_flow),
		T(test_late_segments_settle_what_was_owed),
		T(test_many_short_connections_keep_the_table_bounded),
		T(test_simultaneous_open_is_one_clean_connection),
		T(test_simultaneous_open_with_extra_acks_is_clean),
		T(test_simultaneous_open_keeps_the_checks_on),
		T(test_simultaneous_close_ends_both_in_time_wait),
		T(test_simultaneous_close_with_fin_retransmissions_is_clean),
		T(test_reassembly_delivers_both_streams_in_order),
		T(test_overlap_with_other_bytes_is_reported),
		T(test_pcap_bytes_through_decoder_and_tracker),
		T(test_non_tcp_packet_problems_are_findings_without_connection),
#undef T
	};

	return cmocka_run_group_tests_name("track", tests, NULL, NULL);
}
