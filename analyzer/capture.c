#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct capture {
	pcap_t *pcap;
	FILE *f;               /* owned by pcap; used for record offsets */
	char path[256];
	enum wire_link link;
	uint64_t num;
};

int capture_link_from_dlt(int dlt, enum wire_link *out)
{
	switch (dlt) {
	case DLT_EN10MB:     *out = WIRE_LINK_ETHERNET; return 0;
	case DLT_LINUX_SLL:  *out = WIRE_LINK_SLL; return 0;
	case DLT_LINUX_SLL2: *out = WIRE_LINK_SLL2; return 0;
	case DLT_RAW:        *out = WIRE_LINK_RAW; return 0;
	case DLT_IPV4:       *out = WIRE_LINK_IPV4; return 0;
	case DLT_IPV6:       *out = WIRE_LINK_IPV6; return 0;
	case DLT_NULL:       *out = WIRE_LINK_NULL; return 0;
	case DLT_LOOP:       *out = WIRE_LINK_LOOP; return 0;
	}
	/* LINKTYPE_RAW (101) reaches us as DLT_RAW; 14 is DLT_RAW on some BSDs */
	if (dlt == 101 || dlt == 14) {
		*out = WIRE_LINK_RAW;
		return 0;
	}
	return CAPTURE_ERR_LINKTYPE;
}

/* libpcap's message for "unknown file format" is terse; say what we
 * expected and what the file starts with. */
static void describe_open_error(FILE *f, const char *path, const char *pcap_err,
				struct diag *d)
{
	unsigned char magic[4] = {0};
	size_t n;

	rewind(f);
	n = fread(magic, 1, sizeof(magic), f);
	if (n == 0) {
		diag_set(d, path, 0, 0, "byte 0: empty file, expected a pcap or pcapng header");
		return;
	}
	if (strstr(pcap_err, "unknown file format")) {
		diag_set(d, path, 0, 0,
			 "byte 0: not a pcap or pcapng file (starts with %02x %02x %02x %02x, "
			 "expected a pcap magic a1b2c3d4/a1b23c4d or pcapng 0a0d0d0a)",
			 magic[0], magic[1], magic[2], magic[3]);
		return;
	}
	diag_set(d, path, 0, 0, "byte 0: %s", pcap_err);
}

int capture_open_file(struct capture **out, const char *path, struct diag *d)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	FILE *f;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return diag_set(d, path, 0, 0, "cannot open: %s", strerror(errno)),
		       CAPTURE_ERR_OPEN;
	c = calloc(1, sizeof(*c));
	if (!c) {
		fclose(f);
		return diag_set(d, path, 0, 0, "out of memory"), CAPTURE_ERR_OPEN;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO,
							   errbuf);
	if (!c->pcap) {
		describe_open_error(f, path, errbuf, d);
		fclose(f);
		free(c);
		return CAPTURE_ERR_OPEN;
	}
	c->f = f;
	if (capture_link_from_dlt(pcap_datalink(c->pcap), &c->link) < 0) {
		int dlt = pcap_datalink(c->pcap);
		const char *name = pcap_datalink_val_to_name(dlt);

		diag_set(d, path, 0, 0,
			 "link type %d (%s) is not decoded; expected Ethernet, Linux SLL/SLL2, "
			 "raw IP, or BSD loopback", dlt, name ? name : "unknown");
		capture_close(c);
		return CAPTURE_ERR_LINKTYPE;
	}
	*out = c;
	return 0;
}

enum wire_link capture_link(const struct capture *c)
{
	return c->link;
}

int capture_next(struct capture *c, struct capture_pkt *pkt, struct diag *d)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	long off;
	int rc;

	/* libpcap reads each record with fread, so the stream position before
	 * the call is where the next record starts. */
	off = ftell(c->f);
	rc = pcap_next_ex(c->pcap, &hdr, &data);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		diag_set(d, c->path, 0, 0, "byte %ld (after packet %llu): %s", off,
			 (unsigned long long)c->num, pcap_geterr(c->pcap));
		return CAPTURE_ERR_READ;
	}
	c->num++;
	pkt->data = data;
	pkt->caplen = hdr->caplen;
	pkt->wirelen = hdr->len;
	/* nano precision was requested, so tv_usec holds nanoseconds */
	pkt->ts_ns = (int64_t)hdr->ts.tv_sec * 1000000000 + hdr->ts.tv_usec;
	pkt->num = c->num;
	pkt->offset = off < 0 ? 0 : (uint64_t)off;
	return 1;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->pcap)
		pcap_close(c->pcap); /* closes c->f */
	free(c);
}
