/* The target agent of the linux target, driven over its UNIX socket from
 * the tester namespace: what it does lands in the target namespace
 * (sysctls, sockets), its own loop traffic never touches the tested
 * link, its pre-opened ports still drain, and a connection it opens to
 * the tester is completed by injection and ended by `abort` with an RST
 * captured on the tester veth. Root only: exits 77 (skipped) otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net/if.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "agent_client.h"
#include "netdev.h"
#include "target_linux.h"
#include "wire.h"

#define MS 1000000LL
#define SEC (1000 * MS)
#define DRAIN_PORT 8080

struct env {
	struct target_linux t;
	struct netdev *nd;
	struct agent_client *c;
	struct agent_reply r;
	int started;
};

static struct agent_reply *vcall(struct env *e, const char *fmt, va_list ap)
{
	if (agent_client_vcall(e->c, netdev_now_ns() + 5 * SEC, &e->r, fmt,
			       ap) < 0)
		fail_msg("agent call '%s': %s", fmt, agent_client_error(e->c));
	return &e->r;
}

static struct agent_reply * __attribute__((format(printf, 2, 3)))
ok(struct env *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcall(e, fmt, ap);
	va_end(ap);
	if (!e->r.ok)
		fail_msg("'%s': err %s %s", fmt, e->r.err_name, e->r.text);
	return &e->r;
}

static struct agent_reply * __attribute__((format(printf, 3, 4)))
err(struct env *e, const char *ename, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcall(e, fmt, ap);
	va_end(ap);
	if (e->r.ok)
		fail_msg("'%s': ok %s, expected err %s", fmt, e->r.text, ename);
	assert_string_equal(e->r.err_name, ename);
	return &e->r;
}

static void keep(const struct env *e, char *h, size_t cap)
{
	assert_true(e->r.ok && e->r.n_vals >= 1 && e->r.vals[0][0] == 's');
	snprintf(h, cap, "%s", e->r.vals[0]);
}

/* The next TCP frame the filter lets through, decoded, within ms. */
static int next_tcp(struct env *e, int ms, struct wire_pkt *p)
{
	int64_t deadline = netdev_now_ns() + ms * MS;
	struct netdev_frame f;

	while (netdev_recv(e->nd, deadline, &f) == 1) {
		assert_int_equal(wire_decode(WIRE_LINK_ETHERNET, f.data, f.caplen,
					     f.wirelen, p), 0);
		if (p->has_tcp)
			return 1;
	}
	return 0;
}

static void set_filter(struct env *e, const char *filter)
{
	char msg[256];

	if (netdev_set_filter(e->nd, filter, msg, sizeof(msg)) != 0)
		fail_msg("filter '%s': %s", filter, msg);
}

/* The tester's SYN-ACK (ISN 7000, MSS 1460) to a SYN the target sent. */
static size_t syn_ack(const struct env *e, const struct wire_pkt *syn,
		      uint8_t *frame, size_t cap)
{
	struct wire_pkt q = { .link = WIRE_LINK_ETHERNET, .has_ip = true,
			      .has_tcp = true };
	size_t len;

	memcpy(q.l2.dst, e->t.target_mac, 6);
	memcpy(q.l2.src, e->t.tester_mac, 6);
	q.ip.version = syn->ip.version;
	q.ip.ttl = 64;
	q.ip.df = true;
	q.ip.proto = 6;
	memcpy(q.ip.src, syn->ip.dst, 16);
	memcpy(q.ip.dst, syn->ip.src, 16);
	q.tcp = (struct wire_tcp){ .sport = syn->tcp.dport,
				   .dport = syn->tcp.sport, .seq = 7000,
				   .ack = syn->tcp.seq + 1,
				   .flags = WIRE_TH_SYN | WIRE_TH_ACK,
				   .win = 65535, .n_opts = 1, .has_mss = true,
				   .mss = 1460 };
	q.tcp.opts[0] = (struct wire_tcp_opt){ WIRE_TCPOPT_MSS, 4, NULL };
	assert_int_equal(wire_emit(&q, NULL, 0, 0, frame, cap, &len), 0);
	return len;
}

