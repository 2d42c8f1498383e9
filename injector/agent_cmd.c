/* agent_cmd: the target agent's commands (docs/agent.md): parsing one
 * line into words, the socket table (handles s1, s2, ...), and each
 * command, bounded by its timeout through agent_wait(); socket options
 * and sysctl are in agent_opt.c. Every socket is non-blocking; nothing
 * here blocks except inside agent_wait(). */
#define _GNU_SOURCE
#include "agent_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#ifndef TCPSPEC_VERSION
#define TCPSPEC_VERSION "unknown"
#endif

#define MS 1000000LL
#define MAX_WORDS 16
#define WRITE_MAX (1ul << 30)
#define PATTERN_MAX 256
#define DEF_PATTERN "abcdefghijklmnopqrstuvwxyz"
#define DEF_ACCEPT_MS 1000
#define DEF_CONNECT_MS 3000
#define DEF_READ_MS 1000
#define DEF_WRITE_MS 1000

/* ---- words, numbers, addresses, handles ---- */

static int parse_u(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end || errno || *v > max ? -1 : 0;
}

int agent_parse_int(const char *s, long *v)
{
	char *end;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	*v = strtol(s, &end, 10);
	return *end || errno || *v < -2147483647L - 1 || *v > 2147483647L ?
	       -1 : 0;
}

/* A literal address ("192.0.2.1", "2001:db8::1" or "[2001:db8::1]"). */
static int parse_addr(const char *s, unsigned port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(s);

	memset(ss, 0, sizeof(*ss));
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if (n > 2 && buf[0] == '[' && buf[n - 1] == ']') {
		buf[n - 1] = '\0';
		memmove(buf, buf + 1, n - 1);
	}
	if (inet_pton(AF_INET, buf, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	}
	return -1;
}

/* "ADDR PORT"; an IPv4-mapped IPv6 address is shown as IPv4. */
void agent_addr_str(const struct sockaddr_storage *ss, char *buf, size_t cap)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
	char h[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &a4->sin_addr, h, sizeof(h));
		port = ntohs(a4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
			inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], h,
				  sizeof(h));
		else
			inet_ntop(AF_INET6, &a6->sin6_addr, h, sizeof(h));
		port = ntohs(a6->sin6_port);
	}
	snprintf(buf, cap, "%s %u", h, port);
}

/* Trailing keyword arguments, each command allowing some. */
enum {
	OPT_TIMEOUT = 1, OPT_MAX = 2, OPT_BACKLOG = 4, OPT_FROM = 8,
	OPT_PATTERN = 16, OPT_NONBLOCK = 32, OPT_FAMILY = 64,
};

struct opts {
	long timeout, max, backlog, from; /* -1: not given */
	const char *pattern, *family;
	int nonblock;
};

static int parse_opts(char **av, int ac, int i, unsigned allowed,
		      struct opts *o)
{
	static const struct {
		const char *kw;
		unsigned bit;
		unsigned long min, max;
		size_t off;
	} num[] = {
		{ "timeout", OPT_TIMEOUT, 0, AGENT_TIMEOUT_MAX,
		  offsetof(struct opts, timeout) },
		{ "max", OPT_MAX, 1, AGENT_READ_MAX, offsetof(struct opts, max) },
		{ "backlog", OPT_BACKLOG, 0, 65535, offsetof(struct opts, backlog) },
		{ "from", OPT_FROM, 1, 65535, offsetof(struct opts, from) },
	};
	unsigned long v;
	size_t k;

	*o = (struct opts){ -1, -1, -1, -1, NULL, NULL, 0 };
	for (; i < ac; ++i) {
		for (k = 0; k < sizeof(num) / sizeof(num[0]); ++k)
			if ((allowed & num[k].bit) && !strcmp(av[i], num[k].kw))
				break;
		if (k < sizeof(num) / sizeof(num[0])) {
			if (i + 1 == ac || parse_u(av[++i], num[k].max, &v) < 0 ||
			    v < num[k].min)
				return -1;
			*(long *)((char *)o + num[k].off) = (long)v;
		} else if ((allowed & OPT_PATTERN) && !strcmp(av[i], "pattern")) {
			if (i + 1 == ac || strlen(av[i + 1]) > PATTERN_MAX)
				return -1;
			o->pattern = av[++i];
		} else if ((allowed & OPT_NONBLOCK) && !strcmp(av[i], "nonblock")) {
			o->nonblock = 1;
		} else if ((allowed & OPT_FAMILY) && !o->family) {
			o->family = av[i];
		} else {
			return -1;
		}
	}
	return 0;
}

