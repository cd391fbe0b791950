-- Open a window for a clerk (签到), or bring it back from a pause or an absence.
-- KEYS[1] = window hash, KEYS[2] = staff index (username -> window), KEYS[3] = event stream
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = staff username,
-- ARGV[5] = stream maxlen
-- Returns {'ok', event id or '', window…} or {'err', code, detail}.
local wkey, now, staff = KEYS[1], ARGV[2], ARGV[4]
local window = load(wkey)
local state = window.state or 'closed'
local holder = window.staff or ''
if state ~= 'closed' and holder ~= '' and holder ~= staff then
  return {'err', 'window_held', holder}
end
local elsewhere = redis.call('HGET', KEYS[2], staff)
if elsewhere and elsewhere ~= ARGV[1] then
  return {'err', 'staff_elsewhere', elsewhere}
end
if state == 'open' and holder == staff then
  window.code = ARGV[1]
  return {'ok', '', unpack(flatten(window))}
end
set_fields(wkey, window, {code = ARGV[1], state = 'open', staff = staff, reason = '', reason_code = '',
  since_ms = now, heartbeat_ms = now})
redis.call('HSET', KEYS[2], staff, ARGV[1])
local id = append_event(KEYS[3], ARGV[5], 'window_updated', now, ARGV[3],
  {window = window, previous_state = state})
return {'ok', id, unpack(flatten(window))}
