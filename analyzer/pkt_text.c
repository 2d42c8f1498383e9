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
		       const struct track_pkt_info *info, char *buf, size_t cap,
		       size_t *len)
{
	/* the peer's base is what the tracker subtracted from the ack */
	bool rel = info && info->tracked && info->rel_ack_valid && (t->flags & WIRE_TH_ACK);
	uint32_t base = rel ? t->ack - info->rel_ack : 0;

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
				put(buf, cap, len, " {%u:%u}", t->sack[i].left - base,
				    t->sack[i].right - base);
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

void pkt_text_options(const struct wire_tcp *t, const struct track_pkt_info *info,
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
		put_option(t, &t->opts[i], info, buf, cap, &len);
	}
	put(buf, cap, &len, ">");
}

const char *pkt_text_label(uint32_t bit)
{
	switch (bit) {
	case TRACK_L_RETRANS:            return "retransmission";
	case TRACK_L_FAST_RETRANS:       return "fast retransmission";
	case TRACK_L_SPURIOUS:           return "spurious retransmission";
	case TRACK_L_OUT_OF_ORDER:       return "out-of-order";
	case TRACK_L_LOST_SEGMENT:       return "previous segment not captured";
	case TRACK_L_ACK_LOST:           return "acked unseen segment";
	case TRACK_L_DUP_ACK:            return "dup ack";
	case TRACK_L_ZERO_WIN:           return "zero window";
	case TRACK_L_ZERO_WIN_PROBE:     return "zero window probe";
	case TRACK_L_ZERO_WIN_PROBE_ACK: return "zero window probe ack";
	case TRACK_L_WIN_FULL:           return "window full";
	case TRACK_L_WIN_UPDATE:         return "window update";
	case TRACK_L_KEEP_ALIVE:         return "keep-alive";
	case TRACK_L_KEEP_ALIVE_ACK:     return "keep-alive ack";
	case TRACK_L_PORTS_REUSED:       return "ports reused";
	}
	return NULL;
}

void pkt_text_labels(const struct track_pkt_info *info, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	if (!info || !info->tracked)
		return;
	for (uint32_t bit = 1; bit && bit <= info->labels; bit <<= 1) {
		const char *name;

		if (!(info->labels & bit) || !(name = pkt_text_label(bit)))
			continue;
		if (bit == TRACK_L_DUP_ACK)
			put(buf, cap, &len, " [dup ack #%u of %llu]", info->dup_ack_num,
			    (unsigned long long)info->dup_ack_of);
		else
			put(buf, cap, &len, " [%s]", name);
	}
}

void pkt_text_line(uint64_t num, int64_t rel_ts_ns, const struct wire_pkt *p,
		   const struct track_pkt_info *info, char *buf, size_t cap)
{
	const struct wire_tcp *t = &p->tcp;
	bool tracked = info && info->tracked;
	char src[46], dst[46], flags[12], opts[512], labels[256];
	size_t len = 0;
	bool v6 = p->ip.version == 6;

	wire_addr_str(p->ip.version, p->ip.src, src);
	wire_addr_str(p->ip.version, p->ip.dst, dst);
	wire_flags_str(t->flags, flags);
	put(buf, cap, &len, "%llu %lld.%06lld %s%s%s.%u > %s%s%s.%u [%s] seq %u",
	    (unsigned long long)num, (long long)(rel_ts_ns / 1000000000),
	    (long long)(rel_ts_ns % 1000000000 / 1000),
	    v6 ? "[" : "", src, v6 ? "]" : "", t->sport,
	    v6 ? "[" : "", dst, v6 ? "]" : "", t->dport, flags,
	    tracked ? info->rel_seq : t->seq);
	if (t->flags & WIRE_TH_ACK)
		put(buf, cap, &len, " ack %u",
		    tracked && info->rel_ack_valid ? info->rel_ack : t->ack);
	put(buf, cap, &len, " win %u", t->win);
	if (t->flags & WIRE_TH_URG)
		put(buf, cap, &len, " urg %u", t->urp);
	put(buf, cap, &len, " len %u", t->payload_len);
	pkt_text_options(t, info, opts, sizeof(opts));
	if (opts[0])
		put(buf, cap, &len, " %s", opts);
	put(buf, cap, &len, " csum %s", wire_csum_name(p->tcp_csum));
	if (p->tcp_csum == WIRE_CSUM_BAD || p->tcp_csum == WIRE_CSUM_PARTIAL)
		put(buf, cap, &len, " 0x%04x", t->csum);
	if (tracked)
		put(buf, cap, &len, " conn %llu", (unsigned long long)info->conn_id);
	pkt_text_labels(info, labels, sizeof(labels));
	put(buf, cap, &len, "%s", labels);
}
