/* stats: per-direction connection statistics in the manner of tcptrace -l,
 * the handshake RTTs, and the feed of connstate.c (Zeek's conn_state and
 * history). Fixed memory, no allocation.
 *
 * tcptrace's definitions, as its code has them (tcptrace 6.6: trace.c
 * dotrace(), rexmit.c ack_in()/rtt_ackin(), output.c, filter.c
 * VFuncTput(); github.com/blitz/tcptrace), and how we follow them:
 *  - total packets: every packet; pure acks: ACK, no payload, no
 *    SYN/FIN/RST; ack pkts: ACK set (RST included).
 *  - actual data pkts/bytes: payload carried, retransmissions included.
 *  - unique bytes: payload not sent before (SYN and FIN excluded), and
 *    not a zero window probe. rexmt data pkts/bytes: payload sent before.
 *  - zwnd probe pkts/bytes: SYN/FIN/data sent while the peer's last
 *    advertised window was 0; neither unique nor retransmitted.
 *  - windows: over non-RST segments with ACK or SYN; max counts zeros,
 *    min ignores them; zero win adv: ACK segments advertising 0.
 *  - idletime max: longest gap between two packets of the direction.
 *  - throughput: unique bytes / (last packet - first packet of the
 *    connection).
 *  - RTT: SYN, FIN and data segments are timed; an ACK gives at most one
 *    sample, for the newest segment it covers, never for a segment that
 *    was retransmitted (Karn) nor for one sent before a retransmission
 *    the ACK also covers (tcptrace's "intervening transmissions").
 *    stdev is the sample stdev, 0 for n <= 2 as tcptrace prints it.
 *
 * Where we differ, and why:
 *  - tcptrace keeps every sequence range seen; we keep the highest
 *    sequence number per direction, so data below it counts as
 *    retransmitted unless the analysis layer flags the segment
 *    STATS_F_OUT_OF_ORDER (and not STATS_F_RETRANS): a hole filled for
 *    the first time, unique like in tcptrace.
 *  - rexmt bytes count payload only (tcptrace adds 1 for a retransmitted
 *    SYN or FIN); an RST's payload is not stream data (RFC 9293 3.5.3)
 *    and is counted nowhere.
 *  - tcptrace samples an ACK only when it equals a segment's end; we
 *    take the newest segment it covers (a partial ACK of the next one
 *    still samples). Ring of STATS_RTT_RING: when full, the oldest entry
 *    is dropped (rtt_dropped) and its ACK gives no sample.
 *  - average window: over the segments counted, not over all packets;
 *    segments whose scale is unknown (wnd_scaled < 0) are not counted.
 *  - a bad checksum segment counts in pkts, bad_csum_pkts and the times,
 *    nothing else: the receiver drops it (tcptrace does not check).
 *  - negative RTT samples (capture timestamps out of order) are dropped.
 */
#include <math.h>
#include <string.h>

#include "seq.h"
#include "stats.h"

void stats_conn_init(struct stats_conn *c)
{
	memset(c, 0, sizeof(*c));
}

/* --- RTT ring: timed segments in increasing sequence order --- */

static unsigned ring_idx(const struct stats_dir *d, unsigned i)
{
	return (d->ring_head + i) % STATS_RTT_RING;
}

static void ring_push(struct stats_dir *d, uint32_t end, tstamp ts)
{
	unsigned i;

	if (d->ring_n == STATS_RTT_RING) {
		/* bounded memory: the oldest loses its sample */
		d->ring_head = (uint8_t)ring_idx(d, 1);
		d->ring_n--;
		d->rtt_dropped++;
	}
	i = ring_idx(d, d->ring_n++);
	d->ring[i].end = end;
	d->ring[i].ts = ts;
	d->ring[i].valid = true;
}

/* Sequence space from seq on was sent again: the timed segments there
 * (Karn) and above it (their ACK will also cover the new copy) cannot
 * be sampled. */
static void ring_invalidate(struct stats_dir *d, uint32_t seq)
{
	for (unsigned i = 0; i < d->ring_n; i++) {
		unsigned k = ring_idx(d, i);

		if (seq_gt(d->ring[k].end, seq))
			d->ring[k].valid = false;
	}
}

static void rtt_add(struct stats_rtt *r, tstamp v)
{
	if (r->n == 0 || v < r->min)
		r->min = v;
	if (r->n == 0 || v > r->max)
		r->max = v;
	r->sum += (double)v;
	r->sumsq += (double)v * (double)v;
	r->n++;
}

/* The peer acknowledged d's data up to ack: one sample for the newest
 * covered segment, and every covered one leaves the ring. */