static struct agent_sock *add_sock(struct agent *a, int fd, int listener)
{
	struct agent_sock *s;

	if (a->n_sock == AGENT_MAX_HANDLES)
		return NULL;
	s = &a->sock[a->n_sock++];
	*s = (struct agent_sock){ .id = a->next_id++, .fd = fd,
				  .listener = listener };
	return s;
}

static void del_sock(struct agent *a, struct agent_sock *s)
{
	*s = a->sock[--a->n_sock];
}

/* The handle named by word: 0 and *sp, USAGE if word is no handle, or
 * 1 with the EBADF reply set if no socket has that name. */
int agent_get_sock(struct agent *a, const char *word, struct agent_sock **sp)
{
	unsigned long id;
	unsigned i;

	if (word[0] != 's' || word[1] < '1' || word[1] > '9' ||
	    parse_u(word + 1, 0xffffffffu, &id) < 0)
		return USAGE;
	for (i = 0; i < a->n_sock; ++i)
		if (a->sock[i].id == id) {
			*sp = &a->sock[i];
			return 0;
		}
	agent_reply_err(a, EBADF, "no such handle %s", word);
	return 1;
}

/* The reply for a failed system call; closes fd if given. Returns 0. */
int agent_sys_err(struct agent *a, int fd, const char *what)
{
	int e = errno;

	if (fd >= 0)
		close(fd);
	agent_reply_err(a, e, "%s: %s", what, strerror(e));
	return 0;
}

static int stopping(struct agent *a, int fd)
{
	if (fd >= 0)
		close(fd);
	agent_reply_err(a, ESHUTDOWN, "agent stopping");
	return 0;
}

static int table_full(struct agent *a, int fd)
{
	if (fd >= 0)
		close(fd);
	agent_reply_err(a, EMFILE, "%d handles open", AGENT_MAX_HANDLES);
	return 0;
}

/* ---- commands: each returns 0 with a->reply set, or USAGE ---- */

static int cmd_ping(struct agent *a, char **av, int ac)
{
	(void)av;
	if (ac != 1)
		return USAGE;
	agent_reply_ok(a, "tcpspec-agent %s", TCPSPEC_VERSION);
	return 0;
}

static int cmd_listen(struct agent *a, char **av, int ac)
{
	struct sockaddr_storage ss = { .ss_family = AF_INET6 };
	socklen_t len = sizeof(struct sockaddr_in6);
	const char *fam;
	unsigned long port;
	struct agent_sock *s;
	struct opts o;
	int one = 1, v6only = 1, fd;
	unsigned i;

	if (ac < 2 || parse_u(av[1], 65535, &port) < 0 ||
	    parse_opts(av, ac, 2, OPT_FAMILY | OPT_BACKLOG, &o) < 0)
		return USAGE;
	fam = o.family ? o.family : "any";
	if (!strcmp(fam, "v4")) {
		ss.ss_family = AF_INET;
		len = sizeof(struct sockaddr_in);
	} else if (!strcmp(fam, "any")) {
		v6only = 0;
	} else if (strcmp(fam, "v6") && parse_addr(fam, 0, &ss, &len) < 0) {
		return USAGE;
	}
	((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	for (i = 0; port && i < a->n_drain_lis; ++i)
		if (a->drain_port[i] == port) {
			agent_reply_err(a, EADDRINUSE, "port %lu is pre-opened "
					"(auto-accept and drain)", port);
			return 0;
		}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 && errno == EAFNOSUPPORT && !v6only) {
		/* no IPv6 on this host: "any" is IPv4 */
		ss = (struct sockaddr_storage){ .ss_family = AF_INET };
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		len = sizeof(struct sockaddr_in);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return agent_sys_err(a, -1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			sizeof(v6only)) < 0))
		return agent_sys_err(a, fd, "setsockopt");
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return agent_sys_err(a, fd, "bind");
	if (listen(fd, o.backlog >= 0 ? (int)o.backlog : 128) < 0)
		return agent_sys_err(a, fd, "listen");
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return agent_sys_err(a, fd, "getsockname");
	s = add_sock(a, fd, 1);
	if (!s)
		return table_full(a, fd);
	agent_reply_ok(a, "s%u %u", s->id,
		       ntohs(((struct sockaddr_in *)&ss)->sin_port));
	return 0;
}

