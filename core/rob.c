/* rob: reassembly of one direction's byte stream (see rob.h).
 *
 * Data at next is passed on where it lies, in the caller's packet; only
 * data ahead of next is copied, into runs: maximal contiguous ranges,
 * sorted, never overlapping or touching (touching ones are merged).
 * Invariant: every run lies in (next, next + 2^31], so offsets from next
 * compare as plain unsigned numbers.
 *
 * Why a sorted singly-linked list: a run is one hole's worth of data
 * after a loss, so a connection holds as many runs as it has holes at
 * once, a handful in practice (SACK can describe three or four). Adding a
 * segment walks that list once; merging copies the smaller runs into the
 * largest, and buffers grow by half their size on the side that needs
 * room, so each byte is copied an amortised constant (appending) or
 * logarithmic (merging) number of times. max_ranges bounds the walk and the
 * per-run overhead when a capture is pathological; ooo_limit bounds the
 * bytes (allocations stay below about twice ooo_limit plus the runs'
 * headers).
 *
 * Overlap policies, for the part where a new segment [s, e) overlaps an
 * old run [os, oe) (target-based reassembly after Novak & Sturges; rules
 * read from Snort 3 stream/tcp/tcp_reassemblers.cc with
 * segment_overlap_editor.cc, and Suricata stream-tcp-list.c
 * DoHandleDataOverlap, which agree):
 *   first          old bytes win
 *   last           new bytes win
 *   bsd, windows   new wins iff it starts before the old data (s < os)
 *   linux          new wins iff s < os, or s == os and it ends later (e > oe)
 * Both compare against the original old segments; we compare against the
 * run, as if the old data had come in one segment (Linux itself coalesces
 * out-of-order segments that arrive contiguously). Bytes already delivered
 * never change: against them the old bytes always win. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "finding.h"
#include "rob.h"
#include "seq.h"

#define MAX_SEG 0x80000000u /* 2^31: larger is ambiguous modulo 2^32 */
/* First history buffer (bytes); it doubles from there up to 2 * hist_cap. */
#define HIST_MIN 4096u

struct rob_range {
	struct rob_range *next;
	uint32_t seq, len;      /* [seq, seq + len) */
	size_t off, cap;        /* bytes at buf + off; buf holds cap bytes */
	uint8_t *buf;
};

static const char *const policy_names[] = {
	[ROB_POLICY_FIRST] = "first",
	[ROB_POLICY_LAST] = "last",
	[ROB_POLICY_LINUX] = "linux",
	[ROB_POLICY_BSD] = "bsd",
	[ROB_POLICY_WINDOWS] = "windows",
};

#define NPOLICIES (sizeof(policy_names) / sizeof(policy_names[0]))

int rob_policy_by_name(const char *name, enum rob_policy *out)
{
	if (!name || !out)
		return ROB_ERR_INVAL;
	for (size_t i = 0; i < NPOLICIES; i++) {
		if (!strcasecmp(name, policy_names[i])) {
			*out = (enum rob_policy)i;
			return 0;
		}
	}
	return ROB_ERR_INVAL;
}

const char *rob_policy_name(enum rob_policy p)
{
	if ((unsigned)p >= NPOLICIES)
		return "?";
	return policy_names[p];
}

/* Offsets below are from one base; all fit in [0, 2^31]. */
static bool new_wins(enum rob_policy p, uint32_t s, uint32_t e, uint32_t os, uint32_t oe)
{
	switch (p) {
	case ROB_POLICY_FIRST:
		return false;
	case ROB_POLICY_LAST:
		return true;
	case ROB_POLICY_BSD:
	case ROB_POLICY_WINDOWS:
		return s < os;
	case ROB_POLICY_LINUX:
		return s < os || (s == os && e > oe);
	}
	return false;
}

static uint32_t min32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t max32(uint32_t a, uint32_t b) { return a > b ? a : b; }

static uint8_t *run_data(const struct rob_range *g) { return g->buf + g->off; }

static void run_free(struct rob_range *g)
{
	free(g->buf);
	free(g);
}

/* The history buffer grown to hold need bytes (need <= 2 * hist_cap):
 * doubled from its size (HIST_MIN at first), at most 2 * hist_cap; the
 * history moves to its start. False when out of memory (nothing changed). */
