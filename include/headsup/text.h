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

/* Print len bytes of text as one paragraph: words (split at spaces and
 * newlines) filled into lines of at most width columns, each starting
 * with indent spaces, each ended by a newline.  A word longer than a line
 * (a link) stands alone on its line rather than being cut. */
void hs_text_wrap(FILE *out, const char *text, size_t len, int indent,
                  int width);

#endif
