/* agent_client: connect, one command line out, one reply line back, each
 * step bounded by the caller's deadline (see agent_client.h). */
#define _GNU_SOURCE
#include "agent_client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#define MS 1000000LL

struct agent_client {
	int fd;
	int broken;                       /* a call failed: unusable */
	unsigned pending;                 /* replies not yet received */
	char err[256];
	size_t len;                       /* bytes received, not yet used */
	char buf[AGENT_REPLY_MAX + 1];
	char line[AGENT_REPLY_MAX + 1];   /* the reply, as r->text sees it */
	char words[AGENT_REPLY_MAX + 1];  /* the same, split into r->vals */
	char cmd[AGENT_LINE_MAX + 2];
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int ms_left(int64_t deadline)
{
	int64_t left = deadline - now_ns();

	return left <= 0 ? 0 : (int)((left + MS - 1) / MS);
}

/* Until fd has events or deadline: 1, 0 timed out, -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pf = { .fd = fd, .events = events };
	int rv;

	do
		rv = poll(&pf, 1, ms_left(deadline));
	while (rv < 0 && errno == EINTR);
	return rv < 0 ? -errno : rv;
}

static int fail(struct agent_client *c, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct agent_client *c, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->broken = 1;
	return -e;
}

/* where -> address; 0, or -EINVAL. */
static int parse_where(const char *where, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	const char *colon = strrchr(where, ':'), *h = where;
	char host[INET6_ADDRSTRLEN], *end;
	unsigned long port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (!strncmp(where, "unix:", 5) || strchr(where, '/')) {
		if (!strncmp(where, "unix:", 5))
			where += 5;
		if (!*where || strlen(where) >= sizeof(un->sun_path))
			return -EINVAL;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, where, strlen(where) + 1);
		*len = sizeof(*un);
		return 0;
	}
	if (!colon || colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*end || errno || port == 0 || port > 65535)
		return -EINVAL;
	hl = (size_t)(colon - where);
	if (hl >= 2 && where[0] == '[' && where[hl - 1] == ']') {
		++h;
		hl -= 2;
	}
	if (!hl || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
	} else {
		return -EINVAL;
	}
	return 0;
}

int agent_client_connect(struct agent_client **pc, const char *where,
			 int64_t deadline_ns, char *err, size_t cap)
{
	struct sockaddr_storage ss;
	struct agent_client *c;
	struct timespec nap = { 0, 2 * MS };
	socklen_t len;
	int one = 1, e = 0, rv;

	*pc = NULL;
	if (parse_where(where, &ss, &len) < 0) {
		snprintf(err, cap, "agent address '%s': expected a UNIX socket "
			 "path or ADDR:PORT", where);
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, cap, "out of memory");
		return -ENOMEM;
	}
	c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (c->fd < 0) {
		e = errno;
		goto fail;
	}
	if (ss.ss_family != AF_UNIX)
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* a UNIX listener with a full backlog says EAGAIN: try again */
	while ((rv = connect(c->fd, (struct sockaddr *)&ss, len)) < 0 &&
	       (errno == EAGAIN || errno == EINTR) && now_ns() < deadline_ns)
		nanosleep(&nap, NULL);
	if (rv < 0 && errno != EINPROGRESS) {
		e = errno;
		goto fail;
	}
	if (rv < 0) {
		rv = wait_fd(c->fd, POLLOUT, deadline_ns);
		len = sizeof(e);
		if (rv == 0)
			e = ETIMEDOUT;
		else if (rv < 0)
			e = -rv;
		else if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
			e = errno;
		if (e)
			goto fail;
	}
	*pc = c;
	return 0;

fail:
	snprintf(err, cap, "connect to the agent at %s: %s", where,
		 strerror(e));
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return -e;
}

void agent_client_del(struct agent_client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

const char *agent_client_error(const struct agent_client *c)
{
	return c->err;
}

static int send_all(struct agent_client *c, const char *p, size_t n,
		    int64_t deadline)
{
	ssize_t r;
	int rv;

	while (n) {
		r = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return fail(c, errno, "send to the agent: %s",
				    strerror(errno));
		rv = wait_fd(c->fd, POLLOUT, deadline);
		if (rv <= 0)
			return fail(c, rv ? -rv : ETIMEDOUT, "send to the agent: "
				    "%s", rv ? strerror(-rv) : "timed out");
	}
	return 0;
}

/* The next '\n'-terminated line into c->line (without '\n'). */
static int recv_line(struct agent_client *c, int64_t deadline)
{
	char *nl;
	size_t n;
	ssize_t r;
	int rv;

	while (!(nl = memchr(c->buf, '\n', c->len))) {
		if (c->len == sizeof(c->buf))
			return fail(c, EMSGSIZE, "agent reply longer than %zu "
				    "bytes", sizeof(c->buf));
		rv = wait_fd(c->fd, POLLIN, deadline);
		if (rv <= 0)
			return fail(c, rv ? -rv : ETIMEDOUT, "no reply from the "
				    "agent: %s", rv ? strerror(-rv) : "timed out");
		r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len,
			 MSG_DONTWAIT);
		if (r == 0)
			return fail(c, EPIPE, "the agent closed the connection");
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return fail(c, errno, "recv from the agent: %s",
				    strerror(errno));
		if (r > 0)
			c->len += (size_t)r;
	}
	n = (size_t)(nl - c->buf);
	memcpy(c->line, c->buf, n);
	c->line[n] = '\0';
	c->len -= n + 1;
	memmove(c->buf, nl + 1, c->len);
	return 0;
}

