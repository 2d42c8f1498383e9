/* script_app: `app:` steps, one command of the target agent each
 * (docs/agent.md): listen, accept, connect, write, read, shutdown, close,
 * abort, setsockopt; with expect_errno, async and at/at_abs. */
#include "script_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define MAX_WRITE (16u << 20)

static const char *const app_keys[] = {
	"listen", "accept", "connect", "write", "read", "shutdown", "close",
	"abort", "setsockopt", "expect_errno", "async", "at", "at_abs", NULL
};
#define N_OPS 9

const char *script_app_op_name(enum script_app_op op)
{
	return (unsigned)op < N_OPS ? app_keys[op] : "?";
}

static const char *const errno_names[] = {
	"EPERM", "ENOENT", "EINTR", "EIO", "EBADF", "EAGAIN", "EWOULDBLOCK",
	"ENOMEM", "EACCES", "EFAULT", "EBUSY", "EEXIST", "EINVAL", "ENFILE",
	"EMFILE", "ENOSPC", "EPIPE", "ERANGE", "ENOTSOCK", "EDESTADDRREQ",
	"EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT", "EOPNOTSUPP",
	"ENOTSUP", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN",
	"ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET", "ENOBUFS",
	"EISCONN", "ENOTCONN", "ESHUTDOWN", "ETIMEDOUT", "ECONNREFUSED",
	"EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "EPROTO", NULL
};

static const char *const sockopt_names[] = {
	"SO_RCVBUF", "SO_SNDBUF", "SO_LINGER", "SO_KEEPALIVE", "TCP_NODELAY",
	"TCP_MAXSEG", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT",
	"TCP_QUICKACK", "TCP_USER_TIMEOUT", "TCP_WINDOW_CLAMP", "IP_TTL",
	"IPV6_UNICAST_HOPS", NULL
};

static bool is_true(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && !strcmp((const char *)n->data.scalar.value, "true");
}

/* A number argument: an expression (a captured variable is fine). */
static int arg_num(const struct script_ctx *c, const yaml_node_t *n, const char *what,
		   uint64_t lo, uint64_t max, unsigned flags, struct script_expr *e)
{
	char d[64];
	int64_t cv = 0;
	int rv;

	if (!n || n->type != YAML_SCALAR_NODE || script_ynull(n))
		return script_yerr(c, n, "expected a number %llu..%llu for %s but found %s",
				   (unsigned long long)lo, (unsigned long long)max, what,
				   script_ydescribe(n, d, sizeof(d)));
	if (script_has_dollar((const char *)n->data.scalar.value, n->data.scalar.length))
		rv = script_expr_text(c, n, what, (const char *)n->data.scalar.value,
				      n->data.scalar.length, max, flags, e, &cv);
	else if ((rv = script_yuint(c, n, what, max, (uint64_t *)&cv)) == 0)
		*e = (struct script_expr){ .v = (uint32_t)cv };
	if (!rv && !e->ref && (uint64_t)cv < lo)
		return script_yerr(c, n, "expected a number %llu..%llu for %s but found %s",
				   (unsigned long long)lo, (unsigned long long)max, what,
				   script_ydescribe(n, d, sizeof(d)));
	return rv;
}

static int timeout(const struct script_ctx *c, const yaml_node_t *n, struct script_app *a)
{
	return n ? script_parse_duration(c, n, "timeout", &a->timeout_ms) : 0;
}

static int parse_listen(const struct script_ctx *c, const yaml_node_t *v, struct script_app *a)
{
	static const char *const keys[] = { "port", "backlog", "family", NULL };
	const yaml_node_t *x;
	const char *s;
	int rv;

	if (is_true(v))
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return arg_num(c, v, "listen (a port, true for the case's port, or {port, backlog, family})",
			       1, 65535, 0, &a->port);
	if ((rv = script_ykeys(c, v, "listen", keys)))
		return rv;
	if ((x = script_yget(c, v, "port")) && (rv = arg_num(c, x, "port", 1, 65535, 0, &a->port)))
		return rv;
	if ((x = script_yget(c, v, "backlog")) &&
	    (rv = arg_num(c, x, "backlog", 1, 65535, 0, &a->count)))
		return rv;
	if ((x = script_yget(c, v, "family"))) {
		if ((rv = script_ytext(c, x, "v4, v6 or any", &s)))
			return rv;
		if (!strcmp(s, "v4"))
			a->family = SCRIPT_FAM_V4;
		else if (!strcmp(s, "v6"))
			a->family = SCRIPT_FAM_V6;
		else if (!strcmp(s, "any"))
			a->family = SCRIPT_FAM_ANY;
		else
			return script_yerr(c, x, "expected v4, v6 or any for family but found '%s'", s);
	}
	return 0;
}

