package io.creatorflow.inventory.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find Redis, and how they stay out of each other's way.
 *
 * <ul>
 *   <li>Redis is {@code redis://127.0.0.1:6379} unless {@value #URI_ENV} says otherwise.
 *   <li>If it cannot be reached the tests are skipped with a message, except under {@code CI=true},
 *       where they fail: CI must never pass without having run them.
 *   <li>Every test class uses its own random key prefix and deletes its keys (SCAN + UNLINK) at the
 *       end, so runs never collide, even on a shared Redis.
 * </ul>
 */
final class RedisTestSupport {
  static final String URI_ENV = "INVENTORY_TEST_REDIS_URI";
  static final String DEFAULT_URI = "redis://127.0.0.1:6379";

  private RedisTestSupport() {}

  static RedisURI uri() {
    String value = System.getenv(URI_ENV);
    RedisURI uri = RedisURI.create(value == null || value.isBlank() ? DEFAULT_URI : value.strip());
    uri.setTimeout(Duration.ofSeconds(5));
    return uri;
  }

  /** Client resources that reconnect quickly, so the recovery tests stay fast. */
  static ClientResources fastReconnect() {
    return ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
  }

  static RedisClient client(ClientResources resources) {
    RedisClient client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
        .build());
    return client;
  }

  /** Skips (or under CI fails) the calling test class if the test Redis cannot be reached. */
  static void requireRedis(RedisClient client) {
    try (StatefulRedisConnection<String, String> c = client.connect(uri())) {
      c.sync().ping();
    } catch (RuntimeException e) {
      String message = "Redis at " + uri().toURI() + " is not reachable (" + e.getMessage() + "). Start one with "
          + "`redis-server --port 6379 --save '' --appendonly no` or point " + URI_ENV
          + " at one (e.g. redis://host:port) to run the inventory-redis tests.";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true requires Redis. " + message, e);
      }
      Assumptions.abort(message);
    }
  }

  static String randomPrefix(String what) {
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "invtest-" + what + "-" + HexFormat.of().formatHex(bytes);
  }

  /** Deletes every key under {@code prefix}; returns how many. */
  static long deleteKeys(RedisCommands<String, String> redis, String prefix) {
    long deleted = 0;
    ScanArgs args = ScanArgs.Builder.matches(globEscape(prefix) + ":*").limit(1000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, args);
      if (!page.getKeys().isEmpty()) {
        deleted += redis.unlink(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
    return deleted;
  }

  /** How many keys exist under {@code prefix}. */
  static long countKeys(RedisCommands<String, String> redis, String prefix) {
    long count = 0;
    ScanArgs args = ScanArgs.Builder.matches(globEscape(prefix) + ":*").limit(1000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, args);
      count += page.getKeys().size();
      cursor = page;
    } while (!cursor.isFinished());
    return count;
  }

  static String globEscape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
