package io.creatorflow.inventory.jdbc;

/**
 * The focused tests with the MySQL dialect (no RETURNING: quantities and ids are read back) against
 * MariaDB, which speaks MySQL's SQL: the code path a MySQL 8 host runs.
 */
class MySqlDialectOnMariaDbTest extends AbstractJdbcStockStoreTest {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }

  @Override
  JdbcStockStore newStore(TestDatabase.Isolated database) {
    JdbcStockStore store = JdbcStockStore.builder(database.newPool(8)).tablePrefix(database.prefix)
        .dialect(Dialect.MYSQL).build();
    store.migrate();
    return store;
  }

  @Override
  Dialect expectedDialect() {
    return Dialect.MYSQL;
  }
}
