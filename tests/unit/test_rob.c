/* Unit tests for core/rob: in-order zero-copy delivery, out-of-order
 * buffering, overlap policies and mismatch events, retransmissions against
 * the history (and its buffer growing), gaps, the memory bound, sequence
 * wraparound and reuse after rob_reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"
#include "rob.h"

#define SPACE 8192
#define MAX_EV 512

struct ev_copy {
	enum rob_event_type type;
	uint32_t seq, len;
	const uint8_t *data;
	uint64_t pkt;
	uint8_t old[64], new[64];
	bool has_old, has_new;
};

/* Records events and rebuilds the stream by offset from origin; checks
 * that DATA/GAP/LIMIT events follow each other without holes and, when
 * orig is set, that delivered bytes are the original ones. */
struct rec {
	uint32_t origin;
	const uint8_t *orig;
	uint8_t out[SPACE];
	bool got[SPACE];
	uint32_t expect;
	bool started;
	size_t n[4];
	struct ev_copy ev[MAX_EV];
	size_t nev;
};

static void sink(void *ctx, const struct rob_event *e)
{
	struct rec *rc = ctx;
	struct ev_copy *c;

	assert_true(e->type <= ROB_EV_LIMIT);
	rc->n[e->type]++;
	if (rc->nev < MAX_EV) {
		c = &rc->ev[rc->nev++];
		*c = (struct ev_copy){ .type = e->type, .seq = e->seq, .len = e->len,
				       .data = e->data, .pkt = e->pkt };
		if (e->type == ROB_EV_OVERLAP && e->len <= sizeof(c->old)) {
			if ((c->has_old = e->old_data != NULL))
				memcpy(c->old, e->old_data, e->len);
			if ((c->has_new = e->new_data != NULL))
				memcpy(c->new, e->new_data, e->len);
		}
	}
	if (e->type == ROB_EV_OVERLAP)
		return;
	assert_true(e->len > 0);
	if (rc->started)
		assert_int_equal(e->seq, rc->expect);
	rc->started = true;
	rc->expect = e->seq + e->len;
	if (e->type != ROB_EV_DATA)
		return;
	assert_non_null(e->data);
	for (uint32_t i = 0; i < e->len; i++) {
		uint32_t off = e->seq + i - rc->origin;

		assert_true(off < SPACE);
		assert_false(rc->got[off]);
		rc->got[off] = true;
		rc->out[off] = e->data[i];
		if (rc->orig)
			assert_int_equal(e->data[i], rc->orig[off]);
	}
}

static void ev_is(const struct rec *rc, size_t i, enum rob_event_type type, uint32_t seq,
		  uint32_t len)
{
	assert_true(i < rc->nev);
	assert_int_equal(rc->ev[i].type, type);
	assert_int_equal(rc->ev[i].seq, seq);
	assert_int_equal(rc->ev[i].len, len);
}

static void rob_is(const struct rob *r, uint32_t next, size_t ooo_bytes, size_t nranges)
{
	assert_int_equal(r->next, next);
	assert_int_equal(r->ooo_bytes, ooo_bytes);
	assert_int_equal(r->nranges, nranges);
	assert_true((r->ranges == NULL) == (nranges == 0));
}

static void overlaps_are(const struct rob *r, uint64_t overlaps, uint64_t mismatches)
{
	assert_int_equal(r->overlaps, overlaps);
	assert_int_equal(r->overlap_mismatches, mismatches);
}

static void setup(struct rob *r, struct rec *rc, enum rob_policy p, size_t limit,
		  uint32_t hist, uint32_t origin)
{
	memset(rc, 0, sizeof(*rc));
	rc->origin = origin;
	assert_int_equal(rob_init(r, p, limit, hist, sink, rc), 0);
	rob_start(r, origin);
}

/* rob_add that must succeed and keep the bounds. */
static void add(struct rob *r, uint32_t seq, const uint8_t *d, uint32_t len, uint64_t pkt)
{
	assert_int_equal(rob_add(r, seq, d, len, pkt), 0);
	assert_true(r->ooo_bytes <= r->ooo_limit);
	assert_true(r->nranges <= r->max_ranges);
}

static void fill(uint8_t *p, size_t len, uint8_t first)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(first + i * 7);
}

static void test_rob_in_order_delivery_is_zero_copy(void **state)
{
	struct rob r;
	struct rec rc;
	uint8_t a[10], b[5], c[1];

	(void)state;
	setup(&r, &rc, ROB_POLICY_FIRST, 1000, 64, 100);
	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	c[0] = 9;
	add(&r, 100, a, 10, 1);
	add(&r, 110, b, 5, 2);
	add(&r, 115, c, 1, 3);
	assert_int_equal(rc.nev, 3);
	assert_ptr_equal(rc.ev[0].data, a);
	assert_ptr_equal(rc.ev[1].data, b);
	assert_ptr_equal(rc.ev[2].data, c);
	assert_int_equal(rc.ev[1].seq, 110);
	assert_int_equal(rc.ev[2].pkt, 3);
	rob_is(&r, 116, 0, 0);
	assert_int_equal(r.bytes_delivered, 16);
	assert_null(r.ranges);
	rob_free(&r);
}

