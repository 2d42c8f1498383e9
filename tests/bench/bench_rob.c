/* Micro-benchmark for core/rob: cost per segment and throughput for the
 * patterns a capture shows (in order; a loss repaired later; a reversed
 * window; small overlapping retransmissions). Prints numbers, asserts
 * only correctness (the byte count); build without sanitizers for numbers
 * worth comparing. usage: bench_rob [MB per pattern, default 256] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rob.h"

#define MSS 1460

struct count {
	uint64_t data, events;
};

static void sink(void *ctx, const struct rob_event *ev)
{
	struct count *c = ctx;

	c->events++;
	if (ev->type == ROB_EV_DATA)
		c->data += ev->len;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Segment i of a window of w: order(i) gives the segment sent i-th. */
typedef uint32_t (*order_fn)(uint32_t i, uint32_t w);

static uint32_t in_order(uint32_t i, uint32_t w) { (void)w; return i; }
static uint32_t reversed(uint32_t i, uint32_t w) { return w - 1 - i; }
/* segment 0 of each window lost and repaired after the others */
static uint32_t late_first(uint32_t i, uint32_t w) { return i + 1 < w ? i + 1 : 0; }

static int run(const char *name, order_fn order, uint32_t w, uint32_t hist, uint64_t total,
	       const uint8_t *buf)
{
	uint64_t nseg = total / MSS / w * w, added = 0;
	struct count c = { 0, 0 };
	uint32_t isn = 0xFFF00000u; /* wraps during the run */
	struct rob r;
	double t0, t;

	if (rob_init(&r, ROB_POLICY_LINUX, (size_t)w * MSS, hist, sink, &c))
		return 1;
	rob_start(&r, isn);
	t0 = now();
	for (uint64_t base = 0; base < nseg; base += w) {
		for (uint32_t i = 0; i < w; i++) {
			uint64_t k = base + order(i, w);

			if (rob_add(&r, isn + (uint32_t)(k * MSS), buf + (k % 64) * MSS, MSS, k))
				return 1;
			added++;
		}
	}
	t = now() - t0;
	rob_free(&r);
	if (c.data != nseg * MSS) {
		fprintf(stderr, "%s: delivered %llu of %llu bytes\n", name,
			(unsigned long long)c.data, (unsigned long long)(nseg * MSS));
		return 1;
	}
	printf("%-28s %8.1f MB/s %7.1f ns/segment %6.2f events/segment\n", name,
	       (double)c.data / t / 1e6, t * 1e9 / (double)added, (double)c.events / (double)added);
	return 0;
}

/* Small segments, each sent twice with an offset: half the bytes overlap. */
static int run_overlaps(uint64_t total, const uint8_t *buf)
{
	struct count c = { 0, 0 };
	uint64_t n = total / 100, added = 0;
	struct rob r;
	double t0, t;

	if (rob_init(&r, ROB_POLICY_BSD, 1 << 20, 4096, sink, &c))
		return 1;
	rob_start(&r, 0);
	t0 = now();
	for (uint64_t k = 0; k < n; k++) {
		uint32_t seq = (uint32_t)(k * 100);

		if (rob_add(&r, seq + 50, buf + 50, 100, k) || rob_add(&r, seq, buf, 100, k))
			return 1;
		added += 2;
	}
	rob_flush(&r, n);
	t = now() - t0;
	rob_free(&r);
	printf("%-28s %8.1f MB/s %7.1f ns/segment %6.2f events/segment\n",
	       "overlapping 100-byte pairs", (double)c.data / t / 1e6,
	       t * 1e9 / (double)added, (double)c.events / (double)added);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t total = (argc > 1 ? strtoull(argv[1], NULL, 10) : 256) << 20;
	uint8_t *buf = malloc(64 * MSS);
	int rc = 0;

	if (!buf)
		return 1;
	for (size_t i = 0; i < 64 * MSS; i++)
		buf[i] = (uint8_t)(i * 131);
	rc |= run("in order, no history", in_order, 64, 0, total, buf);
	rc |= run("in order, 64 KiB history", in_order, 64, 65536, total, buf);
	rc |= run("1 of 64 repaired late", late_first, 64, 65536, total, buf);
	rc |= run("windows of 64 reversed", reversed, 64, 65536, total, buf);
	rc |= run_overlaps(total / 8, buf);
	free(buf);
	return rc;
}
