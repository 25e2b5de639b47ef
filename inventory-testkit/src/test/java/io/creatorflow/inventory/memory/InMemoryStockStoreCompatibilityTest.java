package io.creatorflow.inventory.memory;

import io.creatorflow.inventory.spi.StockStore;
import io.creatorflow.inventory.testkit.StockStoreCompatibilityKit;

/**
 * The reference store passes the whole compatibility kit. It lives in the store's package, not the
 * kit's, exactly as an integrator's test would.
 */
class InMemoryStockStoreCompatibilityTest extends StockStoreCompatibilityKit {
  @Override
  protected StockStore createStore() {
    return new InMemoryStockStore();
  }
}
