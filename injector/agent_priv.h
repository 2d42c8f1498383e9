/* agent_priv: what agent.c (the loop, control clients, background,
 * waiting) and agent_cmd.c (the commands) share. Not part of the
 * module's interface. */
#ifndef TCPSPEC_AGENT_PRIV_H
#define TCPSPEC_AGENT_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "agent.h"

#define AGENT_MAX_STOP 4

/* A socket the protocol names: "s<id>". */
struct agent_sock {
	unsigned id;
	int fd;
	int listener;         /* a listening socket (accept only) */
	uint64_t wr_off;      /* bytes written so far: the pattern's phase */
};

/* A control connection. */
struct agent_ctl {
	int fd;
	size_t len;           /* bytes of the pending line */
	int overflow;         /* discarding the rest of an over-long line */
	int64_t since;        /* when the pending partial line began, ns */
	char line[AGENT_LINE_MAX + 1];
};

struct agent {
	int lis_fd;                       /* control listener, or -1 */
	char unix_path[108];              /* the socket file we made, or "" */
	int once, served, stopping;
	int stop_fd[AGENT_MAX_STOP];
	unsigned n_stop;
	struct agent_ctl ctl[AGENT_MAX_CLIENTS];
	unsigned n_ctl;
	struct agent_sock sock[AGENT_MAX_HANDLES];
	unsigned n_sock, next_id;
	int drain_lis[2 * AGENT_MAX_DRAIN_PORTS];
	uint16_t drain_port[2 * AGENT_MAX_DRAIN_PORTS];
	unsigned n_drain_lis;
	int drain_conn[AGENT_MAX_DRAIN_CONNS];
	unsigned n_drain_conn;
	uint8_t junk[16384];              /* what drained connections send */
	uint8_t io[AGENT_READ_MAX];       /* read and write data */
	char reply[AGENT_REPLY_MAX];      /* the current reply, no '\n' */
};

/* --- agent.c --- */

/* CLOCK_MONOTONIC in ns. */
int64_t agent_now_ns(void);
/* Waits until fd reports one of events (POLLIN, POLLOUT; errors and
 * hangups count as ready), or deadline (agent_now_ns() time). Serves the
 * background meanwhile. Returns 1 ready, 0 timed out, -1 a stop
 * descriptor fired (a->stopping is set: give up the command). */
int agent_wait(struct agent *a, int fd, short events, int64_t deadline);
/* Sets a->reply: "ok" and the formatted values ("ok" alone if they
 * come out empty). */
void agent_reply_ok(struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets a->reply: "err ENAME" and the formatted message. */
void agent_reply_err(struct agent *a, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- agent_cmd.c --- */

/* A command's outcome beyond the reply it set: a usage error. */
#define USAGE -1

/* Executes one command line (modified in place), filling a->reply.
 * Returns 1 ok, 0 err. */
int agent_cmd_exec(struct agent *a, char *line);
/* Closes every handle; connections with SO_LINGER 0 (one RST, not FIN
 * retransmissions into later cases). */
void agent_cmd_reset(struct agent *a);
/* A signed decimal in int range: 0, or -1. */
int agent_parse_int(const char *s, long *v);
/* "ADDR PORT"; an IPv4-mapped IPv6 address is shown as IPv4. */
void agent_addr_str(const struct sockaddr_storage *ss, char *buf, size_t cap);
/* The handle named by word: 0 and *sp, USAGE if word is no handle, or 1
 * with the EBADF reply set if no socket has that name. */
int agent_get_sock(struct agent *a, const char *word, struct agent_sock **sp);
/* The reply for a failed system call (errno); closes fd if >= 0.
 * Returns 0. */
int agent_sys_err(struct agent *a, int fd, const char *what);

/* --- agent_opt.c: commands, each 0 with a->reply set, or USAGE --- */

int agent_cmd_setsockopt(struct agent *a, char **av, int ac);
int agent_cmd_getsockopt(struct agent *a, char **av, int ac);
int agent_cmd_sysctl(struct agent *a, char **av, int ac);

#endif
