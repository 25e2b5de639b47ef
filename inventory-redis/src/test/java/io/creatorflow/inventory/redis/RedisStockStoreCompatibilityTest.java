package io.creatorflow.inventory.redis;

import io.creatorflow.inventory.spi.StockStore;
import io.creatorflow.inventory.testkit.StockStoreCompatibilityKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.opentest4j.TestAbortedException;

/**
 * The Redis store passes the whole compatibility kit. Every store the kit asks for gets its own
 * connection and its own key prefix under this run's random prefix; the second instance is a second
 * connection on the same Redis with the same prefix, as a second service instance would open it. The
 * kit hands each store back through {@link #closeStore}, which deletes its keys and closes its
 * connection.
 */
@AddLifecycleHook(RedisStockStoreCompatibilityTest.SkipWithoutRedis.class)
class RedisStockStoreCompatibilityTest extends StockStoreCompatibilityKit {
  private static final String RUN_PREFIX = RedisTestSupport.randomPrefix("kit");
  private static final AtomicInteger STORES = new AtomicInteger();
  private static final Map<StockStore, StatefulRedisConnection<String, String>> CONNECTIONS = new IdentityHashMap<>();

  @Override
  protected StockStore createStore() {
    return open(RUN_PREFIX + ":" + STORES.incrementAndGet());
  }

  @Override
  protected Optional<StockStore> createSecondStore(StockStore first) {
    return Optional.of(open(((RedisStockStore) first).keyPrefix()));
  }

  @Override
  protected void closeStore(StockStore store) {
    StatefulRedisConnection<String, String> connection;
    synchronized (CONNECTIONS) {
      connection = CONNECTIONS.remove(store);
    }
    store.close();
    if (connection != null) {
      try {
        RedisTestSupport.deleteKeys(connection.sync(), ((RedisStockStore) store).keyPrefix());
      } finally {
        connection.close();
      }
    }
  }

  private static StockStore open(String prefix) {
    Client.requireRedis();
    StatefulRedisConnection<String, String> connection = Client.INSTANCE.connect(RedisTestSupport.uri());
    RedisStockStore store = RedisStockStore.builder(connection).keyPrefix(prefix).build();
    synchronized (CONNECTIONS) {
      CONNECTIONS.put(store, connection);
    }
    return store;
  }

  /**
   * The kit's jqwik property would count a skipped try as a rejected one and fail once every try is
   * rejected; this skips it (on the jqwik engine) while Redis is unreachable, as Jupiter skips the
   * rest. Under {@code CI=true} the check fails instead.
   */
  static final class SkipWithoutRedis implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      try {
        Client.requireRedis();
        return SkipResult.doNotSkip();
      } catch (TestAbortedException unreachable) {
        return SkipResult.skip(unreachable.getMessage());
      }
    }
  }

  /** One client for the whole run, shared by the Jupiter and jqwik engines; shut down with the JVM. */
  private static final class Client {
    static final ClientResources RESOURCES = RedisTestSupport.fastReconnect();
    static final RedisClient INSTANCE = create();
    private static volatile boolean reachable;

    /** Skips the calling test (fails it under CI=true) while the test Redis cannot be reached. */
    static void requireRedis() {
      if (!reachable) {
        RedisTestSupport.requireRedis(INSTANCE);
        reachable = true;
      }
    }

    private static RedisClient create() {
      RedisClient client = RedisTestSupport.client(RESOURCES);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        RESOURCES.shutdown(0, 2, TimeUnit.SECONDS);
      }, "inventory-redis-kit-shutdown"));
      return client;
    }
  }
}
