/* The `tcpspec` subcommands. Each returns the process exit code:
 * 0 success, 1 a verdict failed (a case, or --fail-on), 2 usage or setup error. */
#ifndef TCPSPEC_CLI_H
#define TCPSPEC_CLI_H

#define CLI_OK    0
#define CLI_FAIL  1
#define CLI_ERROR 2

int cmd_analyze(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* "tcpspec CMD: unknown option '--x' (try 'tcpspec CMD --help')" and CLI_ERROR.
 * optind/optopt are read after getopt_long returned '?' or ':'. */
int cli_bad_option(const char *cmd, char **argv);

#endif
