#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct capture {
	pcap_t *pcap;
	FILE *f;               /* owned by pcap; used for record offsets (files) */
	char path[256];        /* file path, or interface name when live */
	enum wire_link link;
	uint64_t num;
	uint64_t size;         /* file size, 0 live */
	bool live;
	bool nano;             /* timestamps in ns (else us) */
	int fd;                /* live: selectable descriptor, -1 if none */
	bool has_filter;       /* files: filter applied here, see capture_set_filter */
	struct bpf_program prog;
	/* Record offsets without a syscall per packet: classic pcap records
	 * are laid end to end, so the next offset is arithmetic; pcapng
	 * blocks have lengths libpcap does not show, so their offset is
	 * refreshed with ftell every OFFSET_REFRESH packets (for progress)
	 * and found exactly by walking the blocks when a record is damaged. */
	bool pcapng;
	uint32_t rec_hdr;      /* classic record header: 16, or 24 (Kuznetzov) */
	uint64_t next_off;
	char *iobuf;           /* big stdio buffer: fewer read syscalls */
};

#define OFFSET_REFRESH 1024
#define IOBUF_SIZE (1 << 20)

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

/* Peeks at the magic to know how records are laid out; rewinds. */
static void detect_format(FILE *f, struct capture *c)
{
	uint8_t m[4] = {0};

	c->rec_hdr = 16;
	c->next_off = 24;
	if (fread(m, 1, 4, f) == 4) {
		uint32_t be = (uint32_t)m[0] << 24 | m[1] << 16 | m[2] << 8 | m[3];
		uint32_t le = (uint32_t)m[3] << 24 | m[2] << 16 | m[1] << 8 | m[0];

		c->pcapng = be == 0x0A0D0D0A;
		if (be == 0xA1B2CD34 || le == 0xA1B2CD34)
			c->rec_hdr = 24;
	}
	rewind(f);
}

static uint32_t rd32(const uint8_t *b, bool be)
{
	return be ? (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
		  : (uint32_t)b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0];
}

/* pcapng: the offset of the first block that is cut short or whose length
 * cannot be right, found by walking the block headers; -1 if none is. */
static long pcapng_damage(const char *path, uint64_t size)
{
	FILE *f = fopen(path, "rb");
	uint8_t h[12];
	uint64_t off = 0;
	bool be = false;
	long found = -1;

	if (!f)
		return -1;
	while (off < size) {
		uint32_t type, len;

		if (fseeko(f, (off_t)off, SEEK_SET) != 0 || fread(h, 1, 12, f) < 8) {
			found = (long)off;
			break;
		}
		if (rd32(h, true) == 0x0A0D0D0A) /* a section header sets the byte order */
			be = rd32(h + 8, true) == 0x1A2B3C4D;
		type = rd32(h, be);
		len = rd32(h + 4, be);
		(void)type;
		if (len < 12 || len % 4 || off + len > size) {
			found = (long)off;
			break;
		}
		off += len;
	}
	fclose(f);
	return found;
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
	c->iobuf = malloc(IOBUF_SIZE);
	if (c->iobuf)
		setvbuf(f, c->iobuf, _IOFBF, IOBUF_SIZE);
	detect_format(f, c);
	c->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO,
							   errbuf);
	if (!c->pcap) {
		describe_open_error(f, path, errbuf, d);
		fclose(f);
		free(c->iobuf);
		free(c);
		return CAPTURE_ERR_OPEN;
	}
	c->f = f;
	c->nano = true;
	c->fd = -1;
	{
		struct stat st;

		if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
			c->size = (uint64_t)st.st_size;
	}
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

/* pcap_geterr text without a trailing newline, for one-line messages. */
static const char *pcap_msg(pcap_t *p, char *buf, size_t cap)
{
	size_t n;

	snprintf(buf, cap, "%s", pcap_geterr(p));
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return buf;
}

static int activate_error(pcap_t *p, int rc, const char *iface, struct diag *d)
{
	char m[PCAP_ERRBUF_SIZE];

	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return diag_set(d, NULL, 0, 0, "interface '%s': no such device "
				"(expected a name from 'ip link')", iface),
		       CAPTURE_ERR_OPEN;
	case PCAP_ERROR_PERM_DENIED:
		return diag_set(d, NULL, 0, 0, "interface '%s': permission denied "
				"(capturing needs root or CAP_NET_RAW)", iface),
		       CAPTURE_ERR_OPEN;
	case PCAP_ERROR_IFACE_NOT_UP:
		return diag_set(d, NULL, 0, 0, "interface '%s': is down", iface),
		       CAPTURE_ERR_OPEN;
	}
	pcap_msg(p, m, sizeof(m));
	return diag_set(d, NULL, 0, 0, "interface '%s': cannot capture: %s", iface,
			m[0] ? m : pcap_statustostr(rc)),
	       CAPTURE_ERR_OPEN;
}

