/* script_case: one case mapping — its keys, the target, case-level
 * variables — and matrix expansion: a case with `matrix:` becomes one case
 * per combination of values (minus `exclude`), each parsed afresh with the
 * values bound, its id suffixed "[var=value,...]". */
#include "script_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const case_keys[] = {
	"id", "title", "rfc", "level", "tags", "target", "isn", "ts_base",
	"tolerance", "vars", "matrix", "requires", "expect_fail", "steps", "findings", NULL
};
static const char *const target_keys[] = { "role", "port", "ip", "sysctl", NULL };

void script_case_free(struct script_case *k)
{
	free(k->id);
	free(k->title);
	free(k->file);
	for (size_t i = 0; i < k->n_rfc; i++)
		free(k->rfc[i]);
	free(k->rfc);
	for (size_t i = 0; i < k->n_steps; i++)
		script_seg_free(&k->steps[i].seg);
	free(k->steps);
	script_pool_free(k->pool);
	memset(k, 0, sizeof(*k));
}

static int text_dup(const struct script_ctx *c, const yaml_node_t *n,
		    const char *what, char **out)
{
	const char *s;
	int rv = script_ytext(c, n, what, &s);

	if (rv)
		return rv;
	*out = strdup(s);
	return *out ? 0 : script_nomem(c);
}

static int parse_rfc(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_case *k)
{
	const char *what = "an RFC reference like \"RFC9293 3.5\"";
	size_t cnt = n->type == YAML_SEQUENCE_NODE ? script_ylen(n) : 1;
	int rv;

	k->rfc = calloc(cnt ? cnt : 1, sizeof(*k->rfc));
	if (!k->rfc)
		return script_nomem(c);
	if (n->type != YAML_SEQUENCE_NODE) {
		rv = text_dup(c, n, what, &k->rfc[0]);
		k->n_rfc = !rv;
		return rv;
	}
	for (size_t i = 0; i < cnt; i++) {
		rv = text_dup(c, script_ynode(c, n->data.sequence.items.start[i]), what,
			      &k->rfc[k->n_rfc]);
		if (rv)
			return rv;
		k->n_rfc++;
	}
	return 0;
}

static int parse_level(const struct script_ctx *c, const yaml_node_t *n,
		       struct script_case *k)
{
	const char *s;
	int rv = script_ytext(c, n, "a level (MUST, SHOULD or MAY)", &s);

	if (rv)
		return rv;
	if (!strcmp(s, "MUST"))
		k->level = SCRIPT_LEVEL_MUST;
	else if (!strcmp(s, "SHOULD"))
		k->level = SCRIPT_LEVEL_SHOULD;
	else if (!strcmp(s, "MAY"))
		k->level = SCRIPT_LEVEL_MAY;
	else
		return script_yerr(c, n, "expected a level (MUST, SHOULD or MAY) but found '%s'", s);
	return 0;
}

static int parse_port(const struct script_ctx *c, const yaml_node_t *v, uint16_t *port)
{
	char b[64];
	uint64_t u;

	if (v->type == YAML_SCALAR_NODE && !script_ynull(v) &&
	    script_has_dollar((const char *)v->data.scalar.value, v->data.scalar.length)) {
		int rv = script_yuint(c, v, "port", 65535, &u);

		if (rv)
			return rv;
	} else if (v->type != YAML_SCALAR_NODE || script_ynull(v) ||
		   !script_parse_uint((const char *)v->data.scalar.value,
				      v->data.scalar.length, 65535, &u)) {
		u = 0;
	}
	if (u == 0)
		return script_yerr(c, v, "expected a number 1..65535 for port but found %s",
				   script_ydescribe(v, b, sizeof(b)));
	*port = (uint16_t)u;
	return 0;
}

static int parse_target(struct script_ctx *c, const yaml_node_t *n,
			struct script_case *k)
{
	const yaml_node_t *v;
	const char *s;
	int rv;

