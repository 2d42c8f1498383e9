/* script: the YAML test language, loaded with libyaml into the model
 * below. One file holds one case (a mapping) or several (a sequence of
 * mappings); a file of steps is included by cases. Includes, repeat and
 * matrix are expanded at load time, and variables known at load time are
 * folded into constants; what is left for the runner is a flat list of
 * steps per case whose numbers may name a variable bound at run time by a
 * `capture`. See docs/yaml.md. Every load error names file:line:column and
 * what was expected. */
#ifndef TCPSPEC_SCRIPT_H
#define TCPSPEC_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define SCRIPT_ERR_IO      -1  /* file or directory unreadable */
#define SCRIPT_ERR_SYNTAX  -2  /* YAML syntax error */
#define SCRIPT_ERR_SCHEMA  -3  /* valid YAML, not a valid case */
#define SCRIPT_ERR_NOMEM   -4
#define SCRIPT_ERR_UNBOUND -5  /* run time: a variable no capture has bound */
#define SCRIPT_ERR_RANGE   -6  /* run time: a value out of its field's range */

/* --- expressions --- */

/* A variable bound at run time (by `capture`), where an expression names it. */
struct script_ref {
	const char *name;
	const char *file;
	unsigned line, col;
};

/* A number: a constant, or a run-time variable plus an offset, mod 2^32.
 * Variables known at load time (vars:, matrix:, repeat, include with:)
 * are already folded in: only captured variables are left as refs. */
struct script_expr {
	uint32_t v;                    /* the constant, or the offset */
	const struct script_ref *ref;  /* NULL: a constant */
};

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
	struct script_expr lo, hi;     /* VALUE: lo == hi */
};

#define SCRIPT_MAX_OPTS 16

/* One option. In `send`, emitted in list order. In `expect`, a list means
 * exact order; a mapping means "each named option, in any order". */
struct script_opt {
	uint8_t kind;            /* WIRE_TCPOPT_* or any other kind number */
	struct script_num a;     /* mss value; wscale shift; ts val */
	struct script_num b;     /* ts ecr */
	uint8_t n_sack;          /* sack blocks, relative to the receiver's ISN */
	struct script_expr sack[4][2];
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
	struct script_num len;   /* expect: payload length check (send: a
				  * constant; the loader generates data) */

	/* deliberate faults (send only) */
	bool bad_tcp_csum, bad_ip_csum;
	int doff;                /* -1 = computed */
	int reserved;            /* -1 = 0 */
	int truncate;            /* -1 = whole frame; else the frame ends after
				  * this many bytes of TCP header (0..60): no
				  * payload, IP length still says the full size */

	/* IP fields: send sets them, expect checks them */
	struct script_num ttl, tos, flow_label;
	struct script_num ecn;   /* the low 2 bits of tos / traffic class;
				  * in send it overrides tos's ECN bits */
};

/* --- steps --- */

enum script_step_kind {
	SCRIPT_SEND,
	SCRIPT_EXPECT,
	SCRIPT_EXPECT_NONE,
	SCRIPT_WAIT,
	SCRIPT_APP,
};

/* When a step happens. NOW: right after the previous step (an expect
 * then waits up to within_ms). REL: at_us after the previous step ended;
 * ABS: at_us after the case started. For an expect, the segment must
 * arrive within at_us +/- the tolerance (script_tolerance_us). */
enum script_timing { SCRIPT_AT_NOW = 0, SCRIPT_AT_REL, SCRIPT_AT_ABS };

/* A tolerance: us + ppm millionths of the interval. Default (nothing set
 * anywhere): 4 ms + 12.5 %, like packetdrill. */
struct script_tol {
	bool set;
	uint32_t us;
	uint32_t ppm;
};
#define SCRIPT_TOL_DEFAULT_US  4000u
#define SCRIPT_TOL_DEFAULT_PPM 125000u

/* capture: a field of the segment an expect matched, bound to a name. */
enum script_cap_field {
	SCAP_SEQ,        /* relative to the target's ISN (wire value until known) */
	SCAP_ACK,        /* relative to our ISN */
	SCAP_SEQ_ABS,    /* wire values */
	SCAP_ACK_ABS,
	SCAP_WIN,
	SCAP_URG,
	SCAP_LEN,        /* payload bytes */
	SCAP_TSVAL,      /* the target's TSval, as on the wire */
	SCAP_TSECR,      /* echo of our TSval, minus the case's ts_base */
	SCAP_MSS,
	SCAP_WSCALE,
	SCAP_TTL,
	SCAP_TOS,
	SCAP_ECN,
	SCAP_FLOW_LABEL,
};

struct script_capture {
	enum script_cap_field field;
	const char *name;
	const char *file;
	unsigned line, col;
};

/* app: one command of the target agent (docs/agent.md), no handles: the
 * runner uses the case's current listening socket / connection. */
