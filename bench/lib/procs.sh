# Process bookkeeping for bench/run.sh and bench/ab.sh (sourced). Every process is started here,
# remembered by name and PID, and stopped by that PID (TERM, then KILL); nothing is ever stopped by
# name. Logs go to $RUN/logs/NAME.log.

declare -A PROC_PID=()

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# start_bg NAME CMD...: starts CMD in the background; its PID is the command itself (exec'd).
start_bg() {
  local name="$1"; shift
  "$@" >"$RUN/logs/$name.log" 2>&1 &
  PROC_PID[$name]=$!
  log "started $name (pid ${PROC_PID[$name]})"
}

# stop_proc NAME [WAIT_S]: stops the process and its children (nginx workers), by PID only: TERM,
# then KILL after WAIT_S seconds (default 5).
stop_proc() {
  local name="$1" pid="${PROC_PID[$1]:-}" kids i
  [ -n "$pid" ] || return 0
  kids="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr "\n" " " || true)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq $((${2:-5} * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    # only the children we saw of our own process, if they outlived it
    [ -n "${kids// /}" ] && kill -KILL $kids 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "PROC_PID[$name]"
  log "stopped $name (pid $pid)"
}

stop_all() {
  local n
  for n in "${!PROC_PID[@]}"; do stop_proc "$n"; done
}

port_free_or_die() {
  local p
  for p in "$@"; do
    if [ -n "$(ss -Htln "sport = :$p")" ]; then
      die "port $p is already in use (a previous run still alive?); not touching it"
    fi
  done
}

# wait_http NAME URL TIMEOUT_S: until URL answers 200; fails if the process NAME exits.
wait_http() {
  local name="$1" url="$2" t="$3" pid="${PROC_PID[$1]:-}" i
  for i in $(seq $((t * 50))); do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$RUN/logs/$name.log" >&2 || true
      die "$name exited during start-up"
    fi
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" = 200 ] && return 0
    sleep 0.02
  done
  tail -20 "$RUN/logs/$name.log" >&2 || true
  die "$name not ready at $url after ${t}s"
}

# cpu_ticks PID: utime+stime (clock ticks) of the process and its direct children.
cpu_ticks() {
  local total=0 p s rest
  for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    s="$(cat /proc/"$p"/stat 2>/dev/null)" || continue
    rest="${s##*) }"
    set -- $rest
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

# peak_rss_kib PID: the process's high-water resident set (VmHWM), in KiB.
peak_rss_kib() {
  awk '/^VmHWM:/{print $2}' /proc/"$1"/status 2>/dev/null || echo null
}

# loop_ticks PID: utime+stime of the process's Vert.x event-loop threads alone (no JIT compiler or
# GC threads): the request path's own CPU.
loop_ticks() {
  local t sum=0 s
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      vert.x-eventloo*) s="$(cat "$t/stat" 2>/dev/null)" || continue; s="${s##*) }"; set -- $s; sum=$((sum + ${12} + ${13})) ;;
    esac
  done
  echo "$sum"
}
