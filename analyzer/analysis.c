/* analysis: Wireshark's TCP sequence analysis, rule for rule.
 *
 * "WS n" below names the step of Wireshark 4.0's packet-tcp.c this code
 * reproduces: dissect_tcp() for the conversation and window-scale steps,
 * tcp_analyze_sequence_number() for the labels, in the same order,
 * because the order decides which label a segment gets and which state
 * the next segment sees. Quirks are kept on purpose and marked "quirk":
 * a user comparing with Wireshark line by line must see the same label.
 * Where the installed tshark (4.0.17) was found to differ from newer
 * sources, the 4.0.17 behaviour is kept (noted "4.0").
 *
 * Sequence values in the findings are relative (seq - ISN), as Wireshark
 * shows them. */
#include "analysis.h"

#include <string.h>

#include "seq.h"

#define FAST_RETRANS_WINDOW TSTAMP_MS(20)  /* WS: "within 20ms of the last dup ack" */
#define OOO_DEFAULT_THRESH  TSTAMP_MS(3)   /* WS: ooo_thres without an iRTT */
#define WS_MAX_SHIFT 14                    /* RFC 7323 2.3, as Wireshark caps it */

/* Labels found so far, with their finding values, for the findings. */
struct verdict {
	struct analysis_out *out;
	unsigned long long v[ANALYSIS_N_LABELS][FINDING_MAX_VALUES];
};

static int bit_index(uint32_t flag)
{
	int i = 0;

	while (i < 32 && !(flag & (1u << i)))
		i++;
	return i;
}

static void mark(struct verdict *vd, uint32_t flag, unsigned long long a,
		 unsigned long long b, unsigned long long c)
{
	int i = bit_index(flag);

	vd->out->flags |= flag;
	vd->v[i][0] = a;
	vd->v[i][1] = b;
	vd->v[i][2] = c;
}

static const struct {
	uint32_t flag;
	const char *name;         /* Wireshark's tcp.analysis.<name> */
	enum finding_id id;
} labels[ANALYSIS_N_LABELS] = {
	{ANALYSIS_RETRANSMISSION, "retransmission", FND_ANA_RETRANSMISSION},
	{ANALYSIS_LOST_SEGMENT, "lost_segment", FND_ANA_PREVIOUS_SEGMENT_NOT_CAPTURED},
	{ANALYSIS_ACK_LOST_SEGMENT, "ack_lost_segment", FND_ANA_ACKED_UNSEEN_SEGMENT},
	{ANALYSIS_KEEP_ALIVE, "keep_alive", FND_ANA_KEEP_ALIVE},
	{ANALYSIS_DUP_ACK, "duplicate_ack", FND_ANA_DUP_ACK},
	{ANALYSIS_ZERO_WINDOW, "zero_window", FND_ANA_ZERO_WINDOW},
	{ANALYSIS_ZERO_WINDOW_PROBE, "zero_window_probe", FND_ANA_ZERO_WINDOW_PROBE},
	{ANALYSIS_ZERO_WINDOW_PROBE_ACK, "zero_window_probe_ack", FND_ANA_ZERO_WINDOW_PROBE_ACK},
	{ANALYSIS_KEEP_ALIVE_ACK, "keep_alive_ack", FND_ANA_KEEP_ALIVE_ACK},
	{ANALYSIS_OUT_OF_ORDER, "out_of_order", FND_ANA_OUT_OF_ORDER},
	{ANALYSIS_FAST_RETRANSMISSION, "fast_retransmission", FND_ANA_FAST_RETRANSMISSION},
	{ANALYSIS_WINDOW_UPDATE, "window_update", FND_ANA_WINDOW_UPDATE},
	{ANALYSIS_WINDOW_FULL, "window_full", FND_ANA_WINDOW_FULL},
	{ANALYSIS_REUSED_PORTS, "reused_ports", FND_ANA_PORTS_REUSED},
	{ANALYSIS_SPURIOUS_RETRANSMISSION, "spurious_retransmission", FND_ANA_SPURIOUS_RETRANSMISSION},
};

const char *analysis_label_name(uint32_t flag)
{
	int i = bit_index(flag);

	return i < ANALYSIS_N_LABELS && flag == labels[i].flag ? labels[i].name : NULL;
}

enum finding_id analysis_label_finding(uint32_t flag)
{
	int i = bit_index(flag);

	return i < ANALYSIS_N_LABELS && flag == labels[i].flag ? labels[i].id : FND__COUNT;
}

