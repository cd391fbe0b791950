-- Issue a ticket: number it, queue it in call order and append ticket_issued.
-- KEYS[1] = daily counter of the service (qs:{hall}:seq:<day>:<service>)
-- KEYS[2] = hall issue-order counter     (qs:{hall}:order)
-- KEYS[3] = ticket hash                  (qs:{hall}:ticket:<id>)
-- KEYS[4] = waiting set of the service   (qs:{hall}:waiting:<service>)
-- KEYS[5] = day index                    (qs:{hall}:day:<day>)
-- KEYS[6] = day stats                    (qs:{hall}:stats:<day>)
-- KEYS[7] = event stream                 (qs:{hall}:events)
-- ARGV[1] = ticket id, ARGV[2] = service, ARGV[3] = prefix, ARGV[4] = day, ARGV[5] = priority,
-- ARGV[6] = priority rank, ARGV[7] = now ms, ARGV[8] = daily quota (0 = none), ARGV[9] = actor,
-- ARGV[10] = channel, ARGV[11] = stream maxlen, ARGV[12] = order span
-- Returns {'ok', event id, position, ticket…} or {'err', code, detail}.
local issued = int(redis.call('GET', KEYS[1]))
local quota = int(ARGV[8])
if quota > 0 and issued >= quota then
  return {'err', 'quota_reached', tostring(issued)}
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  return {'err', 'duplicate', ARGV[1]}
end
local seq = redis.call('INCR', KEYS[1])
-- Four days outlives any time zone and the rollover job that reads yesterday's counter.
redis.call('EXPIRE', KEYS[1], 345600)
local order = redis.call('INCR', KEYS[2])
local score = fmt(int(ARGV[6]) * int(ARGV[12]) + order)
local ticket = {
  id = ARGV[1], number = ARGV[3] .. string.format('%03d', seq), service = ARGV[2],
  origin = ARGV[2], status = 'waiting', priority = ARGV[5], score = score, seq = fmt(seq),
  issued_ms = ARGV[7], day = ARGV[4], channel = ARGV[10], calls = '0'
}
redis.call('HSET', KEYS[3], unpack(flatten(ticket)))
redis.call('ZADD', KEYS[4], score, ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[7], ARGV[1])
redis.call('HINCRBY', KEYS[6], ARGV[2] .. ':issued', 1)
local position = redis.call('ZRANK', KEYS[4], ARGV[1])
ticket.position = position
local id = append_event(KEYS[7], ARGV[11], 'ticket_issued', ARGV[7], ARGV[9], {ticket = ticket})
ticket.position = nil
local out = {'ok', id, position}
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
