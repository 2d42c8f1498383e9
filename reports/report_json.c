#include "report_json.h"

#include <math.h>
#include <stdio.h>

static json_t *option_json(const struct wire_tcp *t, const struct wire_tcp_opt *o)
{
	json_t *j = json_object();

	switch (o->kind) {
	case WIRE_TCPOPT_EOL:
		json_object_set_new(j, "kind", json_string("eol"));
		return j;
	case WIRE_TCPOPT_NOP:
		json_object_set_new(j, "kind", json_string("nop"));
		return j;
	case WIRE_TCPOPT_MSS:
		if (o->len != 4)
			break;
		json_object_set_new(j, "kind", json_string("mss"));
		json_object_set_new(j, "value", json_integer(t->mss));
		return j;
	case WIRE_TCPOPT_WSCALE:
		if (o->len != 3)
			break;
		json_object_set_new(j, "kind", json_string("wscale"));
		json_object_set_new(j, "value", json_integer(t->ws));
		return j;
	case WIRE_TCPOPT_SACK_OK:
		if (o->len != 2)
			break;
		json_object_set_new(j, "kind", json_string("sackOK"));
		return j;
	case WIRE_TCPOPT_SACK:
		if (o->len < 10 || (o->len - 2) % 8)
			break;
		json_object_set_new(j, "kind", json_string("sack"));
		{
			json_t *blocks = json_array();

			for (unsigned i = 0; i < t->n_sack; i++)
				json_array_append_new(blocks, json_pack("[I,I]",
					(json_int_t)t->sack[i].left, (json_int_t)t->sack[i].right));
			json_object_set_new(j, "blocks", blocks);
		}
		return j;
	case WIRE_TCPOPT_TS:
		if (o->len != 10)
			break;
		json_object_set_new(j, "kind", json_string("ts"));
		json_object_set_new(j, "val", json_integer(t->tsval));
		json_object_set_new(j, "ecr", json_integer(t->tsecr));
		return j;
	case WIRE_TCPOPT_MD5:
		if (o->len != 18)
			break;
		json_object_set_new(j, "kind", json_string("md5"));
		return j;
	case WIRE_TCPOPT_FASTOPEN:
	case WIRE_TCPOPT_EXP:
		if (!t->has_fastopen)
			break;
		json_object_set_new(j, "kind", json_string("fastopen"));
		{
			char hex[33];

			for (unsigned i = 0; i < t->fo_cookie_len && i < 16; i++)
				snprintf(hex + 2 * i, 3, "%02x", t->fo_cookie[i]);
			hex[2 * (t->fo_cookie_len < 16 ? t->fo_cookie_len : 16)] = '\0';
			json_object_set_new(j, "cookie", json_string(hex));
		}
		return j;
	}
	json_object_set_new(j, "kind", json_integer(o->kind));
	json_object_set_new(j, "len", json_integer(o->len));
	return j;
}

json_t *report_json_options(const struct wire_tcp *t)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < t->n_opts; i++)
		json_array_append_new(a, option_json(t, &t->opts[i]));
	return a;
}

static void set_endpoints(json_t *j, const struct wire_pkt *p)
{
	char a[46];

	wire_addr_str(p->ip.version, p->ip.src, a);
	json_object_set_new(j, "src", json_string(a));
	wire_addr_str(p->ip.version, p->ip.dst, a);
	json_object_set_new(j, "dst", json_string(a));
	if (p->has_tcp) {
		json_object_set_new(j, "sport", json_integer(p->tcp.sport));
		json_object_set_new(j, "dport", json_integer(p->tcp.dport));
	}
}

json_t *report_json_secs(int64_t ns)
{
	return json_real((double)ns / 1e9);
}

/* jansson refuses NaN and infinities: a statistic that is not a number
 * is written as null rather than making the record fail. */
static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *int_or_null(bool known, uint64_t v)
{
	return known ? json_integer((json_int_t)v) : json_null();
}

