/* The report model (reports/report.h), its JUnit writer, the matrix merge
 * and the run report's step texts: builders, summaries, limits and
 * truncation counters, escaping, merging synthetic run reports. No root,
 * no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report.h"
#include "report_junit.h"
#include "report_merge.h"
#include "run_report.h"

/* ---- helpers ---- */

static const char *str_at(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return json_string_value(json_object_get(o, path));
}

static long long int_at(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	assert_true(json_is_integer(json_object_get(o, path)));
	return (long long)json_integer_value(json_object_get(o, path));
}

static json_t *add_case(struct report *r, const char *id, enum report_verdict v,
			const char *reason, const char *rfc0, const char *level)
{
	const char *rfc[] = {rfc0};
	struct report_case c = {
		.id = id, .title = "t", .file = "f.yaml", .line = 3, .rfc = rfc,
		.n_rfc = rfc0 ? 1 : 0, .level = level, .verdict = v, .reason = reason,
		.failed_step = v == REPORT_PASS ? 0 : 2, .failed_line = v == REPORT_PASS ? 0 : 9,
		.duration_ms = 12.5, .tester_port = 40000, .tester_isn = 7,
	};
	json_t *j = report_case_add(r, &c);

	assert_non_null(j);
	return j;
}

static json_t *tiny_packet(uint64_t num)
{
	return json_pack("{s:I}", "num", (json_int_t)num);
}

/* ---- the model ---- */

static void test_report_run_summary_counts_by_area_rfc_and_level(void **state)
{
	struct report r;

	(void)state;
	assert_int_equal(report_init(&r, REPORT_RUN, "linux", NULL), 0);
	add_case(&r, "handshake/a", REPORT_PASS, "", "RFC9293 3.5", "MUST");
	add_case(&r, "handshake/b", REPORT_FAIL, "f.yaml:9: nope", "RFC9293 3.5", "MUST");
	add_case(&r, "data/c", REPORT_XFAIL, "known", "RFC7323 2.2", "SHOULD");
	add_case(&r, "plain", REPORT_ERROR, "io", NULL, "MAY");
	assert_int_equal(report_finish(&r, 100.0), 0);

	assert_string_equal(str_at(r.doc, "schema"), "tcpspec-report/1");
	assert_string_equal(str_at(r.doc, "kind"), "run");
	assert_string_equal(str_at(r.doc, "target"), "linux");
	assert_int_equal(int_at(r.doc, "summary.cases"), 4);
	assert_int_equal(int_at(r.doc, "summary.passed"), 1);
	assert_int_equal(int_at(r.doc, "summary.failed"), 1);
	assert_int_equal(int_at(r.doc, "summary.errors"), 1);
	assert_int_equal(int_at(r.doc, "summary.xfail"), 1);
	assert_int_equal(int_at(r.doc, "summary.by_area.handshake.passed"), 1);
	assert_int_equal(int_at(r.doc, "summary.by_area.handshake.failed"), 1);
	assert_int_equal(int_at(r.doc, "summary.by_area.data.xfail"), 1);
	/* an id without '/' is its own area */
	assert_int_equal(int_at(r.doc, "summary.by_area.plain.errors"), 1);
	assert_non_null(json_object_get(json_object_get(json_object_get(r.doc, "summary"), "by_rfc"),
					"RFC9293 3.5"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
		json_object_get(r.doc, "summary"), "by_rfc"), "RFC9293 3.5"), "failed")), 1);
	assert_int_equal(int_at(r.doc, "summary.by_level.SHOULD.xfail"), 1);
	assert_int_equal(int_at(r.doc, "summary.by_level.MAY.errors"), 1);
	/* a pass has no failed step; a failure has both */
	assert_true(json_is_null(json_object_get(json_array_get(r.cases, 0), "failed_step")));
	assert_int_equal(int_at(json_array_get(r.cases, 1), "failed_step"), 2);
	assert_string_equal(str_at(json_array_get(r.cases, 1), "area"), "handshake");
	assert_true(json_is_null(json_object_get(r.doc, "matrix")));
	assert_int_equal(json_array_size(json_object_get(json_array_get(r.cases, 0), "tags")), 0);
	report_free(&r);
}

