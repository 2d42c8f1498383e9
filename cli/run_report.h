/* run_report: the report side of `tcpspec run` (docs/report-model.md).
 * For each case played: its steps (kind, line, the step's own text from
 * the YAML source), its packets (the case's capture, sequence numbers
 * relative to each side's ISN, the step that sent or judged each one,
 * the tracker's analysis labels) and the findings the tracker raises on
 * the target's segments (the scripts' own segments may break rules on
 * purpose: they are not judged). */
#ifndef TCPSPEC_RUN_REPORT_H
#define TCPSPEC_RUN_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "diag.h"
#include "runner.h"
#include "script.h"
#include "track.h"

/* YAML sources, parsed once, for the steps' texts. */
struct run_sources;

/* embedded: the suite was loaded from the bundled copy (embedded_suite). */
struct run_sources *run_sources_new(bool embedded);
void run_sources_del(struct run_sources *s);

/* The case's verdict on target: the runner's, turned into xfail / xpass
 * when the case expects to fail there (xfail: the expect_fail reason for
 * the target, NULL if none); reason gets the text (runner's reason, with
 * the expectation in front). */
enum report_verdict run_report_verdict(const struct runner_result *res, const char *target,
				       const char *xfail, char *reason, size_t cap);

/* Adds case c with result res to rep (on target; xfail as above).
 * keep_pcap: res->pcap is the user's (named in the report) rather than a
 * temporary file. Returns 0, or -1 with err saying what could not be read
 * (what was read is kept). */
int run_report_case(struct report *rep, struct run_sources *src, const struct script_case *c,
		    const struct runner_result *res, const char *target, const char *xfail,
		    bool keep_pcap, char *err, size_t errcap);

/* The analyzer's findings on the target's segments in the case's
 * capture (res->pcap; none without one), in order: the tracker's pass
 * that the report makes too. Returns 0, or -1 with d saying why (what
 * was found is kept). */
struct run_findings {
	struct track_finding *f;
	size_t n;
};
int run_case_findings(const struct runner_result *res, struct run_findings *out,
		      struct diag *d);
void run_findings_free(struct run_findings *fs);

/* Applies the case's `findings:` policy (docs/yaml.md) to res: a
 * forbidden finding, a MUST finding (fail_on: must, not required) or a
 * required finding missing fails a case that passed, with the reason.
 * notes gets one line per MUST/SHOULD/MAY finding, for the console. */
void run_findings_judge(const struct script_case *c, const struct run_findings *fs,
			struct runner_result *res, char *notes, size_t cap);

/* One line of YAML source text for the node starting at line:col (1-based)
 * of buf: comments dropped, white space folded, at most cap - 1 bytes.
 * Returns 0, or -1 when no mapping starts there. Exposed for tests. */
int run_step_text(const char *buf, size_t len, unsigned line, unsigned col,
		  char *out, size_t cap);

#endif
