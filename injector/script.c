/* script: loading YAML test files into a suite — files and directories,
 * documents, cases and steps. Segments: script_seg.c; options:
 * script_opt.c; libyaml node helpers: script_yaml.c. */
#define _GNU_SOURCE /* asprintf */
#include "script_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const case_keys[] = {
	"id", "title", "rfc", "level", "target", "isn", "steps", NULL
};
static const char *const target_keys[] = { "role", "port", "ip", NULL };
static const char *const none_keys[] = { "for", NULL };

static int nomem(struct diag *d, const char *file)
{
	diag_set(d, file, 0, 0, "out of memory");
	return SCRIPT_ERR_NOMEM;
}

static void case_free(struct script_case *k)
{
	free(k->id);
	free(k->title);
	free(k->file);
	for (size_t i = 0; i < k->n_rfc; i++)
		free(k->rfc[i]);
	free(k->rfc);
	for (size_t i = 0; i < k->n_steps; i++)
		script_seg_free(&k->steps[i].seg);
	free(k->steps);
	memset(k, 0, sizeof(*k));
}

void script_suite_free(struct script_suite *suite)
{
	if (!suite)
		return;
	for (size_t i = 0; i < suite->n_cases; i++)
		case_free(&suite->cases[i]);
	free(suite->cases);
	suite->cases = NULL;
	suite->n_cases = 0;
}

static int string_dup(const struct script_ctx *c, const yaml_node_t *n,
		      const char *what, char **out)
{
	const char *s;
	int rv = script_ystring(c, n, what, &s);

	if (rv)
		return rv;
	*out = strdup(s);
	return *out ? 0 : nomem(c->d, c->file);
}

static int parse_rfc(const struct script_ctx *c, const yaml_node_t *n,
		     struct script_case *k)
{
	const char *what = "an RFC reference like \"RFC9293 3.5\"";
	yaml_node_item_t *it;
	size_t cnt = 1;
	int rv;

	if (n->type == YAML_SEQUENCE_NODE)
		cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	k->rfc = calloc(cnt ? cnt : 1, sizeof(*k->rfc));
	if (!k->rfc)
		return nomem(c->d, c->file);
	if (n->type != YAML_SEQUENCE_NODE) {
		rv = string_dup(c, n, what, &k->rfc[0]);
		k->n_rfc = !rv;
		return rv;
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		rv = string_dup(c, script_ynode(c, *it), what, &k->rfc[k->n_rfc]);
		if (rv)
			return rv;
		k->n_rfc++;
	}
	return 0;
}

static int parse_level(const struct script_ctx *c, const yaml_node_t *n,
		       struct script_case *k)
{
	const char *s;
	int rv = script_ystring(c, n, "a level (MUST, SHOULD or MAY)", &s);

	if (rv)
		return rv;
	if (!strcmp(s, "MUST"))
		k->level = SCRIPT_LEVEL_MUST;
	else if (!strcmp(s, "SHOULD"))
		k->level = SCRIPT_LEVEL_SHOULD;
	else if (!strcmp(s, "MAY"))
		k->level = SCRIPT_LEVEL_MAY;
	else
		return script_yerr(c, n, "expected a level (MUST, SHOULD or MAY) but found '%s'", s);
	return 0;
}

static int parse_target(struct script_ctx *c, const yaml_node_t *n,
			struct script_case *k)
{
	const yaml_node_t *v;
	const char *s;
	uint64_t u;
	int rv;

