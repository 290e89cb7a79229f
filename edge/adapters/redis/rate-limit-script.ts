// Lua for the fleet-wide rate limiter: a sorted set of grant times per budget. Checking the
// window and the spacing and taking the slot happen in one script, so two workers can never both
// take the last slot.

/**
 * KEYS: the budget's sorted set. ARGV: now, limit, windowMs, spacingMs, member (unique).
 * Returns {1, 0} when granted, {0, waitMs} otherwise.
 */
export const RESERVE_SLOT = `
local now, limit, window, spacing = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local wait = 0
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then wait = math.max(wait, tonumber(last[2]) + spacing - now) end
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  wait = math.max(wait, tonumber(oldest[2]) + window - now)
end
if wait > 0 then return {0, string.format('%.0f', wait)} end
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[5])
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', window + spacing))
return {1, '0'}
`;
