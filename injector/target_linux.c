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
 * the peer's FIN (read returns 0) or RST arrives, like a simple server
 * with nothing to say. It exits when the control socket closes. */
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

#define MS 1000000LL
#define CMD_TIMEOUT (10000 * MS)   /* one ip/ethtool run */
#define READY_TIMEOUT (10000 * MS) /* link up + address usable */
#define STOP_TIMEOUT (2000 * MS)   /* veth gone after the kill */
#define MAX_CONNS 512
#define MSG_MAX 400

extern char **environ;

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

static void nap(void)
{
	struct timespec ts = { 0, 2 * MS };

	nanosleep(&ts, NULL);
}

/* Multi-line tool output -> one line. */
static void one_line(char *s, size_t cap)
{
	char tmp[1024];
	size_t n = 0;
	const char *r;

	for (r = s; *r && n + 3 < sizeof(tmp); ++r) {
		if (*r != '\n' && *r != '\r')
			tmp[n++] = *r;
		else if (n && tmp[n - 1] != ' ' && tmp[n - 1] != ';')
			n += (size_t)sprintf(tmp + n, "; ");
	}
	while (n && (tmp[n - 1] == ' ' || tmp[n - 1] == ';'))
		--n;
	if (n >= cap)
		n = cap - 1;
	memcpy(s, tmp, n);
	s[n] = '\0';
}

static int find_prog(const char *name, char *out, size_t cap)
{
	/* root's PATH normally has sbin; fall back for minimal shells */
	const char *path = getenv("PATH");
	char list[4096], *dir, *save;

	snprintf(list, sizeof(list), "%s:/usr/sbin:/sbin:/usr/bin:/bin",
		 path ? path : "");
	for (dir = strtok_r(list, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save))
		if ((size_t)snprintf(out, cap, "%s/%s", dir, name) < cap &&
		    access(out, X_OK) == 0)
			return 0;
	return -1;
}

/* Runs prog (a full path) with args (split on spaces) in a forked
 * helper, in the namespace nsfd (-1: ours); stdout and stderr captured
 * into out as one line. Returns the wait status, or -1 (out says why:
 * fork failed, timeout). */
