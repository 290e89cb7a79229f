// Lua for the shared login throttle (web/admin/login-throttle.port.ts): checking every key and
// taking the reservation happen in one script, so two web processes (or two requests) can never
// both take the last attempt. In-flight checks are sorted-set members that expire after a lease,
// so a process that dies mid-check cannot leave a key busy for ever. Time comes from the caller.

/**
 * KEYS: the total in-flight set, then per throttle key its hash (f = failures, t = last attempt)
 * and its in-flight set. ARGV: now, freeFailures, firstDelayMs, maxDelayMs, forgetAfterMs,
 * maxChecksPerKey, slots, reservation id, leaseMs, busyRetryMs.
 * Returns {1, 'ok', '0'} when reserved, else {0, 'busy' | 'back-off', waitMs}.
 */
export const RESERVE_LOGIN = `
local now = tonumber(ARGV[1])
local free, first, maxd, forget = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local perKey, slots, id, lease = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9])
local function n(x) return string.format('%.0f', x) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', n(now))
if redis.call('ZCARD', KEYS[1]) >= slots then return {0, 'busy', ARGV[10]} end
local failures = {}
local wait = 0
for i = 2, #KEYS, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i + 1], '-inf', n(now))
  local busy = redis.call('ZCARD', KEYS[i + 1])
  if busy >= perKey then return {0, 'busy', ARGV[10]} end
  local f = tonumber(redis.call('HGET', KEYS[i], 'f') or '0')
  local t = tonumber(redis.call('HGET', KEYS[i], 't') or '0')
  if busy == 0 and f > 0 and now - t >= forget then f = 0 end
  failures[i] = f
  local over = f - free
  if over >= 0 then
    local w = t + math.min(first * 2 ^ math.min(over, 40), maxd) - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, 'back-off', n(wait)} end
for i = 2, #KEYS, 2 do
  redis.call('HSET', KEYS[i], 'f', n(failures[i] + 1), 't', n(now))
  redis.call('PEXPIRE', KEYS[i], n(forget))
  redis.call('ZADD', KEYS[i + 1], n(now + lease), id)
  redis.call('PEXPIRE', KEYS[i + 1], n(lease))
end
redis.call('ZADD', KEYS[1], n(now + lease), id)
redis.call('PEXPIRE', KEYS[1], n(lease))
return {1, 'ok', '0'}
`;

/**
 * KEYS as for RESERVE_LOGIN. ARGV: reservation id, '1' to refund the failure (a success) or '0'.
 * A reservation already settled (or expired) changes nothing, so settling twice cannot refund twice.
 */
export const SETTLE_LOGIN = `
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS, 2 do
  if redis.call('ZREM', KEYS[i + 1], ARGV[1]) == 1 and ARGV[2] == '1' and redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('HINCRBY', KEYS[i], 'f', -1)
  end
end
return 1
`;
