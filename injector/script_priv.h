/* script_priv: what the loader's files share. Not part of the module's
 * interface.
 *
 *   script.c         files, directories, documents, includes' files
 *   script_case.c    cases: keys, target, matrix expansion
 *   script_meta.c    metadata: tags, requires, expect_fail, sysctl, matrix
 *                    definitions, when-conditions
 *   script_step.c    step lists and the leaf steps (send, expect,
 *                    expect_none, wait, capture, timing)
 *   script_expand.c  include, repeat, when, steps_by
 *   script_app.c     app steps (the target agent's commands)
 *   script_expr.c    the pool, variable scopes, expressions, interpolation
 *   script_vars.c    run time: variables, evaluation, resolve, helpers
 *   script_seg.c     segments, numbers, durations, flags
 *   script_opt.c     TCP options
 *   script_yaml.c    libyaml node access with positioned errors */
#ifndef TCPSPEC_SCRIPT_PRIV_H
#define TCPSPEC_SCRIPT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "script.h"

#define SCRIPT_MAX_DEPTH   16       /* includes inside includes */
#define SCRIPT_MAX_STEPS   100000   /* steps of one case after expansion */
#define SCRIPT_MAX_REPEAT  10000    /* repeat times */
#define SCRIPT_MAX_POINTS  10000    /* matrix combinations of one case */

/* --- scopes: variables known at load time --- */

struct script_mvar;

struct script_binding {
	const char *name;
	const char *str;          /* text value; NULL when it holds a captured variable */
	bool num;                 /* usable as a number */
	struct script_expr expr;  /* num: the value (a ref when it carries a capture) */
	int64_t cval;             /* num without a ref: the value before wrapping */
	const char *src;          /* "vars", "matrix", "with", "params", "repeat" */
	const struct script_mvar *mvar; /* src "matrix": its values, for checks */
};

struct script_env {
	const struct script_env *up;
	const struct script_binding *b;
	size_t n;
};

/* --- matrix --- */

struct script_mvar {
	const char *name;
	const char **values;
	const yaml_node_t **nodes;
	size_t n;
};

struct script_matrix {
	struct script_mvar *v;
	size_t n;
	const yaml_node_t *exclude;   /* list of when-conditions, or NULL */
};

/* --- the case being built --- */

struct script_build {
	struct script_case *k;
	size_t steps_cap;
	const char **caught;      /* names captured by the steps so far */
	size_t n_caught, caught_cap;
	const struct script_matrix *mx;
	const char *trace;        /* given to the steps parsed now */
	const char *stack[SCRIPT_MAX_DEPTH]; /* files being included */
	unsigned depth;
	bool has_connect;         /* an app connect step (client role) */
};

/* --- the whole load --- */

struct script_incl {          /* a file of steps, parsed once per load */
	char *path;
	yaml_document_t doc;
};

struct script_load {
	script_reader rd;
	void *arg;
	/* one allocation each: a document's address must not move while an
	 * include of it is being parsed and another file is added */
	struct script_incl **files;
	size_t n_files, cap_files;
	struct script_suite *suite;
};

/* What is being parsed: the document, its file name for diagnostics, and
 * the case settings later keys depend on. Nested scopes (includes,
 * repeat, matrix points) copy the context and change what differs. */
struct script_ctx {
	yaml_document_t *doc;
	const char *file;
	struct diag *d;
	uint8_t ip_version;       /* of the case being parsed */
	struct script_load *ld;
	struct script_build *b;   /* NULL outside a case */
	const struct script_env *env;
	struct script_pool **pool;/* strings made while parsing go here */
};

/* --- script.c --- */

/* The parsed document of a file of steps (path already resolved). */
int script_incl_doc(const struct script_ctx *c, const yaml_node_t *at,
		    const char *path, yaml_document_t **doc);
/* dir of `from` joined with rel, "." and ".." folded; in the pool. */
const char *script_path_join(const struct script_ctx *c, const char *from,
			     const char *rel);
/* Does the root of a document hold steps rather than cases? */
bool script_is_fragment(const struct script_ctx *c, const yaml_node_t *root);

/* --- script_case.c --- */

int script_parse_case(struct script_ctx *c, const yaml_node_t *n);
void script_case_free(struct script_case *k);

/* --- script_meta.c --- */

int script_parse_tags(const struct script_ctx *c, const yaml_node_t *n,
		      struct script_case *k);