static int compile_filter(struct capture *c, const char *bpf, struct bpf_program *prog,
			  struct diag *d)
{
	char m[PCAP_ERRBUF_SIZE];

	if (pcap_compile(c->pcap, prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0)
		return diag_set(d, NULL, 0, 0, "filter '%s': %s (expected a pcap-filter(7) "
				"expression, e.g. 'tcp port 80')", bpf,
				pcap_msg(c->pcap, m, sizeof(m))),
		       CAPTURE_ERR_FILTER;
	return 0;
}

int capture_open_live(struct capture **out, const char *iface, const char *bpf,
		      int snaplen, struct diag *d)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return diag_set(d, NULL, 0, 0, "out of memory"), CAPTURE_ERR_OPEN;
	snprintf(c->path, sizeof(c->path), "%s", iface);
	c->live = true;
	c->fd = -1;
	c->pcap = pcap_create(iface, errbuf);
	if (!c->pcap) {
		errbuf[strcspn(errbuf, "\r\n")] = '\0';
		diag_set(d, NULL, 0, 0, "interface '%s': %s", iface, errbuf);
		free(c);
		return CAPTURE_ERR_OPEN;
	}
	pcap_set_snaplen(c->pcap, snaplen > 0 ? snaplen : 262144);
	pcap_set_promisc(c->pcap, 1);
	/* immediate: each packet is handed over at once, so a short test
	 * exchange and Ctrl-C do not wait for a buffer to fill */
	pcap_set_immediate_mode(c->pcap, 1);
	pcap_set_timeout(c->pcap, 100);
	/* not every platform has ns timestamps: fall back to us */
	pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(c->pcap);
	if (rc < 0) {
		activate_error(c->pcap, rc, iface, d);
		goto fail;
	}
	c->nano = pcap_get_tstamp_precision(c->pcap) == PCAP_TSTAMP_PRECISION_NANO;
	if (capture_link_from_dlt(pcap_datalink(c->pcap), &c->link) < 0) {
		int dlt = pcap_datalink(c->pcap);
		const char *name = pcap_datalink_val_to_name(dlt);

		diag_set(d, NULL, 0, 0, "interface '%s': link type %d (%s) is not decoded; "
			 "expected Ethernet, Linux SLL/SLL2, raw IP, or BSD loopback",
			 iface, dlt, name ? name : "unknown");
		capture_close(c);
		return CAPTURE_ERR_LINKTYPE;
	}
	if (bpf && bpf[0]) {
		struct bpf_program prog;
		char m[PCAP_ERRBUF_SIZE];

		if ((rc = compile_filter(c, bpf, &prog, d)) < 0) {
			capture_close(c);
			return rc;
		}
		rc = pcap_setfilter(c->pcap, &prog);
		pcap_freecode(&prog);
		if (rc < 0) {
			diag_set(d, NULL, 0, 0, "interface '%s': cannot set filter '%s': %s",
				 iface, bpf, pcap_msg(c->pcap, m, sizeof(m)));
			capture_close(c);
			return CAPTURE_ERR_FILTER;
		}
	}
	/* non-blocking reads behind our own poll(): the caller's loop wakes
	 * up on a timeout or a signal and sees its stop flag */
	if (pcap_setnonblock(c->pcap, 1, errbuf) < 0) {
		errbuf[strcspn(errbuf, "\r\n")] = '\0';
		diag_set(d, NULL, 0, 0, "interface '%s': %s", iface, errbuf);
		goto fail;
	}
	c->fd = pcap_get_selectable_fd(c->pcap);
	*out = c;
	return 0;
fail:
	capture_close(c);
	return CAPTURE_ERR_OPEN;
}

int capture_check_filter(const char *bpf, struct diag *d)
{
	struct capture c = {0};
	struct bpf_program prog;
	int rc;

	c.pcap = pcap_open_dead(DLT_EN10MB, 262144);
	if (!c.pcap)
		return diag_set(d, NULL, 0, 0, "out of memory"), CAPTURE_ERR_FILTER;
	rc = compile_filter(&c, bpf, &prog, d);
	if (rc == 0)
		pcap_freecode(&prog);
	pcap_close(c.pcap);
	return rc;
}

