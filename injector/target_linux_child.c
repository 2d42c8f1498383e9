/* target_linux_child: the target namespace's process (see
 * target_linux.h for the layout).
 *
 * The child unshares its network namespace before the parent does, then
 * only waits for its link and address, and listens: it accepts, reads and
 * discards, and closes its side when the peer's FIN (read returns 0) or
 * RST arrives, like a simple server with nothing to say. It exits when
 * the control socket closes. Every failure goes to the parent over that
 * socket as one line of text. */
#define _GNU_SOURCE
#include "target_linux_priv.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#define MAX_CONNS 512

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

void __attribute__((noreturn))
target_linux_child_main(int fd, pid_t ppid, const uint16_t *ports,
			unsigned n_ports)
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
	if (target_linux_write_file("/proc/sys/net/ipv6/conf/default/"
				    "disable_ipv6", "0", msg, sizeof(msg)) < 0)
		child_fail(fd, "target namespace: %s", msg);
	if (send(fd, "ok", 2, MSG_NOSIGNAL) < 0 || recv(fd, msg, 16, 0) <= 0)
		_exit(0);
	if (target_linux_csum_off(TARGET_IF, msg, sizeof(msg)) < 0 ||
	    target_linux_wait_ready(TARGET_IF, "2001:db8::1", msg,
				    sizeof(msg)) < 0)
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
