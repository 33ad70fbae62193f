-- Removes a box whose expiry has passed, with its hashes. Atomic, so when two entrance instances share one Redis
-- and ID, exactly one of them removes the box, and a heartbeat that arrived meanwhile is never undone.
-- KEYS[1] = {ent}:BOX_SET, KEYS[2] = {ent}:EXCHANGE:{box}, KEYS[3] = {ent}:TRAFFIC_SEEN:{box}
-- ARGV[1] = box ID, ARGV[2] = now (Unix seconds)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2], KEYS[3])
  return 1
end
return 0
