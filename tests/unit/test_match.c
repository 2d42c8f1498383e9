/* Unit tests: the segment matcher (injector/match.c): frames built for
 * `send` steps, `expect` comparisons field by field and their diff text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"
#include "script.h"
#include "wire.h"

#define TESTER_ISN 1000u
#define TARGET_ISN 3735928559u   /* 0xDEADBEEF */

static struct match_flow flow4(void)
{
	struct match_flow f = {
		.ip_version = 4,
		.tester_mac = { 0x02, 0, 0, 0, 0, 0x02 },
		.target_mac = { 0x02, 0, 0, 0, 0, 0x01 },
		.tester_addr = { 192, 0, 2, 2 },
		.target_addr = { 192, 0, 2, 1 },
		.tester_port = 40000,
		.target_port = 8080,
		.tester_isn = TESTER_ISN,
		.target_isn = TARGET_ISN,
		.target_isn_known = true,
	};
	return f;
}

/* Segments come from the loader: the tests read like the scripts. */
struct fixture {
	struct script_suite suite;
};

static const struct script_seg *seg_of(struct fixture *fx, const char *step, int ip)
{
	char yaml[1024];
	struct diag d;
	char msg[700];

	script_suite_free(&fx->suite);
	snprintf(yaml, sizeof(yaml), "id: t\ntarget: {port: 8080, ip: %d}\nsteps:\n  - %s\n",
		 ip, step);
	if (script_load_buffer("m.yaml", yaml, strlen(yaml), &fx->suite, &d)) {
		diag_format(&d, msg, sizeof(msg));
		fail_msg("fixture does not load: %s", msg);
	}
	return &fx->suite.cases[0].steps[0].seg;
}

static int setup(void **state)
{
	static struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	script_suite_free(&((struct fixture *)*state)->suite);
	return 0;
}

/* A SYN-ACK from the target: seq 0, ack 1 (relative), win 65535, ttl 64. */
static struct wire_pkt synack(const struct match_flow *f)
{
	struct wire_pkt p;

	memset(&p, 0, sizeof(p));
	p.has_ip = p.has_tcp = true;
	p.ip.version = 4;
	p.ip.ttl = 64;
	p.ip.proto = 6;
	memcpy(p.ip.src, f->target_addr, 4);
	memcpy(p.ip.dst, f->tester_addr, 4);
	p.tcp.sport = f->target_port;
	p.tcp.dport = f->tester_port;
	p.tcp.seq = f->target_isn;
	p.tcp.ack = f->tester_isn + 1;
	p.tcp.flags = WIRE_TH_SYN | WIRE_TH_ACK;
	p.tcp.win = 65535;
	return p;
}

static void add_opt(struct wire_pkt *p, uint8_t kind, uint8_t len)
{
	p->tcp.opts[p->tcp.n_opts].kind = kind;
	p->tcp.opts[p->tcp.n_opts].len = len;
	p->tcp.n_opts++;
}

/* mss 1460, nop, wscale 7, sackOK, ts 5 100 (typed fields, no data). */
static void add_syn_opts(struct wire_pkt *p)
{
	add_opt(p, WIRE_TCPOPT_MSS, 4);
	p->tcp.has_mss = true;
	p->tcp.mss = 1460;
	add_opt(p, WIRE_TCPOPT_NOP, 1);
	add_opt(p, WIRE_TCPOPT_WSCALE, 3);
	p->tcp.has_ws = true;
	p->tcp.ws = 7;
	add_opt(p, WIRE_TCPOPT_SACK_OK, 2);
	p->tcp.sack_ok = true;
	add_opt(p, WIRE_TCPOPT_TS, 10);
	p->tcp.has_ts = true;
	p->tcp.tsval = 5;
	p->tcp.tsecr = 100;
}

/* Runs match_expect and returns the diff text ("" when it matched). */
static const char *diff_of(const struct script_seg *seg, const struct match_flow *f,
			   const struct wire_pkt *p)
{
	static char buf[1024];
	struct match_diff diff;
	bool ok = match_expect(seg, NULL, f, p, &diff);

	match_diff_str(&diff, buf, sizeof(buf));
	assert_int_equal(ok, diff.n == 0);
	return buf;
}

