-- Accepts a proof's AUTH_TIME only when it is later than the last one accepted from that node, and only while the
-- node's credential is still the one the proof was checked against. Atomic, so that a replayed request, or one request
-- sent to two entrance instances sharing this Redis, is accepted once.
-- KEYS[1] = {ent}:CREDENTIALS, KEYS[2] = {ent}:AUTH_TIMES
-- ARGV[1] = node ID, ARGV[2] = the secret the proof was checked against, ARGV[3] = AUTH_TIME (Unix ms)
-- Returns 1 when accepted (and recorded), 0 when not later than the last accepted, -1 when the credential changed
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return -1
end
local last = redis.call('HGET', KEYS[2], ARGV[1])
if last and tonumber(ARGV[3]) <= tonumber(last) then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
