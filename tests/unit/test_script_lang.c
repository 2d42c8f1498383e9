/* Unit tests: the language beyond send/expect (injector/script_step.c,
 * script_app.c, script_meta.c, script_case.c) parsed into the model —
 * wait, timing (within, at, at_abs, tolerance), capture, app commands,
 * ecn and truncate, and case metadata. Errors: test_script_errors.c. */
#include "test_script.h"

static void test_lang_wait_and_timing(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	k = load_ok(&s, HDR
		    "  - wait: 1.5ms\n"
		    "  - expect: {flags: SA, at: 200ms}\n"
		    "  - expect: {flags: A, at: 0, tolerance: 2ms}\n"
		    "  - expect: {flags: A, at_abs: 1s, tolerance: 1ms+12.5%}\n"
		    "  - expect: {flags: A, at: 10ms, tolerance: 50%}\n"
		    "  - send: {flags: S, at: 250us}\n"
		    "  - send: {flags: S, at_abs: 2s}\n"
		    "  - expect: {within: 250us}\n");
	assert_int_equal(k->steps[0].kind, SCRIPT_WAIT);
	assert_int_equal(k->steps[0].wait_us, 1500);
	assert_int_equal(k->steps[1].timing, SCRIPT_AT_REL);
	assert_int_equal(k->steps[1].at_us, 200000);
	assert_int_equal(k->steps[1].within_ms, 0);      /* at, not within */
	assert_false(k->steps[1].tol.set);
	assert_int_equal(k->steps[2].at_us, 0);
	assert_true(k->steps[2].tol.set);
	assert_int_equal(k->steps[2].tol.us, 2000);
	assert_int_equal(k->steps[2].tol.ppm, 0);
	assert_int_equal(k->steps[3].timing, SCRIPT_AT_ABS);
	assert_int_equal(k->steps[3].at_us, 1000000);
	assert_int_equal(k->steps[3].tol.us, 1000);
	assert_int_equal(k->steps[3].tol.ppm, 125000);
	assert_int_equal(k->steps[4].tol.us, 0);
	assert_int_equal(k->steps[4].tol.ppm, 500000);
	assert_int_equal(script_tolerance_us(&k->steps[4], k, NULL, 10000), 5000);
	assert_int_equal(k->steps[5].kind, SCRIPT_SEND);
	assert_int_equal(k->steps[5].timing, SCRIPT_AT_REL);
	assert_int_equal(k->steps[5].at_us, 250);
	assert_int_equal(k->steps[6].timing, SCRIPT_AT_ABS);
	assert_int_equal(k->steps[7].timing, SCRIPT_AT_NOW);
	assert_int_equal(k->steps[7].within_ms, 1);       /* rounded up */
	script_suite_free(&s);
}

static void test_lang_capture_in_and_after_expect(void **state)
{
	static const char *const names[] = {
		"seq", "ack", "win", "urg", "len", "tsval", "tsecr", "mss", "wscale",
		"ttl", "tos", "ecn", "flow_label", "ack (abs)",
	};
	struct script_suite s = { 0 };
	const struct script_case *k;
	const struct script_step *st;

	(void)state;
	k = load_ok(&s, "id: t\ntarget: {port: 80, ip: 6}\nsteps:\n"
		    "  - expect: {flags: SA, capture: {seq: a, ack: b, win: c, urg: d, len: e}}\n"
		    "  - capture: {tsval: f, tsecr: g, mss: h, wscale: i, ttl: j, tos: k2, ecn: l,"
		    " flow_label: m, ack: {abs: n}}\n"
		    "  - expect: {capture: {seq: a}}\n");
	assert_int_equal(k->n_steps, 2);
	st = &k->steps[0];
	assert_int_equal(st->n_caps, 14);
	for (size_t i = 0; i < st->n_caps; i++)
		assert_string_equal(script_cap_field_name(st->caps[i].field), names[i]);
	assert_string_equal(st->caps[5].name, "f");
	assert_string_equal(st->caps[5].file, "t.yaml");
	assert_int_equal(st->caps[5].line, 5);
	assert_int_equal(st->caps[5].col, 22);
	/* a later capture may bind the same name again */
	assert_string_equal(k->steps[1].caps[0].name, "a");
	assert_int_equal(k->steps[1].caps[0].line, 6);
	script_suite_free(&s);
}

