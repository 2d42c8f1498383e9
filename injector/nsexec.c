/* nsexec: external programs (ip, ethtool) in a forked helper, in our
 * network namespace or setns() into another; output, exit status and
 * timeout folded into one line of text (see nsexec.h). */
#define _GNU_SOURCE
#include "nsexec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/wait.h>

#define MS 1000000LL
#define CMD_TIMEOUT (10000 * MS)   /* one ip/ethtool run */

extern char **environ;

int64_t nsexec_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int nsexec_ms_left(int64_t deadline)
{
	int64_t left = deadline - nsexec_now_ns();

	return left <= 0 ? 0 : (int)((left + MS - 1) / MS);
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

int nsexec_find_prog(const char *name, char *out, size_t cap)
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
int nsexec_run(int nsfd, const char *prog, const char *args, char *out,
	       size_t cap)
{
	int64_t deadline = nsexec_now_ns() + CMD_TIMEOUT;
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

		rv = poll(&pfd, 1, nsexec_ms_left(deadline));
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

void nsexec_status_str(int st, char *buf, size_t cap)
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
int nsexec_cmd(struct diag *d, int nsfd, const char *prog, const char *args)
{
	char out[DIAG_MSG_MAX], how[32];
	int st = nsexec_run(nsfd, prog, args, out, sizeof(out));

	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	nsexec_status_str(st, how, sizeof(how));
	return diag_set(d, NULL, 0, 0, "`%s %s` (%s namespace) %s: %s", prog,
			args, nsfd >= 0 ? "target" : "tester", how, out);
}
