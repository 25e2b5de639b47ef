-- StockStore.itemByListing. Follows the listing index to the SKU hash; both are in the tenant's
-- slot (the SKU key is derived from KEYS[2], the tenant's SKU key prefix).
-- KEYS: 1 listing index, 2 SKU key prefix (never read itself).
-- ARGV: 1 listing field.
-- Reply: the SKU hash, or an empty list.
local member = redis.call('HGET', KEYS[1], ARGV[1])
if not member then
  return {}
end
return redis.call('HGETALL', KEYS[2] .. member)
