/* JUnit XML from a run report: see report_junit.h. */
#include "report_junit.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "report.h"

static const char *sget(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long iget(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

void report_xml_escape(FILE *out, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = report_utf8_len(p);
		unsigned c = *p;

		if (!n) {
			/* not UTF-8: cannot be in the file as it is */
			fprintf(out, "\\x%02x", c);
			p++;
			continue;
		}
		if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
			/* U+FFFE, U+FFFF: not XML characters */
			fprintf(out, "\\u%s", p[2] == 0xBE ? "fffe" : "ffff");
			p += 3;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		switch (c) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break; /* also breaks any "]]>" */
		case '&': fputs("&amp;", out); break;
		case '"': fputs(attr ? "&quot;" : "\"", out); break;
		case '\'': fputs(attr ? "&apos;" : "'", out); break;
		/* attribute values normalise white space: keep it as references */
		case '\t': fputs(attr ? "&#9;" : "\t", out); break;
		case '\n': fputs(attr ? "&#10;" : "\n", out); break;
		case '\r': fputs("&#13;", out); break;
		default:
			if (c < 0x20)
				fprintf(out, "\\x%02x", c);
			else
				fputc((int)c, out);
		}
		p++;
	}
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	report_xml_escape(out, value, 1);
	fputc('"', out);
}

static void attr_num(FILE *out, const char *name, long long v)
{
	fprintf(out, " %s=\"%lld\"", name, v);
}

static void attr_secs(FILE *out, const char *name, double ms)
{
	fprintf(out, " %s=\"%.3f\"", name, ms > 0 ? ms / 1000.0 : 0.0);
}

static void property(FILE *out, const char *name, const char *value)
{
	fputs("      <property", out);
	attr(out, "name", name);
	attr(out, "value", value);
	fputs("/>\n", out);
}

/* "RFC9293 3.5, RFC7323 2.2" */
static void rfc_list(const json_t *c, char *buf, size_t cap)
{
	size_t i, off = 0;
	json_t *x;

	buf[0] = '\0';
	json_array_foreach(json_object_get(c, "rfc"), i, x) {
		int n = snprintf(buf + off, cap - off, "%s%s", i ? ", " : "",
				 json_string_value(x) ? json_string_value(x) : "");

		if (n < 0 || (size_t)n >= cap - off)
			break;
		off += (size_t)n;
	}
}

static void text_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_line(FILE *out, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	report_xml_escape(out, buf, 0);
	fputc('\n', out);
}

static void num_or_dash(char *buf, size_t cap, const json_t *v)
{
	if (json_is_integer(v))
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, cap, "-");
}

/* One packet as a line: "3  0.001210 <  [SA] seq 0 ack 1 win 65160 len 0 mss 1460 (step 2)" */
static void packet_line(FILE *out, const json_t *p)
{
	char ack[24], step[32] = "", labels[256] = "";
	const json_t *st = json_object_get(p, "step");
	size_t i, off = 0;
	json_t *l;

	num_or_dash(ack, sizeof(ack), json_object_get(p, "ack"));
	if (json_is_integer(st))
		snprintf(step, sizeof(step), " (step %lld)", (long long)json_integer_value(st));
	json_array_foreach(json_object_get(p, "labels"), i, l) {
		int n = snprintf(labels + off, sizeof(labels) - off, " [%s]", json_string_value(l));

		if (n < 0 || (size_t)n >= sizeof(labels) - off)
			break;
		off += (size_t)n;
	}
	text_line(out, "  %5lld %10.6f %s [%s] seq %lld ack %s win %lld len %lld%s%s csum %s%s%s",
		  iget(p, "num"), json_number_value(json_object_get(p, "t")),
		  iget(p, "dir") == 0 ? "tester >" : "< target", sget(p, "flags"),
		  iget(p, "seq"), ack, iget(p, "win"), iget(p, "len"),
		  sget(p, "options")[0] ? " " : "", sget(p, "options"), sget(p, "csum"),
		  labels, step);
}

