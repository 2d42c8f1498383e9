/* track: the passive driver. For every TCP packet of a capture it finds
 * the connection (flow table), checks the segment against its sender's
 * TCB with fsm_tx and feeds it to the receiver's TCB with fsm_rx; what the
 * receiver is predicted to owe (an ACK, a challenge ACK, an RST) becomes an
 * expectation checked against the receiver's later segments. It also runs
 * the Wireshark-style analysis, reassembles both streams and keeps the
 * per-connection statistics.
 *
 * A capture may start mid-connection, miss segments or reorder them: what
 * cannot be known makes the dependent checks unknown, never a finding.
 * The tracker's own checks (their rules: track_expect.c, track_ts.c):
 * replies and resets an endpoint owed (RFC 5961, RFC 9293 3.10.7.4), data
 * it must not take (PAWS, RFC 7323 5.3; beyond its window, 3.10.7.4),
 * TIME-WAIT kept for 2 MSL (3.6.1), TSecr echoing a TSval the peer sent
 * (RFC 7323 3.2). Simultaneous open and close (3.5 figure 8, 3.6 figure
 * 13) are one connection with both endpoints' states as the RFC shows.
 *
 * Output goes through callbacks: findings as they are found, stream data
 * (for --follow / --extract), and a summary for every connection when it
 * ends: closed (at the packet that closed it, see below), idle timeout,
 * eviction, port reuse, end of capture.
 *
 * Closed: once both endpoints' models are CLOSED or in TIME-WAIT (the FIN
 * exchange with its last ACK, or an RST that closed it), or an endpoint's
 * model took an RST, the connection is summarised at once (end
 * FLOW_END_CLOSED), its reassembly buffers go back to a bounded pool, and
 * its statistics and streams are final. Its tuple lingers for
 * track_config.linger of capture time (restarted by each late segment),
 * so that a late segment (a retransmitted FIN or ACK, data that crossed an
 * RST) is still attributed to it rather than opening a bogus
 * mid-connection one. A late segment is counted (track_late_segments,
 * track_pkt_info.late), and goes through the connection's model as
 * before, so what it shows is reported with the connection's conn_id
 * after its summary and before on_conn_gone (an expectation still owed, a
 * conformance finding, the analysis labels); it no longer changes the
 * summary's statistics or the streams. A SYN during the linger opens a new connection (port reuse, as
 * for any ended connection); after the linger, a late segment starts a
 * new connection seen mid-stream. Memory is O(live + lingering
 * connections + out-of-order bytes). */
#ifndef TCPSPEC_TRACK_H
#define TCPSPEC_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "finding.h"
#include "flow.h"
#include "rob.h"
#include "stats.h"
#include "tcb.h"
#include "wire.h"

#define TRACK_ERR_NOMEM -1
#define TRACK_ERR_INVAL -2

/* Analysis labels of one packet (bits), Wireshark's tcp.analysis.* */
#define TRACK_L_RETRANS         0x00001
#define TRACK_L_FAST_RETRANS    0x00002
#define TRACK_L_SPURIOUS        0x00004
#define TRACK_L_OUT_OF_ORDER    0x00008
#define TRACK_L_LOST_SEGMENT    0x00010  /* previous segment not captured */
#define TRACK_L_ACK_LOST        0x00020  /* ACKed unseen segment */
#define TRACK_L_DUP_ACK         0x00040
#define TRACK_L_ZERO_WIN        0x00080
#define TRACK_L_ZERO_WIN_PROBE  0x00100
#define TRACK_L_ZERO_WIN_PROBE_ACK 0x00200
#define TRACK_L_WIN_FULL        0x00400
#define TRACK_L_WIN_UPDATE      0x00800
#define TRACK_L_KEEP_ALIVE      0x01000
#define TRACK_L_KEEP_ALIVE_ACK  0x02000
#define TRACK_L_PORTS_REUSED    0x04000

