-- Removes traffic entries an entrance accepted: their hashes and their place in the index.
-- KEYS[1] pending index, KEYS[2..] the entries' hashes (declared, so a Redis Cluster sees every key it touches);
-- ARGV the entries' log IDs, in the order of their hashes
for i = 1, #ARGV do
  redis.call('DEL', KEYS[i + 1])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return #ARGV
