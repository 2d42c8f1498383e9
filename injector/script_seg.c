/* script_seg: the `send` and `expect` mappings, numbers (values, ranges,
 * any, absent), durations and flag letters. Options: script_opt.c. */
#include "script_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define MAX_PAYLOAD 65535u
#define MAX_DURATION_MS (3600u * 1000u)

void script_seg_init(struct script_seg *seg)
{
	memset(seg, 0, sizeof(*seg));
	seg->doff = -1;
	seg->reserved = -1;
	seg->truncate = -1;
	for (size_t i = 0; i < SCRIPT_MAX_OPTS; i++)
		seg->opts[i].len_override = -1;
}

void script_seg_free(struct script_seg *seg)
{
	free(seg->data);
	seg->data = NULL;
}

/* --- numbers --- */

struct script_num script_num_value(uint32_t v)
{
	struct script_num n = { .k = SNUM_VALUE };

	n.lo.v = n.hi.v = v;
	return n;
}

static bool signed_part(const char *s, size_t len, uint64_t max, bool sgn,
			int64_t *out)
{
	uint64_t v;

	if (sgn && len > 1 && s[0] == '-') {
		if (!script_parse_uint(s + 1, len - 1, 1ull << 31, &v))
			return false;
		*out = -(int64_t)v;
		return true;
	}
	if (!script_parse_uint(s, len, max, &v))
		return false;
	*out = (int64_t)v;
	return true;
}

/* One number: a literal or an expression. 0, 1 (not a number), or an error. */
static int num_part(const struct script_ctx *c, const yaml_node_t *n,
		    const char *what, const char *s, size_t len, uint64_t max,
		    unsigned ok, struct script_expr *e, int64_t *cval)
{
	if (script_has_dollar(s, len))
		return script_expr_text(c, n, what, s, len, max,
					((ok & SNUM_OK_SIGNED) ? SEXPR_SIGNED : 0) |
					((ok & SNUM_OK_STATIC) ? SEXPR_STATIC : 0), e, cval);
	if (!signed_part(s, len, max, ok & SNUM_OK_SIGNED, cval))
		return 1;
	e->v = (uint32_t)*cval;
	e->ref = NULL;
	return 0;
}

static int range_parts(const struct script_ctx *c, const yaml_node_t *n,
		       const char *what, const char *s1, size_t l1,
		       const char *s2, size_t l2, uint64_t max, unsigned ok,
		       struct script_num *out)
{
	struct script_num r = { .k = SNUM_RANGE };
	int64_t lo, hi;
	int rv;

	if ((rv = num_part(c, n, what, s1, l1, max, ok, &r.lo, &lo)) ||
	    (rv = num_part(c, n, what, s2, l2, max, ok, &r.hi, &hi)))
		return rv;
	/* a range of constants must be in order; with variables only the
	 * run time knows */
	if (!r.lo.ref && !r.hi.ref && lo > hi)
		return 1;
	*out = r;
	return 0;
}

int script_num_text(const struct script_ctx *c, const yaml_node_t *n,
		    const char *what, const char *s, size_t len, uint64_t max,
		    unsigned ok, struct script_num *out)
{
	struct script_num v = { .k = SNUM_VALUE };
	int64_t cv;
	int rv;

	if ((ok & SNUM_OK_MATCH) && len == 3 && !memcmp(s, "any", 3)) {
		*out = (struct script_num){ .k = SNUM_ANY };
		return 0;
	}
	if ((ok & SNUM_OK_ABSENT) && len == 6 && !memcmp(s, "absent", 6)) {
		*out = (struct script_num){ .k = SNUM_ABSENT };
		return 0;
	}
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '.' || s[i + 1] != '.')
			continue;
		if (!(ok & SNUM_OK_MATCH))
			return 1;
		return range_parts(c, n, what, s, i, s + i + 2, len - i - 2, max, ok, out);
	}
	rv = num_part(c, n, what, s, len, max, ok, &v.lo, &cv);
	if (rv)
		return rv;
	v.hi = v.lo;
	*out = v;
	return 0;
}