static void test_rob_out_of_order_is_held_then_delivered_when_filled(void **state)
{
	uint8_t s[40];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 3);
	setup(&r, &rc, ROB_POLICY_LINUX, 1000, 0, 0);
	rc.orig = s;
	add(&r, 10, s + 10, 10, 1);
	add(&r, 30, s + 30, 10, 2);
	assert_int_equal(rc.nev, 0);
	rob_is(&r, 0, 20, 2);
	add(&r, 0, s, 10, 3);
	/* the segment itself zero-copy, then the run after it */
	assert_int_equal(rc.nev, 2);
	assert_ptr_equal(rc.ev[0].data, s);
	ev_is(&rc, 1, ROB_EV_DATA, 10, 10);
	assert_ptr_not_equal(rc.ev[1].data, s + 10);
	assert_int_equal(rc.ev[1].pkt, 3);
	rob_is(&r, 20, 10, 1);
	add(&r, 20, s + 20, 10, 4);
	assert_int_equal(rc.nev, 4);
	rob_is(&r, 40, 0, 0);
	overlaps_are(&r, 0, 0);
	rob_free(&r);
}

/* DATA events the design promises: a segment arriving at next is one
 * event, plus one for the run it reaches (overlapping or touching). */
static size_t model_data_events(const uint32_t (*seg)[2], const int *order, int n)
{
	bool have[100] = { false };
	uint32_t next = 0;
	size_t events = 0;

	for (int k = 0; k < n; k++) {
		uint32_t s = seg[order[k]][0], e = seg[order[k]][1];
		bool reached = false;

		if (s > next) {
			for (uint32_t x = s; x < e; x++)
				have[x] = true;
			continue;
		}
		if (e <= next)
			continue;
		events++;
		for (uint32_t x = next; x <= e && x < 100; x++)
			reached |= have[x];
		next = e;
		if (reached) {
			events++;
			while (next < 100 && have[next])
				next++;
		}
	}
	return events;
}

static bool next_permutation(int *a, int n)
{
	int i = n - 2, j = n - 1;

	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return false;
	while (a[j] <= a[i])
		j--;
	int t = a[i];
	a[i] = a[j];
	a[j] = t;
	for (int l = i + 1, h = n - 1; l < h; l++, h--) {
		t = a[l];
		a[l] = a[h];
		a[h] = t;
	}
	return true;
}

static void run_permutations(const uint32_t (*seg)[2], uint64_t want_overlaps)
{
	static const uint32_t bases[] = { 1000, 0xFFFFFFE0u };
	uint8_t s[100];

	fill(s, sizeof(s), 5);
	for (size_t b = 0; b < 2; b++) {
		for (int p = ROB_POLICY_FIRST; p <= ROB_POLICY_WINDOWS; p++) {
			int order[5] = { 0, 1, 2, 3, 4 }, perms = 0;

			do {
				struct rob r;
				struct rec rc;

				setup(&r, &rc, (enum rob_policy)p, 100, 32, bases[b]);
				rc.orig = s;
				for (int k = 0; k < 5; k++) {
					uint32_t lo = seg[order[k]][0], hi = seg[order[k]][1];

					add(&r, bases[b] + lo, s + lo, hi - lo, (uint64_t)k);
				}
				rob_is(&r, bases[b] + 100, 0, 0);
				for (int i = 0; i < 100; i++)
					assert_true(rc.got[i]);
				assert_memory_equal(rc.out, s, 100);
				assert_int_equal(rc.n[ROB_EV_DATA], model_data_events(seg, order, 5));
				assert_int_equal(rc.n[ROB_EV_OVERLAP] + rc.n[ROB_EV_GAP] +
						 rc.n[ROB_EV_LIMIT], 0);
				overlaps_are(&r, want_overlaps, 0);
				rob_free(&r);
				perms++;
			} while (next_permutation(order, 5));
			assert_int_equal(perms, 120);
		}
	}
}

static void test_rob_all_120_orders_of_5_segments_rebuild_the_stream(void **state)
{
	static const uint32_t seg[5][2] = { { 0, 20 }, { 20, 40 }, { 40, 60 }, { 60, 80 }, { 80, 100 } };

	(void)state;
	run_permutations(seg, 0);
}

static void test_rob_all_120_orders_of_5_overlapping_segments_rebuild_the_stream(void **state)
{
	/* Neighbours overlap by 10 bytes with the same data: each of the 4
	 * overlaps is counted once, whichever segment comes second. */
	static const uint32_t seg[5][2] = { { 0, 30 }, { 20, 50 }, { 40, 70 }, { 60, 90 }, { 80, 100 } };

	(void)state;
	run_permutations(seg, 4);
}

static void test_rob_sequence_wraps_at_2_32(void **state)
{
	uint8_t s[64];
	struct rob r;
	struct rec rc;
	const uint32_t isn = 0xFFFFFFF0u;

	(void)state;
	fill(s, sizeof(s), 11);
	setup(&r, &rc, ROB_POLICY_BSD, 1000, 64, isn);
	rc.orig = s;
	add(&r, isn + 30, s + 30, 10, 1); /* 14..24 after the wrap: held */
	add(&r, isn, s, 8, 2);             /* 0xFFFFFFF0..F8 */
	rob_is(&r, isn + 8, 10, 1);
	add(&r, isn + 8, s + 8, 22, 3);    /* crosses 0, reaches the run */
	rob_is(&r, 24, 0, 0);
	/* a retransmission across 0, identical: counted, no event */
	add(&r, isn + 4, s + 4, 20, 4);
	assert_int_equal(rc.n[ROB_EV_OVERLAP], 0);
	overlaps_are(&r, 1, 0);
	/* a retransmission across 0 with one byte changed */
	{
		uint8_t x[20];

		memcpy(x, s + 12, 20); /* seqs 0xFFFFFFFC..0x10 */
		x[5] ^= 0xFF;          /* seq 1 */
		add(&r, isn + 12, x, 20, 5);
		assert_int_equal(rc.n[ROB_EV_OVERLAP], 1);
		ev_is(&rc, rc.nev - 1, ROB_EV_OVERLAP, 1, 1);
		assert_int_equal(rc.ev[rc.nev - 1].old[0], s[17]);
	}
	assert_int_equal(rob_skip_to(&r, 40, 6), 0);
	ev_is(&rc, rc.nev - 1, ROB_EV_GAP, 24, 16);
	rob_free(&r);
}

