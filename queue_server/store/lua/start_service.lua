-- Mark the window's called ticket as being served (开始办理).
-- KEYS[1] = window hash, KEYS[2] = event stream, KEYS[3] = ticket key prefix
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen
-- Returns {'ok', event id, ticket…} or {'err', code, detail}.
local wkey, now = KEYS[1], ARGV[2]
local window = load(wkey)
if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
if (window.current or '') == '' then return {'err', 'no_current_ticket', ''} end
window.code = ARGV[1]
local tkey = KEYS[3] .. window.current
local ticket = load(tkey)
if ticket.status ~= 'called' then return {'err', 'wrong_state', ticket.status or ''} end
set_fields(tkey, ticket, {status = 'serving', started_ms = now})
set_fields(wkey, window, {current_status = 'serving'})
set_fields(wkey, window, {heartbeat_ms = now})
local id = append_event(KEYS[2], ARGV[5], 'ticket_updated', now, ARGV[3],
  {ticket = ticket, window = window, previous_status = 'called'})
local out = {'ok', id}
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
