-- Adds one dashboard sample for a period unless one is there already (another replica of the entrance wrote it),
-- with the running count of accepted heartbeats as it stands now.
-- KEYS[1] = {ent}:DASHBOARD_SAMPLES (stream), KEYS[2] = {ent}:EXCHANGES_ACCEPTED (counter)
-- ARGV[1] = the period's start (Unix ms, the entry's ID), ARGV[2] = how many samples to keep,
-- ARGV[3..] = field, value, field, value, ...
-- Returns 1 when the sample was added, 0 when the period already has one (or a later one).
local period = tonumber(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then
  local lastMillis = tonumber(string.match(last[1][1], '^(%d+)'))
  if lastMillis >= period then
    return 0
  end
end
local exchanges = redis.call('GET', KEYS[2]) or '0'
local fields = { 'exchanges', exchanges }
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
-- Exact trimming: one entry a period costs nothing to trim, and the history is what the operator asked for
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], ARGV[1] .. '-0', unpack(fields))
return 1
