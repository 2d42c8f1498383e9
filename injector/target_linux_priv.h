/* target_linux_priv: what target_linux.c (namespaces, link, start/stop)
 * and target_linux_child.c (the agent in the target namespace) share.
 * Not part of the module's interface. */
#ifndef TCPSPEC_TARGET_LINUX_PRIV_H
#define TCPSPEC_TARGET_LINUX_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "target_linux.h"

/* The veth pair: ours, and the child's in the target namespace. */
#define TESTER_IF "tcpspec0"
#define TARGET_IF "tcpspec1"

/* Longest status message from the child over the control socket. */
#define MSG_MAX 400

/* --- target_linux.c --- */

/* Writes val to path (a /proc/sys file); on failure msg says why. */
int target_linux_write_file(const char *path, const char *val, char *msg,
			    size_t cap);
/* 0 if RX and TX checksum offload are both off on ifname; else -1 and
 * msg says which is on, or why it could not be read. */
int target_linux_csum_off(const char *ifname, char *msg, size_t cap);
/* Until ifname has carrier and, if v6 is given, that address is no
 * longer tentative; -1 with msg after a bounded wait. */
int target_linux_wait_ready(const char *ifname, const char *v6, char *msg,
			    size_t cap);

/* --- target_linux_child.c --- */

/* The forked child: makes the target namespace, reports "ok" on fd,
 * waits for the parent's "go", checks its link, pre-opens ports[] (IPv4
 * and IPv6), starts the agent on the UNIX socket agent_path, reports "ok"
 * again and serves until fd closes or hangs up; then removes agent_path
 * and its directory agent_dir. A failure is sent on fd as one line of
 * text. Never returns. */
void target_linux_child_main(int fd, pid_t ppid, const uint16_t *ports,
			     unsigned n_ports, const char *agent_dir,
			     const char *agent_path) __attribute__((noreturn));

#endif