	rv = script_ykeys(c, n, "target", target_keys);
	if (rv)
		return rv;
	k->role_server = true;
	k->ip_version = 4;
	v = script_yget(c, n, "role");
	if (v) {
		rv = script_ystring(c, v, "role server or closed", &s);
		if (rv)
			return rv;
		/* closed: nothing listens on the port (RST expected) */
		if (strcmp(s, "server") && strcmp(s, "closed"))
			return script_yerr(c, v, "expected role server or closed but found '%s'", s);
		k->role_server = !strcmp(s, "server");
	}
	v = script_yget(c, n, "port");
	if (!v)
		return script_yerr(c, n, "expected port in target (e.g. target: {port: 8080})");
	if (v->type != YAML_SCALAR_NODE || script_ynull(v) ||
	    !script_parse_uint((const char *)v->data.scalar.value,
			       v->data.scalar.length, 65535, &u) || u == 0) {
		char b[64];

		return script_yerr(c, v, "expected a number 1..65535 for port but found %s",
				   script_ydescribe(v, b, sizeof(b)));
	}
	k->port = (uint16_t)u;
	v = script_yget(c, n, "ip");
	if (v) {
		char b[64];

		if (v->type != YAML_SCALAR_NODE ||
		    (strcmp((const char *)v->data.scalar.value, "4") &&
		     strcmp((const char *)v->data.scalar.value, "6")))
			return script_yerr(c, v, "expected 4 or 6 for ip but found %s",
					   script_ydescribe(v, b, sizeof(b)));
		k->ip_version = v->data.scalar.value[0] == '6' ? 6 : 4;
	}
	c->ip_version = k->ip_version;
	return 0;
}

static int parse_step(const struct script_ctx *c, const yaml_node_t *n,
		      struct script_step *st)
{
	static const char *const kinds[] = { "send", "expect", "expect_none", NULL };
	const yaml_node_t *k, *v;
	const char *key;
	char b[64];
	int rv;

	st->line = (unsigned)n->start_mark.line + 1;
	st->col = (unsigned)n->start_mark.column + 1;
	if (n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1) {
		if (n->type == YAML_MAPPING_NODE)
			return script_yerr(c, n, "expected one step per list item (send, expect or expect_none) but found %d keys; start each step with '-'",
					   (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start));
		return script_yerr(c, n, "expected a step (send: ..., expect: ... or expect_none: ...) but found %s",
				   script_ydescribe(n, b, sizeof(b)));
	}
	rv = script_ykeys(c, n, "step", kinds);
	if (rv)
		return rv;
	k = script_ynode(c, n->data.mapping.pairs.start->key);
	v = script_ynode(c, n->data.mapping.pairs.start->value);
	key = (const char *)k->data.scalar.value;
	if (!strcmp(key, "send") || !strcmp(key, "expect")) {
		st->kind = key[0] == 's' ? SCRIPT_SEND : SCRIPT_EXPECT;
		return script_parse_seg(c, v, st->kind, st);
	}
	st->kind = SCRIPT_EXPECT_NONE;
	script_seg_init(&st->seg);
	rv = script_ykeys(c, v, "expect_none", none_keys);
	if (rv)
		return rv;
	if (!script_yget(c, v, "for"))
		return script_yerr(c, v, "expected for in expect_none (e.g. expect_none: {for: 300ms})");
	return script_parse_duration(c, script_yget(c, v, "for"), "for", &st->for_ms);
}

static int parse_steps(const struct script_ctx *c, const yaml_node_t *n,
		       struct script_case *k)
{
	yaml_node_item_t *it;
	size_t cnt;
	char b[64];
	int rv;

	if (n->type != YAML_SEQUENCE_NODE)
		return script_yerr(c, n, "expected a list of steps but found %s",
				   script_ydescribe(n, b, sizeof(b)));
	cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (!cnt)
		return script_yerr(c, n, "expected at least one step in steps");
	k->steps = calloc(cnt, sizeof(*k->steps));
	if (!k->steps)
		return nomem(c->d, c->file);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		/* counted first so case_free releases a half-parsed step */
		struct script_step *st = &k->steps[k->n_steps++];

		rv = parse_step(c, script_ynode(c, *it), st);
		if (rv)
			return rv;
	}
	return 0;
}

static int check_unique(const struct script_ctx *c, const yaml_node_t *n,
			const struct script_suite *suite, const char *id)
{
	for (size_t i = 0; i < suite->n_cases; i++) {
		const struct script_case *o = &suite->cases[i];

		if (!strcmp(o->id, id))
			return script_yerr(c, n, "duplicate id '%s', first used by the case at %s:%u; expected a unique id",
					   id, o->file, o->line);
	}
	return 0;
}

