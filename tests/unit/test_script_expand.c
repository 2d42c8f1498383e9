/* Unit tests: load-time expansion (injector/script_expand.c,
 * script_case.c, script_meta.c) — include with parameters and cycles,
 * repeat with its loop variable, matrix cases (counts, ids, exclude,
 * when/else, steps_by) and files of steps in directory loads. */
#include "test_script.h"

static int load_mem(const char *yaml, const struct mem_file *files,
		    struct script_suite *s, struct diag *d)
{
	return script_load_buffer_with("t.yaml", yaml, strlen(yaml), mem_reader,
				       (void *)files, s, d);
}

static void load_mem_ok(const char *yaml, const struct mem_file *files,
			struct script_suite *s)
{
	struct diag d;
	char msg[700];

	if (load_mem(yaml, files, s, &d)) {
		diag_format(&d, msg, sizeof(msg));
		fail_msg("unexpected load error: %s", msg);
	}
}

/* --- include --- */

static void test_expand_include_from_disk_with_params(void **state)
{
	const char *dir = getenv("TCPSPEC_TESTDATA");
	struct script_suite s = { 0 };
	const struct script_case *k;
	struct diag d;
	char path[512], inc[512];

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/script/include/by-state.yaml", dir);
	snprintf(inc, sizeof(inc), "%s/script/include/common/handshake.yaml", dir);
	assert_int_equal(script_load(path, &s, &d), 0);
	/* 3 states x 2 kinds, minus close_wait x rst_ack */
	assert_int_equal(s.n_cases, 5);
	assert_string_equal(s.cases[0].id, "rst/in-window[state=established,kind=rst]");
	assert_string_equal(s.cases[1].id, "rst/in-window[state=established,kind=rst_ack]");
	assert_string_equal(s.cases[2].id, "rst/in-window[state=fin_wait_1,kind=rst]");
	assert_string_equal(s.cases[4].id, "rst/in-window[state=close_wait,kind=rst]");
	assert_string_equal(s.cases[2].matrix, "state=fin_wait_1,kind=rst");
	assert_string_equal(s.cases[2].title, "An in-window RST in fin_wait_1 aborts the connection");

	k = &s.cases[0];
	assert_int_equal(k->n_steps, 5);
	/* the included steps say where they are written and how they came */
	assert_string_equal(k->steps[0].file, inc);
	assert_int_equal(k->steps[0].line, 5);
	assert_int_equal(k->steps[0].col, 5);
	assert_non_null(strstr(k->steps[0].trace, "included from "));
	assert_non_null(strstr(k->steps[0].trace, "states/established.yaml:1:3; included from "));
	assert_non_null(strstr(k->steps[0].trace, "by-state.yaml:14:5"));
	assert_num(&k->steps[0].seg.win, SNUM_VALUE, 65535, 65535);    /* the default */
	assert_num(&k->steps[0].seg.opts[0].a, SNUM_VALUE, 1460, 1460);
	assert_int_equal(k->steps[1].n_caps, 2);
	assert_expr(&k->steps[2].seg.opts[2].b.lo, "srv_ts", 0);
	assert_int_equal(k->steps[3].seg.flags, WIRE_TH_RST);
	assert_null(k->steps[3].trace);
	assert_int_equal(k->n_xfail, 0);

	k = &s.cases[2];                  /* fin_wait_1: with: {win: 1000} */
	assert_int_equal(k->n_steps, 7);
	assert_num(&k->steps[0].seg.win, SNUM_VALUE, 1000, 1000);
	assert_int_equal(k->steps[3].kind, SCRIPT_APP);
	assert_int_equal(k->steps[3].app.op, SCRIPT_APP_CLOSE);
	assert_int_equal(k->n_xfail, 1);           /* when: {state: fin_wait_1} */
	assert_string_equal(script_xfail_reason(k, "linux"), "example");
	assert_null(script_xfail_reason(k, "freebsd"));
	assert_int_equal(s.cases[4].n_steps, 7);   /* close_wait, via ./../ */
	script_suite_free(&s);
}

