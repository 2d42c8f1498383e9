/* script_opt: TCP options in `send` and `expect`. A list is an exact
 * sequence (send: what is emitted, in order); an expect mapping names
 * options to check in any order. See docs/yaml.md. */
#include "script_priv.h"

#include <stdio.h>
#include <string.h>

#include "wire.h"

#define MAX_TOKS 12
#define OPT_SPACE 40   /* bytes of options a TCP header can hold */

struct tok {
	const char *s;
	size_t len;
};

static const char names_hint[] =
	"mss, wscale, sackOK, ts, sack, nop, eol, md5, fastopen, exp-fastopen, kind N";

static bool tok_is(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && !memcmp(t->s, s, t->len);
}

static int split(const char *s, struct tok *t)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == MAX_TOKS)
			return -1;
		t[n].s = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		t[n].len = (size_t)(s - t[n].s);
		n++;
	}
}

/* Hex bytes spread over tokens ("0102" or "01 02"), appended at raw_len. */
static bool hex_toks(const struct tok *t, int n, struct script_opt *o, size_t cap)
{
	for (int i = 0; i < n; i++) {
		char buf[96];
		int got;

		if (t[i].len >= sizeof(buf))
			return false;
		memcpy(buf, t[i].s, t[i].len);
		buf[t[i].len] = '\0';
		got = script_parse_hex(buf, o->raw + o->raw_len, cap - o->raw_len);
		if (got < 0)
			return false;
		o->raw_len = (uint8_t)(o->raw_len + got);
	}
	return true;
}

/* "L:R", each side a number or an expression. 0, 1 (malformed) or an error. */
static int sack_block(const struct script_ctx *c, const yaml_node_t *n,
		      const struct tok *t, struct script_expr blk[2])
{
	const char *colon = memchr(t->s, ':', t->len);
	struct script_num l, r;
	int rv;

	if (!colon)
		return 1;
	if ((rv = script_num_text(c, n, "a sack block edge", t->s, (size_t)(colon - t->s),
				  UINT32_MAX, 0, &l)) ||
	    (rv = script_num_text(c, n, "a sack block edge", colon + 1,
				  t->len - (size_t)(colon - t->s) - 1, UINT32_MAX, 0, &r)))
		return rv;
	blk[0] = l.lo;
	blk[1] = r.lo;
	return 0;
}

static int sack_blocks(const struct script_ctx *c, const yaml_node_t *n,
		       const struct tok *t, int cnt, struct script_opt *o)
{
	if (cnt < 1 || cnt > WIRE_MAX_SACK)
		return 1;
	for (int i = 0; i < cnt; i++) {
		int rv = sack_block(c, n, &t[i], o->sack[i]);

		if (rv)
			return rv;
	}
	o->n_sack = (uint8_t)cnt;
	return 0;
}

