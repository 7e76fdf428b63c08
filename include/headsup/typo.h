/* typo.h - how far a word typed is from a known one, for "did you mean"
 * suggestions of commands and settings. */
#ifndef HEADSUP_TYPO_H
#define HEADSUP_TYPO_H

#include <stddef.h>

/* The one-letter edits (a letter added, dropped or changed) that make a
 * into b; SIZE_MAX for words over 64 letters, which are not suggested. */
size_t hs_typo_distance(const char *a, const char *b);

/* The name among name(0) .. name(n - 1) nearest to word, if within two
 * edits and nearer than the rest; NULL when none is. */
const char *hs_typo_nearest(const char *word, const char *(*name)(size_t i),
                            size_t n);

#endif
