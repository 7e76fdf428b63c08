/* sha256.c - a small SHA-256 after FIPS 180-4. */
#include "headsup/sha256.h"

#include "headsup/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(hs_sha256 *s, const uint8_t *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^
		              (w[i - 15] >> 3);
		uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^
		              (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
		              ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
		              ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
	s->h[5] += f;
	s->h[6] += g;
	s->h[7] += h;
}

void hs_sha256_init(hs_sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
		                        0xa54ff53a, 0x510e527f, 0x9b05688c,
		                        0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, iv, sizeof iv);
	s->length = 0;
	s->used = 0;
}

void hs_sha256_update(hs_sha256 *s, const void *data, size_t size)
{
	const uint8_t *p = data;
	s->length += size;
	while (size > 0) {
		size_t take = 64 - s->used;
		if (take > size)
			take = size;
		memcpy(s->block + s->used, p, take);
		s->used += take;
		p += take;
		size -= take;
		if (s->used == 64) {
			compress(s, s->block);
			s->used = 0;
		}
	}
}

void hs_sha256_final_hex(hs_sha256 *s, char hex[65])
{
	const uint64_t bits = s->length * 8;
	const uint8_t one = 0x80, zero = 0;
	hs_sha256_update(s, &one, 1);
	while (s->used != 56)
		hs_sha256_update(s, &zero, 1);
	uint8_t len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	hs_sha256_update(s, len, 8);
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++) {
			uint8_t byte = (uint8_t)(s->h[i] >> (24 - 8 * j));
			hex[8 * i + 2 * j] = digits[byte >> 4];
			hex[8 * i + 2 * j + 1] = digits[byte & 15];
		}
	hex[64] = '\0';
}

int hs_sha256_file(const char *path, char hex[65])
{
	/* Only a regular file: /dev/zero or a pipe would be read for ever,
	 * and a FIFO with no writer would not even open. */
	const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return hs_err_from_errno(errno);
	struct stat st;
	const int bad = fstat(fd, &st) < 0     ? hs_err_from_errno(errno)
	                : S_ISDIR(st.st_mode)  ? HS_EISDIR
	                : !S_ISREG(st.st_mode) ? HS_ENOTFILE
	                                       : 0;
	if (bad < 0) {
		close(fd);
		return bad;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return HS_ENOMEM;
	}
	hs_sha256 s;
	hs_sha256_init(&s);
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		hs_sha256_update(&s, buf, n);
	int rc = ferror(f) ? HS_EIO : 0;
	fclose(f);
	if (rc == 0)
		hs_sha256_final_hex(&s, hex);
	return rc;
}

int hs_sha256_check_file(const char *path, const char *expect, const char *what,
                         char *why, size_t whysize)
{
	char hex[65];
	int rc = hs_sha256_file(path, hex);
	if (rc < 0) {
		snprintf(why, whysize, "cannot read %s '%s': %s", what, path,
		         hs_strerror(rc));
		return rc;
	}
	if (strcmp(hex, expect) != 0) {
		snprintf(
		        why, whysize,
		        "%s '%s' fails its checksum (sha256 %.12s..., expected "
		        "%.12s...)",
		        what, path, hex, expect);
		return HS_ECHECKSUM;
	}
	return 0;
}
