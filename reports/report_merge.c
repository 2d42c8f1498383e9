/* The matrix of run reports: see report_merge.h. */
#include "report_merge.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *sget(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

void report_url_escape(const char *s, char *buf, size_t cap)
{
	static const char keep[] = "-._~!$&'()*+,;=:@/";
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 <= cap; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p)) {
			buf[o++] = (char)*p;
		} else {
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		}
	}
	if (cap)
		buf[o < cap ? o : cap - 1] = '\0';
}

int report_merge_check(const json_t *doc, const char *path, char *err, size_t errcap)
{
	const json_t *cases = json_object_get(doc, "cases");
	json_t *ids;
	size_t i;
	json_t *c;
	enum report_verdict v;

	if (!json_is_object(doc) || strcmp(sget(doc, "schema"), REPORT_SCHEMA)) {
		snprintf(err, errcap, "%s: not a tcpspec report (expected \"schema\": \"%s\", "
			 "as `tcpspec run --json` writes)", path, REPORT_SCHEMA);
		return REPORT_ERR_INVAL;
	}
	if (strcmp(sget(doc, "kind"), "run") || !json_is_array(cases)) {
		snprintf(err, errcap, "%s: a report of kind '%s' (expected a run report, as "
			 "`tcpspec run --json` writes)", path, sget(doc, "kind"));
		return REPORT_ERR_INVAL;
	}
	if (!(ids = json_object()))
		return REPORT_ERR_NOMEM;
	json_array_foreach(cases, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));

		if (!id || !id[0] || report_verdict_by_name(sget(c, "verdict"), &v) < 0) {
			snprintf(err, errcap, "%s: case %zu: expected a string \"id\" and a "
				 "verdict of pass, fail, error, xfail, xpass or skip", path, i + 1);
			json_decref(ids);
			return REPORT_ERR_INVAL;
		}
		if (json_object_get(ids, id)) {
			snprintf(err, errcap, "%s: case id '%s' appears twice (expected "
				 "unique ids, as one run has)", path, id);
			json_decref(ids);
			return REPORT_ERR_INVAL;
		}
		json_object_set_new(ids, id, json_true());
	}
	json_decref(ids);
	return 0;
}

/* Target names: each run's "target"; a repeated one gets "-2", "-3"... */
static int target_names(const struct report_merge_input *in, size_t n, json_t *names)
{
	for (size_t i = 0; i < n; i++) {
		const char *base = sget(in[i].doc, "target");
		char name[300];
		bool taken;
		unsigned k = 1;
		size_t j;
		json_t *x;

		if (!base[0])
			base = "target";
		snprintf(name, sizeof(name), "%s", base);
		do {
			taken = false;
			json_array_foreach(names, j, x)
				taken |= !strcmp(json_string_value(x), name);
			if (taken)
				snprintf(name, sizeof(name), "%s-%u", base, ++k);
		} while (taken);
		if (json_array_append_new(names, report_str(name)))
			return REPORT_ERR_NOMEM;
	}
	return 0;
}

static json_t *absent_cell(void)
{
	return json_pack("{s:s,s:s,s:n,s:n}", "verdict", "absent", "reason", "",
			 "report", "findings_by_level");
}

static json_t *cell(const json_t *c, const char *link)
{
	const json_t *lv = json_object_get(c, "findings_by_level");
	json_t *j;

	j = json_pack("{s:s,s:o,s:n,s:O?}", "verdict", sget(c, "verdict"),
		      "reason", report_str(sget(c, "reason")),
		      "report", "findings_by_level", json_is_object(lv) ? lv : NULL);
	if (j && link) {
		size_t cap = strlen(link) + 3 * strlen(sget(c, "id")) + 16;
		char *url = malloc(cap), *frag = malloc(cap);

		if (url && frag) {
			report_url_escape(sget(c, "id"), frag, cap);
			snprintf(url, cap, "%s#case-%s", link, frag);
			json_object_set_new(j, "report", json_string(url));
		}
		free(url);
		free(frag);
	}
	return j;
}

/* A new row for case c, with every target's cell absent. */
static json_t *row_new(const json_t *c, const json_t *names)
{
	const json_t *rfc = json_object_get(c, "rfc");
	char area[256];
	json_t *cells = json_object(), *x;
	size_t j;

	if (!cells)
		return NULL;
	json_array_foreach(names, j, x)
		json_object_set_new(cells, json_string_value(x), absent_cell());
	report_area(sget(c, "id"), area, sizeof(area));
	return json_pack("{s:s,s:s,s:o,s:o,s:s,s:o}", "id", sget(c, "id"),
			 "title", sget(c, "title"), "area", report_str(area),
			 "rfc", json_is_array(rfc) ? json_deep_copy(rfc) : json_array(),
			 "level", json_object_get(c, "level") ? sget(c, "level") : "MUST",
			 "cells", cells);
}

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

static void add_int(json_t *o, const char *key, json_int_t d)
{
	json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + d));
}

