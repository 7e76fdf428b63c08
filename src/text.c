/* text.c - terminal text widths and word wrap (see text.h). */
#include "headsup/text.h"

#include <stdbool.h>

int hs_text_columns(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static bool is_gap(char c)
{
	return c == ' ' || c == '\n';
}

void hs_text_wrap(FILE *out, const char *text, size_t len, int indent,
                  int width)
{
	int col = 0; /* 0: nothing on this line yet, not even the indent */
	size_t i = 0;
	for (;;) {
		while (i < len && is_gap(text[i]))
			i++;
		const size_t start = i;
		while (i < len && !is_gap(text[i]))
			i++;
		if (i == start)
			break;
		const int w = hs_text_columns(text + start, i - start);
		if (col > 0 && col + 1 + w > width) {
			fputc('\n', out);
			col = 0;
		}
		if (col == 0) {
			fprintf(out, "%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(text + start, 1, i - start, out);
		col += w;
	}
	if (col > 0)
		fputc('\n', out);
}
