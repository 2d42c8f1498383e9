/* nsexec: running external programs (ip, ethtool) for the linux target,
 * in our network namespace or inside another one.
 *
 * Each command runs in a forked helper; for another namespace the helper
 * setns()es into it first, so all error text (setns, exec, the tool's own
 * output) comes back to one place. A command that runs longer than 10 s
 * is killed. */
#ifndef TCPSPEC_NSEXEC_H
#define TCPSPEC_NSEXEC_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* CLOCK_MONOTONIC in ns. */
int64_t nsexec_now_ns(void);
/* Whole ms from now until deadline (nsexec_now_ns() time), rounded up;
 * 0 once it has passed. For poll(). */
int nsexec_ms_left(int64_t deadline);

/* Finds name on PATH, then in /usr/sbin, /sbin, /usr/bin, /bin; the full
 * path goes to out. Returns 0, or -1 if it is nowhere executable. */
int nsexec_find_prog(const char *name, char *out, size_t cap);
/* Runs prog (a full path) with args (split on spaces) in a forked
 * helper, in the namespace nsfd (-1: ours); stdout and stderr captured
 * into out as one line. Returns the wait status, or -1 (out says why:
 * fork failed, timeout). */
int nsexec_run(int nsfd, const char *prog, const char *args, char *out,
	       size_t cap);
/* A wait status from nsexec_run as text: "exited 2", "killed by signal
 * 9", or "failed" for -1. */
void nsexec_status_str(int st, char *buf, size_t cap);
/* Runs `prog args`; 0 if it exited 0. On failure d says which command,
 * where (nsfd -1: "tester namespace", else "target namespace"), how, and
 * what it printed. */
int nsexec_cmd(struct diag *d, int nsfd, const char *prog, const char *args);

#endif
