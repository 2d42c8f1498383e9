/* tcpspec lint: load YAML cases and report every error, run nothing. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "script.h"

int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	char msg[DIAG_MSG_MAX + 300];
	int c, status = CLI_OK;
	size_t total = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: tcpspec lint PATH...\n\n"
			       "Checks YAML cases (files, or directories searched for *.yaml)\n"
			       "without running them. Each error names file:line:column and\n"
			       "what was expected. Exit status: 0 valid, 2 an error.\n");
			return CLI_OK;
		default:
			return cli_bad_option("lint", argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tcpspec lint: no file given (expected PATH...)\n");
		return CLI_ERROR;
	}
	for (int i = optind; i < argc; i++) {
		struct script_suite suite = {0};
		struct diag d;

		diag_clear(&d);
		if (script_load(argv[i], &suite, &d) < 0) {
			diag_format(&d, msg, sizeof(msg));
			fprintf(stderr, "%s\n", msg);
			status = CLI_ERROR;
		} else {
			total += suite.n_cases;
		}
		script_suite_free(&suite);
	}
	if (status == CLI_OK)
		printf("%zu cases valid\n", total);
	return status;
}
