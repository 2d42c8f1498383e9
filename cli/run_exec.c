/* run_exec: a target session and one case on it (see run_exec.h). */
#define _GNU_SOURCE
#include "run_exec.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdev.h"
#include "run_report.h"

#define RESOLVE_MS 3000

struct saved {
	const char *name;
	char value[256];
};

struct run_session {
	const struct run_opts *o;
	struct target_linux t;
	bool have_t, have_r;
	struct runner r;
	struct runner_link link;
	struct saved saved[TARGET_PROFILE_MAX_SYSCTLS];
	size_t n_saved;
	char why[128];             /* "profile no-timestamps" */
};

const char *run_xfail(const struct script_case *c, const struct run_opts *o)
{
	const char *r = script_xfail_reason(c, o->target_name);

	return r ? r : script_xfail_reason(c, o->name_base);
}

/* The profile's sysctls, checked by reading them back; the values
 * found are restored at the end (they matter on an external host). */
static int apply_profile(struct run_session *s, char *err, size_t cap)
{
	const struct target_profile *p = s->o->profile;
	char got[256];

	for (size_t i = 0; p && i < TARGET_PROFILE_MAX_SYSCTLS && p->sysctl[i][0]; i++) {
		const char *name = p->sysctl[i][0], *val = p->sysctl[i][1];
		struct saved *sv = &s->saved[s->n_saved];

		if (runner_sysctl(&s->r, name, NULL, sv->value, sizeof(sv->value), err, cap) < 0)
			return -1;
		sv->name = name;
		s->n_saved++;
		if (runner_sysctl(&s->r, name, val, got, sizeof(got), err, cap) < 0)
			return -1;
		if (strcmp(got, val)) {
			snprintf(err, cap, "profile %s: sysctl %s: wrote %s, reads back %s", p->name,
				 name, val, got);
			return -1;
		}
	}
	return 0;
}

static int mac_parse(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return (mac[0] & 1) ? -1 : 0;   /* a multicast MAC cannot be ours */
}

/* true if addr (family af) is configured on an interface of this host:
 * its kernel would answer the segments we inject for it with RSTs. */
static bool local_addr(int af, const uint8_t *addr)
{
	struct ifaddrs *ifa, *i;
	bool hit = false;

	if (getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i && !hit; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != af)
			continue;
		if (af == AF_INET)
			hit = !memcmp(&((struct sockaddr_in *)i->ifa_addr)->sin_addr, addr, 4);
		else
			hit = !memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, addr, 16);
	}
	freeifaddrs(ifa);
	return hit;
}

