-- Removes a box whose expiry has passed, with its hashes. Atomic, so when two entrance instances share one Redis
-- and ID, exactly one of them removes the box, and a heartbeat that arrived meanwhile is never undone.
-- Also removes a box whatever its expiry once its credential is revoked (ARGV[2] empty).
-- KEYS[1] = {ent}:BOX_SET, KEYS[2] = {ent}:EXCHANGE:{box}, KEYS[3] = {ent}:TRAFFIC_SEEN:{box}
-- ARGV[1] = box ID, ARGV[2] = now (Unix seconds), or '' for any expiry
-- Returns 1 when this call removed the box from BOX_SET, else 0
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[2] == '' or (score and tonumber(score) <= tonumber(ARGV[2])) then
  local removed = redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2], KEYS[3])
  return removed
end
return 0
