/* core/wire_emit: round trips with wire_decode, faults, buffer bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csum.h"
#include "wire.h"

#define KEEP_ALL (WIRE_EMIT_KEEP_TCP_CSUM | WIRE_EMIT_KEEP_IP_CSUM | \
		  WIRE_EMIT_KEEP_DOFF | WIRE_EMIT_KEEP_IP_LEN)
#define NLINKS 8

/* IP packets captured with tcpdump on lo (Linux 6.x); loopback leaves the
 * TCP checksum as the offload seed, so it was recomputed by a Python
 * script and checked "(correct)" by tcpdump -vv. */
static const uint8_t v4_syn[60] = /* SYN, mss sackOK TS nop wscale */
	"\x45\x00\x00\x3c\x00\x78\x40\x00\x40\x06\x3c\x42\x7f\x00\x00\x01"
	"\x7f\x00\x00\x01\xb9\x7c\xb8\x13\x1e\x8d\x92\xfd\x00\x00\x00\x00"
	"\xa0\x02\xff\xd7\x41\x97\x00\x00\x02\x04\xff\xd7\x04\x02\x08\x0a"
	"\x1a\xb9\xd0\x93\x00\x00\x00\x00\x01\x03\x03\x0a";
static const uint8_t v4_data[66] = /* PSH|ACK nop nop TS, 14 bytes */
	"\x45\x00\x00\x42\x00\x7a\x40\x00\x40\x06\x3c\x3a\x7f\x00\x00\x01"
	"\x7f\x00\x00\x01\xb9\x7c\xb8\x13\x1e\x8d\x92\xfe\xf0\x14\x43\x07"
	"\x80\x18\x00\x40\x24\x68\x00\x00\x01\x01\x08\x0a\x1a\xb9\xd0\x93"
	"\x1d\x7c\xf8\xc2\x68\x65\x6c\x6c\x6f\x20\x74\x63\x70\x73\x70\x65"
	"\x63\x0a";
static const uint8_t v6_odd[77] = /* PSH|ACK, 5 bytes: odd length */
	"\x60\x09\xaa\xb0\x00\x25\x06\x40\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x01\xb8\x13\xb1\x9e\x8e\x78\xe5\x7c"
	"\x7b\x4a\xd4\x41\x80\x18\x00\x40\x25\x20\x00\x00\x01\x01\x08\x0a"
	"\xad\x01\xb0\xff\x62\x8a\x6f\x09\x6f\x64\x64\x21\x21";

/* Link headers as captured on lo (Ethernet, SLL, SLL2) except that the
 * SLL/SLL2 ARPHRD type 772 (loopback) is patched to 1 (Ethernet), the one
 * wire_emit writes; VLAN, NULL and LOOP headers are composed by hand. */
static const uint8_t eth4[14] = { [12] = 0x08, [13] = 0x00 };
static const uint8_t eth6[14] = { [12] = 0x86, [13] = 0xdd };
static const uint8_t vlan4[18] = { [12] = 0x81, 0x00, 0x20, 0x64, 0x08, 0x00 };
static const uint8_t qinq6[22] = { [12] = 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00,
				   0x20, 0x64, 0x86, 0xdd };
static const uint8_t sll4[16] = { 0, 0, 0, 1, 0, 6, [14] = 0x08, 0x00 };
static const uint8_t sll2_6[20] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6 };
static const uint8_t loop6[4] = { 0, 0, 0, 24 };

static bool has_problem(const struct wire_pkt *p, enum finding_id id)
{
	for (unsigned i = 0; i < p->n_problems; i++)
		if (p->problems[i].id == id)
			return true;
	return false;
}