static void rtt_ack(struct stats_dir *d, uint32_t ack, tstamp ts)
{
	unsigned n = 0;

	while (n < d->ring_n && seq_geq(ack, d->ring[ring_idx(d, n)].end))
		n++;
	if (n == 0)
		return;

	unsigned k = ring_idx(d, n - 1);

	if (d->ring[k].valid && ts >= d->ring[k].ts)
		rtt_add(&d->rtt, ts - d->ring[k].ts);
	else if (!d->ring[k].valid)
		d->rtt_ambiguous++;
	d->ring_head = (uint8_t)ring_idx(d, n);
	d->ring_n = (uint8_t)(d->ring_n - n);
}

double stats_rtt_avg_ns(const struct stats_rtt *r)
{
	return r->n ? r->sum / (double)r->n : 0.0;
}

double stats_rtt_stdev_ns(const struct stats_rtt *r)
{
	double n = (double)r->n, var;

	if (r->n <= 2)
		return 0.0;	/* tcptrace's Stdev() */
	var = (r->sumsq - r->sum * r->sum / n) / (n - 1.0);
	return var > 0.0 ? sqrt(var) : 0.0;
}

/* --- per segment --- */

static void update_times(struct stats_conn *c, struct stats_dir *d, tstamp ts)
{
	if (!c->started) {
		c->started = true;
		c->first_ts = c->last_ts = ts;
	}
	if (ts < c->first_ts)
		c->first_ts = ts;
	if (ts > c->last_ts)
		c->last_ts = ts;

	if (d->pkts == 0) {
		d->first_ts = d->last_ts = ts;
		return;
	}
	if (ts > d->last_ts) {
		if (ts - d->last_ts > d->max_idle)
			d->max_idle = ts - d->last_ts;
		d->last_ts = ts;
	}
}

static void count_flags(struct stats_conn *c, int dir, const struct seg *s, unsigned flags)
{
	struct stats_dir *d = &c->dir[dir];
	uint8_t fl = s->flags;

	if (fl & WIRE_TH_SYN) {
		d->syns++;
		if (fl & WIRE_TH_ACK)
			c->synack[dir] = true;
		else
			c->syn[dir] = true;
	}
	if (fl & WIRE_TH_FIN) {
		d->fins++;
		c->fin[dir] = true;
	}
	if (fl & WIRE_TH_RST) {
		d->rsts++;
		c->rst[dir] = true;
		if (!c->first_rst_dir_known) {
			c->first_rst_dir_known = true;
			c->first_rst_dir = (uint8_t)dir;
		}
	}
	if (fl & WIRE_TH_ACK) {
		d->ack_pkts++;
		if (s->len == 0 && !(fl & (WIRE_TH_SYN | WIRE_TH_FIN | WIRE_TH_RST)))
			d->pure_acks++;
	}
	if (s->len && !(fl & WIRE_TH_RST))
		c->data[dir] = true;
	if (flags & STATS_F_DUP_ACK)
		d->dup_acks++;
	if (flags & STATS_F_OUT_OF_ORDER)
		d->out_of_order_pkts++;
	if (s->has_mss)
		d->mss = s->mss;
}

/* The SYN sender's SYN, the other side's SYN-ACK for it, and the SYN
 * sender's first ACK covering the SYN-ACK. A second SYN (SYN-ACK) before
 * the answer makes the time to that answer ambiguous (Karn). */
static void handshake(struct stats_conn *c, int dir, const struct seg *s, tstamp ts)
{
	uint8_t fl = s->flags;

	if (fl & WIRE_TH_RST)
		return;
	if ((fl & WIRE_TH_SYN) && !(fl & WIRE_TH_ACK)) {
		if (!c->saw_syn) {
			c->saw_syn = true;
			c->syn_ts = ts;
			c->syn_dir = (uint8_t)dir;
			c->syn_isn = s->seq;
		} else if (dir == c->syn_dir && !c->saw_synack) {
			c->syn_ambiguous = true;
		}
	} else if (fl & WIRE_TH_SYN) {
		if (!c->saw_syn || dir == c->syn_dir || s->ack != c->syn_isn + 1)
			return;
		if (!c->saw_synack) {
			c->saw_synack = true;
			c->synack_ts = ts;
			c->synack_isn = s->seq;
		} else if (!c->saw_ack_of_synack) {
			c->synack_ambiguous = true;
		}
	} else if ((fl & WIRE_TH_ACK) && c->saw_synack && !c->saw_ack_of_synack &&
		   dir == c->syn_dir && seq_gt(s->ack, c->synack_isn)) {
		c->saw_ack_of_synack = true;
		c->ack_ts = ts;
	}
}

static void payload(struct stats_dir *d, const struct seg *s, tstamp ts)
{
	if (s->len == 0)
		return;
	if (d->data_pkts++ == 0)
		d->first_data_ts = ts;
	if (ts > d->last_data_ts || d->data_pkts == 1)
		d->last_data_ts = ts;
	d->bytes += s->len;
	if (s->len > d->max_seg)
		d->max_seg = s->len;
	if (d->min_seg == 0 || s->len < d->min_seg)
		d->min_seg = s->len;
}

