-- Records one dial-back probe of a box and moves the box between healthy and suspended with hysteresis: ARGV[7]
-- failed probes in a row suspend it, ARGV[8] successful ones in a row reinstate it, so one blip does not flap it.
-- Atomic, so that probes recorded by two entrance processes sharing one Redis and ID each count once, in order. The
-- box's measured figures are those of its last successful probe.
-- KEYS[1] = {ent}:PROBE:{box}, KEYS[2] = {ent}:BOX_SET, KEYS[3] = {ent}:SUSPENDED_BOXES
-- ARGV[1] = box ID, ARGV[2] = now (Unix ms), ARGV[3] = '1' when the probe succeeded, else '0',
-- ARGV[4] = time to first byte (ms), or '', ARGV[5] = throughput (Mbit/s), or '', ARGV[6] = what went wrong, or '',
-- ARGV[7] = failures that suspend, ARGV[8] = successes that reinstate, ARGV[9] = how long the hash is kept (ms)
-- Returns the box's state after this probe: 'healthy', 'failing' (failed, not yet suspended), 'suspended' (this
-- probe suspended it), 'still-suspended', 'reinstated' (this probe reinstated it), or 'gone' (the box left the
-- directory meanwhile; nothing recorded)
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 'gone'
end
local suspended = redis.call('HGET', KEYS[1], 'state') == 'suspended'
local result
redis.call('HSET', KEYS[1], 'checked-at', ARGV[2])
if ARGV[3] == '1' then
  local successes = redis.call('HINCRBY', KEYS[1], 'successes', 1)
  redis.call('HSET', KEYS[1], 'failures', 0, 'succeeded-at', ARGV[2], 'ttfb-ms', ARGV[4])
  if ARGV[5] ~= '' then
    redis.call('HSET', KEYS[1], 'mbps', ARGV[5])
  else
    redis.call('HDEL', KEYS[1], 'mbps')
  end
  redis.call('HDEL', KEYS[1], 'problem')
  if suspended and successes >= tonumber(ARGV[8]) then
    redis.call('HSET', KEYS[1], 'state', 'healthy')
    redis.call('HDEL', KEYS[1], 'suspended-at')
    redis.call('ZREM', KEYS[3], ARGV[1])
    result = 'reinstated'
  elseif suspended then
    result = 'still-suspended'
  else
    redis.call('HSET', KEYS[1], 'state', 'healthy')
    result = 'healthy'
  end
else
  local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('HSET', KEYS[1], 'successes', 0, 'problem', ARGV[6])
  if suspended then
    result = 'still-suspended'
  elseif failures >= tonumber(ARGV[7]) then
    redis.call('HSET', KEYS[1], 'state', 'suspended', 'suspended-at', ARGV[2])
    redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
    result = 'suspended'
  else
    redis.call('HSET', KEYS[1], 'state', 'healthy')
    result = 'failing'
  end
end
if result == 'still-suspended' and redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[1]) == 1 then
  -- Dropped for staying suspended too long and registered again: its time suspended starts again
  redis.call('HSET', KEYS[1], 'suspended-at', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[9])
return result
