/* flow: canonical keys, directions, port reuse, idle timeout, LRU
 * eviction, lingering flows, first-seen iteration and no allocation per
 * packet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "flow.h"

static const uint8_t A4[4] = {192, 0, 2, 1}, B4[4] = {192, 0, 2, 2};
static const uint8_t A6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t B6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* Records what the callbacks saw; counts the table's allocations. */
struct rec {
	unsigned inits, ends[FLOW_END_CLOSED + 1];
	unsigned ends_lingering;    /* ends that saw f->lingering */
	uint64_t last_end_conn;
	size_t allocs, frees;
};

static void on_init(void *ctx, struct flow *f)
{
	struct rec *r = ctx;
	uint32_t *payload = flow_user(f);

	assert_int_equal(*payload, 0); /* zeroed before init */
	*payload = 0xabcd;
	r->inits++;
}

static void on_end(void *ctx, struct flow *f, enum flow_end_reason why)
{
	struct rec *r = ctx;

	assert_int_equal(*(uint32_t *)flow_user(f), 0xabcd);
	r->ends[why]++;
	r->ends_lingering += f->lingering;
	r->last_end_conn = f->conn_id;
}

static void *count_alloc(void *actx, size_t n)
{
	((struct rec *)actx)->allocs++;
	return malloc(n);
}

static void count_release(void *actx, void *p)
{
	((struct rec *)actx)->frees++;
	free(p);
}

static struct flow_table *table_linger(struct rec *r, size_t max_flows, tstamp idle,
				       tstamp linger)
{
	struct flow_config cfg = {
		.max_flows = max_flows, .idle_timeout = idle, .linger = linger,
		.user_size = sizeof(uint32_t), .init = on_init, .end = on_end, .ctx = r,
		.alloc = count_alloc, .release = count_release, .actx = r,
	};
	struct flow_table *t;

	memset(r, 0, sizeof(*r));
	assert_int_equal(flow_table_new(&t, &cfg), 0);
	return t;
}

static struct flow_table *table(struct rec *r, size_t max_flows, tstamp idle)
{
	return table_linger(r, max_flows, idle, 0);
}

/* A packet from (src, sport) to (dst, dport). */
static struct flow *pkt4(struct flow_table *t, const uint8_t *src, uint16_t sport,
			 const uint8_t *dst, uint16_t dport, uint8_t flags, tstamp now,
			 uint64_t num, int *dir)
{
	struct flow_key k;
	struct flow *f;
	int side;

	assert_int_equal(flow_key_make(4, src, dst, sport, dport, &k, &side), 0);
	assert_true(flow_touch(t, &k, side, flags, now, num, &f, dir) >= 0);
	return f;
}

static void test_flow_key_same_both_directions_v4(void **state)
{
	struct flow_key k1, k2;
	int s1, s2;

	(void)state;
	assert_int_equal(flow_key_make(4, A4, B4, 1000, 80, &k1, &s1), 0);
	assert_int_equal(flow_key_make(4, B4, A4, 80, 1000, &k2, &s2), 0);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_int_not_equal(s1, s2);
	/* lower address first, ports follow their address */
	assert_memory_equal(k1.addr[0], A4, 4);
	assert_int_equal(k1.port[0], 1000);
	assert_int_equal(k1.port[1], 80);
}

static void test_flow_key_same_both_directions_v6(void **state)
{
	struct flow_key k1, k2, k4;
	int s1, s2, s4;

	(void)state;
	assert_int_equal(flow_key_make(6, B6, A6, 443, 50000, &k1, &s1), 0);
	assert_int_equal(flow_key_make(6, A6, B6, 50000, 443, &k2, &s2), 0);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_int_equal(s1, 1);
	assert_int_equal(s2, 0);
	/* a v4 tuple with the same leading bytes is another flow */
	assert_int_equal(flow_key_make(4, A6, B6, 50000, 443, &k4, &s4), 0);
	assert_memory_not_equal(&k1, &k4, sizeof(k1));
}

static void test_flow_key_same_address_orders_by_port(void **state)
{
	struct flow_key k1, k2;
	int s1, s2;

	(void)state;
	assert_int_equal(flow_key_make(4, A4, A4, 5000, 80, &k1, &s1), 0);
	assert_int_equal(flow_key_make(4, A4, A4, 80, 5000, &k2, &s2), 0);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_int_not_equal(s1, s2);
	assert_int_equal(flow_key_make(5, A4, A4, 1, 2, &k1, &s1), FLOW_ERR_INVAL);
}

