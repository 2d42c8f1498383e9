/* target_linux: the built-in target "linux". The tester and the target
 * each get a network namespace of their own, joined by a veth pair:
 *
 *   tester ns (this process)            target ns (child process)
 *   veth "tcpspec0", no IP address  <->  veth "tcpspec1" 192.0.2.1/24,
 *   MAC 02:00:00:00:00:02                2001:db8::1/64, MAC 02:00:00:00:00:01
 *
 * Both namespaces are anonymous (unshare(CLONE_NEWNET)): they exist only
 * while this process and its child live, so the kernel removes them and the
 * veth pair whatever way the run ends, including SIGKILL. The child carries
 * PR_SET_PDEATHSIG so it never outlives us. The tester veth has no address,
 * so its kernel never answers injected traffic with an RST; the target has
 * permanent neighbour entries for the tester's addresses (192.0.2.2,
 * 2001:db8::2). Offloads are off on both ends so captures hold real
 * checksums and a bad checksum is not masked as CHECKSUM_UNNECESSARY. */
#ifndef TCPSPEC_TARGET_LINUX_H
#define TCPSPEC_TARGET_LINUX_H

#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

#define TARGET_LINUX_MAX_PORTS 64

struct target_linux {
	pid_t child;             /* the target namespace's listener process */
	int ctl_fd;              /* pipe to the child */
	char tester_if[16];      /* "tcpspec0", in our namespace */
	char target_if[16];      /* "tcpspec1", in the child's */
	uint8_t tester_mac[6], target_mac[6];
	uint8_t tester_v4[4], target_v4[4];
	uint8_t tester_v6[16], target_v6[16];
};

/* Must be root (CAP_SYS_ADMIN + CAP_NET_ADMIN). Moves this process into a
 * new network namespace (irreversible for the process), creates the target
 * namespace and the link, and starts a listener accepting and reading on
 * every port in ports[] (IPv4 and IPv6). On failure fills d with a one-line
 * reason and returns negative; everything made so far is removed. */
int target_linux_start(struct target_linux *t, const uint16_t *ports,
		       unsigned n_ports, struct diag *d);
/* Kills the child; its namespace and the veth pair go with it. Safe to
 * call twice or after a failed start. */
void target_linux_stop(struct target_linux *t);

#endif
