/* target_linux: the Linux kernel in a network namespace as the target.
 *
 * Order matters for safety: the child unshares first, then we unshare,
 * and only once both namespaces are verified to differ from the one we
 * started in is any link created; every command runs in one of the two
 * new namespaces, never in the host's.
 *
 * Commands (ip, ethtool) run in forked helpers; those for the target side
 * setns() into the child's namespace first, so all error text comes back
 * to one place. The child itself only waits for its link and address,
 * then listens: it accepts, reads and discards, and closes its side when
 * the peer's FIN arrives (read returns 0), like a simple server with
 * nothing to say. It exits when the control socket closes. */
#define _GNU_SOURCE
#include "target_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define TESTER_IF "tcpspec0"
#define TARGET_IF "tcpspec1"
#define TESTER_MAC "02:00:00:00:00:02"
#define TARGET_MAC "02:00:00:00:00:01"

#define NS_PER_MS 1000000LL
#define CMD_TIMEOUT_NS (10000 * NS_PER_MS)   /* one ip/ethtool run */
#define READY_TIMEOUT_NS (10000 * NS_PER_MS) /* link up + address usable */
#define STOP_TIMEOUT_NS (2000 * NS_PER_MS)   /* veth gone after the kill */
#define MAX_CONNS 512
#define MSG_MAX 400

extern char **environ;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * NS_PER_MS };

	nanosleep(&ts, NULL);
}

static int ms_left(int64_t deadline)
{
	int64_t left = deadline - now_ns();

	return left <= 0 ? 0 : (int)((left + NS_PER_MS - 1) / NS_PER_MS);
}

/* Multi-line tool output -> one line. */
static void one_line(char *s)
{
	char *w = s, *r;

	for (r = s; *r; ++r) {
		if (*r == '\n' || *r == '\r') {
			if (r[1] && w > s && w[-1] != ' ') {
				*w++ = ';';
				*w++ = ' ';
			}
			continue;
		}
		*w++ = *r;
	}
	while (w > s && (w[-1] == ' ' || w[-1] == ';'))
		--w;
	*w = '\0';
}

static int find_prog(const char *name, char *out, size_t cap)
{
	/* root's PATH normally has sbin; fall back for sudo-less shells */
	static const char fallback[] = "/usr/sbin:/sbin:/usr/bin:/bin";
	const char *path = getenv("PATH");
	char list[4096];
	char *dir, *save;

	snprintf(list, sizeof(list), "%s:%s", path ? path : "", fallback);
	for (dir = strtok_r(list, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap)
			continue;
		if (access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

static void argv_str(char *const argv[], char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; *argv && n < cap; ++argv)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "",
				      *argv);
}

/* Child side of a helper: reports a failure on fd, one line. */
static void __attribute__((noreturn))
helper_fail(int fd, const char *what, int err)
{
	char msg[MSG_MAX];
	int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerrordesc_np(err));

	if (write(fd, msg, (size_t)n) < 0) {
		/* nothing left to tell it to */
	}
	_exit(126);
}

/* Reads a helper's output until EOF or deadline, then reaps it.
 * Returns the wait status, or -1 on timeout (helper killed). */
static int helper_wait(pid_t pid, int fd, char *out, size_t cap)
{
	int64_t deadline = now_ns() + CMD_TIMEOUT_NS;
	size_t n = 0;
	int status = 0, timed_out = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char junk[256];
		ssize_t r;
		int rv = poll(&pfd, 1, ms_left(deadline));

		if (rv < 0 && errno == EINTR)
			continue;
		if (rv <= 0) {
			timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		if (n + 1 < cap)
			r = read(fd, out + n, cap - 1 - n);
		else
			r = read(fd, junk, sizeof(junk)); /* keep the head */
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < cap)
			n += (size_t)r;
	}
	out[n] = '\0';
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	one_line(out);
	return timed_out ? -1 : status;
}

/* Runs argv (argv[0] a full path) with stdout+stderr captured, in the
 * namespace nsfd (-1: ours). Returns the wait status or -1 on timeout;
 * out holds the output or the reason it could not start. */
