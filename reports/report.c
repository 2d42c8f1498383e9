/* The tcpspec-report/1 document: see report.h and docs/report-model.md. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pkt_text.h"
#include "report_json.h"

static const char *const verdict_names[REPORT__VERDICTS] = {
	[REPORT_PASS] = "pass", [REPORT_FAIL] = "fail", [REPORT_ERROR] = "error",
	[REPORT_XFAIL] = "xfail", [REPORT_XPASS] = "xpass", [REPORT_SKIP] = "skip",
};
/* the summary counter of each verdict */
static const char *const count_names[REPORT__VERDICTS] = {
	[REPORT_PASS] = "passed", [REPORT_FAIL] = "failed", [REPORT_ERROR] = "errors",
	[REPORT_XFAIL] = "xfail", [REPORT_XPASS] = "xpass", [REPORT_SKIP] = "skipped",
};

const char *report_verdict_name(enum report_verdict v)
{
	return (unsigned)v < REPORT__VERDICTS ? verdict_names[v] : "error";
}

int report_verdict_by_name(const char *name, enum report_verdict *v)
{
	for (int i = 0; i < REPORT__VERDICTS; i++)
		if (name && !strcmp(name, verdict_names[i])) {
			*v = (enum report_verdict)i;
			return 0;
		}
	return REPORT_ERR_INVAL;
}

void report_limits_default(struct report_limits *lim)
{
	lim->packets_per_item = REPORT_PACKETS_PER_ITEM;
	lim->packets_total = REPORT_PACKETS_TOTAL;
	lim->detailed_connections = REPORT_DETAILED_CONNECTIONS;
	lim->findings_per_item = REPORT_FINDINGS_PER_ITEM;
}

size_t report_utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

json_t *report_str(const char *s)
{
	const unsigned char *p;
	json_t *j;
	char *out;
	size_t o = 0;

	if (!s)
		return json_string("");
	if ((j = json_string(s)))
		return j;
	/* not UTF-8: every bad byte becomes U+FFFD (3 bytes) */
	out = malloc(strlen(s) * 3 + 1);
	if (!out)
		return NULL;
	for (p = (const unsigned char *)s; *p;) {
		size_t n = report_utf8_len(p);

		if (n) {
			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			p++;
		}
	}
	out[o] = '\0';
	j = json_string(out);
	free(out);
	return j;
}

void report_area(const char *id, char *buf, size_t cap)
{
	size_t n = strcspn(id, "/");

	if (n >= cap)
		n = cap - 1;
	memcpy(buf, id, n);
	buf[n] = '\0';
}

void report_now(char *buf, size_t cap)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	char *end;

	if (sde && sde[0]) {
		long long v = strtoll(sde, &end, 10);

		if (!*end && v >= 0)
			now = (time_t)v;
	}
	gmtime_r(&now, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *report_counts_new(void)
{
	json_t *j = json_object();

	/* "skipped" only once a case is: older documents never had it */
	for (int v = 0; j && v < REPORT__VERDICTS; v++)
		if (v != REPORT_SKIP)
			json_object_set_new(j, count_names[v], json_integer(0));
	return j;
}

void report_counts_add(json_t *counts, enum report_verdict v)
{
	json_t *n;

	if ((unsigned)v >= REPORT__VERDICTS)
		return;
	n = json_object_get(counts, count_names[v]);
	json_object_set_new(counts, count_names[v],
			    json_integer(json_integer_value(n) + 1));
}

static json_t *levels_new(void)
{
	json_t *j = json_object();

	for (int l = FINDING_MUST; j && l <= FINDING_ANALYSIS; l++)
		json_object_set_new(j, finding_level_name((enum finding_level)l), json_integer(0));
	return j;
}

static json_t *limits_json(const struct report *r)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I}}",
			 "packets_per_item", (json_int_t)r->lim.packets_per_item,
			 "packets_total", (json_int_t)r->lim.packets_total,
			 "detailed_connections", (json_int_t)r->lim.detailed_connections,
			 "findings_per_item", (json_int_t)r->lim.findings_per_item,
			 "truncated", "packets", (json_int_t)r->trunc_packets,
			 "connections", (json_int_t)r->trunc_conns,
			 "findings", (json_int_t)r->trunc_findings);
}

