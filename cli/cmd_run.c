/* tcpspec run: play YAML cases against a target stack and judge them. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "embedded_suite.h"
#include "netdev.h"
#include "report.h"
#include "report_html.h"
#include "report_junit.h"
#include "run_report.h"
#include "runner.h"
#include "script.h"
#include "target_linux.h"

struct run_opts {
	const char *target;
	const char *json_out, *html_out, *junit_out;
	const char *pcap_dir;
	bool quiet;
	bool embedded;          /* no PATH: the bundled suite */
	int argc;
	char **argv;            /* the PATHs, from optind */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec run [--target linux] [--json OUT] [--html OUT] [--junit OUT]\n"
		"                   [--pcap-dir DIR] [--quiet] [PATH...]\n\n"
		"Plays YAML cases (files, or directories searched for *.yaml) against a\n"
		"target TCP stack and judges every step. Without PATH, runs the bundled\n"
		"suite compiled into tcpspec.\n\n"
		"  --target linux   the Linux kernel in a network namespace that tcpspec\n"
		"                   creates and removes itself (needs root; the default)\n"
		"  --json OUT       write the report (tcpspec-report/1, docs/report-model.md):\n"
		"                   every case with its steps, packets and the findings on\n"
		"                   the target's segments\n"
		"  --html OUT       the same report as one self-contained HTML page\n"
		"  --junit OUT      JUnit XML: a testsuite per area, a testcase per case\n"
		"  --pcap-dir DIR   save each case's capture as DIR/<case id>.pcap\n"
		"                   (without it, reports read them from a temporary\n"
		"                   directory that is removed at the end)\n"
		"  --quiet          print failures and the summary only\n\n"
		"A case that expects to fail on the target (expect_fail) is XFAIL when it\n"
		"fails and XPASS when it passes.\n\n"
		"Exit status: 0 every case passed (or failed as expected), 1 a case failed\n"
		"or passed against its expect_fail, 2 usage, setup or report error.\n");
}

static int load_suite(int argc, char **argv, struct script_suite *suite)
{
	char msg[DIAG_MSG_MAX + 300];
	struct diag d;
	int rc = 0;

	diag_clear(&d);
	if (optind >= argc) {
		for (size_t i = 0; i < embedded_suite_count && rc == 0; i++)
			rc = script_load_buffer(embedded_suite[i].name, embedded_suite[i].text,
						embedded_suite[i].len, suite, &d);
	}
	for (int i = optind; i < argc && rc == 0; i++)
		rc = script_load(argv[i], suite, &d);
	if (rc < 0) {
		diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "tcpspec run: %s\n", msg);
		return -1;
	}
	if (!suite->n_cases) {
		fprintf(stderr, "tcpspec run: no case to run\n");
		return -1;
	}
	return 0;
}

/* Every port a `role: server` case targets gets a listener; a `closed`
 * port must not be one of them. */
static int listen_ports(const struct script_suite *s, uint16_t *ports, unsigned *n)
{
	*n = 0;
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct script_case *c = &s->cases[i];
		bool have = false;

		if (!c->role_server)
			continue;
		for (unsigned k = 0; k < *n; k++)
			have |= ports[k] == c->port;
		if (have)
			continue;
		if (*n == TARGET_LINUX_MAX_PORTS) {
			fprintf(stderr, "tcpspec run: more than %d distinct server ports\n",
				TARGET_LINUX_MAX_PORTS);
			return -1;
		}
		ports[(*n)++] = c->port;
	}
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct script_case *c = &s->cases[i];

		if (c->role_server)
			continue;
		for (unsigned k = 0; k < *n; k++)
			if (ports[k] == c->port) {
				fprintf(stderr, "%s:%u: case '%s' needs port %u closed, but "
					"another case listens on it\n", c->file, c->line, c->id,
					c->port);
				return -1;
			}
	}
	return 0;
}

/* Fails early, before a long run, when an output cannot be written. */
static int check_output(const char *opt, const char *path)
{
	char *copy = strdup(path);
	const char *dir = copy ? dirname(copy) : ".";
	struct stat st;
	int ok;

	errno = 0;
	ok = access(dir, W_OK | X_OK) == 0 && !(stat(path, &st) == 0 && S_ISDIR(st.st_mode));

	if (!ok)
		fprintf(stderr, "tcpspec run: %s %s: cannot write there (%s)\n", opt, path,
			errno ? strerror(errno) : "a directory");
	free(copy);
	return ok ? 0 : -1;
}

