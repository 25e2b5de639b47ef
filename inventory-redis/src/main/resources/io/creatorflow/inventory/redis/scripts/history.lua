-- StockStore.history: ledger rows newest first (by movement id), filtered, with the true total.
-- Unfiltered: O(log N + page). With a type or time filter: one pass over the index, O(N), reading
-- only index members ("<id>|<type code>|<time key>"), never rows that are not on the page.
-- KEYS: 1 ledger index (tenant or SKU), 2 ledger rows.
-- ARGV: 1 type codes ('' = all), 2 from time key ('' = none), 3 to time key ('' = none),
--       4 offset, 5 limit.
-- Reply: {total, {row, row, ...}}
local index, rows = KEYS[1], KEYS[2]
local types, from, to = ARGV[1], ARGV[2], ARGV[3]
local offset, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local ids = {}
local total
if types == '' and from == '' and to == '' then
  total = redis.call('ZCARD', index)
  for _, m in ipairs(redis.call('ZREVRANGE', index, offset, offset + limit - 1)) do
    ids[#ids + 1] = string.match(m, '^(%d+)|')
  end
else
  total = 0
  local position = 0
  local chunk = 1024
  while true do
    local members = redis.call('ZREVRANGE', index, position, position + chunk - 1)
    if #members == 0 then
      break
    end
    for _, m in ipairs(members) do
      local id, t, time = string.match(m, '^(%d+)|(%a)|(%d+)$')
      if (types == '' or string.find(types, t, 1, true))
          and (from == '' or time >= from) and (to == '' or time < to) then
        if total >= offset and #ids < limit then
          ids[#ids + 1] = id
        end
        total = total + 1
      end
    end
    position = position + chunk
  end
end
local page = {}
if #ids > 0 then
  for _, row in ipairs(redis.call('HMGET', rows, unpack(ids))) do
    if row then
      page[#page + 1] = row
    end
  end
end
return {total, page}