static int parse_connect(const struct script_ctx *c, const yaml_node_t *v, struct script_app *a)
{
	static const char *const keys[] = { "addr", "port", "from", "timeout", NULL };
	const yaml_node_t *x;
	unsigned char buf[16];
	int rv;

	c->b->has_connect = true;
	if (is_true(v))
		return 0;
	if ((rv = script_ykeys(c, v, "connect", keys)))
		return rv;
	if ((x = script_yget(c, v, "addr"))) {
		if ((rv = script_ytext(c, x, "an IP address", &a->addr)))
			return rv;
		if (inet_pton(c->ip_version == 6 ? AF_INET6 : AF_INET, a->addr, buf) != 1)
			return script_yerr(c, x, "expected an IPv%u address (the case's target: {ip: %u}) for addr but found '%s'",
					   c->ip_version, c->ip_version, a->addr);
	}
	if ((x = script_yget(c, v, "port")) && (rv = arg_num(c, x, "port", 1, 65535, 0, &a->port)))
		return rv;
	if ((x = script_yget(c, v, "from")) && (rv = arg_num(c, x, "from", 1, 65535, 0, &a->from)))
		return rv;
	return timeout(c, script_yget(c, v, "timeout"), a);
}

static int parse_write(const struct script_ctx *c, const yaml_node_t *v, struct script_app *a)
{
	static const char *const keys[] = { "bytes", "pattern", NULL };
	const yaml_node_t *x;
	int rv;

	if (v->type != YAML_MAPPING_NODE)
		return arg_num(c, v, "write (bytes)", 1, MAX_WRITE, 0, &a->count);
	if ((rv = script_ykeys(c, v, "write", keys)))
		return rv;
	if (!(x = script_yget(c, v, "bytes")))
		return script_yerr(c, v, "expected bytes in write (e.g. write: {bytes: 1000, pattern: abc})");
	if ((rv = arg_num(c, x, "bytes", 1, MAX_WRITE, 0, &a->count)))
		return rv;
	if ((x = script_yget(c, v, "pattern"))) {
		if ((rv = script_ytext(c, x, "a pattern", &a->pattern)))
			return rv;
		if (!*a->pattern || strlen(a->pattern) > 64 || strpbrk(a->pattern, " \t\r\n"))
			return script_yerr(c, x, "expected a pattern of 1 to 64 bytes without spaces but found '%s'",
					   a->pattern);
	}
	return 0;
}

static int read_data(const struct script_ctx *c, const yaml_node_t *x, bool hex,
		     struct script_app *a)
{
	const char *s;
	uint8_t *buf;
	int rv, got;

	if (a->data_set)
		return script_yerr(c, x, "expected one of data and hex, not both");
	if ((rv = script_ystring(c, x, hex ? "hex bytes" : "a string for data", &s)))
		return rv;
	buf = script_palloc(c->pool, strlen(s) + 1);
	if (!buf)
		return script_nomem(c);
	if (hex) {
		got = script_parse_hex(s, buf, strlen(s) / 2);
		if (got < 0)
			return script_yerr(c, x, "expected hex bytes like \"de ad be ef\" for hex but found '%s'", s);
		a->data_len = (uint32_t)got;
	} else {
		a->data_len = (uint32_t)x->data.scalar.length;
		memcpy(buf, x->data.scalar.value, a->data_len);
	}
	a->data = buf;
	a->data_set = true;
	return 0;
}

static int parse_read(const struct script_ctx *c, const yaml_node_t *v, struct script_app *a)
{
	static const char *const keys[] = { "max", "timeout", "data", "hex", "len", NULL };
	const yaml_node_t *x;
	int rv;

	if (is_true(v))
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return arg_num(c, v, "read (max bytes, true, or {max, timeout, data, hex, len})",
			       1, MAX_WRITE, 0, &a->count);
	if ((rv = script_ykeys(c, v, "read", keys)))
		return rv;
	if ((x = script_yget(c, v, "max")) && (rv = arg_num(c, x, "max", 1, MAX_WRITE, 0, &a->count)))
		return rv;
	if ((rv = timeout(c, script_yget(c, v, "timeout"), a)))
		return rv;
	if ((x = script_yget(c, v, "data")) && (rv = read_data(c, x, false, a)))
		return rv;
	if ((x = script_yget(c, v, "hex")) && (rv = read_data(c, x, true, a)))
		return rv;
	if ((x = script_yget(c, v, "len")))
		return script_ynum(c, x, "len", MAX_WRITE, SNUM_OK_MATCH, &a->len);
	return 0;
}

