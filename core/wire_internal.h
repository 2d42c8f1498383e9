/* wire_internal: private helpers shared by the wire_*.c decoder files.
 *
 * Every read from a captured frame goes through the get_*() helpers below:
 * they take the buffer *and its length* and return 0 instead of reading
 * past the end (the idea of tcpdump's GET_ macros, without the longjmp).
 * Callers still check lengths first with has() to decide what a short
 * buffer means (truncation, malformation); the helpers are the safety net
 * that makes a forgotten check a wrong value instead of an overread. */
#ifndef TCPSPEC_WIRE_INTERNAL_H
#define TCPSPEC_WIRE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"

#define WIRE_PROTO_TCP 6

/* IPv6 next-header values of the extension headers we walk (RFC 8200 4). */
#define WIRE_IP6_HOPOPTS  0
#define WIRE_IP6_ROUTING  43
#define WIRE_IP6_FRAGMENT 44
#define WIRE_IP6_ESP      50
#define WIRE_IP6_AH       51
#define WIRE_IP6_NONE     59
#define WIRE_IP6_DSTOPTS  60

/* true if [off, off + n) lies inside a buffer of len bytes (no overflow). */
static inline bool has(uint32_t len, uint32_t off, uint32_t n)
{
	return off <= len && n <= len - off;
}

static inline uint8_t get_u8(const uint8_t *b, uint32_t len, uint32_t off)
{
	return has(len, off, 1) ? b[off] : 0;
}

static inline uint16_t get_be16(const uint8_t *b, uint32_t len, uint32_t off)
{
	if (!has(len, off, 2))
		return 0;
	return (uint16_t)(b[off] << 8 | b[off + 1]);
}

static inline uint32_t get_be32(const uint8_t *b, uint32_t len, uint32_t off)
{
	if (!has(len, off, 4))
		return 0;
	return (uint32_t)b[off] << 24 | (uint32_t)b[off + 1] << 16 |
	       (uint32_t)b[off + 2] << 8 | b[off + 3];
}

static inline uint32_t get_le32(const uint8_t *b, uint32_t len, uint32_t off)
{
	if (!has(len, off, 4))
		return 0;
	return (uint32_t)b[off + 3] << 24 | (uint32_t)b[off + 2] << 16 |
	       (uint32_t)b[off + 1] << 8 | b[off];
}

/* Copies n bytes or, if they are not all there, zeroes dst. */
static inline void get_bytes(void *dst, const uint8_t *b, uint32_t len,
			     uint32_t off, uint32_t n)
{
	if (has(len, off, n))
		memcpy(dst, b + off, n);
	else
		memset(dst, 0, n);
}

/* Records a finding on the packet; past WIRE_MAX_PROBLEMS only the
 * problems_truncated flag is set. */
void wire_problem(struct wire_pkt *pkt, enum finding_id id,
		  unsigned long long v0, unsigned long long v1,
		  unsigned long long v2);

/* Layer entry points. cap is what the capture holds from b on; wire is
 * how many bytes the frame had on the wire from b on (wire >= cap). */

/* Decodes the IP header starting at b. version is 4 or 6, or 0 to take it
 * from the version nibble (DLT_RAW). */
void wire_decode_ip(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		    uint32_t wire, uint8_t version);

/* Decodes TCP from b: cap bytes captured of a segment that is l4_len
 * bytes long according to the IP header. can_verify is false when the
 * segment is known to be incomplete (a first fragment). */
void wire_decode_tcp(struct wire_pkt *pkt, const uint8_t *b, uint32_t cap,
		     uint32_t l4_len, bool can_verify);

#endif