/* The summary over every cell; by_target per column. */
static int summarize(json_t *doc, const json_t *rows, const json_t *names,
		     const struct report_merge_input *in, size_t n)
{
	json_t *sum = json_object_get(doc, "summary"), *totals = report_counts_new();
	json_t *by_area = json_object(), *by_rfc = json_object(), *by_level = json_object();
	json_t *by_target = json_object(), *lv = json_object();
	size_t i, j, k;
	json_t *row, *x, *r;

	if (!totals || !by_area || !by_rfc || !by_level || !by_target || !lv)
		goto nomem;
	json_array_foreach(names, j, x) {
		json_t *t = report_counts_new();

		if (!t)
			goto nomem;
		json_object_set_new(t, "cases", json_integer(0));
		json_object_set_new(t, "absent", json_integer(0));
		json_object_set_new(by_target, json_string_value(x), t);
	}
	json_array_foreach(rows, i, row) {
		json_array_foreach(names, j, x) {
			const json_t *c = json_object_get(json_object_get(row, "cells"),
							  json_string_value(x));
			json_t *t = json_object_get(by_target, json_string_value(x));
			enum report_verdict v;

			if (report_verdict_by_name(sget(c, "verdict"), &v) < 0) {
				add_int(t, "absent", 1);
				continue;
			}
			add_int(t, "cases", 1);
			report_counts_add(t, v);
			report_counts_add(totals, v);
			count_in(by_area, sget(row, "area"), v);
			count_in(by_level, sget(row, "level"), v);
			json_array_foreach(json_object_get(row, "rfc"), k, r)
				count_in(by_rfc, json_string_value(r), v);
		}
	}
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++) {
		const char *name = finding_level_name((enum finding_level)l);
		json_int_t s = 0;

		for (size_t m = 0; m < n; m++)
			s += json_integer_value(json_object_get(json_object_get(
				json_object_get(in[m].doc, "summary"), "findings"), name));
		json_object_set_new(lv, name, json_integer(s));
	}
	json_object_set_new(sum, "cases", json_integer((json_int_t)json_array_size(rows)));
	{
		const char *key;

		json_object_foreach(totals, key, x)
			json_object_set(sum, key, x);
	}
	json_decref(totals);
	json_object_set_new(sum, "by_area", by_area);
	json_object_set_new(sum, "by_rfc", by_rfc);
	json_object_set_new(sum, "by_level", by_level);
	json_object_set_new(sum, "by_target", by_target);
	json_object_set_new(sum, "connections", json_integer(0));
	json_object_set_new(sum, "findings", lv);
	return 0;
nomem:
	json_decref(totals);
	json_decref(by_area);
	json_decref(by_rfc);
	json_decref(by_level);
	json_decref(by_target);
	json_decref(lv);
	return REPORT_ERR_NOMEM;
}

static int build(struct report *r, const struct report_merge_input *in, size_t n,
		 json_t *names)
{
	json_t *rows = json_array(), *index = json_object(), *runs = json_array();
	int rc = REPORT_ERR_NOMEM;
	size_t i, k;
	json_t *c;

	if (!rows || !index || !runs)
		goto out;
	for (size_t m = 0; m < n; m++) {
		const char *tname = json_string_value(json_array_get(names, m));

		if (report_add_input(r, in[m].path) < 0 ||
		    json_array_append_new(runs, json_pack("{s:s,s:o,s:s,s:s?}", "target", tname,
				"file", report_str(in[m].path), "created", sget(in[m].doc, "created"),
				"report", in[m].link)))
			goto out;
		json_array_foreach(json_object_get(in[m].doc, "cases"), k, c) {
			const char *id = sget(c, "id");
			json_t *at = json_object_get(index, id), *row;

			if (!at) {
				if (!(row = row_new(c, names)) || json_array_append_new(rows, row))
					goto out;
				json_object_set_new(index, id, json_integer((json_int_t)json_array_size(rows) - 1));
			} else {
				row = json_array_get(rows, (size_t)json_integer_value(at));
			}
			if (json_object_set_new(json_object_get(row, "cells"), tname, cell(c, in[m].link)))
				goto out;
		}
	}
	if ((rc = summarize(r->doc, rows, names, in, n)) < 0)
		goto out;
	rc = json_object_set_new(r->doc, "matrix", json_pack("{s:O,s:o,s:o}", "targets", names,
				 "runs", runs, "cases", rows)) ? REPORT_ERR_NOMEM : 0;
	runs = rows = NULL;
	(void)i;
out:
	json_decref(rows);
	json_decref(runs);
	json_decref(index);
	return rc;
}

int report_merge(const struct report_merge_input *in, size_t n, json_t **out,
		 char *err, size_t errcap)
{
	struct report r;
	json_t *names;
	int rc;

	*out = NULL;
	for (size_t m = 0; m < n; m++)
		if ((rc = report_merge_check(in[m].doc, in[m].path, err, errcap)) < 0)
			return rc;
	if (report_init(&r, REPORT_MATRIX, NULL, NULL) < 0)
		goto nomem;
	if (!(names = json_array()) || target_names(in, n, names) < 0) {
		json_decref(names);
		report_free(&r);
		goto nomem;
	}
	rc = build(&r, in, n, names);
	json_decref(names);
	if (rc == 0)
		rc = report_finish(&r, -1);
	if (rc < 0) {
		report_free(&r);
		goto nomem;
	}
	*out = json_incref(r.doc);
	report_free(&r);
	return 0;
nomem:
	snprintf(err, errcap, "out of memory building the matrix");
	return REPORT_ERR_NOMEM;
}
