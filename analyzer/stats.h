/* stats: per-connection summary, as Zeek's conn.log and tcptrace -l give
 * it: the conn_state and history string, and per-direction statistics
 * (packets, unique and retransmitted bytes, RTT samples, handshake RTT,
 * throughput, window, zero windows, MSS, duration, idle time).
 *
 * Direction 0 is the connection's originator (the SYN sender, else the
 * endpoint seen first); direction 1 the responder. Memory per connection
 * is fixed: RTT samples come from a bounded ring of timed segments.
 *
 * The per-direction numbers follow tcptrace's definitions (stats.c says
 * where they differ); conn_state, history and the Zeek byte counts come
 * from an emulation of Zeek's TCP analyzer (connstate.c), whose originator
 * is direction 0 unless Zeek would have flipped the roles (see
 * stats_zeek_orig). */
#ifndef TCPSPEC_STATS_H
#define TCPSPEC_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "seg.h"

#define STATS_RTT_RING 32   /* outstanding timed segments per direction */

/* What the analysis layer said of a segment, as stats need it. */
#define STATS_F_RETRANS    0x01  /* retransmission (any kind) */
#define STATS_F_ZERO_WIN   0x02  /* advertised a zero window (stats read seg.wnd itself) */
#define STATS_F_GAP        0x04  /* previous segment not captured / content gap */
#define STATS_F_DUP_ACK    0x08
#define STATS_F_OUT_OF_ORDER 0x10

struct stats_rtt {
	uint64_t n;
	tstamp min, max;
	double sum, sumsq;      /* ns, ns^2: for avg and stdev */
};

struct stats_dir {
	uint64_t pkts, data_pkts, pure_acks;
	uint64_t bytes;            /* payload bytes, retransmissions included */
	uint64_t unique_bytes;     /* payload bytes sent for the first time */
	uint64_t retrans_pkts, retrans_bytes;
	uint64_t out_of_order_pkts, dup_acks, zero_win_adv;
	uint64_t syns, fins, rsts;
	uint16_t mss;              /* MSS option it sent, 0 if none */
	uint32_t max_seg;          /* largest payload it sent */
	uint64_t win_min, win_max; /* scaled window advertised (when scale known) */
	double win_sum;
	uint64_t win_n;
	struct stats_rtt rtt;      /* RTT measured from this direction's data to the peer's ACK */
	tstamp first_ts, last_ts, first_data_ts, last_data_ts;
	tstamp max_idle;           /* longest silence between two of its packets */

	/* RTT ring: segments sent and not yet acknowledged (Karn: retransmitted
	 * segments are never timed) */
	struct { uint32_t end; tstamp ts; bool valid; } ring[STATS_RTT_RING];
	uint8_t ring_head, ring_n;
	uint32_t high_seq;         /* highest sequence end sent */
	bool high_known;

	/* additions (stats.c) */
	uint64_t ack_pkts;         /* segments with ACK set, RST included (tcptrace) */
	uint64_t zwnd_probe_pkts, zwnd_probe_bytes; /* sent into a zero window */
	uint64_t bad_csum_pkts;    /* counted in pkts and times only */
	uint32_t min_seg;          /* smallest non-empty payload, 0 if none */
	uint64_t rtt_ambiguous;    /* ACKs of timed data left unsampled (Karn) */
	uint64_t rtt_dropped;      /* timed segments pushed out of a full ring */
	uint64_t missed_bytes;     /* content gaps in its stream (stats_gap) */
	bool last_win_zero;        /* its last ACK/SYN advertised window 0 */
};

/* Zeek's connection states (conn.log conn_state). */
enum stats_conn_state {
	CONN_S0, CONN_S1, CONN_SF, CONN_REJ, CONN_S2, CONN_S3, CONN_RSTO,
	CONN_RSTR, CONN_RSTOS0, CONN_RSTRH, CONN_SH, CONN_SHR, CONN_OTH,
};

/* Zeek's endpoint states (TCP_Endpoint.h EndpointState). */
enum stats_zeek_state {
	STATS_ZEEK_INACTIVE, STATS_ZEEK_SYN_SENT, STATS_ZEEK_SYN_ACK_SENT,
	STATS_ZEEK_PARTIAL, STATS_ZEEK_ESTABLISHED, STATS_ZEEK_CLOSED,
	STATS_ZEEK_RESET,
};

/* One endpoint as Zeek's TCP analyzer sees it (TCP_Endpoint), indexed by
 * our direction, not by Zeek's role. */
struct stats_zeek_ep {
	uint8_t state, prev_state;         /* enum stats_zeek_state */
	bool did_close;
	int64_t start_seq;
	uint32_t last_seq, ack_seq;        /* ack_seq: highest ACK the peer sent for our data */
	uint32_t seq_wraps, ack_wraps;
	uint64_t hist_last_syn, hist_last_fin, hist_last_rst;
	uint32_t fin_cnt;
};

