/* report_junit: JUnit XML from a tcpspec-report/1 run document, valid
 * against the JUnit schema CI servers use (Jenkins' junit-10.xsd;
 * tests/data/junit.xsd states it):
 *
 *   <testsuites>, one <testsuite name=AREA> per area (first path component
 *   of the case ids), one <testcase classname=AREA name=ID time=SECONDS>
 *   per case; fail and xpass: <failure type="fail"|"xpass">, error:
 *   <error type="error">, xfail: <skipped type="xfail">, skip: <skipped
 *   type="skip">. The message is
 *   the runner's one-line reason; the body adds the failed step, the
 *   target's findings and the case's packets. A testcase may not carry
 *   <properties> in that schema, so each suite's <properties> holds
 *   "ID rfc" and "ID level" for its cases (and target, tool version).
 *
 * Every string is escaped; characters XML 1.0 cannot hold (control
 * characters, U+FFFE, U+FFFF, bytes that are not UTF-8) are written as
 * visible \xNN / \uNNNN text, so the file is always well-formed. */
#ifndef TCPSPEC_REPORT_JUNIT_H
#define TCPSPEC_REPORT_JUNIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Writes the XML for doc (kind "run") to out. Returns 0, or -1 when doc
 * is not a run report or out failed. */
int report_junit_fwrite(const json_t *doc, FILE *out);
/* The same to path (written aside and renamed into place); err says why
 * on failure. */
int report_junit_write(const json_t *doc, const char *path, char *err, size_t errcap);
/* s escaped for XML text (attr false) or an attribute value (attr true). */
void report_xml_escape(FILE *out, const char *s, int attr);

#endif
