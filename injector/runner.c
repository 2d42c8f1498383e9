/* runner: a case from start to end, and the link (see runner.h). */
#define _GNU_SOURCE
#include "runner_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "agent_client.h"

#define PORT_FIRST 40000
#define PORT_LAST  59999

const char *runner_verdict_name(enum runner_verdict v)
{
	switch (v) {
	case RUNNER_PASS:  return "pass";
	case RUNNER_FAIL:  return "fail";
	case RUNNER_ERROR: return "error";
	case RUNNER_SKIP:  return "skip";
	}
	return "?";
}

int runner_init(struct runner *r, const struct runner_link *link,
		const struct runner_config *cfg, char *err, size_t cap)
{
	uint16_t rnd = 0;

	memset(r, 0, sizeof(*r));
	r->link = *link;
	if (cfg)
		r->cfg = *cfg;
	/* a random start keeps two runs from reusing each other's 4-tuples */
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = 0;
	r->next_port = PORT_FIRST + rnd % (PORT_LAST - PORT_FIRST);
	if (r->cfg.agent && app_connect(r, err, cap) < 0)
		return -1;
	return 0;
}

void runner_fini(struct runner *r)
{
	agent_client_del(r->agent);
	r->agent = NULL;
}

static uint16_t take_port(struct runner *r)
{
	uint16_t p = r->next_port;

	r->next_port = p >= PORT_LAST ? PORT_FIRST : p + 1;
	return p;
}

bool play_ok(const struct play *pl)
{
	return pl->res->verdict == RUNNER_PASS;
}

static void vfail(struct play *pl, enum runner_verdict v, const struct script_step *st,
		  size_t step, const char *fmt, va_list ap)
{
	struct runner_result *res = pl->res;
	size_t n = 0;
	int k;

	if (res->verdict != RUNNER_PASS)
		return;            /* the first failure is the case's */
	res->verdict = v;
	res->failed_step = st ? step : SIZE_MAX;
	res->line = st ? st->line : 0;
	res->col = st ? st->col : 0;
	if (st) {
		k = snprintf(res->reason, sizeof(res->reason), "%s:%u: ",
			     st->file ? st->file : pl->c->file, st->line);
		n = k > 0 && (size_t)k < sizeof(res->reason) ? (size_t)k : 0;
	}
	vsnprintf(res->reason + n, sizeof(res->reason) - n, fmt, ap);
	n = strlen(res->reason);
	if (st && st->trace && n + 4 < sizeof(res->reason))
		snprintf(res->reason + n, sizeof(res->reason) - n, " (%s)", st->trace);
}

void play_fail(struct play *pl, enum runner_verdict v, size_t step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(pl, v, &pl->c->steps[step], step, fmt, ap);
	va_end(ap);
}

