/* analyze: the internals of `tcpspec analyze`, split by concern:
 *   cmd_analyze.c       options, the input loop, tracker callbacks, exit status
 *   analyze_conn.c      per-connection records (finding counts, kept findings)
 *   analyze_text.c      text output: connection blocks, findings, totals
 *   analyze_json.c      JSON Lines output (docs/json-lines.md)
 *   analyze_stream.c    --follow and --extract
 *   analyze_live.c      live capture (-i) and its stop conditions
 *   analyze_progress.c  progress on a terminal for large files
 *   analyze_report.c    --report-json and --html (docs/report-model.md)
 *
 * Output is streamed: a connection is reported when the tracker ends it:
 * at once when it is closed (both endpoints CLOSED or in TIME-WAIT, or
 * reset), else after the idle timeout, on eviction, on port reuse, or at
 * the end of input. A closed connection's tuple lingers (--linger) for its
 * late segments; the findings they raise are kept in a conn_rec and
 * printed, and the record freed, when the tracker lets the connection go
 * (on_conn_gone: the linger is over, the tuple reused, or the input
 * ended). So memory stays O(live and lingering connections) on big or
 * endless input, and a live capture shows connections as they finish. */
#ifndef TCPSPEC_ANALYZE_H
#define TCPSPEC_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "capture.h"
#include "diag.h"
#include "finding.h"
#include "track.h"

/* Conformance findings printed per id and connection in the text output
 * before the rest is only counted (--all prints every one). */
#define ANALYZE_SHOW_PER_ID 10
#define ANALYZE_FAIL_NONE (-1)
/* Large files (bytes) get a progress display when stderr is a terminal. */
#define ANALYZE_PROGRESS_MIN (50ull * 1000 * 1000)

/* --follow FLOW: a conn id, or the endpoints "A:PORT-B:PORT" in either order. */
struct analyze_flow {
	bool by_id;
	uint64_t id;
	uint8_t version;
	uint8_t addr[2][16];
	uint16_t port[2];
};

struct analyze_opts {
	bool packets, json, all;
	int fail_on;                /* enum finding_level, or ANALYZE_FAIL_NONE */
	const char *iface;          /* -i: live capture instead of files */
	const char *filter;         /* -f: BPF */
	int snaplen;
	uint64_t count;             /* stop after N packets, 0: no limit */
	tstamp duration;            /* live: stop after, 0: no limit */
	const char *follow;         /* as given, for messages */
	struct analyze_flow follow_flow;
	const char *extract_dir;
	const char *report_json_out;    /* --report-json: tcpspec-report/1 */
	const char *html_out;       /* --html: the same as an HTML page */
	struct track_config tcfg;   /* profile, policy, limits (callbacks set per input) */
};

struct analyze_counts {
	uint64_t inputs;
	uint64_t packets, tcp, other, conns, evicted, dropped;
	uint64_t by_level[FINDING_ANALYSIS + 1];
	bool has_dropped, complete;
};

/* Hash map of connection ids to records that embed a node (first). */
struct cmap_node {
	uint64_t id;
	struct cmap_node *next;
};

struct cmap {
	struct cmap_node **b;
	size_t nb, n;
};

/* Findings of one id on one connection. */
struct conn_idc {
	enum finding_id id;
	uint64_t n, dir_n[2], first_pkt;
	uint32_t shown;             /* details kept (text) */
};

struct conn_rec {
	struct cmap_node node;      /* node.id is the conn id; 0: not tied to one */
	struct conn_idc *ids;       /* in order of first occurrence */
	uint32_t n_ids, cap_ids;
	struct track_finding *kept; /* details for the text block, in arrival order */
	size_t n_kept, cap_kept;
};

struct analyze_progress {
	bool on, shown;
	uint64_t size;
	const char *name;
	struct timespec last;
	unsigned tick;
};

struct analyze_stream;
struct analyze_report;

/* One input: a file or an interface. */
struct analyze_input {
	const struct analyze_opts *o;
	const char *name;
	unsigned idx, n_inputs;     /* 1-based position among the inputs */
	bool live;
	struct analyze_counts c;
	struct tracker *trk;
	enum wire_link link;
	struct cmap conns;          /* conn id -> struct conn_rec, while findings wait: until
				       the connection is reported, or for a closed one's late
				       segments until it is let go (on_conn_gone) */
	struct conn_rec loose;      /* findings on no connection */
	int64_t t0;                 /* first packet time, for --packets */
	bool have_t0;
	/* --packets: findings raised while a packet is tracked wait for its line */
	bool hold;
	struct track_finding *held;
	size_t n_held, cap_held;
	struct analyze_stream *stream;
	struct analyze_report *rep;  /* --report-json / --html: shared by the inputs */
	struct analyze_progress prog;
	bool failed;                /* an error was reported for this input */
};

/* cmd_analyze.c: decode and track one packet, and print what --packets asks. */
int analyze_packet(struct analyze_input *in, const struct capture_pkt *cp);
/* One-line error on stderr (and an "error" record with --json). */
void analyze_error(struct analyze_input *in, const char *msg);

