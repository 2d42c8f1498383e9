/* tcpspec run: play YAML cases against a target stack and judge them.
 * Options and the suite here; the target session, judging and --jobs in
 * run_exec.c / run_jobs.c; the report in run_report.c. */
#include <arpa/inet.h>
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
#include "run_exec.h"
#include "run_report.h"
#include "runner.h"
#include "script.h"
#include "target_linux.h"

#define MAX_JOBS 64

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec run [--target linux] [--profile NAME] [--jobs N] [--tolerance T]\n"
		"                   [--json OUT] [--html OUT] [--junit OUT] [--pcap-dir DIR]\n"
		"                   [--quiet] [PATH...]\n"
		"       tcpspec run --target ADDR --iface IF --agent HOST:PORT [--tester-ip A]\n"
		"                   [--tester-mac M] [--target-name NAME] [--profile NAME] ... [PATH...]\n\n"
		"Plays YAML cases (files, or directories searched for *.yaml) against a\n"
		"target TCP stack and judges every step, then the analyzer's findings on the\n"
		"target's segments. Without PATH, runs the bundled suite compiled into tcpspec.\n\n"
		"  --target linux   the Linux kernel in a network namespace that tcpspec\n"
		"                   creates and removes itself (needs root; the default)\n"
		"  --profile NAME   sysctls applied to the target through its agent before\n"
		"                   the run (cases that require what it switches off are\n"
		"                   skipped; expect_fail may name linux:NAME):\n");
	for (size_t i = 0; target_profile_at(i); i++)
		fprintf(out, "                     %-20s %s\n", target_profile_at(i)->name,
			target_profile_at(i)->what);
	fprintf(out,
		"  --jobs N         play the cases in N processes, each with a target of its\n"
		"                   own (linux only); output and reports stay in case order\n"
		"  --tolerance T    the run's timing tolerance for at/at_abs: 4ms, 12.5%%,\n"
		"                   4ms+12.5%% (the default)\n"
		"  --static-neigh   linux: permanent neighbour entries for the tester on the\n"
		"                   target instead of the runner answering ARP / ND\n"
		"  --target ADDR    an external host at ADDR (IPv4 or IPv6) on the link of\n"
		"                   --iface IF, with `tcpspec agent --listen HOST:PORT` running\n"
		"                   there, reached over a separate control network (--agent);\n"
		"                   --tester-ip: our address on that link (unused; default\n"
		"                   192.0.2.2 / 2001:db8::2 when ADDR is in those prefixes);\n"
		"                   --tester-mac: ours (default 02:00:00:00:00:02);\n"
		"                   --target-name: the name expect_fail keys use (default host)\n"
		"  --json OUT       write the report (tcpspec-report/1, docs/report-model.md):\n"
		"                   every case with its steps, packets and the findings on\n"
		"                   the target's segments\n"
		"  --html OUT       the same report as one self-contained HTML page\n"
		"  --junit OUT      JUnit XML: a testsuite per area, a testcase per case\n"
		"  --pcap-dir DIR   save each case's capture as DIR/<case id>.pcap\n"
		"                   (without it, captures go to a temporary directory that\n"
		"                   is removed at the end)\n"
		"  --quiet          print failures and the summary only\n\n"
		"A case that expects to fail on the target (expect_fail) is XFAIL when it\n"
		"fails and XPASS when it passes; one whose requires the target lacks is SKIP.\n\n"
		"Exit status: 0 every case passed, failed as expected or was skipped, 1 a\n"
		"case failed or passed against its expect_fail, 2 usage, setup or report error.\n");
}

/* Includes of the bundled suite come from the binary too, so `tcpspec run`
 * works from any directory and never mixes in a working tree's files. */
static int read_embedded(void *arg, const char *path, char **buf, size_t *len)
{
	(void)arg;
	for (size_t i = 0; i < embedded_suite_count; i++) {
		if (strcmp(embedded_suite[i].name, path) != 0)
			continue;
		*buf = malloc(embedded_suite[i].len + 1);
		if (!*buf)
			return -ENOMEM;
		memcpy(*buf, embedded_suite[i].text, embedded_suite[i].len);
		(*buf)[embedded_suite[i].len] = '\0';
		*len = embedded_suite[i].len;
		return 0;
	}
	return -ENOENT;
}

