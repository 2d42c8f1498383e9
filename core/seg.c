#include "seg.h"

#include <string.h>

void seg_from_wire(struct seg *s, const struct wire_pkt *p, uint64_t pkt)
{
	const struct wire_tcp *t = &p->tcp;

	memset(s, 0, sizeof(*s));
	s->seq = t->seq;
	s->ack = t->ack;
	s->flags = t->flags;
	s->wnd = t->win;
	s->up = t->urp;
	s->len = t->payload_len;
	s->data = t->payload;
	s->caplen = t->payload_caplen;
	s->has_mss = t->has_mss;
	s->mss = t->mss;
	s->has_ws = t->has_ws;
	s->ws = t->ws;
	s->sack_ok = t->sack_ok;
	s->has_ts = t->has_ts;
	s->tsval = t->tsval;
	s->tsecr = t->tsecr;
	s->n_sack = t->n_sack;
	for (unsigned i = 0; i < t->n_sack && i < WIRE_MAX_SACK; i++) {
		s->sack[i].left = t->sack[i].left;
		s->sack[i].right = t->sack[i].right;
	}
	for (unsigned i = 0; i < p->n_problems; i++)
		if (p->problems[i].id == FND_TCP_OPT_BAD_LENGTH ||
		    p->problems[i].id == FND_TCP_OPT_PAST_HEADER ||
		    p->problems[i].id == FND_TCP_OPT_WRONG_LENGTH)
			s->opt_malformed = true;
	/* An offloaded (partial) checksum was valid on the wire; an unverified
	 * one is given the benefit of the doubt. Only a proven-bad one is
	 * a segment the receiver must drop (RFC 9293 3.10.7.4, MUST-2/3). */
	s->csum_ok = p->tcp_csum != WIRE_CSUM_BAD;
	s->pkt = pkt;
}
