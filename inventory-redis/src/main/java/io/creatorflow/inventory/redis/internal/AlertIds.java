package io.creatorflow.inventory.redis.internal;

/**
 * Alert ids are unique in the whole store, not just per tenant: the tenant's ordinal (from the
 * store-wide registry) in the high 31 bits, the tenant's own alert sequence in the low 32.
 *
 * <p>Thread-safe (stateless).
 */
public final class AlertIds {
  /** The largest tenant ordinal an alert id can carry. */
  public static final long MAX_ORDINAL = (1L << 31) - 1;
  /** The largest per-tenant alert sequence an alert id can carry. */
  public static final long MAX_SEQUENCE = (1L << 32) - 1;

  private AlertIds() {}

  public static long id(long ordinal, long sequence) {
    if (ordinal < 1 || ordinal > MAX_ORDINAL || sequence < 1 || sequence > MAX_SEQUENCE) {
      throw new IllegalStateException("alert id out of range: tenant ordinal " + ordinal + ", sequence " + sequence);
    }
    return (ordinal << 32) | sequence;
  }

  /** The tenant ordinal of an id, or 0 if the id cannot be one of ours. */
  public static long ordinal(long id) {
    return id <= 0 || (id & MAX_SEQUENCE) == 0 ? 0 : id >>> 32;
  }

  public static long sequence(long id) {
    return id & MAX_SEQUENCE;
  }
}