const char *report_json_label(uint32_t bit)
{
	switch (bit) {
	case TRACK_L_RETRANS:            return "retransmission";
	case TRACK_L_FAST_RETRANS:       return "fast_retransmission";
	case TRACK_L_SPURIOUS:           return "spurious_retransmission";
	case TRACK_L_OUT_OF_ORDER:       return "out_of_order";
	case TRACK_L_LOST_SEGMENT:       return "previous_segment_not_captured";
	case TRACK_L_ACK_LOST:           return "acked_unseen_segment";
	case TRACK_L_DUP_ACK:            return "dup_ack";
	case TRACK_L_ZERO_WIN:           return "zero_window";
	case TRACK_L_ZERO_WIN_PROBE:     return "zero_window_probe";
	case TRACK_L_ZERO_WIN_PROBE_ACK: return "zero_window_probe_ack";
	case TRACK_L_WIN_FULL:           return "window_full";
	case TRACK_L_WIN_UPDATE:         return "window_update";
	case TRACK_L_KEEP_ALIVE:         return "keep_alive";
	case TRACK_L_KEEP_ALIVE_ACK:     return "keep_alive_ack";
	case TRACK_L_PORTS_REUSED:       return "ports_reused";
	}
	return NULL;
}

static json_t *states_json(const enum tcp_state st[2])
{
	return json_pack("{s:s,s:s}", "orig", tcp_state_name(st[0]),
			 "resp", tcp_state_name(st[1]));
}

json_t *report_json_packet(const char *file, uint64_t num, int64_t ts_ns,
			   const struct wire_pkt *p, const struct track_pkt_info *info)
{
	const struct wire_tcp *t = &p->tcp;
	bool tracked = info && info->tracked;
	char flags[12];
	json_t *j = json_object(), *labels = json_array();

	json_object_set_new(j, "type", json_string("packet"));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "num", json_integer((json_int_t)num));
	json_object_set_new(j, "ts", report_json_secs(ts_ns));
	json_object_set_new(j, "ip", json_integer(p->ip.version));
	set_endpoints(j, p);
	wire_flags_str(t->flags, flags);
	json_object_set_new(j, "flags", json_string(flags));
	json_object_set_new(j, "seq", json_integer(tracked ? info->rel_seq : t->seq));
	json_object_set_new(j, "seq_abs", json_integer(t->seq));
	json_object_set_new(j, "relative", json_boolean(tracked));
	if (t->flags & WIRE_TH_ACK) {
		bool rel = tracked && info->rel_ack_valid;

		json_object_set_new(j, "ack", json_integer(rel ? info->rel_ack : t->ack));
		json_object_set_new(j, "ack_abs", json_integer(t->ack));
		json_object_set_new(j, "ack_relative", json_boolean(rel));
	}
	json_object_set_new(j, "win", json_integer(t->win));
	json_object_set_new(j, "urp", json_integer(t->urp));
	json_object_set_new(j, "len", json_integer(t->payload_len));
	json_object_set_new(j, "options", report_json_options(t));
	json_object_set_new(j, "csum", json_string(wire_csum_name(p->tcp_csum)));
	json_object_set_new(j, "csum_value", json_integer(t->csum));
	json_object_set_new(j, "conn", int_or_null(tracked, tracked ? info->conn_id : 0));
	json_object_set_new(j, "dir", int_or_null(tracked, tracked ? info->dir : 0));
	for (uint32_t bit = 1; tracked && bit && bit <= info->labels; bit <<= 1) {
		const char *name = report_json_label(bit);

		if ((info->labels & bit) && name)
			json_array_append_new(labels, json_string(name));
	}
	json_object_set_new(j, "labels", labels);
	if (tracked && (info->labels & TRACK_L_DUP_ACK)) {
		json_object_set_new(j, "dup_ack_num", json_integer(info->dup_ack_num));
		json_object_set_new(j, "dup_ack_of", json_integer((json_int_t)info->dup_ack_of));
	}
	json_object_set_new(j, "states", tracked ? states_json(info->state) : json_null());
	if (tracked && info->late)
		json_object_set_new(j, "late", json_true());
	return j;
}

json_t *report_json_endpoints(const struct track_endpoints *ep)
{
	char a[46];
	json_t *j;

	if (ep->version != 4 && ep->version != 6)
		return json_null();
	j = json_object();
	json_object_set_new(j, "ip", json_integer(ep->version));
	wire_addr_str(ep->version, ep->src, a);
	json_object_set_new(j, "src", json_string(a));
	json_object_set_new(j, "sport", json_integer(ep->sport));
	wire_addr_str(ep->version, ep->dst, a);
	json_object_set_new(j, "dst", json_string(a));
	json_object_set_new(j, "dport", json_integer(ep->dport));
	return j;
}

