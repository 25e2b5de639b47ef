-- StockStore.openAlerts.
-- KEYS: 1 meta, 2 alerts, 3 open alerts (sorted by id), 4 the SKU hash ('' sku = whole tenant).
-- ARGV: 1 '1' for one SKU, '' for the tenant.
-- Reply: {ordinal, {alert json, ...}} oldest first.
local ids
if ARGV[1] == '1' then
  ids = {}
  local f = redis.call('HMGET', KEYS[4], 'lo', 'oo')
  for i = 1, 2 do
    if f[i] then
      ids[#ids + 1] = f[i]
    end
  end
  table.sort(ids, function(a, b) return tonumber(a) < tonumber(b) end)
else
  ids = redis.call('ZRANGE', KEYS[3], 0, -1)
end
local out = {}
if #ids > 0 then
  for _, json in ipairs(redis.call('HMGET', KEYS[2], unpack(ids))) do
    if json then
      out[#out + 1] = json
    end
  end
end
return {tenant_ordinal(KEYS[1]), out}
