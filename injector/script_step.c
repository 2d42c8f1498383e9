/* script_step: step lists and the leaf steps — send, expect, expect_none,
 * wait, capture — with their timing (within, at, at_abs, tolerance).
 * include, repeat, when and steps_by: script_expand.c; app: script_app.c. */
#include "script_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const step_kinds[] = {
	"send", "expect", "expect_none", "wait", "app", "capture", "include",
	"repeat", "steps_by", "when", NULL
};
static const char step_hint[] =
	"send, expect, expect_none, wait, app, capture, include, repeat, steps_by or when";

int script_add_step(const struct script_ctx *c, const yaml_node_t *n,
		    struct script_step **out)
{
	struct script_build *b = c->b;
	struct script_case *k = b->k;
	struct script_step *st;

	if (k->n_steps >= SCRIPT_MAX_STEPS)
		return script_yerr(c, n, "expected at most %d steps in a case after expansion (repeat, include, matrix)",
				   SCRIPT_MAX_STEPS);
	if (k->n_steps == b->steps_cap) {
		size_t nc = b->steps_cap ? b->steps_cap * 2 : 16;
		struct script_step *ns = realloc(k->steps, nc * sizeof(*ns));

		if (!ns)
			return script_nomem(c);
		k->steps = ns;
		b->steps_cap = nc;
	}
	/* counted first so the case's free releases a half-parsed step */
	st = &k->steps[k->n_steps++];
	memset(st, 0, sizeof(*st));
	script_seg_init(&st->seg);
	st->file = c->file;
	st->line = (unsigned)n->start_mark.line + 1;
	st->col = (unsigned)n->start_mark.column + 1;
	st->trace = b->trace;
	*out = st;
	return 0;
}

/* --- durations and timing --- */

static bool zero_text(const char *s)
{
	return !strcmp(s, "0") || !strcmp(s, "0s") || !strcmp(s, "0ms") || !strcmp(s, "0us");
}

static int time_us(const struct script_ctx *c, const yaml_node_t *n,
		   const char *what, bool zero_ok, uint64_t *us)
{
	const char *s = NULL;
	char b[64];

	if (n && n->type == YAML_SCALAR_NODE && !script_ynull(n)) {
		if (script_ytext(c, n, what, &s))
			return SCRIPT_ERR_SCHEMA;
		if (zero_ok && zero_text(s)) {
			*us = 0;
			return 0;
		}
		if (script_duration_text(s, us))
			return 0;
	}
	return script_yerr(c, n, "expected a duration with a unit (us, ms or s; e.g. 300ms, 1.5s), %s and at most 3600s, for %s but found %s",
			   zero_ok ? "0 or more" : "above 0", what,
			   s ? (snprintf(b, sizeof(b), "'%s'", s), b) :
			   script_ydescribe(n, b, sizeof(b)));
}

int script_parse_duration_us(const struct script_ctx *c, const yaml_node_t *n,
			     const char *what, uint64_t *us)
{
	return time_us(c, n, what, false, us);
}

/* "12.5%" in millionths */
static bool percent_text(const char *s, size_t len, uint32_t *ppm)
{
	uint64_t ip = 0, frac = 0, scale = 1;
	size_t i = 0;

	if (!len || s[len - 1] != '%' || s[0] < '0' || s[0] > '9')
		return false;
	for (; i < len - 1 && s[i] >= '0' && s[i] <= '9'; i++)
		if ((ip = ip * 10 + (uint64_t)(s[i] - '0')) > 1000)
			return false;
	if (i < len - 1 && s[i] == '.') {
		for (i++; i < len - 1 && s[i] >= '0' && s[i] <= '9'; i++) {
			if (scale >= 10000)
				return false;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			scale *= 10;
		}
	}
	if (i != len - 1)
		return false;
	*ppm = (uint32_t)(ip * 10000 + frac * 10000 / scale);
	return true;
}

int script_parse_tol(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_tol *tol)
{
	struct script_tol t = { .set = true };
	bool have_us = false, have_pc = false;
	const char *s = NULL;
	char b[64];

	if (n && n->type == YAML_SCALAR_NODE && !script_ynull(n)) {
		if (script_ytext(c, n, "tolerance", &s))
			return SCRIPT_ERR_SCHEMA;
		for (const char *p = s; *p;) {
			const char *e = strchr(p, '+');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			char part[32];
			uint64_t us;

			while (l && p[l - 1] == ' ')
				l--;
			if (l == 0 || l >= sizeof(part))
				goto bad;
			memcpy(part, p, l);
			part[l] = '\0';
			if (!have_pc && percent_text(part, l, &t.ppm)) {
				have_pc = true;
			} else if (!have_us && (zero_text(part) || script_duration_text(part, &us))) {
				t.us = zero_text(part) ? 0 : (uint32_t)us;
				have_us = true;
			} else {
				goto bad;
			}
			if (!e)
				break;
			p = e + 1;
			while (*p == ' ')
				p++;
		}
		if (have_us || have_pc) {
			*tol = t;
			return 0;
		}
	}
bad:
	return script_yerr(c, n, "expected a tolerance like 4ms, 12.5%% or 4ms+12.5%% but found %s",
			   s ? (snprintf(b, sizeof(b), "'%s'", s), b) :
			   script_ydescribe(n, b, sizeof(b)));
}

