/* notify_libnotify.c - alerts as desktop notifications (libnotify).
 *
 * libnotify's notify_init() succeeds without any server, so open() first
 * asks the server itself, with a bounded wait, whether it is there
 * (GetServerInformation on the session bus).  A server that is
 * D-Bus-activatable gets started by that call, as it would be by any
 * client.  When no bus address is known at all we give up at once rather
 * than let GIO autolaunch a bus, and a bus that is not a local socket
 * (tcp:) is not connected to: the alerts' text would cross the network.
 * Before each alert the same question,
 * with a 2 s limit, tells a hung server from a live one (libnotify's own
 * calls would block for D-Bus's 25 s default).
 *
 * Action clicks arrive as D-Bus signals on the default GLib main context;
 * poll() dispatches them.
 *
 * A notification's ID means something only to the server that gave it: a
 * server started again (after a crash, a new session's) counts from the
 * start, and the old IDs are another program's notifications there.  So
 * each alert kept is kept with the unique bus name of the server that
 * showed it, and is closed by a call to that name alone, which the bus
 * delivers to nobody once that server is gone; when the name that owns
 * org.freedesktop.Notifications has changed, the kept alerts are
 * forgotten and the new server's capabilities read.
 */
#include "headsup/notify.h"

#include <gio/gio.h>
#include <limits.h>
#include <libnotify/notify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/display.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#define APP_NAME "headsup"
#define CATEGORY "x-headsup.posture"
#define NOTICE_CATEGORY "x-headsup.notice"
#define FALLBACK_ICON "dialog-information"
#define CONNECT_TIMEOUT_MS 3000
#define PROBE_TIMEOUT_MS 5000 /* long enough to start an activatable server */
/* Before each alert: a server that does not answer within this long is
 * taken as hung (libnotify's own calls would wait 25 s). */
#define ALIVE_TIMEOUT_MS 2000
#define URL_KEY "headsup-advice-url"
#define NOTIFY_NAME "org.freedesktop.Notifications"
#define NOTIFY_PATH "/org/freedesktop/Notifications"

enum {
	SLOT_LOOKING_DOWN,
	SLOT_HUNCHED,
	SLOT_COUNT
};

/* An alert shown, kept so that its actions still reach us and so that it
 * can be closed; owner: the unique bus name of the server that showed it. */
typedef struct kept_alert {
	NotifyNotification *nn;
	char *owner;
} kept_alert;

typedef struct libnotify_state {
	GDBusConnection *bus;
	/* The unique bus name of the server last asked, whose capabilities
	 * are those below (NULL: not known). */
	char *owner;
	bool actions; /* server lists "actions" */
	hs_body_style body_style;
	const char *icon;
	/* The last alert of each kind: closed when a newer one of its kind
	 * replaces it, or when withdrawn. */
	kept_alert shown[SLOT_COUNT];
	bool snooze_asked;
	bool advice_asked;
} libnotify_state;

typedef struct bus_wait {
	GDBusConnection *bus;
	GError *err;
	bool done;
	GCancellable *cancel;
} bus_wait;

static void on_bus_ready(GObject *source, GAsyncResult *res, gpointer data)
{
	(void)source;
	bus_wait *w = data;
	w->bus = g_bus_get_finish(res, &w->err);
	w->done = true;
}

static gboolean on_connect_timeout(gpointer data)
{
	bus_wait *w = data;
	g_cancellable_cancel(w->cancel);
	return G_SOURCE_REMOVE;
}

/* g_bus_get_sync() waits forever on a bus that accepts the connection but
 * never answers; this gives up after CONNECT_TIMEOUT_MS.  It runs on a
 * private main context, so it dispatches nothing of anyone else's. */
static GDBusConnection *connect_bounded(GError **err)
{
	GMainContext *ctx = g_main_context_new();
	g_main_context_push_thread_default(ctx);
	bus_wait w = { .cancel = g_cancellable_new() };
	g_bus_get(G_BUS_TYPE_SESSION, w.cancel, on_bus_ready, &w);
	GSource *timer = g_timeout_source_new(CONNECT_TIMEOUT_MS);
	g_source_set_callback(timer, on_connect_timeout, &w, NULL);
	g_source_attach(timer, ctx);
	while (!w.done)
		g_main_context_iteration(ctx, TRUE);
	g_source_destroy(timer);
	g_source_unref(timer);
	g_object_unref(w.cancel);
	g_main_context_pop_thread_default(ctx);
	g_main_context_unref(ctx);
	if (!w.bus)
		g_propagate_error(err, w.err);
	return w.bus;
}

