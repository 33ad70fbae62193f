-- Replaces a box's exchange hash (never merges: fields a box stopped sending must go) and refreshes its expiry, but
-- only while the box's credential is still the one its heartbeat was checked against (none for an unsigned heartbeat):
-- a credential issued or revoked meanwhile wins, so a revoked box is not brought back by a heartbeat in flight.
-- KEYS[1] = {ent}:EXCHANGE:{box}, KEYS[2] = {ent}:BOX_SET, KEYS[3] = {ent}:CREDENTIALS
-- ARGV[1] = box ID, ARGV[2] = expiry score (Unix seconds), ARGV[3] = the credential's secret, '' for none,
-- ARGV[4..] = field, value, field, value, ...
-- Returns 1 when stored, 0 when the credential changed
if (redis.call('HGET', KEYS[3], ARGV[1]) or '') ~= ARGV[3] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
