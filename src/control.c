/* control.c - see control.h. */
#include "headsup/control.h"

#include "headsup/announce.h"
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/err.h"
#include "headsup/lock.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* How long the client waits for the monitor (which answers within a frame
 * or two). */
#define CLIENT_TIMEOUT_S 3

typedef enum slot_state {
	SLOT_FREE,    /* nobody connected */
	SLOT_READING, /* connected, request line incomplete */
	SLOT_READY,   /* whole line read, not yet handed to the caller */
	SLOT_ANSWER,  /* request handed to the caller, reply pending */
} slot_state;

/* One connection: its own line buffer and its own deadline, so an idle or
 * slow client holds up nobody but itself. */
typedef struct slot {
	int fd;
	slot_state state;
	double since; /* hs_clock_steady() when it was accepted */
	/* how many were accepted before it: orders those of one poll,
	 * whose since is the same */
	unsigned long long order;
	size_t len;
	char line[HS_CONTROL_LINE_MAX + 2];
} slot;

struct hs_control {
	int listen_fd;
	int answering;               /* the slot in SLOT_ANSWER, or -1 */
	unsigned long long accepted; /* connections accepted so far */
	slot slots[HS_CONTROL_CLIENTS];
	dev_t dev; /* the socket file we made, so destroy removes only it */
	ino_t ino;
	char path[];
};

/* The self-pipe: hs_control_wake(), called from a signal handler, writes
 * a byte that ends the poll() of hs_control_wait(), even when the signal
 * came just before the poll began (its flag already tested).  Made once
 * and kept open for the life of the process, so that a late signal never
 * writes into a descriptor reused for a file. */
static int wake_pipe[2] = { -1, -1 };

int hs_control_default_path(char *buf, size_t size)
{
	return hs_path_xdg(HS_XDG_RUNTIME, "control.sock", buf, size);
}

/* The words of hs_control_status_watching(), which
 * hs_control_status_watched() reads back. */
#define WATCHING_START "running: watching "

int hs_control_status_watching(char *buf, size_t size, const char *kind,
                               const char *name)
{
	return snprintf(buf, size, WATCHING_START "%s '%s'", kind, name);
}

bool hs_control_status_watched(const char *reply, const char *kind, char *name,
                               size_t size)
{
	const size_t start = sizeof WATCHING_START - 1, len = strlen(kind);
	if (strncmp(reply, WATCHING_START, start) != 0 ||
	    strncmp(reply + start, kind, len) != 0 ||
	    strncmp(reply + start + len, " '", 2) != 0)
		return false;
	const char *p = reply + start + len + 2;
	snprintf(name, size, "%.*s", (int)strcspn(p, "'"), p);
	return true;
}

int hs_control_parse(const char *line, hs_control_request *req)
{
	hs_control_request r = { .cmd = HS_CONTROL_STATUS };
	if (strcmp(line, "resume") == 0 ||
	    strcmp(line, "resume calibrate") == 0) {
		r.cmd = HS_CONTROL_RESUME;
		r.calibrate = line[6] != '\0';
		*req = r;
		return 0;
	}
	if (strcmp(line, "stop") == 0) {
		r.cmd = HS_CONTROL_STOP;
		*req = r;
		return 0;
	}
	if (strcmp(line, "status") == 0) {
		*req = r;
		return 0;
	}
	if (strncmp(line, "reload /", 8) == 0) {
		const char *path = line + 7;
		if (strlen(path) >= sizeof r.path)
			return HS_EINVAL;
		for (const char *p = path; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return HS_EINVAL;
		r.cmd = HS_CONTROL_RELOAD;
		memcpy(r.path, path, strlen(path) + 1);
		*req = r;
		return 0;
	}
	if (strncmp(line, "pause ", 6) != 0)
		return HS_EINVAL;
	const char *num = line + 6;
	/* Digits, no sign and no leading zero: one spelling per request. */
	if (*num < '0' || *num > '9' ||
	    (num[0] == '0' && num[1] >= '0' && num[1] <= '9'))
		return HS_EINVAL;
	char *end;
	errno = 0;
	long long s = strtoll(num, &end, 10);
	if (strcmp(end, " calibrate") == 0)
		r.calibrate = true;
	else if (*end != '\0')
		return HS_EINVAL;
	if (errno != 0 || s < 0 || (double)s > HS_CONTROL_PAUSE_MAX_S)
		return HS_EINVAL;
	r.cmd = HS_CONTROL_PAUSE;
	r.pause_s = (double)s;
	*req = r;
	return 0;
}

static int fill_address(const char *path, struct sockaddr_un *addr)
{
	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof addr->sun_path)
		return HS_ERANGE;
	memcpy(addr->sun_path, path, strlen(path) + 1);
	return 0;
}

