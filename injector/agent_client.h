/* agent_client: the runner's side of the target agent (docs/agent.md).
 * Connects over a UNIX socket path or TCP host:port, sends one command
 * line and reads its one reply line, everything bounded by a deadline.
 *
 *	struct agent_client *c;
 *	struct agent_reply r;
 *	char err[256];
 *
 *	if (agent_client_connect(&c, t.agent_path, now + 2 * SEC, err,
 *				 sizeof(err)) < 0)
 *		... err says why ...
 *	rv = agent_client_call(c, now + 2 * SEC, &r, "write %s %u", h, 1000);
 *	rv < 0: the channel failed (agent_client_error(c) says how); the
 *		client is unusable from then on (a late reply would answer
 *		the wrong command): delete it and reconnect.
 *	rv == 0 and r.ok: r.vals[0] == "1000" (r.n_vals values, r.text the
 *		whole rest of the line).
 *	rv == 0 and !r.ok: r.err == EPIPE, r.err_name "EPIPE", r.text the
 *		agent's message.
 *
 * The deadline must leave room for the command's own timeout (`read`
 * waits up to 1 s by default, `timeout MS` when given) plus the round
 * trip. Deadlines are CLOCK_MONOTONIC ns (netdev_now_ns()).
 *
 * An `async` step sends now and collects later: agent_client_send(),
 * then the runner injects and captures (say the SYN-ACK that lets a
 * blocking `connect` finish), then agent_client_recv() for the reply.
 * The agent runs commands one at a time, so anything sent meanwhile
 * waits behind the pending one; agent_client_call() refuses to run while
 * a reply is pending (-EBUSY), so replies cannot be mismatched. */
#ifndef TCPSPEC_AGENT_CLIENT_H
#define TCPSPEC_AGENT_CLIENT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "agent.h"

#define AGENT_REPLY_VALS 8

struct agent_client;

struct agent_reply {
	int ok;                /* 1: "ok ...", 0: "err ENAME ..." */
	int err;               /* err: the errno value of err_name; -1 if the
				  name is not in agent_errno_value()'s table */
	char err_name[24];     /* err: "ECONNREFUSED" */
	const char *text;      /* after "ok " / "err ENAME ": values or the
				  message ("" if none) */
	unsigned n_vals;       /* ok: the words of text, at most
				  AGENT_REPLY_VALS (the last keeps the rest) */
	const char *vals[AGENT_REPLY_VALS];
	/* text and vals point into the client: valid until its next call */
};

/* where: a UNIX socket path (containing '/', or "unix:PATH"), or
 * "HOST:PORT" / "[V6]:PORT" with a literal address. Returns 0, or a
 * negative errno with err filled. */
int agent_client_connect(struct agent_client **pc, const char *where,
			 int64_t deadline_ns, char *err, size_t cap);
/* Closes the connection. NULL is fine. */
void agent_client_del(struct agent_client *c);

/* Formats one command (no '\n'; at most AGENT_LINE_MAX bytes), sends it,
 * waits for the reply until deadline_ns and parses it into r. Returns 0
 * when a reply arrived (ok or err), or negative: -EINVAL the command is
 * malformed (not sent; the client stays usable), -EMSGSIZE it is too
 * long (not sent), -EBUSY a reply of agent_client_send is pending (not
 * sent), -ETIMEDOUT no reply in time, -EPIPE/-ECONNRESET the agent went
 * away, -EPROTO the reply is not "ok"/"err ENAME", -ENOTCONN an earlier
 * call failed. */
int agent_client_call(struct agent_client *c, int64_t deadline_ns,
		      struct agent_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int agent_client_vcall(struct agent_client *c, int64_t deadline_ns,
		       struct agent_reply *r, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* The two halves of a call. agent_client_send returns 0 once the line is
 * sent (the reply is then pending) or the errors of agent_client_call;
 * agent_client_recv waits for the oldest pending reply: 0 with r filled,
 * -EALREADY if none is pending, or the errors of agent_client_call. */
int agent_client_send(struct agent_client *c, int64_t deadline_ns,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int agent_client_recv(struct agent_client *c, int64_t deadline_ns,
		      struct agent_reply *r);
/* Replies sent for and not yet received. */
unsigned agent_client_pending(const struct agent_client *c);

/* One line on the last failed call or connect ("" if none). */
const char *agent_client_error(const struct agent_client *c);

/* The bytes of a `read` reply ("ok N HEX") into out. Returns N (0 at
 * EOF), or -1 if r is not such a reply or N exceeds cap. */
ssize_t agent_reply_data(const struct agent_reply *r, uint8_t *out,
			 size_t cap);

#endif
