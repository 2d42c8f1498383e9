/* report: the tcpspec-report/1 document (docs/report-model.md, formally
 * docs/report-schema.json) as a jansson tree. `tcpspec run`, `tcpspec
 * analyze --report-json/--html` and `tcpspec report merge` build it with
 * these helpers; the JSON file, the JUnit XML (report_junit.h) and the
 * HTML page are all written from it.
 *
 * Items (cases, connections) hold bounded lists: packets, findings.
 * Whatever does not fit a limit is counted in limits.truncated and flagged
 * on its item (*_truncated): nothing is dropped silently. */
#ifndef TCPSPEC_REPORT_H
#define TCPSPEC_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "track.h"
#include "wire.h"

#define REPORT_SCHEMA "tcpspec-report/1"

#define REPORT_ERR_NOMEM -1
#define REPORT_ERR_IO    -2
#define REPORT_ERR_INVAL -3

/* Default limits (docs/report-model.md, "Limits"). */
#define REPORT_PACKETS_PER_ITEM     5000
#define REPORT_PACKETS_TOTAL        100000
#define REPORT_DETAILED_CONNECTIONS 10000
#define REPORT_FINDINGS_PER_ITEM    1000

enum report_kind { REPORT_RUN, REPORT_ANALYZE, REPORT_MATRIX };

/* Case verdicts; the order is the order of the counters in summaries. */
enum report_verdict {
	REPORT_PASS,
	REPORT_FAIL,
	REPORT_ERROR,
	REPORT_XFAIL,
	REPORT_XPASS,
	REPORT_SKIP,     /* not played: the target lacks what the case requires */
	REPORT__VERDICTS
};

struct report_limits {
	size_t packets_per_item;     /* packets listed per case / connection */
	size_t packets_total;        /* packets listed in the whole document */
	size_t detailed_connections; /* connections listed */
	size_t findings_per_item;    /* findings listed per case / connection / top level */
};

struct report {
	json_t *doc;
	json_t *cases, *conns, *findings; /* arrays inside doc (borrowed) */
	struct report_limits lim;
	enum report_kind kind;
	uint64_t n_packets;               /* listed so far */
	uint64_t n_detailed;              /* connection slots taken */
	uint64_t trunc_packets, trunc_conns, trunc_findings;
	uint64_t by_level[FINDING_ANALYSIS + 1]; /* every finding in scope, listed or not */
	uint64_t connections;             /* analyze: every connection seen */
};

/* One case of a run, as report_case_add takes it. */
struct report_case {
	const char *id, *title, *file;
	unsigned line;
	const char *const *rfc;
	size_t n_rfc;
	const char *const *tags;
	size_t n_tags;
	const char *level;          /* "MUST", "SHOULD", "MAY" */
	enum report_verdict verdict;
	const char *reason;         /* "" or NULL when it passed */
	size_t failed_step;         /* 1-based; 0 when none */
	unsigned failed_line;       /* 0 when none */
	double duration_ms;
	const char *pcap;           /* NULL: not kept */
	uint16_t tester_port;
	uint32_t tester_isn;
	bool target_isn_known;
	uint32_t target_isn;
};

void report_limits_default(struct report_limits *lim);
/* target may be NULL (analyze, matrix); lim NULL: the defaults. */
int report_init(struct report *r, enum report_kind kind, const char *target,
		const struct report_limits *lim);
void report_free(struct report *r);
int report_add_input(struct report *r, const char *input);

/* A JSON string of s; bytes that are not UTF-8 become U+FFFD, so a field
 * is never lost to a bad file name. NULL gives "". */
json_t *report_str(const char *s);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not
 * one (overlong, surrogate, past U+10FFFF, cut short). */
size_t report_utf8_len(const unsigned char *s);
/* The area of a case id: up to its first '/', or the whole id. */
void report_area(const char *id, char *buf, size_t cap);
const char *report_verdict_name(enum report_verdict v);
int report_verdict_by_name(const char *name, enum report_verdict *v);

/* Adds a case (counted in the summary by report_finish); returns it
 * (borrowed) to add steps, packets and findings to, or NULL. */