/* The server's GetServerInformation reply (name, vendor, version, spec),
 * or NULL when it does not answer within timeout_ms (said at debug level).
 * The caller unrefs the reply. */
static GVariant *server_information(GDBusConnection *bus, int timeout_ms)
{
	GError *err = NULL;
	GVariant *reply = g_dbus_connection_call_sync(
	        bus, "org.freedesktop.Notifications",
	        "/org/freedesktop/Notifications",
	        "org.freedesktop.Notifications", "GetServerInformation", NULL,
	        G_VARIANT_TYPE("(ssss)"), G_DBUS_CALL_FLAGS_NONE, timeout_ms,
	        NULL, &err);
	if (!reply) {
		hs_debug(
		        "no notification server answers on the session bus: %s",
		        err->message);
		g_error_free(err);
	}
	return reply;
}

/* Ask the server for its name; HS_ENOSERVER when nothing answers,
 * HS_ENOTLOCAL (without connecting) when the session bus is not a local
 * socket: as a remote DISPLAY for the preview, what is shown would cross
 * the network. */
static int probe_server(GDBusConnection **bus_out)
{
	const int known = hs_display_session_bus();
	if (known == HS_ENOTLOCAL) {
		hs_debug("session bus address '%s' is not a local (unix:) "
		         "socket: not used",
		         getenv("DBUS_SESSION_BUS_ADDRESS"));
		return HS_ENOTLOCAL;
	}
	if (!known) {
		hs_debug("no session bus: DBUS_SESSION_BUS_ADDRESS is not set "
		         "and there is no $XDG_RUNTIME_DIR/bus (or that folder "
		         "is not private)");
		return HS_ENOSERVER;
	}
	GError *err = NULL;
	GDBusConnection *bus = connect_bounded(&err);
	if (!bus) {
		if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			hs_debug("the session bus did not answer within %d ms",
			         CONNECT_TIMEOUT_MS);
		else
			hs_debug("cannot connect to the session bus: %s",
			         err->message);
		g_error_free(err);
		return HS_ENOSERVER;
	}
	/* GIO ends the process when the shared session bus goes away; a
	 * monitor should rather carry on and print its alerts. */
	g_dbus_connection_set_exit_on_close(bus, FALSE);

	GVariant *reply = server_information(bus, PROBE_TIMEOUT_MS);
	if (!reply) {
		g_object_unref(bus);
		return HS_ENOSERVER;
	}
	const char *name, *vendor, *version, *spec;
	g_variant_get(reply, "(&s&s&s&s)", &name, &vendor, &version, &spec);
	hs_info("desktop notifications through %s %s", name, version);
	g_variant_unref(reply);
	*bus_out = bus;
	return 0;
}

/* The themed icon "headsup" when the desktop's data folders have it; else
 * the icon installed with this program (a prefix such as ~/.local/opt the
 * session does not search), as a file URI; else a stock icon. */
static const char *pick_icon(void)
{
	static char uri[3 * PATH_MAX + 8]; /* percent-encoded */
	static const char *const names[] = {
		"icons/hicolor/scalable/apps/" APP_NAME ".svg",
		"icons/hicolor/48x48/apps/" APP_NAME ".png",
		"pixmaps/" APP_NAME ".png",
	};
	const char *const *dirs = g_get_system_data_dirs();
	for (int d = -1; d < 0 || dirs[d]; d++) {
		const char *base = d < 0 ? g_get_user_data_dir() : dirs[d];
		for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
			char *path = g_build_filename(base, names[i], NULL);
			bool found = g_file_test(path, G_FILE_TEST_EXISTS);
			g_free(path);
			if (found)
				return APP_NAME;
		}
	}
	char path[PATH_MAX], real[PATH_MAX];
	size_t used = strlen("file://");
	if (hs_path_data_file("../icons/hicolor/scalable/apps/" APP_NAME ".svg",
	                      path, sizeof path) == 0 &&
	    realpath(path, real)) {
		memcpy(uri, "file://", used + 1);
		if (hs_path_put_uri(uri, sizeof uri, &used, real) == 0)
			return uri;
	}
	return FALLBACK_ICON;
}

