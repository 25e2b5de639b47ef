package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.internal.Keys;
import org.jspecify.annotations.Nullable;

/**
 * A change of on hand by a signed quantity, with its reason.
 *
 * @param delta the change, non-zero, at most {@value io.creatorflow.inventory.internal.Checks#MAX_QUANTITY}
 *     either way
 * @param type {@link MovementType#ADJUSTMENT} (default), {@link MovementType#IN} (stock received,
 *     delta &gt; 0) or {@link MovementType#OUT} (stock removed, delta &lt; 0)
 * @param reason why, 1 to 500 characters; required
 * @param actor who, or {@code null}
 * @param reference what caused it (a purchase order, a stock count), or {@code null}
 * @param idempotencyKey applies the adjustment at most once per tenant and key, or {@code null}
 */
public record Adjustment(
    TenantId tenant,
    Sku sku,
    long delta,
    MovementType type,
    String reason,
    @Nullable String actor,
    @Nullable String reference,
    @Nullable String idempotencyKey) {

  public static final int MAX_TEXT = 500;

  public Adjustment {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(sku, "sku");
    if (delta == 0) {
      throw new InvalidRequestException("adjustment delta must not be zero");
    }
    Checks.positiveQuantity(Math.abs(delta), "adjustment delta (absolute)");
    Checks.notNull(type, "type");
    switch (type) {
      case ADJUSTMENT -> { }
      case IN -> {
        if (delta < 0) {
          throw new InvalidRequestException("an IN adjustment must add stock, delta was " + delta);
        }
      }
      case OUT -> {
        if (delta > 0) {
          throw new InvalidRequestException("an OUT adjustment must remove stock, delta was " + delta);
        }
      }
      default -> throw new InvalidRequestException(
          "an adjustment's type is ADJUSTMENT, IN or OUT, was " + type);
    }
    Checks.requiredText(reason, "reason", MAX_TEXT);
    Checks.optionalText(actor, "actor", MAX_TEXT);
    Checks.optionalText(reference, "reference", MAX_TEXT);
    Keys.callerKey(idempotencyKey);
  }

  /** An {@link MovementType#ADJUSTMENT} of {@code delta} for {@code reason}. */
  public static Adjustment of(TenantId tenant, Sku sku, long delta, String reason) {
    return new Adjustment(tenant, sku, delta, MovementType.ADJUSTMENT, reason, null, null, null);
  }

  public Adjustment withType(MovementType type) {
    return new Adjustment(tenant, sku, delta, type, reason, actor, reference, idempotencyKey);
  }

  public Adjustment withActor(@Nullable String actor) {
    return new Adjustment(tenant, sku, delta, type, reason, actor, reference, idempotencyKey);
  }

  public Adjustment withReference(@Nullable String reference) {
    return new Adjustment(tenant, sku, delta, type, reason, actor, reference, idempotencyKey);
  }

  public Adjustment withIdempotencyKey(@Nullable String key) {
    return new Adjustment(tenant, sku, delta, type, reason, actor, reference, key);
  }
}
