/* html.c - HTML escaping. */
#include "headsup/html.h"

#include <string.h>

void hs_html_escape_n(FILE *out, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (text[i]) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(text[i], out);
		}
	}
}

void hs_html_escape(FILE *out, const char *text)
{
	hs_html_escape_n(out, text, strlen(text));
}
