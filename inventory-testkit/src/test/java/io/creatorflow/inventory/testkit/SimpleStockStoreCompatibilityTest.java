package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.spi.StockStore;

/**
 * A second, independent store (written from the SPI contract, one lock around plain maps) passes
 * the whole kit: the kit checks the contract, not the reference store's implementation.
 */
class SimpleStockStoreCompatibilityTest extends StockStoreCompatibilityKit {
  @Override
  protected StockStore createStore() {
    return new SimpleStockStore();
  }
}
