#!/usr/bin/env bash
# Cold start-up of the Redis store, this working tree against another revision, side by side:
# fresh JVMs alternate between the two builds, so the drift of a noisy machine hits both alike.
#
#   flags-benchmarks/scripts/cold-start-ab.sh <base-revision> [rounds, default 8] [child mode]
#
# child mode: jedis-unused (default) or app-uses-jedis. Each JVM builds the first client over a
# redis-server (started here, on a free port) holding 10,000 flags and prints build → initialized.
# Both revisions must have RedisStoreBenchmark's --cold-child mode (any since 2026-12-01).
set -euo pipefail
base=${1:?usage: cold-start-ab.sh <base-revision> [rounds] [mode]}
rounds=${2:-8}
mode=${3:-jedis-unused}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

classpath() { # <tree> → the flags-redis test classpath of that tree, built
  (cd "$1" && ./mvnw -q -pl flags-redis -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test -DskipTests >&2)
  echo "$1/flags-redis/target/test-classes:$1/flags-redis/target/classes:$(cat "$1/flags-redis/cp.txt")"
  find "$1" -maxdepth 2 -name cp.txt -delete
}

git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null
cp_base=$(classpath "$work/base")
cp_head=$(classpath "$root")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --save '' --appendonly no --daemonize yes --dir "$work" >/dev/null
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
java -cp "$cp_head" dev.flags.redis.bench.RedisStoreBenchmark --populate "redis://127.0.0.1:$port"

run() { # <classpath> → milliseconds
  java -Xms512m -Xmx512m -cp "$1" dev.flags.redis.bench.RedisStoreBenchmark --cold-child \
      "redis://127.0.0.1:$port" "$mode" 2>/dev/null | sed -n 's/^cold-startup-ms=//p'
}
base_ms=(); head_ms=()
for _ in $(seq "$rounds"); do
  base_ms+=("$(run "$cp_base")")
  head_ms+=("$(run "$cp_head")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "mode $mode, $rounds rounds, $(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "base $base: $(printf '%s ' $(printf '%s\n' "${base_ms[@]}" | sort -n)) median $(median "${base_ms[@]}") ms"
echo "this tree:  $(printf '%s ' $(printf '%s\n' "${head_ms[@]}" | sort -n)) median $(median "${head_ms[@]}") ms"
