/* paths.h - where headsup keeps things (XDG base directories) and finds its
 * data files.
 */
#ifndef HEADSUP_PATHS_H
#define HEADSUP_PATHS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

typedef enum hs_xdg_kind {
	HS_XDG_CONFIG, /* $XDG_CONFIG_HOME, default ~/.config */
	HS_XDG_STATE,  /* $XDG_STATE_HOME, default ~/.local/state */
	HS_XDG_DATA,   /* $XDG_DATA_HOME, default ~/.local/share */
	HS_XDG_RUNTIME /* $XDG_RUNTIME_DIR, default /tmp/headsup-<uid> */
} hs_xdg_kind;

/* "<base>/headsup/<name>" into buf (name may be NULL for the folder).
 * Relative XDG variables are ignored, as the spec says, and so is an
 * $XDG_RUNTIME_DIR that is not a private folder of the user's (see
 * hs_path_runtime_dir_ok(); said once, as a warning): the runtime folder
 * is then /tmp/headsup-<uid>, as without the variable.  HS_ERANGE when
 * buf is too small, HS_ENOENT when neither the variable nor $HOME is an
 * absolute path. */
int hs_path_xdg(hs_xdg_kind kind, const char *name, char *buf, size_t size);
/* What to do about hs_path_xdg()'s failure rc, for a message: what the
 * variables hold ("$HOME ('home') is not an absolute path; set
 * $XDG_DATA_HOME or $HOME to an absolute path"), or that they make too
 * long a path.  In a buffer of this thread's, until the next call. */
const char *hs_path_xdg_advice(hs_xdg_kind kind, int rc);

/* Create a folder and its missing parents: the parents private to the
 * user (0700, as the XDG spec asks), the last one with mode 'mode', both
 * whatever the umask.  Folders already there are left as they are. */
int hs_path_mkdirs(const char *dir, unsigned mode);

/* open(2) path with flags (O_CREAT is added), for a file that will hold
 * the user's data: a file made here gets mode 0600 whatever the umask
 * (which may take even the owner's write bit, and so lock the user out of
 * it at the next start); a file already there keeps its mode, but must be
 * the user's.  One of another user's (made first in a folder others may
 * write, such as /tmp) would let its owner read all that is written: it
 * is refused with HS_ENOTOWNER.  The owner is checked on the descriptor
 * opened, so a file swapped in meanwhile is caught too, and a link is
 * judged by the file it leads to.  The descriptor, or a negative hs_err;
 * *st (may be NULL) gets the opened file's status. */
int hs_path_open_private(const char *path, int flags, struct stat *st);

/* "name (uid N)" for the user uid, or "uid N" when it has no name, into
 * buf: for messages about files of another user.  Returns buf. */
const char *hs_path_user_name(unsigned uid, char *buf, size_t size);

/* Does the way to path go through a symbolic link that another user may
 * have put there to send a write elsewhere (a report over the user's
 * ~/.bashrc)?  That is a link owned by neither the user nor the owner of
 * its folder, in a folder that others may write (group or world write
 * bit: /tmp, a shared folder): the kernel's fs.protected_symlinks rule,
 * applied also where the kernel does not (a folder without the sticky
 * bit, or the rule switched off).  Every link on the way is checked, the
 * last part's too.  HS_ENOTOWNER with that link's path in link (size
 * bytes) and its owner in *owner; 0 when there is none, also when some of
 * the path is not there yet; HS_ELOOP for too many links. */
int hs_path_check_links(const char *path, char *link, size_t size,
                        unsigned *owner);

/* The one way headsup replaces a file that holds the user's data (a
 * report, a baseline): the new content goes to a temporary file beside
 * the old one, private (0600) whatever the old file's mode or the umask,
 * reaches the disk (fsync) and is then renamed over it, so that a failed
 * write (a full disk, a crash) leaves the old file whole.  Through a link
 * the file it leads to is replaced and the link stays; a link another
 * user may have planted on the way is refused (hs_path_check_links()).
 * No folder is made: a caller that wants one makes it first. */