int report_init(struct report *r, enum report_kind kind, const char *target,
		const struct report_limits *lim)
{
	static const char *const kinds[] = {
		[REPORT_RUN] = "run", [REPORT_ANALYZE] = "analyze", [REPORT_MATRIX] = "matrix",
	};
	char created[32];

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	if (lim)
		r->lim = *lim;
	else
		report_limits_default(&r->lim);
	report_now(created, sizeof(created));
	r->doc = json_pack("{s:s,s:s,s:{s:s,s:s},s:s,s:o,s:[],s:n,s:o,s:[],s:[],s:[],"
			   "s:b,s:o,s:n,s:{s:n,s:n,s:n}}",
			   "schema", REPORT_SCHEMA, "kind", kinds[kind],
			   "tool", "name", "tcpspec", "version", TCPSPEC_VERSION,
			   "created", created,
			   "target", target ? report_str(target) : json_null(),
			   "inputs", "duration_ms", "summary", json_object(),
			   "cases", "connections", "findings", "findings_truncated", 0,
			   "limits", limits_json(r), "matrix",
			   "outputs", "json", "html", "junit");
	if (!r->doc)
		return REPORT_ERR_NOMEM;
	r->cases = json_object_get(r->doc, "cases");
	r->conns = json_object_get(r->doc, "connections");
	r->findings = json_object_get(r->doc, "findings");
	return 0;
}

void report_free(struct report *r)
{
	json_decref(r->doc);
	memset(r, 0, sizeof(*r));
}

int report_add_input(struct report *r, const char *input)
{
	return json_array_append_new(json_object_get(r->doc, "inputs"), report_str(input))
		? REPORT_ERR_NOMEM : 0;
}

static json_t *int_or_null(bool known, json_int_t v)
{
	return known ? json_integer(v) : json_null();
}

json_t *report_case_add(struct report *r, const struct report_case *c)
{
	json_t *rfc = json_array(), *tags = json_array(), *j;
	char area[256];

	for (size_t i = 0; rfc && i < c->n_rfc; i++)
		json_array_append_new(rfc, report_str(c->rfc[i]));
	for (size_t i = 0; tags && i < c->n_tags; i++)
		json_array_append_new(tags, report_str(c->tags[i]));
	report_area(c->id, area, sizeof(area));
	j = json_pack("{s:o,s:o,s:o,s:o,s:i,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:f,s:o,"
		      "s:i,s:I,s:o,s:[],s:[],s:b,s:[],s:b,s:o}",
		      "id", report_str(c->id), "title", report_str(c->title),
		      "area", report_str(area), "file", report_str(c->file),
		      "line", (int)c->line, "rfc", rfc ? rfc : json_array(),
		      "level", c->level ? c->level : "MUST", "tags", tags ? tags : json_array(),
		      "verdict", report_verdict_name(c->verdict),
		      "reason", report_str(c->reason),
		      "failed_step", int_or_null(c->failed_step != 0, (json_int_t)c->failed_step),
		      "failed_line", int_or_null(c->failed_line != 0, c->failed_line),
		      "duration_ms", c->duration_ms,
		      "pcap", c->pcap ? report_str(c->pcap) : json_null(),
		      "tester_port", (int)c->tester_port,
		      "tester_isn", (json_int_t)c->tester_isn,
		      "target_isn", int_or_null(c->target_isn_known, c->target_isn),
		      "steps", "packets", "packets_truncated", 0,
		      "findings", "findings_truncated", 0,
		      "findings_by_level", levels_new());
	if (!j)
		return NULL;
	if (json_array_append_new(r->cases, j))
		return NULL;
	return j;
}

int report_case_step(json_t *item, size_t index, const char *kind, unsigned line,
		     const char *text)
{
	json_t *s = json_pack("{s:I,s:s,s:i,s:o}", "index", (json_int_t)index, "kind", kind,
			      "line", (int)line, "text", report_str(text));

	return s && !json_array_append_new(json_object_get(item, "steps"), s)
		? 0 : REPORT_ERR_NOMEM;
}

bool report_conn_reserve(struct report *r)
{
	if (r->n_detailed < r->lim.detailed_connections) {
		r->n_detailed++;
		return true;
	}
	r->trunc_conns++;
	return false;
}