/* Overlap table: old data at [10, 20), a new segment with other bytes;
 * then the hole before both is filled and everything is delivered. */
struct ovl_case {
	uint32_t s, e;
	bool new_wins[5]; /* first, last, linux, bsd, windows */
};

static const struct ovl_case ovl_cases[] = {
	/* starts before the old data */
	{ 5, 15, { 0, 1, 1, 1, 1 } },  /* ends inside it */
	{ 5, 20, { 0, 1, 1, 1, 1 } },  /* ends with it */
	{ 5, 25, { 0, 1, 1, 1, 1 } },  /* contains it */
	/* starts with it */
	{ 10, 15, { 0, 1, 0, 0, 0 } },
	{ 10, 20, { 0, 1, 0, 0, 0 } }, /* same range */
	{ 10, 25, { 0, 1, 1, 0, 0 } }, /* linux: longer wins */
	/* starts inside it */
	{ 12, 18, { 0, 1, 0, 0, 0 } }, /* contained */
	{ 12, 20, { 0, 1, 0, 0, 0 } },
	{ 15, 25, { 0, 1, 0, 0, 0 } },
	/* in order: starts at next, before the old data */
	{ 0, 15, { 0, 1, 1, 1, 1 } },
	{ 0, 25, { 0, 1, 1, 1, 1 } },
	{ 0, 20, { 0, 1, 1, 1, 1 } },
};

static void test_rob_overlap_policies_pick_bytes_per_table(void **state)
{
	uint8_t oldb[64], newb[64], filler[64];

	(void)state;
	memset(oldb, 'o', sizeof(oldb));
	memset(newb, 'N', sizeof(newb));
	memset(filler, 'f', sizeof(filler));
	for (size_t c = 0; c < sizeof(ovl_cases) / sizeof(ovl_cases[0]); c++) {
		const struct ovl_case *t = &ovl_cases[c];

		for (int p = ROB_POLICY_FIRST; p <= ROB_POLICY_WINDOWS; p++) {
			uint32_t lo = t->s < 10 ? t->s : 10, hi = t->e > 20 ? t->e : 20;
			uint32_t a = t->s > 10 ? t->s : 10, b = t->e < 20 ? t->e : 20;
			struct rob r;
			struct rec rc;

			setup(&r, &rc, (enum rob_policy)p, 1000, 0, 0);
			add(&r, 10, oldb, 10, 1);
			add(&r, t->s, newb, t->e - t->s, 2);
			if (lo)
				add(&r, 0, filler, lo, 3);
			assert_int_equal(r.next, hi);
			for (uint32_t x = 0; x < hi; x++) {
				bool in_old = x >= 10 && x < 20, in_new = x >= t->s && x < t->e;
				uint8_t want = in_new && (!in_old || t->new_wins[p]) ? 'N' : in_old ? 'o' : 'f';

				if (rc.out[x] != want)
					fail_msg("case %zu [%u,%u) policy %s: byte %u is '%c', want '%c'",
						 c, t->s, t->e, rob_policy_name((enum rob_policy)p), x,
						 rc.out[x], want);
			}
			/* one overlap, reported with its range */
			overlaps_are(&r, 1, 1);
			assert_int_equal(rc.n[ROB_EV_OVERLAP], 1);
			for (size_t i = 0; i < rc.nev; i++) {
				if (rc.ev[i].type != ROB_EV_OVERLAP)
					continue;
				assert_int_equal(rc.ev[i].seq, a);
				assert_int_equal(rc.ev[i].len, b - a);
				assert_true(rc.ev[i].has_old && rc.ev[i].has_new);
				assert_int_equal(rc.ev[i].old[0], 'o');
				assert_int_equal(rc.ev[i].new[b - a - 1], 'N');
				assert_int_equal(rc.ev[i].pkt, 2);
			}
			rob_free(&r);
		}
	}
}

static void test_rob_overlap_policy_applies_per_run(void **state)
{
	uint8_t oldb[10], newb[20];
	struct rob r;
	struct rec rc;
	uint8_t z[15];

	(void)state;
	memset(oldb, 'o', sizeof(oldb));
	memset(newb, 'N', sizeof(newb));
	memset(z, 'z', sizeof(z));
	/* linux: [15,35) starts inside run [10,20) (old wins there) and
	 * before run [30,40) (new wins there) */
	setup(&r, &rc, ROB_POLICY_LINUX, 1000, 0, 0);
	add(&r, 10, oldb, 10, 1);
	add(&r, 30, oldb, 10, 2);
	add(&r, 15, newb, 20, 3);
	rob_is(&r, 0, 30, 1);
	overlaps_are(&r, 2, 2);
	assert_int_equal(rc.n[ROB_EV_OVERLAP], 2);
	ev_is(&rc, 0, ROB_EV_OVERLAP, 15, 5);
	ev_is(&rc, 1, ROB_EV_OVERLAP, 30, 5);
	add(&r, 0, z, 10, 4);
	assert_memory_equal(rc.out + 10, "oooooooooo" "NNNNNNNNNN" "NNNNNooooo", 30);
	rob_free(&r);
}

