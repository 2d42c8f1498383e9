/* Unit tests: variables and expressions (injector/script_expr.c,
 * script_vars.c). Load-time values fold into constants; a captured name
 * stays a reference (name + offset, mod 2^32) that the run time evaluates;
 * errors say where and what was expected. */
#include "test_script.h"

/* --- load time --- */

static void test_expr_load_time_values_fold(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;
	const struct script_seg *g;

	(void)state;
	k = load_ok(&s, "id: t\ntarget: {port: 80}\n"
			"vars: {base: 1000, next: \"${base}+5\", hexed: 0x10, neg: -3, big: 4294967295}\n"
			"steps:\n"
			"  - send: {flags: S, seq: $base, win: \"${next}\", urg: $hexed+1}\n"
			"  - send: {flags: S, seq: $neg, win: $base-$neg, options: [ts $big+2 0, mss $base+460]}\n"
			"  - send: {flags: S, seq: \"${base} - 1001\"}\n");
	g = &k->steps[0].seg;
	assert_num(&g->seq, SNUM_VALUE, 1000, 1000);
	assert_num(&g->win, SNUM_VALUE, 1005, 1005);
	assert_num(&g->urp, SNUM_VALUE, 17, 17);
	g = &k->steps[1].seg;
	assert_num(&g->seq, SNUM_VALUE, 0xFFFFFFFDu, 0xFFFFFFFDu);   /* -3 mod 2^32 */
	assert_num(&g->win, SNUM_VALUE, 1003, 1003);
	assert_num(&g->opts[0].a, SNUM_VALUE, 1, 1);                   /* wraps: 2^32-1+2 */
	assert_num(&g->opts[1].a, SNUM_VALUE, 1460, 1460);
	assert_num(&k->steps[2].seg.seq, SNUM_VALUE, 0xFFFFFFFFu, 0xFFFFFFFFu);
	script_suite_free(&s);
}

static void test_expr_text_interpolates_and_aliases(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	k = load_ok(&s, "id: t/$kind\ntitle: \"${kind} costs $$5 ($n)\"\n"
			"vars: {kind: syn, alias: $kind, n: 7, flags: SA}\n"
			"tags: [$alias, x$n]\ntarget: {port: 80}\n"
			"steps: [expect: {flags: $flags, win: $n}]\n");
	assert_string_equal(k->id, "t/syn");
	assert_string_equal(k->title, "syn costs $5 (7)");
	assert_int_equal(k->n_tags, 2);
	assert_string_equal(k->tags[0], "syn");
	assert_string_equal(k->tags[1], "x7");
	assert_int_equal(k->steps[0].seg.flags, WIRE_TH_SYN | WIRE_TH_ACK);
	assert_num(&k->steps[0].seg.win, SNUM_VALUE, 7, 7);
	script_suite_free(&s);
}

/* --- captured variables: refs --- */

static void test_expr_captured_names_stay_references(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;
	const struct script_seg *g;
	const struct script_opt *o;

	(void)state;
	k = load_ok(&s, HDR
		    "  - expect: {flags: SA, capture: {seq: {abs: isn}, tsval: ts, win: w}}\n"
		    "  - send: {flags: A, seq: 1, ack: {abs: $isn+1}, win: $w, options: [nop, nop, ts 5 $ts]}\n"
		    "  - expect: {seq: 5+$isn, win: \"$w-5..$w\", options: [nop, nop, ts $ts..$ts+1000 any]}\n"
		    "  - send: {flags: A, ack: 1, options: [sack $isn:$isn+100]}\n"
		    "  - expect: {options: {ts: {val: $ts-5, ecr: any}}}\n"
		    "  - app: {write: $w}\n");
	g = &k->steps[0].seg;
	assert_int_equal(k->steps[0].n_caps, 3);
	assert_int_equal(k->steps[0].caps[0].field, SCAP_SEQ_ABS);
	assert_string_equal(k->steps[0].caps[0].name, "isn");
	assert_int_equal(k->steps[0].caps[1].field, SCAP_TSVAL);
	assert_int_equal(k->steps[0].caps[2].field, SCAP_WIN);
	assert_int_equal(k->steps[0].caps[2].line, 4);
	assert_int_equal(k->steps[0].caps[2].col, 68);

	g = &k->steps[1].seg;
	assert_true(g->ack_abs);
	assert_expr(&g->ack.lo, "isn", 1);
	assert_string_equal(g->ack.lo.ref->file, "t.yaml");
	assert_int_equal(g->ack.lo.ref->line, 5);
	assert_int_equal(g->ack.lo.ref->col, 41);
	assert_expr(&g->win.lo, "w", 0);
	assert_expr(&g->opts[2].a.lo, NULL, 5);
	assert_expr(&g->opts[2].b.lo, "ts", 0);

	g = &k->steps[2].seg;
	assert_expr(&g->seq.lo, "isn", 5);
	assert_int_equal(g->win.k, SNUM_RANGE);
	assert_expr(&g->win.lo, "w", (uint32_t)-5);                 /* offsets wrap */
	assert_expr(&g->win.hi, "w", 0);
	o = &g->opts[2];
	assert_int_equal(o->a.k, SNUM_RANGE);
	assert_expr(&o->a.lo, "ts", 0);
	assert_expr(&o->a.hi, "ts", 1000);
	assert_int_equal(o->b.k, SNUM_ANY);

	o = &k->steps[3].seg.opts[0];
	assert_int_equal(o->n_sack, 1);
	assert_expr(&o->sack[0][0], "isn", 0);
	assert_expr(&o->sack[0][1], "isn", 100);
	assert_expr(&k->steps[4].seg.opts[0].a.lo, "ts", (uint32_t)-5);
	assert_expr(&k->steps[5].app.count, "w", 0);
	script_suite_free(&s);
}

