/* Per-connection records of `tcpspec analyze`: how often each finding id
 * occurred on a connection and, for the text output, the findings kept
 * to print under its block. A record exists only for a connection that
 * has findings and only until the connection is reported. */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

/* Connection ids are small increasing integers: a multiplicative hash
 * spreads them over a power-of-two table. */
static size_t slot(const struct cmap *m, uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (m->nb - 1);
}

void cmap_init(struct cmap *m)
{
	memset(m, 0, sizeof(*m));
}

struct cmap_node *cmap_find(const struct cmap *m, uint64_t id)
{
	struct cmap_node *n;

	if (!m->nb)
		return NULL;
	for (n = m->b[slot(m, id)]; n; n = n->next)
		if (n->id == id)
			return n;
	return NULL;
}

static int grow(struct cmap *m)
{
	size_t nb = m->nb ? m->nb * 2 : 64;
	struct cmap_node **b = calloc(nb, sizeof(*b));
	struct cmap old = *m;

	if (!b)
		return -1;
	m->b = b;
	m->nb = nb;
	for (size_t i = 0; i < old.nb; i++) {
		struct cmap_node *n = old.b[i], *next;

		for (; n; n = next) {
			size_t s = slot(m, n->id);

			next = n->next;
			n->next = b[s];
			b[s] = n;
		}
	}
	free(old.b);
	return 0;
}

int cmap_insert(struct cmap *m, struct cmap_node *n)
{
	size_t s;

	if (m->n >= m->nb && grow(m) < 0)
		return -1;
	s = slot(m, n->id);
	n->next = m->b[s];
	m->b[s] = n;
	m->n++;
	return 0;
}

struct cmap_node *cmap_remove(struct cmap *m, uint64_t id)
{
	struct cmap_node **pp, *n;

	if (!m->nb)
		return NULL;
	for (pp = &m->b[slot(m, id)]; (n = *pp); pp = &n->next)
		if (n->id == id) {
			*pp = n->next;
			m->n--;
			return n;
		}
	return NULL;
}

void cmap_drain(struct cmap *m, void (*fn)(void *ctx, struct cmap_node *n), void *ctx)
{
	for (size_t i = 0; i < m->nb; i++) {
		struct cmap_node *n = m->b[i], *next;

		m->b[i] = NULL;
		for (; n; n = next) {
			next = n->next;
			fn(ctx, n);
		}
	}
	m->n = 0;
}

void cmap_free(struct cmap *m)
{
	free(m->b);
	cmap_init(m);
}

struct conn_rec *conn_rec_new(uint64_t id)
{
	struct conn_rec *r = calloc(1, sizeof(*r));

	if (r)
		r->node.id = id;
	return r;
}

void conn_rec_clear(struct conn_rec *r)
{
	uint64_t id = r->node.id;

	free(r->ids);
	free(r->kept);
	memset(r, 0, sizeof(*r));
	r->node.id = id;
}

void conn_rec_del(struct conn_rec *r)
{
	if (!r)
		return;
	conn_rec_clear(r);
	free(r);
}

enum finding_level conn_finding_level(enum finding_id id)
{
	const struct finding_info *fi = finding_info(id);

	return fi ? fi->level : FINDING_ANALYSIS;
}

struct conn_idc *conn_rec_count(struct conn_rec *r, const struct track_finding *f)
{
	struct conn_idc *c = NULL;

	/* a connection has a handful of distinct ids: a linear scan */
	for (uint32_t i = 0; i < r->n_ids; i++)
		if (r->ids[i].id == f->f.id) {
			c = &r->ids[i];
			break;
		}
	if (!c) {
		if (r->n_ids == r->cap_ids) {
			uint32_t cap = r->cap_ids ? r->cap_ids * 2 : 4;
			struct conn_idc *ids = realloc(r->ids, cap * sizeof(*ids));

			if (!ids)
				return NULL;
			r->ids = ids;
			r->cap_ids = cap;
		}
		c = &r->ids[r->n_ids++];
		memset(c, 0, sizeof(*c));
		c->id = f->f.id;
		c->first_pkt = f->pkt;
	}
	c->n++;
	c->dir_n[f->dir & 1]++;
	return c;
}

int conn_rec_keep(struct conn_rec *r, const struct track_finding *f)
{
	if (r->n_kept == r->cap_kept) {
		size_t cap = r->cap_kept ? r->cap_kept * 2 : 8;
		struct track_finding *k = realloc(r->kept, cap * sizeof(*k));

		if (!k)
			return -1;
		r->kept = k;
		r->cap_kept = cap;
	}
	r->kept[r->n_kept++] = *f;
	return 0;
}
