/* tcb: the RFC 9293 variables of one endpoint (3.3.1), plus what RFC 7323
 * and RFC 2018 negotiate, and which of them are known.
 *
 * The analyzer builds a TCB from what it sees; a capture that starts
 * mid-connection, or misses segments, leaves variables unknown. Every
 * check that depends on an unknown variable is skipped: "unknown" is never
 * reported as a violation. The reference endpoint knows everything. */
#ifndef TCPSPEC_TCB_H
#define TCPSPEC_TCB_H

#include <stdbool.h>
#include <stdint.h>

#include "seg.h"

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
};
#define TCP_NSTATES 11

/* Where RFCs, or RFCs and real stacks, legitimately differ: a named
 * choice, never a hard-coded opinion. */
struct fsm_profile {
	const char *name;
	bool rfc5961;           /* RFC 5961: challenge ACK for in-window RST and any
				   SYN in a synchronized state, ACK range check (3.2, 4.2, 5.2) */
	bool rfc1337;           /* TIME-WAIT ignores RST (RFC 1337 TW-assassination fix) */
	bool syn_data_acked;    /* data on a SYN is queued and acknowledged (RFC 9293
				   3.10.7.2 allows it; Linux without Fast Open drops it) */
	bool paws;              /* RFC 7323 5: PAWS when timestamps are on */
	uint32_t msl_ms;        /* TIME-WAIT lasts 2*MSL (RFC 9293 3.4.2: MSL 2 min;
				   Linux uses a fixed 60 s TIME-WAIT) */
};

/* Profiles: "rfc" (RFC 9293 + 5961 + 7323, the default), "rfc793" (no
 * RFC 5961), "linux" (what Linux does by default). */
int fsm_profile_by_name(const char *name, struct fsm_profile *out);
void fsm_profile_default(struct fsm_profile *out);

/* Which variables are known (TCB_K_*). */
#define TCB_K_STATE     0x0001  /* state observed, not assumed */
#define TCB_K_ISS       0x0002
#define TCB_K_IRS       0x0004
#define TCB_K_SND       0x0008  /* snd_una, snd_nxt, snd_max */
#define TCB_K_RCV       0x0010  /* rcv_nxt */
#define TCB_K_SND_WND   0x0020  /* snd_wnd, snd_wl1, snd_wl2 (scale known too) */
#define TCB_K_RCV_WND   0x0040  /* rcv_wnd, rcv_adv (scale known too) */
#define TCB_K_OPTS      0x0080  /* the handshake's options were seen */
#define TCB_K_TS_RECENT 0x0100
#define TCB_K_MAX_SND_WND 0x0200 /* max_snd_wnd: every window since the peer's SYN seen */
#define TCB_K_LAST_ACK  0x0400  /* last_ack_sent: the ACK field of our last segment */
/* kept by fsm_tx / fsm_user (core/fsm_tx.c, core/fsm_user.c) */
#define TCB_K_OUR_SYN   0x00010000 /* our SYN seen: ws_sent, rcv_shift, sack_sent, ts_sent */
#define TCB_K_PEER_SYN  0x00020000 /* peer_syn_opts (fsm_note_peer_syn, fsm_priv.h) */
#define TCB_K_TS_LAST   0x00040000 /* ts_last_sent */
#define TCB_K_TS_ECR    0x00080000 /* ts_ecr_last */
#define TCB_K_SND_EDGE  0x00100000 /* snd_edge_max */

/* Options on a SYN (struct tcb.peer_syn_opts). */
#define TCB_SYNOPT_WS   0x01
#define TCB_SYNOPT_SACK 0x02
#define TCB_SYNOPT_TS   0x04

/* How CLOSED was reached (struct tcb.closed_how), set by fsm_tx / fsm_user. */
#define TCB_CLOSED_OTHER   0 /* never opened, or by fsm_rx (RST, ACK of FIN) */
#define TCB_CLOSED_RST_ACK 1 /* our RST with ACK closed a synchronized connection */
#define TCB_CLOSED_RST     2 /* our RST without ACK did */
#define TCB_CLOSED_USER    3 /* CLOSE or ABORT (fsm_user) */
#define TCB_CLOSED_TIMER   4 /* the TIME-WAIT timer (fsm_timer) */

