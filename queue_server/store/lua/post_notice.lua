-- Post a marquee notice for the lobby (or clear them all when the text is empty).
-- KEYS[1] = notices list (qs:{hall}:notices), KEYS[2] = event stream
-- ARGV[1] = text ('' = clear), ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = stream maxlen,
-- ARGV[5] = notices kept
-- Returns {'ok', event id}.
local id
if ARGV[1] == '' then
  redis.call('DEL', KEYS[1])
  id = append_event(KEYS[2], ARGV[4], 'notices_cleared', ARGV[2], ARGV[3], {})
else
  redis.call('LPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], 0, int(ARGV[5]) - 1)
  id = append_event(KEYS[2], ARGV[4], 'notice_posted', ARGV[2], ARGV[3], {text = ARGV[1]})
end
return {'ok', id}
