/* agent: the target agent's loop (see agent.h): control channels and
 * clients, line framing, the background (pre-opened listeners that
 * accept and drain), waiting with a deadline, replies and errno names.
 * The commands themselves are in agent_cmd.c. */
#define _GNU_SOURCE
#include "agent_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#define MS 1000000LL
/* stop fds + control listener + clients + background + one command fd */
#define POLL_MAX (AGENT_MAX_STOP + 1 + AGENT_MAX_CLIENTS + \
		  2 * AGENT_MAX_DRAIN_PORTS + AGENT_MAX_DRAIN_CONNS + 1)

/* ---- errno names ---- */

#define E(x) { x, #x }
static const struct {
	int e;
	const char *name;
} errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(EBADF), E(EAGAIN), E(EWOULDBLOCK), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY),
	E(EEXIST), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE),
	E(EMFILE), E(ENOSPC), E(EROFS), E(EPIPE), E(EDOM), E(ERANGE),
	E(ENAMETOOLONG), E(ENOSYS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(EOPNOTSUPP), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED),
	E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH),
	E(EALREADY), E(EINPROGRESS), E(EPROTO), E(EOVERFLOW), E(ENOTSUP),
};
#undef E

const char *agent_errno_name(int e, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); ++i)
		if (errno_names[i].e == e)
			return errno_names[i].name;
	snprintf(buf, cap, "E%d", e);
	return buf;
}

int agent_errno_value(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); ++i)
		if (!strcmp(errno_names[i].name, name))
			return errno_names[i].e;
	return -1;
}

/* ---- replies ---- */

int64_t agent_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int ms_left(int64_t deadline)
{
	int64_t left = deadline - agent_now_ns();

	return left <= 0 ? 0 : (int)((left + MS - 1) / MS);
}

