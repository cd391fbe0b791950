-- Record a resident's rating (好差评, 1-5) against the ticket the window served last; one per ticket.
-- KEYS[1] = window hash, KEYS[2] = event stream, KEYS[3] = ticket key prefix
-- ARGV[1] = window code, ARGV[2] = rating, ARGV[3] = channel, ARGV[4] = now ms, ARGV[5] = actor,
-- ARGV[6] = stream maxlen
-- Returns {'ok', event id, ticket id} or {'err', code, detail}.
local last = redis.call('HGET', KEYS[1], 'last_done') or ''
if last == '' then return {'err', 'no_current_ticket', ''} end
local tkey = KEYS[3] .. last
local ticket = load(tkey)
-- 一次一评: each service occurrence is rated once.
if (ticket.rating or '') ~= '' then return {'err', 'wrong_state', 'rated'} end
set_fields(tkey, ticket, {rating = ARGV[2], rated_ms = ARGV[4], rating_channel = ARGV[3]})
local id = append_event(KEYS[2], ARGV[6], 'ticket_rated', ARGV[4], ARGV[5],
  {ticket_id = ticket.id, number = ticket.number, window = ARGV[1], rating = tonumber(ARGV[2]),
   channel = ARGV[3]})
return {'ok', id, ticket.id}
