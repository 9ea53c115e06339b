#!/bin/sh
# Runs bench/bench_sampler from the build directory: the sampler's CPU time
# per refresh next to a bare /proc loop and top -H, on trees of 51, 501 and
# 5,001 sleeping tasks; then a 51-task tree among 5,001 others. Extra
# arguments go to bench_sampler (see its top) and replace both runs.
set -e
builddir=${BUILDDIR:-.}
bench="$builddir/bench/bench_sampler"
spawn="$builddir/bench/spawn_tree"
if [ $# -gt 0 ]; then
	exec "$bench" -s "$spawn" "$@"
fi
"$bench" -s "$spawn"
exec "$bench" -s "$spawn" -b 50x100 5x10