static void test_rob_mismatch_event_carries_only_the_differing_range(void **state)
{
	const uint8_t *oldb = (const uint8_t *)"0123456789";
	const uint8_t *newb = (const uint8_t *)"23X5Y7";
	struct rob r;
	struct rec rc;

	(void)state;
	setup(&r, &rc, ROB_POLICY_LAST, 1000, 0, 5000);
	add(&r, 5010, oldb, 10, 1);
	add(&r, 5012, newb, 6, 42);
	assert_int_equal(rc.nev, 1);
	ev_is(&rc, 0, ROB_EV_OVERLAP, 5014, 3);
	assert_int_equal(rc.ev[0].pkt, 42);
	assert_memory_equal(rc.ev[0].old, "456", 3);
	assert_memory_equal(rc.ev[0].new, "X5Y", 3);
	assert_int_equal(rob_flush(&r, 43), 0);
	assert_memory_equal(rc.out + 10, "0123X5Y789", 10);
	rob_free(&r);
}

static void test_rob_identical_retransmission_is_counted_not_reported(void **state)
{
	const uint8_t *msg = (const uint8_t *)"hello world, again";
	uint8_t copy[18];
	struct rob r;
	struct rec rc;

	(void)state;
	memcpy(copy, msg, sizeof(copy));
	setup(&r, &rc, ROB_POLICY_FIRST, 1000, 64, 0);
	add(&r, 0, msg, 11, 1);
	add(&r, 0, copy, 11, 2);        /* all of it again */
	add(&r, 3, copy + 3, 5, 3);     /* part of it */
	add(&r, 14, copy + 14, 4, 4);   /* held */
	add(&r, 14, copy + 14, 4, 5);   /* held, again */
	overlaps_are(&r, 3, 0);
	assert_int_equal(rc.n[ROB_EV_OVERLAP], 0);
	assert_int_equal(rc.n[ROB_EV_DATA], 1);
	/* partly delivered, partly new: trimmed, rest zero-copy */
	add(&r, 8, copy + 8, 7, 6);
	overlaps_are(&r, 5, 0);
	assert_int_equal(rc.n[ROB_EV_OVERLAP], 0);
	assert_ptr_equal(rc.ev[1].data, copy + 11);
	assert_int_equal(r.next, 18);
	assert_memory_equal(rc.out, msg, 18);
	rob_free(&r);
}

static void test_rob_retransmission_is_compared_with_history(void **state)
{
	uint8_t s[20], x[25];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 17);
	setup(&r, &rc, ROB_POLICY_LAST, 1000, 8, 0);
	add(&r, 0, s, 20, 1);
	/* everything differs, but only [12, 20) is still known */
	for (int i = 0; i < 20; i++)
		x[i] = (uint8_t)~s[i];
	add(&r, 0, x, 20, 2);
	assert_int_equal(r.overlap_unchecked, 1);
	assert_int_equal(rc.nev, 2);
	ev_is(&rc, 1, ROB_EV_OVERLAP, 12, 8);
	assert_memory_equal(rc.ev[1].old, s + 12, 8);
	/* wholly older than the history: unknown, no event */
	add(&r, 2, x + 2, 5, 3);
	assert_int_equal(r.overlap_unchecked, 2);
	assert_int_equal(rc.nev, 2);
	/* partly delivered with a change, partly new: OVERLAP, then DATA */
	memcpy(x, s + 16, 4);
	x[2] ^= 1; /* seq 18 */
	memset(x + 4, 'n', 5);
	add(&r, 16, x, 9, 4);
	assert_int_equal(rc.nev, 4);
	ev_is(&rc, 2, ROB_EV_OVERLAP, 18, 1);
	assert_int_equal(rc.ev[2].old[0], s[18]);
	ev_is(&rc, 3, ROB_EV_DATA, 20, 5);
	assert_ptr_equal(rc.ev[3].data, x + 4);
	overlaps_are(&r, 3, 2);
	rob_free(&r);
}

static void test_rob_history_follows_many_small_deliveries(void **state)
{
	uint8_t s[1000];
	struct rob r;
	struct rec rc;
	uint32_t pos = 0;
	unsigned rnd = 12345;

	(void)state;
	fill(s, sizeof(s), 29);
	setup(&r, &rc, ROB_POLICY_FIRST, 1000, 16, 0);
	while (pos < sizeof(s)) {
		uint32_t n = pos + 7 <= sizeof(s) ? 7 : (uint32_t)sizeof(s) - pos;
		uint32_t back = pos + n < 16 ? pos + n : 16, at;
		uint8_t x[16];
		size_t before;

		add(&r, pos, s + pos, n, 1);
		pos += n;
		rnd = rnd * 1103515245u + 12345u;
		at = (rnd >> 8) % back;
		memcpy(x, s + pos - back, back);
		x[at] ^= 0x5A;
		before = rc.nev;
		add(&r, pos - back, x, back, 2);
		assert_int_equal(rc.nev, before + 1);
		ev_is(&rc, rc.nev - 1, ROB_EV_OVERLAP, pos - back + at, 1);
		assert_int_equal(rc.ev[rc.nev - 1].old[0], s[pos - back + at]);
		rc.nev = 0; /* keep the log short */
	}
	assert_int_equal(r.overlap_unchecked, 0);
	rob_free(&r);
}

/* Remembers the last OVERLAP event: where, and the old byte it points at. */
struct last_overlap {
	unsigned n;
	uint32_t seq;
	uint8_t old;
};

static void overlap_sink(void *ctx, const struct rob_event *e)
{
	struct last_overlap *lo = ctx;

	if (e->type != ROB_EV_OVERLAP)
		return;
	lo->n++;
	lo->seq = e->seq;
	assert_non_null(e->old_data);
	lo->old = e->old_data[0];
}