/* A PSH|ACK 192.0.2.1:40000 > 192.0.2.2:80 (or 2001:db8::1 > ::2). */
static void base_pkt(struct wire_pkt *p, enum wire_link link, int version)
{
	*p = (struct wire_pkt){
		.link = link,
		.l2 = { .dst = { 2, 0, 0, 0, 0, 2 }, .src = { 2, 0, 0, 0, 0, 1 },
			.sll_pkttype = 4, .sll2_ifindex = 7 },
		.ip = { .version = (uint8_t)version, .ttl = 64, .tos = 0x2e,
			.id = 0x1234, .df = true, .flow_label = 0xabcde },
		.tcp = { .sport = 40000, .dport = 80, .seq = 0xfffffff0u,
			 .ack = 1001, .flags = WIRE_TH_ACK | WIRE_TH_PSH,
			 .win = 29200 },
	};
	if (version == 4) {
		memcpy(p->ip.src, "\xc0\x00\x02\x01", 4);
		memcpy(p->ip.dst, "\xc0\x00\x02\x02", 4);
	} else {
		memcpy(p->ip.src, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
		memcpy(p->ip.dst, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	}
}

static void add_opt(struct wire_pkt *p, uint8_t kind, uint8_t len,
		    const uint8_t *data)
{
	p->tcp.opts[p->tcp.n_opts++] = (struct wire_tcp_opt){ kind, len, data };
}

/* Emits in, decodes it into out; returns the frame (and its length). */
static const uint8_t *emit_decode(const struct wire_pkt *in, const uint8_t *pl,
				  uint32_t plen, unsigned flags,
				  struct wire_pkt *out, size_t *n)
{
	static uint8_t buf[70000];
	size_t len = 0;

	assert_int_equal(wire_emit(in, pl, plen, flags, buf, sizeof(buf), &len), 0);
	assert_int_equal(wire_decode(in->link, buf, (uint32_t)len, (uint32_t)len, out), 0);
	if (n)
		*n = len;
	return buf;
}

static void assert_clean_tcp(const struct wire_pkt *d)
{
	assert_true(d->has_ip && d->has_tcp && d->ip.ip_csum_ok);
	assert_int_equal(d->n_problems, 0);
	assert_int_equal(d->tcp_csum, WIRE_CSUM_OK);
}

#define SAME(f) assert_int_equal(d->f, a->f)

/* Emits a with computed fields, decodes it clean and with a's values. */
static void roundtrip(const struct wire_pkt *a, const uint8_t *pl,
		      uint32_t plen, struct wire_pkt *d)
{
	size_t alen = a->ip.version == 4 ? 4 : 16;
	size_t olen = (wire_tcp_opts_len(&a->tcp) + 3) & ~(size_t)3;

	emit_decode(a, pl, plen, 0, d, NULL);
	assert_clean_tcp(d);
	SAME(ip.version); SAME(ip.ttl); SAME(ip.tos);
	assert_int_equal(d->ip.proto, 6);
	assert_memory_equal(d->ip.src, a->ip.src, alen);
	assert_memory_equal(d->ip.dst, a->ip.dst, alen);
	if (a->ip.version == 4) {
		SAME(ip.id); SAME(ip.df);
	} else {
		SAME(ip.flow_label);
	}
	SAME(tcp.sport); SAME(tcp.dport); SAME(tcp.seq); SAME(tcp.ack);
	SAME(tcp.flags); SAME(tcp.win); SAME(tcp.urp); SAME(tcp.reserved);
	assert_int_equal(d->tcp.doff, (20 + olen) / 4);
	assert_int_equal(d->tcp.payload_len, plen);
	assert_int_equal(d->tcp.payload_caplen, plen);
	if (plen)
		assert_memory_equal(d->tcp.payload, pl, plen);
}

static void test_emit_roundtrips_every_link_and_version(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 3, 536, 1460, 65495 };
	static uint8_t payload[65535];
	struct wire_pkt a, d;
	unsigned link, v, s;

	(void)state;
	for (s = 0; s < sizeof(payload); s++)
		payload[s] = (uint8_t)(s * 7 + 3);
	for (link = 0; link < NLINKS; link++) {
		for (v = 4; v <= 6; v += 2) {
			if (link == (v == 4 ? WIRE_LINK_IPV6 : WIRE_LINK_IPV4))
				continue;
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				base_pkt(&a, (enum wire_link)link, (int)v);
				roundtrip(&a, payload, sizes[s], &d);
				if (link <= WIRE_LINK_SLL2) /* ETHERNET, SLL, SLL2 */
					assert_memory_equal(d.l2.src, a.l2.src, 6);
				if (link == WIRE_LINK_ETHERNET)
					assert_memory_equal(d.l2.dst, a.l2.dst, 6);
				else if (link <= WIRE_LINK_SLL2)
					assert_int_equal(d.l2.sll_pkttype, 4);
				if (link == WIRE_LINK_SLL2)
					assert_int_equal(d.l2.sll2_ifindex, 7);
				if (link == WIRE_LINK_NULL || link == WIRE_LINK_LOOP)
					assert_int_equal(d.l2.af, v == 4 ? 2 : 24);
				assert_int_equal(d.l2.ethertype, v == 4 ? 0x0800 : 0x86dd);
			}
		}
	}
}

