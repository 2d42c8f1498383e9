/* tcpspec report: work on saved reports (docs/report-model.md).
 *   merge RUN.json... --html OUT [--json OUT]   the matrix case x target
 *   render REPORT.json [--html OUT] [--junit OUT]  a saved report's pages */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report.h"
#include "report_html.h"
#include "report_junit.h"
#include "report_merge.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec report merge RUN.json... [--html OUT] [--json OUT]\n"
		"       tcpspec report render REPORT.json [--html OUT] [--junit OUT]\n\n"
		"merge: the matrix of several run reports (tcpspec run --json), one per\n"
		"target: a row per case id, a column per target (a repeated target name\n"
		"gets a suffix), each cell the verdict there or \"absent\". A cell links to\n"
		"the case in that run's HTML page when the page is found (the path the run\n"
		"wrote it to, or the same file name beside RUN.json).\n"
		"render: writes the HTML page or (run reports) the JUnit XML of a saved\n"
		"report.\n\n"
		"  --html OUT   the HTML page\n"
		"  --json OUT   merge: the matrix report (tcpspec-report/1, kind matrix)\n"
		"  --junit OUT  render: JUnit XML of a run report\n"
		"OUT may be - (standard output).\n\n"
		"Exit status: 0 written, 2 a usage, input or write error.\n");
}

static json_t *load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);

	if (!j) {
		if (e.line > 0)
			fprintf(stderr, "tcpspec report: %s:%d:%d: %s\n", path, e.line, e.column, e.text);
		else
			fprintf(stderr, "tcpspec report: %s: %s\n", path, e.text);
	}
	return j;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The absolute, resolved directory that will hold out. */
static char *out_dir(const char *out)
{
	char *copy = strdup(out), *dir;

	if (!copy)
		return NULL;
	dir = realpath(dirname(copy), NULL);
	free(copy);
	return dir;
}

/* Relative path from directory base to file target (both absolute and
 * resolved): "../" for each of base's components past the common ones,
 * then the rest of target. */
static char *relative(const char *base, const char *target)
{
	size_t common = 0, ups = 0, i, cap;
	char *out;

	/* common: where the shared leading components end in target */
	for (i = 0;; i++) {
		bool b_end = base[i] == '\0' || base[i] == '/';
		bool t_end = target[i] == '/';

		if (b_end && t_end)
			common = i;
		if (base[i] == '\0' || base[i] != target[i])
			break;
	}
	for (i = common; base[i]; i++)
		ups += base[i] == '/' && base[i + 1] != '\0' && base[i + 1] != '/';
	cap = ups * 3 + strlen(target + common) + 1;
	if (!(out = malloc(cap)))
		return NULL;
	out[0] = '\0';
	for (i = 0; i < ups; i++)
		strcat(out, "../");
	strcat(out, target + common + 1);
	return out;
}

/* The run's HTML page as a URL relative to the matrix page, or NULL. */
static char *page_link(const json_t *doc, const char *run_path, const char *base_dir)
{
	const char *html = json_string_value(json_object_get(json_object_get(doc, "outputs"), "html"));
	char *cand = NULL, *abs = NULL, *rel = NULL, *link = NULL, *copy, *copy2;
	size_t cap;

	if (!html || !html[0] || !base_dir || !strcmp(html, "-"))
		return NULL;
	if (is_file(html)) {
		cand = strdup(html);
	} else if ((copy = strdup(run_path)) && (copy2 = strdup(html))) {
		/* reports are often moved together: the page beside the JSON */
		cap = strlen(run_path) + strlen(html) + 2;
		if ((cand = malloc(cap)))
			snprintf(cand, cap, "%s/%s", dirname(copy), basename(copy2));
		free(copy2);
		if (cand && !is_file(cand)) {
			free(cand);
			cand = NULL;
		}
		free(copy);
	}
	if (cand && (abs = realpath(cand, NULL)) && (rel = relative(base_dir, abs))) {
		cap = strlen(rel) * 3 + 1;
		if ((link = malloc(cap)))
			report_url_escape(rel, link, cap);
	}
	free(cand);
	free(abs);
	free(rel);
	return link;
}

