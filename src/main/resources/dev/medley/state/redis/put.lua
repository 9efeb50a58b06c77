-- Stores one cache entry unless one of its tags was invalidated after the generation its fill
-- began in (the single-node promise, across replicas). Keeps the entry's tags, and bounds the
-- number of entries by dropping those closest to expiry.
-- KEYS[1]: entry; KEYS[2]: generation counter; KEYS[3]: expiry index; KEYS[4]: the key's fill lease,
-- released once the entry is stored.
-- ARGV[1]: key prefix of markers (m:) and tag sets (t:); ARGV[2]: the fill's generation;
-- ARGV[3]: time to live in ms; ARGV[4]: the encoded entry; ARGV[5]: most entries; ARGV[6..]: tags.
-- Returns {stored 0|1, current generation}.
local g = tonumber(redis.call('GET', KEYS[2]) or '0')
local fill = tonumber(ARGV[2])
for i = 6, #ARGV do
  local m = redis.call('GET', ARGV[1] .. 'm:' .. ARGV[i])
  if m and tonumber(m) > fill then
    return {0, g}
  end
end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl)
redis.call('DEL', KEYS[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[3], now + ttl, KEYS[1])
for i = 6, #ARGV do
  local set = ARGV[1] .. 't:' .. ARGV[i]
  redis.call('SADD', set, KEYS[1])
  if redis.call('PTTL', set) < ttl then
    redis.call('PEXPIRE', set, ttl)
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[5])
if over > 0 then
  local victims = redis.call('ZPOPMIN', KEYS[3], over)
  for i = 1, #victims, 2 do
    redis.call('DEL', victims[i])
  end
end
return {1, g}