static const struct mem_file inc_files[] = {
	{ "lib/a.yaml", "- include: b.yaml\n- send: {flags: A, seq: $n, ack: 1}\n" },
	{ "lib/b.yaml", "params: {n: ~, w: 7}\nsteps:\n  - send: {flags: S, seq: $n, win: $w}\n" },
	{ "lib/plain.yaml", "- send: {flags: S, win: $w}\n" },
	{ "lib/bad.yaml", "- send: {flags: S}\n- send: {flags: SX}\n" },
	{ "lib/nested.yaml", "- include: bad.yaml\n" },
	{ "lib/cyc1.yaml", "- include: cyc2.yaml\n" },
	{ "lib/cyc2.yaml", "- send: {flags: S}\n- include: ../lib/cyc1.yaml\n" },
	{ "lib/case.yaml", "id: x\ntarget: {port: 1}\nsteps: [send: {flags: S}]\n" },
	{ "lib/empty.yaml", "# nothing\n" },
	{ "lib/two.yaml", "- send: {flags: S}\n---\n- send: {flags: S}\n" },
	{ "lib/syntax.yaml", "- send: {flags: S\n" },
	{ "lib/keys.yaml", "params: {}\nsteps: []\nname: 3\n" },
	{ "lib/cap.yaml", "- expect: {capture: {seq: got}}\n" },
	{ NULL, NULL },
};

static void test_expand_include_nested_relative_and_scoped(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	/* a.yaml includes b.yaml; n comes from with:, then from the scope */
	load_mem_ok(HDR "  - include: {file: lib/a.yaml, with: {n: 5}}\n"
		    "  - include: {file: lib/./x/../b.yaml, with: {n: 9, w: 1}}\n"
		    "  - include: {file: lib/plain.yaml, with: {w: 3}}\n"
		    "  - include: lib/cap.yaml\n"
		    "  - send: {flags: A, ack: 1, seq: $got}\n", inc_files, &s);
	k = &s.cases[0];
	assert_int_equal(k->n_steps, 6);
	assert_string_equal(k->steps[0].file, "lib/b.yaml");
	assert_int_equal(k->steps[0].line, 3);
	assert_num(&k->steps[0].seg.seq, SNUM_VALUE, 5, 5);
	assert_num(&k->steps[0].seg.win, SNUM_VALUE, 7, 7);
	assert_string_equal(k->steps[0].trace, "included from lib/a.yaml:1:3; included from t.yaml:4:5");
	assert_string_equal(k->steps[1].file, "lib/a.yaml");
	assert_num(&k->steps[1].seg.seq, SNUM_VALUE, 5, 5);
	assert_num(&k->steps[2].seg.seq, SNUM_VALUE, 9, 9);
	assert_num(&k->steps[2].seg.win, SNUM_VALUE, 1, 1);
	assert_num(&k->steps[3].seg.win, SNUM_VALUE, 3, 3);
	/* a capture inside an include binds for the steps after it */
	assert_expr(&k->steps[5].seg.seq.lo, "got", 0);
	script_suite_free(&s);

	/* a parameter without default may come from the including scope */
	load_mem_ok("id: t\ntarget: {port: 80}\nvars: {n: 4}\nsteps: [include: lib/b.yaml]\n",
		    inc_files, &s);
	assert_num(&s.cases[0].steps[0].seg.seq, SNUM_VALUE, 4, 4);
	script_suite_free(&s);
}

/* An include's document stays put while nested includes load more files
 * (here more than the cache's first allocation holds). */
