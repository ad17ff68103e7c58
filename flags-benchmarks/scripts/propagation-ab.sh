#!/usr/bin/env bash
# Propagation of a flag change to separate processes, this working tree against another revision:
# PropagationBenchmark (flags-redis tests, bench package) starts 8 child JVMs per round, the
# rounds alternating between the two builds (A B A B), and prints one table with both.
#
#   flags-benchmarks/scripts/propagation-ab.sh <base-revision> [flips per mode, default 200] [processes, default 8]
#
# The children of both builds run this tree's PropagationChild (public API only) over their own
# build's classes, so any revision with the public RedisFlagStore/Flags API can be the base.
set -euo pipefail
base=${1:?usage: propagation-ab.sh <base-revision> [flips] [processes]}
flips=${2:-200}
processes=${3:-8}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

classpath() { # <tree> → the flags-redis test classpath of that tree, built
  (cd "$1" && ./mvnw -q -pl flags-redis -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test -DskipTests -Dspotless.check.skip=true >&2)
  echo "$1/flags-redis/target/classes:$(cat "$1/flags-redis/cp.txt")"
  find "$1" -maxdepth 2 -name cp.txt -delete
}

git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null
cp_base=$(classpath "$work/base")
cp_head=$(classpath "$root")
bench="$root/flags-redis/target/test-classes"
echo "classpath 1: $base; classpath 2: this tree ($(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ', modified'))"
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), $(date -u '+%Y-%m-%d %H:%M UTC')"
# BENCH_OPTS: system properties of the benchmark, e.g. -Dbench.threads=true (see its javadoc).
# FLOOR=1: a third build in the same rounds, the platform's floor (FloorChild: plain sockets, no SDK).
floor=()
if [ "${FLOOR:-0}" = 1 ]; then floor=("floor:$bench:$cp_head"); fi
java ${BENCH_OPTS:-} -cp "$bench:$cp_head" dev.flags.redis.bench.PropagationBenchmark "$flips" "$processes" \
    "$bench:$cp_base" "$bench:$cp_head" "${floor[@]}" 2>&1 | grep -v '^SLF4J'
