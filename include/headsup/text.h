/* text.h - plain text for the terminal: how wide it is, and word wrap.
 *
 * Widths are in columns, one per UTF-8 code point: the text headsup prints
 * is Latin script, with no wide or combining characters of its own.
 */
#ifndef HEADSUP_TEXT_H
#define HEADSUP_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Columns the first len bytes of UTF-8 text s take. */
int hs_text_columns(const char *s, size_t len);

/* The width to wrap terminal text to: $COLUMNS when set, else the width
 * of the terminal on standard output, less its last column (some
 * terminals wrap there); HS_TEXT_WIDTH_DEFAULT when neither is known.
 * Kept within HS_TEXT_WIDTH_MIN and HS_TEXT_WIDTH_MAX. */
enum {
	HS_TEXT_WIDTH_DEFAULT = 78,
	HS_TEXT_WIDTH_MIN = 20,
	HS_TEXT_WIDTH_MAX = 100
};
int hs_text_width(void);

/* Print len bytes of text as one paragraph: words (split at spaces and
 * newlines) filled into lines of at most width columns, each starting
 * with indent spaces, each ended by a newline.  A word longer than a line
 * (a link) stands alone on its line rather than being cut. */
void hs_text_wrap(FILE *out, const char *text, size_t len, int indent,
                  int width);
/* The same, going on from column col of a line the caller has begun (a
 * label): the first word goes there, and the lines after it are indented
 * by indent. */
void hs_text_wrap_from(FILE *out, const char *text, size_t len, int col,
                       int indent, int width);

#endif
