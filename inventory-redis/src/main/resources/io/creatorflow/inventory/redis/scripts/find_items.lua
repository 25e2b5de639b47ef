-- StockStore.findItems: catalog rows sorted by SKU, filtered by status and text, with the true
-- total. Unfiltered: O(log N + page). Filtered: one pass over the tenant's catalog, O(N).
-- KEYS: 1 catalog index (sorted set, score 0, member = encoded sku), 2 SKU key prefix.
-- ARGV: 1 status ('' | 'IN_STOCK' | 'LOW_STOCK' | 'OUT_OF_STOCK'), 2 lower-case needle ('' = none),
--       3 default threshold, 4 offset, 5 limit.
-- Reply: {total, {hash, hash, ...}}
local catalog, prefix = KEYS[1], KEYS[2]
local status, needle = ARGV[1], ARGV[2]
local defaultThreshold, offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local page = {}
if status == '' and needle == '' then
  local total = redis.call('ZCARD', catalog)
  for _, member in ipairs(redis.call('ZRANGE', catalog, offset, offset + limit - 1)) do
    page[#page + 1] = redis.call('HGETALL', prefix .. member)
  end
  return {total, page}
end
local total = 0
local position = 0
local chunk = 512
while true do
  local members = redis.call('ZRANGE', catalog, position, position + chunk - 1)
  if #members == 0 then
    break
  end
  for _, member in ipairs(members) do
    local key = prefix .. member
    local f = redis.call('HMGET', key, 'qn', 'qs', 'oh', 'rs', 'th')
    local match = needle == '' or string.find(f[1], needle, 1, true) ~= nil
        or string.find(f[2], needle, 1, true) ~= nil
    if match and status ~= '' then
      local available = tonumber(f[3]) - tonumber(f[4])
      local threshold = defaultThreshold
      if f[5] then
        threshold = tonumber(f[5])
      end
      local s
      if available <= 0 then
        s = 'OUT_OF_STOCK'
      elseif available <= threshold then
        s = 'LOW_STOCK'
      else
        s = 'IN_STOCK'
      end
      match = s == status
    end
    if match then
      if total >= offset and #page < limit then
        page[#page + 1] = redis.call('HGETALL', key)
      end
      total = total + 1
    end
  end
  position = position + chunk
end
return {total, page}
