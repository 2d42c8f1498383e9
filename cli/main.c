/* tcpspec: a TCP protocol analyzer and conformance tester. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{"run", cmd_run, "run YAML conformance cases against a target stack"},
	{"analyze", cmd_analyze, "check every TCP packet of pcap/pcapng captures"},
	{"lint", cmd_lint, "validate YAML cases without running them"},
	{"findings", cmd_findings, "list the catalogue of findings with their RFC sections"},
	{"agent", cmd_agent, "run the target agent: socket calls on a runner's command"},
	{"report", cmd_report, "merge run reports into a matrix; render a saved report"},
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec [--help] [--version] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n'tcpspec COMMAND --help' describes a command.\n");
}

int cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = argv[optind - 1];

	/* a long option names itself; a short one may hide in a cluster (-pjx) */
	if (arg && arg[0] == '-' && arg[1] == '-')
		fprintf(stderr, "tcpspec %s: option '%.*s' is unknown or needs a value "
			"(try 'tcpspec %s --help')\n", cmd, (int)strcspn(arg, "="), arg, cmd);
	else if (optopt > 0 && optopt < 128)
		fprintf(stderr, "tcpspec %s: option '-%c' is unknown or needs a value "
			"(try 'tcpspec %s --help')\n", cmd, optopt, cmd);
	else
		fprintf(stderr, "tcpspec %s: option '%s' is unknown or needs a value "
			"(try 'tcpspec %s --help')\n", cmd, arg ? arg : "?", cmd);
	return CLI_ERROR;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("tcpspec %s\n", TCPSPEC_VERSION);
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			opterr = 0; /* we print our own one-line errors */
			return commands[i].fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "tcpspec: unknown command '%s' (expected one of: run, analyze, "
		"lint, findings, agent, report; try 'tcpspec --help')\n", argv[1]);
	return CLI_ERROR;
}
