/* runner_priv: what the runner's files share (see runner.h). */
#ifndef TCPSPEC_RUNNER_PRIV_H
#define TCPSPEC_RUNNER_PRIV_H

#include <stdarg.h>

#include "match.h"
#include "runner.h"
#include "wire.h"

#define RUNNER_FRAME_MAX (65535 + 64)
#define RUNNER_GEN_MAX   65000
#define RUNNER_HELD_MAX  256        /* target segments read ahead of their step */
#define MS_NS 1000000LL
#define US_NS 1000LL

/* A frame we injected, until the capture shows it. */
struct sent {
	size_t step;            /* SIZE_MAX: not a step's (the closing RST) */
	uint64_t hash;          /* of the frame's bytes */
	size_t len;
	uint32_t seq, ack;
	uint8_t flags;
	bool seen;
};

/* A target segment read while no step was waiting for one (before a
 * timed send or app step), kept for the next expect. */
struct held {
	uint8_t *data;
	uint32_t caplen, wirelen;
	int64_t ts_ns;
	uint64_t num;           /* its record number in the dump */
};

/* The target's next segment, as an expect sees it. */
struct tseg {
	struct wire_pkt pkt;    /* points into play.cur or netdev's buffer */
	int64_t ts_ns;          /* capture time, CLOCK_REALTIME */
	uint64_t num;
};

struct saved_sysctl {
	char *name;
	char *value;            /* before the case set it */
};

struct play {
	struct runner *r;
	const struct script_case *c;
	struct runner_result *res;
	struct match_flow f;
	struct script_vars vars;
	uint32_t snd_nxt;       /* our next sequence number (absolute) */
	bool target_seen;       /* the target may hold state for this flow */
	uint32_t tgt_ack;       /* the target's latest ACK (its RCV.NXT) */
	bool tgt_ack_known;
	bool learn_port;        /* client case: the target's port is not known yet */
	uint64_t n_rx;          /* frames netdev_recv returned: each is in the dump */
	struct sent *sent;      /* n_steps + 1 */
	size_t n_sent;
	int64_t *t_end;         /* per step: when it ended, CLOCK_REALTIME ns */
	int64_t t0;             /* the case started (CLOCK_REALTIME ns) */
	int64_t rt_off;         /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	struct held held[RUNNER_HELD_MAX];
	size_t held_head, n_held;
	uint8_t *cur;           /* the held frame being judged */
	/* app */
	char listen_h[16], conn_h[16];
	size_t *async;          /* steps whose agent replies are pending, in order */
	size_t n_async;
	struct saved_sysctl *saved;
	size_t n_saved;
	char tester_addr[48];
	uint8_t frame[RUNNER_FRAME_MAX];
	uint8_t gen[RUNNER_GEN_MAX]; /* generated payload for `len: N` */
};

/* runner.c */
void play_fail(struct play *pl, enum runner_verdict v, size_t step, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Like play_fail, for a case-level failure not tied to a step. */
void play_fail_case(struct play *pl, enum runner_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool play_ok(const struct play *pl);
int64_t play_rt_now(const struct play *pl);
int play_recv(struct play *pl, int64_t deadline, struct netdev_frame *fr, struct wire_pkt *pkt);
int play_next_from_target(struct play *pl, int64_t deadline, struct tseg *out);
int play_service(struct play *pl, int64_t deadline, bool hold);
void play_note_frame(struct play *pl, size_t step, uint64_t num);
void play_note_sent(struct play *pl, size_t step, const struct wire_pkt *pkt, size_t len);
void play_describe(const struct play *pl, const struct wire_pkt *p, char *buf, size_t cap);

/* runner_steps.c */
int steps_send(struct play *pl, size_t i);
int steps_expect(struct play *pl, size_t i);
int steps_expect_none(struct play *pl, size_t i);
int steps_wait(struct play *pl, size_t i);
/* Sleeps (serving the link, keeping target segments) until a timed
 * step's time; 0, or negative on a capture error (the case failed). */
int steps_until(struct play *pl, size_t i);
void steps_reset_flow(struct play *pl);

/* runner_neigh.c: answers frame when it is an ARP request / neighbour
 * solicitation for the tester's address (count: one more answer sent). */
void neigh_answer_frame(struct runner *r, const struct netdev_frame *fr, unsigned *count);

/* runner_app.c */
int app_begin(struct play *pl);
int app_step(struct play *pl, size_t i);
void app_end(struct play *pl);
int app_connect(struct runner *r, char *err, size_t cap);

#endif
