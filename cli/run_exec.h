/* run_exec: the playing side of `tcpspec run`: a target session (the
 * linux target in namespaces of its own, or an external host on an
 * interface with its agent), each case played on it and judged (the
 * runner's verdict, then the analyzer's findings on the target's
 * segments), and --jobs: cases spread over worker processes, each with
 * its own session, the outcomes handed back in case order. */
#ifndef TCPSPEC_RUN_EXEC_H
#define TCPSPEC_RUN_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runner.h"
#include "script.h"
#include "target_linux.h"

struct run_opts {
	const char *target;        /* "linux", or the external host's address */
	bool external;             /* target is an address: --iface, --agent */
	/* expect_fail and reports: "linux", "linux:PROFILE", --target-name */
	char target_name[96];
	const char *name_base;     /* "linux" (or --target-name): expect_fail fallback key */
	const struct target_profile *profile;
	const char *iface, *agent, *tester_ip, *tester_mac;
	bool static_neigh;         /* linux: permanent neighbour entries */
	struct script_tol tolerance;
	unsigned jobs;
	const char *json_out, *html_out, *junit_out;
	const char *pcap_dir;      /* --pcap-dir, or NULL */
	bool quiet;
	bool embedded;             /* no PATH: the bundled suite */
	int argc;
	char **argv;               /* the PATHs, from optind */
	/* linux: the ports to pre-open (role server cases without a listen) */
	uint16_t ports[TARGET_LINUX_MAX_PORTS];
	unsigned n_ports;
};

/* One case's outcome. */
struct run_outcome {
	struct runner_result res;  /* frames owned: runner_result_free */
	char notes[2048];          /* the target's MUST/SHOULD/MAY findings, one a line */
};

/* Called for each case in case order; out is freed after it returns. */
typedef void (*run_outcome_fn)(void *ctx, size_t i, struct run_outcome *out);

/* Plays every case of suite against the target of o, captures in
 * pcap_dir (kept or not: the caller's). Returns 0 once fn has had every
 * case, or -1 with err when the target could not be set up. */
int run_cases(const struct script_suite *suite, const struct run_opts *o, const char *pcap_dir,
	      run_outcome_fn fn, void *ctx, char *err, size_t errcap);

/* The expect_fail reason for c on o's target: "linux:PROFILE" first,
 * then "linux" (or --target-name). */
const char *run_xfail(const struct script_case *c, const struct run_opts *o);

/* --- one session (run_exec.c), used by run_cases and its workers --- */

struct run_session;

int run_session_start(struct run_session **ps, const struct run_opts *o, const char *pcap_dir,
		      char *err, size_t errcap);
void run_session_case(struct run_session *s, const struct script_case *c,
		      struct run_outcome *out);
void run_session_stop(struct run_session *s);

#endif
