package io.creatorflow.inventory.jdbc;

class PostgresJdbcStockStoreTest extends AbstractJdbcStockStoreTest {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRESQL;
  }
}