json_t *report_case_add(struct report *r, const struct report_case *c);
int report_case_step(json_t *item, size_t index, const char *kind, unsigned line,
		     const char *text);

/* Takes a detailed-connection slot: true if the connection is to be
 * listed; false counts it in limits.truncated.connections. */
bool report_conn_reserve(struct report *r);
/* A connection item from a tracker summary, without its lists' contents;
 * input names the capture (several inputs repeat conn ids). */
json_t *report_conn_new(const char *input, const struct track_conn_summary *s);
/* Appends a connection built by report_conn_new (reference stolen). */
int report_conn_add(struct report *r, json_t *conn);

/* Appends pkt (stolen) to item's packets, or counts it as truncated. */
int report_item_packet(struct report *r, json_t *item, json_t *pkt);
/* A packet of item that cannot be listed (not decoded as far as its
 * ports): flagged and counted as the packets over a limit are. */
void report_item_unlisted(struct report *r, json_t *item);
/* Counts a finding of level in the summary (listed or not). */
void report_count_finding(struct report *r, enum finding_level level);
/* Appends finding (stolen) to item's findings (NULL item: the top-level
 * list), or counts it as truncated. Counting it (summary, the item's
 * findings_by_level) is the caller's: see report_count_finding. */
int report_item_finding(struct report *r, json_t *item, json_t *finding);
/* Adds one to item's findings_by_level[level]. */
void report_item_count(json_t *item, enum finding_level level);
/* {"id","rfc","section","level","title","reason","packet","ref_packet","dir"} */
json_t *report_finding_json(const struct track_finding *f, int dir);

/* Window scaling of one connection, learned from its SYNs: wnd is the
 * window in bytes once both SYNs were seen (RFC 7323 2.2), unknown before. */
struct report_wscale {
	bool syn_seen[2];
	int ws[2];                 /* -1: the SYN had no Window Scale option */
};
void report_wscale_init(struct report_wscale *w);
/* Learns from p (sent in direction dir); returns the scaled window, or
 * -1 when the scale is not known. */
int64_t report_wscale_wnd(struct report_wscale *w, int dir, const struct wire_tcp *t);

/* One packet as report_packet_json takes it. Numbers are already relative. */
struct report_pkt {
	uint64_t num;              /* record number in the capture */
	double t;                  /* seconds since the item's first packet */
	int dir;
	const struct wire_pkt *p;
	bool header_ok;            /* TCP header decoded (false: data offset fault) */
	uint32_t seq;
	bool ack_known;            /* ACK set and its base known */
	uint32_t ack;
	bool sack_known;           /* base of the SACK blocks known */
	uint32_t sack_base;        /* subtracted from SACK blocks */
	int64_t wnd;               /* -1 unknown */
	uint32_t labels;           /* TRACK_L_* */
	bool has_step;             /* run: the "step" field is present */
	size_t step;               /* 1-based; 0: null */
};
json_t *report_packet_json(const struct report_pkt *in);
/* Label names of the report ("retransmission", ...; "malformed"). */
json_t *report_labels_json(uint32_t labels, bool malformed);

/* Fills summary and limits. Call once, before writing. */
int report_finish(struct report *r, double duration_ms);
/* Writes doc as JSON to path (a temporary file renamed into place; "-":
 * standard output). Returns 0, or REPORT_ERR_IO with err saying why. */
int report_write_json(const json_t *doc, const char *path, char *err, size_t errcap);
/* The same for any writer: fn writes to f and returns 0 or -1. */
int report_write_file(const char *path, int (*fn)(void *ctx, FILE *f), void *ctx,
		      char *err, size_t errcap);

/* Summary counters {"passed","failed","errors","xfail","xpass"}, and
 * "skipped" once report_counts_add counts a skipped case (helpers
 * shared with report_merge). */
json_t *report_counts_new(void);
void report_counts_add(json_t *counts, enum report_verdict v);
/* ISO 8601 UTC now, or SOURCE_DATE_EPOCH when set (reproducible builds). */
void report_now(char *buf, size_t cap);

#endif
