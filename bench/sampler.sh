#!/bin/sh
# Runs bench/bench_sampler from the build directory: the sampler's CPU time
# per refresh next to a bare /proc loop and top -H, on trees of 51, 501 and
# 5,001 sleeping tasks. Extra arguments go to bench_sampler (see its top).
set -e
builddir=${BUILDDIR:-.}
exec "$builddir/bench/bench_sampler" -s "$builddir/bench/spawn_tree" "$@"
