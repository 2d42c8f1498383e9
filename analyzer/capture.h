/* capture: packets from a pcap or pcapng file or from a live interface
 * (libpcap), with the byte offset of every file record so a damaged file
 * is reported precisely, an optional BPF filter, and the link type mapped
 * to the decoder's. */
#ifndef TCPSPEC_CAPTURE_H
#define TCPSPEC_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "wire.h"

#define CAPTURE_ERR_OPEN      -1  /* cannot open / not a capture file / no such interface */
#define CAPTURE_ERR_LINKTYPE  -2  /* link type we do not decode */
#define CAPTURE_ERR_READ      -3  /* damaged or truncated record, interface gone */
#define CAPTURE_ERR_FILTER    -4  /* BPF filter does not compile */

struct capture;

struct capture_pkt {
	const uint8_t *data;   /* valid until the next capture_next */
	uint32_t caplen, wirelen;
	int64_t ts_ns;         /* timestamp, ns since the epoch */
	uint64_t num;          /* 1-based record number in this file (or since the
				  live capture started); a filter does not renumber */
	uint64_t offset;       /* byte offset of the record in the file (0 live) */
};

int capture_open_file(struct capture **out, const char *path, struct diag *d);
/* Opens iface in promiscuous, immediate mode with snaplen (0: 262144),
 * and the kernel filter bpf (NULL: everything). Errors name the interface
 * in one line. */
int capture_open_live(struct capture **out, const char *iface, const char *bpf,
		      int snaplen, struct diag *d);
/* Checks that bpf compiles (for Ethernet) before any input is opened, so
 * a typo is one usage error and not one error per file. */
int capture_check_filter(const char *bpf, struct diag *d);
/* A filter on a file: records that do not match are skipped, but packet
 * numbers stay those of the file, as Wireshark's display filter keeps
 * frame numbers. Returns 0 or CAPTURE_ERR_FILTER. */
int capture_set_filter(struct capture *c, const char *bpf, struct diag *d);

enum wire_link capture_link(const struct capture *c);
bool capture_is_live(const struct capture *c);
/* Size of the file in bytes (0 live or unknown), for a progress display
 * against capture_pkt.offset. */
uint64_t capture_file_size(const struct capture *c);

/* Returns 1 with *pkt filled; 0 at the end of a file, or, live, when no
 * packet is pending (see capture_wait); or CAPTURE_ERR_READ with d naming
 * the file and byte offset (or the interface) and the problem. */
int capture_next(struct capture *c, struct capture_pkt *pkt, struct diag *d);
/* Live: waits up to timeout_ms for packets. Returns 1 when some may be
 * read, 0 on timeout or when a signal interrupted the wait (so the caller
 * sees its stop flag), CAPTURE_ERR_READ on failure. */
int capture_wait(struct capture *c, int timeout_ms, struct diag *d);
/* Live: packets the kernel or the interface dropped so far (libpcap
 * pcap_stats). Returns 0, or -1 when not known. */
int capture_drops(struct capture *c, uint64_t *drops);
void capture_close(struct capture *c);

/* Maps a pcap DLT_ value; returns 0 or CAPTURE_ERR_LINKTYPE. */
int capture_link_from_dlt(int dlt, enum wire_link *out);

#endif
