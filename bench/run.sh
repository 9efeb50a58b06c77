#!/usr/bin/env bash
# One command for Medley's benchmark against its peers on this machine (docs/performance.md).
#
#   bench/run.sh            full run (~15 min): throughput, 20 ms delay and start-up phases
#   bench/run.sh --smoke    short: one round of the product page on both Medley configs (page and
#                           defaults) and the nginx stubs, no peers (they need npm and Maven
#                           downloads); checks a results file with numbers was written
#   bench/run.sh --profile  full run with a JFR recording of Medley in the throughput phase
#
# Everything listens on and is sent to 127.0.0.1. Every load run is bounded by `wrk -d` and by
# `timeout`. Every process started here is stopped by its PID on exit (trap EXIT).
#
# Workloads (wrk -t1, interleaved rounds: each round measures every workload once, in turn):
#   throughput phase, zero-delay nginx stubs, CONNS connections:
#     direct-stub    the product stub itself (reference, round 1)
#     nginx-static   (f) nginx answering the composed page as a static body: one exchange
#     fastify express tailcall tailcall-par spring   the peers of ../shared/bench (PEERS); spring
#                    is the Spring Boot WebFlux BFF (a JVM: SPRING_WARMUP s of load before round 1)
#     medley-page    (a) the 4-way product page, uncached, configured to do the peers' work (no
#                    retries, breakers or access log: bench/config/medley-bench.yaml)
#     medley-defaults the same page with every default on (access log, metrics, retries, breakers:
#                    bench/config/medley-defaults.yaml), a second Medley process measured in the
#                    same rounds, so the cost of the defaults is a ratio from one run
#     medley-cached  (c) the same page from the response cache (when this build has caching)
#     medley-mobile  (d) the mobile shape: two calls and a CEL expression
#     medley-batch   (e) a list page whose 20 items come from one batch call
#   delay phase, the harness's Node stub delaying every upstream answer DELAY_MS, DELAY_CONNS
#     connections: direct-stub, the peers, medley-page
#   startup phase: STARTS cold starts of Medley, time from `java -jar` to /health/ready = 200
#
# Knobs (environment): ROUNDS=2 WARMUP=3 DURATION=10 CONNS=32 DELAY_MS=20 DELAY_CONNS=8 STARTS=3
#   PHASES="throughput delay startup"  PEERS="fastify express tailcall tailcall-par spring"
#   SPRING_WARMUP=40 (seconds of load on the Spring peer before measuring: its C2 compiler needs ~20 s)
#   PEERS_DIR=/tmp/medley-peers (scratch copy of ../shared/bench)  RESULTS_DIR=bench/results
#   MEDLEY_BENCH_JAVA_OPTS="-Xmx256m ..." (JVM options for Medley)  EVENT_LOOPS (Medley's
#   --event-loops, default: its own default)  TRANSPORT (Medley's --transport, default auto)
#   JIT_WARMUP=20 (seconds of load on each of Medley's routes after each start, before any
#   measurement: the JIT compiles the request path first)  JIT_SLICE=5 (the warm-up's load comes in
#   slices this long, new connections each, rotating over the routes; see jit_warmup)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
RUN="$BENCH/.run"
# shellcheck source=lib/procs.sh
. "$BENCH/lib/procs.sh"

MODE=full
for a in "$@"; do
  case "$a" in
    --smoke) MODE=smoke ;;
    --profile) PROFILE=1 ;;
    -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
    *) die "unknown argument $a (expected --smoke, --profile)" ;;
  esac
done

if [ "$MODE" = smoke ]; then
  # No peers (they need npm and Maven downloads): Medley, both configs, and the nginx stubs.
  ROUNDS=1 WARMUP=1 DURATION=2 JIT_WARMUP=2 JIT_SLICE=2 PHASES=throughput PEERS="" WORKLOADS="direct-stub medley-page medley-defaults"
  RESULTS_DIR="${RESULTS_DIR:-$RUN/smoke}"
