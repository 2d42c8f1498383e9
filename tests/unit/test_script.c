/* Unit tests: the YAML script loader (injector/script*.c). Every construct
 * of docs/yaml.md parsed into the model, and every error with its exact
 * file:line:column and what it says was expected. */
#include "test_script.h"

/* --- the model --- */

static void test_script_minimal_case_gets_defaults(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;
	const struct script_step *st;

	(void)state;
	k = load_ok(&s, HDR "  - send: {flags: S}\n  - expect: {}\n");
	assert_string_equal(k->id, "t");
	assert_string_equal(k->file, "t.yaml");
	assert_int_equal(k->line, 1);
	assert_null(k->title);
	assert_int_equal(k->n_rfc, 0);
	assert_int_equal(k->level, SCRIPT_LEVEL_MUST);
	assert_true(k->role_server);
	assert_int_equal(k->port, 80);
	assert_int_equal(k->ip_version, 4);
	assert_false(k->isn_set);
	assert_int_equal(k->n_steps, 2);

	st = &k->steps[0];
	assert_int_equal(st->kind, SCRIPT_SEND);
	assert_int_equal(st->line, 4);
	assert_int_equal(st->col, 5);
	assert_true(st->seg.flags_set);
	assert_int_equal(st->seg.flags, WIRE_TH_SYN);
	assert_int_equal(st->seg.seq.k, SNUM_UNSET);
	assert_int_equal(st->seg.ack.k, SNUM_UNSET);
	assert_int_equal(st->seg.win.k, SNUM_UNSET);
	assert_false(st->seg.opts_set);
	assert_false(st->seg.data_set);
	assert_int_equal(st->seg.doff, -1);
	assert_int_equal(st->seg.reserved, -1);
	assert_false(st->seg.bad_tcp_csum);

	st = &k->steps[1];
	assert_int_equal(st->kind, SCRIPT_EXPECT);
	assert_int_equal(st->line, 5);
	assert_false(st->seg.flags_set);
	assert_int_equal(st->within_ms, 1000);       /* the documented default */
	script_suite_free(&s);
	assert_null(s.cases);
	assert_int_equal(s.n_cases, 0);
}

static void test_script_case_keys_parse_into_the_case(void **state)
{
	struct script_suite s = { 0 };
	const struct script_case *k;

	(void)state;
	k = load_ok(&s, "id: handshake/x\n"
			"title: A title\n"
			"rfc: [RFC9293 3.5, RFC7323 2.2]\n"
			"level: SHOULD\n"
			"target: {role: server, port: 65535, ip: 6}\n"
			"isn: 4294967295\n"
			"steps: [send: {flags: S}]\n");
	assert_string_equal(k->id, "handshake/x");
	assert_string_equal(k->title, "A title");
	assert_int_equal(k->n_rfc, 2);
	assert_string_equal(k->rfc[0], "RFC9293 3.5");
	assert_string_equal(k->rfc[1], "RFC7323 2.2");
	assert_int_equal(k->level, SCRIPT_LEVEL_SHOULD);
	assert_int_equal(k->port, 65535);
	assert_int_equal(k->ip_version, 6);
	assert_true(k->isn_set);
	assert_int_equal(k->isn, 4294967295u);
	script_suite_free(&s);

	k = load_ok(&s, "id: y\nrfc: RFC793\nlevel: MAY\n"
			"target: {role: closed, port: 9, ip: 4}\nisn: 0x10\n"
			"steps: [send: {flags: S}]\n");
	assert_int_equal(k->n_rfc, 1);
	assert_string_equal(k->rfc[0], "RFC793");
	assert_int_equal(k->level, SCRIPT_LEVEL_MAY);
	assert_false(k->role_server);
	assert_int_equal(k->ip_version, 4);
	assert_int_equal(k->isn, 16);
	script_suite_free(&s);
}

