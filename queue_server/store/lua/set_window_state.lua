-- Pause (暂停) a window with a reason, resume it, or mark it away (暂离) — one transition per call.
-- KEYS[1] = window hash, KEYS[2] = event stream
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen, ARGV[6] = target state, ARGV[7] = reason,
-- ARGV[8] = states allowed before, comma separated, ARGV[9] = event type,
-- ARGV[10] = reason code (why it changed: manual, heartbeat, pause_overrun, roster)
-- Returns {'ok', event id or '', window…} or {'err', code, detail}.
local wkey, now, target = KEYS[1], ARGV[2], ARGV[6]
local window = load(wkey)
if not window_ok(window, ARGV[4]) then return {'err', 'forbidden', window.staff or ''} end
window.code = ARGV[1]
local state = window.state or 'closed'
if state == target and (window.reason or '') == ARGV[7] then
  return {'ok', '', unpack(flatten(window))}
end
local allowed = false
for s in string.gmatch(ARGV[8], '[^,]+') do
  if s == state then allowed = true end
end
if not allowed then return {'err', 'window_not_open', state} end
set_fields(wkey, window, {state = target, reason = ARGV[7], reason_code = ARGV[10], since_ms = now})
local id = append_event(KEYS[2], ARGV[5], ARGV[9], now, ARGV[3],
  {window = window, previous_state = state})
return {'ok', id, unpack(flatten(window))}
