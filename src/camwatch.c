/* camwatch.c - see camwatch.h. */
#include "headsup/camwatch.h"

#include "headsup/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

struct hs_camwatch {
	int fd; /* inotify */
};

int hs_camwatch_create(const char *path, hs_camwatch **out)
{
	hs_camwatch *w = calloc(1, sizeof *w);
	if (!w)
		return HS_ENOMEM;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0 ||
	    inotify_add_watch(w->fd, path, IN_OPEN | IN_CLOSE) < 0) {
		/* EMFILE, ENOSPC: out of inotify instances or watches, not
		 * of files or disk space */
		const int rc = errno == ENOSPC || errno == EMFILE
		                       ? HS_EIO
		                       : hs_err_from_errno(errno);
		hs_camwatch_destroy(w);
		return rc;
	}
	*out = w;
	return 0;
}

int hs_camwatch_poll(hs_camwatch *w)
{
	/* Aligned as inotify's records need.  The kernel folds repeats at
	 * the end of its queue into one, so opens cannot be counted; it
	 * also queues IN_IGNORED (the node was deleted) and IN_Q_OVERFLOW,
	 * which are neither. */
	char buf[4096]
	        __attribute__((aligned(__alignof__(struct inotify_event))));
	int seen = 0;
	ssize_t n;
	while ((n = read(w->fd, buf, sizeof buf)) > 0) {
		for (ssize_t at = 0;
		     at + (ssize_t)sizeof(struct inotify_event) <= n;) {
			const struct inotify_event *e =
			        (const struct inotify_event *)(buf + at);
			if (e->mask & IN_OPEN)
				seen |= HS_CAMWATCH_OPENED;
			if (e->mask & IN_CLOSE)
				seen |= HS_CAMWATCH_CLOSED;
			at += (ssize_t)(sizeof *e + e->len);
		}
	}
	return seen; /* read() ends with EAGAIN: nothing more */
}

void hs_camwatch_destroy(hs_camwatch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

/* Add the descriptors of process pid (its /proc folder open as procfd)
 * that hold target to out (room for max; *found counts all): their links
 * name what they point at, and reading a link never touches the file. */
static void add_holders(long pid, int procfd, const char *target,
                        hs_camwatch_holder *out, int max, int *found)
{
	const int fdfd =
	        openat(procfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdfd < 0)
		return; /* another user's process, or gone */
	DIR *d = fdopendir(fdfd);
	if (!d) {
		close(fdfd);
		return;
	}
	struct dirent *de;
	char link[PATH_MAX];
	while ((de = readdir(d))) {
		const ssize_t n =
		        readlinkat(fdfd, de->d_name, link, sizeof link - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, target) != 0)
			continue;
		if (*found < max)
			out[*found] = (hs_camwatch_holder){
				pid, (int)strtol(de->d_name, NULL, 10)
			};
		(*found)++;
	}
	closedir(d); /* closes fdfd */
}

int hs_camwatch_holders(const char *path, hs_camwatch_holder *out, int max)
{
	char target[PATH_MAX];
	if (!realpath(path, target))
		return 0;
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	const long self = (long)getpid();
	int found = 0;
	struct dirent *de;
	while ((de = readdir(proc))) {
		char *end;
		const long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self)
			continue;
		const int procfd = openat(dirfd(proc), de->d_name,
		                          O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (procfd < 0)
			continue;
		add_holders(pid, procfd, target, out, max, &found);
		close(procfd);
	}
	closedir(proc);
	return found;
}

int hs_camwatch_new_holders(const hs_camwatch_holder *now, int n,
                            const hs_camwatch_holder *idle, int n_idle,
                            long *pid)
{
	int count = 0;
	*pid = 0;
	for (int i = 0; i < n; i++) {
		bool was_idle = false;
		for (int k = 0; k < n_idle && !was_idle; k++)
			was_idle = idle[k].pid == now[i].pid &&
			           idle[k].fd == now[i].fd;
		if (was_idle)
			continue;
		count++;
		if (now[i].pid > *pid)
			*pid = now[i].pid;
	}
	return count;
}

void hs_camwatch_name(long pid, char *buf, size_t size)
{
	char path[64];
	if (!size)
		return;
	buf[0] = '\0';
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	const int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	const ssize_t n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}
