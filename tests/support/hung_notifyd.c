/* hung_notifyd.c - a notification server that hangs, for tests.
 *
 * It owns org.freedesktop.Notifications on the session bus given by
 * DBUS_SESSION_BUS_ADDRESS and answers GetServerInformation until the
 * first GetCapabilities (a client's start-up: headsup's probe, libnotify's
 * own check, the capabilities), then stops answering: later calls are
 * kept unanswered, as by a daemon stuck in a loop that still holds its
 * bus name.  It prints "ready" once the name is owned and
 * runs until killed.
 *
 * Usage: hung_notifyd
 */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

static const char introspection[] =
        "<node><interface name='org.freedesktop.Notifications'>"
        "<method name='GetServerInformation'>"
        "<arg type='s' direction='out'/><arg type='s' direction='out'/>"
        "<arg type='s' direction='out'/><arg type='s' direction='out'/>"
        "</method>"
        "<method name='GetCapabilities'>"
        "<arg type='as' direction='out'/></method>"
        "<method name='Notify'>"
        "<arg type='s' direction='in'/><arg type='u' direction='in'/>"
        "<arg type='s' direction='in'/><arg type='s' direction='in'/>"
        "<arg type='s' direction='in'/><arg type='as' direction='in'/>"
        "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
        "<arg type='u' direction='out'/></method>"
        "<method name='CloseNotification'>"
        "<arg type='u' direction='in'/></method>"
        "</interface></node>";

static gboolean hung;

static void on_call(GDBusConnection *conn, const char *sender, const char *path,
                    const char *iface, const char *method, GVariant *params,
                    GDBusMethodInvocation *inv, gpointer data)
{
	(void)conn, (void)sender, (void)path, (void)iface, (void)params;
	(void)data;
	if (hung) {
		/* The invocation is kept and never answered. */
		g_object_ref(inv);
	} else if (g_strcmp0(method, "GetCapabilities") == 0) {
		/* A client's last call before it is ready: from here on,
		 * nothing is answered. */
		const char *caps[] = { "body", NULL };
		g_dbus_method_invocation_return_value(
		        inv, g_variant_new("(^as)", caps));
		hung = TRUE;
	} else if (g_strcmp0(method, "GetServerInformation") == 0) {
		g_dbus_method_invocation_return_value(
		        inv,
		        g_variant_new("(ssss)", "hung", "test", "1", "1.2"));
	} else {
		g_dbus_method_invocation_return_dbus_error(
		        inv, "org.freedesktop.DBus.Error.UnknownMethod",
		        method);
	}
}

static void on_name(GDBusConnection *conn, const char *name, gpointer data)
{
	(void)conn, (void)name, (void)data;
	printf("ready\n");
	fflush(stdout);
}

static void on_lost(GDBusConnection *conn, const char *name, gpointer data)
{
	(void)conn, (void)data;
	fprintf(stderr, "hung_notifyd: cannot own %s\n", name);
	exit(1);
}

int main(void)
{
	GError *err = NULL;
	GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &err);
	if (!bus) {
		fprintf(stderr, "hung_notifyd: %s\n", err->message);
		return 1;
	}
	GDBusNodeInfo *node = g_dbus_node_info_new_for_xml(introspection, NULL);
	static const GDBusInterfaceVTable vtable = { .method_call = on_call };
	g_dbus_connection_register_object(bus, "/org/freedesktop/Notifications",
	                                  node->interfaces[0], &vtable, NULL,
	                                  NULL, NULL);
	g_bus_own_name_on_connection(bus, "org.freedesktop.Notifications",
	                             G_BUS_NAME_OWNER_FLAGS_NONE, on_name,
	                             on_lost, NULL, NULL);
	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	g_main_loop_run(loop);
	return 0;
}