enum script_app_op {
	SCRIPT_APP_LISTEN,
	SCRIPT_APP_ACCEPT,
	SCRIPT_APP_CONNECT,
	SCRIPT_APP_WRITE,
	SCRIPT_APP_READ,
	SCRIPT_APP_SHUTDOWN,
	SCRIPT_APP_CLOSE,
	SCRIPT_APP_ABORT,
	SCRIPT_APP_SETSOCKOPT,
};

enum script_family { SCRIPT_FAM_CASE = 0, SCRIPT_FAM_V4, SCRIPT_FAM_V6, SCRIPT_FAM_ANY };
enum script_shut { SCRIPT_SHUT_RD, SCRIPT_SHUT_WR, SCRIPT_SHUT_RDWR };

struct script_app {
	enum script_app_op op;
	/* listen: the port (0 = the case's port); connect: the tester's port
	 * to connect to (0 = the runner's choice for this case) */
	struct script_expr port;
	const char *addr;         /* connect: NULL = the tester's address */
	struct script_expr from;  /* connect: local port (0 = any) */
	/* write: bytes; read: max bytes (0 = agent default); listen:
	 * backlog (0 = agent default) */
	struct script_expr count;
	const char *pattern;      /* write: payload pattern, NULL = agent default */
	uint32_t timeout_ms;      /* accept, connect, read: 0 = agent default */
	enum script_family family;/* listen */
	enum script_shut how;     /* shutdown */
	const char *opt_name;     /* setsockopt: SO_RCVBUF, TCP_NODELAY, ... */
	struct script_expr opt_value; /* read as int32 (SO_LINGER -1 = 0xffffffff) */
	/* read: what the bytes must be (data) / how many (len; 0 = EOF) */
	bool data_set;
	const uint8_t *data;
	uint32_t data_len;
	struct script_num len;
	const char *expect_errno; /* "ECONNREFUSED"; NULL: the call must succeed */
	bool async;               /* do not wait for the reply before the next step */
};

struct script_step {
	enum script_step_kind kind;
	const char *file;        /* where the step is written (maybe an included file) */
	unsigned line, col;      /* where the step starts in that file */
	/* NULL, or how this instance came to be: "i=2 of repeat at a.yaml:9:5;
	 * included from a.yaml:7:5" (innermost first) */
	const char *trace;
	struct script_seg seg;   /* send / expect */
	uint32_t within_ms;      /* expect (AT_NOW): deadline after the step starts (default 1000) */
	uint32_t for_ms;         /* expect_none: how long nothing may come */
	uint64_t wait_us;        /* wait */
	enum script_timing timing;   /* send, expect, app */
	uint64_t at_us;
	struct script_tol tol;   /* expect with at/at_abs: this step's tolerance */
	struct script_app app;   /* app */
	struct script_capture *caps; /* expect: bound when the segment matches */
	size_t n_caps;
};

/* --- cases --- */

enum script_level { SCRIPT_LEVEL_MUST, SCRIPT_LEVEL_SHOULD, SCRIPT_LEVEL_MAY };
enum script_role { SCRIPT_ROLE_SERVER, SCRIPT_ROLE_CLIENT, SCRIPT_ROLE_CLOSED };

/* requires: what the target must support, else the runner may skip */
#define SCRIPT_REQ_SACK       0x01u
#define SCRIPT_REQ_TIMESTAMPS 0x02u
#define SCRIPT_REQ_WSCALE     0x04u
#define SCRIPT_REQ_ECN        0x08u
#define SCRIPT_REQ_FASTOPEN   0x10u
#define SCRIPT_REQ_MD5        0x20u
#define SCRIPT_REQ_IPV6       0x40u   /* implied by target: {ip: 6} */

struct script_xfail {    /* expect_fail: a known failure on one target */
	const char *target;  /* "linux", or a target with a profile: "linux:no-sack" */
	const char *reason;
};

struct script_sysctl {   /* target: {sysctl: {NAME: VALUE}} */
	const char *name;
	const char *value;
};

/* findings: how the analyzer's findings on the target's segments bear on
 * the verdict (ids as in the catalogue, `tcpspec findings`; checked when
 * the file loads). fail_on MUST (the default): a MUST-level finding on a
 * target segment fails the case; NONE: findings are only reported.
 * require: each id must be found on the target's segments; forbid: none
 * of these may be. An id in require is not failed on by fail_on. */
enum script_fail_on { SCRIPT_FAIL_ON_MUST = 0, SCRIPT_FAIL_ON_NONE };

struct script_findings {
	const char **require;
	size_t n_require;
	const char **forbid;
	size_t n_forbid;
	enum script_fail_on fail_on;
};

struct script_pool;      /* owns the strings and arrays steps point at */