/* A field of a report_json record, moved into dst (NULL when absent). */
static void move(json_t *dst, const char *key, json_t *src, const char *from)
{
	json_t *v = json_object_get(src, from ? from : key);

	json_object_set(dst, key, v ? v : json_null());
}

json_t *report_conn_new(const char *input, const struct track_conn_summary *s)
{
	static const char *const keys[] = {
		"conn", "endpoints", "first_ts", "last_ts", "duration", "first_packet",
		"last_packet", "conn_state", "history", "handshake_seen", "handshake_rtt",
		"end", "states",
	};
	json_t *rec = report_json_connection(input, s), *j;

	if (!rec)
		return NULL;
	j = json_object();
	if (!j) {
		json_decref(rec);
		return NULL;
	}
	json_object_set_new(j, "input", report_str(input));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		move(j, keys[i], rec, NULL);
	json_object_set_new(j, "stats", json_pack("{s:O?,s:O?}",
		"orig", json_object_get(rec, "orig"), "resp", json_object_get(rec, "resp")));
	move(j, "findings_by_level", rec, "findings");
	json_object_set_new(j, "packets", json_array());
	json_object_set_new(j, "packets_truncated", json_false());
	json_object_set_new(j, "findings", json_array());
	json_object_set_new(j, "findings_truncated", json_false());
	json_decref(rec);
	return j;
}

int report_conn_add(struct report *r, json_t *conn)
{
	return json_array_append_new(r->conns, conn) ? REPORT_ERR_NOMEM : 0;
}

int report_item_packet(struct report *r, json_t *item, json_t *pkt)
{
	json_t *list = json_object_get(item, "packets");

	if (!pkt || !list) {
		json_decref(pkt);
		return REPORT_ERR_NOMEM;
	}
	if (json_array_size(list) >= r->lim.packets_per_item ||
	    r->n_packets >= r->lim.packets_total) {
		json_decref(pkt);
		r->trunc_packets++;
		json_object_set_new(item, "packets_truncated", json_true());
		return 0;
	}
	r->n_packets++;
	return json_array_append_new(list, pkt) ? REPORT_ERR_NOMEM : 0;
}

void report_item_unlisted(struct report *r, json_t *item)
{
	r->trunc_packets++;
	json_object_set_new(item, "packets_truncated", json_true());
}

void report_count_finding(struct report *r, enum finding_level level)
{
	if ((unsigned)level <= FINDING_ANALYSIS)
		r->by_level[level]++;
}

int report_item_finding(struct report *r, json_t *item, json_t *finding)
{
	json_t *list;

	if (!item)
		item = r->doc;
	list = json_object_get(item, "findings");
	if (!finding || !list) {
		json_decref(finding);
		return REPORT_ERR_NOMEM;
	}
	if (json_array_size(list) >= r->lim.findings_per_item) {
		json_decref(finding);
		r->trunc_findings++;
		json_object_set_new(item, "findings_truncated", json_true());
		return 0;
	}
	return json_array_append_new(list, finding) ? REPORT_ERR_NOMEM : 0;
}

void report_item_count(json_t *item, enum finding_level level)
{
	json_t *lv = json_object_get(item, "findings_by_level");
	const char *name;

	if (!lv || (unsigned)level > FINDING_ANALYSIS)
		return;
	name = finding_level_name(level);
	json_object_set_new(lv, name, json_integer(json_integer_value(json_object_get(lv, name)) + 1));
}

json_t *report_finding_json(const struct track_finding *f, int dir)
{
	const struct finding_info *fi = finding_info(f->f.id);
	char reason[512];

	finding_reason(&f->f, reason, sizeof(reason));
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:o,s:o}",
			 "id", fi ? fi->name : "UNKNOWN", "rfc", fi ? fi->rfc : "",
			 "section", fi ? fi->section : "",
			 "level", fi ? finding_level_name(fi->level) : "ANALYSIS",
			 "title", fi ? fi->title : "", "reason", report_str(reason),
			 "packet", (json_int_t)f->pkt,
			 "ref_packet", int_or_null(f->ref_pkt != 0, (json_int_t)f->ref_pkt),
			 "dir", int_or_null(dir == 0 || dir == 1, dir));
}