/* True when a server accepts connections at addr right now. */
static bool someone_listens(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	int rc = connect(fd, (const struct sockaddr *)addr, sizeof *addr);
	bool alive = rc == 0 || errno == EAGAIN || errno == EINPROGRESS;
	close(fd);
	return alive;
}

int hs_control_create(const char *path, hs_control **out)
{
	struct sockaddr_un addr;
	int rc = fill_address(path, &addr);
	if (rc < 0) {
		hs_error("control socket path '%s' is too long", path);
		return rc;
	}
	rc = hs_lock_private_dir(path);
	if (rc < 0)
		return rc;

	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			hs_error("cannot make control socket '%s': a file that "
			         "is not a socket is in the way",
			         path);
			return HS_EINVAL;
		}
		if (someone_listens(&addr)) {
			hs_error("control socket '%s' is in use by another "
			         "monitor",
			         path);
			return HS_ELOCKED;
		}
		/* Left behind by a monitor that was killed. */
		if (unlink(path) != 0 && errno != ENOENT) {
			rc = hs_err_from_errno(errno);
			hs_error("cannot remove stale control socket '%s': %s",
			         path, hs_strerror(rc));
			return rc;
		}
	}

	size_t path_len = strlen(path) + 1;
	hs_control *srv = calloc(1, sizeof *srv + path_len);
	if (!srv)
		return HS_ENOMEM;
	memcpy(srv->path, path, path_len);
	srv->answering = -1;
	for (int i = 0; i < HS_CONTROL_CLIENTS; i++)
		srv->slots[i].fd = -1;
	/* Without it, a signal ends a wait by interrupting poll() alone. */
	if (wake_pipe[0] < 0 && pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		wake_pipe[0] = wake_pipe[1] = -1;
	srv->listen_fd =
	        socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0) {
		rc = hs_err_from_errno(errno);
		hs_error("cannot make control socket '%s': %s", path,
		         hs_strerror(rc));
		goto fail_free;
	}
	/* The folder is private already; the umask makes the socket 0600 from
	 * the moment it exists. */
	mode_t old_mask = umask(0177);
	int bound = bind(srv->listen_fd, (const struct sockaddr *)&addr,
	                 sizeof addr);
	int bind_errno = errno;
	umask(old_mask);
	if (bound != 0) {
		rc = hs_err_from_errno(bind_errno);
		hs_error("cannot make control socket '%s': %s", path,
		         hs_strerror(rc));
		goto fail_close;
	}
	if (chmod(path, 0600) != 0 || lstat(path, &st) != 0 ||
	    listen(srv->listen_fd, 2 * HS_CONTROL_CLIENTS) != 0) {
		rc = hs_err_from_errno(errno);
		hs_error("cannot listen on control socket '%s': %s", path,
		         hs_strerror(rc));
		goto fail_unlink;
	}
	srv->dev = st.st_dev;
	srv->ino = st.st_ino;
	*out = srv;
	return 0;

fail_unlink:
	unlink(path);
fail_close:
	close(srv->listen_fd);
fail_free:
	free(srv);
	return rc;
}

static void drop_client(hs_control *srv, slot *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->state = SLOT_FREE;
	s->len = 0;
	if (srv->answering == (int)(s - srv->slots))
		srv->answering = -1;
}