static void test_rob_history_buffer_grows_with_what_is_delivered(void **state)
{
	static uint8_t s[200000], x[32768];
	struct last_overlap lo = {0};
	const uint32_t cap = 32768, isn = 0xfffff000u; /* wraps on the way */
	struct rob r;
	uint32_t pos = 0;

	(void)state;
	fill(s, sizeof(s), 3);
	assert_int_equal(rob_init(&r, ROB_POLICY_FIRST, 1 << 20, cap, overlap_sink, &lo), 0);
	assert_null(r.hist);
	assert_int_equal(r.hist_size, 0);
	rob_start(&r, isn);
	while (pos < sizeof(s)) {
		uint32_t n = 1000, back, at;

		add(&r, isn + pos, s + pos, n, 1);
		pos += n;
		/* about twice what was delivered, from 4 KiB, at most 2 * cap */
		if (pos <= 2048)
			assert_int_equal(r.hist_size, 4096);
		else if (pos <= 2 * cap)
			assert_true(r.hist_size >= pos && r.hist_size <= 2 * pos + 4096);
		else
			assert_int_equal(r.hist_size, 2 * cap);
		/* everything still in the history is compared: one byte changed */
		back = pos < cap ? pos : cap;
		at = (pos * 7919u) % back;
		memcpy(x, s + pos - back, back);
		x[at] ^= 0xA5;
		add(&r, isn + pos - back, x, back, 2);
		assert_int_equal(lo.n, pos / n);
		assert_int_equal(lo.seq, isn + pos - back + at);
		assert_int_equal(lo.old, s[pos - back + at]);
	}
	assert_int_equal(r.overlap_unchecked, 0);
	assert_int_equal(r.bytes_delivered, sizeof(s));
	/* a segment larger than the history keeps its last cap bytes */
	rob_free(&r);
	assert_int_equal(rob_init(&r, ROB_POLICY_FIRST, 1 << 20, 4096, overlap_sink, &lo), 0);
	rob_start(&r, 0);
	add(&r, 0, s, 10000, 1);
	assert_int_equal(r.hist_len, 4096);
	assert_memory_equal(r.hist + r.hist_off, s + 10000 - 4096, 4096);
	rob_free(&r);
	assert_null(r.hist);
	assert_int_equal(r.hist_size, 0);
}

static void test_rob_reset_reuses_the_buffers_for_another_stream(void **state)
{
	uint8_t s[3000], t[3000];
	struct rob r;
	struct rec rc, rc2;
	const uint8_t *hist;
	uint32_t size;
	size_t before;

	(void)state;
	fill(s, sizeof(s), 5);
	fill(t, sizeof(t), 77);
	setup(&r, &rc, ROB_POLICY_FIRST, 1000, 4096, 1000);
	add(&r, 1000, s, 2000, 1);
	add(&r, 3500, s + 2500, 500, 2);          /* held out of order */
	add(&r, 1000, s, 100, 3);                 /* a retransmission */
	assert_int_equal(r.overlaps, 1);
	hist = r.hist;
	size = r.hist_size;
	assert_non_null(hist);

	memset(&rc2, 0, sizeof(rc2));
	rc2.origin = 5000;
	rob_reset(&r, sink, &rc2);
	assert_false(r.started);
	rob_is(&r, 0, 0, 0);
	assert_int_equal(r.bytes_delivered, 0);
	assert_int_equal(r.overlaps, 0);
	assert_int_equal(r.hist_len, 0);
	assert_ptr_equal(r.hist, hist);           /* the buffer is kept */
	assert_int_equal(r.hist_size, size);
	assert_int_equal(r.policy, ROB_POLICY_FIRST);
	assert_int_equal(r.ooo_limit, 1000);
	assert_int_equal(r.hist_cap, 4096);
	/* the held data went without an event; the new stream starts clean */
	before = rc.nev;
	rob_start(&r, 5000);
	add(&r, 5000, t, 1500, 4);
	add(&r, 5000, t, 1500, 5);                /* compared with this stream's bytes */
	assert_int_equal(rc.nev, before);
	assert_int_equal(rc2.n[ROB_EV_DATA], 1);
	assert_int_equal(rc2.n[ROB_EV_OVERLAP], 0);
	assert_int_equal(r.overlaps, 1);
	assert_int_equal(r.overlap_mismatches, 0);
	assert_memory_equal(rc2.out, t, 1500);
	rob_reset(NULL, NULL, NULL);
	rob_free(&r);
}

static void test_rob_skip_to_reports_gaps_and_passes_buffered_data(void **state)
{
	uint8_t s[80];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 31);
	setup(&r, &rc, ROB_POLICY_FIRST, 1000, 0, 0);
	add(&r, 10, s + 10, 10, 1);
	add(&r, 30, s + 30, 10, 2);
	add(&r, 60, s + 60, 5, 3);
	assert_int_equal(rob_skip_to(&r, 35, 9), 0);
	assert_int_equal(rc.nev, 4);
	ev_is(&rc, 0, ROB_EV_GAP, 0, 10);
	ev_is(&rc, 1, ROB_EV_DATA, 10, 10);
	ev_is(&rc, 2, ROB_EV_GAP, 20, 10);
	ev_is(&rc, 3, ROB_EV_DATA, 30, 10); /* the run past 35 is not lost */
	assert_int_equal(rc.ev[3].pkt, 9);
	rob_is(&r, 40, 5, 1);
	assert_int_equal(r.bytes_gap, 20);
	assert_int_equal(rob_skip_to(&r, 35, 10), 0); /* behind: nothing */
	assert_int_equal(rc.nev, 4);
	assert_int_equal(rob_skip_to(&r, 60, 11), 0); /* a run starts there */
	assert_int_equal(rc.nev, 6);
	ev_is(&rc, 4, ROB_EV_GAP, 40, 20);
	ev_is(&rc, 5, ROB_EV_DATA, 60, 5);
	assert_int_equal(rob_skip_to(&r, 70, 12), 0); /* nothing held */
	ev_is(&rc, 6, ROB_EV_GAP, 65, 5);
	add(&r, 70, s + 70, 10, 13);
	assert_ptr_equal(rc.ev[7].data, s + 70);
	assert_int_equal(r.bytes_gap, 45);
	assert_int_equal(r.ooo_bytes, 0);
	rob_free(&r);
}