/* A reply is one line: control characters become spaces. */
static void one_line(char *s)
{
	for (; *s; ++s)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

void agent_reply_ok(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	memcpy(a->reply, "ok ", 3);
	va_start(ap, fmt);
	vsnprintf(a->reply + 3, sizeof(a->reply) - 3, fmt, ap);
	va_end(ap);
	if (!a->reply[3])
		a->reply[2] = '\0';
	one_line(a->reply);
}

void agent_reply_err(struct agent *a, int e, const char *fmt, ...)
{
	char num[16];
	va_list ap;
	int n;

	n = snprintf(a->reply, 64, "err %s ", agent_errno_name(e, num,
							      sizeof(num)));
	va_start(ap, fmt);
	vsnprintf(a->reply + n, 1024, fmt, ap);
	va_end(ap);
	one_line(a->reply);
}

/* ---- the background: pre-opened listeners and what they accepted ---- */

static unsigned bg_fill(const struct agent *a, struct pollfd *pf)
{
	unsigned n = 0, i;

	for (i = 0; i < a->n_stop; ++i)
		pf[n++] = (struct pollfd){ .fd = a->stop_fd[i], .events = POLLIN };
	for (i = 0; i < a->n_drain_lis; ++i)
		pf[n++] = (struct pollfd){ .fd = a->drain_lis[i], .events = POLLIN };
	for (i = 0; i < a->n_drain_conn; ++i)
		pf[n++] = (struct pollfd){ .fd = a->drain_conn[i], .events = POLLIN };
	return n;
}

/* pf as bg_fill left it (counts unchanged since). Returns -1 if a stop
 * descriptor fired. Connections are visited last to first, so closing
 * one (the last takes its place) skips nothing; new ones go at the end
 * and are polled next time. */
static int bg_serve(struct agent *a, const struct pollfd *pf)
{
	const struct pollfd *lis = pf + a->n_stop;
	const struct pollfd *conn = lis + a->n_drain_lis;
	unsigned i, n_conn = a->n_drain_conn;
	ssize_t r;
	int c;

	for (i = 0; i < a->n_stop; ++i)
		if (pf[i].revents)
			a->stopping = 1;
	if (a->stopping)
		return -1;
	for (i = n_conn; i-- > 0;) {
		if (!conn[i].revents)
			continue;
		r = recv(a->drain_conn[i], a->junk, sizeof(a->junk),
			 MSG_DONTWAIT);
		if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
			continue;
		close(a->drain_conn[i]);
		a->drain_conn[i] = a->drain_conn[--a->n_drain_conn];
	}
	for (i = 0; i < a->n_drain_lis; ++i) {
		if (!(lis[i].revents & POLLIN))
			continue;
		c = accept4(a->drain_lis[i], NULL, NULL,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c < 0)
			continue; /* EAGAIN, ECONNABORTED, EMFILE */
		if (a->n_drain_conn == AGENT_MAX_DRAIN_CONNS)
			close(c);
		else
			a->drain_conn[a->n_drain_conn++] = c;
	}
	return 0;
}

int agent_wait(struct agent *a, int fd, short events, int64_t deadline)
{
	struct pollfd pf[POLL_MAX];
	unsigned n;
	int rv;

	for (;;) {
		if (a->stopping)
			return -1;
		n = bg_fill(a, pf);
		pf[n] = (struct pollfd){ .fd = fd, .events = events };
		rv = poll(pf, n + 1, ms_left(deadline));
		if (rv < 0 && errno != EINTR)
			return 0; /* cannot wait: as good as timed out */
		if (rv <= 0) {
			if (rv == 0 || agent_now_ns() >= deadline)
				return 0;
			continue;
		}
		if (bg_serve(a, pf) < 0)
			return -1;
		if (pf[n].revents)
			return 1;
	}
}

/* ---- control channels ---- */

int agent_new(struct agent **pa)
{
	struct agent *a = calloc(1, sizeof(*a));

	*pa = a;
	if (!a)
		return -ENOMEM;
	a->lis_fd = -1;
	a->next_id = 1;
	return 0;
}

void agent_del(struct agent *a)
{
	unsigned i;

	if (!a)
		return;
	agent_cmd_reset(a);
	for (i = 0; i < a->n_ctl; ++i)
		close(a->ctl[i].fd);
	for (i = 0; i < a->n_drain_lis; ++i)
		close(a->drain_lis[i]);
	for (i = 0; i < a->n_drain_conn; ++i)
		close(a->drain_conn[i]);
	if (a->lis_fd >= 0)
		close(a->lis_fd);
	if (a->unix_path[0])
		unlink(a->unix_path);
	free(a);
}

void agent_set_once(struct agent *a, int once)
{
	a->once = once;
}

int agent_add_stop_fd(struct agent *a, int fd)
{
	if (a->n_stop == AGENT_MAX_STOP)
		return -ENOSPC;
	a->stop_fd[a->n_stop++] = fd;
	return 0;
}

int agent_add_client(struct agent *a, int fd)
{
	struct agent_ctl *c;

	if (a->n_ctl == AGENT_MAX_CLIENTS) {
		close(fd);
		return -EMFILE;
	}
	c = &a->ctl[a->n_ctl++];
	c->fd = fd;
	c->len = 0;
	c->overflow = 0;
	c->since = 0;
	a->served = 1;
	return 0;
}

/* An existing socket file that refuses connections is a leftover. */
static int stale_socket(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int s, rv;

	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 0;
	rv = connect(s, (const struct sockaddr *)sun, sizeof(*sun));
	close(s);
	return rv < 0 && errno == ECONNREFUSED;
}

int agent_listen_unix(struct agent *a, const char *path, char *msg,
		      size_t cap)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int s, e, rv;

	if (a->lis_fd >= 0) {
		snprintf(msg, cap, "a control channel is already open");
		return -EBUSY;
	}
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(msg, cap, "%s: longer than %zu bytes", path,
			 sizeof(sun.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		goto fail;
	/* the file is born 0600: no chmod on a path someone could swap */
	old = umask(0177);
	rv = bind(s, (struct sockaddr *)&sun, sizeof(sun));
	if (rv < 0 && errno == EADDRINUSE && stale_socket(path, &sun) &&
	    unlink(path) == 0)
		rv = bind(s, (struct sockaddr *)&sun, sizeof(sun));
	e = errno;
	umask(old);
	errno = e;
	if (rv < 0)
		goto fail;
	if (listen(s, AGENT_MAX_CLIENTS) < 0) {
		e = errno;
		unlink(path);
		errno = e;
		goto fail;
	}
	a->lis_fd = s;
	memcpy(a->unix_path, path, strlen(path) + 1);
	return 0;

fail:
	e = errno;
	snprintf(msg, cap, "unix socket %s: %s", path, strerror(e));
	if (s >= 0)
		close(s);
	return -e;
}

int agent_listen_tcp(struct agent *a, const char *addr_port, char *msg,
		     size_t cap)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	char host[64], *end;
	const char *colon = strrchr(addr_port, ':');
	unsigned long port;
	size_t hl;
	int s, one = 1, e;

	if (a->lis_fd >= 0) {
		snprintf(msg, cap, "a control channel is already open");
		return -EBUSY;
	}
	memset(&ss, 0, sizeof(ss));
	hl = colon ? (size_t)(colon - addr_port) : 0;
	if (hl >= 2 && addr_port[0] == '[' && addr_port[hl - 1] == ']') {
		++addr_port;
		hl -= 2;
	}
	errno = 0;
	port = colon ? strtoul(colon + 1, &end, 10) : 0;
	if (!colon || !hl || hl >= sizeof(host) || !colon[1] || *end ||
	    errno || port == 0 || port > 65535 || colon[1] == '-' ||
	    colon[1] == '+') {
		snprintf(msg, cap, "%s: expected ADDR:PORT or [ADDR6]:PORT",
			 addr_port);
		return -EINVAL;
	}
	memcpy(host, addr_port, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
	} else {
		snprintf(msg, cap, "%s: not an IPv4 or IPv6 address", host);
		return -EINVAL;
	}
	s = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(s, (struct sockaddr *)&ss, ss.ss_family == AF_INET ?
		 sizeof(*a4) : sizeof(*a6)) < 0 ||
	    listen(s, AGENT_MAX_CLIENTS) < 0) {
		e = errno;
		snprintf(msg, cap, "tcp %s port %lu: %s", host, port,
			 strerror(e));
		if (s >= 0)
			close(s);
		return -e;
	}
	a->lis_fd = s;
	return 0;
}