/* --target HOST --iface IF --agent HOST:PORT: the link and addresses. */
static int host_link(struct run_session *s, int *ipv, char *err, size_t cap)
{
	const struct run_opts *o = s->o;
	struct runner_link *l = &s->link;
	static const uint8_t dmac[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t *tgt, *tst;
	const char *tip = o->tester_ip;
	int af;

	memcpy(l->tester_mac, dmac, 6);
	if (o->tester_mac && mac_parse(o->tester_mac, l->tester_mac) < 0) {
		snprintf(err, cap, "--tester-mac %s: expected a unicast MAC like 02:00:00:00:00:02",
			 o->tester_mac);
		return -1;
	}
	if (inet_pton(AF_INET, o->target, l->target_v4) == 1) {
		*ipv = 4;
		af = AF_INET;
		l->no_v6 = true;
		tgt = l->target_v4;
		tst = l->tester_v4;
		/* in the documentation prefix the tester's address is known */
		if (!tip && tgt[0] == 192 && tgt[1] == 0 && tgt[2] == 2)
			tip = tgt[3] == 2 ? "192.0.2.3" : "192.0.2.2";
	} else if (inet_pton(AF_INET6, o->target, l->target_v6) == 1) {
		*ipv = 6;
		af = AF_INET6;
		l->no_v4 = true;
		tgt = l->target_v6;
		tst = l->tester_v6;
		if (!tip && tgt[0] == 0x20 && tgt[1] == 0x01 && tgt[2] == 0x0d && tgt[3] == 0xb8)
			tip = tgt[15] == 2 ? "2001:db8::3" : "2001:db8::2";
	} else {
		snprintf(err, cap, "--target %s: expected linux or the target's IPv4 or IPv6 address",
			 o->target);
		return -1;
	}
	if (!tip) {
		snprintf(err, cap, "--tester-ip: needed with a target outside 192.0.2.0/24 and "
			 "2001:db8::/32 (an unused address on the target's subnet)");
		return -1;
	}
	if (inet_pton(af, tip, tst) != 1) {
		snprintf(err, cap, "--tester-ip %s: expected an IPv%d address, as the target's", tip,
			 *ipv);
		return -1;
	}
	if (!memcmp(tst, tgt, *ipv == 4 ? 4 : 16) || local_addr(af, tst)) {
		snprintf(err, cap, "--tester-ip %s: %s; the tester's address must be unused, so that "
			 "no kernel answers what tcpspec injects", tip,
			 local_addr(af, tst) ? "configured on this host" : "the target's own");
		return -1;
	}
	return 0;
}

static void linux_link(struct run_session *s)
{
	struct runner_link *l = &s->link;

	memcpy(l->tester_mac, s->t.tester_mac, 6);
	memcpy(l->target_mac, s->t.target_mac, 6);
	memcpy(l->tester_v4, s->t.tester_v4, 4);
	memcpy(l->target_v4, s->t.target_v4, 4);
	memcpy(l->tester_v6, s->t.tester_v6, 16);
	memcpy(l->target_v6, s->t.target_v6, 16);
}

int run_session_start(struct run_session **ps, const struct run_opts *o, const char *pcap_dir,
		      char *err, size_t errcap)
{
	struct run_session *s = calloc(1, sizeof(*s));
	struct runner_config cfg = { .pcap_dir = pcap_dir, .tolerance = o->tolerance };
	char ebuf[256], msg[DIAG_MSG_MAX + 300];
	const char *iface;
	int ipv = 4;
	struct diag d;

	*ps = NULL;
	if (!s) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	s->o = o;
	if (o->external) {
		if (host_link(s, &ipv, err, errcap) < 0)
			goto fail;
		iface = o->iface;
		cfg.agent = o->agent;
	} else {
		struct target_linux_opts to = { .static_neigh = o->static_neigh };

		diag_clear(&d);
		if (target_linux_start_opts(&s->t, o->ports, o->n_ports, &to, &d) < 0) {
			diag_format(&d, msg, sizeof(msg));
			snprintf(err, errcap, "target linux: %s", msg);
			goto fail;
		}
		s->have_t = true;
		linux_link(s);
		iface = s->t.tester_if;
		cfg.agent = s->t.agent_path;
	}
	if (o->profile) {
		cfg.lacks = o->profile->lacks;
		snprintf(s->why, sizeof(s->why), "profile %s", o->profile->name);
		cfg.lacks_why = s->why;
	}
	if (netdev_open(&s->link.nd, iface, "arp or icmp6 or tcp", ebuf, sizeof(ebuf)) < 0) {
		snprintf(err, errcap, "%s", ebuf);
		goto fail;
	}
	if (runner_init(&s->r, &s->link, &cfg, ebuf, sizeof(ebuf)) < 0) {
		snprintf(err, errcap, "agent %s: %s", cfg.agent, ebuf);
		runner_fini(&s->r);
		goto fail;
	}
	s->have_r = true;
	if (o->external && runner_resolve_target(&s->r, ipv, RESOLVE_MS, err, errcap) < 0)
		goto fail;
	if (apply_profile(s, err, errcap) < 0)
		goto fail;
	*ps = s;
	return 0;
fail:
	run_session_stop(s);
	return -1;
}

void run_session_case(struct run_session *s, const struct script_case *c,
		      struct run_outcome *out)
{
	struct run_findings fs;
	char msg[DIAG_MSG_MAX + 300];
	struct diag d;

	memset(out, 0, sizeof(*out));
	runner_run_case(&s->r, c, &out->res);
	if (out->res.verdict == RUNNER_SKIP || !out->res.pcap[0])
		return;
	diag_clear(&d);
	if (run_case_findings(&out->res, &fs, &d) < 0 && out->res.verdict == RUNNER_PASS) {
		diag_format(&d, msg, sizeof(msg));
		out->res.verdict = RUNNER_ERROR;
		snprintf(out->res.reason, sizeof(out->res.reason), "analyzing the capture: %s", msg);
	}
	run_findings_judge(c, &fs, &out->res, out->notes, sizeof(out->notes));
	run_findings_free(&fs);
}

void run_session_stop(struct run_session *s)
{
	char err[256];

	if (!s)
		return;
	while (s->have_r && s->n_saved) {
		struct saved *sv = &s->saved[--s->n_saved];

		if (runner_sysctl(&s->r, sv->name, sv->value, NULL, 0, err, sizeof(err)) < 0)
			fprintf(stderr, "tcpspec run: restoring %s: %s\n", sv->name, err);
	}
	if (s->have_r)
		runner_fini(&s->r);
	netdev_close(s->link.nd);
	if (s->have_t)
		target_linux_stop(&s->t);
	free(s);
}