static int parse_case(struct script_ctx *c, const yaml_node_t *n,
		      const struct script_suite *suite, struct script_case *k)
{
	const yaml_node_t *v;
	uint64_t u;
	int rv;

	rv = script_ykeys(c, n, "case", case_keys);
	if (rv)
		return rv;
	k->line = (unsigned)n->start_mark.line + 1;
	k->file = strdup(c->file);
	if (!k->file)
		return nomem(c->d, c->file);

	v = script_yget(c, n, "id");
	if (!v)
		return script_yerr(c, n, "expected id in case (a unique name like handshake/passive-open)");
	if ((rv = string_dup(c, v, "a string for id", &k->id)) ||
	    (rv = check_unique(c, v, suite, k->id)))
		return rv;

	v = script_yget(c, n, "target");
	if (!v)
		return script_yerr(c, n, "expected target in case (e.g. target: {port: 8080})");
	if ((rv = parse_target(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "title")) &&
	    (rv = string_dup(c, v, "a string for title", &k->title)))
		return rv;
	if ((v = script_yget(c, n, "rfc")) && (rv = parse_rfc(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "level")) && (rv = parse_level(c, v, k)))
		return rv;
	if ((v = script_yget(c, n, "isn"))) {
		if ((rv = script_yuint(c, v, "isn", UINT32_MAX, &u)))
			return rv;
		k->isn_set = true;
		k->isn = (uint32_t)u;
	}
	v = script_yget(c, n, "steps");
	if (!v)
		return script_yerr(c, n, "expected steps in case (a list of send, expect and expect_none)");
	return parse_steps(c, v, k);
}

static int add_case(struct script_ctx *c, const yaml_node_t *n,
		    struct script_suite *suite)
{
	struct script_case k = { 0 }, *grown;
	int rv = parse_case(c, n, suite, &k);

	if (rv) {
		case_free(&k);
		return rv;
	}
	grown = realloc(suite->cases, (suite->n_cases + 1) * sizeof(*grown));
	if (!grown) {
		case_free(&k);
		return nomem(c->d, c->file);
	}
	suite->cases = grown;
	suite->cases[suite->n_cases++] = k;
	return 0;
}

static int load_root(struct script_ctx *c, const yaml_node_t *root,
		     struct script_suite *suite)
{
	yaml_node_item_t *it;
	char b[64];
	int rv;

	if (root->type == YAML_MAPPING_NODE)
		return add_case(c, root, suite);
	if (root->type != YAML_SEQUENCE_NODE)
		return script_yerr(c, root, "expected a case (a mapping with id, target and steps) or a list of cases but found %s",
				   script_ydescribe(root, b, sizeof(b)));
	if (root->data.sequence.items.top == root->data.sequence.items.start)
		return script_yerr(c, root, "expected at least one case in the list");
	for (it = root->data.sequence.items.start; it < root->data.sequence.items.top; it++) {
		const yaml_node_t *n = script_ynode(c, *it);

		if (n->type != YAML_MAPPING_NODE)
			return script_yerr(c, n, "expected a case (a mapping with id, target and steps) but found %s",
					   script_ydescribe(n, b, sizeof(b)));
		rv = add_case(c, n, suite);
		if (rv)
			return rv;
	}
	return 0;
}

