-- Replaces a box's exchange hash (never merges: fields a box stopped sending must go) and refreshes its expiry, but
-- only while the box's credential is still the one its heartbeat was checked against (none for an unsigned heartbeat):
-- a credential issued or revoked meanwhile wins, so a revoked box is not brought back by a heartbeat in flight.
-- Within the same step it enforces the registration limits: at most ARGV[6] heartbeats per box in a window of
-- ARGV[7] ms, and at most ARGV[5] live boxes per network (a box already counted in its network always passes). It
-- keeps FIRST_SEEN, when the box was first stored since it was last dropped, so the ranking knows how long it has
-- been live.
-- KEYS[1] = {ent}:EXCHANGE:{box}, KEYS[2] = {ent}:BOX_SET, KEYS[3] = {ent}:CREDENTIALS,
-- KEYS[4] = {ent}:EXCHANGE_COUNT:{box}, KEYS[5] = {ent}:NETWORK_BOXES:{network}
-- ARGV[1] = box ID, ARGV[2] = expiry score (Unix seconds), ARGV[3] = the credential's secret, '' for none,
-- ARGV[4] = now (Unix ms), ARGV[5] = most live boxes per network, ARGV[6] = most heartbeats per window,
-- ARGV[7] = the rate window (ms), ARGV[8..] = field, value, field, value, ...
-- Returns 1 when stored, 0 when the credential changed, -1 over the rate, -2 when the network is full
if (redis.call('HGET', KEYS[3], ARGV[1]) or '') ~= ARGV[3] then
  return 0
end
local sent = redis.call('INCR', KEYS[4])
if sent == 1 then
  redis.call('PEXPIRE', KEYS[4], ARGV[7])
end
if sent > tonumber(ARGV[6]) then
  return -1
end
local nowSeconds = tonumber(ARGV[4]) / 1000
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', nowSeconds)
if not redis.call('ZSCORE', KEYS[5], ARGV[1]) and redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[5]) then
  return -2
end
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
redis.call('EXPIREAT', KEYS[5], math.ceil(tonumber(ARGV[2])))
local firstSeen = redis.call('HGET', KEYS[1], 'FIRST_SEEN') or ARGV[4]
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'FIRST_SEEN', firstSeen, unpack(ARGV, 8))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
