-- One rate-limit check: a generic cell rate algorithm on Redis's own clock (replicas' clocks are
-- not comparable). KEYS[1]: the bucket; ARGV[1]: microseconds per token; ARGV[2]: burst.
-- Returns {allowed 0|1, remaining, retry after us, reset us}.
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
local tolerance = (burst - 1) * interval
if tat - now > tolerance then
  return {0, 0, tat - now - tolerance, tat - now}
end
local nxt = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1)
return {1, math.floor((tolerance + interval - (nxt - now)) / interval), 0, nxt - now}