static bool hist_grow(struct rob *r, size_t need)
{
	size_t max = 2 * (size_t)r->hist_cap, n = r->hist_size ? r->hist_size : HIST_MIN;
	uint8_t *b;

	while (n < need)
		n *= 2;
	if (n > max)
		n = max;
	b = malloc(n);
	if (!b)
		return false;
	if (r->hist_len)
		memcpy(b, r->hist + r->hist_off, r->hist_len);
	free(r->hist);
	r->hist = b;
	r->hist_size = (uint32_t)n;
	r->hist_off = 0;
	return true;
}

/* History: the last hist_len (at most hist_cap) delivered bytes, kept
 * contiguous so an OVERLAP event can point at them. The buffer is
 * allocated as bytes are delivered, doubling up to 2 * hist_cap, so a
 * stream that delivers little holds little (many concurrent short
 * connections would otherwise cost 2 * hist_cap each). At full size, a
 * slide back to the start moves fewer bytes than were written since the
 * previous one. Out of memory while growing, the history is emptied (the
 * retransmissions it would check count as unchecked) and growth is tried
 * again with the next bytes. */
static void hist_push(struct rob *r, const uint8_t *p, uint32_t len)
{
	size_t cap = r->hist_cap;

	if (!cap)
		return;
	if (len >= cap) {
		if (r->hist_size < cap && !hist_grow(r, cap))
			goto drop;
		memcpy(r->hist, p + (len - cap), cap);
		r->hist_off = 0;
		r->hist_len = (uint32_t)cap;
		return;
	}
	if ((size_t)r->hist_off + r->hist_len + len > r->hist_size) {
		if (r->hist_size < 2 * cap) {
			/* hist_len + len < 2 * cap: it fits once grown */
			if (!hist_grow(r, (size_t)r->hist_len + len))
				goto drop;
		} else {
			uint32_t keep = min32(r->hist_len, (uint32_t)cap - len);

			memmove(r->hist, r->hist + r->hist_off + (r->hist_len - keep), keep);
			r->hist_off = 0;
			r->hist_len = keep;
		}
	}
	memcpy(r->hist + r->hist_off + r->hist_len, p, len);
	r->hist_len += len;
	if (r->hist_len > cap) {
		r->hist_off += r->hist_len - (uint32_t)cap;
		r->hist_len = (uint32_t)cap;
	}
	return;
drop:
	r->hist_len = 0;
	r->hist_off = 0;
}

/* One call's output: in-order pieces are gathered while they stay
 * contiguous in one buffer (the caller's segment or one run), so a
 * segment is passed on as one DATA event however its overlaps resolved.
 * Pending bytes always start at r->next. */
struct out {
	struct rob *r;
	uint64_t pkt;
	const void *src;
	const uint8_t *p;
	uint32_t len;
};

static void emit(const struct out *o, enum rob_event_type type, uint32_t seq, uint32_t len,
		 const uint8_t *data, const uint8_t *old, const uint8_t *new)
{
	struct rob_event ev = {
		.type = type, .seq = seq, .len = len, .data = data,
		.old_data = old, .new_data = new, .pkt = o->pkt,
	};

	if (o->r->sink)
		o->r->sink(o->r->ctx, &ev);
}

static void flush(struct out *o)
{
	struct rob *r = o->r;
	uint32_t seq = r->next, len = o->len;

	if (!len)
		return;
	o->len = 0;
	hist_push(r, o->p, len);
	r->next += len;
	r->bytes_delivered += len;
	emit(o, ROB_EV_DATA, seq, len, o->p, NULL, NULL);
}

static void deliver(struct out *o, const void *src, const uint8_t *p, uint32_t len)
{
	if (!len)
		return;
	if (o->len && o->src == src && o->p + o->len == p) {
		o->len += len;
		return;
	}
	flush(o);
	o->src = src;
	o->p = p;
	o->len = len;
}

/* [next, to) will never be seen: GAP, or LIMIT when we chose to drop it.
 * History restarts, since it must end at next. */
static void skip(struct out *o, enum rob_event_type type, uint32_t to)
{
	struct rob *r = o->r;
	uint32_t from, len;

	flush(o);
	from = r->next;
	len = to - from;
	if (!len)
		return;
	r->next = to;
	r->bytes_gap += len;
	r->hist_len = 0;
	r->hist_off = 0;
	if (type == ROB_EV_LIMIT)
		r->limits++;
	emit(o, type, from, len, NULL, NULL, NULL);
}