fi
ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-3}"
DURATION="${DURATION:-10}"
CONNS="${CONNS:-32}"
DELAY_MS="${DELAY_MS:-20}"
DELAY_CONNS="${DELAY_CONNS:-8}"
STARTS="${STARTS:-3}"
JIT_WARMUP="${JIT_WARMUP:-20}"
JIT_SLICE="${JIT_SLICE:-5}"
PHASES="${PHASES:-throughput delay startup}"
PEERS="${PEERS-fastify express tailcall tailcall-par spring}"
SPRING_WARMUP="${SPRING_WARMUP:-40}"
WORKLOADS="${WORKLOADS:-direct-stub nginx-static peers medley-page medley-defaults medley-cached medley-mobile medley-batch}"
PEERS_DIR="${PEERS_DIR:-/tmp/medley-peers}"
SHARED_BENCH="${SHARED_BENCH:-$ROOT/../shared/bench}"
RES="${RESULTS_DIR:-$BENCH/results}"
PROFILE="${PROFILE:-0}"
# Medley's JVM: a 256 MiB heap as the issue asks, the parallel collector (less CPU per page than G1
# here), and a start-up cache chosen in choose_java_opts (AOT cache on JDK 25+, else CDS).
MEDLEY_BASE_OPTS="-Xmx256m -XX:+UseParallelGC"
MEDLEY_PORT=8104
MEDLEY_ADMIN_PORT=9190
# The second Medley process, with every default on (medley-defaults)
DEFAULTS_PORT=8105
DEFAULTS_ADMIN_PORT=9191
DEFAULTS_CONFIG="$BENCH/config/medley-defaults.yaml"
SPRING_PORT=8106
STUB_PORTS="9101 9102 9103 9104 9105 9106 9109"
CLK_TCK="$(getconf CLK_TCK)"
STAMP="$(date -u +%Y-%m-%d-%H%M)"
[ "$MODE" = smoke ] && STAMP="$STAMP-smoke"
OUT_JSON="$RES/$STAMP.jsonl"
OUT_MD="$RES/$STAMP.md"
RAW="$RES/raw/$STAMP"
ID=1

trap 'set +e; stop_all' EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites
install_tools() {
  if command -v nginx >/dev/null && command -v wrk >/dev/null; then return 0; fi
  log "installing nginx and wrk (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx wrk >/dev/null
}

