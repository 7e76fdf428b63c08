/* html.h - the little HTML writing the advice page and the report share. */
#ifndef HEADSUP_HTML_H
#define HEADSUP_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Write len bytes of text with &, <, >, " and ' escaped, safe inside
 * element content and quoted attribute values. */
void hs_html_escape_n(FILE *out, const char *text, size_t len);
/* The same for a NUL-terminated string. */
void hs_html_escape(FILE *out, const char *text);

#endif
