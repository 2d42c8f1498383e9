/* analysis: Wireshark's TCP sequence analysis flags (tcp.analysis.*),
 * computed per packet from the segment stream of one connection, with a
 * reason for each (core/finding rows FND_ANA_*).
 *
 * The rules, their order of precedence and their quirks are those of
 * Wireshark 4.0's epan/dissectors/packet-tcp.c (dissect_tcp() and
 * tcp_analyze_sequence_number()), so that a label here and in Wireshark
 * mean the same thing on the same packet; analysis.c cites the rule at
 * each step. Differences that remain are listed in
 * tests/differential/test_tshark.py, each with its unit test.
 *
 * No allocation, no I/O: struct analysis lives in the caller's flow. */
#ifndef TCPSPEC_ANALYSIS_H
#define TCPSPEC_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "finding.h"
#include "seg.h"

/* Labels, one bit each (Wireshark's TCP_A_* order). */
#define ANALYSIS_RETRANSMISSION          0x0001u
#define ANALYSIS_LOST_SEGMENT            0x0002u  /* previous segment not captured */
#define ANALYSIS_ACK_LOST_SEGMENT        0x0004u  /* ACKed unseen segment */
#define ANALYSIS_KEEP_ALIVE              0x0008u
#define ANALYSIS_DUP_ACK                 0x0010u
#define ANALYSIS_ZERO_WINDOW             0x0020u
#define ANALYSIS_ZERO_WINDOW_PROBE       0x0040u
#define ANALYSIS_ZERO_WINDOW_PROBE_ACK   0x0080u
#define ANALYSIS_KEEP_ALIVE_ACK          0x0100u
#define ANALYSIS_OUT_OF_ORDER            0x0200u
#define ANALYSIS_FAST_RETRANSMISSION     0x0400u
#define ANALYSIS_WINDOW_UPDATE           0x0800u
#define ANALYSIS_WINDOW_FULL             0x1000u
#define ANALYSIS_REUSED_PORTS            0x2000u
#define ANALYSIS_SPURIOUS_RETRANSMISSION 0x4000u
#define ANALYSIS_N_LABELS 15

/* Window scale of a direction (Wireshark's win_scale). */
#define ANALYSIS_WS_UNKNOWN -1  /* no SYN seen: the window cannot be scaled */
#define ANALYSIS_WS_NONE    -2  /* not negotiated: the window field is the window */

/* Original transmissions remembered per direction, to name the packet a
 * retransmission repeats. */
#define ANALYSIS_SENT_RING 16

struct analysis_sent {
	uint32_t seq, end;
	uint64_t pkt;
};

/* One direction: Wireshark's tcp_flow_t with its
 * tcp_analyze_seq_flow_info_t. A sequence value 0 means "none yet", as
 * in Wireshark (the rules depend on it). */
struct analysis_dir {
	bool base_set;
	uint32_t base_seq;        /* ISN, else first seq - 1, else peer's ack - 1 */
	uint32_t nextseq;         /* highest seq + len seen */
	uint64_t nextseq_pkt;
	tstamp nextseq_time;
	uint32_t maxseqtobeacked; /* end of the contiguous data seen */
	uint64_t maxseq_pkt;
	uint32_t lastack;         /* of this direction's last segment */
	tstamp lastack_time;
	uint64_t last_pkt;        /* this direction's last segment */
	uint64_t lastnondupack;   /* packet whose ACK the dup ACKs repeat */
	uint32_t dupacknum;       /* dup ACKs sent; UINT32_MAX ("-1") once the
				     peer's ACKed-unseen was reported: unsigned
				     as in Wireshark, so it counts as >= 2 */
	uint32_t window;          /* raw window field; UINT32_MAX before any */
	int8_t win_scale;         /* ANALYSIS_WS_* or 0..14 */
	bool ws_pinned;           /* set by the caller: options do not change it */
	bool is_first_ack;        /* no pure ACK since this side's SYN */
	uint32_t lastsegmentflags;
	struct analysis_sent sent[ANALYSIS_SENT_RING];
	uint8_t sent_next;
};

/* What a reused tuple's previous connection was, for the reason. */
struct analysis_reuse {
	uint32_t prev_isn;
	uint64_t prev_last_pkt;
};

/* One connection (Wireshark's struct tcp_analysis). */
struct analysis {
	struct analysis_dir dir[2];
	bool has_syn_time;
	tstamp syn_time;          /* most recent SYN (no ACK) */
	tstamp irtt;              /* SYN to first pure ACK; 0 = unknown */
	bool reused;              /* the next segment opens a reused tuple */
	struct analysis_reuse reuse;
};

#define ANALYSIS_MAX_FINDINGS ANALYSIS_N_LABELS

struct analysis_out {
	uint32_t flags;           /* ANALYSIS_* */
	uint32_t dupack_num;      /* with ANALYSIS_DUP_ACK: #n ... */
	uint64_t dupack_of;       /* ... of this packet */
	uint8_t n_findings;       /* one per label, in the order of the flags */
	struct finding findings[ANALYSIS_MAX_FINDINGS];
};

/* Fresh state for a new connection. reused (may be NULL): it opens on a
 * tuple whose previous connection the caller ended (flow_restart), so its
 * first segment is labelled ANALYSIS_REUSED_PORTS. */
void analysis_init(struct analysis *a, const struct analysis_reuse *reused);

/* Pins the window scale of direction dir (ANALYSIS_WS_* or 0..14), as
 * the caller learnt it from the handshake; otherwise it is learnt from
 * the SYNs' options the way Wireshark does. */
void analysis_set_wscale(struct analysis *a, int dir, int scale);

/* True when s (sent in direction dir) is a SYN that opens a new
 * connection on this tuple: its ISN differs from the one this direction
 * had (Wireshark starts a new conversation there). Fills *r (may be
 * NULL). The caller ends the flow's connection (flow_restart), calls
 * analysis_init(a, r) and then analysis_segment with the new direction.
 * analysis_segment restarts by itself when the caller does not. */
bool analysis_port_reused(const struct analysis *a, int dir, const struct seg *s,
			  struct analysis_reuse *r);

/* Analyses segment s sent in direction dir (0/1) at time now. s->pkt
 * numbers the packet in the findings. Fills out. */
void analysis_segment(struct analysis *a, int dir, const struct seg *s,
		      tstamp now, struct analysis_out *out);

/* Wireshark's field name for one label ("retransmission" for
 * tcp.analysis.retransmission, "lost_segment", ...); NULL if not one bit. */
const char *analysis_label_name(uint32_t flag);
enum finding_id analysis_label_finding(uint32_t flag);

#endif