static int cmd_accept(struct agent *a, char **av, int ac)
{
	struct sockaddr_storage ss;
	struct agent_sock *s;
	int64_t deadline;
	socklen_t len;
	struct opts o;
	char peer[64];
	int rv, fd;

	if (ac < 2 || (rv = agent_get_sock(a, av[1], &s)) == USAGE ||
	    parse_opts(av, ac, 2, OPT_TIMEOUT, &o) < 0)
		return USAGE;
	if (rv)
		return 0;
	if (!s->listener) {
		agent_reply_err(a, EINVAL, "s%u is not a listener", s->id);
		return 0;
	}
	if (o.timeout < 0)
		o.timeout = DEF_ACCEPT_MS;
	deadline = agent_now_ns() + o.timeout * MS;
	for (;;) {
		len = sizeof(ss);
		fd = accept4(s->fd, (struct sockaddr *)&ss, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			return agent_sys_err(a, -1, "accept");
		rv = agent_wait(a, s->fd, POLLIN, deadline);
		if (rv < 0)
			return stopping(a, -1);
		if (rv == 0) {
			agent_reply_err(a, EAGAIN, "no connection within %ld ms",
					o.timeout);
			return 0;
		}
	}
	agent_addr_str(&ss, peer, sizeof(peer));
	s = add_sock(a, fd, 0);
	if (!s)
		return table_full(a, fd);
	agent_reply_ok(a, "s%u %s", s->id, peer);
	return 0;
}

static int cmd_connect(struct agent *a, char **av, int ac)
{
	struct sockaddr_storage ss, from;
	struct agent_sock *s;
	socklen_t len;
	unsigned long port;
	int64_t deadline;
	struct opts o;
	int fd, one = 1, e = 0, rv;

	if (ac < 3 || parse_u(av[2], 65535, &port) < 0 || port == 0 ||
	    parse_addr(av[1], (unsigned)port, &ss, &len) < 0 ||
	    parse_opts(av, ac, 3, OPT_TIMEOUT | OPT_FROM | OPT_NONBLOCK, &o) < 0)
		return USAGE;
	if (o.timeout < 0)
		o.timeout = DEF_CONNECT_MS;
	if (a->n_sock == AGENT_MAX_HANDLES) /* before any SYN leaves */
		return table_full(a, -1);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return agent_sys_err(a, -1, "socket");
	if (o.from > 0) {
		from = (struct sockaddr_storage){ .ss_family = ss.ss_family };
		((struct sockaddr_in *)&from)->sin_port = htons((uint16_t)o.from);
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) < 0 ||
		    bind(fd, (struct sockaddr *)&from, len) < 0)
			return agent_sys_err(a, fd, "bind");
	}
	deadline = agent_now_ns() + o.timeout * MS;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		if (errno != EINPROGRESS)
			return agent_sys_err(a, fd, "connect");
		if (!o.nonblock) {
			rv = agent_wait(a, fd, POLLOUT, deadline);
			if (rv < 0)
				return stopping(a, fd);
			if (rv == 0) {
				close(fd);
				agent_reply_err(a, ETIMEDOUT, "connect: no "
						"answer within %ld ms",
						o.timeout);
				return 0;
			}
			len = sizeof(e);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
				return agent_sys_err(a, fd, "SO_ERROR");
			if (e) {
				errno = e;
				return agent_sys_err(a, fd, "connect");
			}
		} else {
			e = EINPROGRESS;
		}
	}
	s = add_sock(a, fd, 0);
	agent_reply_ok(a, "s%u%s", s->id, e ? " inprogress" : "");
	return 0;
}

