/* camwatch.h - has another program opened the camera, and who holds it?
 *
 * A webcam streams to one program at a time.  A monitor that kept it all
 * day would make every video call fail to start its camera, so while the
 * monitor holds the camera it watches the device node with inotify: the
 * monitor opens the camera before it starts watching, so an open seen
 * afterwards is another program's.  The monitor then lets go of the camera
 * ([monitor] lend_camera_s) and takes it back once no new program holds
 * it open (cmd_run.c).
 *
 * Paths may be symbolic links (/dev/v4l/by-id/...): both the watch and
 * the holders follow them to the device itself.
 */
#ifndef HEADSUP_CAMWATCH_H
#define HEADSUP_CAMWATCH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hs_camwatch hs_camwatch;

/* Start watching path, a device node (or any file).  HS_ENOENT, HS_EACCES,
 * HS_ENOMEM, or HS_EIO when the user's inotify instances or watches are
 * used up.  *out is set only on success. */
int hs_camwatch_create(const char *path, hs_camwatch **out);

/* Whether path has been opened, by anyone, since the last call (or since
 * hs_camwatch_create()).  Never blocks. */
bool hs_camwatch_opened(hs_camwatch *w);

/* Stop watching.  Accepts NULL. */
void hs_camwatch_destroy(hs_camwatch *w);

/* The processes other than this one that hold path open now: up to max
 * pids go to pids; returns how many were found (0 when path does not
 * resolve).  Processes of other users cannot be seen.  Reads /proc only,
 * never the files the processes hold, so a hung network mount cannot
 * stall it; costs about a microsecond per open file on the machine. */
int hs_camwatch_holders(const char *path, long *pids, int max);

/* The command name of process pid ("zoom"); "" once it has gone. */
void hs_camwatch_name(long pid, char *buf, size_t size);

#endif
