/* `tcpspec analyze --report-json/--html`: the tcpspec-report/1 document
 * of an analysis (docs/report-model.md). Each connection, up to
 * limits.detailed_connections in order of appearance, is listed with its
 * summary, a bounded list of its packets (for the time-sequence graph)
 * and its MUST/SHOULD/MAY findings; findings on no connection go to the
 * top-level list. A connection's record lives from its first packet to
 * its end (a listed one to the end of its input: packets and findings
 * that come after its end are added to it). */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "report.h"
#include "report_html.h"

struct arep_conn {
	struct cmap_node node;      /* first: node.id is the conn id */
	json_t *item;               /* listed: the packets and findings so far, or
				       after the end, the connection in the report */
	struct report_wscale ws;
	int64_t t0;
	bool have_t0, ended;
};

struct analyze_report {
	struct report rep;
	const char *input;          /* the current input */
	struct cmap conns;          /* conn id -> struct arep_conn, this input */
	uint64_t max_id;            /* ids come in increasing order: a smaller
				       unknown one has ended */
	bool nomem;
};

int analyze_report_new(struct analyze_report **out)
{
	struct analyze_report *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return -1;
	if (report_init(&r->rep, REPORT_ANALYZE, NULL, NULL) < 0) {
		free(r);
		return -1;
	}
	cmap_init(&r->conns);
	*out = r;
	return 0;
}

static void rec_free(void *ctx, struct cmap_node *n)
{
	struct arep_conn *c = (struct arep_conn *)n;

	(void)ctx;
	if (!c->ended)
		json_decref(c->item);
	free(c);
}

void analyze_report_input(struct analyze_report *r, const char *name)
{
	r->input = name;
	r->max_id = 0;
	if (report_add_input(&r->rep, name) < 0)
		r->nomem = true;
}

void analyze_report_input_end(struct analyze_report *r)
{
	cmap_drain(&r->conns, rec_free, NULL);
	cmap_free(&r->conns);
}

void analyze_report_del(struct analyze_report *r)
{
	if (!r)
		return;
	analyze_report_input_end(r);
	report_free(&r->rep);
	free(r);
}

/* The record of conn id, made at its first sight (NULL: an ended one). */
static struct arep_conn *rec_get(struct analyze_report *r, uint64_t id)
{
	struct cmap_node *n = cmap_find(&r->conns, id);
	struct arep_conn *c;

	if (n)
		return (struct arep_conn *)n;
	if (id <= r->max_id)
		return NULL;
	r->max_id = id;
	if (!(c = calloc(1, sizeof(*c)))) {
		r->nomem = true;
		return NULL;
	}
	c->node.id = id;
	report_wscale_init(&c->ws);
	if (report_conn_reserve(&r->rep)) {
		c->item = json_pack("{s:[],s:b,s:[],s:b}", "packets", "packets_truncated", 0,
				    "findings", "findings_truncated", 0);
		if (!c->item)
			r->nomem = true;
	}
	if (cmap_insert(&r->conns, &c->node) < 0) {
		json_decref(c->item);
		free(c);
		r->nomem = true;
		return NULL;
	}
	return c;
}

void analyze_report_packet(struct analyze_report *r, const struct capture_pkt *cp,
			   const struct wire_pkt *p, const struct track_pkt_info *info)
{
	struct arep_conn *c;
	struct report_pkt in;
	bool ack = (p->tcp.flags & WIRE_TH_ACK) != 0;

	/* a packet after the end (the last ACK after FIN/FIN) still goes to
	 * its connection, listed already */
	if (!info->tracked || !(c = rec_get(r, info->conn_id)) || !c->item)
		return;
	if (!c->have_t0) {
		c->t0 = cp->ts_ns;
		c->have_t0 = true;
	}
	memset(&in, 0, sizeof(in));
	in.num = cp->num;
	in.t = (double)(cp->ts_ns - c->t0) / 1e9;
	in.dir = info->dir;
	in.p = p;
	in.header_ok = p->has_tcp;
	in.seq = info->rel_seq;
	in.ack_known = ack && info->rel_ack_valid;
	in.ack = info->rel_ack;
	/* SACK blocks are in the peer's sequence space: the ack's base */
	in.sack_known = in.ack_known;
	in.sack_base = p->tcp.ack - info->rel_ack;
	in.wnd = report_wscale_wnd(&c->ws, info->dir, &p->tcp);
	in.labels = info->labels;
	if (report_item_packet(&r->rep, c->item, report_packet_json(&in)) < 0)
		r->nomem = true;
}

void analyze_report_finding(struct analyze_report *r, const struct track_finding *f)
{
	enum finding_level lv = conn_finding_level(f->f.id);
	struct arep_conn *c;
	json_t *j;

	/* ANALYSIS findings are counted (summary, findings_by_level) and
	 * shown as packet labels, not listed one by one */
	if (lv == FINDING_ANALYSIS)
		return;
	if (!f->conn_id) {
		j = report_finding_json(f, -1);
		if (j)
			json_object_set_new(j, "input", report_str(r->input));
		if (report_item_finding(&r->rep, NULL, j) < 0)
			r->nomem = true;
		return;
	}
	c = rec_get(r, f->conn_id);
	if (c && c->item && report_item_finding(&r->rep, c->item, report_finding_json(f, f->dir)) < 0)
		r->nomem = true;
}

void analyze_report_conn(struct analyze_report *r, const struct track_conn_summary *s)
{
	struct cmap_node *n = cmap_find(&r->conns, s->conn_id);
	struct arep_conn *c = (struct arep_conn *)n;
	json_t *conn;

	if (!c || c->ended)
		return;
	if (!c->item) {
		/* over the limit: counted when its slot was refused */
		cmap_remove(&r->conns, s->conn_id);
		free(c);
		return;
	}
	conn = report_conn_new(r->input, s);
	if (!conn) {
		r->nomem = true;
		return;
	}
	json_object_set(conn, "packets", json_object_get(c->item, "packets"));
	json_object_set(conn, "packets_truncated", json_object_get(c->item, "packets_truncated"));
	json_object_set(conn, "findings", json_object_get(c->item, "findings"));
	json_object_set(conn, "findings_truncated", json_object_get(c->item, "findings_truncated"));
	json_decref(c->item);
	c->item = conn;             /* borrowed from the report from here on */
	c->ended = true;
	if (report_conn_add(&r->rep, json_incref(conn)) < 0)
		r->nomem = true;
	json_decref(conn);
}

int analyze_report_write(struct analyze_report *r, const struct analyze_opts *o,
			 const struct analyze_counts *total)
{
	json_t *out = json_object_get(r->rep.doc, "outputs");
	char err[600];
	int rc = 0;

	if (r->nomem) {
		fprintf(stderr, "tcpspec analyze: out of memory building the report\n");
		return -1;
	}
	r->rep.connections = total->conns;
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		r->rep.by_level[l] = total->by_level[l];
	json_object_set_new(out, "json", o->report_json_out ? report_str(o->report_json_out)
							  : json_null());
	json_object_set_new(out, "html", o->html_out ? report_str(o->html_out) : json_null());
	if (report_finish(&r->rep, -1) < 0) {
		fprintf(stderr, "tcpspec analyze: out of memory building the report\n");
		return -1;
	}
	if (o->report_json_out &&
	    report_write_json(r->rep.doc, o->report_json_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec analyze: --report-json: %s\n", err);
		rc = -1;
	}
	if (o->html_out && report_html_write(r->rep.doc, o->html_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec analyze: --html: %s\n", err);
		rc = -1;
	}
	return rc;
}
