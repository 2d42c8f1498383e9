/* Text output of `tcpspec analyze`: packet lines (--packets), a block per
 * connection in the manner of tcptrace -l and Zeek's conn.log, findings
 * grouped by level, and totals.
 *
 * Bounded by default: ANALYSIS findings (retransmissions, dup ACKs, ...)
 * are summarised per id with counts, and at most ANALYZE_SHOW_PER_ID
 * findings of one id are listed per connection, so a big capture prints
 * a page per connection, not a line per packet. --all lists everything. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "pkt_text.h"
#include "stats.h"
#include "tcb.h"

#define LABEL_W 24
#define VALUE_W 28

static const char *const dir_name[2] = {"A->B", "B->A"};

/* "192.0.2.1:80" or "[2001:db8::1]:80" */
void analyze_ep_str(uint8_t version, const uint8_t *addr, uint16_t port, char *buf, size_t cap)
{
	char a[46];

	wire_addr_str(version, addr, a);
	snprintf(buf, cap, version == 6 ? "[%s]:%u" : "%s:%u", a, port);
}

static void ts_str(tstamp ts, char *buf, size_t cap)
{
	snprintf(buf, cap, "%lld.%06lld", (long long)(ts / 1000000000),
		 (long long)((ts < 0 ? -ts : ts) % 1000000000 / 1000));
}

void analyze_text_packet(struct analyze_input *in, const struct capture_pkt *cp,
			 const struct wire_pkt *p, const struct track_pkt_info *info)
{
	char line[1024];

	pkt_text_line(cp->num, cp->ts_ns - in->t0, p, info, line, sizeof(line));
	analyze_out(in);
	printf("%s\n", line);
}

/* "MUST TCP-CHECKSUM-BAD (RFC9293 3.1) conn 1 A->B packet 4: reason" */
static void print_finding(const char *indent, const struct track_finding *f)
{
	const struct finding_info *fi = finding_info(f->f.id);
	char reason[512], src[64], dst[64];

	finding_reason(&f->f, reason, sizeof(reason));
	printf("%s%s %s (%s %s)", indent, fi ? finding_level_name(fi->level) : "?",
	       fi ? fi->name : "?", fi ? fi->rfc : "?", fi ? fi->section : "?");
	if (f->conn_id) {
		printf(" conn %llu %s", (unsigned long long)f->conn_id, dir_name[f->dir & 1]);
	} else if (f->ep.sport || f->ep.dport) {
		analyze_ep_str(f->ep.version, f->ep.src, f->ep.sport, src, sizeof(src));
		analyze_ep_str(f->ep.version, f->ep.dst, f->ep.dport, dst, sizeof(dst));
		printf(" %s > %s", src, dst);
	} else if (f->ep.version == 4 || f->ep.version == 6) {
		/* not decoded as far as TCP: addresses only */
		wire_addr_str(f->ep.version, f->ep.src, src);
		wire_addr_str(f->ep.version, f->ep.dst, dst);
		printf(" %s > %s", src, dst);
	}
	printf(" packet %llu", (unsigned long long)f->pkt);
	if (f->ref_pkt)
		printf(" (ref %llu)", (unsigned long long)f->ref_pkt);
	printf(": %s\n", reason);
}

void analyze_text_finding(struct analyze_input *in, const struct track_finding *f)
{
	analyze_out(in);
	print_finding("  ", f);
}

static void row(const char *label, const char *a, const char *b)
{
	printf("  %-*s %-*s %s\n", LABEL_W, label, VALUE_W, a, b);
}

/* Formats one statistic for both directions and prints the row. */
static void row2(const char *label, void (*fmt)(const struct stats_conn *, int, char *, size_t),
		 const struct stats_conn *c)
{
	char a[64], b[64];

	fmt(c, 0, a, sizeof(a));
	fmt(c, 1, b, sizeof(b));
	row(label, a, b);
}

#define D(c, d) (&(c)->dir[d])
#define LLU(x) ((unsigned long long)(x))

static void f_pkts(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%llu (%llu data, %llu pure ack)", LLU(D(c, d)->pkts),
		 LLU(D(c, d)->data_pkts), LLU(D(c, d)->pure_acks));
}

static void f_bytes(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%llu (%llu unique)", LLU(D(c, d)->bytes), LLU(D(c, d)->unique_bytes));
}

static void f_retrans(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%llu pkts, %llu bytes", LLU(D(c, d)->retrans_pkts),
		 LLU(D(c, d)->retrans_bytes));
}

static void f_ooo(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%llu / %llu", LLU(D(c, d)->out_of_order_pkts), LLU(D(c, d)->dup_acks));
}

