-- How many distinct publishers reported each box since a time, in one round trip for all the boxes a SEARCH ranks.
-- KEYS = {ent}:REPORTERS:{box} of each box; ARGV[1] = since (ms)
-- Returns one count per key, in order
local counts = {}
for i = 1, #KEYS do
  counts[i] = redis.call('ZCOUNT', KEYS[i], ARGV[1], '+inf')
end
return counts