/* A parameter may carry a captured variable into an included file. */
static void test_expr_parameters_carry_references(void **state)
{
	static const struct mem_file files[] = {
		{ "f.yaml", "- send: {flags: A, seq: 1, ack: $a, win: \"${a}+2\"}\n" },
		{ NULL, NULL },
	};
	const char *y = HDR "  - expect: {capture: {seq: x}}\n"
			"  - include: {file: f.yaml, with: {a: \"$x+1\"}}\n";
	struct script_suite s = { 0 };
	struct diag d;
	const struct script_seg *g;

	(void)state;
	assert_int_equal(script_load_buffer_with("t.yaml", y, strlen(y), mem_reader,
						 (void *)files, &s, &d), 0);
	g = &s.cases[0].steps[1].seg;
	assert_expr(&g->ack.lo, "x", 1);
	assert_expr(&g->win.lo, "x", 3);
	/* the reference is where the variable was named: the with: value */
	assert_string_equal(g->ack.lo.ref->file, "t.yaml");
	assert_int_equal(g->ack.lo.ref->line, 5);
	script_suite_free(&s);
}

/* --- run time --- */

static void test_expr_vars_set_get_and_rebind(void **state)
{
	struct script_vars v;
	uint32_t x = 0;

	(void)state;
	script_vars_init(&v);
	assert_false(script_vars_get(&v, "a", &x));
	assert_false(script_vars_get(NULL, "a", &x));
	for (unsigned i = 0; i < 20; i++) {          /* grows past the first block */
		char name[8];

		snprintf(name, sizeof(name), "v%u", i);
		assert_int_equal(script_vars_set(&v, name, i * 10), 0);
	}
	assert_int_equal(script_vars_set(&v, "v3", 7), 0);   /* rebind */
	assert_int_equal(v.n, 20);
	assert_true(script_vars_get(&v, "v3", &x));
	assert_int_equal(x, 7);
	assert_true(script_vars_get(&v, "v19", &x));
	assert_int_equal(x, 190);
	script_vars_free(&v);
	assert_int_equal(v.n, 0);
}

static void test_expr_eval_wraps_mod_2_32(void **state)
{
	struct script_ref r = { .name = "isn", .file = "t.yaml", .line = 9, .col = 3 };
	struct script_expr c = { .v = 42 }, plus = { .v = 0x20, .ref = &r },
			   minus = { .v = (uint32_t)-5, .ref = &r };
	struct script_vars v;
	struct diag d;
	uint32_t x;

	(void)state;
	script_vars_init(&v);
	assert_int_equal(script_eval(&c, NULL, &x, NULL), 0);
	assert_int_equal(x, 42);
	assert_int_equal(script_eval(&plus, &v, &x, &d), SCRIPT_ERR_UNBOUND);
	assert_string_equal(d.file, "t.yaml");
	assert_int_equal(d.line, 9);
	assert_int_equal(d.col, 3);
	assert_string_equal(d.msg, "variable 'isn' is not bound; expected a capture to bind it before this step");
	assert_int_equal(script_eval(&plus, NULL, &x, NULL), SCRIPT_ERR_UNBOUND);

	assert_int_equal(script_vars_set(&v, "isn", 0xFFFFFFF0u), 0);
	assert_int_equal(script_eval(&plus, &v, &x, &d), 0);
	assert_int_equal(x, 0x10);                   /* 0xFFFFFFF0 + 0x20 wraps */
	assert_int_equal(script_vars_set(&v, "isn", 2), 0);
	assert_int_equal(script_eval(&minus, &v, &x, &d), 0);
	assert_int_equal(x, 0xFFFFFFFDu);            /* 2 - 5 wraps */
	script_vars_free(&v);
}

