package io.creatorflow.inventory.redis.internal;

import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.lettuce.core.ScriptOutputType;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store-wide tenant registry ({@code {g}} slot): a stable ordinal per tenant, cached in the JVM
 * after the first look-up, and the list of tenants the store-wide sweeps visit. A tenant is
 * registered before its first item or inbox event is written, so the sweeps never miss data.
 *
 * <p>Each tenant's meta hash also records its ordinal, in the tenant's own slot, written by the same
 * script that writes the tenant's first item or inbox event; that copy is the authority. Whenever a
 * script has to write it (a new tenant, or data Redis lost) or it disagrees with the registry, the
 * registry entry is written again, so the sweeps find every tenant that has data.
 *
 * <p>Thread-safe.
 */
public final class TenantRegistry {
  private final RedisGateway gateway;
  private final RedisKeys keys;
  private final ConcurrentHashMap<TenantId, Long> ordinals = new ConcurrentHashMap<>();

  public TenantRegistry(RedisGateway gateway, RedisKeys keys) {
    this.gateway = gateway;
    this.keys = keys;
  }

  /** The tenant's ordinal, registering the tenant if it is new. */
  public long ordinal(TenantId tenant) {
    Long cached = ordinals.get(tenant);
    if (cached != null) {
      return cached;
    }
    long ordinal = record(tenant, "");
    ordinals.put(tenant, ordinal);
    return ordinal;
  }

  /**
   * Makes the registry agree with the ordinal kept in the tenant's own slot, as a script reported it.
   *
   * @param fresh whether that script had to record the ordinal in the tenant's meta hash: a new
   *     tenant, or one whose data Redis lost (a restart without persistence, a flush), in which case
   *     the registry may have been lost too and is written again whatever this JVM remembers
   */
  public void confirm(TenantId tenant, long authoritative, boolean fresh) {
    Long cached = ordinals.get(tenant);
    if (fresh || cached == null || cached != authoritative) {
      record(tenant, Long.toString(authoritative));
      ordinals.put(tenant, authoritative);
    }
  }

  /** Every registered tenant and its ordinal, sorted by tenant. */
  public Map<TenantId, Long> tenants() {
    Map<String, String> raw = gateway.command("HGETALL", c -> c.hgetall(keys.tenantRegistry()));
    Map<TenantId, Long> out = new TreeMap<>();
    raw.forEach((tenant, ordinal) -> out.put(TenantId.of(KeyCodec.decode(tenant)), Long.parseLong(ordinal)));
    return out;
  }

  private long record(TenantId tenant, String ordinal) {
    String[] k = {keys.tenantRegistry(), keys.tenantCounter()};
    String reply = gateway.eval(Script.TENANT_REGISTER, ScriptOutputType.VALUE, k, KeyCodec.encode(tenant.value()), ordinal);
    long value = Long.parseLong(reply);
    if (value < 1 || value > AlertIds.MAX_ORDINAL) {
      throw new StoreUnavailableException(
          "tenant ordinal " + value + " of tenant '" + tenant + "' is outside 1.." + AlertIds.MAX_ORDINAL, null);
    }
    return value;
  }
}