void play_fail_case(struct play *pl, enum runner_verdict v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(pl, v, NULL, 0, fmt, ap);
	va_end(ap);
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t play_rt_now(const struct play *pl)
{
	return netdev_now_ns() + pl->rt_off;
}

/* "[SA] seq 0 ack 1 win 65160 len 0" relative to the flow's ISNs. */
void play_describe(const struct play *pl, const struct wire_pkt *p, char *buf, size_t cap)
{
	const struct match_flow *f = &pl->f;
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

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Frame num of the dump belongs to step. */
void play_note_frame(struct play *pl, size_t step, uint64_t num)
{
	struct runner_result *res = pl->res;

	if (res->frames && res->n_frames < pl->c->n_steps) {
		res->frames[res->n_frames].step = step;
		res->frames[res->n_frames].num = num;
		res->n_frames++;
	}
}

void play_note_sent(struct play *pl, size_t step, const struct wire_pkt *pkt, size_t len)
{
	struct sent *s;

	if (pl->n_sent > pl->c->n_steps)
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
 * bytes, else (should the link have changed them) the same header. Its
 * capture time is when the send step happened on the wire. */
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
	if (hit->step == SIZE_MAX)
		return;
	pl->t_end[hit->step] = fr->ts_ns;
	play_note_frame(pl, hit->step, pl->n_rx);
}

/* netdev_recv, counting the frames (the dump holds each one), answering
 * ARP and neighbour solicitations, and attributing our own injected
 * frames to their send steps. While the dump is open every receive must
 * come through here, or the frame numbers of res->frames (the report's
 * "step" of each packet) shift. */
int play_recv(struct play *pl, int64_t deadline, struct netdev_frame *fr, struct wire_pkt *pkt)
{
	int rc = netdev_recv(pl->r->link.nd, deadline, fr);

	if (rc != 1)
		return rc;
	pl->n_rx++;
	neigh_answer_frame(pl->r, fr, &pl->res->neigh_replies);
	wire_decode(WIRE_LINK_ETHERNET, fr->data, fr->caplen, fr->wirelen, pkt);
	/* the ports are read even when a data offset fault stops the decode */
	if (pkt->has_ip && pkt->tcp.sport == pl->f.tester_port &&
	    pkt->tcp.dport == pl->f.target_port && pl->f.tester_port)
		match_sent(pl, fr, pkt);
	return 1;
}

/* A TCP segment from the target on this flow. A client case learns the
 * target's port from the first segment sent to our port. */
static bool from_target(struct play *pl, const struct wire_pkt *p)
{
	size_t alen = pl->f.ip_version == 4 ? 4 : 16;

	if (!p->has_tcp)
		return false;
	if (pl->learn_port && p->has_ip && p->ip.version == pl->f.ip_version &&
	    !memcmp(p->ip.src, pl->f.target_addr, alen) &&
	    !memcmp(p->ip.dst, pl->f.tester_addr, alen) && p->tcp.dport == pl->f.tester_port) {
		pl->f.target_port = p->tcp.sport;
		pl->res->target_port = p->tcp.sport;
		pl->learn_port = false;
	}
	if (!match_is_from_target(&pl->f, p))
		return false;
	/* the target's latest ACK is its RCV.NXT: where the cleanup RST
	 * must sit to reset rather than be challenged */
	if ((p->tcp.flags & WIRE_TH_ACK) && !(p->tcp.flags & WIRE_TH_RST)) {
		pl->tgt_ack = p->tcp.ack;
		pl->tgt_ack_known = true;
	}
	return true;
}

static int hold(struct play *pl, const struct netdev_frame *fr)
{
	struct held *h;

	if (pl->n_held == RUNNER_HELD_MAX)
		return -1;
	h = &pl->held[(pl->held_head + pl->n_held) % RUNNER_HELD_MAX];
	h->data = malloc(fr->caplen ? fr->caplen : 1);
	if (!h->data)
		return -1;
	memcpy(h->data, fr->data, fr->caplen);
	h->caplen = fr->caplen;
	h->wirelen = fr->wirelen;
	h->ts_ns = fr->ts_ns;
	h->num = pl->n_rx;
	pl->n_held++;
	return 0;
}

/* Reads the link until deadline: neighbours are answered, our frames
 * attributed, and the target's segments kept for the next expect (hold)
 * or let go (a wait step: not judged). 0 at the deadline, negative on a
 * capture error. */
int play_service(struct play *pl, int64_t deadline, bool keep)
{
	struct netdev_frame fr;
	struct wire_pkt pkt;
	int rc;

	while ((rc = play_recv(pl, deadline, &fr, &pkt)) == 1) {
		if (!from_target(pl, &pkt))
			continue;
		pl->target_seen = true;
		if (keep && hold(pl, &fr) < 0) {
			play_fail_case(pl, RUNNER_ERROR, "more than %d target segments arrived "
				       "ahead of the step that judges them", RUNNER_HELD_MAX);
			return -1;
		}
	}
	return rc;
}

/* The target's next segment on this flow before deadline: 1, 0 on
 * timeout, negative on error. Segments kept earlier come first; our own
 * injected frames are skipped. */
int play_next_from_target(struct play *pl, int64_t deadline, struct tseg *out)
{
	struct netdev_frame fr;
	int rc;

	free(pl->cur);
	pl->cur = NULL;
	if (pl->n_held) {
		struct held *h = &pl->held[pl->held_head];

		pl->held_head = (pl->held_head + 1) % RUNNER_HELD_MAX;
		pl->n_held--;
		pl->cur = h->data;
		wire_decode(WIRE_LINK_ETHERNET, h->data, h->caplen, h->wirelen, &out->pkt);
		out->ts_ns = h->ts_ns;
		out->num = h->num;
		from_target(pl, &out->pkt);
		return 1;
	}
	while ((rc = play_recv(pl, deadline, &fr, &out->pkt)) == 1) {
		if (!from_target(pl, &out->pkt))
			continue;
		pl->target_seen = true;
		out->ts_ns = fr.ts_ns;
		out->num = pl->n_rx;
		return 1;
	}
	return rc;
}

/* Frames still buffered from the previous case belong to another flow;
 * a neighbour solicitation among them is still answered (the target
 * would otherwise wait a second to ask again). Not in any dump. */
static void drain(struct runner *r)
{
	struct netdev_frame fr;

	while (netdev_recv(r->link.nd, 0, &fr) == 1)
		neigh_answer_frame(r, &fr, NULL);
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

/* Why the target cannot play c, or NULL. */
static bool skip_reason(const struct runner *r, const struct script_case *c, char *buf,
			size_t cap)
{
	unsigned lacks = c->requires & r->cfg.lacks;
	size_t n = 0;

	if (c->ip_version == 6 && r->link.no_v6) {
		snprintf(buf, cap, "an IPv6 case: the target has no IPv6 address");
		return true;
	}
	if (c->ip_version != 6 && r->link.no_v4) {
		snprintf(buf, cap, "an IPv4 case: the target has no IPv4 address");
		return true;
	}
	if (!lacks)
		return false;
	n += (size_t)snprintf(buf, cap, "requires");
	for (unsigned bit = 1; bit && n < cap; bit <<= 1)
		if (lacks & bit)
			n += (size_t)snprintf(buf + n, cap - n, "%s %s", n > 8 ? "," : "",
					      script_require_name(bit));
	if (n < cap)
		snprintf(buf + n, cap - n, ", which the target lacks%s%s%s",
			 r->cfg.lacks_why ? " (" : "", r->cfg.lacks_why ? r->cfg.lacks_why : "",
			 r->cfg.lacks_why ? ")" : "");
	return true;
}

/* The tester port a connect step to the tester's address names (a
 * constant), or 0: the case's flow must use it. */
static uint16_t connect_port(const struct script_case *c, const char *tester_addr)
{
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct script_app *a = &c->steps[i].app;

		if (c->steps[i].kind == SCRIPT_APP && a->op == SCRIPT_APP_CONNECT &&
		    (!a->addr || !strcmp(a->addr, tester_addr)) && !a->port.ref && a->port.v)
			return (uint16_t)a->port.v;
	}
	return 0;
}

static void setup_flow(struct play *pl)
{
	const struct runner_link *l = &pl->r->link;
	struct match_flow *f = &pl->f;
	uint16_t cport;

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
	wire_addr_str(f->ip_version, f->tester_addr, pl->tester_addr);
	cport = connect_port(pl->c, pl->tester_addr);
	f->tester_port = cport ? cport : take_port(pl->r);
	f->target_port = pl->c->port;
	/* a client case connects from an ephemeral port unless it names one */
	pl->learn_port = pl->c->role == SCRIPT_ROLE_CLIENT;
	if (pl->learn_port)
		f->target_port = 0;
	if (pl->c->isn_set)
		f->tester_isn = pl->c->isn;
	else if (getrandom(&f->tester_isn, sizeof(f->tester_isn), 0) != sizeof(f->tester_isn))
		f->tester_isn = 0x12345678;
	if (!pl->c->ts_base_random)
		f->tester_ts_offset = pl->c->ts_base;
	else if (getrandom(&f->tester_ts_offset, sizeof(f->tester_ts_offset), 0) != 4)
		f->tester_ts_offset = 0x5eed5eed;
	pl->snd_nxt = f->tester_isn;
	pl->res->tester_port = f->tester_port;
	pl->res->target_port = f->target_port;
	pl->res->tester_isn = f->tester_isn;
}

static int cmp_frame(const void *a, const void *b)
{
	const struct runner_frame *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

static void play_steps(struct play *pl)
{
	const struct script_case *c = pl->c;

	for (size_t i = 0; i < c->n_steps && play_ok(pl); i++) {
		const struct script_step *st = &c->steps[i];
		int rc = 0;

		if (st->timing != SCRIPT_AT_NOW && (st->kind == SCRIPT_SEND || st->kind == SCRIPT_APP))
			rc = steps_until(pl, i);
		if (rc < 0)
			break;
		switch (st->kind) {
		case SCRIPT_SEND:
			rc = steps_send(pl, i);
			break;
		case SCRIPT_EXPECT:
			rc = steps_expect(pl, i);
			break;
		case SCRIPT_EXPECT_NONE:
			rc = steps_expect_none(pl, i);
			break;
		case SCRIPT_WAIT:
			rc = steps_wait(pl, i);
			break;
		case SCRIPT_APP:
			rc = app_step(pl, i);
			break;
		}
		if (rc < 0)
			break;
	}
}

static bool needs_agent(const struct script_case *c)
{
	for (size_t i = 0; i < c->n_steps; i++)
		if (c->steps[i].kind == SCRIPT_APP)
			return true;
	return c->n_sysctl > 0;
}

static void finish(struct play *pl)
{
	struct runner *r = pl->r;
	char errbuf[256];

	app_end(pl);
	if (pl->target_seen)
		steps_reset_flow(pl);
	if (r->cfg.pcap_dir && pl->res->pcap[0]) {
		/* let the resets reach the capture before the file closes */
		struct netdev_frame fr;
		struct wire_pkt pkt;

		while (play_recv(pl, netdev_now_ns() + 20 * MS_NS, &fr, &pkt) == 1)
			;
		if (netdev_dump(r->link.nd, NULL, errbuf, sizeof(errbuf)) < 0)
			play_fail_case(pl, RUNNER_ERROR, "%s", errbuf);
	}
}

static void play_free(struct play *pl)
{
	while (pl->n_held) {
		free(pl->held[pl->held_head].data);
		pl->held_head = (pl->held_head + 1) % RUNNER_HELD_MAX;
		pl->n_held--;
	}
	free(pl->cur);
	free(pl->sent);
	free(pl->t_end);
	free(pl->async);
	for (size_t i = 0; i < pl->n_saved; i++) {
		free(pl->saved[i].name);
		free(pl->saved[i].value);
	}
	free(pl->saved);
	script_vars_free(&pl->vars);
	free(pl);
}

void runner_run_case(struct runner *r, const struct script_case *c,
		     struct runner_result *res)
{
	struct play *pl = calloc(1, sizeof(*pl)); /* frame buffers: too big for the stack */
	char filter[96], errbuf[256], name[200];
	int64_t t0 = netdev_now_ns();

	memset(res, 0, sizeof(*res));
	if (skip_reason(r, c, res->reason, sizeof(res->reason))) {
		res->verdict = RUNNER_SKIP;
		free(pl);
		return;
	}
	if (pl) {
		pl->sent = calloc(c->n_steps + 1, sizeof(*pl->sent));
		pl->t_end = calloc(c->n_steps + 1, sizeof(*pl->t_end));
		pl->async = calloc(c->n_steps + 1, sizeof(*pl->async));
		if (r->cfg.pcap_dir)
			res->frames = calloc(c->n_steps + 1, sizeof(*res->frames));
	}
	if (!pl || !pl->sent || !pl->t_end || !pl->async || (r->cfg.pcap_dir && !res->frames)) {
		if (pl)
			play_free(pl);
		runner_result_free(res);
		res->verdict = RUNNER_ERROR;
		snprintf(res->reason, sizeof(res->reason), "out of memory");
		return;
	}
	pl->r = r;
	pl->c = c;
	pl->res = res;
	script_vars_init(&pl->vars);
	res->verdict = RUNNER_PASS;
	setup_flow(pl);

	if (needs_agent(c) && !r->cfg.agent) {
		play_fail_case(pl, RUNNER_ERROR, "%s:%u: the case has app steps or sysctls, and "
			       "the target has no agent", c->file, c->line);
		goto out;
	}
	snprintf(filter, sizeof(filter), "%stcp port %u",
		 r->cfg.no_neigh ? "" : "arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136)) or ", pl->f.tester_port);
	if (netdev_set_filter(r->link.nd, filter, errbuf, sizeof(errbuf)) < 0) {
		play_fail_case(pl, RUNNER_ERROR, "capture filter: %s", errbuf);
		goto out;
	}
	if (app_begin(pl) < 0) {
		app_end(pl);
		goto out;
	}
	drain(r);
	if (r->cfg.pcap_dir) {
		sanitize(c->id, name, sizeof(name));
		snprintf(res->pcap, sizeof(res->pcap), "%s/%s.pcap", r->cfg.pcap_dir, name);
		if (netdev_dump(r->link.nd, res->pcap, errbuf, sizeof(errbuf)) < 0) {
			play_fail_case(pl, RUNNER_ERROR, "%s", errbuf);
			res->pcap[0] = '\0';
			app_end(pl);
			goto out;
		}
	}
	pl->rt_off = realtime_ns() - netdev_now_ns();
	pl->t0 = play_rt_now(pl);
	play_steps(pl);
	finish(pl);
	if (res->frames)
		qsort(res->frames, res->n_frames, sizeof(*res->frames), cmp_frame);
out:
	play_free(pl);
	res->duration_ms = (double)(netdev_now_ns() - t0) / 1e6;
}

int runner_sysctl(struct runner *r, const char *name, const char *value,
		  char *got, size_t gotcap, char *err, size_t errcap)
{
	struct agent_reply rep;
	int rc;

	if (!r->cfg.agent) {
		snprintf(err, errcap, "sysctl %s: the target has no agent", name);
		return -1;
	}
	if (!r->agent && app_connect(r, err, errcap) < 0)
		return -1;
	rc = value ? agent_client_call(r->agent, netdev_now_ns() + 5000 * MS_NS, &rep,
				       "sysctl %s %s", name, value)
		   : agent_client_call(r->agent, netdev_now_ns() + 5000 * MS_NS, &rep,
				       "sysctl %s", name);
	if (rc < 0) {
		snprintf(err, errcap, "sysctl %s: agent: %s", name, agent_client_error(r->agent));
		agent_client_del(r->agent);
		r->agent = NULL;
		return -1;
	}
	if (!rep.ok) {
		snprintf(err, errcap, "sysctl %s%s%s: %s %s", name, value ? " " : "",
			 value ? value : "", rep.err_name, rep.text);
		return -1;
	}
	if (got)
		snprintf(got, gotcap, "%s", rep.text);
	return 0;
}
