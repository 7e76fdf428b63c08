#!/usr/bin/env bash
# setup.sh - set up headsup on a Debian 12 machine, then run it or test it.
#
#   ./setup.sh run    install what is needed, build, start `headsup run`
#   ./setup.sh test   install what is needed, build, run the whole test suite
#                     (unit and integration tests, then the sanitizer build)
#
# Needs root or sudo for apt-get.  Safe to run again: what is already there
# is kept.  Any missing piece stops it with the reason.
set -euo pipefail

cd "$(dirname "$0")"
top=$(pwd)
mode=${1:-}
case "$mode" in
run | test) ;;
*)
	echo "Usage: ./setup.sh run|test" >&2
	exit 2
	;;
esac

say() { printf '\n==> %s\n' "$*"; }
die() {
	printf 'setup: %s\n' "$*" >&2
	exit 1
}

# Through sudo, the build would be root's and the monitor too: root's
# journal and baseline, and no desktop session to show its warnings in.
if [ "$mode" = run ] && [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ]; then
	die "run './setup.sh run' as $SUDO_USER, not through sudo: it asks sudo for the Debian packages itself"
fi

# Debian packages.  npm is only installed when no npm is on the PATH (a
# Node.js from elsewhere already brings its own, and conflicts with Debian's).
runtime_pkgs=(build-essential cmake pkg-config libopencv-dev opencv-data
	libjpeg-dev libnotify-dev libsqlite3-dev libcmocka-dev)
test_pkgs=(dbus dbus-x11 dunst xvfb libnotify-bin chromium clang
	libclang-rt-14-dev valgrind strace sqlite3 procps imagemagick tzdata
	groff-base man-db mandoc desktop-file-utils clang-format x11-utils systemd ffmpeg)

pkgs=("${runtime_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")
command -v npm >/dev/null 2>&1 || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing Debian packages: ${missing[*]}"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || die "run as root or install sudo: apt-get needs it"
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q || die "apt-get update failed"
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" ||
		die "apt-get install failed for: ${missing[*]}"
else
	say "Debian packages already installed"
fi

say "fetching the face models"
models/fetch-model.sh || die "could not fetch the face models (see above)"
if [ "$mode" = test ]; then
	# axe-core, pinned in models/fetch-model.sh, for tests/test_a11y.c
	say "fetching the test tools (axe-core)"
	models/fetch-model.sh --test-tools || die "could not fetch the test tools (see above)"
fi

jobs=$(nproc 2>/dev/null || echo 2)
say "building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
	die "cmake could not configure build/"
cmake --build build -j "$jobs" || die "the build failed"

if [ "$mode" = run ]; then
	# HEADSUP_CAMERA names a camera; else headsup finds the first webcam.
	if [ -n "${HEADSUP_CAMERA:-}" ]; then
		[ -e "$HEADSUP_CAMERA" ] || no_camera="no camera at $HEADSUP_CAMERA"
	elif ! build/headsup cameras >/dev/null 2>&1; then
		no_camera="no webcam found ('build/headsup cameras' lists the video devices)"
	fi
	if [ -n "${no_camera:-}" ]; then
		cat >&2 <<MSG

setup: $no_camera.
headsup is built; replay a video instead to see it work:
    build/headsup run --source path/to/video.avi --realtime --journal /tmp/demo.db
(a journal of its own, so the replay stays out of yours), or analyse images
and clips:
    build/headsup analyze path/to/images/
MSG
		exit 1
	fi
	say "starting headsup run (Ctrl+C stops it)"
	exec build/headsup run ${HEADSUP_CAMERA:+--source "$HEADSUP_CAMERA"}
fi

# Each stage's CTest summary is kept, to add them up at the end.
counts=$(mktemp)
trap 'rm -f "$counts"' EXIT
run_ctest() { # run_ctest BUILD_DIR [CTEST ARGS...]
	local dir=$1
	shift
	ctest --test-dir "$dir" --output-on-failure "$@" | tee -a "$counts"
}

say "running the test suite"
run_ctest build -j "$jobs" || die "tests failed in build/"

say "sanitizer build (ASan + UBSan, build-asan/)"
export CC=${HS_SANITIZE_CC:-gcc} CXX=${HS_SANITIZE_CXX:-g++}
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHS_SANITIZE=ON >/dev/null ||
	die "cmake could not configure build-asan/"
cmake --build build-asan -j "$jobs" || die "the sanitizer build failed"
# (the build itself adds intercept_tls_get_addr=0: tests/support/sanitizer_defaults.c)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest build-asan -j "$jobs" || die "tests failed under the sanitizers"

say "fuzzing (libFuzzer + ASan + UBSan, build-fuzz/, ${HS_FUZZ_SECONDS:-20} s per target)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug \
	-DHS_SANITIZE=ON -DHS_FUZZ=ON -DHS_FUZZ_SECONDS="${HS_FUZZ_SECONDS:-20}" >/dev/null ||
	die "cmake could not configure build-fuzz/"
fuzzers=$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
# shellcheck disable=SC2086
cmake --build build-fuzz -j "$jobs" --target $fuzzers || die "the fuzz build failed"
run_ctest build-fuzz -R '^fuzz_' ||
	die "a fuzzer found a crash (see above; the input is in build-fuzz/)"

total=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$counts" |
	awk '{ n += $1 } END { print n + 0 }')
# CTest counts an entry that skipped as a whole (no fixtures, no tool) in
# that total; it is listed under "did not run" instead of passed here.
notrun=$(grep -c '^[[:space:]]*[0-9]* - .* (Skipped)$' "$counts" || true)
total=$((total - notrun))
notrun_words=""
[ "$notrun" -gt 0 ] && notrun_words=", $notrun test entries not run (listed above as Skipped)"
say "all tests passed"
# CTest counts a test program as passed when some of its cmocka tests were
# skipped (a missing fixture or tool); say how many, and why, so a skip is
# never mistaken for a pass.
logs=(build/Testing/Temporary/LastTest.log build-asan/Testing/Temporary/LastTest.log)
skipped=$(cat "${logs[@]}" 2>/dev/null |
	sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below:.*/\1/p' |
	awk '{ n += $1 } END { print n + 0 }')
if [ "$skipped" -gt 0 ]; then
	echo "Of these, $skipped cmocka tests were skipped (plain and sanitizer runs together); the reasons given, with how often:"
	cat "${logs[@]}" 2>/dev/null | sed -n 's/^\([0-9:]* \)\{0,1\}SKIPPED: //p' |
		sort | uniq -c | sort -rn | sed 's/^/  /'
	echo "headsup: $total passed, 0 failed, $skipped cmocka tests skipped$notrun_words"
else
	echo "headsup: $total passed, 0 failed, none skipped$notrun_words"
fi
