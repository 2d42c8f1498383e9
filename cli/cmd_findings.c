/* tcpspec findings: print the catalogue. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "finding.h"
#include "report_json.h"

int cmd_findings(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int json = 0, c;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("usage: tcpspec findings [--json]\n\n"
			       "Lists every finding tcpspec can report: its stable id, the RFC\n"
			       "section it rests on, its level and what it means.\n");
			return CLI_OK;
		default:
			return cli_bad_option("findings", argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tcpspec findings: unexpected argument '%s'\n", argv[optind]);
		return CLI_ERROR;
	}
	for (int i = 0; i < FND__COUNT; i++) {
		const struct finding_info *fi = finding_info((enum finding_id)i);

		if (json) {
			json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "catalogue",
					      "id", fi->name, "rfc", fi->rfc, "section", fi->section,
					      "level", finding_level_name(fi->level), "title", fi->title);
			report_json_line(stdout, j);
		} else {
			printf("%-30s %-8s %-9s %-8s %s\n", fi->name,
			       finding_level_name(fi->level), fi->rfc, fi->section, fi->title);
		}
	}
	return CLI_OK;
}