static int parse_reply(struct agent_client *c, struct agent_reply *r)
{
	char *p = c->line, *sp;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->text = "";
	if (!strcmp(p, "ok") || !strncmp(p, "ok ", 3)) {
		r->ok = 1;
		if (!p[2])
			return 0;
		r->text = p + 3;
		n = strlen(r->text);
		memcpy(c->words, r->text, n + 1);
		for (p = c->words; *p && r->n_vals < AGENT_REPLY_VALS;) {
			r->vals[r->n_vals++] = p;
			if (r->n_vals == AGENT_REPLY_VALS ||
			    !(sp = strchr(p, ' ')))
				break;
			*sp = '\0';
			p = sp + 1;
		}
		return 0;
	}
	if (strncmp(p, "err E", 5))
		return fail(c, EPROTO, "agent reply is not ok/err: '%.80s'", p);
	p += 4;
	n = strcspn(p, " ");
	if (n >= sizeof(r->err_name))
		return fail(c, EPROTO, "agent reply: errno name too long: "
			    "'%.80s'", c->line);
	memcpy(r->err_name, p, n);
	r->err_name[n] = '\0';
	r->err = agent_errno_value(r->err_name);
	if (r->err < 0 && n > 1 && p[1] >= '0' && p[1] <= '9')
		r->err = atoi(p + 1); /* "E123": a number outside the table */
	r->text = p[n] ? p + n + 1 : "";
	return 0;
}

/* Formats and sends one command; the reply is then pending. */
static int send_cmd(struct agent_client *c, int64_t deadline_ns,
		    const char *fmt, va_list ap)
{
	int n, rv;

	if (c->broken)
		return -ENOTCONN;
	n = vsnprintf(c->cmd, sizeof(c->cmd), fmt, ap);
	if (n < 0 || n > AGENT_LINE_MAX) {
		snprintf(c->err, sizeof(c->err), "command longer than %d bytes",
			 AGENT_LINE_MAX);
		return -EMSGSIZE;
	}
	if (memchr(c->cmd, '\n', (size_t)n) || memchr(c->cmd, '\r', (size_t)n)) {
		snprintf(c->err, sizeof(c->err), "command with a line break");
		return -EINVAL;
	}
	c->cmd[n++] = '\n';
	rv = send_all(c, c->cmd, (size_t)n, deadline_ns);
	if (rv == 0)
		++c->pending;
	return rv;
}

int agent_client_recv(struct agent_client *c, int64_t deadline_ns,
		      struct agent_reply *r)
{
	int rv;

	memset(r, 0, sizeof(*r));
	r->text = "";
	if (c->broken)
		return -ENOTCONN;
	if (!c->pending) {
		snprintf(c->err, sizeof(c->err), "no reply is pending");
		return -EALREADY;
	}
	rv = recv_line(c, deadline_ns);
	if (rv == 0) {
		--c->pending;
		rv = parse_reply(c, r);
	}
	if (rv == 0)
		c->err[0] = '\0';
	return rv;
}

int agent_client_send(struct agent_client *c, int64_t deadline_ns,
		      const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = send_cmd(c, deadline_ns, fmt, ap);
	va_end(ap);
	return rv;
}

unsigned agent_client_pending(const struct agent_client *c)
{
	return c->pending;
}

int agent_client_vcall(struct agent_client *c, int64_t deadline_ns,
		       struct agent_reply *r, const char *fmt, va_list ap)
{
	int rv;

	memset(r, 0, sizeof(*r));
	r->text = "";
	if (c->pending && !c->broken) {
		snprintf(c->err, sizeof(c->err), "%u agent replies pending",
			 c->pending);
		return -EBUSY;
	}
	rv = send_cmd(c, deadline_ns, fmt, ap);
	return rv ? rv : agent_client_recv(c, deadline_ns, r);
}

int agent_client_call(struct agent_client *c, int64_t deadline_ns,
		      struct agent_reply *r, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = agent_client_vcall(c, deadline_ns, r, fmt, ap);
	va_end(ap);
	return rv;
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

ssize_t agent_reply_data(const struct agent_reply *r, uint8_t *out,
			 size_t cap)
{
	unsigned long n;
	char *end;
	size_t i;
	int hi, lo;

	if (!r->ok || r->n_vals < 1 || r->vals[0][0] < '0' ||
	    r->vals[0][0] > '9')
		return -1;
	errno = 0;
	n = strtoul(r->vals[0], &end, 10);
	if (*end || errno || n > cap)
		return -1;
	if (n == 0)
		return r->n_vals == 1 ? 0 : -1;
	if (r->n_vals != 2 || strlen(r->vals[1]) != 2 * n)
		return -1;
	for (i = 0; i < n; ++i) {
		hi = hexval(r->vals[1][2 * i]);
		lo = hexval(r->vals[1][2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (ssize_t)n;
}
