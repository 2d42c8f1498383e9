/* runner: plays a script case on a test link and judges each step.
 *
 * Each case gets a fresh connection: its own tester port and a random ISN
 * (unless the case fixes one). A `send` step is built by match, emitted by
 * wire and injected by netdev; an `expect` step takes the target's next
 * segment on the flow and compares it field by field; `expect_none`
 * fails on any target segment during its window. The case's frames are
 * saved as pcap when a directory is given. After the last step the runner
 * resets the connection so a case never leaks into the next one. */
#ifndef TCPSPEC_RUNNER_H
#define TCPSPEC_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "netdev.h"
#include "script.h"

struct runner_link {
	struct netdev *nd;
	uint8_t tester_mac[6], target_mac[6];
	uint8_t tester_v4[4], target_v4[4];
	uint8_t tester_v6[16], target_v6[16];
};

struct runner {
	struct runner_link link;
	const char *pcap_dir;     /* save each case's capture here (NULL: don't) */
	uint16_t next_port;       /* tester ports are handed out from here */
};

enum runner_verdict {
	RUNNER_PASS,
	RUNNER_FAIL,   /* the target did not do what the case expects */
	RUNNER_ERROR,  /* the case could not be played (I/O failure) */
};

/* A frame of the saved capture that a step sent (send) or judged (expect,
 * expect_none). */
struct runner_frame {
	size_t step;               /* index into the case's steps */
	uint64_t num;              /* 1-based record number in the saved pcap */
};

struct runner_result {
	enum runner_verdict verdict;
	size_t failed_step;        /* index into steps, when not PASS */
	unsigned line, col;        /* of the failed step */
	char reason[1024];
	double duration_ms;
	char pcap[512];            /* saved capture, "" if none */
	uint16_t tester_port;
	uint32_t tester_isn, target_isn;
	bool target_isn_known;
	/* With a pcap: the frames the steps sent or judged, in capture order,
	 * at most one per step. Released by runner_result_free. */
	struct runner_frame *frames;
	size_t n_frames;
};

void runner_init(struct runner *r, const struct runner_link *link,
		 const char *pcap_dir);
void runner_run_case(struct runner *r, const struct script_case *c,
		     struct runner_result *res);
void runner_result_free(struct runner_result *res);
const char *runner_verdict_name(enum runner_verdict v);

#endif