static void test_expand_include_deep_chain_of_distinct_files(void **state)
{
	static const struct mem_file files[] = {
		{ "d1.yaml", "- include: d2.yaml\n- send: {flags: A, ack: 1, seq: 1}\n" },
		{ "d2.yaml", "- include: d3.yaml\n- send: {flags: A, ack: 1, seq: 2}\n" },
		{ "d3.yaml", "- include: d4.yaml\n- send: {flags: A, ack: 1, seq: 3}\n" },
		{ "d4.yaml", "- include: d5.yaml\n- send: {flags: A, ack: 1, seq: 4}\n" },
		{ "d5.yaml", "- include: d6.yaml\n- send: {flags: A, ack: 1, seq: 5}\n" },
		{ "d6.yaml", "- include: d7.yaml\n- send: {flags: A, ack: 1, seq: 6}\n" },
		{ "d7.yaml", "- include: d8.yaml\n- send: {flags: A, ack: 1, seq: 7}\n" },
		{ "d8.yaml", "- include: d9.yaml\n- send: {flags: A, ack: 1, seq: 8}\n" },
		{ "d9.yaml", "- send: {flags: S, seq: 9}\n" },
		{ NULL, NULL },
	};
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	load_mem_ok(HDR "  - include: d1.yaml\n  - include: d5.yaml\n", files, &s);
	k = &s.cases[0];
	assert_int_equal(k->n_steps, 9 + 5);
	for (unsigned i = 0; i < 9; i++)
		assert_num(&k->steps[i].seg.seq, SNUM_VALUE, 9 - i, 9 - i);
	assert_string_equal(k->steps[8].file, "d1.yaml");
	assert_int_equal(k->steps[8].line, 2);
	assert_num(&k->steps[13].seg.seq, SNUM_VALUE, 5, 5);
	script_suite_free(&s);
}

static void test_expand_include_errors(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - include: lib/none.yaml\n", SCHEMA, 4, 14,
		  { "cannot read included file lib/none.yaml: No such file or directory; expected a file of steps" } },
		{ HDR "  - include: lib/b.yaml\n", SCHEMA, 4, 14,
		  { "expected with: {n: ...} to include lib/b.yaml (parameter n has no default)" } },
		{ HDR "  - include: {file: lib/b.yaml, with: {m: 1}}\n", SCHEMA, 4, 40,
		  { "unknown parameter 'm' in lib/b.yaml; expected one of: n, w" } },
		{ HDR "  - include: {file: lib/b.yaml, with: [n]}\n", SCHEMA, 4, 39,
		  { "expected a mapping of parameters for with (e.g. with: {port: 8080}) but found a list" } },
		{ HDR "  - include: {file: lib/plain.yaml, with: {[a]: 1}}\n", SCHEMA, 4, 44,
		  { "expected a parameter name (letters, digits, _) in with" } },
		{ HDR "  - include: {path: lib/b.yaml}\n", SCHEMA, 4, 15,
		  { "unknown key 'path' in include; expected one of: file, with" } },
		{ HDR "  - include: {with: {n: 1}}\n", SCHEMA, 4, 14,
		  { "expected file in include" } },
		{ HDR "  - include: [lib/b.yaml]\n", SCHEMA, 4, 14,
		  { "expected a file of steps to include (a path relative to this file) but found a list" } },
	};
	/* errors inside included files: their own place, then where included */
	static const struct err_case in_bad[] = {
		{ HDR "  - send: {flags: S}\n  - include: lib/bad.yaml\n", SCHEMA, 2, 17,
		  { "expected flags made of S F R P A U E C . (or none) but found 'X' in 'SX' (included from t.yaml:5:5)" } },
		{ HDR "  - include: lib/nested.yaml\n", SCHEMA, 2, 17,
		  { "'SX' (included from lib/nested.yaml:1:3) (included from t.yaml:4:5)" } },
	};
	static const struct err_case in_cyc[] = {
		{ HDR "  - include: lib/cyc1.yaml\n", SCHEMA, 2, 12,
		  { "include cycle: lib/cyc1.yaml -> lib/cyc2.yaml -> lib/cyc1.yaml; expected files that do not include each other",
		    "(included from lib/cyc1.yaml:1:3) (included from t.yaml:4:5)" } },
	};
	static const struct err_case in_case[] = {
		{ HDR "  - include: lib/case.yaml\n", SCHEMA, 1, 1,
		  { "expected a file of steps (a list of steps, or {params: ..., steps: [...]}) to include but found a case",
		    "(included from t.yaml:4:5)" } },
	};
	static const struct err_case in_empty[] = {
		{ HDR "  - include: lib/empty.yaml\n", SCHEMA, 1, 1,
		  { "expected a file of steps but the file is empty (included from t.yaml:4:5)" } },
	};
	static const struct err_case in_two[] = {
		{ HDR "  - include: lib/two.yaml\n", SCHEMA, 3, 1,
		  { "expected one document in a file of steps but found another" } },
	};
	static const struct err_case in_syntax[] = {
		{ HDR "  - include: lib/syntax.yaml\n", SCRIPT_ERR_SYNTAX, 2, 1,
		  { "YAML syntax error", "(included from t.yaml:4:5)" } },
	};
	static const struct err_case in_keys[] = {
		{ HDR "  - include: lib/keys.yaml\n", SCHEMA, 3, 1,
		  { "unknown key 'name' in a file of steps; expected one of: params, steps" } },
	};

	(void)state;
	check_errors_in(e, NCASES(e), mem_reader, (void *)inc_files, NULL);
	check_errors_in(in_bad, NCASES(in_bad), mem_reader, (void *)inc_files, "lib/bad.yaml");
	check_errors_in(in_cyc, NCASES(in_cyc), mem_reader, (void *)inc_files, "lib/cyc2.yaml");
	check_errors_in(in_case, NCASES(in_case), mem_reader, (void *)inc_files, "lib/case.yaml");
	check_errors_in(in_empty, NCASES(in_empty), mem_reader, (void *)inc_files, "lib/empty.yaml");
	check_errors_in(in_two, NCASES(in_two), mem_reader, (void *)inc_files, "lib/two.yaml");
	check_errors_in(in_syntax, NCASES(in_syntax), mem_reader, (void *)inc_files, "lib/syntax.yaml");
	check_errors_in(in_keys, NCASES(in_keys), mem_reader, (void *)inc_files, "lib/keys.yaml");
}

