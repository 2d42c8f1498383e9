/* script: the YAML test language, loaded with libyaml into the model
 * below. One file holds one case (a mapping) or several (a sequence of
 * mappings). See docs/yaml.md. Every load error names file:line:column and
 * what was expected. */
#ifndef TCPSPEC_SCRIPT_H
#define TCPSPEC_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define SCRIPT_ERR_IO     -1  /* file or directory unreadable */
#define SCRIPT_ERR_SYNTAX -2  /* YAML syntax error */
#define SCRIPT_ERR_SCHEMA -3  /* valid YAML, not a valid case */
#define SCRIPT_ERR_NOMEM  -4

/* A checked or generated number: absent (unchecked / default), an exact
 * value, an inclusive range, `any` (must be present, any value), or
 * `absent` (must not be present; options only). */
enum script_num_kind {
	SNUM_UNSET = 0,
	SNUM_VALUE,
	SNUM_RANGE,
	SNUM_ANY,
	SNUM_ABSENT,
};

struct script_num {
	enum script_num_kind k;
	uint32_t lo, hi;         /* VALUE: lo == hi */
};

#define SCRIPT_MAX_OPTS 16

/* One option. In `send`, emitted in list order. In `expect`, a list means
 * exact order; a mapping means "each named option, in any order". */
struct script_opt {
	uint8_t kind;            /* WIRE_TCPOPT_* or any other kind number */
	struct script_num a;     /* mss value; wscale shift; ts val */
	struct script_num b;     /* ts ecr */
	uint8_t n_sack;          /* sack blocks, relative to the receiver's ISN */
	uint32_t sack[4][2];
	uint8_t raw_len;         /* value bytes: unknown kinds, md5 digest, Fast */
	uint8_t raw[40];         /* Open cookie (kind 254: ExID F989 first); in
				  * expect with a == any, a required prefix */
	int len_override;        /* fault: emit this length byte (-1 = correct) */
};

struct script_seg {
	bool flags_set;
	uint8_t flags;           /* WIRE_TH_*; exact match in expect */
	struct script_num seq;   /* relative to the sender's ISN */
	struct script_num ack;   /* relative to the receiver's ISN */
	bool seq_abs, ack_abs;   /* `seq: {abs: N}`: wire value, no ISN mapping */
	struct script_num win;
	struct script_num urp;

	bool opts_set;           /* an `options` key was given */
	bool opts_ordered;       /* list form */
	uint8_t n_opts;
	struct script_opt opts[SCRIPT_MAX_OPTS];

	bool data_set;           /* payload given: sent / compared byte for byte */
	uint8_t *data;           /* owned */
	uint32_t data_len;
	struct script_num len;   /* expect: payload length check */

	/* deliberate faults (send only) */
	bool bad_tcp_csum, bad_ip_csum;
	int doff;                /* -1 = computed */
	int reserved;            /* -1 = 0 */

	/* IP fields: send sets them, expect checks them */
	struct script_num ttl, tos, flow_label;
};

enum script_step_kind {
	SCRIPT_SEND,
	SCRIPT_EXPECT,
	SCRIPT_EXPECT_NONE,
};

struct script_step {
	enum script_step_kind kind;
	unsigned line, col;      /* where the step starts in its file */
	struct script_seg seg;   /* send / expect */
	uint32_t within_ms;      /* expect: deadline after the step starts (default 1000) */
	uint32_t for_ms;         /* expect_none: how long nothing may come */
};

enum script_level { SCRIPT_LEVEL_MUST, SCRIPT_LEVEL_SHOULD, SCRIPT_LEVEL_MAY };

struct script_case {
	char *id;                /* required, unique in a suite */
	char *title;
	char *file;
	unsigned line;
	char **rfc;              /* "RFC9293 3.5" ... */
	size_t n_rfc;
	enum script_level level;
	bool role_server;        /* target: {role: server} (only role so far) */
	uint16_t port;           /* target port */
	uint8_t ip_version;      /* target: {ip: 4|6}, default 4 */
	bool isn_set;            /* `isn: N` fixes our ISN; else random */
	uint32_t isn;
	struct script_step *steps;
	size_t n_steps;
};

struct script_suite {
	struct script_case *cases;
	size_t n_cases;
};

/* Loads one file, or every *.yaml / *.yml below a directory (sorted by
 * path), appending to suite. Returns 0 or SCRIPT_ERR_*, with d filled. */
int script_load(const char *path, struct script_suite *suite, struct diag *d);
/* Loads from memory; name is used in diagnostics. */
int script_load_buffer(const char *name, const char *buf, size_t len,
		       struct script_suite *suite, struct diag *d);
void script_suite_free(struct script_suite *suite);

/* Length of an option with its correct length byte (1 for EOL/NOP). */
uint8_t script_opt_natural_len(const struct script_opt *o);

/* Flags to text and back ("SA", "FA", "R.", ...; see docs/yaml.md). */
int script_parse_flags(const char *s, uint8_t *flags);

#endif
