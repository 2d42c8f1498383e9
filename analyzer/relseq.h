/* relseq: relative sequence numbers for display, as tcpdump and
 * Wireshark print them. Each direction of a 4-tuple gets a base: its ISN
 * when its SYN is seen, else the first sequence number seen. A SYN with a
 * new ISN on a known tuple (port reuse) starts over. The flow table of the
 * analyzer will own this once it lands; this table only numbers. */
#ifndef TCPSPEC_RELSEQ_H
#define TCPSPEC_RELSEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct relseq_dir;

struct relseq {
	struct relseq_dir *slots;
	size_t cap, used;         /* cap is a power of two */
};

struct relseq_view {
	uint32_t seq, ack;        /* relative when *_rel, else absolute */
	bool seq_rel, ack_rel;
	uint32_t sack[WIRE_MAX_SACK][2]; /* relative to the peer's base when ack_rel */
};

int relseq_init(struct relseq *r);
void relseq_free(struct relseq *r);
/* Updates the bases with pkt (which must have has_tcp) and fills v. */
int relseq_apply(struct relseq *r, const struct wire_pkt *pkt, struct relseq_view *v);

#endif
