/* Unit tests: the target agent (injector/agent*.c) and its client
 * (injector/agent_client.c), on loopback only. The agent runs in a thread
 * of this process on a UNIX socket in a private temp directory; command
 * parsing is also checked through agent_exec() without any channel. No
 * sysctl is written here (that would change the host): the linux
 * integration test writes them inside its target namespace. */
#define _GNU_SOURCE
#include <errno.h>
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

#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cmocka.h>

#include "agent.h"
#include "agent_client.h"

#define MS 1000000LL
#define SEC (1000 * MS)

/* An agent serving from a thread until its stop pipe is written. */
struct srv {
	struct agent *a;
	pthread_t th;
	int stop[2];
	int running, rv;
	char dir[64], path[108];
};

struct env {
	struct srv srv;
	struct agent_client *c;
	struct agent_reply r;
	uint16_t drain_port;
	char h[4][16];            /* handles of the current test */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *srv_main(void *p)
{
	struct srv *s = p;

	s->rv = agent_run(s->a);
	return NULL;
}

/* A new agent on a UNIX socket in a fresh temp dir, not yet running. */
static void srv_init(struct srv *s)
{
	char msg[256];

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/tcpspec-test-agent-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/agent.sock", s->dir);
	assert_int_equal(agent_new(&s->a), 0);
	assert_int_equal(agent_listen_unix(s->a, s->path, msg, sizeof(msg)), 0);
	assert_int_equal(pipe(s->stop), 0);
	assert_int_equal(agent_add_stop_fd(s->a, s->stop[0]), 0);
}

static void srv_start(struct srv *s)
{
	assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
	s->running = 1;
}

static void srv_stop(struct srv *s)
{
	if (s->running) {
		assert_int_equal(write(s->stop[1], "x", 1), 1);
		pthread_join(s->th, NULL);
		s->running = 0;
	}
	agent_del(s->a);
	s->a = NULL;
	close(s->stop[0]);
	close(s->stop[1]);
	rmdir(s->dir);
}

/* A port nobody listens on right now (bound, then released). */
static uint16_t free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	close(s);
	return ntohs(sa.sin_port);
}

static struct agent_reply *vcall(struct env *e, const char *fmt, va_list ap)
{
	int rv = agent_client_vcall(e->c, now_ns() + 5 * SEC, &e->r, fmt, ap);

	if (rv < 0)
		fail_msg("agent call '%s': %s", fmt, agent_client_error(e->c));
	return &e->r;
}

/* The reply to a command that must succeed. */
static struct agent_reply * __attribute__((format(printf, 2, 3)))
ok(struct env *e, const char *fmt, ...)
{
	struct agent_reply *r;
	va_list ap;

	va_start(ap, fmt);
	r = vcall(e, fmt, ap);
	va_end(ap);
	if (!r->ok)
		fail_msg("'%s': err %s %s", fmt, r->err_name, r->text);
	return r;
}

/* The reply to a command that must fail with ename. */
static struct agent_reply * __attribute__((format(printf, 3, 4)))
err(struct env *e, const char *ename, const char *fmt, ...)
{
	struct agent_reply *r;
	va_list ap;

	va_start(ap, fmt);
	r = vcall(e, fmt, ap);
	va_end(ap);
	if (r->ok)
		fail_msg("'%s': ok %s, expected err %s", fmt, r->text, ename);
	assert_string_equal(r->err_name, ename);
	assert_int_equal(r->err, agent_errno_value(ename));
	return r;
}

/* Handle k of this test from the first value of the last reply. */
static const char *keep(struct env *e, int k)
{
	assert_true(e->r.ok && e->r.n_vals >= 1 && e->r.vals[0][0] == 's');
	snprintf(e->h[k], sizeof(e->h[k]), "%s", e->r.vals[0]);
	return e->h[k];
}

