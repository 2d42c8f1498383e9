/* script: loading YAML test files into a suite — files and directories,
 * documents, files of steps for include: (read once per load, through a
 * reader the caller may replace). Cases: script_case.c; the rest: see
 * script_priv.h. */
#define _GNU_SOURCE /* asprintf */
#include "script_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- reading --- */

/* The whole file into *buf (malloc'ed). 0 or -errno. */
static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0;
	int err = 0;

	*buf = NULL;
	*len = 0;
	if (!f)
		return -errno;
	for (;;) {
		size_t got;

		if (cap - *len < 4096) {
			char *nb = realloc(*buf, cap ? cap * 2 : 8192);

			if (!nb) {
				err = -ENOMEM;
				break;
			}
			*buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(*buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	if (!err && ferror(f))
		err = -EIO;
	fclose(f);
	if (err) {
		free(*buf);
		*buf = NULL;
	}
	return err;
}

static int disk_reader(void *arg, const char *path, char **buf, size_t *len)
{
	(void)arg;
	return read_all(path, buf, len);
}

void script_suite_free(struct script_suite *suite)
{
	if (!suite)
		return;
	for (size_t i = 0; i < suite->n_cases; i++)
		script_case_free(&suite->cases[i]);
	free(suite->cases);
	suite->cases = NULL;
	suite->n_cases = 0;
}

/* --- paths --- */

const char *script_path_join(const struct script_ctx *c, const char *from,
			     const char *rel)
{
	const char *slash = strrchr(from, '/');
	size_t dl = rel[0] == '/' || !slash ? 0 : (size_t)(slash - from) + 1;
	size_t len = dl + strlen(rel), o = 0;
	char *tmp = malloc(len + 1), *out;
	const char *out_c;

	if (!tmp)
		return NULL;
	memcpy(tmp, from, dl);
	strcpy(tmp + dl, rel);
	out = malloc(len + 1);
	if (!out) {
		free(tmp);
		return NULL;
	}
	/* fold "." and "dir/.." so one file has one name (cycles, caches) */
	for (char *p = tmp, *seg; p && *p; p = seg) {
		size_t sl;

		seg = strchr(p, '/');
		sl = seg ? (size_t)(seg - p) : strlen(p);
		if (seg)
			seg++;
		if (sl == 0) {
			if (o == 0 && p == tmp)
				out[o++] = '/';
			continue;
		}
		if (sl == 1 && p[0] == '.')
			continue;
		if (sl == 2 && p[0] == '.' && p[1] == '.') {
			size_t back = o;

			while (back > 0 && out[back - 1] == '/')
				back--;
			while (back > 0 && out[back - 1] != '/')
				back--;
			if (o > 0 && !(o - back == 3 && !memcmp(out + back, "../", 3)) &&
			    !(o == 1 && out[0] == '/')) {
				o = back;
				continue;
			}
		}
		memcpy(out + o, p, sl);
		o += sl;
		if (seg)
			out[o++] = '/';
	}
	while (o > 1 && out[o - 1] == '/')
		o--;
	out_c = script_pstrndup(c->pool, out, o);
	free(tmp);
	free(out);
	return out_c;
}

/* --- documents --- */

static const char *const step_words[] = {
	"send", "expect", "expect_none", "wait", "app", "capture", "include",
	"repeat", "steps_by", "when", NULL
};

bool script_is_fragment(const struct script_ctx *c, const yaml_node_t *root)
{
	const yaml_node_t *first, *key;

	if (!root)
		return false;
	if (root->type == YAML_MAPPING_NODE)
		return !script_yget(c, root, "id") && !script_yget(c, root, "target") &&
		       (script_yget(c, root, "steps") || script_yget(c, root, "params"));
	if (root->type != YAML_SEQUENCE_NODE || !script_ylen(root))
		return false;
	first = script_ynode(c, root->data.sequence.items.start[0]);
	if (first->type != YAML_MAPPING_NODE || !script_ylen(first) ||
	    script_yget(c, first, "id"))
		return false;
	if (script_yget(c, first, "when"))
		return true;
	key = script_ynode(c, first->data.mapping.pairs.start->key);
	for (size_t i = 0; step_words[i]; i++)
		if (key->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)key->data.scalar.value, step_words[i]))
			return true;
	return false;
}