	rv = script_ykeys(c, n, "target", target_keys);
	if (rv)
		return rv;
	k->role = SCRIPT_ROLE_SERVER;
	k->ip_version = 4;
	v = script_yget(c, n, "role");
	if (v) {
		rv = script_ytext(c, v, "role server, client or closed", &s);
		if (rv)
			return rv;
		/* closed: nothing listens on the port (RST expected); client:
		 * the target opens the connection (an app connect step) */
		if (!strcmp(s, "server"))
			k->role = SCRIPT_ROLE_SERVER;
		else if (!strcmp(s, "client"))
			k->role = SCRIPT_ROLE_CLIENT;
		else if (!strcmp(s, "closed"))
			k->role = SCRIPT_ROLE_CLOSED;
		else
			return script_yerr(c, v, "expected role server, client or closed but found '%s'", s);
	}
	k->role_server = k->role == SCRIPT_ROLE_SERVER;
	v = script_yget(c, n, "port");
	if (!v && k->role != SCRIPT_ROLE_CLIENT)
		return script_yerr(c, n, "expected port in target (e.g. target: {port: 8080})");
	if (v && (rv = parse_port(c, v, &k->port)))
		return rv;
	v = script_yget(c, n, "ip");
	if (v) {
		char b[64];

		if (v->type != YAML_SCALAR_NODE || script_ytext(c, v, "4 or 6", &s) ||
		    (strcmp(s, "4") && strcmp(s, "6")))
			return script_yerr(c, v, "expected 4 or 6 for ip but found %s",
					   script_ydescribe(v, b, sizeof(b)));
		k->ip_version = s[0] == '6' ? 6 : 4;
	}
	if (k->ip_version == 6)
		k->requires |= SCRIPT_REQ_IPV6;
	c->ip_version = k->ip_version;
	v = script_yget(c, n, "sysctl");
	return v ? script_parse_sysctl(c, v, k) : 0;
}

static int check_unique(const struct script_ctx *c, const yaml_node_t *n,
			const char *id)
{
	const struct script_suite *suite = c->ld->suite;

	for (size_t i = 0; i < suite->n_cases; i++) {
		const struct script_case *o = &suite->cases[i];

		if (!strcmp(o->id, id))
			return script_yerr(c, n, "duplicate id '%s', first used by the case at %s:%u; expected a unique id",
					   id, o->file, o->line);
	}
	return 0;
}

/* vars: {NAME: VALUE, ...} in order; each value sees the ones before it */
static int parse_vars(struct script_ctx *c, const yaml_node_t *n,
		      struct script_env *scope)
{
	struct script_binding *b;
	char d[64];
	int rv;

	if (n->type != YAML_MAPPING_NODE)
		return script_yerr(c, n, "expected a mapping of NAME: value for vars (e.g. vars: {mss: 1460}) but found %s",
				   script_ydescribe(n, d, sizeof(d)));
	b = script_palloc(c->pool, (script_ylen(n) + 1) * sizeof(*b));
	if (!b)
		return script_nomem(c);
	scope->b = b;
	c->env = scope;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(c, p->key);
		const char *name = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";

		if (!script_name_ok(name))
			return script_yerr(c, k, "expected a variable name (letters, digits, _) in vars but found %s",
					   script_ydescribe(k, d, sizeof(d)));
		for (size_t i = 0; i < scope->n; i++)
			if (!strcmp(b[i].name, name))
				return script_yerr(c, k, "duplicate key '%s' in vars", name);
		if ((rv = script_bind(c, script_ynode(c, p->value), name, "vars", &b[scope->n])))
			return rv;
		scope->n++;
	}
	return 0;
}