/* The pattern bytes [off, off + n) of a stream. */
static void expect_pattern(const struct agent_reply *r, size_t off, size_t n)
{
	uint8_t buf[AGENT_READ_MAX];
	size_t i;

	assert_int_equal(agent_reply_data(r, buf, sizeof(buf)), (ssize_t)n);
	for (i = 0; i < n; ++i)
		assert_int_equal(buf[i], 'a' + (off + i) % 26);
}

/* s0 = listener on loopback, s1 = connected, s2 = accepted (s1's peer). */
static void pair(struct env *e)
{
	char port[8];

	ok(e, "listen 0 127.0.0.1");
	keep(e, 0);
	assert_int_equal(e->r.n_vals, 2);
	snprintf(port, sizeof(port), "%s", e->r.vals[1]);
	assert_true(atoi(port) > 0);
	ok(e, "connect 127.0.0.1 %s", port);
	keep(e, 1);
	assert_int_equal(e->r.n_vals, 1);
	ok(e, "accept %s timeout 1000", e->h[0]);
	keep(e, 2);
	assert_int_equal(e->r.n_vals, 3);
	assert_string_equal(e->r.vals[1], "127.0.0.1");
}

static int reset(void **state)
{
	struct env *e = *state;

	ok(e, "reset");
	assert_int_equal(e->r.n_vals, 0);
	return 0;
}

/* ---- tests ---- */

static void test_agent_ping_names_itself(void **state)
{
	struct env *e = *state;

	ok(e, "ping");
	assert_string_equal(e->r.text, "tcpspec-agent " TCPSPEC_VERSION);
	assert_int_equal(e->r.n_vals, 2);
}

static void test_agent_malformed_commands_are_einval(void **state)
{
	static const char *const bad[] = {
		"write", "write s1", "write x1 10", "write s01 10", "write s1 -5",
		"write s1 10 pattern", "listen 70000", "listen 80 v5",
		"listen 80 v4 v6", "connect 1.2.3 80", "connect 127.0.0.1 0",
		"connect 127.0.0.1 80 from", "read s1 max 0", "read s1 max 65537",
		"read s1 timeout 60001", "read s1 bogus", "shutdown s1 both",
		"close", "ping extra", "sysctl ../etc/passwd", "sysctl /etc",
		"sysctl net..ipv4", "sysctl net.ipv4.tcp_timestamps;ls",
		"setsockopt s1 TCP_NODELAY one", "accept s1 timeout -1",
		"a b c d e f g h i j k l m n o p q",
	};
	struct env *e = *state;
	struct agent *a;
	char out[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
		err(e, "EINVAL", "%s", bad[i]);
		assert_true(strlen(e->r.text) > 0);
	}
	err(e, "EINVAL", "write");
	assert_string_equal(e->r.text,
			    "expected: write sN BYTES [pattern P] [timeout MS]");
	err(e, "EINVAL", "frobnicate now");
	assert_non_null(strstr(e->r.text, "unknown command 'frobnicate'"));
	/* the same without a channel */
	assert_int_equal(agent_new(&a), 0);
	assert_int_equal(agent_exec(a, "", out, sizeof(out)), 0);
	assert_string_equal(out, "err EINVAL empty command");
	assert_int_equal(agent_exec(a, "  ping  ", out, sizeof(out)), 1);
	assert_string_equal(out, "ok tcpspec-agent " TCPSPEC_VERSION);
	assert_int_equal(agent_exec(a, "shutdown s1 sideways", out,
				    sizeof(out)), 0);
	assert_string_equal(out, "err EINVAL expected: shutdown sN rd|wr|rdwr");
	agent_del(a);
}

static void test_agent_unknown_handle_is_ebadf(void **state)
{
	struct env *e = *state;

	err(e, "EBADF", "write s42 10");
	assert_string_equal(e->r.text, "no such handle s42");
	err(e, "EBADF", "read s7");
	err(e, "EBADF", "close s9");
	err(e, "EBADF", "getsockopt s3 TCP_NODELAY");
}

