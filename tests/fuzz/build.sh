#!/bin/sh
# Build the libFuzzer targets (clang, ASan + UBSan) from the source tree.
#
#   tests/fuzz/build.sh [OUTDIR] [TARGET...]      default OUTDIR build-fuzz, every target
#   build-fuzz/fuzz_order -max_total_time=1800 -max_len=8192 \
#       build-fuzz/corpus-order tests/fuzz/corpus/order
#
# Needs `meson setup build` first (for include/b2b/version.h) and clang
# with its fuzzer runtime (Debian: clang, libclang-rt-14-dev). The targets
# see every layer's internal headers, as the white-box tests do.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-build-fuzz}
[ $# -gt 0 ] && shift
targets=${*:-dec csv json date book quote order snapshot}
version_dir=
for d in "$root/build/include" "$root"/build*/include; do
	if [ -f "$d/b2b/version.h" ]; then version_dir=$d; break; fi
done
if [ -z "$version_dir" ]; then
	echo "build.sh: run 'meson setup build' first (include/b2b/version.h)" >&2
	exit 1
fi
CC=${CC:-clang}
mkdir -p "$out"
incs="-I$root/include -I$version_dir"
srcs=
for layer in core num io book pricing docs; do
	incs="$incs -I$root/src/$layer"
	srcs="$srcs $(ls "$root/src/$layer"/*.c)"
done
for t in $targets; do
	echo "fuzz_$t"
	# shellcheck disable=SC2086
	$CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-D_POSIX_C_SOURCE=200809L $incs $srcs "$root/tests/fuzz/fuzz_$t.c" \
		-o "$out/fuzz_$t"
done
