/* The report side of `tcpspec run`: see run_report.h. */
#include "run_report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "capture.h"
#include "embedded_suite.h"
#include "track.h"

#define STEP_TEXT_MAX 400

/* ---- step texts from the YAML source ---- */

/* A mapping node of a source file: where it starts (as the loader counts)
 * and its bytes. */
struct src_node {
	unsigned line, col;
	size_t start, end;
};

struct src_file {
	char *name;
	char *buf;
	size_t len;
	struct src_node *nodes;
	size_t n;
};

struct run_sources {
	bool embedded;
	struct src_file *files;
	size_t n, cap;
};

struct run_sources *run_sources_new(bool embedded)
{
	struct run_sources *s = calloc(1, sizeof(*s));

	if (s)
		s->embedded = embedded;
	return s;
}

void run_sources_del(struct run_sources *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].name);
		free(s->files[i].buf);
		free(s->files[i].nodes);
	}
	free(s->files);
	free(s);
}

/* Byte offset of libyaml's mark (line, column in characters). */
static size_t byte_at(const char *buf, size_t len, size_t line, size_t column)
{
	size_t i = 0;

	for (size_t l = 0; l < line && i < len; i++)
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n')))
			l++;
	for (size_t c = 0; c < column && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* Every mapping node of every document in buf. */
static int parse_nodes(const char *buf, size_t len, struct src_node **out, size_t *n_out)
{
	struct src_node *nodes = NULL;
	size_t n = 0, cap = 0;
	yaml_parser_t p;
	yaml_document_t doc;
	int rc = 0;

	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		yaml_node_t *root;

		if (!yaml_parser_load(&p, &doc)) {
			rc = -1;
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		for (yaml_node_t *x = doc.nodes.start; x < doc.nodes.top; x++) {
			if (x->type != YAML_MAPPING_NODE)
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 32;
				struct src_node *t = realloc(nodes, nc * sizeof(*t));

				if (!t) {
					rc = -1;
					break;
				}
				nodes = t;
				cap = nc;
			}
			nodes[n].line = (unsigned)x->start_mark.line + 1;
			nodes[n].col = (unsigned)x->start_mark.column + 1;
			nodes[n].start = byte_at(buf, len, x->start_mark.line, x->start_mark.column);
			nodes[n].end = byte_at(buf, len, x->end_mark.line, x->end_mark.column);
			n++;
		}
		yaml_document_delete(&doc);
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&p);
	if (rc < 0) {
		free(nodes);
		return -1;
	}
	*out = nodes;
	*n_out = n;
	return 0;
}

/* YAML text to one line: comments dropped (a '#' after white space, out
 * of quotes), runs of white space folded into one space. */
static void fold(const char *s, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	char quote = 0;
	bool space = false;

	for (size_t i = 0; i < len && o + 4 < cap; i++) {
		char c = s[i];

		if (!quote && c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' ||
					   s[i - 1] == '\n' || s[i - 1] == '\r')) {
			while (i + 1 < len && s[i + 1] != '\n' && s[i + 1] != '\r')
				i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = o > 0;
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = false;
		}
		if (quote == '"' && c == '\\' && i + 1 < len) {
			out[o++] = c;
			c = s[++i];
		} else if (quote && c == quote) {
			quote = 0;
		} else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
		}
		out[o++] = c;
	}
	if (o + 4 >= cap && cap > 4) {
		/* cut: back to a character boundary, then "..." */
		while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80)
			o--;
		memcpy(out + o, "...", 3);
		o += 3;
	}
	if (cap)
		out[o < cap ? o : cap - 1] = '\0';
}

static const struct src_node *find_node(const struct src_node *nodes, size_t n,
					unsigned line, unsigned col)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i].line == line && nodes[i].col == col)
			return &nodes[i];
	return NULL;
}