static void test_emit_roundtrips_every_option_kind(void **state)
{
	static const uint8_t unknown[6] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02 };
	struct wire_pkt a, d;
	unsigned v, i, n;

	(void)state;
	for (v = 4; v <= 6; v += 2) {
		/* SYN-style: mss, sackOK, ts, nop, ws, fast open cookie 8 */
		base_pkt(&a, WIRE_LINK_ETHERNET, (int)v);
		a.tcp.mss = 1460; a.tcp.ws = 14; a.tcp.tsval = 0xdeadbeef;
		a.tcp.tsecr = 7; a.tcp.fo_cookie_len = 8;
		memcpy(a.tcp.fo_cookie, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
		add_opt(&a, WIRE_TCPOPT_MSS, 4, NULL);
		add_opt(&a, WIRE_TCPOPT_SACK_OK, 2, NULL);
		add_opt(&a, WIRE_TCPOPT_TS, 10, NULL);
		add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL);
		add_opt(&a, WIRE_TCPOPT_WSCALE, 3, NULL);
		add_opt(&a, WIRE_TCPOPT_FASTOPEN, 10, NULL);
		add_opt(&a, WIRE_TCPOPT_EOL, 1, NULL);
		roundtrip(&a, (const uint8_t *)"x", 1, &d);
		assert_true(d.tcp.has_mss && d.tcp.sack_ok && d.tcp.has_ts &&
			    d.tcp.has_ws && d.tcp.has_fastopen && d.tcp.has_eol);
		assert_true(d.tcp.mss == 1460 && d.tcp.ws == 14 && !d.tcp.fo_exp);
		assert_true(d.tcp.tsval == 0xdeadbeef && d.tcp.tsecr == 7);
		assert_int_equal(d.tcp.fo_cookie_len, 8);
		assert_memory_equal(d.tcp.fo_cookie, a.tcp.fo_cookie, 8);
		assert_int_equal(d.tcp.n_opts, a.tcp.n_opts);
		for (i = 0; i < a.tcp.n_opts; i++) {
			assert_int_equal(d.tcp.opts[i].kind, a.tcp.opts[i].kind);
			assert_int_equal(d.tcp.opts[i].len, a.tcp.opts[i].len);
		}

		/* SACK with 1..4 blocks (4 blocks: 34 bytes, no room for TS) */
		for (n = 1; n <= WIRE_MAX_SACK; n++) {
			base_pkt(&a, WIRE_LINK_RAW, (int)v);
			a.tcp.n_sack = (uint8_t)n;
			for (i = 0; i < n; i++) {
				a.tcp.sack[i].left = 0xfffff000u + 1000 * i;
				a.tcp.sack[i].right = 0xfffff000u + 1000 * i + 500;
			}
			add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL);
			add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL);
			add_opt(&a, WIRE_TCPOPT_SACK, (uint8_t)(2 + 8 * n), NULL);
			roundtrip(&a, NULL, 0, &d);
			assert_int_equal(d.tcp.n_sack, n);
			assert_memory_equal(d.tcp.sack, a.tcp.sack, 8 * n);
		}

		/* MD5 signature, experimental Fast Open request, unknown kind */
		base_pkt(&a, WIRE_LINK_SLL2, (int)v);
		memcpy(a.tcp.md5, "0123456789abcdef", 16);
		a.tcp.fo_cookie_len = 0;
		add_opt(&a, WIRE_TCPOPT_MD5, 18, NULL);
		add_opt(&a, WIRE_TCPOPT_EXP, 4, NULL);
		add_opt(&a, 253, 8, unknown);
		add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL);
		roundtrip(&a, NULL, 0, &d);
		assert_true(d.tcp.has_md5 && d.tcp.has_fastopen && d.tcp.fo_exp);
		assert_memory_equal(d.tcp.md5, a.tcp.md5, 16);
		assert_int_equal(d.tcp.fo_cookie_len, 0);
		/* 31 option bytes: the zero pad byte reads as EOL */
		assert_int_equal(d.tcp.n_opts, 5);
		assert_int_equal(d.tcp.opts[4].kind, WIRE_TCPOPT_EOL);
		assert_int_equal(d.tcp.opts[2].kind, 253);
		assert_int_equal(d.tcp.opts[2].len, 8);
		assert_memory_equal(d.tcp.opts[2].data, unknown, 6);

		/* experimental Fast Open with a 16-byte cookie */
		base_pkt(&a, WIRE_LINK_LOOP, (int)v);
		a.tcp.fo_cookie_len = 16;
		memcpy(a.tcp.fo_cookie, "ABCDEFGHIJKLMNOP", 16);
		add_opt(&a, WIRE_TCPOPT_EXP, 20, NULL);
		roundtrip(&a, NULL, 0, &d);
		assert_true(d.tcp.fo_exp);
		assert_int_equal(d.tcp.fo_cookie_len, 16);
		assert_memory_equal(d.tcp.fo_cookie, "ABCDEFGHIJKLMNOP", 16);
	}
}

