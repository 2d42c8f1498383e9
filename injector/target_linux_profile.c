/* target_linux_profile: the sysctl profiles of the linux target (see
 * target_linux.h). Each is a handful of net.ipv4 sysctls, which Linux
 * keeps per network namespace, so a profile changes the target namespace
 * only (on an external Linux host with an agent: that host, until the
 * run restores the values it found). */
#include "target_linux.h"

#include <string.h>

#include "script.h"

static const struct target_profile profiles[] = {
	{ "default", "the kernel's defaults", { { NULL, NULL } }, 0 },
	{ "no-timestamps", "no TCP timestamps (RFC 7323): net.ipv4.tcp_timestamps=0",
	  { { "net.ipv4.tcp_timestamps", "0" }, { NULL, NULL } }, SCRIPT_REQ_TIMESTAMPS },
	{ "no-sack", "no selective acknowledgments (RFC 2018): net.ipv4.tcp_sack=0",
	  { { "net.ipv4.tcp_sack", "0" }, { NULL, NULL } }, SCRIPT_REQ_SACK },
	{ "no-wscale", "no window scaling (RFC 7323): net.ipv4.tcp_window_scaling=0",
	  { { "net.ipv4.tcp_window_scaling", "0" }, { NULL, NULL } }, SCRIPT_REQ_WSCALE },
	{ "no-ecn", "no ECN, not even when asked (RFC 3168): net.ipv4.tcp_ecn=0",
	  { { "net.ipv4.tcp_ecn", "0" }, { NULL, NULL } }, SCRIPT_REQ_ECN },
	{ "rfc1337", "TIME-WAIT ignores RSTs (RFC 1337 TIME-WAIT assassination): "
	  "net.ipv4.tcp_rfc1337=1", { { "net.ipv4.tcp_rfc1337", "1" }, { NULL, NULL } }, 0 },
	/* there is no sysctl that turns RFC 5961 challenge ACKs off: the
	 * namespace-wide limit is all there is (recent kernels default to
	 * INT_MAX, no limit; older ones to 1000 a second). Besides it, each
	 * socket sends at most one per net.ipv4.tcp_invalid_ratelimit ms. 0
	 * is not a way to turn them off either (the kernel draws the count
	 * from [0, limit + limit/2 - 1]). */
	{ "challenge-ack-limit", "at most one RFC 5961 challenge ACK a second in the "
	  "namespace: net.ipv4.tcp_challenge_ack_limit=1",
	  { { "net.ipv4.tcp_challenge_ack_limit", "1" }, { NULL, NULL } }, 0 },
	{ "syncookies", "SYN cookies for every SYN, not only under a flood: "
	  "net.ipv4.tcp_syncookies=2", { { "net.ipv4.tcp_syncookies", "2" }, { NULL, NULL } }, 0 },
};

const struct target_profile *target_profile_at(size_t i)
{
	return i < sizeof(profiles) / sizeof(profiles[0]) ? &profiles[i] : NULL;
}

const struct target_profile *target_profile_find(const char *name)
{
	const struct target_profile *p;

	for (size_t i = 0; name && (p = target_profile_at(i)); i++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}
