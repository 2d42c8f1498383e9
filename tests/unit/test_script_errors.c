/* Unit tests: loader errors (injector/script*.c). Each error names the
 * file, line and column of the offending node and says what was
 * expected; these check all three, for the original constructs and for
 * steps, app commands, captures, timing and metadata. Expressions:
 * test_script_expr.c; include, repeat and matrix: test_script_expand.c. */
#include "test_script.h"

static void test_script_error_case_keys(void **state)
{
	static const struct err_case e[] = {
		{ "id: t\ntarget: {port: 80}\nstpes: []\n", SCHEMA, 3, 1,
		  { "unknown key 'stpes' in case; expected one of: id, title, rfc, level, tags, target, isn, ts_base, tolerance, vars, matrix, requires, expect_fail, steps",
		    "did you mean 'steps'?" } },
		{ "target: {port: 80}\nsteps: [send: {flags: S}]\n", SCHEMA, 1, 1,
		  { "expected id in case" } },
		{ "id: t\nsteps: [send: {flags: S}]\n", SCHEMA, 1, 1,
		  { "expected target in case" } },
		{ "id: t\ntarget: {port: 80}\n", SCHEMA, 1, 1,
		  { "expected steps in case" } },
		{ "id: t\ntarget: {port: 80}\nsteps: []\n", SCHEMA, 3, 8,
		  { "expected at least one step" } },
		{ "id: t\ntarget: {port: 80}\nsteps: {send: x}\n", SCHEMA, 3, 8,
		  { "expected a list of steps but found a mapping" } },
		{ "- id: a\n  target: {port: 1}\n  steps: [send: {flags: S}]\n"
		  "- id: a\n  target: {port: 1}\n  steps: [send: {flags: S}]\n", SCHEMA, 4, 7,
		  { "duplicate id 'a', first used by the case at t.yaml:1", "expected a unique id" } },
		{ "id: t\ntarget: {port: 0}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 16,
		  { "expected a number 1..65535 for port but found '0'" } },
		{ "id: t\ntarget: {port: 70000}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 16,
		  { "expected a number 1..65535 for port but found '70000'" } },
		{ "id: t\ntarget: {ip: 4}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 9,
		  { "expected port in target" } },
		{ "id: t\ntarget: {port: 80, ip: 5}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 24,
		  { "expected 4 or 6 for ip but found '5'" } },
		{ "id: t\ntarget: {port: 80, role: clinet}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 26,
		  { "expected role server, client or closed but found 'clinet'" } },
		{ "id: t\nlevel: must\ntarget: {port: 80}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 8,
		  { "expected a level (MUST, SHOULD or MAY) but found 'must'" } },
		{ "id: [t]\ntarget: {port: 80}\nsteps: [send: {flags: S}]\n", SCHEMA, 1, 5,
		  { "expected a string for id but found a list" } },
		{ "id: t\nisn: 4294967296\ntarget: {port: 80}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 6,
		  { "expected a number 0..4294967295 for isn but found '4294967296'" } },
		{ "# only a comment\n", SCHEMA, 1, 1,
		  { "expected a case (a mapping with id, target and steps) but the file is empty" } },
		{ "hello\n", SCHEMA, 1, 1,
		  { "expected a case (a mapping with id, target and steps) or a list of cases but found 'hello'" } },
		{ "- a\n", SCHEMA, 1, 3,
		  { "expected a case (a mapping with id, target and steps) but found 'a'" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_steps(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - sned: {flags: S}\n", SCHEMA, 4, 5,
		  { "unknown key 'sned' in step; expected one of: send, expect, expect_none, wait, app, capture, include, repeat, steps_by, when",
		    "(did you mean 'send'?)" } },
		{ HDR "  - send: {flags: S}\n    expect: {}\n", SCHEMA, 4, 5,
		  { "expected one step per list item (send, expect, expect_none, wait, app, capture, include, repeat, steps_by or when) but found 2 keys",
		    "start each step with '-'" } },
		{ HDR "  - 5\n", SCHEMA, 4, 5,
		  { "expected a step (send, expect, expect_none, wait, app, capture, include, repeat, steps_by or when) but found '5'" } },
		{ HDR "  - expect_none: {}\n", SCHEMA, 4, 18,
		  { "expected for in expect_none (e.g. expect_none: {for: 300ms})" } },
		{ HDR "  - expect_none: {for: 1s, within: 1s}\n", SCHEMA, 4, 28,
		  { "unknown key 'within' in expect_none; expected one of: for" } },
		{ HDR "  - send: {seq: 0}\n", SCHEMA, 4, 11,
		  { "expected flags in send" } },
		{ HDR "  - send: {flags: A}\n", SCHEMA, 4, 11,
		  { "expected ack in a send with the ACK flag" } },
		{ HDR "  - send: {flags: S, within: 1s}\n", SCHEMA, 4, 22,
		  { "unknown key 'within' in send; expected one of: flags, seq, ack, win" } },
		{ HDR "  - expect: {checksum: bad}\n", SCHEMA, 4, 14,
		  { "unknown key 'checksum' in expect; expected one of: flags" } },
		{ HDR "  - send: {flags: S, flags: A}\n", SCHEMA, 4, 22,
		  { "duplicate key 'flags' in send (first at line 4)" } },
		{ HDR "  - send: [flags, S]\n", SCHEMA, 4, 11,
		  { "expected a mapping for send but found a list" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_values(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - send: {flags: SX}\n", SCHEMA, 4, 19,
		  { "expected flags made of S F R P A U E C . (or none) but found 'X' in 'SX'" } },
		{ HDR "  - send: {flags: SS}\n", SCHEMA, 4, 19,
		  { "expected each flag once in 'SS' but found 'S' again" } },
		{ HDR "  - send: {flags: S, win: abc}\n", SCHEMA, 4, 27,
		  { "expected a number 0..65535 for win but found 'abc'" } },
		{ HDR "  - expect: {win: 65536}\n", SCHEMA, 4, 19,
		  { "expected a number 0..65535, a range lo..hi, [lo, hi] or any for win but found '65536'" } },
		{ HDR "  - expect: {win: 5..1}\n", SCHEMA, 4, 19,
		  { "expected a number 0..65535, a range lo..hi" } },
		{ HDR "  - expect: {seq: 1.5}\n", SCHEMA, 4, 19,
		  { "expected a number (negative allowed), a range lo..hi, [lo, hi] or any for seq but found '1.5'" } },
		{ HDR "  - send: {flags: S, seq: 1..5}\n", SCHEMA, 4, 27,
		  { "for seq but found '1..5' (ranges and any are for expect)" } },
		{ HDR "  - send: {flags: S, seq: {ab: 1}}\n", SCHEMA, 4, 28,
		  { "unknown key 'ab' in seq; expected one of: abs" } },
		{ HDR "  - expect: {within: 5}\n", SCHEMA, 4, 22,
		  { "expected a duration with a unit (us, ms or s; e.g. 300ms, 1.5s)", "for within but found '5'" } },
		{ HDR "  - expect: {within: 5 ms}\n", SCHEMA, 4, 22,
		  { "expected a duration with a unit", "found '5 ms'" } },
		{ HDR "  - expect_none: {for: 0ms}\n", SCHEMA, 4, 24,
		  { "above 0", "for for but found '0ms'" } },
		{ HDR "  - expect: {within: 3601s}\n", SCHEMA, 4, 22,
		  { "at most 3600s" } },
		{ HDR "  - send: {flags: PA, ack: 1, hex: xyz}\n", SCHEMA, 4, 36,
		  { "expected hex bytes like \"de ad be ef\" for hex but found 'xyz'" } },
		{ HDR "  - send: {flags: PA, ack: 1, hex: abc}\n", SCHEMA, 4, 36,
		  { "expected hex bytes" } },
		{ HDR "  - send: {flags: PA, ack: 1, data: a, hex: 00}\n", SCHEMA, 4, 40,
		  { "expected one of data and hex, not both" } },
		{ HDR "  - send: {flags: PA, ack: 1, data: x, len: 3}\n", SCHEMA, 4, 45,
		  { "expected either data/hex or len in send, not both" } },
		{ HDR "  - expect: {flow_label: 1}\n", SCHEMA, 4, 14,
		  { "expected flow_label only on an IPv6 target" } },
		{ "id: t\ntarget: {port: 80, ip: 6}\nsteps:\n  - send: {flags: S, ip_checksum: bad}\n",
		  SCHEMA, 4, 22, { "expected no ip_checksum on an IPv6 target" } },
		{ HDR "  - send: {flags: S, doff: 16}\n", SCHEMA, 4, 28,
		  { "expected a number 0..15 for doff but found '16'" } },
		{ HDR "  - send: {flags: S, checksum: wrong}\n", SCHEMA, 4, 32,
		  { "expected bad or ok for checksum but found 'wrong'" } },
		{ HDR "  - send: {flags: S, ttl: -1}\n", SCHEMA, 4, 27,
		  { "expected a number 0..255 for ttl but found '-1'" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_options(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - send: {flags: S, options: [msss 1460]}\n", SCHEMA, 4, 32,
		  { "expected an option (mss, wscale, sackOK, ts, sack, nop, eol, md5, fastopen, exp-fastopen, kind N) but found 'msss'" } },
		{ HDR "  - send: {flags: S, options: [ts 100]}\n", SCHEMA, 4, 32,
		  { "expected 'ts VAL ECR' but found 'ts 100'" } },
		{ HDR "  - expect: {options: [ts 1 2 3]}\n", SCHEMA, 4, 24,
		  { "expected 'ts VAL|any ECR|any' but found 'ts 1 2 3'" } },
		{ HDR "  - send: {flags: S, options: [sackOK 1]}\n", SCHEMA, 4, 32,
		  { "expected 'sackOK' but found 'sackOK 1'" } },
		{ HDR "  - send: {flags: S, options: [mss big]}\n", SCHEMA, 4, 32,
		  { "expected 'mss N' with a number 0..65535 but found 'mss big'" } },
		{ HDR "  - send: {flags: S, options: [wscale 1..2]}\n", SCHEMA, 4, 32,
		  { "expected 'wscale N' with a number 0..255" } },
		{ HDR "  - send: {flags: S, options: [sack 1:2 3:4 5:6 7:8 9:10]}\n", SCHEMA, 4, 32,
		  { "expected 'sack L:R ... (1 to 4 blocks)'" } },
		{ HDR "  - send: {flags: S, options: [md5 0011]}\n", SCHEMA, 4, 32,
		  { "expected 'md5 [32 hex digits]' but found 'md5 0011'" } },
		{ HDR "  - send: {flags: S, options: [kind 2 hex 05b4]}\n", SCHEMA, 4, 32,
		  { "kind 2 has one, write it by name" } },
		{ HDR "  - send: {flags: S, options: [kind 300]}\n", SCHEMA, 4, 32,
		  { "expected 'kind N' with N in 0..255 but found 'kind 300'" } },
		{ HDR "  - send: {flags: S, options: [md5, md5, mss 1460, mss 1460]}\n", SCHEMA, 4, 31,
		  { "expected options that fit in 40 bytes but these take 44" } },
		{ HDR "  - send: {flags: S, options: [kind 99 len 41]}\n", SCHEMA, 4, 31,
		  { "expected options that fit in 40 bytes but these take 41" } },
		{ HDR "  - expect: {options: {nop: any}}\n", SCHEMA, 4, 24,
		  { "nop can only be checked by position (use the list form)" } },
		{ HDR "  - expect: {options: {mss: 1, mss: 2}}\n", SCHEMA, 4, 32,
		  { "expected each option once in options but found kind 2 again" } },
		{ HDR "  - expect: {options: {mms: any}}\n", SCHEMA, 4, 24,
		  { "expected an option name (mss, wscale", "as key in options but found 'mms'" } },
		{ HDR "  - expect: {options: {sackOK: 1}}\n", SCHEMA, 4, 32,
		  { "expected any or absent for options.sackOK but found '1'" } },
		{ HDR "  - expect: {options: {ts: {val: x}}}\n", SCHEMA, 4, 34,
		  { "for ts val but found 'x'" } },
		{ HDR "  - expect: {options: {ts: 5}}\n", SCHEMA, 4, 28,
		  { "expected any or absent or {val: N, ecr: N} for options.ts but found '5'" } },
		{ HDR "  - expect: {options: {sack: 1-100}}\n", SCHEMA, 4, 30,
		  { "expected any, absent or blocks \"L:R ...\" for options.sack but found '1-100'" } },
		{ HDR "  - expect: {options: mss}\n", SCHEMA, 4, 23,
		  { "expected a list of options or a mapping of option: value but found 'mss'" } },
		{ HDR "  - send: {flags: S, options: {mss: 1}}\n", SCHEMA, 4, 31,
		  { "expected a list of options in send (the mapping form is for expect)" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_yaml_syntax_has_line_and_column(void **state)
{
	static const struct err_case e[] = {
		{ "id: t\ntitle: \"abc\n", SCRIPT_ERR_SYNTAX, 3, 1,
		  { "YAML syntax error: found unexpected end of stream", "while scanning a quoted scalar at line 2" } },
		{ "id: a\n  x: b\n", SCRIPT_ERR_SYNTAX, 2, 4,
		  { "YAML syntax error: mapping values are not allowed in this context" } },
		{ "id: [a\n", SCRIPT_ERR_SYNTAX, 2, 1,
		  { "YAML syntax error: did not find expected ',' or ']'" } },
		{ "id: a\xff\n", SCRIPT_ERR_SYNTAX, 1, 6,
		  { "YAML syntax error: invalid leading UTF-8 octet" } },
		{ "id: *x\n", SCRIPT_ERR_SYNTAX, 1, 5,
		  { "YAML syntax error: found undefined alias" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_io_names_the_path(void **state)
{
	char tmpl[] = "/tmp/tcpspec-script-XXXXXX";
	struct script_suite s = { 0 };
	const char *dir;
	struct diag d;

	(void)state;
	assert_int_equal(script_load("/nonexistent/x.yaml", &s, &d), SCRIPT_ERR_IO);
	assert_string_equal(d.file, "/nonexistent/x.yaml");
	assert_int_equal(d.line, 0);
	assert_string_equal(d.msg, "cannot open: No such file or directory");

	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	assert_int_equal(script_load(dir, &s, &d), SCRIPT_ERR_IO);
	assert_string_equal(d.file, dir);
	assert_string_equal(d.msg, "expected *.yaml or *.yml case files below this directory but found none");
	write_file(dir, "readme.txt", "id: not a case file\n");
	assert_int_equal(script_load(dir, &s, &d), SCRIPT_ERR_IO);
	assert_int_equal(s.n_cases, 0);
	script_suite_free(&s);
	remove_tree(dir);
}

static void test_script_error_timing_and_segment_fields(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - wait: 5\n", SCHEMA, 4, 11,
		  { "expected a duration with a unit (us, ms or s; e.g. 300ms, 1.5s), above 0", "for wait but found '5'" } },
		{ HDR "  - wait: 0ms\n", SCHEMA, 4, 11, { "above 0", "found '0ms'" } },
		{ HDR "  - expect: {within: 1s, at: 5ms}\n", SCHEMA, 4, 26,
		  { "expected one of within, at and at_abs, not at too" } },
		{ HDR "  - expect: {at: 5ms, at_abs: 1s}\n", SCHEMA, 4, 23,
		  { "expected one of within, at and at_abs, not at_abs too" } },
		{ HDR "  - expect: {at: 5ms, within: 1s}\n", SCHEMA, 4, 23,
		  { "expected one of within, at and at_abs, not within too" } },
		{ HDR "  - expect: {tolerance: 2ms}\n", SCHEMA, 4, 25,
		  { "expected at or at_abs with tolerance" } },
		{ HDR "  - expect: {at: 5ms, tolerance: fast}\n", SCHEMA, 4, 34,
		  { "expected a tolerance like 4ms, 12.5% or 4ms+12.5% but found 'fast'" } },
		{ HDR "  - expect: {at: 5ms, tolerance: 1ms+2ms}\n", SCHEMA, 4, 34,
		  { "expected a tolerance like", "but found '1ms+2ms'" } },
		{ HDR "  - send: {flags: S, tolerance: 1ms}\n", SCHEMA, 4, 22,
		  { "unknown key 'tolerance' in send" } },
		{ HDR "  - expect: {at: -1ms}\n", SCHEMA, 4, 18,
		  { "0 or more and at most 3600s, for at but found '-1ms'" } },
		{ HDR "  - send: {flags: S, truncate: 61}\n", SCHEMA, 4, 32,
		  { "expected a number 0..60 for truncate (bytes of TCP header to keep) but found '61'" } },
		{ HDR "  - expect: {truncate: 1}\n", SCHEMA, 4, 14,
		  { "unknown key 'truncate' in expect" } },
		{ HDR "  - send: {flags: S, ecn: ect3}\n", SCHEMA, 4, 27,
		  { "expected not-ect, ect1, ect0, ce or 0..3 for ecn but found 'ect3'" } },
		{ HDR "  - expect: {ecn: 4}\n", SCHEMA, 4, 19,
		  { "expected not-ect, ect1, ect0, ce or 0..3 (or a range, or any) for ecn but found '4'" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_capture(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - expect: {capture: {sqe: x}}\n", SCHEMA, 4, 24,
		  { "unknown key 'sqe' in capture; expected one of: seq, ack, win, urg, len, tsval, tsecr, mss, wscale, ttl, tos, ecn, flow_label",
		    "(did you mean 'seq'?)" } },
		{ HDR "  - expect: {capture: {seq: 1x}}\n", SCHEMA, 4, 29,
		  { "expected a variable name (letters, digits, _) to capture seq into but found '1x'" } },
		{ HDR "  - expect: {capture: {seq: x, ack: x}}\n", SCHEMA, 4, 37,
		  { "expected each variable captured once in a step but found 'x' again" } },
		{ HDR "  - expect: {capture: {seq: {abs: x, b: 1}}}\n", SCHEMA, 4, 38,
		  { "unknown key 'b' in seq; expected one of: abs" } },
		{ HDR "  - expect: {capture: {win: {abs: x}}}\n", SCHEMA, 4, 29,
		  { "expected a variable name (letters, digits, _) to capture win into but found a mapping" } },
		{ HDR "  - expect: {capture: {flow_label: f}}\n", SCHEMA, 4, 24,
		  { "expected flow_label only on an IPv6 target" } },
		{ HDR "  - send: {flags: S}\n  - capture: {seq: x}\n", SCHEMA, 5, 5,
		  { "expected capture right after an expect (it binds fields of the segment that expect matched)" } },
		{ "id: t\ntarget: {port: 80}\nvars: {a: 5}\nsteps:\n  - expect: {capture: {seq: a}}\n",
		  SCHEMA, 5, 29,
		  { "variable 'a' is set by vars when the file loads; expected a new name to capture seq into" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

static void test_script_error_app(void **state)
{
	static const struct err_case e[] = {
		{ HDR "  - app: {}\n", SCHEMA, 4, 10,
		  { "expected an action in app (listen, accept, connect, write, read, shutdown, close, abort or setsockopt)" } },
		{ HDR "  - app: {close: true, abort: true}\n", SCHEMA, 4, 24,
		  { "expected one action per app step but found close and abort" } },
		{ HDR "  - app: {clsoe: true}\n", SCHEMA, 4, 11,
		  { "unknown key 'clsoe' in app; expected one of: listen, accept, connect", "(did you mean 'close'?)" } },
		{ HDR "  - app: {close: yes}\n", SCHEMA, 4, 18,
		  { "expected true for close (app: {close: true}) but found 'yes'" } },
		{ HDR "  - app: {write: 0}\n", SCHEMA, 4, 18,
		  { "expected a number 1..16777216 for write (bytes) but found '0'" } },
		{ HDR "  - app: {write: {pattern: ab}}\n", SCHEMA, 4, 18,
		  { "expected bytes in write (e.g. write: {bytes: 1000, pattern: abc})" } },
		{ HDR "  - app: {write: {bytes: 10, pattern: \"a b\"}}\n", SCHEMA, 4, 39,
		  { "expected a pattern of 1 to 64 bytes without spaces but found 'a b'" } },
		{ HDR "  - app: {shutdown: both}\n", SCHEMA, 4, 21,
		  { "expected rd, wr or rdwr for shutdown but found 'both'" } },
		{ HDR "  - app: {setsockopt: {SO_RCVBUFF: 1}}\n", SCHEMA, 4, 24,
		  { "unknown socket option 'SO_RCVBUFF' in setsockopt; expected one of: SO_RCVBUF", "(did you mean 'SO_RCVBUF'?)" } },
		{ HDR "  - app: {setsockopt: {SO_RCVBUF: 1, SO_SNDBUF: 2}}\n", SCHEMA, 4, 23,
		  { "expected one option in setsockopt (e.g. setsockopt: {SO_RCVBUF: 4096}) but found several" } },
		{ HDR "  - app: {setsockopt: {SO_RCVBUF: big}}\n", SCHEMA, 4, 35,
		  { "expected a number 0..2147483647 for SO_RCVBUF but found 'big'" } },
		{ HDR "  - app: {close: true, expect_errno: ECONNREFUSD}\n", SCHEMA, 4, 38,
		  { "unknown errno 'ECONNREFUSD' in expect_errno", "(did you mean 'ECONNREFUSED'?)" } },
		{ HDR "  - app: {close: true, async: maybe}\n", SCHEMA, 4, 31,
		  { "expected true or false for async but found 'maybe'" } },
		{ HDR "  - app: {connect: {addr: 10.0.0.256}}\n", SCHEMA, 4, 27,
		  { "expected an IPv4 address (the case's target: {ip: 4}) for addr but found '10.0.0.256'" } },
		{ HDR "  - app: {listen: {family: v5}}\n", SCHEMA, 4, 28,
		  { "expected v4, v6 or any for family but found 'v5'" } },
		{ HDR "  - app: {listen: 0}\n", SCHEMA, 4, 19,
		  { "expected a number 1..65535 for listen (a port, true for the case's port, or {port, backlog, family}) but found '0'" } },
		{ HDR "  - app: {read: {data: x, hex: 00}}\n", SCHEMA, 4, 32,
		  { "expected one of data and hex, not both" } },
		{ HDR "  - app: {read: {timeout: 5}}\n", SCHEMA, 4, 27,
		  { "expected a duration with a unit", "for timeout but found '5'" } },
		{ HDR "  - app: {close: true, tolerance: 1ms}\n", SCHEMA, 4, 24,
		  { "unknown key 'tolerance' in app" } },
		{ "id: t\ntarget: {role: client}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 9,
		  { "expected an app: {connect: ...} step in a case whose target has role client" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

#define META(k) "id: t\n" k "\ntarget: {port: 80}\nsteps: [send: {flags: S}]\n"

static void test_script_error_metadata(void **state)
{
	static const struct err_case e[] = {
		{ META("tags: [a, [b]]"), SCHEMA, 2, 11, { "expected a tag (a string) but found a list" } },
		{ META("requires: [sack, timestmps]"), SCHEMA, 2, 18,
		  { "unknown feature 'timestmps' in requires; expected one of: sack, timestamps, wscale, ecn, fastopen, md5, ipv6",
		    "(did you mean 'timestamps'?)" } },
		{ META("expect_fail: {Linux: x}"), SCHEMA, 2, 15,
		  { "expected a target name (lowercase letters, digits, - and _; e.g. linux) but found 'Linux'" } },
		{ META("expect_fail: [{target: linux}]"), SCHEMA, 2, 15,
		  { "expected target and reason in expect_fail" } },
		{ META("expect_fail: [{target: linux, reason: x, why: y}]"), SCHEMA, 2, 42,
		  { "unknown key 'why' in expect_fail; expected one of: target, reason, when" } },
		{ META("expect_fail: {linux: a, freebsd: b, linux: c}"), SCHEMA, 2, 37,
		  { "expected one expect_fail per target but found 'linux' again" } },
		{ META("expect_fail: linux"), SCHEMA, 2, 14,
		  { "expected {TARGET: reason} or a list of {target, reason, when} for expect_fail but found 'linux'" } },
		{ META("expect_fail: {linux: [a]}"), SCHEMA, 2, 22,
		  { "expected a reason (why the target fails this case) but found a list" } },
		{ META("expect_fail: [{target: linux, reason: x, when: {st: a}}]"), SCHEMA, 2, 49,
		  { "expected a variable known when the file loads (matrix:, vars:, with:, repeat) in when but found 'st'" } },
		{ META("ts_base: soon"), SCHEMA, 2, 10,
		  { "expected a number 0..4294967295 for ts_base (or random) but found 'soon'" } },
		{ META("tolerance: 5"), SCHEMA, 2, 12,
		  { "expected a tolerance like 4ms, 12.5% or 4ms+12.5% but found '5'" } },
		{ META("tolerance: 4ms+1001%"), SCHEMA, 2, 12, { "but found '4ms+1001%'" } },
		{ META("vars: {1a: 3}"), SCHEMA, 2, 8,
		  { "expected a variable name (letters, digits, _) in vars but found '1a'" } },
		{ META("vars: {a: [1]}"), SCHEMA, 2, 11,
		  { "expected a value (a number, an expression or text) for a but found a list" } },
		{ META("vars: {a: 1, a: 2}"), SCHEMA, 2, 14, { "duplicate key 'a' in vars" } },
		{ "id: t\ntarget: {port: 80, sysctl: {\"net ipv4\": 1}}\nsteps: [send: {flags: S}]\n",
		  SCHEMA, 2, 29, { "expected a sysctl name like net.ipv4.tcp_timestamps but found 'net ipv4'" } },
		{ "id: t\ntarget: {port: 80, sysctl: [a]}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 28,
		  { "expected a mapping of sysctl: value for sysctl (e.g. sysctl: {net.ipv4.tcp_timestamps: 0}) but found a list" } },
		{ "id: t\ntarget: {port: 80, sysctl: {a.b: [1]}}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 34,
		  { "expected a sysctl value but found a list" } },
		{ "id: t\ntarget: {port: 80, sysctl: {a.b: 1, a.b: 2}}\nsteps: [send: {flags: S}]\n", SCHEMA, 2, 37,
		  { "duplicate key 'a.b' in sysctl" } },
	};

	(void)state;
	check_errors(e, NCASES(e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_error_case_keys),
		cmocka_unit_test(test_script_error_steps),
		cmocka_unit_test(test_script_error_values),
		cmocka_unit_test(test_script_error_options),
		cmocka_unit_test(test_script_error_yaml_syntax_has_line_and_column),
		cmocka_unit_test(test_script_error_io_names_the_path),
		cmocka_unit_test(test_script_error_timing_and_segment_fields),
		cmocka_unit_test(test_script_error_capture),
		cmocka_unit_test(test_script_error_app),
		cmocka_unit_test(test_script_error_metadata),
	};

	return cmocka_run_group_tests_name("script_errors", tests, NULL, NULL);
}
