/* runner_app: the case's side of the target agent (docs/agent.md).
 *
 * Each case starts with `reset` (no socket of an earlier case is left)
 * and the case's sysctls (the values found are restored at its end). An
 * `app` step becomes one agent command naming the case's handles: the
 * listening socket of its last `listen`, the connection of its last
 * `accept` or `connect`. A synchronous step waits for the reply and
 * judges it; an `async` one is sent at once and its reply collected and
 * judged before the next app step, or at the end of the case. A connect
 * to the tester's own address is always sent that way: the agent's
 * connect() returns only once the runner has answered the SYN, which the
 * runner can only do while it is not waiting for the reply. The agent
 * runs commands in order, so a step after it waits for the handshake.
 *
 * While a synchronous command runs the link is not read: the capture
 * keeps what arrives, with its times, for the next expect. */
#include "runner_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_client.h"

#define MARGIN_MS 3000          /* a reply's round trip beyond the command's own timeout */

int app_connect(struct runner *r, char *err, size_t cap)
{
	struct agent_reply rep;
	int64_t deadline = netdev_now_ns() + 5000 * MS_NS;

	agent_client_del(r->agent);
	r->agent = NULL;
	if (agent_client_connect(&r->agent, r->cfg.agent, deadline, err, cap) < 0)
		return -1;
	if (agent_client_call(r->agent, deadline, &rep, "ping") < 0 || !rep.ok ||
	    strncmp(rep.text, "tcpspec-agent", 13)) {
		snprintf(err, cap, "%s: not a tcpspec agent (%s)", r->cfg.agent,
			 rep.ok ? rep.text : agent_client_error(r->agent));
		agent_client_del(r->agent);
		r->agent = NULL;
		return -1;
	}
	return 0;
}

/* The command's own longest wait (docs/agent.md, "Time"). */
static uint32_t own_timeout(const struct script_app *a)
{
	if (a->timeout_ms)
		return a->timeout_ms;
	switch (a->op) {
	case SCRIPT_APP_ACCEPT:
	case SCRIPT_APP_READ:
	case SCRIPT_APP_WRITE:
		return 1000;
	case SCRIPT_APP_CONNECT:
		return 3000;
	default:
		return 0;
	}
}

static int64_t deadline_of(const struct script_app *a)
{
	return netdev_now_ns() + ((int64_t)own_timeout(a) + MARGIN_MS) * MS_NS;
}

/* The channel failed: the client is unusable (a late reply would answer
 * the next command); the next case connects again. */
static int channel_fail(struct play *pl, size_t step, bool is_step, const char *what)
{
	struct runner *r = pl->r;
	char why[300];

	snprintf(why, sizeof(why), "%s", r->agent ? agent_client_error(r->agent) : "not connected");
	agent_client_del(r->agent);
	r->agent = NULL;
	if (is_step)
		play_fail(pl, RUNNER_ERROR, step, "step %zu (app %s): agent: %s", step + 1, what, why);
	else
		play_fail_case(pl, RUNNER_ERROR, "agent (%s): %s", what, why);
	return -1;
}

static bool same_addr(uint8_t ipv, const char *a, const char *b)
{
	uint8_t x[16], y[16];
	int af = ipv == 6 ? AF_INET6 : AF_INET;

	return inet_pton(af, a, x) == 1 && inet_pton(af, b, y) == 1 &&
	       !memcmp(x, y, ipv == 6 ? 16 : 4);
}

static int eval(const struct script_expr *e, const struct script_vars *vars, uint32_t *v,
		struct diag *d)
{
	return script_eval(e, vars, v, d) ? SCRIPT_ERR_UNBOUND : 0;
}

static const char *need(const char *h, const char *what, enum script_app_op op, struct diag *d)
{
	if (h && h[0])
		return h;
	diag_set(d, NULL, 0, 0, "no %s for %s: an app %s step must come first", what,
		 script_app_op_name(op),
		 !strcmp(what, "listening socket") ? "listen" : "accept or connect");
	return NULL;
}

