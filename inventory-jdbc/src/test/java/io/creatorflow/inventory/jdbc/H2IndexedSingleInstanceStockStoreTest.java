package io.creatorflow.inventory.jdbc;

import io.creatorflow.inventory.spi.StockStore;
import io.creatorflow.inventory.testkit.StockStoreCompatibilityKit;
import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The StockStore compatibility kit against {@link JdbcStockStore} on H2 with a catalog index that
 * never verifies within a test ({@code catalogIndex(Duration.ofHours(1))}) and no second instance:
 * every search after the store's own writes must answer as SQL does, from what the store reported to
 * its index alone.
 */
@SkipUnreachableDatabase.Needs(TestDatabase.H2)
@AddLifecycleHook(SkipUnreachableDatabase.class)
class H2IndexedSingleInstanceStockStoreTest extends StockStoreCompatibilityKit {
  private static final KitDatabase DATABASE =
      new KitDatabase(TestDatabase.H2, b -> b.catalogIndex(Duration.ofHours(1)));

  @Override
  protected StockStore createStore() {
    return DATABASE.firstInstance();
  }

  @Override
  protected Optional<StockStore> createSecondStore(StockStore first) {
    return Optional.empty();
  }

  @Override
  protected void closeStore(StockStore store) {
    // The pool and the schema are shared by every test of the class and dropped at exit.
  }
}