/* --- building `send` --- */

static void test_match_send_maps_relative_numbers_and_defaults(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p;
	unsigned ef = 99;
	const struct script_seg *seg = seg_of(*state, "send: {flags: PA, seq: 1, ack: 1, data: \"hello\"}", 4);

	assert_int_equal(match_build_send(seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(ef, 0);
	assert_int_equal(p.link, WIRE_LINK_ETHERNET);
	assert_memory_equal(p.l2.src, f.tester_mac, 6);
	assert_memory_equal(p.l2.dst, f.target_mac, 6);
	assert_int_equal(p.l2.ethertype, WIRE_ETHERTYPE_IPV4);
	assert_true(p.has_ip && p.has_tcp);
	assert_int_equal(p.ip.version, 4);
	assert_int_equal(p.ip.ttl, 64);
	assert_int_equal(p.ip.tos, 0);
	assert_true(p.ip.df);
	assert_int_equal(p.ip.proto, 6);
	assert_memory_equal(p.ip.src, f.tester_addr, 4);
	assert_memory_equal(p.ip.dst, f.target_addr, 4);
	assert_int_equal(p.tcp.sport, 40000);
	assert_int_equal(p.tcp.dport, 8080);
	assert_int_equal(p.tcp.seq, TESTER_ISN + 1);
	assert_int_equal(p.tcp.ack, TARGET_ISN + 1);
	assert_int_equal(p.tcp.flags, WIRE_TH_PSH | WIRE_TH_ACK);
	assert_int_equal(p.tcp.win, 65535);
	assert_int_equal(p.tcp.urp, 0);
	assert_int_equal(p.tcp.doff, 5);
	assert_int_equal(p.tcp.reserved, 0);
	assert_int_equal(p.tcp.n_opts, 0);
	assert_ptr_equal(p.tcp.payload, seg->data);
	assert_int_equal(p.tcp.payload_len, 5);
	assert_int_equal(p.ip.l4_len, 25);

	/* a SYN without ack sends 0 in the ack field */
	seg = seg_of(*state, "send: {flags: S, win: 1024, urg: 3, ttl: 1, tos: 0x10}", 4);
	assert_int_equal(match_build_send(seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(p.tcp.seq, TESTER_ISN);
	assert_int_equal(p.tcp.ack, 0);
	assert_int_equal(p.tcp.win, 1024);
	assert_int_equal(p.tcp.urp, 3);
	assert_int_equal(p.ip.ttl, 1);
	assert_int_equal(p.ip.tos, 0x10);
	assert_null(p.tcp.payload);
}

static void test_match_send_wraps_sequence_space_at_2_32(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p;
	unsigned ef;

	f.tester_isn = 0xFFFFFFFFu;
	f.target_isn = 0xFFFFFFF0u;
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: A, seq: 2, ack: 0x20}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(p.tcp.seq, 1);
	assert_int_equal(p.tcp.ack, 0x10);
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: A, seq: -1, ack: -16}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(p.tcp.seq, 0xFFFFFFFEu);
	assert_int_equal(p.tcp.ack, 0xFFFFFFE0u);
}

static void test_match_send_absolute_and_unknown_target_isn(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p;
	unsigned ef;

	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: R, seq: {abs: 5}, ack: {abs: 7}}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(p.tcp.seq, 5);
	assert_int_equal(p.tcp.ack, 7);
	/* no target ISN yet: a relative ack is taken as the wire value */
	f.target_isn_known = false;
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: A, seq: 1, ack: 1234}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(p.tcp.seq, TESTER_ISN + 1);
	assert_int_equal(p.tcp.ack, 1234);
}