int run_step_text(const char *buf, size_t len, unsigned line, unsigned col,
		  char *out, size_t cap)
{
	struct src_node *nodes = NULL;
	const struct src_node *x;
	size_t n = 0;
	int rc = -1;

	out[0] = '\0';
	if (parse_nodes(buf, len, &nodes, &n) == 0 && (x = find_node(nodes, n, line, col))) {
		fold(buf + x->start, x->end - x->start, out, cap);
		rc = 0;
	}
	free(nodes);
	return rc;
}

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, k;
	char *b = malloc(cap);

	if (!f || !b) {
		if (f)
			fclose(f);
		free(b);
		return -1;
	}
	while ((k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			char *t = realloc(b, cap * 2);

			if (!t) {
				free(b);
				fclose(f);
				return -1;
			}
			b = t;
			cap *= 2;
		}
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

static const struct src_file *source(struct run_sources *s, const char *name)
{
	struct src_file *f;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->files[i].name, name))
			return &s->files[i];
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		struct src_file *t = realloc(s->files, nc * sizeof(*t));

		if (!t)
			return NULL;
		s->files = t;
		s->cap = nc;
	}
	f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	if (!(f->name = strdup(name)))
		return NULL;
	if (s->embedded) {
		for (size_t i = 0; i < embedded_suite_count && !f->buf; i++)
			if (!strcmp(embedded_suite[i].name, name) &&
			    (f->buf = malloc(embedded_suite[i].len + 1))) {
				memcpy(f->buf, embedded_suite[i].text, embedded_suite[i].len);
				f->len = embedded_suite[i].len;
			}
	}
	if (!f->buf && read_file(name, &f->buf, &f->len) < 0)
		f->buf = NULL;
	/* a source that cannot be read or parsed gives steps without text */
	if (f->buf && parse_nodes(f->buf, f->len, &f->nodes, &f->n) < 0)
		f->n = 0;
	s->n++;
	return f;
}

/* The YAML key a step starts with ("send", "app", ...), from its text. */
static void step_kind(const struct script_step *st, const char *text, char *kind, size_t cap)
{
	size_t n = strcspn(text, ":{ ");

	if (text[0] && text[n] == ':' && n < cap) {
		memcpy(kind, text, n);
		kind[n] = '\0';
		return;
	}
	switch (st->kind) {
	case SCRIPT_SEND:
		snprintf(kind, cap, "send");
		return;
	case SCRIPT_EXPECT:
		snprintf(kind, cap, "expect");
		return;
	case SCRIPT_EXPECT_NONE:
		snprintf(kind, cap, "expect_none");
		return;
	default:
		snprintf(kind, cap, "step");
		return;
	}
}

static int add_steps(json_t *item, struct run_sources *src, const struct script_case *c)
{
	char text[STEP_TEXT_MAX], kind[32];

	for (size_t i = 0; i < c->n_steps; i++) {
		const struct script_step *st = &c->steps[i];
		const char *file = st->file ? st->file : c->file;
		const struct src_file *f = src && file ? source(src, file) : NULL;
		const struct src_node *x = f ? find_node(f->nodes, f->n, st->line, st->col) : NULL;

		text[0] = '\0';
		if (x)
			fold(f->buf + x->start, x->end - x->start, text, sizeof(text));
		step_kind(st, text, kind, sizeof(kind));
		if (report_case_step(item, i + 1, kind, st->line, text) < 0)
			return -1;
	}
	return 0;
}

/* ---- packets and findings from the case's capture ---- */

struct case_pkts {
	struct report *rep;
	json_t *item;
	const struct runner_result *res;
	uint32_t target_isn;
	bool target_isn_known;
	struct track_finding *f;   /* findings, in order */
	size_t n_f, cap_f;
	uint8_t *dir;              /* frame number -> 0 tester, 1 target, 2 unknown */
	size_t n_dir;
	bool nomem;
};

