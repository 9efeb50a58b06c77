#!/usr/bin/env bash
# Cached vs uncached throughput of the demo product page, and the bytes compression saves
# (docs/caching.md#benchmark). Loopback only; the run stops by itself after about 30 seconds.
#
#   bench/cache/run.sh                 builds the jar if needed, then runs
#   CONNS=64 DURATION=15 bench/cache/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/medley.jar ] || [ -n "$(find src/main -newer target/medley.jar -print -quit)" ]; then
  ./mvnw -q -o package -DskipTests
fi
JAVA="${JAVA:-}"
if [ -z "$JAVA" ]; then
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/java" ] || continue
    v=$("$d/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1 || true)
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA="$d/bin/java"; break; fi
  done
fi
exec timeout 300 "${JAVA:-java}" --enable-native-access=ALL-UNNAMED -Dvertx.disableDnsResolver=true \
  -Dconns="${CONNS:-32}" -Dwarmup="${WARMUP:-3}" -Dduration="${DURATION:-8}" \
  -cp target/medley.jar bench/cache/CacheBench.java