static void test_flow_direction_syn_sender_is_zero(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, 0);
	struct flow *f, *g;
	int dir;

	(void)state;
	/* B (higher address) opens: it is direction 0 */
	f = pkt4(t, B4, 40000, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	assert_int_equal(dir, 0);
	g = pkt4(t, A4, 80, B4, 40000, WIRE_TH_SYN | WIRE_TH_ACK, 1, 2, &dir);
	assert_ptr_equal(f, g);
	assert_int_equal(dir, 1);
	pkt4(t, B4, 40000, A4, 80, WIRE_TH_ACK, 2, 3, &dir);
	assert_int_equal(dir, 0);
	assert_int_equal(f->pkts[0], 2);
	assert_int_equal(f->pkts[1], 1);
	assert_int_equal(r.inits, 1);
	flow_table_del(t);
}

static void test_flow_direction_synack_first_means_receiver_opened(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, 0);
	int dir;

	(void)state;
	pkt4(t, A4, 80, B4, 40000, WIRE_TH_SYN | WIRE_TH_ACK, 0, 1, &dir);
	assert_int_equal(dir, 1);
	pkt4(t, B4, 40000, A4, 80, WIRE_TH_ACK, 1, 2, &dir);
	assert_int_equal(dir, 0);
	/* mid-connection: the first sender is direction 0 */
	pkt4(t, A4, 81, B4, 40001, WIRE_TH_ACK, 2, 3, &dir);
	assert_int_equal(dir, 0);
	flow_table_del(t);
}

static void test_flow_restart_new_connection_id(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, 0);
	struct flow *f, *g;
	uint64_t first;
	int dir;

	(void)state;
	f = pkt4(t, B4, 40000, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	pkt4(t, B4, 41000, A4, 80, WIRE_TH_SYN, 0, 2, &dir);
	first = f->conn_id;
	/* the server side opens again on the same tuple */
	g = pkt4(t, A4, 80, B4, 40000, WIRE_TH_SYN, 5, 3, &dir);
	assert_ptr_equal(f, g);
	assert_int_equal(dir, 1);
	flow_restart(t, f, dir, 5, 3);
	assert_int_equal(r.ends[FLOW_END_REUSED], 1);
	assert_int_equal(r.last_end_conn, first);
	assert_true(f->conn_id > first);
	assert_int_equal(r.inits, 3);
	assert_int_equal(f->first_pkt, 3);
	/* the new SYN sender is now direction 0 */
	pkt4(t, A4, 80, B4, 40000, WIRE_TH_ACK, 6, 4, &dir);
	assert_int_equal(dir, 0);
	assert_int_equal(f->pkts[0], 2);
	/* a restarted connection is new: last in first-seen order */
	assert_int_equal(flow_first(t)->key.port[1], 41000);
	assert_ptr_equal(flow_next(flow_first(t)), f);
	assert_int_equal(flow_table_stats(t)->reused, 1);
	flow_table_del(t);
}

static void test_flow_idle_timeout_closes_through_callback(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, TSTAMP_MS(1000));
	struct flow *f;
	uint64_t id;
	int dir;

	(void)state;
	f = pkt4(t, B4, 40000, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	id = f->conn_id;
	pkt4(t, B4, 40001, A4, 80, WIRE_TH_SYN, TSTAMP_MS(900), 2, &dir);
	/* touching another flow at 1.5 s expires the first, not the second */
	pkt4(t, B4, 40002, A4, 80, WIRE_TH_SYN, TSTAMP_MS(1500), 3, &dir);
	assert_int_equal(r.ends[FLOW_END_IDLE], 1);
	assert_int_equal(r.last_end_conn, id);
	assert_int_equal(flow_table_stats(t)->live, 2);
	/* the same tuple later is a new connection */
	f = pkt4(t, B4, 40000, A4, 80, WIRE_TH_ACK, TSTAMP_MS(1600), 4, &dir);
	assert_true(f->conn_id > id);
	/* flow_expire closes all idle ones at once */
	assert_int_equal(flow_expire(t, TSTAMP_MS(10000)), 3);
	assert_int_equal(flow_table_stats(t)->idle_closed, 4);
	assert_null(flow_first(t));
	flow_table_del(t);
}