static int cmd_write(struct agent *a, char **av, int ac)
{
	const char *pat;
	struct agent_sock *s;
	unsigned long n, done = 0;
	size_t plen, chunk, k;
	int64_t deadline;
	struct opts o;
	char num[16];
	int rv, e = 0;
	ssize_t r;

	if (ac < 3 || (rv = agent_get_sock(a, av[1], &s)) == USAGE ||
	    parse_u(av[2], WRITE_MAX, &n) < 0 ||
	    parse_opts(av, ac, 3, OPT_PATTERN | OPT_TIMEOUT, &o) < 0)
		return USAGE;
	if (rv)
		return 0;
	if (s->listener) {
		agent_reply_err(a, EINVAL, "s%u is a listener", s->id);
		return 0;
	}
	pat = o.pattern ? o.pattern : DEF_PATTERN;
	plen = strlen(pat);
	if (o.timeout < 0)
		o.timeout = DEF_WRITE_MS;
	deadline = agent_now_ns() + o.timeout * MS;
	while (done < n) {
		chunk = n - done < sizeof(a->io) ? n - done : sizeof(a->io);
		for (k = 0; k < chunk; ++k)
			a->io[k] = (uint8_t)pat[(s->wr_off + k) % plen];
		r = send(s->fd, a->io, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			done += (unsigned long)r;
			s->wr_off += (uint64_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			rv = agent_wait(a, s->fd, POLLOUT, deadline);
			if (rv > 0)
				continue;
			e = rv < 0 ? ESHUTDOWN : EAGAIN;
			break;
		}
		e = r == 0 ? EIO : errno;
		break;
	}
	if (!e)
		agent_reply_ok(a, "%lu", done);
	else if (!done && e != EAGAIN)
		agent_reply_err(a, e, "write: %s", strerror(e));
	else /* partial: the count, and why it stopped */
		agent_reply_ok(a, "%lu %s", done,
			       agent_errno_name(e, num, sizeof(num)));
	return 0;
}

static int cmd_read(struct agent *a, char **av, int ac)
{
	static const char hex[] = "0123456789abcdef";
	struct agent_sock *s;
	size_t got = 0, max, k;
	int64_t deadline;
	struct opts o;
	int rv, n;
	ssize_t r;

	if (ac < 2 || (rv = agent_get_sock(a, av[1], &s)) == USAGE ||
	    parse_opts(av, ac, 2, OPT_MAX | OPT_TIMEOUT, &o) < 0)
		return USAGE;
	if (rv)
		return 0;
	if (s->listener) {
		agent_reply_err(a, EINVAL, "s%u is a listener", s->id);
		return 0;
	}
	max = o.max > 0 ? (size_t)o.max : AGENT_READ_MAX;
	if (o.timeout < 0)
		o.timeout = DEF_READ_MS;
	deadline = agent_now_ns() + o.timeout * MS;
	while (got < max) {
		r = recv(s->fd, a->io + got, max - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0 || got)
			break; /* EOF, or an error after data: next time */
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return agent_sys_err(a, -1, "read");
		rv = agent_wait(a, s->fd, POLLIN, deadline);
		if (rv < 0)
			return stopping(a, -1);
		if (rv == 0) {
			agent_reply_err(a, EAGAIN, "no data within %ld ms",
					o.timeout);
			return 0;
		}
	}
	if (!got) {
		agent_reply_ok(a, "0");
		return 0;
	}
	n = snprintf(a->reply, 32, "ok %zu ", got);
	for (k = 0; k < got; ++k) {
		a->reply[n++] = hex[a->io[k] >> 4];
		a->reply[n++] = hex[a->io[k] & 15];
	}
	a->reply[n] = '\0';
	return 0;
}

static int cmd_shutdown(struct agent *a, char **av, int ac)
{
	struct agent_sock *s;
	int rv, how;

	if (ac != 3 || (rv = agent_get_sock(a, av[1], &s)) == USAGE)
		return USAGE;
	if (!strcmp(av[2], "rd"))
		how = SHUT_RD;
	else if (!strcmp(av[2], "wr"))
		how = SHUT_WR;
	else if (!strcmp(av[2], "rdwr"))
		how = SHUT_RDWR;
	else
		return USAGE;
	if (rv)
		return 0;
	if (shutdown(s->fd, how) < 0)
		return agent_sys_err(a, -1, "shutdown");
	agent_reply_ok(a, "%s", "");
	return 0;
}

/* close, and abort: SO_LINGER {1, 0} first, so close sends an RST */
static int close_or_abort(struct agent *a, char **av, int ac, int abort)
{
	struct linger l = { 1, 0 };
	struct agent_sock *s;
	int rv;

	if (ac != 2 || (rv = agent_get_sock(a, av[1], &s)) == USAGE)
		return USAGE;
	if (rv)
		return 0;
	if (abort && setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l,
				sizeof(l)) < 0)
		return agent_sys_err(a, -1, "setsockopt(SO_LINGER)");
	close(s->fd);
	del_sock(a, s);
	agent_reply_ok(a, "%s", "");
	return 0;
}

