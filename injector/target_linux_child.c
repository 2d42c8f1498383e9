/* target_linux_child: the target namespace's process (see
 * target_linux.h for the layout).
 *
 * The child unshares its network namespace before the parent does, then
 * waits for its link and address, pre-opens the server ports (they
 * accept, read and discard, and close their side when the peer's FIN or
 * RST arrives, like a simple server with nothing to say) and runs the
 * target agent on its UNIX socket. The socket to the parent is the
 * agent's stop descriptor: when the parent closes it, or dies, the agent
 * returns within one poll, and the child removes its socket file and
 * directory and exits. Every failure goes to the parent over that socket
 * as one line of text. */
#define _GNU_SOURCE
#include "target_linux_priv.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>

#include "agent.h"

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

/* Pre-opens ports[] and starts the agent on agent_path. */
static struct agent *child_agent(int fd, const uint16_t *ports,
				 unsigned n_ports, const char *agent_path)
{
	struct agent *a;
	char msg[MSG_MAX - 40];
	unsigned i;

	if (agent_new(&a) < 0)
		child_fail(fd, "target: out of memory");
	for (i = 0; i < n_ports; ++i)
		if (agent_prelisten(a, ports[i], msg, sizeof(msg)) < 0)
			child_fail(fd, "target: %s", msg);
	if (agent_listen_unix(a, agent_path, msg, sizeof(msg)) < 0)
		child_fail(fd, "target agent: %s", msg);
	agent_add_stop_fd(a, fd); /* the first: cannot fail */
	return a;
}

void __attribute__((noreturn))
target_linux_child_main(int fd, pid_t ppid, const uint16_t *ports,
			unsigned n_ports, const char *agent_dir,
			const char *agent_path)
{
	char msg[MSG_MAX];
	struct agent *a;
	int rv;

	/* hold nothing of the parent's: an inherited capture socket would
	 * keep an earlier tester namespace alive */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	/* no PR_SET_PDEATHSIG: the socket to the parent is the agent's stop
	 * descriptor, so the child ends with the parent and still removes
	 * its socket file; a signal would kill it before that */
	signal(SIGPIPE, SIG_IGN);
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
	a = child_agent(fd, ports, n_ports, agent_path);
	if (send(fd, "ok", 2, MSG_NOSIGNAL) < 0)
		rv = 0;
	else
		rv = agent_run(a);
	agent_del(a); /* removes agent_path */
	rmdir(agent_dir);
	_exit(rv < 0 ? 1 : 0);
}
