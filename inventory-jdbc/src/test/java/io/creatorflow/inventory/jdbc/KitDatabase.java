package io.creatorflow.inventory.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * One isolated database per compatibility-kit class: the schema is migrated once, every test gets
 * a new {@link JdbcStockStore} on the first pool (the kit puts each test in a fresh tenant), and the
 * kit's second instance uses a second pool of its own, as a second service instance would.
 *
 * <p>The kit's property test runs on the jqwik engine, which may come after JUnit Jupiter has run
 * the class's {@code @AfterAll}; so the database is dropped when the test JVM exits.
 */
final class KitDatabase {
  private static final int POOL_SIZE = 16;

  private final TestDatabase database;
  private final UnaryOperator<JdbcStockStore.Builder> configure;
  private TestDatabase.Isolated isolated;
  private HikariDataSource firstPool;
  private HikariDataSource secondPool;
  private TestAbortedException unreachable;

  KitDatabase(TestDatabase database) {
    this(database, b -> b);
  }

  /** Stores built with {@code configure} applied to their builder (after prefix and dialect). */
  KitDatabase(TestDatabase database, UnaryOperator<JdbcStockStore.Builder> configure) {
    this.database = database;
    this.configure = configure;
  }

  synchronized JdbcStockStore firstInstance() {
    if (unreachable != null) {
      if (TestDatabase.ci()) {
        fail(unreachable.getMessage());
      }
      throw unreachable;
    }
    if (isolated == null) {
      try {
        isolated = database.isolate();
      } catch (TestAbortedException e) {
        unreachable = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(this::dropQuietly, "drop-" + isolated));
      firstPool = isolated.newPool(POOL_SIZE);
      JdbcStockStore store = store(firstPool);
      store.migrate();
      return store;
    }
    return store(firstPool);
  }

  synchronized JdbcStockStore secondInstance() {
    Assumptions.assumeTrue(isolated != null, "the first instance exists");
    if (secondPool == null) {
      secondPool = isolated.newPool(POOL_SIZE);
    }
    return store(secondPool);
  }

  private JdbcStockStore store(HikariDataSource pool) {
    return configure.apply(JdbcStockStore.builder(pool).tablePrefix(isolated.prefix).dialect(database.dialect)).build();
  }

  private synchronized void dropQuietly() {
    try {
      if (isolated != null) {
        isolated.close();
        isolated = null;
      }
    } catch (Exception e) {
      System.err.println("could not drop test database " + isolated + ": " + e);
    }
  }
}
