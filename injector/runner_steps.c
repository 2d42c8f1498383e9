/* runner_steps: send, expect, expect_none and wait, and the timing of
 * steps (see runner.h and docs/yaml.md, "Timing").
 *
 * Times are CLOCK_REALTIME ns, the clock of the capture timestamps, so
 * an interval is measured on the wire: from our injected frame as the
 * capture saw it to the target's segment as the capture saw it. Each step
 * records when it ended (t_end): a send when its frame was captured, an
 * expect when its segment was, expect_none and wait at the end of their
 * windows, app when its reply came (or, async, when it was sent). */
#include "runner_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The previous step ended (the case start for the first step). */
static int64_t prev_end(const struct play *pl, size_t i)
{
	return i > 0 && pl->t_end[i - 1] ? pl->t_end[i - 1] : pl->t0;
}

/* The time a timed step is for: at after the previous step, or at_abs
 * after the case start. */
static int64_t step_time(const struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];

	return (st->timing == SCRIPT_AT_ABS ? pl->t0 : prev_end(pl, i)) + (int64_t)st->at_us * US_NS;
}

int steps_until(struct play *pl, size_t i)
{
	int64_t when = step_time(pl, i) - pl->rt_off;

	if (when <= netdev_now_ns())
		return 0;
	if (play_service(pl, when, true) < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu: capture failed: %s", i + 1,
			  netdev_error(pl->r->link.nd));
		return -1;
	}
	return 0;
}

/* An unbound or out-of-range variable in step i's segment: the step
 * cannot be played. */
static int resolve(struct play *pl, size_t i, const char *kind)
{
	struct script_seg tmp;
	struct diag d;
	char where[DIAG_MSG_MAX + 300];

	diag_clear(&d);
	if (script_seg_resolve(&pl->c->steps[i].seg, &pl->vars, &tmp, &d) == 0)
		return 0;
	diag_format(&d, where, sizeof(where));
	play_fail(pl, RUNNER_ERROR, i, "step %zu (%s): %s", i + 1, kind, where);
	return -1;
}

int steps_send(struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];
	const struct script_seg *seg = &st->seg;
	const uint8_t *payload = seg->data;
	uint32_t plen = seg->data_len;
	struct wire_pkt pkt;
	unsigned flags = 0;
	size_t len;
	uint32_t end;

	if (resolve(pl, i, "send") < 0)
		return -1;
	if (!seg->data_set && seg->len.k == SNUM_VALUE) {
		plen = seg->len.lo.v < RUNNER_GEN_MAX ? seg->len.lo.v : RUNNER_GEN_MAX;
		for (uint32_t k = 0; k < plen; k++)
			pl->gen[k] = (uint8_t)('a' + k % 26);
		payload = pl->gen;
	}
	if (match_build_send(seg, &pl->vars, &pl->f, &pkt, &flags) < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (send): segment could not be built", i + 1);
		return -1;
	}
	if (wire_emit(&pkt, payload, plen, flags, pl->frame, sizeof(pl->frame), &len) < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (send): segment does not fit a frame", i + 1);
		return -1;
	}
	len = match_truncate_len(seg, &pkt, len);
	if (netdev_send(pl->r->link.nd, pl->frame, len) < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (send): injection failed: %s", i + 1,
			  netdev_error(pl->r->link.nd));
		return -1;
	}
	/* until the capture shows the frame (match_sent) */
	pl->t_end[i] = play_rt_now(pl);
	play_note_sent(pl, i, &pkt, len);
	/* a cut header is dropped by the target: it takes no sequence space */
	end = pkt.tcp.seq;
	if (seg->truncate < 0)
		end += plen + !!(pkt.tcp.flags & WIRE_TH_SYN) + !!(pkt.tcp.flags & WIRE_TH_FIN);
	if ((int32_t)(end - pl->snd_nxt) > 0)
		pl->snd_nxt = end;
	return 0;
}

/* The target's first SYN fixes its ISN: relative seq 0 from there on. */
static void learn_isn(struct play *pl, const struct wire_pkt *p)
{
	if ((p->tcp.flags & WIRE_TH_SYN) && !pl->f.target_isn_known) {
		pl->f.target_isn = p->tcp.seq;
		pl->f.target_isn_known = true;
		pl->res->target_isn = p->tcp.seq;
		pl->res->target_isn_known = true;
	}
}

