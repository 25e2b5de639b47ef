package io.creatorflow.inventory.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One Lettuce client and connection per test class on the test Redis, a random key prefix, and
 * clean-up of every key under it at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisStoreTestBase {
  ClientResources resources;
  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  /** A connection for the test's own look-ups and white-box writes. */
  RedisCommands<String, String> redis;
  String prefix;

  @BeforeAll
  void connectToRedis() {
    resources = RedisTestSupport.fastReconnect();
    client = RedisTestSupport.client(resources);
    RedisTestSupport.requireRedis(client);
    connection = client.connect(RedisTestSupport.uri());
    redis = client.connect(RedisTestSupport.uri()).sync();
    prefix = RedisTestSupport.randomPrefix(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
  }

  @AfterAll
  void deleteKeysAndDisconnect() {
    try {
      if (redis != null && prefix != null) {
        RedisTestSupport.deleteKeys(redis, prefix);
      }
    } finally {
      if (client != null) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
  }

  RedisStockStore.Builder storeBuilder() {
    return RedisStockStore.builder(connection).keyPrefix(prefix);
  }

  RedisStockStore newStore() {
    return storeBuilder().build();
  }
}