static int run(int nsfd, const char *prog, const char *args, char *out,
	       size_t cap)
{
	int64_t deadline = now_ns() + CMD_TIMEOUT;
	int p[2], st = 0, timed_out = 0, nul, i, rv;
	const char *what = "setns into the target namespace";
	char words[256], *argv[32], *save;
	size_t n = 0;
	pid_t pid;

	out[0] = '\0';
	snprintf(words, sizeof(words), "%s", args);
	argv[0] = (char *)prog;
	argv[1] = strtok_r(words, " ", &save);
	for (i = 1; argv[i] && i < 30; ++i)
		argv[i + 1] = strtok_r(NULL, " ", &save);
	argv[i] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(out, cap, "pipe2: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) == 0) {
			what = "redirecting stdio";
			nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (nul >= 0 && dup2(nul, 0) == 0 && dup2(p[1], 1) == 1 &&
			    dup2(p[1], 2) == 2) {
				execve(argv[0], argv, environ);
				what = argv[0];
			}
		}
		/* strerrordesc_np: no locale lookup after fork */
		dprintf(p[1], "%s: %s", what, strerrordesc_np(errno));
		_exit(126);
	}
	close(p[1]);
	if (pid < 0) {
		snprintf(out, cap, "fork: %s", strerror(errno));
		close(p[0]);
		return -1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		char junk[256];
		ssize_t r;

		rv = poll(&pfd, 1, ms_left(deadline));
		if (rv < 0 && errno == EINTR)
			continue;
		if (rv <= 0) {
			/* a failed poll is as final as a timeout */
			timed_out = rv == 0 ? ETIMEDOUT : errno;
			kill(pid, SIGKILL);
			break;
		}
		/* keep the head of long output, drain the rest */
		r = n + 1 < cap ? read(p[0], out + n, cap - 1 - n) :
				  read(p[0], junk, sizeof(junk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < cap)
			n += (size_t)r;
	}
	out[n] = '\0';
	close(p[0]);
	while ((rv = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	one_line(out, cap);
	n = strlen(out);
	/* ECHILD if the caller ignores SIGCHLD: the status is unknown */
	if (rv < 0)
		snprintf(out + n, cap - n, "%swaitpid: %s", n ? "; " : "",
			 strerror(errno));
	else if (timed_out)
		snprintf(out + n, cap - n, "%s%s", n ? "; " : "",
			 timed_out == ETIMEDOUT ? "timed out" :
			 strerrordesc_np(timed_out));
	return rv < 0 || timed_out ? -1 : st;
}

static void status_str(int st, char *buf, size_t cap)
{
	if (st < 0)
		snprintf(buf, cap, "failed");
	else if (WIFSIGNALED(st))
		snprintf(buf, cap, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, cap, "exited %d", WEXITSTATUS(st));
}

/* Runs `prog args`; on failure d says which command, where, how, and
 * what it printed. */
static int cmd(struct diag *d, int nsfd, const char *prog, const char *args)
{
	char out[DIAG_MSG_MAX], how[32];
	int st = run(nsfd, prog, args, out, sizeof(out));

	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	status_str(st, how, sizeof(how));
	return diag_set(d, NULL, 0, 0, "`%s %s` (%s namespace) %s: %s", prog,
			args, nsfd >= 0 ? "target" : "tester", how, out);
}

static int write_file(const char *path, const char *val, char *msg, size_t cap)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(msg, cap, "open %s: %s", path, strerror(errno));
		return -1;
	}
	n = write(fd, val, strlen(val));
	if (n != (ssize_t)strlen(val))
		snprintf(msg, cap, "write \"%s\" to %s: %s", val, path,
			 n < 0 ? strerror(errno) : "short write");
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int if_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rv;

	if (s < 0)
		return -1;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	rv = ioctl(s, req, ifr);
	close(s);
	return rv;
}

/* A veth with RX checksum offload may mark what we inject as verified
 * (CHECKSUM_UNNECESSARY), and with TX offload the capture holds partial
 * checksums: both must be off. */
static int csum_off(const char *ifname, char *msg, size_t cap)
{
	struct ethtool_value rx = { .cmd = ETHTOOL_GRXCSUM };
	struct ethtool_value tx = { .cmd = ETHTOOL_GTXCSUM };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_data = (void *)&rx;
	if (if_ioctl(ifname, SIOCETHTOOL, &ifr) == 0) {
		ifr.ifr_data = (void *)&tx;
		if (if_ioctl(ifname, SIOCETHTOOL, &ifr) == 0) {
			if (!rx.data && !tx.data)
				return 0;
			snprintf(msg, cap, "%s: checksum offload still on "
				 "(rx %u, tx %u)", ifname, rx.data, tx.data);
			return -1;
		}
	}
	snprintf(msg, cap, "SIOCETHTOOL on %s: %s", ifname, strerror(errno));
	return -1;
}

/* Until ifname has carrier (its qdisc is attached then; before that
 * frames are dropped) and, if v6 is given, that address is no longer
 * tentative (bind fails with EADDRNOTAVAIL until it is). */