static int load_root(struct script_ctx *c, const yaml_node_t *root, bool explicit_file)
{
	yaml_node_item_t *it;
	char b[64];
	int rv;

	/* a file of steps is checked where a case includes it */
	if (script_is_fragment(c, root))
		return explicit_file ?
		       script_yerr(c, root, "expected a case, but this is a file of steps (for include:); it is checked where a case includes it") :
		       0;
	if (root->type == YAML_MAPPING_NODE)
		return script_parse_case(c, root);
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
		rv = script_parse_case(c, n);
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

/* "${" on the line of a flow-context error: the brace opened a mapping. */
static bool dollar_brace(const char *buf, size_t len, size_t at)
{
	size_t from = at < len ? at : len;

	while (from > 0 && buf[from - 1] != '\n')
		from--;
	for (size_t i = from; i + 1 < len && buf[i] != '\n'; i++)
		if (buf[i] == '$' && buf[i + 1] == '{')
			return true;
	return false;
}

static int syntax_error(const yaml_parser_t *p, const char *name,
			const char *buf, size_t len, struct diag *d)
{
	unsigned line = (unsigned)p->problem_mark.line + 1;
	unsigned col = (unsigned)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "unknown problem";

	if (p->error == YAML_MEMORY_ERROR) {
		diag_set(d, name, 0, 0, "out of memory");
		return SCRIPT_ERR_NOMEM;
	}
	if (p->error == YAML_READER_ERROR) {
		offset_pos(buf, len, p->problem_offset, &line, &col);
		diag_set(d, name, line, col, "YAML syntax error: %s", problem);
	} else if (p->context) {
		diag_set(d, name, line, col, "YAML syntax error: %s (%s at line %u)",
			 problem, p->context, (unsigned)p->context_mark.line + 1);
	} else {
		diag_set(d, name, line, col, "YAML syntax error: %s", problem);
	}
	if (dollar_brace(buf, len, p->problem_mark.index))
		script_diag_append(d, "; inside { } or [ ] write $name+1, or quote: \"${name}+1\"");
	return SCRIPT_ERR_SYNTAX;
}

/* Parses one file of steps per load and keeps it: includes of the same
 * file (matrix points, repeats) share it. */
int script_incl_doc(const struct script_ctx *c, const yaml_node_t *at,
		    const char *path, yaml_document_t **doc)
{
	struct script_load *ld = c->ld;
	struct script_incl *f;
	yaml_parser_t parser;
	yaml_document_t extra;
	char *buf;
	size_t len;
	int rv;

	for (size_t i = 0; i < ld->n_files; i++)
		if (!strcmp(ld->files[i]->path, path)) {
			*doc = &ld->files[i]->doc;
			return 0;
		}
	rv = ld->rd(ld->arg, path, &buf, &len);
	if (rv)
		return script_yerr(c, at, "cannot read included file %s: %s; expected a file of steps",
				   path, strerror(-rv));
	if (ld->n_files == ld->cap_files) {
		size_t nc = ld->cap_files ? ld->cap_files * 2 : 4;
		struct script_incl **nf = realloc(ld->files, nc * sizeof(*nf));

		if (!nf) {
			free(buf);
			return script_nomem(c);
		}
		ld->files = nf;
		ld->cap_files = nc;
	}
	f = calloc(1, sizeof(*f));
	if (f)
		f->path = strdup(path);
	if (!f || !f->path || !yaml_parser_initialize(&parser)) {
		if (f)
			free(f->path);
		free(f);
		free(buf);
		return script_nomem(c);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &f->doc)) {
		rv = syntax_error(&parser, path, buf, len, c->d);
	} else if (!yaml_document_get_root_node(&f->doc)) {
		yaml_document_delete(&f->doc);
		diag_set(c->d, path, 1, 1, "expected a file of steps but the file is empty");
		rv = SCRIPT_ERR_SCHEMA;
	} else if (!yaml_parser_load(&parser, &extra)) {
		yaml_document_delete(&f->doc);
		rv = syntax_error(&parser, path, buf, len, c->d);
	} else {
		yaml_node_t *more = yaml_document_get_root_node(&extra);

		if (more) {
			diag_set(c->d, path, (unsigned)more->start_mark.line + 1,
				 (unsigned)more->start_mark.column + 1,
				 "expected one document in a file of steps but found another");
			yaml_document_delete(&f->doc);
			rv = SCRIPT_ERR_SCHEMA;
		}
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	free(buf);
	if (rv) {
		free(f->path);
		free(f);
		return rv;
	}
	ld->files[ld->n_files++] = f;
	*doc = &f->doc;
	return 0;
}

static int load_buffer(const char *name, const char *buf, size_t len,
		       script_reader rd, void *arg, bool explicit_file,
		       struct script_suite *suite, struct diag *d)
{
	struct script_load ld = { .rd = rd ? rd : disk_reader, .arg = arg, .suite = suite };
	struct script_pool *pool = NULL;
	struct script_ctx c = { .file = name, .d = d, .ld = &ld, .pool = &pool };
	yaml_parser_t parser;
	yaml_document_t doc;
	unsigned docs = 0;
	int rv = 0;

	if (!name || !buf || !suite || !d)
		return SCRIPT_ERR_IO;
	diag_clear(d);
	if (!yaml_parser_initialize(&parser)) {
		diag_set(d, name, 0, 0, "out of memory");
		return SCRIPT_ERR_NOMEM;
	}
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
		rv = load_root(&c, root, explicit_file);
		yaml_document_delete(&doc);
		docs++;
		if (rv)
			break;
	}
	yaml_parser_delete(&parser);
	for (size_t i = 0; i < ld.n_files; i++) {
		yaml_document_delete(&ld.files[i]->doc);
		free(ld.files[i]->path);
		free(ld.files[i]);
	}
	free(ld.files);
	script_pool_free(pool);
	if (!rv && !docs) {
		diag_set(d, name, 1, 1, "expected a case (a mapping with id, target and steps) but the file is empty");
		rv = SCRIPT_ERR_SCHEMA;
	}
	return rv;
}