static void test_expr_seg_resolve_evaluates_every_field(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;
	struct script_seg r;
	struct script_vars v;
	struct diag d;

	(void)state;
	k = load_ok(&s, HDR
		    "  - expect: {capture: {seq: a, win: w, tsval: t}}\n"
		    "  - expect: {seq: $a+1, ack: $a..$a+2, win: $w, urg: $w, len: $w, ttl: $w,"
		    " tos: $w, ecn: $w, options: [ts $t-1 $t, sack $a:$a+8, mss $w, wscale $w]}\n"
		    "  - send: {flags: S, win: $w+70000}\n");
	script_vars_init(&v);
	assert_int_equal(script_vars_set(&v, "a", 0xFFFFFFFFu), 0);
	assert_int_equal(script_vars_set(&v, "w", 3), 0);
	assert_int_equal(script_vars_set(&v, "t", 0), 0);
	assert_int_equal(script_seg_resolve(&k->steps[1].seg, &v, &r, &d), 0);
	assert_num(&r.seq, SNUM_VALUE, 0, 0);
	assert_num(&r.ack, SNUM_RANGE, 0xFFFFFFFFu, 1);
	assert_num(&r.win, SNUM_VALUE, 3, 3);
	assert_num(&r.urp, SNUM_VALUE, 3, 3);
	assert_num(&r.len, SNUM_VALUE, 3, 3);
	assert_num(&r.ttl, SNUM_VALUE, 3, 3);
	assert_num(&r.tos, SNUM_VALUE, 3, 3);
	assert_num(&r.ecn, SNUM_VALUE, 3, 3);
	assert_num(&r.opts[0].a, SNUM_VALUE, 0xFFFFFFFFu, 0xFFFFFFFFu);
	assert_num(&r.opts[0].b, SNUM_VALUE, 0, 0);
	assert_expr(&r.opts[1].sack[0][0], NULL, 0xFFFFFFFFu);
	assert_expr(&r.opts[1].sack[0][1], NULL, 7);
	assert_num(&r.opts[2].a, SNUM_VALUE, 3, 3);
	assert_num(&r.opts[3].a, SNUM_VALUE, 3, 3);

	/* a value too big for its field is an error at run time */
	assert_int_equal(script_vars_set(&v, "w", 4), 0);
	assert_int_equal(script_seg_resolve(&k->steps[1].seg, &v, &r, &d), SCRIPT_ERR_RANGE);
	assert_string_equal(d.msg, "ecn is 4 here; expected 0..3");
	assert_int_equal(d.line, 5);
	assert_int_equal(script_seg_resolve(&k->steps[2].seg, &v, &r, &d), SCRIPT_ERR_RANGE);
	assert_string_equal(d.msg, "win is 70004 here; expected 0..65535");
	assert_string_equal(d.file, "t.yaml");
	assert_int_equal(d.line, 6);
	assert_int_equal(d.col, 27);
	/* unbound */
	script_vars_free(&v);
	assert_int_equal(script_seg_resolve(&k->steps[2].seg, &v, &r, &d), SCRIPT_ERR_UNBOUND);
	assert_non_null(strstr(d.msg, "variable 'w' is not bound"));
	script_suite_free(&s);
}

static void test_expr_tolerance_precedence_and_default(void **state)
{
	struct script_step st = { 0 };
	struct script_case c = { 0 };
	struct script_tol run = { .set = true, .us = 1000, .ppm = 0 };

	(void)state;
	/* default: 4 ms + 12.5 % of the interval, like packetdrill */
	assert_int_equal(script_tolerance_us(NULL, NULL, NULL, 0), 4000);
	assert_int_equal(script_tolerance_us(&st, &c, NULL, 200000), 4000 + 25000);
	assert_int_equal(script_tolerance_us(&st, &c, &run, 200000), 1000);
	c.tolerance = (struct script_tol){ .set = true, .us = 2000, .ppm = 100000 };
	assert_int_equal(script_tolerance_us(&st, &c, &run, 200000), 2000 + 20000);
	st.tol = (struct script_tol){ .set = true, .us = 0, .ppm = 0 };
	assert_int_equal(script_tolerance_us(&st, &c, &run, 200000), 0);
}

