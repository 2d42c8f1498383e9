/* wire_str: flags and addresses as text, without libc's locale-dependent
 * or platform-dependent formatting (inet_ntop differs across libcs in
 * when it uses mixed IPv4 notation). */
#include <stdio.h>
#include <string.h>

#include "wire.h"

/* SYN first, as tcpspec prints flags ("SA", "FA", "PA"); tcpdump's
 * "[none]" for a segment without any flag. */
void wire_flags_str(uint8_t flags, char *buf)
{
	static const struct {
		uint8_t bit;
		char c;
	} order[] = {
		{ WIRE_TH_SYN, 'S' }, { WIRE_TH_FIN, 'F' }, { WIRE_TH_RST, 'R' },
		{ WIRE_TH_PSH, 'P' }, { WIRE_TH_ACK, 'A' }, { WIRE_TH_URG, 'U' },
		{ WIRE_TH_ECE, 'E' }, { WIRE_TH_CWR, 'C' },
	};
	size_t i, n = 0;

	if (!buf)
		return;
	if (!flags) {
		strcpy(buf, "none");
		return;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (flags & order[i].bit)
			buf[n++] = order[i].c;
	buf[n] = '\0';
}

static void v4_str(const uint8_t *a, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* RFC 5952 4: lowercase hex without leading zeros (4.1, 4.3); "::"
 * replaces the longest run of two or more zero fields, the first one on
 * a tie (4.2.1-4.2.3); IPv4-mapped addresses in mixed notation (5). */
static void v6_str(const uint8_t *a, char *buf)
{
	uint16_t w[8];
	int i, best = -1, best_len = 0, run = -1, n = 0;
	size_t len = 0;
	const size_t cap = 46;

	for (i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	if (!w[0] && !w[1] && !w[2] && !w[3] && !w[4] && w[5] == 0xFFFF) {
		snprintf(buf, cap, "::ffff:");
		v4_str(a + 12, buf + 7, cap - 7);
		return;
	}
	for (i = 0; i <= 8; i++) {
		if (i < 8 && !w[i]) {
			if (run < 0)
				run = i;
			continue;
		}
		if (run >= 0 && i - run > best_len) {
			best = run;
			best_len = i - run;
		}
		run = -1;
	}
	if (best_len < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			len += (size_t)snprintf(buf + len, cap - len, "::");
			i += best_len - 1;
			n = 0;
			continue;
		}
		len += (size_t)snprintf(buf + len, cap - len, "%s%x",
					n ? ":" : "", w[i]);
		n++;
	}
}

void wire_addr_str(uint8_t version, const uint8_t *addr, char *buf)
{
	if (!buf)
		return;
	if (!addr) {
		strcpy(buf, "?");
		return;
	}
	if (version == 4)
		v4_str(addr, buf, 46);
	else if (version == 6)
		v6_str(addr, buf);
	else
		strcpy(buf, "?");
}

const char *wire_csum_name(enum wire_csum_verdict c)
{
	switch (c) {
	case WIRE_CSUM_OK:         return "ok";
	case WIRE_CSUM_BAD:        return "bad";
	case WIRE_CSUM_PARTIAL:    return "partial";
	case WIRE_CSUM_UNVERIFIED: return "unverified";
	}
	return "unverified"; /* not a verdict: claim nothing was verified */
}