/* --- repeat --- */

static void test_expand_repeat_with_loop_variables(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	k = load_ok(&s, HDR
		    "  - repeat:\n"
		    "      times: 3\n"
		    "      steps:\n"
		    "        - send: {flags: PA, seq: \"${i}+1\", ack: 1, len: 1}\n"
		    "        - repeat: {times: 2, var: j, steps: [send: {flags: A, ack: 1, seq: $i, win: $j}]}\n"
		    "  - repeat: {times: 0, steps: [send: {flags: S}]}\n"
		    "  - repeat: {times: 2, steps: [expect: {capture: {seq: s}}, send: {flags: A, ack: 1, seq: $s}]}\n");
	assert_int_equal(k->n_steps, 3 * 3 + 2 * 2);
	for (unsigned i = 0; i < 3; i++) {
		const struct script_step *st = &k->steps[3 * i];

		assert_num(&st->seg.seq, SNUM_VALUE, i + 1, i + 1);
		assert_int_equal(st->line, 7);
		assert_int_equal(st->col, 11);
		for (unsigned j = 0; j < 2; j++) {
			assert_num(&st[1 + j].seg.seq, SNUM_VALUE, i, i);
			assert_num(&st[1 + j].seg.win, SNUM_VALUE, j, j);
		}
	}
	assert_string_equal(k->steps[3].trace, "i=1 of repeat at t.yaml:4:5");
	assert_string_equal(k->steps[5].trace, "j=1 of repeat at t.yaml:8:11; i=1 of repeat at t.yaml:4:5");
	assert_int_equal(k->steps[9].kind, SCRIPT_EXPECT);
	assert_expr(&k->steps[12].seg.seq.lo, "s", 0);
	script_suite_free(&s);
}

