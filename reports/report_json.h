/* report_json: JSON records (jansson) shared by `analyze --json` (JSON
 * Lines, one record per line, each with a "type") and by `run --json`.
 * Schema: docs/json-lines.md; bump REPORT_JSON_SCHEMA on any change that
 * is not a pure addition. */
#ifndef TCPSPEC_REPORT_JSON_H
#define TCPSPEC_REPORT_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "relseq.h"
#include "wire.h"

#define REPORT_JSON_SCHEMA 1

/* {"type":"packet", ...} for a decoded TCP packet. */
json_t *report_json_packet(const char *file, uint64_t num, int64_t ts_ns,
			   const struct wire_pkt *p, const struct relseq_view *v);
/* {"type":"finding", "id", "rfc", "section", "level", "title", "reason", ...} */
json_t *report_json_finding(const char *file, uint64_t num, const struct wire_pkt *p,
			    const struct finding *f);
/* {"type":"error", "file", "message"} */
json_t *report_json_error(const char *file, const char *message);
/* Options of a TCP header as [{"kind":"mss","value":1460}, ...]. */
json_t *report_json_options(const struct wire_tcp *t);

/* Writes obj compactly and a newline, then releases it. Returns 0 or -1. */
int report_json_line(FILE *out, json_t *obj);

#endif
