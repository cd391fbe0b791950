-- Keep a day's figures (once) and record that the day is closed.
-- KEYS[1] = daily summary (qs:{hall}:daily:<day>), KEYS[2] = event stream
-- ARGV[1] = day, ARGV[2] = summary JSON, ARGV[3] = now ms, ARGV[4] = actor, ARGV[5] = stream maxlen
-- Returns {'ok', event id} or {'ok', ''} when the day was already closed.
if redis.call('SETNX', KEYS[1], ARGV[2]) == 0 then return {'ok', ''} end
return {'ok', append_event(KEYS[2], ARGV[5], 'day_closed', ARGV[3], ARGV[4],
  {day = ARGV[1], summary = cjson.decode(ARGV[2])})}
