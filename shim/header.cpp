// header.cpp - the width and height an image file's header states, read
// without decoding, to say how large an image OpenCV refused is.
#include "image.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace
{

// n bytes at p as an unsigned number, big- or little-endian.
unsigned long long number_at(const unsigned char *p, int n, bool big)
{
	unsigned long long v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[big ? i : n - 1 - i];
	return v;
}

bool read_at(FILE *f, long offset, unsigned char *buf, size_t n)
{
	return fseek(f, offset, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
}

// The next decimal number of a PNM header, after blanks and # comments.
bool pnm_number(FILE *f, unsigned long long *v)
{
	int c;
	while ((c = getc(f)) != EOF && (isspace(c) || c == '#'))
		if (c == '#')
			while ((c = getc(f)) != EOF && c != '\n')
				;
	if (c == EOF || !isdigit(c))
		return false;
	for (*v = 0; c != EOF && isdigit(c) && *v < 1ULL << 40; c = getc(f))
		*v = *v * 10 + (unsigned)(c - '0');
	return true;
}

// JPEG: the frame header (SOFn) after any number of other segments.
bool jpeg_size(FILE *f, unsigned long long *w, unsigned long long *h)
{
	unsigned char b[9];
	long at = 2;
	for (int segments = 0; segments < 1000; segments++) {
		if (!read_at(f, at, b, 4) || b[0] != 0xff)
			return false;
		const int m = b[1];
		if (m == 0xff) { // fill byte
			at++;
			continue;
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) { // no length
			at += 2;
			continue;
		}
		if (m == 0xd9 || m == 0xda) // end of image, start of scan
			return false;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if (!read_at(f, at + 4, b, 5))
				return false;
			*h = number_at(b + 1, 2, true);
			*w = number_at(b + 3, 2, true);
			return true;
		}
		at += 2 + (long)number_at(b + 2, 2, true);
	}
	return false;
}

// TIFF: ImageWidth (256) and ImageLength (257) in the first directory.
bool tiff_size(FILE *f, bool big, unsigned long long *w, unsigned long long *h)
{
	unsigned char b[12];
	if (!read_at(f, 4, b, 4))
		return false;
	const long dir = (long)number_at(b, 4, big);
	if (!read_at(f, dir, b, 2))
		return false;
	const int entries = (int)number_at(b, 2, big);
	bool got_w = false, got_h = false;
	for (int i = 0; i < entries && i < 4096; i++) {
		if (!read_at(f, dir + 2 + 12L * i, b, 12))
			return false;
		const unsigned tag = (unsigned)number_at(b, 2, big);
		const unsigned type = (unsigned)number_at(b + 2, 2, big);
		if ((tag != 256 && tag != 257) || (type != 3 && type != 4))
			continue;
		// a SHORT sits at the start of the value field
		const unsigned long long v =
		        number_at(b + 8, type == 3 ? 2 : 4, big);
		*(tag == 256 ? w : h) = v;
		(tag == 256 ? got_w : got_h) = true;
	}
	return got_w && got_h;
}

// WebP: the canvas of an extended file (VP8X), else the size in the
// lossless (VP8L) or lossy (VP8) bitstream's header.
bool webp_size(FILE *f, const unsigned char *chunk, unsigned long long *w,
               unsigned long long *h)
{
	unsigned char b[10];
	if (memcmp(chunk, "VP8X", 4) == 0 && read_at(f, 24, b, 6)) {
		*w = number_at(b, 3, false) + 1;
		*h = number_at(b + 3, 3, false) + 1;
		return true;
	}
	if (memcmp(chunk, "VP8L", 4) == 0 && read_at(f, 20, b, 5) &&
	    b[0] == 0x2f) {
		const unsigned long long bits = number_at(b + 1, 4, false);
		*w = (bits & 0x3fff) + 1;
		*h = (bits >> 14 & 0x3fff) + 1;
		return true;
	}
	if (memcmp(chunk, "VP8 ", 4) == 0 && read_at(f, 20, b, 10) &&
	    b[3] == 0x9d && b[4] == 0x01 && b[5] == 0x2a) {
		*w = number_at(b + 6, 2, false) & 0x3fff;
		*h = number_at(b + 8, 2, false) & 0x3fff;
		return true;
	}
	return false;
}

bool size_of(FILE *f, unsigned long long *w, unsigned long long *h)
{
	unsigned char b[26];
	const size_t n = fread(b, 1, sizeof b, f);
	if (n >= 24 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
		*w = number_at(b + 16, 4, true);
		*h = number_at(b + 20, 4, true);
		return true;
	}
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return jpeg_size(f, w, h);
	if (n >= 26 && b[0] == 'B' && b[1] == 'M') {
		if (number_at(b + 14, 4, false) == 12) { // OS/2: 16 bits each
			*w = number_at(b + 18, 2, false);
			*h = number_at(b + 20, 2, false);
			return true;
		}
		// rows stored top-down have a negative height
		const long long height = (int32_t)number_at(b + 22, 4, false);
		*w = number_at(b + 18, 4, false);
		*h = (unsigned long long)(height < 0 ? -height : height);
		return true;
	}
	if (n >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6')
		return fseek(f, 2, SEEK_SET) == 0 && pnm_number(f, w) &&
		       pnm_number(f, h);
	if (n >= 8 &&
	    (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
		return tiff_size(f, b[0] == 'M', w, h);
	if (n >= 16 && memcmp(b, "RIFF", 4) == 0 &&
	    memcmp(b + 8, "WEBP", 4) == 0)
		return webp_size(f, b + 12, w, h);
	return false;
}

} // namespace

bool hs::header_size(const char *path, unsigned long long *w,
                     unsigned long long *h) noexcept
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	const bool ok = size_of(f, w, h);
	fclose(f);
	return ok;
}
