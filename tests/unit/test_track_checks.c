/* track: the tracker's checks of timestamps (TSECR-NOT-ECHOED, RFC 7323
 * 3.2; PAWS-NOT-ENFORCED, 5.3), of data beyond the advertised window
 * (SEG-OUTSIDE-WINDOW-ACCEPTED, RFC 9293 3.10.7.4) and of TIME-WAIT
 * (TIME-WAIT-NOT-KEPT, 3.6.1; data sent from it): for each a case that
 * must be reported, near misses that must stay silent, and the unknown
 * variants (loss in the capture, values the capture cannot vouch for). */
#include "test_track_fixture.h"

/* --- RFC 7323 3.2: TSecr echoes a TSval the peer sent --------------------- */

/* The handshake with timestamps: A's clock starts at 100, B's at 5000. */
static void handshake_ts(struct ctx *c)
{
	txts(c, A, "S", 0, 0, NULL, 100, 0);
	txts(c, B, "SA", 0, 1, NULL, 5000, 100);
	txts(c, A, "A", 1, 1, NULL, 101, 5000);
}

static void test_tsecr_newer_than_any_tsval_sent_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;
	char buf[256];

	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "abcd", 102, 5000);
	/* A never sent it, nor could a segment the capture missed: its clock
	 * cannot have run that far in 1 ms (1 us per tick and 60 s allowed) */
	txts(c, B, "A", 1, 5, NULL, 5001, 0x20000000);
	track_finish(c->t);
	f = find(c, FND_TRK_TSECR_NOT_ECHOED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, B);
	assert_int_equal(f->pkt, 5);
	assert_int_equal(f->ref_pkt, 4);                  /* A's newest TSval */
	assert_int_equal(finding_info(f->f.id)->level, FINDING_MUST);
	assert_string_equal(finding_info(f->f.id)->section, "3.2");
	finding_reason(&f->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "TSecr 536870912"));
	assert_non_null(strstr(buf, "newest TSval 102"));
	assert_non_null(strstr(buf, "(60001000 ticks"));
	assert_int_equal(conformance(c), 1);
}

/* Near miss: a little newer than any TSval seen may be the value of a pure
 * ACK of A the capture itself dropped (it leaves no hole): not judged. */
static void test_tsecr_slightly_newer_than_seen_is_not_judged(void **state)
{
	struct ctx *c = *state;

	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "abcd", 102, 5000);
	wait_ms(c, 10);
	txts(c, B, "A", 1, 5, NULL, 5001, 112);
	txts(c, B, "A", 1, 5, NULL, 5001, 60000000);     /* 60 s of 1 us ticks */
	track_finish(c->t);
	assert_no_conformance(c);
}

/* Near miss: after a long silence of A its clock may have run anywhere
 * (35 minutes of 1 us ticks reach 2^31): not judged. */
static void test_tsecr_after_a_long_silence_is_not_judged(void **state)
{
	struct ctx *c = *state;

	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "abcd", 102, 5000);
	wait_ms(c, 40 * 60 * 1000);
	txts(c, B, "A", 1, 5, NULL, 5001, 0x20000000);
	track_finish(c->t);
	assert_no_conformance(c);
}

/* Near miss: a value between two TSvals A was seen to send that neither
 * carried may come from a pure ACK of A the capture dropped (no hole
 * shows it): not judged. */
static void test_tsecr_between_tsvals_sent_is_not_judged(void **state)
{
	struct ctx *c = *state;

	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "abcd", 200, 5000);
	txts(c, B, "A", 1, 5, NULL, 5001, 150);          /* 101 < 150 < 200 */
	track_finish(c->t);
	assert_no_conformance(c);
}

static void test_tsecr_of_a_recent_or_older_tsval_is_clean(void **state)
{
	struct ctx *c = *state;

	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "abcd", 200, 5000);
	txts(c, B, "A", 1, 5, NULL, 5001, 200);          /* the newest */
	txts(c, A, "PA", 5, 1, "efgh", 300, 5001);
	txts(c, B, "A", 1, 9, NULL, 5002, 101);          /* an older one: TS.Recent may lag */
	txts(c, B, "A", 1, 9, NULL, 5002, 100);          /* the SYN's */
	txts(c, B, "A", 1, 9, NULL, 5002, 99);           /* older than anything seen: not judged */
	track_finish(c->t);
	assert_no_conformance(c);
}