void report_wscale_init(struct report_wscale *w)
{
	memset(w, 0, sizeof(*w));
	w->ws[0] = w->ws[1] = -1;
}

int64_t report_wscale_wnd(struct report_wscale *w, int dir, const struct wire_tcp *t)
{
	int d = dir & 1;

	/* RFC 7323 2.2: the window of a SYN is never scaled */
	if (t->flags & WIRE_TH_SYN) {
		w->syn_seen[d] = true;
		w->ws[d] = t->has_ws ? (t->ws > 14 ? 14 : t->ws) : -1;
		return t->win;
	}
	if (!w->syn_seen[0] || !w->syn_seen[1])
		return -1;
	/* scaling is on only when both SYNs carried the option */
	if (w->ws[0] < 0 || w->ws[1] < 0)
		return t->win;
	return (int64_t)t->win << w->ws[d];
}

json_t *report_labels_json(uint32_t labels, bool malformed)
{
	json_t *a = json_array();

	for (uint32_t bit = 1; a && bit && bit <= labels; bit <<= 1) {
		const char *name = report_json_label(bit);

		if ((labels & bit) && name)
			json_array_append_new(a, json_string(name));
	}
	if (a && malformed)
		json_array_append_new(a, json_string("malformed"));
	return a;
}

json_t *report_packet_json(const struct report_pkt *in)
{
	const struct wire_tcp *t = &in->p->tcp;
	struct track_pkt_info info;
	char flags[12], opts[600];
	json_t *j, *sack;
	size_t n;

	wire_flags_str(t->flags, flags);
	opts[0] = '\0';
	memset(&info, 0, sizeof(info));
	/* pkt_text subtracts ack - rel_ack from SACK blocks: give it our base */
	info.tracked = in->sack_known;
	info.rel_ack_valid = in->sack_known;
	info.rel_ack = t->ack - in->sack_base;
	if (in->header_ok) {
		pkt_text_options(t, &info, opts, sizeof(opts));
		n = strlen(opts);
		if (n >= 2 && opts[0] == '<' && opts[n - 1] == '>') {
			memmove(opts, opts + 1, n - 2);
			opts[n - 2] = '\0';
		}
	}
	sack = json_array();
	for (unsigned i = 0; sack && in->header_ok && i < t->n_sack; i++)
		json_array_append_new(sack, json_pack("[I,I]",
			(json_int_t)(uint32_t)(t->sack[i].left - in->sack_base),
			(json_int_t)(uint32_t)(t->sack[i].right - in->sack_base)));
	if (sack && t->n_sack && !in->sack_known) {
		json_decref(sack);
		sack = json_null();
	}
	j = json_pack("{s:I,s:f,s:i,s:s,s:I,s:o,s:i,s:o,s:I,s:s,s:o,s:s,s:o}",
		      "num", (json_int_t)in->num, "t", in->t, "dir", in->dir,
		      "flags", flags, "seq", (json_int_t)in->seq,
		      "ack", int_or_null(in->ack_known, in->ack),
		      "win", (int)t->win,
		      "wnd", int_or_null(in->wnd >= 0, in->wnd),
		      "len", (json_int_t)(in->header_ok ? t->payload_len : 0),
		      "options", opts, "sack", sack ? sack : json_null(),
		      "csum", in->header_ok ? wire_csum_name(in->p->tcp_csum) : "unverified",
		      "labels", report_labels_json(in->labels, !in->header_ok));
	if (j && in->has_step)
		json_object_set_new(j, "step", int_or_null(in->step != 0, (json_int_t)in->step));
	return j;
}

/* counts[key] += verdict, creating the entry */
static void count_in(json_t *map, const char *key, enum report_verdict v)
{
	json_t *c = json_object_get(map, key);

	if (!c) {
		c = report_counts_new();
		if (!c || json_object_set_new(map, key, c))
			return;
	}
	report_counts_add(c, v);
}