static void findings_text(FILE *out, const json_t *c)
{
	const json_t *list = json_object_get(c, "findings");
	size_t i;
	json_t *f;

	if (!json_array_size(list))
		return;
	text_line(out, "findings on the target's segments:");
	json_array_foreach(list, i, f)
		text_line(out, "  %s %s (%s %s) packet %lld: %s", sget(f, "level"), sget(f, "id"),
			  sget(f, "rfc"), sget(f, "section"), iget(f, "packet"), sget(f, "reason"));
	if (json_is_true(json_object_get(c, "findings_truncated")))
		text_line(out, "  (more findings than the report lists: limits.findings_per_item)");
}

/* Body of a <failure>/<error>: the reason, the failed step, findings, packets. */
static void failure_body(FILE *out, const json_t *c)
{
	const json_t *fs = json_object_get(c, "failed_step");
	const json_t *steps = json_object_get(c, "steps");
	size_t i;
	json_t *x;

	text_line(out, "%s", sget(c, "reason"));
	if (json_is_integer(fs)) {
		json_array_foreach(steps, i, x)
			if (iget(x, "index") == json_integer_value(fs))
				text_line(out, "%s:%lld: step %lld: %s", sget(c, "file"), iget(x, "line"),
					  iget(x, "index"), sget(x, "text"));
	}
	findings_text(out, c);
	if (json_array_size(json_object_get(c, "packets"))) {
		text_line(out, "packets (seq/ack relative to each side's ISN):");
		json_array_foreach(json_object_get(c, "packets"), i, x)
			packet_line(out, x);
	}
	if (json_is_true(json_object_get(c, "packets_truncated")))
		text_line(out, "  (more packets than the report lists: limits.packets_per_item)");
}

static void testcase(FILE *out, const json_t *c, const char *area)
{
	enum report_verdict v = REPORT_ERROR;
	char rfc[1024];

	report_verdict_by_name(sget(c, "verdict"), &v);
	fputs("    <testcase", out);
	attr(out, "classname", area);
	attr(out, "name", sget(c, "id"));
	attr_secs(out, "time", json_number_value(json_object_get(c, "duration_ms")));
	attr(out, "file", sget(c, "file"));
	attr_num(out, "line", iget(c, "line"));
	fputs(">\n", out);
	switch (v) {
	case REPORT_PASS:
		break;
	case REPORT_FAIL:
	case REPORT_XPASS:
		fputs("      <failure", out);
		attr(out, "message", v == REPORT_XPASS && !sget(c, "reason")[0]
			? "xpass: expected to fail, but passed" : sget(c, "reason"));
		attr(out, "type", v == REPORT_XPASS ? "xpass" : "fail");
		fputs(">", out);
		failure_body(out, c);
		fputs("</failure>\n", out);
		break;
	case REPORT_ERROR:
		fputs("      <error", out);
		attr(out, "message", sget(c, "reason"));
		attr(out, "type", "error");
		fputs(">", out);
		failure_body(out, c);
		fputs("</error>\n", out);
		break;
	case REPORT_XFAIL:
	case REPORT_SKIP:
		fputs("      <skipped", out);
		attr(out, "message", sget(c, "reason"));
		attr(out, "type", v == REPORT_XFAIL ? "xfail" : "skip");
		fputs("/>\n", out);
		break;
	case REPORT__VERDICTS:
		break;
	}
	rfc_list(c, rfc, sizeof(rfc));
	fputs("      <system-out>", out);
	text_line(out, "rfc: %s", rfc);
	text_line(out, "level: %s", sget(c, "level"));
	text_line(out, "file: %s:%lld", sget(c, "file"), iget(c, "line"));
	if (json_is_string(json_object_get(c, "pcap")))
		text_line(out, "pcap: %s", sget(c, "pcap"));
	findings_text(out, c);
	fputs("</system-out>\n", out);
	fputs("    </testcase>\n", out);
}

struct suite_counts {
	long long tests, failures, errors, skipped;
	double ms;
};

