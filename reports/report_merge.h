/* report_merge: the matrix of several run reports (`tcpspec report
 * merge`): one row per case id (the union over the runs, in first-seen
 * order), one column per target, each cell the case's verdict there or
 * "absent", linking to the case's ladder in that run's HTML page when
 * the page is known. Pure: the caller reads the files and finds the pages. */
#ifndef TCPSPEC_REPORT_MERGE_H
#define TCPSPEC_REPORT_MERGE_H

#include <jansson.h>
#include <stddef.h>

struct report_merge_input {
	const char *path;      /* the run report's file (messages, matrix.runs) */
	const json_t *doc;     /* a tcpspec-report/1 document of kind "run" */
	const char *link;      /* its HTML page as a URL relative to the matrix
				  page, or NULL when unknown */
};

/* Checks that doc is a run report this version can merge: schema, kind,
 * and every case with a string id (unique) and a known verdict. Returns 0,
 * or REPORT_ERR_INVAL with err naming what is wrong. */
int report_merge_check(const json_t *doc, const char *path, char *err, size_t errcap);
/* Builds the matrix document. Returns 0 with *out (a new reference), or
 * REPORT_ERR_INVAL / REPORT_ERR_NOMEM with err saying why. */
int report_merge(const struct report_merge_input *in, size_t n, json_t **out,
		 char *err, size_t errcap);
/* Percent-encodes what a URL path or fragment may not hold as it is
 * (RFC 3986: anything but unreserved, sub-delims, ':', '@' and '/'). */
void report_url_escape(const char *s, char *buf, size_t cap);

#endif