static void test_emit_roundtrips_vlan_tags_and_ip_options(void **state)
{
	static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 }; /* RFC 2113 */
	static const uint8_t nop3[3] = { 1, 1, 1 };
	struct wire_pkt a, d;
	unsigned link, n;

	(void)state;
	for (link = WIRE_LINK_ETHERNET; link <= WIRE_LINK_SLL2; link++) {
		for (n = 1; n <= WIRE_MAX_VLAN; n++) {
			base_pkt(&a, (enum wire_link)link, 4);
			a.l2.n_vlan = (uint8_t)n;
			a.l2.vlan_tpid[0] = n == 2 ? WIRE_ETHERTYPE_QINQ : WIRE_ETHERTYPE_VLAN;
			a.l2.vlan_tpid[1] = WIRE_ETHERTYPE_VLAN;
			a.l2.vlan_tci[0] = 0x2064;
			a.l2.vlan_tci[1] = 0xe00a;
			a.ip.opts = ra;
			a.ip.opt_len = 4;
			roundtrip(&a, (const uint8_t *)"abc", 3, &d);
			assert_int_equal(d.l2.n_vlan, n);
			assert_memory_equal(d.l2.vlan_tpid, a.l2.vlan_tpid, 2 * n);
			assert_memory_equal(d.l2.vlan_tci, a.l2.vlan_tci, 2 * n);
			assert_int_equal(d.ip.opt_len, 4);
			assert_memory_equal(d.ip.opts, ra, 4);
		}
	}
	/* options not a multiple of 4 are EOL-padded (RFC 791 3.1) */
	base_pkt(&a, WIRE_LINK_IPV4, 4);
	a.ip.opts = nop3;
	a.ip.opt_len = 3;
	roundtrip(&a, NULL, 0, &d);
	assert_int_equal(d.ip.hdr_len, 24);
	assert_memory_equal(d.ip.opts, "\x01\x01\x01\x00", 4);
}

static void check_reemit(enum wire_link link, const uint8_t *l2, size_t l2n,
			 const uint8_t *ip, size_t ipn)
{
	static uint8_t frame[200], out[200];
	struct wire_pkt d;
	size_t n = 0;
	unsigned f;

	memcpy(frame, l2, l2n);
	memcpy(frame + l2n, ip, ipn);
	assert_int_equal(wire_decode(link, frame, (uint32_t)(l2n + ipn),
				     (uint32_t)(l2n + ipn), &d), 0);
	assert_clean_tcp(&d);
	/* kept values, then computed ones: both give the captured bytes */
	for (f = 0; f < 2; f++) {
		memset(out, 0xa5, sizeof(out));
		assert_int_equal(wire_emit(&d, d.tcp.payload, d.tcp.payload_caplen,
					   f ? 0 : KEEP_ALL, out, sizeof(out), &n), 0);
		assert_int_equal(n, l2n + ipn);
		assert_memory_equal(out, frame, n);
	}
}