/* Reader errors carry a byte offset, not a mark. */
static void offset_pos(const char *buf, size_t len, size_t off,
		       unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int syntax_error(const yaml_parser_t *p, const char *name,
			const char *buf, size_t len, struct diag *d)
{
	unsigned line = (unsigned)p->problem_mark.line + 1;
	unsigned col = (unsigned)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "unknown problem";

	if (p->error == YAML_MEMORY_ERROR)
		return nomem(d, name);
	if (p->error == YAML_READER_ERROR) {
		offset_pos(buf, len, p->problem_offset, &line, &col);
		diag_set(d, name, line, col, "YAML syntax error: %s", problem);
	} else if (p->context) {
		diag_set(d, name, line, col, "YAML syntax error: %s (%s at line %u)",
			 problem, p->context, (unsigned)p->context_mark.line + 1);
	} else {
		diag_set(d, name, line, col, "YAML syntax error: %s", problem);
	}
	return SCRIPT_ERR_SYNTAX;
}

int script_load_buffer(const char *name, const char *buf, size_t len,
		       struct script_suite *suite, struct diag *d)
{
	struct script_ctx c = { .file = name, .d = d };
	yaml_parser_t parser;
	yaml_document_t doc;
	unsigned docs = 0;
	int rv = 0;

	if (!name || !buf || !suite || !d)
		return SCRIPT_ERR_IO;
	diag_clear(d);
	if (!yaml_parser_initialize(&parser))
		return nomem(d, name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	/* one file may hold several documents, each a case or a list */
	for (;;) {
		yaml_node_t *root;

		if (!yaml_parser_load(&parser, &doc)) {
			rv = syntax_error(&parser, name, buf, len, d);
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		c.doc = &doc;
		c.ip_version = 4;
		rv = load_root(&c, root, suite);
		yaml_document_delete(&doc);
		docs++;
		if (rv)
			break;
	}
	yaml_parser_delete(&parser);
	if (!rv && !docs) {
		diag_set(d, name, 1, 1, "expected a case (a mapping with id, target and steps) but the file is empty");
		rv = SCRIPT_ERR_SCHEMA;
	}
	return rv;
}

static int load_file(const char *path, struct script_suite *suite,
		     struct diag *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rv;

	if (!f) {
		diag_set(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return SCRIPT_ERR_IO;
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return nomem(d, path);
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_set(d, path, 0, 0, "cannot read: %s", strerror(errno));
		free(buf);
		fclose(f);
		return SCRIPT_ERR_IO;
	}
	fclose(f);
	rv = script_load_buffer(path, buf, len, suite, d);
	free(buf);
	return rv;
}

struct paths {
	char **v;
	size_t n, cap;
};

static bool yaml_name(const char *name)
{
	size_t l = strlen(name);

	return (l > 5 && !strcmp(name + l - 5, ".yaml")) ||
	       (l > 4 && !strcmp(name + l - 4, ".yml"));
}

/* Hidden entries are skipped; symlinked directories are not followed
 * (no loops), symlinked files are read. */
static int collect(const char *dir, struct paths *ps, struct diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int rv = 0;

	if (!dp) {
		diag_set(d, dir, 0, 0, "cannot open directory: %s", strerror(errno));
		return SCRIPT_ERR_IO;
	}
	while (!rv && (e = readdir(dp))) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			rv = nomem(d, dir);
			break;
		}
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			rv = collect(p, ps, d);
			free(p);
			continue;
		}
		if (!yaml_name(e->d_name) || stat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (ps->n == ps->cap) {
			size_t nc = ps->cap ? ps->cap * 2 : 16;
			char **nv = realloc(ps->v, nc * sizeof(*nv));

			if (!nv) {
				free(p);
				rv = nomem(d, dir);
				break;
			}
			ps->v = nv;
			ps->cap = nc;
		}
		ps->v[ps->n++] = p;
	}
	closedir(dp);
	return rv;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int script_load(const char *path, struct script_suite *suite, struct diag *d)
{
	struct paths ps = { 0 };
	struct stat st;
	int rv;

	if (!path || !suite || !d)
		return SCRIPT_ERR_IO;
	diag_clear(d);
	if (stat(path, &st)) {
		diag_set(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return SCRIPT_ERR_IO;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(path, suite, d);
	rv = collect(path, &ps, d);
	if (!rv && !ps.n) {
		diag_set(d, path, 0, 0, "expected *.yaml or *.yml case files below this directory but found none");
		rv = SCRIPT_ERR_IO;
	}
	if (!rv)
		qsort(ps.v, ps.n, sizeof(*ps.v), cmp_path);
	for (size_t i = 0; !rv && i < ps.n; i++)
		rv = load_file(ps.v[i], suite, d);
	for (size_t i = 0; i < ps.n; i++)
		free(ps.v[i]);
	free(ps.v);
	return rv;
}