struct script_case {
	char *id;                /* required, unique in a suite; matrix cases
				  * end in "[state=established,kind=syn]" */
	char *title;
	char *file;
	unsigned line;
	char **rfc;              /* "RFC9293 3.5" ... */
	size_t n_rfc;
	enum script_level level;
	enum script_role role;
	bool role_server;        /* role == SCRIPT_ROLE_SERVER */
	uint16_t port;           /* target port (client role: 0 unless given) */
	uint8_t ip_version;      /* target: {ip: 4|6}, default 4 */
	bool isn_set;            /* `isn: N` fixes our ISN; else random */
	uint32_t isn;
	/* Our TSval on the wire = script value + ts_base (send TSval; the
	 * TSecr an expect checks and a capture of tsecr): set by `ts_base: N`
	 * (default 0: script values are wire values) or drawn at random per
	 * run (`ts_base: random`). */
	uint32_t ts_base;
	bool ts_base_random;
	struct script_tol tolerance; /* case default for at/at_abs */
	const char **tags;
	size_t n_tags;
	unsigned requires;       /* SCRIPT_REQ_* */
	struct script_xfail *xfail;  /* already filtered by their `when` */
	size_t n_xfail;
	struct script_sysctl *sysctl;
	size_t n_sysctl;
	struct script_findings findings;
	const char *matrix;      /* NULL, or this case's point: "state=established,kind=syn" */
	struct script_step *steps;
	size_t n_steps;
	struct script_pool *pool;
};

struct script_suite {
	struct script_case *cases;
	size_t n_cases;
};

/* Reads an included file (path as resolved: relative to the including
 * file, normalised): *buf is malloc'ed, the caller frees it. Returns 0,
 * or -errno (the loader names the path and strerror). */
typedef int (*script_reader)(void *arg, const char *path, char **buf, size_t *len);

/* Loads one file, or every *.yaml / *.yml below a directory (sorted by
 * path), appending to suite. Files of steps (for include:) hold no case
 * and are skipped. Returns 0 or SCRIPT_ERR_*, with d filled. */
int script_load(const char *path, struct script_suite *suite, struct diag *d);
/* Loads from memory; name is used in diagnostics and to resolve includes,
 * which are read from disk. */
int script_load_buffer(const char *name, const char *buf, size_t len,
		       struct script_suite *suite, struct diag *d);
/* The same, reading includes with rd (e.g. from an embedded suite). */
int script_load_buffer_with(const char *name, const char *buf, size_t len,
			    script_reader rd, void *arg,
			    struct script_suite *suite, struct diag *d);
void script_suite_free(struct script_suite *suite);

/* Length of an option with its correct length byte (1 for EOL/NOP). */
uint8_t script_opt_natural_len(const struct script_opt *o);

/* Flags to text and back ("SA", "FA", "R.", ...; see docs/yaml.md). */
int script_parse_flags(const char *s, uint8_t *flags);

/* --- run time: variables --- */

struct script_var {
	char *name;
	uint32_t value;
};

/* The variables one run of a case has bound (by capture). */
struct script_vars {
	struct script_var *v;
	size_t n, cap;
};

void script_vars_init(struct script_vars *vars);
void script_vars_free(struct script_vars *vars);
/* Binds (or rebinds) name. Returns 0 or SCRIPT_ERR_NOMEM. */
int script_vars_set(struct script_vars *vars, const char *name, uint32_t value);
bool script_vars_get(const struct script_vars *vars, const char *name, uint32_t *out);

/* Value of e mod 2^32. vars may be NULL when nothing is bound. Returns 0,
 * or SCRIPT_ERR_UNBOUND with d (may be NULL) naming the reference's
 * file:line:col. */
int script_eval(const struct script_expr *e, const struct script_vars *vars,
		uint32_t *out, struct diag *d);
/* A copy of seg with every expression evaluated (no refs left); out->data
 * points at seg's payload (not owned: do not script_seg_free it). A value
 * outside its field (win above 65535, ...) is SCRIPT_ERR_RANGE. */
int script_seg_resolve(const struct script_seg *seg, const struct script_vars *vars,
		       struct script_seg *out, struct diag *d);

/* The tolerance for an expect with at/at_abs: the step's, else the
 * case's, else run's (may be NULL), else 4 ms + 12.5 %; interval_us is the
 * time from the previous step to the expected arrival. */
uint64_t script_tolerance_us(const struct script_step *st, const struct script_case *c,
			     const struct script_tol *run, uint64_t interval_us);

/* expect_fail reason for a target ("linux"), or NULL. */
const char *script_xfail_reason(const struct script_case *c, const char *target);

/* Names for the model's enums (as the YAML writes them). */
const char *script_app_op_name(enum script_app_op op);
const char *script_cap_field_name(enum script_cap_field f);
const char *script_require_name(unsigned bit);

#endif
