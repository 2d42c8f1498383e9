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
	/* sender's obligations, checked by fsm_tx (core/fsm_tx.c). Levels: the
	 * RFC's keyword; ANALYSIS where no keyword forbids the thing (the
	 * title says so). Values: absolute sequence numbers. */
	ROW(FND_TX_SYN_WITH_FIN, "TX-SYN-WITH-FIN", "RFC9293", "3.1",
	    FINDING_ANALYSIS,
	    "SYN and FIN in one segment: no RFC keyword forbids it; a receiver takes the FIN only once synchronized (3.10.7.4)",
	    "SYN at seq %llu carries a FIN (%llu bytes of data)"),
	ROW(FND_TX_SYN_WITH_RST, "TX-SYN-WITH-RST", "RFC9293", "3.10.7.2",
	    FINDING_ANALYSIS,
	    "SYN and RST in one segment: no RFC keyword forbids it; a receiver acts on the RST first",
	    "SYN with RST at seq %llu"),
	ROW(FND_TX_ACK_FLAG_MISSING, "TX-ACK-FLAG-MISSING", "RFC9293", "3.1",
	    FINDING_ANALYSIS,
	    "Segment without ACK, SYN or RST: once established the ACK \"is always sent\" (no keyword); every receiving state drops it (3.10.7)",
	    "seq %llu, %llu bytes, flags 0x%02llx: ACK bit clear"),
	ROW(FND_TX_ACK_NUMBER_WITHOUT_ACK, "TX-ACK-NUMBER-WITHOUT-ACK", "RFC9293",
	    "3.1", FINDING_ANALYSIS,
	    "Acknowledgment number non-zero without the ACK bit: it is significant only with ACK (no keyword)",
	    "ack field %llu with the ACK bit clear"),
	ROW(FND_TX_URGENT_POINTER_WITHOUT_URG, "TX-URGENT-POINTER-WITHOUT-URG",
	    "RFC9293", "3.1", FINDING_ANALYSIS,
	    "Urgent pointer non-zero without the URG bit: it is interpreted only with URG (no keyword)",
	    "urgent pointer %llu with the URG bit clear"),
	ROW(FND_TX_MSS_NOT_SYN, "TX-MSS-OPTION-NOT-SYN", "RFC9293", "3.2",
	    FINDING_MUST,
	    "MSS option must not be sent in a segment without SYN (MUST-65)",
	    "MSS option %llu on a segment without SYN (seq %llu)"),
	ROW(FND_TX_WSCALE_NOT_SYN, "TX-WSCALE-OPTION-NOT-SYN", "RFC7323", "2.2",
	    FINDING_ANALYSIS,
	    "Window Scale option without SYN: it may be sent on SYNs only and receivers MUST ignore it elsewhere; no keyword forbids sending it",
	    "shift.cnt %llu on a segment without SYN (seq %llu)"),
	ROW(FND_TX_SACK_PERM_NOT_SYN, "TX-SACK-PERMITTED-NOT-SYN", "RFC2018", "2",
	    FINDING_MUST,
	    "SACK-permitted option must not be sent on non-SYN segments",
	    "SACK-permitted on a segment without SYN (seq %llu)"),
	ROW(FND_TX_WSCALE_OVER_14, "TX-WSCALE-SHIFT-OVER-14", "RFC7323", "2.3",
	    FINDING_MUST, "Window scale shift count must be limited to 14",
	    "shift.cnt %llu sent on the SYN (limit %llu)"),
	ROW(FND_TX_WSCALE_NOT_OFFERED, "TX-WSCALE-IN-SYN-ACK-NOT-OFFERED",
	    "RFC7323", "2.2", FINDING_ANALYSIS,
	    "Window Scale option on a SYN,ACK though the peer's SYN had none: allowed (MAY) only if received; no keyword forbids it",
	    "shift.cnt %llu on the SYN,ACK at seq %llu; no SYN of the peer offered Window Scale"),
	ROW(FND_TX_TS_NOT_OFFERED, "TX-TIMESTAMPS-IN-SYN-ACK-NOT-OFFERED",
	    "RFC7323", "3.2", FINDING_ANALYSIS,
	    "Timestamps option on a SYN,ACK though the peer's SYN had none: allowed (MAY) only if received; no keyword forbids it",
	    "TSval %llu on the SYN,ACK at seq %llu; no SYN of the peer offered Timestamps"),
	ROW(FND_TX_TS_MISSING, "TX-TIMESTAMPS-MISSING", "RFC7323", "3.2",
	    FINDING_MUST,
	    "Once negotiated, the Timestamps option must be sent in every non-RST segment",
	    "no Timestamps option on the segment at seq %llu (%llu bytes)"),
	ROW(FND_TX_TSECR_WITHOUT_ACK, "TX-TSECR-NONZERO-WITHOUT-ACK", "RFC7323",
	    "3.2", FINDING_SHOULD,
	    "TSecr should be zero in a segment without the ACK bit",
	    "TSecr %llu with the ACK bit clear"),
	ROW(FND_TX_TSVAL_BACKWARDS, "TX-TSVAL-BACKWARDS", "RFC7323", "5.2",
	    FINDING_ANALYSIS,
	    "TSval below one sent earlier: PAWS assumes TSvals never decrease (no keyword); the peer may drop the segment",
	    "TSval %llu after TSval %llu; this segment acknowledges %llu, more than any before, so it was sent later"),
	ROW(FND_TX_TSECR_BACKWARDS, "TX-TSECR-BACKWARDS", "RFC7323", "4.3",
	    FINDING_ANALYSIS,
	    "TSecr below one echoed earlier: TSecr echoes TS.Recent, which the 4.3 rules never decrease (no keyword)",
	    "TSecr %llu after TSecr %llu; this segment acknowledges %llu, more than any before, so it was sent later"),
	ROW(FND_TX_SACK_NOT_PERMITTED, "TX-SACK-NOT-PERMITTED", "RFC2018", "4",
	    FINDING_MUST,
	    "SACK options must not be sent when no SACK-permitted option was received",
	    "%llu SACK block(s), first [%llu, %llu); no SYN of the peer carried SACK-permitted"),
	ROW(FND_TX_SACK_BLOCK_EMPTY, "TX-SACK-BLOCK-EMPTY", "RFC2018", "3",
	    FINDING_ANALYSIS,
	    "SACK block whose right edge is not after its left edge: it covers no data (no keyword)",
	    "SACK block %llu is [%llu, %llu)"),
	ROW(FND_TX_SACK_BLOCK_BELOW_ACK, "TX-SACK-BLOCK-BELOW-ACK", "RFC2883", "4",
	    FINDING_ANALYSIS,
	    "SACK block other than the first covers only acknowledged data: only the first block may report a duplicate (no keyword)",
	    "SACK block [%llu, %llu) ends at or below the ACK %llu and is not the first block"),
	ROW(FND_TX_DATA_BEFORE_HANDSHAKE, "TX-DATA-BEFORE-HANDSHAKE", "RFC9293",
	    "3.10.2", FINDING_ANALYSIS,
	    "Data without SYN or ACK before the peer's SYN arrived: SEND in SYN-SENT queues it until ESTABLISHED (no keyword)",
	    "%llu bytes at seq %llu sent in SYN-SENT"),
	ROW(FND_TX_DATA_AFTER_FIN, "TX-DATA-AFTER-FIN", "RFC9293", "3.1",
	    FINDING_ANALYSIS,
	    "Data at or after our own FIN: FIN means \"no more data from sender\" (no keyword)",
	    "data [%llu, %llu) reaches past our FIN at seq %llu"),
	ROW(FND_TX_FIN_MOVED, "TX-FIN-SEQUENCE-CHANGED", "RFC9293", "3.10.4",
	    FINDING_ANALYSIS,
	    "FIN at another sequence number than our first FIN: after CLOSE \"a second FIN is not emitted\" (no keyword)",
	    "FIN at seq %llu, our first FIN was at seq %llu"),
	ROW(FND_TX_SEGMENT_AFTER_RST, "TX-SEGMENT-AFTER-RST", "RFC9293", "3.10.5",
	    FINDING_ANALYSIS,
	    "Segment sent after our own RST closed the connection: the TCB was deleted (no keyword)",
	    "segment at seq %llu acknowledges %llu, above every ACK up to our RST (%llu): it was sent after it"),
	ROW(FND_TX_BEYOND_PEER_WINDOW, "TX-DATA-BEYOND-PEER-WINDOW", "RFC9293",
	    "3.3.1", FINDING_ANALYSIS,
	    "New data beyond every right edge the peer offered: \"not yet allowed\" (no keyword); 1-byte zero-window probes excepted (3.8.6.1)",
	    "data up to seq %llu, the peer's window never reached past %llu (%llu bytes over)"),
	ROW(FND_TX_WINDOW_SHRUNK, "TX-WINDOW-SHRUNK", "RFC9293", "3.8.6",
	    FINDING_SHOULD,
	    "A receiver should not shrink the window, i.e. move the right window edge to the left (SHLD-14)",
	    "right edge %llu, %llu advertised before: %llu bytes to the left"),
	/* receiver's obligations, checked by fsm_rx (core/fsm_rx.c): rules the
	 * sender broke that the receiving side's state machine reveals */
	/* expectations on an endpoint's later segments (analyzer/track.c):
	 * a reply the receiver owed (fsm_rx) that its later segments show it
	 * did not send, or a reset it did or did not honour. Raised only on
	 * evidence in the capture (see the rules at the top of
	 * analyzer/track_expect.c), never because the capture ended. Values:
	 * sequence numbers relative to the ISN (or first seen), packet numbers. */
	ROW(FND_TRK_RST_NOT_CHALLENGED, "RST-IN-WINDOW-NOT-CHALLENGED", "RFC5961",
	    "3.2", FINDING_MUST,
	    "An in-window RST whose seq is not RCV.NXT must be answered with a challenge ACK (RFC 5961 profile)",
	    "RST seq %llu is in the window but not RCV.NXT %llu: no challenge ACK before packet %llu, which shows the RST was received"),
	ROW(FND_TRK_SYN_NOT_CHALLENGED, "SYN-NOT-CHALLENGED", "RFC5961", "4.2",
	    FINDING_MUST,
	    "A SYN in a synchronized state must be answered with a challenge ACK (RFC 5961 profile)",
	    "SYN (absolute seq %llu) got no challenge ACK with ack %llu before packet %llu, which shows the SYN was received"),
	ROW(FND_TRK_ACK_NOT_CHALLENGED, "ACK-UNACCEPTABLE-NOT-CHALLENGED", "RFC5961",
	    "5.2", FINDING_MUST,
	    "A segment whose ACK is outside [SND.UNA - MAX.SND.WND, SND.NXT] must be discarded and an ACK sent back (RFC 5961 profile)",
	    "ack %llu is outside the acceptable range: no ACK with ack %llu before packet %llu, which shows the segment was received"),
	ROW(FND_TRK_UNACCEPTABLE_NOT_ACKED, "ACK-NOT-SENT-FOR-UNACCEPTABLE",
	    "RFC9293", "3.10.7.4", FINDING_SHOULD,
	    "A segment that is not acceptable should be answered with an ACK (lower-case \"should\" in the first check)",
	    "segment at seq %llu is not acceptable (RCV.NXT %llu): no ACK before packet %llu, which shows later data was received"),
	ROW(FND_TRK_RST_NOT_HONOURED, "RST-NOT-HONOURED", "RFC9293", "3.10.7.4",
	    FINDING_MUST,
	    "An RST whose seq is exactly RCV.NXT must reset the connection",
	    "RST seq %llu = RCV.NXT, yet packet %llu acknowledges %llu, data sent after the RST"),
	ROW(FND_TRK_RST_OOW_ACCEPTED, "RST-OUT-OF-WINDOW-ACCEPTED", "RFC9293",
	    "3.10.7.4", FINDING_MUST,
	    "An RST outside the receive window is not valid and is dropped silently (3.5.3, 3.10.7.4; the step has no BCP 14 keyword: graded MUST as the reset-validity rule)",
	    "RST seq %llu is outside the window (RCV.NXT %llu), yet packet %llu resets the peer's next segment as if there were no connection"),
	/* Timestamps, the receive window and TIME-WAIT (analyzer/track_ts.c,
	 * analyzer/track_expect.c): raised only when the values they rest on
	 * were seen (both SYNs with timestamps for the timestamp checks) and
	 * the capture shows no loss or reordering. Timestamps are the raw
	 * 32-bit values; sequence numbers relative, as above. */
	ROW(FND_TRK_TSECR_NOT_ECHOED, "TSECR-NOT-ECHOED", "RFC7323", "3.2", FINDING_MUST,
	    "With the ACK bit set, TSecr must echo a recently received TSval of the peer",
	    "TSecr %llu is newer than the peer's newest TSval %llu by more than its clock can have run since (%llu ticks of 1 us): the peer never sent it"),
	ROW(FND_TRK_PAWS_NOT_ENFORCED, "PAWS-NOT-ENFORCED", "RFC7323", "5.3",
	    FINDING_ANALYSIS,
	    "Data of a segment with SEG.TSval < TS.Recent was accepted: PAWS (5.3 R1) treats it as not acceptable and drops it; R1 states no BCP 14 keyword",
	    "TSval %llu is below TS.Recent, at least %llu since the data of packet %llu was acknowledged; yet this segment's data was acknowledged"),
	ROW(FND_TRK_OOW_DATA_ACCEPTED, "SEG-OUTSIDE-WINDOW-ACCEPTED", "RFC9293", "3.10.7.4",
	    FINDING_ANALYSIS,
	    "Data wholly beyond the receive window the receiver advertised was accepted: the first check finds it not acceptable and drops it (no BCP 14 keyword; BSD-derived stacks take it into free buffer space)",
	    "data from relative seq %llu lies beyond every right edge the receiver advertised (%llu), yet packet %llu acknowledges it"),
	ROW(FND_TRK_TIME_WAIT_NOT_KEPT, "TIME-WAIT-NOT-KEPT", "RFC9293", "3.6.1", FINDING_MUST,
	    "An endpoint that closed first must linger in TIME-WAIT for 2 MSL (MUST-13), where the peer's FIN sent again is acknowledged (3.10.7.4), not reset",
	    "the peer's FIN sent again was answered by packet %llu with a closed port's RST %llu ms after TIME-WAIT began, within 2 MSL (%llu ms, per the profile)"),
	/* reassembly (core/rob.c): RFC 9293 3.10.7.4 trims what was already
	 * received and holds out-of-order data (SHLD-31) but says nothing
	 * about overlaps that differ; receivers resolve them differently, so
	 * an IDS sees another stream (Suricata: an evasion attempt). */
	ROW(FND_ROB_OVERLAP_DIFFERENT_DATA, "REASSEMBLY-OVERLAP-DIFFERENT-DATA",
	    "RFC9293", "3.10.7.4", FINDING_ANALYSIS,
	    "Sequence space sent again with different bytes",
	    "%llu bytes from relative seq %llu differ from the data seen before (packet %llu)"),
	ROW(FND_ROB_OOO_LIMIT, "REASSEMBLY-OOO-LIMIT", "RFC9293", "3.10.7.4",
	    FINDING_ANALYSIS,
	    "Out-of-order data over tcpspec's limit: the oldest hole treated as lost",
	    "%llu bytes from relative seq %llu skipped: out-of-order data over the %llu-byte limit (or too many holes)"),
	/* Wireshark-style analysis (analyzer/analysis.c): the rules of
	 * Wireshark's tcp_analyze_sequence_number(); seq/ack values are
	 * relative to the ISN as Wireshark shows them. */
	ROW(FND_ANA_RETRANSMISSION, "TCP-RETRANSMISSION", "RFC9293", "3.8.1",
	    FINDING_ANALYSIS, "Segment repeats sequence space already sent",
	    "seq %llu < next expected %llu, data already sent at or before packet %llu"),
	ROW(FND_ANA_FAST_RETRANSMISSION, "TCP-FAST-RETRANSMISSION", "RFC5681",
	    "3.2", FINDING_ANALYSIS,
	    "Retransmission of the segment the peer's duplicate ACKs ask for",
	    "seq %llu = the peer's repeated ack (%llu dup ACKs; 0: after an ACKed-unseen, which Wireshark counts as many), last at packet %llu, < 20 ms before"),
	ROW(FND_ANA_SPURIOUS_RETRANSMISSION, "TCP-SPURIOUS-RETRANSMISSION",
	    "RFC3522", "1", FINDING_ANALYSIS,
	    "Retransmission of data the peer had already acknowledged",
	    "data ends at %llu <= ack %llu the peer sent at packet %llu"),
	ROW(FND_ANA_OUT_OF_ORDER, "TCP-OUT-OF-ORDER", "RFC4737", "3",
	    FINDING_ANALYSIS,
	    "Segment below the highest sequence seen, sooner than a retransmission could be",
	    "seq %llu < next expected %llu (packet %llu), within the iRTT (3 ms if unknown)"),
	ROW(FND_ANA_PREVIOUS_SEGMENT_NOT_CAPTURED,
	    "TCP-PREVIOUS-SEGMENT-NOT-CAPTURED", "RFC9293", "3.10.7.4",
	    FINDING_ANALYSIS,
	    "Gap in the sequence space: earlier segments lost or not captured",
	    "seq %llu > next expected %llu (highest seen at packet %llu)"),
	ROW(FND_ANA_ACKED_UNSEEN_SEGMENT, "TCP-ACKED-UNSEEN-SEGMENT", "RFC9293",
	    "3.4", FINDING_ANALYSIS,
	    "Acknowledgment for data the capture never saw",
	    "ack %llu > %llu, the end of the data seen from the peer (packet %llu)"),
	ROW(FND_ANA_DUP_ACK, "TCP-DUP-ACK", "RFC5681", "2", FINDING_ANALYSIS,
	    "Duplicate ACK: same ack, window and seq, no data",
	    "dup ack #%llu of packet %llu (ack %llu)"),
	ROW(FND_ANA_ZERO_WINDOW, "TCP-ZERO-WINDOW", "RFC9293", "3.8.6",
	    FINDING_ANALYSIS, "Receiver advertises a zero window",
	    "window 0 with ack %llu"),
	ROW(FND_ANA_ZERO_WINDOW_PROBE, "TCP-ZERO-WINDOW-PROBE", "RFC9293",
	    "3.8.6.1", FINDING_ANALYSIS,
	    "One byte at the next sequence number into a zero window",
	    "1 byte at seq %llu, peer's window 0 since packet %llu"),
	ROW(FND_ANA_ZERO_WINDOW_PROBE_ACK, "TCP-ZERO-WINDOW-PROBE-ACK", "RFC9293",
	    "3.8.6.1", FINDING_ANALYSIS,
	    "ACK of a zero-window probe: same ack, window still 0",
	    "ack %llu and window 0 repeated after the probe at packet %llu"),
	ROW(FND_ANA_WINDOW_FULL, "TCP-WINDOW-FULL", "RFC9293", "3.8.6",
	    FINDING_ANALYSIS, "Segment fills the peer's advertised window",
	    "data ends at %llu = peer's ack %llu + window %llu"),
	ROW(FND_ANA_WINDOW_UPDATE, "TCP-WINDOW-UPDATE", "RFC9293", "3.8.6",
	    FINDING_ANALYSIS, "Segment only changes the advertised window",
	    "window field %llu -> %llu (unscaled), no data, ack %llu and seq unchanged"),
	ROW(FND_ANA_KEEP_ALIVE, "TCP-KEEP-ALIVE", "RFC1122", "4.2.3.6",
	    FINDING_ANALYSIS, "Keep-alive: 0 or 1 byte at one below the next seq",
	    "seq %llu = next expected %llu - 1, %llu byte(s)"),
	ROW(FND_ANA_KEEP_ALIVE_ACK, "TCP-KEEP-ALIVE-ACK", "RFC1122", "4.2.3.6",
	    FINDING_ANALYSIS, "ACK answering a keep-alive",
	    "ack %llu repeated after the keep-alive at packet %llu"),
	ROW(FND_ANA_PORTS_REUSED, "TCP-PORTS-REUSED", "RFC9293", "3.4.1",
	    FINDING_ANALYSIS,
	    "New connection on a 4-tuple already seen, with another ISN",
	    "SYN with ISN %llu, the tuple's previous ISN was %llu (last packet %llu)"),
	/* flow table (analyzer/flow.c) */
	ROW(FND_FLOW_EVICTED, "FLOW-EVICTED", "RFC9293", "3.3.1",
	    FINDING_ANALYSIS,
	    "Connection state dropped: flow table full (least recently used)",
	    "connection %llu (last packet %llu) evicted at the %llu-flow limit; later checks on it are unknown"),
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
