/* lock.c - see lock.h. */
#include "headsup/lock.h"

#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct hs_lock {
	int fd;
};

int hs_lock_default_path(char *buf, size_t size)
{
	return hs_path_xdg(HS_XDG_RUNTIME, "run.lock", buf, size);
}

/* The folder that holds path into dir: 0, or 1 when path is a bare name
 * in the current folder (nothing to make or check). */
static int folder_of(const char *path, char *dir, size_t size)
{
	if (snprintf(dir, size, "%s", path) >= (int)size)
		return HS_ERANGE;
	char *slash = strrchr(dir, '/');
	if (!slash)
		return 1;
	if (slash == dir)
		slash[1] = '\0'; /* "/name": the root folder */
	else
		*slash = '\0';
	return 0;
}

/* May other users write in the folder that holds dir, as in /tmp?  Then
 * they may have made dir themselves, or put files in it while it was
 * open to them. */
static bool in_shared_folder(const char *dir)
{
	char parent[PATH_MAX];
	struct stat st;
	if (folder_of(dir, parent, sizeof parent) != 0)
		snprintf(parent, sizeof parent, ".");
	if (stat(parent, &st) != 0)
		return true; /* cannot tell: the stricter rule */
	return (st.st_mode & 0022) != 0 ||
	       (st.st_uid != getuid() && st.st_uid != 0);
}

/* Is dir a folder (not a link to one) of this user that nobody else can
 * have put anything in?  An error, said, when not.  A folder of ours with
 * a looser mode is tightened when 'tighten' (and nobody else may write
 * where it is), accepted as it is when not. */
static int check_folder(const char *dir, bool tighten)
{
	static const char advice[] =
	        "headsup does not use it: remove it, or set $XDG_RUNTIME_DIR "
	        "to a folder of your own";
	struct stat st;
	if (lstat(dir, &st) != 0) {
		int rc = hs_err_from_errno(errno);
		if (rc != HS_ENOENT || tighten)
			hs_error("cannot inspect folder '%s': %s", dir,
			         hs_strerror(rc));
		return rc;
	}
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
		hs_error("'%s' is %s, not a folder; %s", dir,
		         S_ISLNK(st.st_mode) ? "a symbolic link" : "a file",
		         advice);
		return HS_EACCES;
	}
	if (st.st_uid != getuid()) {
		hs_error("folder '%s' belongs to uid %u, not to you (uid %u); "
		         "%s",
		         dir, (unsigned)st.st_uid, (unsigned)getuid(), advice);
		return HS_EACCES;
	}
	if ((st.st_mode & 0077) == 0)
		return 0;
	if (in_shared_folder(dir)) {
		hs_error("folder '%s' has mode %04o, not 0700: other users may "
		         "have put files in it; %s",
		         dir, (unsigned)(st.st_mode & 07777), advice);
		return HS_EACCES;
	}
	if (tighten && chmod(dir, 0700) != 0) {
		int rc = hs_err_from_errno(errno);
		hs_error("cannot make folder '%s' private (mode 0700): %s", dir,
		         hs_strerror(rc));
		return rc;
	}
	return 0;
}

/* folder_of(), said when path is too long. */
static int folder_of_said(const char *path, char *dir, size_t size)
{
	int rc = folder_of(path, dir, size);
	if (rc < 0)
		hs_error("path '%s' is too long", path);
	return rc;
}

int hs_lock_private_dir(const char *path)
{
	char dir[PATH_MAX];
	int rc = folder_of_said(path, dir, sizeof dir);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	struct stat st;
	if (lstat(dir, &st) != 0 && errno == ENOENT) {
		rc = hs_path_mkdirs(dir, 0700);
		if (rc < 0) {
			hs_error("cannot make folder '%s': %s", dir,
			         hs_strerror(rc));
			return rc;
		}
	}
	return check_folder(dir, true);
}

int hs_lock_check_dir(const char *path)
{
	char dir[PATH_MAX];
	int rc = folder_of_said(path, dir, sizeof dir);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return check_folder(dir, false);
}

/* The pid the holder wrote, or 0.  The holder writes it right after
 * taking the lock, so give it a moment when the file is still empty. */
static long read_holder_pid(int fd)
{
	for (int tries = 0; tries < 20; tries++) {
		char text[32];
		ssize_t n = pread(fd, text, sizeof text - 1, 0);
		if (n > 0) {
			text[n] = '\0';
			char *end;
			errno = 0;
			long pid = strtol(text, &end, 10);
			if (errno == 0 && end != text && pid > 0 &&
			    (*end == '\n' || *end == '\0'))
				return pid;
		}
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	return 0;
}

int hs_lock_acquire(const char *path, hs_lock **out, long *holder_pid)
{
	int rc = hs_lock_private_dir(path);
	if (rc < 0)
		return rc;
	hs_lock *lock = NULL;
	int fd = hs_path_open_private(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW,
	                              NULL);
	if (fd < 0) {
		rc = fd;
		hs_error("cannot open lock file '%s': %s", path,
		         hs_strerror(rc));
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			if (holder_pid)
				*holder_pid = read_holder_pid(fd);
			rc = HS_ELOCKED;
		} else {
			rc = hs_err_from_errno(errno);
			hs_error("cannot lock '%s': %s", path, hs_strerror(rc));
		}
		goto fail;
	}
	char text[32];
	int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len) {
		rc = hs_err_from_errno(errno);
		hs_error("cannot write pid to lock file '%s': %s", path,
		         hs_strerror(rc));
		goto fail;
	}
	lock = malloc(sizeof *lock);
	if (!lock) {
		rc = HS_ENOMEM;
		hs_error("cannot lock '%s': %s", path, hs_strerror(rc));
		goto fail;
	}
	lock->fd = fd;
	*out = lock;
	return 0;

fail:
	if (fd >= 0)
		close(fd); /* also drops the lock if we had taken it */
	return rc;
}

void hs_lock_release(hs_lock *lock)
{
	if (!lock)
		return;
	/* Empty rather than unlink: a process that opened the file just now
	 * must lock the same inode as the next one, or two could win. */
	if (ftruncate(lock->fd, 0) != 0)
		hs_debug("cannot empty the lock file: %s", strerror(errno));
	close(lock->fd);
	free(lock);
}