/* analyze_conn.c */
void cmap_init(struct cmap *m);
struct cmap_node *cmap_find(const struct cmap *m, uint64_t id);
int cmap_insert(struct cmap *m, struct cmap_node *n);
struct cmap_node *cmap_remove(struct cmap *m, uint64_t id);
/* Calls fn on every node (in no particular order) and empties the map. */
void cmap_drain(struct cmap *m, void (*fn)(void *ctx, struct cmap_node *n), void *ctx);
void cmap_free(struct cmap *m);
struct conn_rec *conn_rec_new(uint64_t id);
void conn_rec_del(struct conn_rec *r);
void conn_rec_clear(struct conn_rec *r);
/* Counts f; returns its id's counter (NULL when out of memory). */
struct conn_idc *conn_rec_count(struct conn_rec *r, const struct track_finding *f);
/* Keeps a copy of f for printing; returns 0 or -1 when out of memory. */
int conn_rec_keep(struct conn_rec *r, const struct track_finding *f);
enum finding_level conn_finding_level(enum finding_id id);

/* analyze_text.c */
/* "192.0.2.1:80" or "[2001:db8::1]:80" */
void analyze_ep_str(uint8_t version, const uint8_t *addr, uint16_t port, char *buf, size_t cap);
void analyze_text_packet(struct analyze_input *in, const struct capture_pkt *cp,
			 const struct wire_pkt *p, const struct track_pkt_info *info);
void analyze_text_finding(struct analyze_input *in, const struct track_finding *f);
void analyze_text_conn(struct analyze_input *in, const struct track_conn_summary *s,
		       const struct conn_rec *r);
void analyze_text_loose(struct analyze_input *in, const struct conn_rec *r);
void analyze_text_summary(const char *name, const struct analyze_counts *c, bool live,
			  bool total);

/* analyze_json.c */
void analyze_json_packet(struct analyze_input *in, const struct capture_pkt *cp,
			 const struct wire_pkt *p, const struct track_pkt_info *info);
void analyze_json_finding(struct analyze_input *in, const struct track_finding *f);
void analyze_json_conn(struct analyze_input *in, const struct track_conn_summary *s,
		       const struct conn_rec *r);
void analyze_json_summary(const char *name, const struct analyze_counts *c, bool live);
void analyze_json_error(const char *name, const char *msg);

/* analyze_stream.c: --follow (text on stdout) and --extract (files). */
int analyze_stream_new(struct analyze_stream **out, struct analyze_input *in, struct diag *d);
void analyze_stream_data(struct analyze_stream *s, uint64_t conn_id, int dir,
			 const struct track_endpoints *ep, const uint8_t *data, uint32_t len);
void analyze_stream_conn_end(struct analyze_stream *s, const struct track_conn_summary *sum);
/* Closes what is open; returns 0, or -1 after a write error (reported). */
int analyze_stream_del(struct analyze_stream *s);
/* Did --follow match a connection in this input? */
bool analyze_stream_followed(const struct analyze_stream *s);
int analyze_parse_flow(const char *spec, struct analyze_flow *f);
/* Creates the --extract directory if needed; 0 or -1 with d filled. */
int analyze_extract_dir(const char *dir, struct diag *d);

/* analyze_report.c: the report document, built while the inputs are read;
 * written by analyze_report_write (0, or -1 after an error it printed). */
int analyze_report_new(struct analyze_report **out);
void analyze_report_del(struct analyze_report *r);
void analyze_report_input(struct analyze_report *r, const char *name);
void analyze_report_input_end(struct analyze_report *r);
void analyze_report_packet(struct analyze_report *r, const struct capture_pkt *cp,
			   const struct wire_pkt *p, const struct track_pkt_info *info);
void analyze_report_finding(struct analyze_report *r, const struct track_finding *f);
void analyze_report_conn(struct analyze_report *r, const struct track_conn_summary *s);
int analyze_report_write(struct analyze_report *r, const struct analyze_opts *o,
			 const struct analyze_counts *total);

/* analyze_live.c: reads iface until a stop condition; returns 0, or -1
 * after an error (d filled). */
int analyze_live(struct analyze_input *in, struct capture *cap, struct diag *d);

/* analyze_progress.c */
void analyze_progress_start(struct analyze_progress *p, const char *name, uint64_t size);
void analyze_progress_update(struct analyze_progress *p, uint64_t offset);
/* Erases the progress line before anything else is written. */
void analyze_progress_clear(struct analyze_progress *p);
static inline void analyze_progress_tick(struct analyze_progress *p, uint64_t offset)
{
	/* the clock is read every 1024 packets: nothing per packet otherwise */
	if (p->on && !(++p->tick & 1023))
		analyze_progress_update(p, offset);
}
/* Clears the progress line if one is shown: call before writing stdout. */
static inline void analyze_out(struct analyze_input *in)
{
	if (in->prog.shown)
		analyze_progress_clear(&in->prog);
}

#endif