static void on_finding(void *ctx, const struct track_finding *f)
{
	struct case_pkts *cp = ctx;

	if (cp->n_f == cp->cap_f) {
		size_t nc = cp->cap_f ? cp->cap_f * 2 : 16;
		struct track_finding *t = realloc(cp->f, nc * sizeof(*t));

		if (!t) {
			cp->nomem = true;
			return;
		}
		cp->f = t;
		cp->cap_f = nc;
	}
	cp->f[cp->n_f++] = *f;
}

/* The TCP header's fixed part was read (a data offset fault stops the
 * decode after it): ports, numbers, flags and window are known. */
static bool tcp_fixed(const struct wire_pkt *p)
{
	return p->has_tcp || (p->has_ip && p->ip.proto == 6 && (p->tcp.sport || p->tcp.dport));
}

/* ARP and ICMPv6 (neighbour discovery) frames the capture filter lets
 * in besides TCP: the runner answers them; they are not the case's
 * packets. */
static bool neigh_frame(const struct wire_pkt *p)
{
	return p->l2.ethertype == 0x0806 || (p->has_ip && p->ip.proto == 58);
}

static int dir_of(const struct runner_result *res, const struct wire_pkt *p)
{
	return p->tcp.sport == res->tester_port ? 0 : 1;
}

/* First pass: the target's ISN, from its first SYN in the capture. */
static int scan_isn(struct case_pkts *cp, const char *path, struct diag *d)
{
	struct capture *cap = NULL;
	struct capture_pkt k;
	struct wire_pkt p;
	int rc;

	if ((rc = capture_open_file(&cap, path, d)) < 0)
		return rc;
	while ((rc = capture_next(cap, &k, d)) == 1) {
		wire_decode(capture_link(cap), k.data, k.caplen, k.wirelen, &p);
		if (tcp_fixed(&p) && dir_of(cp->res, &p) == 1 && (p.tcp.flags & WIRE_TH_SYN)) {
			cp->target_isn = p.tcp.seq;
			cp->target_isn_known = true;
			break;
		}
	}
	capture_close(cap);
	return rc < 0 ? rc : 0;
}

static void set_dir(struct case_pkts *cp, uint64_t num, int dir)
{
	if (num >= cp->n_dir) {
		size_t n = (size_t)num + 64;
		uint8_t *t = realloc(cp->dir, n);

		if (!t) {
			cp->nomem = true;
			return;
		}
		memset(t + cp->n_dir, 2, n - cp->n_dir);
		cp->dir = t;
		cp->n_dir = n;
	}
	cp->dir[num] = (uint8_t)dir;
}

static json_t *packet(struct case_pkts *cp, const struct capture_pkt *k, const struct wire_pkt *p,
		      const struct track_pkt_info *info, int64_t t0, struct report_wscale *ws,
		      size_t *next_frame)
{
	const struct runner_result *res = cp->res;
	uint32_t own = 0, peer = 0;
	struct report_pkt in;
	int dir = dir_of(res, p);

	memset(&in, 0, sizeof(in));
	/* seq relative to the sender's ISN, ack to the receiver's: absolute
	 * while the target's ISN is not known, as in the scripts */
	if (dir == 0) {
		own = res->tester_isn;
		peer = cp->target_isn_known ? cp->target_isn : 0;
	} else {
		own = cp->target_isn_known ? cp->target_isn : 0;
		peer = res->tester_isn;
	}
	in.num = k->num;
	in.t = (double)(k->ts_ns - t0) / 1e9;
	in.dir = dir;
	in.p = p;
	in.header_ok = p->has_tcp;
	in.seq = p->tcp.seq - own;
	in.ack_known = (p->tcp.flags & WIRE_TH_ACK) != 0;
	in.ack = p->tcp.ack - peer;
	in.sack_known = true;
	in.sack_base = peer;
	in.wnd = p->has_tcp ? report_wscale_wnd(ws, dir, &p->tcp) : -1;
	in.labels = info->tracked ? info->labels : 0;
	in.has_step = true;
	/* res->frames is in capture order */
	while (*next_frame < res->n_frames && res->frames[*next_frame].num < k->num)
		(*next_frame)++;
	if (*next_frame < res->n_frames && res->frames[*next_frame].num == k->num)
		in.step = res->frames[*next_frame].step + 1;
	return report_packet_json(&in);
}

