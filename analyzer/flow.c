#include "flow.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

/* Freed flows kept for reuse, so a capture whose connections come and go
 * stops allocating once warm; bounded so memory stays O(live flows). */
#define FLOW_CACHE_MAX 64
/* Idle flows, and lingering flows, closed per touch at most: bounded
 * work per packet; the rest go on the next touches (and an expired flow
 * that is hit is closed then). */
#define FLOW_EXPIRE_BATCH 8
#define FLOW_MIN_CAP 64

struct slot {
	uint32_t hash;
	struct flow *f;   /* NULL: empty */
};

struct flow_table {
	struct flow_config cfg;
	struct slot *slots;
	size_t cap;                 /* power of two */
	size_t hdr_size;            /* struct flow rounded up for the payload */
	struct flow *lru_head, *lru_tail;
	struct flow *linger_head, *linger_tail; /* by lru_prev/lru_next */
	struct flow *seen_head, *seen_tail;
	struct flow *cache;         /* freed flows, linked by lru_next */
	size_t n_cache;
	uint64_t next_conn;
	struct flow_stats st;
};

static void *mem_alloc(const struct flow_table *t, size_t n)
{
	if (t->cfg.alloc)
		return t->cfg.alloc(t->cfg.actx, n);
	return calloc(1, n);
}

static void mem_release(const struct flow_table *t, void *p)
{
	if (t->cfg.release)
		t->cfg.release(t->cfg.actx, p);
	else
		free(p);
}

/* 64-bit multiply-xorshift over the key's five words. */
static uint32_t key_hash(const struct flow_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint64_t h = 0x9E3779B97F4A7C15ULL;

	_Static_assert(sizeof(struct flow_key) == 40, "flow_key is 5 words");
	for (size_t i = 0; i < sizeof(*k); i += 8) {
		uint64_t w;

		memcpy(&w, b + i, 8);
		h ^= w;
		h *= 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
	}
	h *= 0x94D049BB133111EBULL;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

int flow_key_make(uint8_t version, const uint8_t *src, const uint8_t *dst,
		  uint16_t sport, uint16_t dport, struct flow_key *k, int *src_side)
{
	size_t alen = version == 4 ? 4 : 16;
	int c;

	if (!src || !dst || !k || (version != 4 && version != 6))
		return FLOW_ERR_INVAL;
	memset(k, 0, sizeof(*k));
	k->version = version;
	c = memcmp(src, dst, alen);
	if (c == 0)
		c = sport < dport ? -1 : sport > dport;
	/* lower endpoint first; a packet to itself is side 0 both ways */
	if (c <= 0) {
		memcpy(k->addr[0], src, alen);
		memcpy(k->addr[1], dst, alen);
		k->port[0] = sport;
		k->port[1] = dport;
	} else {
		memcpy(k->addr[0], dst, alen);
		memcpy(k->addr[1], src, alen);
		k->port[0] = dport;
		k->port[1] = sport;
	}
	if (src_side)
		*src_side = c > 0;
	return 0;
}

int flow_key_from_pkt(const struct wire_pkt *p, struct flow_key *k, int *src_side)
{
	if (!p || !p->has_tcp || !p->has_ip)
		return FLOW_ERR_INVAL;
	return flow_key_make(p->ip.version, p->ip.src, p->ip.dst, p->tcp.sport,
			     p->tcp.dport, k, src_side);
}

int flow_table_new(struct flow_table **out, const struct flow_config *cfg)
{
	struct flow_table *t;
	size_t align = alignof(max_align_t);

	if (!out || !cfg || !cfg->alloc != !cfg->release || cfg->linger < 0)
		return FLOW_ERR_INVAL;
	*out = NULL;
	t = cfg->alloc ? cfg->alloc(cfg->actx, sizeof(*t)) : calloc(1, sizeof(*t));
	if (!t)
		return FLOW_ERR_NOMEM;
	memset(t, 0, sizeof(*t));
	t->cfg = *cfg;
	t->hdr_size = (sizeof(struct flow) + align - 1) / align * align;
	t->cap = FLOW_MIN_CAP;
	t->slots = mem_alloc(t, t->cap * sizeof(*t->slots));
	if (!t->slots) {
		mem_release(t, t);
		return FLOW_ERR_NOMEM;
	}
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
	*out = t;
	return 0;
}

void *flow_user(struct flow *f)
{
	return (uint8_t *)f + ((sizeof(struct flow) + alignof(max_align_t) - 1) /
			       alignof(max_align_t) * alignof(max_align_t));
}

const struct flow_stats *flow_table_stats(const struct flow_table *t)
{
	return &t->st;
}

struct flow *flow_first(const struct flow_table *t)
{
	return t->seen_head;
}

struct flow *flow_next(const struct flow *f)
{
	return f->seen_next;
}

/* Doubly linked lists, by member pointers. */
#define LIST_UNLINK(t, f, head, tail, prev, next) do { \
	if ((f)->prev) (f)->prev->next = (f)->next; else (t)->head = (f)->next; \
	if ((f)->next) (f)->next->prev = (f)->prev; else (t)->tail = (f)->prev; \
	(f)->prev = (f)->next = NULL; \
} while (0)
#define LIST_APPEND(t, f, head, tail, prev, next) do { \
	(f)->prev = (t)->tail; (f)->next = NULL; \
	if ((t)->tail) (t)->tail->next = (f); else (t)->head = (f); \
	(t)->tail = (f); \
} while (0)