/* Reports [first differing byte, last differing byte] of an overlap. */
static void compare(struct out *o, uint32_t seq, const uint8_t *old, const uint8_t *new,
		    uint32_t len)
{
	uint32_t i = 0, j = len;

	if (!memcmp(old, new, len))
		return;
	while (old[i] == new[i])
		i++;
	while (old[j - 1] == new[j - 1])
		j--;
	o->r->overlap_mismatches++;
	flush(o);
	emit(o, ROB_EV_OVERLAP, seq + i, j - i, NULL, old + i, new + i);
}

/* Delivers the first run from byte `from` on and frees it. */
static void deliver_head(struct out *o, uint32_t from)
{
	struct rob *r = o->r;
	struct rob_range *g = r->ranges;

	deliver(o, g, run_data(g) + from, g->len - from);
	if (o->src == g)
		flush(o); /* before the buffer goes */
	r->ranges = g->next;
	r->ooo_bytes -= g->len;
	r->nranges--;
	run_free(g);
}

/* [seq, seq + len) lies before next: a retransmission of delivered bytes,
 * which cannot change. Compared where the history still holds them. */
static void check_delivered(struct out *o, uint32_t seq, const uint8_t *d, uint32_t len)
{
	struct rob *r = o->r;
	uint32_t back = r->next - seq;
	uint32_t unknown = back > r->hist_len ? back - r->hist_len : 0;

	r->overlaps++;
	if (unknown)
		r->overlap_unchecked++;
	if (unknown >= len)
		return;
	compare(o, seq + unknown, r->hist + r->hist_off + (r->hist_len - (back - unknown)),
		d + unknown, len - unknown);
}

/* The segment starts at next: pass it on, resolving overlaps with the runs
 * it reaches, then everything contiguous after it. A run may start at
 * next itself only after make_room() skipped up to this segment. */
static void add_in_order(struct out *o, const uint8_t *d, uint32_t len)
{
	struct rob *r = o->r;
	uint32_t base = r->next, cur = 0;
	struct rob_range *g;

	while ((g = r->ranges) && g->seq - base <= len) {
		uint32_t os = g->seq - base, oe = os + g->len;
		uint32_t ov = min32(len, oe); /* overlap is [os, ov) */

		deliver(o, d, d + cur, os - cur);
		if (ov > os) {
			r->overlaps++;
			compare(o, g->seq, run_data(g), d + os, ov - os);
			if (new_wins(r->policy, 0, len, os, oe))
				deliver(o, d, d + os, ov - os);
			else
				deliver(o, g, run_data(g), ov - os);
		}
		deliver_head(o, ov - os);
		cur = oe;
	}
	if (cur < len)
		deliver(o, d, d + cur, len - cur);
}

/* Makes room for front bytes before a run and back bytes after it. */
static int reserve(struct rob_range *g, size_t front, size_t back)
{
	size_t tail = g->cap - g->off - g->len, nf, nb, cap;
	uint8_t *buf;

	if (g->off >= front && tail >= back)
		return 0;
	/* Grow by half the run on a side that lacks room, keep the slack
	 * on the other: runs built segment by segment in either direction
	 * cost amortised O(1) per byte. */
	nf = g->off >= front ? g->off : (front > g->len / 2 ? front : g->len / 2);
	nb = tail >= back ? tail : (back > g->len / 2 ? back : g->len / 2);
	cap = nf + g->len + nb;
	buf = malloc(cap);
	if (!buf)
		return ROB_ERR_NOMEM;
	memcpy(buf + nf, run_data(g), g->len);
	free(g->buf);
	g->buf = buf;
	g->off = nf;
	g->cap = cap;
	return 0;
}

/* The segment starts after next: copy it into the runs. Returns 0,
 * ROB_ERR_NOMEM (nothing changed), or 1 when a bound would be passed
 * (nothing changed either). */
