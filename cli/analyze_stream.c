/* Reassembled streams for `tcpspec analyze`:
 *
 * --follow FLOW prints one connection's two byte streams as they are
 * reassembled (a heading whenever the direction changes, non-printable
 * bytes shown as '.', as tshark's "follow,tcp,ascii" does), then a line
 * with the totals.
 *
 * --extract DIR writes each direction of every connection to
 * DIR/<conn>-orig.bin and DIR/<conn>-resp.bin (with several inputs
 * DIR/f<N>-<conn>-...), exactly the bytes delivered in order. Bytes that
 * were never captured are skipped, not filled: each gap is listed in a
 * sidecar <conn>-<dir>.gaps ("OFFSET LENGTH": the offset in the .bin
 * where the missing bytes belong), which exists only when there was a gap.
 * At most MAX_OPEN files are open at once; older ones are closed and
 * reopened for appending, so many concurrent connections do not run out
 * of descriptors. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze.h"

#define MAX_OPEN 64
#define PATH_CAP 4200

static const char *const dir_word[2] = {"orig", "resp"};
static const char *const dir_arrow[2] = {"A->B", "B->A"};

struct sdir {
	uint64_t bytes, gaps, gap_bytes;  /* offset in the stream = bytes + gap_bytes */
	FILE *f;                          /* extract: open .bin, NULL when closed */
	int slot;                         /* index in open[] while f is open */
	bool created;
};

struct sconn {
	struct cmap_node node;
	bool follow;                      /* this is the --follow connection */
	bool header;                      /* its heading was printed */
	int last_dir;                     /* -1: none yet */
	bool at_bol;                      /* follow output ends with a newline */
	struct sdir d[2];
};

struct analyze_stream {
	struct analyze_input *in;
	const struct analyze_opts *o;
	struct cmap conns;
	bool followed, failed;
	char prefix[24];                  /* "" or "f<N>-" */
	struct { struct sconn *c; int dir; } open[MAX_OPEN];
	unsigned open_next;
};

static bool addr_eq(uint8_t version, const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, version == 6 ? 16 : 4);
}

static bool flow_matches(const struct analyze_flow *f, uint64_t conn_id,
			 const struct track_endpoints *ep)
{
	if (f->by_id)
		return conn_id == f->id;
	if (ep->version != f->version)
		return false;
	for (int i = 0; i < 2; i++)
		if (addr_eq(f->version, ep->src, f->addr[i]) && ep->sport == f->port[i] &&
		    addr_eq(f->version, ep->dst, f->addr[!i]) && ep->dport == f->port[!i])
			return true;
	return false;
}

/* "[v6]:PORT" or "v4:PORT" */
static int parse_endpoint(const char *s, size_t len, struct analyze_flow *f, int i)
{
	char buf[64], *port, *end;
	unsigned long p;
	int version;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (!close || close[1] != ':')
			return -1;
		*close = '\0';
		port = close + 2;
		version = 6;
		if (inet_pton(AF_INET6, buf + 1, f->addr[i]) != 1)
			return -1;
	} else {
		port = strrchr(buf, ':');
		if (!port)
			return -1;
		*port++ = '\0';
		version = 4;
		if (inet_pton(AF_INET, buf, f->addr[i]) != 1)
			return -1;
	}
	if (f->version && f->version != version)
		return -1;
	f->version = (uint8_t)version;
	errno = 0;
	p = strtoul(port, &end, 10);
	if (!port[0] || *end || errno || p > 65535 || port[0] == '-' || port[0] == '+')
		return -1;
	f->port[i] = (uint16_t)p;
	return 0;
}

int analyze_parse_flow(const char *spec, struct analyze_flow *f)
{
	const char *dash;
	char *end;

	memset(f, 0, sizeof(*f));
	if (spec[0] >= '0' && spec[0] <= '9' && !strchr(spec, ':')) {
		errno = 0;
		f->id = strtoull(spec, &end, 10);
		f->by_id = true;
		return *end || errno || !f->id ? -1 : 0;
	}
	/* neither addresses nor ports contain '-': the first one splits */
	dash = strchr(spec, '-');
	if (!dash)
		return -1;
	if (parse_endpoint(spec, (size_t)(dash - spec), f, 0) < 0 ||
	    parse_endpoint(dash + 1, strlen(dash + 1), f, 1) < 0)
		return -1;
	return 0;
}

