-- Call the next ticket at a window, finishing the one it still holds (one press = 完成当前, 呼叫下一位).
-- KEYS[1] = window hash            (qs:{hall}:window:<code>)
-- KEYS[2] = event stream           (qs:{hall}:events)
-- KEYS[3] = recent calls list      (qs:{hall}:recent)
-- KEYS[4] = day stats              (qs:{hall}:stats:<day>)
-- KEYS[5] = reroute hash           (qs:{hall}:reroute)
-- KEYS[6] = ticket key prefix      (qs:{hall}:ticket:)
-- KEYS[7..] = waiting sets: the window's primary services in preference order, then its backups
-- ARGV[1] = window code, ARGV[2] = now ms, ARGV[3] = actor, ARGV[4] = required staff ('' = any),
-- ARGV[5] = stream maxlen, ARGV[6] = recent calls cap, ARGV[7] = number of primary services,
-- ARGV[8..] = service codes matching KEYS[7..]
-- Returns {'ok', event id, ticket…}, {'empty', event id of the finish or ''} or {'err', code, detail}.
local wkey, stream, now, actor = KEYS[1], KEYS[2], ARGV[2], ARGV[3]
local window = load(wkey)
if (window.state or 'closed') ~= 'open' then
  return {'err', 'window_not_open', window.state or 'closed'}
end
if not window_ok(window, ARGV[4]) then
  return {'err', 'forbidden', window.staff or ''}
end
window.code = ARGV[1]

-- The ticket still held is finished inside the same step; when someone is called, the one
-- ticket_called event carries it as `finished`, so displays get one event per press, not two.
local finished, finished_previous = nil, nil
if (window.current or '') ~= '' then
  local tkey = KEYS[6] .. window.current
  local held = load(tkey)
  if held.status == 'called' or held.status == 'serving' then
    finished_previous = held.status
    close_ticket(tkey, held, 'done', now, KEYS[4])
    hold(wkey, window, nil, now)
    set_fields(wkey, window, {last_done = held.id})
    finished = held
  end
end

-- The lowest score wins: priority class first, then issue order; a tie keeps preference order.
local primaries = int(ARGV[7])
local best_key, best_id, best_score
for i = 7, #KEYS do
  local n = i - 6
  local service = ARGV[7 + n]
  local eligible = n <= primaries or redis.call('HGET', KEYS[5], service) == ARGV[1]
  if eligible then
    local head = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    if #head > 0 then
      local score = tonumber(head[2])
      if best_score == nil or score < best_score then
        best_key, best_id, best_score = KEYS[i], head[1], score
      end
    end
  end
end

if best_id == nil then
  local id = ''
  if finished then
    id = append_event(stream, ARGV[5], 'ticket_updated', now, actor,
      {ticket = finished, window = window, previous_status = finished_previous})
  elseif (window.current or '') ~= '' then
    hold(wkey, window, nil, now)
  end
  return {'empty', id}
end

redis.call('ZREM', best_key, best_id)
local tkey = KEYS[6] .. best_id
local ticket = load(tkey)
local first = int(ticket.called_ms) == 0
set_fields(tkey, ticket, {status = 'called', window = ARGV[1], last_called_ms = now,
  calls = fmt(int(ticket.calls) + 1)})
if first then
  set_fields(tkey, ticket, {called_ms = now})
  redis.call('HINCRBY', KEYS[4], ticket.service .. ':called', 1)
  redis.call('HINCRBY', KEYS[4], ticket.service .. ':wait_ms', int(now) - int(ticket.issued_ms))
end
hold(wkey, window, ticket, now)
redis.call('LPUSH', KEYS[3], cjson.encode({number = ticket.number, service = ticket.service,
  window = ARGV[1], ts = now}))
redis.call('LTRIM', KEYS[3], 0, int(ARGV[6]) - 1)
local data = {ticket = ticket, window = window, recall = false, previous_status = 'waiting'}
if finished then
  data.finished = finished
  data.finished_previous_status = finished_previous
end
local id = append_event(stream, ARGV[5], 'ticket_called', now, actor, data)
local out = {'ok', id}
for _, v in ipairs(flatten(ticket)) do out[#out + 1] = v end
return out