static void test_match_send_options_in_script_order(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p;
	unsigned ef;
	const struct wire_tcp *t = &p.tcp;
	const struct script_seg *seg = seg_of(*state,
		"send: {flags: SA, ack: 1, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7, "
		"sack 1:100, kind 253 hex 0102]}", 4);

	assert_int_equal(match_build_send(seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(t->n_opts, 7);
	assert_int_equal(t->opts[0].kind, WIRE_TCPOPT_MSS);
	assert_int_equal(t->opts[0].len, 4);
	assert_int_equal(t->opts[1].kind, WIRE_TCPOPT_SACK_OK);
	assert_int_equal(t->opts[1].len, 2);
	assert_int_equal(t->opts[2].kind, WIRE_TCPOPT_TS);
	assert_int_equal(t->opts[2].len, 10);
	assert_int_equal(t->opts[3].kind, WIRE_TCPOPT_NOP);
	assert_int_equal(t->opts[3].len, 1);
	assert_int_equal(t->opts[4].kind, WIRE_TCPOPT_WSCALE);
	assert_int_equal(t->opts[4].len, 3);
	assert_int_equal(t->opts[5].kind, WIRE_TCPOPT_SACK);
	assert_int_equal(t->opts[5].len, 10);
	assert_int_equal(t->opts[6].kind, 253);
	assert_int_equal(t->opts[6].len, 4);
	assert_memory_equal(t->opts[6].data, "\x01\x02", 2);
	assert_null(t->opts[0].data);
	assert_true(t->has_mss && t->sack_ok && t->has_ts && t->has_ws);
	assert_int_equal(t->mss, 1460);
	assert_int_equal(t->tsval, 100);
	assert_int_equal(t->tsecr, 0);
	assert_int_equal(t->ws, 7);
	/* SACK blocks in send are relative to the target's ISN */
	assert_int_equal(t->n_sack, 1);
	assert_int_equal(t->sack[0].left, TARGET_ISN + 1);
	assert_int_equal(t->sack[0].right, TARGET_ISN + 100);
	/* 4+2+10+1+3+10+4 = 34 option bytes, padded to 36 */
	assert_int_equal(t->doff, 14);

	seg = seg_of(*state, "send: {flags: S, options: [md5 00112233445566778899aabbccddeeff, "
			     "exp-fastopen 01020304]}", 4);
	assert_int_equal(match_build_send(seg, NULL, &f, &p, &ef), 0);
	assert_true(t->has_md5);
	assert_int_equal(t->md5[15], 0xff);
	assert_int_equal(t->opts[0].len, 18);
	assert_int_equal(t->opts[1].kind, WIRE_TCPOPT_EXP);
	assert_int_equal(t->opts[1].len, 8);
	assert_true(t->has_fastopen && t->fo_exp);
	assert_int_equal(t->fo_cookie_len, 4);
	assert_memory_equal(t->fo_cookie, "\x01\x02\x03\x04", 4);

	seg = seg_of(*state, "send: {flags: S, options: [fastopen]}", 4);
	assert_int_equal(match_build_send(seg, NULL, &f, &p, &ef), 0);
	assert_true(t->has_fastopen);
	assert_false(t->fo_exp);
	assert_int_equal(t->fo_cookie_len, 0);
	assert_int_equal(t->opts[0].len, 2);
}

static void test_match_send_faults_become_emit_flags(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p;
	unsigned ef;

	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: S, checksum: bad}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(ef, WIRE_EMIT_BAD_TCP_CSUM);
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: S, ip_checksum: bad}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(ef, WIRE_EMIT_BAD_IP_CSUM);
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: S, doff: 3, reserved: 9}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(ef, WIRE_EMIT_KEEP_DOFF);
	assert_int_equal(p.tcp.doff, 3);
	assert_int_equal(p.tcp.reserved, 9);
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: S, options: [mss 1460 len 3, "
							 "kind 99 len 6 hex 01]}", 4), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(ef, 0);
	assert_int_equal(p.tcp.opts[0].len, 3);
	assert_int_equal(p.tcp.mss, 1460);
	assert_int_equal(p.tcp.opts[1].len, 6);
}