static void test_flow_idle_flow_hit_is_closed_first(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, TSTAMP_MS(10));
	struct flow *f;
	uint64_t id;
	int dir;

	(void)state;
	/* more idle flows than one touch expires (8): the hit one still goes */
	for (int i = 0; i < 20; i++)
		f = pkt4(t, B4, (uint16_t)(30000 + i), A4, 80, WIRE_TH_SYN, 0,
			 (uint64_t)i + 1, &dir);
	id = f->conn_id;
	f = pkt4(t, A4, 80, B4, 30019, WIRE_TH_ACK, TSTAMP_MS(1000), 21, &dir);
	assert_int_equal(r.ends[FLOW_END_IDLE], 9);
	assert_true(f->conn_id > id);
	assert_int_equal(dir, 0); /* a new flow: its first sender */
	assert_int_equal(flow_table_stats(t)->live, 12);
	flow_table_del(t);
}

static void test_flow_lru_eviction_at_limit(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 3, 0);
	struct flow *f1, *f2;
	struct finding fnd;
	char reason[256];
	uint64_t f2_id;
	int dir;

	(void)state;
	f1 = pkt4(t, B4, 1, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	f2 = pkt4(t, B4, 2, A4, 80, WIRE_TH_SYN, 1, 2, &dir);
	pkt4(t, B4, 3, A4, 80, WIRE_TH_SYN, 2, 3, &dir);
	/* f1 is used again: f2 is now the least recently used */
	pkt4(t, A4, 80, B4, 1, WIRE_TH_SYN | WIRE_TH_ACK, 3, 4, &dir);
	f2_id = f2->conn_id;
	pkt4(t, B4, 4, A4, 80, WIRE_TH_SYN, 4, 5, &dir);
	assert_int_equal(r.ends[FLOW_END_EVICTED], 1);
	assert_int_equal(r.last_end_conn, f2_id);
	assert_int_equal(flow_table_stats(t)->evicted, 1);
	assert_int_equal(flow_table_stats(t)->live, 3);
	assert_int_equal(flow_table_stats(t)->peak, 3);
	assert_ptr_equal(flow_first(t), f1);
	/* the eviction is a finding with a reason */
	flow_evicted_finding(t, f1, &fnd);
	assert_int_equal(fnd.id, FND_FLOW_EVICTED);
	assert_int_equal(finding_info(fnd.id)->level, FINDING_ANALYSIS);
	finding_reason(&fnd, reason, sizeof(reason));
	assert_non_null(strstr(reason, "at the 3-flow limit"));
	flow_table_del(t);
}

static void test_flow_iteration_first_seen_order(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, 0);
	struct flow *f;
	int dir, n = 0;

	(void)state;
	for (int i = 0; i < 200; i++)
		pkt4(t, B4, (uint16_t)(20000 + i), A4, 80, WIRE_TH_SYN, i, (uint64_t)i + 1, &dir);
	/* touching in reverse order does not change first-seen order */
	for (int i = 199; i >= 0; i--)
		pkt4(t, A4, 80, B4, (uint16_t)(20000 + i), WIRE_TH_ACK, 300 + i, 0, &dir);
	for (f = flow_first(t); f; f = flow_next(f))
		assert_int_equal(f->key.port[1], 20000 + n++);
	assert_int_equal(n, 200);
	/* removal keeps the others in order and findable */
	f = flow_next(flow_first(t));
	flow_remove(t, f);
	assert_int_equal(r.ends[FLOW_END_REMOVED], 1);
	assert_int_equal(flow_next(flow_first(t))->key.port[1], 20002);
	for (int i = 0; i < 200; i++) {
		struct flow_key k;

		flow_key_make(4, B4, A4, (uint16_t)(20000 + i), 80, &k, NULL);
		if (i == 1)
			assert_null(flow_find(t, &k));
		else
			assert_non_null(flow_find(t, &k));
	}
	flow_table_del(t);
	assert_int_equal(r.ends[FLOW_END_FLUSH], 199);
}

static void test_flow_no_allocation_per_packet(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, TSTAMP_MS(50));
	size_t after_setup;
	int dir;

	(void)state;
	for (int i = 0; i < 100; i++)
		pkt4(t, B4, (uint16_t)(10000 + i), A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	after_setup = r.allocs;
	/* 100,000 packets on live flows: no allocation */
	for (int n = 0; n < 100000; n++)
		pkt4(t, (n & 1) ? A4 : B4, (n & 1) ? 80 : (uint16_t)(10000 + n % 100),
		     (n & 1) ? B4 : A4, (n & 1) ? (uint16_t)(10000 + n % 100) : 80,
		     WIRE_TH_ACK, TSTAMP_MS(1) + n, (uint64_t)n, &dir);
	assert_int_equal(r.allocs, after_setup);
	/* connections that come and go reuse freed flows: 600 connections,
	 * the allocations are a few slot-array resizes at most */
	for (int round = 1; round <= 20; round++)
		for (int i = 0; i < 30; i++)
			pkt4(t, B4, (uint16_t)(1000 * round + i), A4, 80, WIRE_TH_SYN,
			     TSTAMP_MS(100) * round, 0, &dir);
	print_message("%zu allocations for 600 connections\n", r.allocs - after_setup);
	assert_true(r.allocs - after_setup < 10);
	assert_true(flow_table_stats(t)->idle_closed >= 500);
	flow_table_del(t);
	assert_int_equal(r.allocs, r.frees);
}

