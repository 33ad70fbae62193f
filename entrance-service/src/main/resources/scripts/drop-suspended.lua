-- Drops a box suspended since ARGV[2] or earlier from the directory, as the expiry script drops a silent one, and
-- takes it out of the suspended set; a box that left the directory meanwhile only leaves the set. Atomic, so that of
-- two entrance processes sharing one Redis and ID one drops the box, and a box reinstated meanwhile is kept. The
-- box's PROBE hash stays: if it heartbeats again it comes back suspended.
-- KEYS[1] = {ent}:SUSPENDED_BOXES, KEYS[2] = {ent}:BOX_SET, KEYS[3] = {ent}:EXCHANGE:{box},
-- KEYS[4] = {ent}:TRAFFIC_SEEN:{box}
-- ARGV[1] = box ID, ARGV[2] = the latest suspension time that is dropped (Unix ms)
-- Returns 1 when this call dropped the box from BOX_SET, else 0
local since = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not since or tonumber(since) > tonumber(ARGV[2]) then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
local removed = redis.call('ZREM', KEYS[2], ARGV[1])
if removed == 1 then
  redis.call('DEL', KEYS[3], KEYS[4])
end
return removed
