/* agent_opt: the target agent's setsockopt, getsockopt (with the
 * read-only SO_ERROR, TCP_STATE, LOCAL and PEER) and sysctl commands. */
#define _GNU_SOURCE
#include "agent_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#define SYSCTL_MAX 1024

/* ---- socket options ---- */

enum opt_kind { K_INT, K_LINGER, K_ERROR, K_STATE, K_LOCAL, K_PEER };

static const struct sockopt_name {
	const char *name;
	int level, opt;
	enum opt_kind kind;
} sockopts[] = {
	{ "SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, K_INT },
	{ "SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, K_INT },
	{ "SO_LINGER", SOL_SOCKET, SO_LINGER, K_LINGER },
	{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, K_INT },
	{ "TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, K_INT },
	{ "TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG, K_INT },
	{ "TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE, K_INT },
	{ "TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL, K_INT },
	{ "TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT, K_INT },
	{ "TCP_QUICKACK", IPPROTO_TCP, TCP_QUICKACK, K_INT },
	{ "TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT, K_INT },
	{ "TCP_WINDOW_CLAMP", IPPROTO_TCP, TCP_WINDOW_CLAMP, K_INT },
	{ "IP_TTL", IPPROTO_IP, IP_TTL, K_INT },
	{ "IPV6_UNICAST_HOPS", IPPROTO_IPV6, IPV6_UNICAST_HOPS, K_INT },
	/* read-only */
	{ "SO_ERROR", SOL_SOCKET, SO_ERROR, K_ERROR },
	{ "TCP_STATE", IPPROTO_TCP, TCP_INFO, K_STATE },
	{ "LOCAL", 0, 0, K_LOCAL },
	{ "PEER", 0, 0, K_PEER },
};

/* RFC 9293 names of Linux's TCP states (include/net/tcp_states.h). */
static const char *const tcp_states[] = {
	"?", "ESTABLISHED", "SYN-SENT", "SYN-RECEIVED", "FIN-WAIT-1",
	"FIN-WAIT-2", "TIME-WAIT", "CLOSED", "CLOSE-WAIT", "LAST-ACK",
	"LISTEN", "CLOSING", "SYN-RECEIVED",
};

/* The option named by word: 0 and *op, or 1 with the reply set. */
static int get_opt(struct agent *a, const char *word,
		   const struct sockopt_name **op)
{
	char known[400];
	size_t i, n = 0;

	for (i = 0; i < sizeof(sockopts) / sizeof(sockopts[0]); ++i)
		if (!strcasecmp(word, sockopts[i].name)) {
			*op = &sockopts[i];
			return 0;
		}
	for (i = 0; i < sizeof(sockopts) / sizeof(sockopts[0]); ++i)
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s",
				      i ? " " : "", sockopts[i].name);
	agent_reply_err(a, EINVAL, "unknown option %.64s (known: %s)", word,
			known);
	return 1;
}

int agent_cmd_setsockopt(struct agent *a, char **av, int ac)
{
	const struct sockopt_name *op = NULL;
	struct agent_sock *s = NULL;
	struct linger l;
	int rv, iv;
	long v;

	if (ac != 4 || (rv = agent_get_sock(a, av[1], &s)) == USAGE ||
	    agent_parse_int(av[3], &v) < 0)
		return USAGE;
	if (rv || get_opt(a, av[2], &op))
		return 0;
	if (op->kind == K_LINGER) {
		l = (struct linger){ v >= 0, v >= 0 ? (int)v : 0 };
		rv = setsockopt(s->fd, op->level, op->opt, &l, sizeof(l));
	} else if (op->kind == K_INT) {
		iv = (int)v;
		rv = setsockopt(s->fd, op->level, op->opt, &iv, sizeof(iv));
	} else {
		agent_reply_err(a, EINVAL, "%s is read-only", op->name);
		return 0;
	}
	if (rv < 0)
		return agent_sys_err(a, -1, op->name);
	agent_reply_ok(a, "%s", "");
	return 0;
}

int agent_cmd_getsockopt(struct agent *a, char **av, int ac)
{
	const struct sockopt_name *op = NULL;
	struct sockaddr_storage ss;
	struct tcp_info ti;
	struct agent_sock *s = NULL;
	struct linger l;
	char buf[64];
	socklen_t len;
	int rv, iv;

	if (ac != 3 || (rv = agent_get_sock(a, av[1], &s)) == USAGE)
		return USAGE;
	if (rv || get_opt(a, av[2], &op))
		return 0;
	switch (op->kind) {
	case K_INT:
	case K_ERROR:
		len = sizeof(iv);
		if (getsockopt(s->fd, op->level, op->opt, &iv, &len) < 0)
			return agent_sys_err(a, -1, op->name);
		if (op->kind == K_ERROR && iv)
			agent_reply_ok(a, "%s", agent_errno_name(iv, buf,
								 sizeof(buf)));
		else
			agent_reply_ok(a, "%d", iv);
		break;
	case K_LINGER:
		len = sizeof(l);
		if (getsockopt(s->fd, op->level, op->opt, &l, &len) < 0)
			return agent_sys_err(a, -1, op->name);
		agent_reply_ok(a, "%d", l.l_onoff ? l.l_linger : -1);
		break;
	case K_STATE:
		len = sizeof(ti);
		memset(&ti, 0, sizeof(ti));
		if (getsockopt(s->fd, op->level, op->opt, &ti, &len) < 0)
			return agent_sys_err(a, -1, "TCP_INFO");
		agent_reply_ok(a, "%s", ti.tcpi_state < sizeof(tcp_states) /
			       sizeof(tcp_states[0]) ?
			       tcp_states[ti.tcpi_state] : "?");
		break;
	case K_LOCAL:
	case K_PEER:
		len = sizeof(ss);
		if ((op->kind == K_LOCAL ? getsockname : getpeername)
		    (s->fd, (struct sockaddr *)&ss, &len) < 0)
			return agent_sys_err(a, -1, op->kind == K_LOCAL ?
				       "getsockname" : "getpeername");
		agent_addr_str(&ss, buf, sizeof(buf));
		agent_reply_ok(a, "%s", buf);
		break;
	}
	return 0;
}

/* ---- sysctl ---- */

/* /proc/sys/NAME: dots become slashes unless NAME already uses slashes
 * (as sysctl(8) allows, for interface names with dots). No "..", no
 * leading separator, nothing but [A-Za-z0-9_.-/]. */
static int sysctl_path(const char *name, char *path, size_t cap)
{
	int slashes = strchr(name, '/') != NULL;
	size_t i, n = strlen(name), off;

	if (!n || n > 200 || name[0] == '.' || name[0] == '/' ||
	    strstr(name, "..") || strstr(name, "/.") || strstr(name, "./"))
		return -1;
	off = (size_t)snprintf(path, cap, "/proc/sys/");
	for (i = 0; i < n; ++i) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		      ch == '.' || ch == '/'))
			return -1;
		path[off + i] = ch == '.' && !slashes ? '/' : ch;
	}
	path[off + n] = '\0';
	return 0;
}

int agent_cmd_sysctl(struct agent *a, char **av, int ac)
{
	char path[256], val[SYSCTL_MAX], what[300];
	size_t n = 0, len;
	ssize_t r;
	int i, fd;

	if (ac < 2 || sysctl_path(av[1], path, sizeof(path)) < 0)
		return USAGE;
	snprintf(what, sizeof(what), "sysctl %s", av[1]);
	if (ac > 2) { /* the value is the rest of the line, one space apart */
		for (i = 2; i < ac; ++i) {
			len = strlen(av[i]);
			if (n + len + 2 > sizeof(val))
				return USAGE;
			if (i > 2)
				val[n++] = ' ';
			memcpy(val + n, av[i], len);
			n += len;
		}
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return agent_sys_err(a, -1, what);
		r = write(fd, val, n);
		if (r != (ssize_t)n) {
			if (r >= 0)
				errno = EIO;
			return agent_sys_err(a, fd, what);
		}
		close(fd);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && ac > 2 && (errno == EACCES || errno == EPERM)) {
		agent_reply_ok(a, "%s", ""); /* write-only, written */
		return 0;
	}
	if (fd < 0)
		return agent_sys_err(a, -1, what);
	n = 0;
	while (n < sizeof(val) - 1 &&
	       (r = read(fd, val + n, sizeof(val) - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return agent_sys_err(a, fd, what);
		n += (size_t)r;
	}
	close(fd);
	while (n && (val[n - 1] == '\n' || val[n - 1] == ' ' ||
		     val[n - 1] == '\t'))
		--n;
	val[n] = '\0';
	for (i = 0; i < (int)n; ++i) /* tcp_rmem's tabs, and any newline */
		if (val[i] == '\t' || val[i] == '\n')
			val[i] = ' ';
	agent_reply_ok(a, "%s", val);
	return 0;
}
