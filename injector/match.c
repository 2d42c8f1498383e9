/* match: script segment <-> wire. Sequence numbers in scripts are relative
 * (mod 2^32): seq to the sender's ISN, ack and SACK blocks to the
 * receiver's. Diffs are written in the script's own syntax so a failure
 * reads like the line that should have matched. */
#include "match.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define IPPROTO_TCP_NUM 6
#define DEFAULT_TTL 64
#define DEFAULT_WIN 65535

static uint32_t num_or(const struct script_num *n, uint32_t dflt)
{
	return n->k == SNUM_VALUE ? n->lo.v : dflt;
}

static bool exp_fastopen(const uint8_t *v, size_t len)
{
	return len >= 2 && (v[0] << 8 | v[1]) == WIRE_TFO_EXP_MAGIC;
}

/* Known kinds go into the typed fields wire_emit reads; the others (and
 * kind 254, which may be anything) carry their value bytes in data. */
static void put_opt(const struct script_opt *o, const uint8_t *raw,
		    const struct match_flow *f, struct wire_tcp *t)
{
	struct wire_tcp_opt *w = &t->opts[t->n_opts++];
	uint32_t sack_base = f->target_isn_known ? f->target_isn : 0;

	w->kind = o->kind;
	w->len = script_opt_natural_len(o);
	switch (o->kind) {
	case WIRE_TCPOPT_EOL:
		t->has_eol = true;
		break;
	case WIRE_TCPOPT_NOP:
		break;
	case WIRE_TCPOPT_MSS:
		t->has_mss = true;
		t->mss = (uint16_t)o->a.lo.v;
		break;
	case WIRE_TCPOPT_WSCALE:
		t->has_ws = true;
		t->ws = (uint8_t)o->a.lo.v;
		break;
	case WIRE_TCPOPT_SACK_OK:
		t->sack_ok = true;
		break;
	case WIRE_TCPOPT_SACK:
		t->n_sack = o->n_sack;
		for (uint8_t i = 0; i < o->n_sack && i < WIRE_MAX_SACK; i++) {
			t->sack[i].left = sack_base + o->sack[i][0].v;
			t->sack[i].right = sack_base + o->sack[i][1].v;
		}
		break;
	case WIRE_TCPOPT_TS:
		t->has_ts = true;
		t->tsval = o->a.lo.v + f->tester_ts_offset;
		t->tsecr = o->b.lo.v;
		break;
	case WIRE_TCPOPT_MD5:
		t->has_md5 = true;
		memcpy(t->md5, o->raw, sizeof(t->md5));
		break;
	case WIRE_TCPOPT_FASTOPEN:
		t->has_fastopen = true;
		t->fo_exp = false;
		t->fo_cookie_len = o->raw_len > 16 ? 16 : o->raw_len;
		memcpy(t->fo_cookie, o->raw, t->fo_cookie_len);
		break;
	default:
		w->data = o->raw_len ? raw : NULL;
		if (o->kind == WIRE_TCPOPT_EXP && exp_fastopen(o->raw, o->raw_len)) {
			t->has_fastopen = true;
			t->fo_exp = true;
			t->fo_cookie_len = (uint8_t)(o->raw_len - 2 > 16 ? 16 : o->raw_len - 2);
			memcpy(t->fo_cookie, o->raw + 2, t->fo_cookie_len);
		}
		break;
	}
	if (o->len_override >= 0)
		w->len = (uint8_t)o->len_override;
}

