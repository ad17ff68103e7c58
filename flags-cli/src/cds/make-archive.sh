#!/usr/bin/env bash
# Makes target/flagctl.jsa, the class-data-sharing archive the launcher maps in at start-up: runs
# flagctl's training (every common command over a small flag file, output discarded) through the
# launcher with FLAGCTL_CDS_DUMP set, so the archive has the launcher's JVM options.
#   make-archive.sh <java> <target directory>
set -euo pipefail
java="$1"
target="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/training-flags.json" "$work/flags.json"
rm -f "$target/flagctl.jsa" "$target/flagctl.jsa.java"
FLAGCTL_JAVA="$java" FLAGCTL_CDS_DUMP="$target/flagctl.jsa" FLAGCTL_CONFIG="$work/config" \
  "$here/../../bin/flagctl" --cds-training "$work/flags.json" > "$work/out.txt" 2>&1 || {
  cat "$work/out.txt" >&2
  exit 1
}
if [ ! -s "$target/flagctl.jsa" ]; then
  cat "$work/out.txt" >&2
  echo "make-archive.sh: no archive was written" >&2
  exit 1
fi
readlink -f "$java" > "$target/flagctl.jsa.java"