static int add_out_of_order(struct out *o, uint32_t seq, const uint8_t *d, uint32_t len)
{
	struct rob *r = o->r;
	uint32_t base = r->next, s = seq - base, e = s + len, lo = s, hi = e;
	struct rob_range **link = &r->ranges, *g, *first, *stop, *big = NULL, *nx;
	size_t held = 0, k = 0, need;
	uint8_t *dst;

	while ((g = *link) && g->seq - base + g->len < s)
		link = &g->next;
	first = *link;
	/* Runs that overlap or touch [s, e) merge with it into [lo, hi). */
	for (g = first; g && g->seq - base <= e; g = g->next) {
		uint32_t gs = g->seq - base;

		lo = min32(lo, gs);
		hi = max32(hi, gs + g->len);
		held += g->len;
		k++;
		if (!big || g->len > big->len)
			big = g;
	}
	stop = g;
	need = (size_t)(hi - lo) - held;
	if (r->ooo_bytes > r->ooo_limit || need > r->ooo_limit - r->ooo_bytes ||
	    (!k && r->nranges >= r->max_ranges))
		return 1;

	if (!k) {
		g = malloc(sizeof(*g));
		if (!g)
			return ROB_ERR_NOMEM;
		g->buf = malloc(len);
		if (!g->buf) {
			free(g);
			return ROB_ERR_NOMEM;
		}
		memcpy(g->buf, d, len);
		g->seq = seq;
		g->len = len;
		g->off = 0;
		g->cap = len;
		g->next = stop;
		*link = g;
		r->nranges++;
		r->ooo_bytes += len;
		return 0;
	}
	if (reserve(big, big->seq - base - lo, hi - (big->seq - base + big->len)))
		return ROB_ERR_NOMEM;

	/* Resolve each overlap in place, in stream order. */
	for (g = first; g != stop; g = g->next) {
		uint32_t gs = g->seq - base, ge = gs + g->len;
		uint32_t a = max32(s, gs), b = min32(e, ge);

		if (b <= a)
			continue; /* only touching */
		r->overlaps++;
		compare(o, base + a, run_data(g) + (a - gs), d + (a - s), b - a);
		if (new_wins(r->policy, s, e, gs, ge))
			memcpy(run_data(g) + (a - gs), d + (a - s), b - a);
	}

	/* Merge into the biggest run: the new bytes outside it, then the
	 * other runs over them (their overlaps are resolved already). */
	{
		uint32_t bs = big->seq - base, be = bs + big->len;

		big->off -= bs - lo;
		dst = run_data(big);
		if (s < bs)
			memcpy(dst + (s - lo), d, min32(e, bs) - s);
		if (e > be) {
			uint32_t a = max32(s, be);

			memcpy(dst + (a - lo), d + (a - s), e - a);
		}
	}
	for (g = first; g != stop; g = nx) {
		nx = g->next;
		if (g == big)
			continue;
		memcpy(dst + (g->seq - base - lo), run_data(g), g->len);
		run_free(g);
	}
	big->seq = base + lo;
	big->len = hi - lo;
	big->next = stop;
	*link = big;
	r->nranges -= k - 1;
	r->ooo_bytes += need;
	return 0;
}

/* A bound would be passed: the oldest hole is treated as lost (LIMIT).
 * If the segment starts in that hole, only up to the segment, which is
 * then in order; otherwise the whole hole, and the run after it is
 * delivered. */
static void make_room(struct out *o, uint32_t seq)
{
	struct rob *r = o->r;
	struct rob_range *g = r->ranges;

	if (!g || seq - r->next <= g->seq - r->next) {
		skip(o, ROB_EV_LIMIT, seq);
		return;
	}
	skip(o, ROB_EV_LIMIT, g->seq);
	deliver_head(o, 0);
}

static void free_runs(struct rob *r)
{
	struct rob_range *g, *nx;

	for (g = r->ranges; g; g = nx) {
		nx = g->next;
		run_free(g);
	}
	r->ranges = NULL;
	r->nranges = 0;
	r->ooo_bytes = 0;
}

int rob_init(struct rob *r, enum rob_policy policy, size_t ooo_limit,
	     uint32_t hist_cap, rob_sink sink, void *ctx)
{
	if (!r)
		return ROB_ERR_INVAL;
	memset(r, 0, sizeof(*r));
	if ((unsigned)policy >= NPOLICIES || hist_cap > ROB_MAX_HIST)
		return ROB_ERR_INVAL;
	r->policy = policy;
	r->ooo_limit = ooo_limit;
	r->max_ranges = ROB_DEFAULT_MAX_RANGES;
	r->hist_cap = hist_cap;
	r->sink = sink;
	r->ctx = ctx;
	return 0;
}