/* Unique, retransmitted and probe bytes; timing of new sequence space. */
static void sequence(struct stats_dir *d, const struct stats_dir *peer, const struct seg *s,
		     tstamp ts, unsigned flags)
{
	uint32_t seqlen = seg_seqlen(s), end = s->seq + seqlen;
	uint32_t pstart = s->seq + !!(s->flags & WIRE_TH_SYN), old = 0;

	if (!d->high_known) {
		/* first segment: everything in it is new */
		d->high_seq = s->seq;
		d->high_known = true;
	}
	if (seqlen == 0)
		return;
	if (peer->pkts && peer->last_win_zero) {
		d->zwnd_probe_pkts++;
		d->zwnd_probe_bytes += s->len;
		return;
	}
	if (seq_lt(s->seq, d->high_seq)) {
		ring_invalidate(d, s->seq);
		if (s->len && seq_lt(pstart, d->high_seq))
			old = seq_min(pstart + s->len, d->high_seq) - pstart;
	}
	if (old) {
		if ((flags & STATS_F_OUT_OF_ORDER) && !(flags & STATS_F_RETRANS)) {
			d->unique_bytes += old;
		} else {
			d->retrans_pkts++;
			d->retrans_bytes += old;
		}
	}
	d->unique_bytes += s->len - old;
	if (seq_gt(end, d->high_seq)) {
		if (!(flags & STATS_F_RETRANS))
			ring_push(d, end, ts);
		d->high_seq = end;
	}
}

static void window(struct stats_dir *d, const struct seg *s, int64_t wnd_scaled)
{
	uint64_t w;

	if (!(s->flags & (WIRE_TH_ACK | WIRE_TH_SYN)))
		return;
	d->last_win_zero = s->wnd == 0;
	if ((s->flags & WIRE_TH_ACK) && s->wnd == 0)
		d->zero_win_adv++;
	if (wnd_scaled < 0)
		return;
	w = (uint64_t)wnd_scaled;
	if (w && (d->win_min == 0 || w < d->win_min))
		d->win_min = w;
	if (w > d->win_max)
		d->win_max = w;
	d->win_sum += (double)w;
	d->win_n++;
}

void stats_segment(struct stats_conn *c, int dir, const struct seg *s, tstamp ts,
		   unsigned flags, int64_t wnd_scaled, bool bad_csum)
{
	struct stats_dir *d, *peer;

	if (dir != 0 && dir != 1)
		return;
	d = &c->dir[dir];
	peer = &c->dir[!dir];

	update_times(c, d, ts);
	d->pkts++;
	if (bad_csum) {
		d->bad_csum_pkts++;
		stats_zeek_segment(c, dir, s, ts, true);
		return;
	}
	count_flags(c, dir, s, flags);
	handshake(c, dir, s, ts);
	if (!(s->flags & WIRE_TH_RST)) {
		payload(d, s, ts);
		sequence(d, peer, s, ts, flags);
		window(d, s, wnd_scaled);
	}
	if (s->flags & WIRE_TH_ACK)
		rtt_ack(peer, s->ack, ts);
	stats_zeek_segment(c, dir, s, ts, false);
	if (flags & STATS_F_GAP)
		stats_gap(c, dir, 0);
}

/* --- results --- */

tstamp stats_syn_rtt(const struct stats_conn *c)
{
	if (!c->saw_synack || c->syn_ambiguous || c->synack_ts < c->syn_ts)
		return -1;
	return c->synack_ts - c->syn_ts;
}

tstamp stats_synack_rtt(const struct stats_conn *c)
{
	if (!c->saw_ack_of_synack || c->synack_ambiguous || c->ack_ts < c->synack_ts)
		return -1;
	return c->ack_ts - c->synack_ts;
}

tstamp stats_handshake_rtt(const struct stats_conn *c)
{
	if (stats_syn_rtt(c) < 0 || stats_synack_rtt(c) < 0)
		return -1;
	return c->ack_ts - c->syn_ts;
}

tstamp stats_duration(const struct stats_conn *c)
{
	return c->started ? c->last_ts - c->first_ts : 0;
}

double stats_throughput(const struct stats_conn *c, int dir)
{
	tstamp dur = stats_duration(c);

	if ((dir != 0 && dir != 1) || dur <= 0)
		return 0.0;
	return (double)c->dir[dir].unique_bytes * 1e9 / (double)dur;
}

double stats_win_avg(const struct stats_dir *d)
{
	return d->win_n ? d->win_sum / (double)d->win_n : 0.0;
}
