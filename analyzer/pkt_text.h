/* pkt_text: one line per TCP packet, tcpdump-like, with sequence numbers
 * relative to each direction's ISN (from the tracker), the checksum
 * verdict and the tracker's analysis labels, as Wireshark shows them. */
#ifndef TCPSPEC_PKT_TEXT_H
#define TCPSPEC_PKT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "track.h"
#include "wire.h"

/* "<mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>" ("" without options).
 * SACK blocks are relative when info knows the peer's base. */
void pkt_text_options(const struct wire_tcp *t, const struct track_pkt_info *info,
		      char *buf, size_t cap);
/* Name of one TRACK_L_* label bit ("retransmission", "dup ack", ...). */
const char *pkt_text_label(uint32_t bit);
/* " [retransmission] [dup ack #2 of 15]" ("" without labels). */
void pkt_text_labels(const struct track_pkt_info *info, char *buf, size_t cap);
/* The whole line (no newline). rel_ts_ns is the time since the first
 * packet; info may be NULL or untracked (absolute numbers then). */
void pkt_text_line(uint64_t num, int64_t rel_ts_ns, const struct wire_pkt *p,
		   const struct track_pkt_info *info, char *buf, size_t cap);

#endif
