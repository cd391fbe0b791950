-- Close the window's current ticket as done (办结) or no_show (过号) and free the window.
-- KEYS[1] = window hash, KEYS[2] = event stream, KEYS[3] = day stats, KEYS[4] = ticket key prefix
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen, ARGV[6] = outcome ('done' | 'no_show')
-- Returns {'ok', event id, ticket…} or {'err', code, detail}.
local wkey, now, outcome = KEYS[1], ARGV[2], ARGV[6]
local window = load(wkey)
if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
if (window.current or '') == '' then return {'err', 'no_current_ticket', ''} end
window.code = ARGV[1]
local tkey = KEYS[4] .. window.current
local ticket = load(tkey)
-- Nobody can be absent once their service has started, so no_show needs a merely called ticket.
local allowed = ticket.status == 'called' or (outcome == 'done' and ticket.status == 'serving')
if not allowed then return {'err', 'wrong_state', ticket.status or ''} end
local previous = ticket.status
close_ticket(tkey, ticket, outcome, now, KEYS[3])
hold(wkey, window, nil, now)
if outcome == 'done' then set_fields(wkey, window, {last_done = ticket.id}) end
local id = append_event(KEYS[2], ARGV[5], 'ticket_updated', now, ARGV[3],
  {ticket = ticket, window = window, previous_status = previous})
local out = {'ok', id}
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