/* The unique bus name that owns org.freedesktop.Notifications now (to be
 * freed), or NULL when none does or the bus does not answer in time. */
static char *name_owner(GDBusConnection *bus)
{
	GError *err = NULL;
	GVariant *reply = g_dbus_connection_call_sync(
	        bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	        "org.freedesktop.DBus", "GetNameOwner",
	        g_variant_new("(s)", NOTIFY_NAME), G_VARIANT_TYPE("(s)"),
	        G_DBUS_CALL_FLAGS_NONE, ALIVE_TIMEOUT_MS, NULL, &err);
	if (!reply) {
		hs_debug("no owner of %s: %s", NOTIFY_NAME, err->message);
		g_error_free(err);
		return NULL;
	}
	char *owner = NULL;
	g_variant_get(reply, "(s)", &owner);
	g_variant_unref(reply);
	return owner;
}

/* Close a kept alert on the server that showed it, and forget it.  The
 * call goes to that server's unique name, so a server started since (which
 * may have given the same ID to another program's notification) never
 * gets it.  wait: for the answer, ALIVE_TIMEOUT_MS at most (a server that
 * answered a moment ago); else no answer is asked for, and a hung server
 * costs nothing.  Fails harmlessly when the server already closed it. */
static void close_kept(libnotify_state *st, kept_alert *k, bool wait)
{
	gint id = 0;
	g_object_get(k->nn, "id", &id, NULL);
	if (k->owner && id > 0 && wait) {
		GVariant *r = g_dbus_connection_call_sync(
		        st->bus, k->owner, NOTIFY_PATH, NOTIFY_NAME,
		        "CloseNotification", g_variant_new("(u)", (guint32)id),
		        NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, ALIVE_TIMEOUT_MS,
		        NULL, NULL);
		if (r)
			g_variant_unref(r);
	} else if (k->owner && id > 0) {
		g_dbus_connection_call(st->bus, k->owner, NOTIFY_PATH,
		                       NOTIFY_NAME, "CloseNotification",
		                       g_variant_new("(u)", (guint32)id), NULL,
		                       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
		                       NULL, NULL, NULL);
	}
	g_object_unref(k->nn);
	g_free(k->owner);
	*k = (kept_alert){ 0 };
}

/* Forget the kept alerts without closing them (their server is gone). */
static void forget_kept(libnotify_state *st)
{
	for (int i = 0; i < SLOT_COUNT; i++) {
		if (st->shown[i].nn)
			g_object_unref(st->shown[i].nn);
		g_free(st->shown[i].owner);
		st->shown[i] = (kept_alert){ 0 };
	}
}

static void read_caps(libnotify_state *st)
{
	bool hyperlinks = false, markup = false;
	st->actions = false;
	GList *caps = notify_get_server_caps();
	for (GList *c = caps; c; c = c->next) {
		const char *cap = c->data;
		if (strcmp(cap, "actions") == 0)
			st->actions = true;
		else if (strcmp(cap, "body-hyperlinks") == 0)
			hyperlinks = true;
		else if (strcmp(cap, "body-markup") == 0)
			markup = true;
	}
	g_list_free_full(caps, g_free);
	st->body_style = hyperlinks ? HS_BODY_HYPERLINK
	                 : markup   ? HS_BODY_MARKUP
	                            : HS_BODY_PLAIN;
	hs_debug("notification server: actions %s, body %s",
	         st->actions ? "yes" : "no",
	         hyperlinks ? "hyperlinks"
	         : markup   ? "markup"
	                    : "plain");
}

static int ln_open(void **state)
{
	GDBusConnection *bus = NULL;
	int rc = probe_server(&bus);
	if (rc < 0)
		return rc;
	libnotify_state *st = calloc(1, sizeof *st);
	if (!st) {
		rc = HS_ENOMEM;
		goto fail_bus;
	}
	if (!notify_init(APP_NAME)) {
		hs_debug("notify_init failed");
		rc = HS_ENOSERVER;
		goto fail_state;
	}
	st->bus = bus;
	st->owner = name_owner(bus);
	st->icon = pick_icon();
	read_caps(st);
	hs_debug("notification icon: %s", st->icon);
	*state = st;
	return 0;

fail_state:
	free(st);
fail_bus:
	g_object_unref(bus);
	return rc;
}

