package io.creatorflow.inventory;

import java.util.List;

/**
 * Hears about committed changes, for caches, sync and metrics. Register with {@link
 * InventoryEngine.Builder#listener}.
 *
 * <p>Methods are called on the thread that made the change, right after the store committed it and
 * before the operation returns. They <b>must be fast and must not block</b> (hand work to an
 * executor), and they should not throw: an exception is logged and swallowed, never undoing or
 * failing the change. Calls for one SKU arrive in commit order only if the caller serialises its own
 * operations; listeners that need the latest value read it from the engine.
 */
public interface InventoryListener {

  /** Stock of one tenant moved; {@code movements} is what one operation committed (never empty). */
  default void onMovements(TenantId tenant, List<Movement> movements) {}

  /** An item was registered or its definition updated. */
  default void onItemChanged(CatalogItem item) {}

  /** Alerts opened or resolved by one operation (never empty). */
  default void onAlerts(List<AlertEvent> events) {}
}