static void test_report_case_keeps_tags_and_a_missing_pcap_is_null(void **state)
{
	const char *tags[] = {"rfc5961", "slow"};
	struct report_case c = {
		.id = "a/b", .file = "f.yaml", .line = 1, .tags = tags, .n_tags = 2,
		.level = "MUST", .verdict = REPORT_PASS, .target_isn_known = true,
		.target_isn = 4294967295u, .tester_isn = 4294967295u,
	};
	struct report r;
	json_t *j;

	(void)state;
	assert_int_equal(report_init(&r, REPORT_RUN, "linux", NULL), 0);
	j = report_case_add(&r, &c);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "tags"), 1)), "slow");
	assert_true(json_is_null(json_object_get(j, "pcap")));
	assert_string_equal(str_at(j, "title"), "");
	assert_string_equal(str_at(j, "reason"), "");
	assert_int_equal(int_at(j, "target_isn"), 4294967295ll);
	assert_int_equal(int_at(j, "tester_isn"), 4294967295ll);
	report_free(&r);
}

static void test_report_packets_over_the_item_limit_are_counted(void **state)
{
	struct report_limits lim;
	struct report r;
	json_t *a, *b;

	(void)state;
	report_limits_default(&lim);
	lim.packets_per_item = 2;
	assert_int_equal(report_init(&r, REPORT_RUN, "linux", &lim), 0);
	a = add_case(&r, "x/a", REPORT_PASS, "", NULL, "MUST");
	b = add_case(&r, "x/b", REPORT_PASS, "", NULL, "MUST");
	for (int i = 1; i <= 3; i++)
		assert_int_equal(report_item_packet(&r, a, tiny_packet((uint64_t)i)), 0);
	assert_int_equal(report_item_packet(&r, b, tiny_packet(1)), 0);
	assert_true(json_is_false(json_object_get(b, "packets_truncated")));
	report_item_unlisted(&r, b);
	assert_int_equal(report_finish(&r, 1), 0);
	assert_int_equal(json_array_size(json_object_get(a, "packets")), 2);
	assert_true(json_is_true(json_object_get(a, "packets_truncated")));
	assert_true(json_is_true(json_object_get(b, "packets_truncated")));
	assert_int_equal(int_at(r.doc, "limits.truncated.packets"), 2);
	assert_int_equal(int_at(r.doc, "limits.packets_per_item"), 2);
	report_free(&r);
}

static void test_report_packets_over_the_total_limit_are_counted(void **state)
{
	struct report_limits lim;
	struct report r;
	json_t *a, *b;

	(void)state;
	report_limits_default(&lim);
	lim.packets_total = 3;
	assert_int_equal(report_init(&r, REPORT_RUN, "linux", &lim), 0);
	a = add_case(&r, "x/a", REPORT_PASS, "", NULL, "MUST");
	b = add_case(&r, "x/b", REPORT_PASS, "", NULL, "MUST");
	for (int i = 1; i <= 2; i++)
		report_item_packet(&r, a, tiny_packet((uint64_t)i));
	for (int i = 1; i <= 2; i++)
		report_item_packet(&r, b, tiny_packet((uint64_t)i));
	assert_int_equal(report_finish(&r, 1), 0);
	assert_int_equal(json_array_size(json_object_get(b, "packets")), 1);
	assert_true(json_is_true(json_object_get(b, "packets_truncated")));
	assert_true(json_is_false(json_object_get(a, "packets_truncated")));
	assert_int_equal(int_at(r.doc, "limits.truncated.packets"), 1);
	report_free(&r);
}

