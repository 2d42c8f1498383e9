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
	/* receiver's obligations, checked by fsm_rx (core/fsm_rx.c) */
	/* expectations on an endpoint's later segments (analyzer/track.c) */
	/* reassembly (core/rob.c) */
	/* Wireshark-style analysis (analyzer/analysis.c) */
	/* flow table (analyzer/flow.c) */
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