static size_t slot_of_key(const struct flow_table *t, const struct flow_key *k,
			  uint32_t h)
{
	size_t mask = t->cap - 1, i = h & mask;

	while (t->slots[i].f && (t->slots[i].hash != h ||
				 memcmp(&t->slots[i].f->key, k, sizeof(*k)) != 0))
		i = (i + 1) & mask;
	return i;
}

/* Rehash into cap entries; on failure the old table stays (a full table
 * only gets slower, a shrink is only an economy). */
static int rehash(struct flow_table *t, size_t cap)
{
	struct slot *n = mem_alloc(t, cap * sizeof(*n)), *old = t->slots;
	size_t old_cap = t->cap;

	if (!n)
		return FLOW_ERR_NOMEM;
	memset(n, 0, cap * sizeof(*n));
	t->slots = n;
	t->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		size_t j;

		if (!old[i].f)
			continue;
		j = old[i].hash & (cap - 1);
		while (n[j].f)
			j = (j + 1) & (cap - 1);
		n[j] = old[i];
	}
	mem_release(t, old);
	return 0;
}

/* Backward-shift deletion: no tombstones, probe chains stay short. */
static void slot_delete(struct flow_table *t, struct flow *f)
{
	size_t mask = t->cap - 1, i = f->hash & mask, j;

	while (t->slots[i].f != f)
		i = (i + 1) & mask;
	for (j = i;;) {
		size_t k;

		j = (j + 1) & mask;
		if (!t->slots[j].f)
			break;
		k = t->slots[j].hash & mask;
		/* the entry at j may move to i unless its home k lies in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->slots[i] = t->slots[j];
		i = j;
	}
	t->slots[i].f = NULL;
	t->slots[i].hash = 0;
}

static void flow_release(struct flow_table *t, struct flow *f)
{
	if (t->n_cache < FLOW_CACHE_MAX) {
		f->lru_next = t->cache;
		t->cache = f;
		t->n_cache++;
		return;
	}
	mem_release(t, f);
}

static void count_end(struct flow_table *t, enum flow_end_reason why)
{
	switch (why) {
	case FLOW_END_IDLE:
		t->st.idle_closed++;
		break;
	case FLOW_END_EVICTED:
		t->st.evicted++;
		break;
	case FLOW_END_REUSED:
		t->st.reused++;
		break;
	case FLOW_END_REMOVED:
		t->st.removed++;
		break;
	case FLOW_END_FLUSH:
		t->st.flushed++;
		break;
	case FLOW_END_CLOSED:
		t->st.closed++;
		break;
	}
}

/* Off the LRU list, or the deadline list for a lingering flow. */
static void unlink_order(struct flow_table *t, struct flow *f)
{
	if (f->lingering)
		LIST_UNLINK(t, f, linger_head, linger_tail, lru_prev, lru_next);
	else
		LIST_UNLINK(t, f, lru_head, lru_tail, lru_prev, lru_next);
}

/* Closes f with reason why and frees it. */
static void flow_close(struct flow_table *t, struct flow *f, enum flow_end_reason why)
{
	if (t->cfg.end)
		t->cfg.end(t->cfg.ctx, f, why);
	count_end(t, why);
	slot_delete(t, f);
	unlink_order(t, f);
	if (f->lingering)
		t->st.lingering--;
	LIST_UNLINK(t, f, seen_head, seen_tail, seen_prev, seen_next);
	t->st.live--;
	flow_release(t, f);
	if (t->cap > FLOW_MIN_CAP && t->st.live * 8 < t->cap)
		(void)rehash(t, t->cap / 2);
}

static bool is_idle(const struct flow_table *t, const struct flow *f, tstamp now)
{
	return t->cfg.idle_timeout > 0 && now - f->last_ts > t->cfg.idle_timeout;
}

/* The LRU head is the flow touched longest ago: if it is not idle, no
 * flow is (as long as time does not run backwards), so this is O(1)
 * when there is nothing to do. */
static size_t expire_idle(struct flow_table *t, tstamp now, size_t max)
{
	size_t n = 0;

	while (n < max && t->lru_head && is_idle(t, t->lru_head, now)) {
		flow_close(t, t->lru_head, FLOW_END_IDLE);
		n++;
	}
	return n;
}

/* A lingering flow's linger is over at now. Time running backwards
 * (reordered timestamps) never ends one early. */
static bool linger_over(const struct flow_table *t, const struct flow *f, tstamp now)
{
	return t->cfg.linger <= 0 || now - f->linger_ts > t->cfg.linger;
}

/* A lingering flow lingers from now: last on the deadline list. */
static void linger_arm(struct flow_table *t, struct flow *f, tstamp now)
{
	LIST_UNLINK(t, f, linger_head, linger_tail, lru_prev, lru_next);
	LIST_APPEND(t, f, linger_head, linger_tail, lru_prev, lru_next);
	f->linger_ts = now;
}

/* The deadline list is in the order flows started lingering: if its head
 * is not over, none is as long as capture time runs forward. When time
 * ran back by more than a linger (reordered or damaged timestamps), the
 * head would hold every flow behind it until time caught up: it lingers
 * from now instead, so the list keeps moving and no flow ends before a
 * linger of capture time has passed on the clock it is judged by.
 * Looks at max heads at most; returns how many it closed. */
static size_t expire_linger(struct flow_table *t, tstamp now, size_t max)
{
	size_t closed = 0;
	struct flow *f;

	for (size_t i = 0; i < max && (f = t->linger_head); i++) {
		if (linger_over(t, f, now)) {
			flow_close(t, f, (enum flow_end_reason)f->linger_why);
			closed++;
		} else if (f->linger_ts - now > t->cfg.linger) {
			linger_arm(t, f, now);
		} else {
			break;
		}
	}
	return closed;
}

size_t flow_expire(struct flow_table *t, tstamp now)
{
	size_t n = expire_idle(t, now, SIZE_MAX);

	/* each lingering flow is looked at once at most: one re-armed goes
	 * behind the others */
	return n + expire_linger(t, now, t->st.lingering);
}

static void conn_start(struct flow_table *t, struct flow *f, tstamp now, uint64_t pkt)
{
	f->conn_id = ++t->next_conn;
	f->first_ts = f->last_ts = now;
	f->first_pkt = f->last_pkt = pkt;
	f->pkts[0] = 1;
	f->pkts[1] = 0;
	memset(flow_user(f), 0, t->cfg.user_size);
	if (t->cfg.init)
		t->cfg.init(t->cfg.ctx, f);
}

static int flow_create(struct flow_table *t, const struct flow_key *k, uint32_t h,
		       int init_side, tstamp now, uint64_t pkt, struct flow **out)
{
	struct flow *f;
	size_t i;

	if ((t->st.live + 1) * 2 > t->cap && rehash(t, t->cap * 2) < 0 &&
	    t->st.live + 1 >= t->cap)
		return FLOW_ERR_NOMEM;
	if (t->cache) {
		f = t->cache;
		t->cache = f->lru_next;
		t->n_cache--;
	} else {
		f = mem_alloc(t, t->hdr_size + t->cfg.user_size);
		if (!f)
			return FLOW_ERR_NOMEM;
	}
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->hash = h;
	f->init_side = (uint8_t)init_side;
	i = slot_of_key(t, k, h);
	t->slots[i].f = f;
	t->slots[i].hash = h;
	LIST_APPEND(t, f, lru_head, lru_tail, lru_prev, lru_next);
	LIST_APPEND(t, f, seen_head, seen_tail, seen_prev, seen_next);
	t->st.created++;
	if (++t->st.live > t->st.peak)
		t->st.peak = t->st.live;
	conn_start(t, f, now, pkt);
	*out = f;
	return 0;
}

int flow_touch(struct flow_table *t, const struct flow_key *k, int src_side,
	       uint8_t tcp_flags, tstamp now, uint64_t pkt,
	       struct flow **out, int *dir)
{
	uint32_t h;
	size_t i;
	struct flow *f;
	int rc, side;

	if (!t || !k || !out || !dir || (src_side != 0 && src_side != 1))
		return FLOW_ERR_INVAL;
	expire_idle(t, now, FLOW_EXPIRE_BATCH);
	if (t->linger_head)
		expire_linger(t, now, FLOW_EXPIRE_BATCH);
	h = key_hash(k);
	i = slot_of_key(t, k, h);
	f = t->slots[i].f;
	if (f && f->lingering && linger_over(t, f, now)) {
		flow_close(t, f, (enum flow_end_reason)f->linger_why);
		f = NULL;
	} else if (f && !f->lingering && is_idle(t, f, now)) {
		flow_close(t, f, FLOW_END_IDLE);
		f = NULL;
	}
	if (f) {
		if (f->lingering) {
			linger_arm(t, f, now);
		} else {
			LIST_UNLINK(t, f, lru_head, lru_tail, lru_prev, lru_next);
			LIST_APPEND(t, f, lru_head, lru_tail, lru_prev, lru_next);
		}
		f->last_ts = now;
		f->last_pkt = pkt;
		*dir = flow_dir(f, src_side);
		f->pkts[*dir]++;
		*out = f;
		return 0;
	}
	/* at the limit, a lingering flow goes first (its connection is over
	 * and reported: only late segments lose it), else the LRU one */
	if (t->cfg.max_flows && t->st.live >= t->cfg.max_flows) {
		if (t->linger_head)
			flow_close(t, t->linger_head,
				   (enum flow_end_reason)t->linger_head->linger_why);
		else
			flow_close(t, t->lru_head, FLOW_END_EVICTED);
	}
	/* A SYN-ACK first means its SYN was missed: the receiver initiated. */
	side = (tcp_flags & (WIRE_TH_SYN | WIRE_TH_ACK)) == (WIRE_TH_SYN | WIRE_TH_ACK) ?
		!src_side : src_side;
	rc = flow_create(t, k, h, side, now, pkt, &f);
	if (rc < 0)
		return rc;
	*dir = flow_dir(f, src_side);
	if (*dir) {
		f->pkts[0] = 0;
		f->pkts[1] = 1;
	}
	*out = f;
	return 1;
}

struct flow *flow_find(const struct flow_table *t, const struct flow_key *k)
{
	uint32_t h = key_hash(k);

	return t->slots[slot_of_key(t, k, h)].f;
}

void flow_restart(struct flow_table *t, struct flow *f, int sender_dir,
		  tstamp now, uint64_t pkt)
{
	if (t->cfg.end)
		t->cfg.end(t->cfg.ctx, f, FLOW_END_REUSED);
	t->st.reused++;
	if (f->lingering) {
		/* live again: back on the LRU list, as the most recent */
		LIST_UNLINK(t, f, linger_head, linger_tail, lru_prev, lru_next);
		f->lingering = false;
		t->st.lingering--;
	} else {
		LIST_UNLINK(t, f, lru_head, lru_tail, lru_prev, lru_next);
	}
	LIST_APPEND(t, f, lru_head, lru_tail, lru_prev, lru_next);
	if (sender_dir)
		f->init_side = !f->init_side;
	/* a new connection: last in first-seen order */
	LIST_UNLINK(t, f, seen_head, seen_tail, seen_prev, seen_next);
	LIST_APPEND(t, f, seen_head, seen_tail, seen_prev, seen_next);
	conn_start(t, f, now, pkt);
}

void flow_linger(struct flow_table *t, struct flow *f, tstamp now, enum flow_end_reason why)
{
	if (!t || !f)
		return;
	if (f->lingering) {
		LIST_UNLINK(t, f, linger_head, linger_tail, lru_prev, lru_next);
	} else {
		LIST_UNLINK(t, f, lru_head, lru_tail, lru_prev, lru_next);
		f->lingering = true;
		if (++t->st.lingering > t->st.linger_peak)
			t->st.linger_peak = t->st.lingering;
	}
	f->linger_why = (uint8_t)why;
	f->linger_ts = now;
	LIST_APPEND(t, f, linger_head, linger_tail, lru_prev, lru_next);
}

void flow_remove(struct flow_table *t, struct flow *f)
{
	flow_close(t, f, FLOW_END_REMOVED);
}

void flow_flush(struct flow_table *t)
{
	struct flow *f;

	while ((f = t->seen_head))
		flow_close(t, f, f->lingering ? (enum flow_end_reason)f->linger_why :
			   FLOW_END_FLUSH);
}

void flow_table_del(struct flow_table *t)
{
	if (!t)
		return;
	flow_flush(t);
	while (t->cache) {
		struct flow *f = t->cache;

		t->cache = f->lru_next;
		mem_release(t, f);
	}
	mem_release(t, t->slots);
	mem_release(t, t);
}

void flow_evicted_finding(const struct flow_table *t, const struct flow *f,
			  struct finding *out)
{
	memset(out, 0, sizeof(*out));
	out->id = FND_FLOW_EVICTED;
	out->v[0] = f->conn_id;
	out->v[1] = f->last_pkt;
	out->v[2] = t->cfg.max_flows;
}
