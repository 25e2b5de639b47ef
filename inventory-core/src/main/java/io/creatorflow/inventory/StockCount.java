package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.internal.Keys;
import org.jspecify.annotations.Nullable;

/**
 * Sets on hand to a counted value, but only if on hand is still what the caller last saw
 * (compare-and-set), so a count never overwrites a sale it did not know of.
 *
 * @param expectedOnHand what the caller believes on hand is now
 * @param newOnHand the counted value, 0 to {@value io.creatorflow.inventory.internal.Checks#MAX_QUANTITY}
 * @param reason why, required
 */
public record StockCount(
    TenantId tenant,
    Sku sku,
    long expectedOnHand,
    long newOnHand,
    String reason,
    @Nullable String actor,
    @Nullable String idempotencyKey) {

  public StockCount {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(sku, "sku");
    Checks.nonNegativeQuantity(expectedOnHand, "expectedOnHand");
    Checks.nonNegativeQuantity(newOnHand, "newOnHand");
    Checks.requiredText(reason, "reason", Adjustment.MAX_TEXT);
    Checks.optionalText(actor, "actor", Adjustment.MAX_TEXT);
    Keys.callerKey(idempotencyKey);
  }

  public static StockCount of(TenantId tenant, Sku sku, long expectedOnHand, long newOnHand, String reason) {
    return new StockCount(tenant, sku, expectedOnHand, newOnHand, reason, null, null);
  }

  public StockCount withActor(@Nullable String actor) {
    return new StockCount(tenant, sku, expectedOnHand, newOnHand, reason, actor, idempotencyKey);
  }

  public StockCount withIdempotencyKey(@Nullable String key) {
    return new StockCount(tenant, sku, expectedOnHand, newOnHand, reason, actor, key);
  }
}