static void test_report_findings_and_connections_over_limits_are_counted(void **state)
{
	struct report_limits lim;
	struct track_finding f;
	struct report r;
	json_t *c;

	(void)state;
	report_limits_default(&lim);
	lim.findings_per_item = 1;
	lim.detailed_connections = 1;
	memset(&f, 0, sizeof(f));
	f.f.id = FND_TCP_CHECKSUM_BAD;
	f.pkt = 6;
	assert_int_equal(report_init(&r, REPORT_ANALYZE, NULL, &lim), 0);
	assert_true(report_conn_reserve(&r));
	assert_false(report_conn_reserve(&r));
	assert_false(report_conn_reserve(&r));
	c = add_case(&r, "x/a", REPORT_PASS, "", NULL, "MUST");
	assert_int_equal(report_item_finding(&r, c, report_finding_json(&f, 1)), 0);
	assert_int_equal(report_item_finding(&r, c, report_finding_json(&f, 1)), 0);
	/* the top level has its own list and flag */
	assert_int_equal(report_item_finding(&r, NULL, report_finding_json(&f, -1)), 0);
	assert_int_equal(report_item_finding(&r, NULL, report_finding_json(&f, -1)), 0);
	report_count_finding(&r, FINDING_MUST);
	report_item_count(c, FINDING_MUST);
	assert_int_equal(report_finish(&r, -1), 0);
	assert_int_equal(int_at(r.doc, "limits.truncated.connections"), 2);
	assert_int_equal(int_at(r.doc, "limits.truncated.findings"), 2);
	assert_true(json_is_true(json_object_get(c, "findings_truncated")));
	assert_true(json_is_true(json_object_get(r.doc, "findings_truncated")));
	assert_int_equal(int_at(c, "findings_by_level.MUST"), 1);
	assert_int_equal(int_at(r.doc, "summary.findings.MUST"), 1);
	/* the finding as listed */
	{
		json_t *j = json_array_get(json_object_get(c, "findings"), 0);

		assert_string_equal(str_at(j, "id"), "TCP-CHECKSUM-BAD");
		assert_string_equal(str_at(j, "level"), "MUST");
		assert_int_equal(int_at(j, "packet"), 6);
		assert_int_equal(int_at(j, "dir"), 1);
		assert_true(json_is_null(json_object_get(j, "ref_packet")));
		assert_true(json_is_null(json_object_get(json_array_get(json_object_get(r.doc, "findings"), 0), "dir")));
	}
	report_free(&r);
}