find_java() {  # the newest JDK 21+ under /usr/lib/jvm (or JAVA_HOME), as bin/medley does
  local j m best=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    m="$("$JAVA_HOME/bin/java" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
    [ "${m:-0}" -ge 21 ] && { echo "$JAVA_HOME/bin/java"; return 0; }
  fi
  for j in /usr/lib/jvm/*/bin/java; do
    [ -x "$j" ] || continue
    m="$("$j" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
    if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best" ]; then best="$m"; JAVA="$j"; fi
  done
  [ "$best" -gt 0 ] || die "no JDK 21+ under /usr/lib/jvm"
  echo "$JAVA"
}

setup_peers() {  # a scratch copy of the peer harness, set up by its own setup.sh
  [ -n "$PEERS" ] || return 0
  if [ ! -f "$PEERS_DIR/setup.sh" ]; then
    [ -d "$SHARED_BENCH" ] || { log "no peer harness at $SHARED_BENCH: measuring without peers"; PEERS=""; return 0; }
    mkdir -p "$PEERS_DIR"
    cp -r "$SHARED_BENCH"/. "$PEERS_DIR"/
    chmod -R u+w "$PEERS_DIR"
  fi
  log "setting up the peer harness in $PEERS_DIR (its setup.sh: apt nginx+wrk+maven, npm ci, the spring peer's jar)"
  if ! (cd "$PEERS_DIR" && ./setup.sh >"$RUN/logs/peers-setup.log" 2>&1); then
    log "peer setup failed (see $RUN/logs/peers-setup.log): measuring the peers it did set up"
  fi
  # A peer whose artefact is missing is left out, and the report says so, rather than failing the run.
  local p kept="" missing=""
  for p in $PEERS; do
    if [ -e "$(peer_artefact "$p")" ]; then kept="$kept $p"; else missing="$missing $p"; fi
  done
  PEERS="${kept# }"
  PEERS_MISSING="${missing# }"
  [ -z "$PEERS_MISSING" ] || log "left out (not set up): $PEERS_MISSING"
}

peer_artefact() {
  case "$1" in
    fastify|express) echo "$PEERS_DIR/node_modules/$1" ;;
    tailcall|tailcall-par) echo "$PEERS_DIR/node_modules/@tailcallhq/core-linux-x64-gnu/bin/tailcall" ;;
    spring) echo "$PEERS_DIR/peers/spring/target/spring-peer.jar" ;;
    *) echo "$PEERS_DIR/unknown-peer-$1" ;;
  esac
}

# The start-up cache: JDK 25+ keeps loaded and linked classes and method profiles of a training run
# in an AOT cache (JEP 483/514); older JDKs get a dynamic CDS archive, written by the first start.
# Both live in bench/.run and are rebuilt by every run. MEDLEY_BENCH_JAVA_OPTS replaces it all.
choose_java_opts() {
  local major
  TRAIN_AOT=0
  if [ -n "${MEDLEY_BENCH_JAVA_OPTS:-}" ]; then return 0; fi
  major="$("$JAVA" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
  if [ "$MODE" = smoke ]; then
    MEDLEY_BENCH_JAVA_OPTS="$MEDLEY_BASE_OPTS"
  elif [ "$major" -ge 25 ]; then
    rm -f "$RUN/medley.aot"
    MEDLEY_BENCH_JAVA_OPTS="$MEDLEY_BASE_OPTS -XX:AOTCache=$RUN/medley.aot"
    TRAIN_AOT=1
  else
    rm -f "$RUN/medley.jsa"
    MEDLEY_BENCH_JAVA_OPTS="$MEDLEY_BASE_OPTS -XX:SharedArchiveFile=$RUN/medley.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off"
  fi
}

# A training start for the AOT cache: serve a few hundred pages of each route, then stop (the JVM
# writes the cache as it exits). Needs the stubs up.
train_aot() {
  [ "$TRAIN_AOT" = 1 ] || return 0
  local w saved="$MEDLEY_BENCH_JAVA_OPTS"
  MEDLEY_BENCH_JAVA_OPTS="$MEDLEY_BASE_OPTS -XX:AOTCacheOutput=$RUN/medley.aot"
  start_medley training "$CONFIG"
  for w in medley-page medley-mobile medley-batch $([ "$CACHED" = 1 ] && echo medley-cached); do
    timeout 20 wrk -t1 -c4 -d2s "$(workload_url "$w")" >/dev/null || true
  done
  stop_proc medley 120  # the JVM writes the cache as it exits: give it time on a busy machine
  MEDLEY_BENCH_JAVA_OPTS="$saved"
  TRAIN_AOT=0
  [ -s "$RUN/medley.aot" ] && log "AOT cache written: $(du -h "$RUN/medley.aot" | cut -f1)" || log "no AOT cache written; starting without"
}

# ---------------------------------------------------------------- JSON lines
jline() { echo "$1" >>"$OUT_JSON"; }
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/\t/ /g' | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }')"; }

# ---------------------------------------------------------------- stubs, peers, Medley
start_nginx_stubs() {
  port_free_or_die $STUB_PORTS
  mkdir -p "$RUN/nginx/tmp"
  start_bg stub nginx -c "$BENCH/stubs/nginx.conf" -p "$RUN/nginx/" -e "$RUN/nginx/error.log"
  wait_http stub "http://127.0.0.1:9101/products/$ID" 10
  wait_http stub "http://127.0.0.1:9106/pages/$ID" 10
}

start_delay_stub() {
  port_free_or_die 9101 9102 9103 9104 9109
  start_bg stub env DELAY_MS="$DELAY_MS" node "$PEERS_DIR/stubs/delay-stub.js"
  wait_http stub "http://127.0.0.1:9101/products/$ID" 10
  wait_http stub "http://127.0.0.1:9104/summary/$ID" 10
}

peer_proc() { case "$1" in tailcall-par) echo tailcall ;; *) echo "$1" ;; esac; }
peer_url() {
  case "$1" in
    fastify) echo "http://127.0.0.1:8101/products/$ID" ;;
    express) echo "http://127.0.0.1:8102/products/$ID" ;;
    tailcall) echo "http://127.0.0.1:8103/api/products/$ID" ;;
    tailcall-par) echo "http://127.0.0.1:8103/api/products-par/$ID" ;;
    spring) echo "http://127.0.0.1:$SPRING_PORT/products/$ID" ;;
    *) die "unknown peer $1 (expected fastify, express, tailcall, tailcall-par, spring)" ;;
  esac
}

start_peers() {
  local p
  for p in $PEERS; do
    case "$p" in
      fastify) port_free_or_die 8101; start_bg fastify env NODE_ENV=production node "$PEERS_DIR/peers/fastify/server.js" ;;
      express) port_free_or_die 8102; start_bg express env NODE_ENV=production node "$PEERS_DIR/peers/express/server.js" ;;
      tailcall) port_free_or_die 8103
        start_bg tailcall env TAILCALL_LOG_LEVEL=error "$PEERS_DIR/bin/tailcall" start "$PEERS_DIR/peers/tailcall/product.graphql" ;;
      # The harness's own JVM options for it (a 256 MiB heap, the parallel collector, as Medley's)
      # on the same JDK as Medley; env execs java, so the PID whose CPU is counted is the JVM's.
      spring) port_free_or_die "$SPRING_PORT"
        # shellcheck disable=SC2086
        start_bg spring env PORT="$SPRING_PORT" "$JAVA" ${SPRING_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC} -jar "$(peer_artefact spring)" ;;
    esac
  done
  # Up to 3 min: a JVM peer's start-up on two cores shared with other builds took over a minute.
  for p in $PEERS; do wait_http "$(peer_proc "$p")" "$(peer_url "$p")" 180; done
}

stop_peers() { local p; for p in fastify express tailcall spring; do stop_proc "$p"; done; }

# start_medley PHASE CONFIG [NAME PORT ADMIN_PORT]: starts the jar, records the time from launch
# to ready. NAME is the process name (medley, or medley-defaults for the second process).
start_medley() {
  local phase="$1" config="$2" name="${3:-medley}" port="${4:-$MEDLEY_PORT}" admin="${5:-$MEDLEY_ADMIN_PORT}"
  local t0 t1 opts="$MEDLEY_BENCH_JAVA_OPTS" extra=()
  port_free_or_die "$port" "$admin"
  if [ "$PROFILE" = 1 ] && [ "$phase" = throughput ]; then
    opts="$opts -XX:StartFlightRecording=filename=$RAW/$name-$phase.jfr,settings=profile"
  fi
  [ -n "${EVENT_LOOPS:-}" ] && extra=(--event-loops "$EVENT_LOOPS")
  [ -n "${TRANSPORT:-}" ] && extra+=(--transport "$TRANSPORT")
  t0="$(date +%s%N)"
  # shellcheck disable=SC2086
  MEDLEY_BENCH_PORT="$port" MEDLEY_BENCH_ADMIN_PORT="$admin" \
    start_bg "$name" "$JAVA" $opts -jar "$ROOT/target/medley.jar" run -c "$config" "${extra[@]}"
  wait_http "$name" "http://127.0.0.1:$admin/health/ready" 120
  t1="$(date +%s%N)"
  [ "$name" = medley ] && MEDLEY_READY_MS=$(((t1 - t0) / 1000000))
  log "$name ready in $(((t1 - t0) / 1000000)) ms ($(grep -o 'transport [a-z_]*' "$RUN/logs/$name.log" | tail -1 || true))"
}

# The medley-defaults process, when the phase measures it; its access log goes to stdout (the
# default), that is to $RUN/logs/medley-defaults.log.
start_defaults() {
  case " $1 " in *" medley-defaults "*) ;; *) return 0 ;; esac
  start_medley "$PHASE" "$DEFAULTS_CONFIG" medley-defaults "$DEFAULTS_PORT" "$DEFAULTS_ADMIN_PORT"
}

# Stops the medley-defaults process after noting how many access log lines it wrote and dropped:
# evidence that the log was on, and whether its queue ever overflowed under load.
stop_defaults() {
  local pid="${PROC_PID[medley-defaults]:-}" dropped lines
  [ -n "$pid" ] || return 0
  local token
  token="$(sed -n 's/^admin token[^:]*: *//p' "$RUN/logs/medley-defaults.log" | head -1)"  # generated per start
  dropped="$(curl -s --max-time 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$DEFAULTS_ADMIN_PORT/metrics" \
    | awk '/^medley_access_log_dropped_total/ {print $2}' | head -1)"
  stop_proc medley-defaults 20
  lines="$(grep -c '"requestId"' "$RUN/logs/medley-defaults.log" || true)"
  log "medley-defaults: access log lines written ${lines:-0}, dropped ${dropped:-unknown}"
  jline "{\"kind\":\"note\",\"run\":\"$STAMP\",\"phase\":\"$PHASE\",\"text\":$(jstr "medley-defaults wrote ${lines:-0} access log lines (dropped: ${dropped:-unknown})")}"
}

