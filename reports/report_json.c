#include "report_json.h"

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

static const char *csum_name(enum wire_csum_verdict c)
{
	switch (c) {
	case WIRE_CSUM_OK:         return "ok";
	case WIRE_CSUM_BAD:        return "bad";
	case WIRE_CSUM_PARTIAL:    return "partial";
	case WIRE_CSUM_UNVERIFIED: return "unverified";
	}
	return "unknown";
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

json_t *report_json_packet(const char *file, uint64_t num, int64_t ts_ns,
			   const struct wire_pkt *p, const struct relseq_view *v)
{
	const struct wire_tcp *t = &p->tcp;
	char flags[12];
	json_t *j = json_object();

	json_object_set_new(j, "type", json_string("packet"));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "num", json_integer((json_int_t)num));
	json_object_set_new(j, "ts", json_real((double)ts_ns / 1e9));
	json_object_set_new(j, "ip", json_integer(p->ip.version));
	set_endpoints(j, p);
	wire_flags_str(t->flags, flags);
	json_object_set_new(j, "flags", json_string(flags));
	json_object_set_new(j, "seq", json_integer(v->seq));
	json_object_set_new(j, "seq_abs", json_integer(t->seq));
	if (t->flags & WIRE_TH_ACK) {
		json_object_set_new(j, "ack", json_integer(v->ack));
		json_object_set_new(j, "ack_abs", json_integer(t->ack));
	}
	json_object_set_new(j, "relative", json_boolean(v->seq_rel));
	json_object_set_new(j, "win", json_integer(t->win));
	json_object_set_new(j, "urp", json_integer(t->urp));
	json_object_set_new(j, "len", json_integer(t->payload_len));
	json_object_set_new(j, "options", report_json_options(t));
	json_object_set_new(j, "csum", json_string(csum_name(p->tcp_csum)));
	json_object_set_new(j, "csum_value", json_integer(t->csum));
	return j;
}

json_t *report_json_finding(const char *file, uint64_t num, const struct wire_pkt *p,
			    const struct finding *f)
{
	const struct finding_info *fi = finding_info(f->id);
	char reason[512];
	json_t *j = json_object();

	finding_reason(f, reason, sizeof(reason));
	json_object_set_new(j, "type", json_string("finding"));
	json_object_set_new(j, "id", json_string(fi->name));
	json_object_set_new(j, "rfc", json_string(fi->rfc));
	json_object_set_new(j, "section", json_string(fi->section));
	json_object_set_new(j, "level", json_string(finding_level_name(fi->level)));
	json_object_set_new(j, "title", json_string(fi->title));
	json_object_set_new(j, "reason", json_string(reason));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "packet", json_integer((json_int_t)num));
	if (p && p->has_ip)
		set_endpoints(j, p);
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
	int rc = json_dumpf(obj, out, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(obj);
	if (rc < 0 || fputc('\n', out) == EOF)
		return -1;
	return 0;
}