static void test_agent_listen_connect_accept_move_bytes(void **state)
{
	struct env *e = *state;

	pair(e);
	/* the accepted peer is the connected socket's local end */
	ok(e, "getsockopt %s LOCAL", e->h[1]);
	assert_string_equal(e->r.vals[0], "127.0.0.1");
	snprintf(e->h[3], sizeof(e->h[3]), "%s", e->r.vals[1]);
	ok(e, "getsockopt %s PEER", e->h[2]);
	assert_string_equal(e->r.vals[1], e->h[3]);
	ok(e, "write %s 100", e->h[1]);
	assert_string_equal(e->r.text, "100");
	ok(e, "read %s", e->h[2]);
	expect_pattern(&e->r, 0, 100);
	/* the pattern continues across writes; max bounds one read */
	ok(e, "write %s 30", e->h[1]);
	ok(e, "read %s max 10", e->h[2]);
	expect_pattern(&e->r, 100, 10);
	ok(e, "read %s max 100 timeout 500", e->h[2]);
	expect_pattern(&e->r, 110, 20);
	/* and the other way, with a pattern of our own */
	ok(e, "write %s 5 pattern xy", e->h[2]);
	ok(e, "read %s", e->h[1]);
	assert_string_equal(e->r.text, "5 7879787978");
	ok(e, "getsockopt %s TCP_STATE", e->h[2]);
	assert_string_equal(e->r.text, "ESTABLISHED");
	ok(e, "getsockopt %s TCP_STATE", e->h[0]);
	assert_string_equal(e->r.text, "LISTEN");
	err(e, "EINVAL", "accept %s", e->h[1]);
	err(e, "EINVAL", "write %s 1", e->h[0]);
}

static void test_agent_read_timeout_is_eagain_and_bounded(void **state)
{
	struct env *e = *state;
	int64_t t0;

	pair(e);
	t0 = now_ns();
	err(e, "EAGAIN", "read %s timeout 200", e->h[2]);
	assert_true(now_ns() - t0 >= 200 * MS);
	assert_true(now_ns() - t0 < 1500 * MS);
	err(e, "EAGAIN", "accept %s timeout 0", e->h[0]);
	/* aliases compare equal by value */
	assert_int_equal(e->r.err, agent_errno_value("EWOULDBLOCK"));
}

static void test_agent_shutdown_gives_eof_and_states(void **state)
{
	struct env *e = *state;

	pair(e);
	ok(e, "shutdown %s wr", e->h[1]);
	ok(e, "read %s", e->h[2]);
	assert_string_equal(e->r.text, "0");
	assert_int_equal(agent_reply_data(&e->r, NULL, 0), 0);
	ok(e, "getsockopt %s TCP_STATE", e->h[2]);
	assert_string_equal(e->r.text, "CLOSE-WAIT");
	ok(e, "getsockopt %s TCP_STATE", e->h[1]);
	/* FIN-WAIT-2 once the peer's ACK of our FIN (it may be delayed) */
	assert_true(!strcmp(e->r.text, "FIN-WAIT-1") ||
		    !strcmp(e->r.text, "FIN-WAIT-2"));
	err(e, "EPIPE", "write %s 10", e->h[1]);
	ok(e, "close %s", e->h[2]);
	err(e, "EBADF", "read %s", e->h[2]);
}

static void test_agent_abort_resets_the_peer(void **state)
{
	struct env *e = *state;

	pair(e);
	ok(e, "write %s 10", e->h[1]);
	ok(e, "abort %s", e->h[2]);
	err(e, "ECONNRESET", "read %s", e->h[1]);
	/* reported once; the socket is dead after that */
	ok(e, "getsockopt %s TCP_STATE", e->h[1]);
	assert_string_equal(e->r.text, "CLOSED");
}

static void test_agent_close_gives_eof(void **state)
{
	struct env *e = *state;

	pair(e);
	ok(e, "close %s", e->h[2]);
	ok(e, "read %s", e->h[1]);
	assert_string_equal(e->r.text, "0");
}