static int parse_meta(struct script_ctx *c, const yaml_node_t *n, struct script_case *k)
{
	const yaml_node_t *v;
	uint64_t u;
	int rv;

	if ((v = script_yget(c, n, "title")) &&
	    (rv = text_dup(c, v, "a string for title", &k->title)))
		return rv;
	if ((v = script_yget(c, n, "rfc")) && (rv = parse_rfc(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "level")) && (rv = parse_level(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "isn"))) {
		if ((rv = script_yuint(c, v, "isn", UINT32_MAX, &u)))
			return rv;
		k->isn_set = true;
		k->isn = (uint32_t)u;
	}
	if ((v = script_yget(c, n, "ts_base"))) {
		if (v->type == YAML_SCALAR_NODE && !strcmp((const char *)v->data.scalar.value, "random"))
			k->ts_base_random = true;
		else if ((rv = script_yuint(c, v, "ts_base (or random)", UINT32_MAX, &u)))
			return rv;
		else
			k->ts_base = (uint32_t)u;
	}
	if ((v = script_yget(c, n, "tolerance")) && (rv = script_parse_tol(c, v, &k->tolerance)))
		return rv;
	if ((v = script_yget(c, n, "tags")) && (rv = script_parse_tags(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "requires")) && (rv = script_parse_requires(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "expect_fail")) && (rv = script_parse_xfail(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "findings")) && (rv = script_parse_findings(c, v, k)))
		return rv;
	return 0;
}

static int add_case(const struct script_ctx *c, struct script_case *k)
{
	struct script_suite *suite = c->ld->suite;
	struct script_case *grown = realloc(suite->cases, (suite->n_cases + 1) * sizeof(*grown));

	if (!grown)
		return script_nomem(c);
	suite->cases = grown;
	suite->cases[suite->n_cases++] = *k;
	return 0;
}

/* One case: the whole mapping, or one matrix point of it. */
static int instance(const struct script_ctx *outer, const yaml_node_t *n,
		    const char *label, const struct script_matrix *mx)
{
	struct script_case k = { 0 };
	struct script_build b = { .k = &k, .mx = mx };
	struct script_ctx c = *outer;
	struct script_env vars = { .up = outer->env };
	const yaml_node_t *v;
	const char *id;
	int rv;

	c.b = &b;
	c.pool = &k.pool;
	c.ip_version = 4;
	k.line = (unsigned)n->start_mark.line + 1;
	k.file = strdup(c.file);
	/* steps and refs point at the file name: the case keeps its own */
	c.file = script_pstrdup(c.pool, outer->file);
	if (!k.file || !c.file) {
		rv = script_nomem(&c);
		goto out;
	}
	if ((v = script_yget(&c, n, "vars")) && (rv = parse_vars(&c, v, &vars)))
		goto out;
	rv = SCRIPT_ERR_SCHEMA;
	v = script_yget(&c, n, "id");
	if (!v) {
		script_yerr(&c, n, "expected id in case (a unique name like handshake/passive-open)");
		goto out;
	}
	if ((rv = script_ytext(&c, v, "a string for id", &id)))
		goto out;
	if (label) {
		size_t l = strlen(id) + strlen(label) + 3;

		k.id = malloc(l);
		if (k.id)
			snprintf(k.id, l, "%s[%s]", id, label);
		k.matrix = script_pstrdup(c.pool, label);
	} else {
		k.id = strdup(id);
	}
	if (!k.id || (label && !k.matrix)) {
		rv = script_nomem(&c);
		goto out;
	}
	if ((rv = check_unique(&c, v, k.id)))
		goto out;
	v = script_yget(&c, n, "target");
	if (!v) {
		rv = script_yerr(&c, n, "expected target in case (e.g. target: {port: 8080})");
		goto out;
	}
	if ((rv = parse_target(&c, v, &k)) || (rv = parse_meta(&c, n, &k)))
		goto out;
	v = script_yget(&c, n, "steps");
	if (!v) {
		rv = script_yerr(&c, n, "expected steps in case (a list of send, expect, expect_none, wait, app, ...)");
		goto out;
	}
	if (v->type == YAML_SEQUENCE_NODE && !script_ylen(v)) {
		rv = script_yerr(&c, v, "expected at least one step in steps");
		goto out;
	}
	if ((rv = script_parse_steps(&c, v)))
		goto out;
	if (!k.n_steps) {
		rv = script_yerr(&c, v, "expected at least one step, but when/steps_by left none here");
		goto out;
	}
	if (k.role == SCRIPT_ROLE_CLIENT && !b.has_connect) {
		rv = script_yerr(&c, script_yget(&c, n, "target"),
				 "expected an app: {connect: ...} step in a case whose target has role client (the target opens the connection)");
		goto out;
	}
	rv = add_case(&c, &k);
out:
	free(b.caught);
	if (rv)
		script_case_free(&k);
	return rv;
}

