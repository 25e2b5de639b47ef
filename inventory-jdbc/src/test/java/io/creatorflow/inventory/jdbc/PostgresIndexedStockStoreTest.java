package io.creatorflow.inventory.jdbc;

import io.creatorflow.inventory.spi.StockStore;
import io.creatorflow.inventory.testkit.StockStoreCompatibilityKit;
import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The whole StockStore compatibility kit against {@link JdbcStockStore} on Postgres with the catalog
 * index verifying on every query ({@code catalogIndex(Duration.ZERO)}), on both instances: every
 * search, including those after the other instance's writes, must answer as SQL does.
 */
@SkipUnreachableDatabase.Needs(TestDatabase.POSTGRESQL)
@AddLifecycleHook(SkipUnreachableDatabase.class)
class PostgresIndexedStockStoreTest extends StockStoreCompatibilityKit {
  private static final KitDatabase DATABASE =
      new KitDatabase(TestDatabase.POSTGRESQL, b -> b.catalogIndex(Duration.ZERO));

  @Override
  protected StockStore createStore() {
    return DATABASE.firstInstance();
  }

  @Override
  protected Optional<StockStore> createSecondStore(StockStore first) {
    return Optional.of(DATABASE.secondInstance());
  }

  @Override
  protected void closeStore(StockStore store) {
    // The pools and the schema are shared by every test of the class and dropped at exit.
  }
}
