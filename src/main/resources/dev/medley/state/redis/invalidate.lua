-- Invalidates tags on every replica: a new generation, a marker per tag so fills that began
-- earlier are refused, every entry carrying a tag deleted, and one message to every replica's
-- in-process tier. KEYS[1]: generation counter; KEYS[2]: expiry index.
-- ARGV[1]: key prefix of markers and tag sets; ARGV[2]: the channel; ARGV[3]: marker lifetime in ms;
-- ARGV[4..]: tags. Returns the new generation.
-- Generations never go back, not even when Redis restarts empty: a new one is at least Redis's
-- clock in microseconds. (Exact in Lua's doubles up to 2^53.)
local t = redis.call('TIME')
local g = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, tonumber(t[1]) * 1000000 + tonumber(t[2]))
local gs = string.format('%.0f', g)
redis.call('SET', KEYS[1], gs)
local tags = {}
for i = 4, #ARGV do
  local tag = ARGV[i]
  tags[#tags + 1] = tag
  redis.call('SET', ARGV[1] .. 'm:' .. tag, gs, 'PX', ARGV[3])
  local set = ARGV[1] .. 't:' .. tag
  local members = redis.call('SMEMBERS', set)
  for j = 1, #members, 500 do
    local chunk = {unpack(members, j, math.min(j + 499, #members))}
    redis.call('DEL', unpack(chunk))
    redis.call('ZREM', KEYS[2], unpack(chunk))
  end
  redis.call('DEL', set)
end
-- The generation travels as a string: cjson would round it to 14 digits.
redis.call('PUBLISH', ARGV[2], cjson.encode({g = gs, tags = tags}))
return g
