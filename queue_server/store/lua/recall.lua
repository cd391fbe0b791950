-- Call the window's current ticket again (重呼); displays and voice announce it once more.
-- KEYS[1] = window hash, KEYS[2] = event stream, KEYS[3] = recent calls list, KEYS[4] = ticket key prefix
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen, ARGV[6] = recent calls cap
-- Returns {'ok', event id, ticket…} or {'err', code, detail}.
local wkey, now = KEYS[1], ARGV[2]
local window = load(wkey)
if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
if (window.current or '') == '' then return {'err', 'no_current_ticket', ''} end
window.code = ARGV[1]
local tkey = KEYS[4] .. window.current
local ticket = load(tkey)
if ticket.status ~= 'called' then return {'err', 'wrong_state', ticket.status or ''} end
set_fields(tkey, ticket, {calls = fmt(int(ticket.calls) + 1), last_called_ms = now})
set_fields(wkey, window, {heartbeat_ms = now})
redis.call('LPUSH', KEYS[3], cjson.encode({number = ticket.number, service = ticket.service,
  window = ARGV[1], ts = now, recall = true}))
redis.call('LTRIM', KEYS[3], 0, int(ARGV[6]) - 1)
local id = append_event(KEYS[2], ARGV[5], 'ticket_called', now, ARGV[3],
  {ticket = ticket, window = window, recall = true, previous_status = 'called'})
local out = {'ok', id}
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
