-- Replaces a box's exchange hash (never merges: fields a box stopped sending must go) and refreshes its expiry.
-- KEYS[1] = {ent}:EXCHANGE:{box}, KEYS[2] = {ent}:BOX_SET
-- ARGV[1] = box ID, ARGV[2] = expiry score (Unix seconds), ARGV[3..] = field, value, field, value, ...
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
