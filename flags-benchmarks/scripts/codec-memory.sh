#!/usr/bin/env bash
# The smallest heap in which the codec reads one document (docs/limits.md, "Codec memory"):
# bisects -Xmx in 8 MiB steps, SerialGC, one fresh JVM per attempt.
#
#   flags-benchmarks/scripts/codec-memory.sh <kind> <MiB> [classpath]
#
# kinds: see dev.flags.benchmarks.CodecMemoryMain. Default classpath: the built benchmarks jar.
set -euo pipefail
kind=${1:?usage: codec-memory.sh <kind> <MiB> [classpath]}
mib=${2:?usage: codec-memory.sh <kind> <MiB> [classpath]}
root=$(git rev-parse --show-toplevel)
cp=${3:-$root/flags-benchmarks/target/benchmarks.jar}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fits() { java -XX:+UseSerialGC -Xmx"$1"m -cp "$cp" dev.flags.benchmarks.CodecMemoryMain "$kind" "$mib" >"$out" 2>&1; }
lo=8
hi=8192
if ! fits $hi; then echo "$kind $mib MiB: does not fit in $hi MiB: $(head -c 200 "$out")"; exit 1; fi
while [ $((hi - lo)) -gt 8 ]; do
  mid=$(((lo + hi) / 2))
  if fits $mid; then hi=$mid; else lo=$mid; fi
done
fits $hi
echo "$kind $mib MiB: smallest heap $hi MiB ($(awk "BEGIN {printf \"%.1f\", $hi / $mib}")x): $(head -c 160 "$out")"
