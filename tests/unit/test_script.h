/* Helpers shared by the loader's tests (test_script*.c): load YAML from a
 * string, fetch a step, compare numbers, and check errors for their exact
 * file:line:column and message. Header-only: each test program includes
 * it once. */
#ifndef TCPSPEC_TEST_SCRIPT_H
#define TCPSPEC_TEST_SCRIPT_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "script.h"
#include "wire.h"

/* Three lines before the first step: steps start on line 4, column 5. */
#define HDR "id: t\ntarget: {port: 80}\nsteps:\n"

static inline const struct script_case *load_ok(struct script_suite *s, const char *yaml)
{
	struct diag d;
	char msg[700];
	int rv = script_load_buffer("t.yaml", yaml, strlen(yaml), s, &d);

	if (rv) {
		diag_format(&d, msg, sizeof(msg));
		fail_msg("unexpected load error %d: %s", rv, msg);
	}
	assert_true(s->n_cases >= 1);
	return &s->cases[s->n_cases - 1];
}

/* One step after HDR; returns it. */
static inline const struct script_step *step_ok(struct script_suite *s, const char *step)
{
	char yaml[1024];
	const struct script_case *k;

	snprintf(yaml, sizeof(yaml), HDR "  - %s\n", step);
	k = load_ok(s, yaml);
	assert_int_equal(k->n_steps, 1);
	return &k->steps[0];
}

/* A constant number (no captured variable). */
static inline void assert_num(const struct script_num *n, enum script_num_kind k,
			      uint32_t lo, uint32_t hi)
{
	assert_int_equal(n->k, k);
	if (k == SNUM_VALUE || k == SNUM_RANGE) {
		assert_int_equal(n->lo.v, lo);
		assert_int_equal(n->hi.v, hi);
		assert_null(n->lo.ref);
		assert_null(n->hi.ref);
	}
}

/* An expression: captured variable `var` (NULL: a constant) plus v. */
static inline void assert_expr(const struct script_expr *e, const char *var, uint32_t v)
{
	assert_int_equal(e->v, v);
	if (!var) {
		assert_null(e->ref);
		return;
	}
	assert_non_null(e->ref);
	assert_string_equal(e->ref->name, var);
}

struct err_case {
	const char *yaml;
	int rv;
	unsigned line, col;
	const char *want[2];     /* substrings of the message */
};

/* Loads each case as t.yaml (includes read with rd when given, else from
 * disk relative to dir/t.yaml when dir is given); file is where the
 * error must be (NULL: t.yaml). */
static inline void check_errors_in(const struct err_case *e, size_t n,
				   script_reader rd, void *arg, const char *file)
{
	for (size_t i = 0; i < n; i++) {
		struct script_suite s = { 0 };
		struct diag d;
		char msg[700];
		int rv = script_load_buffer_with("t.yaml", e[i].yaml, strlen(e[i].yaml),
						 rd, arg, &s, &d);

		diag_format(&d, msg, sizeof(msg));
		if (rv != e[i].rv || d.line != e[i].line || d.col != e[i].col ||
		    strcmp(d.file, file ? file : "t.yaml") ||
		    !strstr(d.msg, e[i].want[0]) ||
		    (e[i].want[1] && !strstr(d.msg, e[i].want[1])))
			fail_msg("case %zu: got rv %d, '%s'; wanted rv %d at %s:%u:%u with '%s' and '%s'",
				 i, rv, msg, e[i].rv, file ? file : "t.yaml", e[i].line, e[i].col,
				 e[i].want[0], e[i].want[1] ? e[i].want[1] : "");
		script_suite_free(&s);
	}
}

static inline void check_errors(const struct err_case *e, size_t n)
{
	check_errors_in(e, n, NULL, NULL, NULL);
}

#define SCHEMA SCRIPT_ERR_SCHEMA
#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* Files for include tests, served from memory: name -> text. */
struct mem_file {
	const char *name;
	const char *text;
};

static inline int mem_reader(void *arg, const char *path, char **buf, size_t *len)
{
	for (const struct mem_file *f = arg; f && f->name; f++)
		if (!strcmp(f->name, path)) {
			*len = strlen(f->text);
			*buf = malloc(*len + 1);
			if (!*buf)
				return -12;
			memcpy(*buf, f->text, *len + 1);
			return 0;
		}
	return -2; /* ENOENT */
}

static inline void write_file(const char *dir, const char *name, const char *text)
{
	char path[1400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static inline void remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#endif