static void test_lang_app_commands(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;
	const struct script_app *a;

	(void)state;
	k = load_ok(&s, "id: t\ntarget: {role: client}\nsteps:\n"
		    "  - app: {listen: true}\n"
		    "  - app: {listen: 8080}\n"
		    "  - app: {listen: {port: 9, backlog: 4, family: v6}}\n"
		    "  - app: {accept: true}\n"
		    "  - app: {accept: {timeout: 2s}}\n"
		    "  - app: {connect: true, async: true}\n"
		    "  - app: {connect: {addr: 192.0.2.9, port: 40000, from: 5555, timeout: 1s}, expect_errno: ECONNREFUSED}\n"
		    "  - app: {write: 1000}\n"
		    "  - app: {write: {bytes: 10, pattern: xyz}, at: 5ms}\n"
		    "  - app: {read: true}\n"
		    "  - app: {read: 100}\n"
		    "  - app: {read: {max: 5, timeout: 300ms, data: \"hello\", len: 5}}\n"
		    "  - app: {read: {hex: \"00 ff\", len: 0..2}}\n"
		    "  - app: {shutdown: wr}\n"
		    "  - app: {close: true}\n"
		    "  - app: {abort: true, async: false}\n"
		    "  - app: {setsockopt: {SO_RCVBUF: 4096}}\n"
		    "  - app: {setsockopt: {SO_LINGER: -1}}\n"
		    "  - app: {setsockopt: {TCP_NODELAY: true}}\n");
	assert_int_equal(k->role, SCRIPT_ROLE_CLIENT);
	assert_false(k->role_server);
	assert_int_equal(k->port, 0);
	assert_int_equal(k->n_steps, 19);
	for (size_t i = 0; i < k->n_steps; i++)
		assert_int_equal(k->steps[i].kind, SCRIPT_APP);
	a = &k->steps[0].app;
	assert_int_equal(a->op, SCRIPT_APP_LISTEN);
	assert_expr(&a->port, NULL, 0);
	assert_int_equal(a->family, SCRIPT_FAM_CASE);
	assert_expr(&k->steps[1].app.port, NULL, 8080);
	a = &k->steps[2].app;
	assert_expr(&a->port, NULL, 9);
	assert_expr(&a->count, NULL, 4);
	assert_int_equal(a->family, SCRIPT_FAM_V6);
	assert_int_equal(k->steps[3].app.op, SCRIPT_APP_ACCEPT);
	assert_int_equal(k->steps[3].app.timeout_ms, 0);
	assert_int_equal(k->steps[4].app.timeout_ms, 2000);
	a = &k->steps[5].app;
	assert_int_equal(a->op, SCRIPT_APP_CONNECT);
	assert_null(a->addr);
	assert_true(a->async);
	a = &k->steps[6].app;
	assert_string_equal(a->addr, "192.0.2.9");
	assert_expr(&a->port, NULL, 40000);
	assert_expr(&a->from, NULL, 5555);
	assert_int_equal(a->timeout_ms, 1000);
	assert_string_equal(a->expect_errno, "ECONNREFUSED");
	assert_false(a->async);
	assert_int_equal(k->steps[7].app.op, SCRIPT_APP_WRITE);
	assert_expr(&k->steps[7].app.count, NULL, 1000);
	assert_null(k->steps[7].app.pattern);
	assert_string_equal(k->steps[8].app.pattern, "xyz");
	assert_int_equal(k->steps[8].timing, SCRIPT_AT_REL);
	assert_int_equal(k->steps[8].at_us, 5000);
	assert_int_equal(k->steps[9].app.op, SCRIPT_APP_READ);
	assert_expr(&k->steps[9].app.count, NULL, 0);
	assert_expr(&k->steps[10].app.count, NULL, 100);
	a = &k->steps[11].app;
	assert_int_equal(a->timeout_ms, 300);
	assert_true(a->data_set);
	assert_int_equal(a->data_len, 5);
	assert_memory_equal(a->data, "hello", 5);
	assert_num(&a->len, SNUM_VALUE, 5, 5);
	a = &k->steps[12].app;
	assert_int_equal(a->data_len, 2);
	assert_memory_equal(a->data, "\x00\xff", 2);
	assert_num(&a->len, SNUM_RANGE, 0, 2);
	assert_int_equal(k->steps[13].app.how, SCRIPT_SHUT_WR);
	assert_int_equal(k->steps[14].app.op, SCRIPT_APP_CLOSE);
	assert_int_equal(k->steps[15].app.op, SCRIPT_APP_ABORT);
	a = &k->steps[16].app;
	assert_int_equal(a->op, SCRIPT_APP_SETSOCKOPT);
	assert_string_equal(a->opt_name, "SO_RCVBUF");
	assert_expr(&a->opt_value, NULL, 4096);
	assert_int_equal((int32_t)k->steps[17].app.opt_value.v, -1);
	assert_expr(&k->steps[18].app.opt_value, NULL, 1);
	for (unsigned op = SCRIPT_APP_LISTEN; op <= SCRIPT_APP_SETSOCKOPT; op++)
		assert_non_null(strstr("listen accept connect write read shutdown close abort setsockopt",
				       script_app_op_name(op)));
	script_suite_free(&s);

	/* IPv6 cases connect to IPv6 addresses */
	k = load_ok(&s, "id: t\ntarget: {role: client, ip: 6, port: 5000}\n"
		    "steps: [app: {connect: {addr: \"2001:db8::2\"}}]\n");
	assert_string_equal(k->steps[0].app.addr, "2001:db8::2");
	assert_int_equal(k->port, 5000);
	script_suite_free(&s);
}

