#include "relseq.h"

#include <stdlib.h>
#include <string.h>

struct relseq_key {
	uint8_t version;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

struct relseq_dir {
	bool used;
	struct relseq_key key;
	uint32_t base;
};

int relseq_init(struct relseq *r)
{
	r->cap = 1024;
	r->used = 0;
	r->slots = calloc(r->cap, sizeof(*r->slots));
	return r->slots ? 0 : -1;
}

void relseq_free(struct relseq *r)
{
	free(r->slots);
	r->slots = NULL;
	r->cap = r->used = 0;
}

static void key_of(const struct wire_pkt *p, bool reverse, struct relseq_key *k)
{
	memset(k, 0, sizeof(*k));
	k->version = p->ip.version;
	memcpy(k->src, reverse ? p->ip.dst : p->ip.src, 16);
	memcpy(k->dst, reverse ? p->ip.src : p->ip.dst, 16);
	k->sport = reverse ? p->tcp.dport : p->tcp.sport;
	k->dport = reverse ? p->tcp.sport : p->tcp.dport;
}

/* FNV-1a over the key's bytes; keys are zero-filled so padding is stable. */
static size_t hash_key(const struct relseq_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return (size_t)h;
}

static struct relseq_dir *find(struct relseq_dir *slots, size_t cap,
			       const struct relseq_key *k)
{
	size_t i = hash_key(k) & (cap - 1);

	while (slots[i].used && memcmp(&slots[i].key, k, sizeof(*k)) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct relseq *r)
{
	size_t ncap = r->cap * 2;
	struct relseq_dir *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (size_t i = 0; i < r->cap; i++)
		if (r->slots[i].used)
			*find(n, ncap, &r->slots[i].key) = r->slots[i];
	free(r->slots);
	r->slots = n;
	r->cap = ncap;
	return 0;
}

int relseq_apply(struct relseq *r, const struct wire_pkt *p, struct relseq_view *v)
{
	const struct wire_tcp *t = &p->tcp;
	struct relseq_key k, rk;
	struct relseq_dir *d, *peer;

	if ((r->used + 1) * 10 > r->cap * 7 && grow(r) < 0)
		return -1;
	key_of(p, false, &k);
	key_of(p, true, &rk);
	d = find(r->slots, r->cap, &k);
	if (!d->used) {
		d->used = true;
		d->key = k;
		d->base = t->seq;
		r->used++;
	} else if ((t->flags & WIRE_TH_SYN) && t->seq != d->base) {
		d->base = t->seq; /* a new connection on a reused tuple */
	}
	peer = find(r->slots, r->cap, &rk);

	memset(v, 0, sizeof(*v));
	v->seq = t->seq - d->base;
	v->seq_rel = true;
	if (peer->used && (t->flags & WIRE_TH_ACK)) {
		v->ack = t->ack - peer->base;
		v->ack_rel = true;
	} else {
		v->ack = t->ack;
	}
	for (unsigned i = 0; i < t->n_sack && i < WIRE_MAX_SACK; i++) {
		uint32_t base = v->ack_rel ? peer->base : 0;

		v->sack[i][0] = t->sack[i].left - base;
		v->sack[i][1] = t->sack[i].right - base;
	}
	return 0;
}