stop_medley() {  # stop_medley PHASE: records the peak RSS first
  local phase="$1" pid="${PROC_PID[medley]:-}"
  [ -n "$pid" ] || return 0
  jline "{\"kind\":\"process\",\"run\":\"$STAMP\",\"phase\":\"$phase\",\"name\":\"medley\",\"readyMs\":$MEDLEY_READY_MS,\"peakRssKiB\":$(peak_rss_kib "$pid")}"
  stop_proc medley
}

# ---------------------------------------------------------------- workloads
# workload_url NAME -> URL; workload_proc NAME -> the process whose CPU counts as the gateway's
workload_url() {
  case "$1" in
    direct-stub) echo "http://127.0.0.1:9101/products/$ID" ;;
    nginx-static) echo "http://127.0.0.1:9106/pages/$ID" ;;
    medley-page) echo "http://127.0.0.1:$MEDLEY_PORT/web/products/$ID" ;;
    medley-defaults) echo "http://127.0.0.1:$DEFAULTS_PORT/web/products/$ID" ;;
    medley-cached) echo "http://127.0.0.1:$MEDLEY_PORT/cached/products/$ID" ;;
    medley-mobile) echo "http://127.0.0.1:$MEDLEY_PORT/mobile/products/$ID" ;;
    medley-batch) echo "http://127.0.0.1:$MEDLEY_PORT/web/lists/$ID" ;;
    *) peer_url "$1" ;;
  esac
}
workload_proc() {
  case "$1" in
    direct-stub|nginx-static) echo stub ;;
    medley-defaults) echo medley-defaults ;;
    medley-*) echo medley ;;
    *) peer_proc "$1" ;;
  esac
}

