/* report_html: the self-contained HTML page of a tcpspec-report/1 document
 * (docs/report-model.md). One file, no network: the page's CSS and JS
 * (reports/html/, compiled in) are inlined, and the report JSON is
 * embedded in <script type="application/json" id="report-data">, with <, >,
 * & and U+2028/U+2029 written as \uXXXX so that no string in the report can
 * end the element or inject markup. The page renders it in the browser. */
#ifndef TCPSPEC_REPORT_HTML_H
#define TCPSPEC_REPORT_HTML_H

#include <jansson.h>
#include <stddef.h>

/* Writes the page for `report` (an object whose "schema" is
 * "tcpspec-report/1") to `path` ("-": standard output). The file is written
 * beside `path` and renamed into place, so a reader never sees half a page.
 * Returns 0, or a negative errno-style code with a one-line message (naming
 * the path) in err (errcap bytes, may be 0). */
int report_html_write(const json_t *report, const char *path, char *err, size_t errcap);

#endif
