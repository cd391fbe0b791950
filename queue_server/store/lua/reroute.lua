-- Route a service's waiting residents to another window, or back to normal (AB岗); idempotent.
-- KEYS[1] = reroute hash (qs:{hall}:reroute), KEYS[2] = event stream,
-- KEYS[3] = waiting set of the service, KEYS[4] = ticket key prefix
-- ARGV[1] = service, ARGV[2] = target window ('' = restore normal routing), ARGV[3] = from window,
-- ARGV[4] = now ms, ARGV[5] = actor, ARGV[6] = stream maxlen, ARGV[7] = reason,
-- ARGV[8] = most ticket numbers to list in the event
-- Returns {'ok', event id} or {'ok', ''} when the routing already was so.
local current = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if current == ARGV[2] then return {'ok', ''} end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
-- Tickets stay in their service's queue, so nobody's place changes; the event lists who is affected.
local numbers = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, int(ARGV[8]) - 1)) do
  numbers[#numbers + 1] = redis.call('HGET', KEYS[4] .. id, 'number')
end
local data = {service = ARGV[1], from_window = ARGV[3], to_window = ARGV[2], reason = ARGV[7],
  waiting = redis.call('ZCARD', KEYS[3]), restored = ARGV[2] == '', tickets = numbers}
if ARGV[2] == '' then data.to_window = cjson.null end
if current ~= '' and ARGV[2] == '' then data.from_window = current end
return {'ok', append_event(KEYS[2], ARGV[6], 'tickets_rerouted', ARGV[4], ARGV[5], data)}
