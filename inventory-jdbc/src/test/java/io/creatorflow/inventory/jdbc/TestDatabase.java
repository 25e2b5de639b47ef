package io.creatorflow.inventory.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the tests run against, and a fresh, isolated place in each per test class: its own
 * H2 in-memory database, PostgreSQL schema or MariaDB database, plus a random table prefix, dropped
 * again by {@link Isolated#close()}. Runs never collide.
 *
 * <p>Connection settings come from environment variables (defaults in brackets):
 * {@code INVENTORY_TEST_PG_URL} [{@value #PG_URL}], {@code INVENTORY_TEST_PG_USER} [postgres],
 * {@code INVENTORY_TEST_PG_PASSWORD} [empty], {@code INVENTORY_TEST_MARIADB_URL}
 * [{@value #MARIADB_URL}], {@code INVENTORY_TEST_MARIADB_USER} [root], {@code
 * INVENTORY_TEST_MARIADB_PASSWORD} [empty]. An unreachable database skips its tests with a message
 * saying how to enable them, or fails them when {@code CI=true}.
 */
enum TestDatabase {
  H2(Dialect.H2),
  POSTGRESQL(Dialect.POSTGRESQL),
  MARIADB(Dialect.MARIADB);

  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

  final Dialect dialect;

  TestDatabase(Dialect dialect) {
    this.dialect = dialect;
  }

  private String url() {
    return switch (this) {
      case H2 -> "jdbc:h2:mem:";
      case POSTGRESQL -> env("INVENTORY_TEST_PG_URL", PG_URL);
      case MARIADB -> env("INVENTORY_TEST_MARIADB_URL", MARIADB_URL);
    };
  }

  private String user() {
    return switch (this) {
      case H2 -> "sa";
      case POSTGRESQL -> env("INVENTORY_TEST_PG_USER", "postgres");
      case MARIADB -> env("INVENTORY_TEST_MARIADB_USER", "root");
    };
  }

  private String password() {
    return switch (this) {
      case H2 -> "";
      case POSTGRESQL -> env("INVENTORY_TEST_PG_PASSWORD", "");
      case MARIADB -> env("INVENTORY_TEST_MARIADB_PASSWORD", "");
    };
  }

  private String howToEnable() {
    return switch (this) {
      case H2 -> "";
      case POSTGRESQL -> "start PostgreSQL (pg_ctlcluster --skip-systemctl-redirect <version> main start) or point "
          + "INVENTORY_TEST_PG_URL, INVENTORY_TEST_PG_USER and INVENTORY_TEST_PG_PASSWORD at one";
      case MARIADB -> "start MariaDB (start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or "
          + "point INVENTORY_TEST_MARIADB_URL, INVENTORY_TEST_MARIADB_USER and INVENTORY_TEST_MARIADB_PASSWORD at one";
    };
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * A fresh, isolated database for one test class; skips the calling test (or fails it under
   * {@code CI=true}) if the server cannot be reached.
   */
  Isolated isolate() {
    String name = "inv_it_" + randomSuffix(8);
    String prefix = "t" + randomSuffix(5) + "_";
    if (this == H2) {
      return new Isolated(this, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", name, prefix);
    }
    try (Connection admin = admin()) {
      try (Statement s = admin.createStatement()) {
        s.execute(this == POSTGRESQL ? "CREATE SCHEMA " + name : "CREATE DATABASE " + name
            + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      }
    } catch (SQLException e) {
      String message = this + " at " + url() + " is not reachable (" + e.getMessage() + "): to run these tests, "
          + howToEnable();
      if (ci()) {
        fail("CI=true and " + message, e);
      }
      Assumptions.abort(message);
    }
    return new Isolated(this, url(), name, prefix);
  }

  /** Why the server cannot be reached, with how to enable its tests; empty if it can be. */
  Optional<String> unreachable() {
    if (this == H2) {
      return Optional.empty();
    }
    try (Connection c = admin()) {
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(this + " at " + url() + " is not reachable (" + e.getMessage() + "): to run these tests, "
          + howToEnable());
    }
  }

  /** A plain connection to the server's configured database, for set-up and for killing sessions. */
  Connection admin() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user());
    props.setProperty("password", password());
    if (this == POSTGRESQL) {
      props.setProperty("connectTimeout", "3");
    } else if (this == MARIADB) {
      props.setProperty("connectTimeout", "3000");
    }
    return DriverManager.getConnection(url(), props);
  }

  private static String randomSuffix(int length) {
    StringBuilder s = new StringBuilder(length);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  /** One isolated database (or schema) and table prefix; hands out connection pools on it. */
  static final class Isolated implements AutoCloseable {
    final TestDatabase database;
    final String url;
    final String name;
    final String prefix;
    private final List<HikariDataSource> pools = new ArrayList<>();

    Isolated(TestDatabase database, String url, String name, String prefix) {
      this.database = database;
      this.url = url;
      this.name = name;
      this.prefix = prefix;
    }

    /** A new connection pool on this database (a second one behaves like a second service instance). */
    synchronized HikariDataSource newPool(int size) {
      return newPool(size, url, 30_000);
    }

    /**
     * A new connection pool reaching this database through {@code jdbcUrl} (e.g. a proxy), waiting
     * at most {@code connectionTimeoutMillis} for a connection.
     */
    synchronized HikariDataSource newPool(int size, String jdbcUrl, long connectionTimeoutMillis) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setUsername(database.user());
      config.setPassword(database.password());
      config.setMaximumPoolSize(size);
      config.setMinimumIdle(0);
      config.setConnectionTimeout(connectionTimeoutMillis);
      config.setValidationTimeout(1_000);
      config.setInitializationFailTimeout(-1);
      config.setPoolName(name + "-" + pools.size());
      switch (database) {
        case POSTGRESQL -> config.setSchema(name);
        case MARIADB -> {
          config.setCatalog(name);
          config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        case H2 -> { }
      }
      HikariDataSource pool = new HikariDataSource(config);
      pools.add(pool);
      return pool;
    }

    /** A store on a new pool, migrated. */
    JdbcStockStore newStore(int poolSize) {
      JdbcStockStore store = JdbcStockStore.builder(newPool(poolSize)).tablePrefix(prefix).build();
      store.migrate();
      return store;
    }

    /** A connection outside every pool, with this database (or schema) current. */
    Connection connect() throws SQLException {
      Connection c = database == H2 ? DriverManager.getConnection(url, "sa", "") : database.admin();
      switch (database) {
        case POSTGRESQL -> c.setSchema(name);
        case MARIADB -> c.setCatalog(name);
        case H2 -> { }
      }
      return c;
    }

    @Override
    public synchronized void close() throws SQLException {
      pools.forEach(HikariDataSource::close);
      pools.clear();
      if (database == H2) {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
          s.execute("SHUTDOWN");
        }
        return;
      }
      try (Connection admin = database.admin(); Statement s = admin.createStatement()) {
        s.execute(database == POSTGRESQL ? "DROP SCHEMA " + name + " CASCADE" : "DROP DATABASE " + name);
      }
    }

    @Override
    public String toString() {
      return database.name().toLowerCase(Locale.ROOT) + ":" + name + "/" + prefix;
    }
  }
}
