-- Record a device's reported state; append device_status only when it changed.
-- KEYS[1] = device state hash (qs:{hall}:devices), KEYS[2] = event stream
-- ARGV[1] = device id, ARGV[2] = state JSON, ARGV[3] = now ms, ARGV[4] = actor, ARGV[5] = stream maxlen
-- Returns {'ok', event id or ''}.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return {'ok', ''} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {'ok', append_event(KEYS[2], ARGV[5], 'device_status', ARGV[3], ARGV[4],
  {device = ARGV[1], status = cjson.decode(ARGV[2])})}
