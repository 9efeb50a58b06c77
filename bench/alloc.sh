#!/usr/bin/env bash
# Bytes allocated per operation of the defaults' hot pieces (bench/alloc/DefaultsAlloc.java), for
# this build or another: CLASSES=/path/to/other/target/classes bench/alloc.sh. Needs the build's
# classes (./mvnw -o -DskipTests compile) and its dependency classpath (resolved offline here).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classes="${CLASSES:-$root/target/classes}"
cp="$root/target/alloc-classpath.txt"
if [ ! -s "$cp" ]; then
  (cd "$root" && ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile="$cp" >/dev/null)
fi
java=""
best=0
for j in /usr/lib/jvm/*/bin/java; do
  m="$("$j" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
  if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best" ]; then best="$m"; java="$j"; fi
done
[ -n "$java" ] || { echo "needs a JDK 21+ under /usr/lib/jvm" >&2; exit 1; }
exec "$java" -Xmx256m -XX:+UseParallelGC -cp "$classes:$(cat "$cp")" "$root/bench/alloc/DefaultsAlloc.java"