# What a correct body contains, checked once per workload before measuring (after the warm-up; a
# cold JVM may miss the 300 ms budget on its very first pages, so up to five tries). medley-defaults
# gets 20 s: with its circuit breakers on, the timeouts of a cold JVM on a loaded machine can open
# a breaker during the warm-up, which then fails pages fast for its `openFor` (10 s by default).
check_body() {
  local w="$1" url body code want shape="" i tries=5
  url="$(workload_url "$w")"
  body="$RAW/body-$PHASE-$w.json"
  [ "$w" = medley-defaults ] && tries=40
  case "$w" in
    medley-mobile) want='"image":"https://img.shop.example.com/p/1/main_t.jpg"' ;;
    medley-batch) want='"id":120,"name":"Trail sock 20"' ;;
    direct-stub) want='"salePrice":119.99' ;;
    *) want='"price":{"amount":119.99,"currency":"EUR"}' ;;
  esac
  case "$w" in medley-page|medley-defaults|medley-cached|fastify|express|spring|nginx-static)
    shape='"inStock":true,"reviews":{"count":318,"average":4.6},"_partial":false}' ;;
  esac
  for i in $(seq "$tries"); do
    code="$(curl -s -o "$body" -w '%{http_code}' --max-time 5 "$url" || echo 000)"
    if [ "$code" = 200 ] && grep -qF "$want" "$body" && { [ -z "$shape" ] || grep -qF "$shape" "$body"; }; then
      return 0
    fi
    sleep 0.5
  done
  [ "$code" = 200 ] && grep -qF "$want" "$body" || die "$w answered $code without $want: $(head -c 300 "$body")"
  die "$w: not the composed page shape: $(head -c 300 "$body")"
}

