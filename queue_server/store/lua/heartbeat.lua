-- Record that the window's clerk is present; a window marked away for a lost heartbeat comes back.
-- KEYS[1] = window hash, KEYS[2] = event stream
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen
-- Returns {'ok', event id or '', state}.
local window = load(KEYS[1])
local state = window.state or 'closed'
if state == 'closed' then return {'err', 'window_not_open', state} end
if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
window.code = ARGV[1]
set_fields(KEYS[1], window, {heartbeat_ms = ARGV[2]})
if state == 'away' and window.reason_code == 'heartbeat' then
  set_fields(KEYS[1], window, {state = 'open', reason = '', reason_code = '', since_ms = ARGV[2]})
  return {'ok', append_event(KEYS[2], ARGV[5], 'window_updated', ARGV[2], ARGV[3],
    {window = window, previous_state = 'away'}), 'open'}
end
return {'ok', '', state}