int match_build_send(const struct script_seg *orig, const struct script_vars *vars,
		     const struct match_flow *f, struct wire_pkt *pkt,
		     unsigned *emit_flags)
{
	struct script_seg resolved, *seg = &resolved;
	struct wire_tcp *t;
	unsigned opt_bytes = 0;
	uint8_t alen;

	if (!orig || !f || !pkt || !emit_flags ||
	    (f->ip_version != 4 && f->ip_version != 6))
		return WIRE_ERR_INVAL;
	if (script_seg_resolve(orig, vars, &resolved, NULL))
		return MATCH_ERR_VAR;
	memset(pkt, 0, sizeof(*pkt));
	alen = f->ip_version == 4 ? 4 : 16;
	*emit_flags = 0;

	pkt->link = WIRE_LINK_ETHERNET;
	memcpy(pkt->l2.src, f->tester_mac, 6);
	memcpy(pkt->l2.dst, f->target_mac, 6);
	pkt->l2.ethertype = f->ip_version == 4 ? WIRE_ETHERTYPE_IPV4 : WIRE_ETHERTYPE_IPV6;
	pkt->l2.hdr_len = 14;

	pkt->has_ip = true;
	pkt->ip.version = f->ip_version;
	pkt->ip.hdr_len = f->ip_version == 4 ? 20 : 40;
	pkt->ip.tos = (uint8_t)num_or(&seg->tos, 0);
	if (seg->ecn.k == SNUM_VALUE)
		pkt->ip.tos = (uint8_t)((pkt->ip.tos & ~3u) | (seg->ecn.lo.v & 3u));
	pkt->ip.ttl = (uint8_t)num_or(&seg->ttl, DEFAULT_TTL);
	pkt->ip.flow_label = f->ip_version == 6 ? num_or(&seg->flow_label, 0) & 0xFFFFF : 0;
	pkt->ip.df = f->ip_version == 4;
	pkt->ip.ip_csum_ok = true;
	pkt->ip.proto = IPPROTO_TCP_NUM;
	memcpy(pkt->ip.src, f->tester_addr, alen);
	memcpy(pkt->ip.dst, f->target_addr, alen);
	memcpy(pkt->ip.csum_src, f->tester_addr, alen);
	memcpy(pkt->ip.csum_dst, f->target_addr, alen);

	pkt->has_tcp = true;
	t = &pkt->tcp;
	t->sport = f->tester_port;
	t->dport = f->target_port;
	t->seq = seg->seq_abs ? seg->seq.lo.v : f->tester_isn + num_or(&seg->seq, 0);
	if (seg->ack.k == SNUM_UNSET)
		t->ack = 0;
	else if (seg->ack_abs || !f->target_isn_known)
		t->ack = seg->ack.lo.v; /* no ISN to add yet: the number is the wire value */
	else
		t->ack = f->target_isn + seg->ack.lo.v;
	t->flags = seg->flags;
	t->win = (uint16_t)num_or(&seg->win, DEFAULT_WIN);
	t->urp = (uint16_t)num_or(&seg->urp, 0);
	t->reserved = seg->reserved >= 0 ? (uint8_t)(seg->reserved & 0xF) : 0;

	for (uint8_t i = 0; i < seg->n_opts && i < WIRE_MAX_TCP_OPTS; i++)
		put_opt(&seg->opts[i], orig->opts[i].raw, f, t);
	opt_bytes = (unsigned)wire_tcp_opts_len(t);
	t->doff = (uint8_t)((20 + ((opt_bytes + 3) & ~3u)) / 4);
	if (seg->doff >= 0) {
		t->doff = (uint8_t)seg->doff;
		*emit_flags |= WIRE_EMIT_KEEP_DOFF;
	}
	if (seg->data_set) {
		t->payload = orig->data;
		t->payload_len = t->payload_caplen = seg->data_len;
	}
	pkt->tcp_csum = WIRE_CSUM_OK;
	pkt->ip.l4_len = 20 + ((opt_bytes + 3) & ~3u) + t->payload_len;
	pkt->wirelen = pkt->caplen = 14u + pkt->ip.hdr_len + pkt->ip.l4_len;

	if (seg->bad_tcp_csum)
		*emit_flags |= WIRE_EMIT_BAD_TCP_CSUM;
	if (seg->bad_ip_csum && f->ip_version == 4)
		*emit_flags |= WIRE_EMIT_BAD_IP_CSUM;
	return 0;
}