static void num_expected(char *buf, size_t cap, uint64_t max, unsigned ok)
{
	char base[48];

	if (ok & SNUM_OK_SIGNED)
		snprintf(base, sizeof(base), "a number (negative allowed)");
	else
		snprintf(base, sizeof(base), "a number 0..%llu",
			 (unsigned long long)max);
	if ((ok & SNUM_OK_MATCH) && (ok & SNUM_OK_ABSENT))
		snprintf(buf, cap, "%s, a range lo..hi, any or absent", base);
	else if (ok & SNUM_OK_MATCH)
		snprintf(buf, cap, "%s, a range lo..hi, [lo, hi] or any", base);
	else
		snprintf(buf, cap, "%s", base);
}

int script_ynum(const struct script_ctx *c, const yaml_node_t *n,
		const char *what, uint64_t max, unsigned ok,
		struct script_num *out)
{
	char exp[128], b[64];
	int rv;

	if (n && n->type == YAML_SCALAR_NODE && !script_ynull(n)) {
		rv = script_num_text(c, n, what, (const char *)n->data.scalar.value,
				     n->data.scalar.length, max, ok, out);
		if (rv <= 0)
			return rv;
	}
	if (n && n->type == YAML_SEQUENCE_NODE && (ok & SNUM_OK_MATCH) &&
	    script_ylen(n) == 2) {
		const yaml_node_t *a = script_ynode(c, n->data.sequence.items.start[0]);
		const yaml_node_t *z = script_ynode(c, n->data.sequence.items.start[1]);

		if (a->type == YAML_SCALAR_NODE && z->type == YAML_SCALAR_NODE) {
			rv = range_parts(c, a, what, (const char *)a->data.scalar.value,
					 a->data.scalar.length,
					 (const char *)z->data.scalar.value,
					 z->data.scalar.length, max, ok, out);
			if (rv <= 0)
				return rv;
		}
	}
	num_expected(exp, sizeof(exp), max, ok);
	if (!(ok & SNUM_OK_MATCH) && n && n->type == YAML_SCALAR_NODE &&
	    script_num_text(c, n, what, (const char *)n->data.scalar.value, n->data.scalar.length,
			    UINT32_MAX, SNUM_OK_MATCH | (ok & SNUM_OK_SIGNED),
			    &(struct script_num){ 0 }) == 0)
		return script_yerr(c, n, "expected %s for %s but found %s (ranges and any are for expect)",
				   exp, what, script_ydescribe(n, b, sizeof(b)));
	return script_yerr(c, n, "expected %s for %s but found %s", exp, what,
			   script_ydescribe(n, b, sizeof(b)));
}

/* --- durations --- */

bool script_duration_text(const char *s, uint64_t *us)
{
	uint64_t ip = 0, frac = 0, scale = 1, unit_us, v;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		ip = ip * 10 + (uint64_t)(*p - '0');
		if (ip > 1000000000ull)
			return false;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale >= 1000000000ull)
				return false;
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	}
	if (!strcmp(p, "us"))
		unit_us = 1;
	else if (!strcmp(p, "ms"))
		unit_us = 1000;
	else if (!strcmp(p, "s"))
		unit_us = 1000000;
	else
		return false;
	/* round up: a deadline shorter than written would be a false failure */
	v = ip * unit_us + (frac * unit_us + scale - 1) / scale;
	if (v == 0 || v > MAX_DURATION_MS * 1000ull)
		return false;
	*us = v;
	return true;
}

int script_parse_duration(const struct script_ctx *c, const yaml_node_t *n,
			  const char *what, uint32_t *ms)
{
	uint64_t us;
	int rv = script_parse_duration_us(c, n, what, &us);

	if (!rv)
		*ms = (uint32_t)((us + 999) / 1000);
	return rv;
}

/* --- flags --- */

