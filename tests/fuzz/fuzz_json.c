/* fuzz_json.c - libFuzzer target for hs_json_string() (json.h).  The
 * input, cut at its first NUL, is written as a JSON string; the output
 * must be what the header promises, whatever the bytes:
 *   - one string literal: a quote, a body, a quote;
 *   - in the body, no raw control character or bare quote, and every
 *     backslash starts one of JSON's escapes;
 *   - valid UTF-8 throughout (checked here by decoding code points, not
 *     with the writer's own table);
 *   - when the input was valid UTF-8, the literal decodes back to it.
 *
 * Built only with clang and -DHS_FUZZ=ON; seeds in corpus/json/.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is s[0..n) valid UTF-8?  Decodes each code point and rejects overlong
 * forms, surrogates and values above U+10FFFF. */
static bool valid_utf8(const unsigned char *s, size_t n)
{
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		int len = c < 0x80         ? 1
		          : (c >> 5) == 6  ? 2
		          : (c >> 4) == 14 ? 3
		          : (c >> 3) == 30 ? 4
		                           : 0;
		if (len == 0 || i + (size_t)len > n)
			return false;
		uint32_t cp = len == 1 ? c : c & (0x7Fu >> len);
		for (int k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3Fu);
		}
		if (cp < least[len] || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += (size_t)len;
	}
	return true;
}

static int hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the body of the literal into out (UTF-8); false when it is not
 * well-formed JSON string content. */
static bool decode(const unsigned char *b, size_t n, unsigned char *out,
                   size_t *outlen)
{
	/* The one-letter escapes and what each stands for. */
	static const char letter[] = "\"\\/bfnrt";
	static const char meaning[] = "\"\\/\b\f\n\r\t";
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i] < 0x20 || b[i] == '"')
			return false;
		if (b[i] != '\\') {
			out[o++] = b[i];
			continue;
		}
		if (++i >= n)
			return false;
		const char *e = b[i] ? strchr(letter, b[i]) : NULL;
		if (e) {
			out[o++] = (unsigned char)meaning[e - letter];
			continue;
		}
		if (b[i] != 'u')
			return false;
		uint32_t cp = 0;
		for (int k = 1; k <= 4; k++) {
			int h = i + (size_t)k < n ? hex(b[i + k]) : -1;
			if (h < 0)
				return false;
			cp = cp << 4 | (uint32_t)h;
		}
		i += 4;
		/* The writer never splits a surrogate pair. */
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return false;
		if (cp < 0x80) {
			out[o++] = (unsigned char)cp;
		} else if (cp < 0x800) {
			out[o++] = (unsigned char)(0xC0 | cp >> 6);
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (unsigned char)(0xE0 | cp >> 12);
			out[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		}
	}
	*outlen = o;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	size_t inlen = strlen(in);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	hs_json_string(f, in);
	fclose(f);
	const unsigned char *u = (const unsigned char *)buf;
	if (len < 2 || u[0] != '"' || u[len - 1] != '"')
		abort();
	if (!valid_utf8(u, len))
		abort();
	/* Each input byte decodes to at most 3 bytes (U+FFFD). */
	unsigned char *back = malloc(3 * len + 1);
	size_t backlen = 0;
	if (!back || !decode(u + 1, len - 2, back, &backlen))
		abort();
	if (valid_utf8((const unsigned char *)in, inlen) &&
	    (backlen != inlen || memcmp(back, in, inlen) != 0))
		abort();
	free(back);
	free(buf);
	free(in);
	return 0;
}