int analyze_extract_dir(const char *dir, struct diag *d)
{
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return diag_set(d, NULL, 0, 0, "--extract %s: cannot create the directory: %s",
				dir, strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return diag_set(d, NULL, 0, 0, "--extract %s: not a directory (expected a "
				"directory to write the streams to)", dir);
	return 0;
}

int analyze_stream_new(struct analyze_stream **out, struct analyze_input *in, struct diag *d)
{
	struct analyze_stream *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return diag_set(d, NULL, 0, 0, "out of memory");
	s->in = in;
	s->o = in->o;
	cmap_init(&s->conns);
	if (in->n_inputs > 1)
		snprintf(s->prefix, sizeof(s->prefix), "f%u-", in->idx);
	*out = s;
	return 0;
}

static void stream_fail(struct analyze_stream *s, const char *what, const char *path)
{
	char msg[PATH_CAP + 200];

	if (s->failed)
		return;
	s->failed = true; /* one message; later writes are skipped */
	snprintf(msg, sizeof(msg), "%s: %s: %s", path, what, strerror(errno));
	analyze_error(s->in, msg);
}

static void path_of(const struct analyze_stream *s, uint64_t id, int dir, const char *ext,
		    char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s%llu-%s.%s", s->o->extract_dir, s->prefix,
		 (unsigned long long)id, dir_word[dir], ext);
}

static void close_dir(struct analyze_stream *s, struct sconn *c, int dir)
{
	struct sdir *d = &c->d[dir];
	char path[PATH_CAP];

	if (!d->f)
		return;
	s->open[d->slot].c = NULL;
	if (fclose(d->f) != 0) {
		path_of(s, c->node.id, dir, "bin", path, sizeof(path));
		stream_fail(s, "write failed", path);
	}
	d->f = NULL;
}

static FILE *file_of(struct analyze_stream *s, struct sconn *c, int dir)
{
	struct sdir *d = &c->d[dir];
	unsigned slot = s->open_next++ % MAX_OPEN;
	char path[PATH_CAP];

	if (d->f)
		return d->f;
	if (s->open[slot].c)
		close_dir(s, s->open[slot].c, s->open[slot].dir);
	path_of(s, c->node.id, dir, "bin", path, sizeof(path));
	d->f = fopen(path, d->created ? "ab" : "wb");
	if (!d->f) {
		stream_fail(s, "cannot write", path);
		return NULL;
	}
	d->created = true;
	d->slot = (int)slot;
	s->open[slot].c = c;
	s->open[slot].dir = dir;
	return d->f;
}

static void extract_gap(struct analyze_stream *s, struct sconn *c, int dir, uint32_t len)
{
	char path[PATH_CAP];
	FILE *g;

	path_of(s, c->node.id, dir, "gaps", path, sizeof(path));
	g = fopen(path, c->d[dir].gaps ? "a" : "w");
	if (!g) {
		stream_fail(s, "cannot write", path);
		return;
	}
	if (!c->d[dir].gaps)
		fprintf(g, "# OFFSET LENGTH: bytes missing from the .bin at OFFSET\n");
	fprintf(g, "%llu %u\n", (unsigned long long)c->d[dir].bytes, len);
	if (fclose(g) != 0)
		stream_fail(s, "write failed", path);
}

static void follow_header(struct analyze_stream *s, struct sconn *c,
			  const struct track_endpoints *ep0)
{
	char a[64], b[64];

	analyze_out(s->in);
	analyze_ep_str(ep0->version, ep0->src, ep0->sport, a, sizeof(a));
	analyze_ep_str(ep0->version, ep0->dst, ep0->dport, b, sizeof(b));
	printf("==== conn %llu: A %s, B %s ====\n", (unsigned long long)c->node.id, a, b);
	c->header = true;
	c->at_bol = true;
}

static void follow_data(struct analyze_stream *s, struct sconn *c, int dir,
			const uint8_t *data, uint32_t len)
{
	struct sdir *d = &c->d[dir];

	analyze_out(s->in);
	if (!c->at_bol)
		putchar('\n');
	c->at_bol = true;
	if (!data) {
		printf("%s gap: %u bytes missing at offset %llu\n", dir_arrow[dir], len,
		       (unsigned long long)(d->bytes + d->gap_bytes));
		c->last_dir = -1;
		return;
	}
	if (c->last_dir != dir)
		printf("%s (offset %llu):\n", dir_arrow[dir],
		       (unsigned long long)(d->bytes + d->gap_bytes));
	c->last_dir = dir;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t ch = data[i];

		putchar((ch >= 0x20 && ch < 0x7f) || ch == '\n' || ch == '\r' || ch == '\t' ?
			ch : '.');
	}
	c->at_bol = len && data[len - 1] == '\n';
}

