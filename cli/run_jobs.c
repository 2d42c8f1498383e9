/* run_jobs: `tcpspec run --jobs N` (see run_exec.h).
 *
 * The parent forks N workers before anything touches a namespace; each
 * worker starts a session of its own (the linux target: a namespace pair
 * of its own, so the interface names tcpspec0/tcpspec1 repeat without
 * meeting) and plays the cases the parent hands it, one at a time, as it
 * becomes free. Outcomes come back over a socketpair and are handed to
 * the caller in case order, so the output and the reports are those of
 * a run with one job. A worker that dies takes only its current case
 * with it (an error); the parent's end of the socket tells the worker
 * when the parent is gone. */
#define _GNU_SOURCE
#include "run_exec.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG_READY  1u
#define MSG_RESULT 2u
#define STOP       UINT32_MAX
#define READY_MS   60000

struct msg_hdr {
	uint32_t type;
	uint32_t index;        /* MSG_RESULT: the case; MSG_READY: 0 ok, 1 failed */
	uint64_t len;          /* bytes that follow */
};

static int send_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t k = send(fd, b, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static int recv_all(int fd, void *p, size_t n)
{
	char *b = p;

	while (n) {
		ssize_t k = recv(fd, b, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static int send_msg(int fd, uint32_t type, uint32_t index, const void *a, size_t alen,
		    const void *b, size_t blen)
{
	struct msg_hdr h = { type, index, alen + blen };

	return send_all(fd, &h, sizeof(h)) || send_all(fd, a, alen) || send_all(fd, b, blen) ? -1 : 0;
}

/* ---- the worker ---- */

static void __attribute__((noreturn))
worker_main(int fd, const struct script_suite *suite, const struct run_opts *o, const char *pcap_dir)
{
	struct run_session *s;
	struct run_outcome out;
	char err[1024] = "";
	uint32_t idx;

	if (run_session_start(&s, o, pcap_dir, err, sizeof(err)) < 0) {
		send_msg(fd, MSG_READY, 1, err, strlen(err) + 1, NULL, 0);
		_exit(2);
	}
	if (send_msg(fd, MSG_READY, 0, NULL, 0, NULL, 0) < 0)
		goto out;
	while (recv_all(fd, &idx, sizeof(idx)) == 0 && idx != STOP && idx < suite->n_cases) {
		struct runner_frame *frames;
		size_t nf;

		run_session_case(s, &suite->cases[idx], &out);
		frames = out.res.frames;
		nf = out.res.n_frames;
		out.res.frames = NULL;
		if (send_msg(fd, MSG_RESULT, idx, &out, sizeof(out), frames, nf * sizeof(*frames)) < 0) {
			free(frames);
			break;
		}
		free(frames);
	}
out:
	run_session_stop(s);
	_exit(0);
}

/* ---- the parent ---- */

struct worker {
	pid_t pid;
	int fd;
	bool ready, dead;
	size_t busy;           /* the case it plays, or SIZE_MAX */
};

struct jobs {
	const struct script_suite *suite;
	struct worker *w;
	unsigned n;
	struct run_outcome **done; /* by case */
	size_t next, emit;
	run_outcome_fn fn;
	void *ctx;
};

static void error_outcome(struct jobs *j, size_t i, const char *why)
{
	struct run_outcome *o = calloc(1, sizeof(*o));

	if (!o)
		return;
	o->res.verdict = RUNNER_ERROR;
	snprintf(o->res.reason, sizeof(o->res.reason), "%s:%u: %s", j->suite->cases[i].file,
		 j->suite->cases[i].line, why);
	j->done[i] = o;
}

static void flush(struct jobs *j)
{
	while (j->emit < j->suite->n_cases && j->done[j->emit]) {
		j->fn(j->ctx, j->emit, j->done[j->emit]);
		runner_result_free(&j->done[j->emit]->res);
		free(j->done[j->emit]);
		j->done[j->emit] = NULL;
		j->emit++;
	}
}

/* The worker's next case, or STOP. */
static void assign(struct jobs *j, struct worker *w)
{
	uint32_t idx = j->next < j->suite->n_cases ? (uint32_t)j->next : STOP;

	w->busy = idx == STOP ? SIZE_MAX : j->next;
	if (idx != STOP)
		j->next++;
	if (send_all(w->fd, &idx, sizeof(idx)) < 0 && w->busy != SIZE_MAX) {
		error_outcome(j, w->busy, "the worker process is gone");
		w->busy = SIZE_MAX;
		w->dead = true;
	}
}

static void worker_gone(struct jobs *j, struct worker *w)
{
	if (w->busy != SIZE_MAX)
		error_outcome(j, w->busy, "the worker process playing this case died");
	w->busy = SIZE_MAX;
	w->dead = true;
}

/* One message from w. */
static void receive(struct jobs *j, struct worker *w, char *err, size_t errcap)
{
	struct msg_hdr h;
	struct run_outcome *o;

	if (recv_all(w->fd, &h, sizeof(h)) < 0) {
		if (!w->ready)
			snprintf(err, errcap, "a worker process exited while starting");
		worker_gone(j, w);
		return;
	}
	if (h.type == MSG_READY) {
		char *text = h.len ? calloc(1, h.len + 1) : NULL;

		if (h.len && (!text || recv_all(w->fd, text, h.len) < 0))
			h.index = 1;
		if (h.index)
			snprintf(err, errcap, "%s", text ? text : "a worker could not start");
		free(text);
		w->ready = h.index == 0;
		if (!w->ready)
			w->dead = true;
		return;
	}
	o = calloc(1, sizeof(*o));
	if (h.type != MSG_RESULT || h.index >= j->suite->n_cases || h.len < sizeof(*o) || !o ||
	    recv_all(w->fd, o, sizeof(*o)) < 0) {
		free(o);
		worker_gone(j, w);
		return;
	}
	o->res.n_frames = (h.len - sizeof(*o)) / sizeof(struct runner_frame);
	o->res.frames = o->res.n_frames ? calloc(o->res.n_frames, sizeof(struct runner_frame)) : NULL;
	if ((o->res.n_frames && !o->res.frames) ||
	    recv_all(w->fd, o->res.frames, o->res.n_frames * sizeof(struct runner_frame)) < 0) {
		runner_result_free(&o->res);
		free(o);
		worker_gone(j, w);
		return;
	}
	j->done[h.index] = o;
	w->busy = SIZE_MAX;
	assign(j, w);
}

static unsigned alive(const struct jobs *j, bool need_ready)
{
	unsigned n = 0;

	for (unsigned k = 0; k < j->n; k++)
		n += !j->w[k].dead && (!need_ready || j->w[k].ready);
	return n;
}

static void reap(struct jobs *j)
{
	for (unsigned k = 0; k < j->n; k++) {
		if (j->w[k].fd >= 0)
			close(j->w[k].fd);
		if (j->w[k].pid > 0)
			while (waitpid(j->w[k].pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
}

/* Until every worker said whether it started; all must. */
static int start_workers(struct jobs *j, struct pollfd *pf, char *err, size_t errcap)
{
	for (;;) {
		unsigned waiting = 0;
		int rv;

		for (unsigned k = 0; k < j->n; k++) {
			pf[k].fd = j->w[k].ready || j->w[k].dead ? -1 : j->w[k].fd;
			pf[k].events = POLLIN;
			waiting += pf[k].fd >= 0;
		}
		if (!waiting)
			break;
		rv = poll(pf, j->n, READY_MS);
		if (rv < 0 && errno == EINTR)
			continue;
		if (rv <= 0) {
			snprintf(err, errcap, "worker processes did not start within %d s", READY_MS / 1000);
			return -1;
		}
		for (unsigned k = 0; k < j->n; k++)
			if (pf[k].fd >= 0 && pf[k].revents)
				receive(j, &j->w[k], err, errcap);
	}
	if (alive(j, true) == j->n)
		return 0;
	if (!err[0])
		snprintf(err, errcap, "a worker process could not start");
	return -1;
}

static int run_parallel(const struct script_suite *suite, const struct run_opts *o,
			const char *pcap_dir, run_outcome_fn fn, void *ctx, char *err,
			size_t errcap)
{
	struct jobs j = { .suite = suite, .fn = fn, .ctx = ctx };
	struct pollfd *pf;
	int rc = -1;

	j.n = o->jobs < suite->n_cases ? o->jobs : (unsigned)suite->n_cases;
	j.w = calloc(j.n, sizeof(*j.w));
	j.done = calloc(suite->n_cases, sizeof(*j.done));
	pf = calloc(j.n, sizeof(*pf));
	err[0] = '\0';
	if (!j.w || !j.done || !pf) {
		snprintf(err, errcap, "out of memory");
		goto out;
	}
	fflush(NULL);
	for (unsigned k = 0; k < j.n; k++) {
		int sv[2];

		j.w[k].fd = -1;
		j.w[k].busy = SIZE_MAX;
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			snprintf(err, errcap, "socketpair: %s", strerror(errno));
			goto out;
		}
		j.w[k].pid = fork();
		if (j.w[k].pid == 0) {
			close(sv[0]);
			for (unsigned m = 0; m < k; m++)
				close(j.w[m].fd);
			worker_main(sv[1], suite, o, pcap_dir);
		}
		close(sv[1]);
		j.w[k].fd = sv[0];
		if (j.w[k].pid < 0) {
			snprintf(err, errcap, "fork: %s", strerror(errno));
			goto out;
		}
	}
	if (start_workers(&j, pf, err, errcap) < 0)
		goto out;
	for (unsigned k = 0; k < j.n; k++)
		assign(&j, &j.w[k]);
	while (j.emit < suite->n_cases) {
		int rv;

		flush(&j);
		if (j.emit == suite->n_cases)
			break;
		if (!alive(&j, false)) {
			/* nobody left to play the rest */
			for (size_t i = j.emit; i < suite->n_cases; i++)
				if (!j.done[i])
					error_outcome(&j, i, "not played: every worker process died");
			continue;
		}
		for (unsigned k = 0; k < j.n; k++) {
			pf[k].fd = j.w[k].dead ? -1 : j.w[k].fd;
			pf[k].events = POLLIN;
		}
		rv = poll(pf, j.n, -1);
		if (rv < 0 && errno != EINTR) {
			snprintf(err, errcap, "poll: %s", strerror(errno));
			goto out;
		}
		for (unsigned k = 0; rv > 0 && k < j.n; k++)
			if (pf[k].fd >= 0 && pf[k].revents)
				receive(&j, &j.w[k], err, errcap);
		/* a case handed to no one (its worker died before taking it) */
		if (j.next >= suite->n_cases)
			continue;
		for (unsigned k = 0; k < j.n; k++)
			if (!j.w[k].dead && j.w[k].busy == SIZE_MAX && j.next < suite->n_cases)
				assign(&j, &j.w[k]);
	}
	rc = 0;
out:
	if (rc < 0)
		for (unsigned k = 0; k < j.n; k++)
			if (j.w && j.w[k].pid > 0)
				kill(j.w[k].pid, SIGTERM);
	if (j.w)
		reap(&j);
	for (size_t i = 0; j.done && i < suite->n_cases; i++)
		if (j.done[i]) {
			runner_result_free(&j.done[i]->res);
			free(j.done[i]);
		}
	free(j.done);
	free(j.w);
	free(pf);
	return rc;
}

int run_cases(const struct script_suite *suite, const struct run_opts *o, const char *pcap_dir,
	      run_outcome_fn fn, void *ctx, char *err, size_t errcap)
{
	struct run_session *s;
	struct run_outcome out;

	if (o->jobs > 1 && suite->n_cases > 1)
		return run_parallel(suite, o, pcap_dir, fn, ctx, err, errcap);
	if (run_session_start(&s, o, pcap_dir, err, errcap) < 0)
		return -1;
	for (size_t i = 0; i < suite->n_cases; i++) {
		run_session_case(s, &suite->cases[i], &out);
		fn(ctx, i, &out);
		runner_result_free(&out.res);
	}
	run_session_stop(s);
	return 0;
}
