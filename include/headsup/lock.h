/* lock.h - one monitor per user.
 *
 * `headsup run` holds an advisory lock (flock) on a file in
 * $XDG_RUNTIME_DIR/headsup/.  The kernel drops the lock when the holder's
 * last descriptor closes, so a monitor killed with SIGKILL leaves at most a
 * stale file behind, never a stale lock.  The file holds the holder's pid,
 * for the "already running (pid N)" message.
 */
#ifndef HEADSUP_LOCK_H
#define HEADSUP_LOCK_H

#include <stddef.h>

typedef struct hs_lock hs_lock;

/* "$XDG_RUNTIME_DIR/headsup/run.lock" into buf. */
int hs_lock_default_path(char *buf, size_t size);

/* Make the folder that will hold 'path' (the part before the last '/')
 * with mode 0700, and check that it is a real folder owned by this user
 * that nobody else can enter.  A folder of ours with a looser mode is
 * tightened, unless other users may write where it is (as in /tmp, the
 * place without $XDG_RUNTIME_DIR): there they may have put files in it,
 * and it is refused.  The control socket lives in the same folder.
 * HS_EACCES, said with the folder's name, when the folder belongs to
 * someone else, is a symbolic link or is refused for its mode. */
int hs_lock_private_dir(const char *path);

/* Check the folder of 'path' as hs_lock_private_dir() would, without
 * making or changing anything (for the clients of the control socket):
 * HS_ENOENT, unsaid, when it is not there; HS_EACCES, said, when it is
 * refused (any other error is said too); 0 when a loose folder would only
 * be tightened. */
int hs_lock_check_dir(const char *path);

/* Take the single-instance lock at 'path'.  HS_ELOCKED when another
 * process holds it; *holder_pid (may be NULL) then gets that process's
 * pid, or 0 when it has not written it yet.  Any other failure is said,
 * with the file or folder it concerns.  *out is set only on success. */
int hs_lock_acquire(const char *path, hs_lock **out, long *holder_pid);

/* Give the lock up (the file stays, emptied).  Accepts NULL. */
void hs_lock_release(hs_lock *lock);

#endif
