/* Fixtures of the tracker's tests (test_track.c: connections, RFC 5961
 * expectations, lingering, reassembly, simultaneous open and close;
 * test_track_checks.c: timestamps, PAWS, the receive window, TIME-WAIT).
 * Packets are built as decoded structs (struct wire_pkt) with seq/ack
 * relative to the ISNs (client 1000, server 50000, or as a test sets
 * them). Conformance findings (MUST/SHOULD) are counted apart from the
 * Wireshark-style ones (ANALYSIS). */
#ifndef TCPSPEC_TEST_TRACK_FIXTURE_H
#define TCPSPEC_TEST_TRACK_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "stats.h"
#include "track.h"

#define A 0 /* client: sends the SYN */
#define B 1
#define MAXF 64
#define MAXS 8

struct summary {
	struct track_conn_summary s;
	enum stats_conn_state cs;
	uint64_t pkts[2];
};

struct ctx {
	struct tracker *t;
	struct track_config cfg;
	uint64_t pkt;
	tstamp now;
	uint32_t isn[2];
	uint8_t ip[2][4];
	uint16_t port[2];
	struct track_pkt_info info;
	/* recorded */
	struct track_finding f[MAXF];
	unsigned nf;
	struct summary sum[MAXS];
	unsigned ns;
	uint64_t gone[MAXS];        /* on_conn_gone */
	unsigned ngone;
	uint8_t data[2][4096];
	uint32_t dlen[2];
	uint32_t gaps[2], gap_bytes[2];
	uint32_t next_rel[2];
	bool data_seen[2];
	bool data_order_ok;
	bool no_ws;                 /* SYNs without the window scale option */
};

static inline void on_finding(void *vctx, const struct track_finding *f)
{
	struct ctx *c = vctx;

	if (c->nf < MAXF)
		c->f[c->nf] = *f;
	c->nf++;
}

static inline void on_data(void *vctx, uint64_t conn_id, int dir,
			   const struct track_endpoints *ep, uint32_t seq, const uint8_t *data,
			   uint32_t len)
{
	struct ctx *c = vctx;

	(void)conn_id;
	(void)ep;
	if (c->data_seen[dir] && seq != c->next_rel[dir])
		c->data_order_ok = false;
	c->data_seen[dir] = true;
	c->next_rel[dir] = seq + len;
	if (!data) {
		c->gaps[dir]++;
		c->gap_bytes[dir] += len;
		return;
	}
	if (c->dlen[dir] + len <= sizeof(c->data[dir])) {
		memcpy(c->data[dir] + c->dlen[dir], data, len);
		c->dlen[dir] += len;
	}
}

static inline void on_conn_end(void *vctx, const struct track_conn_summary *s)
{
	struct ctx *c = vctx;

	if (c->ns < MAXS) {
		c->sum[c->ns].s = *s;
		c->sum[c->ns].s.stats = NULL;
		c->sum[c->ns].cs = stats_conn_state(s->stats);
		c->sum[c->ns].pkts[0] = s->stats->dir[0].pkts;
		c->sum[c->ns].pkts[1] = s->stats->dir[1].pkts;
	}
	c->ns++;
}

static inline void on_conn_gone(void *vctx, uint64_t conn_id)
{
	struct ctx *c = vctx;

	if (c->ngone < MAXS)
		c->gone[c->ngone] = conn_id;
	c->ngone++;
}

static inline void ctx_open(struct ctx *c, const char *profile)
{
	if (c->t)
		track_del(c->t);
	memset(c, 0, sizeof(*c));
	track_config_default(&c->cfg);
	assert_int_equal(fsm_profile_by_name(profile, &c->cfg.profile), 0);
	c->cfg.on_finding = on_finding;
	c->cfg.on_data = on_data;
	c->cfg.on_conn_end = on_conn_end;
	c->cfg.on_conn_gone = on_conn_gone;
	c->cfg.ctx = c;
	c->isn[A] = 1000;
	c->isn[B] = 50000;
	memcpy(c->ip[A], (uint8_t[]){192, 0, 2, 2}, 4);
	memcpy(c->ip[B], (uint8_t[]){192, 0, 2, 1}, 4);
	c->port[A] = 40000;
	c->port[B] = 80;
	c->now = TSTAMP_MS(1000);
	c->data_order_ok = true;
}

static inline void ctx_start(struct ctx *c)
{
	assert_int_equal(track_new(&c->t, &c->cfg), 0);
}

static inline int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	ctx_open(c, "rfc");
	ctx_start(c);
	*state = c;
	return 0;
}

static inline int teardown(void **state)
{
	struct ctx *c = *state;

	track_del(c->t);
	free(c);
	return 0;
}

/* Flags from letters: S F R P A. */
static inline uint8_t fl(const char *s)
{
	uint8_t f = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'S': f |= WIRE_TH_SYN; break;
		case 'F': f |= WIRE_TH_FIN; break;
		case 'R': f |= WIRE_TH_RST; break;
		case 'P': f |= WIRE_TH_PSH; break;
		case 'A': f |= WIRE_TH_ACK; break;
		default: fail_msg("bad flag %c", *s);
		}
	}
	return f;
}

/* The decoded packet of one segment from `from`, seq/ack relative to
 * the ISNs. SYNs carry MSS 1460, SACK-permitted and window scale 7. */