static void test_rob_flush_reports_gaps_then_data(void **state)
{
	uint8_t s[30];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 37);
	setup(&r, &rc, ROB_POLICY_WINDOWS, 1000, 0, 0);
	assert_int_equal(rob_flush(&r, 1), 0);
	assert_int_equal(rc.nev, 0);
	add(&r, 5, s + 5, 5, 1);
	add(&r, 20, s + 20, 5, 2);
	assert_int_equal(rob_flush(&r, 3), 0);
	assert_int_equal(rc.nev, 4);
	ev_is(&rc, 0, ROB_EV_GAP, 0, 5);
	ev_is(&rc, 1, ROB_EV_DATA, 5, 5);
	ev_is(&rc, 2, ROB_EV_GAP, 10, 10);
	ev_is(&rc, 3, ROB_EV_DATA, 20, 5);
	assert_memory_equal(rc.out + 20, s + 20, 5);
	rob_is(&r, 25, 0, 0);
	rob_free(&r);
}

static void test_rob_memory_limit_skips_the_oldest_hole(void **state)
{
	uint8_t s[300];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 41);
	setup(&r, &rc, ROB_POLICY_FIRST, 100, 0, 0);
	rc.orig = s;
	add(&r, 100, s + 100, 30, 1);
	add(&r, 140, s + 140, 30, 2);
	add(&r, 180, s + 180, 30, 3);
	assert_int_equal(rc.nev, 0);
	add(&r, 220, s + 220, 30, 4); /* 120 > 100 */
	assert_int_equal(rc.nev, 2);
	ev_is(&rc, 0, ROB_EV_LIMIT, 0, 100);
	assert_int_equal(rc.ev[0].pkt, 4);
	ev_is(&rc, 1, ROB_EV_DATA, 100, 30);
	rob_is(&r, 130, 90, 3);
	assert_int_equal(r.limits, 1);
	assert_int_equal(r.bytes_gap, 100);
	/* room is made one hole at a time, oldest first */
	add(&r, 135, s + 135, 3, 5);  /* fits: 93 */
	add(&r, 260, s + 260, 30, 6); /* 123, then 120, then 90 */
	assert_int_equal(rc.nev, 6);
	ev_is(&rc, 2, ROB_EV_LIMIT, 130, 5);
	ev_is(&rc, 3, ROB_EV_DATA, 135, 3);
	ev_is(&rc, 4, ROB_EV_LIMIT, 138, 2);
	ev_is(&rc, 5, ROB_EV_DATA, 140, 30);
	rob_is(&r, 170, 90, 3);
	assert_int_equal(r.limits, 3);
	rob_free(&r);

	/* a segment inside the oldest hole: skipped up to it, then in order */
	setup(&r, &rc, ROB_POLICY_FIRST, 50, 0, 0);
	add(&r, 100, s + 100, 40, 1);
	add(&r, 50, s + 50, 20, 2); /* 60 > 50 */
	assert_int_equal(rc.nev, 2);
	ev_is(&rc, 0, ROB_EV_LIMIT, 0, 50);
	assert_ptr_equal(rc.ev[1].data, s + 50);
	rob_is(&r, 70, 40, 1);

	/* a segment bigger than the whole limit passes through in order */
	rob_free(&r);
	setup(&r, &rc, ROB_POLICY_FIRST, 10, 0, 0);
	add(&r, 20, s + 20, 40, 1);
	ev_is(&rc, 0, ROB_EV_LIMIT, 0, 20);
	assert_ptr_equal(rc.ev[1].data, s + 20);
	rob_is(&r, 60, 0, 0);
	rob_free(&r);
}

static void test_rob_range_limit_skips_the_oldest_hole(void **state)
{
	uint8_t s[100];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 43);
	setup(&r, &rc, ROB_POLICY_FIRST, 1000, 0, 0);
	r.max_ranges = 2;
	add(&r, 10, s + 10, 5, 1);
	add(&r, 20, s + 20, 5, 2);
	add(&r, 15, s + 15, 2, 3); /* merges: still 2 runs */
	assert_int_equal(rc.nev, 0);
	add(&r, 40, s + 40, 5, 4); /* a third run */
	ev_is(&rc, 0, ROB_EV_LIMIT, 0, 10);
	ev_is(&rc, 1, ROB_EV_DATA, 10, 7);
	assert_int_equal(r.nranges, 2);
	rob_free(&r);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	return *x;
}

