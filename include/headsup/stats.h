/* stats.h - small statistics shared by calibration and smoothing. */
#ifndef HEADSUP_STATS_H
#define HEADSUP_STATS_H

#include <stddef.h>

/* Median of v[0..n), n > 0; reorders v. */
double hs_median(double *v, size_t n);

#endif
