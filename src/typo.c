/* typo.c - edit distance between short words (see typo.h). */
#include "headsup/typo.h"

#include <stdint.h>
#include <string.h>

#define MAX_WORD 64

size_t hs_typo_distance(const char *a, const char *b)
{
	const size_t na = strlen(a), nb = strlen(b);
	if (na > MAX_WORD || nb > MAX_WORD)
		return SIZE_MAX;
	/* One row of the usual table at a time: row[j] is the distance
	 * between a's first i letters and b's first j. */
	size_t row[MAX_WORD + 1];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			const size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

const char *hs_typo_nearest(const char *word, const char *(*name)(size_t i),
                            size_t n)
{
	const char *best = NULL;
	size_t best_d = 3; /* more than two edits is another word */
	for (size_t i = 0; i < n; i++) {
		const size_t d = hs_typo_distance(word, name(i));
		if (d < best_d) {
			best_d = d;
			best = name(i);
		} else if (d == best_d && best) {
			best = NULL; /* two as near: no guess */
		}
	}
	return best;
}
