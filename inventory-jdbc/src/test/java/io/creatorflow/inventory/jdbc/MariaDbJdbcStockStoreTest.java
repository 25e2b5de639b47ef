package io.creatorflow.inventory.jdbc;

class MariaDbJdbcStockStoreTest extends AbstractJdbcStockStoreTest {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