static void test_rob_random_traffic_keeps_the_bounds(void **state)
{
	uint8_t s[4000];
	uint64_t x = 0x9E3779B97F4A7C15ull;

	(void)state;
	fill(s, sizeof(s), 47);
	for (int round = 0; round < 200; round++) {
		struct rob r;
		struct rec rc;
		uint32_t origin = round & 1 ? 0xFFFFF000u : (uint32_t)round * 977u;

		xorshift(&x);
		setup(&r, &rc, (enum rob_policy)(x % 5), 64 + (x >> 8) % 512,
		      (uint32_t)((x >> 20) % 64), origin);
		r.max_ranges = 1 + (x >> 30) % 8;
		rc.orig = s;
		for (int i = 0; i < 300; i++) {
			uint32_t lo = (uint32_t)(xorshift(&x) % 3900), n = 1 + (uint32_t)((x >> 16) % 100);

			add(&r, origin + lo, s + lo, n, (uint64_t)i);
		}
		assert_int_equal(rob_flush(&r, 999), 0);
		assert_int_equal(r.ooo_bytes, 0);
		assert_int_equal(r.bytes_delivered + r.bytes_gap, r.next - origin);
		assert_int_equal(rc.n[ROB_EV_OVERLAP], 0); /* same bytes throughout */
		rob_free(&r);
	}
}

/* Byte of arrival k at stream offset pos: differs between arrivals. */
static uint8_t mark(uint32_t k, uint32_t pos) { return (uint8_t)(k * 37u + pos * 3u); }

/* first/last do not depend on segment boundaries, so a per-byte model
 * predicts them exactly: delivered bytes never change; held bytes keep
 * the first (or take the last) arrival. The target-based policies are
 * checked for provenance: each byte comes from an arrival covering it. */
static void test_rob_random_overlaps_match_a_byte_model(void **state)
{
	enum { N = 2000, K = 250 };
	static uint8_t val[N], seg[64];
	static bool set[N];
	static uint32_t seg_s[K + 1], seg_n[K + 1];
	uint64_t x = 0x243F6A8885A308D3ull;

	(void)state;
	for (int round = 0; round < 40; round++) {
		enum rob_policy p = (enum rob_policy)(round % 5);
		uint32_t origin = round & 1 ? 0xFFFFFC00u : 7u, next = 0;
		struct rob r;
		struct rec rc;

		memset(set, 0, sizeof(set));
		setup(&r, &rc, p, 1u << 20, 4096, origin);
		for (uint32_t k = 1; k <= K; k++) {
			uint32_t s, n;
			bool differs = false;
			size_t before = rc.n[ROB_EV_OVERLAP];

			n = 1 + (uint32_t)(xorshift(&x) % 60);
			if ((x >> 8) % 4 == 0)
				s = next > (x >> 12) % 11 ? next - (uint32_t)((x >> 12) % 11) : 0;
			else
				s = (uint32_t)((x >> 16) % (N - 60));
			if (s + n > N)
				n = N - s;
			seg_s[k] = s;
			seg_n[k] = n;
			for (uint32_t i = 0; i < n; i++) {
				uint32_t pos = s + i;
				uint8_t v = mark(k, pos);

				seg[i] = v;
				if (set[pos] && val[pos] != v)
					differs = true;
				if (!set[pos] || (pos >= next && p == ROB_POLICY_LAST))
					val[pos] = v;
				set[pos] = true;
			}
			while (next < N && set[next])
				next++;
			add(&r, origin + s, seg, n, k);
			assert_int_equal(r.next, origin + next);
			assert_int_equal(rc.n[ROB_EV_OVERLAP] > before, differs);
		}
		assert_int_equal(rob_flush(&r, K + 1), 0);
		for (uint32_t pos = 0; pos < N; pos++) {
			uint32_t k = 0;

			assert_int_equal(rc.got[pos], set[pos]);
			if (!set[pos])
				continue;
			if (p == ROB_POLICY_FIRST || p == ROB_POLICY_LAST) {
				assert_int_equal(rc.out[pos], val[pos]);
				continue;
			}
			while (++k <= K && rc.out[pos] != mark(k, pos))
				;
			assert_true(k <= K && pos >= seg_s[k] && pos < seg_s[k] + seg_n[k]);
		}
		assert_int_equal(r.ooo_bytes, 0);
		rob_free(&r);
	}
}

static void test_rob_invalid_input_is_rejected(void **state)
{
	uint8_t b[4] = { 1, 2, 3, 4 };
	struct rob r;
	struct rec rc;

	(void)state;
	assert_int_equal(rob_init(NULL, ROB_POLICY_FIRST, 1, 0, sink, NULL), ROB_ERR_INVAL);
	assert_int_equal(rob_init(&r, (enum rob_policy)99, 1, 0, sink, NULL), ROB_ERR_INVAL);
	rob_free(&r);
	assert_int_equal(rob_init(&r, ROB_POLICY_FIRST, 1, ROB_MAX_HIST + 1, sink, NULL),
			 ROB_ERR_INVAL);
	rob_free(&r);
	assert_int_equal(rob_add(NULL, 0, b, 4, 0), ROB_ERR_INVAL);
	assert_int_equal(rob_skip_to(NULL, 0, 0), ROB_ERR_INVAL);
	assert_int_equal(rob_flush(NULL, 0), ROB_ERR_INVAL);

	setup(&r, &rc, ROB_POLICY_FIRST, 100, 0, 1000);
	assert_int_equal(rob_add(&r, 1000, NULL, 4, 0), ROB_ERR_INVAL);
	assert_int_equal(rob_add(&r, 1000, b, 0x80000001u, 0), ROB_ERR_INVAL);
	/* ends more than 2^31 past next: ambiguous */
	assert_int_equal(rob_add(&r, 1000 + 0x7FFFFFFEu, b, 4, 0), ROB_ERR_INVAL);
	/* zero length: nothing, even with no data */
	assert_int_equal(rob_add(&r, 5000, NULL, 0, 0), 0);
	assert_int_equal(rob_add(&r, 1002, b, 0, 0), 0);
	assert_int_equal(rc.nev, 0);
	assert_int_equal(r.next, 1000);
	overlaps_are(&r, 0, 0);
	rob_free(&r);
	rob_free(&r); /* twice is harmless */
}

