#!/usr/bin/env bash
# Runs Medley's JMH benchmarks (bench/jmh) on a JDK 21+. Short by default: 1 fork, 2 warm-up and 3
# measurement iterations per benchmark (about 2 minutes for all). Any argument is passed to JMH:
#   bench/jmh/run.sh RequestPathBench                 only the request-path micro benchmarks
#   bench/jmh/run.sh -wi 5 -i 10 -f 3                 longer, steadier (about 15 minutes)
#   bench/jmh/run.sh -prof gc                         allocation per operation too
#   bench/jmh/run.sh -h                               every JMH option
# Builds what is missing first: the main artifact (mvnw install) and bench/jmh/target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ! -f "$here/target/benchmarks.jar" ] || [ -n "${REBUILD:-}" ]; then
  (cd "$root" && ./mvnw -q -DskipTests install && ./mvnw -q -f bench/jmh/pom.xml package)
fi
java=""
best=0
for j in /usr/lib/jvm/*/bin/java; do
  m="$("$j" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
  if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best" ]; then best="$m"; java="$j"; fi
done
[ -n "$java" ] || { echo "needs a JDK 21+ under /usr/lib/jvm" >&2; exit 1; }
exec "$java" -jar "$here/target/benchmarks.jar" -jvmArgs "-Xmx256m -Dvertx.disableDnsResolver=true" "$@"