void rob_reset(struct rob *r, rob_sink sink, void *ctx)
{
	if (!r)
		return;
	free_runs(r);
	r->started = false;
	r->next = 0;
	r->bytes_delivered = r->bytes_gap = r->overlaps = r->overlap_mismatches = 0;
	r->limits = r->overlap_unchecked = 0;
	r->hist_len = 0;
	r->hist_off = 0;
	r->sink = sink;
	r->ctx = ctx;
}

void rob_start(struct rob *r, uint32_t next)
{
	if (!r || (r->started && r->next == next))
		return;
	free_runs(r);
	r->started = true;
	r->next = next;
	r->hist_len = 0;
	r->hist_off = 0;
}

int rob_add(struct rob *r, uint32_t seq, const uint8_t *data, uint32_t len, uint64_t pkt)
{
	struct out o = { .r = r, .pkt = pkt };
	int rc = 0;

	if (!r || (len && !data) || len > MAX_SEG)
		return ROB_ERR_INVAL;
	if (!len)
		return 0;
	if (!r->started)
		rob_start(r, seq);
	if (!seq_lt(seq, r->next) && (uint64_t)(seq - r->next) + len > MAX_SEG)
		return ROB_ERR_INVAL;

	for (;;) {
		if (seq_lt(seq, r->next)) {
			uint32_t back = r->next - seq;

			check_delivered(&o, seq, data, min32(back, len));
			if (len <= back)
				break; /* all of it was delivered before */
			seq += back;
			data += back;
			len -= back;
		}
		if (seq == r->next) {
			add_in_order(&o, data, len);
			break;
		}
		rc = add_out_of_order(&o, seq, data, len);
		if (rc <= 0)
			break;
		rc = 0;
		make_room(&o, seq);
	}
	flush(&o);
	return rc;
}

int rob_skip_to(struct rob *r, uint32_t seq, uint64_t pkt)
{
	struct out o = { .r = r, .pkt = pkt };

	if (!r)
		return ROB_ERR_INVAL;
	if (!r->started) {
		rob_start(r, seq);
		return 0;
	}
	if (!seq_gt(seq, r->next))
		return 0;
	/* Buffered data before seq is not lost: pass it on between gaps. */
	while (r->ranges && seq_leq(r->ranges->seq, seq)) {
		skip(&o, ROB_EV_GAP, r->ranges->seq);
		deliver_head(&o, 0);
	}
	if (seq_gt(seq, r->next))
		skip(&o, ROB_EV_GAP, seq);
	flush(&o);
	return 0;
}

int rob_flush(struct rob *r, uint64_t pkt)
{
	struct out o = { .r = r, .pkt = pkt };

	if (!r)
		return ROB_ERR_INVAL;
	while (r->ranges) {
		skip(&o, ROB_EV_GAP, r->ranges->seq);
		deliver_head(&o, 0);
	}
	flush(&o);
	return 0;
}

void rob_free(struct rob *r)
{
	if (!r)
		return;
	free_runs(r);
	free(r->hist);
	r->hist = NULL;
	r->hist_cap = 0;
	r->hist_len = 0;
	r->hist_off = 0;
	r->hist_size = 0;
}

bool rob_event_finding(const struct rob *r, const struct rob_event *ev, uint32_t base,
		       struct finding *out)
{
	if (!ev || !out)
		return false;
	switch (ev->type) {
	case ROB_EV_OVERLAP:
		*out = (struct finding){ .id = FND_ROB_OVERLAP_DIFFERENT_DATA,
					 .v = { ev->len, (uint32_t)(ev->seq - base), ev->pkt } };
		return true;
	case ROB_EV_LIMIT:
		*out = (struct finding){ .id = FND_ROB_OOO_LIMIT,
					 .v = { ev->len, (uint32_t)(ev->seq - base),
						r ? r->ooo_limit : 0 } };
		return true;
	case ROB_EV_DATA:
	case ROB_EV_GAP:
		return false;
	}
	return false;
}