static void test_report_str_replaces_bytes_that_are_not_utf8(void **state)
{
	json_t *j;

	(void)state;
	j = report_str("a\xff" "b\xc3\xa9" "c\xed\xa0\x80" "d");
	assert_non_null(j);
	/* U+FFFD for 0xFF, é kept, a surrogate's three bytes each replaced */
	assert_string_equal(json_string_value(j),
			    "a\xef\xbf\xbd" "b\xc3\xa9" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d");
	json_decref(j);
	j = report_str(NULL);
	assert_string_equal(json_string_value(j), "");
	json_decref(j);
}

static void test_report_wscale_scales_only_after_both_syns(void **state)
{
	struct report_wscale w;
	struct wire_tcp t;

	(void)state;
	memset(&t, 0, sizeof(t));
	report_wscale_init(&w);
	t.flags = WIRE_TH_ACK;
	t.win = 100;
	assert_int_equal(report_wscale_wnd(&w, 0, &t), -1);
	t.flags = WIRE_TH_SYN;
	t.has_ws = true;
	t.ws = 7;
	t.win = 65535;
	assert_int_equal(report_wscale_wnd(&w, 0, &t), 65535); /* a SYN: never scaled */
	t.flags = WIRE_TH_SYN | WIRE_TH_ACK;
	t.ws = 10;
	assert_int_equal(report_wscale_wnd(&w, 1, &t), 65535);
	t.flags = WIRE_TH_ACK;
	t.has_ws = false;
	t.win = 2;
	assert_int_equal(report_wscale_wnd(&w, 0, &t), 2 << 7);
	assert_int_equal(report_wscale_wnd(&w, 1, &t), 2 << 10);
	/* one SYN without the option: no scaling either way */
	report_wscale_init(&w);
	t.flags = WIRE_TH_SYN;
	t.has_ws = true;
	report_wscale_wnd(&w, 0, &t);
	t.flags = WIRE_TH_SYN | WIRE_TH_ACK;
	t.has_ws = false;
	report_wscale_wnd(&w, 1, &t);
	t.flags = WIRE_TH_ACK;
	assert_int_equal(report_wscale_wnd(&w, 0, &t), 2);
}

static void test_report_packet_json_has_every_field(void **state)
{
	struct wire_pkt p;
	struct report_pkt in;
	json_t *j;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&in, 0, sizeof(in));
	p.has_ip = p.has_tcp = true;
	p.tcp.flags = WIRE_TH_ACK;
	p.tcp.win = 512;
	p.tcp.payload_len = 10;
	p.tcp.ack = 1100;
	p.tcp.n_sack = 1;
	p.tcp.sack[0].left = 1200;
	p.tcp.sack[0].right = 1300;
	p.tcp.n_opts = 1;
	p.tcp.opts[0].kind = WIRE_TCPOPT_SACK;
	p.tcp.opts[0].len = 10;
	p.tcp_csum = WIRE_CSUM_BAD;
	in.num = 4;
	in.t = 0.5;
	in.dir = 1;
	in.p = &p;
	in.header_ok = true;
	in.seq = 1;
	in.ack_known = true;
	in.ack = 100;
	in.sack_known = true;
	in.sack_base = 1000;
	in.wnd = -1;
	in.labels = TRACK_L_DUP_ACK;
	in.has_step = true;
	in.step = 3;
	j = report_packet_json(&in);
	assert_non_null(j);
	assert_int_equal(int_at(j, "num"), 4);
	assert_string_equal(str_at(j, "flags"), "A");
	assert_int_equal(int_at(j, "ack"), 100);
	assert_true(json_is_null(json_object_get(j, "wnd")));
	assert_int_equal(int_at(j, "len"), 10);
	assert_string_equal(str_at(j, "csum"), "bad");
	assert_string_equal(str_at(j, "options"), "sack 1 {200:300}");
	assert_int_equal(json_integer_value(json_array_get(json_array_get(json_object_get(j, "sack"), 0), 0)), 200);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "labels"), 0)), "dup_ack");
	assert_int_equal(int_at(j, "step"), 3);
	json_decref(j);
	/* a data offset fault: no options, no length, labelled */
	in.header_ok = false;
	in.has_step = false;
	in.sack_known = false;
	j = report_packet_json(&in);
	assert_string_equal(str_at(j, "options"), "");
	assert_int_equal(int_at(j, "len"), 0);
	assert_string_equal(str_at(j, "csum"), "unverified");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "labels"), 1)), "malformed");
	assert_null(json_object_get(j, "step"));
	json_decref(j);
}

static void test_report_write_json_is_atomic_and_names_the_path(void **state)
{
	char dir[] = "/tmp/tcpspec-test-report-XXXXXX", path[128], err[256];
	struct report r;
	json_error_t e;
	json_t *back;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.json", dir);
	assert_int_equal(report_init(&r, REPORT_RUN, "t\xff", NULL), 0);
	assert_int_equal(report_finish(&r, 1), 0);
	assert_int_equal(report_write_json(r.doc, path, err, sizeof(err)), 0);
	back = json_load_file(path, 0, &e);
	assert_non_null(back);
	assert_string_equal(str_at(back, "target"), "t\xef\xbf\xbd");
	json_decref(back);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left */
	snprintf(path, sizeof(path), "%s/no/such/dir.json", dir);
	assert_int_equal(report_write_json(r.doc, path, err, sizeof(err)), REPORT_ERR_IO);
	assert_non_null(strstr(err, path));
	report_free(&r);
}

