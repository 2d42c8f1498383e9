/* finding: the catalogue. One row per enum finding_id, in a table
 * indexed by the id, so lookup is an array access and a forgotten row is
 * a compile error (the size assert) or a unit-test failure (empty row).
 *
 * Levels: a header the RFC says MUST be well-formed (or a check the RFC
 * says a receiver MUST make, like the checksums) is FINDING_MUST;
 * things we observe without a rule being broken (fragments, truncated
 * captures, offloaded checksums, our own limits) are FINDING_ANALYSIS.
 *
 * Reason templates take the finding's three values, in order, through
 * %llu / %llx conversions only (tests/unit/test_finding.c checks this). */
#include <stdio.h>

#include "finding.h"

#define ROW(id_, name_, rfc_, sec_, level_, title_, reason_) \
	[id_] = { .id = id_, .name = name_, .rfc = rfc_, .section = sec_, \
		  .level = level_, .title = title_, .reason = reason_ }

static const struct finding_info catalogue[] = {
	/* capture / link / IP */
	ROW(FND_PKT_TRUNCATED_LINK, "PKT-TRUNCATED-LINK", "RFC1122", "2.3",
	    FINDING_ANALYSIS, "Frame shorter than its link-layer header",
	    "%llu bytes captured, link header needs %llu"),
	ROW(FND_PKT_TRUNCATED_IP, "PKT-TRUNCATED-IP", "RFC791", "3.1",
	    FINDING_ANALYSIS, "IP header cut short by the snaplen or the frame",
	    "%llu bytes of IP captured, header needs %llu"),
	ROW(FND_IP_BAD_VERSION, "IP-BAD-VERSION", "RFC1122", "3.2.1.1",
	    FINDING_MUST, "IP version field must match the protocol carried",
	    "version field %llu, link layer expects %llu (0: 4 or 6)"),
	ROW(FND_IP_BAD_IHL, "IP-BAD-IHL", "RFC791", "3.1", FINDING_MUST,
	    "IPv4 IHL must be at least 5 and fit the packet",
	    "IHL %llu (%llu bytes), frame carries %llu bytes of IP"),
	ROW(FND_IP_BAD_TOTAL_LENGTH, "IP-BAD-TOTAL-LENGTH", "RFC791", "3.1",
	    FINDING_MUST,
	    "IP length must cover its header and fit the frame",
	    "IP length %llu, header %llu bytes, frame carries %llu bytes"),
	ROW(FND_IP_BAD_OPTION, "IP-BAD-OPTION", "RFC791", "3.1", FINDING_MUST,
	    "IPv4 option length must be at least 2 and end inside the header",
	    "option %llu with length %llu at header offset %llu"),
	ROW(FND_IP_CHECKSUM_BAD, "IP-CHECKSUM-BAD", "RFC1122", "3.2.1.2",
	    FINDING_MUST, "IPv4 header checksum must be correct",
	    "header checksum 0x%04llx, expected 0x%04llx"),
	ROW(FND_IP_FRAGMENT, "IP-FRAGMENT", "RFC791", "2.3", FINDING_ANALYSIS,
	    "IP fragment: recognised, not reassembled",
	    "fragment id 0x%llx at offset %llu, more fragments %llu"),
	ROW(FND_IP6_BAD_EXT_HEADER, "IP6-BAD-EXT-HEADER", "RFC8200", "4",
	    FINDING_MUST,
	    "IPv6 extension header must be well-formed and end inside the packet",
	    "extension header %llu malformed at offset %llu (%llu bytes available)"),
	ROW(FND_IP6_TOO_MANY_EXT, "IP6-TOO-MANY-EXT", "RFC8200", "4.1",
	    FINDING_ANALYSIS,
	    "IPv6 extension chain longer than tcpspec follows",
	    "more than %llu extension headers: stopped at header %llu, offset %llu"),
	/* TCP header */
	ROW(FND_TCP_TRUNCATED, "TCP-TRUNCATED", "RFC9293", "3.1",
	    FINDING_ANALYSIS, "TCP header cut short: fewer than 20 bytes",
	    "%llu bytes of TCP captured, IP length says %llu"),
	ROW(FND_TCP_BAD_DATA_OFFSET, "TCP-BAD-DATA-OFFSET", "RFC9293", "3.1",
	    FINDING_MUST, "TCP data offset must be at least 5 words",
	    "data offset %llu (%llu bytes), minimum 5 (20 bytes)"),
	ROW(FND_TCP_DATA_OFFSET_PAST_END, "TCP-DATA-OFFSET-PAST-END", "RFC9293",
	    "3.1", FINDING_MUST, "TCP data offset must lie inside the segment",
	    "data offset %llu (%llu bytes) past the %llu-byte segment"),
	ROW(FND_TCP_RESERVED_BITS, "TCP-RESERVED-BITS", "RFC9293", "3.1",
	    FINDING_MUST, "TCP reserved bits must be zero when sent",
	    "reserved bits 0x%llx set"),
	ROW(FND_TCP_OPT_BAD_LENGTH, "TCP-OPT-BAD-LENGTH", "RFC9293", "3.2",
	    FINDING_MUST,
	    "TCP option length must count its kind and length bytes (MUST-7)",
	    "option kind %llu with length %llu at offset %llu"),
	ROW(FND_TCP_OPT_PAST_HEADER, "TCP-OPT-PAST-HEADER", "RFC9293", "3.2",
	    FINDING_MUST, "TCP option must end inside the header (MUST-7)",
	    "option kind %llu length %llu at offset %llu runs past the header"),
	ROW(FND_TCP_OPT_WRONG_LENGTH, "TCP-OPT-WRONG-LENGTH", "RFC9293", "3.2",
	    FINDING_MUST, "Known TCP option must have its defined length",
	    "option kind %llu cannot have length %llu (offset %llu)"),
	ROW(FND_TCP_CHECKSUM_BAD, "TCP-CHECKSUM-BAD", "RFC9293", "3.1",
	    FINDING_MUST, "TCP checksum must be correct (MUST-2, MUST-3)",
	    "checksum 0x%04llx, expected 0x%04llx"),
	ROW(FND_TCP_CHECKSUM_PARTIAL, "TCP-CHECKSUM-PARTIAL", "RFC9293", "3.1",
	    FINDING_ANALYSIS,
	    "TCP checksum left to offload: holds only the pseudo-header sum",
	    "checksum 0x%04llx is the pseudo-header sum, full checksum 0x%04llx"),
	ROW(FND_TCP_CHECKSUM_UNVERIFIED, "TCP-CHECKSUM-UNVERIFIED", "RFC9293",
	    "3.1", FINDING_ANALYSIS,
	    "TCP checksum not verified: segment not all captured",
	    "%llu of %llu segment bytes captured, fragment %llu"),
};

_Static_assert(sizeof(catalogue) / sizeof(catalogue[0]) == FND__COUNT,
	       "finding catalogue must have one row per enum finding_id");

const struct finding_info *finding_info(enum finding_id id)
{
	if ((unsigned)id >= FND__COUNT)
		return NULL;
	return &catalogue[id];
}

const char *finding_level_name(enum finding_level level)
{
	switch (level) {
	case FINDING_MUST:
		return "MUST";
	case FINDING_SHOULD:
		return "SHOULD";
	case FINDING_MAY:
		return "MAY";
	case FINDING_ANALYSIS:
		return "ANALYSIS";
	}
	return "?";
}

void finding_reason(const struct finding *f, char *buf, size_t cap)
{
	const struct finding_info *fi;

	if (!buf || !cap)
		return;
	fi = f ? finding_info(f->id) : NULL;
	if (!fi || !fi->reason) {
		snprintf(buf, cap, "unknown finding %d", f ? (int)f->id : -1);
		return;
	}
	/* The template is a catalogue constant, checked by the unit test:
	 * up to three %llu/%llx conversions; unused values are ignored
	 * (C11 7.21.6.1p2). */
	snprintf(buf, cap, fi->reason, f->v[0], f->v[1], f->v[2]);
}
