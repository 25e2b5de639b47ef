-- EventInbox.complete: processed, or one more failed attempt of an event not yet processed
-- (processed is final: a late failure from another worker changes nothing).
-- KEYS: 1 event records, 2 payloads, 3 pending index, 4 processed index.
-- ARGV: 1 event ref, 2 '1' if failed, 3 error (encoded), 4 at ms, 5 processed-event retention ms
--       (0 = keep).
-- Reply: 1 if the event exists, else 0.
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  return 0
end
local e = cjson.decode(raw)
if ARGV[2] == '1' then
  if e.x == '1' then
    return 1
  end
  e.n = fmt(tonumber(e.n) + 1)
  e.e = ARGV[3]
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
else
  e.x = '1'
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
  redis.call('ZREM', KEYS[3], ARGV[1])
  if tonumber(ARGV[5]) > 0 then
    redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
  end
end
return 1
