-- Move a ticket to another service; it keeps its number and its place by issue order.
-- KEYS[1] = ticket hash, KEYS[2] = hash of the window expected to hold it (any window key if none),
-- KEYS[3] = event stream, KEYS[4] = waiting key prefix (qs:{hall}:waiting:)
-- ARGV[1] = ticket id, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen, ARGV[6] = target service, ARGV[7] = window expected to hold it ('' = none)
-- Returns {'ok', event id, position, ticket…} or {'err', code, detail}; 'changed' means retry.
local tkey, now = KEYS[1], ARGV[2]
local ticket = load(tkey)
if ticket.id == nil then return {'err', 'no_such_ticket', ARGV[1]} end
local from = ticket.service
if from == ARGV[6] then return {'err', 'same_service', from} end
local data = {from_service = from, previous_status = ticket.status}
if ticket.status == 'called' or ticket.status == 'serving' then
  if ticket.window ~= ARGV[7] then return {'err', 'changed', ticket.window or ''} end
  local window = load(KEYS[2])
  if window.current ~= ticket.id then return {'err', 'changed', window.current or ''} end
  if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
  window.code = ARGV[7]
  hold(KEYS[2], window, nil, now)
  data.window = window
elseif ticket.status == 'waiting' then
  if ARGV[7] ~= '' then return {'err', 'changed', ''} end
  redis.call('ZREM', KEYS[4] .. from, ticket.id)
else
  return {'err', 'wrong_state', ticket.status or ''}
end
redis.call('ZADD', KEYS[4] .. ARGV[6], ticket.score, ticket.id)
set_fields(tkey, ticket, {service = ARGV[6], status = 'waiting', window = ''})
ticket.position = redis.call('ZRANK', KEYS[4] .. ARGV[6], ticket.id)
data.ticket = ticket
local id = append_event(KEYS[3], ARGV[5], 'ticket_updated', now, ARGV[3], data)
local out = {'ok', id, ticket.position}
ticket.position = nil
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
