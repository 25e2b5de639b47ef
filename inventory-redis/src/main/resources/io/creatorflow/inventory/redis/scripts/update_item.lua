-- StockStore.updateItem: new definition and the alert rule, in one step.
-- KEYS: 1 meta, 2 SKU hash, 3 listing index, 4 alerts, 5 open alerts, 6 pending deliveries.
-- ARGV: 1 sku (encoded), 2 definition json, 3 threshold ('' = none), 4 allow backorder,
--       5 lower-case name, 6 lower-case sku, 7 at (time key), 8 at (epoch ms),
--       9 default threshold, 10 hysteresis, 11.. listing fields.
-- Reply: {'M'} | {'C', field, owner} | {'U', ordinal, hash, {alert json, ...}}
local meta, skuKey, listingIndex = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', skuKey) == 0 then
  return {'M'}
end
local member = ARGV[1]
local listings = {}
for i = 11, #ARGV do
  local owner = redis.call('HGET', listingIndex, ARGV[i])
  if owner and owner ~= member then
    return {'C', ARGV[i], owner}
  end
  listings[#listings + 1] = ARGV[i]
end
for _, field in ipairs(split(redis.call('HGET', skuKey, 'lf'), '\n')) do
  if redis.call('HGET', listingIndex, field) == member then
    redis.call('HDEL', listingIndex, field)
  end
end
for _, field in ipairs(listings) do
  redis.call('HSET', listingIndex, field, member)
end
local at = ARGV[7]
redis.call('HSET', skuKey, 'd', ARGV[2], 'bo', ARGV[4], 'qn', ARGV[5], 'qs', ARGV[6],
    'lf', table.concat(listings, '\n'), 'u', at)
redis.call('HINCRBY', skuKey, 'v', 1)
if ARGV[3] ~= '' then
  redis.call('HSET', skuKey, 'th', ARGV[3])
else
  redis.call('HDEL', skuKey, 'th')
end
local f = redis.call('HMGET', skuKey, 'oh', 'rs', 'th', 'lo', 'oo')
local threshold = tonumber(ARGV[9])
if f[3] then
  threshold = tonumber(f[3])
end
local ctx = { meta = meta, al = KEYS[4], ao = KEYS[5], adp = KEYS[6], at = at, atMs = ARGV[8], events = {} }
apply_rule(ctx, skuKey, member, threshold, tonumber(f[1]) - tonumber(f[2]), f[4], f[5], tonumber(ARGV[10]))
return {'U', tenant_ordinal(meta), redis.call('HGETALL', skuKey), ctx.events}
