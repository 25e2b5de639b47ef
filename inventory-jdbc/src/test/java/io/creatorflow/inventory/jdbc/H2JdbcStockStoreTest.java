package io.creatorflow.inventory.jdbc;

class H2JdbcStockStoreTest extends AbstractJdbcStockStoreTest {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