static int merge(int argc, char **argv, const char *html_out, const char *json_out)
{
	int n = argc, status = CLI_OK;
	struct report_merge_input *in = calloc((size_t)n + 1, sizeof(*in));
	char *base = NULL, err[1024];
	json_t *matrix = NULL, *outputs;

	if (!in) {
		fprintf(stderr, "tcpspec report: out of memory\n");
		return CLI_ERROR;
	}
	base = out_dir(html_out ? html_out : json_out);
	if (!base) {
		fprintf(stderr, "tcpspec report: %s: its directory does not exist\n",
			html_out ? html_out : json_out);
		status = CLI_ERROR;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		in[i].path = argv[i];
		if (!(in[i].doc = load(argv[i]))) {
			status = CLI_ERROR;
			goto out;
		}
		in[i].link = page_link(in[i].doc, argv[i], base);
	}
	if (report_merge(in, (size_t)n, &matrix, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec report: %s\n", err);
		status = CLI_ERROR;
		goto out;
	}
	outputs = json_object_get(matrix, "outputs");
	json_object_set_new(outputs, "json", json_out ? report_str(json_out) : json_null());
	json_object_set_new(outputs, "html", html_out ? report_str(html_out) : json_null());
	if (json_out && report_write_json(matrix, json_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec report: --json: %s\n", err);
		status = CLI_ERROR;
	}
	if (html_out && report_html_write(matrix, html_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec report: --html: %s\n", err);
		status = CLI_ERROR;
	}
out:
	for (int i = 0; i < n; i++) {
		json_decref((json_t *)in[i].doc);
		free((char *)in[i].link);
	}
	json_decref(matrix);
	free(in);
	free(base);
	return status;
}

static int render(const char *path, const char *html_out, const char *junit_out)
{
	json_t *doc = load(path);
	char err[1024];
	int status = CLI_OK;

	if (!doc)
		return CLI_ERROR;
	if (strcmp(json_string_value(json_object_get(doc, "schema")) ?
		   json_string_value(json_object_get(doc, "schema")) : "", REPORT_SCHEMA)) {
		fprintf(stderr, "tcpspec report: %s: not a tcpspec report (expected \"schema\": "
			"\"%s\")\n", path, REPORT_SCHEMA);
		json_decref(doc);
		return CLI_ERROR;
	}
	if (junit_out && report_junit_write(doc, junit_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec report: --junit: %s\n", err);
		status = CLI_ERROR;
	}
	if (html_out && report_html_write(doc, html_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec report: --html: %s\n", err);
		status = CLI_ERROR;
	}
	json_decref(doc);
	return status;
}

int cmd_report(int argc, char **argv)
{
	enum { OPT_HTML = 256, OPT_JSON, OPT_JUNIT };
	static const struct option opts[] = {
		{"html", required_argument, NULL, OPT_HTML},
		{"json", required_argument, NULL, OPT_JSON},
		{"junit", required_argument, NULL, OPT_JUNIT},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *html = NULL, *json = NULL, *junit = NULL, *sub;
	int c;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			usage(stdout);
			return CLI_OK;
		}
		fprintf(stderr, "tcpspec report: expected a subcommand: merge or render "
			"(try 'tcpspec report --help')\n");
		return CLI_ERROR;
	}
	sub = argv[1];
	if (strcmp(sub, "merge") && strcmp(sub, "render")) {
		fprintf(stderr, "tcpspec report: unknown subcommand '%s' (expected merge or "
			"render)\n", sub);
		return CLI_ERROR;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_HTML:
			html = optarg;
			break;
		case OPT_JSON:
			json = optarg;
			break;
		case OPT_JUNIT:
			junit = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_bad_option("report", argv);
		}
	}
	if (!strcmp(sub, "merge")) {
		if (junit) {
			fprintf(stderr, "tcpspec report merge: --junit is for render (expected "
				"--html and/or --json)\n");
			return CLI_ERROR;
		}
		if (!html && !json) {
			fprintf(stderr, "tcpspec report merge: no output (expected --html OUT "
				"and/or --json OUT)\n");
			return CLI_ERROR;
		}
		if (optind >= argc) {
			fprintf(stderr, "tcpspec report merge: no run report given (expected "
				"RUN.json...)\n");
			return CLI_ERROR;
		}
		return merge(argc - optind, argv + optind, html, json);
	}
	if (json) {
		fprintf(stderr, "tcpspec report render: --json is for merge (expected --html "
			"and/or --junit)\n");
		return CLI_ERROR;
	}
	if (!html && !junit) {
		fprintf(stderr, "tcpspec report render: no output (expected --html OUT and/or "
			"--junit OUT)\n");
		return CLI_ERROR;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "tcpspec report render: expected exactly one REPORT.json\n");
		return CLI_ERROR;
	}
	return render(argv[optind], html, junit);
}
