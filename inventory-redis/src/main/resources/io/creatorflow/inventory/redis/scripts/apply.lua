-- StockStore.apply for a batch of one or more mutations of one tenant (group commit). They are
-- applied one after the other, each with exactly the outcome it would have alone: its own guards,
-- ledger rows, order and idempotency record, and its own reply. One script, so the batch is atomic.
-- KEYS: 1 meta, 2 orders, 3 tenant ledger index, 4 ledger rows, 5 alerts, 6 open alerts, 7 pending
--       deliveries, then each key the batch needs once: records (idempotency record or retransmit
--       guard) and SKUs (the SKU hash immediately followed by the SKU's ledger index).
-- ARGV: 1 mutation count, 2 ledger max rows per sku (0 = all), 3 idempotency record ttl ms (0 =
--       keep), 4 retransmit guard ttl ms, then per mutation 4 + 2c arguments:
--       +0 'at atMs mode record expectedVersion threshold hysteresis cutoff c', space-separated:
--          at (time key), at (epoch ms), mode ('K' idempotency key, 'G' retransmit guard, '-'),
--          record key index ('0' = none), expected order version, default threshold, hysteresis,
--          ledger cutoff time key ('-' = none), change count c;
--       +1 fingerprint, +2 order id ('' = none, encoded), +3 order body json;
--       then per change: 'sku type onHandDelta reservedDelta expectedOnHand' (SKU hash key index,
--       type code, deltas, expected on hand or '-'), and the ledger row json without its closing
--       fields.
-- Reply: one entry per mutation, in order:
--        {'A', ordinal ('' without alert events), 'id onHandBefore onHandAfter reservedBefore
--         reservedAfter ...' (space-separated, per change), {alert json, ...}, 'version created'
--         of the order ('' = no order)}
--      | {'P', fingerprint, rows joined by \n, current order value}
--      | {'R', reason, change index (0 = none), current order value, onHand, reserved, version,
--         updatedAt}
--
-- Reads go through the tables below, so each mutation sees what the ones before it did. Writes are
-- buffered and made by flush() after the last mutation (after every mutation while a ledger
-- retention trims rows), so nothing is written before every outcome is known. Alert transitions
-- are the exception: they are written when they happen (they are rare and read each other).
local n, maxPerSku = tonumber(ARGV[1]), tonumber(ARGV[2])
local ttls = { K = tonumber(ARGV[3]), G = tonumber(ARGV[4]) }

local skus = {}          -- SKU key index -> {oh, rs, lv, lu, bo, th, lo, oo, sk} (numbers for oh, rs, lv) | false
local dirtySkus, dirtySku = {}, {}     -- SKU key indexes whose level changed, in first-change order; as a set
local orders = {}        -- order id -> order value | false
local dirtyOrders, dirtyOrder = {}, {} -- order ids written, in first-write order; as a set
local records = {}       -- record key index -> {fingerprint, order id | false, rows} (K) | reply json (G) | false
local recordWrites = {}  -- {key index, mode} in order
local rows, members = {}, {}          -- flat id, row / id, index member pairs
local skuMembers, skuIndexes = {}, {} -- SKU key index -> flat id, member pairs; those indexes in order
local mseq = nil         -- the last movement id given out
local ordinal = nil

-- redis.call(cmd, key, list...) in chunks of 1000 arguments (unpack has a stack limit); pairs stay whole.
local function bulk(cmd, key, list)
  local size = #list
  local from = 1
  while from <= size do
    local to = math.min(from + 999, size)
    redis.call(cmd, key, unpack(list, from, to))
    from = to + 1
  end
end

local function flush()
  for _, i in ipairs(dirtySkus) do
    local f = skus[i]
    redis.call('HSET', KEYS[i], 'oh', fmt(f[1]), 'rs', fmt(f[2]), 'lv', fmt(f[3]), 'lu', f[4])
  end
  dirtySkus, dirtySku = {}, {}
  if #rows > 0 then
    bulk('HSET', KEYS[4], rows)
    bulk('ZADD', KEYS[3], members)
    for _, i in ipairs(skuIndexes) do
      bulk('ZADD', KEYS[i + 1], skuMembers[i])
    end
    redis.call('HSET', KEYS[1], 'mseq', fmt(mseq))
    rows, members, skuMembers, skuIndexes = {}, {}, {}, {}
  end
  if #dirtyOrders > 0 then
    local flat = {}
    for _, id in ipairs(dirtyOrders) do
      flat[#flat + 1] = id
      flat[#flat + 1] = orders[id]
    end
    bulk('HSET', KEYS[2], flat)
    dirtyOrders, dirtyOrder = {}, {}
  end
  for _, w in ipairs(recordWrites) do
    local key, r, ttl = KEYS[w[1]], records[w[1]], ttls[w[2]]
    if w[2] == 'K' then
      if r[2] then
        redis.call('HSET', key, 'f', r[1], 'o', r[2], 'm', r[3])
      else
        redis.call('HSET', key, 'f', r[1], 'm', r[3])
      end
      if ttl > 0 then
        redis.call('PEXPIRE', key, ttl)
      end
    else
      redis.call('SET', key, r, 'PX', ttl)
    end
  end
  recordWrites = {}
end

local function level(i)
  local f = skus[i]
  if f == nil then
    f = redis.call('HMGET', KEYS[i], 'oh', 'rs', 'lv', 'lu', 'bo', 'th', 'lo', 'oo', 'sk')
    if f[1] then
      f[1], f[2], f[3] = tonumber(f[1]), tonumber(f[2]), tonumber(f[3])
    else
      f = false
    end
    skus[i] = f
  end
  return f
end

local function order_value(id)
  local v = orders[id]
  if v == nil then
    v = redis.call('HGET', KEYS[2], id)
    orders[id] = v
  end
  return v
end

local function record(i, mode)
  local r = records[i]
  if r == nil then
    if mode == 'K' then
      r = redis.call('HMGET', KEYS[i], 'f', 'o', 'm')
      if not r[1] then
        r = false
      end
    else
      r = redis.call('GET', KEYS[i])
    end
    records[i] = r
  end
  return r
end

-- Reads each mutation's header, then in bulk what the batch will look at: whether any record
-- exists, and every order.
local heads = {}
do
  local p = 5
  local recordKeys, orderIds, seen = {}, {}, {}
  for m = 1, n do
    local at, atMs, mode, ri, ev, th, hy, cutoff, c = string.match(ARGV[p],
        '^(%d+) (%-?%d+) (%S+) (%d+) (%d+) (%-?%d+) (%-?%d+) (%S+) (%d+)$')
    ri, c = tonumber(ri), tonumber(c)
    heads[m] = { p = p, at = at, atMs = atMs, mode = mode, ri = ri, version = tonumber(ev),
      threshold = tonumber(th), hysteresis = tonumber(hy), cutoff = cutoff ~= '-' and cutoff or '', c = c }
    if ri > 0 and not seen[ri] then
      seen[ri] = true
      recordKeys[#recordKeys + 1] = KEYS[ri]
    end
    local id = ARGV[p + 2]
    if id ~= '' and orders[id] == nil then
      orders[id] = false
      orderIds[#orderIds + 1] = id
    end
    p = p + 4 + 2 * c
  end
  local existing = 0
  for from = 1, #recordKeys, 1000 do
    existing = existing + redis.call('EXISTS', unpack(recordKeys, from, math.min(from + 999, #recordKeys)))
  end
  if existing == 0 then
    for ri in pairs(seen) do
      records[ri] = false
    end
  end
  for from = 1, #orderIds, 1000 do
    local to = math.min(from + 999, #orderIds)
    local values = redis.call('HMGET', KEYS[2], unpack(orderIds, from, to))
    for j = from, to do
      orders[orderIds[j]] = values[j - from + 1]
    end
  end
end

local function apply_one(h)
  local p, at, mode, ri, c = h.p, h.at, h.mode, h.ri, h.c

  if mode == 'G' then
    local previous = record(ri, 'G')
    if previous then
      return cjson.decode(previous)
    end
  elseif mode == 'K' then
    local r = record(ri, 'K')
    if r then
      local order = ''
      if r[2] then
        order = order_value(r[2]) or ''
      end
      return {'P', r[1], r[3] or '', order}
    end
  end

  local orderId = ARGV[p + 2]
  local orderCreated, orderVersion = at, 0
  if orderId ~= '' then
    local current = order_value(orderId)
    if current then
      local v, created = string.match(current, '^(%d+)|(%d+)|')
      orderVersion = tonumber(v)
      orderCreated = created
    end
    if orderVersion ~= h.version then
      return {'R', 'ORDER_VERSION_MISMATCH', '0', current or ''}
    end
  end

  local changes = {}
  for i = 1, c do
    local si, tc, ohd, rsd, expected = string.match(ARGV[p + 2 + 2 * i], '^(%d+) (%S+) (%-?%d+) (%-?%d+) (%S+)$')
    si = tonumber(si)
    local f = level(si)
    if not f then
      return {'R', 'UNKNOWN_SKU', fmt(i), ''}
    end
    changes[i] = { si = si, tc = tc, ohd = tonumber(ohd), rsd = tonumber(rsd), expected = expected, f = f,
      row = ARGV[p + 3 + 2 * i] }
  end

  -- LineChange.check, mirrored exactly.
  for i = 1, c do
    local ch = changes[i]
    local f = ch.f
    local onHand, reserved = f[1], f[2]
    local ohd, rsd = ch.ohd, ch.rsd
    local reason = nil
    if ch.expected ~= '-' and tonumber(ch.expected) ~= onHand then
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
      return {'R', reason, fmt(i), '', fmt(onHand), fmt(reserved), fmt(f[3]), f[4]}
    end
  end

  local ctx = { meta = KEYS[1], al = KEYS[5], ao = KEYS[6], adp = KEYS[7], at = at, atMs = h.atMs, events = {} }
  if mseq == nil then
    mseq = tonumber(redis.call('HGET', KEYS[1], 'mseq') or '0')
  end
  local numbers, made = {}, {}
  for i = 1, c do
    local ch = changes[i]
    local si, f = ch.si, ch.f
    local onHand, reserved = f[1], f[2]
    local newOnHand, newReserved = onHand + ch.ohd, reserved + ch.rsd
    if not dirtySku[si] then
      dirtySku[si] = true
      dirtySkus[#dirtySkus + 1] = si
    end
    f[1], f[2], f[3], f[4] = newOnHand, newReserved, f[3] + 1, at
    mseq = mseq + 1
    local id, ob, oa, rb, ra = fmt(mseq), fmt(onHand), fmt(newOnHand), fmt(reserved), fmt(newReserved)
    local row = ch.row .. ',"id":' .. id .. ',"ob":' .. ob .. ',"oa":' .. oa .. ',"rb":' .. rb .. ',"ra":' .. ra .. '}'
    local member = id .. '|' .. ch.tc .. '|' .. at
    rows[#rows + 1] = id
    rows[#rows + 1] = row
    members[#members + 1] = id
    members[#members + 1] = member
    local sm = skuMembers[si]
    if sm == nil then
      sm = {}
      skuMembers[si] = sm
      skuIndexes[#skuIndexes + 1] = si
    end
    sm[#sm + 1] = id
    sm[#sm + 1] = member
    made[i] = row
    numbers[i] = id .. ' ' .. ob .. ' ' .. oa .. ' ' .. rb .. ' ' .. ra
    local threshold = h.threshold
    if f[6] then
      threshold = tonumber(f[6])
    end
    f[7], f[8] = apply_rule(ctx, KEYS[si], f[9], threshold, newOnHand - newReserved, f[7], f[8], h.hysteresis)
  end

  local order = ''
  if orderId ~= '' then
    local version = fmt(orderVersion + 1)
    if not dirtyOrder[orderId] then
      dirtyOrder[orderId] = true
      dirtyOrders[#dirtyOrders + 1] = orderId
    end
    orders[orderId] = version .. '|' .. orderCreated .. '|' .. at .. '|' .. ARGV[p + 3]
    order = version .. ' ' .. orderCreated
  end

  local alertOrdinal = ''
  if #ctx.events > 0 then
    if ordinal == nil then
      ordinal = tenant_ordinal(KEYS[1])
    end
    alertOrdinal = ordinal
  end
  local reply = {'A', alertOrdinal, table.concat(numbers, ' '), ctx.events, order}

  if mode == 'K' then
    records[ri] = {ARGV[p + 1], orderId ~= '' and orderId, table.concat(made, '\n')}
    recordWrites[#recordWrites + 1] = {ri, 'K'}
  elseif mode == 'G' then
    records[ri] = cjson.encode(reply)
    recordWrites[#recordWrites + 1] = {ri, 'G'}
  end

  if maxPerSku > 0 or h.cutoff ~= '' then
    flush()
    for i = 1, c do
      trim_ledger(KEYS[changes[i].si + 1], KEYS[3], KEYS[4], maxPerSku, h.cutoff, 64)
    end
  end
  return reply
end

local replies = {}
for m = 1, n do
  replies[m] = apply_one(heads[m])
end
flush()
return replies
