/* analysis_dump: test driver for the tshark differential test. Reads a
 * capture, tracks connections with analyzer/flow and labels every TCP
 * packet with analyzer/analysis; prints one JSON line per labelled packet
 * and a summary line:
 *
 *   {"pkt":12,"conn":3,"dir":0,"labels":["retransmission"],
 *    "findings":[{"id":"TCP-RETRANSMISSION","reason":"..."}]}
 *   {"summary":true,"packets":N,"tcp":N,"connections":N,"evicted":N}
 *
 * usage: analysis_dump [--max-flows N] [--idle-timeout SEC] FILE
 * Stands in for `tcpspec analyze` until the tracker calls the module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "capture.h"
#include "flow.h"
#include "seg.h"
#include "wire.h"

struct dump {
	unsigned long long evicted_reported;
	struct flow_table *ft;
};

static void on_init(void *ctx, struct flow *f)
{
	(void)ctx;
	analysis_init(flow_user(f), NULL);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_finding(const struct finding *fnd, bool first)
{
	char reason[256];

	finding_reason(fnd, reason, sizeof(reason));
	printf("%s{\"id\":", first ? "" : ",");
	json_str(finding_info(fnd->id)->name);
	printf(",\"reason\":");
	json_str(reason);
	putchar('}');
}

static void on_end(void *ctx, struct flow *f, enum flow_end_reason why)
{
	struct dump *d = ctx;
	struct finding fnd;

	if (why != FLOW_END_EVICTED)
		return;
	/* never silent: the eviction is a finding of its own */
	flow_evicted_finding(d->ft, f, &fnd);
	printf("{\"evicted\":%llu,\"findings\":[", (unsigned long long)f->conn_id);
	print_finding(&fnd, true);
	printf("]}\n");
	d->evicted_reported++;
}

static void print_labels(uint64_t pkt, const struct flow *f, int dir,
			 const struct analysis_out *o)
{
	bool first = true;

	printf("{\"pkt\":%llu,\"conn\":%llu,\"dir\":%d,\"labels\":[",
	       (unsigned long long)pkt, (unsigned long long)f->conn_id, dir);
	for (int i = 0; i < ANALYSIS_N_LABELS; i++) {
		if (!(o->flags & (1u << i)))
			continue;
		printf("%s\"%s\"", first ? "" : ",", analysis_label_name(1u << i));
		first = false;
	}
	printf("]");
	if (o->flags & ANALYSIS_DUP_ACK)
		printf(",\"dup_ack\":%u,\"dup_ack_of\":%llu", o->dupack_num,
		       (unsigned long long)o->dupack_of);
	printf(",\"findings\":[");
	for (unsigned i = 0; i < o->n_findings; i++)
		print_finding(&o->findings[i], i == 0);
	printf("]}\n");
}

int main(int argc, char **argv)
{
	struct flow_config cfg = {0};
	struct dump d = {0};
	struct capture *cap = NULL;
	struct capture_pkt cp;
	struct wire_pkt pkt;
	struct diag dg;
	unsigned long long n = 0, tcp = 0;
	const char *file = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max-flows") && i + 1 < argc)
			cfg.max_flows = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--idle-timeout") && i + 1 < argc)
			cfg.idle_timeout = (tstamp)(strtod(argv[++i], NULL) * 1e9);
		else
			file = argv[i];
	}
	if (!file) {
		fprintf(stderr, "usage: analysis_dump [--max-flows N] [--idle-timeout SEC] FILE\n");
		return 2;
	}
	cfg.user_size = sizeof(struct analysis);
	cfg.init = on_init;
	cfg.end = on_end;
	cfg.ctx = &d;
	diag_clear(&dg);
	if (flow_table_new(&d.ft, &cfg) < 0 || capture_open_file(&cap, file, &dg) < 0) {
		char msg[DIAG_MSG_MAX + 300];

		diag_format(&dg, msg, sizeof(msg));
		fprintf(stderr, "analysis_dump: %s\n", msg);
		flow_table_del(d.ft);
		return 2;
	}
	while ((rc = capture_next(cap, &cp, &dg)) == 1) {
		struct flow_key key;
		struct analysis_out o;
		struct analysis_reuse reuse;
		struct flow *f;
		struct seg s;
		int side, dir;

		n++;
		wire_decode(capture_link(cap), cp.data, cp.caplen, cp.wirelen, &pkt);
		/* Wireshark analyses neither fragments nor short headers */
		if (!pkt.has_tcp || pkt.ip.is_fragment)
			continue;
		tcp++;
		seg_from_wire(&s, &pkt, cp.num);
		if (flow_key_from_pkt(&pkt, &key, &side) < 0 ||
		    flow_touch(d.ft, &key, side, s.flags, cp.ts_ns, cp.num, &f, &dir) < 0) {
			fprintf(stderr, "analysis_dump: packet %llu: flow table failed\n",
				(unsigned long long)cp.num);
			rc = -1;
			break;
		}
		if (analysis_port_reused(flow_user(f), dir, &s, &reuse)) {
			flow_restart(d.ft, f, dir, cp.ts_ns, cp.num);
			analysis_init(flow_user(f), &reuse);
			dir = 0;
		}
		analysis_segment(flow_user(f), dir, &s, cp.ts_ns, &o);
		if (o.flags)
			print_labels(cp.num, f, dir, &o);
	}
	printf("{\"summary\":true,\"packets\":%llu,\"tcp\":%llu,\"connections\":%llu,"
	       "\"evicted\":%llu}\n", n, tcp,
	       (unsigned long long)flow_table_stats(d.ft)->created +
	       flow_table_stats(d.ft)->reused, d.evicted_reported);
	capture_close(cap);
	flow_table_del(d.ft);
	return rc < 0 ? 1 : 0;
}
