/* script_vars: what the runner needs from the model at run time — the
 * variables a case's captures bind, expression evaluation (mod 2^32),
 * segments with every expression resolved, tolerances and expect_fail. */
#include "script_priv.h"

#include <stdlib.h>
#include <string.h>

#include "wire.h"

void script_vars_init(struct script_vars *vars)
{
	memset(vars, 0, sizeof(*vars));
}

void script_vars_free(struct script_vars *vars)
{
	if (!vars)
		return;
	for (size_t i = 0; i < vars->n; i++)
		free(vars->v[i].name);
	free(vars->v);
	memset(vars, 0, sizeof(*vars));
}

int script_vars_set(struct script_vars *vars, const char *name, uint32_t value)
{
	for (size_t i = 0; i < vars->n; i++)
		if (!strcmp(vars->v[i].name, name)) {
			vars->v[i].value = value;
			return 0;
		}
	if (vars->n == vars->cap) {
		size_t nc = vars->cap ? vars->cap * 2 : 8;
		struct script_var *nv = realloc(vars->v, nc * sizeof(*nv));

		if (!nv)
			return SCRIPT_ERR_NOMEM;
		vars->v = nv;
		vars->cap = nc;
	}
	vars->v[vars->n].name = strdup(name);
	if (!vars->v[vars->n].name)
		return SCRIPT_ERR_NOMEM;
	vars->v[vars->n++].value = value;
	return 0;
}

bool script_vars_get(const struct script_vars *vars, const char *name, uint32_t *out)
{
	for (size_t i = 0; vars && i < vars->n; i++)
		if (!strcmp(vars->v[i].name, name)) {
			*out = vars->v[i].value;
			return true;
		}
	return false;
}

int script_eval(const struct script_expr *e, const struct script_vars *vars,
		uint32_t *out, struct diag *d)
{
	uint32_t v;

	if (!e->ref) {
		*out = e->v;
		return 0;
	}
	if (!script_vars_get(vars, e->ref->name, &v)) {
		if (d)
			diag_set(d, e->ref->file, e->ref->line, e->ref->col,
				 "variable '%s' is not bound; expected a capture to bind it before this step",
				 e->ref->name);
		return SCRIPT_ERR_UNBOUND;
	}
	*out = v + e->v;   /* mod 2^32 */
	return 0;
}

static int resolve_expr(struct script_expr *e, const struct script_vars *vars,
			uint32_t max, const char *what, struct diag *d)
{
	const struct script_ref *ref = e->ref;
	uint32_t v;
	int rv = script_eval(e, vars, &v, d);

	if (rv)
		return rv;
	if (v > max) {
		if (d)
			diag_set(d, ref ? ref->file : "", ref ? ref->line : 0, ref ? ref->col : 0,
				 "%s is %u here; expected 0..%u", what, v, max);
		return SCRIPT_ERR_RANGE;
	}
	*e = (struct script_expr){ .v = v };
	return 0;
}

static int resolve_num(struct script_num *n, const struct script_vars *vars,
		       uint32_t max, const char *what, struct diag *d)
{
	int rv;

	if (n->k != SNUM_VALUE && n->k != SNUM_RANGE)
		return 0;
	if ((rv = resolve_expr(&n->lo, vars, max, what, d)) ||
	    (rv = resolve_expr(&n->hi, vars, max, what, d)))
		return rv;
	return 0;
}

static int resolve_opt(struct script_opt *o, const struct script_vars *vars,
		       struct diag *d)
{
	int rv;

	switch (o->kind) {
	case WIRE_TCPOPT_MSS:
		return resolve_num(&o->a, vars, UINT16_MAX, "mss", d);
	case WIRE_TCPOPT_WSCALE:
		return resolve_num(&o->a, vars, UINT8_MAX, "wscale", d);
	case WIRE_TCPOPT_TS:
		if ((rv = resolve_num(&o->a, vars, UINT32_MAX, "ts val", d)))
			return rv;
		return resolve_num(&o->b, vars, UINT32_MAX, "ts ecr", d);
	case WIRE_TCPOPT_SACK:
		for (uint8_t i = 0; i < o->n_sack && i < WIRE_MAX_SACK; i++)
			for (int j = 0; j < 2; j++)
				if ((rv = resolve_expr(&o->sack[i][j], vars, UINT32_MAX,
						       "a sack block edge", d)))
					return rv;
		return 0;
	default:
		return 0;
	}
}

int script_seg_resolve(const struct script_seg *seg, const struct script_vars *vars,
		       struct script_seg *out, struct diag *d)
{
	int rv;

	*out = *seg;
	if ((rv = resolve_num(&out->seq, vars, UINT32_MAX, "seq", d)) ||
	    (rv = resolve_num(&out->ack, vars, UINT32_MAX, "ack", d)) ||
	    (rv = resolve_num(&out->win, vars, UINT16_MAX, "win", d)) ||
	    (rv = resolve_num(&out->urp, vars, UINT16_MAX, "urg", d)) ||
	    (rv = resolve_num(&out->len, vars, UINT16_MAX, "len", d)) ||
	    (rv = resolve_num(&out->ttl, vars, UINT8_MAX, "ttl", d)) ||
	    (rv = resolve_num(&out->tos, vars, UINT8_MAX, "tos", d)) ||
	    (rv = resolve_num(&out->ecn, vars, 3, "ecn", d)) ||
	    (rv = resolve_num(&out->flow_label, vars, 0xFFFFF, "flow_label", d)))
		return rv;
	for (uint8_t i = 0; i < out->n_opts && i < SCRIPT_MAX_OPTS; i++)
		if ((rv = resolve_opt(&out->opts[i], vars, d)))
			return rv;
	return 0;
}

uint64_t script_tolerance_us(const struct script_step *st, const struct script_case *c,
			     const struct script_tol *run, uint64_t interval_us)
{
	const struct script_tol *t = NULL;
	uint64_t us = SCRIPT_TOL_DEFAULT_US, ppm = SCRIPT_TOL_DEFAULT_PPM;

	if (st && st->tol.set)
		t = &st->tol;
	else if (c && c->tolerance.set)
		t = &c->tolerance;
	else if (run && run->set)
		t = run;
	if (t) {
		us = t->us;
		ppm = t->ppm;
	}
	return us + interval_us * ppm / 1000000u;
}

const char *script_xfail_reason(const struct script_case *c, const char *target)
{
	for (size_t i = 0; c && target && i < c->n_xfail; i++)
		if (!strcmp(c->xfail[i].target, target))
			return c->xfail[i].reason;
	return NULL;
}

const char *script_cap_field_name(enum script_cap_field f)
{
	static const char *const names[] = {
		[SCAP_SEQ] = "seq", [SCAP_ACK] = "ack", [SCAP_SEQ_ABS] = "seq (abs)",
		[SCAP_ACK_ABS] = "ack (abs)", [SCAP_WIN] = "win", [SCAP_URG] = "urg",
		[SCAP_LEN] = "len", [SCAP_TSVAL] = "tsval", [SCAP_TSECR] = "tsecr",
		[SCAP_MSS] = "mss", [SCAP_WSCALE] = "wscale", [SCAP_TTL] = "ttl",
		[SCAP_TOS] = "tos", [SCAP_ECN] = "ecn", [SCAP_FLOW_LABEL] = "flow_label",
	};

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}
