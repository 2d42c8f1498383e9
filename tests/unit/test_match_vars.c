/* Unit tests: the matcher with run-time variables (injector/match.c,
 * match_capture.c): sends and expects whose numbers name captured
 * variables, the tester's TS base, ECN bits, truncation, and captures
 * binding fields of a matched segment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"
#include "script.h"
#include "wire.h"

#define TESTER_ISN 1000u
#define TARGET_ISN 3735928559u   /* 0xDEADBEEF */
#define TS_OFFSET  1000000u

static struct match_flow flow(int ip)
{
	struct match_flow f = {
		.ip_version = (uint8_t)ip,
		.tester_addr = { 192, 0, 2, 2 },
		.target_addr = { 192, 0, 2, 1 },
		.tester_port = 40000,
		.target_port = 8080,
		.tester_isn = TESTER_ISN,
		.target_isn = TARGET_ISN,
		.target_isn_known = true,
		.tester_ts_offset = TS_OFFSET,
	};
	return f;
}

static struct script_suite suite;

static const struct script_case *case_of(const char *steps, int ip)
{
	char yaml[2048], msg[700];
	struct diag d;

	script_suite_free(&suite);
	snprintf(yaml, sizeof(yaml), "id: t\ntarget: {port: 8080, ip: %d}\nsteps:\n%s", ip, steps);
	if (script_load_buffer("v.yaml", yaml, strlen(yaml), &suite, &d)) {
		diag_format(&d, msg, sizeof(msg));
		fail_msg("fixture does not load: %s", msg);
	}
	return &suite.cases[0];
}

static int teardown(void **state)
{
	(void)state;
	script_suite_free(&suite);
	return 0;
}

/* A SYN-ACK from the target with mss 1460, wscale 7 and ts 777 (TSecr
 * echoing our script TSval 5). */
static struct wire_pkt synack(const struct match_flow *f)
{
	struct wire_pkt p;
	struct wire_tcp *t = &p.tcp;

	memset(&p, 0, sizeof(p));
	p.has_ip = p.has_tcp = true;
	p.ip.version = (uint8_t)f->ip_version;
	p.ip.ttl = 61;
	p.ip.tos = 0x12;
	p.ip.flow_label = f->ip_version == 6 ? 0xabcde : 0;
	p.ip.proto = 6;
	t->seq = f->target_isn;
	t->ack = f->tester_isn + 1;
	t->flags = WIRE_TH_SYN | WIRE_TH_ACK;
	t->win = 64240;
	t->urp = 3;
	t->opts[0] = (struct wire_tcp_opt){ .kind = WIRE_TCPOPT_MSS, .len = 4 };
	t->opts[1] = (struct wire_tcp_opt){ .kind = WIRE_TCPOPT_WSCALE, .len = 3 };
	t->opts[2] = (struct wire_tcp_opt){ .kind = WIRE_TCPOPT_TS, .len = 10 };
	t->n_opts = 3;
	t->has_mss = t->has_ws = t->has_ts = true;
	t->mss = 1460;
	t->ws = 7;
	t->tsval = 777;
	t->tsecr = 5 + TS_OFFSET;
	return p;
}

static const char *diff_of(const struct script_seg *seg, const struct script_vars *v,
			   const struct match_flow *f, const struct wire_pkt *p)
{
	static char buf[1024];
	struct match_diff diff;
	bool ok = match_expect(seg, v, f, p, &diff);

	match_diff_str(&diff, buf, sizeof(buf));
	assert_int_equal(ok, diff.n == 0);
	return buf;
}

