/* connstate: Zeek's view of a TCP connection - the endpoint state machine
 * of its TCP analyzer, the history letters and conn.log's conn_state -
 * re-implemented from Zeek's published rules, so that our summaries can
 * be compared with conn.log line by line. Our own code; the rules come
 * from (zeek/zeek on GitHub):
 *
 *  scripts/base/protocols/conn/main.zeek
 *      conn_state(), the meaning and repeat rules of the history letters
 *  src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc
 *      Process(): order of the per-packet steps; update_history(),
 *      update_window() (zero window), update_last_seq() (retransmission),
 *      init_endpoint(), init_peer(), update_ack_seq(), get_relative_seq(),
 *      UpdateInactiveState() ... UpdateResetState(), ConnectionClosed()
 *  src/analyzer/protocol/tcp/TCP_Endpoint.{h,cc}
 *      EndpointState, Size(), NoDataAcked(), CheckHistory() masks,
 *      ChecksumError()/DidRxmit()/ZeroWindow()/Gap() scaled letters
 *  src/Conn.cc, src/Conn.h
 *      CheckHistory(), ScaledHistoryEntry() (1, 10, 100, ...),
 *      FlipRoles() appends '^'
 *  src/packet_analysis/protocol/ip/IPBasedAnalyzer.cc
 *      NewConn(): a connection Zeek flips at creation starts with '^'
 *
 * Not emulated: Zeek's port heuristic for flipping at creation (our
 * tracker chooses direction 0), reassembly deferral of a close
 * (DataPending), the 'x' letter, and weirds. */
#include <string.h>

#include "seq.h"
#include "stats.h"

#define TOO_LARGE_SEQ_DELTA 1048576

/* TCP_Endpoint::HistoryMasks */
#define HIST_SYN_PKT		0x01
#define HIST_FIN_PKT		0x02
#define HIST_RST_PKT		0x04
#define HIST_FIN_RST_PKT	0x08
#define HIST_DATA_PKT		0x10
#define HIST_ACK_PKT		0x20
#define HIST_MULTI_FLAG_PKT	0x40

/* hist_count index: the letters Zeek logs on a logarithmic scale */
enum { SCALED_C, SCALED_G, SCALED_T, SCALED_W };

static bool is_orig(const struct stats_conn *c, int d)
{
	return d == c->zeek_orig;
}

static void hist_add(struct stats_conn *c, char ch)
{
	if (c->history_len >= STATS_HISTORY_MAX) {
		c->history_truncated = true;
		return;
	}
	c->history[c->history_len++] = ch;
	c->history[c->history_len] = '\0';
}

/* Uppercase for the originator, lowercase for the responder. */
static char letter(const struct stats_conn *c, int d, char upper)
{
	return is_orig(c, d) ? upper : (char)(upper - 'A' + 'a');
}

/* Connection::CheckHistory: the first time a mask is seen for a role, log
 * the letter; returns whether it had been seen. The seen bits belong to
 * the role, not to the endpoint (they are not swapped by FlipRoles). */
static bool check_history(struct stats_conn *c, int d, uint32_t mask, char upper)
{
	uint32_t *seen = &c->hist_seen[is_orig(c, d) ? 0 : 1];

	if (*seen & mask)
		return true;
	*seen |= mask;
	hist_add(c, letter(c, d, upper));
	return false;
}

static bool is_pow10(uint64_t n)
{
	while (n >= 10 && n % 10 == 0)
		n /= 10;
	return n == 1;
}

/* Connection::ScaledHistoryEntry with base 10: the letter is logged at
 * the 1st, 10th, 100th ... occurrence. Zeek keeps 32-bit counters whose
 * threshold wraps after 10^9; ours are 64-bit. */
static void scaled(struct stats_conn *c, int d, int which, char upper)
{
	if (is_pow10(++c->hist_count[d][which]))
		hist_add(c, letter(c, d, upper));
}

void stats_conn_flip(struct stats_conn *c)
{
	c->zeek_orig ^= 1;
	hist_add(c, '^');
}

void stats_gap(struct stats_conn *c, int dir, uint64_t len)
{
	if (dir != 0 && dir != 1)
		return;
	c->dir[dir].missed_bytes += len;
	scaled(c, dir, SCALED_G, 'G');
}