static int wait_ready(const char *ifname, const char *v6, char *msg,
		      size_t cap)
{
	int64_t deadline = now_ns() + READY_TIMEOUT;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	const char *why = "no carrier";
	struct ifreq ifr;
	int s, rv;

	if (v6)
		inet_pton(AF_INET6, v6, &a6.sin6_addr);
	do {
		memset(&ifr, 0, sizeof(ifr));
		if (if_ioctl(ifname, SIOCGIFFLAGS, &ifr) < 0) {
			snprintf(msg, cap, "SIOCGIFFLAGS %s: %s", ifname,
				 strerror(errno));
			return -1;
		}
		if ((ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
		    (IFF_UP | IFF_RUNNING)) {
			if (!v6)
				return 0;
			why = "IPv6 address still tentative";
			s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (s < 0) {
				snprintf(msg, cap, "socket(AF_INET6): %s",
					 strerror(errno));
				return -1;
			}
			rv = bind(s, (struct sockaddr *)&a6, sizeof(a6));
			close(s);
			if (rv == 0)
				return 0;
			if (errno != EADDRNOTAVAIL) {
				snprintf(msg, cap, "bind [%s]:0: %s", v6,
					 strerror(errno));
				return -1;
			}
		}
		nap();
	} while (now_ns() < deadline);
	snprintf(msg, cap, "%s not ready after %lld ms: %s", ifname,
		 READY_TIMEOUT / MS, why);
	return -1;
}

/* ---- the child: target namespace, readiness, listeners ---- */

static void __attribute__((noreturn, format(printf, 2, 3)))
child_fail(int fd, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;
	if (send(fd, msg, (size_t)n, MSG_NOSIGNAL) < 0)
		_exit(2); /* the parent is gone: nobody to tell */
	_exit(1);
}

static int child_listen(int fd, int v6, uint16_t port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	struct sockaddr *sa = v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4;
	socklen_t len = v6 ? sizeof(a6) : sizeof(a4);
	int one = 1, s;

	s = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		child_fail(fd, "target: socket: %s", strerror(errno));
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 && setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			      sizeof(one)) < 0))
		child_fail(fd, "target: setsockopt: %s", strerror(errno));
	if (bind(s, sa, len) < 0)
		child_fail(fd, "target: bind %s:%u: %s", v6 ? "[::]" : "0.0.0.0",
			   port, strerror(errno));
	if (listen(s, 128) < 0)
		child_fail(fd, "target: listen on port %u: %s", port,
			   strerror(errno));
	return s;
}