/* The next segment from the target's port (ours are captured too). */
static void next_from(struct env *e, uint16_t port, struct wire_pkt *p)
{
	do
		assert_int_equal(next_tcp(e, 2000, p), 1);
	while (p->tcp.sport != port);
}

/* ---- tests ---- */

static void test_agent_linux_socket_is_private(void **state)
{
	struct env *e = *state;
	struct stat st;

	assert_int_equal(stat(e->t.agent_path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(e->t.agent_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	ok(e, "ping");
	assert_string_equal(e->r.vals[0], "tcpspec-agent");
}

/* Profiles are set inside the target namespace, not in ours. */
static void test_agent_linux_sysctl_is_the_target_namespace(void **state)
{
	struct env *e = *state;
	char ours[16] = "";
	FILE *f;

	ok(e, "sysctl net.ipv4.tcp_timestamps 0");
	assert_string_equal(e->r.text, "0");
	ok(e, "sysctl net.ipv4.tcp_timestamps");
	assert_string_equal(e->r.text, "0");
	f = fopen("/proc/sys/net/ipv4/tcp_timestamps", "r");
	assert_non_null(f);
	assert_non_null(fgets(ours, sizeof(ours), f));
	fclose(f);
	assert_string_equal(ours, "1\n"); /* a new namespace's default */
	/* its interface is there, not here */
	ok(e, "sysctl net.ipv4.conf.tcpspec1.forwarding");
	assert_int_equal(access("/proc/sys/net/ipv4/conf/tcpspec1", F_OK), -1);
	err(e, "EINVAL", "sysctl net.ipv4.tcp_timestamps banana");
	ok(e, "sysctl net.ipv4.tcp_timestamps 1");
	assert_string_equal(e->r.text, "1");
}

/* A connection from the target namespace to itself: bytes move, abort
 * resets the peer, and none of it appears on the tested link. */
static void test_agent_linux_loop_inside_the_target(void **state)
{
	struct env *e = *state;
	char lis[16], cli[16], srv[16];
	uint8_t buf[AGENT_READ_MAX];
	size_t got = 0, i;
	struct wire_pkt p;
	ssize_t n;

	set_filter(e, "tcp port 9090");
	ok(e, "listen 9090");
	keep(e, lis, sizeof(lis));
	assert_string_equal(e->r.vals[1], "9090");
	ok(e, "connect 192.0.2.1 9090");
	keep(e, cli, sizeof(cli));
	ok(e, "accept %s", lis);
	keep(e, srv, sizeof(srv));
	assert_string_equal(e->r.vals[1], "192.0.2.1");
	ok(e, "write %s 30000", cli);
	assert_string_equal(e->r.text, "30000");
	while (got < 30000) {
		ok(e, "read %s", srv);
		n = agent_reply_data(&e->r, buf, sizeof(buf));
		assert_true(n > 0);
		for (i = 0; i < (size_t)n; ++i)
			assert_int_equal(buf[i], 'a' + (got + i) % 26);
		got += (size_t)n;
	}
	assert_int_equal(got, 30000);
	ok(e, "abort %s", srv);
	err(e, "ECONNRESET", "read %s", cli);
	assert_int_equal(next_tcp(e, 200, &p), 0); /* all on lo */
	ok(e, "close %s", cli);
	ok(e, "close %s", lis);
}

/* The pre-opened port of target_linux_start: accept, drain, close. */
static void test_agent_linux_drain_port(void **state)
{
	struct env *e = *state;
	char h[16];

	err(e, "EADDRINUSE", "listen %d", DRAIN_PORT);
	ok(e, "connect 2001:db8::1 %d", DRAIN_PORT);
	keep(e, h, sizeof(h));
	ok(e, "write %s 200000 timeout 3000", h);
	assert_string_equal(e->r.text, "200000");
	ok(e, "shutdown %s wr", h);
	ok(e, "read %s timeout 2000", h);
	assert_string_equal(e->r.text, "0");
	ok(e, "close %s", h);
}

/* The runner's way: the agent connects out over the link (nonblock, so
 * the reply comes before the SYN is answered), the tester completes the
 * handshake by injection, data flows, and `abort` puts an RST on the
 * wire at SND.NXT. */
static void test_agent_linux_connect_out_and_abort_sends_rst(void **state)
{
	struct env *e = *state;
	uint8_t frame[256];
	struct wire_pkt p;
	uint32_t isn;
	char h[16];
	int found;

	set_filter(e, "tcp port 40000");
	ok(e, "connect 192.0.2.2 40000 from 45000 nonblock");
	keep(e, h, sizeof(h));
	assert_string_equal(e->r.vals[1], "inprogress");
	assert_int_equal(next_tcp(e, 2000, &p), 1);
	assert_int_equal(p.tcp.flags, WIRE_TH_SYN);
	assert_int_equal(p.tcp.sport, 45000);
	assert_int_equal(p.tcp.dport, 40000);
	assert_memory_equal(p.ip.src, e->t.target_v4, 4);
	isn = p.tcp.seq;
	assert_int_equal(netdev_send(e->nd, frame, syn_ack(e, &p, frame,
							   sizeof(frame))), 0);
	next_from(e, 45000, &p);
	assert_int_equal(p.tcp.flags, WIRE_TH_ACK);
	assert_int_equal(p.tcp.seq, isn + 1);
	assert_int_equal(p.tcp.ack, 7001);
	ok(e, "getsockopt %s TCP_STATE", h);
	assert_string_equal(e->r.text, "ESTABLISHED");
	ok(e, "getsockopt %s SO_ERROR", h);
	assert_string_equal(e->r.text, "0");
	ok(e, "write %s 10", h);
	assert_string_equal(e->r.text, "10");
	next_from(e, 45000, &p);
	assert_int_equal(p.tcp.seq, isn + 1);
	assert_int_equal(p.tcp.payload_caplen, 10);
	assert_memory_equal(p.tcp.payload, "abcdefghij", 10);
	/* never ACKed: retransmissions may come first; then the RST */
	ok(e, "abort %s", h);
	found = 0;
	while (!found && next_tcp(e, 2000, &p))
		found = p.tcp.sport == 45000 && (p.tcp.flags & WIRE_TH_RST);
	assert_true(found);
	assert_int_equal(p.tcp.seq, isn + 11);
	err(e, "EBADF", "getsockopt %s TCP_STATE", h);
}

/* An `async` step: a blocking connect over IPv6 is sent, the tester
 * answers its SYN while the agent waits, then the reply is collected;
 * close puts a FIN on the wire. The FIN is left unanswered on purpose:
 * the orphan it leaves must not keep the link alive after stop. */
static void test_agent_linux_async_connect_v6_and_close(void **state)
{
	struct env *e = *state;
	uint8_t frame[256];
	struct wire_pkt p;
	uint16_t sport;
	uint32_t isn;
	char h[16];

	set_filter(e, "tcp port 40001");
	assert_int_equal(agent_client_send(e->c, netdev_now_ns() + SEC,
					   "connect 2001:db8::2 40001 timeout "
					   "3000"), 0);
	assert_int_equal(next_tcp(e, 2000, &p), 1);
	assert_int_equal(p.ip.version, 6);
	assert_memory_equal(p.ip.src, e->t.target_v6, 16);
	assert_memory_equal(p.ip.dst, e->t.tester_v6, 16);
	assert_int_equal(p.tcp.flags, WIRE_TH_SYN);
	isn = p.tcp.seq;
	sport = p.tcp.sport;
	assert_int_equal(netdev_send(e->nd, frame, syn_ack(e, &p, frame,
							   sizeof(frame))), 0);
	assert_int_equal(agent_client_recv(e->c, netdev_now_ns() + 4 * SEC,
					   &e->r), 0);
	if (!e->r.ok)
		fail_msg("connect: err %s %s", e->r.err_name, e->r.text);
	keep(e, h, sizeof(h));
	assert_int_equal(e->r.n_vals, 1);
	next_from(e, sport, &p);
	assert_int_equal(p.tcp.flags, WIRE_TH_ACK);
	ok(e, "close %s", h);
	next_from(e, sport, &p);
	assert_int_equal(p.tcp.flags, WIRE_TH_FIN | WIRE_TH_ACK);
	assert_int_equal(p.tcp.seq, isn + 1);
	assert_int_equal(p.tcp.ack, 7001);
}

static void test_agent_linux_reset_and_stop(void **state)
{
	struct env *e = *state;
	char path[108], dir[64];
	pid_t child = e->t.child;

	ok(e, "listen 9191");
	ok(e, "reset");
	ok(e, "listen 9191"); /* the port is free again */
	assert_string_equal(e->r.vals[0], "s1");
	snprintf(path, sizeof(path), "%s", e->t.agent_path);
	snprintf(dir, sizeof(dir), "%s", e->t.agent_dir);
	agent_client_del(e->c);
	e->c = NULL;
	netdev_close(e->nd);
	e->nd = NULL;
	target_linux_stop(&e->t);
	e->started = 0;
	assert_int_equal(kill(child, 0), -1);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(dir, F_OK), -1);
	assert_int_equal(if_nametoindex("tcpspec0"), 0);
}

/* The parent gone: the agent removes its socket and directory itself.
 * The throwaway parent makes its namespaces inside ours. */
static void test_agent_linux_child_cleans_up_after_parent(void **state)
{
	char path[108], dir[64];
	int p[2], st;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		struct target_linux t;
		struct diag d;

		close(p[0]);
		if (target_linux_start(&t, NULL, 0, &d) != 0)
			_exit(1);
		dprintf(p[1], "%s\n%s\n", t.agent_path, t.agent_dir);
		pause(); /* until killed */
		_exit(0);
	}
	close(p[1]);
	{
		FILE *f = fdopen(p[0], "r");

		assert_non_null(f);
		assert_non_null(fgets(path, sizeof(path), f));
		assert_non_null(fgets(dir, sizeof(dir), f));
		fclose(f);
	}
	path[strcspn(path, "\n")] = dir[strcspn(dir, "\n")] = '\0';
	assert_int_equal(access(path, F_OK), 0);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	for (int i = 0; i < 200 && access(dir, F_OK) == 0; ++i)
		usleep(10000);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(dir, F_OK), -1);
}