static void set_state(struct stats_zeek_ep *ep, enum stats_zeek_state st)
{
	if (ep->state != st) {
		ep->prev_state = ep->state;
		ep->state = (uint8_t)st;
	}
}

static void update_last(struct stats_zeek_ep *ep, uint32_t seq)
{
	if (seq < ep->last_seq)
		ep->seq_wraps++;
	ep->last_seq = seq;
}

static void update_ack(struct stats_zeek_ep *ep, uint32_t seq)
{
	if (seq < ep->ack_seq)
		ep->ack_wraps++;
	ep->ack_seq = seq;
}

static void init_seqs(struct stats_zeek_ep *ep, uint32_t start, uint32_t last)
{
	ep->start_seq = start;
	ep->ack_seq = start;
	ep->last_seq = last;
}

/* get_relative_seq(): 64-bit offset from the endpoint's start; a
 * negative 32-bit delta in the first sequence space is an underflow. */
static uint64_t rel_seq(const struct stats_zeek_ep *ep, uint32_t cur, uint32_t last,
			uint32_t wraps, bool *underflow)
{
	int32_t delta = (int32_t)(cur - last);

	if (delta < 0) {
		if (wraps && cur > last)
			wraps--;
	} else if (delta > 0) {
		if (cur < last)
			wraps++;
	}
	if (wraps == 0) {
		delta = (int32_t)(cur - (uint32_t)ep->start_seq);
		if (delta < 0)
			*underflow = true;
		return (uint64_t)(int64_t)delta;
	}
	return ((uint64_t)wraps << 32) + cur - (uint64_t)ep->start_seq;
}

/* init_endpoint(): where the endpoint's sequence numbering starts. */
static void init_endpoint(struct stats_zeek_ep *ep, bool syn, uint32_t seq, uint32_t last)
{
	switch ((enum stats_zeek_state)ep->state) {
	case STATS_ZEEK_INACTIVE:
		if (syn) {
			init_seqs(ep, seq, last);
		} else {
			/* partial: number as if a SYN had been seen */
			init_seqs(ep, seq - 1, seq);
		}
		break;
	case STATS_ZEEK_SYN_SENT:
	case STATS_ZEEK_SYN_ACK_SENT:
		if (syn && seq != (uint32_t)ep->start_seq)
			init_seqs(ep, seq, last);
		break;
	case STATS_ZEEK_ESTABLISHED:
	case STATS_ZEEK_PARTIAL:
		if (syn)
			init_seqs(ep, seq, last);
		break;
	case STATS_ZEEK_RESET:
		/* sequence taken from an RST: a later SYN is trusted more */
		if (syn && ep->prev_state == STATS_ZEEK_INACTIVE)
			init_seqs(ep, seq, last);
		break;
	case STATS_ZEEK_CLOSED:
		break;
	}
}

/* update_history(): one of S/H/F/R (again when its sequence number
 * changes), D or A once, I for FIN+RST, Q for other flag combinations. */
static void update_history(struct stats_conn *c, int d, uint8_t fl, uint64_t rseq, uint32_t len)
{
	struct stats_zeek_ep *ep = &c->zeek[d];
	bool syn = fl & WIRE_TH_SYN, fin = fl & WIRE_TH_FIN, rst = fl & WIRE_TH_RST;
	int bits = syn + fin + rst;

	if (bits > 1) {
		if (fin && rst)
			check_history(c, d, HIST_FIN_RST_PKT, 'I');
		else
			check_history(c, d, HIST_MULTI_FLAG_PKT, 'Q');
	} else if (syn) {
		char code = (fl & WIRE_TH_ACK) ? 'H' : 'S';

		if (check_history(c, d, HIST_SYN_PKT, code) && rseq != ep->hist_last_syn)
			hist_add(c, letter(c, d, code));
		ep->hist_last_syn = rseq;
	} else if (fin) {
		/* a FIN's sequence number is the one after its data */
		if (check_history(c, d, HIST_FIN_PKT, 'F') && rseq + len != ep->hist_last_fin)
			hist_add(c, letter(c, d, 'F'));
		ep->hist_last_fin = rseq + len;
	} else if (rst) {
		if (check_history(c, d, HIST_RST_PKT, 'R') && rseq != ep->hist_last_rst)
			hist_add(c, letter(c, d, 'R'));
		ep->hist_last_rst = rseq;
	} else if (len) {
		check_history(c, d, HIST_DATA_PKT, 'D');
	} else if (fl & WIRE_TH_ACK) {
		check_history(c, d, HIST_ACK_PKT, 'A');
	}
}

