-- StockStore.forEachMovement, one chunk: rows of one SKU with ids in (after, upTo], oldest first.
-- KEYS: 1 SKU ledger index, 2 ledger rows.
-- ARGV: 1 after id (exclusive), 2 up to id ('' = the current newest), 3 count.
-- Reply: {upTo, {row, ...}}
local index, rows = KEYS[1], KEYS[2]
local upTo = ARGV[2]
if upTo == '' then
  local newest = redis.call('ZREVRANGE', index, 0, 0, 'WITHSCORES')
  if #newest == 0 then
    return {'0', {}}
  end
  upTo = newest[2]
end
local ids = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', index, '(' .. ARGV[1], upTo, 'LIMIT', 0, tonumber(ARGV[3]))) do
  ids[#ids + 1] = string.match(m, '^(%d+)|')
end
local page = {}
if #ids > 0 then
  for _, row in ipairs(redis.call('HMGET', rows, unpack(ids))) do
    if row then
      page[#page + 1] = row
    end
  end
end
return {upTo, page}
