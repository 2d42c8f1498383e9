/* netdev: libnet injects, libpcap captures, on one interface.
 *
 * The only file that includes libnet.h (its defines change glibc's
 * struct tcphdr). Our own injected frames come back through the capture
 * as outgoing frames; that is wanted, the saved pcap holds both
 * directions, and the caller tells them apart by source MAC. */

/* libnet-config --defines passes the deprecated _BSD_SOURCE, which glibc
 * warns about (an error under -Werror) unless _DEFAULT_SOURCE is set. */
#define _DEFAULT_SOURCE 1
#include "netdev.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/filter.h>
#include <sys/socket.h>

#include <libnet.h>
#include <pcap/pcap.h>

#define NETDEV_SNAPLEN 65535
#define NETDEV_BUFSIZE (4 * 1024 * 1024)

struct netdev {
	pcap_t *pcap;
	libnet_t *net;
	pcap_dumper_t *dump;
	int fd;            /* pcap's selectable fd */
	int nano;          /* timestamps in ns (else us) */
	char iface[64];
	char err[PCAP_ERRBUF_SIZE + 128];
};

static void seterr(char *errbuf, size_t errcap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *errbuf, size_t errcap, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (!errbuf || !errcap)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errcap, fmt, ap);
	va_end(ap);
	/* one line: libpcap and libnet messages sometimes end in '\n' */
	for (p = errbuf; *p; ++p)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	while (p > errbuf && p[-1] == ' ')
		*--p = '\0';
}

int64_t netdev_now_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int apply_filter(struct netdev *nd, const char *filter, char *errbuf,
			size_t errcap)
{
	struct bpf_program prog;

	/* an empty expression matches everything; keeps "no filter" uniform */
	if (pcap_compile(nd->pcap, &prog, filter ? filter : "", 1,
			 PCAP_NETMASK_UNKNOWN) != 0) {
		seterr(errbuf, errcap, "%s: bad capture filter \"%s\": %s",
		       nd->iface, filter ? filter : "", pcap_geterr(nd->pcap));
		return NETDEV_ERR_FILTER;
	}
	if (pcap_setfilter(nd->pcap, &prog) != 0) {
		seterr(errbuf, errcap, "%s: pcap_setfilter \"%s\": %s", nd->iface,
		       filter ? filter : "", pcap_geterr(nd->pcap));
		pcap_freecode(&prog);
		return NETDEV_ERR_FILTER;
	}
	pcap_freecode(&prog);
	return 0;
}

