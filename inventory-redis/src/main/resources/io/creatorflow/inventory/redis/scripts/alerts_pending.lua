-- StockStore.pendingDeliveries, one tenant: alerts whose latest notification is pending and was
-- raised at or before a time. The index score is the raise time in epoch ms; the exact check uses
-- time keys, and the whole group sharing the last score is returned so that the JVM can order and
-- cut the merged result exactly. O(log N + limit + ties).
-- KEYS: 1 meta, 2 pending deliveries, 3 alerts.
-- ARGV: 1 raised-before time key, 2 raised-before epoch ms, 3 limit.
-- Reply: {ordinal, {alert json, ...}}
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local seen = {}
local list = {}
for i = 1, #ids, 2 do
  seen[ids[i]] = true
  list[#list + 1] = ids[i]
end
if #ids > 0 then
  local last = ids[#ids]
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], last, last)) do
    if not seen[id] then
      list[#list + 1] = id
    end
  end
end
local out = {}
if #list > 0 then
  for _, raw in ipairs(redis.call('HMGET', KEYS[3], unpack(list))) do
    if raw then
      local a = cjson.decode(raw)
      local raised = a.oa
      if a.n == 'RESOLVED' then
        raised = a.ra
      end
      if a.d == 'PENDING' and raised <= ARGV[1] then
        out[#out + 1] = raw
      end
    end
  end
end
return {tenant_ordinal(KEYS[1]), out}