int runner_app_command(const struct script_app *a, const struct runner_app_ctx *ctx,
		       const struct script_vars *vars, char *buf, size_t cap,
		       bool *injected, struct diag *d)
{
	static const char *const fam[] = { "v4", "v4", "v6", "any" };
	static const char *const how[] = { "rd", "wr", "rdwr" };
	const char *h, *addr;
	uint32_t port = 0, n = 0, from = 0;
	int w = 0;

	*injected = false;
	switch (a->op) {
	case SCRIPT_APP_LISTEN:
		if (eval(&a->port, vars, &port, d) || eval(&a->count, vars, &n, d))
			return SCRIPT_ERR_UNBOUND;
		w = snprintf(buf, cap, "listen %u %s", port ? port : ctx->case_port,
			     a->family == SCRIPT_FAM_CASE ? (ctx->ip_version == 6 ? "v6" : "v4")
							  : fam[a->family]);
		if (n)
			w += snprintf(buf + w, cap - (size_t)w, " backlog %u", n);
		break;
	case SCRIPT_APP_ACCEPT:
		if (!(h = need(ctx->listen_h, "listening socket", a->op, d)))
			return SCRIPT_ERR_SCHEMA;
		w = snprintf(buf, cap, "accept %s", h);
		break;
	case SCRIPT_APP_CONNECT:
		if (eval(&a->port, vars, &port, d) || eval(&a->from, vars, &from, d))
			return SCRIPT_ERR_UNBOUND;
		addr = a->addr ? a->addr : ctx->tester_addr;
		*injected = same_addr(ctx->ip_version, addr, ctx->tester_addr);
		w = snprintf(buf, cap, "connect %s %u", addr,
			     port ? port : *injected ? ctx->tester_port : 0);
		if (from || ctx->client_port)
			w += snprintf(buf + w, cap - (size_t)w, " from %u",
				      from ? from : ctx->client_port);
		break;
	case SCRIPT_APP_WRITE:
		if (!(h = need(ctx->conn_h, "connection", a->op, d)) || eval(&a->count, vars, &n, d))
			return h ? SCRIPT_ERR_UNBOUND : SCRIPT_ERR_SCHEMA;
		w = snprintf(buf, cap, "write %s %u", h, n);
		if (a->pattern)
			w += snprintf(buf + w, cap - (size_t)w, " pattern %s", a->pattern);
		break;
	case SCRIPT_APP_READ:
		if (!(h = need(ctx->conn_h, "connection", a->op, d)) || eval(&a->count, vars, &n, d))
			return h ? SCRIPT_ERR_UNBOUND : SCRIPT_ERR_SCHEMA;
		w = snprintf(buf, cap, "read %s", h);
		if (n)
			w += snprintf(buf + w, cap - (size_t)w, " max %u",
				      n < AGENT_READ_MAX ? n : AGENT_READ_MAX);
		break;
	case SCRIPT_APP_SHUTDOWN:
		if (!(h = need(ctx->conn_h, "connection", a->op, d)))
			return SCRIPT_ERR_SCHEMA;
		w = snprintf(buf, cap, "shutdown %s %s", h, how[a->how]);
		break;
	case SCRIPT_APP_CLOSE:
	case SCRIPT_APP_ABORT:
	case SCRIPT_APP_SETSOCKOPT:
		/* the connection, else the listening socket */
		h = ctx->conn_h && ctx->conn_h[0] ? ctx->conn_h : ctx->listen_h;
		if (!(h = need(h, "socket", a->op, d)))
			return SCRIPT_ERR_SCHEMA;
		if (a->op != SCRIPT_APP_SETSOCKOPT) {
			w = snprintf(buf, cap, "%s %s", script_app_op_name(a->op), h);
			break;
		}
		if (eval(&a->opt_value, vars, &n, d))
			return SCRIPT_ERR_UNBOUND;
		w = snprintf(buf, cap, "setsockopt %s %s %d", h, a->opt_name, (int32_t)n);
		break;
	}
	if (own_timeout(a) && a->timeout_ms && w >= 0 && (size_t)w < cap)
		w += snprintf(buf + w, cap - (size_t)w, " timeout %u", a->timeout_ms);
	return w >= 0 && (size_t)w < cap ? 0 : SCRIPT_ERR_RANGE;
}

/* "hello" with escapes, at most cap - 1 bytes. */
static void quote(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
				      p[i] != '\\' ? "%c" : "\\x%02x", p[i]);
	out[o] = '\0';
}

