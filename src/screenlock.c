/* screenlock.c - see screenlock.h.
 *
 * Every asynchronous call, signal subscription and name watch holds a
 * reference on the watcher; hs_screenlock_destroy() marks it dead, cancels
 * what is in flight and drops its own reference, so a callback that GLib
 * delivers late finds a live (if dead-marked) struct and does nothing.
 */
#include "headsup/screenlock.h"

#include "headsup/display.h"
#include "headsup/err.h"
#include "headsup/log.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* D-Bus calls give up after this long; nothing waits for them anyway. */
#define CALL_TIMEOUT_MS 3000
/* Main-context dispatches per poll, so a flood cannot hold up a frame. */
#define POLL_DISPATCH_MAX 100

typedef struct saver {
	hs_screenlock *w;
	const char *name; /* well-known bus name, also the interface name */
	const char *path;
	guint watch_id;
	guint signal_id;
	bool known;
	bool active;
} saver;

enum {
	SAVER_FREEDESKTOP,
	SAVER_GNOME,
	SAVER_COUNT
};

struct hs_screenlock {
	int refs;
	bool dead;
	GCancellable *cancel;
	GDBusConnection *session;
	GDBusConnection *system;
	saver savers[SAVER_COUNT];
	guint logind_watch;
	guint logind_signal;
	char *logind_session; /* object path of our login session */
	bool logind_known;
	bool logind_locked;
};

static hs_screenlock *ref(hs_screenlock *w)
{
	w->refs++;
	return w;
}

static void unref(gpointer data)
{
	hs_screenlock *w = data;
	if (--w->refs > 0)
		return;
	g_clear_object(&w->session);
	g_clear_object(&w->system);
	g_clear_object(&w->cancel);
	g_free(w->logind_session);
	free(w);
}

static void saver_unref(gpointer data)
{
	unref(((saver *)data)->w);
}

/* Finish an async call: NULL (and the error logged at debug level) when it
 * failed or the watcher is gone. */
static GVariant *call_finish(hs_screenlock *w, GAsyncResult *res,
                             const char *what)
{
	GError *err = NULL;
	GDBusConnection *conn =
	        G_DBUS_CONNECTION(g_async_result_get_source_object(res));
	GVariant *reply = g_dbus_connection_call_finish(conn, res, &err);
	g_object_unref(conn);
	if (!reply) {
		if (!w->dead)
			hs_debug("screen lock: %s failed: %s", what,
			         err->message);
		g_error_free(err);
		return NULL;
	}
	if (w->dead) {
		g_variant_unref(reply);
		return NULL;
	}
	return reply;
}

static void saver_set(saver *s, bool active)
{
	if (!s->known || s->active != active)
		hs_debug("screen lock: %s says %s", s->name,
		         active ? "locked" : "unlocked");
	s->known = true;
	s->active = active;
}

static void got_active(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	saver *s = data;
	GVariant *reply = call_finish(s->w, res, "GetActive");
	if (reply) {
		gboolean active = FALSE;
		g_variant_get(reply, "(b)", &active);
		g_variant_unref(reply);
		if (!s->known)
			hs_info("watching the screen lock through %s", s->name);
		saver_set(s, active);
	}
	unref(s->w);
}

static void saver_appeared(GDBusConnection *conn, const char *name,
                           const char *owner, gpointer data)
{
	(void)name;
	(void)owner;
	saver *s = data;
	if (s->w->dead)
		return;
	ref(s->w);
	g_dbus_connection_call(conn, s->name, s->path, s->name, "GetActive",
	                       NULL, G_VARIANT_TYPE("(b)"),
	                       G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
	                       s->w->cancel, got_active, s);
}

static void saver_vanished(GDBusConnection *conn, const char *name,
                           gpointer data)
{
	(void)conn;
	(void)name;
	saver *s = data;
	if (s->known && !s->w->dead)
		hs_info("%s left the bus; no longer watching it", s->name);
	s->known = false;
	s->active = false;
}

static void active_changed(GDBusConnection *conn, const char *sender,
                           const char *path, const char *iface,
                           const char *signal, GVariant *params, gpointer data)
{
	(void)conn;
	(void)sender;
	(void)path;
	(void)iface;
	(void)signal;
	saver *s = data;
	if (s->w->dead || !g_variant_is_of_type(params, G_VARIANT_TYPE("(b)")))
		return;
	gboolean active = FALSE;
	g_variant_get(params, "(b)", &active);
	saver_set(s, active);
}

