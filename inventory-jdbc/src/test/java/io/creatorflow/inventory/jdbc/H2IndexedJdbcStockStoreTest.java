package io.creatorflow.inventory.jdbc;

import java.time.Duration;

/**
 * The focused store tests on H2 with a catalog index that never verifies within the run: every
 * search answers from what the store itself reported to the index.
 */
class H2IndexedJdbcStockStoreTest extends AbstractJdbcStockStoreTest {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }

  @Override
  JdbcStockStore newStore(TestDatabase.Isolated database) {
    JdbcStockStore store = JdbcStockStore.builder(database.newPool(8)).tablePrefix(database.prefix)
        .catalogIndex(Duration.ofHours(1)).build();
    store.migrate();
    return store;
  }
}
