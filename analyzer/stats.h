/* stats: per-connection summary, as Zeek's conn.log and tcptrace -l give
 * it: the conn_state and history string, and per-direction statistics
 * (packets, unique and retransmitted bytes, RTT samples, handshake RTT,
 * throughput, window, zero windows, MSS, duration, idle time).
 *
 * Direction 0 is the connection's originator (the SYN sender, else the
 * endpoint seen first); direction 1 the responder. Memory per connection
 * is fixed: RTT samples come from a bounded ring of timed segments. */
#ifndef TCPSPEC_STATS_H
#define TCPSPEC_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "seg.h"

#define STATS_RTT_RING 32   /* outstanding timed segments per direction */

/* What the analysis layer said of a segment, as stats need it. */
#define STATS_F_RETRANS    0x01  /* retransmission (any kind) */
#define STATS_F_ZERO_WIN   0x02  /* advertised a zero window */
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
};

/* Zeek's connection states (conn.log conn_state). */
enum stats_conn_state {
	CONN_S0, CONN_S1, CONN_SF, CONN_REJ, CONN_S2, CONN_S3, CONN_RSTO,
	CONN_RSTR, CONN_RSTOS0, CONN_RSTRH, CONN_SH, CONN_SHR, CONN_OTH,
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
	uint32_t hist_seen[2];             /* letters already logged, per direction */
	uint64_t hist_count[2][4];         /* c, g, t, w occurrence counters */
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

#endif
