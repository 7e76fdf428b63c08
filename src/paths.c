/* paths.c - XDG folders and data-file lookup. */
#include "headsup/paths.h"

#include "headsup/err.h"
#include "headsup/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HS_INSTALL_DATADIR
#define HS_INSTALL_DATADIR "/usr/local/share/headsup"
#endif

static int put(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int put(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= size) ? HS_ERANGE : 0;
}

static const struct {
	const char *var, *fallback;
} xdg_table[] = {
	[HS_XDG_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[HS_XDG_STATE] = { "XDG_STATE_HOME", ".local/state" },
	[HS_XDG_DATA] = { "XDG_DATA_HOME", ".local/share" },
	[HS_XDG_RUNTIME] = { "XDG_RUNTIME_DIR", NULL },
};

bool hs_path_runtime_dir_ok(const char *dir, char *why, size_t size)
{
	struct stat st;
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			return true; /* made private when it is needed */
		snprintf(why, size, "it cannot be inspected: %s",
		         strerror(errno));
		return false;
	}
	char owner[96];
	if (!S_ISDIR(st.st_mode))
		snprintf(why, size, "it is not a folder");
	else if (st.st_uid != getuid())
		snprintf(why, size, "it belongs to %s, not to you",
		         hs_path_user_name(st.st_uid, owner, sizeof owner));
	else if (st.st_mode & 077)
		snprintf(why, size,
		         "it has mode %04o, not 0700, so other users may %s it",
		         (unsigned)(st.st_mode & 07777),
		         (st.st_mode & 022) ? "remove or replace what is in"
		                            : "look into");
	else
		return true;
	return false;
}

/* Whether $XDG_RUNTIME_DIR (base) may be used; when not, said once per
 * process (every command asks for the runtime folder more than once). */
static bool runtime_dir_usable(const char *base)
{
	static bool warned;
	char why[256];
	if (hs_path_runtime_dir_ok(base, why, sizeof why))
		return true;
	if (!warned)
		hs_warn("$XDG_RUNTIME_DIR '%s' is not a private folder of "
		        "yours: %s; headsup keeps its lock and control socket "
		        "in /tmp/headsup-%u instead",
		        base, why, (unsigned)getuid());
	warned = true;
	return false;
}

int hs_path_xdg(hs_xdg_kind kind, const char *name, char *buf, size_t size)
{
	const char *sep = name ? "/" : "";
	name = name ? name : "";
	/* A relative value does not count (the XDG base directory spec). */
	const char *base = getenv(xdg_table[kind].var);
	if (base && base[0] == '/' && kind == HS_XDG_RUNTIME &&
	    !runtime_dir_usable(base))
		base = NULL;
	if (base && base[0] == '/')
		return put(buf, size, "%s/headsup%s%s", base, sep, name);
	if (kind == HS_XDG_RUNTIME) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "/tmp/headsup-%u",
		         (unsigned)getuid());
		return put(buf, size, "%s%s%s", tmp, sep, name);
	}
	const char *home = getenv("HOME");
	if (!home || home[0] != '/')
		return HS_ENOENT;
	char first[PATH_MAX];
	int rc = put(first, sizeof first, "%s/%s", home,
	             xdg_table[kind].fallback);
	if (rc < 0)
		return rc;
	return put(buf, size, "%s/headsup%s%s", first, sep, name);
}

const char *hs_path_xdg_advice(hs_xdg_kind kind, int rc)
{
	static _Thread_local char text[640];
	const char *var = xdg_table[kind].var;
	if (kind == HS_XDG_RUNTIME) {
		snprintf(text, sizeof text, "$%s makes too long a path", var);
		return text;
	}
	if (rc == HS_ERANGE) {
		snprintf(text, sizeof text,
		         "$%s (or $HOME) makes too long a path", var);
		return text;
	}
	/* Neither gave an absolute path: say what each holds. */
	const char *value = getenv(var), *home = getenv("HOME");
	char why_var[300] = "", why_home[300];
	if (value && value[0])
		snprintf(why_var, sizeof why_var,
		         "$%s ('%.200s') is not an absolute path, and ", var,
		         value);
	if (home && home[0])
		snprintf(why_home, sizeof why_home,
		         "$HOME ('%.200s') is not an absolute path", home);
	else
		snprintf(why_home, sizeof why_home, "$HOME is not set");
	snprintf(text, sizeof text,
	         "%s%s; set $%s or $HOME to an absolute path", why_var,
	         why_home, var);
	return text;
}

