-- Removes traffic entries an entrance accepted: their hashes and their place in the index.
-- KEYS[1] pending index; ARGV[1] the TRAFFIC_FLOW key prefix, ARGV[2..] log IDs
for i = 2, #ARGV do
  redis.call('DEL', ARGV[1] .. ARGV[i])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return #ARGV - 1
