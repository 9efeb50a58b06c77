#!/usr/bin/env bash
# Before/after comparison of two Medley variants on the same nginx stubs, measured in interleaved
# rounds (A B A B ...) so both see the same machine conditions. Used for every change listed in
# docs/performance.md.
#
#   A_JAR=/tmp/before.jar B_JAR=target/medley.jar bench/ab.sh
#   A_ARGS="--event-loops 1" B_ARGS="--event-loops 2" bench/ab.sh      (same jar, other options)
#   B_CONFIG=bench/config/medley-defaults.yaml bench/ab.sh             (the cost of the defaults)
#
# Knobs: A_JAR, B_JAR (default target/medley.jar), A_OPTS, B_OPTS (JVM options, default -Xmx256m),
# A_ARGS, B_ARGS (extra `medley run` arguments), A_CONFIG, B_CONFIG (default
# bench/config/medley-bench.yaml; a variant's stdout, its access log if on, goes to .run/logs), ROUNDS=4, WARMUP=5, DURATION=8, CONNS=32,
# WORKLOAD_PATH=/web/products/1, JIT_WARMUP=30 (seconds of load on each variant before round 1).
# Prints req/s, p50/p99, CPU µs/page of the whole process and of its event-loop threads alone (no
# JIT compiler or GC threads: the steadier number on a shared machine) per round, then medians.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
RUN="$BENCH/.run"
# shellcheck source=lib/procs.sh
. "$BENCH/lib/procs.sh"
trap 'set +e; stop_all' EXIT
trap 'exit 130' INT TERM

A_JAR="${A_JAR:-$ROOT/target/medley.jar}"
B_JAR="${B_JAR:-$ROOT/target/medley.jar}"
A_OPTS="${A_OPTS:--Xmx256m}"
B_OPTS="${B_OPTS:--Xmx256m}"
A_CONFIG="${A_CONFIG:-$BENCH/config/medley-bench.yaml}"
B_CONFIG="${B_CONFIG:-$BENCH/config/medley-bench.yaml}"
ROUNDS="${ROUNDS:-4}"
WARMUP="${WARMUP:-5}"
DURATION="${DURATION:-8}"
CONNS="${CONNS:-32}"
WORKLOAD_PATH="${WORKLOAD_PATH:-/web/products/1}"
JIT_WARMUP="${JIT_WARMUP:-30}"
CLK_TCK="$(getconf CLK_TCK)"
JAVA="$(for j in /usr/lib/jvm/*/bin/java; do v="$("$j" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"; [ "${v:-0}" -ge 21 ] && echo "$v $j"; done | sort -n | tail -1 | cut -d' ' -f2)"
[ -n "$JAVA" ] || die "no JDK 21+ under /usr/lib/jvm"
mkdir -p "$RUN/logs" "$RUN/nginx/tmp" "$RUN/ab"

port_free_or_die 9101 9102 9103 9104 9105 9106 9109 8104 9190 8105 9191
start_bg stub nginx -c "$BENCH/stubs/nginx.conf" -p "$RUN/nginx/" -e "$RUN/nginx/error.log"
wait_http stub http://127.0.0.1:9101/products/1 10
# shellcheck disable=SC2086
MEDLEY_BENCH_PORT=8104 MEDLEY_BENCH_ADMIN_PORT=9190 start_bg A "$JAVA" $A_OPTS -jar "$A_JAR" run -c "$A_CONFIG" ${A_ARGS:-}
# shellcheck disable=SC2086
MEDLEY_BENCH_PORT=8105 MEDLEY_BENCH_ADMIN_PORT=9191 start_bg B "$JAVA" $B_OPTS -jar "$B_JAR" run -c "$B_CONFIG" ${B_ARGS:-}
wait_http A http://127.0.0.1:9190/health/ready 60
wait_http B http://127.0.0.1:9191/health/ready 60

one() {  # one NAME PORT ROUND
  local c0 c1 l0 l1 raw="$RUN/ab/$1-r$3.txt" url="http://127.0.0.1:$2$WORKLOAD_PATH"
  timeout $((WARMUP + 15)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" "$url" >/dev/null
  c0="$(cpu_ticks "${PROC_PID[$1]}")"; l0="$(loop_ticks "${PROC_PID[$1]}")"
  timeout $((DURATION + 20)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s "$url" >"$raw"
  c1="$(cpu_ticks "${PROC_PID[$1]}")"; l1="$(loop_ticks "${PROC_PID[$1]}")"
  awk -f "$BENCH/lib/parse-wrk.awk" "$raw" | awk -v n="$1" -v r="$3" -v c="$((c1 - c0))" -v l="$((l1 - l0))" -v t="$CLK_TCK" '{
    match($0, /"rps":[0-9.]+/); rps = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /"p50":[0-9.]+/); p50 = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /"p99":[0-9.]+/); p99 = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /"requests":[0-9]+/); req = substr($0, RSTART + 11, RLENGTH - 11)
    match($0, /"non2xx":[0-9]+/); bad = substr($0, RSTART + 9, RLENGTH - 9)
    printf "%s r%s rps %.0f p50 %.2f p99 %.2f cpu_us_per_page %.0f loop_us_per_page %.0f non2xx %s\n", n, r, rps, p50, p99,
      c / t / req * 1e6, l / t / req * 1e6, bad
  }' | tee -a "$RUN/ab/results.txt"
}

: >"$RUN/ab/results.txt"
# In 5 s slices, new connections each, alternating between the variants: C2 then compiles code
# that has seen connections open and close (see jit_warmup in run.sh).
log "JIT warm-up: ${JIT_WARMUP}s of load on each variant, in 5 s slices"
for i in $(seq $(( (JIT_WARMUP + 4) / 5 ))); do
  for p in 8104 8105; do timeout 20 wrk -t1 -c"$CONNS" -d5s "http://127.0.0.1:$p$WORKLOAD_PATH" >/dev/null; done
done
log "A: $A_JAR $A_OPTS ${A_ARGS:-} $A_CONFIG"
log "B: $B_JAR $B_OPTS ${B_ARGS:-} $B_CONFIG"
for r in $(seq "$ROUNDS"); do
  one A 8104 "$r"
  one B 8105 "$r"
done
for n in A B; do
  for f in rps p99 cpu_us_per_page loop_us_per_page; do
    awk -v n="$n" -v f="$f" '$1 == n { for (i = 3; i < NF; i++) if ($i == f) print $(i + 1) }' "$RUN/ab/results.txt" \
      | sort -n | awk -v n="$n" -v f="$f" '{ v[NR] = $1 } END { printf "%s median %s %.2f\n", n, f, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  done
done
echo "machine: $(vmstat 1 2 | tail -1 | awk '{print "us " $13 " sy " $14 " id " $15 " st " $17}')"
