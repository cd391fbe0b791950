-- Helpers prepended to every script by store/scripts.py; they build no keys of their own.

local function load(key)
  local flat = redis.call('HGETALL', key)
  local map = {}
  for i = 1, #flat, 2 do map[flat[i]] = flat[i + 1] end
  return map
end

local function flatten(map)
  local flat = {}
  for k, v in pairs(map) do
    flat[#flat + 1] = k
    flat[#flat + 1] = tostring(v)
  end
  return flat
end

-- Times travel as decimal strings: cjson and tostring would print large numbers as 1.7e+12.
local function int(value)
  return tonumber(value or '0') or 0
end

local function fmt(number)
  return string.format('%d', number)
end

local function append_event(stream, maxlen, etype, ts, actor, data)
  return redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*',
    'type', etype, 'ts', ts, 'actor', actor, 'data', cjson.encode(data))
end

local function set_fields(key, map, fields)
  local args = {}
  for k, v in pairs(fields) do
    map[k] = v
    args[#args + 1] = k
    args[#args + 1] = v
  end
  if #args > 0 then redis.call('HSET', key, unpack(args)) end
end

-- Point the window at a ticket it now holds (or at none); acting at a window proves presence.
local function hold(wkey, window, ticket, now)
  set_fields(wkey, window, {heartbeat_ms = now})
  if ticket then
    set_fields(wkey, window, {current = ticket.id, current_number = ticket.number,
      current_service = ticket.service, current_status = ticket.status, current_since_ms = now})
  else
    set_fields(wkey, window, {current = '', current_number = '', current_service = '',
      current_status = '', current_since_ms = ''})
  end
end

-- Close a held ticket as done or no_show and count it in the day's figures.
local function close_ticket(tkey, ticket, status, now, stats)
  set_fields(tkey, ticket, {status = status, finished_ms = now})
  if status == 'done' then
    local began = int(ticket.started_ms)
    if began == 0 then began = int(ticket.called_ms) end
    redis.call('HINCRBY', stats, ticket.service .. ':served', 1)
    redis.call('HINCRBY', stats, ticket.service .. ':handle_ms', int(now) - began)
    if (ticket.window or '') ~= '' then
      redis.call('HINCRBY', stats, 'window:' .. ticket.window .. ':served', 1)
    end
  else
    redis.call('HINCRBY', stats, ticket.service .. ':' .. status, 1)
  end
end

local function window_ok(window, required_staff)
  if required_staff ~= '' and (window.staff or '') ~= required_staff then
    return false
  end
  return true
end