static int read_packets(struct case_pkts *cp, const char *path, struct diag *d)
{
	struct track_config cfg;
	struct tracker *trk = NULL;
	struct capture *cap = NULL;
	struct report_wscale ws;
	struct capture_pkt k;
	struct wire_pkt p;
	size_t next_frame = 0;
	int64_t t0 = 0;
	bool have_t0 = false;
	int rc;

	track_config_default(&cfg);
	cfg.on_finding = on_finding;
	cfg.ctx = cp;
	report_wscale_init(&ws);
	if ((rc = capture_open_file(&cap, path, d)) < 0)
		return rc;
	if (track_new(&trk, &cfg) < 0) {
		capture_close(cap);
		diag_set(d, path, 0, 0, "cannot start the tracker: out of memory");
		return -1;
	}
	while ((rc = capture_next(cap, &k, d)) == 1) {
		struct track_pkt_info info;

		memset(&info, 0, sizeof(info));
		wire_decode(capture_link(cap), k.data, k.caplen, k.wirelen, &p);
		if (track_packet(trk, &p, k.num, k.ts_ns, &info) < 0)
			cp->nomem = true;
		if (neigh_frame(&p))
			continue;
		if (!tcp_fixed(&p)) {
			if (!cp->rep)
				continue;
			/* the filter let it in as TCP, yet not even its ports
			 * decode (a header cut short): say so, do not drop it */
			report_item_unlisted(cp->rep, cp->item);
			continue;
		}
		if (!have_t0) {
			t0 = k.ts_ns;
			have_t0 = true;
		}
		set_dir(cp, k.num, dir_of(cp->res, &p));
		if (cp->rep && report_item_packet(cp->rep, cp->item,
				       packet(cp, &k, &p, &info, t0, &ws, &next_frame)) < 0)
			cp->nomem = true;
	}
	track_finish(trk);
	track_del(trk);
	capture_close(cap);
	return rc < 0 ? rc : 0;
}

/* A finding about the target's segments (the tester's own are not
 * judged: scripts break rules on purpose). */
static bool of_target(const struct case_pkts *cp, const struct track_finding *f)
{
	int dir = f->pkt < cp->n_dir ? cp->dir[f->pkt] : 2;

	/* no packet of ours to place it by: the ports say; a frame whose
	 * ports do not even decode is not the target's (a kernel sends none
	 * such, the scripts do on purpose) */
	if (dir == 2 && f->ep.version && (f->ep.sport || f->ep.dport))
		dir = f->ep.sport == cp->res->tester_port ? 0 :
		      f->ep.dport == cp->res->tester_port ? 1 : 2;
	return dir == 1;
}

/* The target's findings: listed (MUST/SHOULD/MAY, up to the limit) and
 * counted (every level); the tester's own segments are not judged. */
static void attach_findings(struct case_pkts *cp)
{
	for (size_t i = 0; i < cp->n_f; i++) {
		const struct track_finding *f = &cp->f[i];
		const struct finding_info *fi = finding_info(f->f.id);
		enum finding_level lv = fi ? fi->level : FINDING_ANALYSIS;

		if (!of_target(cp, f))
			continue;
		report_count_finding(cp->rep, lv);
		report_item_count(cp->item, lv);
		if (lv != FINDING_ANALYSIS &&
		    report_item_finding(cp->rep, cp->item, report_finding_json(f, 1)) < 0)
			cp->nomem = true;
	}
}