static void test_script_flags_letters_in_any_order(void **state)
{
	static const struct { const char *s; uint8_t f; } ok[] = {
		{ "S", WIRE_TH_SYN }, { "SA", WIRE_TH_SYN | WIRE_TH_ACK },
		{ "AS", WIRE_TH_SYN | WIRE_TH_ACK }, { "S.", WIRE_TH_SYN | WIRE_TH_ACK },
		{ ".", WIRE_TH_ACK }, { "A", WIRE_TH_ACK },
		{ "PA", WIRE_TH_PSH | WIRE_TH_ACK }, { "P.", WIRE_TH_PSH | WIRE_TH_ACK },
		{ "FA", WIRE_TH_FIN | WIRE_TH_ACK }, { "F.", WIRE_TH_FIN | WIRE_TH_ACK },
		{ "R", WIRE_TH_RST }, { "RA", WIRE_TH_RST | WIRE_TH_ACK },
		{ "UEC", WIRE_TH_URG | WIRE_TH_ECE | WIRE_TH_CWR },
		{ "SFRPAUEC", 0xFF }, { "none", 0 },
	};
	static const char *const bad[] = { "", "X", "s", "SS", "A.", "S A", "nonE", "SAX" };
	uint8_t f;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		f = 0xAA;
		assert_int_equal(script_parse_flags(ok[i].s, &f), 0);
		assert_int_equal(f, ok[i].f);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(script_parse_flags(bad[i], &f), SCRIPT_ERR_SCHEMA);
}

static void test_script_seq_ack_relative_negative_and_absolute(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;

	(void)state;
	st = step_ok(&s, "send: {flags: PA, seq: 1, ack: 4294967295}");
	assert_num(&st->seg.seq, SNUM_VALUE, 1, 1);
	assert_num(&st->seg.ack, SNUM_VALUE, 4294967295u, 4294967295u);
	assert_false(st->seg.seq_abs);
	assert_false(st->seg.ack_abs);
	script_suite_free(&s);

	/* keep-alive probes sit one below SND.NXT: -1 wraps mod 2^32 */
	st = step_ok(&s, "send: {flags: A, seq: -1, ack: {abs: 3735928559}}");
	assert_num(&st->seg.seq, SNUM_VALUE, 0xFFFFFFFFu, 0xFFFFFFFFu);
	assert_false(st->seg.seq_abs);
	assert_num(&st->seg.ack, SNUM_VALUE, 3735928559u, 3735928559u);
	assert_true(st->seg.ack_abs);
	script_suite_free(&s);

	st = step_ok(&s, "expect: {seq: {abs: 0}, ack: -2..2}");
	assert_true(st->seg.seq_abs);
	assert_num(&st->seg.seq, SNUM_VALUE, 0, 0);
	assert_num(&st->seg.ack, SNUM_RANGE, 0xFFFFFFFEu, 2);
	script_suite_free(&s);
}

static void test_script_expect_numbers_value_range_list_any(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;

	(void)state;
	st = step_ok(&s, "expect: {win: 1000..2000, urg: [0, 5], len: any, ttl: 64, "
			 "tos: 0x10, seq: any, ack: [1, 3]}");
	assert_num(&st->seg.win, SNUM_RANGE, 1000, 2000);
	assert_num(&st->seg.urp, SNUM_RANGE, 0, 5);
	assert_num(&st->seg.len, SNUM_ANY, 0, 0);
	assert_num(&st->seg.ttl, SNUM_VALUE, 64, 64);
	assert_num(&st->seg.tos, SNUM_VALUE, 16, 16);
	assert_num(&st->seg.seq, SNUM_ANY, 0, 0);
	assert_num(&st->seg.ack, SNUM_RANGE, 1, 3);
	script_suite_free(&s);
}

