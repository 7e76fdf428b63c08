/* json.c - JSON string and number output. */
#include "headsup/json.h"

#include <math.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one. */
static int utf8_length(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xBF;
	int n;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xE0)
		lo = 0xA0; /* overlong */
	else if (p[0] == 0xED)
		hi = 0x9F; /* surrogates */
	else if (p[0] == 0xF0)
		lo = 0x90; /* overlong */
	else if (p[0] == 0xF4)
		hi = 0x8F; /* above U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

void hs_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80) {
			/* JSON text is UTF-8: a byte that is not part of a
			 * well-formed character (a file name in another
			 * encoding) becomes U+FFFD. */
			int n = utf8_length(p);
			if (n == 0) {
				fputs("\\ufffd", out);
				continue;
			}
			fwrite(p, 1, (size_t)n, out);
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void hs_json_number(FILE *out, double v, int decimals)
{
	if (!isfinite(v)) {
		fputs("null", out);
		return;
	}
	char buf[64];
	if (fabs(v) >= 1e15 || decimals > 20) {
		fprintf(out, "%.*f", decimals, v); /* too long for buf */
		return;
	}
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	/* No "-0.00" for a small negative value rounded away. */
	const char *s = buf;
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		s++;
	fputs(s, out);
}