/* ---- JUnit ---- */

static char *junit_of(const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(report_junit_fwrite(doc, f), 0);
	fclose(f);
	return buf;
}

static void test_junit_escapes_markup_quotes_and_control_characters(void **state)
{
	static const char nasty[] = "<script>alert(1)</script> ]]> \"q\" 'a' & \x01\x1b\t\xef\xbf\xbe";
	struct report r;
	char *x;

	(void)state;
	assert_int_equal(report_init(&r, REPORT_RUN, "lin<ux", NULL), 0);
	add_case(&r, "a&b/<c>", REPORT_FAIL, nasty, "RFC\"1\"", "MUST");
	assert_int_equal(report_finish(&r, 1), 0);
	x = junit_of(r.doc);
	/* nothing of the reason survives as markup, in attributes or text */
	assert_null(strstr(x, "<script"));
	assert_null(strstr(x, "]]>"));
	assert_null(strstr(x, "\x01"));
	assert_null(strstr(x, "\x1b"));
	assert_null(strstr(x, "\xef\xbf\xbe"));
	assert_non_null(strstr(x, "message=\"&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &quot;q&quot; "
				  "&apos;a&apos; &amp; \\x01\\x1b&#9;\\ufffe\""));
	assert_non_null(strstr(x, ">&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; \"q\" 'a' &amp; \\x01\\x1b\t\\ufffe\n"));
	assert_non_null(strstr(x, "<testsuite name=\"a&amp;b\""));
	assert_non_null(strstr(x, "name=\"a&amp;b/&lt;c&gt;\""));
	assert_non_null(strstr(x, "<property name=\"target\" value=\"lin&lt;ux\"/>"));
	assert_non_null(strstr(x, "<property name=\"a&amp;b/&lt;c&gt; rfc\" value=\"RFC&quot;1&quot;\"/>"));
	free(x);
	report_free(&r);
}

static void test_junit_maps_verdicts_to_failure_error_and_skipped(void **state)
{
	struct report r;
	char *x;

	(void)state;
	assert_int_equal(report_init(&r, REPORT_RUN, "linux", NULL), 0);
	add_case(&r, "h/pass", REPORT_PASS, "", "RFC9293 3.5", "MUST");
	add_case(&r, "h/fail", REPORT_FAIL, "f.yaml:9: step 2 (expect): flags: expected SA, observed RA",
		 NULL, "MUST");
	add_case(&r, "d/error", REPORT_ERROR, "injection failed", NULL, "MUST");
	add_case(&r, "d/xfail", REPORT_XFAIL, "known on linux", NULL, "SHOULD");
	add_case(&r, "d/xpass", REPORT_XPASS, "", NULL, "MAY");
	assert_int_equal(report_finish(&r, 1), 0);
	x = junit_of(r.doc);
	assert_non_null(strstr(x, "<testsuites name=\"tcpspec\" tests=\"5\" failures=\"2\" errors=\"1\""));
	assert_non_null(strstr(x, "<testsuite name=\"h\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\""));
	assert_non_null(strstr(x, "<testsuite name=\"d\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"1\""));
	assert_non_null(strstr(x, "<failure message=\"f.yaml:9: step 2 (expect): flags: expected SA, observed RA\" type=\"fail\">"));
	assert_non_null(strstr(x, "<error message=\"injection failed\" type=\"error\">"));
	assert_non_null(strstr(x, "<skipped message=\"known on linux\" type=\"xfail\"/>"));
	assert_non_null(strstr(x, "type=\"xpass\""));
	assert_non_null(strstr(x, "<testcase classname=\"h\" name=\"h/pass\" time=\"0.013\" file=\"f.yaml\" line=\"3\">"));
	assert_non_null(strstr(x, "<property name=\"h/pass rfc\" value=\"RFC9293 3.5\"/>"));
	/* "h" ran first: its suite comes first */
	assert_true(strstr(x, "name=\"h\"") < strstr(x, "name=\"d\""));
	free(x);
	report_free(&r);
}