static int run(int nsfd, char *const argv[], char *out, size_t cap)
{
	int p[2], nul;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(out, cap, "pipe2: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(out, cap, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0)
			helper_fail(p[1], "setns into the target namespace", errno);
		nul = open("/dev/null", O_RDONLY);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(p[1], 1) < 0 ||
		    dup2(p[1], 2) < 0)
			helper_fail(p[1], "redirecting stdio", errno);
		execve(argv[0], argv, environ);
		helper_fail(p[1], argv[0], errno);
	}
	close(p[1]);
	return helper_wait(pid, p[0], out, cap);
}

/* Runs argv; on failure fills d: which command, where, how, and what it
 * printed. */
static int cmd(struct diag *d, int nsfd, char *const argv[])
{
	char out[DIAG_MSG_MAX], line[256];
	int st = run(nsfd, argv, out, sizeof(out));

	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	argv_str(argv, line, sizeof(line));
	if (st < 0)
		return diag_set(d, NULL, 0, 0, "`%s` (%s namespace) failed: %s",
				line, nsfd >= 0 ? "target" : "tester",
				out[0] ? out : "timed out");
	if (WIFSIGNALED(st))
		return diag_set(d, NULL, 0, 0,
				"`%s` (%s namespace) killed by signal %d: %s",
				line, nsfd >= 0 ? "target" : "tester",
				WTERMSIG(st), out);
	return diag_set(d, NULL, 0, 0, "`%s` (%s namespace) exited %d: %s",
			line, nsfd >= 0 ? "target" : "tester", WEXITSTATUS(st),
			out);
}

/* In-namespace checks that need no program. Return 0 or fill msg. */
typedef int (*ns_fn)(const char *a, const char *b, char *msg, size_t cap);

static int write_file(const char *path, const char *val, char *msg, size_t cap)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(val);

	if (fd < 0) {
		snprintf(msg, cap, "open %s: %s", path, strerror(errno));
		return -1;
	}
	if (write(fd, val, len) != (ssize_t)len) {
		snprintf(msg, cap, "write \"%s\" to %s: %s", val, path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int ethtool_get(int s, const char *ifname, uint32_t cmdno,
		       uint32_t *val)
{
	struct ethtool_value ev = { .cmd = cmdno };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(s, SIOCETHTOOL, &ifr) < 0)
		return -1;
	*val = ev.data;
	return 0;
}

/* A veth with RX checksum offload marks what we inject as already
 * verified; the kernel would then accept a bad checksum. */
static int check_csum_off(const char *ifname, const char *unused, char *msg,
			  size_t cap)
{
	uint32_t rx = 1, tx = 1;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)unused;
	if (s < 0) {
		snprintf(msg, cap, "socket: %s", strerror(errno));
		return -1;
	}
	if (ethtool_get(s, ifname, ETHTOOL_GRXCSUM, &rx) < 0 ||
	    ethtool_get(s, ifname, ETHTOOL_GTXCSUM, &tx) < 0) {
		snprintf(msg, cap, "SIOCETHTOOL on %s: %s", ifname,
			 strerror(errno));
		close(s);
		return -1;
	}
	close(s);
	if (rx || tx) {
		snprintf(msg, cap, "%s: checksum offload still on (rx %u, tx %u)",
			 ifname, rx, tx);
		return -1;
	}
	return 0;
}