typedef struct hs_replace {
	FILE *f; /* where the new content is written */
	/* The file replaced: the path, or the file its links lead to. */
	char target[PATH_MAX];
	/* The temporary file renamed over target; "" when written in
	 * place (HS_REPLACE_IN_PLACE). */
	char tmp[PATH_MAX];
	/* On HS_ENOTOWNER, what belongs to another user: the planted link
	 * in link, or with link "" the file to be written in place; its
	 * owner in owner.  For the caller's message. */
	char link[PATH_MAX];
	unsigned owner;
} hs_replace;

/* hs_path_replace_begin() flags. */
enum {
	/* Write in place what no rename can replace: a device or a pipe
	 * (/dev/stdout, a FIFO), a link to a file not made yet, and a
	 * file in a folder where no new file may be made (a read-only
	 * folder).  A regular file written so must be the user's
	 * (HS_ENOTOWNER otherwise); it is made 0600 and emptied.  Without
	 * this flag these are refused: HS_ENOTFILE, HS_ENOENT, and why the
	 * temporary file could not be made. */
	HS_REPLACE_IN_PLACE = 1
};

/* Start replacing path: *r is filled, and r->f is open for the new
 * content.  0, or a negative hs_err with nothing left open or made; errno
 * then says why as the system did, or is 0 for a reason of headsup's own
 * (a planted link, another user's file, HS_ENOTFILE). */
int hs_path_replace_begin(hs_replace *r, const char *path, unsigned flags);
/* Finish: flush and fsync the new content, close it, rename it over the
 * target, and fsync the folder so the rename lasts too.  On failure the
 * temporary file is removed and the old file is as it was; a negative
 * hs_err, with errno saying why (0 when unknown). */
int hs_path_replace_commit(hs_replace *r);
/* Give up (the caller's write failed): close, and remove the temporary
 * file; the old file is as it was (unless written in place). */
void hs_path_replace_abort(hs_replace *r);

/* Is dir fit to be $XDG_RUNTIME_DIR: a folder of the user's (a link to
 * one counts) that nobody else may enter, as the XDG Base Directory
 * specification requires?  Otherwise another user could remove or swap
 * what headsup keeps there (its lock and control socket) or plant a
 * session bus.  A folder not there yet is fit: it is made private.  When
 * not fit, what is wrong in why (size bytes), for a message. */
bool hs_path_runtime_dir_ok(const char *dir, char *why, size_t size);

/* Does the file name end in one of the n extensions exts (".png"; any
 * case)?  Only the part after the last '/' counts. */
bool hs_path_has_ext(const char *name, const char *const exts[], size_t n);

/* Append path to a URI being built in buf (size bytes, *used of them
 * taken), percent-encoding every byte but letters, digits and "/-._~", as
 * a file:// URL or an SQLite URI needs.  HS_ERANGE when it does not fit. */
int hs_path_put_uri(char *buf, size_t size, size_t *used, const char *path);

/* Is there a folder at path? */
bool hs_path_is_folder(const char *path);

/* fopen(path, "r") for a file the user named, which must be a regular
 * file: NULL with errno EISDIR for a folder, EINVAL for a pipe or a device
 * (a FIFO nobody writes to would hang the read), rather than failing or
 * waiting on read. */
FILE *hs_path_open_file(const char *path);
/* Why hs_path_open_file() failed with errnum, in words for a message. */
const char *hs_path_open_error(int errnum);

/* Find a data file shipped with headsup, in one folder: $HEADSUP_DATA_DIR
 * when set; else <exe dir>/share/headsup when it exists (the build tree);
 * else <exe dir>/../share/headsup when it exists (installed to a prefix,
 * whichever it was); else the data dir configured at build time.  buf
 * holds the path in that folder; HS_ENOENT when the file is not there, so
 * a message names the file the program really looked for. */
int hs_path_data_file(const char *name, char *buf, size_t size);

#endif
