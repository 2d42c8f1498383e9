/* target_linux: the Linux kernel in a network namespace as the target:
 * creating the two namespaces and the veth pair, configuring both ends,
 * starting and stopping the child that runs the target agent in the
 * target namespace (target_linux_child.c).
 *
 * Order matters for safety: the child unshares first, then we unshare,
 * and only once both namespaces are verified to differ from the one we
 * started in is any link created; every command runs in one of the two
 * new namespaces, never in the host's.
 *
 * Commands (ip, ethtool) run through nsexec; those for the target side
 * setns() into the child's namespace first, so all error text comes back
 * to one place. */
#define _GNU_SOURCE
#include "target_linux_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "nsexec.h"

#define TESTER_MAC "02:00:00:00:00:02"
#define TARGET_MAC "02:00:00:00:00:01"

#define MS 1000000LL
#define READY_TIMEOUT (10000 * MS) /* link up + address usable */
#define STOP_TIMEOUT (2000 * MS)   /* veth gone after the kill */
#define ORPHAN_WAIT (500 * MS)     /* then it is held: delete it */

/* ---- link setup and checks, the last three shared with the child ---- */

static void nap(void)
{
	struct timespec ts = { 0, 2 * MS };

	nanosleep(&ts, NULL);
}

int target_linux_write_file(const char *path, const char *val, char *msg,
			    size_t cap)
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
int target_linux_csum_off(const char *ifname, char *msg, size_t cap)
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
int target_linux_wait_ready(const char *ifname, const char *v6, char *msg,
			    size_t cap)
{
	int64_t deadline = nsexec_now_ns() + READY_TIMEOUT;
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
	} while (nsexec_now_ns() < deadline);
	snprintf(msg, cap, "%s not ready after %lld ms: %s", ifname,
		 READY_TIMEOUT / MS, why);
	return -1;
}

/* ---- the parent ---- */

/* A private directory for the agent's socket: $TMPDIR if the path fits
 * in a sockaddr_un, else /tmp. */
static int agent_dir(struct target_linux *t, struct diag *d)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || tmp[0] != '/' || strlen(tmp) > 40)
		tmp = "/tmp";
	snprintf(t->agent_dir, sizeof(t->agent_dir), "%s/tcpspec-agent-XXXXXX",
		 tmp);
	if (!mkdtemp(t->agent_dir)) {
		diag_set(d, NULL, 0, 0, "mkdtemp %s: %s", t->agent_dir,
			 strerror(errno));
		t->agent_dir[0] = '\0';
		return -1;
	}
	snprintf(t->agent_path, sizeof(t->agent_path), "%s/agent.sock",
		 t->agent_dir);
	return 0;
}

/* Waits for the child's next status: "ok" or why it failed. */
static int child_status(struct target_linux *t, struct diag *d,
			const char *stage)
{
	struct pollfd pfd = { .fd = t->ctl_fd, .events = POLLIN };
	int64_t deadline = nsexec_now_ns() + READY_TIMEOUT + 1000 * MS;
	char msg[MSG_MAX + 1];
	ssize_t n;
	int rv;

	while ((rv = poll(&pfd, 1, nsexec_ms_left(deadline))) < 0 &&
	       errno == EINTR)
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
	t->agent_dir[0] = t->agent_path[0] = '\0';
	snprintf(t->target_if, sizeof(t->target_if), "%s", TARGET_IF);
	memcpy(t->tester_mac, tmac, 6);
	memcpy(t->target_mac, gmac, 6);
	inet_pton(AF_INET, "192.0.2.2", t->tester_v4);
	inet_pton(AF_INET, "192.0.2.1", t->target_v4);
	inet_pton(AF_INET6, "2001:db8::2", t->tester_v6);
	inet_pton(AF_INET6, "2001:db8::1", t->target_v6);
}

/* ethtool exits nonzero when some feature is fixed; what matters is that
 * checksum offload ended up off, which target_linux_csum_off() checks by
 * ioctl (here for the tester, in the child for the target). note gets
 * what ethtool said if it failed, for that message. */