static void test_match_vars_send_evaluates_expressions(void **state)
{
	const struct script_case *k = case_of(
		"  - expect: {capture: {seq: {abs: isn}, tsval: ts, win: w}}\n"
		"  - send: {flags: A, seq: 1, ack: {abs: $isn+1}, win: $w,"
		" options: [nop, nop, ts 5 $ts, sack $w:$w+10]}\n"
		"  - send: {flags: A, ack: 1, win: $w+70000}\n", 4);
	struct match_flow f = flow(4);
	struct script_vars v;
	struct wire_pkt p;
	unsigned ef;

	(void)state;
	script_vars_init(&v);
	/* nothing bound yet */
	assert_int_equal(match_build_send(&k->steps[1].seg, NULL, &f, &p, &ef), MATCH_ERR_VAR);
	assert_int_equal(match_build_send(&k->steps[1].seg, &v, &f, &p, &ef), MATCH_ERR_VAR);
	assert_int_equal(script_vars_set(&v, "isn", 0xFFFFFFFFu), 0);
	assert_int_equal(script_vars_set(&v, "ts", 777), 0);
	assert_int_equal(script_vars_set(&v, "w", 1000), 0);
	assert_int_equal(match_build_send(&k->steps[1].seg, &v, &f, &p, &ef), 0);
	assert_int_equal(p.tcp.seq, TESTER_ISN + 1);
	assert_int_equal(p.tcp.ack, 0);                       /* 0xFFFFFFFF + 1 wraps */
	assert_int_equal(p.tcp.win, 1000);
	assert_int_equal(p.tcp.tsval, 5 + TS_OFFSET);          /* our TS base */
	assert_int_equal(p.tcp.tsecr, 777);                    /* the target's, as captured */
	assert_int_equal(p.tcp.sack[0].left, TARGET_ISN + 1000);
	assert_int_equal(p.tcp.sack[0].right, TARGET_ISN + 1010);
	/* a value outside its field */
	assert_int_equal(match_build_send(&k->steps[2].seg, &v, &f, &p, &ef), MATCH_ERR_VAR);
	script_vars_free(&v);
}

