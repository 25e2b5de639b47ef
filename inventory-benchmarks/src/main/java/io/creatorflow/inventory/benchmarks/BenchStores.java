package io.creatorflow.inventory.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.jdbc.JdbcStockStore;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.redis.RedisStockStore;
import io.creatorflow.inventory.spi.StockStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Opens the store a benchmark runs on. JDBC stores get a HikariCP pool and the store's own tables
 * (migrated by the store) under a benchmark-owned prefix, dropped and re-created on first use in a
 * process so that every run starts from empty tables; Redis gets its own key prefix, cleared before
 * and after. A store that cannot be reached is an {@link Unreachable} with the reason.
 */
public final class BenchStores {
  /** The JDBC connection pool size of every store (and of the seed-style baseline). */
  public static final int POOL_SIZE = 16;

  private static final java.util.Set<String> CLEANED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private BenchStores() {}

  /** A store could not be opened; the message says why. */
  public static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unreachable(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * An open store and what must be closed with it.
   *
   * @param dataSource the pool of a JDBC store, {@code null} otherwise
   */
  public record Opened(StoreKind kind, StockStore store, String description, @Nullable DataSource dataSource,
      AutoCloseable resources) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try {
        store.close();
      } finally {
        resources.close();
      }
    }
  }

  /**
   * Opens a store.
   *
   * @param prefix the table or key prefix, e.g. {@code bench_} (JDBC) / {@code bench} (Redis)
   */
  public static Opened open(StoreKind kind, Options o, String prefix) throws Unreachable {
    return switch (kind) {
      case MEMORY -> new Opened(kind, new InMemoryStockStore(), "in-memory (JVM heap)", null, () -> {});
      case H2 -> h2(prefix);
      case POSTGRESQL -> jdbc(kind, o.postgresUrl(), o.postgresUser(), o.postgresPassword(), prefix);
      case MARIADB -> jdbc(kind, o.mariadbUrl(), o.mariadbUser(), o.mariadbPassword(), prefix);
      case REDIS -> redis(o.redisUrl(), prefix);
    };
  }

  private static Opened h2(String prefix) throws Unreachable {
    Path dir;
    try {
      dir = Files.createTempDirectory("inventory-bench-h2");
    } catch (IOException e) {
      throw new Unreachable("cannot create a temporary directory for H2: " + e, e);
    }
    String url = "jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
    Opened opened = jdbc(StoreKind.H2, url, "sa", "", prefix);
    AutoCloseable pool = opened.resources();
    return new Opened(StoreKind.H2, opened.store(), "H2 2.x file database (temporary directory)",
        opened.dataSource(), () -> {
          pool.close();
          deleteTree(dir);
        });
  }

  /** A pool on a JDBC URL; the caller closes it. */
  public static HikariDataSource pool(StoreKind kind, String url, String user, String password, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("bench-" + kind.label());
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(size);
    hc.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    hc.setInitializationFailTimeout(Duration.ofSeconds(2).toMillis());
    switch (kind) {
      case H2 -> hc.setDriverClassName("org.h2.Driver");
      case POSTGRESQL -> hc.setDriverClassName("org.postgresql.Driver");
      case MARIADB -> {
        hc.setDriverClassName("org.mariadb.jdbc.Driver");
        // The store's contract on MySQL/MariaDB.
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      }
      default -> throw new IllegalArgumentException("not a JDBC store: " + kind);
    }
    return new HikariDataSource(hc);
  }

  private static Opened jdbc(StoreKind kind, String url, String user, String password, String prefix)
      throws Unreachable {
    HikariDataSource pool;
    try {
      pool = pool(kind, url, user, password, POOL_SIZE);
    } catch (RuntimeException e) {
      throw new Unreachable(kind.label() + " at " + url + " is not reachable: " + rootMessage(e), e);
    }
    try {
      if (CLEANED.add(kind + "|" + url + "|" + prefix)) {
        dropTables(pool, kind, prefix);
      }
      JdbcStockStore store = JdbcStockStore.builder(pool).tablePrefix(prefix).build();
      store.migrate();
      String version;
      try (Connection c = pool.getConnection()) {
        DatabaseMetaData md = c.getMetaData();
        version = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
      }
      return new Opened(kind, store, version + ", pool of " + POOL_SIZE, pool, pool);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw new Unreachable(kind.label() + " at " + url + " could not be prepared: " + rootMessage(e), e);
    }
  }

  /** Drops every table whose name starts with {@code prefix} (the benchmark's own). */
  public static void dropTables(DataSource dataSource, StoreKind kind, String prefix) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      List<String> tables = new ArrayList<>();
      DatabaseMetaData md = c.getMetaData();
      String pattern = (kind == StoreKind.H2 ? prefix.toUpperCase(Locale.ROOT) : prefix).replace("_", "\\_") + "%";
      try (ResultSet rs = md.getTables(c.getCatalog(), kind == StoreKind.POSTGRESQL ? "public" : null, pattern,
          new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      try (Statement s = c.createStatement()) {
        if (kind == StoreKind.MARIADB) {
          s.execute("SET FOREIGN_KEY_CHECKS = 0");
        }
        for (String table : tables) {
          String quoted = kind == StoreKind.MARIADB ? "`" + table + "`" : "\"" + table + "\"";
          s.execute("DROP TABLE IF EXISTS " + quoted + (kind == StoreKind.MARIADB ? "" : " CASCADE"));
        }
        if (kind == StoreKind.MARIADB) {
          s.execute("SET FOREIGN_KEY_CHECKS = 1");
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  private static Opened redis(String url, String prefix) throws Unreachable {
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    try {
      RedisURI uri = RedisURI.create(url);
      uri.setTimeout(Duration.ofSeconds(5));
      client = RedisClient.create(uri);
    } catch (RuntimeException e) {
      throw new Unreachable("redis URL " + url + " is not valid: " + rootMessage(e), e);
    }
    try {
      connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new Unreachable("redis at " + url + " is not reachable: " + rootMessage(e), e);
    }
    try {
      clearKeys(connection.sync(), prefix);
      RedisStockStore store = RedisStockStore.builder(connection).keyPrefix(prefix).build();
      store.ping();
      String version = "Redis " + serverInfo(connection.sync());
      return new Opened(StoreKind.REDIS, store, version + ", one Lettuce connection", null, () -> {
        try {
          clearKeys(connection.sync(), prefix);
          connection.close();
        } finally {
          client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
      });
    } catch (RuntimeException e) {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new Unreachable("redis at " + url + " could not be prepared: " + rootMessage(e), e);
    }
  }

  private static String serverInfo(RedisCommands<String, String> redis) {
    String version = "?";
    String persistence = "";
    for (String line : redis.info("server").split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        version = line.substring("redis_version:".length());
      }
    }
    List<String> aof = new ArrayList<>();
    redis.configGet("appendonly").forEach((k, v) -> aof.add(v));
    persistence = aof.contains("yes") ? ", AOF on" : ", AOF off";
    return version + persistence;
  }

  /** Deletes every key under the prefix ({@code prefix:*}). */
  public static void clearKeys(RedisCommands<String, String> redis, String prefix) {
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(prefix + ":*").limit(1000);
    do {
      KeyScanCursor<String> page = redis.scan(cursor, args);
      if (!page.getKeys().isEmpty()) {
        redis.unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  /** The innermost message of an exception chain. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