enum report_verdict run_report_verdict(const struct runner_result *res, const char *target,
				       const char *xfail, char *reason, size_t cap)
{
	enum report_verdict v;

	if (report_verdict_by_name(runner_verdict_name(res->verdict), &v) < 0)
		v = REPORT_ERROR;
	snprintf(reason, cap, "%s", v == REPORT_PASS ? "" : res->reason);
	/* an error is not the known failure: it stays an error */
	if (!xfail || (v != REPORT_PASS && v != REPORT_FAIL))
		return v;
	if (v == REPORT_FAIL) {
		snprintf(reason, cap, "expected to fail on %s (%s): %s", target, xfail, res->reason);
		return REPORT_XFAIL;
	}
	snprintf(reason, cap, "passed, but expected to fail on %s (%s)", target, xfail);
	return REPORT_XPASS;
}

static const char *level_name(enum script_level l)
{
	switch (l) {
	case SCRIPT_LEVEL_MUST:   return "MUST";
	case SCRIPT_LEVEL_SHOULD: return "SHOULD";
	case SCRIPT_LEVEL_MAY:    return "MAY";
	}
	return "MUST";
}

int run_report_case(struct report *rep, struct run_sources *src, const struct script_case *c,
		    const struct runner_result *res, const char *target, const char *xfail,
		    bool keep_pcap, char *err, size_t errcap)
{
	char reason[sizeof(res->reason) + 600];
	struct case_pkts cp = {.rep = rep, .res = res};
	struct report_case rc = {
		.id = c->id, .title = c->title, .file = c->file, .line = c->line,
		.rfc = (const char *const *)c->rfc, .n_rfc = c->n_rfc,
		.tags = (const char *const *)c->tags, .n_tags = c->n_tags,
		.level = level_name(c->level),
		.verdict = run_report_verdict(res, target, xfail, reason, sizeof(reason)),
		.reason = reason,
		.failed_step = res->verdict == RUNNER_PASS || res->verdict == RUNNER_SKIP ||
			       res->failed_step == SIZE_MAX ? 0 : res->failed_step + 1,
		.failed_line = res->verdict == RUNNER_PASS || res->verdict == RUNNER_SKIP ? 0 :
			       res->line,
		.duration_ms = res->duration_ms,
		.pcap = keep_pcap && res->pcap[0] ? res->pcap : NULL,
		.tester_port = res->tester_port, .tester_isn = res->tester_isn,
		.target_isn_known = res->target_isn_known, .target_isn = res->target_isn,
	};
	struct diag d;
	int status = 0;

	diag_clear(&d);
	err[0] = '\0';
	if (res->pcap[0] && scan_isn(&cp, res->pcap, &d) < 0)
		status = -1;
	if (cp.target_isn_known) {
		rc.target_isn_known = true;
		rc.target_isn = cp.target_isn;
	}
	if (!(cp.item = report_case_add(rep, &rc)) || add_steps(cp.item, src, c) < 0) {
		snprintf(err, errcap, "case %s: out of memory building the report", c->id);
		return -1;
	}
	if (status == 0 && res->pcap[0] && read_packets(&cp, res->pcap, &d) < 0)
		status = -1;
	if (status < 0)
		diag_format(&d, err, errcap);
	attach_findings(&cp);
	if (cp.nomem && status == 0) {
		snprintf(err, errcap, "case %s: out of memory building the report", c->id);
		status = -1;
	}
	free(cp.f);
	free(cp.dir);
	return status;
}

/* ---- the analyzer's findings and the verdict ---- */

int run_case_findings(const struct runner_result *res, struct run_findings *out, struct diag *d)
{
	struct case_pkts cp = {.res = res};
	size_t n = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!res->pcap[0])
		return 0;
	if (read_packets(&cp, res->pcap, d) < 0)
		rc = -1;
	for (size_t i = 0; i < cp.n_f; i++)
		if (of_target(&cp, &cp.f[i]))
			cp.f[n++] = cp.f[i];
	if (cp.nomem && rc == 0) {
		diag_set(d, res->pcap, 0, 0, "out of memory judging the capture");
		rc = -1;
	}
	free(cp.dir);
	out->f = cp.f;
	out->n = n;
	return rc;
}

