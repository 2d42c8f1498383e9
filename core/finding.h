/* finding: the one catalogue of everything tcpspec can report about a
 * packet or a connection. Each entry has a stable id, the RFC section it
 * rests on, a requirement level and a reason template whose %llu/%llx
 * conversions take the finding's values in order. */
#ifndef TCPSPEC_FINDING_H
#define TCPSPEC_FINDING_H

#include <stddef.h>
#include <stdint.h>

enum finding_level {
	FINDING_MUST,
	FINDING_SHOULD,
	FINDING_MAY,
	FINDING_ANALYSIS, /* an observation (Wireshark-style), not a rule */
};

/* Stable numbering is not promised; the string id is. */
enum finding_id {
	/* capture / link / IP layer */
	FND_PKT_TRUNCATED_LINK,      /* shorter than its link header */
	FND_PKT_TRUNCATED_IP,        /* IP header cut by snaplen or too short */
	FND_IP_BAD_VERSION,          /* version field differs from the link's */
	FND_IP_BAD_IHL,              /* IPv4 IHL < 5 or past the packet */
	FND_IP_BAD_TOTAL_LENGTH,     /* total/payload length < header or > frame */
	FND_IP_BAD_OPTION,           /* IPv4 option length 0/1 or past header */
	FND_IP_CHECKSUM_BAD,         /* IPv4 header checksum wrong */
	FND_IP_FRAGMENT,             /* fragment: recognised, not reassembled */
	FND_IP6_BAD_EXT_HEADER,      /* extension header runs past the packet */
	FND_IP6_TOO_MANY_EXT,        /* chain longer than we follow */
	/* TCP header */
	FND_TCP_TRUNCATED,           /* fewer than 20 bytes of TCP captured */
	FND_TCP_BAD_DATA_OFFSET,     /* data offset < 5 words */
	FND_TCP_DATA_OFFSET_PAST_END,/* data offset past the segment */
	FND_TCP_RESERVED_BITS,       /* reserved bits set */
	FND_TCP_OPT_BAD_LENGTH,      /* option length 0 or 1 */
	FND_TCP_OPT_PAST_HEADER,     /* option runs past the header */
	FND_TCP_OPT_WRONG_LENGTH,    /* known option with a length it cannot have */
	FND_TCP_CHECKSUM_BAD,        /* TCP checksum wrong */
	FND_TCP_CHECKSUM_PARTIAL,    /* checksum offloaded: holds only the pseudo-header sum */
	FND_TCP_CHECKSUM_UNVERIFIED, /* payload cut by snaplen: cannot verify */
	/* sender's obligations, checked by fsm_tx (core/fsm_tx.c) */
	FND_TX_SYN_WITH_FIN,         /* SYN and FIN together */
	FND_TX_SYN_WITH_RST,         /* SYN and RST together */
	FND_TX_ACK_FLAG_MISSING,     /* no ACK, SYN or RST */
	FND_TX_ACK_NUMBER_WITHOUT_ACK, /* ack field != 0, ACK bit clear */
	FND_TX_URGENT_POINTER_WITHOUT_URG, /* urgent pointer != 0, URG clear */
	FND_TX_MSS_NOT_SYN,          /* MSS option without SYN (MUST-65) */
	FND_TX_WSCALE_NOT_SYN,       /* Window Scale option without SYN */
	FND_TX_SACK_PERM_NOT_SYN,    /* SACK-permitted without SYN */
	FND_TX_WSCALE_OVER_14,       /* shift.cnt > 14 sent */
	FND_TX_WSCALE_NOT_OFFERED,   /* WS on our SYN,ACK, none on the peer's SYN */
	FND_TX_TS_NOT_OFFERED,       /* TSopt on our SYN,ACK, none on the peer's SYN */
	FND_TX_TS_MISSING,           /* no TSopt on a non-RST after negotiation */
	FND_TX_TSECR_WITHOUT_ACK,    /* TSecr != 0, ACK bit clear */
	FND_TX_TSVAL_BACKWARDS,      /* TSval below an earlier one */
	FND_TX_TSECR_BACKWARDS,      /* TSecr below an earlier one */
	FND_TX_SACK_NOT_PERMITTED,   /* SACK blocks, peer never sent SACK-permitted */
	FND_TX_SACK_BLOCK_EMPTY,     /* SACK block with right <= left */
	FND_TX_SACK_BLOCK_BELOW_ACK, /* non-first SACK block at or below the ACK */
	FND_TX_DATA_BEFORE_HANDSHAKE, /* data without SYN/ACK in SYN-SENT */
	FND_TX_DATA_AFTER_FIN,       /* data at or after our FIN */
	FND_TX_FIN_MOVED,            /* FIN at another seq than our first FIN */
	FND_TX_SEGMENT_AFTER_RST,    /* we sent on after our RST closed it */
	FND_TX_BEYOND_PEER_WINDOW,   /* new data past every edge the peer offered */
	FND_TX_WINDOW_SHRUNK,        /* our right window edge moved left (SHLD-14) */
	/* receiver's obligations, checked by fsm_rx (core/fsm_rx.c) */
	/* expectations on an endpoint's later segments (analyzer/track.c) */
	FND_TRK_RST_NOT_CHALLENGED,  /* in-window RST, seq != RCV.NXT: no challenge ACK */
	FND_TRK_SYN_NOT_CHALLENGED,  /* SYN in a synchronized state: no challenge ACK */
	FND_TRK_ACK_NOT_CHALLENGED,  /* ACK outside the RFC 5961 range: no ACK sent back */
	FND_TRK_UNACCEPTABLE_NOT_ACKED, /* not-acceptable segment: no ACK in reply */
	FND_TRK_RST_NOT_HONOURED,    /* RST at RCV.NXT, yet the connection went on */
	FND_TRK_RST_OOW_ACCEPTED,    /* RST outside the window, yet the connection was reset */
	FND_TRK_TSECR_NOT_ECHOED,    /* TSecr is no TSval the peer sent */
	FND_TRK_PAWS_NOT_ENFORCED,   /* data with SEG.TSval < TS.Recent acknowledged */
	FND_TRK_OOW_DATA_ACCEPTED,   /* data wholly beyond the advertised window acknowledged */
	FND_TRK_TIME_WAIT_NOT_KEPT,  /* FIN sent again into TIME-WAIT answered by a closed port's RST */
	/* reassembly (core/rob.c) */
	FND_ROB_OVERLAP_DIFFERENT_DATA, /* bytes sent again with other contents */
	FND_ROB_OOO_LIMIT,           /* out-of-order bound hit: a hole skipped */
	/* Wireshark-style analysis (analyzer/analysis.c) */
	FND_ANA_RETRANSMISSION,      /* seq below the next expected: sent again */
	FND_ANA_FAST_RETRANSMISSION, /* retransmission after >= 2 dup ACKs, < 20 ms */
	FND_ANA_SPURIOUS_RETRANSMISSION, /* data the peer had already ACKed */
	FND_ANA_OUT_OF_ORDER,        /* seq below the next expected, within iRTT */
	FND_ANA_PREVIOUS_SEGMENT_NOT_CAPTURED, /* seq beyond the next expected */
	FND_ANA_ACKED_UNSEEN_SEGMENT, /* ACK for data the capture never had */
	FND_ANA_DUP_ACK,             /* same ack/window/seq, no data */
	FND_ANA_ZERO_WINDOW,         /* window 0 advertised */
	FND_ANA_ZERO_WINDOW_PROBE,   /* 1 byte at the next seq into a zero window */
	FND_ANA_ZERO_WINDOW_PROBE_ACK, /* repeats ACK and window 0 after a probe */
	FND_ANA_WINDOW_FULL,         /* data up to the edge of the peer's window */
	FND_ANA_WINDOW_UPDATE,       /* only the window changed */
	FND_ANA_KEEP_ALIVE,          /* 0/1 byte at next seq - 1 */
	FND_ANA_KEEP_ALIVE_ACK,      /* repeats the ACK after a keep-alive */
	FND_ANA_PORTS_REUSED,        /* new SYN on a tuple with another ISN */
	/* flow table (analyzer/flow.c) */
	FND_FLOW_EVICTED,            /* table full: connection state dropped */
	FND__COUNT
};

struct finding_info {
	enum finding_id id;
	const char *name;    /* stable string id, e.g. "TCP-CHECKSUM-BAD" */
	const char *rfc;     /* "RFC9293" */
	const char *section; /* "3.1" */
	enum finding_level level;
	const char *title;   /* one line: what the rule is */
	const char *reason;  /* printf template over the values (unsigned long long) */
};

#define FINDING_MAX_VALUES 3

/* One occurrence. Formatting is deferred: the hot path stores numbers. */
struct finding {
	enum finding_id id;
	unsigned long long v[FINDING_MAX_VALUES];
};

const struct finding_info *finding_info(enum finding_id id);
const char *finding_level_name(enum finding_level level);
/* Writes the reason for f into buf (always NUL-terminated). */
void finding_reason(const struct finding *f, char *buf, size_t cap);

#endif