static void test_script_send_options_in_list_order(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;
	const struct script_opt *o;

	(void)state;
	st = step_ok(&s, "send: {flags: S, options: [mss 1460, sackOK, ts 100 0, nop, "
			 "wscale 7, eol]}");
	assert_true(st->seg.opts_set);
	assert_true(st->seg.opts_ordered);
	assert_int_equal(st->seg.n_opts, 6);
	o = st->seg.opts;
	assert_int_equal(o[0].kind, WIRE_TCPOPT_MSS);
	assert_num(&o[0].a, SNUM_VALUE, 1460, 1460);
	assert_int_equal(o[0].len_override, -1);
	assert_int_equal(o[1].kind, WIRE_TCPOPT_SACK_OK);
	assert_int_equal(o[2].kind, WIRE_TCPOPT_TS);
	assert_num(&o[2].a, SNUM_VALUE, 100, 100);
	assert_num(&o[2].b, SNUM_VALUE, 0, 0);
	assert_int_equal(o[3].kind, WIRE_TCPOPT_NOP);
	assert_int_equal(o[4].kind, WIRE_TCPOPT_WSCALE);
	assert_num(&o[4].a, SNUM_VALUE, 7, 7);
	assert_int_equal(o[5].kind, WIRE_TCPOPT_EOL);
	script_suite_free(&s);

	st = step_ok(&s, "send: {flags: A, ack: 1, options: [nop, nop, sack 1:100 200:300]}");
	o = &st->seg.opts[2];
	assert_int_equal(o->kind, WIRE_TCPOPT_SACK);
	assert_int_equal(o->n_sack, 2);
	assert_int_equal(o->sack[0][0].v, 1);
	assert_int_equal(o->sack[0][1].v, 100);
	assert_int_equal(o->sack[1][0].v, 200);
	assert_int_equal(o->sack[1][1].v, 300);
	script_suite_free(&s);
}