static void test_flow_many_flows_grow_and_shrink(void **state)
{
	struct rec r;
	struct flow_table *t = table(&r, 0, 0);
	int dir;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		uint8_t src[4] = {10, 0, (uint8_t)(i >> 8), (uint8_t)i};

		pkt4(t, src, 1234, A4, 80, WIRE_TH_SYN, 0, (uint64_t)i, &dir);
	}
	assert_int_equal(flow_table_stats(t)->live, 5000);
	while (flow_first(t))
		flow_remove(t, flow_first(t));
	assert_int_equal(flow_table_stats(t)->live, 0);
	flow_table_del(t);
	assert_int_equal(r.allocs, r.frees);
}

/* --- lingering flows --------------------------------------------------------- */

#define LINGER TSTAMP_MS(2000)

static void test_flow_lingering_flow_is_found_then_closed_with_its_reason(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 0, 0, LINGER);
	struct flow *f, *g;
	struct flow_key k;
	int dir;

	(void)state;
	f = pkt4(t, B4, 40000, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	flow_linger(t, f, TSTAMP_MS(100), FLOW_END_CLOSED);
	assert_true(f->lingering);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 0); /* the caller reported it */
	assert_int_equal(flow_table_stats(t)->lingering, 1);
	assert_int_equal(flow_table_stats(t)->live, 1);
	/* a late packet finds it, and it lingers from then on */
	g = pkt4(t, A4, 80, B4, 40000, WIRE_TH_FIN | WIRE_TH_ACK, TSTAMP_MS(1000), 2, &dir);
	assert_ptr_equal(f, g);
	assert_int_equal(dir, 1);
	assert_true(g->lingering);
	assert_int_equal(f->pkts[1], 1);
	/* 2.5 s after it started lingering, 1.5 s after the late packet */
	pkt4(t, B4, 40001, A4, 80, WIRE_TH_SYN, TSTAMP_MS(2500), 3, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 0);
	/* past the linger from the late packet: closed on the next touch */
	pkt4(t, B4, 40001, A4, 80, WIRE_TH_ACK, TSTAMP_MS(3001), 4, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 1);
	assert_int_equal(r.ends_lingering, 1);
	flow_key_make(4, B4, A4, 40000, 80, &k, NULL);
	assert_null(flow_find(t, &k));
	assert_int_equal(flow_table_stats(t)->closed, 1);
	assert_int_equal(flow_table_stats(t)->lingering, 0);
	assert_int_equal(flow_table_stats(t)->linger_peak, 1);
	assert_int_equal(flow_table_stats(t)->live, 1);
	flow_table_del(t);
	assert_int_equal(r.ends[FLOW_END_FLUSH], 1);
}

static void test_flow_lingering_flow_hit_after_its_linger_is_a_new_flow(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 0, 0, LINGER);
	struct flow *f, *g;
	uint64_t id;
	int dir;

	(void)state;
	/* more lingering flows than one touch closes (8): the hit one still goes */
	for (int i = 0; i < 20; i++) {
		f = pkt4(t, B4, (uint16_t)(30000 + i), A4, 80, WIRE_TH_SYN, 0, (uint64_t)i + 1,
			 &dir);
		flow_linger(t, f, 0, FLOW_END_CLOSED);
	}
	id = f->conn_id;
	g = pkt4(t, A4, 80, B4, 30019, WIRE_TH_ACK, TSTAMP_MS(5000), 21, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 9);
	assert_true(g->conn_id > id);
	assert_false(g->lingering);
	assert_int_equal(dir, 0);
	assert_int_equal(flow_table_stats(t)->lingering, 11);
	/* flow_expire closes the rest at once */
	assert_int_equal(flow_expire(t, TSTAMP_MS(5000)), 11);
	assert_int_equal(flow_table_stats(t)->live, 1);
	flow_table_del(t);
}