static int case_summary(struct report *r, json_t *sum)
{
	json_t *by_area = json_object(), *by_rfc = json_object(), *by_level = json_object();
	json_t *totals = report_counts_new();
	size_t i, k;
	json_t *c, *x;
	const char *key;

	if (!by_area || !by_rfc || !by_level || !totals)
		goto nomem;
	json_array_foreach(r->cases, i, c) {
		enum report_verdict v = REPORT_ERROR;

		report_verdict_by_name(json_string_value(json_object_get(c, "verdict")), &v);
		report_counts_add(totals, v);
		count_in(by_area, json_string_value(json_object_get(c, "area")), v);
		count_in(by_level, json_string_value(json_object_get(c, "level")), v);
		json_array_foreach(json_object_get(c, "rfc"), k, x)
			count_in(by_rfc, json_string_value(x), v);
	}
	json_object_set_new(sum, "cases", json_integer((json_int_t)json_array_size(r->cases)));
	json_object_foreach(totals, key, x)
		json_object_set(sum, key, x);
	json_decref(totals);
	json_object_set_new(sum, "by_area", by_area);
	json_object_set_new(sum, "by_rfc", by_rfc);
	json_object_set_new(sum, "by_level", by_level);
	return 0;
nomem:
	json_decref(by_area);
	json_decref(by_rfc);
	json_decref(by_level);
	json_decref(totals);
	return REPORT_ERR_NOMEM;
}

int report_finish(struct report *r, double duration_ms)
{
	json_t *sum = json_object_get(r->doc, "summary"), *lv;
	int rc = 0;

	if (r->kind != REPORT_MATRIX) {
		if ((rc = case_summary(r, sum)) < 0)
			return rc;
		json_object_set_new(sum, "by_target", json_object());
		json_object_set_new(sum, "connections", json_integer((json_int_t)r->connections));
		lv = levels_new();
		for (int l = FINDING_MUST; lv && l <= FINDING_ANALYSIS; l++)
			json_object_set_new(lv, finding_level_name((enum finding_level)l),
					    json_integer((json_int_t)r->by_level[l]));
		json_object_set_new(sum, "findings", lv);
	}
	json_object_set_new(r->doc, "limits", limits_json(r));
	json_object_set_new(r->doc, "duration_ms", duration_ms >= 0 ? json_real(duration_ms)
								 : json_null());
	return json_object_get(r->doc, "limits") ? 0 : REPORT_ERR_NOMEM;
}

/* Runs fn on f and closes f; -1 when anything failed. */
static int emit(int (*fn)(void *ctx, FILE *f), void *ctx, FILE *f)
{
	int rc = fn(ctx, f);

	if (fflush(f) != 0 || ferror(f))
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int report_write_file(const char *path, int (*fn)(void *ctx, FILE *f), void *ctx,
		      char *err, size_t errcap)
{
	size_t cap = strlen(path) + 32;
	char *tmp = NULL;
	struct stat st;
	FILE *f;
	int fd = -1;

	errno = 0;
	if (!strcmp(path, "-")) {
		int rc = fn(ctx, stdout);

		if (fflush(stdout) != 0 || ferror(stdout))
			rc = -1;
		if (rc < 0) {
			snprintf(err, errcap, "writing to standard output: %s",
				 errno ? strerror(errno) : "write failed");
			return REPORT_ERR_IO;
		}
		return 0;
	}
	/* a pipe or a device (/dev/stdout) is written in place */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errcap, "cannot write %s: is a directory", path);
			return REPORT_ERR_IO;
		}
		if (!(f = fopen(path, "w")) || emit(fn, ctx, f) < 0)
			goto fail;
		return 0;
	}
	/* a CI job never sees half a report: write aside, then rename */
	if (!(tmp = malloc(cap)))
		goto fail;
	snprintf(tmp, cap, "%s.tmp%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		goto fail;
	}
	if (emit(fn, ctx, f) < 0 || rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;

fail:
	snprintf(err, errcap, "cannot write %s: %s", path,
		 errno ? strerror(errno) : "write failed");
	if (tmp)
		unlink(tmp);
	free(tmp);
	return REPORT_ERR_IO;
}

static int dump_json(void *ctx, FILE *f)
{
	if (json_dumpf(ctx, f, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(16)) < 0)
		return -1;
	return fputc('\n', f) == EOF ? -1 : 0;
}

int report_write_json(const json_t *doc, const char *path, char *err, size_t errcap)
{
	return report_write_file(path, dump_json, (void *)doc, err, errcap);
}
