-- Forgets a node's credential and the last AUTH_TIME accepted from it, together, so that a credential issued again
-- later starts afresh.
-- KEYS[1] = {ent}:CREDENTIALS, KEYS[2] = {ent}:AUTH_TIMES
-- ARGV[1] = node ID
-- Returns 1 when the node had a credential, else 0
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return removed