static void test_junit_refuses_other_kinds(void **state)
{
	struct report r;
	char err[256];
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(report_init(&r, REPORT_ANALYZE, NULL, NULL), 0);
	assert_int_equal(report_junit_fwrite(r.doc, f), -1);
	assert_int_equal(report_junit_write(r.doc, "/tmp/x.xml", err, sizeof(err)), REPORT_ERR_INVAL);
	assert_non_null(strstr(err, "kind 'analyze'"));
	fclose(f);
	report_free(&r);
}

/* ---- merge ---- */

static json_t *run_doc(const char *target, const char *const *ids, const enum report_verdict *v,
		       size_t n)
{
	struct report r;
	json_t *doc;

	assert_int_equal(report_init(&r, REPORT_RUN, target, NULL), 0);
	for (size_t i = 0; i < n; i++)
		add_case(&r, ids[i], v[i], v[i] == REPORT_PASS ? "" : "why", "RFC9293 3.5", "MUST");
	r.by_level[FINDING_MUST] = 1;
	assert_int_equal(report_finish(&r, 1), 0);
	doc = json_incref(r.doc);
	report_free(&r);
	return doc;
}

static void test_merge_builds_the_matrix_of_three_runs(void **state)
{
	static const char *const ids1[] = {"h/a", "h/b"}, *const ids2[] = {"h/a", "d/c"},
		*const ids3[] = {"h/b"};
	static const enum report_verdict v1[] = {REPORT_PASS, REPORT_FAIL},
		v2[] = {REPORT_PASS, REPORT_ERROR}, v3[] = {REPORT_XFAIL};
	struct report_merge_input in[3] = {
		{"linux.json", run_doc("linux", ids1, v1, 2), "linux.html"},
		{"b/linux.json", run_doc("linux", ids2, v2, 2), NULL},
		{"bsd.json", run_doc("bsd", ids3, v3, 1), "sub%20dir/bsd.html"},
	};
	json_t *m, *rows, *cells;
	char err[256];

	(void)state;
	assert_int_equal(report_merge(in, 3, &m, err, sizeof(err)), 0);
	assert_string_equal(str_at(m, "kind"), "matrix");
	assert_true(json_is_null(json_object_get(m, "target")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(m, "matrix"), "targets"), 0)), "linux");
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(m, "matrix"), "targets"), 1)), "linux-2");
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(m, "matrix"), "targets"), 2)), "bsd");
	rows = json_object_get(json_object_get(m, "matrix"), "cases");
	assert_int_equal(json_array_size(rows), 3);       /* h/a, h/b, d/c: first-seen order */
	assert_string_equal(str_at(json_array_get(rows, 1), "id"), "h/b");
	assert_string_equal(str_at(json_array_get(rows, 2), "id"), "d/c");
	cells = json_object_get(json_array_get(rows, 0), "cells");
	assert_string_equal(str_at(cells, "linux.verdict"), "pass");
	assert_string_equal(str_at(cells, "linux.report"), "linux.html#case-h/a");
	assert_string_equal(str_at(cells, "linux-2.verdict"), "pass");
	assert_true(json_is_null(json_object_get(json_object_get(cells, "linux-2"), "report")));
	assert_string_equal(str_at(cells, "bsd.verdict"), "absent");
	assert_true(json_is_null(json_object_get(json_object_get(cells, "bsd"), "findings_by_level")));
	cells = json_object_get(json_array_get(rows, 1), "cells");
	assert_string_equal(str_at(cells, "bsd.verdict"), "xfail");
	assert_string_equal(str_at(cells, "bsd.report"), "sub%20dir/bsd.html#case-h/b");
	assert_string_equal(str_at(cells, "linux.reason"), "why");
	/* summary: cells by verdict, per target with absent ones */
	assert_int_equal(int_at(m, "summary.cases"), 3);
	assert_int_equal(int_at(m, "summary.passed"), 2);
	assert_int_equal(int_at(m, "summary.failed"), 1);
	assert_int_equal(int_at(m, "summary.errors"), 1);
	assert_int_equal(int_at(m, "summary.xfail"), 1);
	assert_int_equal(int_at(m, "summary.by_target.linux.cases"), 2);
	assert_int_equal(int_at(m, "summary.by_target.linux.absent"), 1);
	assert_int_equal(int_at(m, "summary.by_target.bsd.absent"), 2);
	assert_int_equal(int_at(m, "summary.by_target.linux-2.errors"), 1);
	assert_int_equal(int_at(m, "summary.by_area.h.passed"), 2);
	assert_int_equal(int_at(m, "summary.findings.MUST"), 3);
	assert_string_equal(str_at(json_array_get(json_object_get(json_object_get(m, "matrix"), "runs"), 2), "report"),
			    "sub%20dir/bsd.html");
	assert_string_equal(json_string_value(json_array_get(json_object_get(m, "inputs"), 1)), "b/linux.json");
	json_decref(m);
	for (int i = 0; i < 3; i++)
		json_decref((json_t *)in[i].doc);
}

