#include "tcb.h"

#include <string.h>

#include "fsm.h"

/* Linux: RFC 5961 on (since 3.6), TIME-WAIT accepts RST (net.ipv4.tcp_rfc1337=0),
 * SYN data dropped without Fast Open, PAWS on, 60 s TIME-WAIT. */
static const struct fsm_profile profiles[] = {
	{.name = "rfc", .rfc5961 = true, .rfc1337 = true, .syn_data_acked = true,
	 .paws = true, .msl_ms = 120000},
	{.name = "rfc793", .rfc5961 = false, .rfc1337 = false, .syn_data_acked = true,
	 .paws = true, .msl_ms = 120000},
	{.name = "linux", .rfc5961 = true, .rfc1337 = false, .syn_data_acked = false,
	 .paws = true, .msl_ms = 30000},
};

int fsm_profile_by_name(const char *name, struct fsm_profile *out)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, name)) {
			*out = profiles[i];
			return 0;
		}
	return FSM_ERR_INVAL;
}

void fsm_profile_default(struct fsm_profile *out)
{
	*out = profiles[0];
}

void tcb_init(struct tcb *t, const struct fsm_profile *prof, enum tcp_state state,
	      uint8_t ip_version)
{
	memset(t, 0, sizeof(*t));
	if (prof)
		t->prof = *prof;
	else
		fsm_profile_default(&t->prof);
	t->state = state;
	t->ip_version = ip_version;
	/* RFC 9293 3.7.1 / RFC 1122: without an MSS option assume 536 (IPv4),
	 * 1220 (IPv6, RFC 8200 5: 1280 - 60) */
	t->snd_mss = ip_version == 6 ? 1220 : 536;
}

const char *tcp_state_name(enum tcp_state s)
{
	switch (s) {
	case TCP_CLOSED:       return "CLOSED";
	case TCP_LISTEN:       return "LISTEN";
	case TCP_SYN_SENT:     return "SYN-SENT";
	case TCP_SYN_RECEIVED: return "SYN-RECEIVED";
	case TCP_ESTABLISHED:  return "ESTABLISHED";
	case TCP_FIN_WAIT_1:   return "FIN-WAIT-1";
	case TCP_FIN_WAIT_2:   return "FIN-WAIT-2";
	case TCP_CLOSE_WAIT:   return "CLOSE-WAIT";
	case TCP_CLOSING:      return "CLOSING";
	case TCP_LAST_ACK:     return "LAST-ACK";
	case TCP_TIME_WAIT:    return "TIME-WAIT";
	}
	return "?";
}

bool tcp_state_synchronized(enum tcp_state s)
{
	switch (s) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return false;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		return true;
	}
	return false;
}

void fsm_out_finding(struct fsm_out *out, enum finding_id id,
		     unsigned long long v0, unsigned long long v1, unsigned long long v2)
{
	struct finding *f;

	if (out->n_findings >= FSM_MAX_FINDINGS) {
		out->findings_truncated = true;
		return;
	}
	f = &out->findings[out->n_findings++];
	f->id = id;
	f->v[0] = v0;
	f->v[1] = v1;
	f->v[2] = v2;
}