static void test_flow_linger_never_ends_early_when_time_runs_back(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 0, 0, LINGER);
	struct flow *f1, *f2;
	int dir;

	(void)state;
	f1 = pkt4(t, B4, 1, A4, 80, WIRE_TH_SYN, TSTAMP_MS(5000), 1, &dir);
	f2 = pkt4(t, B4, 2, A4, 80, WIRE_TH_SYN, TSTAMP_MS(1000), 2, &dir);
	flow_linger(t, f1, TSTAMP_MS(5000), FLOW_END_CLOSED);
	flow_linger(t, f2, TSTAMP_MS(1000), FLOW_END_CLOSED); /* reordered */
	/* f2's linger is over by its own time, but never before f1's: a
	 * flow may stay longer, never shorter */
	pkt4(t, B4, 3, A4, 80, WIRE_TH_SYN, TSTAMP_MS(3500), 3, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 0);
	pkt4(t, B4, 3, A4, 80, WIRE_TH_ACK, TSTAMP_MS(7001), 4, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 2);
	/* time far ahead, then back by more than a linger: the flow lingers
	 * from the earlier time on, so the list does not stall */
	f1 = pkt4(t, B4, 4, A4, 80, WIRE_TH_SYN, TSTAMP_MS(100000), 5, &dir);
	flow_linger(t, f1, TSTAMP_MS(100000), FLOW_END_CLOSED);
	f2 = pkt4(t, B4, 5, A4, 80, WIRE_TH_SYN, TSTAMP_MS(8000), 6, &dir);
	flow_linger(t, f2, TSTAMP_MS(8000), FLOW_END_CLOSED);
	pkt4(t, B4, 3, A4, 80, WIRE_TH_ACK, TSTAMP_MS(8001), 7, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 2);
	pkt4(t, B4, 3, A4, 80, WIRE_TH_ACK, TSTAMP_MS(10002), 8, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 4);
	assert_int_equal(flow_table_stats(t)->lingering, 0);
	flow_table_del(t);
}

static void test_flow_lingering_flow_goes_first_at_the_limit(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 3, 0, LINGER);
	struct flow *f2;
	int dir;

	(void)state;
	pkt4(t, B4, 1, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	f2 = pkt4(t, B4, 2, A4, 80, WIRE_TH_SYN, 1, 2, &dir);
	pkt4(t, B4, 3, A4, 80, WIRE_TH_SYN, 2, 3, &dir);
	/* f2 lingers; the LRU flow is the first, but it is live */
	flow_linger(t, f2, 3, FLOW_END_CLOSED);
	pkt4(t, B4, 4, A4, 80, WIRE_TH_SYN, 4, 4, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 1);
	assert_int_equal(r.ends[FLOW_END_EVICTED], 0);
	assert_int_equal(flow_table_stats(t)->evicted, 0);
	assert_int_equal(flow_table_stats(t)->live, 3);
	/* none lingers now: the LRU one is evicted */
	pkt4(t, B4, 5, A4, 80, WIRE_TH_SYN, 5, 5, &dir);
	assert_int_equal(r.ends[FLOW_END_EVICTED], 1);
	flow_table_del(t);
}

static void test_flow_restart_takes_a_lingering_flow_back(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 0, TSTAMP_MS(10000), LINGER);
	struct flow *f;
	uint64_t id;
	int dir;

	(void)state;
	f = pkt4(t, B4, 40000, A4, 80, WIRE_TH_SYN, 0, 1, &dir);
	id = f->conn_id;
	flow_linger(t, f, TSTAMP_MS(10), FLOW_END_CLOSED);
	/* a new SYN on the tuple during the linger: port reuse */
	assert_ptr_equal(pkt4(t, B4, 40000, A4, 80, WIRE_TH_SYN, TSTAMP_MS(500), 2, &dir), f);
	flow_restart(t, f, dir, TSTAMP_MS(500), 2);
	assert_int_equal(r.ends[FLOW_END_REUSED], 1);
	assert_int_equal(r.ends_lingering, 1); /* the callback knew it was reported */
	assert_false(f->lingering);
	assert_true(f->conn_id > id);
	assert_int_equal(flow_table_stats(t)->lingering, 0);
	/* live again: no linger end, only the idle timeout */
	pkt4(t, B4, 1, A4, 80, WIRE_TH_SYN, TSTAMP_MS(5000), 3, &dir);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 0);
	pkt4(t, B4, 1, A4, 80, WIRE_TH_ACK, TSTAMP_MS(10600), 4, &dir);
	assert_int_equal(r.ends[FLOW_END_IDLE], 1);
	assert_int_equal(r.last_end_conn, f->conn_id);
	flow_table_del(t);
}

