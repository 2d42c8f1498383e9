#include "runner.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "match.h"
#include "wire.h"

#define PORT_FIRST 40000
#define PORT_LAST  59999
#define FRAME_MAX  (65535 + 64)
#define GEN_MAX    65000

const char *runner_verdict_name(enum runner_verdict v)
{
	switch (v) {
	case RUNNER_PASS:  return "pass";
	case RUNNER_FAIL:  return "fail";
	case RUNNER_ERROR: return "error";
	}
	return "?";
}

void runner_init(struct runner *r, const struct runner_link *link,
		 const char *pcap_dir)
{
	uint16_t rnd = 0;

	memset(r, 0, sizeof(*r));
	r->link = *link;
	r->pcap_dir = pcap_dir;
	/* a random start keeps two runs from reusing each other's 4-tuples */
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = 0;
	r->next_port = PORT_FIRST + rnd % (PORT_LAST - PORT_FIRST);
}

static uint16_t take_port(struct runner *r)
{
	uint16_t p = r->next_port;

	r->next_port = p >= PORT_LAST ? PORT_FIRST : p + 1;
	return p;
}

/* The reason starts with "file:line: " of the failed step so it stands
 * alone in a log. */
static void result_fail(struct runner_result *res, enum runner_verdict v,
			const char *file, size_t step, const struct script_step *s,
			const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void result_fail(struct runner_result *res, enum runner_verdict v,
			const char *file, size_t step, const struct script_step *s,
			const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	res->verdict = v;
	res->failed_step = step;
	res->line = s ? s->line : 0;
	res->col = s ? s->col : 0;
	if (file && s)
		n = snprintf(res->reason, sizeof(res->reason), "%s:%u: ", file, s->line);
	if (n < 0 || (size_t)n >= sizeof(res->reason))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(res->reason + n, sizeof(res->reason) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* "[SA] seq 0 ack 1 win 65160 len 0" relative to the flow's ISNs. */
static void describe(const struct match_flow *f, const struct wire_pkt *p,
		     char *buf, size_t cap)
{
	char flags[12];
	uint32_t seq = p->tcp.seq - (f->target_isn_known ? f->target_isn : 0);

	wire_flags_str(p->tcp.flags, flags);
	if (p->tcp.flags & WIRE_TH_ACK)
		snprintf(buf, cap, "[%s] seq %u ack %u win %u len %u", flags, seq,
			 p->tcp.ack - f->tester_isn, p->tcp.win, p->tcp.payload_len);
	else
		snprintf(buf, cap, "[%s] seq %u win %u len %u", flags, seq, p->tcp.win,
			 p->tcp.payload_len);
}

/* A frame we injected, until the capture shows it. */
struct sent {
	size_t step;            /* SIZE_MAX: not a step's (the closing RST) */
	uint64_t hash;          /* of the frame's bytes */
	size_t len;
	uint32_t seq, ack;
	uint8_t flags;
	bool seen;
};

struct play {
	struct runner *r;
	const struct script_case *c;
	struct runner_result *res;
	struct match_flow f;
	uint32_t snd_nxt;       /* our next sequence number (absolute) */
	bool target_seen;       /* the target may hold state for this flow */
	uint64_t n_rx;          /* frames netdev_recv returned: each is in the dump */
	struct sent *sent;      /* n_steps + 1 */
	size_t n_sent;
	uint8_t frame[FRAME_MAX];
	uint8_t gen[GEN_MAX];   /* generated payload for `len: N` */
};

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* The frame just received (pl->n_rx) belongs to step i. */
static void note_frame(struct play *pl, size_t step)
{
	struct runner_result *res = pl->res;

	if (res->frames && res->n_frames < pl->c->n_steps) {
		res->frames[res->n_frames].step = step;
		res->frames[res->n_frames].num = pl->n_rx;
		res->n_frames++;
	}
}

static void note_sent(struct play *pl, size_t step, const struct wire_pkt *pkt, size_t len)
{
	struct sent *s;

	if (!pl->sent || pl->n_sent > pl->c->n_steps)
		return;
	s = &pl->sent[pl->n_sent++];
	s->step = step;
	s->hash = fnv1a(pl->frame, len);
	s->len = len;
	s->seq = pkt->tcp.seq;
	s->ack = pkt->tcp.ack;
	s->flags = pkt->tcp.flags;
	s->seen = false;
}

/* Our own frame came back from the capture: which send was it? The same
 * bytes, else (should the link have changed them) the same header. */
static void match_sent(struct play *pl, const struct netdev_frame *fr,
		       const struct wire_pkt *pkt)
{
	uint64_t h = fnv1a(fr->data, fr->caplen);
	struct sent *hit = NULL;

	for (size_t k = 0; k < pl->n_sent && !hit; k++)
		if (!pl->sent[k].seen && pl->sent[k].len == fr->caplen && pl->sent[k].hash == h)
			hit = &pl->sent[k];
	for (size_t k = 0; k < pl->n_sent && !hit; k++)
		if (!pl->sent[k].seen && pl->sent[k].seq == pkt->tcp.seq &&
		    pl->sent[k].ack == pkt->tcp.ack && pl->sent[k].flags == pkt->tcp.flags)
			hit = &pl->sent[k];
	if (!hit)
		return;
	hit->seen = true;
	if (hit->step != SIZE_MAX)
		note_frame(pl, hit->step);
}

/* netdev_recv, counting the frames (the dump holds each one) and
 * attributing our own injected frames to their send steps. While the
 * dump is open every receive must come through here, or the frame numbers
 * of res->frames (the report's "step" of each packet) shift. */
static int recv_frame(struct play *pl, int64_t deadline, struct netdev_frame *fr,
		      struct wire_pkt *pkt)
{
	int rc = netdev_recv(pl->r->link.nd, deadline, fr);

	if (rc != 1)
		return rc;
	pl->n_rx++;
	wire_decode(WIRE_LINK_ETHERNET, fr->data, fr->caplen, fr->wirelen, pkt);
	/* the ports are read even when a data offset fault stops the decode */
	if (pkt->has_ip && pkt->tcp.sport == pl->f.tester_port &&
	    pkt->tcp.dport == pl->f.target_port)
		match_sent(pl, fr, pkt);
	return 1;
}

static void setup_flow(struct play *pl, struct runner_result *res)
{
	const struct runner_link *l = &pl->r->link;
	struct match_flow *f = &pl->f;

	memset(f, 0, sizeof(*f));
	f->ip_version = pl->c->ip_version == 6 ? 6 : 4;
	memcpy(f->tester_mac, l->tester_mac, 6);
	memcpy(f->target_mac, l->target_mac, 6);
	if (f->ip_version == 4) {
		memcpy(f->tester_addr, l->tester_v4, 4);
		memcpy(f->target_addr, l->target_v4, 4);
	} else {
		memcpy(f->tester_addr, l->tester_v6, 16);
		memcpy(f->target_addr, l->target_v6, 16);
	}
	f->tester_port = take_port(pl->r);
	f->target_port = pl->c->port;
	if (pl->c->isn_set)
		f->tester_isn = pl->c->isn;
	else if (getrandom(&f->tester_isn, sizeof(f->tester_isn), 0) != sizeof(f->tester_isn))
		f->tester_isn = 0x12345678;
	pl->snd_nxt = f->tester_isn;
	res->tester_port = f->tester_port;
	res->tester_isn = f->tester_isn;
}

static int do_send(struct play *pl, size_t i, const struct script_step *s,
		   struct runner_result *res)
{
	const struct script_seg *seg = &s->seg;
	const uint8_t *payload = seg->data;
	uint32_t plen = seg->data_len;
	struct wire_pkt pkt;
	unsigned flags = 0;
	size_t len;
	uint32_t end;

	if (!seg->data_set && seg->len.k == SNUM_VALUE) {
		plen = seg->len.lo.v < GEN_MAX ? seg->len.lo.v : GEN_MAX;
		for (uint32_t k = 0; k < plen; k++)
			pl->gen[k] = (uint8_t)('a' + k % 26);
		payload = pl->gen;
	}
	if (match_build_send(seg, NULL, &pl->f, &pkt, &flags) < 0) {
		result_fail(res, RUNNER_ERROR, pl->c->file, i, s, "step %zu (send): segment could not be built", i + 1);
		return -1;
	}
	if (wire_emit(&pkt, payload, plen, flags, pl->frame, sizeof(pl->frame), &len) < 0) {
		result_fail(res, RUNNER_ERROR, pl->c->file, i, s, "step %zu (send): segment does not fit a frame", i + 1);
		return -1;
	}
	if (netdev_send(pl->r->link.nd, pl->frame, len) < 0) {
		result_fail(res, RUNNER_ERROR, pl->c->file, i, s, "step %zu (send): injection failed: %s", i + 1,
			    netdev_error(pl->r->link.nd));
		return -1;
	}
	note_sent(pl, i, &pkt, len);
	end = pkt.tcp.seq + plen + !!(pkt.tcp.flags & WIRE_TH_SYN) + !!(pkt.tcp.flags & WIRE_TH_FIN);
	if ((int32_t)(end - pl->snd_nxt) > 0)
		pl->snd_nxt = end;
	return 0;
}

/* Next segment from the target on this flow before deadline: 1, 0 on
 * timeout, negative on error. Our own injected frames are skipped. */
static int next_from_target(struct play *pl, int64_t deadline, struct wire_pkt *pkt)
{
	struct netdev_frame fr;
	int rc;

	while ((rc = recv_frame(pl, deadline, &fr, pkt)) == 1) {
		if (!pkt->has_tcp || !match_is_from_target(&pl->f, pkt))
			continue;
		pl->target_seen = true;
		return 1;
	}
	return rc;
}

static int do_expect(struct play *pl, size_t i, const struct script_step *s,
		     struct runner_result *res)
{
	int64_t start = netdev_now_ns();
	struct match_diff diff;
	struct wire_pkt pkt;
	char got[160], why[900];
	int rc;

	rc = next_from_target(pl, start + (int64_t)s->within_ms * 1000000, &pkt);
	if (rc < 0) {
		result_fail(res, RUNNER_ERROR, pl->c->file, i, s, "step %zu (expect): capture failed: %s", i + 1,
			    netdev_error(pl->r->link.nd));
		return -1;
	}
	if (rc == 0) {
		result_fail(res, RUNNER_FAIL, pl->c->file, i, s,
			    "step %zu (expect): nothing arrived within %u ms", i + 1, s->within_ms);
		return -1;
	}
	note_frame(pl, i);
	/* The target's first SYN fixes its ISN: relative seq 0 from here on. */
	if ((pkt.tcp.flags & WIRE_TH_SYN) && !pl->f.target_isn_known) {
		pl->f.target_isn = pkt.tcp.seq;
		pl->f.target_isn_known = true;
		res->target_isn = pkt.tcp.seq;
		res->target_isn_known = true;
	}
	if (match_expect(&s->seg, NULL, &pl->f, &pkt, &diff))
		return 0;
	describe(&pl->f, &pkt, got, sizeof(got));
	match_diff_str(&diff, why, sizeof(why));
	result_fail(res, RUNNER_FAIL, pl->c->file, i, s, "step %zu (expect): got %s after %lld ms; %s",
		    i + 1, got, (long long)((netdev_now_ns() - start) / 1000000), why);
	return -1;
}

static int do_expect_none(struct play *pl, size_t i, const struct script_step *s,
			  struct runner_result *res)
{
	int64_t start = netdev_now_ns();
	struct wire_pkt pkt;
	char got[160];
	int rc;

	rc = next_from_target(pl, start + (int64_t)s->for_ms * 1000000, &pkt);
	if (rc < 0) {
		result_fail(res, RUNNER_ERROR, pl->c->file, i, s, "step %zu (expect_none): capture failed: %s",
			    i + 1, netdev_error(pl->r->link.nd));
		return -1;
	}
	if (rc == 0)
		return 0;
	note_frame(pl, i);
	describe(&pl->f, &pkt, got, sizeof(got));
	result_fail(res, RUNNER_FAIL, pl->c->file, i, s,
		    "step %zu (expect_none): expected no segment for %u ms, got %s after %lld ms",
		    i + 1, s->for_ms, got, (long long)((netdev_now_ns() - start) / 1000000));
	return -1;
}

/* An RST at our snd_nxt aborts whatever the target holds for the flow
 * (RFC 9293 3.10.7.4: in window), so its retransmissions stop. */
static void reset_flow(struct play *pl)
{
	struct script_seg rst;
	struct wire_pkt pkt;
	unsigned flags = 0;
	size_t len;

	memset(&rst, 0, sizeof(rst));
	rst.flags_set = true;
	rst.flags = WIRE_TH_RST;
	rst.seq.k = SNUM_VALUE;
	rst.seq.lo.v = rst.seq.hi.v = pl->snd_nxt;
	rst.seq_abs = true;
	rst.doff = -1;
	rst.reserved = -1;
	rst.truncate = -1;
	if (match_build_send(&rst, NULL, &pl->f, &pkt, &flags) == 0 &&
	    wire_emit(&pkt, NULL, 0, flags, pl->frame, sizeof(pl->frame), &len) == 0 &&
	    netdev_send(pl->r->link.nd, pl->frame, len) == 0)
		note_sent(pl, SIZE_MAX, &pkt, len);
}

/* Frames still buffered from the previous case belong to another flow. */
static void drain(struct netdev *nd)
{
	struct netdev_frame fr;

	while (netdev_recv(nd, 0, &fr) == 1)
		;
}

static void sanitize(const char *id, char *out, size_t cap)
{
	size_t i;

	for (i = 0; id[i] && i + 1 < cap; i++)
		out[i] = (id[i] == '/' || id[i] == ' ' || id[i] == '\\') ? '_' : id[i];
	out[i] = '\0';
}

void runner_result_free(struct runner_result *res)
{
	free(res->frames);
	res->frames = NULL;
	res->n_frames = 0;
}

void runner_run_case(struct runner *r, const struct script_case *c,
		     struct runner_result *res)
{
	struct play *pl = calloc(1, sizeof(*pl)); /* frame buffers: too big for the stack */
	char filter[64], errbuf[256], name[200];
	int64_t t0 = netdev_now_ns();

	memset(res, 0, sizeof(*res));
	if (pl && r->pcap_dir) {
		res->frames = calloc(c->n_steps + 1, sizeof(*res->frames));
		pl->sent = calloc(c->n_steps + 1, sizeof(*pl->sent));
	}
	if (!pl || (r->pcap_dir && (!res->frames || !pl->sent))) {
		if (pl)
			free(pl->sent);
		free(pl);
		runner_result_free(res);
		result_fail(res, RUNNER_ERROR, NULL, 0, NULL, "out of memory");
		return;
	}
	pl->r = r;
	pl->c = c;
	pl->res = res;
	setup_flow(pl, res);

	snprintf(filter, sizeof(filter), "tcp port %u", pl->f.tester_port);
	if (netdev_set_filter(r->link.nd, filter, errbuf, sizeof(errbuf)) < 0) {
		result_fail(res, RUNNER_ERROR, NULL, 0, NULL, "capture filter: %s", errbuf);
		goto out;
	}
	drain(r->link.nd);
	if (r->pcap_dir) {
		sanitize(c->id, name, sizeof(name));
		snprintf(res->pcap, sizeof(res->pcap), "%s/%s.pcap", r->pcap_dir, name);
		if (netdev_dump(r->link.nd, res->pcap, errbuf, sizeof(errbuf)) < 0) {
			result_fail(res, RUNNER_ERROR, NULL, 0, NULL, "%s", errbuf);
			res->pcap[0] = '\0';
			goto out;
		}
	}

	res->verdict = RUNNER_PASS;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct script_step *s = &c->steps[i];
		int rc = 0;

		switch (s->kind) {
		case SCRIPT_SEND:
			rc = do_send(pl, i, s, res);
			break;
		case SCRIPT_EXPECT:
			rc = do_expect(pl, i, s, res);
			break;
		case SCRIPT_EXPECT_NONE:
			rc = do_expect_none(pl, i, s, res);
			break;
		case SCRIPT_WAIT:
		case SCRIPT_APP:
			result_fail(res, RUNNER_ERROR, pl->c->file, i, s,
				    "step %zu: wait and app steps are not supported by this runner yet", i + 1);
			rc = -1;
			break;
		}
		if (rc < 0)
			break;
	}
	if (pl->target_seen)
		reset_flow(pl);
	if (r->pcap_dir) {
		/* let the reset reach the capture before the file closes */
		struct netdev_frame fr;
		struct wire_pkt pkt;

		while (recv_frame(pl, netdev_now_ns() + 20 * 1000000, &fr, &pkt) == 1)
			;
		netdev_dump(r->link.nd, NULL, errbuf, sizeof(errbuf));
	}
out:
	free(pl->sent);
	free(pl);
	res->duration_ms = (double)(netdev_now_ns() - t0) / 1e6;
}