static void test_rob_policy_names_round_trip_and_unknown_ones_fail(void **state)
{
	static const char *const names[] = { "first", "last", "linux", "bsd", "windows" };
	enum rob_policy p;

	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(rob_policy_by_name(names[i], &p), 0);
		assert_int_equal(p, i);
		assert_string_equal(rob_policy_name(p), names[i]);
	}
	assert_int_equal(rob_policy_by_name("Linux", &p), 0);
	assert_int_equal(p, ROB_POLICY_LINUX);
	assert_int_equal(rob_policy_by_name("solaris", &p), ROB_ERR_INVAL);
	assert_int_equal(rob_policy_by_name(NULL, &p), ROB_ERR_INVAL);
	assert_int_equal(rob_policy_by_name("bsd", NULL), ROB_ERR_INVAL);
	assert_string_equal(rob_policy_name((enum rob_policy)99), "?");
}

static void test_rob_starts_at_the_first_segment_unless_started(void **state)
{
	uint8_t s[10];
	struct rob r;
	struct rec rc;

	(void)state;
	fill(s, sizeof(s), 53);
	memset(&rc, 0, sizeof(rc));
	rc.origin = 777;
	assert_int_equal(rob_init(&r, ROB_POLICY_FIRST, 100, 0, sink, &rc), 0);
	add(&r, 777, s, 10, 1);
	assert_ptr_equal(rc.ev[0].data, s);
	rob_is(&r, 787, 0, 0);
	/* restarting elsewhere drops what was held, without events */
	add(&r, 800, s, 10, 2);
	rob_start(&r, 900);
	assert_int_equal(r.ooo_bytes, 0);
	assert_null(r.ranges);
	assert_int_equal(rc.nev, 1);
	rob_free(&r);
	/* and without a sink, counting goes on */
	assert_int_equal(rob_init(&r, ROB_POLICY_FIRST, 100, 0, NULL, NULL), 0);
	add(&r, 5, s, 10, 1);
	assert_int_equal(r.bytes_delivered, 10);
	rob_free(&r);
}

static void test_rob_events_map_to_catalogue_findings(void **state)
{
	struct rob_event ev = { .type = ROB_EV_OVERLAP, .seq = 1010, .len = 3, .pkt = 7 };
	struct rob r;
	struct finding f;
	char buf[200];

	(void)state;
	assert_int_equal(rob_init(&r, ROB_POLICY_FIRST, 4096, 0, NULL, NULL), 0);
	assert_true(rob_event_finding(&r, &ev, 1000, &f));
	assert_int_equal(f.id, FND_ROB_OVERLAP_DIFFERENT_DATA);
	finding_reason(&f, buf, sizeof(buf));
	assert_string_equal(buf, "3 bytes from relative seq 10 differ from the data seen before (packet 7)");
	ev.type = ROB_EV_LIMIT;
	assert_true(rob_event_finding(&r, &ev, 1000, &f));
	assert_int_equal(f.id, FND_ROB_OOO_LIMIT);
	assert_int_equal(f.v[2], 4096);
	assert_string_equal(finding_info(f.id)->name, "REASSEMBLY-OOO-LIMIT");
	assert_int_equal(finding_info(f.id)->level, FINDING_ANALYSIS);
	ev.type = ROB_EV_GAP;
	assert_false(rob_event_finding(&r, &ev, 1000, &f));
	ev.type = ROB_EV_DATA;
	assert_false(rob_event_finding(&r, &ev, 1000, &f));
	rob_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rob_in_order_delivery_is_zero_copy),
		cmocka_unit_test(test_rob_out_of_order_is_held_then_delivered_when_filled),
		cmocka_unit_test(test_rob_all_120_orders_of_5_segments_rebuild_the_stream),
		cmocka_unit_test(test_rob_all_120_orders_of_5_overlapping_segments_rebuild_the_stream),
		cmocka_unit_test(test_rob_sequence_wraps_at_2_32),
		cmocka_unit_test(test_rob_overlap_policies_pick_bytes_per_table),
		cmocka_unit_test(test_rob_overlap_policy_applies_per_run),
		cmocka_unit_test(test_rob_mismatch_event_carries_only_the_differing_range),
		cmocka_unit_test(test_rob_identical_retransmission_is_counted_not_reported),
		cmocka_unit_test(test_rob_retransmission_is_compared_with_history),
		cmocka_unit_test(test_rob_history_follows_many_small_deliveries),
		cmocka_unit_test(test_rob_history_buffer_grows_with_what_is_delivered),
		cmocka_unit_test(test_rob_reset_reuses_the_buffers_for_another_stream),
		cmocka_unit_test(test_rob_skip_to_reports_gaps_and_passes_buffered_data),
		cmocka_unit_test(test_rob_flush_reports_gaps_then_data),
		cmocka_unit_test(test_rob_memory_limit_skips_the_oldest_hole),
		cmocka_unit_test(test_rob_range_limit_skips_the_oldest_hole),
		cmocka_unit_test(test_rob_random_traffic_keeps_the_bounds),
		cmocka_unit_test(test_rob_random_overlaps_match_a_byte_model),
		cmocka_unit_test(test_rob_invalid_input_is_rejected),
		cmocka_unit_test(test_rob_policy_names_round_trip_and_unknown_ones_fail),
		cmocka_unit_test(test_rob_starts_at_the_first_segment_unless_started),
		cmocka_unit_test(test_rob_events_map_to_catalogue_findings),
	};

	return cmocka_run_group_tests_name("rob", tests, NULL, NULL);
}