int script_load_buffer(const char *name, const char *buf, size_t len,
		       struct script_suite *suite, struct diag *d)
{
	return load_buffer(name, buf, len, NULL, NULL, false, suite, d);
}

int script_load_buffer_with(const char *name, const char *buf, size_t len,
			    script_reader rd, void *arg,
			    struct script_suite *suite, struct diag *d)
{
	return load_buffer(name, buf, len, rd, arg, false, suite, d);
}

static int load_file(const char *path, bool explicit_file,
		     struct script_suite *suite, struct diag *d)
{
	char *buf;
	size_t len;
	int rv = read_all(path, &buf, &len);

	if (rv == -ENOMEM) {
		diag_set(d, path, 0, 0, "out of memory");
		return SCRIPT_ERR_NOMEM;
	}
	if (rv) {
		diag_set(d, path, 0, 0, "cannot %s: %s", rv == -EIO ? "read" : "open",
			 strerror(-rv));
		return SCRIPT_ERR_IO;
	}
	rv = load_buffer(path, buf, len, NULL, NULL, explicit_file, suite, d);
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
			diag_set(d, dir, 0, 0, "out of memory");
			rv = SCRIPT_ERR_NOMEM;
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
				diag_set(d, dir, 0, 0, "out of memory");
				rv = SCRIPT_ERR_NOMEM;
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
		return load_file(path, true, suite, d);
	rv = collect(path, &ps, d);
	if (!rv && !ps.n) {
		diag_set(d, path, 0, 0, "expected *.yaml or *.yml case files below this directory but found none");
		rv = SCRIPT_ERR_IO;
	}
	if (!rv)
		qsort(ps.v, ps.n, sizeof(*ps.v), cmp_path);
	for (size_t i = 0; !rv && i < ps.n; i++)
		rv = load_file(ps.v[i], false, suite, d);
	for (size_t i = 0; i < ps.n; i++)
		free(ps.v[i]);
	free(ps.v);
	return rv;
}