static void test_emit_real_frames_reemit_byte_exact(void **state)
{
	const uint32_t af_inet = 2;
	uint8_t null4[4]; /* DLT_NULL: the writer's (our) byte order */

	(void)state;
	memcpy(null4, &af_inet, 4);
	check_reemit(WIRE_LINK_ETHERNET, eth4, 14, v4_syn, sizeof(v4_syn));
	check_reemit(WIRE_LINK_ETHERNET, eth4, 14, v4_data, sizeof(v4_data));
	check_reemit(WIRE_LINK_ETHERNET, eth6, 14, v6_odd, sizeof(v6_odd));
	check_reemit(WIRE_LINK_ETHERNET, vlan4, 18, v4_data, sizeof(v4_data));
	check_reemit(WIRE_LINK_ETHERNET, qinq6, 22, v6_odd, sizeof(v6_odd));
	check_reemit(WIRE_LINK_SLL, sll4, 16, v4_syn, sizeof(v4_syn));
	check_reemit(WIRE_LINK_SLL2, sll2_6, 20, v6_odd, sizeof(v6_odd));
	check_reemit(WIRE_LINK_RAW, eth4, 0, v4_data, sizeof(v4_data));
	check_reemit(WIRE_LINK_IPV6, eth6, 0, v6_odd, sizeof(v6_odd));
	check_reemit(WIRE_LINK_NULL, null4, 4, v4_syn, sizeof(v4_syn));
	check_reemit(WIRE_LINK_LOOP, loop6, 4, v6_odd, sizeof(v6_odd));
}

static void test_emit_option_bytes_follow_entry_order(void **state)
{
	static const uint8_t want[] = {
		0xfe, 0x0c, 0xf9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, /* TFO exp */
		0x02, 0x03, 0x05,                               /* MSS len 3 */
		0x08, 0x06, 0, 0, 0, 9,                         /* TS len 6 */
		0x04, 0x00,                                     /* len 0 */
		0x01,                                           /* NOP */
		0x03, 0x05, 0x0e, 0x00, 0x00,                   /* WS len 5 */
		0x02, 0x05, 0xaa, 0xbb, 0xcc,                   /* MSS raw */
		0x00, 0x00,                                     /* pad */
	};
	struct wire_pkt a;
	uint8_t buf[128];
	size_t n;

	(void)state;
	base_pkt(&a, WIRE_LINK_RAW, 4);
	a.tcp.fo_cookie_len = 8;
	memcpy(a.tcp.fo_cookie, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	a.tcp.mss = 0x05b4;
	a.tcp.tsval = 9;
	add_opt(&a, WIRE_TCPOPT_EXP, 12, NULL);
	add_opt(&a, WIRE_TCPOPT_MSS, 3, NULL);
	add_opt(&a, WIRE_TCPOPT_TS, 6, NULL);
	add_opt(&a, WIRE_TCPOPT_SACK_OK, 0, NULL);
	add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL);
	a.tcp.ws = 14; /* typed value, zero-extended to the entry's length */
	add_opt(&a, WIRE_TCPOPT_WSCALE, 5, NULL);
	/* wrong length with raw bytes (as decoded): the bytes are kept */
	add_opt(&a, WIRE_TCPOPT_MSS, 5, (const uint8_t *)"\xaa\xbb\xcc");
	assert_int_equal(wire_tcp_opts_len(&a.tcp), 34);
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), &n), 0);
	assert_int_equal(n, 20 + 20 + sizeof(want));
	assert_int_equal(buf[20 + 12] >> 4, 14);
	assert_memory_equal(buf + 40, want, sizeof(want));
}

/* a - b in one's complement arithmetic (mod 0xFFFF) */
static uint16_t ones_sub(uint16_t a, uint16_t b)
{
	return (uint16_t)(a >= b ? a - b : a - b + 0xFFFF);
}