int script_parse_timing(const struct script_ctx *c, const yaml_node_t *k,
			const yaml_node_t *v, struct script_step *st)
{
	const char *key = (const char *)k->data.scalar.value;

	if (!strcmp(key, "tolerance"))
		return script_parse_tol(c, v, &st->tol);
	if (st->timing != SCRIPT_AT_NOW || (st->within_ms && strcmp(key, "within")))
		return script_yerr(c, k, "expected one of within, at and at_abs, not %s too",
				   key);
	if (!strcmp(key, "within"))
		return script_parse_duration(c, v, "within", &st->within_ms);
	st->timing = !strcmp(key, "at") ? SCRIPT_AT_REL : SCRIPT_AT_ABS;
	return time_us(c, v, key, true, &st->at_us);
}

/* --- capture --- */

static const struct {
	const char *key;
	enum script_cap_field f, abs;
} cap_keys[] = {
	{ "seq", SCAP_SEQ, SCAP_SEQ_ABS }, { "ack", SCAP_ACK, SCAP_ACK_ABS },
	{ "win", SCAP_WIN, SCAP_WIN }, { "urg", SCAP_URG, SCAP_URG },
	{ "len", SCAP_LEN, SCAP_LEN }, { "tsval", SCAP_TSVAL, SCAP_TSVAL },
	{ "tsecr", SCAP_TSECR, SCAP_TSECR }, { "mss", SCAP_MSS, SCAP_MSS },
	{ "wscale", SCAP_WSCALE, SCAP_WSCALE }, { "ttl", SCAP_TTL, SCAP_TTL },
	{ "tos", SCAP_TOS, SCAP_TOS }, { "ecn", SCAP_ECN, SCAP_ECN },
	{ "flow_label", SCAP_FLOW_LABEL, SCAP_FLOW_LABEL },
};
#define N_CAP_KEYS (sizeof(cap_keys) / sizeof(cap_keys[0]))

static int cap_name(const struct script_ctx *c, const yaml_node_t *v,
		    const char *field, const char **out)
{
	const struct script_binding *b;
	const char *s;
	char buf[64];

	if (v->type != YAML_SCALAR_NODE || script_ynull(v) ||
	    script_ystring(c, v, "a variable name", &s) || !script_name_ok(s))
		return script_yerr(c, v, "expected a variable name (letters, digits, _) to capture %s into but found %s",
				   field, script_ydescribe(v, buf, sizeof(buf)));
	b = script_env_find(c->env, s, strlen(s));
	if (b)
		return script_yerr(c, v, "variable '%s' is set by %s when the file loads; expected a new name to capture %s into",
				   s, b->src, field);
	*out = script_pstrdup(c->pool, s);
	return *out ? 0 : script_nomem(c);
}

static int remember(const struct script_ctx *c, const char *name)
{
	struct script_build *b = c->b;

	if (script_caught(c, name, strlen(name)))
		return 0;
	if (b->n_caught == b->caught_cap) {
		size_t nc = b->caught_cap ? b->caught_cap * 2 : 8;
		const char **nv = realloc(b->caught, nc * sizeof(*nv));

		if (!nv)
			return script_nomem(c);
		b->caught = nv;
		b->caught_cap = nc;
	}
	b->caught[b->n_caught++] = name;
	return 0;
}

int script_parse_capture(const struct script_ctx *c, const yaml_node_t *n,
			 struct script_step *st)
{
	static const char *keys[N_CAP_KEYS + 1];
	static const char *const abs_keys[] = { "abs", NULL };
	struct script_capture *caps;
	yaml_node_pair_t *p;
	size_t base = st->n_caps;
	int rv;

	for (size_t i = 0; i < N_CAP_KEYS; i++)
		keys[i] = cap_keys[i].key;
	rv = script_ykeys(c, n, "capture", keys);
	if (rv)
		return rv;
	caps = script_palloc(c->pool, (base + script_ylen(n)) * sizeof(*caps));
	if (!caps)
		return script_nomem(c);
	if (base)
		memcpy(caps, st->caps, base * sizeof(*caps));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(c, p->key), *v = script_ynode(c, p->value);
		const char *key = (const char *)k->data.scalar.value;
		struct script_capture *cp = &caps[st->n_caps];
		size_t i;

