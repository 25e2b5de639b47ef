-- StockStore.registerItem.
-- KEYS: 1 meta, 2 SKU hash, 3 catalog index, 4 listing index.
-- ARGV: 1 tenant ordinal offered by the registry, 2 sku (encoded), 3 definition json,
--       4 threshold ('' = none), 5 allow backorder ('1'/'0'), 6 lower-case name, 7 lower-case sku,
--       8 at (time key), 9.. listing fields.
-- Reply: {kind, ordinal, fresh, ...}: {'E', o, f, existing hash} | {'N', o, f, new hash} |
--        {'C', o, f, field, owner}; fresh is '1' if this call recorded the tenant's ordinal in its
--        meta hash (a new tenant, or one whose data Redis lost), so the registry must be re-checked.
local meta, skuKey, catalog, listingIndex = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ordinal = redis.call('HGET', meta, 'ord')
local fresh = ''
if not ordinal then
  redis.call('HSET', meta, 'ord', ARGV[1])
  ordinal = ARGV[1]
  fresh = '1'
end
if redis.call('EXISTS', skuKey) == 1 then
  return {'E', ordinal, fresh, redis.call('HGETALL', skuKey)}
end
local member = ARGV[2]
local listings = {}
for i = 9, #ARGV do
  local owner = redis.call('HGET', listingIndex, ARGV[i])
  if owner and owner ~= member then
    return {'C', ordinal, fresh, ARGV[i], owner}
  end
  listings[#listings + 1] = ARGV[i]
end
local at = ARGV[8]
redis.call('HSET', skuKey, 'sk', member, 'd', ARGV[3], 'bo', ARGV[5], 'qn', ARGV[6], 'qs', ARGV[7],
    'lf', table.concat(listings, '\n'), 'v', '1', 'c', at, 'u', at, 'oh', '0', 'rs', '0', 'lv', '0', 'lu', at)
if ARGV[4] ~= '' then
  redis.call('HSET', skuKey, 'th', ARGV[4])
end
redis.call('ZADD', catalog, 0, member)
for _, field in ipairs(listings) do
  redis.call('HSET', listingIndex, field, member)
end
return {'N', ordinal, fresh, redis.call('HGETALL', skuKey)}