static int drain_listen(struct agent *a, int v6, uint16_t port, char *msg,
			size_t cap)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	struct sockaddr *sa = v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4;
	socklen_t len = v6 ? sizeof(a6) : sizeof(a4);
	const char *what = "socket";
	int one = 1, s, e;

	s = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0) {
		if (v6 && errno == EAFNOSUPPORT)
			return 0; /* no IPv6 here: IPv4 only */
		goto fail;
	}
	what = "setsockopt";
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 && setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			      sizeof(one)) < 0))
		goto fail;
	what = "bind";
	if (bind(s, sa, len) < 0)
		goto fail;
	what = "listen";
	if (listen(s, 128) < 0)
		goto fail;
	a->drain_port[a->n_drain_lis] = port;
	a->drain_lis[a->n_drain_lis++] = s;
	return 0;

fail:
	e = errno;
	snprintf(msg, cap, "%s %s port %u: %s", what, v6 ? "[::]" : "0.0.0.0",
		 port, strerror(e));
	if (s >= 0)
		close(s);
	return -e;
}

int agent_prelisten(struct agent *a, uint16_t port, char *msg, size_t cap)
{
	unsigned i;
	int rv;

	if (port == 0) {
		snprintf(msg, cap, "port 0 cannot be pre-opened");
		return -EINVAL;
	}
	for (i = 0; i < a->n_drain_lis; ++i)
		if (a->drain_port[i] == port)
			return 0; /* listed twice: one pair of listeners */
	if (a->n_drain_lis + 2 > 2 * AGENT_MAX_DRAIN_PORTS) {
		snprintf(msg, cap, "more than %d pre-opened ports",
			 AGENT_MAX_DRAIN_PORTS);
		return -ENOSPC;
	}
	rv = drain_listen(a, 0, port, msg, cap);
	if (rv == 0)
		rv = drain_listen(a, 1, port, msg, cap);
	return rv;
}

/* ---- control clients ---- */

/* Sends a->reply and '\n'; 0, or -1 if the client did not take it. */
static int send_reply(struct agent *a, int fd)
{
	int64_t deadline = agent_now_ns() + AGENT_SEND_MS * MS;
	size_t len = strlen(a->reply), off = 0;
	ssize_t n;

	a->reply[len++] = '\n';
	while (off < len) {
		n = send(fd, a->reply + off, len - off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) ||
		    agent_wait(a, fd, POLLOUT, deadline) <= 0)
			return -1;
	}
	return 0;
}

