-- StockStore.replay: what apply would replay for an idempotency key.
-- KEYS: 1 idempotency record, 2 orders.
-- Reply: {} | {fingerprint, rows joined by \n, current order value}
local record = redis.call('HMGET', KEYS[1], 'f', 'o', 'm')
if not record[1] then
  return {}
end
local order = ''
if record[2] then
  order = redis.call('HGET', KEYS[2], record[2]) or ''
end
return {record[1], record[3] or '', order}
