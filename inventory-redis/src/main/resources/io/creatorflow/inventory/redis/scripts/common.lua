-- Shared helpers of the inventory Redis store. The store prepends this file to every script, so each
-- script stays one self-contained EVALSHA. Conventions:
--   * every number that leaves a script or is written to Redis goes through fmt() (exact integers;
--     tostring() would switch to exponent notation past 1e14);
--   * times are 27-digit "time keys" (see TimeKeys.java) that sort like the instants they encode,
--     plus epoch milliseconds where a sorted-set score is needed;
--   * free text inside cjson records is pre-encoded by the JVM (KeyCodec), so it is valid UTF-8;
--   * no nil inside a returned table (it would cut the reply short): '' stands for "absent".

local function fmt(n)
  return string.format('%d', n)
end

-- Splits s on a one-character separator; '' gives an empty list.
local function split(s, sep)
  local out = {}
  if s == nil or s == false or s == '' then
    return out
  end
  local from = 1
  while true do
    local at = string.find(s, sep, from, true)
    if not at then
      out[#out + 1] = string.sub(s, from)
      return out
    end
    out[#out + 1] = string.sub(s, from, at - 1)
    from = at + 1
  end
end

-- Alerts live in the tenant hash KEYS al as cjson records with string values:
-- id, s (sku, encoded), k (kind), st (status), av (available at open), th (threshold), oa (opened
-- at), ra (resolved at), rb (resolved by, encoded), n (latest notification), d (delivery state),
-- na (delivery attempts), rm (epoch ms the latest notification was raised).
local function alert_store(al, a)
  local json = cjson.encode(a)
  redis.call('HSET', al, a.id, json)
  return json
end

-- ctx = { meta, al, ao, adp, at, atMs, events }
local function alert_open(ctx, skuKey, member, kind, field, available, threshold)
  local seq = fmt(redis.call('HINCRBY', ctx.meta, 'aseq', 1))
  local json = alert_store(ctx.al, {
    id = seq, s = member, k = kind, st = 'OPEN', av = fmt(available), th = fmt(threshold),
    oa = ctx.at, n = 'OPENED', d = 'PENDING', na = '0', rm = ctx.atMs })
  redis.call('ZADD', ctx.ao, seq, seq)
  redis.call('ZADD', ctx.adp, ctx.atMs, seq)
  redis.call('HSET', skuKey, field, seq)
  ctx.events[#ctx.events + 1] = json
  return seq
end

local function alert_resolve(ctx, skuKey, field, seq, actor)
  local a = cjson.decode(redis.call('HGET', ctx.al, seq))
  a.st = 'RESOLVED'
  a.ra = ctx.at
  a.rb = actor
  a.n = 'RESOLVED'
  a.d = 'PENDING'
  a.na = '0'
  a.rm = ctx.atMs
  local json = alert_store(ctx.al, a)
  redis.call('ZREM', ctx.ao, seq)
  redis.call('ZADD', ctx.adp, ctx.atMs, seq)
  if redis.call('HGET', skuKey, field) == seq then
    redis.call('HDEL', skuKey, field)
  end
  ctx.events[#ctx.events + 1] = json
end

-- AlertRule.decide, mirrored exactly, applied in the reference order: resolve low, resolve out,
-- open out, open low. lowId / outId are the open alerts' ids or false; returns them after the
-- transitions (false where none is open).
local function apply_rule(ctx, skuKey, member, threshold, available, lowId, outId, hysteresis)
  local lowOpen = lowId ~= false and lowId ~= nil
  local outOpen = outId ~= false and outId ~= nil
  local openLow = (not lowOpen) and available > 0 and available <= threshold
  local resolveLow = lowOpen and available > threshold + hysteresis
  local openOut = (not outOpen) and available <= 0
  local resolveOut = outOpen and available > hysteresis
  local low, out = lowOpen and lowId, outOpen and outId
  if resolveLow then
    alert_resolve(ctx, skuKey, 'lo', lowId, 'system')
    low = false
  end
  if resolveOut then
    alert_resolve(ctx, skuKey, 'oo', outId, 'system')
    out = false
  end
  if openOut then
    out = alert_open(ctx, skuKey, member, 'OUT_OF_STOCK', 'oo', available, 0)
  end
  if openLow then
    low = alert_open(ctx, skuKey, member, 'LOW_STOCK', 'lo', available, threshold)
  end
  return low, out
end

-- Removes at most 'budget' of the oldest ledger rows of one SKU that the retention no longer keeps.
-- Index members are "<id>|<type code>|<time key>".
local function trim_ledger(hs, h, mv, maxPerSku, cutoff, budget)
  local removed = 0
  while removed < budget do
    local oldest = redis.call('ZRANGE', hs, 0, 0)
    if #oldest == 0 then
      return
    end
    local m = oldest[1]
    local drop = false
    if maxPerSku > 0 and redis.call('ZCARD', hs) > maxPerSku then
      drop = true
    elseif cutoff ~= '' then
      local t = string.match(m, '|(%d+)$')
      drop = t ~= nil and t < cutoff
    end
    if not drop then
      return
    end
    local id = string.match(m, '^(%d+)|')
    redis.call('ZREM', hs, m)
    redis.call('ZREM', h, m)
    redis.call('HDEL', mv, id)
    removed = removed + 1
  end
end

local function tenant_ordinal(meta)
  return redis.call('HGET', meta, 'ord') or ''
end