/* fn(a, b) in namespace nsfd (-1: here), error text into d. */
static int ns_call(struct diag *d, int nsfd, ns_fn fn, const char *a,
		   const char *b)
{
	char msg[MSG_MAX] = "";
	int p[2], st;
	pid_t pid;

	if (nsfd < 0) {
		if (fn(a, b, msg, sizeof(msg)) == 0)
			return 0;
		return diag_set(d, NULL, 0, 0, "tester namespace: %s", msg);
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return diag_set(d, NULL, 0, 0, "pipe2: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return diag_set(d, NULL, 0, 0, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		if (setns(nsfd, CLONE_NEWNET) < 0)
			helper_fail(p[1], "setns into the target namespace", errno);
		if (fn(a, b, msg, sizeof(msg)) == 0)
			_exit(0);
		if (write(p[1], msg, strlen(msg)) < 0)
			_exit(1);
		_exit(1);
	}
	close(p[1]);
	st = helper_wait(pid, p[0], msg, sizeof(msg));
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	return diag_set(d, NULL, 0, 0, "target namespace: %s",
			msg[0] ? msg : "helper timed out or crashed");
}

/* ethtool exits nonzero when some feature is fixed; what matters is
 * that checksum offload ended up off, which is checked by ioctl. */
static int offloads_off(struct diag *d, int nsfd, const char *et,
			const char *ifname)
{
	char *const argv[] = { (char *)et, "-K", (char *)ifname, "rx", "off",
		"tx", "off", "tso", "off", "gso", "off", "gro", "off", NULL };
	char out[MSG_MAX], why[DIAG_MSG_MAX];
	int st = run(nsfd, argv, out, sizeof(out));

	if (ns_call(d, nsfd, check_csum_off, ifname, NULL) == 0)
		return 0;
	snprintf(why, sizeof(why), "%s", d->msg);
	return diag_set(d, NULL, 0, 0, "%s; `ethtool -K %s ...` %s %d: %s", why,
			ifname, st < 0 ? "failed" : "exited",
			st < 0 ? -1 : WEXITSTATUS(st), out);
}

static int if_flags(int s, const char *ifname, short *flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	*flags = ifr.ifr_flags;
	return 0;
}

/* ---- the child: target namespace, readiness, listeners ---- */

static void ctl_say(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ctl_say(int fd, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;
	/* if the parent is gone there is nobody to tell */
	if (send(fd, msg, (size_t)n, MSG_NOSIGNAL) < 0)
		_exit(1);
}

/* Until the link has carrier (the qdisc is attached then; before that
 * frames are dropped) and the IPv6 address is no longer tentative. */
static int child_wait_ready(int fd)
{
	int64_t deadline = now_ns() + READY_TIMEOUT_NS;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	const char *why = "link not running";
	short fl;

	if (s < 0) {
		ctl_say(fd, "target: socket: %s", strerror(errno));
		return -1;
	}
	inet_pton(AF_INET6, "2001:db8::1", &a6.sin6_addr);
	while (now_ns() < deadline) {
		int p;

		if (if_flags(s, TARGET_IF, &fl) < 0) {
			ctl_say(fd, "target: SIOCGIFFLAGS %s: %s", TARGET_IF,
				strerror(errno));
			close(s);
			return -1;
		}
		if ((fl & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING)) {
			why = "2001:db8::1 still tentative";
			p = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (p < 0) {
				ctl_say(fd, "target: socket(AF_INET6): %s",
					strerror(errno));
				close(s);
				return -1;
			}
			if (bind(p, (struct sockaddr *)&a6, sizeof(a6)) == 0) {
				close(p);
				close(s);
				return 0;
			}
			if (errno != EADDRNOTAVAIL) {
				ctl_say(fd, "target: bind [2001:db8::1]:0: %s",
					strerror(errno));
				close(p);
				close(s);
				return -1;
			}
			close(p);
		}
		sleep_ms(2);
	}
	close(s);
	ctl_say(fd, "target: %s not ready after %lld ms: %s", TARGET_IF,
		(long long)(READY_TIMEOUT_NS / NS_PER_MS), why);
	return -1;
}

static int child_listen(int fd, int v6, uint16_t port)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	int one = 1;
	int s = socket(v6 ? AF_INET6 : AF_INET,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0) {
		ctl_say(fd, "target: socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 && setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			      sizeof(one)) < 0)) {
		ctl_say(fd, "target: setsockopt: %s", strerror(errno));
		close(s);
		return -1;
	}
	if ((v6 ? bind(s, (struct sockaddr *)&a6, sizeof(a6)) :
		  bind(s, (struct sockaddr *)&a4, sizeof(a4))) < 0) {
		ctl_say(fd, "target: bind %s:%u: %s", v6 ? "[::]" : "0.0.0.0",
			port, strerror(errno));
		close(s);
		return -1;
	}
	if (listen(s, 128) < 0) {
		ctl_say(fd, "target: listen on port %u: %s", port,
			strerror(errno));
		close(s);
		return -1;
	}
	return s;
}

static void __attribute__((noreturn))
child_serve(int fd, struct pollfd *pf, unsigned n_lis)
{
	unsigned n = 1 + n_lis, i;
	char buf[65536];

	for (;;) {
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if (pf[0].revents) {
			/* EOF: the parent stopped us or died */
			ssize_t r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				_exit(0);
		}
		for (i = 1; i < 1 + n_lis; ++i) {
			int c;

			if (!pf[i].revents)
				continue;
			c = accept4(pf[i].fd, NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (c < 0)
				continue; /* EAGAIN, ECONNABORTED, EMFILE */
			if (n == 1 + n_lis + MAX_CONNS) {
				close(c);
				continue;
			}
			pf[n].fd = c;
			pf[n].events = POLLIN;
			pf[n].revents = 0;
			++n;
		}
		for (i = 1 + n_lis; i < n; ++i) {
			ssize_t r;

			if (!pf[i].revents)
				continue;
			r = read(pf[i].fd, buf, sizeof(buf));
			if (r > 0 || (r < 0 && errno == EAGAIN))
				continue;
			/* FIN (0) or RST: close our side too */
			close(pf[i].fd);
			pf[i--] = pf[--n];
		}
	}
}

static void __attribute__((noreturn))
child_main(int fd, pid_t ppid, const uint16_t *ports, unsigned n_ports)
{
	struct pollfd pf[1 + 2 * TARGET_LINUX_MAX_PORTS + MAX_CONNS];
	char go[16];
	unsigned i;

	/* hold nothing of the parent's: an inherited capture socket would
	 * keep an old tester namespace alive */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	/* never outlive the tester: the namespace dies with us */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		ctl_say(fd, "target: prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
		_exit(1);
	}
	if (getppid() != ppid)
		_exit(1);
	if (unshare(CLONE_NEWNET) < 0) {
		ctl_say(fd, "unshare(CLONE_NEWNET) for the target namespace: %s",
			strerror(errno));
		_exit(1);
	}
	ctl_say(fd, "ok");
	if (recv(fd, go, sizeof(go), 0) <= 0)
		_exit(0);
	if (child_wait_ready(fd) < 0)
		_exit(1);
	pf[0].fd = fd;
	pf[0].events = POLLIN;
	for (i = 0; i < 2 * n_ports; ++i) {
		pf[1 + i].fd = child_listen(fd, (int)(i & 1), ports[i / 2]);
		if (pf[1 + i].fd < 0)
			_exit(1);
		pf[1 + i].events = POLLIN;
	}
	ctl_say(fd, "ok");
	child_serve(fd, pf, 2 * n_ports);
}

/* ---- the parent ---- */

/* Waits for the child's next status line: "ok" or why it failed. */
static int child_status(struct target_linux *t, struct diag *d,
			const char *stage)
{
	int64_t deadline = now_ns() + READY_TIMEOUT_NS + NS_PER_MS * 1000;
	char msg[MSG_MAX + 1];
	ssize_t n;

	for (;;) {
		struct pollfd pfd = { .fd = t->ctl_fd, .events = POLLIN };
		int rv = poll(&pfd, 1, ms_left(deadline));

		if (rv < 0 && errno == EINTR)
			continue;
		if (rv < 0)
			return diag_set(d, NULL, 0, 0, "poll: %s", strerror(errno));
		if (rv == 0)
			return diag_set(d, NULL, 0, 0,
					"target process silent while %s", stage);
		break;
	}
	n = recv(t->ctl_fd, msg, sizeof(msg) - 1, 0);
	if (n < 0)
		return diag_set(d, NULL, 0, 0, "recv from the target process: %s",
				strerror(errno));
	if (n == 0)
		return diag_set(d, NULL, 0, 0,
				"target process exited while %s", stage);
	msg[n] = '\0';
	if (strcmp(msg, "ok") != 0)
		return diag_set(d, NULL, 0, 0, "%s", msg);
	return 0;
}

static int ns_id(const char *path, struct stat *st, struct diag *d)
{
	if (stat(path, st) < 0)
		return diag_set(d, NULL, 0, 0, "stat %s: %s", path, strerror(errno));
	return 0;
}

static int same_ns(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static void fill_addrs(struct target_linux *t)
{
	static const uint8_t tmac[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t gmac[6] = { 2, 0, 0, 0, 0, 1 };

	memset(t, 0, sizeof(*t));
	t->child = -1;
	t->ctl_fd = -1;
	snprintf(t->tester_if, sizeof(t->tester_if), "%s", TESTER_IF);
	snprintf(t->target_if, sizeof(t->target_if), "%s", TARGET_IF);
	memcpy(t->tester_mac, tmac, 6);
	memcpy(t->target_mac, gmac, 6);
	inet_pton(AF_INET, "192.0.2.2", t->tester_v4);
	inet_pton(AF_INET, "192.0.2.1", t->target_v4);
	inet_pton(AF_INET6, "2001:db8::2", t->tester_v6);
	inet_pton(AF_INET6, "2001:db8::1", t->target_v6);
}

/* Everything that happens inside the two new namespaces. */
static int configure(struct target_linux *t, int nsfd, const char *ip,
		     const char *et, struct diag *d)
{
	char pid[16];
	char *const add[] = { (char *)ip, "link", "add", TESTER_IF, "address",
		TESTER_MAC, "type", "veth", "peer", "name", TARGET_IF,
		"address", TARGET_MAC, "netns", pid, NULL };
	char *const lo_up[] = { (char *)ip, "link", "set", "lo", "up", NULL };
	char *const tst_up[] = { (char *)ip, "link", "set", TESTER_IF, "up", NULL };
	char *const tgt_up[] = { (char *)ip, "link", "set", TARGET_IF, "up", NULL };
	char *const a4[] = { (char *)ip, "addr", "add", "192.0.2.1/24", "dev",
		TARGET_IF, NULL };
	char *const a6[] = { (char *)ip, "-6", "addr", "add", "2001:db8::1/64",
		"dev", TARGET_IF, "nodad", NULL };
	char *const n4[] = { (char *)ip, "neigh", "replace", "192.0.2.2",
		"lladdr", TESTER_MAC, "dev", TARGET_IF, "nud", "permanent", NULL };
	char *const n6[] = { (char *)ip, "-6", "neigh", "replace", "2001:db8::2",
		"lladdr", TESTER_MAC, "dev", TARGET_IF, "nud", "permanent", NULL };

	snprintf(pid, sizeof(pid), "%d", (int)t->child);
	/* tester: no address, no IPv6, no forwarding: its kernel stays
	 * silent (no RS/MLD/DAD, no RST, no ICMP) */
	if (cmd(d, -1, add) < 0 ||
	    ns_call(d, -1, write_file,
		    "/proc/sys/net/ipv6/conf/" TESTER_IF "/disable_ipv6", "1") < 0 ||
	    ns_call(d, -1, write_file, "/proc/sys/net/ipv4/ip_forward", "0") < 0 ||
	    offloads_off(d, -1, et, TESTER_IF) < 0 ||
	    cmd(d, -1, lo_up) < 0 || cmd(d, -1, tst_up) < 0)
		return -1;
	/* target: up first, then addresses and permanent neighbours, which
	 * an admin down/up would flush */
	if (cmd(d, nsfd, lo_up) < 0 ||
	    ns_call(d, nsfd, write_file,
		    "/proc/sys/net/ipv6/conf/" TARGET_IF "/disable_ipv6", "0") < 0 ||
	    offloads_off(d, nsfd, et, TARGET_IF) < 0 ||
	    cmd(d, nsfd, tgt_up) < 0 || cmd(d, nsfd, a4) < 0 ||
	    cmd(d, nsfd, a6) < 0 || cmd(d, nsfd, n4) < 0 ||
	    cmd(d, nsfd, n6) < 0)
		return -1;
	return 0;
}

static int tester_wait_running(struct diag *d)
{
	int64_t deadline = now_ns() + READY_TIMEOUT_NS;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	short fl = 0;

	if (s < 0)
		return diag_set(d, NULL, 0, 0, "socket: %s", strerror(errno));
	do {
		if (if_flags(s, TESTER_IF, &fl) < 0) {
			diag_set(d, NULL, 0, 0, "SIOCGIFFLAGS %s: %s", TESTER_IF,
				 strerror(errno));
			close(s);
			return -1;
		}
		if (fl & IFF_RUNNING) {
			close(s);
			return 0;
		}
		sleep_ms(2);
	} while (now_ns() < deadline);
	close(s);
	return diag_set(d, NULL, 0, 0, "%s not running after %lld ms", TESTER_IF,
			(long long)(READY_TIMEOUT_NS / NS_PER_MS));
}

int target_linux_start(struct target_linux *t, const uint16_t *ports,
		       unsigned n_ports, struct diag *d)
{
	char ip[PATH_MAX], et[PATH_MAX], path[64];
	struct stat host, self, child;
	int sv[2], nsfd = -1;
	pid_t ppid = getpid();
	unsigned i;

	fill_addrs(t);
	if (n_ports == 0 || n_ports > TARGET_LINUX_MAX_PORTS)
		return diag_set(d, NULL, 0, 0, "linux target: %u ports (1..%d)",
				n_ports, TARGET_LINUX_MAX_PORTS);
	for (i = 0; i < n_ports; ++i)
		if (ports[i] == 0)
			return diag_set(d, NULL, 0, 0, "linux target: port 0");
	if (geteuid() != 0)
		return diag_set(d, NULL, 0, 0, "must run as root: the linux "
				"target creates network namespaces");
	if (find_prog("ip", ip, sizeof(ip)) < 0)
		return diag_set(d, NULL, 0, 0, "`ip` (iproute2) not found on PATH");
	if (find_prog("ethtool", et, sizeof(et)) < 0)
		return diag_set(d, NULL, 0, 0, "`ethtool` not found on PATH "
				"(apt-get install ethtool)");
	if (ns_id("/proc/self/ns/net", &host, d) < 0)
		return -1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return diag_set(d, NULL, 0, 0, "socketpair: %s", strerror(errno));
	t->child = fork();
	if (t->child < 0) {
		diag_set(d, NULL, 0, 0, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		t->child = -1;
		return -1;
	}
	if (t->child == 0) {
		close(sv[0]);
		child_main(sv[1], ppid, ports, n_ports);
	}
	close(sv[1]);
	t->ctl_fd = sv[0];
	if (child_status(t, d, "creating its namespace") < 0)
		goto fail;

	if (unshare(CLONE_NEWNET) < 0) {
		diag_set(d, NULL, 0, 0, "unshare(CLONE_NEWNET) for the tester "
			 "namespace: %s", strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)t->child);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		diag_set(d, NULL, 0, 0, "open %s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(nsfd, &child) < 0) {
		diag_set(d, NULL, 0, 0, "fstat %s: %s", path, strerror(errno));
		goto fail;
	}
	if (ns_id("/proc/self/ns/net", &self, d) < 0)
		goto fail;
	/* the one check that keeps the host's interfaces untouched */
	if (same_ns(&host, &self) || same_ns(&host, &child) ||
	    same_ns(&self, &child)) {
		diag_set(d, NULL, 0, 0, "network namespaces not separate "
			 "after unshare; refusing to configure anything");
		goto fail;
	}
	if (configure(t, nsfd, ip, et, d) < 0)
		goto fail;
	close(nsfd);
	nsfd = -1;
	if (send(t->ctl_fd, "go", 2, MSG_NOSIGNAL) != 2) {
		diag_set(d, NULL, 0, 0, "send to the target process: %s",
			 strerror(errno));
		goto fail;
	}
	if (child_status(t, d, "waiting for its link and listeners") < 0 ||
	    tester_wait_running(d) < 0)
		goto fail;
	return 0;

fail:
	if (nsfd >= 0)
		close(nsfd);
	target_linux_stop(t);
	return -1;
}

void target_linux_stop(struct target_linux *t)
{
	int64_t deadline = now_ns() + STOP_TIMEOUT_NS;

	if (t->ctl_fd >= 0) {
		close(t->ctl_fd);
		t->ctl_fd = -1;
	}
	if (t->child <= 0)
		return;
	kill(t->child, SIGKILL);
	while (waitpid(t->child, NULL, 0) < 0 && errno == EINTR)
		;
	t->child = -1;
	/* netns teardown is asynchronous in the kernel; wait (bounded) so
	 * the caller sees the veth gone when we return */
	while (t->tester_if[0] && if_nametoindex(t->tester_if) != 0 &&
	       now_ns() < deadline)
		sleep_ms(2);
}