/* Endpoints of one direction, for printing. */
struct track_endpoints {
	uint8_t version;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

struct track_finding {
	struct finding f;
	uint64_t conn_id;           /* 0: not tied to a connection (decode problem) */
	uint8_t dir;                /* direction of the offending packet's sender */
	uint64_t pkt;               /* the packet the finding is about */
	uint64_t ref_pkt;           /* a related packet (e.g. the RST left unchallenged), 0 if none */
	tstamp ts;
	struct track_endpoints ep;  /* of the offending packet */
};

/* Per-packet result, for packet listings. */
struct track_pkt_info {
	bool tracked;               /* a TCP packet that reached a connection */
	uint64_t conn_id;
	uint8_t dir;
	uint32_t rel_seq, rel_ack;  /* relative to each direction's ISN (or first seen) */
	bool rel_ack_valid;
	uint32_t labels;            /* TRACK_L_* */
	uint32_t dup_ack_num;       /* with TRACK_L_DUP_ACK: #N */
	uint64_t dup_ack_of;        /* ...of packet M */
	enum tcp_state state[2];    /* both endpoints' states after the packet */
	bool late;                  /* of a connection already closed and reported */
};

struct track_conn_summary {
	uint64_t conn_id;
	struct track_endpoints ep;  /* direction 0: originator -> responder */
	tstamp first_ts, last_ts;
	uint64_t first_pkt, last_pkt;
	enum flow_end_reason end;
	enum tcp_state state[2];    /* final states of originator and responder */
	bool handshake_seen;        /* the SYN was captured */
	const struct stats_conn *stats;  /* valid during the callback only */
	uint64_t findings[FINDING_ANALYSIS + 1]; /* findings per level on this connection */
};

struct track_config {
	struct fsm_profile profile;
	enum rob_policy policy;
	bool reassemble;            /* run reassembly (needed for overlap checks and --follow) */
	size_t ooo_limit;           /* out-of-order bytes per direction */
	uint32_t hist_cap;          /* delivered bytes kept per direction to compare
				       retransmissions with (ROB_MAX_HIST at most) */
	size_t max_flows;           /* 0: no limit (lingering connections count) */
	tstamp idle_timeout;        /* 0: never */
	tstamp linger;              /* capture time a closed connection's tuple is
				       kept for its late segments (0: none) */

	void (*on_finding)(void *ctx, const struct track_finding *f);
	/* In-order stream data of direction dir (with gaps reported as
	 * data == NULL, len = gap size); only when reassemble is on. seq is
	 * relative, as in track_pkt_info (ISN + 1 is 1, else the first
	 * sequence number seen is 0). */
	void (*on_data)(void *ctx, uint64_t conn_id, int dir, const struct track_endpoints *ep,
			uint32_t seq, const uint8_t *data, uint32_t len);
	void (*on_conn_end)(void *ctx, const struct track_conn_summary *s);
	/* A connection summarised as closed (FLOW_END_CLOSED) is let go: its
	 * linger is over, its tuple reused, or the capture ended. No finding
	 * names conn_id after this (findings of its late segments came
	 * between on_conn_end and this). May be NULL. */
	void (*on_conn_gone)(void *ctx, uint64_t conn_id);
	void *ctx;
};

struct tracker;

void track_config_default(struct track_config *cfg);
int track_new(struct tracker **out, const struct track_config *cfg);
/* One captured packet (decoded; not necessarily TCP). Decoder problems are
 * reported as findings too. info may be NULL. */
int track_packet(struct tracker *t, const struct wire_pkt *p, uint64_t pkt, tstamp ts,
		 struct track_pkt_info *info);
/* End of input: every live connection is summarised (FLOW_END_FLUSH). */
void track_finish(struct tracker *t);
void track_del(struct tracker *t);
const struct flow_stats *track_flow_stats(const struct tracker *t);
/* Segments that came while their connection lingered (see the top). */
uint64_t track_late_segments(const struct tracker *t);

/* What became of the expectations (replies an endpoint owed, see
 * analyzer/track_expect.c): made; settled by the reply; unknown (the
 * capture could not tell: loss, reordering, a throttled or folded reply,
 * an abort); reported; still pending when their connection ended. */
struct track_expect_stats {
	uint64_t created, satisfied, unknown, violated, ended;
};
const struct track_expect_stats *track_expect_stats(const struct tracker *t);

#endif
