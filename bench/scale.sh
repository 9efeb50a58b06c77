#!/usr/bin/env bash
# Single node vs three replicas sharing Redis (docs/scaling.md, "Measured"): the rate-limited page
# and the cached page, each measured on the single node (state in memory) and on one of three
# replicas whose state is in a local redis-server, in interleaved rounds so both see the same
# machine. The difference in p50 is what the Redis round trip adds.
#
#   bench/scale.sh                      ROUNDS=3 WARMUP=3 DURATION=6 CONNS=4 JIT_WARMUP=15
#
# Take the bench lock first (docs/performance.md): mkdir /tmp/medley-bench.lock ... rmdir.
# Everything listens on 127.0.0.1: nginx stubs 9101-9106/9109, redis-server 9107, single node
# 8110/9210, replicas 8111-8113/9211-9213. Every load run is bounded by wrk -d and timeout; every
# process started here is stopped by its PID on exit.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
RUN="$BENCH/.run"
# shellcheck source=lib/procs.sh
. "$BENCH/lib/procs.sh"
trap 'set +e; stop_all' EXIT
trap 'exit 130' INT TERM

JAR="${JAR:-$ROOT/target/medley.jar}"
OPTS="${OPTS:--Xmx192m}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-3}"
DURATION="${DURATION:-6}"
CONNS="${CONNS:-4}"
JIT_WARMUP="${JIT_WARMUP:-15}"
JAVA="$(for j in /usr/lib/jvm/*/bin/java; do v="$("$j" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"; [ "${v:-0}" -ge 21 ] && echo "$v $j"; done | sort -n | tail -1 | cut -d' ' -f2)"
[ -n "$JAVA" ] || die "no JDK 21+ under /usr/lib/jvm"
[ -f "$JAR" ] || die "no $JAR (./mvnw -DskipTests package)"
command -v redis-server >/dev/null || die "redis-server is not installed"
mkdir -p "$RUN/logs" "$RUN/nginx/tmp" "$RUN/scale"

port_free_or_die 9101 9102 9103 9104 9105 9106 9109 9107 8110 9210 8111 9211 8112 9212 8113 9213
start_bg stub nginx -c "$BENCH/stubs/nginx.conf" -p "$RUN/nginx/" -e "$RUN/nginx/error.log"
wait_http stub http://127.0.0.1:9101/products/1 10
start_bg redis redis-server --port 9107 --bind 127.0.0.1 --save '' --appendonly no
cp "$BENCH/config/scale.yaml" "$RUN/scale/single.yaml"
{ cat "$BENCH/config/scale.yaml"; cat <<'YAML'

state:
  redis:
    endpoints: ["redis://127.0.0.1:9107"]
    commandTimeout: 50ms
  rateLimits: { onRedisFailure: local, replicas: 3 }
YAML
} >"$RUN/scale/redis.yaml"

# shellcheck disable=SC2086
MEDLEY_BENCH_PORT=8110 MEDLEY_BENCH_ADMIN_PORT=9210 start_bg single "$JAVA" $OPTS -jar "$JAR" run -c "$RUN/scale/single.yaml"
for i in 1 2 3; do
  # shellcheck disable=SC2086
  MEDLEY_BENCH_PORT=811$i MEDLEY_BENCH_ADMIN_PORT=921$i start_bg "replica$i" "$JAVA" $OPTS -jar "$JAR" run -c "$RUN/scale/redis.yaml"
done
for n in single:9210 replica1:9211 replica2:9212 replica3:9213; do wait_http "${n%%:*}" "http://127.0.0.1:${n#*:}/health/ready" 90; done

one() {  # one NAME PORT PATH ROUND
  local raw="$RUN/scale/$1-$(basename "$3")-r$4.txt" url="http://127.0.0.1:$2$3"
  timeout $((WARMUP + 15)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" -H "x-user: bench" "$url" >/dev/null
  timeout $((DURATION + 20)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s -H "x-user: bench" "$url" >"$raw"
  awk -f "$BENCH/lib/parse-wrk.awk" "$raw" | awk -v n="$1" -v w="$3" -v r="$4" '{
    match($0, /"rps":[0-9.]+/); rps = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /"p50":[0-9.]+/); p50 = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /"p99":[0-9.]+/); p99 = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /"non2xx":[0-9]+/); bad = substr($0, RSTART + 9, RLENGTH - 9)
    printf "%s %s r%s rps %.0f p50 %.3f p99 %.3f non2xx %s\n", n, w, r, rps, p50, p99, bad
  }' | tee -a "$RUN/scale/results.txt"
}

: >"$RUN/scale/results.txt"
log "JIT warm-up: ${JIT_WARMUP}s per route on the single node and replica 1"
for p in 8110 8111; do
  for w in /web/limited/1 /web/cached/1; do
    timeout $((JIT_WARMUP + 15)) wrk -t1 -c"$CONNS" -d"${JIT_WARMUP}s" -H "x-user: bench" "http://127.0.0.1:$p$w" >/dev/null
  done
done
# The cached page, filled on replica 2, is a hit on replica 1 (shared), before any measurement.
curl -s -o /dev/null "http://127.0.0.1:8112/web/cached/1"
for r in $(seq "$ROUNDS"); do
  for w in /web/limited/1 /web/cached/1; do
    one single 8110 "$w" "$r"
    one replica 8111 "$w" "$r"
  done
done
for w in limited cached; do
  for n in single replica; do
    awk -v n="$n" -v w="/web/$w/1" '$1 == n && $2 == w { print $7 }' "$RUN/scale/results.txt" | sort -n \
      | awk -v n="$n" -v w="$w" '{ v[NR] = $1 } END { printf "%s %s median p50 %.3f ms\n", w, n, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  done
done | tee "$RUN/scale/summary.txt"
echo "redis calls on replica 1: $(curl -s -H 'authorization: Bearer bench-token' http://127.0.0.1:9211/metrics | grep -E '^medley_state_redis_seconds_count' | tr '\n' ' ')"
echo "machine: $(vmstat 1 2 | tail -1 | awk '{print "us " $13 " sy " $14 " id " $15 " st " $17}')"