static void test_match_send_ipv6(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p;
	unsigned ef;
	static const uint8_t tst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static const uint8_t tgt[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	f.ip_version = 6;
	memcpy(f.tester_addr, tst, 16);
	memcpy(f.target_addr, tgt, 16);
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: S, flow_label: 0x12345, ttl: 9}", 6), NULL,
					  &f, &p, &ef), 0);
	assert_int_equal(p.l2.ethertype, WIRE_ETHERTYPE_IPV6);
	assert_int_equal(p.ip.version, 6);
	assert_int_equal(p.ip.hdr_len, 40);
	assert_int_equal(p.ip.flow_label, 0x12345);
	assert_int_equal(p.ip.ttl, 9);
	assert_false(p.ip.df);
	assert_memory_equal(p.ip.src, tst, 16);
	assert_memory_equal(p.ip.dst, tgt, 16);

	f.ip_version = 5;
	assert_int_equal(match_build_send(seg_of(*state, "send: {flags: S}", 4), NULL, &f, &p, &ef),
			 WIRE_ERR_INVAL);
}

/* build -> wire_emit -> wire_decode: what the matcher fills is what the
 * emitter writes (the matcher reads the decoder's output the same way). */
static void test_match_send_round_trips_through_emit_and_decode(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p, d;
	uint8_t frame[256];
	size_t len;
	unsigned ef;
	const struct script_seg *seg = seg_of(*state,
		"send: {flags: PA, seq: 1, ack: 1, data: \"abc\", checksum: bad, "
		"options: [nop, nop, ts 7 9, sack 10:20 30:40, exp-fastopen 0a0b0c0d]}", 4);

	assert_int_equal(match_build_send(seg, NULL, &f, &p, &ef), 0);
	assert_int_equal(wire_emit(&p, seg->data, seg->data_len, ef, frame, sizeof(frame), &len), 0);
	assert_int_equal(wire_decode(WIRE_LINK_ETHERNET, frame, (uint32_t)len, (uint32_t)len, &d), 0);
	assert_true(d.has_tcp);
	assert_int_equal(d.tcp_csum, WIRE_CSUM_BAD);
	assert_int_equal(d.tcp.seq, TESTER_ISN + 1);
	assert_int_equal(d.tcp.ack, TARGET_ISN + 1);
	/* 38 option bytes: the 2 bytes of padding decode as EOL */
	assert_int_equal(d.tcp.n_opts, 6);
	assert_int_equal(d.tcp.opts[5].kind, WIRE_TCPOPT_EOL);
	assert_int_equal(d.tcp.tsval, 7);
	assert_int_equal(d.tcp.sack[1].left, TARGET_ISN + 30);
	assert_true(d.tcp.fo_exp);
	assert_int_equal(d.tcp.fo_cookie_len, 4);
	assert_int_equal(d.tcp.payload_len, 3);
	assert_memory_equal(d.tcp.payload, "abc", 3);

	/* the decoded segment, seen from the target's side, matches the
	 * script's own options (SACK blocks relative to the receiver's ISN) */
	f.tester_isn = TARGET_ISN;
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [nop, nop, ts 7 9, "
					   "sack 10:20 30:40, exp-fastopen 0a0b0c0d]}", 4), &f, &d), "");
}

/* --- matching `expect` --- */

static void test_match_is_from_target_checks_addresses_and_ports(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	(void)state;
	assert_true(match_is_from_target(&f, &p));
	p.tcp.sport = 8081;
	assert_false(match_is_from_target(&f, &p));
	p = synack(&f);
	p.tcp.dport = 40001;
	assert_false(match_is_from_target(&f, &p));
	p = synack(&f);
	memcpy(p.ip.src, f.tester_addr, 4);   /* our own frame, looped back */
	memcpy(p.ip.dst, f.target_addr, 4);
	assert_false(match_is_from_target(&f, &p));
	p = synack(&f);
	p.ip.version = 6;
	assert_false(match_is_from_target(&f, &p));
	p = synack(&f);
	p.has_tcp = false;
	assert_false(match_is_from_target(&f, &p));
}