int capture_set_filter(struct capture *c, const char *bpf, struct diag *d)
{
	int rc;

	if (!bpf || !bpf[0])
		return 0;
	if (c->has_filter) {
		pcap_freecode(&c->prog);
		c->has_filter = false;
	}
	rc = compile_filter(c, bpf, &c->prog, d);
	if (rc < 0) {
		/* name the file too: a filter may compile for one link type only */
		char msg[DIAG_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", d->msg);
		diag_set(d, c->path, 0, 0, "%s", msg);
		return rc;
	}
	c->has_filter = true;
	return 0;
}

enum wire_link capture_link(const struct capture *c)
{
	return c->link;
}

bool capture_is_live(const struct capture *c)
{
	return c->live;
}

uint64_t capture_file_size(const struct capture *c)
{
	return c->size;
}

static int next_live(struct capture *c, struct capture_pkt *pkt, struct diag *d)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	char m[PCAP_ERRBUF_SIZE];
	int rc;

	rc = pcap_next_ex(c->pcap, &hdr, &data);
	if (rc == 0 || rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1)
		return diag_set(d, NULL, 0, 0, "interface '%s' (after packet %llu): %s",
				c->path, (unsigned long long)c->num,
				pcap_msg(c->pcap, m, sizeof(m))),
		       CAPTURE_ERR_READ;
	c->num++;
	pkt->data = data;
	pkt->caplen = hdr->caplen;
	pkt->wirelen = hdr->len;
	pkt->ts_ns = (int64_t)hdr->ts.tv_sec * 1000000000 +
		     (int64_t)hdr->ts.tv_usec * (c->nano ? 1 : 1000);
	pkt->num = c->num;
	pkt->offset = 0;
	return 1;
}

int capture_next(struct capture *c, struct capture_pkt *pkt, struct diag *d)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	long off;
	int rc;

	if (c->live)
		return next_live(c, pkt, d);
	for (;;) {
		if (c->pcapng && c->num % OFFSET_REFRESH == 0)
			c->next_off = (uint64_t)ftell(c->f);
		off = (long)c->next_off;
		rc = pcap_next_ex(c->pcap, &hdr, &data);
		if (rc == PCAP_ERROR_BREAK)
			return 0;
		if (rc != 1) {
			if (c->pcapng) {
				long dmg = pcapng_damage(c->path, c->size);

				off = dmg >= 0 ? dmg : ftell(c->f);
			}
			diag_set(d, c->path, 0, 0, "byte %ld (after packet %llu): %s", off,
				 (unsigned long long)c->num, pcap_geterr(c->pcap));
			return CAPTURE_ERR_READ;
		}
		c->num++;
		if (!c->pcapng)
			c->next_off += c->rec_hdr + hdr->caplen;
		if (!c->has_filter || pcap_offline_filter(&c->prog, hdr, data))
			break;
	}
	pkt->data = data;
	pkt->caplen = hdr->caplen;
	pkt->wirelen = hdr->len;
	/* nano precision was requested, so tv_usec holds nanoseconds */
	pkt->ts_ns = (int64_t)hdr->ts.tv_sec * 1000000000 + hdr->ts.tv_usec;
	pkt->num = c->num;
	pkt->offset = off < 0 ? 0 : (uint64_t)off;
	return 1;
}

int capture_wait(struct capture *c, int timeout_ms, struct diag *d)
{
	struct pollfd pfd;
	int rc;

	if (!c->live)
		return 1;
	if (c->fd < 0) {
		/* no selectable descriptor (not on Linux): the non-blocking
		 * reads are polled at the timeout's pace */
		struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000};

		nanosleep(&ts, NULL);
		return 1;
	}
	pfd.fd = c->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0 && errno == EINTR)
		return 0;
	if (rc < 0)
		return diag_set(d, NULL, 0, 0, "interface '%s': poll: %s", c->path,
				strerror(errno)),
		       CAPTURE_ERR_READ;
	if (rc > 0 && (pfd.revents & (POLLERR | POLLNVAL)) && !(pfd.revents & POLLIN))
		return diag_set(d, NULL, 0, 0, "interface '%s': capture descriptor failed "
				"(interface removed?)", c->path),
		       CAPTURE_ERR_READ;
	return rc > 0;
}

int capture_drops(struct capture *c, uint64_t *drops)
{
	struct pcap_stat ps;

	if (!c->live || pcap_stats(c->pcap, &ps) < 0)
		return -1;
	*drops = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
	return 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->has_filter)
		pcap_freecode(&c->prog);
	if (c->pcap)
		pcap_close(c->pcap); /* closes c->f */
	free(c->iobuf);      /* after the stream that used it is closed */
	free(c);
}
