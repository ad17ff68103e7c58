#!/usr/bin/env bash
# The consumer check: a fresh Maven project outside the Flags build, that sees our artifacts only
# through the repository a deploy wrote and flags-bom, compiles the README's quick starts and runs
# them (docs/publishing.md).
#
#   flags-consumer-check/run.sh STAGING_REPOSITORY_DIR
#
# It copies this folder to a temporary directory, adds the sources the README's quick starts are
# taken from (plain Java: flags-examples/plain-java; Redis: the README's own code block, put into
# RedisQuickStart; Spring Boot and Micronaut: the example services), builds them with a local
# repository of their own (third-party artifacts are read from CONSUMER_M2_TAIL, ~/.m2/repository by
# default, never written there), checks that every dev.flags jar came from the staging repository,
# then runs: the plain-Java quick start, the Redis quick start against a redis-server of its own, and
# both services, each asked GET /checkout over HTTP. Needs java, redis-server, redis-cli, curl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
[ $# -eq 1 ] || { echo "usage: $0 STAGING_REPOSITORY_DIR" >&2; exit 2; }
repo=$(cd "$1" && pwd)
tail_repo=${CONSUMER_M2_TAIL:-$HOME/.m2/repository}
for tool in java redis-server redis-cli curl python3; do
  command -v "$tool" >/dev/null || { echo "consumer-check: $tool not found (apt-get install redis-server curl)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

prop() { # a property of the root pom
  python3 -c "import re,sys; print(re.search(r'<$1>([^<]+)</$1>', open('$root/pom.xml').read()).group(1))"
}
version=$(python3 -c "
import xml.etree.ElementTree as ET
print(ET.parse('$root/pom.xml').getroot().findtext('{http://maven.apache.org/POM/4.0.0}version'))")
spring_boot=$(prop spring-boot.version)
micronaut=$(prop micronaut.platform.version)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "consumer-check: dev.flags $version from $repo; Spring Boot $spring_boot, Micronaut $micronaut; in $work"
cp -r "$here/." "$work/"
cp "$root/mvnw" "$work/"
mkdir -p "$work/.mvn/wrapper"
cp "$root/.mvn/wrapper/maven-wrapper.properties" "$work/.mvn/wrapper/"

# The quick starts' sources.
mkdir -p "$work/plain/src/main/java/com/example/flagsconsumer"
cp -r "$root/flags-examples/plain-java/src/main/java/." "$work/plain/src/main/java/"
python3 - "$root/README.md" "$work/plain/RedisQuickStart.java.template" \
  "$work/plain/src/main/java/com/example/flagsconsumer/RedisQuickStart.java" <<'PY'
import re, sys
readme, template, out = sys.argv[1:]
m = re.search(r"<!-- snippet: [^ ]*#redis-quick-start -->\s*```java\n(.*?)```", open(readme).read(), re.S)
if not m:
    sys.exit("consumer-check: the README has no redis-quick-start block")
block = "".join("    " + line + "\n" for line in m.group(1).splitlines())
text = open(template).read()
assert "    // README: redis-quick-start\n" in text
open(out, "w").write(text.replace("    // README: redis-quick-start\n", block))
PY
for app in spring-boot micronaut; do
  mkdir -p "$work/$app/src"
  cp -r "$root/flags-examples/$app/src/main" "$work/$app/src/"
  cp "$root/flags-examples/$app/flags.json" "$work/$app/"
done

# Third-party artifacts are read from a view of the tail repository without dev/flags: whatever a
# build may have installed there must not stand in for the staging repository.
view="$work/m2-tail"
mkdir -p "$view/dev"
for d in "$tail_repo"/*; do [ "$(basename "$d")" = dev ] || ln -s "$d" "$view/"; done
for d in "$tail_repo"/dev/*; do [ -e "$d" ] && [ "$(basename "$d")" != flags ] && ln -s "$d" "$view/dev/"; done

(cd "$work" && ./mvnw -B -q package -Dmaven.repo.local="$work/m2" -Dmaven.repo.local.tail="$view" \
  -Dflags.repository="file://$repo" -Dflags.version="$version" \
  -Dspring-boot.version="$spring_boot" -Dmicronaut.platform.version="$micronaut")

# Our jars must come from the staging repository (downloaded into the consumer's own local
# repository), not from anything the tail repository happens to hold.
for app in plain spring-boot micronaut; do
  tr ':' '\n' < "$work/$app/target/classpath.txt" | grep '/dev/flags/' | while read -r jar; do
    case "$jar" in
      "$work/m2/"*) ;;
      *) echo "consumer-check: $app uses $jar, not a jar from $repo" >&2; exit 1 ;;
    esac
  done
done
cp_of() { echo "$work/$1/target/classes:$(cat "$work/$1/target/classpath.txt")"; }

# 1. Plain Java: the README's quick start prints "false true RULE_MATCH(rule 0)" then "true".
out=$(java -cp "$(cp_of plain)" dev.flags.examples.plain.QuickStart)
echo "$out"
[ "$out" = "$(printf 'false true RULE_MATCH(rule 0)\ntrue')" ] || { echo "consumer-check: plain-Java quick start printed the wrong answers" >&2; exit 1; }

# 2. Redis: the README's block against a redis-server of our own.
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no > "$work/redis.log" 2>&1 &
pids+=($!)
timeout 10 bash -c "until redis-cli -p $redis_port ping 2>/dev/null | grep -q PONG; do sleep 0.1; done"
out=$(java -cp "$(cp_of plain)" com.example.flagsconsumer.RedisQuickStart "redis://127.0.0.1:$redis_port")
echo "$out"
[ "$out" = "new_checkout_flow=true" ] || { echo "consumer-check: Redis quick start did not serve the flag" >&2; exit 1; }

# 3 and 4. The services: GET /checkout for a beta user (beta_payment_gateway targets beta-user-007).
serve() { # app main-class port-property
  local app=$1 main=$2 port_property=$3 port
  port=$(free_port)
  java "-D$port_property=$port" "-Dflags.file.path=$work/$app/flags.json" -cp "$(cp_of "$app")" "$main" \
    > "$work/$app.log" 2>&1 &
  pids+=($!)
  local answer
  if ! answer=$(curl -s --fail --retry 90 --retry-connrefused --retry-delay 1 --max-time 120 \
      -H 'X-User-Id: beta-user-007' "http://127.0.0.1:$port/checkout"); then
    echo "consumer-check: $app did not answer; its log:" >&2; tail -40 "$work/$app.log" >&2; exit 1
  fi
  echo "$app: $answer"
  case "$answer" in
    *'"user":"beta-user-007"'*'"gateway":"beta"'*) ;;
    *) echo "consumer-check: $app answered $answer" >&2; exit 1 ;;
  esac
}
serve spring-boot dev.flags.examples.spring.CheckoutApplication server.port
serve micronaut dev.flags.examples.micronaut.CheckoutApplication micronaut.server.port

echo "consumer-check: OK: the README's plain-Java, Redis, Spring Boot and Micronaut quick starts compiled against $repo and ran"
