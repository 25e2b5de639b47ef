-- StockStore.resolveAlert, second step: the JVM read the alert to learn its SKU; this re-checks
-- under the script's atomicity and resolves it if it is still open.
-- KEYS: 1 meta, 2 alerts, 3 open alerts, 4 pending deliveries, 5 the alert's SKU hash.
-- ARGV: 1 ordinal, 2 alert sequence, 3 at (time key), 4 at (epoch ms), 5 actor (encoded),
--       6 the alert's sku (encoded).
-- Reply: {} unknown | {'0', json} already resolved | {'1', json} resolved now
if tenant_ordinal(KEYS[1]) ~= ARGV[1] then
  return {}
end
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then
  return {}
end
local a = cjson.decode(raw)
if a.st ~= 'OPEN' then
  return {'0', raw}
end
if a.s ~= ARGV[6] then
  return redis.error_reply('inventory: alert ' .. ARGV[2] .. ' changed sku between reads')
end
local field = 'lo'
if a.k == 'OUT_OF_STOCK' then
  field = 'oo'
end
local ctx = { meta = KEYS[1], al = KEYS[2], ao = KEYS[3], adp = KEYS[4], at = ARGV[3], atMs = ARGV[4], events = {} }
alert_resolve(ctx, KEYS[5], field, ARGV[2], ARGV[5])
return {'1', ctx.events[1]}
