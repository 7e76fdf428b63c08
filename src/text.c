/* text.c - terminal text widths and word wrap (see text.h). */
#include "headsup/text.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

int hs_text_width(void)
{
	long cols = 0;
	const char *env = getenv("COLUMNS");
	if (env && *env) {
		char *end;
		errno = 0;
		cols = strtol(env, &end, 10);
		if (*end || errno)
			cols = 0;
	}
	struct winsize ws;
	if (cols <= 0 && isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	if (cols <= 0)
		return HS_TEXT_WIDTH_DEFAULT;
	cols--;
	if (cols < HS_TEXT_WIDTH_MIN)
		return HS_TEXT_WIDTH_MIN;
	return cols > HS_TEXT_WIDTH_MAX ? HS_TEXT_WIDTH_MAX : (int)cols;
}

void hs_text_wrap(FILE *out, const char *text, size_t len, int indent,
                  int width)
{
	hs_text_wrap_from(out, text, len, 0, indent, width);
}

void hs_text_wrap_from(FILE *out, const char *text, size_t len, int col,
                       int indent, int width)
{
	/* col 0: nothing on this line yet, not even the indent */
	bool fresh = col > 0; /* begun by the caller, no word of ours yet */
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
		if (col > 0 && !fresh && col + 1 + w > width) {
			fputc('\n', out);
			col = 0;
		}
		if (col == 0) {
			fprintf(out, "%*s", indent, "");
			col = indent;
		} else if (!fresh) {
			fputc(' ', out);
			col++;
		}
		fresh = false;
		fwrite(text + start, 1, i - start, out);
		col += w;
	}
	if (col > 0)
		fputc('\n', out);
}
