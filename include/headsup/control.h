/* control.h - the local control socket through which `headsup pause`,
 * `resume`, `status` and `stop` reach the running monitor; `headsup
 * calibrate` holds the monitor paused through it and has it reload the
 * baseline, and `headsup cameras` asks its status for the camera it
 * watches.
 *
 * The monitor listens on a Unix stream socket,
 * $XDG_RUNTIME_DIR/headsup/control.sock (folder 0700, socket 0600), and
 * only answers processes of its own user (SO_PEERCRED).  A client connects,
 * sends one request line and reads one reply line; then the connection
 * closes.  Several clients may be connected at once; one that is slow or
 * silent does not hold up the others (HS_CONTROL_CLIENTS below).
 * Requests:
 *
 *   pause <seconds>   stop watching for that long; 0 means until resumed
 *   resume            watch again
 *   status            say what the monitor is doing
 *   stop              end the monitor, as SIGTERM does
 *
 * and, from `headsup calibrate`:
 *
 *   pause <seconds> calibrate   hold the monitor paused for a recording,
 *                     at most that long; a pause of the user's own runs
 *                     alongside, unchanged ("already paused" when one
 *                     was on)
 *   resume calibrate  end that hold; the monitor watches again unless the
 *                     user paused it, or another calibrate holds it
 *   reload <path>     read the baseline again, when <path> (absolute) is
 *                     the monitor's own baseline file
 *
 * Replies are one line of text for the user; a reply that starts with
 * "error: " reports a failure.  Nothing here touches the network.
 */
#ifndef HEADSUP_CONTROL_H
#define HEADSUP_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct hs_control hs_control;

typedef enum hs_control_cmd {
	HS_CONTROL_PAUSE,
	HS_CONTROL_RESUME,
	HS_CONTROL_STATUS,
	HS_CONTROL_RELOAD,
	HS_CONTROL_STOP,
} hs_control_cmd;

typedef struct hs_control_request {
	hs_control_cmd cmd;
	double pause_s; /* HS_CONTROL_PAUSE: seconds, 0 = until resumed */
	bool calibrate; /* PAUSE, RESUME: asked by `headsup calibrate` */
	char path[256]; /* HS_CONTROL_RELOAD: the baseline file */
} hs_control_request;

/* Longest pause a request may ask for (7 days, like the duration parser). */
#define HS_CONTROL_PAUSE_MAX_S (7.0 * 24 * 3600)

/* Longest request or reply line, without the newline. */
enum {
	HS_CONTROL_LINE_MAX = 255
};

/* The server keeps this many connections at once, each with its own line
 * buffer and deadline: a client has HS_CONTROL_READ_DEADLINE_S from its
 * connection to send its line, then it is dropped, delaying nobody else.
 * When every connection is taken, a newcomer replaces the one that has
 * waited longest without a whole line. */
enum {
	HS_CONTROL_CLIENTS = 8
};
#define HS_CONTROL_READ_DEADLINE_S 2.0

/* "$XDG_RUNTIME_DIR/headsup/control.sock" into buf. */
int hs_control_default_path(char *buf, size_t size);

/* Parse one request line (without its newline).  HS_EINVAL for anything
 * but the requests above; *req is set only on success. */
int hs_control_parse(const char *line, hs_control_request *req);

/* Listen at 'path'.  A leftover socket file of a monitor that died is
 * replaced; HS_ELOCKED when a live server answers there.  Never blocks
 * afterwards. */
int hs_control_create(const char *path, hs_control **out);

/* Look for a request without blocking: 1 when one was read into *req (the
 * caller then answers it with hs_control_reply()), 0 when there is none
 * yet.  Takes new connections, reads every connected client's line so far
 * and hands out the request that came first; the others wait for the next
 * polls, so a caller may poll again at once after its reply.  Malformed
 * requests, other users and clients past their deadline are answered or
 * dropped here.  A request left unanswered is closed at the next poll. */
int hs_control_poll(hs_control *srv, hs_control_request *req);

/* Answer the request the last poll returned, and close its connection. */
int hs_control_reply(hs_control *srv, const char *text);

/* Sleep up to timeout_s seconds, but no longer than there is nothing for
 * hs_control_poll() to do: returns as soon as a client connects or sends,
 * when a client's deadline for its line passes, at once when a whole
 * request waits, and early when a signal arrives.  Reads nothing.  With
 * srv NULL, a plain sleep.  So an idle monitor wakes only when it has
 * something to do, and still answers at once. */
void hs_control_wait(hs_control *srv, double timeout_s);

/* End the current or next hs_control_wait() at once: for signal handlers
 * (async-signal-safe), after they set the flag the loop tests. */
void hs_control_wake(void);

/* Stop listening and remove the socket file.  Accepts NULL. */
void hs_control_destroy(hs_control *srv);

/* The start of the status reply of a monitor watching a source, for
 * people and for `headsup cameras`: "running: watching camera
 * '/dev/video0'" (kind is the back-end's name: "camera", "video",
 * "images"), into buf; the monitor adds the posture and the rest.
 * snprintf's return. */
int hs_control_status_watching(char *buf, size_t size, const char *kind,
                               const char *name);
/* Read back what hs_control_status_watching() wrote at the start of
 * reply: true, with the name into name (size bytes), when the monitor
 * watches a source of that kind; `headsup cameras` leaves the camera a
 * monitor watches alone.  The two are kept together here so the words
 * cannot drift apart (test_control checks the round trip). */
bool hs_control_status_watched(const char *reply, const char *kind, char *name,
                               size_t size);

/* Client: send 'line' to the monitor at 'path' and read its reply into
 * 'reply' (newline stripped).  Waits at most a few seconds.  HS_ENOENT
 * when no monitor listens there, HS_EIO when it did not answer in time,
 * HS_EACCES when the socket may not be used: not our own monitor's, or in
 * a folder hs_lock_check_dir() refuses (said). */
int hs_control_send(const char *path, const char *line, char *reply,
                    size_t size);

/* What `headsup pause`, `resume` and `status` do: send 'line' to the
 * monitor at the default path, print its answer on stdout (an "error: "
 * answer on stderr) and return the exit status: HS_EXIT_OK, or
 * HS_EXIT_FAILURE with "headsup is not running" when nothing listens. */
int hs_control_command(const char *line);
/* The same, except that two failures are left to the caller to tell (and
 * *unsaid set to them, HS_EXIT_FAILURE returned): HS_ENOENT, nothing
 * listens, and HS_EIO, the monitor took the connection and gave no answer.
 * A monitor on its way out gives either; `headsup stop` tells them apart
 * by the single-instance lock. */
int hs_control_command_or_silence(const char *line, int *unsaid);
/* "headsup is not running (nothing listens on 'path')", on stderr. */
void hs_control_say_not_running(const char *path);

/* The whole of a command that takes no arguments and sends one request
 * ("resume", "status", also the command's name): --help through help(),
 * a usage error for anything else, then hs_control_command(request).  With
 * done (and failed) not NULL, it takes --announce too, and the answer is
 * said on the desktop under that heading (announce.h). */
int hs_control_command_main(int argc, char **argv, const char *request,
                            void (*help)(FILE *out), const char *done,
                            const char *failed);

#endif