static void test_lang_ecn_and_truncate(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	k = load_ok(&s, HDR
		    "  - send: {flags: S, ecn: ce, truncate: 12}\n"
		    "  - send: {flags: S, ecn: 1, tos: 0x10, truncate: 0}\n"
		    "  - expect: {ecn: ect0}\n"
		    "  - expect: {ecn: not-ect}\n"
		    "  - expect: {ecn: any}\n"
		    "  - expect: {ecn: 1..3}\n");
	assert_num(&k->steps[0].seg.ecn, SNUM_VALUE, 3, 3);
	assert_int_equal(k->steps[0].seg.truncate, 12);
	assert_num(&k->steps[1].seg.ecn, SNUM_VALUE, 1, 1);
	assert_num(&k->steps[1].seg.tos, SNUM_VALUE, 0x10, 0x10);
	assert_int_equal(k->steps[1].seg.truncate, 0);
	assert_num(&k->steps[2].seg.ecn, SNUM_VALUE, 2, 2);
	assert_int_equal(k->steps[2].seg.truncate, -1);
	assert_num(&k->steps[3].seg.ecn, SNUM_VALUE, 0, 0);
	assert_int_equal(k->steps[4].seg.ecn.k, SNUM_ANY);
	assert_num(&k->steps[5].seg.ecn, SNUM_RANGE, 1, 3);
	script_suite_free(&s);
}

