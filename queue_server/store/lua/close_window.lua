-- Close a window (签退): a called ticket goes back to its place in the queue, one being served is done.
-- KEYS[1] = window hash, KEYS[2] = staff index, KEYS[3] = event stream, KEYS[4] = day stats,
-- KEYS[5] = ticket key prefix, KEYS[6] = waiting key prefix
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen
-- Returns {'ok', event id or '', window…} or {'err', code, detail}.
local wkey, now = KEYS[1], ARGV[2]
local window = load(wkey)
if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
window.code = ARGV[1]
if (window.state or 'closed') == 'closed' then
  return {'ok', '', unpack(flatten(window))}
end
if (window.current or '') ~= '' then
  local tkey = KEYS[5] .. window.current
  local ticket = load(tkey)
  local previous = ticket.status
  if ticket.status == 'serving' then
    close_ticket(tkey, ticket, 'done', now, KEYS[4])
  elseif ticket.status == 'called' then
    -- Nobody loses their place because a clerk signed out: back in line at the original score.
    set_fields(tkey, ticket, {status = 'waiting', window = ''})
    redis.call('ZADD', KEYS[6] .. ticket.service, ticket.score, ticket.id)
  end
  hold(wkey, window, nil, now)
  append_event(KEYS[3], ARGV[5], 'ticket_updated', now, ARGV[3],
    {ticket = ticket, previous_status = previous})
end
if (window.staff or '') ~= '' then redis.call('HDEL', KEYS[2], window.staff) end
local previous = window.state
set_fields(wkey, window, {state = 'closed', staff = '', reason = '', since_ms = now})
local id = append_event(KEYS[3], ARGV[5], 'window_updated', now, ARGV[3],
  {window = window, previous_state = previous})
return {'ok', id, unpack(flatten(window))}