static void test_match_vars_send_ecn_and_truncate(void **state)
{
	const struct script_case *k = case_of(
		"  - send: {flags: S, ecn: ce, tos: 0x10, truncate: 12}\n"
		"  - send: {flags: S, ecn: ect0}\n"
		"  - send: {flags: S, tos: 0xff, ecn: not-ect}\n", 4);
	struct match_flow f = flow(4), f6 = flow(6);
	struct wire_pkt p;
	unsigned ef;

	(void)state;
	assert_int_equal(match_build_send(&k->steps[0].seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(p.ip.tos, 0x13);
	assert_int_equal(match_truncate_len(&k->steps[0].seg, &p, 200), 14 + 20 + 12);
	assert_int_equal(match_truncate_len(&k->steps[0].seg, &p, 40), 40);
	assert_int_equal(match_build_send(&k->steps[1].seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(p.ip.tos, 0x02);
	assert_int_equal(match_truncate_len(&k->steps[1].seg, &p, 200), 200);
	assert_int_equal(match_build_send(&k->steps[2].seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(p.ip.tos, 0xfc);
	assert_int_equal(match_build_send(&k->steps[0].seg, NULL, &f6, &p, &ef), 0);
	assert_int_equal(match_truncate_len(&k->steps[0].seg, &p, 200), 14 + 40 + 12);
}

static void test_match_vars_expect_evaluates_expressions(void **state)
{
	const struct script_case *k = case_of(
		"  - expect: {capture: {seq: x, tsval: t}}\n"
		"  - expect: {seq: $x, ack: 1, win: $t..$t+64000, options: [mss any, wscale any, ts $t..$t+10 5]}\n"
		"  - expect: {options: {ts: {val: $t+11}}}\n"
		"  - expect: {ecn: ect0}\n"
		"  - expect: {ecn: ce}\n", 4);
	struct match_flow f = flow(4);
	struct wire_pkt p = synack(&f);
	struct script_vars v;

	(void)state;
	script_vars_init(&v);
	assert_int_equal(script_vars_set(&v, "x", 0), 0);
	assert_int_equal(script_vars_set(&v, "t", 770), 0);
	assert_string_equal(diff_of(&k->steps[1].seg, &v, &f, &p), "");
	assert_string_equal(diff_of(&k->steps[2].seg, &v, &f, &p),
			    "options.ts: expected 781 any, observed 777 5");
	/* TSecr is compared in script terms: the wire value minus our TS base */
	p.tcp.tsecr = 5;
	assert_string_equal(diff_of(&k->steps[1].seg, &v, &f, &p),
			    "options[2]: expected ts 770..780 5, observed ts 777 4293967301");
	p = synack(&f);
	assert_string_equal(diff_of(&k->steps[3].seg, &v, &f, &p), "");
	assert_string_equal(diff_of(&k->steps[4].seg, &v, &f, &p), "ecn: expected 3, observed 2");
	/* an unbound variable fails the expect and says which and where */
	script_vars_free(&v);
	assert_string_equal(diff_of(&k->steps[1].seg, &v, &f, &p),
			    "variables: expected bound and in range, observed v.yaml:5:19: variable 'x' is not bound; expected a capture to b");
}

static void test_match_vars_capture_binds_fields(void **state)
{
	const struct script_case *k = case_of(
		"  - expect: {capture: {seq: s, ack: a, win: w, urg: u, len: l, tsval: tv, tsecr: te,"
		" mss: m, wscale: ws, ttl: ttl, tos: tos, ecn: ecn, flow_label: fl}}\n"
		"  - capture: {seq: {abs: sa}, ack: {abs: aa}}\n", 6);
	static const struct { const char *name; uint32_t v; } want[] = {
		{ "s", 0 }, { "a", 1 }, { "w", 64240 }, { "u", 3 }, { "l", 0 },
		{ "tv", 777 }, { "te", 5 }, { "m", 1460 }, { "ws", 7 }, { "ttl", 61 },
		{ "tos", 0x12 }, { "ecn", 2 }, { "fl", 0xabcde },
		{ "sa", TARGET_ISN }, { "aa", TESTER_ISN + 1 },
	};
	struct match_flow f = flow(6);
	struct wire_pkt p = synack(&f);
	struct script_vars v;
	struct diag d;
	uint32_t x;

	(void)state;
	script_vars_init(&v);
	assert_int_equal(match_capture(&k->steps[0], &f, &p, &v, &d), 0);
	assert_int_equal(v.n, 15);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_true(script_vars_get(&v, want[i].name, &x));
		assert_int_equal(x, want[i].v);
	}
	/* seq is the wire value while the target's ISN is unknown */
	f.target_isn_known = false;
	assert_int_equal(match_capture(&k->steps[0], &f, &p, &v, &d), 0);
	assert_true(script_vars_get(&v, "s", &x));
	assert_int_equal(x, TARGET_ISN);
	/* a field the segment lacks is an error at the capture */
	p.tcp.has_ts = false;
	assert_int_equal(match_capture(&k->steps[0], &f, &p, &v, &d), SCRIPT_ERR_SCHEMA);
	assert_string_equal(d.file, "v.yaml");
	assert_int_equal(d.line, 4);
	assert_int_equal(d.col, 71);
	assert_string_equal(d.msg, "capture tsval into tv: the segment has no timestamp option");
	p = synack(&f);
	p.tcp.has_mss = false;
	assert_int_equal(match_capture(&k->steps[0], &f, &p, &v, &d), SCRIPT_ERR_SCHEMA);
	assert_string_equal(d.msg, "capture mss into m: the segment has no mss option");
	script_vars_free(&v);
}

/* Capture then use: the bound value makes the next expect match. */
static void test_match_vars_capture_then_expect(void **state)
{
	const struct script_case *k = case_of(
		"  - expect: {flags: SA, capture: {tsval: t, win: w}}\n"
		"  - expect: {flags: SA, win: $w, options: {ts: {val: $t, ecr: 5}}}\n", 4);
	struct match_flow f = flow(4);
	struct wire_pkt p = synack(&f);
	struct script_vars v;

	(void)state;
	script_vars_init(&v);
	assert_string_equal(diff_of(&k->steps[0].seg, &v, &f, &p), "");
	assert_int_equal(match_capture(&k->steps[0], &f, &p, &v, NULL), 0);
	assert_string_equal(diff_of(&k->steps[1].seg, &v, &f, &p), "");
	p.tcp.win = 1;
	assert_string_equal(diff_of(&k->steps[1].seg, &v, &f, &p), "win: expected 64240, observed 1");
	script_vars_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_match_vars_send_evaluates_expressions, teardown),
		cmocka_unit_test_teardown(test_match_vars_send_ecn_and_truncate, teardown),
		cmocka_unit_test_teardown(test_match_vars_expect_evaluates_expressions, teardown),
		cmocka_unit_test_teardown(test_match_vars_capture_binds_fields, teardown),
		cmocka_unit_test_teardown(test_match_vars_capture_then_expect, teardown),
	};

	return cmocka_run_group_tests_name("match_vars", tests, NULL, NULL);
}
