// Lua for the Redis governor: each check-and-charge runs as one script so every process on the
// box sees one counter and two workers can never both take the last slot of a window.

// Epoch milliseconds need 13 digits; "%.0f" prints them exactly (tostring would use %.14g).
const PRELUDE = `
local function s(x) return string.format('%.0f', x) end
local function n(x) return tonumber(x) or 0 end
`;

/** KEYS: ip hash, ip set. ARGV: ip, now, weight, budget. Returns {ok, waitMs, reason}. */
export const ACQUIRE_WEIGHT = `${PRELUDE}
local now, weight, budget = n(ARGV[2]), n(ARGV[3]), n(ARGV[4])
local win = now - (now % 60000)
redis.call('SADD', KEYS[2], ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'win', 'used', 'waits', 'paused', 'banned')
local used, waits = 0, 0
if n(h[1]) == win then used, waits = n(h[2]), n(h[3]) end
local paused, banned = n(h[4]), n(h[5])
local wait, reason = 0, ''
if banned > now then wait, reason = banned - now, 'banned'
elseif paused > now then wait, reason = paused - now, 'paused'
elseif used > 0 and used + weight > budget then wait, reason = win + 60000 - now, 'weight' end
if reason ~= '' then waits = waits + 1 else used = used + weight end
redis.call('HSET', KEYS[1], 'win', s(win), 'used', s(used), 'waits', s(waits))
redis.call('PEXPIRE', KEYS[1], s(math.max(win + 60000, paused, banned) + 60000 - now))
if reason ~= '' then return {0, s(wait), reason} end
return {1, '0', 'ok'}
`;

/** KEYS: ip hash, ip set. ARGV: ip, now, usedWeight1m. Raises our count to the exchange's, never lowers it. */
export const OBSERVE_WEIGHT = `${PRELUDE}
local now, seen = n(ARGV[2]), n(ARGV[3])
local win = now - (now % 60000)
redis.call('SADD', KEYS[2], ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'win', 'used', 'waits', 'paused', 'banned')
local used, waits = 0, 0
if n(h[1]) == win then used, waits = n(h[2]), n(h[3]) end
redis.call('HSET', KEYS[1], 'win', s(win), 'used', s(math.max(used, seen)), 'waits', s(waits))
redis.call('PEXPIRE', KEYS[1], s(math.max(win + 60000, n(h[4]), n(h[5])) + 60000 - now))
return 1
`;

/** KEYS: ip hash, ip set. ARGV: ip, now, field ('paused' | 'banned'), until. Keeps the later deadline. */
export const BLOCK_IP = `${PRELUDE}
local now, untilAt = n(ARGV[2]), n(ARGV[4])
redis.call('SADD', KEYS[2], ARGV[1])
local current = n(redis.call('HGET', KEYS[1], ARGV[3]))
local at = math.max(current, untilAt)
redis.call('HSET', KEYS[1], ARGV[3], s(at))
local h = redis.call('HMGET', KEYS[1], 'paused', 'banned')
redis.call('PEXPIRE', KEYS[1], s(math.max(now - (now % 60000) + 60000, n(h[1]), n(h[2])) + 60000 - now))
return 1
`;

// An account's order windows (10 s and 1 min, with the minute's wait count): read at the start of
// both order scripts, written back at their end.
const LOAD_ORDER_WINDOWS = `
local w10, w60 = now - (now % 10000), now - (now % 60000)
redis.call('SADD', KEYS[2], ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'w10', 'u10', 'w60', 'u60', 'waits')
local u10, u60, waits = 0, 0, 0
if n(h[1]) == w10 then u10 = n(h[2]) end
if n(h[3]) == w60 then u60, waits = n(h[4]), n(h[5]) end`;
const STORE_ORDER_WINDOWS = `
redis.call('HSET', KEYS[1], 'w10', s(w10), 'u10', s(u10), 'w60', s(w60), 'u60', s(u60), 'waits', s(waits))
redis.call('PEXPIRE', KEYS[1], s(w60 + 120000 - now))`;

/** KEYS: account hash, account set. ARGV: account, now, count, budget10s, budget1m. Returns {ok, waitMs, reason}. */
export const ACQUIRE_ORDERS = `${PRELUDE}
local now, count, b10, b60 = n(ARGV[2]), n(ARGV[3]), n(ARGV[4]), n(ARGV[5])
${LOAD_ORDER_WINDOWS}
local wait, reason = 0, ''
if u60 > 0 and u60 + count > b60 then wait, reason = w60 + 60000 - now, 'orders-1m'
elseif u10 > 0 and u10 + count > b10 then wait, reason = w10 + 10000 - now, 'orders-10s' end
if reason ~= '' then waits = waits + 1 else u10, u60 = u10 + count, u60 + count end
${STORE_ORDER_WINDOWS}
if reason ~= '' then return {0, s(wait), reason} end
return {1, '0', 'ok'}
`;

/** KEYS: account hash, account set. ARGV: account, now, count10s ('' = unknown), count1m. */
export const OBSERVE_ORDERS = `${PRELUDE}
local now = n(ARGV[2])
${LOAD_ORDER_WINDOWS}
if ARGV[3] ~= '' then u10 = math.max(u10, n(ARGV[3])) end
if ARGV[4] ~= '' then u60 = math.max(u60, n(ARGV[4])) end
${STORE_ORDER_WINDOWS}
return 1
`;
