package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything one engine operation changes, to be applied by {@link StockStore#apply} in one atomic
 * step: quantity changes with their ledger rows, an order record, the alert transitions they cause,
 * and the idempotency record.
 *
 * @param tenant every change is within this tenant
 * @param at the commit time to record on movements, orders and alerts
 * @param idempotency the key to record, or {@code null}
 * @param changes at most one change per SKU, sorted by SKU (the order in which stores lock)
 * @param order the order record to write, or {@code null}
 * @param alertRule the policy for opening and resolving alerts of changed SKUs
 */
public record Mutation(
    TenantId tenant,
    Instant at,
    @Nullable IdempotencyClaim idempotency,
    List<LineChange> changes,
    @Nullable OrderWrite order,
    AlertRule alertRule) {

  public Mutation {
    changes = List.copyOf(changes);
    if (!strictlySorted(changes)) {
      rejectUnsorted(changes);
    }
    if (changes.isEmpty() && order == null) {
      throw new IllegalArgumentException("a mutation must change stock or an order");
    }
  }

  /** Sorted by SKU with no SKU twice: each SKU compares above the one before it. */
  private static boolean strictlySorted(List<LineChange> changes) {
    for (int i = 1; i < changes.size(); i++) {
      if (changes.get(i - 1).sku().compareTo(changes.get(i).sku()) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Throws for the first SKU seen twice or out of order, in the order the changes come. */
  private static void rejectUnsorted(List<LineChange> changes) {
    Set<Sku> seen = new HashSet<>();
    Sku previous = null;
    for (LineChange change : changes) {
      if (!seen.add(change.sku())) {
        throw new IllegalArgumentException("more than one change for sku " + change.sku());
      }
      if (previous != null && previous.compareTo(change.sku()) > 0) {
        throw new IllegalArgumentException("changes must be sorted by sku");
      }
      previous = change.sku();
    }
  }
}