static void answer(hs_control *srv, slot *s, const char *text)
{
	char msg[HS_CONTROL_LINE_MAX + 2];
	int n = snprintf(msg, sizeof msg - 1, "%s", text);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof msg - 2)
		n = (int)(sizeof msg - 2);
	msg[n++] = '\n';
	/* A few dozen bytes always fit the socket buffer of a fresh
	 * connection; a client that went away just misses the answer. */
	if (send(s->fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
		hs_debug("control client left before its answer: %s",
		         strerror(errno));
	drop_client(srv, s);
}

/* Read what the client sent: SLOT_READY once a whole line is in s->line;
 * a client that left, failed or sent too much is dropped. */
static void read_line(hs_control *srv, slot *s)
{
	size_t room = sizeof s->line - 1 - s->len;
	ssize_t n = recv(s->fd, s->line + s->len, room, MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			drop_client(srv, s);
		return;
	}
	s->len += (size_t)n;
	s->line[s->len] = '\0';
	char *nl = memchr(s->line, '\n', s->len);
	if (nl) {
		*nl = '\0';
		if (nl > s->line && nl[-1] == '\r') /* "status\r\n" (nc -C) */
			nl[-1] = '\0';
		s->state = SLOT_READY;
	} else if (n == 0) {
		/* The client shut down: what it sent is the line. */
		if (s->len > 0)
			s->state = SLOT_READY;
		else
			drop_client(srv, s);
	} else if (s->len >= sizeof s->line - 1) {
		answer(srv, s, "error: request too long");
	}
}

/* The slot for a new connection: a free one, else the one that has waited
 * longest for its line (a client that sends at once has its line read
 * before the next connection is taken, so it is not the one dropped).
 * NULL when every slot holds a request: the rest wait in the backlog. */
static slot *slot_for_newcomer(hs_control *srv)
{
	slot *oldest = NULL;
	for (int i = 0; i < HS_CONTROL_CLIENTS; i++) {
		slot *s = &srv->slots[i];
		if (s->state == SLOT_FREE)
			return s;
		if (s->state == SLOT_READING &&
		    (!oldest || s->order < oldest->order))
			oldest = s;
	}
	return oldest;
}

/* Take one waiting connection of our own user; false when there is none
 * or no room for it. */
static bool accept_client(hs_control *srv, double now)
{
	slot *s = slot_for_newcomer(srv);
	if (!s)
		return false;
	int fd = accept4(srv->listen_fd, NULL, NULL,
	                 SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			hs_debug("control socket accept failed: %s",
			         strerror(errno));
		return false;
	}
	struct ucred cred = { 0 };
	socklen_t cred_len = sizeof cred;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) != 0 ||
	    cred.uid != getuid()) {
		hs_warn("control socket '%s': refused a request from uid %ld",
		        srv->path, (long)cred.uid);
		close(fd);
		return true; /* more may be waiting */
	}
	if (s->state != SLOT_FREE) {
		hs_debug("control socket '%s': all %d connections taken; "
		         "dropped the one waiting longest for its line",
		         srv->path, HS_CONTROL_CLIENTS);
		drop_client(srv, s);
	}
	s->fd = fd;
	s->state = SLOT_READING;
	s->since = now;
	s->order = srv->accepted++;
	s->len = 0;
	read_line(srv, s); /* most clients have sent their line already */
	return true;
}