static int kind_of(const struct tok *t, int *kind)
{
	static const struct { const char *name; int kind; } names[] = {
		{ "eol", WIRE_TCPOPT_EOL }, { "nop", WIRE_TCPOPT_NOP },
		{ "mss", WIRE_TCPOPT_MSS }, { "wscale", WIRE_TCPOPT_WSCALE },
		{ "sackOK", WIRE_TCPOPT_SACK_OK }, { "sack", WIRE_TCPOPT_SACK },
		{ "ts", WIRE_TCPOPT_TS }, { "md5", WIRE_TCPOPT_MD5 },
		{ "fastopen", WIRE_TCPOPT_FASTOPEN },
		{ "exp-fastopen", WIRE_TCPOPT_EXP },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (tok_is(t, names[i].name)) {
			*kind = names[i].kind;
			return 0;
		}
	return -1;
}

/* Kinds written as "kind N" are the ones without a name of their own
 * (254 too: raw experimental options). */
static bool named_kind(uint64_t k)
{
	return k <= 5 || k == 8 || k == 19 || k == 34;
}

static const char *usage(int kind, bool expect)
{
	switch (kind) {
	case WIRE_TCPOPT_EOL: return "eol";
	case WIRE_TCPOPT_NOP: return "nop";
	case WIRE_TCPOPT_SACK_OK: return "sackOK";
	case WIRE_TCPOPT_MSS: return expect ? "mss N|lo..hi|any" : "mss N";
	case WIRE_TCPOPT_WSCALE: return expect ? "wscale N|lo..hi|any" : "wscale N";
	case WIRE_TCPOPT_TS: return expect ? "ts VAL|any ECR|any" : "ts VAL ECR";
	case WIRE_TCPOPT_SACK: return expect ? "sack L:R ... (1 to 4 blocks) or sack any" :
					       "sack L:R ... (1 to 4 blocks)";
	case WIRE_TCPOPT_MD5: return expect ? "md5 [32 hex digits|any]" : "md5 [32 hex digits]";
	case WIRE_TCPOPT_FASTOPEN: return expect ? "fastopen [HEX cookie|any]" : "fastopen [HEX cookie]";
	case WIRE_TCPOPT_EXP: return expect ? "exp-fastopen [HEX cookie|any]" : "exp-fastopen [HEX cookie]";
	default: return expect ? "kind N [hex HEX]" : "kind N [len L] [hex HEX]";
	}
}

/* fastopen, exp-fastopen: nothing = cookie request, HEX = cookie */
static bool cookie(const struct tok *t, int n, bool expect, struct script_opt *o)
{
	if (o->kind == WIRE_TCPOPT_EXP) {
		o->raw[0] = WIRE_TFO_EXP_MAGIC >> 8;
		o->raw[1] = WIRE_TFO_EXP_MAGIC & 0xff;
		o->raw_len = 2;
	}
	if (n == 1 && expect && tok_is(t, "any")) {
		o->a.k = SNUM_ANY;
		return true;
	}
	return hex_toks(t, n, o, o->raw_len + 16u);
}

/* "kind N [len L] [hex HEX]" */
static bool raw_kind(const struct tok *t, int n, bool expect, struct script_opt *o)
{
	uint64_t v;
	int i = 0;

	if (!expect && n >= 2 && tok_is(&t[0], "len")) {
		if (!script_parse_uint(t[1].s, t[1].len, 255, &v))
			return false;
		o->len_override = (int)v;
		i = 2;
	}
	if (i == n) {
		if (expect)
			o->a.k = SNUM_ANY;
	} else if (!tok_is(&t[i], "hex") || i + 1 == n ||
		   !hex_toks(t + i + 1, n - i - 1, o, sizeof(o->raw) - 2)) {
		return false;
	}
	/* len that matches the bytes is no fault */
	if (o->len_override == 2 + o->raw_len)
		o->len_override = -1;
	return true;
}

static int parse_item(const struct script_ctx *c, const yaml_node_t *n,
		      bool expect, struct script_opt *o)
{
	unsigned ok = expect ? SNUM_OK_MATCH : 0;
	struct tok t[MAX_TOKS];
	const char *s;
	int nt, kind, rv;
	uint64_t v;
	bool good;

	rv = script_ystring(c, n, "an option string like \"mss 1460\"", &s);
	if (rv)
		return rv;
	nt = split(s, t);
	if (nt < 1)
		return script_yerr(c, n, "expected an option (%s) but found '%s'",
				   names_hint, s);
	if (tok_is(&t[0], "kind")) {
		if (nt < 2 || !script_parse_uint(t[1].s, t[1].len, 255, &v))
			return script_yerr(c, n, "expected 'kind N' with N in 0..255 but found '%s'",
					   s);
		if (named_kind(v))
			return script_yerr(c, n, "expected a kind without a name in '%s'; kind %llu has one, write it by name (%s)",
					   s, (unsigned long long)v, names_hint);
		o->kind = (uint8_t)v;
		if (!raw_kind(t + 2, nt - 2, expect, o))
			return script_yerr(c, n, "expected '%s' but found '%s'",
					   usage(o->kind, expect), s);
		return 0;
	}
	if (kind_of(&t[0], &kind))
		return script_yerr(c, n, "expected an option (%s) but found '%.*s'",
				   names_hint, (int)t[0].len, t[0].s);
	o->kind = (uint8_t)kind;
	/* send fault: "mss 1460 len 3" emits a wrong length byte */
	if (!expect && nt >= 3 && tok_is(&t[nt - 2], "len")) {
		if (!script_parse_uint(t[nt - 1].s, t[nt - 1].len, 255, &v))
			return script_yerr(c, n, "expected a length byte 0..255 after 'len' in '%s'",
					   s);
		o->len_override = (int)v;
		nt -= 2;
	}
	switch (kind) {
	case WIRE_TCPOPT_EOL:
	case WIRE_TCPOPT_NOP:
	case WIRE_TCPOPT_SACK_OK:
		good = nt == 1;
		break;
	case WIRE_TCPOPT_MSS:
	case WIRE_TCPOPT_WSCALE:
		good = nt == 2;
		if (good && (rv = script_num_text(c, n, kind == WIRE_TCPOPT_MSS ? "mss" : "wscale",
						  t[1].s, t[1].len,
						  kind == WIRE_TCPOPT_MSS ? UINT16_MAX : UINT8_MAX,
						  ok, &o->a)))
			return rv < 0 ? rv :
			       script_yerr(c, n, "expected '%s' with a number 0..%u but found '%s'",
					   usage(kind, expect),
					   kind == WIRE_TCPOPT_MSS ? 65535 : 255, s);
		break;
	case WIRE_TCPOPT_TS:
		good = nt == 3;
		if (good && ((rv = script_num_text(c, n, "ts val", t[1].s, t[1].len,
						   UINT32_MAX, ok, &o->a)) ||
			     (rv = script_num_text(c, n, "ts ecr", t[2].s, t[2].len,
						   UINT32_MAX, ok, &o->b))))
			return rv < 0 ? rv :
			       script_yerr(c, n, "expected '%s' with numbers 0..4294967295 but found '%s'",
					   usage(kind, expect), s);
		break;
	case WIRE_TCPOPT_SACK:
		if (expect && nt == 2 && tok_is(&t[1], "any")) {
			o->a.k = SNUM_ANY;
			good = true;
		} else {
			rv = sack_blocks(c, n, t + 1, nt - 1, o);
			if (rv < 0)
				return rv;
			good = rv == 0;
		}
		break;
	case WIRE_TCPOPT_MD5:
		if (nt == 1) {
			good = true;
			/* send: a zero digest; expect: any digest */
			o->raw_len = expect ? 0 : 16;
			if (expect)
				o->a.k = SNUM_ANY;
		} else if (expect && nt == 2 && tok_is(&t[1], "any")) {
			good = true;
			o->a.k = SNUM_ANY;
		} else {
			good = nt == 2 && hex_toks(t + 1, 1, o, 16) && o->raw_len == 16;
		}
		break;
	default: /* fastopen, exp-fastopen */
		good = cookie(t + 1, nt - 1, expect, o);
		break;
	}
	if (!good)
		return script_yerr(c, n, "expected '%s' but found '%s'",
				   usage(kind, expect), s);
	return 0;
}

uint8_t script_opt_natural_len(const struct script_opt *o)
{
	switch (o->kind) {
	case WIRE_TCPOPT_EOL:
	case WIRE_TCPOPT_NOP: return 1;
	case WIRE_TCPOPT_MSS: return 4;
	case WIRE_TCPOPT_WSCALE: return 3;
	case WIRE_TCPOPT_SACK_OK: return 2;
	case WIRE_TCPOPT_SACK: return (uint8_t)(2 + 8 * o->n_sack);
	case WIRE_TCPOPT_TS: return 10;
	default: return (uint8_t)(2 + o->raw_len);
	}
}

/* Bytes the option takes on the wire: its length byte says how many
 * (wire_emit writes len bytes even when len is a fault, at least 2). */
static unsigned wire_size(const struct script_opt *o)
{
	if (o->len_override >= 0 && o->kind != WIRE_TCPOPT_EOL &&
	    o->kind != WIRE_TCPOPT_NOP)
		return o->len_override < 2 ? 2u : (unsigned)o->len_override;
	return script_opt_natural_len(o);
}

static int parse_list(const struct script_ctx *c, const yaml_node_t *n,
		      bool expect, struct script_seg *seg)
{
	yaml_node_item_t *it;
	unsigned bytes = 0;
	int rv;

	seg->opts_ordered = true;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const yaml_node_t *item = script_ynode(c, *it);
		struct script_opt *o = &seg->opts[seg->n_opts];

		if (seg->n_opts == SCRIPT_MAX_OPTS)
			return script_yerr(c, item, "expected at most %d options in a list",
					   SCRIPT_MAX_OPTS);
		rv = parse_item(c, item, expect, o);
		if (rv)
			return rv;
		seg->n_opts++;
		bytes += wire_size(o);
	}
	if (!expect && bytes > OPT_SPACE)
		return script_yerr(c, n, "expected options that fit in %d bytes but these take %u",
				   OPT_SPACE, bytes);
	return 0;
}