/* BAD_TCP_CSUM on payloads making the correct checksum 0x0000, and
 * making good ^ 0x5555 the offload seed or its complement: the traps
 * csum_corrupt must avoid (a verifying or a PARTIAL value). */
static void test_emit_bad_csum_flags_decode_as_bad(void **state)
{
	struct wire_pkt a, d;
	uint8_t pl[8] = "ABCDEF\0\0";
	uint16_t good, seed, target, w;
	uint64_t ph;
	unsigned v, t;

	(void)state;
	for (v = 4; v <= 6; v += 2) {
		base_pkt(&a, WIRE_LINK_RAW, (int)v);
		for (t = 0; t < 3; t++) {
			pl[6] = pl[7] = 0;
			emit_decode(&a, pl, sizeof(pl), 0, &d, NULL);
			good = d.tcp.csum;
			ph = v == 4 ? csum_pseudo_v4(a.ip.src, a.ip.dst, 6, 28) :
				      csum_pseudo_v6(a.ip.src, a.ip.dst, 6, 28);
			seed = csum_fold(ph);
			target = t == 0 ? 0x0000 : t == 1 ? seed ^ 0x5555 :
					  (uint16_t)~seed ^ 0x5555;
			/* the last payload word w moves the checksum from good
			 * to target: ~(S + w) = target <=> w = good - target */
			w = ones_sub(good, target);
			pl[6] = (uint8_t)(w >> 8);
			pl[7] = (uint8_t)w;
			emit_decode(&a, pl, sizeof(pl), 0, &d, NULL);
			assert_clean_tcp(&d);
			assert_int_equal(d.tcp.csum, target);
			emit_decode(&a, pl, sizeof(pl), WIRE_EMIT_BAD_TCP_CSUM, &d, NULL);
			assert_true(d.has_tcp);
			assert_int_equal(d.tcp_csum, WIRE_CSUM_BAD);
			assert_true(has_problem(&d, FND_TCP_CHECKSUM_BAD));
			if (target == 0) /* the other zero would verify */
				assert_int_not_equal(d.tcp.csum, 0xFFFF);
			assert_int_not_equal(d.tcp.csum, seed);
			assert_int_not_equal(d.tcp.csum, (uint16_t)~seed);
			assert_true(d.ip.ip_csum_ok);
		}
	}
	/* BAD_IP_CSUM spoils only the IPv4 header checksum */
	base_pkt(&a, WIRE_LINK_ETHERNET, 4);
	emit_decode(&a, NULL, 0, WIRE_EMIT_BAD_IP_CSUM, &d, NULL);
	assert_false(d.ip.ip_csum_ok);
	assert_true(has_problem(&d, FND_IP_CHECKSUM_BAD));
	assert_int_equal(d.tcp_csum, WIRE_CSUM_OK);
}

static void test_emit_length_faults_give_findings(void **state)
{
	struct wire_pkt a, d;
	uint8_t len;

	(void)state;
	for (len = 0; len < 2; len++) { /* RFC 9293 3.2: length < 2 */
		base_pkt(&a, WIRE_LINK_RAW, 4);
		add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL);
		add_opt(&a, WIRE_TCPOPT_MSS, len, NULL);
		emit_decode(&a, NULL, 0, 0, &d, NULL);
		assert_true(d.has_tcp);
		assert_int_equal(d.tcp_csum, WIRE_CSUM_OK);
		assert_true(has_problem(&d, FND_TCP_OPT_BAD_LENGTH));
	}
	/* a known kind with a length it cannot have */
	base_pkt(&a, WIRE_LINK_RAW, 6);
	a.tcp.mss = 1400;
	add_opt(&a, WIRE_TCPOPT_MSS, 3, NULL);
	add_opt(&a, WIRE_TCPOPT_TS, 6, NULL);
	emit_decode(&a, NULL, 0, 0, &d, NULL);
	assert_true(has_problem(&d, FND_TCP_OPT_WRONG_LENGTH));
	assert_false(d.tcp.has_mss);
	assert_int_equal(d.tcp.opts[0].len, 3);
	assert_int_equal(d.tcp.opts[1].len, 6);
	/* TS (10 bytes) at offset 4 of an 8-byte option area */
	base_pkt(&a, WIRE_LINK_RAW, 4);
	add_opt(&a, WIRE_TCPOPT_MSS, 4, NULL);
	add_opt(&a, WIRE_TCPOPT_TS, 10, NULL);
	a.tcp.doff = 7;
	emit_decode(&a, NULL, 0, WIRE_EMIT_KEEP_DOFF, &d, NULL);
	assert_true(d.has_tcp);
	assert_true(has_problem(&d, FND_TCP_OPT_PAST_HEADER));
	/* data offset below 5 words (RFC 9293 3.1) and past the segment */
	base_pkt(&a, WIRE_LINK_RAW, 6);
	a.tcp.doff = 4;
	emit_decode(&a, (const uint8_t *)"data", 4, WIRE_EMIT_KEEP_DOFF, &d, NULL);
	assert_true(has_problem(&d, FND_TCP_BAD_DATA_OFFSET));
	assert_false(d.has_tcp);
	a.tcp.doff = 15; /* 60 bytes, the segment has 24 */
	emit_decode(&a, (const uint8_t *)"data", 4, WIRE_EMIT_KEEP_DOFF, &d, NULL);
	assert_true(has_problem(&d, FND_TCP_DATA_OFFSET_PAST_END));
	assert_false(d.has_tcp);
}

