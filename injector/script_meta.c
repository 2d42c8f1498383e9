/* script_meta: what a case says about itself — tags, requires,
 * expect_fail, the target's sysctl profile — and the matrix definition
 * with the when-conditions that pick steps, exclusions and expected
 * failures per matrix point. */
#include "script_priv.h"

#include <stdio.h>
#include <string.h>

#include "finding.h"

/* A scalar or a list of scalars, as a node array (a scalar is its own list). */
static const yaml_node_t *item(const struct script_ctx *c, const yaml_node_t *n, size_t i)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return script_ynode(c, n->data.sequence.items.start[i]);
	return n;
}

static size_t items(const yaml_node_t *n)
{
	return n->type == YAML_SEQUENCE_NODE ? script_ylen(n) : 1;
}

int script_parse_tags(const struct script_ctx *c, const yaml_node_t *n,
		      struct script_case *k)
{
	size_t cnt = items(n);
	int rv;

	k->tags = script_palloc(c->pool, cnt * sizeof(*k->tags));
	if (!k->tags)
		return script_nomem(c);
	for (size_t i = 0; i < cnt; i++) {
		const char *t;

		if ((rv = script_ytext(c, item(c, n, i), "a tag (a string)", &t)))
			return rv;
		k->tags[k->n_tags++] = t;
	}
	return 0;
}

static const char *const require_names[] = {
	"sack", "timestamps", "wscale", "ecn", "fastopen", "md5", "ipv6", NULL
};

const char *script_require_name(unsigned bit)
{
	for (unsigned i = 0; require_names[i]; i++)
		if (bit == 1u << i)
			return require_names[i];
	return NULL;
}

int script_parse_requires(const struct script_ctx *c, const yaml_node_t *n,
			  struct script_case *k)
{
	for (size_t i = 0; i < items(n); i++) {
		const yaml_node_t *it = item(c, n, i);
		const char *s;
		unsigned j;
		int rv;

		if ((rv = script_ytext(c, it, "a feature (sack, timestamps, wscale, ecn, fastopen, md5, ipv6)", &s)))
			return rv;
		for (j = 0; require_names[j] && strcmp(require_names[j], s); j++)
			;
		if (!require_names[j])
			return script_yunknown(c, it, "feature", s, "requires", require_names);
		k->requires |= 1u << j;
	}
	return 0;
}

/* "linux", or a target with one of its profiles: "linux:no-sack" */
static bool target_name_ok(const char *s)
{
	const char *start = s;
	bool colon = false;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == ':') {
			if (colon || s == start || !s[1])
				return false;
			colon = true;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	}
	return true;
}

static int add_xfail(const struct script_ctx *c, const yaml_node_t *tn,
		     const yaml_node_t *rn, struct script_case *k)
{
	struct script_xfail *x = &k->xfail[k->n_xfail];
	int rv;

	if ((rv = script_ytext(c, tn, "a target name", &x->target)))
		return rv;
	if (!target_name_ok(x->target))
		return script_yerr(c, tn, "expected a target name (lowercase letters, digits, - and _; e.g. linux) but found '%s' (a target with a profile: linux:PROFILE)",
				   x->target);
	for (size_t i = 0; i < k->n_xfail; i++)
		if (!strcmp(k->xfail[i].target, x->target))
			return script_yerr(c, tn, "expected one expect_fail per target but found '%s' again",
					   x->target);
	if ((rv = script_ytext(c, rn, "a reason (why the target fails this case)", &x->reason)))
		return rv;
	k->n_xfail++;
	return 0;
}

/* {linux: "reason", ...} or [{target: linux, reason: "...", when: {...}}] */
int script_parse_xfail(const struct script_ctx *c, const yaml_node_t *n,
		       struct script_case *k)
{
	static const char *const keys[] = { "target", "reason", "when", NULL };
	char d[64];
	int rv;

	k->xfail = script_palloc(c->pool, (script_ylen(n) + 1) * sizeof(*k->xfail));
	if (!k->xfail)
		return script_nomem(c);
	if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
			if ((rv = add_xfail(c, script_ynode(c, p->key), script_ynode(c, p->value), k)))
				return rv;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return script_yerr(c, n, "expected {TARGET: reason} or a list of {target, reason, when} for expect_fail but found %s",
				   script_ydescribe(n, d, sizeof(d)));
	for (size_t i = 0; i < script_ylen(n); i++) {
		const yaml_node_t *e = item(c, n, i), *w;
		bool hit = true;

		if ((rv = script_ykeys(c, e, "expect_fail", keys)))
			return rv;
		if (!script_yget(c, e, "target") || !script_yget(c, e, "reason"))
			return script_yerr(c, e, "expected target and reason in expect_fail (e.g. {target: linux, reason: \"...\"})");
		if ((w = script_yget(c, e, "when")) && (rv = script_when(c, w, "when", &hit)))
			return rv;
		if (hit && (rv = add_xfail(c, script_yget(c, e, "target"), script_yget(c, e, "reason"), k)))
			return rv;
	}
	return 0;
}

