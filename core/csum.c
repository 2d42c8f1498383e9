/* csum: the Internet checksum, RFC 1071.
 *
 * The fast path sums native 64-bit words (memcpy loads: no unaligned
 * access), each split into 32-bit halves added to 64-bit accumulators
 * that are folded every 2^30 words, so no carry is ever lost. It converts
 * to network order once, at the end: RFC 1071 2(B), the one's complement
 * sum is independent of byte order up to a final byte swap. */
#include "csum.h"

#include <string.h>

/* Words per inner block: each adds < 2^33, so 2^30 of them stay < 2^63. */
#define CSUM_BLOCK_WORDS ((size_t)1 << 30)

/* One's complement addition of two 64-bit values (end-around carry). */
static uint64_t add64(uint64_t a, uint64_t b)
{
	uint64_t r = a + b;

	return r + (r < b);
}

/* Fold to 16 bits with end-around carries; the result is never > 0xFFFF. */
static uint16_t fold64(uint64_t s)
{
	s = (s & 0xFFFFFFFFu) + (s >> 32); /* < 2^33 */
	s = (s & 0xFFFFFFFFu) + (s >> 32); /* < 2^32 */
	s = (s & 0xFFFFu) + (s >> 16);     /* < 2^17 */
	s = (s & 0xFFFFu) + (s >> 16);     /* <= 0xFFFF */
	return (uint16_t)s;
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v)); /* no unaligned access UB */
	return v;
}

static uint16_t load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Native-order sum of the even-length prefix of buf, folded to 16 bits. */
static uint16_t sum_native(const uint8_t *p, size_t len)
{
	uint64_t total = 0;

	while (len >= 8) {
		size_t words = len / 8;
		uint64_t a = 0, b = 0;
		size_t i;

		if (words > CSUM_BLOCK_WORDS)
			words = CSUM_BLOCK_WORDS;
		len -= words * 8;
		/* Two accumulators, four words per round: independent adds. */
		for (i = 0; i + 4 <= words; i += 4, p += 32) {
			uint64_t w0 = load64(p), w1 = load64(p + 8);
			uint64_t w2 = load64(p + 16), w3 = load64(p + 24);

			a += (w0 & 0xFFFFFFFFu) + (w0 >> 32);
			b += (w1 & 0xFFFFFFFFu) + (w1 >> 32);
			a += (w2 & 0xFFFFFFFFu) + (w2 >> 32);
			b += (w3 & 0xFFFFFFFFu) + (w3 >> 32);
		}
		for (; i < words; i++, p += 8) {
			uint64_t w = load64(p);

			a += (w & 0xFFFFFFFFu) + (w >> 32);
		}
		total = add64(total, add64(a, b));
	}
	while (len >= 2) {
		total = add64(total, load16(p));
		p += 2;
		len -= 2;
	}
	return fold64(total);
}

static uint16_t to_network16(uint16_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (uint16_t)((v >> 8) | (v << 8));
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
#error "unknown byte order"
#endif
}

uint64_t csum_partial(const void *buf, size_t len, uint64_t sum)
{
	const uint8_t *p = buf;
	uint64_t s;

	if (len == 0)
		return sum;
	s = to_network16(sum_native(p, len & ~(size_t)1));
	/* RFC 1071 4.1: an odd last byte is the high byte of a zero-padded word. */
	if (len & 1)
		s += (uint64_t)p[len - 1] << 8;
	return add64(sum, s);
}

uint16_t csum_fold(uint64_t sum)
{
	return fold64(sum);
}

uint16_t csum_finish(uint64_t sum)
{
	return (uint16_t)~fold64(sum);
}

static uint64_t be16_at(const uint8_t *p)
{
	return ((uint64_t)p[0] << 8) | p[1];
}

/* RFC 9293 3.1: src, dst, zero, PTCL, TCP length (16 bits). */
uint64_t csum_pseudo_v4(const uint8_t src[4], const uint8_t dst[4],
			uint8_t proto, uint32_t len)
{
	uint64_t s = 0;

	s += be16_at(src) + be16_at(src + 2);
	s += be16_at(dst) + be16_at(dst + 2);
	s += proto;
	s += len & 0xFFFFu;
	return s;
}

/* RFC 8200 8.1: src, dst, upper-layer length (32 bits), 3 zero bytes,
 * next header. */
uint64_t csum_pseudo_v6(const uint8_t src[16], const uint8_t dst[16],
			uint8_t proto, uint32_t len)
{
	uint64_t s = 0;
	int i;

	for (i = 0; i < 16; i += 2)
		s += be16_at(src + i) + be16_at(dst + i);
	s += len >> 16;
	s += len & 0xFFFFu;
	s += proto;
	return s;
}
