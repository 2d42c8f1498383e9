/* script_yaml: libyaml document-node access for the loader. Every error
 * carries the offending node's position, 1-based. */
#include "script_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

yaml_node_t *script_ynode(const struct script_ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

int script_yerr(const struct script_ctx *c, const yaml_node_t *n,
		const char *fmt, ...)
{
	va_list ap;

	diag_set(c->d, c->file, n ? (unsigned)n->start_mark.line + 1 : 0,
		 n ? (unsigned)n->start_mark.column + 1 : 0, "%s", "");
	va_start(ap, fmt);
	vsnprintf(c->d->msg, sizeof(c->d->msg), fmt, ap);
	va_end(ap);
	return SCRIPT_ERR_SCHEMA;
}

bool script_ynull(const yaml_node_t *n)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return !n;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

const char *script_ydescribe(const yaml_node_t *n, char *buf, size_t cap)
{
	if (!n || script_ynull(n))
		return "nothing";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	/* keep messages one line and bounded */
	if (n->data.scalar.length > 40)
		snprintf(buf, cap, "'%.37s...'", (const char *)n->data.scalar.value);
	else
		snprintf(buf, cap, "'%s'", (const char *)n->data.scalar.value);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return buf;
}

int script_ystring(const struct script_ctx *c, const yaml_node_t *n,
		   const char *what, const char **out)
{
	char b[64];

	if (!n || n->type != YAML_SCALAR_NODE || script_ynull(n))
		return script_yerr(c, n, "expected %s but found %s", what,
				   script_ydescribe(n, b, sizeof(b)));
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return script_yerr(c, n, "expected %s but found a NUL byte", what);
	*out = (const char *)n->data.scalar.value;
	return 0;
}

/* Levenshtein distance, capped: only small typos are worth suggesting. */
static unsigned distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0], tmp;

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			diag = tmp;
		}
	}
	return row[lb];
}

void script_diag_append(struct diag *d, const char *fmt, ...)
{
	size_t off = strlen(d->msg);
	va_list ap;

	if (off + 1 >= sizeof(d->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(d->msg + off, sizeof(d->msg) - off, fmt, ap);
	va_end(ap);
}

int script_yunknown(const struct script_ctx *c, const yaml_node_t *k,
		    const char *what, const char *key, const char *where,
		    const char *const *allowed)
{
	char list[256] = "", hint[64] = "";
	size_t off = 0;
	unsigned best = 3;

	for (size_t i = 0; allowed[i]; i++) {
		unsigned dist = distance(key, allowed[i]);

		/* a list too long for one line ends in "..." between names */
		if (off + strlen(allowed[i]) + 7 < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						i ? ", " : "", allowed[i]);
		else if (!strstr(list, "..."))
			off += (size_t)snprintf(list + off, sizeof(list) - off, ", ...");
		if (dist < best) {
			best = dist;
			snprintf(hint, sizeof(hint), " (did you mean '%s'?)",
				 allowed[i]);
		}
	}
	return script_yerr(c, k, "unknown %s '%s' in %s; expected one of: %s%s",
			   what, key, where, list, hint);
}

int script_ykeys(const struct script_ctx *c, const yaml_node_t *n,
		 const char *where, const char *const *allowed)
{
	yaml_node_pair_t *p, *q;
	char b[64];

	if (!n || n->type != YAML_MAPPING_NODE)
		return script_yerr(c, n, "expected a mapping for %s but found %s",
				   where, script_ydescribe(n, b, sizeof(b)));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = script_ynode(c, p->key);
		const char *key;
		size_t i;

		if (!k || k->type != YAML_SCALAR_NODE || script_ynull(k))
			return script_yerr(c, k, "expected a key name in %s but found %s",
					   where, script_ydescribe(k, b, sizeof(b)));
		key = (const char *)k->data.scalar.value;
		for (i = 0; allowed[i]; i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (!allowed[i])
			return script_yunknown(c, k, "key", key, where, allowed);
		/* libyaml accepts duplicate keys; a second value would be
		 * silently ignored, so refuse it */
		for (q = n->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *k2 = script_ynode(c, q->key);

			if (!strcmp((const char *)k2->data.scalar.value, key))
				return script_yerr(c, k, "duplicate key '%s' in %s (first at line %u)",
						   key, where,
						   (unsigned)k2->start_mark.line + 1);
		}
	}
	return 0;
}

yaml_node_t *script_yget(const struct script_ctx *c, const yaml_node_t *n,
			 const char *key)
{
	yaml_node_pair_t *p;

	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = script_ynode(c, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, key))
			return script_ynode(c, p->value);
	}
	return NULL;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool script_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		int dv = hexval(s[i]);

		if (dv < 0 || (unsigned)dv >= base || (uint64_t)dv > max)
			return false;
		if (v > (max - (uint64_t)dv) / base)
			return false;
		v = v * base + (uint64_t)dv;
	}
	*out = v;
	return true;
}

size_t script_ylen(const yaml_node_t *n)
{
	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return 0;
}

int script_ybool(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, bool *out)
{
	const char *s;
	char b[64];

	if (n && n->type == YAML_SCALAR_NODE && !script_ynull(n)) {
		if (script_ytext(c, n, what, &s))
			return SCRIPT_ERR_SCHEMA;
		if (!strcmp(s, "true") || !strcmp(s, "false")) {
			*out = s[0] == 't';
			return 0;
		}
	}
	return script_yerr(c, n, "expected true or false for %s but found %s",
			   what, script_ydescribe(n, b, sizeof(b)));
}

int script_yuint(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, uint64_t max, uint64_t *out)
{
	char b[64];

	if (n && n->type == YAML_SCALAR_NODE &&
	    script_has_dollar((const char *)n->data.scalar.value, n->data.scalar.length)) {
		struct script_expr e;
		int rv = script_expr_text(c, n, what, (const char *)n->data.scalar.value,
					  n->data.scalar.length, max, SEXPR_STATIC, &e, NULL);

		if (!rv)
			*out = e.v;
		return rv;
	}
	if (n && n->type == YAML_SCALAR_NODE &&
	    script_parse_uint((const char *)n->data.scalar.value,
			      n->data.scalar.length, max, out))
		return 0;
	return script_yerr(c, n, "expected a number 0..%llu for %s but found %s",
			   (unsigned long long)max, what,
			   script_ydescribe(n, b, sizeof(b)));
}

int script_parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (;;) {
		int hi, lo;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			return (int)n;
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0 || n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
}