static void offloads_off(int nsfd, const char *et, const char *ifname,
			 char *note, size_t cap)
{
	char args[128], out[MSG_MAX - 100], how[32];
	int st;

	snprintf(args, sizeof(args), "-K %s rx off tx off tso off gso off "
		 "gro off", ifname);
	st = nsexec_run(nsfd, et, args, out, sizeof(out));
	note[0] = '\0';
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	nsexec_status_str(st, how, sizeof(how));
	snprintf(note, cap, "`ethtool -K %s ...` %s: %s", ifname, how, out);
}

/* Everything that happens inside the two new namespaces. */
static int configure(struct target_linux *t, int nsfd, const char *ip,
		     const char *et, int static_neigh, char *note, size_t cap,
		     struct diag *d)
{
	char add[200], msg[MSG_MAX];

	snprintf(add, sizeof(add), "link add " TESTER_IF " address " TESTER_MAC
		 " type veth peer name " TARGET_IF " address " TARGET_MAC
		 " netns %d", (int)t->child);
	/* tester: no address, IPv6 off from birth (no RS/MLD/DAD), no
	 * forwarding (no ICMP): its kernel never answers what we inject */
	if (target_linux_write_file("/proc/sys/net/ipv6/conf/default/"
				    "disable_ipv6", "1", msg,
				    sizeof(msg)) < 0 ||
	    target_linux_write_file("/proc/sys/net/ipv4/ip_forward", "0", msg,
				    sizeof(msg)) < 0)
		return diag_set(d, NULL, 0, 0, "tester namespace: %s", msg);
	if (nsexec_cmd(d, -1, ip, add) < 0)
		return -1;
	offloads_off(-1, et, TESTER_IF, note, cap);
	if (target_linux_csum_off(TESTER_IF, msg, sizeof(msg)) < 0)
		return diag_set(d, NULL, 0, 0, "tester namespace: %s%s%s", msg,
				note[0] ? "; " : "", note);
	if (nsexec_cmd(d, -1, ip, "link set lo up") < 0 ||
	    nsexec_cmd(d, -1, ip, "link set " TESTER_IF " up") < 0)
		return -1;
	/* target: up first, then addresses and any permanent neighbours (an
	 * admin down/up would flush those); csum_off is checked there */
	if (nsexec_cmd(d, nsfd, ip, "link set lo up") < 0)
		return -1;
	offloads_off(nsfd, et, TARGET_IF, note, cap);
	if (nsexec_cmd(d, nsfd, ip, "link set " TARGET_IF " up") < 0 ||
	    nsexec_cmd(d, nsfd, ip, "addr add 192.0.2.1/24 dev "
		TARGET_IF) < 0 ||
	    nsexec_cmd(d, nsfd, ip, "-6 addr add 2001:db8::1/64 dev " TARGET_IF
		" nodad") < 0)
		return -1;
	if (static_neigh &&
	    (nsexec_cmd(d, nsfd, ip, "neigh replace 192.0.2.2 lladdr " TESTER_MAC
		" dev " TARGET_IF " nud permanent") < 0 ||
	     nsexec_cmd(d, nsfd, ip, "-6 neigh replace 2001:db8::2 lladdr "
		TESTER_MAC " dev " TARGET_IF " nud permanent") < 0))
		return -1;
	return 0;
}

int target_linux_start(struct target_linux *t, const uint16_t *ports,
		       unsigned n_ports, struct diag *d)
{
	struct target_linux_opts o = { .static_neigh = 1 };

	return target_linux_start_opts(t, ports, n_ports, &o, d);
}

int target_linux_start_opts(struct target_linux *t, const uint16_t *ports,
			    unsigned n_ports, const struct target_linux_opts *o,
			    struct diag *d)
{
	char ip[PATH_MAX], et[PATH_MAX], path[64], msg[DIAG_MSG_MAX];
	char note[MSG_MAX];
	struct stat host, self, child;
	int sv[2], nsfd = -1;
	pid_t ppid = getpid();
	unsigned i;