json_t *report_json_finding(const char *file, const struct track_finding *f)
{
	const struct finding_info *fi = finding_info(f->f.id);
	bool conn = f->conn_id != 0;
	char reason[512];
	json_t *j = json_object();

	finding_reason(&f->f, reason, sizeof(reason));
	json_object_set_new(j, "type", json_string("finding"));
	json_object_set_new(j, "id", json_string(fi ? fi->name : "UNKNOWN"));
	json_object_set_new(j, "rfc", json_string(fi ? fi->rfc : ""));
	json_object_set_new(j, "section", json_string(fi ? fi->section : ""));
	json_object_set_new(j, "level", json_string(fi ? finding_level_name(fi->level) : "ANALYSIS"));
	json_object_set_new(j, "title", json_string(fi ? fi->title : ""));
	json_object_set_new(j, "reason", json_string(reason));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "conn", int_or_null(conn, f->conn_id));
	json_object_set_new(j, "dir", int_or_null(conn, f->dir));
	json_object_set_new(j, "packet", json_integer((json_int_t)f->pkt));
	json_object_set_new(j, "ref_packet", int_or_null(f->ref_pkt != 0, f->ref_pkt));
	json_object_set_new(j, "endpoints", report_json_endpoints(&f->ep));
	json_object_set_new(j, "ts", report_json_secs(f->ts));
	return j;
}

static const char *end_name(enum flow_end_reason r)
{
	switch (r) {
	case FLOW_END_IDLE:    return "idle";
	case FLOW_END_EVICTED: return "evicted";
	case FLOW_END_REUSED:  return "reused";
	case FLOW_END_REMOVED: return "closed";
	case FLOW_END_FLUSH:   return "end_of_input";
	case FLOW_END_CLOSED:  return "closed";
	}
	return "unknown";
}

static json_t *dir_json(const struct stats_conn *c, int d, enum tcp_state final)
{
	const struct stats_dir *s = &c->dir[d];
	json_t *j = json_object();

	json_object_set_new(j, "packets", json_integer((json_int_t)s->pkts));
	json_object_set_new(j, "data_packets", json_integer((json_int_t)s->data_pkts));
	json_object_set_new(j, "pure_acks", json_integer((json_int_t)s->pure_acks));
	json_object_set_new(j, "bytes", json_integer((json_int_t)s->bytes));
	json_object_set_new(j, "unique_bytes", json_integer((json_int_t)s->unique_bytes));
	json_object_set_new(j, "retrans_packets", json_integer((json_int_t)s->retrans_pkts));
	json_object_set_new(j, "retrans_bytes", json_integer((json_int_t)s->retrans_bytes));
	json_object_set_new(j, "out_of_order_packets",
			    json_integer((json_int_t)s->out_of_order_pkts));
	json_object_set_new(j, "dup_acks", json_integer((json_int_t)s->dup_acks));
	json_object_set_new(j, "zero_windows", json_integer((json_int_t)s->zero_win_adv));
	json_object_set_new(j, "syns", json_integer((json_int_t)s->syns));
	json_object_set_new(j, "fins", json_integer((json_int_t)s->fins));
	json_object_set_new(j, "rsts", json_integer((json_int_t)s->rsts));
	json_object_set_new(j, "mss", int_or_null(s->mss != 0, s->mss));
	json_object_set_new(j, "max_segment", json_integer(s->max_seg));
	if (s->win_n) {
		json_t *w = json_object();

		json_object_set_new(w, "min", json_integer((json_int_t)s->win_min));
		json_object_set_new(w, "avg", real_or_null(s->win_sum / (double)s->win_n));
		json_object_set_new(w, "max", json_integer((json_int_t)s->win_max));
		json_object_set_new(j, "window", w);
	} else {
		json_object_set_new(j, "window", json_null());
	}
	if (s->rtt.n) {
		json_t *r = json_object();

		json_object_set_new(r, "samples", json_integer((json_int_t)s->rtt.n));
		json_object_set_new(r, "min", report_json_secs(s->rtt.min));
		json_object_set_new(r, "avg", real_or_null(stats_rtt_avg_ns(&s->rtt) / 1e9));
		json_object_set_new(r, "max", report_json_secs(s->rtt.max));
		json_object_set_new(r, "stdev", real_or_null(stats_rtt_stdev_ns(&s->rtt) / 1e9));
		json_object_set_new(j, "rtt", r);
	} else {
		json_object_set_new(j, "rtt", json_null());
	}
	json_object_set_new(j, "throughput", real_or_null(stats_throughput(c, d)));
	json_object_set_new(j, "first_ts", s->pkts ? report_json_secs(s->first_ts) : json_null());
	json_object_set_new(j, "last_ts", s->pkts ? report_json_secs(s->last_ts) : json_null());
	json_object_set_new(j, "max_idle", report_json_secs(s->max_idle));
	json_object_set_new(j, "state", json_string(tcp_state_name(final)));
	return j;
}