static void test_match_expect_every_field_matching(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	assert_string_equal(diff_of(seg_of(*state, "expect: {flags: SA, seq: 0, ack: 1, win: 65535, "
					   "urg: 0, len: 0, ttl: 64, tos: 0}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {flags: S., seq: any, ack: 0..2, "
					   "win: [1000, 65535], ttl: any}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {}", 4), &f, &p), "");
}

static void test_match_expect_mismatches_read_as_diffs(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	p.tcp.flags = WIRE_TH_RST | WIRE_TH_ACK;
	p.tcp.ack = TESTER_ISN;
	assert_string_equal(diff_of(seg_of(*state, "expect: {flags: SA, ack: 1}", 4), &f, &p),
			    "flags: expected SA, observed RA; "
			    "ack: expected 1 (abs 1001), observed 0 (abs 1000)");
	p = synack(&f);
	p.tcp.seq = TARGET_ISN - 1;
	p.tcp.win = 512;
	p.tcp.urp = 9;
	p.ip.ttl = 63;
	p.ip.tos = 2;
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: 0, win: 1024..2048, urg: 0, "
					   "ttl: 64, tos: 0}", 4), &f, &p),
			    "seq: expected 0 (abs 3735928559), observed -1 (abs 3735928558); "
			    "win: expected 1024..2048, observed 512; urg: expected 0, observed 9; "
			    "ttl: expected 64, observed 63; tos: expected 0, observed 2");
	p = synack(&f);
	p.tcp.flags = 0;
	assert_string_equal(diff_of(seg_of(*state, "expect: {flags: R}", 4), &f, &p),
			    "flags: expected R, observed none");
}

static void test_match_expect_sequence_ranges_wrap(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	p.tcp.seq = TARGET_ISN - 1;      /* relative -1 */
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: -1..1}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: -1}", 4), &f, &p), "");
	f.target_isn = 0xFFFFFFFFu;     /* relative 5 lies past 2^32 */
	p.tcp.seq = 4;
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: 5}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: 6..9}", 4), &f, &p),
			    "seq: expected 6..9, observed 5 (abs 4)");
}

static void test_match_expect_unknown_target_isn_compares_absolute(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	f.target_isn_known = false;
	p.tcp.seq = 5;
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: 5}", 4), &f, &p), "");
	p.tcp.seq = 6;
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: 5}", 4), &f, &p),
			    "seq: expected 5, observed 6");
	/* {abs: N} is absolute whatever is known */
	f.target_isn_known = true;
	p.tcp.seq = 0;
	p.tcp.ack = 7;
	assert_string_equal(diff_of(seg_of(*state, "expect: {seq: {abs: 0}, ack: {abs: 8}}", 4), &f, &p),
			    "ack: expected 8, observed 7");
}

static void test_match_expect_payload_len_and_bytes(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);
	static const uint8_t bin[4] = { 0xde, 0xad, 0xbe, 0xee };

	p.tcp.payload = (const uint8_t *)"hellx";
	p.tcp.payload_len = p.tcp.payload_caplen = 5;
	assert_string_equal(diff_of(seg_of(*state, "expect: {data: \"hellx\", len: 5}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {data: \"hello\"}", 4), &f, &p),
			    "data: expected @4 \"o\", observed @4 \"x\"");
	assert_string_equal(diff_of(seg_of(*state, "expect: {data: \"hi\", len: 0..2}", 4), &f, &p),
			    "len: expected 0..2, observed 5; "
			    "data: expected \"hi\" (2 bytes), observed \"hellx\" (5 bytes)");
	p.tcp.payload = bin;
	p.tcp.payload_len = p.tcp.payload_caplen = 4;
	assert_string_equal(diff_of(seg_of(*state, "expect: {hex: de ad be ef}", 4), &f, &p),
			    "data: expected @3 ef, observed @3 ee");
	assert_string_equal(diff_of(seg_of(*state, "expect: {hex: dead}", 4), &f, &p),
			    "data: expected de ad (2 bytes), observed de ad be ee (4 bytes)");
	p.tcp.payload_caplen = 2;        /* snaplen cut the rest */
	assert_string_equal(diff_of(seg_of(*state, "expect: {hex: de ad be ee}", 4), &f, &p),
			    "data: expected @2 be ee, observed only 2 bytes captured");
}