/* Unknown: a segment of A was not captured (a hole in its sequence
 * space): the check is not made on such a connection (its clock bound
 * would cover it; the brief's gate is kept as a second line). */
static void test_tsecr_after_a_capture_gap_is_not_judged(void **state)
{
	struct ctx *c = *state;

	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "abcd", 200, 5000);
	/* [5, 9) never captured: it carried TSval 250 */
	txts(c, A, "PA", 9, 1, "ijkl", 300, 5000);
	txts(c, B, "A", 1, 13, NULL, 5001, 0x20000000);
	track_finish(c->t);
	assert_no_conformance(c);
}

/* Unknown: captured mid-connection, or without timestamps on a SYN. */
static void test_tsecr_without_both_syns_is_not_judged(void **state)
{
	struct ctx *c = *state;

	txts(c, A, "PA", 1, 1, "abcd", 200, 5000);
	txts(c, B, "A", 1, 5, NULL, 5001, 0x20000000);
	track_finish(c->t);
	assert_no_conformance(c);

	ctx_open(c, "rfc");
	ctx_start(c);
	tx(c, A, "S", 0, 0, NULL);                        /* no Timestamps option */
	txts(c, B, "SA", 0, 1, NULL, 5000, 0);
	txts(c, A, "A", 1, 1, NULL, 101, 5000);
	txts(c, A, "PA", 1, 1, "abcd", 102, 5000);
	txts(c, B, "A", 1, 5, NULL, 5001, 0x20000000);
	track_finish(c->t);
	assert_int_equal(count_level(c, FINDING_MUST), 0);
	assert_null(find(c, FND_TRK_TSECR_NOT_ECHOED));
}

/* Unknown: a segment of A whose options are malformed, or whose header
 * the snap length cut: the TSval B read from it is not known. */
static void test_tsecr_after_unreadable_options_is_not_judged(void **state)
{
	struct ctx *c = *state;
	struct wire_pkt p;

	for (int cut = 0; cut < 2; cut++) {
		ctx_open(c, "rfc");
		ctx_start(c);
		handshake_ts(c);
		build(c, &p, A, "PA", 1, 1, 502, NULL);
		p.tcp.doff = 8;                          /* 12 bytes of options */
		p.n_problems = 1;
		if (cut) {
			p.tcp_csum = WIRE_CSUM_UNVERIFIED;
			p.problems[0].id = FND_TCP_CHECKSUM_UNVERIFIED;
			p.problems[0].v[0] = 24;         /* 24 of 32 header bytes */
			p.problems[0].v[1] = 32;
		} else {
			p.problems[0].id = FND_TCP_OPT_BAD_LENGTH;
		}
		feed(c, &p);
		txts(c, B, "A", 1, 1, NULL, 5001, 0x20000000);
		track_finish(c->t);
		assert_null(find(c, FND_TRK_TSECR_NOT_ECHOED));
	}
	/* the check itself still runs on the same connection without it */
	ctx_open(c, "rfc");
	ctx_start(c);
	handshake_ts(c);
	txts(c, B, "A", 1, 1, NULL, 5001, 0x20000000);
	track_finish(c->t);
	assert_non_null(find(c, FND_TRK_TSECR_NOT_ECHOED));
}

/* A SYN,ACK must echo the SYN's TSval too. */
static void test_tsecr_of_the_syn_ack_is_checked(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	txts(c, A, "S", 0, 0, NULL, 100, 0);
	txts(c, B, "SA", 0, 1, NULL, 5000, 0x64000000);
	txts(c, A, "A", 1, 1, NULL, 101, 5000);
	track_finish(c->t);
	f = find(c, FND_TRK_TSECR_NOT_ECHOED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->pkt, 2);
	assert_int_equal(f->ref_pkt, 1);
	assert_int_equal(conformance(c), 1);
}