static void test_agent_socket_options(void **state)
{
	struct env *e = *state;

	pair(e);
	ok(e, "setsockopt %s TCP_NODELAY 1", e->h[1]);
	ok(e, "getsockopt %s TCP_NODELAY", e->h[1]);
	assert_string_equal(e->r.text, "1");
	ok(e, "getsockopt %s SO_LINGER", e->h[1]);
	assert_string_equal(e->r.text, "-1");
	ok(e, "setsockopt %s so_linger 5", e->h[1]);
	ok(e, "getsockopt %s SO_LINGER", e->h[1]);
	assert_string_equal(e->r.text, "5");
	ok(e, "setsockopt %s SO_LINGER -1", e->h[1]);
	ok(e, "getsockopt %s SO_LINGER", e->h[1]);
	assert_string_equal(e->r.text, "-1");
	ok(e, "setsockopt %s IP_TTL 7", e->h[1]);
	ok(e, "getsockopt %s IP_TTL", e->h[1]);
	assert_string_equal(e->r.text, "7");
	ok(e, "setsockopt %s SO_RCVBUF 4096", e->h[1]);
	ok(e, "getsockopt %s SO_RCVBUF", e->h[1]);
	assert_true(atoi(e->r.text) >= 4096); /* the kernel doubles it */
	ok(e, "getsockopt %s SO_ERROR", e->h[1]);
	assert_string_equal(e->r.text, "0");
	err(e, "EINVAL", "setsockopt %s SO_ERROR 1", e->h[1]);
	assert_string_equal(e->r.text, "SO_ERROR is read-only");
	err(e, "EINVAL", "getsockopt %s SO_NOSUCH", e->h[1]);
	assert_non_null(strstr(e->r.text, "TCP_USER_TIMEOUT"));
	/* the kernel's own refusal comes back as is */
	err(e, "EINVAL", "setsockopt %s TCP_KEEPCNT 0", e->h[1]);
	assert_non_null(strstr(e->r.text, "TCP_KEEPCNT"));
}

static void test_agent_connect_refused(void **state)
{
	struct env *e = *state;
	uint16_t port = free_port();

	err(e, "ECONNREFUSED", "connect 127.0.0.1 %u", port);
	assert_string_equal(e->r.text, "connect: Connection refused");
	/* nonblock: the refusal arrives on the handle */
	ok(e, "connect 127.0.0.1 %u nonblock", port);
	keep(e, 0);
	assert_int_equal(e->r.n_vals, 2);
	assert_string_equal(e->r.vals[1], "inprogress");
	err(e, "ECONNREFUSED", "read %s timeout 2000", e->h[0]);
}

static void test_agent_nonblock_connect_completes(void **state)
{
	struct env *e = *state;
	char port[8];

	ok(e, "listen 0 v4 backlog 4");
	keep(e, 0);
	snprintf(port, sizeof(port), "%s", e->r.vals[1]);
	ok(e, "connect 127.0.0.1 %s nonblock timeout 100", port);
	keep(e, 1);
	/* write waits for the connection, then sends */
	ok(e, "write %s 3", e->h[1]);
	assert_string_equal(e->r.text, "3");
	ok(e, "accept %s", e->h[0]);
	keep(e, 2);
	ok(e, "read %s", e->h[2]);
	assert_string_equal(e->r.text, "3 616263");
	ok(e, "getsockopt %s SO_ERROR", e->h[1]);
	assert_string_equal(e->r.text, "0");
}

static void test_agent_partial_write_is_reported(void **state)
{
	struct env *e = *state;
	unsigned long n;
	int64_t t0;

	pair(e);
	ok(e, "setsockopt %s SO_SNDBUF 4096", e->h[1]);
	ok(e, "setsockopt %s SO_RCVBUF 4096", e->h[2]);
	t0 = now_ns();
	ok(e, "write %s 50000000 timeout 300", e->h[1]);
	assert_true(now_ns() - t0 >= 300 * MS);
	assert_int_equal(e->r.n_vals, 2);
	n = strtoul(e->r.vals[0], NULL, 10);
	assert_true(n > 0 && n < 50000000);
	assert_string_equal(e->r.vals[1], "EAGAIN");
}

