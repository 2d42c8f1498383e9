/* JSON Lines output of `tcpspec analyze` (docs/json-lines.md): records
 * are built by reports/report_json and written one per line as they
 * happen. */
#include <stdio.h>

#include "analyze.h"
#include "report_json.h"

void analyze_json_packet(struct analyze_input *in, const struct capture_pkt *cp,
			 const struct wire_pkt *p, const struct track_pkt_info *info)
{
	analyze_out(in);
	report_json_line(stdout, report_json_packet(in->name, cp->num, cp->ts_ns, p, info));
}

void analyze_json_finding(struct analyze_input *in, const struct track_finding *f)
{
	analyze_out(in);
	report_json_line(stdout, report_json_finding(in->name, f));
}

void analyze_json_conn(struct analyze_input *in, const struct track_conn_summary *s,
		       const struct conn_rec *r)
{
	json_t *j = report_json_connection(in->name, s);
	json_t *ids = json_object();

	/* every finding id on the connection with its count: ANALYSIS
	 * findings are not written one by one unless --all */
	for (uint32_t i = 0; r && i < r->n_ids; i++) {
		const struct finding_info *fi = finding_info(r->ids[i].id);

		if (fi)
			json_object_set_new(ids, fi->name, json_integer((json_int_t)r->ids[i].n));
	}
	json_object_set_new(j, "finding_ids", ids);
	analyze_out(in);
	report_json_line(stdout, j);
}

void analyze_json_summary(const char *name, const struct analyze_counts *c, bool live)
{
	struct report_summary s = {
		.file = name,
		.live = live,
		.inputs = c->inputs,
		.packets = c->packets,
		.tcp_packets = c->tcp,
		.other_packets = c->other,
		.connections = c->conns,
		.evicted = c->evicted,
		.has_dropped = c->has_dropped,
		.dropped = c->dropped,
		.complete = c->complete,
	};

	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		s.by_level[l] = c->by_level[l];
	report_json_line(stdout, report_json_summary(&s));
}

void analyze_json_error(const char *name, const char *msg)
{
	report_json_line(stdout, report_json_error(name, msg));
}
