-- Read a hall's live state in one atomic step, with the id of the last event it includes.
-- KEYS[1] = event stream, KEYS[2] = recent calls list, KEYS[3] = reroute hash, KEYS[4] = notices list,
-- KEYS[5 .. 4+N] = window hashes, KEYS[5+N ..] = waiting sets
-- ARGV[1] = N (number of windows), ARGV[2] = recent calls to return
-- Returns {last id, recent calls, reroutes, notices, {window…}…, {count…}}.
local n = int(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local last_id = ''
if #last > 0 then last_id = last[1][1] end
local windows = {}
for i = 5, 4 + n do windows[#windows + 1] = redis.call('HGETALL', KEYS[i]) end
local counts = {}
for i = 5 + n, #KEYS do counts[#counts + 1] = redis.call('ZCARD', KEYS[i]) end
return {last_id, redis.call('LRANGE', KEYS[2], 0, int(ARGV[2]) - 1), redis.call('HGETALL', KEYS[3]),
  redis.call('LRANGE', KEYS[4], 0, -1), windows, counts}