int script_parse_requires(const struct script_ctx *c, const yaml_node_t *n,
			  struct script_case *k);
int script_parse_xfail(const struct script_ctx *c, const yaml_node_t *n,
		       struct script_case *k);
int script_parse_sysctl(const struct script_ctx *c, const yaml_node_t *n,
			struct script_case *k);
int script_parse_findings(const struct script_ctx *c, const yaml_node_t *n,
			  struct script_case *k);
int script_parse_matrix(const struct script_ctx *c, const yaml_node_t *n,
			struct script_matrix *mx);
/* A when-condition {VAR: VALUE | [VALUES], ...}: every variable has one
 * of its values. Unknown variables, and values a matrix variable never
 * takes, are errors. */
int script_when(const struct script_ctx *c, const yaml_node_t *n,
		const char *where, bool *hit);
/* The matrix variable's value must be one of its values (else an error
 * listing them); other variables take any value. */
int script_check_value(const struct script_ctx *c, const yaml_node_t *at,
		       const struct script_binding *b, const char *value);

/* --- script_step.c --- */

/* Appends the steps of a list node to the case being built. */
int script_parse_steps(const struct script_ctx *c, const yaml_node_t *n);
/* A new step at the end of the case's list (zeroed, position set). */
int script_add_step(const struct script_ctx *c, const yaml_node_t *n,
		    struct script_step **out);
/* capture: {FIELD: NAME, ...} onto an expect step */
int script_parse_capture(const struct script_ctx *c, const yaml_node_t *n,
			 struct script_step *st);
/* at, at_abs, tolerance, within keys shared by send, expect and app */
int script_parse_timing(const struct script_ctx *c, const yaml_node_t *k,
			const yaml_node_t *v, struct script_step *st);
/* "4ms", "4ms+12.5%", "10%" */
int script_parse_tol(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_tol *tol);
/* "300ms", "1.5s", "250us" in microseconds, > 0 and <= 1 h */
int script_parse_duration_us(const struct script_ctx *c, const yaml_node_t *n,
			     const char *what, uint64_t *us);

/* --- script_expand.c --- */

int script_step_include(const struct script_ctx *c, const yaml_node_t *step,
			const yaml_node_t *v);
int script_step_repeat(const struct script_ctx *c, const yaml_node_t *step,
		       const yaml_node_t *v);
int script_step_steps_by(const struct script_ctx *c, const yaml_node_t *step,
			 const yaml_node_t *v);
/* - when: {...}
 *   steps: [...]
 *   else: [...] */
int script_step_when(const struct script_ctx *c, const yaml_node_t *step);

/* --- script_app.c --- */

int script_parse_app(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_step *st);

/* --- script_expr.c --- */

void *script_palloc(struct script_pool **pool, size_t size);   /* zeroed */
char *script_pstrndup(struct script_pool **pool, const char *s, size_t len);
char *script_pstrdup(struct script_pool **pool, const char *s);
void script_pool_free(struct script_pool *pool);
int script_nomem(const struct script_ctx *c);

const struct script_binding *script_env_find(const struct script_env *e,
					     const char *name, size_t len);
bool script_name_ok(const char *s);
/* Binds name to scalar n, read in c's scope: numbers and expressions
 * fold (a captured variable stays a ref), other text is interpolated. */
int script_bind(const struct script_ctx *c, const yaml_node_t *n,
		const char *name, const char *src, struct script_binding *out);
/* A name captured so far in this case? */
bool script_caught(const struct script_ctx *c, const char *name, size_t len);

#define SEXPR_SIGNED 0x1   /* a leading '-' on a literal is fine (relative seq/ack) */
#define SEXPR_STATIC 0x2   /* known at load time: no captured variable */

/* Text holding '$' is an expression; others are plain numbers. */
bool script_has_dollar(const char *s, size_t len);
/* [-]TERM (+|- TERM)*, TERM = number | $name | ${name}; load-time names
 * fold, at most one captured name (added) is left as a ref. The result
 * wraps mod 2^32 when max is UINT32_MAX, else a constant must be in
 * 0..max. Errors are positioned at n and name `what`. *cval (may be NULL)
 * gets a constant's value before wrapping. */
int script_expr_text(const struct script_ctx *c, const yaml_node_t *n,
		     const char *what, const char *s, size_t len, uint64_t max,
		     unsigned flags, struct script_expr *out, int64_t *cval);
/* s with $name / ${name} replaced by load-time values ($$ is a '$'). */
int script_interp(const struct script_ctx *c, const yaml_node_t *n,
		  const char *s, const char **out);
