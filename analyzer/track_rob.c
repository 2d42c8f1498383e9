/* track_rob: each direction's stream through core/rob, for the tracker.
 *
 * A direction's struct rob is made when its first payload comes (from a
 * pool of ended connections' buffers when there is one), started at ISN + 1
 * when the SYN was seen, else at the first sequence number added. Payload
 * goes in only when its checksum verifies (the receiver drops it
 * otherwise), never from an RST. A payload cut by the snaplen goes in as
 * far as it was captured, the rest as a gap, when it is next in order.
 * When the peer ACKs past what the stream has (a hole the capture never
 * saw), the hole is skipped as a gap once the stream goes on past it, or
 * at the end: an ACK captured just before the data it acknowledges
 * (reordering at the capture point) leaves no false gap. Events: DATA and
 * GAP to on_data (seq relative), OVERLAP and LIMIT as findings (rob's
 * rows); a GAP or LIMIT marks the direction lossy for the expectations. */
#include <string.h>

#include "seq.h"
#include "track_priv.h"

static bool has(const struct seg *s, uint8_t f)
{
	return (s->flags & f) != 0;
}

/* --- reassembly ---------------------------------------------------------- */

static void rob_sink_cb(void *ctx, const struct rob_event *ev)
{
	struct track_rob_ctx *rc = ctx;
	struct tracker *t = rc->t;
	struct track_conn *c = rc->c;
	int dir = rc->dir;
	struct track_endpoints ep;
	struct finding f;

	switch (ev->type) {
	case ROB_EV_DATA:
	case ROB_EV_GAP:
		if (ev->type == ROB_EV_GAP)
			c->side[dir].lossy = true;
		if (t->cfg.on_data) {
			track_ep_of_dir(c, dir, &ep);
			t->cfg.on_data(t->cfg.ctx, c->conn_id, dir, &ep, track_rel(c, dir, ev->seq),
				       ev->type == ROB_EV_DATA ? ev->data : NULL, ev->len);
		}
		return;
	case ROB_EV_OVERLAP:
	case ROB_EV_LIMIT:
		if (ev->type == ROB_EV_LIMIT)
			c->side[dir].lossy = true;
		if (rob_event_finding(&c->rob[dir], ev, c->side[dir].base_known ? c->side[dir].base : 0,
				      &f))
			track_emit(t, c, dir, &f, ev->pkt ? ev->pkt : t->cur_pkt, 0, t->cur_ts);
		return;
	}
}

static int rob_ready(struct tracker *t, struct track_conn *c, int dir)
{
	struct track_side *sd = &c->side[dir];
	int rc;

	if (sd->rob_ready)
		return 0;
	c->robctx[dir].t = t;
	c->robctx[dir].c = c;
	c->robctx[dir].dir = (uint8_t)dir;
	if (t->n_rob_pool) {
		/* reset when pooled; the configuration is the same for all */
		c->rob[dir] = t->rob_pool[--t->n_rob_pool];
		rob_reset(&c->rob[dir], rob_sink_cb, &c->robctx[dir]);
	} else {
		rc = rob_init(&c->rob[dir], t->cfg.policy, t->cfg.ooo_limit, t->cfg.hist_cap,
			      rob_sink_cb, &c->robctx[dir]);
		if (rc < 0)
			return rc == ROB_ERR_NOMEM ? TRACK_ERR_NOMEM : TRACK_ERR_INVAL;
	}
	sd->rob_ready = true;
	if (sd->isn_known)
		rob_start(&c->rob[dir], sd->base + 1);
	return 0;
}

static void rob_apply_skip(struct track_conn *c, int dir, uint32_t upto, uint64_t pkt)
{
	struct track_side *sd = &c->side[dir];

	if (!sd->skip_pending)
		return;
	if (seq_gt(upto, c->rob[dir].next))
		(void)rob_skip_to(&c->rob[dir], upto, pkt);
	if (!seq_gt(sd->skip_to, c->rob[dir].next))
		sd->skip_pending = false;
}

/* The payload of s (from dir) into dir's stream. */
int track_rob_feed(struct tracker *t, struct track_conn *c, int dir, const struct seg *s)
{
	struct track_side *sd = &c->side[dir];
	struct rob *r;
	uint32_t seq = s->seq + (has(s, WIRE_TH_SYN) ? 1 : 0);
	uint32_t cap = s->caplen < s->len ? s->caplen : s->len;
	int rc;

	if (!s->len || has(s, WIRE_TH_RST) || !s->csum_ok)
		return 0;
	rc = rob_ready(t, c, dir);
	if (rc < 0)
		return rc;
	r = &c->rob[dir];
	/* The peer ACKed past a hole: once this direction goes on past the
	 * hole's start, the hole was not merely reordered at the capture. */
	if (sd->skip_pending && r->started && seq_gt(seq, r->next))
		rob_apply_skip(c, dir, seq_lt(sd->skip_to, seq) ? sd->skip_to : seq, s->pkt);
	if (cap < s->len) {
		/* cut by the snaplen: what is missing is a gap, but only
		 * where the segment is next in order */
		if (r->started && seq_gt(seq, r->next))
			return 0;
		if (cap)
			rc = rob_add(r, seq, s->data, cap, s->pkt);
		if (rc == 0)
			rc = rob_skip_to(r, seq + s->len, s->pkt);
	} else {
		rc = rob_add(r, seq, s->data, cap, s->pkt);
	}
	if (rc == ROB_ERR_NOMEM)
		return TRACK_ERR_NOMEM;
	return 0;
}

/* An ACK from dir for its peer's stream. */
void track_rob_note_ack(struct track_conn *c, int dir, const struct seg *s)
{
	int peer = !dir;
	struct track_side *sp = &c->side[peer];
	uint32_t upto = s->ack;

	if (!has(s, WIRE_TH_ACK) || has(s, WIRE_TH_RST) || !sp->rob_ready || !c->rob[peer].started)
		return;
	/* the FIN takes one sequence number, but no byte */
	if (sp->fin_seen && seq_gt(upto, sp->fin_seq))
		upto = sp->fin_seq;
	if (!seq_gt(upto, c->rob[peer].next))
		return;
	if (!sp->skip_pending || seq_gt(upto, sp->skip_to))
		sp->skip_to = upto;
	sp->skip_pending = true;
}

void track_rob_end(struct tracker *t, struct track_conn *c, int dir)
{
	struct track_side *sd = &c->side[dir];
	struct rob *r = &c->rob[dir];

	if (!sd->rob_ready)
		return;
	if (sd->skip_pending)
		rob_apply_skip(c, dir, sd->skip_to, c->last_pkt);
	(void)rob_flush(r, c->last_pkt);
	sd->rob_ready = false;
	if (t->n_rob_pool < TRACK_ROB_POOL) {
		rob_reset(r, NULL, NULL);
		t->rob_pool[t->n_rob_pool++] = *r;
		memset(r, 0, sizeof(*r));
		return;
	}
	rob_free(r);
}