static bool sysctl_name_ok(const char *s)
{
	if (!*s || *s == '.' || *s == '/')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-/", *s)))
			return false;
	return true;
}

int script_parse_sysctl(const struct script_ctx *c, const yaml_node_t *n,
			struct script_case *k)
{
	char d[64];
	int rv;

	if (n->type != YAML_MAPPING_NODE)
		return script_yerr(c, n, "expected a mapping of sysctl: value for sysctl (e.g. sysctl: {net.ipv4.tcp_timestamps: 0}) but found %s",
				   script_ydescribe(n, d, sizeof(d)));
	k->sysctl = script_palloc(c->pool, (script_ylen(n) + 1) * sizeof(*k->sysctl));
	if (!k->sysctl)
		return script_nomem(c);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = script_ynode(c, p->key), *vn = script_ynode(c, p->value);
		struct script_sysctl *sc = &k->sysctl[k->n_sysctl];

		if ((rv = script_ytext(c, kn, "a sysctl name", &sc->name)))
			return rv;
		if (!sysctl_name_ok(sc->name))
			return script_yerr(c, kn, "expected a sysctl name like net.ipv4.tcp_timestamps but found '%s'",
					   sc->name);
		for (size_t i = 0; i < k->n_sysctl; i++)
			if (!strcmp(k->sysctl[i].name, sc->name))
				return script_yerr(c, kn, "duplicate key '%s' in sysctl", sc->name);
		if ((rv = script_ytext(c, vn, "a sysctl value", &sc->value)))
			return rv;
		k->n_sysctl++;
	}
	return 0;
}

/* --- findings --- */

/* The catalogue's ids, NULL-terminated, for "did you mean". */
static const char *const *finding_names(const struct script_ctx *c)
{
	const char **names = script_palloc(c->pool, (FND__COUNT + 1) * sizeof(*names));

	if (!names)
		return NULL;
	for (int i = 0; i < FND__COUNT; i++)
		names[i] = finding_info((enum finding_id)i)->name;
	names[FND__COUNT] = NULL;
	return names;
}

static bool finding_known(const char *name)
{
	for (int i = 0; i < FND__COUNT; i++)
		if (!strcmp(finding_info((enum finding_id)i)->name, name))
			return true;
	return false;
}

/* An id or a list of ids of the finding catalogue. */
static int finding_ids(const struct script_ctx *c, const yaml_node_t *n, const char *where,
		       const char ***out, size_t *n_out)
{
	size_t cnt = items(n);
	int rv;

	*out = script_palloc(c->pool, (cnt + 1) * sizeof(**out));
	if (!*out)
		return script_nomem(c);
	for (size_t i = 0; i < cnt; i++) {
		const yaml_node_t *it = item(c, n, i);
		const char *const *names;
		const char *s;

		if ((rv = script_ytext(c, it, "a finding id (e.g. RST-IN-WINDOW-NOT-CHALLENGED)", &s)))
			return rv;
		if (!finding_known(s)) {
			if (!(names = finding_names(c)))
				return script_nomem(c);
			return script_yunknown(c, it, "finding id", s, where, names);
		}
		for (size_t j = 0; j < *n_out; j++)
			if (!strcmp((*out)[j], s))
				return script_yerr(c, it, "expected each finding id once in %s but found '%s' again",
						   where, s);
		(*out)[(*n_out)++] = s;
	}
	return 0;
}

/* {require: [ID...], forbid: [ID...], fail_on: must|none} */
int script_parse_findings(const struct script_ctx *c, const yaml_node_t *n,
			  struct script_case *k)
{
	static const char *const keys[] = { "require", "forbid", "fail_on", NULL };
	struct script_findings *f = &k->findings;
	const yaml_node_t *v;
	const char *s;
	char d[64];
	int rv;

	if (n->type != YAML_MAPPING_NODE)
		return script_yerr(c, n, "expected {require: [ID...], forbid: [ID...], fail_on: must|none} for findings but found %s",
				   script_ydescribe(n, d, sizeof(d)));
	if ((rv = script_ykeys(c, n, "findings", keys)))
		return rv;
	if ((v = script_yget(c, n, "require")) &&
	    (rv = finding_ids(c, v, "findings require", &f->require, &f->n_require)))
		return rv;
	if ((v = script_yget(c, n, "forbid")) &&
	    (rv = finding_ids(c, v, "findings forbid", &f->forbid, &f->n_forbid)))
		return rv;
	for (size_t i = 0; i < f->n_forbid; i++)
		for (size_t j = 0; j < f->n_require; j++)
			if (!strcmp(f->forbid[i], f->require[j]))
				return script_yerr(c, script_yget(c, n, "forbid"),
						   "expected a finding id in require or in forbid, not both, but found '%s' in both",
						   f->forbid[i]);
	if ((v = script_yget(c, n, "fail_on"))) {
		if ((rv = script_ytext(c, v, "must or none", &s)))
			return rv;
		if (!strcmp(s, "must"))
			f->fail_on = SCRIPT_FAIL_ON_MUST;
		else if (!strcmp(s, "none"))
			f->fail_on = SCRIPT_FAIL_ON_NONE;
		else
			return script_yerr(c, v, "expected must or none for fail_on but found '%s'", s);
	}
	return 0;
}

