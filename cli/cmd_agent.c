/* tcpspec agent: the target agent (docs/agent.md) as a command, for a
 * target the runner does not start itself (a remote host, another
 * namespace). The linux target runs the same code in its namespace. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/signalfd.h>

#include "agent.h"
#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcpspec agent (--unix PATH | --listen ADDR:PORT) [--once] [--drain PORT]...\n\n"
		"Runs the target agent: it performs socket calls (listen, accept, connect,\n"
		"write, read, shutdown, close, abort, setsockopt, sysctl) on the runner's\n"
		"command, one text line each (see docs/agent.md).\n\n"
		"  --unix PATH         control channel: a UNIX socket at PATH (mode 0600)\n"
		"  --listen ADDR:PORT  control channel: TCP on that address only\n"
		"                      ([ADDR6]:PORT for IPv6). UNAUTHENTICATED: anyone who\n"
		"                      reaches it can open sockets and set sysctls as this\n"
		"                      user. Use only on a private control network, never\n"
		"                      on the tested link.\n"
		"  --once              serve one control connection, exit when it closes\n"
		"  --drain PORT        pre-open PORT (IPv4 and IPv6): accept, read and\n"
		"                      discard, like the linux target's server ports\n\n"
		"Stops on SIGINT or SIGTERM, removing its UNIX socket.\n"
		"Exit status: 0 stopped, 2 usage or setup error.\n");
}

static int setup(struct agent *a, const char *unix_path, const char *tcp,
		 const unsigned *drain, unsigned n_drain)
{
	char msg[256];
	unsigned i;

	for (i = 0; i < n_drain; ++i)
		if (agent_prelisten(a, (uint16_t)drain[i], msg, sizeof(msg)) < 0) {
			fprintf(stderr, "tcpspec agent: --drain: %s\n", msg);
			return -1;
		}
	if ((unix_path ? agent_listen_unix(a, unix_path, msg, sizeof(msg)) :
	     agent_listen_tcp(a, tcp, msg, sizeof(msg))) < 0) {
		fprintf(stderr, "tcpspec agent: %s\n", msg);
		return -1;
	}
	if (unix_path)
		fprintf(stderr, "tcpspec agent: listening on unix:%s\n", unix_path);
	else
		fprintf(stderr, "tcpspec agent: listening on %s (TCP, "
			"unauthenticated: private control networks only)\n", tcp);
	return 0;
}

int cmd_agent(int argc, char **argv)
{
	static const struct option opts[] = {
		{"unix", required_argument, NULL, 'u'},
		{"listen", required_argument, NULL, 'l'},
		{"once", no_argument, NULL, '1'},
		{"drain", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *unix_path = NULL, *tcp = NULL;
	unsigned drain[64], n_drain = 0;
	struct agent *a = NULL;
	int c, once = 0, sfd = -1, status = CLI_ERROR;
	unsigned long port;
	char *end;
	sigset_t sigs;

	while ((c = getopt_long(argc, argv, "u:l:1d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			unix_path = optarg;
			break;
		case 'l':
			tcp = optarg;
			break;
		case '1':
			once = 1;
			break;
		case 'd':
			errno = 0;
			port = strtoul(optarg, &end, 10);
			if (*end || errno || port == 0 || port > 65535 ||
			    optarg[0] < '0' || optarg[0] > '9') {
				fprintf(stderr, "tcpspec agent: --drain %s: expected a "
					"port 1..65535\n", optarg);
				return CLI_ERROR;
			}
			if (n_drain == sizeof(drain) / sizeof(drain[0])) {
				fprintf(stderr, "tcpspec agent: more than %zu --drain "
					"ports\n", sizeof(drain) / sizeof(drain[0]));
				return CLI_ERROR;
			}
			drain[n_drain++] = (unsigned)port;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_bad_option("agent", argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tcpspec agent: unexpected argument '%s' (try "
			"'tcpspec agent --help')\n", argv[optind]);
		return CLI_ERROR;
	}
	if (!unix_path == !tcp) {
		fprintf(stderr, "tcpspec agent: give exactly one of --unix PATH and "
			"--listen ADDR:PORT (try 'tcpspec agent --help')\n");
		return CLI_ERROR;
	}
	/* SIGINT/SIGTERM end the loop through a descriptor, so the socket
	 * file is removed on the way out */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 ||
	    (sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		fprintf(stderr, "tcpspec agent: signalfd: %s\n", strerror(errno));
		return CLI_ERROR;
	}
	if (agent_new(&a) < 0) {
		fprintf(stderr, "tcpspec agent: out of memory\n");
		goto out;
	}
	agent_set_once(a, once);
	agent_add_stop_fd(a, sfd);
	if (setup(a, unix_path, tcp, drain, n_drain) < 0)
		goto out;
	c = agent_run(a);
	if (c < 0)
		fprintf(stderr, "tcpspec agent: poll: %s\n", strerror(-c));
	else
		status = CLI_OK;
out:
	agent_del(a);
	close(sfd);
	return status;
}