static int load_suite(int argc, char **argv, struct script_suite *suite)
{
	char msg[DIAG_MSG_MAX + 300];
	struct diag d;
	int rc = 0;

	diag_clear(&d);
	if (optind >= argc) {
		for (size_t i = 0; i < embedded_suite_count && rc == 0; i++)
			rc = script_load_buffer_with(embedded_suite[i].name,
						     embedded_suite[i].text,
						     embedded_suite[i].len, read_embedded,
						     NULL, suite, &d);
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

/* The port a case listens on itself (an app listen step), or 0. */
static uint16_t own_listen(const struct script_case *c)
{
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct script_app *a = &c->steps[i].app;

		if (c->steps[i].kind == SCRIPT_APP && a->op == SCRIPT_APP_LISTEN && !a->port.ref)
			return a->port.v ? (uint16_t)a->port.v : c->port;
	}
	return 0;
}

/* Every port a `role: server` case targets gets a pre-opened listener,
 * unless the case listens on it itself; a `closed` port, or one a case
 * listens on itself, must not be one of them. */
static int listen_ports(const struct script_suite *s, uint16_t *ports, unsigned *n)
{
	*n = 0;
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct script_case *c = &s->cases[i];
		bool have = false;

		if (!c->role_server || own_listen(c) == c->port)
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
		uint16_t own = own_listen(c);
		uint16_t p = own ? own : c->role == SCRIPT_ROLE_CLOSED ? c->port : 0;

		for (unsigned k = 0; p && k < *n; k++)
			if (ports[k] == p) {
				fprintf(stderr, "%s:%u: case '%s' needs port %u %s, but another case "
					"(role server, no listen step) has it pre-opened; use another port\n",
					c->file, c->line, c->id, p, own ? "for its own listen step" : "closed");
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
	if (report_init(rep, REPORT_RUN, o->target_name, NULL) < 0)
		return -1;
	if (o->embedded)
		return report_add_input(rep, "(bundled suite)");
	for (int i = 0; i < o->argc; i++)
		if (report_add_input(rep, o->argv[i]) < 0)
			return -1;
	return 0;
}

struct tally {
	const struct script_suite *suite;
	const struct run_opts *o;
	unsigned n[REPORT__VERDICTS];
	bool reporting, report_ok;
	struct report rep;
	struct run_sources *src;
};

static void print_notes(const char *notes)
{
	const char *p = notes;

	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("      %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* One case's outcome, in case order: the console line, the report. */
static void on_outcome(void *ctx, size_t i, struct run_outcome *out)
{
	static const char *const label[REPORT__VERDICTS] = {
		[REPORT_PASS] = "PASS ", [REPORT_FAIL] = "FAIL ", [REPORT_ERROR] = "ERROR",
		[REPORT_XFAIL] = "XFAIL", [REPORT_XPASS] = "XPASS", [REPORT_SKIP] = "SKIP ",
	};
	struct tally *t = ctx;
	const struct script_case *c = &t->suite->cases[i];
	const char *xf = run_xfail(c, t->o);
	char why[sizeof(out->res.reason) + 600], msg[DIAG_MSG_MAX + 300];
	enum report_verdict v = run_report_verdict(&out->res, t->o->target_name, xf, why, sizeof(why));
	bool loud = v != REPORT_PASS && v != REPORT_XFAIL && v != REPORT_SKIP;

	if ((unsigned)v >= REPORT__VERDICTS)
		v = REPORT_ERROR;
	t->n[v]++;
	if (loud || !t->o->quiet) {
		if (v == REPORT_PASS)
			printf("PASS  %s (%.0f ms)\n", c->id, out->res.duration_ms);
		else
			printf("%s %s\n      %s\n", label[v], c->id, why);
		print_notes(out->notes);
	}
	fflush(stdout);
	if (t->reporting && run_report_case(&t->rep, t->src, c, &out->res, t->o->target_name, xf,
					    t->o->pcap_dir != NULL, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "tcpspec run: report: %s\n", msg);
		t->report_ok = false;
	}
	if (!t->o->pcap_dir && out->res.pcap[0])
		unlink(out->res.pcap);
}

static int run_suite(const struct script_suite *suite, const struct run_opts *o)
{
	struct tally t = { .suite = suite, .o = o, .reporting = want_report(o), .report_ok = true };
	int64_t t0 = netdev_now_ns();
	char tmpdir[4096] = "", err[1200];
	const char *tmp = getenv("TMPDIR");
	int status;

	/* captures always: the analyzer judges each; a private directory when
	 * the user keeps none */
	snprintf(tmpdir, sizeof(tmpdir), "%s/tcpspec-run-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!o->pcap_dir && !mkdtemp(tmpdir)) {
		fprintf(stderr, "tcpspec run: cannot create a temporary directory for the "
			"captures (%s): %s\n", tmpdir, strerror(errno));
		return CLI_ERROR;
	}
	if (t.reporting && (start_report(&t.rep, o) < 0 || !(t.src = run_sources_new(o->embedded)))) {
		fprintf(stderr, "tcpspec run: out of memory\n");
		status = CLI_ERROR;
		goto out;
	}
	if (run_cases(suite, o, o->pcap_dir ? o->pcap_dir : tmpdir, on_outcome, &t, err,
		      sizeof(err)) < 0) {
		fprintf(stderr, "tcpspec run: %s\n", err);
		status = CLI_ERROR;
		goto out;
	}
	printf("%u passed, %u failed, %u errors", t.n[REPORT_PASS], t.n[REPORT_FAIL],
	       t.n[REPORT_ERROR]);
	if (t.n[REPORT_XFAIL] || t.n[REPORT_XPASS])
		printf(", %u xfail, %u xpass", t.n[REPORT_XFAIL], t.n[REPORT_XPASS]);
	if (t.n[REPORT_SKIP])
		printf(", %u skipped", t.n[REPORT_SKIP]);
	printf(" (target %s)\n", o->target_name);
	/* an xpass fails the run too: the expectation is out of date */
	status = t.n[REPORT_FAIL] || t.n[REPORT_ERROR] || t.n[REPORT_XPASS] ? CLI_FAIL : CLI_OK;
	if (t.reporting && (report_finish(&t.rep, (double)(netdev_now_ns() - t0) / 1e6) < 0 ||
			    write_reports(&t.rep, o) < 0))
		t.report_ok = false;
	if (!t.report_ok)
		status = CLI_ERROR;
out:
	if (!o->pcap_dir && rmdir(tmpdir) < 0)
		fprintf(stderr, "tcpspec run: cannot remove %s: %s\n", tmpdir, strerror(errno));
	run_sources_del(t.src);
	if (t.reporting)
		report_free(&t.rep);
	return status;
}

/* "4ms", "250us", "1s", "12.5%", "4ms+12.5%" */
static int parse_tol(const char *s, struct script_tol *t)
{
	char *end;
	double v;

	memset(t, 0, sizeof(*t));
	t->set = true;
	while (*s) {
		v = strtod(s, &end);
		if (end == s || v < 0)
			return -1;
		if (*end == '%') {
			if (v > 100 || t->ppm)
				return -1;
			t->ppm = (uint32_t)(v * 10000 + 0.5);
			end++;
		} else {
			double mul = !strncmp(end, "us", 2) ? 1 : !strncmp(end, "ms", 2) ? 1e3 :
				     *end == 's' ? 1e6 : -1;

			if (mul < 0 || v * mul > 60e6 || t->us)
				return -1;
			t->us = (uint32_t)(v * mul + 0.5);
			end += *end == 's' ? 1 : 2;
		}
		if (*end == '+')
			end++;
		else if (*end)
			return -1;
		s = end;
	}
	return 0;
}

static int check_opts(struct run_opts *o, const char *profile)
{
	struct stat st;

	uint8_t a[16];

	o->external = strcmp(o->target, "linux") != 0;
	if (o->external && inet_pton(AF_INET, o->target, a) != 1 &&
	    inet_pton(AF_INET6, o->target, a) != 1) {
		fprintf(stderr, "tcpspec run: unknown target '%s' (expected: linux, or the IPv4 or "
			"IPv6 address of an external host)\n", o->target);
		return -1;
	}
	if (o->external && (!o->iface || !o->agent)) {
		fprintf(stderr, "tcpspec run: --target %s: an external host needs --iface IF (the "
			"tested link) and --agent HOST:PORT (its tcpspec agent, on another network)\n",
			o->target);
		return -1;
	}
	if (!o->external && (o->iface || o->agent || o->tester_ip || o->tester_mac)) {
		fprintf(stderr, "tcpspec run: --iface, --agent, --tester-ip and --tester-mac are for "
			"an external --target ADDR\n");
		return -1;
	}
	if (o->external && o->jobs > 1) {
		fprintf(stderr, "tcpspec run: --jobs: an external host has one link: use --jobs 1\n");
		return -1;
	}
	o->profile = target_profile_find(profile ? profile : "default");
	if (!o->profile) {
		fprintf(stderr, "tcpspec run: unknown profile '%s' (expected one of:", profile);
		for (size_t i = 0; target_profile_at(i); i++)
			fprintf(stderr, " %s", target_profile_at(i)->name);
		fprintf(stderr, ")\n");
		return -1;
	}
	if (!o->name_base)
		o->name_base = o->external ? "host" : "linux";
	if (!strcmp(o->profile->name, "default"))
		snprintf(o->target_name, sizeof(o->target_name), "%s", o->name_base);
	else
		snprintf(o->target_name, sizeof(o->target_name), "%s:%s", o->name_base,
			 o->profile->name);
	if (o->pcap_dir && (stat(o->pcap_dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "tcpspec run: --pcap-dir %s: not a directory\n", o->pcap_dir);
		return -1;
	}
	if ((o->json_out && check_output("--json", o->json_out) < 0) ||
	    (o->html_out && check_output("--html", o->html_out) < 0) ||
	    (o->junit_out && check_output("--junit", o->junit_out) < 0))
		return -1;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_HTML = 256, OPT_JUNIT, OPT_PROFILE, OPT_TOL, OPT_IFACE, OPT_AGENT, OPT_TIP,
	       OPT_TMAC, OPT_TNAME, OPT_STATIC };
	static const struct option opts[] = {
		{"target", required_argument, NULL, 't'},
		{"profile", required_argument, NULL, OPT_PROFILE},
		{"jobs", required_argument, NULL, 'J'},
		{"tolerance", required_argument, NULL, OPT_TOL},
		{"iface", required_argument, NULL, OPT_IFACE},
		{"agent", required_argument, NULL, OPT_AGENT},
		{"tester-ip", required_argument, NULL, OPT_TIP},
		{"tester-mac", required_argument, NULL, OPT_TMAC},
		{"target-name", required_argument, NULL, OPT_TNAME},
		{"static-neigh", no_argument, NULL, OPT_STATIC},
		{"json", required_argument, NULL, 'j'},
		{"html", required_argument, NULL, OPT_HTML},
		{"junit", required_argument, NULL, OPT_JUNIT},
		{"pcap-dir", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct run_opts o = {.target = "linux", .jobs = 1};
	struct script_suite suite = {0};
	const char *profile = NULL;
	char *end;
	int c, status;

	while ((c = getopt_long(argc, argv, "t:j:p:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': o.target = optarg; break;
		case OPT_PROFILE: profile = optarg; break;
		case 'J':
			o.jobs = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !o.jobs || o.jobs > MAX_JOBS) {
				fprintf(stderr, "tcpspec run: --jobs %s: expected 1..%d\n", optarg, MAX_JOBS);
				return CLI_ERROR;
			}
			break;
		case OPT_TOL:
			if (parse_tol(optarg, &o.tolerance) < 0) {
				fprintf(stderr, "tcpspec run: --tolerance %s: expected a duration, a "
					"percentage or both (4ms, 12.5%%, 4ms+12.5%%)\n", optarg);
				return CLI_ERROR;
			}
			break;
		case OPT_IFACE: o.iface = optarg; break;
		case OPT_AGENT: o.agent = optarg; break;
		case OPT_TIP: o.tester_ip = optarg; break;
		case OPT_TMAC: o.tester_mac = optarg; break;
		case OPT_TNAME: o.name_base = optarg; break;
		case OPT_STATIC: o.static_neigh = true; break;
		case 'j': o.json_out = optarg; break;
		case OPT_HTML: o.html_out = optarg; break;
		case OPT_JUNIT: o.junit_out = optarg; break;
		case 'p': o.pcap_dir = optarg; break;
		case 'q': o.quiet = true; break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_bad_option("run", argv);
		}
	}
	if (check_opts(&o, profile) < 0)
		return CLI_ERROR;
	o.embedded = optind >= argc;
	o.argc = argc - optind;
	o.argv = argv + optind;
	if (load_suite(argc, argv, &suite) < 0) {
		script_suite_free(&suite);
		return CLI_ERROR;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "tcpspec run: %s (run with sudo)\n", o.external ?
			"injecting and capturing on --iface needs root" :
			"the linux target needs root: it creates network namespaces");
		script_suite_free(&suite);
		return CLI_ERROR;
	}
	status = !o.external && listen_ports(&suite, o.ports, &o.n_ports) < 0 ? CLI_ERROR
									      : run_suite(&suite, &o);
	script_suite_free(&suite);
	return status;
}