/* TSvals wrap through 0 (32-bit timestamp arithmetic, RFC 7323 5.2):
 * an echo just past the wrap is the newest; one far beyond it is not. */
static void test_tsecr_across_the_timestamp_wrap(void **state)
{
	struct ctx *c = *state;
	char d[2] = "x";
	uint32_t base = 0xfffffff0u;

	txts(c, A, "S", 0, 0, NULL, base, 0);
	txts(c, B, "SA", 0, 1, NULL, 5000, base);
	txts(c, A, "A", 1, 1, NULL, base + 1, 5000);
	for (uint32_t i = 0; i < 40; i++) {
		txts(c, A, "PA", 1 + i, 1, d, base + 2 + i, 5000);
		txts(c, B, "A", 1, 2 + i, NULL, 5001 + i, base + 2 + i);
	}
	assert_no_conformance(c);                        /* echoes across 0 */
	txts(c, B, "A", 1, 41, NULL, 6000, base + 41 + 0x40000000);
	assert_non_null(find(c, FND_TRK_TSECR_NOT_ECHOED));
	assert_int_equal(conformance(c), 1);
	track_finish(c->t);
}

/* --- RFC 7323 5.3: PAWS ------------------------------------------------------ */

/* handshake with timestamps; A's data at 1 with TSval 200, which B
 * acknowledges (packets 4-5): B's TS.Recent is at least 200. */
static void paws_floor(struct ctx *c)
{
	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "aaaa", 200, 5000);
	txts(c, B, "A", 1, 5, NULL, 5001, 200);
}

static void test_paws_failing_data_acknowledged_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;
	char buf[256];

	paws_floor(c);
	txts(c, A, "PA", 5, 1, "bbbb", 150, 5001);       /* 150 < TS.Recent */
	txts(c, B, "A", 1, 9, NULL, 5002, 150);          /* ...yet taken */
	track_finish(c->t);
	f = find(c, FND_TRK_PAWS_NOT_ENFORCED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, B);
	assert_int_equal(f->pkt, 7);
	assert_int_equal(f->ref_pkt, 6);
	assert_int_equal(finding_info(f->f.id)->level, FINDING_ANALYSIS);
	finding_reason(&f->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "TSval 150"));
	assert_non_null(strstr(buf, "at least 200"));
	assert_non_null(strstr(buf, "packet 4"));
	assert_int_equal(track_expect_stats(c->t)->violated, 1);
	assert_no_conformance(c);
}

static void test_paws_failing_data_dropped_and_resent_is_clean(void **state)
{
	struct ctx *c = *state;

	paws_floor(c);
	txts(c, A, "PA", 5, 1, "bbbb", 150, 5001);
	txts(c, B, "A", 1, 5, NULL, 5002, 200);          /* dropped: the ACK R1 asks for */
	wait_ms(c, 300);
	txts(c, A, "PA", 5, 1, "bbbb", 400, 5002);       /* sent again, a good TSval */
	txts(c, B, "A", 1, 9, NULL, 5003, 400);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_PAWS_NOT_ENFORCED));
	assert_no_conformance(c);
}

/* Near miss: one tick below TS.Recent (Linux's TCP_PAWS_WINDOW) is not
 * judged; and a floor proven only after the segment does not count. */
static void test_paws_one_tick_below_or_floor_proven_late_is_not_judged(void **state)
{
	struct ctx *c = *state;

	paws_floor(c);
	txts(c, A, "PA", 5, 1, "bbbb", 199, 5001);
	txts(c, B, "A", 1, 9, NULL, 5002, 199);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_PAWS_NOT_ENFORCED));
	assert_int_equal(track_expect_stats(c->t)->created, 0);

	ctx_open(c, "rfc");
	ctx_start(c);
	handshake_ts(c);
	txts(c, A, "PA", 1, 1, "aaaa", 200, 5000);
	txts(c, A, "PA", 5, 1, "bbbb", 150, 5000);       /* before B's ACK of the first */
	txts(c, B, "A", 1, 9, NULL, 5001, 200);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_PAWS_NOT_ENFORCED));
	assert_int_equal(track_expect_stats(c->t)->created, 0);
}