static void dir_init(struct analysis_dir *d)
{
	memset(d, 0, sizeof(*d));
	d->window = UINT32_MAX;              /* WS: flow.window = G_MAXUINT32 */
	d->win_scale = ANALYSIS_WS_UNKNOWN;  /* WS: pinfo->src/dst_win_scale = -1 */
}

void analysis_init(struct analysis *a, const struct analysis_reuse *reused)
{
	memset(a, 0, sizeof(*a));
	dir_init(&a->dir[0]);
	dir_init(&a->dir[1]);
	if (reused) {
		a->reused = true;
		a->reuse = *reused;
	}
}

void analysis_set_wscale(struct analysis *a, int dir, int scale)
{
	struct analysis_dir *d = &a->dir[dir & 1];

	if (scale > WS_MAX_SHIFT)
		scale = WS_MAX_SHIFT;
	if (scale < ANALYSIS_WS_NONE)
		scale = ANALYSIS_WS_UNKNOWN;
	d->win_scale = (int8_t)scale;
	d->ws_pinned = true;
}

static uint64_t last_pkt(const struct analysis *a)
{
	return a->dir[0].last_pkt > a->dir[1].last_pkt ? a->dir[0].last_pkt
						       : a->dir[1].last_pkt;
}

bool analysis_port_reused(const struct analysis *a, int dir, const struct seg *s,
			  struct analysis_reuse *r)
{
	const struct analysis_dir *fwd = &a->dir[dir & 1];

	/* WS dissect_tcp: a SYN (no ACK) whose seq differs from the base seq
	 * of its direction opens a new conversation. */
	if ((s->flags & (WIRE_TH_SYN | WIRE_TH_ACK)) != WIRE_TH_SYN || !fwd->base_set ||
	    s->seq == fwd->base_seq)
		return false;
	if (r) {
		r->prev_isn = fwd->base_seq;
		r->prev_last_pkt = last_pkt(a);
	}
	return true;
}

/* First packet that sent the byte at seq, else the packet that sent the
 * highest sequence number (which sent up to it at or before then). */
static uint64_t sent_at(const struct analysis_dir *d, uint32_t seq)
{
	for (unsigned n = 0; n < ANALYSIS_SENT_RING; n++) {
		const struct analysis_sent *r =
			&d->sent[(d->sent_next + n) % ANALYSIS_SENT_RING];

		if (r->pkt && r->seq != r->end && seq_in(seq, r->seq, r->end))
			return r->pkt;
	}
	return d->nextseq_pkt;
}

static void sent_add(struct analysis_dir *d, uint32_t seq, uint32_t end, uint64_t pkt)
{
	struct analysis_sent *r = &d->sent[d->sent_next];

	r->seq = seq;
	r->end = end;
	r->pkt = pkt;
	d->sent_next = (uint8_t)((d->sent_next + 1) % ANALYSIS_SENT_RING);
}

#define NO_SFR(fl) (((fl) & (WIRE_TH_SYN | WIRE_TH_FIN | WIRE_TH_RST)) == 0)

/* WS tcp_analyze_sequence_number(), from the base seq to the window
 * bookkeeping. fwd sent s; rev is the other direction. */
static void analyze_seq(struct analysis *a, struct analysis_dir *fwd,
			struct analysis_dir *rev, const struct seg *s, tstamp now,
			struct verdict *vd)
{
	const uint8_t fl = s->flags;
	const uint32_t seq = s->seq, ack = s->ack, len = s->len, win = s->wnd;
	struct analysis_out *out = vd->out;
	uint32_t nextseq;

	/* Base seq for relative numbers: the ISN, else seq - 1; the peer's
	 * from the first ACK, ack - 1. */
	if (!fwd->base_set) {
		fwd->base_seq = (fl & WIRE_TH_SYN) ? seq : seq - 1;
		fwd->base_set = true;
	}
	if (!rev->base_set && (fl & WIRE_TH_ACK)) {
		rev->base_seq = ack - 1;
		rev->base_set = true;
	}
#define RSEQ(x) ((unsigned long long)(uint32_t)((x) - fwd->base_seq))
#define RACK(x) ((unsigned long long)(uint32_t)((x) - rev->base_seq))