static void open_advice(const char *url)
{
	GError *err = NULL;
	if (!g_app_info_launch_default_for_uri(url, NULL, &err)) {
		hs_warn("cannot open the advice page '%s': %s", url,
		        err->message);
		g_error_free(err);
	}
}

static void on_action(NotifyNotification *nn, char *action, gpointer data)
{
	libnotify_state *st = data;
	if (strcmp(action, "snooze") == 0) {
		hs_info("alerts snoozed from the notification");
		st->snooze_asked = true;
	} else if (strcmp(action, "advice") == 0) {
		const char *url = g_object_get_data(G_OBJECT(nn), URL_KEY);
		if (url) {
			hs_info("opening the advice page %s", url);
			open_advice(url);
		}
		st->advice_asked = true;
	}
}

/* Does the server still answer, within ALIVE_TIMEOUT_MS?  libnotify's
 * calls are synchronous with D-Bus's default timeout of 25 s, and a server
 * that hangs while it keeps its bus name would stall the whole monitor
 * (frames, control socket) on each alert; this bounded call comes first,
 * and a server that stays silent costs 2 s and the terminal fallback. */
static bool server_answers(libnotify_state *st)
{
	GVariant *info = server_information(st->bus, ALIVE_TIMEOUT_MS);
	if (info)
		g_variant_unref(info);
	return info != NULL;
}

static void ln_poll(void *state)
{
	(void)state;
	/* Bounded, so a flood of events cannot hold up the monitor. */
	for (int i = 0; i < 100 && g_main_context_iteration(NULL, FALSE); i++) {
	}
}

/* Before showing anything: the server that answers now, when another than
 * the one last asked (restarted, or replaced), has other IDs and maybe
 * other capabilities: the kept alerts are forgotten, not closed (their IDs
 * are the new server's to give to anyone), and its capabilities read.
 * HS_ENOSERVER when no server answers. */
static int check_server(libnotify_state *st)
{
	if (!server_answers(st))
		return HS_ENOSERVER;
	char *owner = name_owner(st->bus);
	if (!owner)
		return HS_ENOSERVER;
	if (st->owner && strcmp(owner, st->owner) == 0) {
		g_free(owner);
		return 0;
	}
	hs_debug("the notification server is %s now (was %s): its "
	         "capabilities are read again",
	         owner, st->owner ? st->owner : "not known");
	forget_kept(st);
	g_free(st->owner);
	st->owner = owner;
	/* libnotify's proxy learns of the new owner from a signal, queued by
	 * now on the default main context: without it, its calls would
	 * still go to the old one. */
	ln_poll(st);
	read_caps(st);
	return 0;
}

/* A notification of headsup's, not yet shown. */
static NotifyNotification *
new_notification(const libnotify_state *st, const char *summary,
                 const char *body, NotifyUrgency urgency, const char *category)
{
	NotifyNotification *nn =
	        notify_notification_new(summary, body, st->icon);
	notify_notification_set_app_name(nn, APP_NAME);
	notify_notification_set_urgency(nn, urgency);
	notify_notification_set_category(nn, category);
	/* Lets the desktop (GNOME, KDE) file it under headsup's menu entry,
	 * where the user can turn its notifications down or off. */
	notify_notification_set_hint(nn, "desktop-entry",
	                             g_variant_new_string(APP_NAME));
	return nn;
}

/* Show nn; HS_ENOSERVER (said at debug level) when the server refuses. */
static int show(NotifyNotification *nn, const char *summary)
{
	GError *err = NULL;
	if (notify_notification_show(nn, &err))
		return 0;
	hs_debug("cannot show notification '%s': %s", summary,
	         err ? err->message : "unknown error");
	g_clear_error(&err);
	return HS_ENOSERVER;
}