/* Content check and captures of a segment an expect took. */
static int judge(struct play *pl, size_t i, const struct tseg *s, const char *when)
{
	const struct script_step *st = &pl->c->steps[i];
	struct match_diff diff;
	char got[160], why[900], where[DIAG_MSG_MAX + 300];
	struct diag d;
	int rc;

	learn_isn(pl, &s->pkt);
	if (!match_expect(&st->seg, &pl->vars, &pl->f, &s->pkt, &diff)) {
		play_describe(pl, &s->pkt, got, sizeof(got));
		match_diff_str(&diff, why, sizeof(why));
		play_fail(pl, RUNNER_FAIL, i, "step %zu (expect): got %s %s; %s", i + 1, got, when, why);
		return -1;
	}
	diag_clear(&d);
	rc = match_capture(st, &pl->f, &s->pkt, &pl->vars, &d);
	if (rc < 0) {
		diag_format(&d, where, sizeof(where));
		play_fail(pl, rc == SCRIPT_ERR_NOMEM ? RUNNER_ERROR : RUNNER_FAIL, i,
			  "step %zu (expect): capture: %s", i + 1, where);
		return -1;
	}
	return 0;
}

static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

/* expect with at / at_abs: the segment must be captured within
 * [T0 - tol, T0 + tol]. A segment that comes later is still waited for
 * a while, so that the failure can say when it came. */
static int expect_timed(struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];
	bool abs = st->timing == SCRIPT_AT_ABS;
	int64_t due = step_time(pl, i), tol, base, grace = 0;
	uint64_t interval;
	struct tseg s;
	char got[160], when[200], frame[64];
	int rc;

	interval = due > prev_end(pl, i) ? (uint64_t)(due - prev_end(pl, i)) / 1000 : 0;
	tol = (int64_t)script_tolerance_us(st, pl->c, &pl->r->cfg.tolerance, interval) * US_NS;
	rc = play_next_from_target(pl, due + tol - pl->rt_off + 2 * MS_NS, &s);
	if (rc == 0) {
		grace = tol > 100 * MS_NS ? tol : 100 * MS_NS;
		if (grace > 1000 * MS_NS)
			grace = 1000 * MS_NS;
		rc = play_next_from_target(pl, due + tol + grace - pl->rt_off, &s);
	}
	if (rc < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (expect): capture failed: %s", i + 1,
			  netdev_error(pl->r->link.nd));
		return -1;
	}
	/* our send's frame may have been captured meanwhile: its capture
	 * time is the reference */
	due = step_time(pl, i);
	interval = due > prev_end(pl, i) ? (uint64_t)(due - prev_end(pl, i)) / 1000 : 0;
	tol = (int64_t)script_tolerance_us(st, pl->c, &pl->r->cfg.tolerance, interval) * US_NS;
	base = abs ? pl->t0 : prev_end(pl, i);
	if (abs || i == 0)
		snprintf(frame, sizeof(frame), "after the case start");
	else
		snprintf(frame, sizeof(frame), "after step %zu", i);
	if (rc == 0) {
		play_fail(pl, RUNNER_FAIL, i, "step %zu (expect): nothing arrived by %.3f ms, "
			  "expected %.3f \xc2\xb1 %.3f ms (%s)", i + 1, ms(due + tol + grace - base),
			  ms(due - base), ms(tol), frame);
		return -1;
	}
	play_note_frame(pl, i, s.num);
	pl->t_end[i] = s.ts_ns;
	snprintf(when, sizeof(when), "at %.3f ms (%s)", ms(s.ts_ns - base), frame);
	if (judge(pl, i, &s, when) < 0)
		return -1;
	if (s.ts_ns < due - tol || s.ts_ns > due + tol) {
		play_describe(pl, &s.pkt, got, sizeof(got));
		play_fail(pl, RUNNER_FAIL, i, "step %zu (expect): %s arrived at %.3f ms, expected "
			  "%.3f \xc2\xb1 %.3f ms (%s)", i + 1, got, ms(s.ts_ns - base), ms(due - base),
			  ms(tol), frame);
		return -1;
	}
	return 0;
}