static int parse_setsockopt(const struct script_ctx *c, const yaml_node_t *v, struct script_app *a)
{
	const yaml_node_t *k, *x;
	char d[64];
	size_t i;

	if (v->type != YAML_MAPPING_NODE || script_ylen(v) != 1)
		return script_yerr(c, v, "expected one option in setsockopt (e.g. setsockopt: {SO_RCVBUF: 4096}) but found %s",
				   v->type == YAML_MAPPING_NODE ? "several" : script_ydescribe(v, d, sizeof(d)));
	k = script_ynode(c, v->data.mapping.pairs.start->key);
	x = script_ynode(c, v->data.mapping.pairs.start->value);
	if (script_ytext(c, k, "a socket option name", &a->opt_name))
		return SCRIPT_ERR_SCHEMA;
	for (i = 0; sockopt_names[i] && strcmp(sockopt_names[i], a->opt_name); i++)
		;
	if (!sockopt_names[i])
		return script_yunknown(c, k, "socket option", a->opt_name, "setsockopt", sockopt_names);
	if (x->type == YAML_SCALAR_NODE && (!strcmp((const char *)x->data.scalar.value, "true") ||
					    !strcmp((const char *)x->data.scalar.value, "false"))) {
		a->opt_value.v = x->data.scalar.value[0] == 't';
		return 0;
	}
	if (x->type == YAML_SCALAR_NODE && !strcmp((const char *)x->data.scalar.value, "-1")) {
		a->opt_value.v = UINT32_MAX;
		return 0;
	}
	return arg_num(c, x, a->opt_name, 0, INT32_MAX, SEXPR_SIGNED, &a->opt_value);
}

static int parse_action(const struct script_ctx *c, const yaml_node_t *v, struct script_app *a)
{
	const char *s;
	int rv;

	switch (a->op) {
	case SCRIPT_APP_LISTEN:
		return parse_listen(c, v, a);
	case SCRIPT_APP_ACCEPT:
		if (is_true(v))
			return 0;
		if ((rv = script_ykeys(c, v, "accept", (const char *const[]){ "timeout", NULL })))
			return rv;
		return timeout(c, script_yget(c, v, "timeout"), a);
	case SCRIPT_APP_CONNECT:
		return parse_connect(c, v, a);
	case SCRIPT_APP_WRITE:
		return parse_write(c, v, a);
	case SCRIPT_APP_READ:
		return parse_read(c, v, a);
	case SCRIPT_APP_SHUTDOWN:
		if ((rv = script_ytext(c, v, "rd, wr or rdwr for shutdown", &s)))
			return rv;
		if (!strcmp(s, "rd"))
			a->how = SCRIPT_SHUT_RD;
		else if (!strcmp(s, "wr"))
			a->how = SCRIPT_SHUT_WR;
		else if (!strcmp(s, "rdwr"))
			a->how = SCRIPT_SHUT_RDWR;
		else
			return script_yerr(c, v, "expected rd, wr or rdwr for shutdown but found '%s'", s);
		return 0;
	case SCRIPT_APP_CLOSE:
	case SCRIPT_APP_ABORT:
		if (!is_true(v)) {
			char d[64];

			return script_yerr(c, v, "expected true for %s (app: {%s: true}) but found %s",
					   script_app_op_name(a->op), script_app_op_name(a->op),
					   script_ydescribe(v, d, sizeof(d)));
		}
		return 0;
	case SCRIPT_APP_SETSOCKOPT:
		return parse_setsockopt(c, v, a);
	}
	return 0;
}

int script_parse_app(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_step *st)
{
	struct script_app *a = &st->app;
	const yaml_node_t *action = NULL, *akey = NULL;
	yaml_node_pair_t *p;
	int rv;

	if ((rv = script_ykeys(c, n, "app", app_keys)))
		return rv;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = script_ynode(c, p->key), *v = script_ynode(c, p->value);
		const char *key = (const char *)k->data.scalar.value;
		unsigned i;

		for (i = 0; strcmp(app_keys[i], key); i++)
			;
		if (i < N_OPS) {
			if (action)
				return script_yerr(c, k, "expected one action per app step but found %s and %s",
						   (const char *)akey->data.scalar.value, key);
			action = v;
			akey = k;
			a->op = (enum script_app_op)i;
		} else if (!strcmp(key, "expect_errno")) {
			const char *e;
			unsigned j;

			if ((rv = script_ytext(c, v, "an errno name like ECONNREFUSED", &e)))
				return rv;
			for (j = 0; errno_names[j] && strcmp(errno_names[j], e); j++)
				;
			if (!errno_names[j])
				return script_yunknown(c, v, "errno", e, "expect_errno", errno_names);
			a->expect_errno = e;
		} else if (!strcmp(key, "async")) {
			if ((rv = script_ybool(c, v, "async", &a->async)))
				return rv;
		} else if ((rv = script_parse_timing(c, k, v, st))) {
			return rv;
		}
	}
	if (!action)
		return script_yerr(c, n, "expected an action in app (listen, accept, connect, write, read, shutdown, close, abort or setsockopt)");
	return parse_action(c, action, a);
}
