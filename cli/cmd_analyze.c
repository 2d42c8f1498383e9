/* tcpspec analyze: feed every packet of pcap/pcapng files, or of a live
 * interface, to the tracker (analyzer/track.h), and report connections,
 * findings and totals as text or JSON Lines (docs/json-lines.md).
 * The parts: see analyze.h. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "cli.h"
#include "rob.h"
#include "tcb.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec analyze [OPTIONS] FILE...\n"
		"       tcpspec analyze [OPTIONS] -i IFACE\n\n"
		"Decodes every packet, checks header fields, options and checksums, follows\n"
		"both endpoints of every TCP connection through the RFC 9293 state machine,\n"
		"and reports each connection (statistics, Zeek conn_state and history) and\n"
		"each finding with its RFC section and level.\n\n"
		"input:\n"
		"  -i, --interface IFACE  capture live until Ctrl-C, --count or --duration\n"
		"  -f, --filter BPF       pcap-filter expression (files keep their packet numbers)\n"
		"  -c, --count N          stop after N packets\n"
		"      --duration D       live: stop after D (e.g. 30s, 500ms, 2m)\n"
		"      --snaplen N        live: bytes captured per packet (default 262144)\n"
		"analysis:\n"
		"      --profile NAME     rfc (default), rfc793, linux\n"
		"      --policy NAME      overlap policy: first, last, linux, bsd, windows\n"
		"      --max-flows N      connections tracked at once (least recent evicted)\n"
		"      --idle-timeout D   end a connection after D without packets\n"
		"      --linger D         keep a closed connection's 4-tuple D (default 2s,\n"
		"                         restarted by each late segment) so that its late\n"
		"                         segments (a FIN or ACK sent again) are still judged\n"
		"                         on it; 0: a late segment starts a new connection\n"
		"output:\n"
		"  -p, --packets          one line per TCP packet, with analysis labels\n"
		"  -j, --json             JSON Lines: packet, finding, connection, summary,\n"
		"                         error records (docs/json-lines.md)\n"
		"  -a, -v, --all          every finding; by default ANALYSIS findings are\n"
		"                         counted per id, and text shows %d findings per id\n"
		"                         and connection\n"
		"      --follow FLOW      print one connection's reassembled streams; FLOW is\n"
		"                         a conn id or A:PORT-B:PORT ([v6]:PORT)\n"
		"      --extract DIR      write each direction of each connection to\n"
		"                         DIR/CONN-orig.bin and DIR/CONN-resp.bin; gaps are\n"
		"                         skipped and listed in CONN-DIR.gaps\n"
		"      --fail-on LEVEL    exit 1 if a finding at LEVEL or stricter was found:\n"
		"                         must, should, may, analysis, none (default)\n"
		"      --report-json OUT  write the report (tcpspec-report/1,\n"
		"                         docs/report-model.md): each connection with its\n"
		"                         statistics, packets and findings\n"
		"      --html OUT         the same report as one self-contained HTML page\n\n"
		"Exit status: 0 done, 1 --fail-on matched, 2 an input or option error (what\n"
		"came before the damage is still reported).\n", ANALYZE_SHOW_PER_ID);
}

/* ---- option values ---- */