static void test_merge_rejects_what_is_not_a_run_report(void **state)
{
	static const char *const ids[] = {"h/a", "h/a"};
	static const enum report_verdict v[] = {REPORT_PASS, REPORT_PASS};
	struct report_merge_input in = {"x.json", NULL, NULL};
	struct report r;
	json_t *m;
	char err[256];

	(void)state;
	assert_int_equal(report_init(&r, REPORT_ANALYZE, NULL, NULL), 0);
	in.doc = r.doc;
	assert_int_equal(report_merge(&in, 1, &m, err, sizeof(err)), REPORT_ERR_INVAL);
	assert_non_null(strstr(err, "x.json: a report of kind 'analyze'"));
	report_free(&r);

	in.doc = json_pack("{s:i}", "schema", 1);
	assert_int_equal(report_merge(&in, 1, &m, err, sizeof(err)), REPORT_ERR_INVAL);
	assert_non_null(strstr(err, "not a tcpspec report"));
	json_decref((json_t *)in.doc);

	in.doc = run_doc("linux", ids, v, 2);
	assert_int_equal(report_merge(&in, 1, &m, err, sizeof(err)), REPORT_ERR_INVAL);
	assert_non_null(strstr(err, "case id 'h/a' appears twice"));
	json_decref((json_t *)in.doc);
}

static void test_url_escape_keeps_paths_and_encodes_the_rest(void **state)
{
	char buf[128];

	(void)state;
	report_url_escape("a/b-c_d.e~f:g@h", buf, sizeof(buf));
	assert_string_equal(buf, "a/b-c_d.e~f:g@h");
	report_url_escape("x y#z%\"<\xc3\xa9", buf, sizeof(buf));
	assert_string_equal(buf, "x%20y%23z%25%22%3C%C3%A9");
	report_url_escape("abcdef", buf, 5); /* cut, never past cap */
	assert_true(strlen(buf) < 5);
}

/* ---- run report: step texts ---- */