stub_requests() { curl -s --max-time 2 http://127.0.0.1:9109/stats | awk 'NR==3{print $3}'; }

# measure PHASE WORKLOAD ROUND CONNS
measure() {
  local phase="$1" w="$2" round="$3" conns="$4" url proc pid raw c0 c1 l0=0 l1=0 s0 s1 u0 u1 st0 st1 wrkt
  url="$(workload_url "$w")"
  proc="$(workload_proc "$w")"
  pid="${PROC_PID[$proc]}"
  raw="$RAW/$phase-$w-r$round.txt"
  timeout $((WARMUP + 15)) wrk -t1 -c"$conns" -d"${WARMUP}s" --timeout 5s "$url" >/dev/null
  case "$proc" in medley*) l0="$(loop_ticks "$pid")" ;; esac
  c0="$(cpu_ticks "$pid")"; s0="$(cpu_ticks "${PROC_PID[stub]}")"; u0="$(stub_requests)"; st0="$(head -1 /proc/stat)"
  local TIMEFORMAT='%3U %3S'
  { time timeout $((DURATION + 20)) wrk -t1 -c"$conns" -d"${DURATION}s" --latency --timeout 5s "$url" >"$raw"; } 2>"$RAW/time.txt"
  c1="$(cpu_ticks "$pid")"; s1="$(cpu_ticks "${PROC_PID[stub]}")"; u1="$(stub_requests)"; st1="$(head -1 /proc/stat)"
  case "$proc" in medley*) l1="$(loop_ticks "$pid")" ;; esac
  wrkt="$(tail -1 "$RAW/time.txt" | awk '{print $1 + $2}')"
  local line
  line="$(awk -v st0="$st0" -v st1="$st1" -v c0="$c0" -v c1="$c1" -v l="$((l1 - l0))" -v s0="$s0" -v s1="$s1" -v u0="${u0:-x}" -v u1="${u1:-x}" \
      -v tck="$CLK_TCK" -v wrkt="$wrkt" -v gw="$proc" -v stubbed="$([ "$proc" = stub ] && echo 1 || echo 0)" '
    BEGIN {
      split(st0, a, " "); split(st1, b, " "); tot = 0
      for (i = 2; i <= 9; i++) { d[i] = b[i] - a[i]; tot += d[i] }
      if (tot == 0) tot = 1
      printf ",\"gatewayProcess\":\"%s\",\"gatewayCpuSec\":%s,\"stubCpuSec\":%.3f,\"wrkCpuSec\":%s", gw,
        stubbed ? "null" : sprintf("%.3f", (c1 - c0) / tck), (s1 - s0) / tck, wrkt
      printf ",\"eventLoopCpuSec\":%s", gw ~ /^medley/ ? sprintf("%.3f", l / tck) : "null"
      printf ",\"stubRequests\":%s", (u0 ~ /^[0-9]+$/ && u1 ~ /^[0-9]+$/) ? u1 - u0 - 1 : "null"
      printf ",\"machine\":{\"userPct\":%.1f,\"systemPct\":%.1f,\"idlePct\":%.1f,\"stealPct\":%.1f,\"softirqPct\":%.1f}",
        100 * (d[2] + d[3]) / tot, 100 * d[4] / tot, 100 * (d[5] + d[6]) / tot, 100 * d[9] / tot, 100 * d[8] / tot
    }')"
  jline "{\"kind\":\"measure\",\"run\":\"$STAMP\",\"phase\":\"$phase\",\"workload\":\"$w\",\"round\":$round,\"url\":$(jstr "$url"),\"conns\":$conns,\"threads\":1,\"duration\":$DURATION,\"delayMs\":$([ "$phase" = delay ] && echo "$DELAY_MS" || echo 0),$(awk -f "$BENCH/lib/parse-wrk.awk" "$raw")$line}"
  log "$phase r$round $(printf '%-14s' "$w") $(awk -f "$BENCH/lib/parse-wrk.awk" "$raw" | sed 's/"//g; s/,/ /g' | cut -d' ' -f1,2,5)  steal/idle $(echo "$line" | sed -nE 's/.*"idlePct":([0-9.]+),"stealPct":([0-9.]+).*/\2%\/\1%/p')"
}

# expand the workload list of a phase: "peers" becomes the configured peers
phase_workloads() {
  local w out=""
  for w in $1; do
    case "$w" in
      peers) out="$out $PEERS" ;;
      medley-cached) [ "$CACHED" = 1 ] && out="$out $w" ;;
      *) out="$out $w" ;;
    esac
  done
  echo "$out"
}