/* Mapping value for a presence-only option (or the any/absent forms). */
static int any_absent(const struct script_ctx *c, const yaml_node_t *v,
		      const char *key, const char *extra, struct script_num *a)
{
	char b[64];

	if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!strcmp((const char *)v->data.scalar.value, "any") ||
	     !strcmp((const char *)v->data.scalar.value, "absent"))) {
		*a = (struct script_num){ .k = v->data.scalar.value[1] == 'n' ? SNUM_ANY :
								      SNUM_ABSENT };
		return 0;
	}
	return script_yerr(c, v, "expected any or absent%s for options.%s but found %s",
			   extra, key, script_ydescribe(v, b, sizeof(b)));
}

static int map_ts(const struct script_ctx *c, const yaml_node_t *v,
		  struct script_opt *o)
{
	static const char *const keys[] = { "val", "ecr", NULL };
	const yaml_node_t *x;
	int rv;

	if (v->type != YAML_MAPPING_NODE) {
		rv = any_absent(c, v, "ts", " or {val: N, ecr: N}", &o->a);
		o->b = o->a;
		return rv;
	}
	rv = script_ykeys(c, v, "options.ts", keys);
	if (rv)
		return rv;
	o->a.k = o->b.k = SNUM_ANY;
	x = script_yget(c, v, "val");
	if (x && (rv = script_ynum(c, x, "ts val", UINT32_MAX, SNUM_OK_MATCH, &o->a)))
		return rv;
	x = script_yget(c, v, "ecr");
	if (x && (rv = script_ynum(c, x, "ts ecr", UINT32_MAX, SNUM_OK_MATCH, &o->b)))
		return rv;
	return 0;
}