struct tcb {
	enum tcp_state state;
	uint32_t known;             /* TCB_K_* */
	struct fsm_profile prof;
	uint8_t ip_version;         /* for the default MSS (RFC 9293 3.7.1) */

	/* send sequence variables (RFC 9293 3.3.1) */
	uint32_t iss;
	uint32_t snd_una, snd_nxt;
	uint32_t snd_max;           /* highest sequence sent + 1 (>= snd_nxt after a retransmission) */
	uint32_t snd_wnd;           /* peer's window, scaled, bytes */
	uint32_t snd_wl1, snd_wl2;
	uint32_t snd_up;

	/* receive sequence variables */
	uint32_t irs;
	uint32_t rcv_nxt;
	uint32_t rcv_wnd;           /* our window, scaled, bytes */
	uint32_t rcv_adv;           /* right edge last advertised: for window shrink (3.8.6) */
	uint32_t rcv_up;

	/* negotiated in the handshake */
	bool ws_sent, ws_rcvd;      /* window scale option sent / received on SYN */
	uint8_t snd_shift;          /* applied to windows the peer sends (its shift) */
	uint8_t rcv_shift;          /* applied to windows we send (our shift) */
	bool sack_sent, sack_rcvd;
	bool ts_sent, ts_rcvd;
	uint16_t snd_mss;           /* the peer's MSS, or the default */

	/* RFC 7323 timestamps */
	uint32_t ts_recent;
	tstamp ts_recent_age;
	uint32_t ts_last_sent;      /* our highest TSval */

	/* closing */
	bool fin_sent, fin_rcvd;
	uint32_t fin_seq;           /* sequence number of our FIN */
	uint32_t peer_fin_seq;      /* sequence number of the peer's FIN */
	tstamp time_wait_until;     /* 0 unless in TIME-WAIT */

	tstamp last_rx, last_tx;

	/* used by fsm_rx (core/fsm_rx*.c) */
	bool passive_open;          /* SYN-RECEIVED came from LISTEN (RFC 9293 3.10.7.4
				   second and fourth checks: back to LISTEN) */
	uint32_t max_snd_wnd;       /* MAX.SND.WND (RFC 5961 5.2): largest SND.WND
				   the peer gave, scaled (TCB_K_MAX_SND_WND) */
	uint32_t last_ack_sent;     /* Last.ACK.sent (RFC 7323 4.3): the ACK field of
				   our last segment, kept by fsm_tx (TCB_K_LAST_ACK) */

	/* kept by fsm_tx / fsm_user (core/fsm_tx.c, core/fsm_user.c) */
	uint8_t peer_syn_opts;      /* TCB_SYNOPT_* offered on any of the peer's SYNs
				   with ISN peer_syn_seq (TCB_K_PEER_SYN) */
	uint32_t peer_syn_seq;
	uint32_t ts_ecr_last;       /* highest TSecr we sent with ACK (TCB_K_TS_ECR) */
	uint32_t snd_edge_max;      /* highest right edge SND.UNA + SND.WND the peer
				   offered (TCB_K_SND_EDGE) */
	uint8_t closed_how;         /* TCB_CLOSED_*: how CLOSED was reached */
};

void tcb_init(struct tcb *t, const struct fsm_profile *prof, enum tcp_state state,
	      uint8_t ip_version);
const char *tcp_state_name(enum tcp_state s);
/* Synchronized states (RFC 9293 3.5.2): ESTABLISHED and after. */
bool tcp_state_synchronized(enum tcp_state s);

/* Negotiated features: both sides sent the option on their SYNs. */
static inline bool tcb_ws_on(const struct tcb *t) { return t->ws_sent && t->ws_rcvd; }
static inline bool tcb_sack_on(const struct tcb *t) { return t->sack_sent && t->sack_rcvd; }
static inline bool tcb_ts_on(const struct tcb *t) { return t->ts_sent && t->ts_rcvd; }

#endif
