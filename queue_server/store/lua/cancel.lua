-- Cancel a ticket that is waiting or called (取消); a holding window is freed.
-- KEYS[1] = ticket hash, KEYS[2] = hash of the window expected to hold it (any window key if none),
-- KEYS[3] = event stream, KEYS[4] = waiting key prefix, KEYS[5] = day stats
-- ARGV[1] = ticket id, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = stream maxlen,
-- ARGV[5] = window expected to hold it ('' = none), ARGV[6] = reason
-- Returns {'ok', event id, ticket…} or {'err', code, detail}; 'changed' means retry.
local tkey, now = KEYS[1], ARGV[2]
local ticket = load(tkey)
if ticket.id == nil then return {'err', 'no_such_ticket', ARGV[1]} end
local data = {reason = ARGV[6], previous_status = ticket.status}
if ticket.status == 'called' or ticket.status == 'serving' then
  if ticket.window ~= ARGV[5] then return {'err', 'changed', ticket.window or ''} end
  local window = load(KEYS[2])
  if window.current ~= ticket.id then return {'err', 'changed', window.current or ''} end
  window.code = ARGV[5]
  hold(KEYS[2], window, nil, now)
  data.window = window
elseif ticket.status == 'waiting' then
  if ARGV[5] ~= '' then return {'err', 'changed', ''} end
  redis.call('ZREM', KEYS[4] .. ticket.service, ticket.id)
else
  return {'err', 'wrong_state', ticket.status or ''}
end
set_fields(tkey, ticket, {status = 'cancelled', finished_ms = now})
redis.call('HINCRBY', KEYS[5], ticket.service .. ':cancelled', 1)
data.ticket = ticket
local id = append_event(KEYS[3], ARGV[4], 'ticket_updated', now, ARGV[3], data)
local out = {'ok', id}
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
