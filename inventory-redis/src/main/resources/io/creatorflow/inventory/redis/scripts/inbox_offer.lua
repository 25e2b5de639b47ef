-- EventInbox.offer: record an event unless the tenant has one with the same source and id.
-- KEYS: 1 event records, 2 payloads, 3 pending index (score = received ms), 4 processed index
--       (score = completion ms), 5 meta.
-- ARGV: 1 event ref, 2 record json, 3 payload (encoded), 4 received ms, 5 processed-event
--       retention ms (0 = keep), 6 now ms (for that retention), 7 tenant ordinal from the registry.
-- Reply: {recorded ('1' or '0'), ordinal, fresh ('1' if this call recorded the ordinal in meta)}.
local function trim_processed(events, payloads, processed, retention, now)
  if retention <= 0 then
    return
  end
  for _, ref in ipairs(redis.call('ZRANGEBYSCORE', processed, '-inf', '(' .. fmt(now - retention), 'LIMIT', 0, 100)) do
    redis.call('HDEL', events, ref)
    redis.call('HDEL', payloads, ref)
    redis.call('ZREM', processed, ref)
  end
end
local ordinal = redis.call('HGET', KEYS[5], 'ord')
local fresh = ''
if not ordinal then
  redis.call('HSET', KEYS[5], 'ord', ARGV[7])
  ordinal = ARGV[7]
  fresh = '1'
end
trim_processed(KEYS[1], KEYS[2], KEYS[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return {'0', ordinal, fresh}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return {'1', ordinal, fresh}
