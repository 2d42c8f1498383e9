/* runner: plays a script case on a test link and judges each step.
 *
 * Each case gets a fresh connection: its own tester port and a random ISN
 * (unless the case fixes one). A `send` step is built by match, emitted by
 * wire and injected by netdev; an `expect` step takes the target's next
 * segment on the flow and compares it field by field, and with `at` /
 * `at_abs` checks its capture time against the window; `expect_none`
 * fails on any target segment during its window; `wait` lets time pass;
 * `app` runs one command of the target agent (docs/agent.md). Variables
 * bound by `capture` live for one run of the case.
 *
 * The runner answers ARP requests and IPv6 neighbour solicitations for
 * the tester's addresses on the link (the tester's interface has no
 * address, so nothing else would), whenever it reads the link.
 *
 * The case's frames are saved as pcap when a directory is given. After
 * the last step the runner resets the connection, and the agent's
 * sockets, so a case never leaks into the next one.
 *
 * Split by concern: runner.c (a case from start to end, the link),
 * runner_steps.c (send, expect, expect_none, wait, timing),
 * runner_app.c (the agent), runner_neigh.c (ARP and neighbour discovery). */
#ifndef TCPSPEC_RUNNER_H
#define TCPSPEC_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netdev.h"
#include "script.h"

struct agent_client;

struct runner_link {
	struct netdev *nd;
	uint8_t tester_mac[6], target_mac[6];
	uint8_t tester_v4[4], target_v4[4];
	uint8_t tester_v6[16], target_v6[16];
	/* the target has no address of that family (an external host
	 * named by one address): cases of that IP version are skipped */
	bool no_v4, no_v6;
};

struct runner_config {
	const char *pcap_dir;      /* save each case's capture here (NULL: don't) */
	/* the target agent (agent_client_connect's `where`: a UNIX socket
	 * path or HOST:PORT); NULL: none, app steps and sysctls are errors */
	const char *agent;
	struct script_tol tolerance; /* the run's tolerance for at/at_abs (unset: default) */
	unsigned lacks;            /* SCRIPT_REQ_* the target lacks: cases that
				    * require one are skipped */
	const char *lacks_why;     /* why, for the skip reason ("profile no-sack") */
	bool no_neigh;             /* do not answer ARP / neighbour solicitations */
};

struct runner {
	struct runner_link link;
	struct runner_config cfg;
	struct agent_client *agent;   /* NULL until connected (or after a failure) */
	uint16_t next_port;           /* tester ports are handed out from here */
};

enum runner_verdict {
	RUNNER_PASS,
	RUNNER_FAIL,   /* the target did not do what the case expects */
	RUNNER_ERROR,  /* the case could not be played (I/O failure, unbound variable) */
	RUNNER_SKIP,   /* not played: the target lacks what the case requires */
};

/* A frame of the saved capture that a step sent (send) or judged (expect,
 * expect_none). */
struct runner_frame {
	size_t step;               /* index into the case's steps */
	uint64_t num;              /* 1-based record number in the saved pcap */
};

struct runner_result {
	enum runner_verdict verdict;
	size_t failed_step;        /* index into steps, when FAIL or ERROR;
				    * SIZE_MAX: the case as a whole (setup) */
	unsigned line, col;        /* of the failed step (in st->file) */
	char reason[1024];         /* "file:line: step N (kind): why" (SKIP: why) */
	double duration_ms;
	char pcap[512];            /* saved capture, "" if none */
	uint16_t tester_port;
	uint16_t target_port;      /* the case's; a client case's: learned from its SYN */
	uint32_t tester_isn, target_isn;
	bool target_isn_known;
	unsigned neigh_replies;    /* ARP replies / neighbour advertisements sent */
	/* With a pcap: the frames the steps sent or judged, in capture order,
	 * at most one per step. Released by runner_result_free. */
	struct runner_frame *frames;
	size_t n_frames;
};

/* Connects to cfg->agent when given (err says why not, and the call
 * returns negative). link and cfg are copied; the strings cfg points at
 * must outlive the runner. */
int runner_init(struct runner *r, const struct runner_link *link,
		const struct runner_config *cfg, char *err, size_t cap);
void runner_fini(struct runner *r);
void runner_run_case(struct runner *r, const struct script_case *c,
		     struct runner_result *res);
void runner_result_free(struct runner_result *res);
const char *runner_verdict_name(enum runner_verdict v);

/* Reads (value NULL) or writes a sysctl of the target through its agent;
 * got (may be NULL) receives the value read back. Returns 0, or -1 with
 * err filled. For profiles. */
int runner_sysctl(struct runner *r, const char *name, const char *value,
		  char *got, size_t gotcap, char *err, size_t errcap);

/* Asks the link for the target's MAC (ARP request or neighbour
 * solicitation from the tester's address) and stores it in link.
 * Returns 0, or -1 with err filled when nothing answered in timeout_ms. */
int runner_resolve_target(struct runner *r, int ip_version, unsigned timeout_ms,
			  char *err, size_t errcap);

/* --- pure helpers, exposed for the unit tests --- */

/* When frame is an ARP request or a neighbour solicitation for one of
 * l's tester addresses, builds the answer (ARP reply / solicited
 * neighbour advertisement with our MAC) into out and returns its length;
 * otherwise returns 0. */
size_t runner_neigh_answer(const struct runner_link *l, const uint8_t *frame, size_t len,
			   uint8_t *out, size_t cap);
/* An ARP request (ip_version 4) or a neighbour solicitation (6) from the
 * tester for the target's address; returns the frame length (0: cap too
 * small). */
size_t runner_neigh_solicit(const struct runner_link *l, int ip_version, uint8_t *out,
			    size_t cap);
/* true when frame answers runner_neigh_solicit: *mac gets the target's MAC. */
bool runner_neigh_learn(const struct runner_link *l, int ip_version, const uint8_t *frame,
			size_t len, uint8_t mac[6]);

/* What an app step needs besides the step itself. */
struct runner_app_ctx {
	const char *listen_h;      /* "s1", or "" */
	const char *conn_h;        /* the current connection, or "" */
	uint16_t case_port;        /* the case's target port */
	uint8_t ip_version;
	const char *tester_addr;   /* "192.0.2.2" */
	uint16_t tester_port;      /* this case's tester port */
	uint16_t client_port;      /* a client case's target port, if it names one
				    * (connect binds it: `from`); else 0 */
};

/* The agent command line of an app step, with the case's handles filled
 * in and expressions evaluated with vars. *injected is set when it is a
 * connect to the tester's address (the runner must answer it: sent
 * without waiting for the reply). Returns 0, SCRIPT_ERR_UNBOUND (d names
 * the reference), or SCRIPT_ERR_SCHEMA when a handle is missing (d says
 * which step must come first). */
int runner_app_command(const struct script_app *a, const struct runner_app_ctx *ctx,
		       const struct script_vars *vars, char *buf, size_t cap,
		       bool *injected, struct diag *d);

#endif
