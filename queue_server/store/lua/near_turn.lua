-- Tell residents near the front that their turn is coming (once per ticket and service).
-- KEYS[1] = waiting set of the service, KEYS[2] = event stream, KEYS[3] = ticket key prefix
-- ARGV[1] = how many at the front count as near, ARGV[2] = now ms, ARGV[3] = actor,
-- ARGV[4] = stream maxlen, ARGV[5] = service
-- Returns {'ok', id1, id2, …} with the tickets told this time.
local told = {'ok'}
for position, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, int(ARGV[1]) - 1)) do
  local key = KEYS[3] .. id
  -- A transfer to another service starts a new wait, so the mark names the service.
  if redis.call('HGET', key, 'near_turn') ~= ARGV[5] then
    redis.call('HSET', key, 'near_turn', ARGV[5])
    local ticket = load(key)
    ticket.position = position - 1
    append_event(KEYS[2], ARGV[4], 'ticket_near_turn', ARGV[2], ARGV[3], {ticket = ticket})
    told[#told + 1] = id
  end
end
return told
