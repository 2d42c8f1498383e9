/* Progress of `tcpspec analyze` on a large file: a percentage by file
 * offset on stderr, redrawn at most four times a second, and only when
 * stderr is a terminal, so CI logs and redirected output never see it. */
#include <stdio.h>
#include <unistd.h>

#include "analyze.h"

#define REDRAW_NS 250000000ll

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

void analyze_progress_start(struct analyze_progress *p, const char *name, uint64_t size)
{
	p->on = size > ANALYZE_PROGRESS_MIN && isatty(STDERR_FILENO);
	p->shown = false;
	p->size = size;
	p->name = name;
	p->tick = 0;
	p->last.tv_sec = 0;
	p->last.tv_nsec = 0;
	/* drawn at once, so a long run shows it from the start */
	if (p->on)
		analyze_progress_update(p, 0);
}

void analyze_progress_update(struct analyze_progress *p, uint64_t offset)
{
	long long now = now_ns();
	long long last = (long long)p->last.tv_sec * 1000000000ll + p->last.tv_nsec;

	if (now - last < REDRAW_NS)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	/* stdout first, so a line it holds does not land after the bar */
	fflush(stdout);
	fprintf(stderr, "\r\033[Ktcpspec analyze: %s %3u%%", p->name,
		(unsigned)(offset * 100 / (p->size ? p->size : 1)));
	p->shown = true;
}

void analyze_progress_clear(struct analyze_progress *p)
{
	if (!p->shown)
		return;
	fprintf(stderr, "\r\033[K");
	p->shown = false;
}
