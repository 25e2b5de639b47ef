package io.creatorflow.inventory.jdbc;

import io.creatorflow.inventory.spi.StockStore;
import io.creatorflow.inventory.testkit.StockStoreCompatibilityKit;
import java.util.Optional;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The whole StockStore compatibility kit (its Jupiter tests and its jqwik properties) against
 * {@link JdbcStockStore} on MariaDB, with a second instance on its own connection pool.
 */
@SkipUnreachableDatabase.Needs(TestDatabase.MARIADB)
@AddLifecycleHook(SkipUnreachableDatabase.class)
class MariaDbStockStoreTest extends StockStoreCompatibilityKit {
  private static final KitDatabase DATABASE = new KitDatabase(TestDatabase.MARIADB);

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