int script_flags_parse(const char *s, uint8_t *flags, size_t *bad)
{
	static const char letters[] = "SFRPAUEC.";
	static const uint8_t bits[] = {
		WIRE_TH_SYN, WIRE_TH_FIN, WIRE_TH_RST, WIRE_TH_PSH, WIRE_TH_ACK,
		WIRE_TH_URG, WIRE_TH_ECE, WIRE_TH_CWR, WIRE_TH_ACK,
	};
	uint8_t f = 0;
	size_t i;

	*bad = 0;
	if (!strcmp(s, "none")) {
		*flags = 0;
		return 0;
	}
	if (!*s)
		return SCRIPT_ERR_SCHEMA;
	for (i = 0; s[i]; i++) {
		const char *l = strchr(letters, s[i]);

		/* a letter given twice ("SS", "A.") is a typo, not a request */
		if (!l || (f & bits[l - letters])) {
			*bad = i;
			return SCRIPT_ERR_SCHEMA;
		}
		f |= bits[l - letters];
	}
	*flags = f;
	return 0;
}

int script_parse_flags(const char *s, uint8_t *flags)
{
	size_t bad;

	if (!s || !flags)
		return SCRIPT_ERR_SCHEMA;
	return script_flags_parse(s, flags, &bad);
}

static int parse_flags_node(const struct script_ctx *c, const yaml_node_t *n,
			    uint8_t *flags)
{
	const char *s;
	size_t bad;
	int rv = script_ytext(c, n, "flags made of S F R P A U E C . (or none)", &s);

	if (rv)
		return rv;
	if (!script_flags_parse(s, flags, &bad))
		return 0;
	if (!*s)
		return script_yerr(c, n, "expected flags made of S F R P A U E C . (or none) but found ''");
	if (strchr("SFRPAUEC.", s[bad]))
		return script_yerr(c, n, "expected each flag once in '%s' but found '%c' again",
				   s, s[bad]);
	return script_yerr(c, n, "expected flags made of S F R P A U E C . (or none) but found '%c' in '%s'",
			   s[bad], s);
}

/* --- the segment --- */

/* seq / ack: relative number, or {abs: N} for a wire value */
static int parse_seqack(const struct script_ctx *c, const yaml_node_t *n,
			const char *what, unsigned ok, struct script_num *num,
			bool *abs)
{
	static const char *const keys[] = { "abs", NULL };
	const yaml_node_t *v;
	int rv;

	if (n->type != YAML_MAPPING_NODE)
		return script_ynum(c, n, what, UINT32_MAX, ok | SNUM_OK_SIGNED, num);
	rv = script_ykeys(c, n, what, keys);
	if (rv)
		return rv;
	*abs = true;
	v = script_yget(c, n, "abs");
	if (!v)
		return script_yerr(c, n, "expected {abs: N} for %s", what);
	return script_ynum(c, v, what, UINT32_MAX, ok, num);
}

static int parse_payload(const struct script_ctx *c, const yaml_node_t *n,
			 bool hex, struct script_seg *seg)
{
	const char *s;
	size_t len;
	int rv;

	if (hex) {
		int got;

		rv = script_ystring(c, n, "hex bytes like \"de ad be ef\" for hex", &s);
		if (rv)
			return rv;
		len = strlen(s) / 2;
		seg->data = malloc(len ? len : 1);
		if (!seg->data)
			return script_nomem(c);
		got = script_parse_hex(s, seg->data, len);
		if (got < 0)
			return script_yerr(c, n, "expected hex bytes like \"de ad be ef\" for hex but found '%s'",
					   s);
		len = (size_t)got;
	} else {
		char b[64];

		if (n->type != YAML_SCALAR_NODE || script_ynull(n))
			return script_yerr(c, n, "expected a string for data but found %s",
					   script_ydescribe(n, b, sizeof(b)));
		/* by length: "\0" escapes are payload bytes too */
		len = n->data.scalar.length;
		seg->data = malloc(len ? len : 1);
		if (!seg->data)
			return script_nomem(c);
		memcpy(seg->data, n->data.scalar.value, len);
	}
	if (len > MAX_PAYLOAD)
		return script_yerr(c, n, "expected at most %u payload bytes but found %zu",
				   MAX_PAYLOAD, len);
	seg->data_set = true;
	seg->data_len = (uint32_t)len;
	return 0;
}