static void test_script_send_option_faults_and_raw_kinds(void **state)
{
	static const uint8_t md5[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t zero[16];
	struct script_suite s = { 0 };
	const struct script_step *st;
	const struct script_opt *o;

	(void)state;
	st = step_ok(&s, "send: {flags: S, options: [mss 1460 len 3, kind 253 len 4 hex 0102, "
			 "md5, fastopen]}");
	o = st->seg.opts;
	assert_int_equal(o[0].kind, WIRE_TCPOPT_MSS);
	assert_int_equal(o[0].len_override, 3);
	assert_int_equal(o[1].kind, 253);
	assert_int_equal(o[1].raw_len, 2);
	assert_memory_equal(o[1].raw, "\x01\x02", 2);
	assert_int_equal(o[1].len_override, -1);   /* 4 is the right length: no fault */
	assert_int_equal(o[2].kind, WIRE_TCPOPT_MD5);
	assert_int_equal(o[2].raw_len, 16);
	assert_memory_equal(o[2].raw, zero, 16);
	assert_int_equal(o[3].kind, WIRE_TCPOPT_FASTOPEN);
	assert_int_equal(o[3].raw_len, 0);          /* cookie request */
	script_suite_free(&s);

	st = step_ok(&s, "send: {flags: S, options: [md5 00112233445566778899aabbccddeeff, "
			 "kind 99 len 7 hex 01 02, sackOK len 0]}");
	o = st->seg.opts;
	assert_memory_equal(o[0].raw, md5, 16);
	assert_int_equal(o[1].kind, 99);
	assert_int_equal(o[1].raw_len, 2);
	assert_int_equal(o[1].len_override, 7);
	assert_int_equal(o[2].kind, WIRE_TCPOPT_SACK_OK);
	assert_int_equal(o[2].len_override, 0);
	script_suite_free(&s);

	st = step_ok(&s, "send: {flags: S, options: [fastopen 0102030405060708, "
			 "exp-fastopen a1b2c3d4, kind 254 hex f989]}");
	o = st->seg.opts;
	assert_int_equal(o[0].raw_len, 8);
	assert_memory_equal(o[0].raw, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	assert_int_equal(o[1].kind, WIRE_TCPOPT_EXP);
	assert_int_equal(o[1].raw_len, 6);           /* ExID 0xF989, then the cookie */
	assert_memory_equal(o[1].raw, "\xf9\x89\xa1\xb2\xc3\xd4", 6);
	assert_int_equal(o[2].kind, WIRE_TCPOPT_EXP);
	assert_int_equal(o[2].raw_len, 2);
	script_suite_free(&s);
}

static void test_script_expect_option_list_takes_wildcards(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;
	const struct script_opt *o;

	(void)state;
	st = step_ok(&s, "expect: {options: [mss any, nop, wscale 7, ts any 100, sackOK, "
			 "sack 1:100, mss 1000..1460, md5, fastopen any, kind 253 hex 0a0b, "
			 "exp-fastopen, sack any]}");
	assert_true(st->seg.opts_ordered);
	assert_int_equal(st->seg.n_opts, 12);
	o = st->seg.opts;
	assert_num(&o[0].a, SNUM_ANY, 0, 0);
	assert_int_equal(o[1].kind, WIRE_TCPOPT_NOP);
	assert_num(&o[2].a, SNUM_VALUE, 7, 7);
	assert_num(&o[3].a, SNUM_ANY, 0, 0);
	assert_num(&o[3].b, SNUM_VALUE, 100, 100);
	assert_int_equal(o[4].kind, WIRE_TCPOPT_SACK_OK);
	assert_int_equal(o[5].n_sack, 1);
	assert_int_equal(o[5].sack[0][1].v, 100);
	assert_num(&o[6].a, SNUM_RANGE, 1000, 1460);
	assert_num(&o[7].a, SNUM_ANY, 0, 0);         /* md5: any digest */
	assert_int_equal(o[7].raw_len, 0);
	assert_num(&o[8].a, SNUM_ANY, 0, 0);
	assert_int_equal(o[9].kind, 253);
	assert_int_equal(o[9].a.k, SNUM_UNSET);       /* exact bytes */
	assert_memory_equal(o[9].raw, "\x0a\x0b", 2);
	assert_int_equal(o[10].kind, WIRE_TCPOPT_EXP); /* cookie request: ExID only */
	assert_int_equal(o[10].raw_len, 2);
	assert_num(&o[11].a, SNUM_ANY, 0, 0);
	assert_int_equal(o[11].n_sack, 0);
	script_suite_free(&s);
}

static const struct script_opt *find_kind(const struct script_seg *seg, uint8_t kind)
{
	for (uint8_t i = 0; i < seg->n_opts; i++)
		if (seg->opts[i].kind == kind)
			return &seg->opts[i];
	fail_msg("kind %u not in the options", kind);
	return NULL;
}

static void test_script_expect_option_map_any_absent_values(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;
	const struct script_opt *o;

	(void)state;
	st = step_ok(&s, "expect: {options: {mss: any, wscale: absent, sackOK: absent, ts: absent}}");
	assert_true(st->seg.opts_set);
	assert_false(st->seg.opts_ordered);
	assert_int_equal(st->seg.n_opts, 4);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_MSS)->a, SNUM_ANY, 0, 0);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_WSCALE)->a, SNUM_ABSENT, 0, 0);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_SACK_OK)->a, SNUM_ABSENT, 0, 0);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_TS)->a, SNUM_ABSENT, 0, 0);
	script_suite_free(&s);

	st = step_ok(&s, "expect: {options: {mss: 1460, wscale: 0..14, ts: {val: any, ecr: 100}, "
			 "sack: \"1:100 200:300\", fastopen: request, exp-fastopen: any, "
			 "kind 253: 0102, md5: any, eol: absent}}");
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_MSS)->a, SNUM_VALUE, 1460, 1460);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_WSCALE)->a, SNUM_RANGE, 0, 14);
	o = find_kind(&st->seg, WIRE_TCPOPT_TS);
	assert_num(&o->a, SNUM_ANY, 0, 0);
	assert_num(&o->b, SNUM_VALUE, 100, 100);
	o = find_kind(&st->seg, WIRE_TCPOPT_SACK);
	assert_int_equal(o->n_sack, 2);
	assert_int_equal(o->sack[1][0].v, 200);
	o = find_kind(&st->seg, WIRE_TCPOPT_FASTOPEN);
	assert_int_equal(o->a.k, SNUM_UNSET);
	assert_int_equal(o->raw_len, 0);
	o = find_kind(&st->seg, WIRE_TCPOPT_EXP);
	assert_num(&o->a, SNUM_ANY, 0, 0);
	assert_int_equal(o->raw_len, 2);
	o = find_kind(&st->seg, 253);
	assert_int_equal(o->raw_len, 2);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_MD5)->a, SNUM_ANY, 0, 0);
	assert_num(&find_kind(&st->seg, WIRE_TCPOPT_EOL)->a, SNUM_ABSENT, 0, 0);
	script_suite_free(&s);

	st = step_ok(&s, "expect: {options: {ts: {ecr: 0}}}");
	o = find_kind(&st->seg, WIRE_TCPOPT_TS);
	assert_num(&o->a, SNUM_ANY, 0, 0);           /* an omitted half is any */
	assert_num(&o->b, SNUM_VALUE, 0, 0);
	script_suite_free(&s);
}

