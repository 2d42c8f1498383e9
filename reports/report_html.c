#include "report_html.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_html_assets.h"   /* generated: report_html_head, report_html_tail */

#define SCHEMA "tcpspec-report/1"

/* The JSON text passes through this filter on its way to the file. <, >
 * and & only occur inside JSON strings, where \u003c etc. mean the same
 * characters; U+2028/U+2029 (E2 80 A8/A9) are escaped too. Bytes of an
 * E2 80 prefix are held across calls, so a chunk boundary cannot hide one. */
struct esc {
	FILE *f;
	unsigned held;          /* 0, 1 (E2) or 2 (E2 80) bytes held back */
	size_t n;
	char buf[1 << 16];
};

static void put(struct esc *e, const char *s, size_t len)
{
	if (e->n + len > sizeof(e->buf)) {
		fwrite(e->buf, 1, e->n, e->f);
		e->n = 0;
		if (len > sizeof(e->buf)) {
			fwrite(s, 1, len, e->f);
			return;
		}
	}
	memcpy(e->buf + e->n, s, len);
	e->n += len;
}

static void release_held(struct esc *e)
{
	static const char prefix[] = "\xe2\x80";

	put(e, prefix, e->held);
	e->held = 0;
}

static int esc_cb(const char *s, size_t len, void *data)
{
	struct esc *e = data;

	for (size_t i = 0; i < len; i++) {
		unsigned char c;
		size_t run = 0;

		/* copy plain bytes in one go */
		while (!e->held && i + run < len && s[i + run] != '<' && s[i + run] != '>' &&
		       s[i + run] != '&' && (unsigned char)s[i + run] != 0xe2)
			run++;
		if (run) {
			put(e, s + i, run);
			i += run;
			if (i == len)
				break;
		}
		c = (unsigned char)s[i];

		if (e->held == 1) {
			if (c == 0x80) {
				e->held = 2;
				continue;
			}
			release_held(e);
		} else if (e->held == 2) {
			e->held = 0;
			if (c == 0xa8) {
				put(e, "\\u2028", 6);
				continue;
			}
			if (c == 0xa9) {
				put(e, "\\u2029", 6);
				continue;
			}
			put(e, "\xe2\x80", 2);
		}
		switch (c) {
		case '<': put(e, "\\u003c", 6); break;
		case '>': put(e, "\\u003e", 6); break;
		case '&': put(e, "\\u0026", 6); break;
		case 0xe2: e->held = 1; break;
		default: put(e, (const char *)&c, 1); break;
		}
	}
	return 0;
}

static int fail(char *err, size_t errcap, int rc, const char *fmt, ...)
{
	va_list ap;

	if (errcap) {
		va_start(ap, fmt);
		vsnprintf(err, errcap, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int check_report(const json_t *report, char *err, size_t errcap)
{
	const char *schema, *kind;

	if (!json_is_object(report))
		return fail(err, errcap, -EINVAL, "report is not a JSON object");
	schema = json_string_value(json_object_get(report, "schema"));
	if (!schema || strcmp(schema, SCHEMA))
		return fail(err, errcap, -EINVAL, "report schema is %s%s%s, expected \"" SCHEMA "\"",
			    schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "");
	kind = json_string_value(json_object_get(report, "kind"));
	if (!kind || (strcmp(kind, "run") && strcmp(kind, "analyze") && strcmp(kind, "matrix")))
		return fail(err, errcap, -EINVAL, "report kind is %s, expected run, analyze or matrix",
			    kind ? kind : "missing");
	return 0;
}

static int write_page(const json_t *report, FILE *f)
{
	struct esc *e = malloc(sizeof(*e));
	int rc;

	if (!e)
		return -ENOMEM;
	e->f = f;
	e->held = 0;
	e->n = 0;
	fwrite(report_html_head, 1, sizeof(report_html_head) - 1, f);
	/* 16 digits: epoch seconds keep their microseconds (as report_json). */
	rc = json_dump_callback(report, esc_cb, e, JSON_COMPACT | JSON_REAL_PRECISION(16));
	release_held(e);
	fwrite(e->buf, 1, e->n, f);
	free(e);
	if (rc < 0)
		return -EINVAL;
	fwrite(report_html_tail, 1, sizeof(report_html_tail) - 1, f);
	return 0;
}

int report_html_write(const json_t *report, const char *path, char *err, size_t errcap)
{
	char *tmp = NULL;
	FILE *f;
	int rc;

	if (errcap)
		err[0] = '\0';
	if (!path || !*path)
		return fail(err, errcap, -EINVAL, "no output path for the HTML report");
	rc = check_report(report, err, errcap);
	if (rc < 0)
		return rc;

	if (!strcmp(path, "-")) {
		rc = write_page(report, stdout);
		if (rc == 0 && (fflush(stdout) == EOF || ferror(stdout)))
			rc = -(errno ? errno : EIO);
		if (rc < 0)
			return fail(err, errcap, rc, "writing the HTML report to standard output: %s",
				    rc == -EINVAL ? "cannot serialise the report" : strerror(-rc));
		return 0;
	}

	tmp = malloc(strlen(path) + 32);
	if (!tmp)
		return fail(err, errcap, -ENOMEM, "%s: out of memory", path);
	sprintf(tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		rc = -errno;
		fail(err, errcap, rc, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	rc = write_page(report, f);
	if (rc == -EINVAL) {
		fail(err, errcap, rc, "%s: cannot serialise the report as JSON", path);
		fclose(f);
		goto out_unlink;
	}
	if (rc < 0) {
		fail(err, errcap, rc, "%s: %s", path, strerror(-rc));
		fclose(f);
		goto out_unlink;
	}
	errno = 0;
	if (fflush(f) == EOF || ferror(f)) {
		rc = -(errno ? errno : EIO);
		fail(err, errcap, rc, "%s: write failed: %s", tmp, strerror(-rc));
		fclose(f);
		goto out_unlink;
	}
	if (fclose(f) == EOF) {
		rc = -errno;
		fail(err, errcap, rc, "%s: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	if (rename(tmp, path) < 0) {
		rc = -errno;
		fail(err, errcap, rc, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
		goto out_unlink;
	}
	free(tmp);
	return 0;

out_unlink:
	unlink(tmp);
	free(tmp);
	return rc;
}
