-- Counts each traffic entry of a box once: an entry whose log ID arrived within the window is skipped.
-- KEYS[1] = {ent}:TRAFFIC_SEEN:{box} (zset log ID -> ms), KEYS[2] = {ent}:TRAFFIC_TOTALS:{box} (hash),
-- KEYS[3] = {ent}:TRAFFIC_HISTORY:{box} (stream)
-- ARGV[1] = now (ms), ARGV[2] = dedupe window (ms), ARGV[3] = history cap,
-- ARGV[4..] = log ID, url, status, size, datetime, log ID, ...
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local recorded = 0
for i = 4, #ARGV, 5 do
  if redis.call('ZADD', KEYS[1], 'NX', now, ARGV[i]) == 1 then
    local status = tonumber(ARGV[i + 2])
    redis.call('HINCRBY', KEYS[2], 'bytes', ARGV[i + 3])
    redis.call('HINCRBY', KEYS[2], 'requests', 1)
    redis.call('HINCRBY', KEYS[2], math.floor(status / 100) .. 'xx', 1)
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'log_id', ARGV[i], 'url', ARGV[i + 1],
      'status', ARGV[i + 2], 'size', ARGV[i + 3], 'datetime', ARGV[i + 4])
    recorded = recorded + 1
  end
end
redis.call('PEXPIRE', KEYS[1], window)
return recorded