static void test_script_payload_from_data_hex_and_len(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;

	(void)state;
	st = step_ok(&s, "send: {flags: PA, ack: 1, data: \"hi\\0\\r\\n\"}");
	assert_true(st->seg.data_set);
	assert_int_equal(st->seg.data_len, 5);
	assert_memory_equal(st->seg.data, "hi\0\r\n", 5);
	script_suite_free(&s);

	st = step_ok(&s, "send: {flags: PA, ack: 1, hex: \"de ad be ef\"}");
	assert_int_equal(st->seg.data_len, 4);
	assert_memory_equal(st->seg.data, "\xde\xad\xbe\xef", 4);
	script_suite_free(&s);

	/* send len without data: generated "abc..." */
	st = step_ok(&s, "send: {flags: PA, ack: 1, len: 28}");
	assert_true(st->seg.data_set);
	assert_int_equal(st->seg.data_len, 28);
	assert_memory_equal(st->seg.data, "abcdefghijklmnopqrstuvwxyzab", 28);
	assert_num(&st->seg.len, SNUM_VALUE, 28, 28);
	script_suite_free(&s);

	st = step_ok(&s, "expect: {len: 1..1460, hex: 00ff}");
	assert_num(&st->seg.len, SNUM_RANGE, 1, 1460);
	assert_int_equal(st->seg.data_len, 2);
	script_suite_free(&s);

	st = step_ok(&s, "expect: {data: \"\"}");         /* no payload at all */
	assert_true(st->seg.data_set);
	assert_int_equal(st->seg.data_len, 0);
	script_suite_free(&s);
}

