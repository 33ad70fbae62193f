-- Counts one accepted REPORT against a box: every report adds to the count, but the publisher is one member of the
-- reporters set however often it reports, so the ranking can count distinct publishers. Both keys expire a while
-- after the last report, so reports of a box that is gone do not stay forever.
-- KEYS[1] = {ent}:REPORTS:{box} (hash), KEYS[2] = {ent}:REPORTERS:{box} (zset publisher ID -> ms of its last report)
-- ARGV[1] = now (ms), ARGV[2] = publisher ID, ARGV[3] = FILE_PATH, ARGV[4] = window (ms), ARGV[5] = retention (ms)
-- Returns {count, distinct reporters within the window}
local now = tonumber(ARGV[1])
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'last-report-at', ARGV[1], 'last-file-path', ARGV[3], 'last-publisher', ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[2])
-- Reporters outside the window no longer count: dropping them keeps the set as small as the window's reporters
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[4])))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return {count, redis.call('ZCARD', KEYS[2])}