static void f_ctl(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%llu / %llu / %llu", LLU(D(c, d)->syns), LLU(D(c, d)->fins),
		 LLU(D(c, d)->rsts));
}

static void f_rtt(const struct stats_conn *c, int d, char *b, size_t n)
{
	const struct stats_rtt *r = &D(c, d)->rtt;

	if (!r->n)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%.3f/%.3f/%.3f", (double)r->min / 1e6,
			 stats_rtt_avg_ns(r) / 1e6, (double)r->max / 1e6);
}

static void f_rtt_sd(const struct stats_conn *c, int d, char *b, size_t n)
{
	const struct stats_rtt *r = &D(c, d)->rtt;

	if (!r->n)
		snprintf(b, n, "- (0)");
	else
		snprintf(b, n, "%.3f (%llu)", stats_rtt_stdev_ns(r) / 1e6, LLU(r->n));
}

static void f_tput(const struct stats_conn *c, int d, char *b, size_t n)
{
	double v = stats_throughput(c, d);

	if (v >= 1e9)
		snprintf(b, n, "%.2f GB/s", v / 1e9);
	else if (v >= 1e6)
		snprintf(b, n, "%.2f MB/s", v / 1e6);
	else if (v >= 1e3)
		snprintf(b, n, "%.2f kB/s", v / 1e3);
	else
		snprintf(b, n, "%.0f B/s", v);
}

static void f_win(const struct stats_conn *c, int d, char *b, size_t n)
{
	const struct stats_dir *s = D(c, d);

	if (!s->win_n)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%llu/%.0f/%llu", LLU(s->win_min), s->win_sum / (double)s->win_n,
			 LLU(s->win_max));
}

static void f_zero(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%llu", LLU(D(c, d)->zero_win_adv));
}

static void f_mss(const struct stats_conn *c, int d, char *b, size_t n)
{
	if (D(c, d)->mss)
		snprintf(b, n, "%u / %u", D(c, d)->mss, D(c, d)->max_seg);
	else
		snprintf(b, n, "- / %u", D(c, d)->max_seg);
}

static void f_idle(const struct stats_conn *c, int d, char *b, size_t n)
{
	snprintf(b, n, "%.3f s", (double)D(c, d)->max_idle / 1e9);
}

static const char *end_text(enum flow_end_reason r)
{
	switch (r) {
	case FLOW_END_IDLE:    return "idle timeout";
	case FLOW_END_EVICTED: return "evicted (flow table full)";
	case FLOW_END_REUSED:  return "ports reused by a new connection";
	case FLOW_END_REMOVED: return "closed";
	case FLOW_END_FLUSH:   return "end of input";
	case FLOW_END_CLOSED:  return "closed";
	}
	return "?";
}

static void level_counts(const uint64_t lv[FINDING_ANALYSIS + 1], char *buf, size_t cap)
{
	snprintf(buf, cap, "MUST %llu, SHOULD %llu, MAY %llu, ANALYSIS %llu",
		 LLU(lv[FINDING_MUST]), LLU(lv[FINDING_SHOULD]), LLU(lv[FINDING_MAY]),
		 LLU(lv[FINDING_ANALYSIS]));
}

static void idc_summary(const char *indent, uint64_t conn_id, const struct conn_idc *c)
{
	const struct finding_info *fi = finding_info(c->id);

	printf("%s%s %s (%s %s)", indent, fi ? finding_level_name(fi->level) : "?",
	       fi ? fi->name : "?", fi ? fi->rfc : "?", fi ? fi->section : "?");
	if (conn_id)
		printf(" conn %llu: %llu (A->B %llu, B->A %llu)", LLU(conn_id), LLU(c->n),
		       LLU(c->dir_n[0]), LLU(c->dir_n[1]));
	else
		printf(": %llu", LLU(c->n));
	printf(", first at packet %llu\n", LLU(c->first_pkt));
}

/* The findings of one record, grouped by level: the kept ones in full,
 * the rest counted per id. */
static void print_findings(const struct analyze_opts *o, const struct conn_rec *r)
{
	const char *ind = "    ";

	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++) {
		bool summarise = o->packets || (l == FINDING_ANALYSIS && !o->all);

		for (size_t i = 0; !summarise && i < r->n_kept; i++)
			if ((int)conn_finding_level(r->kept[i].f.id) == l)
				print_finding(ind, &r->kept[i]);
		for (uint32_t i = 0; i < r->n_ids; i++) {
			const struct conn_idc *c = &r->ids[i];
			const struct finding_info *fi;

			if ((int)conn_finding_level(c->id) != l)
				continue;
			if (summarise) {
				idc_summary(ind, r->node.id, c);
				continue;
			}
			if (c->n <= c->shown)
				continue;
			fi = finding_info(c->id);
			printf("%s%s %s: %llu more not shown (--all lists every one)\n", ind,
			       finding_level_name((enum finding_level)l), fi ? fi->name : "?",
			       LLU(c->n - c->shown));
		}
	}
}