static void test_script_send_faults_and_ip_fields(void **state)
{
	struct script_suite s = { 0 };
	const struct script_step *st;
	const struct script_case *k;

	(void)state;
	st = step_ok(&s, "send: {flags: S, checksum: bad, ip_checksum: bad, doff: 3, "
			 "reserved: 15, ttl: 1, tos: 0xb8, win: 0, urg: 7}");
	assert_true(st->seg.bad_tcp_csum);
	assert_true(st->seg.bad_ip_csum);
	assert_int_equal(st->seg.doff, 3);
	assert_int_equal(st->seg.reserved, 15);
	assert_num(&st->seg.ttl, SNUM_VALUE, 1, 1);
	assert_num(&st->seg.tos, SNUM_VALUE, 0xb8, 0xb8);
	assert_num(&st->seg.win, SNUM_VALUE, 0, 0);
	assert_num(&st->seg.urp, SNUM_VALUE, 7, 7);
	script_suite_free(&s);

	st = step_ok(&s, "send: {flags: S, checksum: ok, ip_checksum: ok}");
	assert_false(st->seg.bad_tcp_csum);
	assert_false(st->seg.bad_ip_csum);
	script_suite_free(&s);

	k = load_ok(&s, "id: v6\ntarget: {port: 80, ip: 6}\nsteps:\n"
			"  - send: {flags: S, flow_label: 0xfffff}\n"
			"  - expect: {flow_label: 1..5}\n");
	assert_num(&k->steps[0].seg.flow_label, SNUM_VALUE, 0xFFFFF, 0xFFFFF);
	assert_num(&k->steps[1].seg.flow_label, SNUM_RANGE, 1, 5);
	script_suite_free(&s);
}

static void test_script_durations_round_up_to_whole_ms(void **state)
{
	static const struct { const char *text; uint32_t ms; } d[] = {
		{ "300ms", 300 }, { "1s", 1000 }, { "1.5s", 1500 }, { "250us", 1 },
		{ "1001us", 2 }, { "0.0001s", 1 }, { "2.25ms", 3 }, { "3600s", 3600000 },
	};
	struct script_suite s = { 0 };
	char step[96];

	(void)state;
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		const struct script_step *st;

		snprintf(step, sizeof(step), "expect: {within: %s}", d[i].text);
		st = step_ok(&s, step);
		assert_int_equal(st->within_ms, d[i].ms);
		script_suite_free(&s);

		snprintf(step, sizeof(step), "expect_none: {for: %s}", d[i].text);
		st = step_ok(&s, step);
		assert_int_equal(st->kind, SCRIPT_EXPECT_NONE);
		assert_int_equal(st->for_ms, d[i].ms);
		script_suite_free(&s);
	}
}

static void test_script_list_of_cases_and_several_documents(void **state)
{
	struct script_suite s = { 0 };

	(void)state;
	load_ok(&s, "- id: a\n  target: {port: 1}\n  steps: [send: {flags: S}]\n"
		    "- id: b\n  target: {port: 2}\n  steps: [send: {flags: S}]\n"
		    "---\n"
		    "id: c\ntarget: {port: 3}\nsteps: [send: {flags: S}]\n");
	assert_int_equal(s.n_cases, 3);
	assert_string_equal(s.cases[0].id, "a");
	assert_int_equal(s.cases[0].line, 1);
	assert_string_equal(s.cases[1].id, "b");
	assert_int_equal(s.cases[1].line, 4);
	assert_string_equal(s.cases[2].id, "c");
	assert_int_equal(s.cases[2].line, 8);
	assert_int_equal(s.cases[2].port, 3);
	script_suite_free(&s);
}

static void test_script_directory_loads_sorted_by_path(void **state)
{
	char tmpl[] = "/tmp/tcpspec-script-XXXXXX", sub[600], path[600];
	struct script_suite s = { 0 };
	struct diag d;
	const char *dir;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "b.yaml", "id: b\ntarget: {port: 1}\nsteps: [send: {flags: S}]\n");
	write_file(dir, "a.yml", "id: a\ntarget: {port: 1}\nsteps: [send: {flags: S}]\n");
	write_file(sub, "c.yaml", "id: c\ntarget: {port: 1}\nsteps: [send: {flags: S}]\n");
	write_file(dir, "notes.txt", "not yaml");
	write_file(dir, ".hidden.yaml", "this: [is not loaded");

	assert_int_equal(script_load(dir, &s, &d), 0);
	assert_int_equal(s.n_cases, 3);
	assert_string_equal(s.cases[0].id, "a");
	assert_string_equal(s.cases[1].id, "b");
	assert_string_equal(s.cases[2].id, "c");
	snprintf(path, sizeof(path), "%s/sub/c.yaml", dir);
	assert_string_equal(s.cases[2].file, path);
	script_suite_free(&s);

	/* an error in the second file names that file */
	write_file(dir, "b.yaml", "id: b\ntarget: {port: 1}\nsteps: [send: {flags: Q}]\n");
	assert_int_equal(script_load(dir, &s, &d), SCRIPT_ERR_SCHEMA);
	snprintf(path, sizeof(path), "%s/b.yaml", dir);
	assert_string_equal(d.file, path);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 23);
	script_suite_free(&s);
	remove_tree(dir);
}