static bool want_report(const struct run_opts *o)
{
	return o->json_out || o->html_out || o->junit_out;
}

/* The report's files; a failure is reported and makes the run exit 2. */
static int write_reports(struct report *rep, const struct run_opts *o)
{
	json_t *out = json_object_get(rep->doc, "outputs");
	char err[600];
	int rc = 0;

	json_object_set_new(out, "json", o->json_out ? report_str(o->json_out) : json_null());
	json_object_set_new(out, "html", o->html_out ? report_str(o->html_out) : json_null());
	json_object_set_new(out, "junit", o->junit_out ? report_str(o->junit_out) : json_null());
	if (o->json_out && report_write_json(rep->doc, o->json_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec run: --json: %s\n", err);
		rc = -1;
	}
	if (o->junit_out && report_junit_write(rep->doc, o->junit_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec run: --junit: %s\n", err);
		rc = -1;
	}
	if (o->html_out && report_html_write(rep->doc, o->html_out, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec run: --html: %s\n", err);
		rc = -1;
	}
	return rc;
}

static int start_report(struct report *rep, const struct run_opts *o)
{
	if (report_init(rep, REPORT_RUN, o->target, NULL) < 0)
		return -1;
	if (o->embedded)
		return report_add_input(rep, "(bundled suite)");
	for (int i = 0; i < o->argc; i++)
		if (report_add_input(rep, o->argv[i]) < 0)
			return -1;
	return 0;
}

static int run_suite(const struct script_suite *suite, const struct run_opts *o,
		     const struct runner_link *link)
{
	unsigned pass = 0, fail = 0, err = 0, xfail = 0, xpass = 0;
	int64_t t0 = netdev_now_ns();
	bool reporting = want_report(o), report_ok = true;
	char tmpdir[4096] = "", msg[DIAG_MSG_MAX + 300];
	struct run_sources *src = NULL;
	struct report rep;
	struct runner r;
	int status;

	memset(&rep, 0, sizeof(rep));
	if (reporting) {
		const char *t = getenv("TMPDIR");

		/* reports always have packets: a private directory when the
		 * user keeps no pcaps */
		snprintf(tmpdir, sizeof(tmpdir), "%s/tcpspec-run-XXXXXX", t && t[0] ? t : "/tmp");
		if (!o->pcap_dir && !mkdtemp(tmpdir)) {
			fprintf(stderr, "tcpspec run: cannot create a temporary directory for the "
				"captures (%s): %s\n", tmpdir, strerror(errno));
			return CLI_ERROR;
		}
		if (start_report(&rep, o) < 0 || !(src = run_sources_new(o->embedded))) {
			fprintf(stderr, "tcpspec run: out of memory\n");
			report_free(&rep);
			if (!o->pcap_dir)
				rmdir(tmpdir);
			return CLI_ERROR;
		}
	}
	runner_init(&r, link, o->pcap_dir ? o->pcap_dir : reporting ? tmpdir : NULL);
	for (size_t i = 0; i < suite->n_cases; i++) {
		const struct script_case *c = &suite->cases[i];
		const char *xf = script_xfail_reason(c, o->target);
		struct runner_result res;
		char why[sizeof(res.reason) + 600];

		runner_run_case(&r, c, &res);
		switch (run_report_verdict(&res, o->target, xf, why, sizeof(why))) {
		case REPORT_PASS:
			pass++;
			if (!o->quiet)
				printf("PASS  %s (%.0f ms)\n", c->id, res.duration_ms);
			break;
		case REPORT_FAIL:
			fail++;
			printf("FAIL  %s\n      %s\n", c->id, why);
			break;
		case REPORT_XFAIL:
			xfail++;
			if (!o->quiet)
				printf("XFAIL %s\n      %s\n", c->id, why);
			break;
		case REPORT_XPASS:
			xpass++;
			printf("XPASS %s\n      %s\n", c->id, why);
			break;
		case REPORT_ERROR:
		case REPORT__VERDICTS:
			err++;
			printf("ERROR %s\n      %s\n", c->id, why);
			break;
		}
		fflush(stdout);
		if (reporting && run_report_case(&rep, src, c, &res, o->target, xf, o->pcap_dir != NULL,
						 msg, sizeof(msg)) < 0) {
			fprintf(stderr, "tcpspec run: report: %s\n", msg);
			report_ok = false;
		}
		if (!o->pcap_dir && res.pcap[0])
			unlink(res.pcap);
		runner_result_free(&res);
	}
	if (xfail || xpass)
		printf("%u passed, %u failed, %u errors, %u xfail, %u xpass (target %s)\n", pass,
		       fail, err, xfail, xpass, o->target);
	else
		printf("%u passed, %u failed, %u errors (target %s)\n", pass, fail, err, o->target);
	/* an xpass fails the run too: the expectation is out of date */
	status = fail || err || xpass ? CLI_FAIL : CLI_OK;
	if (reporting) {
		if (!o->pcap_dir && rmdir(tmpdir) < 0)
			fprintf(stderr, "tcpspec run: cannot remove %s: %s\n", tmpdir, strerror(errno));
		if (report_finish(&rep, (double)(netdev_now_ns() - t0) / 1e6) < 0 ||
		    write_reports(&rep, o) < 0)
			report_ok = false;
		if (!report_ok)
			status = CLI_ERROR;
	}
	run_sources_del(src);
	report_free(&rep);
	return status;
}

static int run_linux(const struct script_suite *suite, const struct run_opts *o)
{
	uint16_t ports[TARGET_LINUX_MAX_PORTS];
	struct target_linux t;
	struct runner_link link = {0};
	char msg[DIAG_MSG_MAX + 300], errbuf[256];
	unsigned n_ports;
	struct diag d;
	int status;

	if (listen_ports(suite, ports, &n_ports) < 0)
		return CLI_ERROR;
	diag_clear(&d);
	if (target_linux_start(&t, ports, n_ports, &d) < 0) {
		diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "tcpspec run: target linux: %s\n", msg);
		return CLI_ERROR;
	}
	if (netdev_open(&link.nd, t.tester_if, "tcp", errbuf, sizeof(errbuf)) < 0) {
		fprintf(stderr, "tcpspec run: %s\n", errbuf);
		target_linux_stop(&t);
		return CLI_ERROR;
	}
	memcpy(link.tester_mac, t.tester_mac, 6);
	memcpy(link.target_mac, t.target_mac, 6);
	memcpy(link.tester_v4, t.tester_v4, 4);
	memcpy(link.target_v4, t.target_v4, 4);
	memcpy(link.tester_v6, t.tester_v6, 16);
	memcpy(link.target_v6, t.target_v6, 16);
	status = run_suite(suite, o, &link);
	netdev_close(link.nd);
	target_linux_stop(&t);
	return status;
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_HTML = 256, OPT_JUNIT };
	static const struct option opts[] = {
		{"target", required_argument, NULL, 't'},
		{"json", required_argument, NULL, 'j'},
		{"html", required_argument, NULL, OPT_HTML},
		{"junit", required_argument, NULL, OPT_JUNIT},
		{"pcap-dir", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct run_opts o = {.target = "linux"};
	struct script_suite suite = {0};
	struct stat st;
	int c, status;

	while ((c = getopt_long(argc, argv, "t:j:p:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			o.target = optarg;
			break;
		case 'j':
			o.json_out = optarg;
			break;
		case OPT_HTML:
			o.html_out = optarg;
			break;
		case OPT_JUNIT:
			o.junit_out = optarg;
			break;
		case 'p':
			o.pcap_dir = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_bad_option("run", argv);
		}
	}
	if (strcmp(o.target, "linux") != 0) {
		fprintf(stderr, "tcpspec run: unknown target '%s' (expected: linux)\n", o.target);
		return CLI_ERROR;
	}
	if (o.pcap_dir && (stat(o.pcap_dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "tcpspec run: --pcap-dir %s: not a directory\n", o.pcap_dir);
		return CLI_ERROR;
	}
	if ((o.json_out && check_output("--json", o.json_out) < 0) ||
	    (o.html_out && check_output("--html", o.html_out) < 0) ||
	    (o.junit_out && check_output("--junit", o.junit_out) < 0))
		return CLI_ERROR;
	o.embedded = optind >= argc;
	o.argc = argc - optind;
	o.argv = argv + optind;
	if (load_suite(argc, argv, &suite) < 0) {
		script_suite_free(&suite);
		return CLI_ERROR;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "tcpspec run: the linux target needs root: it creates network "
			"namespaces (run with sudo)\n");
		script_suite_free(&suite);
		return CLI_ERROR;
	}
	status = run_linux(&suite, &o);
	script_suite_free(&suite);
	return status;
}