static void test_lang_case_metadata(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	k = load_ok(&s, "id: t\n"
		    "tags: [handshake, options]\n"
		    "requires: [sack, timestamps, wscale, ecn, fastopen, md5]\n"
		    "expect_fail: {linux: \"sends a challenge ACK\", freebsd: drops it}\n"
		    "ts_base: 0x10000\n"
		    "tolerance: 10ms\n"
		    "target: {port: 80, ip: 6, sysctl: {net.ipv4.tcp_timestamps: 0, net.ipv4.tcp_rmem: \"4096 87380 6291456\"}}\n"
		    "steps: [send: {flags: S}]\n");
	assert_int_equal(k->n_tags, 2);
	assert_string_equal(k->tags[0], "handshake");
	assert_string_equal(k->tags[1], "options");
	assert_int_equal(k->requires, SCRIPT_REQ_SACK | SCRIPT_REQ_TIMESTAMPS | SCRIPT_REQ_WSCALE |
				      SCRIPT_REQ_ECN | SCRIPT_REQ_FASTOPEN | SCRIPT_REQ_MD5 |
				      SCRIPT_REQ_IPV6);      /* ipv6: implied by ip: 6 */
	assert_string_equal(script_require_name(SCRIPT_REQ_TIMESTAMPS), "timestamps");
	assert_string_equal(script_require_name(SCRIPT_REQ_IPV6), "ipv6");
	assert_null(script_require_name(0x1000));
	assert_int_equal(k->n_xfail, 2);
	assert_string_equal(script_xfail_reason(k, "linux"), "sends a challenge ACK");
	assert_string_equal(script_xfail_reason(k, "freebsd"), "drops it");
	assert_null(script_xfail_reason(k, "openbsd"));
	assert_null(script_xfail_reason(k, NULL));
	assert_int_equal(k->ts_base, 0x10000);
	assert_false(k->ts_base_random);
	assert_true(k->tolerance.set);
	assert_int_equal(k->tolerance.us, 10000);
	assert_int_equal(k->tolerance.ppm, 0);
	assert_int_equal(k->n_sysctl, 2);
	assert_string_equal(k->sysctl[0].name, "net.ipv4.tcp_timestamps");
	assert_string_equal(k->sysctl[0].value, "0");
	assert_string_equal(k->sysctl[1].value, "4096 87380 6291456");
	assert_null(k->matrix);
	script_suite_free(&s);

	k = load_ok(&s, "id: t\ntags: one\nrequires: ipv6\nts_base: random\n"
		    "target: {port: 80, role: closed}\nsteps: [send: {flags: S}]\n");
	assert_int_equal(k->n_tags, 1);
	assert_string_equal(k->tags[0], "one");
	assert_int_equal(k->requires, SCRIPT_REQ_IPV6);
	assert_true(k->ts_base_random);
	assert_int_equal(k->role, SCRIPT_ROLE_CLOSED);
	assert_false(k->role_server);
	assert_int_equal(k->n_xfail, 0);
	assert_int_equal(k->n_sysctl, 0);
	assert_false(k->tolerance.set);
	script_suite_free(&s);
}

/* The model keeps what it needs after the YAML is gone: strings live in
 * the case's pool, file names included. */
static void test_lang_model_outlives_the_buffer(void **state)
{
	struct script_suite s = { 0 };
	struct diag d;
	char name[] = "x.yaml";
	char *yaml = strdup(HDR "  - expect: {capture: {seq: a}}\n  - send: {flags: S, seq: $a}\n"
			    "  - app: {setsockopt: {SO_SNDBUF: 1}, expect_errno: EINVAL}\n");

	(void)state;
	assert_non_null(yaml);
	assert_int_equal(script_load_buffer(name, yaml, strlen(yaml), &s, &d), 0);
	memset(yaml, 'z', strlen(yaml));
	free(yaml);
	name[0] = 'q';
	assert_string_equal(s.cases[0].steps[0].file, "x.yaml");
	assert_string_equal(s.cases[0].steps[0].caps[0].name, "a");
	assert_string_equal(s.cases[0].steps[1].seg.seq.lo.ref->name, "a");
	assert_string_equal(s.cases[0].steps[1].seg.seq.lo.ref->file, "x.yaml");
	assert_string_equal(s.cases[0].steps[2].app.opt_name, "SO_SNDBUF");
	assert_string_equal(s.cases[0].steps[2].app.expect_errno, "EINVAL");
	script_suite_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_wait_and_timing),
		cmocka_unit_test(test_lang_capture_in_and_after_expect),
		cmocka_unit_test(test_lang_app_commands),
		cmocka_unit_test(test_lang_ecn_and_truncate),
		cmocka_unit_test(test_lang_case_metadata),
		cmocka_unit_test(test_lang_model_outlives_the_buffer),
	};

	return cmocka_run_group_tests_name("script_lang", tests, NULL, NULL);
}
