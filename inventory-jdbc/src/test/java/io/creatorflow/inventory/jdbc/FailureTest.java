package io.creatorflow.inventory.jdbc;

import static io.creatorflow.inventory.jdbc.Fixtures.adjust;
import static io.creatorflow.inventory.jdbc.Fixtures.at;
import static io.creatorflow.inventory.jdbc.Fixtures.item;
import static io.creatorflow.inventory.jdbc.Fixtures.mutation;
import static io.creatorflow.inventory.jdbc.Fixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.jdbc.internal.SqlErrors;
import io.creatorflow.inventory.spi.MutationResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real failures against real servers: a connection killed by the server in the middle of a
 * transaction, and the server becoming unreachable and coming back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureTest {
  private static final Pattern URL = Pattern.compile("jdbc:(postgresql|mariadb)://([^:/]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

  private TestDatabase.Isolated postgres;
  private TestDatabase.Isolated mariadb;

  @BeforeAll
  void noDatabasesYet() {
    postgres = null;
    mariadb = null;
  }

  @AfterAll
  void drop() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
    if (mariadb != null) {
      mariadb.close();
    }
  }

  private TestDatabase.Isolated isolated(TestDatabase database) {
    if (database == TestDatabase.POSTGRESQL) {
      if (postgres == null) {
        postgres = database.isolate();
      }
      return postgres;
    }
    if (mariadb == null) {
      mariadb = database.isolate();
    }
    return mariadb;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  @DisplayName("a connection killed in the middle of a reservation leaves nothing written, and the next one succeeds")
  void connectionKilledMidTransaction(TestDatabase database) throws Exception {
    TestDatabase.Isolated db = isolated(database);
    JdbcStockStore store = db.newStore(4);
    TenantId tenant = TenantId.of("kill-" + System.nanoTime());
    store.registerItem(item(tenant, "A"), at(0));
    store.registerItem(item(tenant, "B"), at(0));
    assertThat(store.apply(mutation(tenant, at(1), null, adjust("A", 10), adjust("B", 10))))
        .isInstanceOf(MutationResult.Applied.class);
    StockLevel a = store.level(tenant, Sku.of("A")).orElseThrow();
    long ledger = store.history(tenant, HistoryQuery.all()).total();

    try (Connection blocker = db.connect()) {
      // Hold B's row lock so that the reservation stops after writing its key, its order and A.
      blocker.setAutoCommit(false);
      try (PreparedStatement lock = blocker.prepareStatement(
          "SELECT on_hand FROM " + db.prefix + "item WHERE tenant = ? AND sku = ? FOR UPDATE")) {
        lock.setString(1, tenant.value());
        lock.setString(2, "B");
        lock.executeQuery().close();
      }
      ExecutorService thread = Executors.newSingleThreadExecutor();
      Future<MutationResult> reserving = thread.submit(() ->
          store.apply(reservation(tenant, at(2), "o-1", OrderLine.of("A", 2), OrderLine.of("B", 2))));
      thread.shutdown();
      killWaitingSession(db);
      assertThatThrownBy(() -> reserving.get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoreUnavailableException.class)
          .satisfies(FailureTest::causedByDriver);
      blocker.rollback();
    }

    assertThat(store.level(tenant, Sku.of("A"))).contains(a);
    assertThat(store.history(tenant, HistoryQuery.all()).total()).isEqualTo(ledger);
    assertThat(store.order(tenant, OrderId.of("o-1"))).isEmpty();
    assertThat(store.replay(tenant, "sys:reserve:o-1")).isEmpty();

    MutationResult retried = store.apply(reservation(tenant, at(3), "o-1", OrderLine.of("A", 2), OrderLine.of("B", 2)));
    assertThat(retried).isInstanceOf(MutationResult.Applied.class);
    assertThat(store.level(tenant, Sku.of("A")).orElseThrow().reserved()).isEqualTo(2);
    assertThat(store.level(tenant, Sku.of("B")).orElseThrow().reserved()).isEqualTo(2);
  }

  private static void causedByDriver(Throwable e) {
    assertThat((Throwable) SqlErrors.sqlCause(e)).as("the driver's exception is the cause")
        .isInstanceOf(SQLException.class);
  }

  /** Finds the session waiting for B's row lock and has the server kill it. */
  private static void killWaitingSession(TestDatabase.Isolated db) throws Exception {
    String find = db.database == TestDatabase.POSTGRESQL
        ? "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE " + db.prefix
            + "item%'"
        : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + db.name + "' AND INFO LIKE 'UPDATE "
            + db.prefix + "item%'";
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    try (Connection admin = db.database.admin(); Statement s = admin.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = s.executeQuery(find)) {
          if (rs.next()) {
            long session = rs.getLong(1);
            s.execute(db.database == TestDatabase.POSTGRESQL ? "SELECT pg_terminate_backend(" + session + ")"
                : "KILL " + session);
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    StringBuilder seen = new StringBuilder();
    try (Connection admin = db.database.admin(); Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery(db.database == TestDatabase.POSTGRESQL
            ? "SELECT wait_event_type, query FROM pg_stat_activity"
            : "SELECT STATE, CONCAT(ID, ' ', COALESCE(DB, '-'), ' ', COALESCE(INFO, '-'))"
                + " FROM information_schema.PROCESSLIST")) {
      while (rs.next()) {
        seen.append('\n').append(rs.getString(1)).append(": ").append(rs.getString(2));
      }
    }
    throw new AssertionError("the reservation never waited for B's row lock; sessions:" + seen);
  }

  /** The pool reconnects in the background once the database is back; the same store then works. */
  private static void awaitRecovery(JdbcStockStore store) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        store.ping();
        return;
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  @DisplayName("while the database is unreachable operations fail with StoreUnavailableException; then it works again")
  void outageAndRecovery(TestDatabase database) throws Exception {
    TestDatabase.Isolated db = isolated(database);
    Matcher url = URL.matcher(db.url);
    assertThat(url.matches()).as("parse %s", db.url).isTrue();
    int port = url.group(3) == null ? (database == TestDatabase.POSTGRESQL ? 5432 : 3306) : Integer.parseInt(url.group(3));
    try (TcpProxy proxy = new TcpProxy(url.group(2), port)) {
      String proxied = "jdbc:" + url.group(1) + "://127.0.0.1:" + proxy.port() + "/" + url.group(4)
          + (url.group(5) == null ? "" : url.group(5));
      HikariDataSource pool = db.newPool(2, proxied, 1_500);
      JdbcStockStore store = JdbcStockStore.builder(pool).tablePrefix(db.prefix).build();
      store.migrate();
      TenantId tenant = TenantId.of("outage-" + System.nanoTime());
      store.registerItem(item(tenant, "A"), at(0));
      assertThat(store.apply(mutation(tenant, at(1), "k1", adjust("A", 5)))).isInstanceOf(MutationResult.Applied.class);

      proxy.cut();
      assertThatThrownBy(() -> store.apply(mutation(tenant, at(2), "k2", adjust("A", 5))))
          .isInstanceOf(StoreUnavailableException.class)
          .satisfies(FailureTest::causedByDriver);
      assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.level(tenant, Sku.of("A"))).isInstanceOf(StoreUnavailableException.class);

      proxy.restore();
      awaitRecovery(store);
      assertThat(store.level(tenant, Sku.of("A")).orElseThrow().onHand()).isEqualTo(5);
      assertThat(store.apply(mutation(tenant, at(3), "k2", adjust("A", 5)))).isInstanceOf(MutationResult.Applied.class);
      assertThat(store.level(tenant, Sku.of("A")).orElseThrow().onHand()).isEqualTo(10);
    }
  }
}
