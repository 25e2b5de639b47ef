package io.creatorflow.inventory.jdbc;

import static io.creatorflow.inventory.jdbc.Fixtures.adjust;
import static io.creatorflow.inventory.jdbc.Fixtures.at;
import static io.creatorflow.inventory.jdbc.Fixtures.item;
import static io.creatorflow.inventory.jdbc.Fixtures.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.jdbc.internal.SqlErrors;
import io.creatorflow.inventory.spi.MutationResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A transaction the database aborts (here: H2's lock timeout, while another session holds the row)
 * is run again, a bounded number of times.
 */
class RetryTest {
  private HikariDataSource pool;
  private String url;
  private final TenantId tenant = TenantId.of("retry");

  @BeforeEach
  void database() {
    // No DB_CLOSE_DELAY: the in-memory database goes away with the pool's last connection.
    url = "jdbc:h2:mem:retry_" + System.nanoTime() + ";LOCK_TIMEOUT=200";
    pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(4);
  }

  @AfterEach
  void close() {
    pool.close();
  }

  private JdbcStockStore store(int maxAttempts) {
    JdbcStockStore store = JdbcStockStore.builder(pool).maxAttempts(maxAttempts).build();
    store.migrate();
    store.registerItem(item(tenant, "A"), at(0));
    return store;
  }

  private Connection lockRow() throws SQLException {
    Connection blocker = pool.getConnection();
    blocker.setAutoCommit(false);
    try (PreparedStatement lock = blocker.prepareStatement(
        "SELECT on_hand FROM inv_item WHERE tenant = ? AND sku = 'A' FOR UPDATE")) {
      lock.setString(1, tenant.value());
      lock.executeQuery().close();
    }
    return blocker;
  }

  @Test
  @DisplayName("a lock timeout is retried until the row is free, and the change applies once")
  void retriedUntilFree() throws Exception {
    JdbcStockStore store = store(20);
    Connection blocker = lockRow();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      timer.schedule(() -> {
        blocker.rollback();
        blocker.close();
        return null;
      }, 700, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      assertThat(store.apply(mutation(tenant, at(1), "k", adjust("A", 3)))).isInstanceOf(MutationResult.Applied.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(400);
    } finally {
      timer.shutdown();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(store.level(tenant, Sku.of("A")).orElseThrow().onHand()).isEqualTo(3);
    assertThat(store.level(tenant, Sku.of("A")).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  @DisplayName("when every attempt is aborted, the caller gets CONCURRENT_MODIFICATION with the driver's error")
  void givesUp() throws Exception {
    JdbcStockStore store = store(2);
    try (Connection blocker = lockRow()) {
      assertThatThrownBy(() -> store.apply(mutation(tenant, at(1), "k", adjust("A", 3))))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.CONCURRENT_MODIFICATION))
          .satisfies(e -> assertThat((Throwable) SqlErrors.sqlCause(e)).isInstanceOf(SQLException.class));
      blocker.rollback();
    }
    assertThat(store.level(tenant, Sku.of("A")).orElseThrow().version()).isZero();
    assertThat(store.replay(tenant, "k")).isEmpty();
  }
}