/* Unknown: the capture lost a segment of A (a hole), or the TS.Recent
 * proof is older than 24 days (RFC 7323 5.5). */
static void test_paws_with_loss_or_after_24_days_is_not_judged(void **state)
{
	struct ctx *c = *state;

	paws_floor(c);
	txts(c, A, "PA", 9, 1, "cccc", 300, 5001);       /* [5, 9) not captured */
	txts(c, A, "PA", 13, 1, "dddd", 150, 5001);
	txts(c, B, "A", 1, 17, NULL, 5002, 300);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_PAWS_NOT_ENFORCED));

	ctx_open(c, "rfc");
	c->cfg.idle_timeout = 0;
	ctx_start(c);
	paws_floor(c);
	wait_ms(c, (int64_t)25 * 24 * 3600 * 1000);
	txts(c, A, "PA", 5, 1, "bbbb", 150, 5001);
	txts(c, B, "A", 1, 9, NULL, 5002, 150);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_PAWS_NOT_ENFORCED));
}

/* --- RFC 9293 3.10.7.4: data beyond the advertised window ------------------- */

/* No window scaling: B's SYN,ACK offers 502 bytes (right edge 503); A
 * fills them (packets 4-5). */
static void window_filled(struct ctx *c)
{
	static char full[503];

	memset(full, 'w', 502);
	c->no_ws = true;
	handshake(c);
	tx(c, A, "PA", 1, 1, full);
	txw(c, B, "A", 1, 503, NULL, 0);                 /* all taken, window 0 */
}

static void test_data_beyond_the_window_acknowledged_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;
	char buf[256];

	window_filled(c);
	tx(c, A, "PA", 503, 1, "beyond the window");      /* wholly past the edge */
	txw(c, B, "A", 1, 520, NULL, 0);                 /* ...yet taken */
	track_finish(c->t);
	f = find(c, FND_TRK_OOW_DATA_ACCEPTED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, B);
	assert_int_equal(f->pkt, 7);
	assert_int_equal(f->ref_pkt, 6);
	assert_int_equal(finding_info(f->f.id)->level, FINDING_ANALYSIS);
	finding_reason(&f->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "relative seq 503"));
	assert_non_null(strstr(buf, "(503)"));
	/* the sender's side of it too (fsm_tx) */
	assert_non_null(find(c, FND_TX_BEYOND_PEER_WINDOW));
	assert_no_conformance(c);
}

/* With window scaling (shift 7) the receiver's own edge may lie up to 127
 * bytes past the advertised one: data from 128 bytes past it on is judged. */
static void test_data_beyond_a_scaled_window_acknowledged_is_reported(void **state)
{
	struct ctx *c = *state;
	static char full[64257], slack[129];
	const struct track_finding *f;

	memset(full, 'w', 64256);
	memset(slack, 's', 128);
	handshake(c);
	tx(c, B, "A", 1, 1, NULL);                       /* edge 1 + 502 << 7 = 64257 */
	tx(c, A, "PA", 1, 1, full);
	tx(c, A, "PA", 64257, 1, slack);                 /* within the rounding: not judged */
	tx(c, A, "PA", 64385, 1, "past it");
	tx(c, B, "A", 1, 64392, NULL);
	track_finish(c->t);
	f = find(c, FND_TRK_OOW_DATA_ACCEPTED);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->ref_pkt, 7);
	assert_int_equal(f->pkt, 8);
	assert_int_equal(track_expect_stats(c->t)->created, 1);
	assert_no_conformance(c);
}

/* Near misses: a 1-byte zero-window probe at the edge taken (3.8.6.1),
 * and a window update captured after the data that may have opened the
 * window before it arrived. */