size_t match_truncate_len(const struct script_seg *seg, const struct wire_pkt *pkt,
			  size_t len)
{
	size_t keep;

	if (!seg || !pkt || seg->truncate < 0)
		return len;
	keep = (size_t)pkt->l2.hdr_len + pkt->ip.hdr_len + (size_t)seg->truncate;
	return keep < len ? keep : len;
}

bool match_is_from_target(const struct match_flow *f, const struct wire_pkt *pkt)
{
	size_t alen = f->ip_version == 4 ? 4 : 16;

	return pkt->has_ip && pkt->has_tcp && pkt->ip.version == f->ip_version &&
	       pkt->ip.proto == IPPROTO_TCP_NUM &&
	       !memcmp(pkt->ip.src, f->target_addr, alen) &&
	       !memcmp(pkt->ip.dst, f->tester_addr, alen) &&
	       pkt->tcp.sport == f->target_port && pkt->tcp.dport == f->tester_port;
}

/* --- comparing --- */

static void add_diff(struct match_diff *diff, const char *field,
		     const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_diff(struct match_diff *diff, const char *field,
		     const char *expected, const char *fmt, ...)
{
	va_list ap;

	if (diff->n >= MATCH_MAX_DIFFS)
		return;
	snprintf(diff->d[diff->n].field, sizeof(diff->d[0].field), "%s", field);
	snprintf(diff->d[diff->n].expected, sizeof(diff->d[0].expected), "%s", expected);
	va_start(ap, fmt);
	vsnprintf(diff->d[diff->n].observed, sizeof(diff->d[0].observed), fmt, ap);
	va_end(ap);
	diff->n++;
}

static bool checked(const struct script_num *n)
{
	return n->k != SNUM_UNSET && n->k != SNUM_ANY;
}

/* wrap: a range over sequence space, compared mod 2^32 */
static bool num_ok(const struct script_num *n, uint32_t v, bool wrap)
{
	switch (n->k) {
	case SNUM_UNSET:
	case SNUM_ANY: return true;
	case SNUM_VALUE: return v == n->lo.v;
	case SNUM_RANGE: return wrap ? v - n->lo.v <= n->hi.v - n->lo.v :
				       v >= n->lo.v && v <= n->hi.v;
	case SNUM_ABSENT: return false;
	}
	return false;
}

/* Relative sequence numbers print signed: -1 reads better than 4294967295. */
static void num_text(const struct script_num *n, bool sgn, char *buf, size_t cap)
{
	long long lo = sgn ? (int32_t)n->lo.v : (long long)n->lo.v;
	long long hi = sgn ? (int32_t)n->hi.v : (long long)n->hi.v;

	switch (n->k) {
	case SNUM_VALUE:
		snprintf(buf, cap, "%lld", lo);
		break;
	case SNUM_RANGE:
		snprintf(buf, cap, "%lld..%lld", lo, hi);
		break;
	case SNUM_ABSENT:
		snprintf(buf, cap, "absent");
		break;
	default:
		snprintf(buf, cap, "any");
		break;
	}
}

static void check_num(struct match_diff *diff, const char *field,
		      const struct script_num *n, uint32_t v)
{
	char e[32];

	if (num_ok(n, v, false))
		return;
	num_text(n, false, e, sizeof(e));
	add_diff(diff, field, e, "%" PRIu32, v);
}

/* seq/ack: relative to base unless the script wrote {abs: N} or the base
 * is not known yet, then the wire value. */
static void check_seq(struct match_diff *diff, const char *field,
		      const struct script_num *n, bool abs, bool known,
		      uint32_t base, uint32_t v)
{
	char e[64];
	bool rel = !abs && known;
	uint32_t x = rel ? v - base : v;

	if (num_ok(n, x, true))
		return;
	num_text(n, rel, e, sizeof(e));
	if (rel && n->k == SNUM_VALUE) {
		size_t l = strlen(e);

		snprintf(e + l, sizeof(e) - l, " (abs %" PRIu32 ")", base + n->lo.v);
	}
	if (rel)
		add_diff(diff, field, e, "%" PRId32 " (abs %" PRIu32 ")", (int32_t)x, v);
	else
		add_diff(diff, field, e, "%" PRIu32, v);
}

/* A short, readable preview of payload bytes from offset `from`. */
static void bytes_text(const uint8_t *p, uint32_t len, uint32_t from,
		       char *buf, size_t cap)
{
	size_t off = 0;
	bool printable = true;

	buf[0] = '\0';
	if (from)
		off = (size_t)snprintf(buf, cap, "@%" PRIu32 " ", from);
	if (off >= cap)
		return;
	for (uint32_t i = from; i < len && i < from + 24; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '"')
			printable = false;
	if (from >= len) {
		snprintf(buf + off, cap - off, "(none)");
		return;
	}
	if (printable) {
		uint32_t n = len - from > 24 ? 20 : len - from;

		snprintf(buf + off, cap - off, "\"%.*s\"%s", (int)n,
			 (const char *)p + from, n < len - from ? "..." : "");
		return;
	}
	for (uint32_t i = from; i < len && off + 4 < cap; i++) {
		if (i - from == 12 && i + 1 < len) {
			snprintf(buf + off, cap - off, "...");
			return;
		}
		off += (size_t)snprintf(buf + off, cap - off, "%s%02x",
					i > from ? " " : "", p[i]);
	}
}

static void check_data(struct match_diff *diff, const struct script_seg *seg,
		       const struct wire_tcp *t)
{
	const uint8_t *p = t->payload;
	uint32_t cap = t->payload_caplen < t->payload_len ? t->payload_caplen : t->payload_len;
	char e[64], o[64];
	uint32_t i;

	if (!p)
		cap = 0;
	if (t->payload_len != seg->data_len) {
		size_t l;

		bytes_text(seg->data, seg->data_len, 0, e, sizeof(e) - 16);
		l = strlen(e);
		snprintf(e + l, sizeof(e) - l, " (%" PRIu32 " bytes)", seg->data_len);
		bytes_text(p, cap, 0, o, sizeof(o) - 16);
		add_diff(diff, "data", e, "%s (%" PRIu32 " bytes)",
			 t->payload_len ? o : "(none)", t->payload_len);
		return;
	}
	for (i = 0; i < cap && p[i] == seg->data[i]; i++)
		;
	if (i == seg->data_len)
		return;
	if (i == cap) {
		bytes_text(seg->data, seg->data_len, i, e, sizeof(e));
		add_diff(diff, "data", e, "only %" PRIu32 " bytes captured", cap);
		return;
	}
	bytes_text(seg->data, seg->data_len, i, e, sizeof(e));
	bytes_text(p, cap, i, o, sizeof(o));
	add_diff(diff, "data", e, "%s", o);
}

/* --- options --- */

/* An observed option, normalised like a script option. */
struct oopt {
	uint8_t kind;
	uint8_t len;                       /* its length byte */
	bool malformed;                    /* a length the kind cannot have */
	uint32_t a, b;
	uint8_t n_sack;
	uint32_t sack[WIRE_MAX_SACK][2];   /* relative to the tester's ISN */
	uint8_t raw_len;
	uint8_t raw[40];
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool len_ok(uint8_t kind, uint8_t len)
{
	switch (kind) {
	case WIRE_TCPOPT_MSS: return len == 4;
	case WIRE_TCPOPT_WSCALE: return len == 3;
	case WIRE_TCPOPT_SACK_OK: return len == 2;
	case WIRE_TCPOPT_TS: return len == 10;
	case WIRE_TCPOPT_MD5: return len == 18;
	case WIRE_TCPOPT_SACK: return len >= 10 && (len - 2) % 8 == 0 &&
				      (len - 2) / 8 <= WIRE_MAX_SACK;
	default: return len >= 2;
	}
}

/* The entry's own bytes when the decoder left them (exact even when an
 * option repeats); else the typed fields (a hand-built packet). */
static void observe(const struct wire_tcp *t, uint8_t i, uint32_t sack_base,
		    uint32_t ts_offset, struct oopt *o)
{
	const struct wire_tcp_opt *w = &t->opts[i];
	const uint8_t *v = w->data;
	uint8_t n;

	memset(o, 0, sizeof(*o));
	o->kind = w->kind;
	o->len = w->len;
	if (w->kind == WIRE_TCPOPT_EOL || w->kind == WIRE_TCPOPT_NOP)
		return;
	o->malformed = !len_ok(w->kind, w->len);
	if (v && w->len > 2) {
		o->raw_len = (uint8_t)(w->len - 2u > 40 ? 40 : w->len - 2u);
		memcpy(o->raw, v, o->raw_len);
		if (o->malformed)
			return;
		switch (w->kind) {
		case WIRE_TCPOPT_MSS: o->a = (uint32_t)v[0] << 8 | v[1]; break;
		case WIRE_TCPOPT_WSCALE: o->a = v[0]; break;
		case WIRE_TCPOPT_TS: o->a = be32(v); o->b = be32(v + 4) - ts_offset; break;
		case WIRE_TCPOPT_SACK:
			o->n_sack = (uint8_t)((w->len - 2) / 8);
			for (uint8_t k = 0; k < o->n_sack; k++) {
				o->sack[k][0] = be32(v + 8 * k) - sack_base;
				o->sack[k][1] = be32(v + 8 * k + 4) - sack_base;
			}
			break;
		}
		return;
	}
	switch (w->kind) {
	case WIRE_TCPOPT_MSS: o->a = t->mss; break;
	case WIRE_TCPOPT_WSCALE: o->a = t->ws; break;
	case WIRE_TCPOPT_TS: o->a = t->tsval; o->b = t->tsecr - ts_offset; break;
	case WIRE_TCPOPT_SACK:
		o->n_sack = t->n_sack > WIRE_MAX_SACK ? WIRE_MAX_SACK : t->n_sack;
		for (uint8_t k = 0; k < o->n_sack; k++) {
			o->sack[k][0] = t->sack[k].left - sack_base;
			o->sack[k][1] = t->sack[k].right - sack_base;
		}
		break;
	case WIRE_TCPOPT_MD5:
		o->raw_len = 16;
		memcpy(o->raw, t->md5, 16);
		break;
	case WIRE_TCPOPT_FASTOPEN:
		o->raw_len = t->fo_cookie_len > 16 ? 16 : t->fo_cookie_len;
		memcpy(o->raw, t->fo_cookie, o->raw_len);
		break;
	case WIRE_TCPOPT_EXP:
		if (t->has_fastopen && t->fo_exp) {
			n = t->fo_cookie_len > 16 ? 16 : t->fo_cookie_len;
			o->raw[0] = WIRE_TFO_EXP_MAGIC >> 8;
			o->raw[1] = WIRE_TFO_EXP_MAGIC & 0xff;
			o->raw_len = (uint8_t)(2 + n);
			memcpy(o->raw + 2, t->fo_cookie, n);
		}
		break;
	}
}

static void opt_name(uint8_t kind, const uint8_t *raw, uint8_t raw_len,
		     char *buf, size_t cap)
{
	static const char *const names[] = {
		[WIRE_TCPOPT_EOL] = "eol", [WIRE_TCPOPT_NOP] = "nop",
		[WIRE_TCPOPT_MSS] = "mss", [WIRE_TCPOPT_WSCALE] = "wscale",
		[WIRE_TCPOPT_SACK_OK] = "sackOK", [WIRE_TCPOPT_SACK] = "sack",
		[WIRE_TCPOPT_TS] = "ts", [WIRE_TCPOPT_MD5] = "md5",
		[WIRE_TCPOPT_FASTOPEN] = "fastopen",
	};

	if (kind < sizeof(names) / sizeof(names[0]) && names[kind])
		snprintf(buf, cap, "%s", names[kind]);
	else if (kind == WIRE_TCPOPT_EXP && exp_fastopen(raw, raw_len))
		snprintf(buf, cap, "exp-fastopen");
	else
		snprintf(buf, cap, "kind %u", kind);
}

static void hex_text(const uint8_t *p, uint8_t len, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint8_t i = 0; i < len && off + 3 < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%02x", p[i]);
}

/* Value part of an option in script syntax ("" for presence-only kinds). */
static void value_text(uint8_t kind, const struct script_num *a,
		       const struct script_num *b, uint8_t n_sack,
		       const uint32_t (*sack)[2], const uint8_t *raw,
		       uint8_t raw_len, char *buf, size_t cap)
{
	char x[32], y[32];
	size_t off = 0;
	uint8_t skip;

	buf[0] = '\0';
	if (a->k == SNUM_ANY && (kind == WIRE_TCPOPT_EOL || kind == WIRE_TCPOPT_SACK_OK)) {
		snprintf(buf, cap, "present");
		return;
	}
	if (a->k == SNUM_ANY || a->k == SNUM_ABSENT) {
		if (kind != WIRE_TCPOPT_TS || a->k == SNUM_ABSENT) {
			num_text(a, false, buf, cap);
			return;
		}
	}
	switch (kind) {
	case WIRE_TCPOPT_EOL:
	case WIRE_TCPOPT_NOP:
	case WIRE_TCPOPT_SACK_OK:
		return;
	case WIRE_TCPOPT_MSS:
	case WIRE_TCPOPT_WSCALE:
		num_text(a, false, buf, cap);
		return;
	case WIRE_TCPOPT_TS:
		num_text(a, false, x, sizeof(x));
		num_text(b, false, y, sizeof(y));
		snprintf(buf, cap, "%s %s", x, y);
		return;
	case WIRE_TCPOPT_SACK:
		for (uint8_t i = 0; i < n_sack && off < cap; i++)
			off += (size_t)snprintf(buf + off, cap - off, "%s%" PRIu32 ":%" PRIu32,
						i ? " " : "", sack[i][0], sack[i][1]);
		return;
	default:
		skip = kind == WIRE_TCPOPT_EXP && exp_fastopen(raw, raw_len) ? 2 : 0;
		if (raw_len == skip && (kind == WIRE_TCPOPT_FASTOPEN || skip))
			snprintf(buf, cap, "request");
		else
			hex_text(raw + skip, (uint8_t)(raw_len - skip), buf, cap);
		return;
	}
}

static void script_opt_text(const struct script_opt *o, bool name,
			    char *buf, size_t cap)
{
	uint32_t sack[WIRE_MAX_SACK][2];
	char v[64];
	size_t off = 0;

	for (uint8_t i = 0; i < o->n_sack && i < WIRE_MAX_SACK; i++) {
		sack[i][0] = o->sack[i][0].v;
		sack[i][1] = o->sack[i][1].v;
	}
	if (name)
		opt_name(o->kind, o->raw, o->raw_len, buf, cap);
	else
		buf[0] = '\0';
	off = strlen(buf);
	value_text(o->kind, &o->a, &o->b, o->n_sack, (const uint32_t (*)[2])sack, o->raw,
		   o->raw_len, v, sizeof(v));
	/* text that does not fit is cut; the diff stays readable */
	if (!v[0] && !name)
		snprintf(buf, cap, "present");
	else if (v[0] && off < cap && snprintf(buf + off, cap - off, "%s%s",
						 name ? " " : "", v) < 0)
		buf[off] = '\0';
}

static struct script_num script_num_of(uint32_t v)
{
	struct script_num n = { .k = SNUM_VALUE };

	n.lo.v = n.hi.v = v;
	return n;
}

static void oopt_text(const struct oopt *o, bool name, char *buf, size_t cap)
{
	struct script_num a = script_num_of(o->a), b = script_num_of(o->b);
	char v[64];
	size_t off;

	if (name)
		opt_name(o->kind, o->raw, o->raw_len, buf, cap);
	else
		buf[0] = '\0';
	off = strlen(buf);
	if (o->malformed) {
		snprintf(buf + off, cap - off, "%slen %u (malformed)", name ? " " : "", o->len);
		return;
	}
	value_text(o->kind, &a, &b, o->n_sack, o->sack, o->raw, o->raw_len,
		   v, sizeof(v));
	/* text that does not fit is cut; the diff stays readable */
	if (!v[0] && !name)
		snprintf(buf, cap, "present");
	else if (v[0] && off < cap && snprintf(buf + off, cap - off, "%s%s",
						 name ? " " : "", v) < 0)
		buf[off] = '\0';
}

static bool opt_value_ok(const struct script_opt *e, const struct oopt *o)
{
	if (o->malformed)
		return false;
	switch (e->kind) {
	case WIRE_TCPOPT_EOL:
	case WIRE_TCPOPT_NOP:
	case WIRE_TCPOPT_SACK_OK:
		return true;
	case WIRE_TCPOPT_MSS:
	case WIRE_TCPOPT_WSCALE:
		return num_ok(&e->a, o->a, false);
	case WIRE_TCPOPT_TS:
		return num_ok(&e->a, o->a, false) && num_ok(&e->b, o->b, false);
	case WIRE_TCPOPT_SACK:
		if (e->a.k == SNUM_ANY)
			return true;
		if (e->n_sack != o->n_sack)
			return false;
		for (uint8_t i = 0; i < e->n_sack; i++)
			if (e->sack[i][0].v != o->sack[i][0] || e->sack[i][1].v != o->sack[i][1])
				return false;
		return true;
	default:
		/* any: the value starts with what was given (the Fast Open
		 * magic for exp-fastopen, nothing otherwise) */
		if (e->a.k == SNUM_ANY)
			return o->raw_len >= e->raw_len && !memcmp(e->raw, o->raw, e->raw_len);
		return o->raw_len == e->raw_len && !memcmp(e->raw, o->raw, e->raw_len);
	}
}

static void check_opts_ordered(struct match_diff *diff, const struct script_seg *seg,
			       const struct wire_tcp *t, uint32_t sack_base,
			       uint32_t ts_offset)
{
	uint8_t n_obs = t->n_opts, n;

	/* a final EOL is padding unless the script asks for it */
	if (n_obs && t->opts[n_obs - 1].kind == WIRE_TCPOPT_EOL &&
	    (!seg->n_opts || seg->opts[seg->n_opts - 1].kind != WIRE_TCPOPT_EOL))
		n_obs--;
	n = seg->n_opts > n_obs ? seg->n_opts : n_obs;
	for (uint8_t i = 0; i < n; i++) {
		char field[24], e[64], o[64];
		struct oopt ob;

		snprintf(field, sizeof(field), "options[%u]", i);
		if (i < n_obs)
			observe(t, i, sack_base, ts_offset, &ob);
		if (i < seg->n_opts && i < n_obs &&
		    seg->opts[i].kind == ob.kind && opt_value_ok(&seg->opts[i], &ob))
			continue;
		if (i < seg->n_opts)
			script_opt_text(&seg->opts[i], true, e, sizeof(e));
		else
			snprintf(e, sizeof(e), "none");
		if (i < n_obs)
			oopt_text(&ob, true, o, sizeof(o));
		else
			snprintf(o, sizeof(o), "none");
		add_diff(diff, field, e, "%s", o);
	}
}

static void check_opts_any_order(struct match_diff *diff, const struct script_seg *seg,
				 const struct wire_tcp *t, uint32_t sack_base,
				 uint32_t ts_offset)
{
	for (uint8_t i = 0; i < seg->n_opts; i++) {
		const struct script_opt *e = &seg->opts[i];
		char name[16], field[24], et[64], ot[64];
		struct oopt ob;
		bool found = false;

		for (uint8_t j = 0; j < t->n_opts && !found; j++) {
			if (t->opts[j].kind != e->kind)
				continue;
			observe(t, j, sack_base, ts_offset, &ob);
			/* kind 254 is shared: tell uses apart by their ExID */
			found = e->kind != WIRE_TCPOPT_EXP || e->raw_len < 2 ||
				(ob.raw_len >= 2 && !memcmp(ob.raw, e->raw, 2));
		}
		opt_name(e->kind, e->raw, e->raw_len, name, sizeof(name));
		snprintf(field, sizeof(field), "options.%s", name);
		if (e->a.k == SNUM_ABSENT) {
			if (found) {
				oopt_text(&ob, false, ot, sizeof(ot));
				add_diff(diff, field, "absent", "%s", ot);
			}
			continue;
		}
		if (found && opt_value_ok(e, &ob))
			continue;
		script_opt_text(e, false, et, sizeof(et));
		if (found)
			oopt_text(&ob, false, ot, sizeof(ot));
		add_diff(diff, field, et, "%s", found ? ot : "absent");
	}
}

bool match_expect(const struct script_seg *orig, const struct script_vars *vars,
		  const struct match_flow *f, const struct wire_pkt *pkt,
		  struct match_diff *diff)
{
	const struct wire_tcp *t = &pkt->tcp;
	struct script_seg resolved, *seg = &resolved;
	struct diag d;

	diff->n = 0;
	if (script_seg_resolve(orig, vars, &resolved, &d)) {
		add_diff(diff, "variables", "bound and in range", "%s:%u:%u: %s",
			 d.file, d.line, d.col, d.msg);
		return false;
	}
	if (seg->flags_set && t->flags != seg->flags) {
		char e[12], o[12];

		wire_flags_str(seg->flags, e);
		wire_flags_str(t->flags, o);
		add_diff(diff, "flags", e, "%s", o);
	}
	if (checked(&seg->seq))
		check_seq(diff, "seq", &seg->seq, seg->seq_abs, f->target_isn_known,
			  f->target_isn, t->seq);
	if (checked(&seg->ack))
		check_seq(diff, "ack", &seg->ack, seg->ack_abs, true,
			  f->tester_isn, t->ack);
	check_num(diff, "win", &seg->win, t->win);
	check_num(diff, "urg", &seg->urp, t->urp);
	check_num(diff, "len", &seg->len, t->payload_len);
	if (seg->data_set)
		check_data(diff, seg, t);
	check_num(diff, "ttl", &seg->ttl, pkt->ip.ttl);
	check_num(diff, "tos", &seg->tos, pkt->ip.tos);
	check_num(diff, "ecn", &seg->ecn, pkt->ip.tos & 3u);
	check_num(diff, "flow_label", &seg->flow_label, pkt->ip.flow_label);
	if (seg->opts_set && seg->opts_ordered)
		check_opts_ordered(diff, seg, t, f->tester_isn, f->tester_ts_offset);
	else if (seg->opts_set)
		check_opts_any_order(diff, seg, t, f->tester_isn, f->tester_ts_offset);
	return diff->n == 0;
}

void match_diff_str(const struct match_diff *diff, char *buf, size_t cap)
{
	size_t off = 0;

	if (!cap)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < diff->n && off < cap; i++) {
		int w = snprintf(buf + off, cap - off, "%s%s: expected %s, observed %s",
				 i ? "; " : "", diff->d[i].field,
				 diff->d[i].expected, diff->d[i].observed);

		if (w < 0)
			break;
		off += (size_t)w;
	}
}