/* A scalar's text, interpolated (what names it in "expected ..."). */
int script_ytext(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, const char **out);

/* --- script_yaml.c --- */

yaml_node_t *script_ynode(const struct script_ctx *c, int index);
/* Sets d at n's position (1-based) and returns SCRIPT_ERR_SCHEMA. */
int script_yerr(const struct script_ctx *c, const yaml_node_t *n,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends text to the message already in d (for "included from ..."). */
void script_diag_append(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A plain empty, "~" or "null" scalar: the key was written without a value. */
bool script_ynull(const yaml_node_t *n);
/* "'text'", "a mapping", "a list" or "nothing", for "but found ..." */
const char *script_ydescribe(const yaml_node_t *n, char *buf, size_t cap);
/* A non-null scalar without NUL bytes; else an error naming `what`. */
int script_ystring(const struct script_ctx *c, const yaml_node_t *n,
		   const char *what, const char **out);
/* n must be a mapping whose keys are distinct scalars from allowed (NULL
 * terminated); `where` names the mapping in the error ("case", "send"). */
int script_ykeys(const struct script_ctx *c, const yaml_node_t *n,
		 const char *where, const char *const *allowed);
/* The "unknown NAME 'x' in W; expected one of: ... (did you mean ...)" error. */
int script_yunknown(const struct script_ctx *c, const yaml_node_t *k,
		    const char *what, const char *key, const char *where,
		    const char *const *allowed);
/* Value node of key in mapping n, or NULL. */
yaml_node_t *script_yget(const struct script_ctx *c, const yaml_node_t *n,
			 const char *key);
/* Number of items of a list / pairs of a mapping. */
size_t script_ylen(const yaml_node_t *n);
/* Unsigned decimal or 0x-hex scalar in 0..max (or a load-time expression). */
int script_yuint(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, uint64_t max, uint64_t *out);
/* true / false */
int script_ybool(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, bool *out);

/* Text helpers, also used for option strings. */
bool script_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out);
/* "de ad be ef" or "deadbeef" into out (at most cap bytes). Returns the
 * byte count or -1. */
int script_parse_hex(const char *s, uint8_t *out, size_t cap);

/* --- script_seg.c --- */

/* What a number may be besides an exact value. */
#define SNUM_OK_MATCH  0x1  /* expect: range "lo..hi" / [lo, hi], any */
#define SNUM_OK_ABSENT 0x2  /* options mapping: must not be present */
#define SNUM_OK_SIGNED 0x4  /* relative seq/ack: negative wraps mod 2^32 */
#define SNUM_OK_STATIC 0x8  /* no captured variable (send len) */

/* Text form (any, absent, N, lo..hi, with expressions). Returns 0, 1 when
 * the text is none of the allowed forms (no error set: the caller says
 * what was expected), or an error set at n. */
int script_num_text(const struct script_ctx *c, const yaml_node_t *n,
		    const char *what, const char *s, size_t len, uint64_t max,
		    unsigned ok, struct script_num *out);
/* Node form: the text form or a two-item list [lo, hi]. */
int script_ynum(const struct script_ctx *c, const yaml_node_t *n,
		const char *what, uint64_t max, unsigned ok,
		struct script_num *out);
/* An exact-value script_num */
struct script_num script_num_value(uint32_t v);

/* Parses a send or expect mapping into seg (whose data it allocates). */
int script_parse_seg(const struct script_ctx *c, const yaml_node_t *n,
		     enum script_step_kind kind, struct script_step *st);
/* "300ms", "1.5s", "250us" (rounded up to whole ms), > 0 and <= 1 h. */
int script_parse_duration(const struct script_ctx *c, const yaml_node_t *n,
			  const char *what, uint32_t *ms);
/* Duration text in microseconds (no rounding); false if malformed. */
bool script_duration_text(const char *s, uint64_t *us);
void script_seg_init(struct script_seg *seg);
void script_seg_free(struct script_seg *seg);

/* --- script_opt.c --- */

/* options: list (send: emitted in order; expect: exact order) or, in
 * expect, a mapping (each named option in any order). */
int script_parse_opts(const struct script_ctx *c, const yaml_node_t *n,
		      enum script_step_kind kind, struct script_seg *seg);

/* Flag letters; on error *bad is the offending character's index. */
int script_flags_parse(const char *s, uint8_t *flags, size_t *bad);

#endif
