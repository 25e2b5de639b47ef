package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Sku;
import org.jspecify.annotations.Nullable;

/**
 * A guarded change of one SKU's quantities and the ledger row that records it.
 *
 * @param sku the SKU to change; must be registered
 * @param type the movement type written to the ledger
 * @param quantity the movement's size as written to the ledger (never negative)
 * @param onHandDelta added to on hand
 * @param reservedDelta added to reserved
 * @param expectedOnHand if not {@code null}, the change applies only if on hand equals this
 * @param reason why, at most {@value #MAX_TEXT} characters (the engine enforces it)
 * @param reference what caused it, at most {@value #MAX_TEXT} characters
 * @param actor who, at most {@value #MAX_TEXT} characters
 */
public record LineChange(
    Sku sku,
    MovementType type,
    long quantity,
    long onHandDelta,
    long reservedDelta,
    @Nullable Long expectedOnHand,
    @Nullable String reason,
    @Nullable String reference,
    @Nullable String actor) {

  /** The longest reason, reference or actor a store must be able to keep. */
  public static final int MAX_TEXT = 500;

  /**
   * The reference guard every store applies to every change, given the SKU's current quantities.
   * A change that <em>lowers</em> on hand may not take it below zero; a change that <em>lowers</em>
   * available may not take it below zero unless the SKU allows backorders; reserved never goes below
   * zero. Changes that raise a quantity are never refused for stock reasons.
   *
   * @return {@code null} if the change may be applied, else why not
   */
  public MutationResult.@Nullable Rejection check(long onHand, long reserved, boolean allowBackorder) {
    if (expectedOnHand != null && expectedOnHand != onHand) {
      return MutationResult.Rejection.EXPECTED_ON_HAND_MISMATCH;
    }
    long newOnHand = onHand + onHandDelta;
    long newReserved = reserved + reservedDelta;
    if (newReserved < 0 || (newOnHand < 0 && onHandDelta < 0)) {
      return MutationResult.Rejection.INSUFFICIENT_STOCK;
    }
    long available = onHand - reserved;
    long newAvailable = newOnHand - newReserved;
    if (!allowBackorder && newAvailable < 0 && newAvailable < available) {
      return MutationResult.Rejection.INSUFFICIENT_STOCK;
    }
    return null;
  }
}