static int group_setup(void **state)
{
	static struct env e;
	const uint16_t ports[] = { DRAIN_PORT };
	char err_msg[256];
	struct diag d;

	diag_clear(&d);
	if (target_linux_start(&e.t, ports, 1, &d) != 0) {
		fprintf(stderr, "target_linux_start: %s\n", d.msg);
		return -1;
	}
	e.started = 1;
	if (netdev_open(&e.nd, e.t.tester_if, "tcp", err_msg,
			sizeof(err_msg)) != 0 ||
	    agent_client_connect(&e.c, e.t.agent_path, netdev_now_ns() + 2 * SEC,
				 err_msg, sizeof(err_msg)) != 0) {
		fprintf(stderr, "%s\n", err_msg);
		return -1;
	}
	*state = &e;
	return 0;
}

static int group_teardown(void **state)
{
	struct env *e = *state;

	if (!e)
		return 0;
	agent_client_del(e->c);
	netdev_close(e->nd);
	if (e->started)
		target_linux_stop(&e->t);
	return 0;
}

/* Can this process make a network namespace? Tried in a throwaway child
 * so the test process itself stays where it is. */
static int can_unshare_net(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) == 0 ? 0 : errno == EPERM ? 1 : 2);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 1 ? 0 : 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_linux_child_cleans_up_after_parent),
		cmocka_unit_test(test_agent_linux_socket_is_private),
		cmocka_unit_test(test_agent_linux_sysctl_is_the_target_namespace),
		cmocka_unit_test(test_agent_linux_loop_inside_the_target),
		cmocka_unit_test(test_agent_linux_drain_port),
		cmocka_unit_test(test_agent_linux_connect_out_and_abort_sends_rst),
		cmocka_unit_test(test_agent_linux_async_connect_v6_and_close),
		cmocka_unit_test(test_agent_linux_reset_and_stop),
	};
	if (geteuid() != 0 || can_unshare_net() == 0) {
		printf("skipped: needs root to create network namespaces\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
