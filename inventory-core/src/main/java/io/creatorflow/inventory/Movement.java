package io.creatorflow.inventory;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One committed change of one SKU's stock: a row of the append-only ledger, written in the same
 * atomic step as the change itself.
 *
 * @param id assigned by the store; unique within a tenant and increasing in commit order for each
 *     SKU (across SKUs, a shared store may interleave ids of transactions in flight at the same
 *     time); history is ordered by it
 * @param quantity the size of the movement, never negative (the direction is in before/after)
 * @param reference what caused it, such as {@code order:123}, or {@code null}
 * @param idempotencyKey the key of the request that made it, or {@code null}
 */
public record Movement(
    long id,
    TenantId tenant,
    Sku sku,
    MovementType type,
    long quantity,
    long onHandBefore,
    long onHandAfter,
    long reservedBefore,
    long reservedAfter,
    @Nullable String reason,
    @Nullable String reference,
    @Nullable String actor,
    @Nullable String idempotencyKey,
    Instant occurredAt) {

  public long onHandDelta() {
    return onHandAfter - onHandBefore;
  }

  public long reservedDelta() {
    return reservedAfter - reservedBefore;
  }

  public long availableBefore() {
    return onHandBefore - reservedBefore;
  }

  public long availableAfter() {
    return onHandAfter - reservedAfter;
  }
}