static void test_emit_reserved_bits_finding(void **state)
{
	struct wire_pkt a, d;

	(void)state;
	base_pkt(&a, WIRE_LINK_RAW, 4);
	a.tcp.reserved = 0x0e;
	emit_decode(&a, NULL, 0, 0, &d, NULL);
	assert_int_equal(d.tcp.reserved, 0x0e);
	assert_int_equal(d.tcp_csum, WIRE_CSUM_OK);
	assert_true(has_problem(&d, FND_TCP_RESERVED_BITS));
	/* bit 0 is AE (RFC 9768), no longer reserved */
	a.tcp.reserved = 0x01;
	emit_decode(&a, NULL, 0, 0, &d, NULL);
	assert_int_equal(d.tcp.reserved, 0x01);
	assert_false(has_problem(&d, FND_TCP_RESERVED_BITS));
}

static void test_emit_kept_fields_are_written_verbatim(void **state)
{
	struct wire_pkt a, d;
	const uint8_t *buf;
	size_t n;
	int v;

	(void)state;
	for (v = 4; v <= 6; v += 2) {
		base_pkt(&a, WIRE_LINK_RAW, v);
		a.tcp.csum = 0xbeef;
		a.ip.ip_csum = 0x1234;
		a.ip.l4_len = 1000; /* longer than the frame */
		buf = emit_decode(&a, NULL, 0, KEEP_ALL & ~WIRE_EMIT_KEEP_DOFF, &d, &n);
		assert_int_equal(n, v == 4 ? 40 : 60);
		assert_int_equal(d.tcp.csum, 0xbeef);
		assert_int_equal(d.ip.ip_csum, v == 4 ? 0x1234 : 0);
		assert_int_equal(v == 4 ? buf[2] << 8 | buf[3] : buf[4] << 8 | buf[5],
				 v == 4 ? 1020 : 1000);
		assert_true(has_problem(&d, FND_IP_BAD_TOTAL_LENGTH));
	}
	/* a kept offset past a final EOL is zero padding */
	base_pkt(&a, WIRE_LINK_RAW, 6);
	a.tcp.mss = 536;
	add_opt(&a, WIRE_TCPOPT_MSS, 4, NULL);
	add_opt(&a, WIRE_TCPOPT_EOL, 1, NULL);
	a.tcp.doff = 10;
	buf = emit_decode(&a, (const uint8_t *)"z", 1, WIRE_EMIT_KEEP_DOFF, &d, &n);
	assert_int_equal(n, 40 + 40 + 1);
	assert_clean_tcp(&d);
	assert_int_equal(d.tcp.payload[0], 'z');
}