/* any, absent, or the text the list form takes after the option name */
static int map_text(const struct script_ctx *c, const yaml_node_t *v,
		    const char *key, struct script_opt *o)
{
	struct tok t[MAX_TOKS] = {0};
	char b[64];
	int nt, rv;
	bool good;

	if (v->type == YAML_SCALAR_NODE && !script_ynull(v) &&
	    (!strcmp((const char *)v->data.scalar.value, "absent") ||
	     !strcmp((const char *)v->data.scalar.value, "any"))) {
		bool absent = !strcmp((const char *)v->data.scalar.value, "absent");

		/* exp-fastopen: only kind 254 options with the Fast Open ExID */
		if (!strcmp(key, "exp-fastopen"))
			cookie(t, 0, true, o);
		o->a.k = absent ? SNUM_ABSENT : SNUM_ANY;
		return 0;
	}
	if (v->type != YAML_SCALAR_NODE || script_ynull(v) ||
	    (nt = split((const char *)v->data.scalar.value, t)) < 0)
		goto bad;
	if (o->kind == WIRE_TCPOPT_SACK) {
		rv = sack_blocks(c, v, t, nt, o);
		if (rv < 0)
			return rv;
		good = rv == 0;
	}
	else if (o->kind == WIRE_TCPOPT_FASTOPEN || !strcmp(key, "exp-fastopen"))
		good = (nt == 1 && tok_is(&t[0], "request")) ? cookie(t, 0, true, o) :
			nt > 0 && cookie(t, nt, true, o);
	else
		good = nt > 0 && hex_toks(t, nt, o, sizeof(o->raw) - 2);
	if (good)
		return 0;
bad:
	return script_yerr(c, v, "expected any, absent or %s for options.%s but found %s",
			   o->kind == WIRE_TCPOPT_SACK ? "blocks \"L:R ...\"" :
			   o->kind == WIRE_TCPOPT_FASTOPEN || !strcmp(key, "exp-fastopen") ?
			   "request or a hex cookie" : "hex bytes",
			   key, script_ydescribe(v, b, sizeof(b)));
}