# jit_warmup CONNS WORKLOADS: load on each JVM before any measurement, so the measurements see
# compiled code: SPRING_WARMUP seconds on the Spring peer, JIT_WARMUP seconds on each Medley
# workload (the Node peers and Tailcall need no such time). The load comes in slices of
# JIT_SLICE seconds, each a new wrk with new connections, rotating over the workloads a JVM serves:
# C2 then compiles the request path having seen connections open and close and every route of the
# run. One long wrk per route did not: the first round's new connections and the next route hit
# paths the compiled code had never taken, the JIT threw the hot Netty and Vert.x methods away
# ("made not entrant: uncommon trap") and spent the next seconds of the measurement recompiling
# them (14-22 % of the process's CPU in C2 threads after 15-40 s of one-wrk warm-up, `perf`).
jit_warmup() {
  local conns="$1" w ms=() slices i
  slice() {  # slice CONNS WORKLOAD SECONDS
    timeout $(($3 + 15)) wrk -t1 -c"$1" -d"${3}s" --timeout 5s "$(workload_url "$2")" >/dev/null
  }
  case " $2 " in *" spring "*)
    log "JIT warm-up: ${SPRING_WARMUP}s of load on spring in ${JIT_SLICE}s slices"
    for i in $(seq $(( (SPRING_WARMUP + JIT_SLICE - 1) / JIT_SLICE ))); do slice "$conns" spring "$JIT_SLICE"; done ;;
  esac
  [ "$JIT_WARMUP" -gt 0 ] || return 0
  slices=$(( (JIT_WARMUP + JIT_SLICE - 1) / JIT_SLICE ))
  # medley-defaults is a JVM of its own serving one route; the first JVM serves the other routes.
  for w in $2; do case "$w" in medley-defaults) ;; medley-*) ms+=("$w") ;; esac; done
  if [ "${#ms[@]}" -gt 0 ]; then
    log "JIT warm-up: ${JIT_WARMUP}s of load on each of ${ms[*]}, in turn, ${JIT_SLICE}s slices"
    for i in $(seq "$slices"); do for w in "${ms[@]}"; do slice "$conns" "$w" "$JIT_SLICE"; done; done
  fi
  case " $2 " in *" medley-defaults "*)
    # With breakers on: the first slice at two connections, so that the slow pages of a cold JVM on
    # a loaded machine miss no deadline and open no breaker (an open breaker would warm up the 503
    # path instead of the page), the rest at full load.
    log "JIT warm-up: ${JIT_WARMUP}s of load on medley-defaults (the first ${JIT_SLICE}s at 2 connections)"
    slice 2 medley-defaults "$JIT_SLICE"
    for i in $(seq 2 "$slices"); do slice "$conns" medley-defaults "$JIT_SLICE"; done ;;
  esac
}

run_rounds() {  # run_rounds PHASE CONNS WORKLOADS
  local phase="$1" conns="$2" ws="$3" r w
  jit_warmup "$conns" "$ws"
  for w in $ws; do check_body "$w"; done
  for r in $(seq "$ROUNDS"); do
    for w in $ws; do
      if [ "$w" = direct-stub ] && [ "$r" != 1 ]; then continue; fi
      measure "$phase" "$w" "$r" "$conns"
    done
  done
}

# ---------------------------------------------------------------- phases
phase_throughput() {
  PHASE=throughput
  log "== throughput: nginx stubs, wrk -t1 -c$CONNS -d${DURATION}s, $ROUNDS round(s)"
  start_nginx_stubs
  train_aot
  start_peers
  start_medley throughput "$CONFIG"
  start_defaults "$(phase_workloads "$WORKLOADS")"
  run_rounds throughput "$CONNS" "$(phase_workloads "$WORKLOADS")"
  stop_defaults
  stop_medley throughput
  stop_peers
  stop_proc stub
}

phase_delay() {
  PHASE=delay
  if [ ! -f "$PEERS_DIR/stubs/delay-stub.js" ]; then
    log "== delay: skipped (no peer harness copy with its delay stub in $PEERS_DIR)"
    jline "{\"kind\":\"note\",\"run\":\"$STAMP\",\"phase\":\"delay\",\"text\":\"skipped: no delay stub\"}"
    return 0
  fi
  log "== delay: upstreams delayed ${DELAY_MS} ms, wrk -t1 -c$DELAY_CONNS -d${DURATION}s, $ROUNDS round(s)"
  start_delay_stub
  train_aot
  start_peers
  start_medley delay "$CONFIG"
  run_rounds delay "$DELAY_CONNS" "direct-stub $PEERS medley-page"
  stop_medley delay
  stop_peers
  stop_proc stub
}

phase_startup() {
  PHASE=startup
  local i
  log "== startup: $STARTS starts, time from launching java -jar to /health/ready answering 200"
  train_aot
  for i in $(seq "$STARTS"); do
    start_medley startup "$CONFIG"
    stop_medley startup
  done
}