static void test_zero_window_probe_or_window_update_is_clean(void **state)
{
	struct ctx *c = *state;

	window_filled(c);
	wait_ms(c, 200);
	tx(c, A, "PA", 503, 1, "p");                     /* probe */
	txw(c, B, "A", 1, 504, NULL, 100);               /* the window reopened: taken */
	track_finish(c->t);
	assert_null(find(c, FND_TRK_OOW_DATA_ACCEPTED));
	assert_no_conformance(c);

	ctx_open(c, "rfc");
	ctx_start(c);
	window_filled(c);
	tx(c, A, "PA", 503, 1, "sent into the update");
	txw(c, B, "A", 1, 503, NULL, 300);               /* sent before the data arrived */
	txw(c, B, "A", 1, 523, NULL, 280);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_OOW_DATA_ACCEPTED));
	assert_int_equal(track_expect_stats(c->t)->unknown, 1);
}

/* Unknown: the window scale is rounding (2^7 = 128 bytes past the edge may
 * be the receiver's own edge), or the capture lost data of A. */
static void test_data_just_past_a_scaled_edge_or_after_loss_is_not_judged(void **state)
{
	struct ctx *c = *state;
	static char full[64257];

	memset(full, 'w', 64256);
	handshake(c);                                    /* scale 7 */
	tx(c, B, "A", 1, 1, NULL);                       /* edge 1 + 502 << 7 */
	tx(c, A, "PA", 1, 1, full);                      /* fills it */
	tx(c, B, "A", 1, 64257, NULL);                   /* edge 64257 + 64256 */
	tx(c, A, "PA", 64257, 1, full);                  /* fills it */
	tx(c, A, "PA", 128513, 1, "within the rounding");
	tx(c, B, "A", 1, 128532, NULL);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_OOW_DATA_ACCEPTED));
	assert_int_equal(track_expect_stats(c->t)->created, 0);

	ctx_open(c, "rfc");
	ctx_start(c);
	window_filled(c);
	tx(c, A, "PA", 600, 1, "after a hole");          /* [503, 600) not captured */
	txw(c, B, "A", 1, 612, NULL, 0);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_OOW_DATA_ACCEPTED));
}

/* --- RFC 9293 3.6.1: TIME-WAIT lingers 2 MSL ---------------------------------- */

static void test_fin_in_time_wait_answered_by_rst_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;
	char buf[256];

	open_and_close(c);                               /* A in TIME-WAIT at packet 5 */
	wait_ms(c, 800);
	tx(c, B, "FA", 1, 2, NULL);                      /* B's FIN again: A's ACK was lost */
	tx(c, A, "R", 2, 0, NULL);                       /* a closed port's RST: A forgot */
	track_finish(c->t);
	assert_int_equal(track_expect_stats(c->t)->violated, 1);
	f = find(c, FND_TRK_TIME_WAIT_NOT_KEPT);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, A);
	assert_int_equal(f->pkt, 8);
	assert_int_equal(f->ref_pkt, 7);
	assert_int_equal(f->conn_id, c->sum[0].s.conn_id);
	assert_int_equal(finding_info(f->f.id)->level, FINDING_MUST);
	finding_reason(&f->f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "packet 8"));
	assert_non_null(strstr(buf, "803 ms"));
	assert_non_null(strstr(buf, "240000 ms"));
	assert_int_equal(conformance(c), 1);
}

/* B sends its FIN three times before A answers with the RST: one
 * finding, for the first. B's data after its FIN (its own fault) may be
 * what A resets: not judged. */
static void test_fin_in_time_wait_reported_once_and_not_after_other_data(void **state)
{
	struct ctx *c = *state;

	open_and_close(c);
	wait_ms(c, 300);
	tx(c, B, "FA", 1, 2, NULL);
	wait_ms(c, 600);
	tx(c, B, "FA", 1, 2, NULL);
	wait_ms(c, 1200);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "R", 2, 0, NULL);
	track_finish(c->t);
	assert_int_equal(conformance(c), 1);
	assert_int_equal(find(c, FND_TRK_TIME_WAIT_NOT_KEPT)->ref_pkt, 7);

	ctx_open(c, "rfc");
	ctx_start(c);
	open_and_close(c);
	wait_ms(c, 300);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, B, "PA", 2, 2, "after FIN");
	tx(c, A, "R", 2, 0, NULL);
	track_finish(c->t);
	assert_null(find(c, FND_TRK_TIME_WAIT_NOT_KEPT));
	assert_int_equal(count_level(c, FINDING_MUST), 0);
}

