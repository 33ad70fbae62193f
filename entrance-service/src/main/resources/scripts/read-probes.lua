-- What the dial-back probes found of each box a SEARCH ranks, in one round trip.
-- KEYS = {ent}:PROBE:{box} of each box
-- Returns three strings per key, in order: its state ('' when never probed), its time to first byte (ms) and its
-- throughput (Mbit/s), each '' when unknown
local found = {}
for i = 1, #KEYS do
  local fields = redis.call('HMGET', KEYS[i], 'state', 'ttfb-ms', 'mbps')
  for j = 1, 3 do
    found[#found + 1] = fields[j] or ''
  end
end
return found
