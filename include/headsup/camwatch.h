/* camwatch.h - has another program opened the camera, and who holds it?
 *
 * A webcam streams to one program at a time.  A monitor that kept it all
 * day would make every video call fail to start its camera, so while the
 * monitor holds the camera it watches the device node with inotify: the
 * monitor opens the camera before it starts watching, so an open seen
 * afterwards is another program's.  The monitor then lets go of the camera
 * ([monitor] lend_camera_s) and takes it back once no descriptor holds it
 * open but those that did while the monitor held it (cmd_run_camera.c);
 * closes tell it when to look again.
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

/* What hs_camwatch_poll() saw: path opened, or closed, by anyone. */
enum {
	HS_CAMWATCH_OPENED = 1,
	HS_CAMWATCH_CLOSED = 2
};

/* HS_CAMWATCH_* bits for what happened to path since the last call (or
 * since hs_camwatch_create()); 0 for nothing.  Never blocks. */
int hs_camwatch_poll(hs_camwatch *w);

/* Stop watching.  Accepts NULL. */
void hs_camwatch_destroy(hs_camwatch *w);

/* One open file of path: the process and its descriptor number. */
typedef struct hs_camwatch_holder {
	long pid;
	int fd;
} hs_camwatch_holder;

/* The open files of path held by processes other than this one: up to
 * max go to out; returns how many were found (0 when path does not
 * resolve).  Processes of other users cannot be seen.  Reads /proc only,
 * never the files the processes hold, so a hung network mount cannot
 * stall it; costs one to two microseconds per open file on the machine. */
int hs_camwatch_holders(const char *path, hs_camwatch_holder *out, int max);

/* How many of the n holders in now are not among the n_idle in idle (the
 * same process may hold the camera idle in one descriptor and use it in
 * another).  *pid gets the highest pid among them, usually the program
 * started last, or 0. */
int hs_camwatch_new_holders(const hs_camwatch_holder *now, int n,
                            const hs_camwatch_holder *idle, int n_idle,
                            long *pid);

/* The command name of process pid ("zoom"); "" once it has gone. */
void hs_camwatch_name(long pid, char *buf, size_t size);

#endif
