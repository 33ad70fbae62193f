-- Stores traffic entries read from the access log together with the log position they
-- were read up to, so that a crash never counts a line twice or loses one.
-- KEYS[1] pending index (sorted set), KEYS[2] log position (hash), KEYS[3..] the entries' hashes
-- ARGV[1] file key, ARGV[2] offset, ARGV[3] the bytes before the offset (Base64), ARGV[4] max pending,
-- ARGV[5] base score, ARGV[6] the TRAFFIC_FLOW key prefix, then per entry: log ID, url, status, size, datetime
local entries = #KEYS - 2
-- Scores only grow, so the index keeps the log's order even when two reads fall in one millisecond or the
-- clock steps back
local base = tonumber(ARGV[5])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] ~= nil and tonumber(newest[2]) >= base then
  base = tonumber(newest[2])
end
for i = 1, entries do
  local a = 6 + (i - 1) * 5
  redis.call('HSET', KEYS[2 + i], 'url', ARGV[a + 2], 'status', ARGV[a + 3], 'size', ARGV[a + 4],
    'datetime', ARGV[a + 5])
  redis.call('ZADD', KEYS[1], base + i, ARGV[a + 1])
end
redis.call('HSET', KEYS[2], 'file-key', ARGV[1], 'offset', ARGV[2], 'tail', ARGV[3])
-- Bound the backlog: drop the oldest entries (their keys share this node's hash tag)
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then
  local dropped = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  for _, id in ipairs(dropped) do
    redis.call('DEL', ARGV[6] .. id)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
  return excess
end
return 0
