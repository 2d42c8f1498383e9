/* report_json: JSON records (jansson) shared by `analyze --json` (JSON
 * Lines, one record per line, each with a "type") and by `run --json`.
 * Schema of the analyze records: docs/json-lines.md; bump
 * REPORT_JSON_ANALYZE_SCHEMA on any change that is not a pure addition. */
#ifndef TCPSPEC_REPORT_JSON_H
#define TCPSPEC_REPORT_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "track.h"
#include "wire.h"

#define REPORT_JSON_ANALYZE_SCHEMA 2  /* `analyze --json` records */

/* {"type":"packet", ...} for a decoded TCP packet; info (may be NULL or
 * untracked) gives relative numbers, the connection and the labels. */
json_t *report_json_packet(const char *file, uint64_t num, int64_t ts_ns,
			   const struct wire_pkt *p, const struct track_pkt_info *info);
/* {"type":"finding", "id", "rfc", "section", "level", "title", "reason",
 * "conn", "dir", "packet", "ref_packet", "endpoints", "ts", "file"} */
json_t *report_json_finding(const char *file, const struct track_finding *f);
/* {"ip","src","sport","dst","dport"}, or JSON null when not decoded. */
json_t *report_json_endpoints(const struct track_endpoints *ep);
/* {"type":"connection", ...}: endpoints, times, conn_state, history,
 * per-direction statistics, final states, end reason, findings per level. */
json_t *report_json_connection(const char *file, const struct track_conn_summary *s);

struct report_summary {
	const char *file;          /* NULL: the total over all inputs */
	bool live;                 /* file names an interface */
	uint64_t inputs;           /* total only */
	uint64_t packets, tcp_packets, other_packets, connections, evicted;
	uint64_t by_level[FINDING_ANALYSIS + 1];
	bool has_dropped;
	uint64_t dropped;          /* live: dropped by the kernel / interface */
	bool complete;
};
/* {"type":"summary", "scope":"file"|"total", "schema", ...} */
json_t *report_json_summary(const struct report_summary *s);
/* {"type":"error", "file", "message"} */
json_t *report_json_error(const char *file, const char *message);
/* Options of a TCP header as [{"kind":"mss","value":1460}, ...]. */
json_t *report_json_options(const struct wire_tcp *t);
/* Label name in packet records ("retransmission", "dup_ack", ...). */
const char *report_json_label(uint32_t bit);
/* Seconds as a JSON number from nanoseconds. */
json_t *report_json_secs(int64_t ns);

/* Writes obj compactly and a newline, then releases it. Returns 0 or -1. */
int report_json_line(FILE *out, json_t *obj);

#endif
