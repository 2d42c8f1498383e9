/* script_priv: what the loader's files share (script.c: files, cases,
 * steps; script_seg.c: segments, options, numbers, durations;
 * script_yaml.c: libyaml node access with positioned errors). Not part of
 * the module's interface. */
#ifndef TCPSPEC_SCRIPT_PRIV_H
#define TCPSPEC_SCRIPT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "script.h"

/* What is being parsed: the document, its file name for diagnostics, and
 * the case settings later keys depend on. */
struct script_ctx {
	yaml_document_t *doc;
	const char *file;
	struct diag *d;
	uint8_t ip_version;      /* of the case being parsed */
};

/* --- script_yaml.c --- */

yaml_node_t *script_ynode(const struct script_ctx *c, int index);
/* Sets d at n's position (1-based) and returns SCRIPT_ERR_SCHEMA. */
int script_yerr(const struct script_ctx *c, const yaml_node_t *n,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
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
/* Value node of key in mapping n, or NULL. */
yaml_node_t *script_yget(const struct script_ctx *c, const yaml_node_t *n,
			 const char *key);
/* Unsigned decimal or 0x-hex scalar in 0..max. */
int script_yuint(const struct script_ctx *c, const yaml_node_t *n,
		 const char *what, uint64_t max, uint64_t *out);

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

/* Text form (any, absent, N, lo..hi); false if it is none of the allowed. */
bool script_num_text(const char *s, size_t len, uint64_t max, unsigned ok,
		     struct script_num *out);
/* Node form: the text form or a two-item list [lo, hi]. */
int script_ynum(const struct script_ctx *c, const yaml_node_t *n,
		const char *what, uint64_t max, unsigned ok,
		struct script_num *out);

/* Parses a send or expect mapping into seg (whose data it allocates). */
int script_parse_seg(const struct script_ctx *c, const yaml_node_t *n,
		     enum script_step_kind kind, struct script_step *st);
/* "300ms", "1.5s", "250us" (rounded up to whole ms), > 0 and <= 1 h. */
int script_parse_duration(const struct script_ctx *c, const yaml_node_t *n,
			  const char *what, uint32_t *ms);
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
