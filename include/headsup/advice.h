/* advice.h - the posture advice each alert and report links to.
 *
 * Written in our own words from "Treatment of Upper Back Spasms"
 * (shared/article/upper-back-spasms.txt).  One topic per kind of advice;
 * each topic is an anchor (#id) on the installed advice page.
 */
#ifndef HEADSUP_ADVICE_H
#define HEADSUP_ADVICE_H

#include <stddef.h>
#include <stdio.h>

#include "headsup/posture.h"

#define HS_ADVICE_MAP(X)                                                      \
	X(LOOKING_DOWN, "looking-down")                                       \
	X(HUNCHED, "hunched")                                                 \
	X(ACTIVE, "active")       /* long or frequent bad posture in a day */ \
	X(GENERAL, "general")     /* other factors the article names */       \
	X(CLINICIAN, "clinician") /* when to get help */

typedef enum hs_advice_topic {
#define HS_ADVICE_ENUM(name, id) HS_ADVICE_##name,
	HS_ADVICE_MAP(HS_ADVICE_ENUM)
#undef HS_ADVICE_ENUM
	HS_ADVICE_COUNT
} hs_advice_topic;

typedef struct hs_advice {
	const char *id;       /* anchor and CLI name: "looking-down" */
	const char *title;    /* "Looking down" */
	const char *sentence; /* one sentence for a notification body */
	const char *body;     /* the full text, plain paragraphs separated by
	                         blank lines */
} hs_advice;

/* The advice for a topic; NULL when out of range. */
const hs_advice *hs_advice_get(hs_advice_topic topic);
/* Look a topic up by id; -1 when unknown. */
int hs_advice_from_id(const char *id);
/* The topic an alert of this state links to (LOOKING_DOWN or HUNCHED;
 * GENERAL for anything else). */
hs_advice_topic hs_advice_for_state(hs_state state);

/* The article credited on every page and in the terminal output. */
extern const char hs_advice_source_title[];

/* The short "heuristic, not a diagnosis" note, in lines of less than 80
 * columns, that every help text and report ends with (the advice page
 * says it at more length). */
extern const char hs_disclaimer[];

/* "file:///.../advice.html#looking-down" into buf: the installed page, or
 * the build tree's copy when running from the build (see
 * hs_path_data_file()).  topic HS_ADVICE_COUNT gives the page itself, with
 * no anchor.  HS_ERANGE when buf is too small, HS_ENOENT when no advice page
 * can be found (buf then holds the URL of the expected installed page
 * anyway). */
int hs_advice_url(hs_advice_topic topic, char *buf, size_t size);
/* Warn when the advice page is missing (a damaged install): what links to
 * it, `uses` ("reminders link", "the report links"), then points to a file
 * that is not there.  Silent when the page is found. */
void hs_advice_check_page(const char *uses);

/* Write the whole advice page: self-contained HTML, one anchor per topic. */
int hs_advice_write_html(FILE *out);
/* Print one topic (or all when topic < 0) for the terminal, wrapped to
 * width columns. */
int hs_advice_print(FILE *out, int topic, int width);

#endif