static void __attribute__((noreturn))
child_serve(int fd, struct pollfd *pf, unsigned n_lis)
{
	unsigned n = 1 + n_lis, i;
	char buf[65536];
	ssize_t r;
	int c;

	for (;;) {
		if (poll(pf, n, -1) < 0 && errno != EINTR)
			_exit(1);
		/* EOF on the control socket: stopped, or the parent died */
		if (pf[0].revents) {
			r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				_exit(0);
		}
		for (i = 1; i < 1 + n_lis; ++i) {
			if (!(pf[i].revents & POLLIN))
				continue;
			c = accept4(pf[i].fd, NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (c < 0)
				continue; /* EAGAIN, ECONNABORTED, EMFILE */
			if (n == 1 + n_lis + MAX_CONNS) {
				close(c);
				continue;
			}
			pf[n++] = (struct pollfd){ .fd = c, .events = POLLIN };
		}
		for (i = 1 + n_lis; i < n; ++i) {
			if (!pf[i].revents)
				continue;
			r = read(pf[i].fd, buf, sizeof(buf));
			if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
				continue;
			close(pf[i].fd);
			pf[i--] = pf[--n];
		}
	}
}

static void __attribute__((noreturn))
child_main(int fd, pid_t ppid, const uint16_t *ports, unsigned n_ports)
{
	struct pollfd pf[1 + 2 * TARGET_LINUX_MAX_PORTS + MAX_CONNS];
	char msg[MSG_MAX];
	unsigned i, j, n;

	/* hold nothing of the parent's: an inherited capture socket would
	 * keep an earlier tester namespace alive */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	/* never outlive the tester: the namespace dies with us */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail(fd, "target: prctl(PR_SET_PDEATHSIG): %s",
			   strerror(errno));
	if (getppid() != ppid)
		_exit(1);
	if (unshare(CLONE_NEWNET) < 0)
		child_fail(fd, "unshare(CLONE_NEWNET) for the target "
			   "namespace: %s", strerror(errno));
	/* IPv6 on, whatever the host's default: the veth is born with it */
	if (write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "0",
		       msg, sizeof(msg)) < 0)
		child_fail(fd, "target namespace: %s", msg);
	if (send(fd, "ok", 2, MSG_NOSIGNAL) < 0 || recv(fd, msg, 16, 0) <= 0)
		_exit(0);
	if (csum_off(TARGET_IF, msg, sizeof(msg)) < 0 ||
	    wait_ready(TARGET_IF, "2001:db8::1", msg, sizeof(msg)) < 0)
		child_fail(fd, "target namespace: %s", msg);
	pf[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (i = 0, n = 1; i < 2 * n_ports; ++i) {
		for (j = 0; j < i / 2 && ports[j] != ports[i / 2]; ++j)
			;
		if (j == i / 2) /* a port listed twice gets one listener */
			pf[n++] = (struct pollfd){ .events = POLLIN,
				.fd = child_listen(fd, (int)(i & 1), ports[i / 2]) };
	}
	if (send(fd, "ok", 2, MSG_NOSIGNAL) < 0)
		_exit(0);
	child_serve(fd, pf, n - 1);
}

/* ---- the parent ---- */

/* Waits for the child's next status: "ok" or why it failed. */
static int child_status(struct target_linux *t, struct diag *d,
			const char *stage)
{
	struct pollfd pfd = { .fd = t->ctl_fd, .events = POLLIN };
	int64_t deadline = now_ns() + READY_TIMEOUT + 1000 * MS;
	char msg[MSG_MAX + 1];
	ssize_t n;
	int rv;

	while ((rv = poll(&pfd, 1, ms_left(deadline))) < 0 && errno == EINTR)
		;
	if (rv < 0)
		return diag_set(d, NULL, 0, 0, "poll: %s", strerror(errno));
	if (rv == 0)
		return diag_set(d, NULL, 0, 0, "target process silent while %s",
				stage);
	n = recv(t->ctl_fd, msg, sizeof(msg) - 1, 0);
	if (n < 0)
		return diag_set(d, NULL, 0, 0, "recv from the target process: %s",
				strerror(errno));
	if (n == 0)
		return diag_set(d, NULL, 0, 0, "target process exited while %s",
				stage);
	msg[n] = '\0';
	return strcmp(msg, "ok") ? diag_set(d, NULL, 0, 0, "%s", msg) : 0;
}

static int ns_id(const char *path, int fd, struct stat *st, struct diag *d)
{
	if ((fd >= 0 ? fstat(fd, st) : stat(path, st)) < 0)
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

/* ethtool exits nonzero when some feature is fixed; what matters is that
 * checksum offload ended up off, which csum_off() checks by ioctl (here
 * for the tester, in the child for the target). note gets what ethtool
 * said if it failed, for that message. */
static void offloads_off(int nsfd, const char *et, const char *ifname,
			 char *note, size_t cap)
{
	char args[128], out[MSG_MAX - 100], how[32];
	int st;

	snprintf(args, sizeof(args), "-K %s rx off tx off tso off gso off "
		 "gro off", ifname);
	st = run(nsfd, et, args, out, sizeof(out));
	note[0] = '\0';
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	status_str(st, how, sizeof(how));
	snprintf(note, cap, "`ethtool -K %s ...` %s: %s", ifname, how, out);
}

/* Everything that happens inside the two new namespaces. */
static int configure(struct target_linux *t, int nsfd, const char *ip,
		     const char *et, char *note, size_t cap, struct diag *d)
{
	char add[200], msg[MSG_MAX];

	snprintf(add, sizeof(add), "link add " TESTER_IF " address " TESTER_MAC
		 " type veth peer name " TARGET_IF " address " TARGET_MAC
		 " netns %d", (int)t->child);
	/* tester: no address, IPv6 off from birth (no RS/MLD/DAD), no
	 * forwarding (no ICMP): its kernel never answers what we inject */
	if (write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1",
		       msg, sizeof(msg)) < 0 ||
	    write_file("/proc/sys/net/ipv4/ip_forward", "0", msg,
		       sizeof(msg)) < 0)
		return diag_set(d, NULL, 0, 0, "tester namespace: %s", msg);
	if (cmd(d, -1, ip, add) < 0)
		return -1;
	offloads_off(-1, et, TESTER_IF, note, cap);
	if (csum_off(TESTER_IF, msg, sizeof(msg)) < 0)
		return diag_set(d, NULL, 0, 0, "tester namespace: %s%s%s", msg,
				note[0] ? "; " : "", note);
	if (cmd(d, -1, ip, "link set lo up") < 0 ||
	    cmd(d, -1, ip, "link set " TESTER_IF " up") < 0)
		return -1;
	/* target: up first, then addresses and permanent neighbours (an
	 * admin down/up would flush those); csum_off is checked there */
	if (cmd(d, nsfd, ip, "link set lo up") < 0)
		return -1;
	offloads_off(nsfd, et, TARGET_IF, note, cap);
	if (cmd(d, nsfd, ip, "link set " TARGET_IF " up") < 0 ||
	    cmd(d, nsfd, ip, "addr add 192.0.2.1/24 dev " TARGET_IF) < 0 ||
	    cmd(d, nsfd, ip, "-6 addr add 2001:db8::1/64 dev " TARGET_IF
		" nodad") < 0 ||
	    cmd(d, nsfd, ip, "neigh replace 192.0.2.2 lladdr " TESTER_MAC
		" dev " TARGET_IF " nud permanent") < 0 ||
	    cmd(d, nsfd, ip, "-6 neigh replace 2001:db8::2 lladdr " TESTER_MAC
		" dev " TARGET_IF " nud permanent") < 0)
		return -1;
	return 0;
}

int target_linux_start(struct target_linux *t, const uint16_t *ports,
		       unsigned n_ports, struct diag *d)
{
	char ip[PATH_MAX], et[PATH_MAX], path[64], msg[DIAG_MSG_MAX];
	char note[MSG_MAX];
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
	if (ns_id("/proc/self/ns/net", -1, &host, d) < 0)
		return -1;

	/* SEQPACKET: one message per status, and MSG_NOSIGNAL instead of
	 * SIGPIPE when the other side is gone */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return diag_set(d, NULL, 0, 0, "socketpair: %s", strerror(errno));
	t->child = fork();
	if (t->child == 0) {
		close(sv[0]);
		child_main(sv[1], ppid, ports, n_ports);
	}
	close(sv[1]);
	if (t->child < 0) {
		diag_set(d, NULL, 0, 0, "fork: %s", strerror(errno));
		close(sv[0]);
		t->child = -1;
		return -1;
	}
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
	if (ns_id(path, nsfd, &child, d) < 0 ||
	    ns_id("/proc/self/ns/net", -1, &self, d) < 0)
		goto fail;
	/* the check that keeps the host's interfaces untouched */
	if (same_ns(&host, &self) || same_ns(&host, &child) ||
	    same_ns(&self, &child)) {
		diag_set(d, NULL, 0, 0, "network namespaces not separate after "
			 "unshare; refusing to configure anything");
		goto fail;
	}
	if (configure(t, nsfd, ip, et, note, sizeof(note), d) < 0)
		goto fail;
	close(nsfd);
	nsfd = -1;
	if (send(t->ctl_fd, "go", 2, MSG_NOSIGNAL) != 2) {
		diag_set(d, NULL, 0, 0, "send to the target process: %s",
			 strerror(errno));
		goto fail;
	}
	if (child_status(t, d, "waiting for its link and listeners") < 0) {
		if (note[0]) {
			snprintf(msg, sizeof(msg), "%s", d->msg);
			diag_set(d, NULL, 0, 0, "%s; %s", msg, note);
		}
		goto fail;
	}
	if (wait_ready(TESTER_IF, NULL, msg, sizeof(msg)) < 0) {
		diag_set(d, NULL, 0, 0, "tester namespace: %s", msg);
		goto fail;
	}
	return 0;

fail:
	if (nsfd >= 0)
		close(nsfd);
	target_linux_stop(t);
	return -1;
}

void target_linux_stop(struct target_linux *t)
{
	int64_t deadline = now_ns() + STOP_TIMEOUT;

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
	while (if_nametoindex(t->tester_if) != 0 && now_ns() < deadline)
		nap();
}
