/* script_expr: what the loader knows about variables. Values known at load
 * time (vars:, matrix:, with:, params:, repeat) live in scopes and fold
 * into constants; a name bound by an earlier `capture` becomes a
 * script_ref that the runner evaluates. Also the pool that owns the
 * strings and arrays a case's steps point at. */
#include "script_priv.h"

#include <inttypes.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the pool: one allocation per object, freed together --- */

struct script_pool {
	struct script_pool *next;
	max_align_t data[];
};

void *script_palloc(struct script_pool **pool, size_t size)
{
	struct script_pool *p;

	if (size > SIZE_MAX - sizeof(*p))
		return NULL;
	p = calloc(1, sizeof(*p) + (size ? size : 1));
	if (!p)
		return NULL;
	p->next = *pool;
	*pool = p;
	return p->data;
}

char *script_pstrndup(struct script_pool **pool, const char *s, size_t len)
{
	char *d = script_palloc(pool, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

char *script_pstrdup(struct script_pool **pool, const char *s)
{
	return script_pstrndup(pool, s, strlen(s));
}

void script_pool_free(struct script_pool *pool)
{
	while (pool) {
		struct script_pool *next = pool->next;

		free(pool);
		pool = next;
	}
}

int script_nomem(const struct script_ctx *c)
{
	diag_set(c->d, c->file, 0, 0, "out of memory");
	return SCRIPT_ERR_NOMEM;
}

/* --- names and scopes --- */

static bool name_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool name_char(char ch)
{
	return name_start(ch) || (ch >= '0' && ch <= '9');
}

bool script_name_ok(const char *s)
{
	if (!name_start(*s))
		return false;
	while (*++s)
		if (!name_char(*s))
			return false;
	return true;
}

const struct script_binding *script_env_find(const struct script_env *e,
					     const char *name, size_t len)
{
	for (; e; e = e->up)
		for (size_t i = e->n; i-- > 0;)
			if (strlen(e->b[i].name) == len && !memcmp(e->b[i].name, name, len))
				return &e->b[i];
	return NULL;
}

bool script_caught(const struct script_ctx *c, const char *name, size_t len)
{
	if (!c->b)
		return false;
	for (size_t i = 0; i < c->b->n_caught; i++)
		if (strlen(c->b->caught[i]) == len && !memcmp(c->b->caught[i], name, len))
			return true;
	return false;
}

bool script_has_dollar(const char *s, size_t len)
{
	return memchr(s, '$', len) != NULL;
}

/* "$name" or "${name}" at s[i] ('$' there): the name's span and the end. */
static bool var_at(const char *s, size_t len, size_t i, size_t *ns, size_t *nl,
		   size_t *end)
{
	size_t j = i + 1;

	if (j < len && s[j] == '{') {
		size_t k = j + 1;

		if (k >= len || !name_start(s[k]))
			return false;
		while (k < len && name_char(s[k]))
			k++;
		if (k >= len || s[k] != '}')
			return false;
		*ns = j + 1;
		*nl = k - j - 1;
		*end = k + 1;
		return true;
	}
	if (j >= len || !name_start(s[j]))
		return false;
	while (j < len && name_char(s[j]))
		j++;
	*ns = i + 1;
	*nl = j - i - 1;
	*end = j;
	return true;
}

static int unknown_var(const struct script_ctx *c, const yaml_node_t *n,
		       const char *name, size_t len)
{
	return script_yerr(c, n, "unknown variable '%.*s'; expected one bound by vars:, matrix:, with:, params:, repeat or an earlier capture",
			   (int)len, name);
}

static int runtime_var(const struct script_ctx *c, const yaml_node_t *n,
		       const char *name, size_t len, const char *what)
{
	return script_yerr(c, n, "variable '%.*s' is captured at run time; expected a value known when the file loads for %s (vars:, matrix:, with:, repeat)",
			   (int)len, name, what);
}

/* --- expressions --- */

static size_t skip_sp(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* A number token: digits, or 0x and hex digits. */
static size_t num_end(const char *s, size_t len, size_t i)
{
	while (i < len && (name_char(s[i])))
		i++;
	return i;
}

/* Is the text shaped like an expression (whatever its names hold)? */
static bool expr_shape(const char *s, size_t len)
{
	size_t i = skip_sp(s, len, 0), ns, nl, end;

	if (i < len && s[i] == '-')
		i = skip_sp(s, len, i + 1);
	for (;;) {
		if (i >= len)
			return false;
		if (s[i] == '$') {
			if (!var_at(s, len, i, &ns, &nl, &end))
				return false;
			i = end;
		} else if (s[i] >= '0' && s[i] <= '9') {
			uint64_t v;
			size_t e = num_end(s, len, i);

			if (!script_parse_uint(s + i, e - i, UINT32_MAX, &v))
				return false;
			i = e;
		} else {
			return false;
		}
		i = skip_sp(s, len, i);
		if (i == len)
			return true;
		if (s[i] != '+' && s[i] != '-')
			return false;
		i = skip_sp(s, len, i + 1);
	}
}

int script_expr_text(const struct script_ctx *c, const yaml_node_t *n,
		     const char *what, const char *s, size_t len, uint64_t max,
		     unsigned flags, struct script_expr *out, int64_t *cval)
{
	const struct script_ref *ref = NULL;
	unsigned plus = 0, minus = 0;
	int64_t acc = 0, sign = 1;
	size_t i = skip_sp(s, len, 0), ns, nl, end;

	if (!expr_shape(s, len))
		return script_yerr(c, n, "expected a number, $name or ${name}, joined by + or -, for %s but found '%.*s'",
				   what, (int)len, s);
	if (s[i] == '-') {
		sign = -1;
		i = skip_sp(s, len, i + 1);
	}
	while (i < len) {
		if (s[i] == '$') {
			const struct script_binding *b;

			var_at(s, len, i, &ns, &nl, &end);
			b = script_env_find(c->env, s + ns, nl);
			if (b && !b->num)
				return script_yerr(c, n, "variable '%.*s' is '%s', not a number; expected a number for %s",
						   (int)nl, s + ns, b->str, what);
			if (b) {
				acc += sign * (b->expr.ref ? (int64_t)b->expr.v : b->cval);
				if (b->expr.ref) {
					ref = b->expr.ref;
					*(sign > 0 ? &plus : &minus) += 1;
				}
			} else if (script_caught(c, s + ns, nl)) {
				struct script_ref *r;

				if (flags & SEXPR_STATIC)
					return runtime_var(c, n, s + ns, nl, what);
				r = script_palloc(c->pool, sizeof(*r));
				if (!r || !(r->name = script_pstrndup(c->pool, s + ns, nl)))
					return script_nomem(c);
				r->file = c->file;
				r->line = (unsigned)n->start_mark.line + 1;
				r->col = (unsigned)n->start_mark.column + 1;
				ref = r;
				*(sign > 0 ? &plus : &minus) += 1;
			} else {
				return unknown_var(c, n, s + ns, nl);
			}
			i = end;
		} else {
			uint64_t v;
			size_t e = num_end(s, len, i);

			script_parse_uint(s + i, e - i, UINT32_MAX, &v);
			acc += sign * (int64_t)v;
			i = e;
		}
		i = skip_sp(s, len, i);
		if (i < len) {
			sign = s[i] == '-' ? -1 : 1;
			i = skip_sp(s, len, i + 1);
		}
	}
	if (minus || plus > 1)
		return script_yerr(c, n, "expected at most one captured variable, added (like $srv_ts+1), for %s but found '%.*s'",
				   what, (int)len, s);
	if (ref && (flags & SEXPR_STATIC))
		return runtime_var(c, n, ref->name, strlen(ref->name), what);
	if (!ref && max != UINT32_MAX && (acc < 0 || (uint64_t)acc > max))
		return script_yerr(c, n, "expected a number 0..%" PRIu64 " for %s but '%.*s' is %" PRId64,
				   max, what, (int)len, s, acc);
	out->v = (uint32_t)acc;
	out->ref = ref;
	if (cval)
		*cval = acc;
	return 0;
}

/* --- text --- */

int script_interp(const struct script_ctx *c, const yaml_node_t *n,
		  const char *s, const char **out)
{
	size_t len = strlen(s), cap = len + 1, o = 0, ns, nl, end;
	char *buf;

	if (!strchr(s, '$')) {
		*out = s;
		return 0;
	}
	buf = malloc(cap);
	if (!buf)
		return script_nomem(c);
	for (size_t i = 0; i < len;) {
		const char *add = s + i;
		size_t alen = 1, step = 1;

		if (s[i] == '$' && i + 1 < len && s[i + 1] == '$') {
			step = 2;
		} else if (s[i] == '$' && var_at(s, len, i, &ns, &nl, &end)) {
			const struct script_binding *b = script_env_find(c->env, s + ns, nl);

			if (!b || !b->str) {
				free(buf);
				if (b || script_caught(c, s + ns, nl))
					return runtime_var(c, n, s + ns, nl, "text");
				return unknown_var(c, n, s + ns, nl);
			}
			add = b->str;
			alen = strlen(add);
			step = end - i;
		}
		if (o + alen + 1 > cap) {
			char *nb;

			cap = (o + alen + 1) * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return script_nomem(c);
			}
			buf = nb;
		}
		memcpy(buf + o, add, alen);
		o += alen;
		i += step;
	}
	*out = script_pstrndup(c->pool, buf, o);
	free(buf);
	return *out ? 0 : script_nomem(c);
}

int script_ytext(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, const char **out)
{
	const char *s;
	int rv = script_ystring(c, n, what, &s);

	if (rv)
		return rv;
	if (strchr(s, '$'))
		return script_interp(c, n, s, out);
	/* the document goes away after the load: the model keeps a copy */
	*out = script_pstrdup(c->pool, s);
	return *out ? 0 : script_nomem(c);
}

/* A plain number: no '$', no operator after the first character. */
static bool plain_number(const char *s, size_t len)
{
	uint64_t v;

	return script_parse_uint(s, len, UINT32_MAX, &v);
}

int script_bind(const struct script_ctx *c, const yaml_node_t *n,
		const char *name, const char *src, struct script_binding *out)
{
	const char *s;
	size_t len, ns, nl, end;
	char b[64];
	int rv;

	memset(out, 0, sizeof(*out));
	out->name = name;
	out->src = src;
	if (!n || n->type != YAML_SCALAR_NODE || script_ynull(n))
		return script_yerr(c, n, "expected a value (a number, an expression or text) for %s but found %s",
				   name, script_ydescribe(n, b, sizeof(b)));
	rv = script_ystring(c, n, "a value", &s);
	if (rv)
		return rv;
	len = strlen(s);
	/* $other alone: the same binding, text or number */
	if (len > 1 && s[0] == '$' && var_at(s, len, 0, &ns, &nl, &end) && end == len) {
		const struct script_binding *o = script_env_find(c->env, s + ns, nl);

		if (o) {
			*out = *o;
			out->name = name;
			out->src = src;
			out->mvar = NULL;
			return 0;
		}
	}
	if (expr_shape(s, len)) {
		rv = script_expr_text(c, n, name, s, len, UINT32_MAX, SEXPR_SIGNED,
				      &out->expr, &out->cval);
		if (rv)
			return rv;
		out->num = true;
		if (out->expr.ref)
			return 0;
		if (plain_number(s, len)) {
			out->str = s;
		} else {
			snprintf(b, sizeof(b), "%" PRId64, out->cval);
			out->str = script_pstrdup(c->pool, b);
			if (!out->str)
				return script_nomem(c);
		}
		return 0;
	}
	return script_interp(c, n, s, &out->str);
}