static void test_agent_sysctl_reads_proc_sys(void **state)
{
	struct env *e = *state;
	char want[64] = "";
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_timestamps", "r");

	assert_non_null(f);
	assert_non_null(fgets(want, sizeof(want), f));
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	ok(e, "sysctl net.ipv4.tcp_timestamps");
	assert_string_equal(e->r.text, want);
	ok(e, "sysctl net/ipv4/tcp_timestamps");
	assert_string_equal(e->r.text, want);
	/* several values: one space apart */
	ok(e, "sysctl net.ipv4.tcp_rmem");
	assert_int_equal(e->r.n_vals, 3);
	err(e, "ENOENT", "sysctl net.ipv4.tcp_no_such_thing");
	assert_non_null(strstr(e->r.text, "sysctl net.ipv4.tcp_no_such_thing"));
}

static void test_agent_reset_closes_every_handle(void **state)
{
	struct env *e = *state;

	pair(e);
	ok(e, "reset");
	err(e, "EBADF", "read %s", e->h[2]);
	err(e, "EBADF", "accept %s", e->h[0]);
	ok(e, "listen 0 v4");
	assert_string_equal(e->r.vals[0], "s1"); /* numbering starts over */
}

static void test_agent_drain_listener(void **state)
{
	struct env *e = *state;

	err(e, "EADDRINUSE", "listen %u", e->drain_port);
	assert_non_null(strstr(e->r.text, "pre-opened"));
	ok(e, "connect 127.0.0.1 %u", e->drain_port);
	keep(e, 0);
	ok(e, "write %s 100000 timeout 2000", e->h[0]);
	assert_string_equal(e->r.text, "100000"); /* it reads and discards */
	ok(e, "shutdown %s wr", e->h[0]);
	ok(e, "read %s timeout 2000", e->h[0]); /* and closes after our FIN */
	assert_string_equal(e->r.text, "0");
	ok(e, "reset");
	/* reset leaves the pre-opened listener alone */
	ok(e, "connect 127.0.0.1 %u", e->drain_port);
}

/* Raw lines: framing the client library would not send. */
static void test_agent_line_framing(void **state)
{
	struct env *e = *state;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	static char big[AGENT_LINE_MAX + 200];
	char buf[512];
	size_t n = 0, lines = 0;
	ssize_t r;
	int s;

	s = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", e->srv.path);
	assert_int_equal(connect(s, (struct sockaddr *)&un, sizeof(un)), 0);
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	assert_int_equal(write(s, big, sizeof(big)), (ssize_t)sizeof(big));
	/* pipelined, CRLF, a NUL byte, then an ordinary ping */
	assert_int_equal(write(s, "ping\r\nreset\nfoo\0bar\nping\n", 25), 25);
	while (lines < 5) {
		assert_true(n < sizeof(buf) - 1);
		r = read(s, buf + n, sizeof(buf) - 1 - n);
		assert_true(r > 0);
		for (; r > 0; --r)
			lines += buf[n++] == '\n';
	}
	buf[n] = '\0';
	assert_string_equal(buf, "err EMSGSIZE command longer than 4096 bytes\n"
			    "ok tcpspec-agent " TCPSPEC_VERSION "\nok\n"
			    "err EINVAL NUL byte in the command\n"
			    "ok tcpspec-agent " TCPSPEC_VERSION "\n");
	close(s);
}

