package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.examples.TestServices.Client;
import io.creatorflow.inventory.examples.TestServices.Reply;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same service, unchanged, on PostgreSQL, on MySQL URLs (served by the MariaDB driver) and on
 * Redis: configuration is the only difference. Each run gets its own schema, database or key
 * prefix and removes it afterwards.
 *
 * <p>Servers come from {@code INVENTORY_TEST_PG_URL} / {@code _USER} / {@code _PASSWORD}
 * [jdbc:postgresql://127.0.0.1:5432/test, postgres, empty], {@code INVENTORY_TEST_MARIADB_URL} /
 * {@code _USER} / {@code _PASSWORD} [jdbc:mariadb://127.0.0.1:3306/test, root, empty] and {@code
 * INVENTORY_TEST_REDIS_URI} [redis://127.0.0.1:6379], as in the store modules' tests. An unreachable
 * server skips its test with a message, or fails it when {@code CI=true}.
 */
class ExternalStoresTest {

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  private static String suffix() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      s.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return s.toString();
  }

  private static void unreachable(String what, Exception e, String how) {
    String message = what + " is not reachable (" + e.getMessage() + "): to run this test, " + how;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true and " + message, e);
    }
    Assumptions.abort(message);
  }

  private static Connection admin(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection(url, p);
  }

  /** Start, import, a webhook order, an adjustment over HTTP, a restart that sees the same stock. */
  private static void scenario(Map<String, String> env, String expectedStore) throws Exception {
    long onHand;
    String orderId;
    try (InventoryService first = TestServices.start(env)) {
      assertThat(first.facts().get("Store")).contains(expectedStore);
      assertThat(first.catalogImport().imported()).isEqualTo(10);
      Client api = new Client(first);
      Reply health = api.get("api/health/inventory");
      assertThat(health.status()).as(health.body()).isEqualTo(200);
      assertThat(api.get("api/inventory/products").json().get("pagination").get("total").asLong()).isEqualTo(10);

      ShopListing l = first.engine().item(first.tenant(), Sku.of("HOODIE-1-S")).listings().get(0);
      orderId = first.emulator().orElseThrow().createOrder(List.of(new EmulatedOrder.Line(l.productId(), l.skuId(), 2)));
      assertThat(first.inbox().awaitIdle(Duration.ofSeconds(20))).isTrue();
      Order order = first.engine().order(first.tenant(), first.sync().engineOrderId(orderId));
      assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);

      Reply adjusted = api.postJson("api/inventory/products/HOODIE-1-S/adjust", "{\"quantity\": 5, \"reason\": \"return\"}",
          "Idempotency-Key", "ext-1");
      assertThat(adjusted.status()).isEqualTo(200);
      onHand = adjusted.json().get("product").get("on_hand").asLong();
      assertThat(adjusted.json().get("product").get("reserved").asLong()).isEqualTo(2);
      assertThat(first.engine().verifyLedger(first.tenant()).consistent()).isTrue();
    }
    try (InventoryService second = TestServices.start(env)) {
      Client api = new Client(second);
      Reply product = api.get("api/inventory/products/HOODIE-1-S");
      assertThat(product.json().get("on_hand").asLong()).isEqualTo(onHand);
      assertThat(product.json().get("reserved").asLong()).isEqualTo(2);
      assertThat(second.catalogImport().imported()).isZero();
      assertThat(second.engine().order(second.tenant(), second.sync().engineOrderId(orderId)).status())
          .isEqualTo(OrderStatus.RESERVED);
    }
  }

  private static Map<String, String> base(Path dir) {
    Map<String, String> env = TestServices.env(dir);
    env.put("DEMO_SKUS", "10");
    env.put("DATABASE_POOL_SIZE", "4");
    return env;
  }

  @Test
  @DisplayName("on PostgreSQL")
  void postgresql(@TempDir Path dir) throws Exception {
    String url = env("INVENTORY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = env("INVENTORY_TEST_PG_USER", "postgres");
    String password = env("INVENTORY_TEST_PG_PASSWORD", "");
    String schema = "invex_" + suffix();
    try (Connection c = admin(url, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      unreachable("PostgreSQL at " + url, e, "start PostgreSQL or point INVENTORY_TEST_PG_URL at one");
    }
    try {
      Map<String, String> env = base(dir);
      env.put("DATABASE_URL", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
      env.put("DATABASE_USER", user);
      env.put("DATABASE_PASSWORD", password);
      scenario(env, "postgresql");
    } finally {
      try (Connection c = admin(url, user, password); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Test
  @DisplayName("on a jdbc:mysql: URL (MariaDB server, MariaDB driver)")
  void mysql(@TempDir Path dir) throws Exception {
    String url = env("INVENTORY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    String user = env("INVENTORY_TEST_MARIADB_USER", "root");
    String password = env("INVENTORY_TEST_MARIADB_PASSWORD", "");
    String database = "invex_" + suffix();
    try (Connection c = admin(url, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    } catch (SQLException e) {
      unreachable("MariaDB at " + url, e, "start MariaDB or point INVENTORY_TEST_MARIADB_URL at one");
    }
    try {
      String server = url.replaceFirst("^jdbc:mariadb:", "jdbc:mysql:").replaceFirst("^(jdbc:mysql://[^/?]+).*$", "$1");
      Map<String, String> env = base(dir);
      env.put("DATABASE_URL", server + "/" + database);
      env.put("DATABASE_USER", user);
      if (!password.isEmpty()) {
        env.put("DATABASE_PASSWORD", password);
      }
      scenario(env, "mysql");
    } finally {
      try (Connection c = admin(url, user, password); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + database);
      }
    }
  }

  @Test
  @DisplayName("on Redis")
  void redis(@TempDir Path dir) throws Exception {
    String uri = env("INVENTORY_TEST_REDIS_URI", "redis://127.0.0.1:6379");
    String prefix = "invex" + suffix();
    RedisClient client = RedisClient.create(uri);
    try {
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        c.sync().ping();
      } catch (RuntimeException e) {
        unreachable("Redis at " + uri, e, "start redis-server or point INVENTORY_TEST_REDIS_URI at one");
      }
      Map<String, String> env = base(dir);
      env.put("REDIS_URL", uri);
      env.put("STORE_PREFIX", prefix);
      try {
        scenario(env, "Redis");
      } finally {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          RedisCommands<String, String> redis = c.sync();
          ScanCursor cursor = ScanCursor.INITIAL;
          do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
            if (!page.getKeys().isEmpty()) {
              redis.unlink(page.getKeys().toArray(new String[0]));
            }
            cursor = page;
          } while (!cursor.isFinished());
        }
      }
    } finally {
      client.shutdown();
    }
  }
}
