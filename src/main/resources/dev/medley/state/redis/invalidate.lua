-- Invalidates tags on every replica: a new generation, a marker per tag so fills that began
-- earlier are refused, every entry carrying a tag deleted, and one message to every replica's
-- in-process tier. KEYS[1]: generation counter; KEYS[2]: expiry index.
-- ARGV[1]: key prefix of markers and tag sets; ARGV[2]: the channel; ARGV[3]: marker lifetime in ms;
-- ARGV[4..]: tags. Returns the new generation.
local g = redis.call('INCR', KEYS[1])
local tags = {}
for i = 4, #ARGV do
  local tag = ARGV[i]
  tags[#tags + 1] = tag
  redis.call('SET', ARGV[1] .. 'm:' .. tag, g, 'PX', ARGV[3])
  local set = ARGV[1] .. 't:' .. tag
  local members = redis.call('SMEMBERS', set)
  for j = 1, #members, 500 do
    local chunk = {unpack(members, j, math.min(j + 499, #members))}
    redis.call('DEL', unpack(chunk))
    redis.call('ZREM', KEYS[2], unpack(chunk))
  end
  redis.call('DEL', set)
end
redis.call('PUBLISH', ARGV[2], cjson.encode({g = g, tags = tags}))
return g