#define STATS_HISTORY_MAX 48

struct stats_conn {
	struct stats_dir dir[2];
	tstamp syn_ts, synack_ts, ack_ts;  /* handshake times (0 = not seen) */
	bool saw_syn, saw_synack, saw_ack_of_synack;
	/* per direction: what the endpoint did, for conn_state */
	bool syn[2], synack[2], fin[2], rst[2], data[2];
	bool first_rst_dir_known;
	uint8_t first_rst_dir;
	/* Zeek history: letters in order, each logged once per direction
	 * (c, g, t, w repeat at 1, 10, 100, ... occurrences) */
	char history[STATS_HISTORY_MAX + 1];
	uint8_t history_len;
	uint32_t hist_seen[2];             /* letters already logged, per Zeek role (0 orig) */
	uint64_t hist_count[2][4];         /* c, g, t, w occurrence counters, per direction */

	/* additions */
	bool started;
	bool history_truncated;            /* a letter did not fit */
	tstamp first_ts, last_ts;          /* first and latest packet of the connection */
	uint8_t syn_dir;                   /* who sent the first SYN (handshake RTT) */
	uint32_t syn_isn, synack_isn;
	bool syn_ambiguous, synack_ambiguous; /* retransmitted before answered (Karn) */
	uint8_t zeek_orig;                 /* our direction Zeek calls the originator */
	bool zeek_started;
	tstamp zeek_last_ts;               /* Zeek's last_time (for its duration) */
	struct stats_zeek_ep zeek[2];
};

void stats_conn_init(struct stats_conn *c);
/* One segment of direction dir (0 originator) at time ts. flags are
 * STATS_F_* from the analysis layer; wnd_scaled is the advertised window
 * in bytes, or -1 when the scale is unknown. */
void stats_segment(struct stats_conn *c, int dir, const struct seg *s, tstamp ts,
		   unsigned flags, int64_t wnd_scaled, bool bad_csum);
enum stats_conn_state stats_conn_state(const struct stats_conn *c);
const char *stats_conn_state_name(enum stats_conn_state s);
/* Handshake RTT: SYN to the ACK of the SYN-ACK (Zeek/tcptrace); -1 if not seen. */
tstamp stats_handshake_rtt(const struct stats_conn *c);
/* Average throughput of direction dir in bytes per second (unique bytes
 * over the connection's duration), 0 when undefined. */
double stats_throughput(const struct stats_conn *c, int dir);
double stats_rtt_avg_ns(const struct stats_rtt *r);
double stats_rtt_stdev_ns(const struct stats_rtt *r);

/* --- additions --- */

/* SYN to SYN-ACK (the SYN sender's RTT, tcptrace's "RTT from 3WHS" of
 * that side) and SYN-ACK to the ACK completing the handshake (the other
 * side's); -1 when a part is missing or was retransmitted (Karn). */
tstamp stats_syn_rtt(const struct stats_conn *c);
tstamp stats_synack_rtt(const struct stats_conn *c);
/* Last packet minus first packet of the connection (tcptrace's elapsed
 * time, the denominator of stats_throughput); 0 before two packets. */
tstamp stats_duration(const struct stats_conn *c);
/* Mean scaled window advertised by d over the segments counted, 0 if none. */
double stats_win_avg(const struct stats_dir *d);

/* Content gap of len bytes in direction dir's stream (the tracker saw an
 * ACK pass data never captured): Zeek's 'g' letter, missed_bytes.
 * STATS_F_GAP on a segment of dir is the same as stats_gap(c, dir, 0). */
void stats_gap(struct stats_conn *c, int dir, uint64_t len);
/* Zeek's Connection::FlipRoles once segments were seen: the other
 * direction becomes Zeek's originator and '^' is logged. Per-direction
 * statistics keep our numbering. The first segment coming from
 * direction 1 is handled without a call: Zeek created the connection
 * with its sender as originator and flipped it ('^'). */
void stats_conn_flip(struct stats_conn *c);
/* Our direction that Zeek calls the originator (conn_state, history case,
 * orig_bytes): 0 unless the SYN/SYN-ACK reversal or stats_conn_flip. */
int stats_zeek_orig(const struct stats_conn *c);
/* Zeek's orig_bytes/resp_bytes for direction dir (TCP_Endpoint::Size:
 * from sequence numbers, so it counts bytes lost before the capture). */
uint64_t stats_zeek_bytes(const struct stats_conn *c, int dir);
/* Zeek's duration: first packet to the last packet before both sides had
 * closed (so a 4-way teardown's final ACK is not included). */
tstamp stats_zeek_duration(const struct stats_conn *c);

/* connstate.c, called by stats_segment for every segment (bad checksums
 * included, as Zeek logs them). */
void stats_zeek_segment(struct stats_conn *c, int dir, const struct seg *s, tstamp ts,
			bool bad_csum);

#endif
