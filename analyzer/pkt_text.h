/* pkt_text: one line per TCP packet, tcpdump-like, with relative
 * sequence numbers and the checksum verdict. */
#ifndef TCPSPEC_PKT_TEXT_H
#define TCPSPEC_PKT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "relseq.h"
#include "wire.h"

/* "<mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>" ("" without options). */
void pkt_text_options(const struct wire_tcp *t, const struct relseq_view *v,
		      char *buf, size_t cap);
/* "csum ok" / "csum BAD 0x1234 (expected ...)" words for a verdict. */
const char *pkt_text_csum(enum wire_csum_verdict c);
/* The whole line (no newline). rel_ts_ns is the time since the first packet. */
void pkt_text_line(uint64_t num, int64_t rel_ts_ns, const struct wire_pkt *p,
		   const struct relseq_view *v, char *buf, size_t cap);

#endif