static void test_expand_repeat_errors(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - repeat: {steps: []}\n", SCHEMA, 4, 13, { "expected times in repeat" } },
		{ HDR "  - repeat: {times: 2}\n", SCHEMA, 4, 13, { "expected steps in repeat" } },
		{ HDR "  - repeat: {times: 10001, steps: []}\n", SCHEMA, 4, 21,
		  { "expected a number 0..10000 for times but found '10001'" } },
		{ HDR "  - repeat: {times: 2, steps: [], count: 1}\n", SCHEMA, 4, 35,
		  { "unknown key 'count' in repeat; expected one of: times, steps, var" } },
		{ HDR "  - repeat: {times: 2, var: 9x, steps: []}\n", SCHEMA, 4, 29,
		  { "expected a variable name (letters, digits, _) for var but found '9x'" } },
		{ HDR "  - expect: {capture: {seq: i}}\n  - repeat: {times: 2, steps: []}\n", SCHEMA, 5, 13,
		  { "variable 'i' is bound by a capture; expected another name for the repeat variable (var: j)" } },
		{ HDR "  - repeat: {times: 2, steps: [expect: {capture: {seq: i}}]}\n", SCHEMA, 4, 56,
		  { "variable 'i' is set by repeat when the file loads; expected a new name to capture seq into" } },
		/* an error only a later pass meets says which */
		{ HDR "  - repeat: {times: 3, steps: [send: {flags: S, urg: 65534+$i}]}\n", SCHEMA, 4, 54,
		  { "expected a number 0..65535 for urg but '65534+$i' is 65536 (repeat i=2)" } },
		{ HDR "  - repeat: {times: 0, steps: [send: {flags: S}]}\n", SCHEMA, 4, 3,
		  { "expected at least one step, but when/steps_by left none here" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

/* --- matrix --- */

static void test_expand_matrix_counts_ids_when_and_steps_by(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	load_ok(&s, "id: m\n"
		    "target: {port: 80}\n"
		    "matrix: {win: [0, 1024], kind: [syn, fin, data]}\n"
		    "steps:\n"
		    "  - send: {flags: S, win: $win}\n"
		    "  - when: {kind: [fin, data], win: 0}\n"
		    "    steps: [wait: 1ms]\n"
		    "    else: [wait: 2ms, wait: 3ms]\n"
		    "  - steps_by:\n"
		    "      kind:\n"
		    "        syn: [expect: {flags: SA}]\n"
		    "        default: [expect_none: {for: 10ms}]\n"
		    "  - when: {kind: data}\n"
		    "    steps: [send: {flags: PA, ack: 1, len: 1}]\n");
	assert_int_equal(s.n_cases, 6);
	/* the last variable changes fastest */
	assert_string_equal(s.cases[0].id, "m[win=0,kind=syn]");
	assert_string_equal(s.cases[1].id, "m[win=0,kind=fin]");
	assert_string_equal(s.cases[2].id, "m[win=0,kind=data]");
	assert_string_equal(s.cases[3].id, "m[win=1024,kind=syn]");
	assert_string_equal(s.cases[5].id, "m[win=1024,kind=data]");
	k = &s.cases[0];                 /* win=0, syn: else branch, SA */
	assert_int_equal(k->n_steps, 4);
	assert_num(&k->steps[0].seg.win, SNUM_VALUE, 0, 0);
	assert_int_equal(k->steps[1].wait_us, 2000);
	assert_int_equal(k->steps[3].kind, SCRIPT_EXPECT);
	k = &s.cases[2];                 /* win=0, data: when branch, default, data */
	assert_int_equal(k->n_steps, 4);
	assert_int_equal(k->steps[1].wait_us, 1000);
	assert_int_equal(k->steps[2].kind, SCRIPT_EXPECT_NONE);
	assert_int_equal(k->steps[3].seg.flags, WIRE_TH_PSH | WIRE_TH_ACK);
	k = &s.cases[4];                 /* win=1024, fin */
	assert_num(&k->steps[0].seg.win, SNUM_VALUE, 1024, 1024);
	assert_int_equal(k->n_steps, 4);
	assert_int_equal(k->steps[2].wait_us, 3000);
	script_suite_free(&s);
}

/* The FreeBSD tcp-testsuite shape: 11 states x 8 segment kinds, each state
 * reached by an included file of steps, answers picked per kind with a few
 * per-state exceptions. One file, 88 cases. */
static void test_expand_matrix_states_by_segment_kinds(void **state)
{
	static const char *const states[] = {
		"listen", "syn_sent", "syn_received", "established", "fin_wait_1",
		"fin_wait_2", "close_wait", "closing", "last_ack", "time_wait", "closed",
	};
	struct mem_file files[12];
	char names[11][64];
	struct script_suite s = { 0 };

	(void)state;
	for (size_t i = 0; i < 11; i++) {
		snprintf(names[i], sizeof(names[i]), "states/%s.yaml", states[i]);
		files[i].name = names[i];
		files[i].text = "- send: {flags: S, seq: 0}\n- expect: {flags: SA, ack: 1, capture: {seq: {abs: isn}}}\n";
	}
	files[11] = (struct mem_file){ NULL, NULL };
	load_mem_ok("id: freebsd/segment-in-state\n"
		    "title: \"${kind} arriving in ${state}\"\n"
		    "target: {port: 80}\n"
		    "matrix:\n"
		    "  state: [listen, syn_sent, syn_received, established, fin_wait_1,\n"
		    "          fin_wait_2, close_wait, closing, last_ack, time_wait, closed]\n"
		    "  kind: [syn, syn_ack, ack, rst_in_window, rst_out_of_window, fin, data, urg]\n"
		    "steps:\n"
		    "  - include: states/${state}.yaml\n"
		    "  - steps_by:\n"
		    "      kind:\n"
		    "        syn: [send: {flags: S, seq: 100}]\n"
		    "        syn_ack: [send: {flags: SA, seq: 100, ack: 1}]\n"
		    "        rst_in_window: [send: {flags: R, seq: 1}]\n"
		    "        rst_out_of_window: [send: {flags: R, seq: 100000}]\n"
		    "        default: [send: {flags: A, seq: 1, ack: 1}]\n"
		    "  - when: {state: [listen, closed]}\n"
		    "    steps: [expect: {flags: R}]\n"
		    "    else:\n"
		    "      - steps_by:\n"
		    "          kind:\n"
		    "            rst_in_window: [expect_none: {for: 100ms}]\n"
		    "            default: [expect: {flags: A, ack: {abs: $isn+1}}]\n",
		    files, &s);
	assert_int_equal(s.n_cases, 88);
	assert_string_equal(s.cases[0].id, "freebsd/segment-in-state[state=listen,kind=syn]");
	assert_string_equal(s.cases[87].id, "freebsd/segment-in-state[state=closed,kind=urg]");
	assert_string_equal(s.cases[27].title, "rst_in_window arriving in established");
	assert_int_equal(s.cases[27].steps[3].kind, SCRIPT_EXPECT_NONE);
	assert_expr(&s.cases[26].steps[3].seg.ack.lo, "isn", 1);
	assert_int_equal(s.cases[0].steps[3].seg.flags, WIRE_TH_RST);
	script_suite_free(&s);
}

static void test_expand_matrix_errors(void **state)
{
	static const struct err_case e[] = {
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - steps_by: {k: {a: [wait: 1ms]}}\n",
		  SCHEMA, 5, 19,
		  { "expected steps for k=b in steps_by (a key for each value of the matrix variable, or default) (matrix point k=a)" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - steps_by: {k: {a: [wait: 1ms], c: []}}\n",
		  SCHEMA, 5, 36,
		  { "unknown value 'c' in matrix variable k; expected one of: a, b", "(matrix point k=a)" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - when: {k: c}\n    steps: [wait: 1ms]\n",
		  SCHEMA, 5, 15, { "unknown value 'c' in matrix variable k; expected one of: a, b" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - when: {q: c}\n    steps: [wait: 1ms]\n",
		  SCHEMA, 5, 12,
		  { "expected a variable known when the file loads (matrix:, vars:, with:, repeat) in when but found 'q'" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - when: {k: a}\n",
		  SCHEMA, 5, 5, { "expected steps with when" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - when: {k: a}\n    steps: []\n    otherwise: []\n",
		  SCHEMA, 7, 5, { "unknown key 'otherwise' in a when step; expected one of: when, steps, else" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, b]}\nsteps:\n  - steps_by: {k: {a: []}, j: {}}\n",
		  SCHEMA, 5, 15, { "expected one variable in steps_by (steps_by: {kind: {syn: [...], fin: [...]}}) but found 2" } },
		{ "id: m\ntarget: {port: 80}\nsteps:\n  - steps_by: {[k]: {a: []}}\n",
		  SCHEMA, 4, 16, { "expected a variable name but found a list" } },
		{ "id: m\ntarget: {port: 80}\nsteps:\n  - steps_by: {k: {a: []}}\n",
		  SCHEMA, 4, 16, { "expected a variable known when the file loads", "for steps_by but found 'k'" } },
		{ "id: m\ntarget: {port: 80}\nvars: {k: z}\nsteps:\n  - steps_by: {k: {a: [wait: 1ms]}}\n",
		  SCHEMA, 5, 19, { "expected steps for k=z in steps_by (or default)" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: []}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 13,
		  { "expected a non-empty list of values for matrix variable k but found a list" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a, a]}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 17,
		  { "expected each value once in matrix variable k but found 'a' again" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k-1: [a]}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 10,
		  { "expected a variable name (letters, digits, _) in matrix but found 'k-1'" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: [a]\nsteps: [wait: 1ms]\n", SCHEMA, 3, 9,
		  { "expected a mapping of variables to lists of values for matrix" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a], exclude: [{k: a}]}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 9,
		  { "expected at least one matrix combination that exclude leaves" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {k: [a], exclude: [{k: b}]}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 32,
		  { "unknown value 'b' in matrix variable k; expected one of: a" } },
		{ "id: m\ntarget: {port: 80}\nmatrix: {exclude: []}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 9,
		  { "expected at least one variable in matrix besides exclude" } },
		{ "id: m\ntarget: {port: 80}\n"
		  "matrix: {a: [0,1,2,3,4,5,6,7,8,9], b: [0,1,2,3,4,5,6,7,8,9], c: [0,1,2,3,4,5,6,7,8,9],"
		  " d: [0,1,2,3,4,5,6,7,8,9], e: [0, 1]}\nsteps: [wait: 1ms]\n", SCHEMA, 3, 117,
		  { "expected at most 10000 matrix combinations but this makes 20000" } },
		/* an error in one point names the point */
		{ "id: m\ntarget: {port: 80}\nmatrix: {w: [1, 70000]}\nsteps: [send: {flags: S, win: $w}]\n",
		  SCHEMA, 4, 31, { "expected a number 0..65535 for win but '$w' is 70000 (matrix point w=70000)" } },
		{ "- id: m\n  target: {port: 80}\n  matrix: {k: [a]}\n  steps: [wait: 1ms]\n"
		  "- id: m[k=a]\n  target: {port: 80}\n  steps: [wait: 1ms]\n", SCHEMA, 5, 7,
		  { "duplicate id 'm[k=a]', first used by the case at t.yaml:1" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

/* --- files of steps in loads --- */

static void test_expand_fragments_are_skipped_in_directories(void **state)
{
	char tmpl[] = "/tmp/tcpspec-expand-XXXXXX", path[600];
	struct script_suite s = { 0 };
	const char *dir;
	struct diag d;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	write_file(dir, "frag.yaml", "- send: {flags: S}\n- expect: {flags: SA}\n");
	write_file(dir, "params.yaml", "params: {a: 1}\nsteps: [send: {flags: S, win: $a}]\n");
	write_file(dir, "when.yaml", "- when: {a: 1}\n  steps: []\n");
	write_file(dir, "case.yaml", "id: c\ntarget: {port: 1}\nsteps: [include: frag.yaml]\n");
	assert_int_equal(script_load(dir, &s, &d), 0);
	assert_int_equal(s.n_cases, 1);
	assert_int_equal(s.cases[0].n_steps, 2);
	script_suite_free(&s);
	/* named on its own, a file of steps is not a case */
	snprintf(path, sizeof(path), "%s/frag.yaml", dir);
	assert_int_equal(script_load(path, &s, &d), SCHEMA);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 1);
	assert_string_equal(d.msg, "expected a case, but this is a file of steps (for include:); it is checked where a case includes it");
	/* a buffer (an embedded suite) skips it */
	assert_int_equal(script_load_buffer("frag.yaml", "- wait: 1ms\n", 12, &s, &d), 0);
	assert_int_equal(s.n_cases, 0);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_include_from_disk_with_params),
		cmocka_unit_test(test_expand_include_nested_relative_and_scoped),
		cmocka_unit_test(test_expand_include_deep_chain_of_distinct_files),
		cmocka_unit_test(test_expand_include_errors),
		cmocka_unit_test(test_expand_repeat_with_loop_variables),
		cmocka_unit_test(test_expand_repeat_errors),
		cmocka_unit_test(test_expand_matrix_counts_ids_when_and_steps_by),
		cmocka_unit_test(test_expand_matrix_states_by_segment_kinds),
		cmocka_unit_test(test_expand_matrix_errors),
		cmocka_unit_test(test_expand_fragments_are_skipped_in_directories),
	};

	return cmocka_run_group_tests_name("script_expand", tests, NULL, NULL);
}
