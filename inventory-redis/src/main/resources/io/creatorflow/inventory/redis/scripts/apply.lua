-- StockStore.apply: one mutation, all or nothing.
-- KEYS: 1 meta, 2 idempotency record (or transport-guard record, or an unused key of the slot),
--       3 orders, 4 tenant ledger index, 5 ledger rows, 6 alerts, 7 open alerts, 8 pending
--       deliveries, then per change i: 8+2i-1 the SKU hash, 8+2i the SKU ledger index.
-- ARGV: 1 at (time key), 2 at (epoch ms), 3 mode ('K' idempotency key, 'G' transport guard, ''),
--       4 fingerprint, 5 record ttl ms (0 = keep), 6 order id ('' = none, encoded),
--       7 expected order version, 8 order body json, 9 default threshold, 10 hysteresis,
--       11 ledger max rows per sku (0 = all), 12 ledger cutoff time key ('' = none), 13 change
--       count, then per change i (base 13+5(i-1)): type code, on-hand delta, reserved delta,
--       expected on hand ('' = none), ledger row json without its closing fields.
-- Reply: {'A', ordinal, {id, onHandBefore, onHandAfter, reservedBefore, reservedAfter, ...},
--         {alert json, ...}, order value}
--      | {'P', fingerprint, rows joined by \n, current order value}
--      | {'R', reason, change index (0 = none), current order value, onHand, reserved, version,
--         updatedAt}
local at, atMs, mode = ARGV[1], ARGV[2], ARGV[3]
local n = tonumber(ARGV[13])

if mode == 'G' then
  local previous = redis.call('GET', KEYS[2])
  if previous then
    return cjson.decode(previous)
  end
elseif mode == 'K' then
  local record = redis.call('HMGET', KEYS[2], 'f', 'o', 'm')
  if record[1] then
    local order = ''
    if record[2] then
      order = redis.call('HGET', KEYS[3], record[2]) or ''
    end
    return {'P', record[1], record[3] or '', order}
  end
end

local orderId = ARGV[6]
local orderCreated = at
local orderVersion = 0
if orderId ~= '' then
  local current = redis.call('HGET', KEYS[3], orderId)
  if current then
    local v, c = string.match(current, '^(%d+)|(%d+)|')
    orderVersion = tonumber(v)
    orderCreated = c
  end
  if orderVersion ~= tonumber(ARGV[7]) then
    return {'R', 'ORDER_VERSION_MISMATCH', '0', current or ''}
  end
end

local levels = {}
for i = 1, n do
  local f = redis.call('HMGET', KEYS[7 + 2 * i], 'oh', 'rs', 'lv', 'lu', 'bo', 'th', 'lo', 'oo', 'sk')
  if not f[1] then
    return {'R', 'UNKNOWN_SKU', fmt(i), ''}
  end
  levels[i] = f
end

-- LineChange.check, mirrored exactly.
for i = 1, n do
  local base = 13 + 5 * (i - 1)
  local f = levels[i]
  local onHand, reserved = tonumber(f[1]), tonumber(f[2])
  local ohd, rsd, expected = tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3]), ARGV[base + 4]
  local reason = nil
  if expected ~= '' and tonumber(expected) ~= onHand then
    reason = 'EXPECTED_ON_HAND_MISMATCH'
  else
    local newOnHand, newReserved = onHand + ohd, reserved + rsd
    if newReserved < 0 or (newOnHand < 0 and ohd < 0) then
      reason = 'INSUFFICIENT_STOCK'
    elseif f[5] ~= '1' then
      local available, newAvailable = onHand - reserved, newOnHand - newReserved
      if newAvailable < 0 and newAvailable < available then
        reason = 'INSUFFICIENT_STOCK'
      end
    end
  end
  if reason then
    return {'R', reason, fmt(i), '', f[1], f[2], f[3], f[4]}
  end
end

local ctx = { meta = KEYS[1], al = KEYS[6], ao = KEYS[7], adp = KEYS[8], at = at, atMs = atMs, events = {} }
local defaultThreshold, hysteresis = tonumber(ARGV[9]), tonumber(ARGV[10])
local maxPerSku, cutoff = tonumber(ARGV[11]), ARGV[12]
local firstId = redis.call('HINCRBY', KEYS[1], 'mseq', n) - n
local results, rows = {}, {}
for i = 1, n do
  local base = 13 + 5 * (i - 1)
  local f = levels[i]
  local skuKey, skuIndex = KEYS[7 + 2 * i], KEYS[8 + 2 * i]
  local onHand, reserved = tonumber(f[1]), tonumber(f[2])
  local newOnHand, newReserved = onHand + tonumber(ARGV[base + 2]), reserved + tonumber(ARGV[base + 3])
  local id = fmt(firstId + i)
  redis.call('HSET', skuKey, 'oh', fmt(newOnHand), 'rs', fmt(newReserved), 'lv', fmt(tonumber(f[3]) + 1), 'lu', at)
  local row = ARGV[base + 5] .. ',"id":' .. id .. ',"ob":' .. f[1] .. ',"oa":' .. fmt(newOnHand)
      .. ',"rb":' .. f[2] .. ',"ra":' .. fmt(newReserved) .. '}'
  local member = id .. '|' .. ARGV[base + 1] .. '|' .. at
  redis.call('HSET', KEYS[5], id, row)
  redis.call('ZADD', KEYS[4], id, member)
  redis.call('ZADD', skuIndex, id, member)
  if maxPerSku > 0 or cutoff ~= '' then
    trim_ledger(skuIndex, KEYS[4], KEYS[5], maxPerSku, cutoff, 64)
  end
  rows[i] = row
  results[#results + 1] = id
  results[#results + 1] = f[1]
  results[#results + 1] = fmt(newOnHand)
  results[#results + 1] = f[2]
  results[#results + 1] = fmt(newReserved)
  local threshold = defaultThreshold
  if f[6] then
    threshold = tonumber(f[6])
  end
  apply_rule(ctx, skuKey, f[9], threshold, newOnHand - newReserved, f[7], f[8], hysteresis)
end

local orderValue = ''
if orderId ~= '' then
  orderValue = fmt(orderVersion + 1) .. '|' .. orderCreated .. '|' .. at .. '|' .. ARGV[8]
  redis.call('HSET', KEYS[3], orderId, orderValue)
end

local ordinal = ''
if #ctx.events > 0 then
  ordinal = tenant_ordinal(KEYS[1])
end
local reply = {'A', ordinal, results, ctx.events, orderValue}

local ttl = tonumber(ARGV[5])
if mode == 'K' then
  if orderId ~= '' then
    redis.call('HSET', KEYS[2], 'f', ARGV[4], 'o', orderId, 'm', table.concat(rows, '\n'))
  else
    redis.call('HSET', KEYS[2], 'f', ARGV[4], 'm', table.concat(rows, '\n'))
  end
  if ttl > 0 then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
elseif mode == 'G' then
  redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl)
end
return reply