static int open_pcap(struct netdev *nd, char *errbuf, size_t errcap)
{
	char pe[PCAP_ERRBUF_SIZE] = "";
	int rv;

	nd->pcap = pcap_create(nd->iface, pe);
	if (!nd->pcap) {
		seterr(errbuf, errcap, "%s: pcap_create: %s", nd->iface, pe);
		return NETDEV_ERR_OPEN;
	}
	if (pcap_set_snaplen(nd->pcap, NETDEV_SNAPLEN) != 0 ||
	    pcap_set_promisc(nd->pcap, 1) != 0 ||
	    pcap_set_immediate_mode(nd->pcap, 1) != 0 ||
	    pcap_set_buffer_size(nd->pcap, NETDEV_BUFSIZE) != 0) {
		seterr(errbuf, errcap, "%s: pcap option setup: %s", nd->iface,
		       pcap_geterr(nd->pcap));
		return NETDEV_ERR_OPEN;
	}
	/* ns timestamps if the platform has them; us otherwise */
	nd->nano = pcap_set_tstamp_precision(nd->pcap,
					     PCAP_TSTAMP_PRECISION_NANO) == 0;

	rv = pcap_activate(nd->pcap);
	if (rv < 0) {
		/* PCAP_ERROR's text is in geterr; the others may leave it empty */
		const char *why = pcap_geterr(nd->pcap);

		const char *st = pcap_statustostr(rv);

		if (why && why[0] && strcmp(why, st) != 0)
			seterr(errbuf, errcap, "%s: pcap_activate: %s: %s",
			       nd->iface, st, why);
		else
			seterr(errbuf, errcap, "%s: pcap_activate: %s", nd->iface,
			       st);
		return NETDEV_ERR_OPEN;
	}
	if (rv > 0) {
		/* not fatal (e.g. promiscuous mode unsupported); let it be read */
		seterr(errbuf, errcap, "%s: warning: %s: %s", nd->iface,
		       pcap_statustostr(rv), pcap_geterr(nd->pcap));
	}
	if (pcap_datalink(nd->pcap) != DLT_EN10MB) {
		seterr(errbuf, errcap, "%s: link type %s, want Ethernet", nd->iface,
		       pcap_datalink_val_to_name(pcap_datalink(nd->pcap)));
		return NETDEV_ERR_OPEN;
	}
	if (nd->nano)
		nd->nano = pcap_get_tstamp_precision(nd->pcap) ==
			   PCAP_TSTAMP_PRECISION_NANO;
	if (pcap_setnonblock(nd->pcap, 1, pe) != 0) {
		seterr(errbuf, errcap, "%s: pcap_setnonblock: %s", nd->iface, pe);
		return NETDEV_ERR_OPEN;
	}
	nd->fd = pcap_get_selectable_fd(nd->pcap);
	if (nd->fd < 0) {
		seterr(errbuf, errcap, "%s: no selectable capture fd", nd->iface);
		return NETDEV_ERR_OPEN;
	}
	return 0;
}

/* libnet's PF_PACKET socket is bound to ETH_P_ALL on no interface: it
 * would queue a copy of every frame of the namespace that nobody reads.
 * A reject-all filter keeps its receive queue empty. Best effort: if it
 * fails, that queue just fills up and drops, as it always did. */
static void mute_libnet_rx(struct netdev *nd)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	int fd = libnet_getfd(nd->net);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

int netdev_open(struct netdev **out, const char *iface, const char *filter,
		char *errbuf, size_t errcap)
{
	char le[LIBNET_ERRBUF_SIZE] = "";
	struct netdev *nd;
	int rv;

	*out = NULL;
	if (errbuf && errcap)
		errbuf[0] = '\0';
	nd = calloc(1, sizeof(*nd));
	if (!nd) {
		seterr(errbuf, errcap, "%s: out of memory", iface);
		return NETDEV_ERR_OPEN;
	}
	nd->fd = -1;
	snprintf(nd->iface, sizeof(nd->iface), "%s", iface);

	/* Capture is live and filtered before libnet exists, so nothing can
	 * be injected before the filter is in place. Frames that arrived
	 * between activate and setfilter are re-filtered by libpcap, so the
	 * ring is not drained of anything that matches. */
	rv = open_pcap(nd, errbuf, errcap);
	if (rv == 0)
		rv = apply_filter(nd, filter, errbuf, errcap);
	if (rv != 0)
		goto fail;

	nd->net = libnet_init(LIBNET_LINK_ADV, nd->iface, le);
	if (!nd->net) {
		seterr(errbuf, errcap, "%s: libnet_init: %s", nd->iface, le);
		rv = NETDEV_ERR_OPEN;
		goto fail;
	}
	mute_libnet_rx(nd);
	*out = nd;
	return 0;

fail:
	netdev_close(nd);
	return rv;
}

int netdev_set_filter(struct netdev *nd, const char *filter, char *errbuf,
		      size_t errcap)
{
	return apply_filter(nd, filter, errbuf, errcap);
}

static int dump_close(struct netdev *nd, char *errbuf, size_t errcap)
{
	int rv = 0;

	if (!nd->dump)
		return 0;
	if (pcap_dump_flush(nd->dump) != 0) {
		seterr(errbuf, errcap, "%s: flushing the pcap dump: %s", nd->iface,
		       strerror(errno));
		rv = NETDEV_ERR_DUMP;
	}
	pcap_dump_close(nd->dump);
	nd->dump = NULL;
	return rv;
}

