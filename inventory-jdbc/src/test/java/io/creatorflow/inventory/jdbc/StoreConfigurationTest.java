package io.creatorflow.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Builder validation, dialect detection and the migrations as a host's own Flyway runs them. */
class StoreConfigurationTest {
  @Test
  @DisplayName("the table prefix is validated: a lowercase letter, then up to 20 of [a-z0-9_]")
  void prefixValidation() {
    DataSource ds = h2("prefix");
    for (String bad : List.of("", "1abc", "Inv_", "inv-", "inv_; DROP TABLE x", "a23456789012345678901x", "ä")) {
      assertThatThrownBy(() -> JdbcStockStore.builder(ds).tablePrefix(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
    }
    assertThat(JdbcStockStore.builder(ds).tablePrefix("a").build().tablePrefix()).isEqualTo("a");
    assertThat(JdbcStockStore.builder(ds).tablePrefix("a2345678901234567890_").build().tablePrefix()).hasSize(21);
    assertThat(JdbcStockStore.builder(ds).build().tablePrefix()).isEqualTo(JdbcStockStore.DEFAULT_TABLE_PREFIX);
    assertThatThrownBy(() -> JdbcStockStore.builder(ds).maxBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcStockStore.builder(ds).maxConcurrentBatches(65))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcStockStore.builder(ds).maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the dialect is detected from connection metadata on first use")
  void dialectDetection() {
    assertThat(JdbcStockStore.builder(h2("detect")).build().dialect()).isEqualTo(Dialect.H2);
    assertThat(Dialect.fromProductName("PostgreSQL")).contains(Dialect.POSTGRESQL);
    assertThat(Dialect.fromProductName("MariaDB")).contains(Dialect.MARIADB);
    assertThat(Dialect.fromProductName("MySQL")).contains(Dialect.MYSQL);
    assertThat(Dialect.fromProductName("Oracle")).isEmpty();
  }

  @Test
  @DisplayName("two prefixes share one schema, each with its own migration history; the host's tables stay")
  void prefixesShareASchema() throws Exception {
    DataSource ds = h2("shared");
    try (Connection c = ds.getConnection()) {
      c.createStatement().execute("CREATE TABLE host_orders (id INT PRIMARY KEY)");
    }
    JdbcStockStore a = JdbcStockStore.builder(ds).tablePrefix("a_").build();
    JdbcStockStore b = JdbcStockStore.builder(ds).tablePrefix("b_").build();
    a.migrate();
    b.migrate();
    a.migrate();
    a.registerItem(Fixtures.item(Fixtures.TENANT, "X"), Fixtures.T0);
    assertThat(a.item(Fixtures.TENANT, Sku.of("X"))).isPresent();
    assertThat(b.item(Fixtures.TENANT, Sku.of("X"))).isEmpty();
    assertThat(tables(ds)).contains("HOST_ORDERS", "A_ITEM", "B_ITEM", "a_schema_history", "b_schema_history");
  }

  @Test
  @DisplayName("a host's own Flyway runs the scripts with the prefix placeholder")
  void hostFlyway() throws Exception {
    DataSource ds = h2("host");
    Flyway.configure().dataSource(ds).locations(Dialect.H2.migrationLocation())
        .placeholders(Map.of("prefix", "shop_inv_")).load().migrate();
    JdbcStockStore store = JdbcStockStore.builder(ds).tablePrefix("shop_inv_").build();
    store.ping();
    assertThat(store.registerItem(Fixtures.item(Fixtures.TENANT, "X"), Fixtures.T0).created()).isTrue();
    assertThat(tables(ds)).contains("SHOP_INV_ITEM", "SHOP_INV_MOVEMENT", "SHOP_INV_ALERT", "SHOP_INV_IDEMPOTENCY");
  }

  @Test
  @DisplayName("a store on an unmigrated schema fails with StoreUnavailableException, not a driver exception")
  void unmigrated() {
    JdbcStockStore store = JdbcStockStore.builder(h2("empty")).build();
    assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class)
        .hasCauseInstanceOf(org.jdbi.v3.core.JdbiException.class).hasMessageContaining("SQLState");
    assertThatThrownBy(() -> store.item(Fixtures.TENANT, Sku.of("X"))).isInstanceOf(StoreUnavailableException.class);
  }

  private static DataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:config_" + name + "_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  private static List<String> tables(DataSource ds) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    return names;
  }
}
