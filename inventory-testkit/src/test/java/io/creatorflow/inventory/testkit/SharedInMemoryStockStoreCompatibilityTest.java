package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.StockStore;
import java.util.Optional;

/**
 * The reference store seen through two "instances" on the same data, so that the kit's
 * multi-instance tests (two engines, steps alternating between them) run without a database.
 */
class SharedInMemoryStockStoreCompatibilityTest extends StockStoreCompatibilityKit {
  @Override
  protected StockStore createStore() {
    return new InMemoryStockStore();
  }

  @Override
  protected Optional<StockStore> createSecondStore(StockStore first) {
    return Optional.of(new ForwardingStockStore((InMemoryStockStore) first));
  }
}