static struct sconn *conn_of(struct analyze_stream *s, uint64_t id, bool follow)
{
	struct cmap_node *n = cmap_find(&s->conns, id);
	struct sconn *c;

	if (n)
		return (struct sconn *)n;
	c = calloc(1, sizeof(*c));
	if (c)
		c->node.id = id;
	if (!c || cmap_insert(&s->conns, &c->node) < 0) {
		free(c);
		errno = ENOMEM;
		stream_fail(s, "cannot keep the stream", s->o->extract_dir ?
			    s->o->extract_dir : "--follow");
		return NULL;
	}
	c->follow = follow;
	c->last_dir = -1;
	if (follow)
		s->followed = true;
	return c;
}

void analyze_stream_data(struct analyze_stream *s, uint64_t conn_id, int dir,
			 const struct track_endpoints *ep, const uint8_t *data, uint32_t len)
{
	bool follow = s->o->follow && flow_matches(&s->o->follow_flow, conn_id, ep);
	struct sconn *c;
	FILE *f;

	dir &= 1;
	if ((!follow && !s->o->extract_dir) || (s->failed && !follow))
		return;
	if (!(c = conn_of(s, conn_id, follow)))
		return;
	if (c->follow && !c->header) {
		struct track_endpoints ep0 = *ep;

		if (dir) { /* the heading names the originator first */
			memcpy(ep0.src, ep->dst, sizeof(ep0.src));
			memcpy(ep0.dst, ep->src, sizeof(ep0.dst));
			ep0.sport = ep->dport;
			ep0.dport = ep->sport;
		}
		follow_header(s, c, &ep0);
	}
	if (c->follow)
		follow_data(s, c, dir, data, len);
	if (s->o->extract_dir && !s->failed) {
		if (!data)
			extract_gap(s, c, dir, len);
		else if ((f = file_of(s, c, dir)) && len && fwrite(data, 1, len, f) != len)
			stream_fail(s, "write failed", s->o->extract_dir);
	}
	if (data) {
		c->d[dir].bytes += len;
	} else {
		c->d[dir].gaps++;
		c->d[dir].gap_bytes += len;
	}
}

void analyze_stream_conn_end(struct analyze_stream *s, const struct track_conn_summary *sum)
{
	bool follow = s->o->follow && flow_matches(&s->o->follow_flow, sum->conn_id, &sum->ep);
	struct cmap_node *n = cmap_remove(&s->conns, sum->conn_id);
	struct sconn *c = (struct sconn *)n, empty;

	if (!c) {
		if (!follow && !s->o->extract_dir)
			return;
		/* a connection without data: still followed, still two files */
		memset(&empty, 0, sizeof(empty));
		empty.node.id = sum->conn_id;
		empty.follow = follow;
		c = &empty;
		s->followed |= follow;
	}
	if (c->follow) {
		if (!c->header)
			follow_header(s, c, &sum->ep);
		if (!c->at_bol)
			putchar('\n');
		printf("==== end of conn %llu: A->B %llu bytes, B->A %llu bytes, %llu gaps "
		       "(%llu bytes missing) ====\n", (unsigned long long)c->node.id,
		       (unsigned long long)c->d[0].bytes, (unsigned long long)c->d[1].bytes,
		       (unsigned long long)(c->d[0].gaps + c->d[1].gaps),
		       (unsigned long long)(c->d[0].gap_bytes + c->d[1].gap_bytes));
	}
	for (int dir = 0; dir < 2 && s->o->extract_dir; dir++) {
		if (!c->d[dir].created && !s->failed)
			file_of(s, c, dir); /* an empty direction is an empty file */
		close_dir(s, c, dir);
	}
	if (c != &empty)
		free(c);
}

bool analyze_stream_followed(const struct analyze_stream *s)
{
	return s->followed;
}

static void drop_conn(void *ctx, struct cmap_node *n)
{
	struct analyze_stream *s = ctx;
	struct sconn *c = (struct sconn *)n;

	close_dir(s, c, 0);
	close_dir(s, c, 1);
	free(c);
}

int analyze_stream_del(struct analyze_stream *s)
{
	bool failed;

	if (!s)
		return 0;
	/* connections the tracker never ended (an error stopped the input) */
	cmap_drain(&s->conns, drop_conn, s);
	cmap_free(&s->conns);
	failed = s->failed;
	free(s);
	return failed ? -1 : 0;
}