	/* ZERO WINDOW PROBE: exactly 1 byte at the next seq while the
	 * peer's window is 0. It skips every other window/ACK check. */
	if (len == 1 && seq == fwd->nextseq && rev->window == 0) {
		mark(vd, ANALYSIS_ZERO_WINDOW_PROBE, RSEQ(seq), rev->last_pkt, 0);
		goto finished_fwd;
	}
	/* ZERO WINDOW: window 0 on anything but SYN/FIN/RST. */
	if (win == 0 && NO_SFR(fl))
		mark(vd, ANALYSIS_ZERO_WINDOW, RACK(ack), 0, 0);
	/* LOST PACKET: beyond the highest seq seen (once one was seen); not
	 * for RST. */
	if (fwd->nextseq && seq_gt(seq, fwd->nextseq) && !(fl & WIRE_TH_RST))
		mark(vd, ANALYSIS_LOST_SEGMENT, RSEQ(seq), RSEQ(fwd->nextseq),
		     fwd->nextseq_pkt);
	/* KEEP ALIVE: 0 or 1 byte at next seq - 1. Quirk: with no seq seen
	 * yet, next seq is 0 and the test is against 0xffffffff. */
	if (len <= 1 && seq == fwd->nextseq - 1 && NO_SFR(fl))
		mark(vd, ANALYSIS_KEEP_ALIVE, RSEQ(seq), RSEQ(fwd->nextseq), len);
	/* WINDOW UPDATE: no data, same seq/ack as before, a new non-zero
	 * window. Raw window fields: the scale does not matter. */
	if (len == 0 && win && win != fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && NO_SFR(fl))
		mark(vd, ANALYSIS_WINDOW_UPDATE, fwd->window, win, RACK(ack));
	/* WINDOW FULL: data ending exactly at the peer's ack + window. Only
	 * with a known scale (not -1, "unknown"); the peer's window since its
	 * SYN is unscaled until its first pure ACK (Wireshark issue 14690). */
	if (len > 0 && rev->win_scale != ANALYSIS_WS_UNKNOWN && NO_SFR(fl)) {
		unsigned sh = rev->is_first_ack || rev->win_scale < 0 ?
			0 : (unsigned)rev->win_scale;
		uint32_t rwnd = rev->window << sh;  /* quirk: uint32, wraps */

		if (seq + len == rev->lastack + rwnd)
			mark(vd, ANALYSIS_WINDOW_FULL, RSEQ(seq + len),
			     RSEQ(rev->lastack), rwnd);
	}
	/* KEEP ALIVE ACK: a dup-ACK shape right after the peer's keep-alive. */
	if (len == 0 && win && win == fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastsegmentflags & ANALYSIS_KEEP_ALIVE) &&
	    NO_SFR(fl)) {
		mark(vd, ANALYSIS_KEEP_ALIVE_ACK, RACK(ack), rev->last_pkt, 0);
		goto finished_fwd;
	}
	/* ZERO WINDOW PROBE ACK: the same, window still 0, after a probe. */
	if (len == 0 && win == 0 && win == fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastsegmentflags & ANALYSIS_ZERO_WINDOW_PROBE) &&
	    NO_SFR(fl)) {
		mark(vd, ANALYSIS_ZERO_WINDOW_PROBE_ACK, RACK(ack), rev->last_pkt, 0);
		goto finished_fwd;
	}
	/* DUPLICATE ACK: no data, same non-zero window, seq and ack. */
	if (len == 0 && win && win == fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && NO_SFR(fl)) {
		/* after an ACKed-unseen ("-1") counting restarts at 1 */
		fwd->dupacknum = fwd->dupacknum == UINT32_MAX ? 1 : fwd->dupacknum + 1;
		out->dupack_num = fwd->dupacknum;
		out->dupack_of = fwd->lastnondupack;
		mark(vd, ANALYSIS_DUP_ACK, fwd->dupacknum, fwd->lastnondupack, RACK(ack));
	}