/* What a successful read returned, against data / len. */
static int judge_read(struct play *pl, size_t i, const struct agent_reply *rep)
{
	const struct script_app *a = &pl->c->steps[i].app;
	uint8_t *got = malloc(AGENT_READ_MAX);
	char e[200], o[200], where[DIAG_MSG_MAX + 300];
	uint32_t lo = 0, hi = UINT32_MAX;
	struct diag d;
	ssize_t n;
	int rc = 0;

	if (!got) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (app read): out of memory", i + 1);
		return -1;
	}
	n = agent_reply_data(rep, got, AGENT_READ_MAX);
	if (n < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (app read): agent reply is not data: '%.80s'",
			  i + 1, rep->text);
		rc = -1;
	} else if (a->data_set && ((size_t)n != a->data_len || memcmp(got, a->data, (size_t)n))) {
		quote(a->data, a->data_len, e, sizeof(e));
		quote(got, (size_t)n, o, sizeof(o));
		play_fail(pl, RUNNER_FAIL, i, "step %zu (app read): data: expected \"%s\", read \"%s\"%s",
			  i + 1, e, o, n ? "" : " (end of stream)");
		rc = -1;
	} else if (a->len.k == SNUM_VALUE || a->len.k == SNUM_RANGE) {
		diag_clear(&d);
		if (script_eval(&a->len.lo, &pl->vars, &lo, &d) ||
		    script_eval(&a->len.hi, &pl->vars, &hi, &d)) {
			diag_format(&d, where, sizeof(where));
			play_fail(pl, RUNNER_ERROR, i, "step %zu (app read): %s", i + 1, where);
			rc = -1;
		} else if ((uint64_t)n < lo || (uint64_t)n > hi) {
			if (lo == hi)
				snprintf(e, sizeof(e), "%u", lo);
			else
				snprintf(e, sizeof(e), "%u..%u", lo, hi);
			play_fail(pl, RUNNER_FAIL, i, "step %zu (app read): len: expected %s, read %zd%s",
				  i + 1, e, n, n ? "" : " (end of stream)");
			rc = -1;
		}
	}
	free(got);
	return rc;
}

static void set_handle(char *dst, size_t cap, const struct agent_reply *rep)
{
	snprintf(dst, cap, "%s", rep->n_vals ? rep->vals[0] : "");
}

/* Judges the reply of app step i. */
static int judge(struct play *pl, size_t i, const struct agent_reply *rep)
{
	const struct script_app *a = &pl->c->steps[i].app;
	const char *op = script_app_op_name(a->op), *ename = rep->err_name;
	int err = rep->err;
	bool partial = rep->ok && a->op == SCRIPT_APP_WRITE && rep->n_vals >= 2;

	if (partial) {
		/* "ok M ENAME": fewer bytes than asked, stopped by ENAME */
		ename = rep->vals[1];
		err = agent_errno_value(ename);
	}
	if (!rep->ok || partial) {
		if (a->expect_errno && err >= 0 && agent_errno_value(a->expect_errno) == err)
			return 0;
		if (a->expect_errno)
			play_fail(pl, RUNNER_FAIL, i, "step %zu (app %s): expected %s, got %s %s", i + 1,
				  op, a->expect_errno, ename, rep->text);
		else if (partial)
			play_fail(pl, RUNNER_FAIL, i, "step %zu (app %s): wrote only %s bytes (%s)",
				  i + 1, op, rep->vals[0], ename);
		else
			play_fail(pl, RUNNER_FAIL, i, "step %zu (app %s): %s %s", i + 1, op, ename,
				  rep->text);
		return -1;
	}
	if (a->expect_errno) {
		play_fail(pl, RUNNER_FAIL, i, "step %zu (app %s): expected %s, but it succeeded (ok%s%s)",
			  i + 1, op, a->expect_errno, rep->text[0] ? " " : "", rep->text);
		return -1;
	}
	switch (a->op) {
	case SCRIPT_APP_LISTEN:
		set_handle(pl->listen_h, sizeof(pl->listen_h), rep);
		return 0;
	case SCRIPT_APP_ACCEPT:
	case SCRIPT_APP_CONNECT:
		set_handle(pl->conn_h, sizeof(pl->conn_h), rep);
		return 0;
	case SCRIPT_APP_READ:
		return judge_read(pl, i, rep);
	case SCRIPT_APP_CLOSE:
	case SCRIPT_APP_ABORT:
		/* that socket is gone: the next one is the listener, if any */
		if (pl->conn_h[0])
			pl->conn_h[0] = '\0';
		else
			pl->listen_h[0] = '\0';
		return 0;
	default:
		return 0;
	}
}

/* Collects every pending async reply, in order, and judges each. */
static int collect(struct play *pl)
{
	struct agent_reply rep;
	int rc = 0;

	for (size_t k = 0; k < pl->n_async; k++) {
		size_t i = pl->async[k];
		const struct script_app *a = &pl->c->steps[i].app;

		if (!pl->r->agent) {
			rc = -1;
			continue;
		}
		if (agent_client_recv(pl->r->agent, deadline_of(a), &rep) < 0) {
			channel_fail(pl, i, true, script_app_op_name(a->op));
			rc = -1;
			continue;
		}
		if (judge(pl, i, &rep) < 0)
			rc = -1;
	}
	pl->n_async = 0;
	return rc;
}

