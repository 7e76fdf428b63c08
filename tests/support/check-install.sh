#!/bin/sh
# check-install.sh - install the build as a user or packager would, and check
# that what was installed works on its own: the installed binary finds its
# own vision module, models and head model (never the build or source
# tree's), its advice and man page are there, the systemd unit and the menu
# entry are valid and start the installed binary, no autostart entry turns
# the monitor on for every account, every file is readable by all even
# after an install under umask 077, and the install manifest lists every
# file (so that it can be uninstalled).
#
# It installs with `DESTDIR=STAGE cmake --install BUILD --prefix PREFIX`,
# where PREFIX has a blank in its name (the unit and entries must quote it)
# and is then linked to its staged copy, so that the paths written into the
# unit and entry really lead to the binary.  Absolute install folders land
# in STAGE too; nothing outside
# a temporary folder is written, and the build's own install_manifest.txt
# is put back as it was.
#
# Usage: tests/support/check-install.sh BUILD_DIR SOURCE_DIR
# When the build has both face models (in BUILD_DIR/share/headsup, copied
# there by the build), they must be installed and load without a warning.
# Exit status: 0 when every check holds, 1 when one does not (each failure
# is printed), 77 (ctest "skipped") when strace or ImageMagick is missing,
# or when a part of the check could not run (man, systemd-analyze,
# desktop-file-validate or the fixtures missing; each is said).

set -u
# Absolute, physical paths: the checks below run from another folder.
build=$(cd "$1" && pwd -P) || exit 1
src=$(cd "$2" && pwd -P) || exit 1
models=none
if [ -s "$build/share/headsup/blazeface-front-128.onnx" ] &&
	[ -s "$build/share/headsup/facemesh-192.onnx" ]; then
	models=models
fi

for tool in strace convert; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "SKIPPED: $tool is not installed" >&2
		exit 77
	}
done

status=0
fail() {
	echo "install check failed: $*" >&2
	status=1
}
# A part that cannot run here (a tool or the fixtures missing) is said at
# once, and makes the whole check a skip (77), not a pass.
skipped=
skip_part() {
	echo "SKIPPED (part): $*" >&2
	skipped="$skipped
  $*"
}
# Does file $2 hold a line equal to $1 (no pattern characters)?
has_line() {
	grep -qxF -- "$1" "$2"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/headsup-install-XXXXXX") || exit 1
tmp=$(cd "$tmp" && pwd -P) || exit 1
manifest=$build/install_manifest.txt
saved_manifest=
if [ -e "$manifest" ]; then
	saved_manifest=$tmp/manifest.saved
	cp -p "$manifest" "$saved_manifest" || exit 1
fi
cleanup() {
	if [ -n "$saved_manifest" ]; then
		cp -p "$saved_manifest" "$manifest"
	else
		rm -f "$manifest"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

stage=$tmp/stage
prefix="$tmp/my prefix"
real=$stage$prefix
# Under a strict umask, as root's often is: what the session and systemd
# read must still be readable by all.
if ! (umask 077 && DESTDIR=$stage cmake --install "$build" --prefix "$prefix") \
	>"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	fail "DESTDIR=... cmake --install --prefix did not succeed"
	exit 1
fi
ln -s "$real" "$prefix" || exit 1
cp "$manifest" "$tmp/manifest" || exit 1

# Every file in the manifest (which, like CMake's own entries, leaves out
# DESTDIR) was staged.
while IFS= read -r f; do
	[ -e "$stage$f" ] || fail "the manifest lists $f, which was not installed"
done <"$tmp/manifest"
# The installed file whose path ends in $1 (exactly one), as the manifest
# gives it: the path on the system it is installed for.
installed() {
	n=$(grep -c -- "$1\$" "$tmp/manifest")
	if [ "$n" != 1 ]; then
		fail "$n installed files end in $1, want 1"
		echo /nonexistent
		return
	fi
	grep -- "$1\$" "$tmp/manifest"
}
hs=$(installed /bin/headsup)
unit=$stage$(installed /systemd/user/headsup.service)
menu=$stage$(installed /applications/headsup.desktop)
# Nothing starts watching anyone's webcam at log-in unless they turn it on.
if grep -q -- "/autostart/" "$tmp/manifest"; then
	fail "an autostart entry was installed: $(grep -- /autostart/ "$tmp/manifest")"
fi
for f in /headsup/headsup-vision.so /headsup/headsup-preview.so \
	/headsup/face3d.csv /headsup/advice.html \
	/man1/headsup.1 /apps/headsup.svg /completions/headsup \
	/doc/headsup/README.md; do
	installed "$f" >/dev/null
done
if [ "$models" = models ]; then
	installed /headsup/blazeface-front-128.onnx >/dev/null
	installed /headsup/facemesh-192.onnx >/dev/null
fi
for f in "$hs" "$unit" "$menu"; do
	case $f in */nonexistent) status=1 ;; esac # (said inside $(...))
done
[ "$status" = 0 ] || exit 1
[ "$hs" = "$prefix/bin/headsup" ] || fail "the binary is not in $prefix/bin: $hs"

# The installed binary, run from elsewhere, on a picture with no face: it
# loads the models at start, so a model it cannot find shows as a warning,
# and strace (successful calls only, one file per process) shows where each
# of its files came from.  LeakSanitizer cannot run under strace, in a
# sanitizer build.
cd "$tmp" || exit 1
convert -size 320x240 xc:gray60 "$tmp/blank.png" || exit 1
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -ff -z -qq -e trace=open,openat -o "$tmp/trace" \
	"$hs" analyze --json "$tmp/blank.png" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] || fail "installed 'headsup analyze' exited $rc: $(cat "$tmp/err")"