static void test_expr_errors(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - send: {flags: S, seq: $x}\n", SCHEMA, 4, 27,
		  { "unknown variable 'x'; expected one bound by vars:, matrix:, with:, params:, repeat or an earlier capture" } },
		/* used before the capture that binds it */
		{ HDR "  - send: {flags: S, seq: $x}\n  - expect: {capture: {seq: x}}\n", SCHEMA, 4, 27,
		  { "unknown variable 'x'" } },
		{ "id: t\ntarget: {port: 80}\nvars: {k: syn}\nsteps: [send: {flags: S, win: $k}]\n",
		  SCHEMA, 4, 31, { "variable 'k' is 'syn', not a number; expected a number for win" } },
		{ HDR "  - expect: {capture: {seq: x, ack: y}}\n  - send: {flags: S, seq: \"$x+$y\"}\n",
		  SCHEMA, 5, 27, { "expected at most one captured variable, added (like $srv_ts+1), for seq but found '$x+$y'" } },
		{ HDR "  - expect: {capture: {seq: x}}\n  - send: {flags: S, seq: 5-$x}\n",
		  SCHEMA, 5, 27, { "expected at most one captured variable, added", "found '5-$x'" } },
		{ HDR "  - expect: {capture: {seq: x}}\n  - send: {flags: S, len: $x}\n",
		  SCHEMA, 5, 27, { "variable 'x' is captured at run time; expected a value known when the file loads for len" } },
		{ HDR "  - expect: {capture: {seq: x}}\n  - send: {flags: S, doff: $x}\n",
		  SCHEMA, 5, 28, { "variable 'x' is captured at run time", "for doff" } },
		{ HDR "  - expect: {capture: {seq: x}}\n  - repeat: {times: $x, steps: []}\n",
		  SCHEMA, 5, 21, { "variable 'x' is captured at run time", "for times" } },
		{ HDR "  - expect: {capture: {seq: x}}\n  - include: $x.yaml\n",
		  SCHEMA, 5, 14, { "variable 'x' is captured at run time; expected a value known when the file loads for text" } },
		{ HDR "  - send: {flags: S, win: \"$w*2\"}\n", SCHEMA, 4, 27,
		  { "expected a number, $name or ${name}, joined by + or -, for win but found '$w*2'" } },
		{ HDR "  - send: {flags: S, win: \"${w\"}\n", SCHEMA, 4, 27,
		  { "expected a number, $name or ${name}, joined by + or -, for win but found '${w'" } },
		{ "id: t\ntarget: {port: 80}\nvars: {a: 65535}\nsteps: [send: {flags: S, win: $a+1}]\n",
		  SCHEMA, 4, 31, { "expected a number 0..65535 for win but '$a+1' is 65536" } },
		{ "id: t\ntarget: {port: 80}\nvars: {a: 1}\nsteps: [send: {flags: S, win: $a-2}]\n",
		  SCHEMA, 4, 31, { "expected a number 0..65535 for win but '$a-2' is -1" } },
		{ "id: t\ntarget: {port: $p}\nvars: {p: 0}\nsteps: [send: {flags: S}]\n",
		  SCHEMA, 2, 16, { "expected a number 1..65535 for port but found '$p'" } },
		{ "id: t\ntitle: $nope\ntarget: {port: 80}\nsteps: [send: {flags: S}]\n",
		  SCHEMA, 2, 8, { "unknown variable 'nope'" } },
		{ HDR "  - send: {flags: S, options: [mss $m]}\n", SCHEMA, 4, 32,
		  { "unknown variable 'm'" } },
		{ HDR "  - send: {flags: S, options: [sack 1:$m]}\n", SCHEMA, 4, 32,
		  { "unknown variable 'm'" } },
		/* ${...} in a flow mapping: YAML reads the brace; the hint says what to write */
		{ HDR "  - send: {flags: S, seq: ${x}+1}\n", SCRIPT_ERR_SYNTAX, 4, 28,
		  { "YAML syntax error", "inside { } or [ ] write $name+1, or quote: \"${name}+1\"" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expr_load_time_values_fold),
		cmocka_unit_test(test_expr_text_interpolates_and_aliases),
		cmocka_unit_test(test_expr_captured_names_stay_references),
		cmocka_unit_test(test_expr_parameters_carry_references),
		cmocka_unit_test(test_expr_vars_set_get_and_rebind),
		cmocka_unit_test(test_expr_eval_wraps_mod_2_32),
		cmocka_unit_test(test_expr_seg_resolve_evaluates_every_field),
		cmocka_unit_test(test_expr_tolerance_precedence_and_default),
		cmocka_unit_test(test_expr_errors),
	};

	return cmocka_run_group_tests_name("script_expr", tests, NULL, NULL);
}