int app_step(struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];
	const struct script_app *a = &st->app;
	const char *op = script_app_op_name(a->op);
	struct runner_app_ctx ctx = {
		.listen_h = pl->listen_h, .conn_h = pl->conn_h, .case_port = pl->c->port,
		.ip_version = pl->f.ip_version, .tester_addr = pl->tester_addr,
		.tester_port = pl->f.tester_port,
		.client_port = pl->c->role == SCRIPT_ROLE_CLIENT ? pl->c->port : 0,
	};
	char cmd[AGENT_LINE_MAX], where[DIAG_MSG_MAX + 300];
	struct agent_reply rep;
	struct diag d;
	bool injected;
	int rc;

	if (collect(pl) < 0)
		return -1;
	if (!pl->r->agent)
		return channel_fail(pl, i, true, op);
	diag_clear(&d);
	rc = runner_app_command(a, &ctx, &pl->vars, cmd, sizeof(cmd), &injected, &d);
	if (rc) {
		diag_format(&d, where, sizeof(where));
		play_fail(pl, RUNNER_ERROR, i, "step %zu (app %s): %s", i + 1, op, where);
		return -1;
	}
	if (a->async || injected) {
		if (agent_client_send(pl->r->agent, deadline_of(a), "%s", cmd) < 0)
			return channel_fail(pl, i, true, op);
		pl->async[pl->n_async++] = i;
		pl->t_end[i] = play_rt_now(pl);
		return 0;
	}
	if (agent_client_call(pl->r->agent, deadline_of(a), &rep, "%s", cmd) < 0)
		return channel_fail(pl, i, true, op);
	pl->t_end[i] = play_rt_now(pl);
	return judge(pl, i, &rep);
}

/* A sysctl read or write for the case; the reply text into got. */
static int sysctl(struct play *pl, const char *name, const char *value, char *got, size_t cap)
{
	struct agent_reply rep;
	int64_t deadline = netdev_now_ns() + MARGIN_MS * MS_NS;
	int rc;

	rc = value ? agent_client_call(pl->r->agent, deadline, &rep, "sysctl %s %s", name, value)
		   : agent_client_call(pl->r->agent, deadline, &rep, "sysctl %s", name);
	if (rc < 0)
		return channel_fail(pl, 0, false, "sysctl");
	if (!rep.ok) {
		play_fail_case(pl, RUNNER_ERROR, "%s:%u: sysctl %s%s%s: %s %s", pl->c->file,
			       pl->c->line, name, value ? " " : "", value ? value : "",
			       rep.err_name, rep.text);
		return -1;
	}
	snprintf(got, cap, "%s", rep.text);
	return 0;
}

int app_begin(struct play *pl)
{
	struct runner *r = pl->r;
	struct agent_reply rep;
	char err[300], old[512];

	if (!r->cfg.agent)
		return 0;
	if (!r->agent && app_connect(r, err, sizeof(err)) < 0) {
		play_fail_case(pl, RUNNER_ERROR, "agent: %s", err);
		return -1;
	}
	if (agent_client_call(r->agent, netdev_now_ns() + MARGIN_MS * MS_NS, &rep, "reset") < 0)
		return channel_fail(pl, 0, false, "reset");
	pl->saved = calloc(pl->c->n_sysctl + 1, sizeof(*pl->saved));
	if (!pl->saved) {
		play_fail_case(pl, RUNNER_ERROR, "out of memory");
		return -1;
	}
	for (size_t k = 0; k < pl->c->n_sysctl; k++) {
		const struct script_sysctl *s = &pl->c->sysctl[k];

		if (sysctl(pl, s->name, NULL, old, sizeof(old)) < 0)
			return -1;
		pl->saved[pl->n_saved].name = strdup(s->name);
		pl->saved[pl->n_saved].value = strdup(old);
		if (!pl->saved[pl->n_saved].name || !pl->saved[pl->n_saved].value) {
			free(pl->saved[pl->n_saved].name);
			free(pl->saved[pl->n_saved].value);
			play_fail_case(pl, RUNNER_ERROR, "out of memory");
			return -1;
		}
		pl->n_saved++;
		if (sysctl(pl, s->name, s->value, old, sizeof(old)) < 0)
			return -1;
	}
	return 0;
}

void app_end(struct play *pl)
{
	struct runner *r = pl->r;
	struct agent_reply rep;
	char err[300], got[512];

	if (!r->cfg.agent)
		return;
	collect(pl);
	if (!r->agent && app_connect(r, err, sizeof(err)) < 0) {
		play_fail_case(pl, RUNNER_ERROR, "agent: %s", err);
		return;
	}
	/* the case's sockets go now, with an RST each, while it is captured */
	if (agent_client_call(r->agent, netdev_now_ns() + MARGIN_MS * MS_NS, &rep, "reset") < 0) {
		channel_fail(pl, 0, false, "reset");
		return;
	}
	while (pl->n_saved && r->agent) {
		struct saved_sysctl *s = &pl->saved[--pl->n_saved];

		sysctl(pl, s->name, s->value, got, sizeof(got));
		free(s->name);
		free(s->value);
	}
}