static void test_agent_client_limits(void **state)
{
	struct env *e = *state;
	struct agent_client *c[AGENT_MAX_CLIENTS];
	static char big[AGENT_LINE_MAX + 10];
	struct agent_reply r;
	char msg[256];
	int i, rv;

	assert_int_equal(agent_client_call(e->c, now_ns() + SEC, &r, "a\nb"),
			 -EINVAL);
	memset(big, 'y', sizeof(big) - 1);
	assert_int_equal(agent_client_call(e->c, now_ns() + SEC, &r, "%s", big),
			 -EMSGSIZE);
	ok(e, "ping"); /* still usable */
	assert_true(agent_client_connect(&c[0], "/nonexistent/agent.sock",
					 now_ns() + SEC, msg, sizeof(msg)) < 0);
	assert_non_null(strstr(msg, "/nonexistent/agent.sock"));
	assert_int_equal(agent_client_connect(&c[0], "nonsense", now_ns() + SEC,
					      msg, sizeof(msg)), -EINVAL);
	/* we hold one; fill the rest; one more is turned away */
	for (i = 0; i < AGENT_MAX_CLIENTS - 1; ++i)
		assert_int_equal(agent_client_connect(&c[i], e->srv.path,
						      now_ns() + SEC, msg,
						      sizeof(msg)), 0);
	assert_int_equal(agent_client_call(c[AGENT_MAX_CLIENTS - 2],
					   now_ns() + SEC, &r, "ping"), 0);
	assert_int_equal(agent_client_connect(&c[i], e->srv.path, now_ns() + SEC,
					      msg, sizeof(msg)), 0);
	rv = agent_client_call(c[i], now_ns() + SEC, &r, "ping");
	assert_true(rv == 0 || rv == -EPIPE || rv == -ECONNRESET);
	if (rv == 0) {
		assert_false(r.ok);
		assert_string_equal(r.err_name, "EBUSY");
	}
	for (i = 0; i < AGENT_MAX_CLIENTS; ++i)
		agent_client_del(c[i]);
	ok(e, "ping");
}

/* async: the command is sent, the test acts while the agent waits, then
 * the reply is collected; a call meanwhile is refused. */