	fill_addrs(t);
	if (n_ports > TARGET_LINUX_MAX_PORTS)
		return diag_set(d, NULL, 0, 0, "linux target: %u ports (at most "
				"%d)", n_ports, TARGET_LINUX_MAX_PORTS);
	for (i = 0; i < n_ports; ++i)
		if (ports[i] == 0)
			return diag_set(d, NULL, 0, 0, "linux target: port 0");
	if (geteuid() != 0)
		return diag_set(d, NULL, 0, 0, "must run as root: the linux "
				"target creates network namespaces");
	if (nsexec_find_prog("ip", ip, sizeof(ip)) < 0)
		return diag_set(d, NULL, 0, 0, "`ip` (iproute2) not found on PATH");
	if (nsexec_find_prog("ethtool", et, sizeof(et)) < 0)
		return diag_set(d, NULL, 0, 0, "`ethtool` not found on PATH "
				"(apt-get install ethtool)");
	if (ns_id("/proc/self/ns/net", -1, &host, d) < 0)
		return -1;
	if (agent_dir(t, d) < 0)
		return -1;

	/* SEQPACKET: one message per status, and MSG_NOSIGNAL instead of
	 * SIGPIPE when the other side is gone */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		diag_set(d, NULL, 0, 0, "socketpair: %s", strerror(errno));
		target_linux_stop(t);
		return -1;
	}
	t->child = fork();
	if (t->child == 0) {
		close(sv[0]);
		target_linux_child_main(sv[1], ppid, ports, n_ports,
					t->agent_dir, t->agent_path);
	}
	close(sv[1]);
	if (t->child < 0) {
		diag_set(d, NULL, 0, 0, "fork: %s", strerror(errno));
		close(sv[0]);
		t->child = -1;
		target_linux_stop(t);
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
	t->in_tester_ns = 1;
	if (configure(t, nsfd, ip, et, o && o->static_neigh, note, sizeof(note),
		      d) < 0)
		goto fail;
	close(nsfd);
	nsfd = -1;
	if (send(t->ctl_fd, "go", 2, MSG_NOSIGNAL) != 2) {
		diag_set(d, NULL, 0, 0, "send to the target process: %s",
			 strerror(errno));
		goto fail;
	}
	if (child_status(t, d, "waiting for its link and agent") < 0) {
		if (note[0]) {
			snprintf(msg, sizeof(msg), "%s", d->msg);
			diag_set(d, NULL, 0, 0, "%s; %s", msg, note);
		}
		goto fail;
	}
	if (target_linux_wait_ready(TESTER_IF, NULL, msg, sizeof(msg)) < 0) {
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
	int64_t t0 = nsexec_now_ns(), deadline = t0 + STOP_TIMEOUT;
	char ip[PATH_MAX], args[64], out[256];
	int had_child = t->child > 0;

	if (t->ctl_fd >= 0) {
		close(t->ctl_fd);
		t->ctl_fd = -1;
	}
	if (t->child > 0) {
		kill(t->child, SIGKILL);
		while (waitpid(t->child, NULL, 0) < 0 && errno == EINTR)
			;
		t->child = -1;
	}
	/* the child removes them when it sees us go; not when killed */
	if (t->agent_path[0])
		unlink(t->agent_path);
	if (t->agent_dir[0])
		rmdir(t->agent_dir);
	t->agent_dir[0] = t->agent_path[0] = '\0';
	if (!had_child)
		return;
	/* netns teardown is asynchronous in the kernel; wait (bounded) so
	 * the caller sees the veth gone when we return. A closed socket the
	 * tester never answered (FIN-WAIT-1, LAST-ACK) keeps the target
	 * namespace, and with it the pair, alive until its retransmissions
	 * give up, minutes later: then delete our end, which takes the
	 * peer with it (only from the tester namespace: never the host's). */
	while (if_nametoindex(t->tester_if) != 0 &&
	       nsexec_now_ns() < t0 + ORPHAN_WAIT)
		nap();
	if (t->in_tester_ns && if_nametoindex(t->tester_if) != 0 &&
	    nsexec_find_prog("ip", ip, sizeof(ip)) == 0) {
		snprintf(args, sizeof(args), "link del %s", t->tester_if);
		nsexec_run(-1, ip, args, out, sizeof(out));
	}
	while (if_nametoindex(t->tester_if) != 0 && nsexec_now_ns() < deadline)
		nap();
}