static int bad_value(const char *opt, const char *val, const char *expected)
{
	fprintf(stderr, "tcpspec analyze: %s '%s': expected %s\n", opt, val, expected);
	return CLI_ERROR;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int parse_duration(const char *s, tstamp *out)
{
	static const struct { const char *unit; double ns; } units[] = {
		{"", 1e9}, {"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1},
		{"m", 60e9}, {"min", 60e9}, {"h", 3600e9},
	};
	char *end;
	double v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (v * units[i].ns > 9e18)
			return -1;
		*out = (tstamp)(v * units[i].ns + 0.5);
		return 0;
	}
	return -1;
}

static int parse_level(const char *s, int *out)
{
	static const char *const names[] = {"must", "should", "may", "analysis"};

	if (!strcasecmp(s, "none")) {
		*out = ANALYZE_FAIL_NONE;
		return 0;
	}
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		if (!strcasecmp(s, names[l])) {
			*out = l;
			return 0;
		}
	return -1;
}

/* ---- tracker callbacks ---- */

static struct conn_rec *rec_for(struct analyze_input *in, uint64_t conn_id)
{
	struct cmap_node *n;
	struct conn_rec *r;

	if (!conn_id)
		return &in->loose;
	if ((n = cmap_find(&in->conns, conn_id)))
		return (struct conn_rec *)n;
	r = conn_rec_new(conn_id);
	if (!r || cmap_insert(&in->conns, &r->node) < 0) {
		conn_rec_del(r);
		return &in->loose; /* out of memory: counted, not per connection */
	}
	return r;
}

static void hold(struct analyze_input *in, const struct track_finding *f)
{
	if (in->n_held == in->cap_held) {
		size_t cap = in->cap_held ? in->cap_held * 2 : 16;
		struct track_finding *h = realloc(in->held, cap * sizeof(*h));

		if (!h) {
			/* cannot wait for the packet line: print it now */
			if (in->o->json)
				analyze_json_finding(in, f);
			else
				analyze_text_finding(in, f);
			return;
		}
		in->held = h;
		in->cap_held = cap;
	}
	in->held[in->n_held++] = *f;
}

static void on_finding(void *ctx, const struct track_finding *f)
{
	struct analyze_input *in = ctx;
	const struct analyze_opts *o = in->o;
	enum finding_level lv = conn_finding_level(f->f.id);
	struct conn_rec *r = rec_for(in, f->conn_id);
	struct conn_idc *c = conn_rec_count(r, f);

	in->c.by_level[lv]++;
	if (in->rep)
		analyze_report_finding(in->rep, f);
	if (o->follow || (lv == FINDING_ANALYSIS && !o->all))
		return;
	if (in->hold)
		hold(in, f);
	else if (o->json)
		analyze_json_finding(in, f);
	else if (o->packets)
		analyze_text_finding(in, f);
	else if (c && (o->all || c->shown < ANALYZE_SHOW_PER_ID) && !conn_rec_keep(r, f))
		c->shown++;
}

static void on_conn_end(void *ctx, const struct track_conn_summary *s)
{
	struct analyze_input *in = ctx;
	struct conn_rec *r = (struct conn_rec *)cmap_remove(&in->conns, s->conn_id);

	in->c.conns++;
	if (in->rep)
		analyze_report_conn(in->rep, s);
	if (in->stream)
		analyze_stream_conn_end(in->stream, s);
	if (!in->o->follow) {
		if (in->o->json)
			analyze_json_conn(in, s, r);
		else
			analyze_text_conn(in, s, r);
	}
	conn_rec_del(r);
}

static void drain_late(void *ctx, struct cmap_node *n);

/* The tracker lets a closed connection go (its linger is over, its tuple
 * reused, or the input ended): the findings its late segments raised are
 * printed now and their record freed, so that memory does not grow with
 * the number of connections. */
static void on_conn_gone(void *ctx, uint64_t conn_id)
{
	struct analyze_input *in = ctx;
	struct cmap_node *n = cmap_remove(&in->conns, conn_id);

	if (n)
		drain_late(in, n);
}

static void on_data(void *ctx, uint64_t conn_id, int dir, const struct track_endpoints *ep,
		    uint32_t seq, const uint8_t *data, uint32_t len)
{
	struct analyze_input *in = ctx;

	(void)seq; /* offsets in the stream are counted by the stream writer */
	if (in->stream)
		analyze_stream_data(in->stream, conn_id, dir, ep, data, len);
}

/* ---- one packet, one input ---- */

void analyze_error(struct analyze_input *in, const char *msg)
{
	analyze_out(in);
	fflush(stdout);
	fprintf(stderr, "tcpspec analyze: %s\n", msg);
	if (in->o->json)
		analyze_json_error(in->name, msg);
	in->failed = true;
}

int analyze_packet(struct analyze_input *in, const struct capture_pkt *cp)
{
	const struct analyze_opts *o = in->o;
	struct track_pkt_info info;
	struct wire_pkt pkt;
	int rc;

	wire_decode(in->link, cp->data, cp->caplen, cp->wirelen, &pkt);
	in->c.packets++;
	if (pkt.has_tcp)
		in->c.tcp++;
	else
		in->c.other++;
	if (!o->packets && !in->rep)
		return track_packet(in->trk, &pkt, cp->num, cp->ts_ns, NULL);
	memset(&info, 0, sizeof(info));
	if (!o->packets) {
		rc = track_packet(in->trk, &pkt, cp->num, cp->ts_ns, &info);
		analyze_report_packet(in->rep, cp, &pkt, &info);
		return rc;
	}

	/* --packets: findings raised by this packet are printed after its line */
	if (!in->have_t0) {
		in->t0 = cp->ts_ns;
		in->have_t0 = true;
	}
	in->hold = true;
	rc = track_packet(in->trk, &pkt, cp->num, cp->ts_ns, &info);
	in->hold = false;
	if (in->rep)
		analyze_report_packet(in->rep, cp, &pkt, &info);
	if (pkt.has_tcp) {
		if (o->json)
			analyze_json_packet(in, cp, &pkt, &info);
		else
			analyze_text_packet(in, cp, &pkt, &info);
	}
	for (size_t i = 0; i < in->n_held; i++) {
		if (o->json)
			analyze_json_finding(in, &in->held[i]);
		else
			analyze_text_finding(in, &in->held[i]);
	}
	in->n_held = 0;
	return rc;
}

static int read_file(struct analyze_input *in, struct capture *cap, struct diag *d)
{
	struct capture_pkt cp;
	int rc;

	while ((rc = capture_next(cap, &cp, d)) == 1) {
		if ((rc = analyze_packet(in, &cp)) < 0) {
			diag_set(d, in->name, 0, 0, "packet %llu (byte %llu): %s",
				 (unsigned long long)cp.num, (unsigned long long)cp.offset,
				 rc == TRACK_ERR_NOMEM ? "out of memory tracking connections "
				 "(expected fewer live connections: try --max-flows or "
				 "--idle-timeout)" : "tracker rejected the packet");
			return -1;
		}
		analyze_progress_tick(&in->prog, cp.offset);
		if (in->o->count && in->c.packets >= in->o->count)
			return 0;
	}
	return rc < 0 ? -1 : 0;
}

static void drain_late(void *ctx, struct cmap_node *n)
{
	struct analyze_input *in = ctx;
	struct conn_rec *r = (struct conn_rec *)n;

	/* findings that arrived after their connection was reported */
	if (!in->o->json && !in->o->follow)
		analyze_text_loose(in, r);
	conn_rec_del(r);
}

static int open_input(struct analyze_input *in, struct capture **cap, struct diag *d)
{
	const struct analyze_opts *o = in->o;
	int rc;

	if (o->iface)
		return capture_open_live(cap, o->iface, o->filter, o->snaplen, d);
	rc = capture_open_file(cap, in->name, d);
	if (rc == 0 && o->filter)
		rc = capture_set_filter(*cap, o->filter, d);
	return rc;
}

static void add_counts(struct analyze_counts *t, const struct analyze_counts *c)
{
	t->inputs++;
	t->packets += c->packets;
	t->tcp += c->tcp;
	t->other += c->other;
	t->conns += c->conns;
	t->evicted += c->evicted;
	t->dropped += c->dropped;
	t->has_dropped |= c->has_dropped;
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		t->by_level[l] += c->by_level[l];
	t->complete &= c->complete;
}

/* Analyzes one input and adds its counts to total. Returns 0, or -1 when
 * an error was reported; *followed tells whether --follow matched. */
static int run_input(struct analyze_input *in, struct analyze_counts *total, bool *followed)
{
	const struct analyze_opts *o = in->o;
	struct track_config cfg = o->tcfg;
	struct capture *cap = NULL;
	char msg[DIAG_MSG_MAX + 300];
	struct diag d;
	int rc;

	diag_clear(&d);
	cmap_init(&in->conns);
	in->c.complete = true;
	if (in->rep)
		analyze_report_input(in->rep, in->name);
	if ((rc = open_input(in, &cap, &d)) < 0)
		goto out;
	in->link = capture_link(cap);
	in->live = capture_is_live(cap);
	if ((o->follow || o->extract_dir) && (rc = analyze_stream_new(&in->stream, in, &d)) < 0)
		goto out;
	cfg.on_finding = on_finding;
	cfg.on_conn_end = on_conn_end;
	cfg.on_conn_gone = on_conn_gone;
	cfg.on_data = in->stream ? on_data : NULL;
	cfg.reassemble = cfg.reassemble || in->stream;
	cfg.ctx = in;
	if ((rc = track_new(&in->trk, &cfg)) < 0) {
		diag_set(&d, in->name, 0, 0, "cannot start the tracker: %s",
			 rc == TRACK_ERR_NOMEM ? "out of memory" : "invalid configuration");
		goto out;
	}
	if (!in->live)
		analyze_progress_start(&in->prog, in->name, capture_file_size(cap));
	rc = in->live ? analyze_live(in, cap, &d) : read_file(in, cap, &d);
	analyze_progress_clear(&in->prog);
	/* what came before an error is still reported: every connection ends */
	track_finish(in->trk);
	in->c.evicted = track_flow_stats(in->trk)->evicted;
	if (in->live && capture_drops(cap, &in->c.dropped) == 0)
		in->c.has_dropped = true;
out:
	cmap_drain(&in->conns, drain_late, in);
	cmap_free(&in->conns);
	if (in->rep)
		analyze_report_input_end(in->rep);
	if (!o->json && !o->follow)
		analyze_text_loose(in, &in->loose);
	conn_rec_clear(&in->loose);
	if (in->stream) {
		*followed = analyze_stream_followed(in->stream);
		if (analyze_stream_del(in->stream) < 0)
			in->failed = true;
		in->stream = NULL;
	}
	in->c.complete = rc == 0 && !in->failed;
	if (cap && !o->follow) {
		if (o->json)
			analyze_json_summary(in->name, &in->c, in->live);
		else
			analyze_text_summary(in->name, &in->c, in->live, false);
	}
	if (rc < 0) {
		diag_format(&d, msg, sizeof(msg));
		analyze_error(in, msg);
	}
	add_counts(total, &in->c);
	if (in->trk)
		track_del(in->trk);
	in->trk = NULL;
	capture_close(cap);
	free(in->held);
	fflush(stdout);
	return rc < 0 || in->failed ? -1 : 0;
}

/* ---- options ---- */

enum {
	OPT_PROFILE = 256, OPT_POLICY, OPT_MAX_FLOWS, OPT_IDLE, OPT_LINGER, OPT_FAIL_ON,
	OPT_FOLLOW, OPT_EXTRACT, OPT_DURATION, OPT_SNAPLEN, OPT_REPORT_JSON, OPT_HTML,
};

static int parse_opts(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option opts[] = {
		{"interface", required_argument, NULL, 'i'},
		{"filter", required_argument, NULL, 'f'},
		{"count", required_argument, NULL, 'c'},
		{"duration", required_argument, NULL, OPT_DURATION},
		{"snaplen", required_argument, NULL, OPT_SNAPLEN},
		{"profile", required_argument, NULL, OPT_PROFILE},
		{"policy", required_argument, NULL, OPT_POLICY},
		{"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
		{"idle-timeout", required_argument, NULL, OPT_IDLE},
		{"linger", required_argument, NULL, OPT_LINGER},
		{"packets", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"all", no_argument, NULL, 'a'},
		{"follow", required_argument, NULL, OPT_FOLLOW},
		{"extract", required_argument, NULL, OPT_EXTRACT},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"report-json", required_argument, NULL, OPT_REPORT_JSON},
		{"html", required_argument, NULL, OPT_HTML},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	uint64_t n;
	int c;

	while ((c = getopt_long(argc, argv, ":i:f:c:pjavh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->iface = optarg;
			break;
		case 'f':
			o->filter = optarg;
			break;
		case 'c':
			if (parse_u64(optarg, &o->count) < 0 || !o->count)
				return bad_value("--count", optarg, "a number of packets >= 1");
			break;
		case OPT_DURATION:
			if (parse_duration(optarg, &o->duration) < 0 || !o->duration)
				return bad_value("--duration", optarg,
						 "a duration like 30s, 500ms, 2m or 1h");
			break;
		case OPT_SNAPLEN:
			if (parse_u64(optarg, &n) < 0 || n < 64 || n > 262144)
				return bad_value("--snaplen", optarg, "a number from 64 to 262144");
			o->snaplen = (int)n;
			break;
		case OPT_PROFILE:
			if (fsm_profile_by_name(optarg, &o->tcfg.profile) < 0)
				return bad_value("--profile", optarg, "rfc, rfc793 or linux");
			break;
		case OPT_POLICY:
			if (rob_policy_by_name(optarg, &o->tcfg.policy) < 0)
				return bad_value("--policy", optarg,
						 "first, last, linux, bsd or windows");
			break;
		case OPT_MAX_FLOWS:
			if (parse_u64(optarg, &n) < 0 || !n || n > SIZE_MAX / 2)
				return bad_value("--max-flows", optarg, "a number of connections >= 1");
			o->tcfg.max_flows = (size_t)n;
			break;
		case OPT_IDLE:
			if (parse_duration(optarg, &o->tcfg.idle_timeout) < 0 ||
			    !o->tcfg.idle_timeout)
				return bad_value("--idle-timeout", optarg,
						 "a duration like 30s, 500ms, 2m or 1h");
			break;
		case OPT_LINGER:
			if (parse_duration(optarg, &o->tcfg.linger) < 0)
				return bad_value("--linger", optarg,
						 "a duration like 2s, 500ms or 0");
			break;
		case 'p':
			o->packets = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'a':
		case 'v':
			o->all = true;
			break;
		case OPT_FOLLOW:
			if (analyze_parse_flow(optarg, &o->follow_flow) < 0)
				return bad_value("--follow", optarg, "a conn id (as the summary "
						 "shows it) or A:PORT-B:PORT");
			o->follow = optarg;
			break;
		case OPT_EXTRACT:
			o->extract_dir = optarg;
			break;
		case OPT_REPORT_JSON:
			o->report_json_out = optarg;
			break;
		case OPT_HTML:
			o->html_out = optarg;
			break;
		case OPT_FAIL_ON:
			if (parse_level(optarg, &o->fail_on) < 0)
				return bad_value("--fail-on", optarg,
						 "must, should, may, analysis or none");
			break;
		case 'h':
			usage(stdout);
			return -1;
		case ':':
			/* named here: cli_bad_option prints long options that
			 * lack a value by their (non-character) code */
			fprintf(stderr, "tcpspec analyze: option '%s' needs a value "
				"(try 'tcpspec analyze --help')\n", argv[optind - 1]);
			return CLI_ERROR;
		default:
			return cli_bad_option("analyze", argv);
		}
	}
	return 0;
}

/* An output that cannot be written is a usage error before any input is read. */
static int check_output(const char *opt, const char *path)
{
	char *copy = strdup(path);
	struct stat st;
	int ok;

	errno = 0;
	ok = copy && access(dirname(copy), W_OK | X_OK) == 0 &&
	     !(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	if (!ok)
		fprintf(stderr, "tcpspec analyze: %s %s: cannot write there (%s)\n", opt, path,
			errno ? strerror(errno) : "a directory");
	free(copy);
	return ok ? 0 : -1;
}

static int check_opts(const struct analyze_opts *o, int n_files)
{
	struct diag d;

	if (o->iface && n_files) {
		fprintf(stderr, "tcpspec analyze: -i %s and capture files given "
			"(expected one or the other)\n", o->iface);
		return CLI_ERROR;
	}
	if (!o->iface && !n_files) {
		fprintf(stderr, "tcpspec analyze: no capture file given (expected FILE... "
			"or -i IFACE; try 'tcpspec analyze --help')\n");
		return CLI_ERROR;
	}
	if (o->duration && !o->iface) {
		fprintf(stderr, "tcpspec analyze: --duration applies to live capture "
			"(expected -i IFACE; files stop with --count)\n");
		return CLI_ERROR;
	}
	if (o->follow && (o->json || o->packets)) {
		fprintf(stderr, "tcpspec analyze: --follow prints only the stream "
			"(expected without --json and --packets; --extract writes bytes)\n");
		return CLI_ERROR;
	}
	if ((o->report_json_out && check_output("--report-json", o->report_json_out) < 0) ||
	    (o->html_out && check_output("--html", o->html_out) < 0))
		return CLI_ERROR;
	diag_clear(&d);
	if ((o->filter && capture_check_filter(o->filter, &d) < 0) ||
	    (o->extract_dir && analyze_extract_dir(o->extract_dir, &d) < 0)) {
		fprintf(stderr, "tcpspec analyze: %s\n", d.msg);
		return CLI_ERROR;
	}
	return CLI_OK;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o;
	struct analyze_counts total = {.complete = true};
	struct analyze_report *rep = NULL;
	bool followed = false;
	int rc, n_inputs, status = CLI_OK;

	memset(&o, 0, sizeof(o));
	o.fail_on = ANALYZE_FAIL_NONE;
	track_config_default(&o.tcfg);
	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = check_opts(&o, argc - optind)) != CLI_OK)
		return rc;
	if ((o.report_json_out || o.html_out) && analyze_report_new(&rep) < 0) {
		fprintf(stderr, "tcpspec analyze: out of memory\n");
		return CLI_ERROR;
	}
	n_inputs = o.iface ? 1 : argc - optind;
	for (int i = 0; i < n_inputs; i++) {
		struct analyze_input in;
		bool f = false;

		memset(&in, 0, sizeof(in));
		in.o = &o;
		in.name = o.iface ? o.iface : argv[optind + i];
		in.idx = (unsigned)i + 1;
		in.n_inputs = (unsigned)n_inputs;
		in.rep = rep;
		if (run_input(&in, &total, &f) < 0)
			status = CLI_ERROR;
		followed |= f;
	}
	if (o.follow && !followed) {
		fprintf(stderr, "tcpspec analyze: --follow %s: no such connection in the "
			"input (expected a conn id as the summary shows it, or "
			"A:PORT-B:PORT)\n", o.follow);
		status = CLI_ERROR;
	}
	if (!o.follow) {
		if (o.json)
			analyze_json_summary(NULL, &total, o.iface != NULL);
		else if (n_inputs > 1)
			analyze_text_summary("total", &total, false, true);
	}
	fflush(stdout);
	if (rep && analyze_report_write(rep, &o, &total) < 0)
		status = CLI_ERROR;
	analyze_report_del(rep);
	if (status == CLI_OK && o.fail_on != ANALYZE_FAIL_NONE)
		for (int l = FINDING_MUST; l <= o.fail_on; l++)
			if (total.by_level[l])
				status = CLI_FAIL;
	return status;
}