static int cmd_close(struct agent *a, char **av, int ac)
{
	return close_or_abort(a, av, ac, 0);
}

static int cmd_abort(struct agent *a, char **av, int ac)
{
	return close_or_abort(a, av, ac, 1);
}

void agent_cmd_reset(struct agent *a)
{
	struct linger l = { 1, 0 };
	unsigned i;

	for (i = 0; i < a->n_sock; ++i) {
		if (!a->sock[i].listener)
			setsockopt(a->sock[i].fd, SOL_SOCKET, SO_LINGER, &l,
				   sizeof(l));
		close(a->sock[i].fd);
	}
	a->n_sock = 0;
	a->next_id = 1;
}

static int cmd_reset(struct agent *a, char **av, int ac)
{
	(void)av;
	if (ac != 1)
		return USAGE;
	agent_cmd_reset(a);
	agent_reply_ok(a, "%s", "");
	return 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(struct agent *a, char **av, int ac);
	const char *usage;
} cmds[] = {
	{ "listen", cmd_listen, "listen PORT [v4|v6|any|ADDR] [backlog N]" },
	{ "accept", cmd_accept, "accept sN [timeout MS]" },
	{ "connect", cmd_connect,
	  "connect ADDR PORT [from PORT] [timeout MS] [nonblock]" },
	{ "write", cmd_write, "write sN BYTES [pattern P] [timeout MS]" },
	{ "read", cmd_read, "read sN [max BYTES] [timeout MS]" },
	{ "shutdown", cmd_shutdown, "shutdown sN rd|wr|rdwr" },
	{ "close", cmd_close, "close sN" },
	{ "abort", cmd_abort, "abort sN" },
	{ "setsockopt", agent_cmd_setsockopt, "setsockopt sN NAME VALUE" },
	{ "getsockopt", agent_cmd_getsockopt, "getsockopt sN NAME" },
	{ "sysctl", agent_cmd_sysctl, "sysctl NAME [VALUE]" },
	{ "reset", cmd_reset, "reset" },
	{ "ping", cmd_ping, "ping" },
};

int agent_cmd_exec(struct agent *a, char *line)
{
	char *av[MAX_WORDS + 1], *save = NULL;
	size_t i;
	int ac = 0;

	for (av[0] = strtok_r(line, " \t", &save); av[ac] && ac < MAX_WORDS;)
		av[++ac] = strtok_r(NULL, " \t", &save);
	if (ac == MAX_WORDS && av[ac]) {
		agent_reply_err(a, EINVAL, "more than %d words", MAX_WORDS);
		return 0;
	}
	if (!ac) {
		agent_reply_err(a, EINVAL, "empty command");
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); ++i)
		if (!strcmp(av[0], cmds[i].name))
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		agent_reply_err(a, EINVAL, "unknown command '%.64s' (known: "
				"listen accept connect write read shutdown "
				"close abort setsockopt getsockopt sysctl "
				"reset ping)", av[0]);
		return 0;
	}
	if (cmds[i].fn(a, av, ac) == USAGE)
		agent_reply_err(a, EINVAL, "expected: %s", cmds[i].usage);
	return a->reply[0] == 'o';
}