finished_fwd:
	/* A new ack restarts the dup-ACK count. */
	if (ack != fwd->lastack) {
		fwd->lastnondupack = s->pkt;
		fwd->dupacknum = 0;
	}
	/* ACKED LOST PACKET: an ACK beyond the end of the contiguous data
	 * seen from the peer. 4.0 (checked against tshark 4.0.17; newer
	 * sources compare the other way): while that end lags the peer's
	 * highest seq it catches up and the ACK is labelled; after that, only
	 * if the peer has sent no dup ACK since, and its dup-ACK count becomes
	 * "-1", so a stalled peer's hole is reported once. Quirk: plain, not
	 * modular, comparison. */
	if (rev->maxseqtobeacked && seq_gt(ack, rev->maxseqtobeacked) &&
	    (fl & WIRE_TH_ACK)) {
		unsigned long long v0 = RACK(ack), v1 = RACK(rev->maxseqtobeacked);
		uint64_t v2 = rev->maxseq_pkt;

		if (rev->maxseqtobeacked < rev->nextseq) {
			rev->maxseqtobeacked = rev->nextseq;
			rev->maxseq_pkt = rev->nextseq_pkt;
			mark(vd, ANALYSIS_ACK_LOST_SEGMENT, v0, v1, v2);
		} else {
			if (rev->dupacknum == 0)
				mark(vd, ANALYSIS_ACK_LOST_SEGMENT, v0, v1, v2);
			rev->dupacknum = UINT32_MAX;
		}
	}

	/* RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER:
	 * data (or SYN/FIN) that does not advance the highest seq. */
	if (len > 0 || (fl & (WIRE_TH_SYN | WIRE_TH_FIN))) {
		bool not_adv = fwd->nextseq && seq_lt(seq, fwd->nextseq);
		uint64_t t, thres;

		/* a keep-alive is not a retransmission */
		if (out->flags & ANALYSIS_KEEP_ALIVE)
			goto finished_checking;
		/* more than one byte from next seq - 1 (after a possible zero
		 * window probe) adds new data: not a retransmission */
		if (len > 1 && fwd->nextseq - 1 == seq)
			not_adv = false;
		/* SPURIOUS: all of it was already ACKed by the peer; checked
		 * first, even when seq does advance. */
		if (len > 0 && rev->lastack && seq_leq(seq + len, rev->lastack)) {
			mark(vd, ANALYSIS_SPURIOUS_RETRANSMISSION, RSEQ(seq + len),
			     RSEQ(rev->lastack), rev->last_pkt);
			goto finished_checking;
		}
		/* FAST RETRANSMISSION (before out-of-order: the default
		 * tcp.fastrt_supersedes_ooo = TRUE): >= 2 dup ACKs from the
		 * peer asking for seq, this < 20 ms after the peer's last
		 * segment. Quirks: the count is unsigned, so "-1" (after an
		 * ACKed-unseen) passes; time differences are unsigned too, a
		 * negative one is huge. */
		t = (uint64_t)(now - rev->lastack_time);
		if (not_adv && rev->dupacknum >= 2 && rev->lastack == seq &&
		    t < (uint64_t)FAST_RETRANS_WINDOW) {
			mark(vd, ANALYSIS_FAST_RETRANSMISSION, RSEQ(seq),
			     rev->dupacknum == UINT32_MAX ? 0 : rev->dupacknum,
			     rev->last_pkt);
			goto finished_checking;
		}
		/* OUT-OF-ORDER: sooner after the highest seq than the iRTT (3 ms
		 * while unknown), and not ending exactly at next seq. */
		t = (uint64_t)(now - fwd->nextseq_time);
		thres = a->irtt == 0 ? (uint64_t)OOO_DEFAULT_THRESH : (uint64_t)a->irtt;
		if (not_adv && t < thres &&
		    fwd->nextseq != seq + len + ((fl & (WIRE_TH_SYN | WIRE_TH_FIN)) ? 1 : 0)) {
			mark(vd, ANALYSIS_OUT_OF_ORDER, RSEQ(seq), RSEQ(fwd->nextseq),
			     fwd->nextseq_pkt);
			goto finished_checking;
		}
		if (not_adv)
			mark(vd, ANALYSIS_RETRANSMISSION, RSEQ(seq), RSEQ(fwd->nextseq),
			     sent_at(fwd, seq));
	}

finished_checking:
	/* Next seq; SYN and FIN count one. (Wireshark adds the one only
	 * while it stores fewer than 10000 unACKed segments; see the
	 * differential test's rule list.) */
	nextseq = seq + len + ((fl & (WIRE_TH_SYN | WIRE_TH_FIN)) ? 1 : 0);
	/* The highest next seq; a zero window probe does not advance it. */
	if ((seq_gt(nextseq, fwd->nextseq) || !fwd->nextseq) &&
	    !(out->flags & ANALYSIS_ZERO_WINDOW_PROBE)) {
		if (nextseq != seq)
			sent_add(fwd, seq, nextseq, s->pkt);
		fwd->nextseq = nextseq;
		fwd->nextseq_pkt = s->pkt;
		fwd->nextseq_time = now;
	}
	/* The end of contiguous data: moves only with a segment starting
	 * exactly there (or the first one). */
	if ((seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) &&
	    !(out->flags & ANALYSIS_ZERO_WINDOW_PROBE)) {
		fwd->maxseqtobeacked = fwd->nextseq;
		fwd->maxseq_pkt = fwd->nextseq_pkt;
	}
	/* What this side last said, even without the ACK bit (as Wireshark). */
	fwd->window = win;
	fwd->lastack = ack;
	fwd->lastack_time = now;
	fwd->last_pkt = s->pkt;
	fwd->lastsegmentflags = out->flags;