static void test_match_expect_flow_label_on_ipv6(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	p.ip.flow_label = 0x54321;
	assert_string_equal(diff_of(seg_of(*state, "expect: {flow_label: 0x54321}", 6), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {flow_label: 0}", 6), &f, &p),
			    "flow_label: expected 0, observed 344865");
}

static void test_match_expect_option_list_is_exact_order(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	add_syn_opts(&p);
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [mss 1460, nop, wscale 7, "
					   "sackOK, ts 5 100]}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [mss any, nop, wscale 0..14, "
					   "sackOK, ts any 100]}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [mss 1400, wscale 7, nop, "
					   "sackOK, ts any 99]}", 4), &f, &p),
			    "options[0]: expected mss 1400, observed mss 1460; "
			    "options[1]: expected wscale 7, observed nop; "
			    "options[2]: expected nop, observed wscale 7; "
			    "options[4]: expected ts any 99, observed ts 5 100");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [mss 1460, nop, wscale 7]}", 4),
				    &f, &p),
			    "options[3]: expected none, observed sackOK; "
			    "options[4]: expected none, observed ts 5 100");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [mss 1460, nop, wscale 7, "
					   "sackOK, ts 5 100, eol]}", 4), &f, &p),
			    "options[5]: expected eol, observed none");
	p.tcp.n_opts = 0;
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: []}", 4), &f, &p), "");
}

static void test_match_expect_option_map_any_order_any_absent(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	add_opt(&p, WIRE_TCPOPT_MSS, 4);
	p.tcp.has_mss = true;
	p.tcp.mss = 1460;
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {mss: any, wscale: absent, "
					   "sackOK: absent, ts: absent}}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {ts: any, mss: 1000..1400, "
					   "sackOK: any, eol: absent}}", 4), &f, &p),
			    "options.ts: expected any any, observed absent; "
			    "options.mss: expected 1000..1400, observed 1460; "
			    "options.sackOK: expected present, observed absent");
	add_syn_opts(&p);                 /* a second mss, nop, wscale, sackOK, ts */
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {wscale: absent, "
					   "ts: {val: any, ecr: 100}, sackOK: any}}", 4), &f, &p),
			    "options.wscale: expected absent, observed 7");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {ts: {ecr: 99}, mss: absent}}", 4),
				    &f, &p),
			    "options.ts: expected any 99, observed 5 100; "
			    "options.mss: expected absent, observed 1460");
}

static void test_match_expect_sack_blocks_relative_to_tester_isn(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);

	add_opt(&p, WIRE_TCPOPT_SACK, 18);
	p.tcp.n_sack = 2;
	p.tcp.sack[0].left = TESTER_ISN + 1;
	p.tcp.sack[0].right = TESTER_ISN + 100;
	p.tcp.sack[1].left = TESTER_ISN + 200;
	p.tcp.sack[1].right = TESTER_ISN + 300;
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [sack 1:100 200:300]}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {sack: any}}", 4), &f, &p), "");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {sack: \"1:100\"}}", 4), &f, &p),
			    "options.sack: expected 1:100, observed 1:100 200:300");
}

/* Decoded options carry their own bytes: a repeated or malformed option
 * is judged by its entry, not by the typed field of the last one. */
