package io.creatorflow.inventory.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.examples.ServiceConfig.StoreKind;
import io.creatorflow.inventory.jdbc.JdbcStockStore;
import io.creatorflow.inventory.redis.RedisStockStore;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.StockStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the store a {@link ServiceConfig} selects. JDBC stores (H2, PostgreSQL, MySQL, MariaDB) run
 * on a HikariCP pool and migrate their own tables; Redis runs on one Lettuce connection. Both stores
 * are also the service's {@link EventInbox} and {@link LeaseStore}, so webhooks and periodic jobs are
 * shared correctly by every instance on the same store.
 */
final class Stores {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  private Stores() {}

  /**
   * An open store and what closes it (the pool or the Redis client), in that order.
   *
   * @param description for logs and the status page; no secrets
   */
  record Opened(StockStore store, EventInbox inbox, LeaseStore leases, String description, Resources resources)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        store.close();
      } finally {
        resources.close();
      }
    }
  }

  /** What a store runs on (a pool, a client); closing it throws nothing checked. */
  @FunctionalInterface
  interface Resources extends AutoCloseable {
    @Override
    void close();
  }

  static Opened open(ServiceConfig config) {
    return config.storeKind() == StoreKind.REDIS ? redis(config) : jdbc(config);
  }

  private static Opened jdbc(ServiceConfig config) {
    StoreKind kind = config.storeKind();
    String url = Objects.requireNonNull(config.databaseUrl());
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("inventory-db");
    hc.setMaximumPoolSize(config.databasePoolSize());
    hc.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    // Named explicitly: DriverManager's service loading is unreliable under exec:java's class loader.
    switch (kind) {
      case H2 -> hc.setDriverClassName("org.h2.Driver");
      case POSTGRESQL -> hc.setDriverClassName("org.postgresql.Driver");
      case MYSQL, MARIADB -> {
        hc.setDriverClassName("org.mariadb.jdbc.Driver");
        // The store's contract on MySQL/MariaDB.
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (kind == StoreKind.MYSQL && !url.contains("permitMysqlScheme")) {
          // The MariaDB driver serves jdbc:mysql: URLs only when asked to.
          url = url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
        }
      }
      default -> throw new IllegalStateException("not a JDBC store: " + kind);
    }
    hc.setJdbcUrl(url);
    if (config.databaseUser() != null) {
      hc.setUsername(config.databaseUser());
    }
    if (config.databasePassword() != null) {
      hc.setPassword(config.databasePassword());
    }
    HikariDataSource pool = new HikariDataSource(hc);
    try {
      JdbcStockStore.Builder b = JdbcStockStore.builder(pool);
      if (config.storePrefix() != null) {
        b.tablePrefix(config.storePrefix());
      }
      if (config.catalogIndexStaleness() != null) {
        // Product searches from memory: the REST API's product list no longer scans the table per request.
        b.catalogIndex(config.catalogIndexStaleness());
      }
      JdbcStockStore store = b.build();
      store.migrate();
      String description = kind == StoreKind.H2 && url.startsWith("jdbc:h2:file:")
          ? "H2 file database in " + config.dataDir()
          : kind.name().toLowerCase(java.util.Locale.ROOT) + " " + ServiceConfig.maskUrl(url);
      LOG.info("stock store: {} (tables {}*), catalog index: {}", description, store.tablePrefix(),
          config.catalogIndexStaleness() == null ? "off"
              : "at most " + config.catalogIndexStaleness().toMillis() + " ms behind other instances");
      return new Opened(store, store, store, description, pool::close);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static Opened redis(ServiceConfig config) {
    RedisURI uri = RedisURI.create(Objects.requireNonNull(config.redisUrl()));
    uri.setTimeout(Duration.ofSeconds(5));
    RedisClient client = RedisClient.create(uri);
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      RedisStockStore.Builder b = RedisStockStore.builder(connection);
      if (config.storePrefix() != null) {
        b.keyPrefix(config.storePrefix());
      }
      RedisStockStore store = b.build();
      store.ping();
      String description = "Redis " + ServiceConfig.maskUrl(config.redisUrl());
      LOG.info("stock store: {}", description);
      return new Opened(store, store, store, description, () -> {
        try {
          connection.close();
        } finally {
          client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
      });
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw e;
    }
  }
}