/* mkdir with exactly 'mode', whatever the umask (which may take bits
 * away, even the owner's).  1 when something is there already. */
static int make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0)
		return errno == EEXIST ? 1 : hs_err_from_errno(errno);
	if (chmod(path, mode) != 0)
		return hs_err_from_errno(errno);
	return 0;
}

int hs_path_mkdirs(const char *dir, unsigned mode)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
		return HS_ERANGE;
	int rc;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		rc = make_dir(tmp, 0700);
		if (rc < 0)
			return rc;
		*p = '/';
	}
	rc = make_dir(tmp, (mode_t)mode);
	if (rc < 0)
		return rc;
	struct stat st;
	if (rc == 1 && (stat(tmp, &st) != 0 || !S_ISDIR(st.st_mode)))
		return HS_ENOENT;
	return 0;
}

static int exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	if (n <= 0)
		return HS_ENOENT;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return HS_ENOENT;
	*slash = '\0';
	return 0;
}

/* The one folder headsup's data files are looked for in: a program
 * installed to one prefix must not name, or take its models from,
 * another prefix it was configured for (or another install beside it). */
static int data_dir(char *buf, size_t size)
{
	const char *env = getenv("HEADSUP_DATA_DIR");
	if (env && env[0])
		return put(buf, size, "%s", env);
	char exe[PATH_MAX];
	if (exe_dir(exe, sizeof exe) == 0) {
		if (put(buf, size, "%s/share/headsup", exe) == 0 &&
		    hs_path_is_folder(buf))
			return 0;             /* the build tree */
		char *up = strrchr(exe, '/'); /* installed: <prefix>/bin */
		if (up && up != exe) {
			*up = '\0';
			if (put(buf, size, "%s/share/headsup", exe) == 0 &&
			    hs_path_is_folder(buf))
				return 0;
		}
	}
	return put(buf, size, "%s", HS_INSTALL_DATADIR);
}

int hs_path_data_file(const char *name, char *buf, size_t size)
{
	char dir[PATH_MAX];
	int rc = data_dir(dir, sizeof dir);
	if (rc == 0)
		rc = put(buf, size, "%s/%s", dir, name);
	if (rc < 0)
		return rc;
	return access(buf, R_OK) == 0 ? 0 : HS_ENOENT;
}

