-- LeaseStore.release: give the lease up if the owner holds it.
-- KEYS: 1 the lease hash. ARGV: 1 owner (encoded).
-- Reply: 1 released, 0 not held by the owner.
if redis.call('HGET', KEYS[1], 'o') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
