/* json.h - the little JSON writing headsup needs. */
#ifndef HEADSUP_JSON_H
#define HEADSUP_JSON_H

#include <stdio.h>

/* Write s as a JSON string literal, quotes included, escaping what JSON
 * requires (quotes, backslash, control characters).  The output is always
 * valid UTF-8: bytes of s that are not well-formed UTF-8 are written as
 * \ufffd, the replacement character. */
void hs_json_string(FILE *out, const char *s);
/* Write a finite number with 'decimals' digits, or null when not finite. */
void hs_json_number(FILE *out, double v, int decimals);

#endif