static int matrix_point(const struct script_ctx *c, const struct script_matrix *mx,
			const size_t *idx, struct script_binding *bind, char *label,
			size_t cap, bool *excluded)
{
	struct script_env scope = { .up = c->env, .b = bind, .n = 0 };
	struct script_ctx pc = *c;
	size_t off = 0;
	int rv;

	pc.env = &scope;
	label[0] = '\0';
	for (size_t i = 0; i < mx->n; i++) {
		const struct script_mvar *mv = &mx->v[i];

		if ((rv = script_bind(&pc, mv->nodes[idx[i]], mv->name, "matrix", &bind[i])))
			return rv;
		bind[i].mvar = mv;
		bind[i].str = mv->values[idx[i]];
		scope.n++;
		off += (size_t)snprintf(label + off, off < cap ? cap - off : 0, "%s%s=%s",
					i ? "," : "", mv->name, mv->values[idx[i]]);
	}
	if (off >= cap)
		return script_yerr(c, mx->v[0].nodes[0], "expected matrix values that make an id of at most %zu bytes",
				   cap);
	*excluded = false;
	for (size_t i = 0; mx->exclude && i < script_ylen(mx->exclude) && !*excluded; i++)
		if ((rv = script_when(&pc, script_ynode(c, mx->exclude->data.sequence.items.start[i]),
				      "exclude", excluded)))
			return rv;
	return 0;
}

int script_parse_case(struct script_ctx *c, const yaml_node_t *n)
{
	struct script_pool *mpool = NULL;
	struct script_ctx mc = *c, pc = *c;
	struct script_matrix mx;
	struct script_binding *bind;
	struct script_env scope = { .up = c->env };
	size_t *idx, made = 0;
	char label[400];
	const yaml_node_t *m;
	int rv;

	rv = script_ykeys(c, n, "case", case_keys);
	if (rv)
		return rv;
	m = script_yget(c, n, "matrix");
	if (!m)
		return instance(c, n, NULL, NULL);
	mc.pool = pc.pool = &mpool;
	if ((rv = script_parse_matrix(&mc, m, &mx)))
		goto out;
	idx = script_palloc(&mpool, mx.n * sizeof(*idx));
	bind = script_palloc(&mpool, mx.n * sizeof(*bind));
	if (!idx || !bind) {
		rv = script_nomem(c);
		goto out;
	}
	scope.b = bind;
	scope.n = mx.n;
	mc.env = &scope;
	for (;;) {
		bool excluded;
		size_t i;

		if ((rv = matrix_point(&pc, &mx, idx, bind, label, sizeof(label), &excluded)))
			goto out;
		if (!excluded) {
			rv = instance(&mc, n, label, &mx);
			if (rv) {
				if (rv == SCRIPT_ERR_SCHEMA)
					script_diag_append(c->d, " (matrix point %s)", label);
				goto out;
			}
			made++;
		}
		/* the last variable changes fastest */
		for (i = mx.n; i-- > 0;) {
			if (++idx[i] < mx.v[i].n)
				break;
			idx[i] = 0;
		}
		if (i == (size_t)-1)
			break;
	}
	if (!made)
		rv = script_yerr(c, m, "expected at least one matrix combination that exclude leaves");
out:
	script_pool_free(mpool);
	return rv;
}