static void test_fin_in_time_wait_acknowledged_is_clean(void **state)
{
	struct ctx *c = *state;

	open_and_close(c);
	wait_ms(c, 800);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->satisfied, 1);
	assert_int_equal(track_expect_stats(c->t)->violated, 0);
}

/* Near misses: after 2 MSL (linux profile: 60 s) the RST is right; after
 * an RST of B (RFC 1337 assassination, which Linux allows) too; after a
 * simultaneous close TIME-WAIT is not proven by a FIN. */
static void test_rst_after_2msl_or_assassination_is_not_judged(void **state)
{
	struct ctx *c = *state;

	ctx_open(c, "linux");
	c->cfg.linger = TSTAMP_MS(120000);
	ctx_start(c);
	open_and_close(c);
	wait_ms(c, 61000);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "R", 2, 0, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->created, 0);

	ctx_open(c, "rfc");
	ctx_start(c);
	open_and_close(c);
	tx(c, B, "R", 2, 0, NULL);                       /* may end A's TIME-WAIT */
	wait_ms(c, 800);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "R", 2, 0, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->created, 0);

	ctx_open(c, "rfc");
	ctx_start(c);
	handshake(c);
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "FA", 1, 1, NULL);                      /* crossing FINs */
	tx(c, B, "A", 2, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
	wait_ms(c, 800);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "R", 2, 0, NULL);
	track_finish(c->t);
	assert_no_conformance(c);
	assert_int_equal(track_expect_stats(c->t)->created, 0);
}

/* TIME-WAIT sends no new data: data after the endpoint's own FIN is the
 * sender's finding (fsm_tx), reported on the lingering connection. */
static void test_new_data_from_time_wait_is_reported(void **state)
{
	struct ctx *c = *state;
	const struct track_finding *f;

	open_and_close(c);
	tx(c, A, "PA", 2, 2, "zombie");
	track_finish(c->t);
	f = find(c, FND_TX_DATA_AFTER_FIN);
	if (!f)
		dump(c);
	assert_non_null(f);
	assert_int_equal(f->dir, A);
	assert_int_equal(f->pkt, 7);
	assert_int_equal(f->conn_id, c->sum[0].s.conn_id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_tsecr_newer_than_any_tsval_sent_is_reported),
		T(test_tsecr_slightly_newer_than_seen_is_not_judged),
		T(test_tsecr_after_a_long_silence_is_not_judged),
		T(test_tsecr_between_tsvals_sent_is_not_judged),
		T(test_tsecr_of_a_recent_or_older_tsval_is_clean),
		T(test_tsecr_after_a_capture_gap_is_not_judged),
		T(test_tsecr_without_both_syns_is_not_judged),
		T(test_tsecr_after_unreadable_options_is_not_judged),
		T(test_tsecr_of_the_syn_ack_is_checked),
		T(test_tsecr_across_the_timestamp_wrap),
		T(test_paws_failing_data_acknowledged_is_reported),
		T(test_paws_failing_data_dropped_and_resent_is_clean),
		T(test_paws_one_tick_below_or_floor_proven_late_is_not_judged),
		T(test_paws_with_loss_or_after_24_days_is_not_judged),
		T(test_data_beyond_the_window_acknowledged_is_reported),
		T(test_data_beyond_a_scaled_window_acknowledged_is_reported),
		T(test_zero_window_probe_or_window_update_is_clean),
		T(test_data_just_past_a_scaled_edge_or_after_loss_is_not_judged),
		T(test_fin_in_time_wait_answered_by_rst_is_reported),
		T(test_fin_in_time_wait_reported_once_and_not_after_other_data),
		T(test_fin_in_time_wait_acknowledged_is_clean),
		T(test_rst_after_2msl_or_assassination_is_not_judged),
		T(test_new_data_from_time_wait_is_reported),
#undef T
	};

	return cmocka_run_group_tests_name("track_checks", tests, NULL, NULL);
}
