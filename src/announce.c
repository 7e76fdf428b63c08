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

hs_announce *hs_announce_begin(void)
{
	hs_announce *a = calloc(1, sizeof *a);
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

void hs_announce_end(hs_announce *a, int status, const char *done,
                     const char *failed)
{
	if (!a)
		return;
	fflush(stdout);
	fflush(stderr);
	char said[SAID_MAX];
	const ssize_t n = pread(a->kept, said, sizeof said - 1, 0);
	said[n > 0 ? n : 0] = '\0';
	dup2(a->out, STDOUT_FILENO);
	dup2(a->err, STDERR_FILENO);
	close(a->out);
	close(a->err);
	close(a->kept);
	free(a);
	fputs(said, status == 0 ? stdout : stderr);
	as_body(said);
	const hs_notifier_ops *ops = &hs_notifier_libnotify;
	void *state = NULL;
	if (ops->open(&state) < 0)
		return;
	ops->notice(state, status == 0 ? done : failed, said);
	ops->close(state);
}