int hs_control_poll(hs_control *srv, hs_control_request *req)
{
	if (srv->answering >= 0)
		answer(srv, &srv->slots[srv->answering],
		       "error: the monitor gave no answer");
	const double now = hs_clock_steady();
	for (int i = 0; i < HS_CONTROL_CLIENTS; i++)
		if (srv->slots[i].state == SLOT_READING)
			read_line(srv, &srv->slots[i]);
	for (int i = 0; i < HS_CONTROL_CLIENTS; i++)
		if (!accept_client(srv, now))
			break;

	/* Hand out the oldest whole request; drop whoever ran out of time
	 * before sending one. */
	for (;;) {
		slot *next = NULL;
		for (int i = 0; i < HS_CONTROL_CLIENTS; i++) {
			slot *s = &srv->slots[i];
			if (s->state == SLOT_READING &&
			    now - s->since > HS_CONTROL_READ_DEADLINE_S) {
				hs_debug("control socket '%s': dropped a "
				         "client that sent no request in "
				         "%.0f s",
				         srv->path, HS_CONTROL_READ_DEADLINE_S);
				drop_client(srv, s);
			}
			if (s->state == SLOT_READY &&
			    (!next || s->order < next->order))
				next = s;
		}
		if (!next)
			return 0;
		if (hs_control_parse(next->line, req) == 0) {
			next->state = SLOT_ANSWER;
			srv->answering = (int)(next - srv->slots);
			return 1;
		}
		char msg[HS_CONTROL_LINE_MAX + 1];
		snprintf(msg, sizeof msg, "error: unknown request '%.64s'",
		         next->line);
		answer(srv, next, msg);
	}
}

int hs_control_reply(hs_control *srv, const char *text)
{
	if (srv->answering < 0)
		return HS_EINVAL;
	answer(srv, &srv->slots[srv->answering], text);
	return 0;
}

void hs_control_wake(void)
{
	if (wake_pipe[1] < 0)
		return;
	const int saved = errno;
	ssize_t r = write(wake_pipe[1], "", 1); /* full: already woken */
	(void)r;
	errno = saved;
}

void hs_control_wait(hs_control *srv, double timeout_s)
{
	if (!srv) {
		hs_clock_sleep(timeout_s);
		return;
	}
	const double now = hs_clock_steady();
	struct pollfd fds[2 + HS_CONTROL_CLIENTS];
	nfds_t n = 0;
	fds[n++] = (struct pollfd){ .fd = srv->listen_fd, .events = POLLIN };
	if (wake_pipe[0] >= 0)
		fds[n++] =
		        (struct pollfd){ .fd = wake_pipe[0], .events = POLLIN };
	for (int i = 0; i < HS_CONTROL_CLIENTS; i++) {
		const slot *s = &srv->slots[i];
		if (s->state == SLOT_READY)
			return;
		if (s->state != SLOT_READING)
			continue;
		fds[n++] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
		timeout_s = fmin(timeout_s,
		                 s->since + HS_CONTROL_READ_DEADLINE_S - now);
	}
	if (!(timeout_s > 0))
		return;
	/* rounded up, so that the deadline has passed when it returns */
	poll(fds, n, (int)ceil(fmin(timeout_s, 3600.0) * 1000));
	char drain[64];
	while (wake_pipe[0] >= 0 && read(wake_pipe[0], drain, sizeof drain) > 0)
		;
}

void hs_control_destroy(hs_control *srv)
{
	if (!srv)
		return;
	for (int i = 0; i < HS_CONTROL_CLIENTS; i++)
		drop_client(srv, &srv->slots[i]);
	close(srv->listen_fd);
	struct stat st;
	if (lstat(srv->path, &st) == 0 && st.st_dev == srv->dev &&
	    st.st_ino == srv->ino)
		unlink(srv->path);
	free(srv);
}

static int connect_error(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ECONNREFUSED:
	case ENOTDIR:
		return HS_ENOENT;
	case EAGAIN:
	case ETIMEDOUT:
		return HS_EIO;
	default:
		return hs_err_from_errno(errnum);
	}
}

/* hs_control_send(), once the socket's folder has passed
 * hs_lock_check_dir(). */