/* update_last_seq(): data that does not advance the highest sequence
 * number is a retransmission ('T'), unless the endpoint was reset. */
static void update_last_seq(struct stats_conn *c, int d, uint32_t last, uint8_t fl, uint32_t len)
{
	struct stats_zeek_ep *ep = &c->zeek[d];
	int32_t delta = (int32_t)(last - ep->last_seq);

	if ((fl & (WIRE_TH_SYN | WIRE_TH_RST)) &&
	    (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
		return;	/* implausible jump on a SYN or RST: not trusted */
	if ((fl & WIRE_TH_FIN) && ep->last_seq == (uint32_t)ep->start_seq + 1)
		update_last(ep, last);	/* > 2 GB connection seen only by SYN and FIN */
	else if (ep->state == STATS_ZEEK_RESET)
		return;
	else if (delta > 0)
		update_last(ep, last);
	else if (len > 0)
		scaled(c, d, SCALED_T, 'T');
}

/* UpdateInactiveState(): the first segment of an endpoint. */
static bool inactive_state(struct stats_conn *c, int d, bool orig, const struct seg *s)
{
	struct stats_zeek_ep *ep = &c->zeek[d], *peer = &c->zeek[!d];
	bool ack = s->flags & WIRE_TH_ACK, do_close = false;

	if (s->flags & WIRE_TH_SYN) {
		if (orig) {
			set_state(ep, ack ? STATS_ZEEK_SYN_ACK_SENT : STATS_ZEEK_SYN_SENT);
		} else {
			if (!ack && peer->state == STATS_ZEEK_SYN_ACK_SENT &&
			    s->seq == (uint32_t)ep->start_seq) {
				/* SYN-ACK seen before its SYN: swap roles */
				stats_conn_flip(c);
				set_state(peer, STATS_ZEEK_ESTABLISHED);
			}
			if (peer->state == STATS_ZEEK_SYN_SENT)
				set_state(peer, STATS_ZEEK_ESTABLISHED);
			set_state(ep, STATS_ZEEK_ESTABLISHED);
		}
	}
	if (s->flags & WIRE_TH_FIN) {
		set_state(ep, STATS_ZEEK_CLOSED);
		do_close = true;
	}
	if (s->flags & WIRE_TH_RST) {
		set_state(ep, STATS_ZEEK_RESET);
		do_close = true;
	}
	if (ep->state == STATS_ZEEK_INACTIVE) {
		if (!orig && s->len == 0 &&
		    c->zeek[c->zeek_orig].state == STATS_ZEEK_SYN_SENT)
			;	/* an ACK of the SYN before the SYN-ACK: not partial */
		else if (ack && peer->state == STATS_ZEEK_ESTABLISHED)
			set_state(ep, STATS_ZEEK_ESTABLISHED);	/* missed our SYN */
		else
			set_state(ep, STATS_ZEEK_PARTIAL);
	}
	return do_close;
}

/* UpdateStateMachine(): returns whether Zeek reports the endpoint closed. */
static bool state_machine(struct stats_conn *c, int d, bool orig, const struct seg *s)
{
	struct stats_zeek_ep *ep = &c->zeek[d], *peer = &c->zeek[!d];
	uint8_t fl = s->flags;
	bool do_close = false;

	switch ((enum stats_zeek_state)ep->state) {
	case STATS_ZEEK_INACTIVE:
		return inactive_state(c, d, orig, s);
	case STATS_ZEEK_SYN_SENT:
	case STATS_ZEEK_SYN_ACK_SENT:
		if (fl & WIRE_TH_FIN) {
			set_state(ep, STATS_ZEEK_CLOSED);
			do_close = true;
		}
		if (fl & WIRE_TH_RST) {
			set_state(ep, STATS_ZEEK_RESET);
			do_close = true;
		}
		break;
	case STATS_ZEEK_ESTABLISHED:
	case STATS_ZEEK_PARTIAL:
		if ((fl & WIRE_TH_SYN) && !(fl & WIRE_TH_ACK) &&
		    ep->state == STATS_ZEEK_PARTIAL && peer->state == STATS_ZEEK_INACTIVE)
			set_state(ep, STATS_ZEEK_SYN_SENT);
		if ((fl & WIRE_TH_FIN) && !(fl & WIRE_TH_RST)) {
			set_state(ep, STATS_ZEEK_CLOSED);
			/* the peer's FIN then RST was a normal close */
			if (peer->state == STATS_ZEEK_RESET && peer->prev_state == STATS_ZEEK_CLOSED)
				set_state(peer, STATS_ZEEK_CLOSED);
			do_close = true;
		}
		if (fl & WIRE_TH_RST) {
			set_state(ep, STATS_ZEEK_RESET);
			do_close = true;
		}
		break;
	case STATS_ZEEK_CLOSED:
		/* after a FIN exchange an RST does not change the state */
		if ((fl & WIRE_TH_RST) && peer->state != STATS_ZEEK_CLOSED) {
			set_state(ep, STATS_ZEEK_RESET);
			do_close = !ep->did_close;
		}
		break;
	case STATS_ZEEK_RESET:
		break;
	}
	return do_close;
}

void stats_zeek_segment(struct stats_conn *c, int d, const struct seg *s, tstamp ts,
			bool bad_csum)
{
	struct stats_zeek_ep *ep = &c->zeek[d], *peer = &c->zeek[!d];
	uint8_t fl = s->flags;
	bool syn = fl & WIRE_TH_SYN, fin = fl & WIRE_TH_FIN, rst = fl & WIRE_TH_RST;
	bool underflow = false, orig;
	uint32_t seg_len, last;
	uint64_t rseq;

	if (!c->zeek_started) {
		/* Zeek makes the first packet's sender the originator; if
		 * that is not our direction 0 it flipped at creation */
		c->zeek_started = true;
		c->zeek_last_ts = ts;
		if (d != c->zeek_orig) {
			c->zeek_orig = (uint8_t)d;
			stats_conn_flip(c);
		}
	}
	if (bad_csum) {
		/* Zeek drops the packet after logging it */
		scaled(c, d, SCALED_C, 'C');
		return;
	}
	orig = is_orig(c, d);

	/* an RST's payload is not part of the stream */
	seg_len = (rst ? 0 : s->len) + syn + fin;
	last = s->seq + seg_len;
	init_endpoint(ep, syn, s->seq, last);
	rseq = rel_seq(ep, s->seq, ep->last_seq, ep->seq_wraps, &underflow);
	update_history(c, d, fl, rseq, s->len);

	/* update_window(): zero windows are news unless with or after an
	 * RST, or after the peer's FIN */
	if (s->wnd == 0 && !rst && peer->state != STATS_ZEEK_CLOSED &&
	    ep->state != STATS_ZEEK_RESET)
		scaled(c, d, SCALED_W, 'W');

	if (!c->zeek[0].did_close || !c->zeek[1].did_close)
		c->zeek_last_ts = ts;
	if (fin)
		ep->fin_cnt++;

	if (fl & WIRE_TH_ACK) {
		if (peer->state == STATS_ZEEK_INACTIVE) {
			/* init_peer(): number the peer as if its SYN was seen */
			peer->start_seq = (uint32_t)(s->ack - 1);
			peer->ack_seq = s->ack - 1;
			peer->last_seq = s->ack - 1;
		} else {
			bool ack_underflow = false;
			int32_t delta = (int32_t)(s->ack - peer->ack_seq);

			rel_seq(peer, s->ack, peer->ack_seq, peer->ack_wraps, &ack_underflow);
			/* update_ack_seq(); an RST's ACK is not trusted */
			if (!ack_underflow && !rst &&
			    !(s->ack == 0 && delta > TOO_LARGE_SEQ_DELTA) && delta > 0)
				update_ack(peer, s->ack);
		}
	}
	update_last_seq(c, d, last, fl, s->len);
	if (state_machine(c, d, orig, s))
		ep->did_close = true;	/* ConnectionClosed(), no reassembly deferral */
}

int stats_zeek_orig(const struct stats_conn *c)
{
	return c->zeek_orig;
}

static bool no_data_acked(const struct stats_zeek_ep *ep)
{
	uint64_t ack = ((uint64_t)ep->ack_wraps << 32) + ep->ack_seq;
	uint64_t start = (uint64_t)ep->start_seq;

	return ack == start || ack == start + 1;
}

/* TCP_Endpoint::Size(): bytes from the highest sequence number sent or
 * acknowledged, minus SYN and FIN. */
uint64_t stats_zeek_bytes(const struct stats_conn *c, int dir)
{
	const struct stats_zeek_ep *ep, *peer;
	uint64_t last, ack, size;

	if (dir != 0 && dir != 1)
		return 0;
	ep = &c->zeek[dir];
	peer = &c->zeek[!dir];
	/* a half-open connection found and aborted: its numbers mislead */
	if (ep->prev_state == STATS_ZEEK_SYN_SENT && ep->state == STATS_ZEEK_RESET &&
	    peer->state == STATS_ZEEK_INACTIVE && !no_data_acked(ep))
		return 0;
	last = ((uint64_t)ep->seq_wraps << 32) + ep->last_seq;
	ack = ((uint64_t)ep->ack_wraps << 32) + ep->ack_seq;
	size = (last > ack ? last : ack) - (uint64_t)ep->start_seq;
	if (size)
		size--;
	if (ep->fin_cnt && size)
		size--;
	return size;
}

tstamp stats_zeek_duration(const struct stats_conn *c)
{
	if (!c->started || c->zeek_last_ts < c->first_ts)
		return 0;
	return c->zeek_last_ts - c->first_ts;
}

/* main.zeek's RSTOS0 test: history =~ /^\^?S[^HAFGIQ]*R.*$/ */
static bool history_syn_then_rst(const char *h)
{
	if (*h == '^')
		h++;
	if (*h++ != 'S')
		return false;
	for (; *h; h++) {
		if (*h == 'R')
			return true;
		if (strchr("HAFGIQ", *h))
			return false;
	}
	return false;
}

/* main.zeek conn_state(), from the final states of Zeek's originator
 * (os) and responder (rs). */
enum stats_conn_state stats_conn_state(const struct stats_conn *c)
{
	const struct stats_zeek_ep *o = &c->zeek[c->zeek_orig];
	const struct stats_zeek_ep *r = &c->zeek[!c->zeek_orig];
	uint8_t os = o->state, rs = r->state;
	bool o_inactive = os == STATS_ZEEK_INACTIVE || os == STATS_ZEEK_PARTIAL;
	bool r_inactive = rs == STATS_ZEEK_INACTIVE || rs == STATS_ZEEK_PARTIAL;

	if (rs == STATS_ZEEK_RESET) {
		if (os == STATS_ZEEK_SYN_SENT || os == STATS_ZEEK_SYN_ACK_SENT ||
		    (os == STATS_ZEEK_RESET && stats_zeek_bytes(c, c->zeek_orig) == 0 &&
		     stats_zeek_bytes(c, !c->zeek_orig) == 0))
			return CONN_REJ;
		return o_inactive ? CONN_RSTRH : CONN_RSTR;
	}
	if (os == STATS_ZEEK_RESET) {
		if (r_inactive)
			return history_syn_then_rst(c->history) ? CONN_RSTOS0 : CONN_OTH;
		return CONN_RSTO;
	}
	if (rs == STATS_ZEEK_CLOSED && os == STATS_ZEEK_CLOSED)
		return CONN_SF;
	if (os == STATS_ZEEK_CLOSED)
		return r_inactive ? CONN_SH : CONN_S2;
	if (rs == STATS_ZEEK_CLOSED)
		return o_inactive ? CONN_SHR : CONN_S3;
	if (os == STATS_ZEEK_SYN_SENT && rs == STATS_ZEEK_INACTIVE)
		return CONN_S0;
	if (os == STATS_ZEEK_ESTABLISHED && rs == STATS_ZEEK_ESTABLISHED)
		return CONN_S1;
	return CONN_OTH;
}

const char *stats_conn_state_name(enum stats_conn_state s)
{
	switch (s) {
	case CONN_S0: return "S0";
	case CONN_S1: return "S1";
	case CONN_SF: return "SF";
	case CONN_REJ: return "REJ";
	case CONN_S2: return "S2";
	case CONN_S3: return "S3";
	case CONN_RSTO: return "RSTO";
	case CONN_RSTR: return "RSTR";
	case CONN_RSTOS0: return "RSTOS0";
	case CONN_RSTRH: return "RSTRH";
	case CONN_SH: return "SH";
	case CONN_SHR: return "SHR";
	case CONN_OTH: return "OTH";
	}
	return "?";
}