int agent_exec(struct agent *a, const char *line, char *out, size_t cap)
{
	char buf[AGENT_LINE_MAX + 1];
	int ok = 0;

	if (strlen(line) > AGENT_LINE_MAX)
		agent_reply_err(a, EMSGSIZE, "command longer than %d bytes",
				AGENT_LINE_MAX);
	else
		ok = agent_cmd_exec(a, memcpy(buf, line, strlen(line) + 1));
	snprintf(out, cap, "%s", a->reply);
	return ok;
}

/* Feeds bytes from the client into its line buffer, executing each
 * complete line. Returns -1 when the client must go. */
static int ctl_feed(struct agent *a, struct agent_ctl *c, const char *p,
		    size_t n)
{
	size_t i;

	for (i = 0; i < n && !a->stopping; ++i) {
		if (p[i] != '\n') {
			if (!c->len && !c->overflow)
				c->since = agent_now_ns();
			if (c->len < AGENT_LINE_MAX)
				c->line[c->len++] = p[i];
			else
				c->overflow = 1;
			continue;
		}
		if (c->overflow) {
			agent_reply_err(a, EMSGSIZE, "command longer than %d "
					"bytes", AGENT_LINE_MAX);
		} else {
			if (c->len && c->line[c->len - 1] == '\r')
				--c->len;
			c->line[c->len] = '\0';
			if (memchr(c->line, '\0', c->len))
				agent_reply_err(a, EINVAL, "NUL byte in the "
						"command");
			else
				agent_cmd_exec(a, c->line);
		}
		c->len = 0;
		c->overflow = 0;
		c->since = 0;
		if (send_reply(a, c->fd) < 0)
			return -1;
	}
	return 0;
}

static int ctl_read(struct agent *a, struct agent_ctl *c)
{
	char buf[AGENT_LINE_MAX];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	return ctl_feed(a, c, buf, (size_t)n);
}

static void ctl_drop(struct agent *a, unsigned i)
{
	close(a->ctl[i].fd);
	a->ctl[i] = a->ctl[--a->n_ctl];
}

static void ctl_accept(struct agent *a)
{
	static const char busy[] = "err EBUSY too many control clients\n";
	int one = 1, c;

	c = accept4(a->lis_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c < 0)
		return;
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (a->n_ctl == AGENT_MAX_CLIENTS) {
		(void)!send(c, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(c);
		return;
	}
	agent_add_client(a, c);
}

/* Poll timeout: until the oldest partial line goes stale. */
static int idle_timeout(const struct agent *a, int64_t now)
{
	int64_t first = 0, t;
	unsigned i;

	for (i = 0; i < a->n_ctl; ++i) {
		if (!a->ctl[i].since)
			continue;
		t = a->ctl[i].since + AGENT_IDLE_MS * MS;
		if (!first || t < first)
			first = t;
	}
	if (!first)
		return -1;
	return first <= now ? 0 : (int)((first - now + MS - 1) / MS);
}

int agent_run(struct agent *a)
{
	struct pollfd pf[POLL_MAX];
	unsigned n, n_bg, n_ctl, i;
	int accepting, rv;
	int64_t now;

	while (!a->stopping) {
		accepting = a->lis_fd >= 0 && !(a->once && a->served);
		if (a->once && a->served && !a->n_ctl)
			return 0;
		if (!accepting && !a->n_ctl && !a->n_stop)
			return 0;
		n = n_bg = bg_fill(a, pf);
		n_ctl = a->n_ctl;
		for (i = 0; i < n_ctl; ++i)
			pf[n++] = (struct pollfd){ .fd = a->ctl[i].fd,
						   .events = POLLIN };
		if (accepting)
			pf[n++] = (struct pollfd){ .fd = a->lis_fd,
						   .events = POLLIN };
		rv = poll(pf, n, idle_timeout(a, agent_now_ns()));
		if (rv < 0 && errno == EINTR)
			continue;
		if (rv < 0)
			return -errno;
		if (bg_serve(a, pf) < 0)
			break;
		/* last to first: a dropped client's slot takes the last one */
		for (i = n_ctl; i-- > 0 && !a->stopping;)
			if (pf[n_bg + i].revents && ctl_read(a, &a->ctl[i]) < 0)
				ctl_drop(a, i);
		now = agent_now_ns();
		for (i = a->n_ctl; i-- > 0;)
			if (a->ctl[i].since &&
			    now - a->ctl[i].since >= AGENT_IDLE_MS * MS)
				ctl_drop(a, i);
		if (accepting && !a->stopping && pf[n - 1].revents)
			ctl_accept(a);
	}
	return 0;
}