/* The bus connection an async g_bus_get() produced, or NULL when there is
 * none or the watcher was destroyed meanwhile. */
static GDBusConnection *finish_bus(hs_screenlock *w, GAsyncResult *res,
                                   const char *which)
{
	GError *err = NULL;
	GDBusConnection *conn = g_bus_get_finish(res, &err);
	if (!conn) {
		if (!w->dead)
			hs_debug("screen lock: no %s bus (%s)", which,
			         err->message);
		g_error_free(err);
		return NULL;
	}
	if (w->dead) {
		g_object_unref(conn);
		return NULL;
	}
	/* GLib's shared bus connections raise SIGTERM when the bus goes
	 * away, which would stop the monitor with status 0 (so systemd would
	 * not restart it).  Without the bus the names vanish, and the screen
	 * counts as unlocked: monitoring goes on. */
	g_dbus_connection_set_exit_on_close(conn, FALSE);
	return conn;
}

static void got_session_bus(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	hs_screenlock *w = data;
	GDBusConnection *conn = finish_bus(w, res, "session");
	if (!conn)
		goto out;
	w->session = conn;
	for (int i = 0; i < SAVER_COUNT; i++) {
		saver *s = &w->savers[i];
		ref(w);
		s->signal_id = g_dbus_connection_signal_subscribe(
		        conn, s->name, s->name, "ActiveChanged", NULL, NULL,
		        G_DBUS_SIGNAL_FLAGS_NONE, active_changed, s,
		        saver_unref);
		ref(w);
		s->watch_id = g_bus_watch_name_on_connection(
		        conn, s->name, G_BUS_NAME_WATCHER_FLAGS_NONE,
		        saver_appeared, saver_vanished, s, saver_unref);
	}
out:
	unref(w);
}

/* ---- logind ------------------------------------------------------------ */

static void logind_set(hs_screenlock *w, bool locked)
{
	if (!w->logind_known || w->logind_locked != locked)
		hs_debug("screen lock: logind says %s",
		         locked ? "locked" : "unlocked");
	w->logind_known = true;
	w->logind_locked = locked;
}

static void got_locked_hint(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	hs_screenlock *w = data;
	GVariant *reply = call_finish(w, res, "reading logind's LockedHint");
	if (reply) {
		GVariant *value = NULL;
		g_variant_get(reply, "(v)", &value);
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			if (!w->logind_known)
				hs_info("watching the screen lock through "
				        "logind "
				        "(session %s)",
				        w->logind_session);
			logind_set(w, g_variant_get_boolean(value));
		}
		g_variant_unref(value);
		g_variant_unref(reply);
	}
	unref(w);
}

