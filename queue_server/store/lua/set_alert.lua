-- Raise an alert (idempotent: the same alert raised twice appends one event) or clear it.
-- KEYS[1] = alerts hash (qs:{hall}:alerts), KEYS[2] = event stream
-- ARGV[1] = alert key, ARGV[2] = alert JSON ('' = clear), ARGV[3] = now ms, ARGV[4] = actor,
-- ARGV[5] = stream maxlen
-- Returns {'ok', event id or ''}.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '' then
  if not current then return {'ok', ''} end
  redis.call('HDEL', KEYS[1], ARGV[1])
  local alert = cjson.decode(current)
  return {'ok', append_event(KEYS[2], ARGV[5], 'alert_cleared', ARGV[3], ARGV[4], {alert = alert})}
end
local alert = cjson.decode(ARGV[2])
if current then
  local old = cjson.decode(current)
  -- Same alert, same message: nothing new to tell anyone.
  if old.message == alert.message and old.severity == alert.severity then return {'ok', ''} end
  alert.since = old.since
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(alert))
return {'ok', append_event(KEYS[2], ARGV[5], 'alert_raised', ARGV[3], ARGV[4], {alert = alert})}
