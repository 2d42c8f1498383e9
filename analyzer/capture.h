/* capture: packets from a pcap or pcapng file (libpcap), with the byte
 * offset of every record so a damaged file is reported precisely, and the
 * link type mapped to the decoder's. */
#ifndef TCPSPEC_CAPTURE_H
#define TCPSPEC_CAPTURE_H

#include <stdint.h>

#include "diag.h"
#include "wire.h"

#define CAPTURE_ERR_OPEN      -1  /* cannot open / not a capture file */
#define CAPTURE_ERR_LINKTYPE  -2  /* link type we do not decode */
#define CAPTURE_ERR_READ      -3  /* damaged or truncated record */

struct capture;

struct capture_pkt {
	const uint8_t *data;   /* valid until the next capture_next */
	uint32_t caplen, wirelen;
	int64_t ts_ns;         /* timestamp, ns since the epoch */
	uint64_t num;          /* 1-based number in this file */
	uint64_t offset;       /* byte offset of the record in the file */
};

int capture_open_file(struct capture **out, const char *path, struct diag *d);
enum wire_link capture_link(const struct capture *c);
/* Returns 1 with *pkt filled, 0 at the end of the file, or
 * CAPTURE_ERR_READ with d naming the file, byte offset and problem. */
int capture_next(struct capture *c, struct capture_pkt *pkt, struct diag *d);
void capture_close(struct capture *c);

/* Maps a pcap DLT_ value; returns 0 or CAPTURE_ERR_LINKTYPE. */
int capture_link_from_dlt(int dlt, enum wire_link *out);

#endif