bool hs_path_is_folder(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

FILE *hs_path_open_file(const char *path)
{
	/* Non-blocking: a FIFO nobody writes to would hang the open. */
	const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	int err = 0;
	if (fstat(fd, &st) != 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	else if (fcntl(fd, F_SETFL, 0) != 0) /* blocking reads again */
		err = errno;
	FILE *f = err ? NULL : fdopen(fd, "r");
	if (!f) {
		err = err ? err : errno;
		close(fd);
		errno = err;
	}
	return f;
}

const char *hs_path_open_error(int errnum)
{
	return errnum == EINVAL ? "not a regular file (a pipe or a device)"
	                        : strerror(errnum);
}

bool hs_path_has_ext(const char *name, const char *const exts[], size_t n)
{
	const char *dot = strrchr(name, '.');
	if (!dot || strchr(dot, '/'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return true;
	return false;
}

int hs_path_put_uri(char *buf, size_t size, size_t *used, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') ||
		             (*p >= 'A' && *p <= 'Z') ||
		             (*p >= '0' && *p <= '9') || strchr("/-._~", *p);
		size_t need = plain ? 1 : 3;
		if (*used + need >= size)
			return HS_ERANGE;
		if (plain) {
			buf[(*used)++] = (char)*p;
		} else {
			buf[(*used)++] = '%';
			buf[(*used)++] = hex[*p >> 4];
			buf[(*used)++] = hex[*p & 15];
		}
	}
	buf[*used] = '\0';
	return 0;
}

const char *hs_path_user_name(unsigned uid, char *buf, size_t size)
{
	struct passwd pw, *found = NULL;
	char text[1024];
	if (getpwuid_r((uid_t)uid, &pw, text, sizeof text, &found) == 0 &&
	    found && found->pw_name && found->pw_name[0])
		snprintf(buf, size, "%s (uid %u)", found->pw_name, uid);
	else
		snprintf(buf, size, "uid %u", uid);
	return buf;
}

/* The opened fd's status into *st: HS_ENOTOWNER when the file is not the
 * user's. */
static int check_owner(int fd, struct stat *st)
{
	if (fstat(fd, st) != 0)
		return hs_err_from_errno(errno);
	return st->st_uid == geteuid() ? 0 : HS_ENOTOWNER;
}

int hs_path_open_private(const char *path, int flags, struct stat *st)
{
	struct stat own;
	st = st ? st : &own;
	/* Twice: a file removed between the two opens is made again. */
	for (int tries = 0; tries < 2; tries++) {
		int fd = open(path, flags | O_CREAT | O_EXCL, 0600);
		int rc = 0;
		if (fd >= 0) {
			if (fchmod(fd, 0600) != 0)
				rc = hs_err_from_errno(errno);
			else
				rc = check_owner(fd, st);
		} else if (errno != EEXIST) {
			return hs_err_from_errno(errno);
		} else {
			fd = open(path, flags);
			if (fd < 0 && errno == ENOENT)
				continue;
			if (fd < 0)
				return hs_err_from_errno(errno);
			rc = check_owner(fd, st);
		}
		if (rc < 0) {
			close(fd);
			return rc;
		}
		return fd;
	}
	return HS_ENOENT;
}

/* Is the link at path (status *link) one another user may have put in
 * its folder (dir, "" for the root) to send a write elsewhere? */
static bool planted_link(const char *dir, const struct stat *link)
{
	struct stat folder;
	if (link->st_uid == geteuid())
		return false;
	if (stat(dir[0] ? dir : "/", &folder) != 0)
		return true; /* cannot tell: the stricter rule */
	return link->st_uid != folder.st_uid && (folder.st_mode & 022);
}

int hs_path_check_links(const char *path, char *link, size_t size,
                        unsigned *owner)
{
	/* Walked a part at a time, as the kernel resolves a path: done is
	 * the folder reached so far ("" for the root, never a link), rest
	 * what is still to walk, into which a link's text is spliced. */
	char done[PATH_MAX], rest[PATH_MAX], next[PATH_MAX];
	done[0] = '\0';
	if (path[0] != '/' && !getcwd(done, sizeof done))
		return 0; /* nothing to judge by: the open says why */
	if (strcmp(done, "/") == 0)
		done[0] = '\0';
	if (put(rest, sizeof rest, "%s", path) < 0)
		return HS_ENAMETOOLONG;
	int links = 0;
	const char *p = rest;
	while (*p) {
		p += strspn(p, "/");
		const size_t len = strcspn(p, "/");
		if (len == 0)
			break;
		if ((len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.')) {
			char *slash = strrchr(done, '/');
			if (len == 2 && slash)
				*slash = '\0';
			p += len;
			continue;
		}
		char at[PATH_MAX];
		if (put(at, sizeof at, "%s/%.*s", done, (int)len, p) < 0)
			return HS_ENAMETOOLONG;
		p += len;
		struct stat st;
		if (lstat(at, &st) != 0)
			return 0; /* not there (yet): nothing more to follow */
		if (!S_ISLNK(st.st_mode)) {
			memcpy(done, at, strlen(at) + 1);
			continue;
		}
		if (planted_link(done, &st)) {
			snprintf(link, size, "%s", at);
			*owner = (unsigned)st.st_uid;
			return HS_ENOTOWNER;
		}
		if (++links > 40)
			return HS_ELOOP;
		char text[PATH_MAX];
		const ssize_t n = readlink(at, text, sizeof text - 1);
		if (n < 0)
			return 0;
		text[n] = '\0';
		if (put(next, sizeof next, "%s/%s", text, p) < 0)
			return HS_ENAMETOOLONG;
		memcpy(rest, next, strlen(next) + 1);
		p = rest;
		if (text[0] == '/')
			done[0] = '\0';
	}
	return 0;
}

/* r->f opened on fd, just opened to write in place: a regular file must be
 * the user's (another user could read what is written), and is made
 * private (0600) and emptied; a pipe or a device is written as it is.
 * Closes fd on failure. */
static int open_in_place_fd(hs_replace *r, int fd)
{
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0) {
		rc = hs_err_from_errno(errno);
	} else if (S_ISREG(st.st_mode)) {
		if (st.st_uid != geteuid()) {
			r->owner = (unsigned)st.st_uid;
			errno = 0;
			rc = HS_ENOTOWNER;
		} else if (((st.st_mode & 077) && fchmod(fd, 0600) != 0) ||
		           ftruncate(fd, 0) != 0) {
			rc = hs_err_from_errno(errno);
		}
	}
	if (rc == 0) {
		r->f = fdopen(fd, "w");
		if (r->f)
			return 0;
		rc = hs_err_from_errno(errno);
	}
	const int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int open_in_place(hs_replace *r, const char *path, int flags)
{
	const int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0600);
	if (fd < 0)
		return hs_err_from_errno(errno);
	return open_in_place_fd(r, fd);
}

int hs_path_replace_begin(hs_replace *r, const char *path, unsigned flags)
{
	memset(r, 0, sizeof *r);
	const bool in_place = flags & HS_REPLACE_IN_PLACE;
	/* Checked here, just before the open, also when the caller has
	 * checked before: the link may have been put there meanwhile. */
	int rc = hs_path_check_links(path, r->link, sizeof r->link, &r->owner);
	if (rc < 0) {
		errno = rc == HS_ELOOP          ? ELOOP
		        : rc == HS_ENAMETOOLONG ? ENAMETOOLONG
		                                : 0;
		return rc;
	}
	struct stat st, link;
	const bool exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return HS_EISDIR;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		if (!in_place) {
			errno = 0;
			return HS_ENOTFILE;
		}
		return open_in_place(r, path, 0);
	}
	if (!exists && lstat(path, &link) == 0) { /* a link to nothing yet */
		if (!in_place) {
			errno = ENOENT;
			return HS_ENOENT;
		}
		return open_in_place(r, path, O_CREAT);
	}
	if (!exists || !realpath(path, r->target))
		snprintf(r->target, sizeof r->target, "%s", path);
	if (put(r->tmp, sizeof r->tmp, "%s.tmp-XXXXXX", r->target) < 0) {
		r->tmp[0] = '\0';
		errno = ENAMETOOLONG;
		return HS_ENAMETOOLONG;
	}
	const int fd = mkstemp(r->tmp);
	if (fd < 0) {
		const int saved = errno;
		r->tmp[0] = '\0';
		if (in_place && exists && (saved == EACCES || saved == EROFS))
			return open_in_place(r, path, 0);
		errno = saved;
		return hs_err_from_errno(saved);
	}
	r->f = fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
	if (!r->f) {
		const int saved = errno;
		close(fd);
		unlink(r->tmp);
		r->tmp[0] = '\0';
		errno = saved;
		return hs_err_from_errno(saved);
	}
	return 0;
}

/* fsync the folder of file, so that a rename into it lasts a crash.  Not
 * every file system can (some refuse a folder's fsync): best effort, as
 * the new content is already in place. */
static void sync_folder_of(const char *file)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", file);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	const int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int hs_path_replace_commit(hs_replace *r)
{
	int saved = 0;
	errno = 0;
	if (fflush(r->f) != 0 || (r->tmp[0] && fsync(fileno(r->f)) != 0))
		saved = errno ? errno : EIO;
	if (fclose(r->f) != 0 && !saved)
		saved = errno ? errno : EIO;
	r->f = NULL;
	if (!saved && r->tmp[0] && rename(r->tmp, r->target) != 0)
		saved = errno;
	if (saved) {
		if (r->tmp[0])
			unlink(r->tmp);
		r->tmp[0] = '\0';
		errno = saved;
		return hs_err_from_errno(saved);
	}
	if (r->tmp[0])
		sync_folder_of(r->target);
	r->tmp[0] = '\0';
	return 0;
}

void hs_path_replace_abort(hs_replace *r)
{
	const int saved = errno;
	if (r->f)
		fclose(r->f);
	r->f = NULL;
	if (r->tmp[0])
		unlink(r->tmp);
	r->tmp[0] = '\0';
	errno = saved;
}
