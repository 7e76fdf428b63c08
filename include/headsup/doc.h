/* doc.h - the headsup(1) man page, generated from the same tables as the
 * help texts: the subcommands (cli.h) and the settings (config.h).
 */
#ifndef HEADSUP_DOC_H
#define HEADSUP_DOC_H

#include <stdbool.h>
#include <stdio.h>

/* Write the whole man page, headsup(1), as roff (man macros) to out.
 * HS_EIO when writing fails. */
int hs_doc_write_man(FILE *out);

/* Write text for roff: backslashes escaped, a leading '.' or '\'' made
 * harmless, newlines as spaces, and '-' as \- (a real minus, as option names
 * need) when dashes is true. */
void hs_doc_roff(FILE *out, const char *text, bool dashes);

#endif