/* --- matrix --- */

int script_parse_matrix(const struct script_ctx *c, const yaml_node_t *n,
			struct script_matrix *mx)
{
	size_t points = 1;
	char d[64];
	int rv;

	memset(mx, 0, sizeof(*mx));
	if (n->type != YAML_MAPPING_NODE || !script_ylen(n))
		return script_yerr(c, n, "expected a mapping of variables to lists of values for matrix (e.g. matrix: {state: [established, fin_wait_1]}) but found %s",
				   script_ydescribe(n, d, sizeof(d)));
	mx->v = script_palloc(c->pool, script_ylen(n) * sizeof(*mx->v));
	if (!mx->v)
		return script_nomem(c);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = script_ynode(c, p->key), *vn = script_ynode(c, p->value);
		struct script_mvar *mv = &mx->v[mx->n];
		const char *name;

		if ((rv = script_ystring(c, kn, "a variable name", &name)))
			return rv;
		if (!strcmp(name, "exclude")) {
			if (vn->type != YAML_SEQUENCE_NODE)
				return script_yerr(c, vn, "expected a list of conditions for exclude (e.g. exclude: [{state: listen, kind: fin}]) but found %s",
						   script_ydescribe(vn, d, sizeof(d)));
			mx->exclude = vn;
			continue;
		}
		if (!script_name_ok(name))
			return script_yerr(c, kn, "expected a variable name (letters, digits, _) in matrix but found '%s'",
					   name);
		for (size_t i = 0; i < mx->n; i++)
			if (!strcmp(mx->v[i].name, name))
				return script_yerr(c, kn, "duplicate key '%s' in matrix", name);
		if (vn->type != YAML_SEQUENCE_NODE || !script_ylen(vn))
			return script_yerr(c, vn, "expected a non-empty list of values for matrix variable %s but found %s",
					   name, script_ydescribe(vn, d, sizeof(d)));
		mv->name = name;
		mv->values = script_palloc(c->pool, (script_ylen(vn) + 1) * sizeof(*mv->values));
		mv->nodes = script_palloc(c->pool, script_ylen(vn) * sizeof(*mv->nodes));
		if (!mv->values || !mv->nodes)
			return script_nomem(c);
		for (size_t i = 0; i < script_ylen(vn); i++) {
			const yaml_node_t *it = item(c, vn, i);
			const char *s;

			if ((rv = script_ystring(c, it, "a value (a number or a word)", &s)))
				return rv;
			for (size_t j = 0; j < mv->n; j++)
				if (!strcmp(mv->values[j], s))
					return script_yerr(c, it, "expected each value once in matrix variable %s but found '%s' again",
							   name, s);
			mv->nodes[mv->n] = it;
			mv->values[mv->n++] = s;
		}
		points *= mv->n;
		if (points > SCRIPT_MAX_POINTS)
			return script_yerr(c, vn, "expected at most %d matrix combinations but this makes %zu",
					   SCRIPT_MAX_POINTS, points);
		mx->n++;
	}
	if (!mx->n)
		return script_yerr(c, n, "expected at least one variable in matrix besides exclude");
	return 0;
}

int script_check_value(const struct script_ctx *c, const yaml_node_t *at,
		       const struct script_binding *b, const char *value)
{
	char where[96];

	if (!b->mvar)
		return 0;
	for (size_t i = 0; i < b->mvar->n; i++)
		if (!strcmp(b->mvar->values[i], value))
			return 0;
	snprintf(where, sizeof(where), "matrix variable %s", b->name);
	return script_yunknown(c, at, "value", value, where, b->mvar->values);
}

int script_when(const struct script_ctx *c, const yaml_node_t *n,
		const char *where, bool *hit)
{
	char d[64];
	int rv;

	*hit = true;
	if (!n || n->type != YAML_MAPPING_NODE || !script_ylen(n))
		return script_yerr(c, n, "expected a condition {VARIABLE: value or [values], ...} for %s but found %s",
				   where, script_ydescribe(n, d, sizeof(d)));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = script_ynode(c, p->key), *vn = script_ynode(c, p->value);
		const struct script_binding *b;
		const char *var;
		bool any = false;

		if ((rv = script_ystring(c, kn, "a variable name", &var)))
			return rv;
		b = script_env_find(c->env, var, strlen(var));
		if (!b || !b->str)
			return script_yerr(c, kn, "expected a variable known when the file loads (matrix:, vars:, with:, repeat) in %s but found '%s'",
					   where, var);
		if (vn->type == YAML_SEQUENCE_NODE && !script_ylen(vn))
			return script_yerr(c, vn, "expected at least one value for %s in %s", var, where);
		for (size_t i = 0; i < items(vn); i++) {
			const yaml_node_t *it = item(c, vn, i);
			const char *s;

			if ((rv = script_ytext(c, it, "a value", &s)) ||
			    (rv = script_check_value(c, it, b, s)))
				return rv;
			any |= !strcmp(s, b->str);
		}
		*hit &= any;
	}
	return 0;
}