static void test_agent_client_send_then_recv(void **state)
{
	struct env *e = *state;
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct agent_reply r;
	char buf[2];
	int s;

	ok(e, "listen 0 v4");
	keep(e, 0);
	sa.sin_port = htons((uint16_t)atoi(e->r.vals[1]));
	assert_int_equal(agent_client_recv(e->c, now_ns() + SEC, &r), -EALREADY);
	assert_int_equal(agent_client_send(e->c, now_ns() + SEC,
					   "accept %s timeout 3000", e->h[0]), 0);
	assert_int_equal(agent_client_pending(e->c), 1);
	assert_int_equal(agent_client_call(e->c, now_ns() + SEC, &r, "ping"),
			 -EBUSY);
	usleep(100000); /* the agent is in accept by now */
	s = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(agent_client_recv(e->c, now_ns() + 4 * SEC, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.n_vals, 3);
	assert_string_equal(r.vals[1], "127.0.0.1");
	assert_int_equal(agent_client_pending(e->c), 0);
	ok(e, "write %s 2", r.vals[0]);
	assert_int_equal(read(s, buf, 2), 2);
	assert_memory_equal(buf, "ab", 2);
	close(s);
}

/* A TCP control port, and --once: the loop ends with its one client. */
static void test_agent_tcp_control_once(void **state)
{
	struct srv s = { 0 };
	struct agent_client *c;
	struct agent_reply r;
	char where[32], msg[256];
	uint16_t port = free_port();

	(void)state;
	assert_int_equal(agent_new(&s.a), 0);
	assert_true(agent_listen_tcp(s.a, "127.0.0.1", msg, sizeof(msg)) < 0);
	assert_true(agent_listen_tcp(s.a, "localhost:80", msg, sizeof(msg)) < 0);
	assert_true(agent_listen_tcp(s.a, "[::1]:x", msg, sizeof(msg)) < 0);
	snprintf(where, sizeof(where), "127.0.0.1:%u", port);
	assert_int_equal(agent_listen_tcp(s.a, where, msg, sizeof(msg)), 0);
	agent_set_once(s.a, 1);
	srv_start(&s);
	assert_int_equal(agent_client_connect(&c, where, now_ns() + SEC, msg,
					      sizeof(msg)), 0);
	assert_int_equal(agent_client_call(c, now_ns() + SEC, &r, "ping"), 0);
	assert_true(r.ok);
	agent_client_del(c);
	pthread_join(s.th, NULL); /* returns by itself */
	assert_int_equal(s.rv, 0);
	agent_del(s.a);
}

/* A socketpair client, once: the loop runs in this thread. */
static void test_agent_socketpair_once(void **state)
{
	struct agent *a;
	char buf[256];
	ssize_t n;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(agent_new(&a), 0);
	agent_set_once(a, 1);
	assert_int_equal(agent_add_client(a, sv[1]), 0);
	assert_int_equal(write(sv[0], "ping\nread s1\n", 13), 13);
	shutdown(sv[0], SHUT_WR);
	assert_int_equal(agent_run(a), 0);
	n = read(sv[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "ok tcpspec-agent " TCPSPEC_VERSION "\n"
			    "err EBADF no such handle s1\n");
	agent_del(a);
	close(sv[0]);
}

/* The stop descriptor ends even a command that is waiting. */
static void test_agent_stop_interrupts_a_waiting_command(void **state)
{
	struct env *e = *state;
	struct agent_reply r;
	int64_t t0;

	ok(e, "listen 0 v4");
	keep(e, 0);
	/* the agent sits in accept; we stop waiting for it first */
	t0 = now_ns();
	assert_int_equal(agent_client_call(e->c, now_ns() + 300 * MS, &r,
					   "accept %s timeout 30000", e->h[0]),
			 -ETIMEDOUT);
	/* a failed call leaves the client unusable: no reply mix-ups */
	assert_int_equal(agent_client_call(e->c, now_ns() + SEC, &r, "ping"),
			 -ENOTCONN);
	assert_int_equal(write(e->srv.stop[1], "x", 1), 1);
	pthread_join(e->srv.th, NULL);
	e->srv.running = 0;
	assert_true(now_ns() - t0 < 2 * SEC);
	assert_int_equal(e->srv.rv, 0);
}

static int group_setup(void **state)
{
	static struct env e;
	char msg[256];

	signal(SIGPIPE, SIG_IGN);
	srv_init(&e.srv);
	e.drain_port = free_port();
	if (agent_prelisten(e.srv.a, e.drain_port, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "agent_prelisten: %s\n", msg);
		return -1;
	}
	srv_start(&e.srv);
	if (agent_client_connect(&e.c, e.srv.path, now_ns() + 2 * SEC, msg,
				 sizeof(msg)) < 0) {
		fprintf(stderr, "%s\n", msg);
		return -1;
	}
	*state = &e;
	return 0;
}

static int group_teardown(void **state)
{
	struct env *e = *state;
	struct stat st;

	agent_client_del(e->c);
	srv_stop(&e->srv);
	/* agent_del removed its socket file, so the directory went too */
	return stat(e->srv.dir, &st) == 0 ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, reset)
		T(test_agent_ping_names_itself),
		T(test_agent_malformed_commands_are_einval),
		T(test_agent_unknown_handle_is_ebadf),
		T(test_agent_listen_connect_accept_move_bytes),
		T(test_agent_read_timeout_is_eagain_and_bounded),
		T(test_agent_shutdown_gives_eof_and_states),
		T(test_agent_abort_resets_the_peer),
		T(test_agent_close_gives_eof),
		T(test_agent_socket_options),
		T(test_agent_connect_refused),
		T(test_agent_nonblock_connect_completes),
		T(test_agent_partial_write_is_reported),
		T(test_agent_sysctl_reads_proc_sys),
		T(test_agent_reset_closes_every_handle),
		T(test_agent_drain_listener),
		T(test_agent_line_framing),
		T(test_agent_client_limits),
		T(test_agent_client_send_then_recv),
		cmocka_unit_test(test_agent_tcp_control_once),
		cmocka_unit_test(test_agent_socketpair_once),
		/* last: it stops the group's agent */
		T(test_agent_stop_interrupts_a_waiting_command),
#undef T
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