		for (i = 0; strcmp(cap_keys[i].key, key); i++)
			;
		cp->field = cap_keys[i].f;
		if (v->type == YAML_MAPPING_NODE && cap_keys[i].abs != cap_keys[i].f) {
			if ((rv = script_ykeys(c, v, key, abs_keys)))
				return rv;
			if (!script_yget(c, v, "abs"))
				return script_yerr(c, v, "expected {abs: NAME} to capture the wire value of %s",
						   key);
			cp->field = cap_keys[i].abs;
			v = script_yget(c, v, "abs");
		}
		if (cp->field == SCAP_FLOW_LABEL && c->ip_version != 6)
			return script_yerr(c, k, "expected flow_label only on an IPv6 target (target: {ip: 6})");
		if ((rv = cap_name(c, v, key, &cp->name)))
			return rv;
		for (size_t j = 0; j < st->n_caps; j++)
			if (!strcmp(caps[j].name, cp->name))
				return script_yerr(c, v, "expected each variable captured once in a step but found '%s' again",
						   cp->name);
		cp->file = c->file;
		cp->line = (unsigned)v->start_mark.line + 1;
		cp->col = (unsigned)v->start_mark.column + 1;
		st->n_caps++;
	}
	st->caps = caps;
	for (size_t i = base; i < st->n_caps; i++)
		if ((rv = remember(c, st->caps[i].name)))
			return rv;
	return 0;
}

/* --- one step --- */

static int leaf_seg(const struct script_ctx *c, const yaml_node_t *n,
		    const yaml_node_t *v, enum script_step_kind kind)
{
	struct script_step *st;
	int rv = script_add_step(c, n, &st);

	if (rv)
		return rv;
	st->kind = kind;
	return script_parse_seg(c, v, kind, st);
}

static int leaf_none(const struct script_ctx *c, const yaml_node_t *n,
		     const yaml_node_t *v)
{
	static const char *const none_keys[] = { "for", NULL };
	struct script_step *st;
	int rv = script_add_step(c, n, &st);

	if (rv)
		return rv;
	st->kind = SCRIPT_EXPECT_NONE;
	if ((rv = script_ykeys(c, v, "expect_none", none_keys)))
		return rv;
	if (!script_yget(c, v, "for"))
		return script_yerr(c, v, "expected for in expect_none (e.g. expect_none: {for: 300ms})");
	return script_parse_duration(c, script_yget(c, v, "for"), "for", &st->for_ms);
}

static int leaf_wait(const struct script_ctx *c, const yaml_node_t *n,
		     const yaml_node_t *v)
{
	struct script_step *st;
	int rv = script_add_step(c, n, &st);

	if (rv)
		return rv;
	st->kind = SCRIPT_WAIT;
	return script_parse_duration_us(c, v, "wait", &st->wait_us);
}

static int leaf_app(const struct script_ctx *c, const yaml_node_t *n,
		    const yaml_node_t *v)
{
	struct script_step *st;
	int rv = script_add_step(c, n, &st);

	if (rv)
		return rv;
	st->kind = SCRIPT_APP;
	return script_parse_app(c, v, st);
}

static int capture_step(const struct script_ctx *c, const yaml_node_t *n,
			const yaml_node_t *v)
{
	struct script_case *k = c->b->k;

	if (!k->n_steps || k->steps[k->n_steps - 1].kind != SCRIPT_EXPECT)
		return script_yerr(c, n, "expected capture right after an expect (it binds fields of the segment that expect matched)");
	return script_parse_capture(c, v, &k->steps[k->n_steps - 1]);
}

static int parse_step(const struct script_ctx *c, const yaml_node_t *n)
{
	const yaml_node_t *k, *v;
	const char *key;
	char b[64];
	int rv;

	if (n->type == YAML_MAPPING_NODE && script_yget(c, n, "when"))
		return script_step_when(c, n);
	if (n->type != YAML_MAPPING_NODE || script_ylen(n) != 1) {
		if (n->type == YAML_MAPPING_NODE)
			return script_yerr(c, n, "expected one step per list item (%s) but found %d keys; start each step with '-'",
					   step_hint, (int)script_ylen(n));
		return script_yerr(c, n, "expected a step (%s) but found %s",
				   step_hint, script_ydescribe(n, b, sizeof(b)));
	}
	rv = script_ykeys(c, n, "step", step_kinds);
	if (rv)
		return rv;
	k = script_ynode(c, n->data.mapping.pairs.start->key);
	v = script_ynode(c, n->data.mapping.pairs.start->value);
	key = (const char *)k->data.scalar.value;
	if (!strcmp(key, "send"))
		return leaf_seg(c, n, v, SCRIPT_SEND);
	if (!strcmp(key, "expect"))
		return leaf_seg(c, n, v, SCRIPT_EXPECT);
	if (!strcmp(key, "expect_none"))
		return leaf_none(c, n, v);
	if (!strcmp(key, "wait"))
		return leaf_wait(c, n, v);
	if (!strcmp(key, "app"))
		return leaf_app(c, n, v);
	if (!strcmp(key, "capture"))
		return capture_step(c, n, v);
	if (!strcmp(key, "include"))
		return script_step_include(c, n, v);
	if (!strcmp(key, "repeat"))
		return script_step_repeat(c, n, v);
	return script_step_steps_by(c, n, v);
}

int script_parse_steps(const struct script_ctx *c, const yaml_node_t *n)
{
	yaml_node_item_t *it;
	char b[64];
	int rv;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return script_yerr(c, n, "expected a list of steps but found %s",
				   script_ydescribe(n, b, sizeof(b)));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		rv = parse_step(c, script_ynode(c, *it));
		if (rv)
			return rv;
	}
	return 0;
}
