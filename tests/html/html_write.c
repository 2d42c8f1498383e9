/* html_write IN.json OUT.html: reads a tcpspec-report/1 document and writes
 * its HTML page with report_html_write() (the browser tests' driver). */
#include <stdio.h>

#include "report_html.h"

int main(int argc, char **argv)
{
	char err[512];
	json_error_t jerr;
	json_t *report;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: html_write IN.json OUT.html\n");
		return 2;
	}
	report = json_load_file(argv[1], 0, &jerr);
	if (!report) {
		fprintf(stderr, "html_write: %s:%d:%d: %s\n", argv[1], jerr.line, jerr.column, jerr.text);
		return 2;
	}
	rc = report_html_write(report, argv[2], err, sizeof(err));
	json_decref(report);
	if (rc < 0) {
		fprintf(stderr, "html_write: %s\n", err);
		return 1;
	}
	return 0;
}
