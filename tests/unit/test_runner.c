/* Unit tests: the runner's pure parts (injector/runner_neigh.c,
 * injector/runner_app.c): ARP and neighbour discovery answers for the
 * tester's addresses, and the agent command each app step becomes. The
 * runner on a real link: tests/integration/test_run_linux.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "csum.h"
#include "runner.h"
#include "script.h"

static const uint8_t TESTER_MAC[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t TARGET_MAC[6] = { 2, 0, 0, 0, 0, 1 };

static void link_init(struct runner_link *l)
{
	memset(l, 0, sizeof(*l));
	memcpy(l->tester_mac, TESTER_MAC, 6);
	memcpy(l->target_mac, TARGET_MAC, 6);
	inet_pton(AF_INET, "192.0.2.2", l->tester_v4);
	inet_pton(AF_INET, "192.0.2.1", l->target_v4);
	inet_pton(AF_INET6, "2001:db8::2", l->tester_v6);
	inet_pton(AF_INET6, "2001:db8::1", l->target_v6);
}

/* "who has 192.0.2.<who>? tell 192.0.2.1", as the target sends it */
static size_t arp_request(uint8_t *f, uint8_t who)
{
	static const uint8_t hdr[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1,
		2, 0, 0, 0, 0, 1, 192, 0, 2, 1,
		0, 0, 0, 0, 0, 0, 192, 0, 2, 0,
	};

	memcpy(f, hdr, sizeof(hdr));
	f[41] = who;
	return sizeof(hdr);
}

/* A neighbour solicitation from src for 2001:db8::<who>, with a source
 * link-layer address option. */
