/* tcpspec run: play YAML cases against a target stack and judge them. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "embedded_suite.h"
#include "netdev.h"
#include "report_json.h"
#include "runner.h"
#include "script.h"
#include "target_linux.h"

struct run_opts {
	const char *target;
	const char *json_out;
	const char *pcap_dir;
	bool quiet;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec run [--target linux] [--json OUT] [--pcap-dir DIR] [--quiet] [PATH...]\n\n"
		"Plays YAML cases (files, or directories searched for *.yaml) against a\n"
		"target TCP stack and judges every step. Without PATH, runs the bundled\n"
		"suite compiled into tcpspec.\n\n"
		"  --target linux   the Linux kernel in a network namespace that tcpspec\n"
		"                   creates and removes itself (needs root; the default)\n"
		"  --json OUT       write the results as JSON to OUT\n"
		"  --pcap-dir DIR   save each case's capture as DIR/<case id>.pcap\n"
		"  --quiet          print failures and the summary only\n\n"
		"Exit status: 0 every case passed, 1 a case failed, 2 usage or setup error.\n");
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

static json_t *case_json(const struct script_case *c, const struct runner_result *r)
{
	json_t *rfc = json_array();
	json_t *j;

	for (size_t i = 0; i < c->n_rfc; i++)
		json_array_append_new(rfc, json_string(c->rfc[i]));
	j = json_pack("{s:s,s:s,s:s,s:i,s:o,s:s,s:s,s:f,s:i,s:I}",
		      "id", c->id, "title", c->title ? c->title : "",
		      "file", c->file ? c->file : "", "line", c->line, "rfc", rfc,
		      "level", c->level == SCRIPT_LEVEL_MUST ? "MUST" :
			       c->level == SCRIPT_LEVEL_SHOULD ? "SHOULD" : "MAY",
		      "verdict", runner_verdict_name(r->verdict),
		      "duration_ms", r->duration_ms, "tester_port", r->tester_port,
		      "tester_isn", (json_int_t)r->tester_isn);
	if (r->target_isn_known)
		json_object_set_new(j, "target_isn", json_integer(r->target_isn));
	if (r->verdict != RUNNER_PASS) {
		json_object_set_new(j, "reason", json_string(r->reason));
		json_object_set_new(j, "failed_step", json_integer((json_int_t)r->failed_step + 1));
		json_object_set_new(j, "failed_line", json_integer(r->line));
	}
	if (r->pcap[0])
		json_object_set_new(j, "pcap", json_string(r->pcap));
	return j;
}

static int write_json(const char *path, const char *target, json_t *cases,
		      unsigned pass, unsigned fail, unsigned err, double ms)
{
	char started[32];
	time_t now = time(NULL);
	json_t *doc;
	int rc;

	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	doc = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:f,s:{s:i,s:i,s:i,s:i},s:O}",
			"schema", REPORT_JSON_SCHEMA, "type", "run", "tool", "tcpspec",
			"version", TCPSPEC_VERSION, "target", target, "finished", started,
			"duration_ms", ms, "summary", "cases", pass + fail + err,
			"passed", pass, "failed", fail, "errors", err, "cases", cases);
	rc = json_dump_file(doc, path, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (rc < 0) {
		fprintf(stderr, "tcpspec run: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int run_suite(const struct script_suite *suite, const struct run_opts *o,
		     const struct runner_link *link)
{
	unsigned pass = 0, fail = 0, err = 0;
	json_t *cases = json_array();
	int64_t t0 = netdev_now_ns();
	struct runner r;
	int status;

	runner_init(&r, link, o->pcap_dir);
	for (size_t i = 0; i < suite->n_cases; i++) {
		const struct script_case *c = &suite->cases[i];
		struct runner_result res;

		runner_run_case(&r, c, &res);
		json_array_append_new(cases, case_json(c, &res));
		switch (res.verdict) {
		case RUNNER_PASS:
			pass++;
			if (!o->quiet)
				printf("PASS  %s (%.0f ms)\n", c->id, res.duration_ms);
			break;
		case RUNNER_FAIL:
			fail++;
			printf("FAIL  %s\n      %s\n", c->id, res.reason);
			break;
		case RUNNER_ERROR:
			err++;
			printf("ERROR %s\n      %s\n", c->id, res.reason);
			break;
		}
		fflush(stdout);
	}
	printf("%u passed, %u failed, %u errors (target %s)\n", pass, fail, err, o->target);
	status = fail || err ? CLI_FAIL : CLI_OK;
	if (o->json_out && write_json(o->json_out, o->target, cases, pass, fail, err,
				      (double)(netdev_now_ns() - t0) / 1e6) < 0)
		status = CLI_ERROR;
	json_decref(cases);
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
	static const struct option opts[] = {
		{"target", required_argument, NULL, 't'},
		{"json", required_argument, NULL, 'j'},
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
