-- StockStore.alert and the first step of resolveAlert.
-- KEYS: 1 meta, 2 alerts. ARGV: 1 tenant ordinal encoded in the alert id, 2 alert sequence.
-- Reply: alert json, or '' if the tenant has no such alert.
if tenant_ordinal(KEYS[1]) ~= ARGV[1] then
  return ''
end
return redis.call('HGET', KEYS[2], ARGV[2]) or ''