static void session_changed(GDBusConnection *conn, const char *sender,
                            const char *path, const char *iface,
                            const char *signal, GVariant *params, gpointer data)
{
	(void)conn;
	(void)sender;
	(void)path;
	(void)iface;
	(void)signal;
	hs_screenlock *w = data;
	if (w->dead ||
	    !g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	GVariant *changed = g_variant_get_child_value(params, 1);
	gboolean locked = FALSE;
	if (g_variant_lookup(changed, "LockedHint", "b", &locked))
		logind_set(w, locked);
	g_variant_unref(changed);
}

static void got_session_path(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	hs_screenlock *w = data;
	GVariant *reply = call_finish(w, res, "asking logind for the session");
	if (!reply)
		goto out;
	g_free(w->logind_session);
	g_variant_get(reply, "(o)", &w->logind_session);
	g_variant_unref(reply);
	if (w->logind_signal)
		g_dbus_connection_signal_unsubscribe(w->system,
		                                     w->logind_signal);
	w->logind_signal = g_dbus_connection_signal_subscribe(
	        w->system, "org.freedesktop.login1",
	        "org.freedesktop.DBus.Properties", "PropertiesChanged",
	        w->logind_session, "org.freedesktop.login1.Session",
	        G_DBUS_SIGNAL_FLAGS_NONE, session_changed, ref(w), unref);
	g_dbus_connection_call(
	        w->system, "org.freedesktop.login1", w->logind_session,
	        "org.freedesktop.DBus.Properties", "Get",
	        g_variant_new("(ss)", "org.freedesktop.login1.Session",
	                      "LockedHint"),
	        G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	        CALL_TIMEOUT_MS, w->cancel, got_locked_hint, ref(w));
out:
	unref(w);
}

static void logind_appeared(GDBusConnection *conn, const char *name,
                            const char *owner, gpointer data)
{
	(void)name;
	(void)owner;
	hs_screenlock *w = data;
	if (w->dead)
		return;
	const char *id = getenv("XDG_SESSION_ID");
	if (!id || !id[0])
		id = "auto";
	g_dbus_connection_call(conn, "org.freedesktop.login1",
	                       "/org/freedesktop/login1",
	                       "org.freedesktop.login1.Manager", "GetSession",
	                       g_variant_new("(s)", id), G_VARIANT_TYPE("(o)"),
	                       G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
	                       w->cancel, got_session_path, ref(w));
}

static void logind_vanished(GDBusConnection *conn, const char *name,
                            gpointer data)
{
	(void)conn;
	(void)name;
	hs_screenlock *w = data;
	w->logind_known = false;
	w->logind_locked = false;
}

static void got_system_bus(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	hs_screenlock *w = data;
	GDBusConnection *conn = finish_bus(w, res, "system");
	if (!conn)
		goto out;
	w->system = conn;
	w->logind_watch = g_bus_watch_name_on_connection(
	        conn, "org.freedesktop.login1", G_BUS_NAME_WATCHER_FLAGS_NONE,
	        logind_appeared, logind_vanished, ref(w), unref);
out:
	unref(w);
}

/* ---- the watcher ------------------------------------------------------- */

int hs_screenlock_create(hs_screenlock **out)
{
	hs_screenlock *w = calloc(1, sizeof *w);
	if (!w)
		return HS_ENOMEM;
	w->refs = 1;
	w->cancel = g_cancellable_new();
	w->savers[SAVER_FREEDESKTOP] = (saver){
		.w = w,
		.name = "org.freedesktop.ScreenSaver",
		.path = "/org/freedesktop/ScreenSaver",
	};
	w->savers[SAVER_GNOME] = (saver){
		.w = w,
		.name = "org.gnome.ScreenSaver",
		.path = "/org/gnome/ScreenSaver",
	};
	/* Without a bus configured, GLib would start one of its own
	 * ("autolaunch"), which a background program must not do; one
	 * elsewhere is not used at all (see hs_display_session_bus()). */
	const int bus = hs_display_session_bus();
	if (bus == 1)
		g_bus_get(G_BUS_TYPE_SESSION, w->cancel, got_session_bus,
		          ref(w));
	else
		hs_info("screen lock: %s",
		        bus == HS_ENOTLOCAL
		                ? "the session bus is not on this machine, "
		                  "and is not used"
		                : "no session bus configured");
	g_bus_get(G_BUS_TYPE_SYSTEM, w->cancel, got_system_bus, ref(w));
	*out = w;
	return 0;
}

void hs_screenlock_poll(hs_screenlock *w)
{
	(void)w;
	for (int i = 0;
	     i < POLL_DISPATCH_MAX && g_main_context_iteration(NULL, FALSE);
	     i++) {
	}
}

bool hs_screenlock_locked(const hs_screenlock *w)
{
	for (int i = 0; i < SAVER_COUNT; i++)
		if (w->savers[i].known)
			return w->savers[i].active;
	return w->logind_known && w->logind_locked;
}

const char *hs_screenlock_source(const hs_screenlock *w)
{
	for (int i = 0; i < SAVER_COUNT; i++)
		if (w->savers[i].known)
			return w->savers[i].name;
	return w->logind_known ? "logind" : "none";
}

void hs_screenlock_destroy(hs_screenlock *w)
{
	if (!w)
		return;
	w->dead = true;
	g_cancellable_cancel(w->cancel);
	for (int i = 0; i < SAVER_COUNT; i++) {
		saver *s = &w->savers[i];
		if (s->signal_id)
			g_dbus_connection_signal_unsubscribe(w->session,
			                                     s->signal_id);
		if (s->watch_id)
			g_bus_unwatch_name(s->watch_id);
	}
	if (w->logind_signal)
		g_dbus_connection_signal_unsubscribe(w->system,
		                                     w->logind_signal);
	if (w->logind_watch)
		g_bus_unwatch_name(w->logind_watch);
	/* Let the cancelled calls and unsubscriptions drop their references
	 * now rather than at some later poll. */
	hs_screenlock_poll(w);
	unref(w);
}