write_versions() {
  local v
  v="$(
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: $(nproc) x $(lscpu | sed -n 's/^Model name: *//p' | head -1), kernel $(uname -r)"
    echo "java: $("$JAVA" -version 2>&1 | head -1)"
    echo "medley: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
    echo "medley JVM options: $MEDLEY_BENCH_JAVA_OPTS${EVENT_LOOPS:+ --event-loops $EVENT_LOOPS} --transport ${TRANSPORT:-auto} (auto: io_uring where the kernel allows it, else epoll, else nio; the start-up line in bench/.run/logs names the one taken)"
    echo "nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //')"
    echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    echo "node: $(node -v 2>/dev/null || echo none)"
    echo "settings: ROUNDS=$ROUNDS WARMUP=${WARMUP}s DURATION=${DURATION}s CONNS=$CONNS DELAY_MS=$DELAY_MS DELAY_CONNS=$DELAY_CONNS PEERS=\"$PEERS\" PHASES=\"$PHASES\" JIT_WARMUP=${JIT_WARMUP}s JIT_SLICE=${JIT_SLICE}s SPRING_WARMUP=${SPRING_WARMUP}s"
    [ -z "${PEERS_MISSING:-}" ] || echo "peers left out (not set up): $PEERS_MISSING"
    if [ -e "$(peer_artefact spring)" ]; then echo "spring peer: $(unzip -p "$(peer_artefact spring)" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Spring-Boot-Version: */Spring Boot /p' | tr -d '\r'), options ${SPRING_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}"; fi
    echo "load from other processes before the run (vmstat 1 3): $(vmstat 1 3 | tail -1 | awk '{print "us " $13 " sy " $14 " id " $15 " st " $17}')"
  )"
  jline "{\"kind\":\"info\",\"run\":\"$STAMP\",\"text\":$(jstr "$v"),\"cached\":$(jstr "$CACHED_NOTE")}"
}

# Uses the cached route only when `medley validate` accepts it: before route caching is merged,
# the key is unknown and (c) is reported as n/a.
decide_cached() {
  CONFIG="$BENCH/config/medley-bench.yaml"
  CACHED=0
  CACHED_NOTE="n/a: caching not merged"
  case " $WORKLOADS " in *" medley-cached "*) ;; *) CACHED_NOTE="not measured"; return 0 ;; esac
  local combined="$RUN/medley-bench-cached.yaml" out
  cat "$BENCH/config/medley-bench.yaml" "$BENCH/config/cached-route.yaml" >"$combined"
  if out="$("$JAVA" -jar "$ROOT/target/medley.jar" validate "$combined" 2>/dev/null)"; then
    CONFIG="$combined"; CACHED=1; CACHED_NOTE="measured"
  elif echo "$out" | grep -q "unknown key 'cache'"; then
    log "(c) cached page: n/a: caching not merged ($(echo "$out" | grep -m1 "unknown key 'cache'" | sed 's/.*: unknown/unknown/'))"
  else
    echo "$out" >&2
    die "the cached bench config has errors other than an unknown cache key"
  fi
}

# ---------------------------------------------------------------- main
START=$SECONDS
mkdir -p "$RUN/logs" "$RES" "$RAW"
install_tools
JAVA="$(find_java)"
[ -f "$ROOT/target/medley.jar" ] || die "build the jar first: ./mvnw -DskipTests package"
choose_java_opts
[ "$MODE" = smoke ] || setup_peers
: >"$OUT_JSON"
decide_cached
write_versions
start_bg vmstat vmstat -n 5
for ph in $PHASES; do
  case "$ph" in
    throughput) phase_throughput ;;
    delay) phase_delay ;;
    startup) phase_startup ;;
    *) die "unknown phase $ph (expected throughput, delay, startup)" ;;
  esac
done
stop_proc vmstat
cp "$RUN/logs/vmstat.log" "$RAW/vmstat.txt"
"$JAVA" -cp "$ROOT/target/medley.jar" "$BENCH/lib/Report.java" "$OUT_JSON" >"$OUT_MD"
cat "$OUT_MD"
if [ "$MODE" = smoke ]; then
  # The smoke checks that the whole chain works and produced numbers, never how fast it was.
  grep -q '"workload":"medley-page".*"requests":[1-9]' "$OUT_JSON" || die "smoke: no medley-page measurement with requests in $OUT_JSON"
  grep -q '"workload":"medley-defaults".*"requests":[1-9]' "$OUT_JSON" || die "smoke: no medley-defaults measurement with requests in $OUT_JSON"
  grep -q 'medley-defaults wrote [1-9]' "$OUT_JSON" || die "smoke: medley-defaults wrote no access log lines"
  grep -q '"peakRssKiB":[0-9]' "$OUT_JSON" || die "smoke: no peak RSS recorded"
  grep -q '^| medley-page' "$OUT_MD" || die "smoke: the table has no medley-page row"
  log "smoke ok: $OUT_MD"
fi
log "done in $((SECONDS - START)) s; results: $OUT_MD, $OUT_JSON"