void run_findings_free(struct run_findings *fs)
{
	free(fs->f);
	fs->f = NULL;
	fs->n = 0;
}

static bool listed(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

/* The step that sent or judged packet num (res->frames), else the last. */
static size_t step_of(const struct script_case *c, const struct runner_result *res, uint64_t num)
{
	for (size_t i = 0; i < res->n_frames; i++)
		if (res->frames[i].num == num)
			return res->frames[i].step;
	return c->n_steps ? c->n_steps - 1 : 0;
}

static void fail_by(const struct script_case *c, struct runner_result *res, size_t step,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail_by(const struct script_case *c, struct runner_result *res, size_t step,
		    const char *fmt, ...)
{
	const struct script_step *st = step < c->n_steps ? &c->steps[step] : NULL;
	va_list ap;
	int n;

	if (res->verdict != RUNNER_PASS)
		return;
	res->verdict = RUNNER_FAIL;
	res->failed_step = step;
	res->line = st ? st->line : c->line;
	res->col = st ? st->col : 0;
	n = snprintf(res->reason, sizeof(res->reason), "%s:%u: ",
		     st && st->file ? st->file : c->file, res->line);
	if (n < 0 || (size_t)n >= sizeof(res->reason))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(res->reason + n, sizeof(res->reason) - (size_t)n, fmt, ap);
	va_end(ap);
}

void run_findings_judge(const struct script_case *c, const struct run_findings *fs,
			struct runner_result *res, char *notes, size_t cap)
{
	const struct script_findings *pol = &c->findings;
	size_t off = 0, shown = 0;
	char why[400];

	if (cap)
		notes[0] = '\0';
	for (size_t i = 0; i < fs->n; i++) {
		const struct track_finding *f = &fs->f[i];
		const struct finding_info *fi = finding_info(f->f.id);

		if (!fi)
			continue;
		finding_reason(&f->f, why, sizeof(why));
		if (listed(pol->forbid, pol->n_forbid, fi->name))
			fail_by(c, res, step_of(c, res, f->pkt), "analyzer: %s on the target's packet "
				"%llu, which the case forbids (%s %s %s): %s", fi->name,
				(unsigned long long)f->pkt, finding_level_name(fi->level), fi->rfc,
				fi->section, why);
		else if (pol->fail_on == SCRIPT_FAIL_ON_MUST && fi->level == FINDING_MUST &&
			 !listed(pol->require, pol->n_require, fi->name))
			fail_by(c, res, step_of(c, res, f->pkt), "analyzer: MUST %s (%s %s) on the "
				"target's packet %llu: %s", fi->name, fi->rfc, fi->section,
				(unsigned long long)f->pkt, why);
		if (fi->level == FINDING_ANALYSIS || off + 8 >= cap)
			continue;
		if (++shown > 10) {
			off += (size_t)snprintf(notes + off, cap - off, "%s...", off ? "\n" : "");
			break;
		}
		off += (size_t)snprintf(notes + off, cap - off, "%sfinding %s %s (%s %s) packet %llu: %s",
					off ? "\n" : "", finding_level_name(fi->level), fi->name,
					fi->rfc, fi->section, (unsigned long long)f->pkt, why);
	}
	for (size_t k = 0; k < pol->n_require; k++) {
		bool found = false;

		for (size_t i = 0; i < fs->n && !found; i++) {
			const struct finding_info *fi = finding_info(fs->f[i].f.id);

			found = fi && !strcmp(fi->name, pol->require[k]);
		}
		if (!found)
			fail_by(c, res, c->n_steps ? c->n_steps - 1 : 0, "analyzer: expected %s on "
				"the target's segments (findings: require), but it was not found",
				pol->require[k]);
	}
}
