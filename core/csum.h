/* csum: the Internet checksum (RFC 1071) with a word-at-a-time fast path,
 * and the TCP pseudo-headers for IPv4 (RFC 9293 3.1) and IPv6 (RFC 8200 8.1). */
#ifndef TCPSPEC_CSUM_H
#define TCPSPEC_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Unfolded one's-complement partial sum of buf, added to sum. Byte order:
 * the result, once folded, is in network order when read as big-endian
 * words; odd lengths pad the last byte with zero (RFC 1071). Partial sums
 * of consecutive chunks combine only when all but the last chunk have even
 * length. */
uint64_t csum_partial(const void *buf, size_t len, uint64_t sum);

/* Fold a partial sum to 16 bits (not complemented). */
uint16_t csum_fold(uint64_t sum);

/* Final checksum value to store in a header: ~fold(sum). */
uint16_t csum_finish(uint64_t sum);

/* Pseudo-header partial sums; len is the upper-layer length. */
uint64_t csum_pseudo_v4(const uint8_t src[4], const uint8_t dst[4],
			uint8_t proto, uint32_t len);
uint64_t csum_pseudo_v6(const uint8_t src[16], const uint8_t dst[16],
			uint8_t proto, uint32_t len);

#endif
