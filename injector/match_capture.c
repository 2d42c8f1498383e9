/* match_capture: binds the fields an expect step captures from the segment
 * it matched. Values mean what the same field means in a script: seq
 * relative to the target's ISN, ack to ours, tsecr to our TS base, so
 * `expect: {seq: $x}` matches the segment `capture: {seq: x}` came from. */
#include "match.h"

#include <string.h>

/* The value of one field, or false when the segment does not carry it. */
static bool field(enum script_cap_field fld, const struct match_flow *f,
		  const struct wire_pkt *pkt, uint32_t *v)
{
	const struct wire_tcp *t = &pkt->tcp;

	switch (fld) {
	case SCAP_SEQ:
		*v = t->seq - (f->target_isn_known ? f->target_isn : 0);
		return true;
	case SCAP_ACK:
		*v = t->ack - f->tester_isn;
		return true;
	case SCAP_SEQ_ABS:
		*v = t->seq;
		return true;
	case SCAP_ACK_ABS:
		*v = t->ack;
		return true;
	case SCAP_WIN:
		*v = t->win;
		return true;
	case SCAP_URG:
		*v = t->urp;
		return true;
	case SCAP_LEN:
		*v = t->payload_len;
		return true;
	case SCAP_TSVAL:
		*v = t->tsval;
		return t->has_ts;
	case SCAP_TSECR:
		*v = t->tsecr - f->tester_ts_offset;
		return t->has_ts;
	case SCAP_MSS:
		*v = t->mss;
		return t->has_mss;
	case SCAP_WSCALE:
		*v = t->ws;
		return t->has_ws;
	case SCAP_TTL:
		*v = pkt->ip.ttl;
		return pkt->has_ip;
	case SCAP_TOS:
		*v = pkt->ip.tos;
		return pkt->has_ip;
	case SCAP_ECN:
		*v = pkt->ip.tos & 3u;
		return pkt->has_ip;
	case SCAP_FLOW_LABEL:
		*v = pkt->ip.flow_label;
		return pkt->has_ip && pkt->ip.version == 6;
	}
	return false;
}

static const char *missing(enum script_cap_field fld)
{
	switch (fld) {
	case SCAP_TSVAL:
	case SCAP_TSECR: return "no timestamp option";
	case SCAP_MSS: return "no mss option";
	case SCAP_WSCALE: return "no wscale option";
	case SCAP_FLOW_LABEL: return "no IPv6 header";
	default: return "no IP header";
	}
}

int match_capture(const struct script_step *st, const struct match_flow *f,
		  const struct wire_pkt *pkt, struct script_vars *vars,
		  struct diag *d)
{
	for (size_t i = 0; i < st->n_caps; i++) {
		const struct script_capture *cp = &st->caps[i];
		uint32_t v;

		if (!field(cp->field, f, pkt, &v)) {
			if (d)
				diag_set(d, cp->file, cp->line, cp->col,
					 "capture %s into %s: the segment has %s",
					 script_cap_field_name(cp->field), cp->name,
					 missing(cp->field));
			return SCRIPT_ERR_SCHEMA;
		}
		if (script_vars_set(vars, cp->name, v)) {
			if (d)
				diag_set(d, cp->file, cp->line, cp->col, "out of memory");
			return SCRIPT_ERR_NOMEM;
		}
	}
	return 0;
}