grep -q '"face": false' "$tmp/out" || fail "no analysis line: $(cat "$tmp/out")"
if [ "$models" = models ] && [ -s "$tmp/err" ]; then
	fail "installed 'headsup analyze' warned: $(cat "$tmp/err")"
fi
# Files opened, by absolute path, with any "/bin/../" folded away.
cat "$tmp"/trace.* | sed -n 's/^[^"]*"\([^"]*\)".*/\1/p' |
	sed 's#/[^/]*/\.\./#/#g' | sort -u >"$tmp/opened"
# (The binary runs through the prefix's link, so it sees its staged path.)
loaded_from_prefix() {
	has_line "$stage$(installed "$1")" "$tmp/opened" ||
		fail "$(basename "$1") was not loaded from the prefix"
}
loaded_from_prefix /headsup/headsup-vision.so
loaded_from_prefix /headsup/face3d.csv
if [ "$models" = models ]; then
	loaded_from_prefix /headsup/blazeface-front-128.onnx
	loaded_from_prefix /headsup/facemesh-192.onnx
fi
if grep -e "^$build/" -e "^$src/" "$tmp/opened" >"$tmp/strays"; then
	fail "the installed binary read from the build or source tree: $(cat "$tmp/strays")"
fi
# The preview window's toolkit (highgui, Qt) is loaded for --preview only.
if grep -e headsup-preview -e libopencv_highgui -e libQt5 "$tmp/opened" >"$tmp/gui"; then
	fail "'headsup analyze' loaded the preview window's libraries: $(cat "$tmp/gui")"
fi

# A face, when the fixtures are there: found by the installed BlazeFace.
fixtures=${HEADSUP_FIXTURES:-$src/../shared/fixtures}
face=$fixtures/headpose/pointing04/person01/person01146+0+0.jpg
if [ "$models" = models ]; then
	if [ -r "$face" ]; then
		"$hs" analyze --json "$face" >"$tmp/face" 2>&1 ||
			fail "installed 'headsup analyze' failed on $face"
		grep -q '"face": true, "detector": "blazeface"' "$tmp/face" ||
			fail "installed BlazeFace found no face: $(cat "$tmp/face")"
	else
		skip_part "no fixtures at $fixtures; the face check on an" \
			"installed build did not run"
	fi
fi

# Advice and man page from the prefix.
"$hs" advice hunched >"$tmp/advice" 2>&1 && [ -s "$tmp/advice" ] ||
	fail "installed 'headsup advice hunched' failed: $(cat "$tmp/advice")"
man_page=$stage$(installed /man1/headsup.1)
man_dir=${man_page%/man1/headsup.1}
if command -v man >/dev/null 2>&1; then
	page=$(MANPATH=$man_dir man -w headsup 2>/dev/null)
	[ "$page" = "$man_page" ] ||
		fail "man -w headsup gives '$page', not the installed page"
else
	skip_part "man (man-db) is not installed; the installed page" \
		"was not looked up"
fi

# The systemd unit starts the binary of this prefix, quoted for its blank,
# and systemd accepts it (systemd-analyze also checks that ExecStart is
# executable and that the man page of Documentation= is found).
has_line "ExecStart=\"$hs\" run --announce=errors" "$unit" ||
	fail "the unit does not start $hs: $(grep ExecStart "$unit")"
if command -v systemd-analyze >/dev/null 2>&1; then
	MANPATH=$man_dir systemd-analyze verify "$unit" >"$tmp/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$tmp/verify")"
else
	skip_part "systemd-analyze is not installed; the unit was not" \
		"verified"
fi
# Every installed file is readable by all (the folders CMake makes follow
# the umask, as with any CMake project).
unreadable=$(find "$real" -type f ! -perm -0444)
[ -z "$unreadable" ] || fail "not readable by all after a umask 077 install: $unreadable"
# The menu entry: valid, and starting this prefix's binary, which says on
# the desktop that it started; its actions reach the running monitor.
for entry in "$menu"; do
	has_line "Exec=\"$hs\" run --announce" "$entry" &&
		has_line "TryExec=$hs" "$entry" &&
		has_line "Exec=\"$hs\" pause --announce 1h" "$entry" &&
		has_line "Exec=\"$hs\" resume --announce" "$entry" &&
		has_line "Exec=\"$hs\" stop --announce" "$entry" ||
		fail "$entry does not start $hs: $(grep Exec "$entry")"
	if command -v desktop-file-validate >/dev/null 2>&1; then
		desktop-file-validate "$entry" ||
			fail "$entry is not a valid desktop entry"
	else
		skip_part "desktop-file-validate is not installed; the menu" \
			"entry was not validated"
	fi
done

# A damaged install (a data file deleted): the program says which file of
# its own prefix is missing; it neither names nor reads the prefix it was
# configured for, which may hold another install.
rm -f "$real/share/headsup/advice.html" "$real/share/headsup/blazeface-front-128.onnx"
XDG_DATA_HOME=$tmp/data "$hs" report >/dev/null 2>"$tmp/err"
grep -qF "advice page '$real/share/headsup/advice.html' is missing" "$tmp/err" ||
	fail "'report' with the advice page deleted did not name it: $(cat "$tmp/err")"
"$hs" analyze --json "$tmp/blank.png" >/dev/null 2>"$tmp/err"
grep -qF "face model '$real/share/headsup/blazeface-front-128.onnx' is missing" "$tmp/err" ||
	fail "'analyze' with the face model deleted did not name it: $(cat "$tmp/err")"

if [ "$status" = 0 ] && [ -n "$skipped" ]; then
	echo "SKIPPED: parts of the install check did not run:$skipped" >&2
	exit 77
fi
[ "$status" = 0 ] && echo "install check: every installed piece works from '$prefix'"
exit "$status"