void analyze_text_conn(struct analyze_input *in, const struct track_conn_summary *s,
		       const struct conn_rec *r)
{
	const struct stats_conn *c = s->stats;
	const struct track_endpoints *ep = &s->ep;
	char a[64], b[64], t0[32], t1[32], lv[128];
	tstamp hrtt = c ? stats_handshake_rtt(c) : -1;
	uint64_t total = 0;

	analyze_out(in);
	analyze_ep_str(ep->version, ep->src, ep->sport, a, sizeof(a));
	analyze_ep_str(ep->version, ep->dst, ep->dport, b, sizeof(b));
	ts_str(s->first_ts, t0, sizeof(t0));
	ts_str(s->last_ts, t1, sizeof(t1));
	/* A is the originator: the columns and finding lines say A->B / B->A */
	printf("conn %llu: A %s -> B %s  %s  %s\n", LLU(s->conn_id), a, b,
	       c ? stats_conn_state_name(stats_conn_state(c)) : "OTH",
	       c && c->history[0] ? c->history : "-");
	printf("  time %s - %s (%.6f s), packets %llu-%llu, end: %s\n", t0, t1,
	       (double)(s->last_ts - s->first_ts) / 1e9, LLU(s->first_pkt),
	       LLU(s->last_pkt), end_text(s->end));
	printf("  states at end A %s, B %s; ", tcp_state_name(s->state[0]),
	       tcp_state_name(s->state[1]));
	if (hrtt >= 0)
		printf("handshake rtt %.3f ms\n", (double)hrtt / 1e6);
	else
		printf("handshake %s\n", s->handshake_seen ? "incomplete" : "not captured");
	if (c) {
		row("", dir_name[0], dir_name[1]);
		row2("packets", f_pkts, c);
		row2("bytes", f_bytes, c);
		row2("retransmitted", f_retrans, c);
		row2("out of order / dup acks", f_ooo, c);
		row2("syn / fin / rst", f_ctl, c);
		row2("rtt min/avg/max ms", f_rtt, c);
		row2("rtt stdev ms (samples)", f_rtt_sd, c);
		row2("throughput", f_tput, c);
		row2("window min/avg/max", f_win, c);
		row2("zero windows", f_zero, c);
		row2("mss / max segment", f_mss, c);
		row2("max idle", f_idle, c);
	}
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		total += s->findings[l];
	if (!total && (!r || !r->n_ids)) {
		printf("  findings: none\n");
		return;
	}
	level_counts(s->findings, lv, sizeof(lv));
	printf("  findings: %s\n", lv);
	if (r)
		print_findings(in->o, r);
}

void analyze_text_loose(struct analyze_input *in, const struct conn_rec *r)
{
	uint64_t lv[FINDING_ANALYSIS + 1] = {0};
	char counts[128];

	if (!r->n_ids)
		return;
	for (uint32_t i = 0; i < r->n_ids; i++)
		lv[conn_finding_level(r->ids[i].id)] += r->ids[i].n;
	level_counts(lv, counts, sizeof(counts));
	analyze_out(in);
	if (r->node.id)
		printf("findings on conn %llu after it was reported: %s\n", LLU(r->node.id),
		       counts);
	else
		printf("findings not tied to a connection: %s\n", counts);
	print_findings(in->o, r);
}

void analyze_text_summary(const char *name, const struct analyze_counts *c, bool live,
			  bool total)
{
	uint64_t n = 0;
	char lv[128];

	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		n += c->by_level[l];
	level_counts(c->by_level, lv, sizeof(lv));
	printf("%s%s: ", live ? "interface " : "", name);
	if (total)
		printf("%llu inputs, ", LLU(c->inputs));
	printf("%llu packets (%llu TCP, %llu other), %llu connections, %llu findings (%s)",
	       LLU(c->packets), LLU(c->tcp), LLU(c->other), LLU(c->conns), LLU(n), lv);
	if (c->evicted)
		printf(", %llu connections evicted (table full)", LLU(c->evicted));
	if (c->has_dropped)
		printf(", %llu packets dropped by the kernel", LLU(c->dropped));
	printf("%s\n", c->complete ? "" : " [incomplete: input damaged or unreadable]");
}