static int map_entry(const struct script_ctx *c, const yaml_node_t *k,
		     const yaml_node_t *v, struct script_opt *o)
{
	const char *key = (const char *)k->data.scalar.value;
	struct tok t[MAX_TOKS];
	uint64_t kv;
	int kind, nt = split(key, t);

	if (nt == 2 && tok_is(&t[0], "kind") &&
	    script_parse_uint(t[1].s, t[1].len, 255, &kv) && !named_kind(kv)) {
		o->kind = (uint8_t)kv;
		return map_text(c, v, key, o);
	}
	if (nt != 1 || kind_of(&t[0], &kind))
		return script_yerr(c, k, "expected an option name (%s) as key in options but found '%s'",
				   names_hint, key);
	o->kind = (uint8_t)kind;
	switch (kind) {
	case WIRE_TCPOPT_NOP:
		return script_yerr(c, k, "expected an option that can be checked in any order; nop can only be checked by position (use the list form)");
	case WIRE_TCPOPT_MSS:
		return script_ynum(c, v, "options.mss", UINT16_MAX,
				   SNUM_OK_MATCH | SNUM_OK_ABSENT, &o->a);
	case WIRE_TCPOPT_WSCALE:
		return script_ynum(c, v, "options.wscale", UINT8_MAX,
				   SNUM_OK_MATCH | SNUM_OK_ABSENT, &o->a);
	case WIRE_TCPOPT_TS:
		return map_ts(c, v, o);
	case WIRE_TCPOPT_EOL:
	case WIRE_TCPOPT_SACK_OK:
	case WIRE_TCPOPT_MD5:
		return any_absent(c, v, key, "", &o->a);
	default: /* sack, fastopen, exp-fastopen */
		return map_text(c, v, key, o);
	}
}

static int parse_map(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_seg *seg)
{
	yaml_node_pair_t *p;
	int rv;

	seg->opts_ordered = false;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(c, p->key);
		struct script_opt *o = &seg->opts[seg->n_opts];
		char b[64];

		if (k->type != YAML_SCALAR_NODE || script_ynull(k))
			return script_yerr(c, k, "expected an option name as key in options but found %s",
					   script_ydescribe(k, b, sizeof(b)));
		if (seg->n_opts == SCRIPT_MAX_OPTS)
			return script_yerr(c, k, "expected at most %d options",
					   SCRIPT_MAX_OPTS);
		rv = map_entry(c, k, script_ynode(c, p->value), o);
		if (rv)
			return rv;
		for (uint8_t i = 0; i < seg->n_opts; i++)
			if (seg->opts[i].kind == o->kind)
				return script_yerr(c, k, "expected each option once in options but found kind %u again",
						   o->kind);
		seg->n_opts++;
	}
	return 0;
}

int script_parse_opts(const struct script_ctx *c, const yaml_node_t *n,
		      enum script_step_kind kind, struct script_seg *seg)
{
	char b[64];

	seg->opts_set = true;
	if (n->type == YAML_SEQUENCE_NODE)
		return parse_list(c, n, kind == SCRIPT_EXPECT, seg);
	if (n->type == YAML_MAPPING_NODE && kind == SCRIPT_EXPECT)
		return parse_map(c, n, seg);
	if (n->type == YAML_MAPPING_NODE)
		return script_yerr(c, n, "expected a list of options in send (the mapping form is for expect)");
	return script_yerr(c, n, "expected a list of options%s but found %s",
			   kind == SCRIPT_EXPECT ? " or a mapping of option: value" : "",
			   script_ydescribe(n, b, sizeof(b)));
}