static void test_match_expect_reads_decoded_option_bytes(void **state)
{
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);
	static const uint8_t mss1[2] = { 0x05, 0xb4 }, mss2[2] = { 0x02, 0x18 }, bad[2] = { 5, 0 };
	static const uint8_t exp[6] = { 0xf9, 0x89, 1, 2, 3, 4 }, raw[2] = { 0xaa, 0xbb };

	add_opt(&p, WIRE_TCPOPT_MSS, 4);
	p.tcp.opts[0].data = mss1;
	add_opt(&p, WIRE_TCPOPT_MSS, 4);
	p.tcp.opts[1].data = mss2;
	p.tcp.has_mss = true;
	p.tcp.mss = 536;                 /* last occurrence wins in typed fields */
	add_opt(&p, WIRE_TCPOPT_WSCALE, 3);
	p.tcp.opts[2].data = bad;
	p.tcp.opts[2].len = 4;           /* wrong length: malformed */
	add_opt(&p, WIRE_TCPOPT_EXP, 8);
	p.tcp.opts[3].data = exp;
	add_opt(&p, 253, 4);
	p.tcp.opts[4].data = raw;
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: [mss 1460, mss 536, wscale any, "
					   "exp-fastopen 01020304, kind 253 hex aabb]}", 4), &f, &p),
			    "options[2]: expected wscale any, observed wscale len 4 (malformed)");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {mss: 1460, exp-fastopen: any, "
					   "kind 253: aabc, fastopen: absent}}", 4), &f, &p),
			    "options.kind 253: expected aabc, observed aabb");
	assert_string_equal(diff_of(seg_of(*state, "expect: {options: {exp-fastopen: request}}", 4), &f, &p),
			    "options.exp-fastopen: expected request, observed 01020304");
}

static void test_match_diff_str_joins_truncates_and_caps(void **state)
{
	struct match_diff diff = { 0 };
	struct match_flow f = flow4();
	struct wire_pkt p = synack(&f);
	char small[16];

	(void)state;
	match_diff_str(&diff, small, sizeof(small));
	assert_string_equal(small, "");
	diff.n = 2;
	strcpy(diff.d[0].field, "flags");
	strcpy(diff.d[0].expected, "SA");
	strcpy(diff.d[0].observed, "RA");
	strcpy(diff.d[1].field, "ack");
	strcpy(diff.d[1].expected, "1");
	strcpy(diff.d[1].observed, "0");
	match_diff_str(&diff, small, sizeof(small));
	assert_string_equal(small, "flags: expected");  /* cut, still terminated */
	match_diff_str(&diff, small, 0);                  /* no room: no write */

	/* more differences than fit: the first MATCH_MAX_DIFFS are kept */
	p.tcp.n_opts = 0;
	for (int i = 0; i < 20; i++)
		add_opt(&p, WIRE_TCPOPT_NOP, 1);
	assert_false(match_expect(seg_of(*state, "expect: {flags: R, options: []}", 4), NULL, &f, &p, &diff));
	assert_int_equal(diff.n, MATCH_MAX_DIFFS);
	assert_string_equal(diff.d[0].field, "flags");
	assert_string_equal(diff.d[15].field, "options[14]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_send_maps_relative_numbers_and_defaults),
		cmocka_unit_test(test_match_send_wraps_sequence_space_at_2_32),
		cmocka_unit_test(test_match_send_absolute_and_unknown_target_isn),
		cmocka_unit_test(test_match_send_options_in_script_order),
		cmocka_unit_test(test_match_send_faults_become_emit_flags),
		cmocka_unit_test(test_match_send_ipv6),
		cmocka_unit_test(test_match_send_round_trips_through_emit_and_decode),
		cmocka_unit_test(test_match_is_from_target_checks_addresses_and_ports),
		cmocka_unit_test(test_match_expect_every_field_matching),
		cmocka_unit_test(test_match_expect_mismatches_read_as_diffs),
		cmocka_unit_test(test_match_expect_sequence_ranges_wrap),
		cmocka_unit_test(test_match_expect_unknown_target_isn_compares_absolute),
		cmocka_unit_test(test_match_expect_payload_len_and_bytes),
		cmocka_unit_test(test_match_expect_flow_label_on_ipv6),
		cmocka_unit_test(test_match_expect_option_list_is_exact_order),
		cmocka_unit_test(test_match_expect_option_map_any_order_any_absent),
		cmocka_unit_test(test_match_expect_sack_blocks_relative_to_tester_isn),
		cmocka_unit_test(test_match_expect_reads_decoded_option_bytes),
		cmocka_unit_test(test_match_diff_str_joins_truncates_and_caps),
	};

	return cmocka_run_group_tests_name("match", tests, setup, teardown);
}
