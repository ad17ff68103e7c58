#!/usr/bin/env bash
# flagctl start-up, A/B: the variants run alternately, round after round, so a busy machine slows
# them alike; prints for each the median and 90th percentile of the wall time (ms, the whole
# process: flagctl prints its output as it exits), the median CPU time (user + system: what a busy
# machine inflates least) and the ratios to the launcher's get. docs/benchmarks.md quotes it.
#   flags-cli/src/bench/startup.sh [rounds]        (after ./mvnw -pl flags-cli -am package)
# Needs the build's flags-cli/target/flagctl.jar and flagctl.jsa; runs with the java that made the
# archive (flagctl.jsa.java) unless FLAGCTL_JAVA is set.
set -euo pipefail
rounds="${1:-30}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli="$(cd "$here/../.." && pwd)"
launcher="$cli/bin/flagctl"
jar="$cli/target/flagctl.jar"
java="${FLAGCTL_JAVA:-$(cat "$cli/target/flagctl.jsa.java")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$cli/src/cds/training-flags.json" "$work/flags.json"
export FLAGCTL_CONFIG="$work/config" FLAGCTL_JAVA="$java"

names=("launcher: get (C1, serial GC, AppCDS)"
       "launcher, CDS off: get"
       "java -jar flagctl.jar get (no options)"
       "launcher: list"
       "launcher: kill (a write)"
       "java -version (the JVM alone)")
run() {
  case "$1" in
    0) "$launcher" get new_checkout_flow --file "$work/flags.json" ;;
    1) FLAGCTL_JAVA_OPTS=-Xshare:off "$launcher" get new_checkout_flow --file "$work/flags.json" ;;
    2) "$java" -jar "$jar" get new_checkout_flow --file "$work/flags.json" ;;
    3) "$launcher" list --file "$work/flags.json" ;;
    4) "$launcher" kill new_ui_layout --file "$work/flags.json" 2>/dev/null ;;
    5) "$java" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version 2>/dev/null ;;
  esac
}
declare -a wall cpu
TIMEFORMAT='%3R %3U %3S'
for ((i = 0; i < ${#names[@]}; i++)); do run "$i" > /dev/null 2>&1; done # warm the page cache
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < ${#names[@]}; i++)); do
    t=$({ time run "$i" > /dev/null 2>&1; } 2>&1 || true)
    read -r real user sys <<< "$t"
    wall[$i]="${wall[$i]:-} $(awk -v r="$real" 'BEGIN {printf "%d", r * 1000}')"
    cpu[$i]="${cpu[$i]:-} $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%d", (u + s) * 1000}')"
  done
done
stats() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -n |
  awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[int(NR*0.9+0.5)]}'; }
bw="" bc=""
printf '| variant | wall median ms | wall p90 ms | CPU median ms | wall vs launcher get | CPU vs launcher get |\n'
printf '|---|---|---|---|---|---|\n'
for ((i = 0; i < ${#names[@]}; i++)); do
  read -r wm wp < <(stats "${wall[$i]}")
  read -r cm _ < <(stats "${cpu[$i]}")
  [ -z "$bw" ] && bw="$wm" && bc="$cm"
  printf '| %s | %s | %s | %s | %s | %s |\n' "${names[$i]}" "$wm" "$wp" "$cm" \
    "$(awk -v a="$wm" -v b="$bw" 'BEGIN {printf "%.2f", a / b}')" \
    "$(awk -v a="$cm" -v b="$bc" 'BEGIN {printf "%.2f", a / b}')"
done
echo "($rounds rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