static void count_case(struct suite_counts *s, const json_t *c)
{
	enum report_verdict v = REPORT_ERROR;

	report_verdict_by_name(sget(c, "verdict"), &v);
	s->tests++;
	s->failures += v == REPORT_FAIL || v == REPORT_XPASS;
	s->errors += v == REPORT_ERROR;
	s->skipped += v == REPORT_XFAIL || v == REPORT_SKIP;
	s->ms += json_number_value(json_object_get(c, "duration_ms"));
}

static void testsuite(FILE *out, const json_t *doc, const char *area, size_t id,
		      const char *timestamp)
{
	const json_t *cases = json_object_get(doc, "cases");
	struct suite_counts n = {0};
	char a[256], rfc[1024], key[600];
	size_t i;
	json_t *c;

	json_array_foreach(cases, i, c) {
		report_area(sget(c, "id"), a, sizeof(a));
		if (!strcmp(a, area))
			count_case(&n, c);
	}
	fputs("  <testsuite", out);
	attr(out, "name", area);
	attr_num(out, "tests", n.tests);
	attr_num(out, "failures", n.failures);
	attr_num(out, "errors", n.errors);
	attr_num(out, "skipped", n.skipped);
	attr_secs(out, "time", n.ms);
	attr(out, "timestamp", timestamp);
	attr_num(out, "id", (long long)id);
	attr(out, "package", "tcpspec");
	fputs(">\n    <properties>\n", out);
	property(out, "target", sget(doc, "target"));
	property(out, "tcpspec.version", sget(json_object_get(doc, "tool"), "version"));
	json_array_foreach(cases, i, c) {
		report_area(sget(c, "id"), a, sizeof(a));
		if (strcmp(a, area))
			continue;
		rfc_list(c, rfc, sizeof(rfc));
		snprintf(key, sizeof(key), "%s rfc", sget(c, "id"));
		property(out, key, rfc);
		snprintf(key, sizeof(key), "%s level", sget(c, "id"));
		property(out, key, sget(c, "level"));
	}
	fputs("    </properties>\n", out);
	json_array_foreach(cases, i, c) {
		report_area(sget(c, "id"), a, sizeof(a));
		if (!strcmp(a, area))
			testcase(out, c, area);
	}
	fputs("  </testsuite>\n", out);
}

int report_junit_fwrite(const json_t *doc, FILE *out)
{
	const json_t *cases = json_object_get(doc, "cases");
	json_t *areas = json_array();
	struct suite_counts all = {0};
	char a[256], ts[40];
	size_t i, k;
	json_t *c, *x;

	if (strcmp(sget(doc, "kind"), "run") || !json_is_array(cases) || !areas) {
		json_decref(areas);
		return -1;
	}
	/* areas in the order their first case ran */
	json_array_foreach(cases, i, c) {
		bool seen = false;

		report_area(sget(c, "id"), a, sizeof(a));
		json_array_foreach(areas, k, x)
			seen |= !strcmp(json_string_value(x), a);
		if (!seen)
			json_array_append_new(areas, report_str(a));
		count_case(&all, c);
	}
	/* Ant writes local time without a zone; ours is UTC, as "created" says */
	snprintf(ts, sizeof(ts), "%s", sget(doc, "created"));
	ts[strcspn(ts, "Z")] = '\0';
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
	attr(out, "name", "tcpspec");
	attr_num(out, "tests", all.tests);
	attr_num(out, "failures", all.failures);
	attr_num(out, "errors", all.errors);
	attr_secs(out, "time", all.ms);
	fputs(">\n", out);
	json_array_foreach(areas, i, x)
		testsuite(out, doc, json_string_value(x), i, ts);
	fputs("</testsuites>\n", out);
	json_decref(areas);
	return ferror(out) ? -1 : 0;
}

static int write_cb(void *ctx, FILE *f)
{
	return report_junit_fwrite(ctx, f);
}

int report_junit_write(const json_t *doc, const char *path, char *err, size_t errcap)
{
	if (strcmp(sget(doc, "kind"), "run")) {
		snprintf(err, errcap, "%s: JUnit XML is written from a run report (this one is "
			 "kind '%s')", path, sget(doc, "kind"));
		return REPORT_ERR_INVAL;
	}
	return report_write_file(path, write_cb, (void *)doc, err, errcap);
}