static void test_emit_nospace_never_writes_past_cap(void **state)
{
	static uint8_t buf[200];
	const uint8_t *hello = (const uint8_t *)"hello";
	struct wire_pkt a;
	size_t cap, n, total = 0;
	unsigned link;

	(void)state;
	for (link = 0; link < NLINKS; link++) {
		base_pkt(&a, (enum wire_link)link, link == WIRE_LINK_IPV4 ? 4 : 6);
		a.l2.n_vlan = link <= WIRE_LINK_SLL2 ? 2 : 0;
		a.tcp.mss = 1200;
		add_opt(&a, WIRE_TCPOPT_MSS, 4, NULL);
		assert_int_equal(wire_emit(&a, hello, 5, 0, buf, sizeof(buf), &total), 0);
		for (cap = 0; cap < total; cap++) {
			memset(buf, 0xa5, sizeof(buf));
			n = 12345;
			assert_int_equal(wire_emit(&a, hello, 5, 0, buf, cap, &n), WIRE_ERR_NOSPACE);
			assert_int_equal(n, 12345);
			for (n = 0; n < sizeof(buf); n++)
				assert_int_equal(buf[n], 0xa5);
		}
		assert_int_equal(wire_emit(&a, hello, 5, 0, buf, total, &n), 0);
		assert_int_equal(n, total);
	}
	assert_int_equal(wire_emit(&a, NULL, 0, 0, NULL, 0, &n), WIRE_ERR_NOSPACE);
}

static void test_emit_rejects_impossible_packets(void **state)
{
	static uint8_t buf[70000], zeros[65536];
	struct wire_pkt a;
	size_t n;
	unsigned i;

	(void)state;
	base_pkt(&a, WIRE_LINK_RAW, 4);
	assert_int_equal(wire_emit(NULL, NULL, 0, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), NULL), WIRE_ERR_INVAL);
	assert_int_equal(wire_emit(&a, NULL, 1, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	i = WIRE_EMIT_KEEP_TCP_CSUM | WIRE_EMIT_BAD_TCP_CSUM; /* contradiction */
	assert_int_equal(wire_emit(&a, NULL, 0, i, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	/* 65535 - 40 payload bytes fit an IPv4 packet, one more does not */
	assert_int_equal(wire_emit(&a, zeros, 65495, 0, buf, sizeof(buf), &n), 0);
	assert_int_equal(wire_emit(&a, zeros, 65496, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	a.ip.version = 5;
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	base_pkt(&a, WIRE_LINK_ETHERNET, 6); /* IPv6 has no header checksum */
	assert_int_equal(wire_emit(&a, NULL, 0, WIRE_EMIT_BAD_IP_CSUM, buf, 99, &n), WIRE_ERR_INVAL);
	a.l2.n_vlan = 3;
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	base_pkt(&a, (enum wire_link)NLINKS, 6);
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
	base_pkt(&a, WIRE_LINK_RAW, 6);
	for (i = 0; i < 4; i++) /* 4 x 10 = 40 option bytes: fits */
		add_opt(&a, WIRE_TCPOPT_TS, 10, NULL);
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), &n), 0);
	assert_int_equal(n, 40 + 60);
	add_opt(&a, WIRE_TCPOPT_NOP, 1, NULL); /* 41: no data offset says that */
	assert_int_equal(wire_tcp_opts_len(&a.tcp), 41);
	assert_int_equal(wire_emit(&a, NULL, 0, 0, buf, sizeof(buf), &n), WIRE_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emit_roundtrips_every_link_and_version),
		cmocka_unit_test(test_emit_roundtrips_every_option_kind),
		cmocka_unit_test(test_emit_roundtrips_vlan_tags_and_ip_options),
		cmocka_unit_test(test_emit_real_frames_reemit_byte_exact),
		cmocka_unit_test(test_emit_option_bytes_follow_entry_order),
		cmocka_unit_test(test_emit_bad_csum_flags_decode_as_bad),
		cmocka_unit_test(test_emit_length_faults_give_findings),
		cmocka_unit_test(test_emit_reserved_bits_finding),
		cmocka_unit_test(test_emit_kept_fields_are_written_verbatim),
		cmocka_unit_test(test_emit_nospace_never_writes_past_cap),
		cmocka_unit_test(test_emit_rejects_impossible_packets),
	};

	return cmocka_run_group_tests_name("wire_emit", tests, NULL, NULL);
}
