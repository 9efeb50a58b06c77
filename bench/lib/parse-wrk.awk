# Reads `wrk --latency` output and prints its numbers as JSON object members (no braces):
#   "rps":..,"p50":..,"p75":..,"p90":..,"p99":..,"requests":..,"seconds":..,"non2xx":..,
#   "sockErrors":..,"timeouts":..   (latencies in ms; null when wrk printed no such line)
function ms(v,   n, u) {
  n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
  if (u == "us") return n / 1000
  if (u == "ms") return n + 0
  if (u == "s") return n * 1000
  if (u == "m") return n * 60000
  return "null"
}
function sec(v) { return ms(v) == "null" ? "null" : ms(v) / 1000 }
BEGIN { rps = "null"; p50 = p75 = p90 = p99 = "null"; req = "null"; secs = "null"; non2xx = 0; sock = 0; tmo = 0 }
/^Requests\/sec:/ { rps = $2 + 0 }
/^ +50% / { p50 = ms($2) }
/^ +75% / { p75 = ms($2) }
/^ +90% / { p90 = ms($2) }
/^ +99% / { p99 = ms($2) }
/ requests in / { req = $1 + 0; s = $4; sub(/,$/, "", s); secs = sec(s) }
/Non-2xx or 3xx responses:/ { non2xx = $NF + 0 }
/Socket errors:/ { gsub(/,/, ""); sock = $4 + $6 + $8; tmo = $10 + 0 }
END {
  printf "\"rps\":%s,\"p50\":%s,\"p75\":%s,\"p90\":%s,\"p99\":%s,\"requests\":%s,\"seconds\":%s,\"non2xx\":%d,\"sockErrors\":%d,\"timeouts\":%d",
    rps, p50, p75, p90, p99, req, secs, non2xx, sock, tmo
}
