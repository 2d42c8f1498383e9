/* match: the bridge between a script segment and the wire. Builds the
 * frame for a `send` step and compares a captured segment with an
 * `expect` step field by field, producing a readable diff. Pure functions:
 * no I/O, no clock. */
#ifndef TCPSPEC_MATCH_H
#define TCPSPEC_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script.h"
#include "wire.h"

/* One connection between the tester and the target as seen on the wire. */
struct match_flow {
	uint8_t ip_version;              /* 4 or 6 */
	uint8_t tester_mac[6], target_mac[6];
	uint8_t tester_addr[16], target_addr[16];
	uint16_t tester_port, target_port;
	uint32_t tester_isn;             /* our ISN: script seq 0 */
	uint32_t target_isn;             /* learned from the target's first SYN */
	bool target_isn_known;
	/* Our TSval on the wire = script TSval + this (the case's ts_base,
	 * or a random draw for `ts_base: random`): added to send TSvals,
	 * taken off the TSecr an expect checks or a capture binds. */
	uint32_t tester_ts_offset;
};

#define MATCH_ERR_VAR -10   /* an expression names an unbound variable, or
			     * its value does not fit the field */

#define MATCH_MAX_DIFFS 16

struct match_diff {
	unsigned n;
	struct {
		char field[24];      /* "flags", "ack", "options.mss", ... */
		char expected[64];
		char observed[64];
	} d[MATCH_MAX_DIFFS];
};

/* Fills pkt (Ethernet, IP, TCP, options) for a send step and returns the
 * wire_emit flags for its faults. payload/payload_len point at seg->data;
 * option value bytes point into seg. Expressions are evaluated with vars
 * (NULL: none bound); an unbound variable is MATCH_ERR_VAR (call
 * script_seg_resolve for the positioned message). */
int match_build_send(const struct script_seg *seg, const struct script_vars *vars,
		     const struct match_flow *f, struct wire_pkt *pkt,
		     unsigned *emit_flags);

/* Frame length to inject for seg: len, or for `truncate: N` the link and
 * IP headers plus N bytes of TCP header (whichever is shorter). */
size_t match_truncate_len(const struct script_seg *seg, const struct wire_pkt *pkt,
			  size_t len);

/* true if pkt is a TCP segment from the target to the tester on flow f. */
bool match_is_from_target(const struct match_flow *f, const struct wire_pkt *pkt);

/* Compares pkt with an expect step's segment. Sequence numbers in the
 * script are relative: expected seq to target_isn (absolute while it is
 * unknown), ack to tester_isn; SACK blocks to tester_isn. Returns true when
 * every checked field matches; otherwise fills diff. */
bool match_expect(const struct script_seg *seg, const struct script_vars *vars,
		  const struct match_flow *f, const struct wire_pkt *pkt,
		  struct match_diff *diff);

/* After an expect step matched pkt: binds each of the step's captures in
 * vars (seq relative to target_isn, ack to tester_isn, tsecr minus
 * tester_ts_offset; see enum script_cap_field). Returns 0, or
 * SCRIPT_ERR_SCHEMA when the segment lacks the field (no timestamp
 * option, ...), SCRIPT_ERR_NOMEM; d names the capture's file:line:col. */
int match_capture(const struct script_step *st, const struct match_flow *f,
		  const struct wire_pkt *pkt, struct script_vars *vars,
		  struct diag *d);

/* "flags: expected SA, observed RA; ack: expected 1, observed 0" */
void match_diff_str(const struct match_diff *diff, char *buf, size_t cap);

#endif