int netdev_dump(struct netdev *nd, const char *path, char *errbuf,
		size_t errcap)
{
	int rv = dump_close(nd, errbuf, errcap);

	if (!path)
		return rv;
	/* the capture handle gives the file Ethernet, snaplen and ns precision */
	nd->dump = pcap_dump_open(nd->pcap, path);
	if (!nd->dump) {
		seterr(errbuf, errcap, "%s: pcap_dump_open %s: %s", nd->iface, path,
		       pcap_geterr(nd->pcap));
		return NETDEV_ERR_DUMP;
	}
	return rv;
}

int netdev_send(struct netdev *nd, const uint8_t *frame, size_t len)
{
	int n;

	if (len == 0 || len > UINT32_MAX) {
		seterr(nd->err, sizeof(nd->err), "%s: send: bad frame length %zu",
		       nd->iface, len);
		return NETDEV_ERR_IO;
	}
	errno = 0;
	n = libnet_adv_write_link(nd->net, frame, (uint32_t)len);
	if (n < 0 || (size_t)n != len) {
		const char *why = libnet_geterror(nd->net);

		/* libnet leaves its message empty when the ifindex lookup
		 * fails (interface gone); errno still says why */
		seterr(nd->err, sizeof(nd->err), "%s: libnet_adv_write_link: %s",
		       nd->iface, why && why[0] ? why :
		       errno ? strerror(errno) : "short write");
		return NETDEV_ERR_IO;
	}
	return 0;
}

int netdev_recv(struct netdev *nd, int64_t deadline_ns,
		struct netdev_frame *frame)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pollfd pfd;
	int64_t left;
	int rv, ms;

	for (;;) {
		/* ask pcap first: what arrived while we were injecting is
		 * already buffered, and poll reports only new arrivals when
		 * pcap holds a partly read ring block */
		rv = pcap_next_ex(nd->pcap, &h, &data);
		if (rv == 1)
			break;
		if (rv < 0) {
			seterr(nd->err, sizeof(nd->err), "%s: pcap_next_ex: %s",
			       nd->iface, pcap_geterr(nd->pcap));
			return NETDEV_ERR_IO;
		}
		left = deadline_ns - netdev_now_ns();
		if (left <= 0)
			return 0;
		/* round up so we never wake just before the deadline and spin */
		ms = left > 3600000LL * 1000000 ? 3600000 :
		     (int)((left + 999999) / 1000000);
		pfd.fd = nd->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR) {
			seterr(nd->err, sizeof(nd->err), "%s: poll: %s", nd->iface,
			       strerror(errno));
			return NETDEV_ERR_IO;
		}
		if (pfd.revents & (POLLERR | POLLNVAL)) {
			/* pcap_next_ex reports what went wrong (e.g. the
			 * interface went away) on the next turn */
			rv = pcap_next_ex(nd->pcap, &h, &data);
			if (rv == 1)
				break;
			seterr(nd->err, sizeof(nd->err),
			       "%s: capture socket error: %s", nd->iface,
			       rv < 0 ? pcap_geterr(nd->pcap) : "poll error");
			return NETDEV_ERR_IO;
		}
	}

	frame->data = data;
	frame->caplen = h->caplen;
	frame->wirelen = h->len;
	frame->ts_ns = (int64_t)h->ts.tv_sec * 1000000000 +
		       (int64_t)h->ts.tv_usec * (nd->nano ? 1 : 1000);
	if (nd->dump)
		pcap_dump((u_char *)nd->dump, h, data);
	return 1;
}

const char *netdev_error(const struct netdev *nd)
{
	return nd->err;
}

void netdev_close(struct netdev *nd)
{
	if (!nd)
		return;
	dump_close(nd, NULL, 0);
	if (nd->net)
		libnet_destroy(nd->net);
	if (nd->pcap)
		pcap_close(nd->pcap);
	free(nd);
}