static void test_script_loads_fixture_file(void **state)
{
	const char *dir = getenv("TCPSPEC_TESTDATA");
	struct script_suite s = { 0 };
	const struct script_case *k;
	struct diag d;
	char path[512];

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/script/handshake.yaml", dir);
	assert_int_equal(script_load(path, &s, &d), 0);
	assert_int_equal(s.n_cases, 2);
	k = &s.cases[0];
	assert_string_equal(k->id, "handshake/passive-open-basic");
	assert_string_equal(k->file, path);
	assert_int_equal(k->line, 3);
	assert_int_equal(k->n_steps, 7);
	assert_int_equal(k->steps[0].seg.n_opts, 5);
	assert_int_equal(k->steps[1].within_ms, 1000);
	assert_int_equal(k->steps[4].within_ms, 500);
	assert_true(k->steps[5].seg.bad_tcp_csum);
	assert_int_equal(k->steps[6].kind, SCRIPT_EXPECT_NONE);
	assert_int_equal(k->steps[6].for_ms, 300);
	k = &s.cases[1];
	assert_false(k->role_server);
	assert_true(k->steps[1].seg.seq_abs);
	script_suite_free(&s);
}

static void test_script_loads_append_and_ids_stay_unique(void **state)
{
	const char *a = "id: same\ntarget: {port: 1}\nsteps: [send: {flags: S}]\n";
	struct script_suite s = { 0 };
	struct diag d;

	(void)state;
	assert_int_equal(script_load_buffer("a.yaml", a, strlen(a), &s, &d), 0);
	assert_int_equal(script_load_buffer("b.yaml", a, strlen(a), &s, &d), SCRIPT_ERR_SCHEMA);
	assert_string_equal(d.file, "b.yaml");
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 5);
	assert_non_null(strstr(d.msg, "duplicate id 'same'"));
	assert_non_null(strstr(d.msg, "a.yaml:1"));
	assert_non_null(strstr(d.msg, "expected a unique id"));
	assert_int_equal(s.n_cases, 1);            /* the first load is kept */
	script_suite_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_minimal_case_gets_defaults),
		cmocka_unit_test(test_script_case_keys_parse_into_the_case),
		cmocka_unit_test(test_script_flags_letters_in_any_order),
		cmocka_unit_test(test_script_seq_ack_relative_negative_and_absolute),
		cmocka_unit_test(test_script_expect_numbers_value_range_list_any),
		cmocka_unit_test(test_script_send_options_in_list_order),
		cmocka_unit_test(test_script_send_option_faults_and_raw_kinds),
		cmocka_unit_test(test_script_expect_option_list_takes_wildcards),
		cmocka_unit_test(test_script_expect_option_map_any_absent_values),
		cmocka_unit_test(test_script_payload_from_data_hex_and_len),
		cmocka_unit_test(test_script_send_faults_and_ip_fields),
		cmocka_unit_test(test_script_durations_round_up_to_whole_ms),
		cmocka_unit_test(test_script_list_of_cases_and_several_documents),
		cmocka_unit_test(test_script_directory_loads_sorted_by_path),
		cmocka_unit_test(test_script_loads_fixture_file),
		cmocka_unit_test(test_script_loads_append_and_ids_stay_unique),
	};

	return cmocka_run_group_tests_name("script", tests, NULL, NULL);
}
