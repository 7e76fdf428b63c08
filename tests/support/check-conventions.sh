#!/bin/sh
# check-conventions.sh - the rules of ../shared/STYLE.md and the README's
# architecture that a tool can check, checked on the sources and the built
# objects, so that a rule is not only written down.
#
# Usage: tests/support/check-conventions.sh SOURCE_DIR CORE_LIB SHIM_MODULE
#        PREVIEW_MODULE
#   SOURCE_DIR      the repository's top folder
#   CORE_LIB        the built C core, libhs_core.a
#   SHIM_MODULE     the built OpenCV module, headsup-vision.so
#   PREVIEW_MODULE  the built preview window module, headsup-preview.so
# Exit status: 0 when every rule holds, 1 when one does not (each breach is
# printed as file:line or symbol with the rule it breaks), 77 (ctest
# "skipped") when nm is missing.

set -u
src=$1
core=$2
shim=$3
preview=$4
command -v nm >/dev/null 2>&1 || {
	echo "SKIPPED: nm (binutils) is not installed" >&2
	exit 77
}
status=0
breach() {
	echo "convention broken: $*" >&2
	status=1
}

# 1. Every C entry point of the C++ shim turns every exception into an error
#    code: its body runs inside hs::guarded(), or the line above it says
#    "// cannot throw:" and why.
out=$(awk '
	/^extern "C"[[:space:]]*\{/ { next }          # an include block
	/^extern "C"/ {
		start = FNR; file = FILENAME; body = ""; inside = 1
		excused = (previous ~ /^\/\/ cannot throw:/)
	}
	inside { body = body $0 "\n" }
	inside && /^\}/ {
		if (body !~ /hs::guarded\(/ && !excused)
			printf "%s:%d: extern \"C\" function outside hs::guarded() with no \"// cannot throw:\" reason\n", file, start
		inside = 0
	}
	{ previous = $0 }
' "$src"/shim/*.cpp)
[ -z "$out" ] || breach "$out"
cat "$src"/shim/*.cpp | grep -q '^extern "C" [^{]' ||
	breach "no extern \"C\" functions found in $src/shim"

# 2. Each module exports one function, the table the core calls through.
# (Names starting with "__" belong to the toolchain: a sanitizer build adds
# __asan_default_options and __odr_asan.* ones.)
for pair in "$shim hs_shim_table_v1" "$preview hs_preview_table_v1"; do
	module=${pair% *}
	table=${pair##* }
	exports=$(nm -D --defined-only "$module" |
		awk '$2 == "T" && $3 !~ /^__/ { print $3 }')
	if [ "$exports" != "$table" ]; then
		breach "$module exports functions other than $table:" $exports
	fi
done

# 3. Every global symbol of the C core carries the hs_ prefix (and there
#    are some: an unreadable library must not pass for a clean one).
symbols=$(nm -g --defined-only "$core") || breach "nm cannot read $core"
out=$(printf '%s\n' "$symbols" |
	awk 'NF == 3 && $2 ~ /^[TDBR]$/ && $3 !~ /^(hs_|__)/ { print $3 }')
[ -z "$out" ] || breach "global symbols without the hs_ prefix in $core:" $out
printf '%s\n' "$symbols" | grep -q ' T hs_' ||
	breach "no hs_ functions found in $core"

# 4. No module ends the program: exit() and abort() belong to main alone.
out=$(grep -nE '(^|[^_[:alnum:]])(exit|_exit|_Exit|quick_exit|abort)[[:space:]]*\(' \
	"$src"/src/*.c "$src"/shim/*.cpp | grep -v "^$src/src/main.c:")
[ -z "$out" ] || breach "exit() or abort() below main:
$out"

# 5. Numbers are parsed with checked conversions, never atoi() and friends.
out=$(grep -nE '(^|[^_[:alnum:]])(atoi|atol|atoll|atof)[[:space:]]*\(' \
	"$src"/src/*.c "$src"/shim/*.cpp)
[ -z "$out" ] || breach "unchecked number parsing:
$out"

# 6. Function pointers keep their exact types: no casts to a function
#    pointer type, no G_CALLBACK().
out=$(grep -nE '\([[:space:]]*[[:alnum:]_ ]+\(\*\)[[:space:]]*\(|G_CALLBACK' \
	"$src"/src/*.c "$src"/shim/*.cpp "$src"/include/headsup/*.h)
[ -z "$out" ] || breach "function pointer cast:
$out"

# 7. Clocks are read in src/clock.c only; everything else gets the time
#    from it or as an argument.
out=$(grep -nE '(^|[^_[:alnum:]])(time[[:space:]]*\([[:space:]]*(NULL|0)[[:space:]]*\)|clock_gettime|gettimeofday|g_get_monotonic_time|g_get_real_time)' \
	"$src"/src/*.c "$src"/shim/*.cpp | grep -v "^$src/src/clock.c:")
[ -z "$out" ] || breach "a clock read outside src/clock.c:
$out"

# 8. One header per module: every module in src/ (not a command, not main,
#    not a back-end of another module's interface) has its interface in
#    include/headsup/.
for c in "$src"/src/*.c; do
	m=$(basename "$c" .c)
	case $m in
	main | cmd_* | notify_* | report_* | shim_loader) continue ;;
	esac
	[ -f "$src/include/headsup/$m.h" ] ||
		breach "src/$m.c has no interface include/headsup/$m.h"
done

[ $status -eq 0 ] && echo "conventions: all rules hold"
exit $status