static inline void build(struct ctx *c, struct wire_pkt *p, int from, const char *flags,
			 uint32_t seq, uint32_t ack, uint16_t win, const char *data)
{
	uint8_t f = fl(flags);
	uint32_t len = data ? (uint32_t)strlen(data) : 0;

	memset(p, 0, sizeof(*p));
	p->link = WIRE_LINK_RAW;
	p->has_ip = true;
	p->has_tcp = true;
	p->ip.version = 4;
	p->ip.hdr_len = 20;
	p->ip.ttl = 64;
	p->ip.proto = 6;
	p->ip.ip_csum_ok = true;
	memcpy(p->ip.src, c->ip[from], 4);
	memcpy(p->ip.dst, c->ip[!from], 4);
	p->ip.l4_len = 20 + len;
	p->tcp.sport = c->port[from];
	p->tcp.dport = c->port[!from];
	p->tcp.seq = c->isn[from] + seq;
	p->tcp.ack = (f & WIRE_TH_ACK) ? c->isn[!from] + ack : 0;
	p->tcp.flags = f;
	p->tcp.doff = 5;
	p->tcp.win = win;
	if (f & WIRE_TH_SYN) {
		p->tcp.has_mss = true;
		p->tcp.mss = 1460;
		p->tcp.sack_ok = true;
		p->tcp.has_ws = !c->no_ws;
		p->tcp.ws = c->no_ws ? 0 : 7;
	}
	p->tcp.payload = (const uint8_t *)data;
	p->tcp.payload_len = len;
	p->tcp.payload_caplen = len;
	p->tcp_csum = WIRE_CSUM_OK;
	p->caplen = p->wirelen = 20 + 20 + len;
}

static inline void feed(struct ctx *c, const struct wire_pkt *p)
{
	c->pkt++;
	assert_int_equal(track_packet(c->t, p, c->pkt, c->now, &c->info), 0);
	c->now += TSTAMP_MS(1);
}

/* One segment; returns its packet number. */
static inline uint64_t tx(struct ctx *c, int from, const char *flags, uint32_t seq,
			  uint32_t ack, const char *data)
{
	struct wire_pkt p;

	build(c, &p, from, flags, seq, ack, 502, data);
	feed(c, &p);
	return c->pkt;
}

/* One segment with a Timestamps option <TSval, TSecr>. */
static inline uint64_t txts(struct ctx *c, int from, const char *flags, uint32_t seq,
			    uint32_t ack, const char *data, uint32_t tsval, uint32_t tsecr)
{
	struct wire_pkt p;

	build(c, &p, from, flags, seq, ack, 502, data);
	p.tcp.has_ts = true;
	p.tcp.tsval = tsval;
	p.tcp.tsecr = tsecr;
	feed(c, &p);
	return c->pkt;
}

/* One segment with the window field win. */
static inline uint64_t txw(struct ctx *c, int from, const char *flags, uint32_t seq,
			   uint32_t ack, const char *data, uint16_t win)
{
	struct wire_pkt p;

	build(c, &p, from, flags, seq, ack, win, data);
	feed(c, &p);
	return c->pkt;
}

static inline void wait_ms(struct ctx *c, int64_t ms)
{
	c->now += TSTAMP_MS(ms);
}

/* SYN, SYN-ACK, ACK with window scale 7 both ways (502 << 7 = 64256). */
static inline void handshake(struct ctx *c)
{
	tx(c, A, "S", 0, 0, NULL);
	tx(c, B, "SA", 0, 1, NULL);
	tx(c, A, "A", 1, 1, NULL);
}

static inline unsigned count_level(const struct ctx *c, enum finding_level lvl)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->nf && i < MAXF; i++)
		if (finding_info(c->f[i].f.id)->level == lvl)
			n++;
	return n;
}

static inline unsigned conformance(const struct ctx *c)
{
	return count_level(c, FINDING_MUST) + count_level(c, FINDING_SHOULD) +
	       count_level(c, FINDING_MAY);
}

static inline const struct track_finding *find(const struct ctx *c, enum finding_id id)
{
	for (unsigned i = 0; i < c->nf && i < MAXF; i++)
		if (c->f[i].f.id == id)
			return &c->f[i];
	return NULL;
}

/* Prints the findings when a check fails, so the failure says why. */
static inline void dump(const struct ctx *c)
{
	char buf[256];

	for (unsigned i = 0; i < c->nf && i < MAXF; i++) {
		finding_reason(&c->f[i].f, buf, sizeof(buf));
		print_message("  finding %s pkt %llu ref %llu dir %u: %s\n",
			      finding_info(c->f[i].f.id)->name, (unsigned long long)c->f[i].pkt,
			      (unsigned long long)c->f[i].ref_pkt, c->f[i].dir, buf);
	}
}

#define assert_no_conformance(c) do { \
	if (conformance(c)) \
		dump(c); \
	assert_int_equal(conformance(c), 0); \
} while (0)

#define assert_no_findings(c) do { \
	if ((c)->nf) \
		dump(c); \
	assert_int_equal((c)->nf, 0); \
} while (0)

/* handshake, data both ways, all ACKed: B has confirmed RCV.NXT = 101. */
static inline void established_with_data(struct ctx *c)
{
	static char hundred[101];

	memset(hundred, 'x', 100);
	handshake(c);
	tx(c, A, "PA", 1, 1, hundred);
	tx(c, B, "A", 1, 101, NULL);
	tx(c, B, "PA", 1, 101, "hello");
	tx(c, A, "A", 101, 6, NULL);
}

/* handshake and the FIN exchange with its last ACK (packets 1-6): A ends
 * in TIME-WAIT, B CLOSED */
static inline void open_and_close(struct ctx *c)
{
	handshake(c);
	tx(c, A, "FA", 1, 1, NULL);
	tx(c, B, "FA", 1, 2, NULL);
	tx(c, A, "A", 2, 2, NULL);
}

#endif
