-- Replaces the box's own exchange fields (the original merged them, so removed fields lingered).
-- KEYS[1] SELF_EXCHANGE; ARGV field, value, field, value, ...
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV))
return #ARGV / 2
