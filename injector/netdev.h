/* netdev: one test link. Injects whole Ethernet frames with libnet (link
 * layer) and captures with libpcap (immediate mode, BPF filter, poll-based
 * wait with a deadline). Every frame seen on the link, including the ones
 * we inject, can be saved to a pcap file for the analyzer.
 *
 * Only netdev.c includes libnet.h: libnet's defines change glibc's
 * struct tcphdr for every file that includes it. */
#ifndef TCPSPEC_NETDEV_H
#define TCPSPEC_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#define NETDEV_ERR_OPEN    -1  /* interface could not be opened (errbuf says why) */
#define NETDEV_ERR_FILTER  -2  /* BPF filter did not compile / apply */
#define NETDEV_ERR_IO      -3  /* send / receive failed */
#define NETDEV_ERR_DUMP    -4  /* pcap dump file could not be written */

struct netdev;

struct netdev_frame {
	const uint8_t *data;  /* valid until the next netdev_recv */
	uint32_t caplen, wirelen;
	int64_t ts_ns;        /* capture timestamp, CLOCK_REALTIME ns */
};

/* Opens iface for injection and capture (snaplen 65535, immediate mode,
 * filter applied if non-NULL). errbuf (>= 256 bytes) gets a one-line reason. */
int netdev_open(struct netdev **out, const char *iface, const char *filter,
		char *errbuf, size_t errcap);
/* Replaces the BPF filter. Frames already captured are re-filtered with
 * the new one; libpcap briefly installs a reject-all filter while
 * switching, so switch only when nothing is expected on the link. */
int netdev_set_filter(struct netdev *nd, const char *filter, char *errbuf,
		      size_t errcap);
/* Starts saving every captured frame to path (pcap, Ethernet);
 * NULL stops saving and closes the current file. */
int netdev_dump(struct netdev *nd, const char *path, char *errbuf, size_t errcap);
/* Injects one frame. */
int netdev_send(struct netdev *nd, const uint8_t *frame, size_t len);
/* Waits for the next captured frame until deadline_ns (CLOCK_MONOTONIC).
 * Returns 1 with *frame filled, 0 on timeout, negative on error. */
int netdev_recv(struct netdev *nd, int64_t deadline_ns, struct netdev_frame *frame);
void netdev_close(struct netdev *nd);
/* One-line reason for the last failed netdev_send / netdev_recv
 * ("" if none). Valid until the next call on nd. */
const char *netdev_error(const struct netdev *nd);

/* CLOCK_MONOTONIC in ns. */
int64_t netdev_now_ns(void);

#endif