static size_t ns(uint8_t *f, const char *src, uint8_t who)
{
	uint8_t dst[16];

	memset(f, 0, 86);
	memcpy(f, (const uint8_t[]){ 0x33, 0x33, 0xff, 0, 0, who }, 6);
	memcpy(f + 6, TARGET_MAC, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[19] = 32;
	f[20] = 58;
	f[21] = 255;
	inet_pton(AF_INET6, src, f + 22);
	inet_pton(AF_INET6, "ff02::1:ff00:0", dst);
	dst[15] = who;
	memcpy(f + 38, dst, 16);
	f[54] = 135;
	inet_pton(AF_INET6, "2001:db8::", f + 62);
	f[77] = who;
	f[78] = 1;
	f[79] = 1;
	memcpy(f + 80, TARGET_MAC, 6);
	return 86;
}

static void test_runner_answers_arp_for_the_tester_address_only(void **state)
{
	struct runner_link l;
	uint8_t req[64], out[128];
	size_t n;

	(void)state;
	link_init(&l);
	n = runner_neigh_answer(&l, req, arp_request(req, 2), out, sizeof(out));
	assert_int_equal(n, 60);                              /* padded to the minimum */
	assert_memory_equal(out, TARGET_MAC, 6);              /* unicast to the asker */
	assert_memory_equal(out + 6, TESTER_MAC, 6);
	assert_int_equal(out[12] << 8 | out[13], 0x0806);
	assert_int_equal(out[20] << 8 | out[21], 2);          /* reply */
	assert_memory_equal(out + 22, TESTER_MAC, 6);         /* sha: ours */
	assert_memory_equal(out + 28, l.tester_v4, 4);        /* spa: 192.0.2.2 */
	assert_memory_equal(out + 32, TARGET_MAC, 6);
	assert_memory_equal(out + 38, l.target_v4, 4);
	/* someone else's address, a reply, a truncated frame: no answer */
	assert_int_equal(runner_neigh_answer(&l, req, arp_request(req, 9), out, sizeof(out)), 0);
	arp_request(req, 2);
	req[21] = 2;
	assert_int_equal(runner_neigh_answer(&l, req, 42, out, sizeof(out)), 0);
	assert_int_equal(runner_neigh_answer(&l, req, 30, out, sizeof(out)), 0);
	/* a target without IPv4 (an IPv6 external host): not ours to answer */
	l.no_v4 = true;
	assert_int_equal(runner_neigh_answer(&l, req, arp_request(req, 2), out, sizeof(out)), 0);
}

static void test_runner_answers_neighbour_solicitation_with_valid_na(void **state)
{
	struct runner_link l;
	uint8_t req[128], out[128];
	size_t n;

	(void)state;
	link_init(&l);
	n = runner_neigh_answer(&l, req, ns(req, "2001:db8::1", 2), out, sizeof(out));
	assert_int_equal(n, 86);
	assert_memory_equal(out, TARGET_MAC, 6);
	assert_memory_equal(out + 6, TESTER_MAC, 6);
	assert_int_equal(out[21], 255);                       /* hop limit (RFC 4861 7.1.2) */
	assert_memory_equal(out + 22, l.tester_v6, 16);
	assert_memory_equal(out + 38, l.target_v6, 16);       /* to the solicitor */
	assert_int_equal(out[54], 136);
	assert_int_equal(out[58], 0x60);                      /* solicited, override */
	assert_memory_equal(out + 62, l.tester_v6, 16);
	assert_int_equal(out[78], 2);                         /* target link-layer address */
	assert_memory_equal(out + 80, TESTER_MAC, 6);
	/* the ICMPv6 checksum verifies: the folded sum with it is 0xffff */
	assert_int_equal(csum_finish(csum_partial(out + 54, 32,
						  csum_pseudo_v6(out + 22, out + 38, 58, 32))), 0);
	/* duplicate address detection (from ::) and other targets: silence */
	assert_int_equal(runner_neigh_answer(&l, req, ns(req, "::", 2), out, sizeof(out)), 0);
	assert_int_equal(runner_neigh_answer(&l, req, ns(req, "2001:db8::1", 7), out, sizeof(out)), 0);
	ns(req, "2001:db8::1", 2);
	req[21] = 64;                                         /* not from the link */
	assert_int_equal(runner_neigh_answer(&l, req, 86, out, sizeof(out)), 0);
}

static void test_runner_solicits_and_learns_the_target_mac(void **state)
{
	struct runner_link l;
	uint8_t q[128], a[128], mac[6];
	size_t n;

	(void)state;
	link_init(&l);
	/* the target answers our request as we answer its: swap roles */
	n = runner_neigh_solicit(&l, 4, q, sizeof(q));
	assert_int_equal(n, 60);
	assert_int_equal(q[21], 1);
	{
		struct runner_link t = l;

		memcpy(t.tester_mac, TARGET_MAC, 6);
		memcpy(t.tester_v4, l.target_v4, 4);
		memcpy(t.tester_v6, l.target_v6, 16);
		n = runner_neigh_answer(&t, q, n, a, sizeof(a));
		assert_int_equal(n, 60);
		assert_true(runner_neigh_learn(&l, 4, a, n, mac));
		assert_memory_equal(mac, TARGET_MAC, 6);
		n = runner_neigh_solicit(&l, 6, q, sizeof(q));
		assert_int_equal(n, 86);
		assert_memory_equal(q, ((const uint8_t[]){ 0x33, 0x33, 0xff, 0, 0, 1 }), 6);
		n = runner_neigh_answer(&t, q, n, a, sizeof(a));
		assert_int_equal(n, 86);
		assert_true(runner_neigh_learn(&l, 6, a, n, mac));
		assert_false(runner_neigh_learn(&l, 4, a, n, mac));
	}
}

static struct runner_app_ctx ctx4(const char *listen_h, const char *conn_h)
{
	return (struct runner_app_ctx){ .listen_h = listen_h, .conn_h = conn_h, .case_port = 8080,
					.ip_version = 4, .tester_addr = "192.0.2.2",
					.tester_port = 40001 };
}

static int cmd(const struct script_app *a, const struct runner_app_ctx *c,
	       const struct script_vars *v, char *buf, bool *inj, struct diag *d)
{
	return runner_app_command(a, c, v, buf, 256, inj, d);
}

static void test_runner_app_commands_name_the_case_handles(void **state)
{
	struct runner_app_ctx c = ctx4("s1", "s2");
	struct script_app a;
	char buf[256];
	struct diag d;
	bool inj;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.op = SCRIPT_APP_LISTEN;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "listen 8080 v4");
	a.family = SCRIPT_FAM_ANY;
	a.port.v = 9000;
	a.count.v = 5;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "listen 9000 any backlog 5");
	memset(&a, 0, sizeof(a));
	a.op = SCRIPT_APP_ACCEPT;
	a.timeout_ms = 2000;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "accept s1 timeout 2000");
	a.op = SCRIPT_APP_WRITE;
	a.timeout_ms = 0;
	a.count.v = 1000;
	a.pattern = "xyz";
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "write s2 1000 pattern xyz");
	memset(&a, 0, sizeof(a));
	a.op = SCRIPT_APP_READ;
	a.count.v = 100000;                  /* more than one read returns */
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "read s2 max 65536");
	a.op = SCRIPT_APP_SHUTDOWN;
	a.how = SCRIPT_SHUT_WR;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "shutdown s2 wr");
	a.op = SCRIPT_APP_ABORT;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "abort s2");
	a.op = SCRIPT_APP_SETSOCKOPT;
	a.opt_name = "SO_LINGER";
	a.opt_value.v = UINT32_MAX;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "setsockopt s2 SO_LINGER -1");
	/* no connection yet: close and setsockopt take the listener */
	c.conn_h = "";
	a.op = SCRIPT_APP_CLOSE;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "close s1");
	a.op = SCRIPT_APP_WRITE;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), SCRIPT_ERR_SCHEMA);
	assert_non_null(strstr(d.msg, "no connection for write: an app accept or connect step must come first"));
	c.listen_h = "";
	a.op = SCRIPT_APP_ACCEPT;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), SCRIPT_ERR_SCHEMA);
	assert_non_null(strstr(d.msg, "no listening socket for accept"));
}

