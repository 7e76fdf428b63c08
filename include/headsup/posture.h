/* posture.h - posture features and states against a calibrated baseline.
 *
 * Pure logic: numbers in, numbers out.  No camera, clock or I/O here.
 */
#ifndef HEADSUP_POSTURE_H
#define HEADSUP_POSTURE_H

#include <stdbool.h>

/* The states a monitored person can be in.  Order is stable: the journal
 * stores these values. */
#define HS_STATE_MAP(X)                                                      \
	X(UPRIGHT, "upright")                                                    \
	X(LOOKING_DOWN, "looking_down")                                          \
	X(HUNCHED, "hunched")                                                    \
	X(AWAY, "away")                                                          \
	X(UNCALIBRATED, "uncalibrated")

typedef enum hs_state {
#define HS_STATE_ENUM(name, str) HS_STATE_##name,
	HS_STATE_MAP(HS_STATE_ENUM)
#undef HS_STATE_ENUM
	HS_STATE_COUNT
} hs_state;

/* "upright", "looking_down", ...; NULL for an out-of-range value. */
const char *hs_state_name(hs_state state);
/* Inverse of hs_state_name(); returns -1 for an unknown name. */
int hs_state_from_name(const char *name);
/* Human words for notifications and reports: "Looking down", "Hunched". */
const char *hs_state_label(hs_state state);

/* Features of one analysed frame relative to the baseline. */
typedef struct hs_features {
	double pitch_delta_deg; /* + = head tilted further down than baseline */
	double drop_iod;        /* + = eye midpoint lower, in baseline IODs */
	double lean_ratio;      /* current IOD / baseline IOD; > 1 = nearer */
	double roll_deg;        /* head roll relative to baseline */
	bool has_pitch;         /* false when the detector gives no pitch */
} hs_features;

#endif
