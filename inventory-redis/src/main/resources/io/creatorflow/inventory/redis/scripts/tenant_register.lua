-- The tenant registry (in the store-wide {g} slot): gives each tenant a stable ordinal, which
-- makes alert ids unique across the store, and lists tenants for the store-wide sweeps
-- (pendingDeliveries, EventInbox.pending).
-- KEYS: 1 tenants hash (encoded tenant -> ordinal), 2 ordinal counter.
-- ARGV: 1 tenant (encoded), 2 ordinal to record ('' = look up or assign).
-- Reply: the tenant's ordinal.
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
  if counter < tonumber(ARGV[2]) then
    redis.call('SET', KEYS[2], ARGV[2])
  end
  return ARGV[2]
end
local ordinal = redis.call('HGET', KEYS[1], ARGV[1])
if ordinal then
  return ordinal
end
ordinal = fmt(redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], ARGV[1], ordinal)
return ordinal
