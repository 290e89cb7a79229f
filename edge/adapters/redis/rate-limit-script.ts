// Lua for the fleet-wide rate limiter: a sorted set of grant times per budget. Checking the
// window and the spacing and taking the slot happen in one script, so two workers can never both
// take the last slot.

/**
 * KEYS: the budget's sorted set (score = slot time; members `g:<uuid>` for granted slots, `h:<holder>`
 * for booked ones). ARGV: now, limit, windowMs, spacingMs, member (unique), holder ('' for none).
 * Returns {1, 0} when granted, {0, waitMs} otherwise; a holder that must wait is booked the slot.
 */
export const RESERVE_SLOT = `
local now, limit, window, spacing = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local holder = ARGV[6]
-- The set lives as long as its latest slot (a booking may lie in the future) counts in a window.
local function keep()
  local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local latest = now
  if top[2] then latest = math.max(now, tonumber(top[2])) end
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', latest - now + window + spacing))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
if holder ~= '' then
  local booked = redis.call('ZSCORE', KEYS[1], 'h:' .. holder)
  if booked then
    booked = tonumber(booked)
    if booked > now then return {0, string.format('%.0f', booked - now)} end
    redis.call('ZREM', KEYS[1], 'h:' .. holder)
    redis.call('ZADD', KEYS[1], string.format('%.0f', booked), 'g:' .. ARGV[5])
    keep()
    return {1, '0'}
  end
end
local wait = 0
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then wait = math.max(wait, tonumber(last[2]) + spacing - now) end
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  wait = math.max(wait, tonumber(oldest[2]) + window - now)
end
if wait > 0 then
  if holder ~= '' then
    redis.call('ZADD', KEYS[1], string.format('%.0f', now + wait), 'h:' .. holder)
    keep()
  end
  return {0, string.format('%.0f', wait)}
end
redis.call('ZADD', KEYS[1], string.format('%.0f', now), 'g:' .. ARGV[5])
keep()
return {1, '0'}
`;