static int parse_bad_ok(const struct script_ctx *c, const yaml_node_t *n,
			const char *what, bool *bad)
{
	const char *s;
	int rv = script_ytext(c, n, "bad or ok", &s);

	if (rv)
		return rv;
	if (strcmp(s, "bad") && strcmp(s, "ok"))
		return script_yerr(c, n, "expected bad or ok for %s but found '%s'",
				   what, s);
	*bad = !strcmp(s, "bad");
	return 0;
}

static const char *const send_keys[] = {
	"flags", "seq", "ack", "win", "urg", "options", "data", "hex", "len",
	"checksum", "ip_checksum", "doff", "reserved", "truncate", "ttl", "tos",
	"ecn", "flow_label", "at", "at_abs", NULL
};
static const char *const expect_keys[] = {
	"flags", "seq", "ack", "win", "urg", "options", "data", "hex", "len",
	"ttl", "tos", "ecn", "flow_label", "within", "at", "at_abs", "tolerance",
	"capture", NULL
};

/* ecn: a codepoint name or 0..3 (expect: also a range or any) */
static int parse_ecn(const struct script_ctx *c, const yaml_node_t *n,
		     unsigned ok, struct script_num *out)
{
	static const char *const names[] = { "not-ect", "ect1", "ect0", "ce" };

	if (n->type == YAML_SCALAR_NODE)
		for (unsigned i = 0; i < 4; i++)
			if (!strcmp((const char *)n->data.scalar.value, names[i])) {
				*out = script_num_value(i);
				return 0;
			}
	if (n->type == YAML_SCALAR_NODE && !script_ynull(n) &&
	    script_num_text(c, n, "ecn", (const char *)n->data.scalar.value,
			    n->data.scalar.length, 3, ok, out) == 0)
		return 0;
	{
		char b[64];

		return script_yerr(c, n, "expected not-ect, ect1, ect0, ce or 0..3%s for ecn but found %s",
				   ok & SNUM_OK_MATCH ? " (or a range, or any)" : "",
				   script_ydescribe(n, b, sizeof(b)));
	}
}

static int parse_key(const struct script_ctx *c, const yaml_node_t *k,
		     const yaml_node_t *v, enum script_step_kind kind,
		     struct script_step *st)
{
	const char *key = (const char *)k->data.scalar.value;
	unsigned ok = kind == SCRIPT_EXPECT ? SNUM_OK_MATCH : 0;
	struct script_seg *seg = &st->seg;
	uint64_t u;
	int rv;

