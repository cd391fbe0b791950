-- Record how printing a ticket went (queued, printed, retrying, failed) and tell the kiosk.
-- KEYS[1] = ticket hash, KEYS[2] = event stream
-- ARGV[1] = status, ARGV[2] = message, ARGV[3] = printer id, ARGV[4] = now ms, ARGV[5] = actor,
-- ARGV[6] = stream maxlen
-- Returns {'ok', event id} or {'err', 'no_such_ticket', id}.
local ticket = load(KEYS[1])
if ticket.id == nil then return {'err', 'no_such_ticket', ''} end
set_fields(KEYS[1], ticket, {print_status = ARGV[1]})
return {'ok', append_event(KEYS[2], ARGV[6], 'print_status', ARGV[4], ARGV[5],
  {ticket_id = ticket.id, number = ticket.number, status = ARGV[1], message = ARGV[2], printer = ARGV[3]})}
