/* script_expand: steps that stand for other steps, expanded at load time —
 * include (a file of steps, with parameters), repeat (a loop variable),
 * when and steps_by (steps picked by a variable's value, for matrices).
 * Each instance is parsed afresh in its own scope, so errors point into
 * the file and line that holds the offending node. */
#define _GNU_SOURCE /* asprintf */
#include "script_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "what at FILE:L:C" (+ "; " + the outer trace) in the pool */
static const char *trace_of(const struct script_ctx *c, const yaml_node_t *n,
			    const char *what)
{
	char *s;
	const char *out;

	if (asprintf(&s, "%s %s:%u:%u%s%s", what, c->file,
		     (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1,
		     c->b->trace ? "; " : "", c->b->trace ? c->b->trace : "") < 0)
		return NULL;
	out = script_pstrdup(c->pool, s);
	free(s);
	return out;
}

/* --- include --- */

static const char *const include_keys[] = { "file", "with", NULL };
static const char *const fragment_keys[] = { "params", "steps", NULL };

static int cycle(const struct script_ctx *c, const yaml_node_t *at, const char *path)
{
	char chain[400] = "";
	size_t off = 0;
	unsigned i;

	for (i = 0; i < c->b->depth; i++)
		if (!strcmp(c->b->stack[i], path))
			break;
	if (i == c->b->depth)
		return 0;
	for (; i < c->b->depth; i++) {
		int w = snprintf(chain + off, sizeof(chain) - off, "%s -> ", c->b->stack[i]);

		if (w < 0 || (size_t)w >= sizeof(chain) - off)
			break;
		off += (size_t)w;
	}
	return script_yerr(c, at, "include cycle: %s%s; expected files that do not include each other",
			   chain, path);
}

/* with: values read in the including scope; names checked against the
 * fragment's params when it declares them. */
static int bind_with(const struct script_ctx *c, const struct script_ctx *fc,
		     const yaml_node_t *with, const yaml_node_t *params,
		     const char *path, struct script_binding *b, size_t *n)
{
	const char **names;
	size_t np = 0;
	int rv;

	if (!with)
		return 0;
	if (with->type != YAML_MAPPING_NODE) {
		char d[64];

		return script_yerr(c, with, "expected a mapping of parameters for with (e.g. with: {port: 8080}) but found %s",
				   script_ydescribe(with, d, sizeof(d)));
	}
	names = script_palloc(c->pool, (script_ylen(params) + 1) * sizeof(*names));
	if (!names)
		return script_nomem(c);
	for (yaml_node_pair_t *p = params ? params->data.mapping.pairs.start : NULL;
	     p && p < params->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(fc, p->key);

		if (k->type != YAML_SCALAR_NODE || !script_name_ok((const char *)k->data.scalar.value))
			return script_yerr(fc, k, "expected a parameter name (letters, digits, _) in params");
		names[np++] = (const char *)k->data.scalar.value;
	}
	for (yaml_node_pair_t *p = with->data.mapping.pairs.start; p < with->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(c, p->key);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		size_t i;

		if (!script_name_ok(key))
			return script_yerr(c, k, "expected a parameter name (letters, digits, _) in with");
		for (i = 0; i < *n; i++)
			if (!strcmp(b[i].name, key))
				return script_yerr(c, k, "duplicate key '%s' in with", key);
		if (params) {
			for (i = 0; names[i] && strcmp(names[i], key); i++)
				;
			if (!names[i])
				return script_yunknown(c, k, "parameter", key, path, names);
		}
		rv = script_bind(c, script_ynode(c, p->value), key, "with", &b[*n]);
		if (rv)
			return rv;
		(*n)++;
	}
	return 0;
}

/* params: {NAME: DEFAULT | ~}: a default is used when neither with: nor
 * the including scope has the name; ~ makes the parameter required. */
static int bind_params(const struct script_ctx *in, const struct script_ctx *fc,
		       const yaml_node_t *at, const yaml_node_t *params,
		       const char *path, struct script_binding *b, size_t *n)
{
	for (yaml_node_pair_t *p = params->data.mapping.pairs.start;
	     p < params->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(fc, p->key), *v = script_ynode(fc, p->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		int rv;

		if (!script_name_ok(key))
			return script_yerr(fc, k, "expected a parameter name (letters, digits, _) in params");
		if (script_env_find(fc->env, key, strlen(key)))
			continue;
		if (script_ynull(v))
			return script_yerr(in, at, "expected with: {%s: ...} to include %s (parameter %s has no default)",
					   key, path, key);
		rv = script_bind(fc, v, key, "params", &b[*n]);
		if (rv)
			return rv;
		(*n)++;
	}
	return 0;
}

static int include_body(const struct script_ctx *c, const yaml_node_t *step,
			const yaml_node_t *n, const yaml_node_t *with, const char *path)
{
	struct script_ctx fc = *c;
	struct script_env scope = { .up = c->env };
	const yaml_node_t *root, *params = NULL, *steps;
	yaml_document_t *doc;
	struct script_binding *b;
	const char *saved = c->b->trace;
	char d[64];
	int rv;

	if ((rv = cycle(c, n, path)))
		return rv;
	if (c->b->depth == SCRIPT_MAX_DEPTH)
		return script_yerr(c, n, "expected includes at most %d deep", SCRIPT_MAX_DEPTH);
	rv = script_incl_doc(c, n, path, &doc);
	if (rv)
		return rv;
	fc.doc = doc;
	fc.file = path;
	root = yaml_document_get_root_node(doc);
	steps = root;
	if (root && root->type == YAML_MAPPING_NODE && script_yget(&fc, root, "id"))
		return script_yerr(&fc, root, "expected a file of steps (a list of steps, or {params: ..., steps: [...]}) to include but found a case");
	if (root && root->type == YAML_MAPPING_NODE) {
		if ((rv = script_ykeys(&fc, root, "a file of steps", fragment_keys)))
			return rv;
		params = script_yget(&fc, root, "params");
		steps = script_yget(&fc, root, "steps");
		if (params && params->type != YAML_MAPPING_NODE)
			return script_yerr(&fc, params, "expected a mapping of parameters for params (e.g. params: {port: 8080, state: ~}) but found %s",
					   script_ydescribe(params, d, sizeof(d)));
		if (!steps)
			return script_yerr(&fc, root, "expected steps in a file of steps");
	}
	if (!steps || steps->type != YAML_SEQUENCE_NODE || !script_is_fragment(&fc, root))
		return script_yerr(&fc, root, "expected a file of steps (a list of steps, or {params: ..., steps: [...]}) to include but found %s",
				   script_ydescribe(steps, d, sizeof(d)));
	b = script_palloc(c->pool, (script_ylen(with) + script_ylen(params) + 1) * sizeof(*b));
	if (!b)
		return script_nomem(c);
	scope.b = b;
	if ((rv = bind_with(c, &fc, with, params, path, b, &scope.n)))
		return rv;
	fc.env = &scope;
	if (params && (rv = bind_params(c, &fc, n, params, path, b, &scope.n)))
		return rv;
	c->b->trace = trace_of(c, step, "included from");
	if (!c->b->trace)
		return script_nomem(c);
	c->b->stack[c->b->depth++] = path;
	rv = script_parse_steps(&fc, steps);
	c->b->depth--;
	c->b->trace = saved;
	return rv;
}

int script_step_include(const struct script_ctx *c, const yaml_node_t *step,
			const yaml_node_t *v)
{
	const yaml_node_t *fn = v, *with = NULL;
	const char *file, *path;
	int rv;

	if (v->type == YAML_MAPPING_NODE) {
		if ((rv = script_ykeys(c, v, "include", include_keys)))
			return rv;
		fn = script_yget(c, v, "file");
		with = script_yget(c, v, "with");
		if (!fn)
			return script_yerr(c, v, "expected file in include (e.g. include: {file: common/handshake.yaml, with: {port: 8080}})");
	}
	if ((rv = script_ytext(c, fn, "a file of steps to include (a path relative to this file)", &file)))
		return rv;
	path = script_path_join(c, c->file, file);
	if (!path)
		return script_nomem(c);
	rv = include_body(c, step, fn, with, path);
	/* an error inside the included file says where it was included */
	if ((rv == SCRIPT_ERR_SCHEMA || rv == SCRIPT_ERR_SYNTAX) && strncmp(c->d->file, c->file, sizeof(c->d->file) - 1))
		script_diag_append(c->d, " (included from %s:%u:%u)", c->file,
				   (unsigned)step->start_mark.line + 1,
				   (unsigned)step->start_mark.column + 1);
	return rv;
}

/* --- repeat --- */

static const char *const repeat_keys[] = { "times", "steps", "var", NULL };

int script_step_repeat(const struct script_ctx *c, const yaml_node_t *step,
		       const yaml_node_t *v)
{
	const yaml_node_t *tn, *sn, *vn;
	struct script_binding bind = { .name = "i", .num = true, .src = "repeat" };
	struct script_env scope = { .up = c->env, .b = &bind, .n = 1 };
	struct script_ctx rc = *c;
	const char *saved = c->b->trace;
	uint64_t times;
	int rv;

	if ((rv = script_ykeys(c, v, "repeat", repeat_keys)))
		return rv;
	tn = script_yget(c, v, "times");
	sn = script_yget(c, v, "steps");
	vn = script_yget(c, v, "var");
	if (!tn)
		return script_yerr(c, v, "expected times in repeat (e.g. repeat: {times: 3, steps: [...]})");
	if (!sn)
		return script_yerr(c, v, "expected steps in repeat (e.g. repeat: {times: 3, steps: [...]})");
	if ((rv = script_yuint(c, tn, "times", SCRIPT_MAX_REPEAT, &times)))
		return rv;
	if (vn) {
		if ((rv = script_ytext(c, vn, "a variable name for var", &bind.name)))
			return rv;
		if (!script_name_ok(bind.name))
			return script_yerr(c, vn, "expected a variable name (letters, digits, _) for var but found '%s'",
					   bind.name);
	}
	if (script_caught(c, bind.name, strlen(bind.name)))
		return script_yerr(c, vn ? vn : v, "variable '%s' is bound by a capture; expected another name for the repeat variable (var: j)",
				   bind.name);
	rc.env = &scope;
	for (uint64_t i = 0; i < times; i++) {
		char num[24], what[48];

		snprintf(num, sizeof(num), "%llu", (unsigned long long)i);
		bind.str = script_pstrdup(c->pool, num);
		bind.expr.v = (uint32_t)i;
		bind.cval = (int64_t)i;
		snprintf(what, sizeof(what), "%s=%llu of repeat at", bind.name,
			 (unsigned long long)i);
		c->b->trace = trace_of(c, step, what);
		if (!bind.str || !c->b->trace)
			return script_nomem(c);
		rv = script_parse_steps(&rc, sn);
		c->b->trace = saved;
		if (rv) {
			/* an error that only a later pass meets depends on the variable */
			if (i && rv == SCRIPT_ERR_SCHEMA)
				script_diag_append(c->d, " (repeat %s=%llu)", bind.name,
						   (unsigned long long)i);
			return rv;
		}
	}
	return 0;
}

/* --- when / steps_by --- */

static const char *const when_keys[] = { "when", "steps", "else", NULL };

int script_step_when(const struct script_ctx *c, const yaml_node_t *step)
{
	const yaml_node_t *sn, *en;
	bool hit;
	int rv;

	if ((rv = script_ykeys(c, step, "a when step", when_keys)))
		return rv;
	sn = script_yget(c, step, "steps");
	en = script_yget(c, step, "else");
	if (!sn)
		return script_yerr(c, step, "expected steps with when (- when: {kind: syn}\n  steps: [...])");
	if ((rv = script_when(c, script_yget(c, step, "when"), "when", &hit)))
		return rv;
	if (hit)
		return script_parse_steps(c, sn);
	return en ? script_parse_steps(c, en) : 0;
}

int script_step_steps_by(const struct script_ctx *c, const yaml_node_t *step,
			 const yaml_node_t *v)
{
	const struct script_binding *b;
	const yaml_node_t *k, *table, *pick = NULL, *dflt = NULL;
	const char *var;
	char d[64];
	int rv;

	(void)step;
	if (v->type != YAML_MAPPING_NODE || script_ylen(v) != 1) {
		if (v->type == YAML_MAPPING_NODE)
			snprintf(d, sizeof(d), "%zu", script_ylen(v));
		return script_yerr(c, v, "expected one variable in steps_by (steps_by: {kind: {syn: [...], fin: [...]}}) but found %s",
				   v->type == YAML_MAPPING_NODE ? d : script_ydescribe(v, d, sizeof(d)));
	}
	k = script_ynode(c, v->data.mapping.pairs.start->key);
	table = script_ynode(c, v->data.mapping.pairs.start->value);
	if ((rv = script_ystring(c, k, "a variable name", &var)))
		return rv;
	b = script_env_find(c->env, var, strlen(var));
	if (!b || !b->str)
		return script_yerr(c, k, "expected a variable known when the file loads (matrix:, vars:, with:, repeat) for steps_by but found '%s'",
				   var);
	if (table->type != YAML_MAPPING_NODE)
		return script_yerr(c, table, "expected a mapping VALUE: [steps] for steps_by %s but found %s",
				   var, script_ydescribe(table, d, sizeof(d)));
	for (yaml_node_pair_t *p = table->data.mapping.pairs.start; p < table->data.mapping.pairs.top; p++) {
		const yaml_node_t *vk = script_ynode(c, p->key);
		const char *val;

		if ((rv = script_ystring(c, vk, "a value", &val)))
			return rv;
		for (yaml_node_pair_t *q = table->data.mapping.pairs.start; q < p; q++)
			if (!strcmp((const char *)script_ynode(c, q->key)->data.scalar.value, val))
				return script_yerr(c, vk, "duplicate key '%s' in steps_by %s", val, var);
		if (!strcmp(val, "default")) {
			dflt = script_ynode(c, p->value);
			continue;
		}
		if ((rv = script_check_value(c, vk, b, val)))
			return rv;
		if (!strcmp(val, b->str))
			pick = script_ynode(c, p->value);
	}
	/* every value of a matrix variable needs steps, or a default */
	if (b->mvar && !dflt) {
		for (size_t i = 0; i < b->mvar->n; i++) {
			const yaml_node_t *hit = NULL;

			for (yaml_node_pair_t *p = table->data.mapping.pairs.start;
			     p < table->data.mapping.pairs.top && !hit; p++)
				if (!strcmp((const char *)script_ynode(c, p->key)->data.scalar.value,
					    b->mvar->values[i]))
					hit = script_ynode(c, p->key);
			if (!hit)
				return script_yerr(c, table, "expected steps for %s=%s in steps_by (a key for each value of the matrix variable, or default)",
						   var, b->mvar->values[i]);
		}
	}
	if (!pick)
		pick = dflt;
	if (!pick)
		return script_yerr(c, table, "expected steps for %s=%s in steps_by (or default)",
				   var, b->str);
	return script_parse_steps(c, pick);
}