static int send_checked(const char *path, const char *line, char *reply,
                        size_t size)
{
	struct sockaddr_un addr;
	int rc = fill_address(path, &addr);
	if (rc < 0)
		return rc;
	if (size == 0 || strlen(line) > HS_CONTROL_LINE_MAX ||
	    strchr(line, '\n'))
		return HS_EINVAL;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hs_err_from_errno(errno);
	struct timeval tv = { CLIENT_TIMEOUT_S, 0 };
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
		rc = hs_err_from_errno(errno);
		goto out;
	}
	if (connect(fd, (const struct sockaddr *)&addr, sizeof addr) != 0) {
		rc = connect_error(errno);
		goto out;
	}
	struct ucred cred;
	socklen_t cred_len = sizeof cred;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) != 0 ||
	    cred.uid != getuid()) {
		rc = HS_EACCES; /* not our monitor: tell it nothing */
		goto out;
	}
	char msg[HS_CONTROL_LINE_MAX + 2];
	int n = snprintf(msg, sizeof msg, "%s\n", line);
	if (send(fd, msg, (size_t)n, MSG_NOSIGNAL) != n) {
		rc = errno == EAGAIN ? HS_EIO : hs_err_from_errno(errno);
		goto out;
	}
	size_t got = 0;
	for (;;) {
		ssize_t r = recv(fd, reply + got, size - 1 - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = HS_EIO; /* timed out or reset */
			goto out;
		}
		got += (size_t)r;
		if (r == 0 || got == size - 1 || memchr(reply, '\n', got))
			break;
	}
	reply[got] = '\0';
	char *nl = strchr(reply, '\n');
	if (nl)
		*nl = '\0';
	rc = reply[0] ? 0 : HS_EIO;
out:
	close(fd);
	return rc;
}

int hs_control_send(const char *path, const char *line, char *reply,
                    size_t size)
{
	/* Not even a connection into a folder another user could have made
	 * (/tmp/headsup-UID without $XDG_RUNTIME_DIR). */
	int rc = hs_lock_check_dir(path);
	return rc < 0 ? rc : send_checked(path, line, reply, size);
}

void hs_control_say_not_running(const char *path)
{
	fprintf(stderr, "headsup is not running (nothing listens on '%s')\n",
	        path);
}

int hs_control_command(const char *line)
{
	return hs_control_command_or_silence(line, NULL);
}

int hs_control_command_or_silence(const char *line, int *unsaid)
{
	char path[PATH_MAX];
	int rc = hs_control_default_path(path, sizeof path);
	if (rc < 0) {
		hs_error("cannot find the control socket: %s",
		         hs_path_xdg_advice(HS_XDG_RUNTIME, rc));
		return HS_EXIT_FAILURE;
	}
	/* A refused folder is said there, and is all there is to say. */
	rc = hs_lock_check_dir(path);
	if (rc < 0 && rc != HS_ENOENT)
		return HS_EXIT_FAILURE;
	char reply[HS_CONTROL_LINE_MAX + 2];
	rc = send_checked(path, line, reply, sizeof reply);
	if ((rc == HS_ENOENT || rc == HS_EIO) && unsaid) {
		*unsaid = rc;
		return HS_EXIT_FAILURE;
	}
	if (rc == HS_ENOENT) {
		hs_control_say_not_running(path);
		return HS_EXIT_FAILURE;
	}
	if (rc == HS_EIO) {
		fprintf(stderr, "headsup: the monitor did not answer on '%s'\n",
		        path);
		return HS_EXIT_FAILURE;
	}
	if (rc < 0) {
		fprintf(stderr,
		        "headsup: cannot reach the monitor at '%s': %s\n", path,
		        hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	if (strncmp(reply, "error: ", 7) == 0) {
		fprintf(stderr, "headsup: %s\n", reply + 7);
		return HS_EXIT_FAILURE;
	}
	printf("%s\n", reply);
	return hs_cli_stdout_ok() ? HS_EXIT_OK : HS_EXIT_FAILURE;
}

int hs_control_command_main(int argc, char **argv, const char *request,
                            void (*help)(FILE *out), const char *done,
                            const char *failed)
{
	int status;
	bool announce = false;
	const int first = hs_cli_help_only(argc, argv, help,
	                                   done ? &announce : NULL, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return hs_cli_usage_error(request,
		                          "%s takes no arguments, got '%s'",
		                          request, argv[first]);
	hs_announce *said = hs_announce_begin(announce);
	status = hs_control_command(request);
	hs_announce_end(said, status, done, failed, NULL);
	return status;
}
