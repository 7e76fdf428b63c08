#!/bin/sh
# desktop-session.sh - run a command inside a private desktop session: an
# Xvfb display, a private D-Bus session bus and dunst as the notification
# server.  Everything it starts is stopped again when the command ends.
#
# Usage: tests/support/desktop-session.sh COMMAND [ARG...]
# Exit status: the command's, or 77 (ctest "skipped") when Xvfb, dbus or
# dunst are missing, or 1 when the session could not be started.
#
# Inside the session the command sees:
#   DISPLAY, DBUS_SESSION_BUS_ADDRESS  the private display and bus
#   HEADSUP_SESSION_DIR   a scratch folder that is removed afterwards
#   XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME, XDG_RUNTIME_DIR
#                         private folders under it, so nothing of the real
#                         user's configuration leaks in or gets written
# and dunst is set up so that tests can drive it:
#   - notifications never time out (they stay displayed until closed), and
#     `dunstctl history` keeps every closed one;
#   - its context menu (`dunstctl context`) runs a stand-in for dmenu that
#     picks the first entry containing the text in
#     $HEADSUP_SESSION_DIR/dmenu-pick (the offered entries are appended to
#     $HEADSUP_SESSION_DIR/dmenu-offered);
#   - a test that stops dunst and starts another (same -config
#     $HEADSUP_SESSION_DIR/dunstrc) writes its pid to
#     $HEADSUP_SESSION_DIR/dunst-restarted.pid, and it is stopped at the end;
#   - text/html opens with a stand-in browser that appends each URI it is
#     given, one a line, to $HEADSUP_SESSION_DIR/opened (so "Show advice"
#     can be checked without starting a real browser).
#
# The inner stage (the script re-runs itself under dbus-run-session with
# --inside) is an implementation detail.

set -u

log() {
	echo "desktop-session: $*" >&2
}

wait_for() { # wait_for TENTHS CMD...: poll CMD until it succeeds
	tries=$1
	shift
	while [ "$tries" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

name_owned() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus \
		/org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
		string:org.freedesktop.Notifications 2>/dev/null |
		grep -q 'boolean true'
}

# ---- inner stage: on the private bus, start dunst and run the command ----
if [ "${1:-}" = "--inside" ]; then
	shift
	dir=$HEADSUP_SESSION_DIR
	dunst -config "$dir/dunstrc" >"$dir/dunst.log" 2>&1 &
	dunst_pid=$!
	stop_dunst() {
		kill "$dunst_pid" 2>/dev/null
		wait "$dunst_pid" 2>/dev/null
		# one a test started in its place
		if [ -s "$dir/dunst-restarted.pid" ]; then
			kill "$(cat "$dir/dunst-restarted.pid")" 2>/dev/null
		fi
	}
	trap stop_dunst EXIT
	trap 'exit 143' TERM INT HUP
	if ! wait_for 100 name_owned; then
		log "dunst did not take org.freedesktop.Notifications within 10 s"
		sed 's/^/dunst: /' "$dir/dunst.log" >&2
		exit 1
	fi
	"$@"
	exit $?
fi

# ---- outer stage: scratch folder, Xvfb, then the bus ---------------------
if [ $# -eq 0 ]; then
	echo "usage: $0 COMMAND [ARG...]" >&2
	exit 2
fi
for tool in Xvfb dbus-run-session dbus-send dunst dunstctl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		log "SKIPPED: '$tool' is not installed"
		exit 77
	fi
done

dir=$(mktemp -d /tmp/headsup-session-XXXXXX) || exit 1
xvfb_pid=
cleanup() {
	if [ -n "$xvfb_pid" ]; then
		kill "$xvfb_pid" 2>/dev/null
		wait "$xvfb_pid" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

mkdir -p "$dir/config/dunst" "$dir/data/applications" "$dir/state" \
	"$dir/runtime"
chmod 700 "$dir/runtime"

# dmenu stand-in: choose the entry named in dmenu-pick (nothing if absent).
cat >"$dir/dmenu.sh" <<EOF
#!/bin/sh
offered=\$(cat)
printf '%s\n' "\$offered" >>"$dir/dmenu-offered"
[ -s "$dir/dmenu-pick" ] || exit 1
printf '%s\n' "\$offered" | grep -F -m 1 -- "\$(cat "$dir/dmenu-pick")"
EOF
# browser stand-in: record the URI.
cat >"$dir/browser.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >>"$dir/opened"
EOF
chmod +x "$dir/dmenu.sh" "$dir/browser.sh"
cat >"$dir/data/applications/headsup-test-browser.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=headsup test browser
Exec=$dir/browser.sh %u
MimeType=text/html;
NoDisplay=true
EOF
cat >"$dir/config/mimeapps.list" <<EOF
[Default Applications]
text/html=headsup-test-browser.desktop
EOF
cat >"$dir/dunstrc" <<EOF
[global]
    monitor = 0
    follow = none
    history_length = 1000
    sticky_history = yes
    idle_threshold = 0
    show_indicators = no
    dmenu = $dir/dmenu.sh
    browser = $dir/browser.sh
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
EOF

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -nolisten tcp -screen 0 800x600x24 \
	3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
xvfb_pid=$!
if ! wait_for 100 test -s "$dir/display"; then
	log "Xvfb did not start within 10 s"
	sed 's/^/Xvfb: /' "$dir/xvfb.log" >&2
	exit 1
fi

unset XDG_CURRENT_DESKTOP DESKTOP_SESSION GNOME_DESKTOP_SESSION_ID \
	KDE_FULL_SESSION WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
DISPLAY=:$(tr -d '\n' <"$dir/display")
HEADSUP_SESSION_DIR=$dir
XDG_CONFIG_HOME=$dir/config
XDG_DATA_HOME=$dir/data
XDG_STATE_HOME=$dir/state
XDG_RUNTIME_DIR=$dir/runtime
export DISPLAY HEADSUP_SESSION_DIR XDG_CONFIG_HOME XDG_DATA_HOME \
	XDG_STATE_HOME XDG_RUNTIME_DIR

# Not exec: the EXIT trap must still stop Xvfb and remove the folder.
dbus-run-session -- "$0" --inside "$@"
status=$?
exit $status
