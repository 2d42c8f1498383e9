/* agent: the target agent, the server side of docs/agent.md. It runs
 * beside the target stack (in the target network namespace, or on a
 * remote host) and performs socket calls on the runner's command.
 *
 * One process, one poll loop, no threads: commands run one at a time, in
 * the order they arrive, each bounded by its own timeout (at most
 * AGENT_TIMEOUT_MAX ms). While a command waits, the agent keeps serving
 * its pre-opened listeners (auto-accept and drain) and watches its stop
 * descriptors, so neither stalls behind a slow command. A control client
 * cannot hang it: lines are limited to AGENT_LINE_MAX bytes, a partial
 * line idle for AGENT_IDLE_MS drops the client, a reply the client does
 * not read within AGENT_SEND_MS drops it, and at most AGENT_MAX_CLIENTS
 * are connected at once.
 *
 * Security: the agent binds only what it is given: a UNIX socket path
 * (mode 0600) or the one ADDR:PORT of agent_listen_tcp(). The TCP control
 * port is unauthenticated and can set any sysctl of the host: use it only
 * on a private control network, never on the tested link. */
#ifndef TCPSPEC_AGENT_H
#define TCPSPEC_AGENT_H

#include <stddef.h>
#include <stdint.h>

#define AGENT_LINE_MAX 4096        /* a command line, without its '\n' */
#define AGENT_READ_MAX 65536       /* most bytes one `read` returns */
/* longest reply line, '\n' included: "ok 65536 " + hex */
#define AGENT_REPLY_MAX (2 * AGENT_READ_MAX + 64)
#define AGENT_TIMEOUT_MAX 60000    /* ms, the longest any command may wait */
#define AGENT_MAX_CLIENTS 8        /* control connections at once */
#define AGENT_MAX_HANDLES 1024     /* sockets named sN at once */
#define AGENT_MAX_DRAIN_PORTS 64   /* pre-opened ports (two listeners each) */
#define AGENT_MAX_DRAIN_CONNS 512  /* connections they accepted, drained */
#define AGENT_IDLE_MS 10000        /* a partial line pending this long */
#define AGENT_SEND_MS 5000         /* a reply not taken this long */

struct agent;

/* A new agent with nothing open. Returns 0 or -ENOMEM. */
int agent_new(struct agent **pa);
/* Closes every socket and control connection; removes the UNIX socket
 * file it created. NULL is fine. */
void agent_del(struct agent *a);

/* Control channels. On failure these return negative and msg says why.
 * agent_listen_unix binds path (born mode 0600: it sets the process umask
 * for the bind, so call it before starting threads that create files; an
 * existing socket file that nobody listens on is replaced, anything else
 * is an error) and removes it at agent_del. addr_port of agent_listen_tcp is "192.0.2.5:7000" or
 * "[2001:db8::5]:7000"; only that address is bound. */
int agent_listen_unix(struct agent *a, const char *path, char *msg,
		      size_t cap);
int agent_listen_tcp(struct agent *a, const char *addr_port, char *msg,
		     size_t cap);
/* Serves fd (a connected stream socket, e.g. one end of a socketpair)
 * as a control client; the agent owns it from now on, even on failure.
 * Returns 0, or -EMFILE with AGENT_MAX_CLIENTS already connected. */
int agent_add_client(struct agent *a, int fd);
/* Serve one control client only: stop accepting after the first, and
 * return from agent_run when it is gone. */
void agent_set_once(struct agent *a, int once);
/* agent_run returns when fd becomes readable, hangs up or fails (the
 * agent does not read it): a pipe, or the linux target's socket to its
 * parent. Up to 4; returns 0 or -ENOSPC. */
int agent_add_stop_fd(struct agent *a, int fd);

/* Pre-opens listeners on port, IPv4 and IPv6 (IPv6 only if the stack
 * has it), outside the handle table: they accept every connection, read
 * and discard what arrives, and close when the peer's FIN or RST does.
 * `reset` leaves them and their connections alone; `listen` on the port
 * fails with EADDRINUSE. Returns 0, or negative with msg. */
int agent_prelisten(struct agent *a, uint16_t port, char *msg, size_t cap);

/* The loop: serves control clients and the background until a stop
 * descriptor fires, the `--once` client is gone, or nothing can ever
 * arrive (no listener, no client, no stop descriptor). Returns 0, or
 * negative (-errno) if poll itself failed. */
int agent_run(struct agent *a);

/* Executes one command line (no '\n') as a control client's would be and
 * copies the reply, without its '\n', into out (truncated to cap).
 * Returns 1 for an `ok` reply, 0 for `err`. For tests and tools. */
int agent_exec(struct agent *a, const char *line, char *out, size_t cap);

/* "ECONNREFUSED" for ECONNREFUSED; "E<number>" for errno values not in
 * the table (the table covers what socket calls, /proc/sys and the
 * protocol itself produce). */
const char *agent_errno_name(int e, char *buf, size_t cap);
/* The errno value of a name from that table, or -1. Aliases map to the
 * same value (EWOULDBLOCK and EAGAIN, ENOTSUP and EOPNOTSUPP): compare
 * values, not names. */
int agent_errno_value(const char *name);

#endif