static void test_flow_flush_closes_lingering_flows_with_their_reason(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 0, 0, LINGER);
	struct flow *f;
	int dir;

	(void)state;
	for (int i = 0; i < 10; i++) {
		f = pkt4(t, B4, (uint16_t)(100 + i), A4, 80, WIRE_TH_SYN, i, (uint64_t)i + 1, &dir);
		if (i & 1)
			flow_linger(t, f, i, FLOW_END_CLOSED);
	}
	flow_table_del(t);
	assert_int_equal(r.ends[FLOW_END_CLOSED], 5);
	assert_int_equal(r.ends[FLOW_END_FLUSH], 5);
	assert_int_equal(r.ends_lingering, 5);
}

static void test_flow_lingering_connections_allocate_nothing_once_warm(void **state)
{
	struct rec r;
	struct flow_table *t = table_linger(&r, 0, 0, TSTAMP_MS(50));
	size_t warm = 0;
	int dir;

	(void)state;
	/* a connection every 10 ms, each lingering 50 ms after its 3 packets */
	for (int i = 0; i < 5000; i++) {
		tstamp now = TSTAMP_MS(10) * i;
		struct flow *f = pkt4(t, B4, (uint16_t)(1024 + i), A4, 80, WIRE_TH_SYN, now, 0, &dir);

		pkt4(t, A4, 80, B4, (uint16_t)(1024 + i), WIRE_TH_SYN | WIRE_TH_ACK, now + 1, 0, &dir);
		pkt4(t, B4, (uint16_t)(1024 + i), A4, 80, WIRE_TH_ACK, now + 2, 0, &dir);
		flow_linger(t, f, now + 2, FLOW_END_CLOSED);
		if (i == 100)
			warm = r.allocs;
	}
	assert_int_equal(r.allocs, warm);
	assert_true(flow_table_stats(t)->peak <= 7);
	assert_true(flow_table_stats(t)->closed >= 4990);
	flow_table_del(t);
	assert_int_equal(r.allocs, r.frees);
}

static void test_flow_bad_arguments(void **state)
{
	struct flow_config cfg = {0};
	struct flow_table *t;
	struct wire_pkt p;
	struct flow_key k;
	int side;

	(void)state;
	assert_int_equal(flow_table_new(NULL, &cfg), FLOW_ERR_INVAL);
	cfg.alloc = count_alloc; /* alloc without release */
	assert_int_equal(flow_table_new(&t, &cfg), FLOW_ERR_INVAL);
	cfg.alloc = NULL;
	cfg.linger = -1;
	assert_int_equal(flow_table_new(&t, &cfg), FLOW_ERR_INVAL);
	memset(&p, 0, sizeof(p));
	assert_int_equal(flow_key_from_pkt(&p, &k, &side), FLOW_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_key_same_both_directions_v4),
		cmocka_unit_test(test_flow_key_same_both_directions_v6),
		cmocka_unit_test(test_flow_key_same_address_orders_by_port),
		cmocka_unit_test(test_flow_direction_syn_sender_is_zero),
		cmocka_unit_test(test_flow_direction_synack_first_means_receiver_opened),
		cmocka_unit_test(test_flow_restart_new_connection_id),
		cmocka_unit_test(test_flow_idle_timeout_closes_through_callback),
		cmocka_unit_test(test_flow_idle_flow_hit_is_closed_first),
		cmocka_unit_test(test_flow_lru_eviction_at_limit),
		cmocka_unit_test(test_flow_iteration_first_seen_order),
		cmocka_unit_test(test_flow_no_allocation_per_packet),
		cmocka_unit_test(test_flow_many_flows_grow_and_shrink),
		cmocka_unit_test(test_flow_lingering_flow_is_found_then_closed_with_its_reason),
		cmocka_unit_test(test_flow_lingering_flow_hit_after_its_linger_is_a_new_flow),
		cmocka_unit_test(test_flow_linger_never_ends_early_when_time_runs_back),
		cmocka_unit_test(test_flow_lingering_flow_goes_first_at_the_limit),
		cmocka_unit_test(test_flow_restart_takes_a_lingering_flow_back),
		cmocka_unit_test(test_flow_flush_closes_lingering_flows_with_their_reason),
		cmocka_unit_test(test_flow_lingering_connections_allocate_nothing_once_warm),
		cmocka_unit_test(test_flow_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
