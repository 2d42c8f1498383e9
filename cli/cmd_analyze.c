/* tcpspec analyze: decode every packet of pcap/pcapng files, verify
 * headers and checksums, and report packets and findings as text or JSON
 * Lines (docs/json-lines.md). */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "pkt_text.h"
#include "relseq.h"
#include "report_json.h"
#include "wire.h"

struct analyze_opts {
	bool packets;
	bool json;
};

struct file_stats {
	unsigned long long packets, tcp, non_tcp, findings;
	unsigned long long by_level[FINDING_ANALYSIS + 1];
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec analyze [--packets] [--json] FILE...\n\n"
		"Reads pcap and pcapng files, decodes every TCP packet, checks header\n"
		"fields, options and checksums, and reports what is wrong with its RFC\n"
		"section.\n\n"
		"  --packets   print one line per TCP packet (relative seq/ack, flags,\n"
		"              window, options, checksum verdict)\n"
		"  --json      JSON Lines on stdout: \"finding\", \"summary\" and \"error\"\n"
		"              records (and \"packet\" records with --packets)\n\n"
		"Exit status: 0 all files read, 2 a file could not be read (what came\n"
		"before the damage is still reported).\n");
}

static void report_findings(const char *file, const struct capture_pkt *cp,
			    const struct wire_pkt *p, const struct analyze_opts *o,
			    struct file_stats *st)
{
	for (unsigned i = 0; i < p->n_problems; i++) {
		const struct finding *f = &p->problems[i];
		const struct finding_info *fi = finding_info(f->id);
		char reason[512];

		st->findings++;
		st->by_level[fi->level]++;
		if (o->json) {
			report_json_line(stdout, report_json_finding(file, cp->num, p, f));
			continue;
		}
		finding_reason(f, reason, sizeof(reason));
		printf("%s  packet %llu: %s %s (%s %s): %s\n", o->packets ? "  " : "",
		       (unsigned long long)cp->num, finding_level_name(fi->level), fi->name,
		       fi->rfc, fi->section, reason);
	}
	if (p->problems_truncated && !o->json)
		printf("  packet %llu: more findings than recorded\n",
		       (unsigned long long)cp->num);
}

static void report_summary(const char *file, const struct file_stats *st,
			   const struct analyze_opts *o, bool complete)
{
	if (o->json) {
		json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:b,s:i}",
			"type", "summary", "file", file,
			"packets", (json_int_t)st->packets, "tcp_packets", (json_int_t)st->tcp,
			"other_packets", (json_int_t)st->non_tcp,
			"findings", (json_int_t)st->findings, "complete", complete,
			"schema", REPORT_JSON_SCHEMA);
		json_t *lv = json_object();

		for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
			json_object_set_new(lv, finding_level_name((enum finding_level)l),
					    json_integer((json_int_t)st->by_level[l]));
		json_object_set_new(j, "by_level", lv);
		report_json_line(stdout, j);
		return;
	}
	printf("%s: %llu packets (%llu TCP, %llu other), %llu findings "
	       "(MUST %llu, SHOULD %llu, MAY %llu, ANALYSIS %llu)%s\n",
	       file, st->packets, st->tcp, st->non_tcp, st->findings,
	       st->by_level[FINDING_MUST], st->by_level[FINDING_SHOULD],
	       st->by_level[FINDING_MAY], st->by_level[FINDING_ANALYSIS],
	       complete ? "" : " [incomplete: file damaged]");
}

/* Returns 0 when the whole file was read. */
static int analyze_file(const char *file, const struct analyze_opts *o)
{
	struct file_stats st = {0};
	struct capture *cap = NULL;
	struct capture_pkt cp;
	struct relseq rel;
	struct wire_pkt pkt;
	struct diag d;
	int64_t t0 = 0;
	char line[1024], msg[DIAG_MSG_MAX + 300];
	int rc;

	diag_clear(&d);
	if (relseq_init(&rel) < 0) {
		fprintf(stderr, "tcpspec analyze: out of memory\n");
		return -1;
	}
	if (capture_open_file(&cap, file, &d) < 0)
		goto fail;
	while ((rc = capture_next(cap, &cp, &d)) == 1) {
		if (st.packets++ == 0)
			t0 = cp.ts_ns;
		wire_decode(capture_link(cap), cp.data, cp.caplen, cp.wirelen, &pkt);
		if (!pkt.has_tcp) {
			st.non_tcp++;
		} else {
			struct relseq_view v;

			st.tcp++;
			relseq_apply(&rel, &pkt, &v);
			if (o->packets && o->json) {
				report_json_line(stdout,
					report_json_packet(file, cp.num, cp.ts_ns, &pkt, &v));
			} else if (o->packets) {
				pkt_text_line(cp.num, cp.ts_ns - t0, &pkt, &v, line, sizeof(line));
				printf("%s\n", line);
			}
		}
		report_findings(file, &cp, &pkt, o, &st);
	}
	if (rc < 0)
		goto fail;
	report_summary(file, &st, o, true);
	capture_close(cap);
	relseq_free(&rel);
	return 0;
fail:
	if (cap)
		report_summary(file, &st, o, false);
	diag_format(&d, msg, sizeof(msg));
	fprintf(stderr, "tcpspec analyze: %s\n", msg);
	if (o->json)
		report_json_line(stdout, report_json_error(file, msg));
	capture_close(cap);
	relseq_free(&rel);
	return -1;
}

int cmd_analyze(int argc, char **argv)
{
	static const struct option opts[] = {
		{"packets", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct analyze_opts o = {0};
	int c, status = CLI_OK;

	while ((c = getopt_long(argc, argv, "pjh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o.packets = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_bad_option("analyze", argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tcpspec analyze: no capture file given (expected FILE...; "
			"try 'tcpspec analyze --help')\n");
		return CLI_ERROR;
	}
	for (int i = optind; i < argc; i++) {
		if (analyze_file(argv[i], &o) < 0)
			status = CLI_ERROR;
		fflush(stdout);
	}
	return status;
}