static void test_step_text_is_the_step_as_written_on_one_line(void **state)
{
	static const char yaml[] =
		"id: a\n"
		"target: {port: 80}\n"
		"steps:\n"
		"  - send: {flags: S, seq: 0}   # the SYN\n"
		"  - expect:\n"
		"      flags: SA     # comment\n"
		"      data: \"a # not a comment\"\n"
		"  - expect_none: {for: 300ms}\n"
		"  - send: {flags: PA, data: \"\xc3\xa9t\xc3\xa9\"}\n";
	char out[400], small[16];

	(void)state;
	assert_int_equal(run_step_text(yaml, sizeof(yaml) - 1, 4, 5, out, sizeof(out)), 0);
	assert_string_equal(out, "send: {flags: S, seq: 0}");
	assert_int_equal(run_step_text(yaml, sizeof(yaml) - 1, 5, 5, out, sizeof(out)), 0);
	assert_string_equal(out, "expect: flags: SA data: \"a # not a comment\"");
	assert_int_equal(run_step_text(yaml, sizeof(yaml) - 1, 8, 5, out, sizeof(out)), 0);
	assert_string_equal(out, "expect_none: {for: 300ms}");
	/* columns count characters, as libyaml's marks do */
	assert_int_equal(run_step_text(yaml, sizeof(yaml) - 1, 9, 5, out, sizeof(out)), 0);
	assert_string_equal(out, "send: {flags: PA, data: \"\xc3\xa9t\xc3\xa9\"}");
	/* cut on a character boundary, marked */
	assert_int_equal(run_step_text(yaml, sizeof(yaml) - 1, 9, 5, small, sizeof(small)), 0);
	assert_true(strlen(small) < sizeof(small));
	assert_non_null(strstr(small, "..."));
	assert_int_equal(run_step_text(yaml, sizeof(yaml) - 1, 4, 6, out, sizeof(out)), -1);
}

static void test_run_verdict_applies_expect_fail_of_the_target(void **state)
{
	struct runner_result res;
	char why[2048];

	(void)state;
	memset(&res, 0, sizeof(res));
	res.verdict = RUNNER_PASS;
	assert_int_equal(run_report_verdict(&res, "linux", NULL, why, sizeof(why)), REPORT_PASS);
	assert_string_equal(why, "");
	assert_int_equal(run_report_verdict(&res, "linux", "no RFC 5961", why, sizeof(why)), REPORT_XPASS);
	assert_string_equal(why, "passed, but expected to fail on linux (no RFC 5961)");
	res.verdict = RUNNER_FAIL;
	snprintf(res.reason, sizeof(res.reason), "a.yaml:5: step 2 (expect): flags: expected A, observed R");
	assert_int_equal(run_report_verdict(&res, "linux", NULL, why, sizeof(why)), REPORT_FAIL);
	assert_string_equal(why, res.reason);
	assert_int_equal(run_report_verdict(&res, "linux", "no RFC 5961", why, sizeof(why)), REPORT_XFAIL);
	assert_string_equal(why, "expected to fail on linux (no RFC 5961): a.yaml:5: step 2 (expect): "
			    "flags: expected A, observed R");
	/* an error is not the known failure */
	res.verdict = RUNNER_ERROR;
	assert_int_equal(run_report_verdict(&res, "linux", "no RFC 5961", why, sizeof(why)), REPORT_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_run_summary_counts_by_area_rfc_and_level),
		cmocka_unit_test(test_report_case_keeps_tags_and_a_missing_pcap_is_null),
		cmocka_unit_test(test_report_packets_over_the_item_limit_are_counted),
		cmocka_unit_test(test_report_packets_over_the_total_limit_are_counted),
		cmocka_unit_test(test_report_findings_and_connections_over_limits_are_counted),
		cmocka_unit_test(test_report_str_replaces_bytes_that_are_not_utf8),
		cmocka_unit_test(test_report_wscale_scales_only_after_both_syns),
		cmocka_unit_test(test_report_packet_json_has_every_field),
		cmocka_unit_test(test_report_write_json_is_atomic_and_names_the_path),
		cmocka_unit_test(test_junit_escapes_markup_quotes_and_control_characters),
		cmocka_unit_test(test_junit_maps_verdicts_to_failure_error_and_skipped),
		cmocka_unit_test(test_junit_refuses_other_kinds),
		cmocka_unit_test(test_merge_builds_the_matrix_of_three_runs),
		cmocka_unit_test(test_merge_rejects_what_is_not_a_run_report),
		cmocka_unit_test(test_url_escape_keeps_paths_and_encodes_the_rest),
		cmocka_unit_test(test_step_text_is_the_step_as_written_on_one_line),
		cmocka_unit_test(test_run_verdict_applies_expect_fail_of_the_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
