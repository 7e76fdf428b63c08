#!/bin/sh
# check-install.sh - install the build into a fresh prefix, as a user would
# with `cmake --install build --prefix DIR`, and check that what was
# installed works on its own: the installed binary finds its own vision
# module, models and head model (never the build or source tree's), its
# advice and man page are there, and the desktop files are valid and point
# at the installed binary.
#
# Usage: tests/support/check-install.sh BUILD_DIR SOURCE_DIR MODELS
#   MODELS   "models" when the build has both face models (they must then
#            be installed and load without a warning), anything else when
#            it has none
# Exit status: 0 when every check holds, 1 when one does not (each failure
# is printed), 77 (ctest "skipped") when strace or ImageMagick is missing.

set -u
# Absolute, physical paths: the checks below run from another folder.
build=$(cd "$1" && pwd -P) || exit 1
src=$(cd "$2" && pwd -P) || exit 1
models=$3

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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/headsup-install-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
prefix=$tmp/prefix
if ! cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	fail "cmake --install --prefix did not succeed"
	exit 1
fi

# Everything a user is told is installed (README, "To install").
unit=$prefix/lib/systemd/user/headsup.service
for f in bin/headsup lib/headsup/headsup-vision.so share/headsup/face3d.csv \
	share/headsup/advice.html share/man/man1/headsup.1 \
	share/applications/headsup.desktop etc/xdg/autostart/headsup.desktop \
	share/icons/hicolor/scalable/apps/headsup.svg \
	share/bash-completion/completions/headsup lib/systemd/user/headsup.service; do
	[ -s "$prefix/$f" ] || fail "$f was not installed"
done
if [ "$models" = models ]; then
	for f in blazeface-front-128.onnx facemesh-192.onnx; do
		[ -s "$prefix/share/headsup/$f" ] ||
			fail "share/headsup/$f was not installed"
	done
fi
[ "$status" = 0 ] || exit 1

# The installed binary, run from elsewhere, on a picture with no face: it
# loads the models at start, so a model it cannot find shows as a warning,
# and strace shows where each of its files came from.
cd "$tmp" || exit 1
convert -size 320x240 xc:gray60 "$tmp/blank.png" || exit 1
hs=$prefix/bin/headsup
# (LeakSanitizer cannot run under strace, in a sanitizer build.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -e trace=open,openat -o "$tmp/trace" \
	"$hs" analyze --json "$tmp/blank.png" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] || fail "installed 'headsup analyze' exited $rc: $(cat "$tmp/err")"
grep -q '"face": false' "$tmp/out" || fail "no analysis line: $(cat "$tmp/out")"
if [ "$models" = models ] && [ -s "$tmp/err" ]; then
	fail "installed 'headsup analyze' warned: $(cat "$tmp/err")"
fi
# Files opened successfully, by absolute path.
grep -v ' = -1 ' "$tmp/trace" | sed -n 's/.*open[at]*([^"]*"\([^"]*\)".*/\1/p' |
	sort -u >"$tmp/opened"
for f in headsup-vision.so face3d.csv; do
	grep -qx "$prefix/[^ ]*/$f" "$tmp/opened" ||
		grep -qx "$prefix/bin/\.\./[^ ]*/$f" "$tmp/opened" ||
		fail "$f was not loaded from the prefix"
done
if [ "$models" = models ]; then
	for f in blazeface-front-128.onnx facemesh-192.onnx; do
		grep -q "^$prefix/.*/$f\$" "$tmp/opened" ||
			fail "$f was not loaded from the prefix"
	done
fi
if grep -e "^$build/" -e "^$src/" "$tmp/opened" >"$tmp/strays"; then
	fail "the installed binary read from the build or source tree: $(cat "$tmp/strays")"
fi

# A face, when the fixtures are there: found by the installed BlazeFace.
face=$src/../shared/fixtures/headpose/pointing04/person01/person01146+0+0.jpg
if [ "$models" = models ]; then
	if [ -r "$face" ]; then
		"$hs" analyze --json "$face" >"$tmp/face" 2>&1 ||
			fail "installed 'headsup analyze' failed on $face"
		grep -q '"face": true, "detector": "blazeface"' "$tmp/face" ||
			fail "installed BlazeFace found no face: $(cat "$tmp/face")"
	else
		echo "SKIPPED (part): ../shared/fixtures is missing; the face" \
			"check on an installed build did not run" >&2
	fi
fi

# Advice and man page from the prefix.
"$hs" advice hunched >"$tmp/advice" 2>&1 && [ -s "$tmp/advice" ] ||
	fail "installed 'headsup advice hunched' failed: $(cat "$tmp/advice")"
page=$(MANPATH=$prefix/share/man man -w headsup 2>/dev/null)
[ "$page" = "$prefix/share/man/man1/headsup.1" ] ||
	fail "man -w headsup gives '$page', not the installed page"

# The systemd unit starts the binary of this prefix, and systemd accepts it
# (systemd-analyze also checks that ExecStart is executable and that the
# man page of Documentation= is found).
grep -qx "ExecStart=$hs run" "$unit" ||
	fail "the unit does not start $hs: $(grep ExecStart "$unit")"
if command -v systemd-analyze >/dev/null 2>&1; then
	MANPATH=$prefix/share/man systemd-analyze verify "$unit" \
		>"$tmp/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$tmp/verify")"
else
	echo "SKIPPED (part): systemd-analyze is not installed" >&2
fi
# The menu and autostart entries: valid, and starting this prefix's binary.
for d in share/applications etc/xdg/autostart; do
	entry=$prefix/$d/headsup.desktop
	grep -qx "Exec=$hs run" "$entry" && grep -qx "TryExec=$hs" "$entry" ||
		fail "$d/headsup.desktop does not start $hs: $(grep Exec "$entry")"
	if command -v desktop-file-validate >/dev/null 2>&1; then
		desktop-file-validate "$entry" ||
			fail "$d/headsup.desktop is not a valid desktop entry"
	else
		echo "SKIPPED (part): desktop-file-validate is not installed" >&2
	fi
done

[ "$status" = 0 ] && echo "install check: every installed piece works from $prefix"
exit "$status"