static void test_runner_app_connect_to_the_tester_is_injected(void **state)
{
	struct runner_app_ctx c = ctx4("", "");
	struct script_ref ref = { .name = "p", .file = "t.yaml", .line = 4, .col = 9 };
	struct script_vars v;
	struct script_app a;
	char buf[256];
	struct diag d;
	bool inj;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.op = SCRIPT_APP_CONNECT;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "connect 192.0.2.2 40001");
	assert_true(inj);
	/* a client case that names its port connects from it */
	c.client_port = 5555;
	a.timeout_ms = 5000;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "connect 192.0.2.2 40001 from 5555 timeout 5000");
	c.client_port = 0;
	a.timeout_ms = 0;
	a.addr = "192.0.2.99";
	a.port.v = 9;
	assert_int_equal(cmd(&a, &c, NULL, buf, &inj, &d), 0);
	assert_string_equal(buf, "connect 192.0.2.99 9");
	assert_false(inj);
	/* the port from a captured variable: bound, then not */
	a.addr = NULL;
	a.port = (struct script_expr){ .v = 1, .ref = &ref };
	script_vars_init(&v);
	assert_int_equal(script_vars_set(&v, "p", 7000), 0);
	assert_int_equal(cmd(&a, &c, &v, buf, &inj, &d), 0);
	assert_string_equal(buf, "connect 192.0.2.2 7001");
	script_vars_free(&v);
	script_vars_init(&v);
	assert_int_equal(cmd(&a, &c, &v, buf, &inj, &d), SCRIPT_ERR_UNBOUND);
	assert_string_equal(d.file, "t.yaml");
	assert_int_equal(d.line, 4);
	script_vars_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_answers_arp_for_the_tester_address_only),
		cmocka_unit_test(test_runner_answers_neighbour_solicitation_with_valid_na),
		cmocka_unit_test(test_runner_solicits_and_learns_the_target_mac),
		cmocka_unit_test(test_runner_app_commands_name_the_case_handles),
		cmocka_unit_test(test_runner_app_connect_to_the_tester_is_injected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
