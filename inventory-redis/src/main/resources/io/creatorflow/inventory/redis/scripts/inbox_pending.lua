-- EventInbox.pending, one tenant: the oldest unprocessed events, plus every event sharing the last
-- received ms so that the JVM can order and cut the merged result exactly. O(log N + limit + ties).
-- KEYS: 1 event records, 2 payloads, 3 pending index.
-- ARGV: 1 limit.
-- Reply: {{record json, ...}, {payload, ...}}
local found = redis.call('ZRANGE', KEYS[3], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local refs, seen = {}, {}
for i = 1, #found, 2 do
  refs[#refs + 1] = found[i]
  seen[found[i]] = true
end
if #found > 0 then
  local last = found[#found]
  for _, ref in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], last, last)) do
    if not seen[ref] then
      refs[#refs + 1] = ref
    end
  end
end
if #refs == 0 then
  return {{}, {}}
end
local records = redis.call('HMGET', KEYS[1], unpack(refs))
local payloads = redis.call('HMGET', KEYS[2], unpack(refs))
local outRecords, outPayloads = {}, {}
for i = 1, #refs do
  if records[i] and payloads[i] then
    outRecords[#outRecords + 1] = records[i]
    outPayloads[#outPayloads + 1] = payloads[i]
  end
end
return {outRecords, outPayloads}
