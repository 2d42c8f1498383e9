#include "pkt_text.h"

#include <stdarg.h>
#include <stdio.h>

/* Appends to buf at *len, never past cap. */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

static void put_option(const struct wire_tcp *t, const struct wire_tcp_opt *o,
		       const struct relseq_view *v, char *buf, size_t cap,
		       size_t *len)
{
	switch (o->kind) {
	case WIRE_TCPOPT_EOL:
		put(buf, cap, len, "eol");
		return;
	case WIRE_TCPOPT_NOP:
		put(buf, cap, len, "nop");
		return;
	case WIRE_TCPOPT_MSS:
		if (o->len == 4) {
			put(buf, cap, len, "mss %u", t->mss);
			return;
		}
		break;
	case WIRE_TCPOPT_WSCALE:
		if (o->len == 3) {
			put(buf, cap, len, "wscale %u", t->ws);
			return;
		}
		break;
	case WIRE_TCPOPT_SACK_OK:
		if (o->len == 2) {
			put(buf, cap, len, "sackOK");
			return;
		}
		break;
	case WIRE_TCPOPT_SACK:
		if (o->len >= 10 && (o->len - 2) % 8 == 0) {
			put(buf, cap, len, "sack %u", t->n_sack);
			for (unsigned i = 0; i < t->n_sack; i++)
				put(buf, cap, len, " {%u:%u}", v ? v->sack[i][0] : t->sack[i].left,
				    v ? v->sack[i][1] : t->sack[i].right);
			return;
		}
		break;
	case WIRE_TCPOPT_TS:
		if (o->len == 10) {
			put(buf, cap, len, "TS val %u ecr %u", t->tsval, t->tsecr);
			return;
		}
		break;
	case WIRE_TCPOPT_MD5:
		if (o->len == 18) {
			put(buf, cap, len, "md5");
			return;
		}
		break;
	case WIRE_TCPOPT_FASTOPEN:
	case WIRE_TCPOPT_EXP:
		if (t->has_fastopen) {
			put(buf, cap, len, "tfo%s", t->fo_cookie_len ? " cookie " : " cookiereq");
			for (unsigned i = 0; i < t->fo_cookie_len; i++)
				put(buf, cap, len, "%02x", t->fo_cookie[i]);
			return;
		}
		break;
	}
	put(buf, cap, len, "opt-%u len %u", o->kind, o->len);
}

void pkt_text_options(const struct wire_tcp *t, const struct relseq_view *v,
		      char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	if (!t->n_opts)
		return;
	put(buf, cap, &len, "<");
	for (unsigned i = 0; i < t->n_opts; i++) {
		if (i)
			put(buf, cap, &len, ",");
		put_option(t, &t->opts[i], v, buf, cap, &len);
	}
	put(buf, cap, &len, ">");
}

const char *pkt_text_csum(enum wire_csum_verdict c)
{
	switch (c) {
	case WIRE_CSUM_OK:         return "ok";
	case WIRE_CSUM_BAD:        return "bad";
	case WIRE_CSUM_PARTIAL:    return "partial";
	case WIRE_CSUM_UNVERIFIED: return "unverified";
	}
	return "?";
}

void pkt_text_line(uint64_t num, int64_t rel_ts_ns, const struct wire_pkt *p,
		   const struct relseq_view *v, char *buf, size_t cap)
{
	const struct wire_tcp *t = &p->tcp;
	char src[46], dst[46], flags[12], opts[512];
	size_t len = 0;
	bool v6 = p->ip.version == 6;

	wire_addr_str(p->ip.version, p->ip.src, src);
	wire_addr_str(p->ip.version, p->ip.dst, dst);
	wire_flags_str(t->flags, flags);
	put(buf, cap, &len, "%llu %lld.%06lld %s%s%s.%u > %s%s%s.%u [%s] seq %u",
	    (unsigned long long)num, (long long)(rel_ts_ns / 1000000000),
	    (long long)(rel_ts_ns % 1000000000 / 1000),
	    v6 ? "[" : "", src, v6 ? "]" : "", t->sport,
	    v6 ? "[" : "", dst, v6 ? "]" : "", t->dport, flags, v->seq);
	if (t->flags & WIRE_TH_ACK)
		put(buf, cap, &len, " ack %u", v->ack);
	put(buf, cap, &len, " win %u", t->win);
	if (t->flags & WIRE_TH_URG)
		put(buf, cap, &len, " urg %u", t->urp);
	put(buf, cap, &len, " len %u", t->payload_len);
	pkt_text_options(t, v, opts, sizeof(opts));
	if (opts[0])
		put(buf, cap, &len, " %s", opts);
	put(buf, cap, &len, " csum %s", pkt_text_csum(p->tcp_csum));
	if (p->tcp_csum == WIRE_CSUM_BAD || p->tcp_csum == WIRE_CSUM_PARTIAL)
		put(buf, cap, &len, " 0x%04x", t->csum);
}