	if (!strcmp(key, "flags")) {
		seg->flags_set = true;
		return parse_flags_node(c, v, &seg->flags);
	}
	if (!strcmp(key, "seq"))
		return parse_seqack(c, v, "seq", ok, &seg->seq, &seg->seq_abs);
	if (!strcmp(key, "ack"))
		return parse_seqack(c, v, "ack", ok, &seg->ack, &seg->ack_abs);
	if (!strcmp(key, "win"))
		return script_ynum(c, v, "win", UINT16_MAX, ok, &seg->win);
	if (!strcmp(key, "urg"))
		return script_ynum(c, v, "urg", UINT16_MAX, ok, &seg->urp);
	if (!strcmp(key, "options"))
		return script_parse_opts(c, v, kind, seg);
	if (!strcmp(key, "data") || !strcmp(key, "hex")) {
		if (seg->data_set)
			return script_yerr(c, k, "expected one of data and hex, not both");
		return parse_payload(c, v, key[0] == 'h', seg);
	}
	if (!strcmp(key, "len"))
		return script_ynum(c, v, "len", MAX_PAYLOAD,
				   kind == SCRIPT_SEND ? SNUM_OK_STATIC : ok, &seg->len);
	if (!strcmp(key, "checksum"))
		return parse_bad_ok(c, v, "checksum", &seg->bad_tcp_csum);
	if (!strcmp(key, "ip_checksum")) {
		if (c->ip_version == 6)
			return script_yerr(c, k, "expected no ip_checksum on an IPv6 target (IPv6 has no header checksum)");
		return parse_bad_ok(c, v, "ip_checksum", &seg->bad_ip_csum);
	}
	if (!strcmp(key, "truncate")) {
		rv = script_yuint(c, v, "truncate (bytes of TCP header to keep)", 60, &u);
		seg->truncate = (int)u;
		return rv;
	}
	if (!strcmp(key, "ecn"))
		return parse_ecn(c, v, ok, &seg->ecn);
	if (!strcmp(key, "capture"))
		return script_parse_capture(c, v, st);
	if (!strcmp(key, "doff") || !strcmp(key, "reserved")) {
		rv = script_yuint(c, v, key, 15, &u);
		if (key[0] == 'd')
			seg->doff = (int)u;
		else
			seg->reserved = (int)u;
		return rv;
	}
	if (!strcmp(key, "ttl"))
		return script_ynum(c, v, "ttl", UINT8_MAX, ok, &seg->ttl);
	if (!strcmp(key, "tos"))
		return script_ynum(c, v, "tos", UINT8_MAX, ok, &seg->tos);
	if (!strcmp(key, "flow_label")) {
		if (c->ip_version != 6)
			return script_yerr(c, k, "expected flow_label only on an IPv6 target (target: {ip: 6})");
		return script_ynum(c, v, "flow_label", 0xFFFFF, ok, &seg->flow_label);
	}
	if (!strcmp(key, "within") || !strcmp(key, "at") || !strcmp(key, "at_abs") ||
	    !strcmp(key, "tolerance"))
		return script_parse_timing(c, k, v, st);
	return script_yerr(c, k, "internal: unhandled key '%s'", key);
}

/* send: len N without data sends N generated bytes, "abc...z" repeating,
 * printable so captures stay readable. */
static int generate_payload(const struct script_ctx *c, const yaml_node_t *n,
			    struct script_seg *seg)
{
	if (seg->data_set)
		return script_yerr(c, n, "expected either data/hex or len in send, not both");
	seg->data = malloc(seg->len.lo.v ? seg->len.lo.v : 1);
	if (!seg->data)
		return script_nomem(c);
	for (uint32_t i = 0; i < seg->len.lo.v; i++)
		seg->data[i] = (uint8_t)('a' + i % 26);
	seg->data_len = seg->len.lo.v;
	seg->data_set = true;
	return 0;
}

int script_parse_seg(const struct script_ctx *c, const yaml_node_t *n,
		     enum script_step_kind kind, struct script_step *st)
{
	const char *where = kind == SCRIPT_SEND ? "send" : "expect";
	struct script_seg *seg = &st->seg;
	yaml_node_pair_t *p;
	int rv;

	script_seg_init(seg);
	st->within_ms = 0;
	rv = script_ykeys(c, n, where, kind == SCRIPT_SEND ? send_keys : expect_keys);
	if (rv)
		return rv;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		rv = parse_key(c, script_ynode(c, p->key), script_ynode(c, p->value),
			       kind, st);
		if (rv)
			return rv;
	}
	if (st->tol.set && st->timing == SCRIPT_AT_NOW)
		return script_yerr(c, script_yget(c, n, "tolerance"),
				   "expected at or at_abs with tolerance (a tolerance is around an arrival time)");
	if (kind != SCRIPT_SEND) {
		if (!st->within_ms && st->timing == SCRIPT_AT_NOW)
			st->within_ms = 1000;
		return 0;
	}
	if (seg->len.k == SNUM_VALUE) {
		rv = generate_payload(c, script_yget(c, n, "len"), seg);
		if (rv)
			return rv;
	}
	if (!seg->flags_set)
		return script_yerr(c, n, "expected flags in send (e.g. flags: S)");
	if ((seg->flags & WIRE_TH_ACK) && seg->ack.k == SNUM_UNSET)
		return script_yerr(c, n, "expected ack in a send with the ACK flag (e.g. ack: 1, or ack: {abs: N})");
	return 0;
}
