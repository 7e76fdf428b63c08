/* paths.h - where headsup keeps things (XDG base directories) and finds its
 * data files.
 */
#ifndef HEADSUP_PATHS_H
#define HEADSUP_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum hs_xdg_kind {
	HS_XDG_CONFIG, /* $XDG_CONFIG_HOME, default ~/.config */
	HS_XDG_STATE,  /* $XDG_STATE_HOME, default ~/.local/state */
	HS_XDG_DATA,   /* $XDG_DATA_HOME, default ~/.local/share */
	HS_XDG_RUNTIME /* $XDG_RUNTIME_DIR, default /tmp/headsup-<uid> */
} hs_xdg_kind;

/* "<base>/headsup/<name>" into buf (name may be NULL for the folder).
 * Relative XDG variables are ignored, as the spec says.  HS_ERANGE when
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

/* open(2) path with flags (O_CREAT is added), a file made here getting
 * mode 0600 whatever the umask (which may take even the owner's write
 * bit, and so lock the user out of it at the next start); a file already
 * there keeps its mode.  The descriptor, or -1 with errno. */
int hs_path_open_private(const char *path, int flags);

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

/* Find a data file shipped with headsup.  When $HEADSUP_DATA_DIR is set,
 * only there; otherwise in <exe dir>/share/headsup (build tree), then
 * <exe dir>/../share/headsup, then the configured install data dir.
 * HS_ENOENT when none has it; buf then holds the last path tried (the
 * $HEADSUP_DATA_DIR one, or the install path), for messages. */
int hs_path_data_file(const char *name, char *buf, size_t size);

#endif
