/* Live capture for `tcpspec analyze -i IFACE`: reads until SIGINT or
 * SIGTERM, --count packets or --duration, then the caller reports exactly
 * as for a file.
 *
 * The signal handler only sets a flag. Reads are non-blocking behind a
 * poll() with a short timeout (capture_wait), so the loop sees the flag
 * within 100 ms even when no packet arrives, and nothing unsafe runs in
 * the handler (no pcap_breakloop from a signal). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyze.h"

#define WAIT_MS 100

/* The one piece of file-scope state: a signal handler can reach nothing else. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static tstamp monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (tstamp)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int analyze_live(struct analyze_input *in, struct capture *cap, struct diag *d)
{
	const struct analyze_opts *o = in->o;
	struct sigaction sa, old_int, old_term;
	tstamp start = monotonic_ns();
	struct capture_pkt cp;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: poll() returns EINTR at once; SA_RESETHAND: a
	 * second Ctrl-C kills a run that is stuck writing its report */
	sa.sa_flags = SA_RESETHAND;
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	while (!stop_signal) {
		if (o->duration && monotonic_ns() - start >= o->duration)
			break;
		rc = capture_next(cap, &cp, d);
		if (rc == 1) {
			if ((rc = analyze_packet(in, &cp)) < 0) {
				diag_set(d, NULL, 0, 0, "interface '%s', packet %llu: %s", in->name,
					 (unsigned long long)cp.num, rc == TRACK_ERR_NOMEM ?
					 "out of memory tracking connections (expected fewer "
					 "live connections: try --max-flows or --idle-timeout)" :
					 "tracker rejected the packet");
				break;
			}
			if (o->count && in->c.packets >= o->count)
				break;
			continue;
		}
		if (rc < 0)
			break;
		fflush(stdout); /* idle: let a reader of a pipe see what is done */
		if ((rc = capture_wait(cap, WAIT_MS, d)) < 0)
			break;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc < 0 ? -1 : 0;
}