#undef RSEQ
#undef RACK
}

void analysis_segment(struct analysis *a, int dir, const struct seg *s,
		      tstamp now, struct analysis_out *out)
{
	struct analysis_dir *fwd = &a->dir[dir & 1], *rev = &a->dir[!(dir & 1)];
	const uint8_t fl = s->flags;
	struct verdict vd;
	struct analysis_reuse r;

	/* no full memset: findings[] and vd.v are only read where written */
	out->flags = 0;
	out->dupack_num = 0;
	out->dupack_of = 0;
	out->n_findings = 0;
	vd.out = out;

	/* WS dissect_tcp, conversation lookup: a SYN with another ISN opens
	 * a new conversation labelled "reused ports". */
	if (analysis_port_reused(a, dir, s, &r))
		analysis_init(a, &r);
	if (a->reused) {
		mark(&vd, ANALYSIS_REUSED_PORTS, s->seq, a->reuse.prev_isn,
		     a->reuse.prev_last_pkt);
		a->reused = false;
	} else if ((fl & (WIRE_TH_SYN | WIRE_TH_ACK)) == WIRE_TH_SYN && fwd->base_set) {
		/* The same SYN again: back to the end of contiguous data (an
		 * RST may carry any seq, Wireshark issue 17616). 4.0: no
		 * "reused ports" label here, only the retransmission. */
		fwd->nextseq = fwd->maxseqtobeacked;
	}
	/* A SYN-ACK with another ISN than its direction's: Wireshark takes
	 * the new base and labels it, keeping the conversation. */
	if ((fl & (WIRE_TH_SYN | WIRE_TH_ACK)) == (WIRE_TH_SYN | WIRE_TH_ACK) &&
	    fwd->base_set && s->seq != fwd->base_seq) {
		mark(&vd, ANALYSIS_REUSED_PORTS, s->seq, fwd->base_seq, last_pkt(a));
		fwd->base_seq = s->seq;
	}

	analyze_seq(a, fwd, rev, s, now, &vd);

	/* WS dissect_tcp after the analysis: SYN bookkeeping, the iRTT from
	 * the most recent SYN to the first pure ACK (either side), the first
	 * ACK that ends the unscaled SYN window, then the options' window
	 * scale and its check on SYNs. */
	if (fl & WIRE_TH_SYN) {
		if (!(fl & WIRE_TH_ACK)) {
			a->syn_time = now;
			a->has_syn_time = true;
		}
		fwd->is_first_ack = true;
	}
	if ((fl & (WIRE_TH_SYN | WIRE_TH_ACK)) == WIRE_TH_ACK) {
		/* quirk: an iRTT of exactly 0 counts as none */
		if (a->has_syn_time && a->irtt == 0)
			a->irtt = now - a->syn_time;
		fwd->is_first_ack = false;
	}
	if (s->has_ws && !fwd->ws_pinned)
		fwd->win_scale = (int8_t)(s->ws > WS_MAX_SHIFT ? WS_MAX_SHIFT : s->ws);
	if (fl & WIRE_TH_SYN) {
		/* scaling needs the option both ways (RFC 7323 2.2) */
		if (fwd->win_scale == ANALYSIS_WS_UNKNOWN) {
			if (!fwd->ws_pinned)
				fwd->win_scale = ANALYSIS_WS_NONE;
			if (!rev->ws_pinned)
				rev->win_scale = ANALYSIS_WS_NONE;
		} else if ((fl & WIRE_TH_ACK) && rev->win_scale == ANALYSIS_WS_NONE &&
			   !fwd->ws_pinned) {
			fwd->win_scale = ANALYSIS_WS_NONE;
		}
	}

	for (int i = 0; i < ANALYSIS_N_LABELS; i++) {
		struct finding *f;

		if (!(out->flags & labels[i].flag))
			continue;
		f = &out->findings[out->n_findings++];
		f->id = labels[i].id;
		memcpy(f->v, vd.v[bit_index(labels[i].flag)], sizeof(f->v));
	}
}
