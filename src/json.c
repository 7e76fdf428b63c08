/* json.c - JSON string and number output. */
#include "headsup/json.h"

#include <math.h>

void hs_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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
	if (v == 0)
		v = 0; /* no "-0.00" */
	fprintf(out, "%.*f", decimals, v);
}