static int ln_send(void *state, const hs_alert_msg *msg)
{
	libnotify_state *st = state;
	if (check_server(st) < 0)
		return HS_ENOSERVER;
	char body[HS_NOTIFY_ADVICE_MAX * 5 + HS_NOTIFY_URL_MAX * 6 + 64];
	int rc = hs_notify_format_body(msg->advice, msg->advice_url,
	                               st->body_style, body, sizeof body);
	if (rc < 0)
		return rc;

	NotifyNotification *nn = new_notification(
	        st, msg->summary, body, NOTIFY_URGENCY_NORMAL, CATEGORY);
	g_object_set_data_full(G_OBJECT(nn), URL_KEY, g_strdup(msg->advice_url),
	                       g_free);
	/* Not "transient": GNOME would drop it from its list as soon as the
	 * banner hides, while the posture it warns of may go on; withdraw()
	 * takes it back once that posture has ended. */
	if (st->actions) {
		notify_notification_add_action(nn, "advice", "Show advice",
		                               on_action, st, NULL);
		char label[48];
		/* as set: 1.5 is not 2 */
		snprintf(label, sizeof label, "Snooze %g min", msg->snooze_min);
		notify_notification_add_action(nn, "snooze", label, on_action,
		                               st, NULL);
	}

	if (show(nn, msg->summary) < 0) {
		g_object_unref(nn);
		return HS_ENOSERVER;
	}

	int slot = msg->kind == HS_STATE_HUNCHED ? SLOT_HUNCHED
	                                         : SLOT_LOOKING_DOWN;
	if (st->shown[slot].nn)
		close_kept(st, &st->shown[slot], true);
	st->shown[slot] = (kept_alert){ nn, g_strdup(st->owner) };
	return 0;
}

static int ln_withdraw(void *state)
{
	libnotify_state *st = state;
	int taken = 0;
	for (int i = 0; st && i < SLOT_COUNT; i++) {
		if (st->shown[i].nn) {
			close_kept(st, &st->shown[i], false);
			taken++;
		}
	}
	return taken;
}

/* text with &, < and > escaped for a server that reads markup (to be
 * freed).  Quotes stay as they are: outside an attribute they need no
 * escape, and some servers show &apos; and &quot; as they are. */
static char *escape_markup(const char *text)
{
	GString *out = g_string_sized_new(strlen(text) + 16);
	for (const char *p = text; *p; p++) {
		if (*p == '&')
			g_string_append(out, "&amp;");
		else if (*p == '<')
			g_string_append(out, "&lt;");
		else if (*p == '>')
			g_string_append(out, "&gt;");
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* A notice: plain text (escaped where the server reads markup), low
 * urgency, no actions; the server owns it once shown. */
static int ln_notice(void *state, const char *summary, const char *body)
{
	libnotify_state *st = state;
	if (check_server(st) < 0)
		return HS_ENOSERVER;
	char *text = st->body_style == HS_BODY_PLAIN ? g_strdup(body)
	                                             : escape_markup(body);
	NotifyNotification *nn = new_notification(
	        st, summary, text, NOTIFY_URGENCY_LOW, NOTICE_CATEGORY);
	g_free(text);
	int rc = show(nn, summary);
	g_object_unref(nn);
	return rc;
}

static bool ln_take_snooze(void *state)
{
	libnotify_state *st = state;
	bool asked = st->snooze_asked;
	st->snooze_asked = false;
	return asked;
}

static bool ln_take_show_advice(void *state)
{
	libnotify_state *st = state;
	bool asked = st->advice_asked;
	st->advice_asked = false;
	return asked;
}

static void ln_close(void *state)
{
	libnotify_state *st = state;
	if (!st)
		return;
	forget_kept(st);
	/* Alerts withdrawn just before are sent before the process ends. */
	g_dbus_connection_flush_sync(st->bus, NULL, NULL);
	notify_uninit();
	g_free(st->owner);
	g_object_unref(st->bus);
	free(st);
}

const hs_notifier_ops hs_notifier_libnotify = {
	.name = "libnotify",
	.open = ln_open,
	.send = ln_send,
	.poll = ln_poll,
	.take_snooze = ln_take_snooze,
	.take_show_advice = ln_take_show_advice,
	.close = ln_close,
	.notice = ln_notice,
	.withdraw = ln_withdraw,
};