int steps_expect(struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];
	int64_t start = netdev_now_ns(), start_rt = play_rt_now(pl);
	struct tseg s;
	char when[64];
	int rc;

	if (resolve(pl, i, "expect") < 0)
		return -1;
	if (st->timing != SCRIPT_AT_NOW)
		return expect_timed(pl, i);
	rc = play_next_from_target(pl, start + (int64_t)st->within_ms * MS_NS, &s);
	if (rc < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (expect): capture failed: %s", i + 1,
			  netdev_error(pl->r->link.nd));
		return -1;
	}
	if (rc == 0) {
		play_fail(pl, RUNNER_FAIL, i, "step %zu (expect): nothing arrived within %u ms",
			  i + 1, st->within_ms);
		return -1;
	}
	play_note_frame(pl, i, s.num);
	pl->t_end[i] = s.ts_ns;
	snprintf(when, sizeof(when), "after %lld ms",
		 (long long)(s.ts_ns > start_rt ? (s.ts_ns - start_rt) / MS_NS : 0));
	return judge(pl, i, &s, when);
}

int steps_expect_none(struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];
	int64_t start = netdev_now_ns(), start_rt = play_rt_now(pl);
	struct tseg s;
	char got[160];
	int rc;

	pl->t_end[i] = start_rt + (int64_t)st->for_ms * MS_NS;
	rc = play_next_from_target(pl, start + (int64_t)st->for_ms * MS_NS, &s);
	if (rc < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (expect_none): capture failed: %s",
			  i + 1, netdev_error(pl->r->link.nd));
		return -1;
	}
	if (rc == 0)
		return 0;
	play_note_frame(pl, i, s.num);
	learn_isn(pl, &s.pkt);
	play_describe(pl, &s.pkt, got, sizeof(got));
	play_fail(pl, RUNNER_FAIL, i,
		  "step %zu (expect_none): expected no segment for %u ms, got %s after %lld ms",
		  i + 1, st->for_ms, got,
		  (long long)(s.ts_ns > start_rt ? (s.ts_ns - start_rt) / MS_NS : 0));
	return -1;
}

int steps_wait(struct play *pl, size_t i)
{
	const struct script_step *st = &pl->c->steps[i];
	int64_t end = netdev_now_ns() + (int64_t)st->wait_us * US_NS;

	pl->t_end[i] = play_rt_now(pl) + (int64_t)st->wait_us * US_NS;
	if (play_service(pl, end, false) < 0) {
		play_fail(pl, RUNNER_ERROR, i, "step %zu (wait): capture failed: %s", i + 1,
			  netdev_error(pl->r->link.nd));
		return -1;
	}
	return 0;
}

/* An RST exactly at the target's RCV.NXT (its latest ACK) aborts whatever
 * it holds for the flow, so its retransmissions stop; one merely in the
 * window would draw a challenge ACK (RFC 5961 3.2). Without an ACK from
 * the target, our snd_nxt is the best guess. */
void steps_reset_flow(struct play *pl)
{
	struct script_seg rst;
	struct wire_pkt pkt;
	unsigned flags = 0;
	size_t len;

	memset(&rst, 0, sizeof(rst));
	rst.flags_set = true;
	rst.flags = WIRE_TH_RST;
	rst.seq.k = SNUM_VALUE;
	rst.seq.lo.v = rst.seq.hi.v = pl->tgt_ack_known ? pl->tgt_ack : pl->snd_nxt;
	rst.seq_abs = true;
	rst.doff = -1;
	rst.reserved = -1;
	rst.truncate = -1;
	if (match_build_send(&rst, NULL, &pl->f, &pkt, &flags) == 0 &&
	    wire_emit(&pkt, NULL, 0, flags, pl->frame, sizeof(pl->frame), &len) == 0 &&
	    netdev_send(pl->r->link.nd, pl->frame, len) == 0)
		play_note_sent(pl, SIZE_MAX, &pkt, len);
}
