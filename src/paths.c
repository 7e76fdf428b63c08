/* paths.c - XDG folders and data-file lookup. */
#include "headsup/paths.h"

#include "headsup/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

int hs_path_xdg(hs_xdg_kind kind, const char *name, char *buf, size_t size)
{
	const char *sep = name ? "/" : "";
	name = name ? name : "";
	/* A relative value does not count (the XDG base directory spec). */
	const char *base = getenv(xdg_table[kind].var);
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

int hs_path_data_file(const char *name, char *buf, size_t size)
{
	char dir[PATH_MAX];
	const char *env = getenv("HEADSUP_DATA_DIR");
	if (env && env[0]) {
		/* An explicit data dir is the only place looked at. */
		int rc = put(buf, size, "%s/%s", env, name);
		if (rc < 0)
			return rc;
		return access(buf, R_OK) == 0 ? 0 : HS_ENOENT;
	}
	if (exe_dir(dir, sizeof dir) == 0) {
		if (put(buf, size, "%s/share/headsup/%s", dir, name) == 0 &&
		    access(buf, R_OK) == 0)
			return 0;
		if (put(buf, size, "%s/../share/headsup/%s", dir, name) == 0 &&
		    access(buf, R_OK) == 0)
			return 0;
	}
	int rc = put(buf, size, "%s/%s", HS_INSTALL_DATADIR, name);
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

int hs_path_open_private(const char *path, int flags)
{
	/* Twice: a file removed between the two opens is made again. */
	for (int tries = 0; tries < 2; tries++) {
		int fd = open(path, flags | O_CREAT | O_EXCL, 0600);
		if (fd >= 0) {
			if (fchmod(fd, 0600) != 0) {
				const int saved = errno;
				close(fd);
				errno = saved;
				return -1;
			}
			return fd;
		}
		if (errno != EEXIST)
			return -1;
		fd = open(path, flags);
		if (fd >= 0 || errno != ENOENT)
			return fd;
	}
	return -1;
}