json_t *report_json_connection(const char *file, const struct track_conn_summary *s)
{
	json_t *j = json_object(), *lv = json_object();
	tstamp hrtt = s->stats ? stats_handshake_rtt(s->stats) : -1;

	json_object_set_new(j, "type", json_string("connection"));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "conn", json_integer((json_int_t)s->conn_id));
	json_object_set_new(j, "endpoints", report_json_endpoints(&s->ep));
	json_object_set_new(j, "first_ts", report_json_secs(s->first_ts));
	json_object_set_new(j, "last_ts", report_json_secs(s->last_ts));
	json_object_set_new(j, "duration", report_json_secs(s->last_ts - s->first_ts));
	json_object_set_new(j, "first_packet", json_integer((json_int_t)s->first_pkt));
	json_object_set_new(j, "last_packet", json_integer((json_int_t)s->last_pkt));
	json_object_set_new(j, "conn_state", json_string(s->stats ?
		stats_conn_state_name(stats_conn_state(s->stats)) : "OTH"));
	json_object_set_new(j, "history", json_string(s->stats ? s->stats->history : ""));
	json_object_set_new(j, "handshake_seen", json_boolean(s->handshake_seen));
	json_object_set_new(j, "handshake_rtt", hrtt >= 0 ? report_json_secs(hrtt) : json_null());
	json_object_set_new(j, "end", json_string(end_name(s->end)));
	json_object_set_new(j, "states", states_json(s->state));
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++)
		json_object_set_new(lv, finding_level_name((enum finding_level)l),
				    json_integer((json_int_t)s->findings[l]));
	json_object_set_new(j, "findings", lv);
	if (s->stats) {
		json_object_set_new(j, "orig", dir_json(s->stats, 0, s->state[0]));
		json_object_set_new(j, "resp", dir_json(s->stats, 1, s->state[1]));
	}
	return j;
}

json_t *report_json_summary(const struct report_summary *s)
{
	json_t *j = json_object(), *lv = json_object();
	uint64_t total = 0;

	json_object_set_new(j, "type", json_string("summary"));
	json_object_set_new(j, "schema", json_integer(REPORT_JSON_ANALYZE_SCHEMA));
	json_object_set_new(j, "scope", json_string(s->file ? "file" : "total"));
	if (s->file) {
		json_object_set_new(j, "file", json_string(s->file));
		json_object_set_new(j, "source", json_string(s->live ? "interface" : "file"));
	} else {
		json_object_set_new(j, "inputs", json_integer((json_int_t)s->inputs));
	}
	json_object_set_new(j, "packets", json_integer((json_int_t)s->packets));
	json_object_set_new(j, "tcp_packets", json_integer((json_int_t)s->tcp_packets));
	json_object_set_new(j, "other_packets", json_integer((json_int_t)s->other_packets));
	json_object_set_new(j, "connections", json_integer((json_int_t)s->connections));
	for (int l = FINDING_MUST; l <= FINDING_ANALYSIS; l++) {
		total += s->by_level[l];
		json_object_set_new(lv, finding_level_name((enum finding_level)l),
				    json_integer((json_int_t)s->by_level[l]));
	}
	json_object_set_new(j, "findings", json_integer((json_int_t)total));
	json_object_set_new(j, "by_level", lv);
	json_object_set_new(j, "evicted", json_integer((json_int_t)s->evicted));
	if (s->has_dropped)
		json_object_set_new(j, "dropped", json_integer((json_int_t)s->dropped));
	json_object_set_new(j, "complete", json_boolean(s->complete));
	return j;
}

json_t *report_json_error(const char *file, const char *message)
{
	json_t *j = json_object();

	json_object_set_new(j, "type", json_string("error"));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "message", json_string(message));
	return j;
}

int report_json_line(FILE *out, json_t *obj)
{
	/* 16 digits: epoch seconds keep their microseconds, and 0.07 stays 0.07 */
	int rc = json_dumpf(obj, out, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(16));

	json_decref(obj);
	if (rc < 0 || fputc('\n', out) == EOF)
		return -1;
	return 0;
}
