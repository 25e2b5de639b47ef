-- StockStore.recordDelivery.
-- KEYS: 1 meta, 2 alerts, 3 pending deliveries.
-- ARGV: 1 ordinal, 2 alert sequence, 3 notification, 4 delivery state, 5 attempts.
-- Reply: 1 recorded, 0 not (unknown alert, or a newer notification).
if tenant_ordinal(KEYS[1]) ~= ARGV[1] then
  return 0
end
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then
  return 0
end
local a = cjson.decode(raw)
if a.n ~= ARGV[3] then
  return 0
end
a.d = ARGV[4]
a.na = ARGV[5]
alert_store(KEYS[2], a)
if a.d == 'PENDING' then
  redis.call('ZADD', KEYS[3], a.rm, a.id)
else
  redis.call('ZREM', KEYS[3], a.id)
end
return 1
