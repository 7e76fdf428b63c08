/* announce.c - a command's messages as a desktop notice (see announce.h). */
#include "headsup/announce.h"

#include "headsup/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SAID_MAX 2048 /* a notice's body: more would not be read */

struct hs_announce {
	int kept;     /* where stdout and stderr write meanwhile */
	int out, err; /* the real ones */
};

hs_announce *hs_announce_begin(bool wanted)
{
	hs_announce *a = wanted ? calloc(1, sizeof *a) : NULL;
	if (!a)
		return NULL;
	fflush(stdout);
	fflush(stderr);
	a->kept = memfd_create("headsup-said", MFD_CLOEXEC);
	a->out = dup(STDOUT_FILENO);
	a->err = dup(STDERR_FILENO);
	if (a->kept < 0 || a->out < 0 || a->err < 0 ||
	    dup2(a->kept, STDOUT_FILENO) < 0 ||
	    dup2(a->kept, STDERR_FILENO) < 0) {
		if (a->out >= 0)
			dup2(a->out, STDOUT_FILENO);
		if (a->err >= 0)
			dup2(a->err, STDERR_FILENO);
		for (int *fd = &a->kept; fd <= &a->err; fd++)
			if (*fd >= 0)
				close(*fd);
		free(a);
		return NULL;
	}
	return a;
}

/* The messages as one paragraph: "headsup: " and "error: " taken off each
 * line (the notice says whose it is), lines joined with a space. */
static void as_body(char *text)
{
	char *w = text;
	for (char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		char *next = line + len + (line[len] == '\n');
		line[len] = '\0';
		static const char *const prefixes[] = { "headsup: ", "error: ",
			                                "warning: " };
		for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0];
		     i++)
			if (strncmp(line, prefixes[i], strlen(prefixes[i])) ==
			    0)
				line += strlen(prefixes[i]);
		if (*line) {
			if (w > text)
				*w++ = ' ';
			memmove(w, line, strlen(line));
			w += strlen(line);
		}
		line = next;
	}
	*w = '\0';
}

/* How many of the n bytes of text s hold whole UTF-8 characters: a last
 * one cut short is left out. */
static size_t utf8_whole(const char *s, size_t n)
{
	size_t lead = n;
	while (lead > 0 && (s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return n;
	const unsigned char c = (unsigned char)s[lead - 1];
	const size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	return lead - 1 + len <= n ? n : lead - 1;
}

void hs_announce_end(hs_announce *a, int status, const char *done,
                     const char *failed, const char *body)
{
	if (!a)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(a->out, STDOUT_FILENO);
	dup2(a->err, STDERR_FILENO);
	close(a->out);
	close(a->err);
	/* All of it to the terminal; the notice's body is its start, cut
	 * at a character (a cut one would be refused as UTF-8). */
	FILE *to = status == 0 ? stdout : stderr;
	char said[SAID_MAX], chunk[4096];
	size_t kept = 0;
	ssize_t n;
	for (off_t at = 0; (n = pread(a->kept, chunk, sizeof chunk, at)) > 0;
	     at += n) {
		fwrite(chunk, 1, (size_t)n, to);
		const size_t room = sizeof said - 1 - kept;
		const size_t take = (size_t)n < room ? (size_t)n : room;
		memcpy(said + kept, chunk, take);
		kept += take;
	}
	fflush(to);
	close(a->kept);
	free(a);
	said[utf8_whole(said, kept)] = '\0';
	as_body(said);
	hs_notify_notice_once(status == 0 ? done : failed,
	                      status == 0 && body ? body : said);
}
