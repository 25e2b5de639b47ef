-- LeaseStore.tryAcquire. Lease time is the caller's clock (time keys), never Redis' own, so a
-- lease behaves the same under an injected clock; the key itself never expires.
-- KEYS: 1 the lease hash (o = owner, x = expiry time key).
-- ARGV: 1 owner (encoded), 2 now (time key), 3 expiry (time key).
-- Reply: 1 if the owner holds the lease now, else 0.
local current = redis.call('HMGET', KEYS[1], 'o', 'x')
if (not current[1]) or current[1] == ARGV[1] or current[2] <= ARGV[2] then
  redis.call('HSET', KEYS[1], 'o', ARGV[1], 'x', ARGV[3])
  return 1
end
return 0
