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
 * so its kernel never answers injected traffic with an RST. The target
 * resolves the tester's addresses (192.0.2.2, 2001:db8::2) by ARP and
 * neighbour discovery, which the runner answers; with static_neigh it
 * has permanent neighbour entries for them instead. Offloads are off on both ends so captures hold real
 * checksums and a bad checksum is not masked as CHECKSUM_UNNECESSARY.
 *
 * The child is the target agent (agent.h, docs/agent.md) for the target
 * namespace, on a UNIX socket at agent_path, in a directory of its own
 * (mode 0700) made with mkdtemp under $TMPDIR or /tmp. A UNIX socket
 * path is reached through the file system, so the tester namespace can
 * connect while the agent's sockets live in the target namespace. The
 * agent watches its socket to us in every wait: when we are gone,
 * however we ended, it removes the socket file and directory and exits,
 * and the kernel removes the namespace and the veth pair. */
#ifndef TCPSPEC_TARGET_LINUX_H
#define TCPSPEC_TARGET_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

#define TARGET_LINUX_MAX_PORTS 64

struct target_linux {
	pid_t child;             /* the target namespace's agent process */
	int ctl_fd;              /* socket to the child */
	char agent_dir[64];      /* private directory of the agent's socket */
	char agent_path[108];    /* the agent's UNIX socket (agent_client) */
	int in_tester_ns;        /* we moved into the tester namespace */
	char tester_if[16];      /* "tcpspec0", in our namespace */
	char target_if[16];      /* "tcpspec1", in the child's */
	uint8_t tester_mac[6], target_mac[6];
	uint8_t tester_v4[4], target_v4[4];
	uint8_t tester_v6[16], target_v6[16];
};

struct target_linux_opts {
	/* permanent neighbour entries for the tester's addresses on the
	 * target; without them, whatever injects must answer the target's
	 * ARP requests and neighbour solicitations (the runner does) */
	int static_neigh;
};

/* Must be root (CAP_SYS_ADMIN + CAP_NET_ADMIN). Moves this process into a
 * new network namespace (irreversible for the process), creates the target
 * namespace and the link, and starts the agent there, which pre-opens
 * every port in ports[] (IPv4 and IPv6; none is fine): those accept
 * every connection, read and discard, and close when the peer does
 * (agent_prelisten). The agent takes commands at t->agent_path as soon
 * as this returns. On failure fills d with a one-line reason and returns
 * negative; everything made so far is removed. */
int target_linux_start_opts(struct target_linux *t, const uint16_t *ports,
			    unsigned n_ports, const struct target_linux_opts *o,
			    struct diag *d);
/* target_linux_start_opts with static neighbour entries: for tools that
 * inject without answering ARP. */
int target_linux_start(struct target_linux *t, const uint16_t *ports,
		       unsigned n_ports, struct diag *d);
/* Kills the child; its namespace and the veth pair go with it, and the
 * agent's socket file and directory are removed. Safe to call twice or
 * after a failed start. */
void target_linux_stop(struct target_linux *t);

/* Profiles of the linux target (and of any Linux host with an agent):
 * sysctls applied in the target's network namespace through the agent's
 * `sysctl` command before the run, and the features they switch off,
 * for which cases that `require` them are skipped. */
#define TARGET_PROFILE_MAX_SYSCTLS 4

struct target_profile {
	const char *name;        /* "no-timestamps" */
	const char *what;        /* one line, for --help and the README */
	const char *sysctl[TARGET_PROFILE_MAX_SYSCTLS][2]; /* NAME, VALUE; NULL ends */
	unsigned lacks;          /* SCRIPT_REQ_* the profile switches off */
};

/* The profile named name, or NULL. */
const struct target_profile *target_profile_find(const char *name);
/* The i-th profile (0: "default"), or NULL past the last. */
const struct target_profile *target_profile_at(size_t i);

#endif
