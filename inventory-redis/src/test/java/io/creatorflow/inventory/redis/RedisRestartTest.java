package io.creatorflow.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.redis.internal.Script;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A redis-server this test starts itself on a spare port is crashed, restarted and paused, between
 * and during operations. The store (on one Lettuce connection that reconnects by itself) fails fast
 * with {@link StoreUnavailableException} while the server is away, recovers without help when it is
 * back (scripts reloaded on NOSCRIPT), never sends a timed-out command later, and, with retries by
 * idempotency key, never applies anything twice.
 */
class RedisRestartTest {
  static final AlertRule RULE = new AlertRule(5, 0);
  static final Duration TIMEOUT = Duration.ofMillis(500);

  ChildRedis server;
  ClientResources resources;
  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  RedisStockStore store;
  TenantId tenant = TenantId.of("restart-tenant");
  Sku sku = Sku.of("HOT");

  void startWith(boolean appendOnlyAlways) throws Exception {
    server = ChildRedis.start(appendOnlyAlways);
    resources = RedisTestSupport.fastReconnect();
    client = RedisTestSupport.client(resources);
    connection = client.connect(server.uri());
    store = RedisStockStore.builder(connection).keyPrefix("restart").commandTimeout(TIMEOUT).build();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (client != null) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  Mutation keyed(String key) {
    return new Mutation(tenant, Instant.now(), new IdempotencyClaim(key, "fp"),
        List.of(new LineChange(sku, MovementType.IN, 1, 1, 0, null, "restart test", key, null)), null, RULE);
  }

  Mutation keyless(String reference) {
    return new Mutation(tenant, Instant.now(), null,
        List.of(new LineChange(sku, MovementType.IN, 1, 1, 0, null, "restart test", reference, null)), null, RULE);
  }

  void awaitRecovery() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        store.ping();
        return;
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  @Test
  @DisplayName("no persistence: fails fast while the server is down, recovers by itself, and a timed-out call is never sent later")
  void restartBetweenOperations() throws Exception {
    startWith(false);
    store.registerItem(ItemDefinition.builder(tenant, sku).build(), Instant.now());
    assertThat(store.apply(keyed("k-1"))).isInstanceOf(MutationResult.Applied.class);

    server.crash();
    long start = System.nanoTime();
    assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.apply(keyed("k-2"))).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.offer(tenant, "tiktok", "during-outage", "{}", Instant.now()))
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> assertThat(e.getCause()).isNotNull());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails within the command timeouts").isLessThan(Duration.ofSeconds(3));

    server.startProcess();
    awaitRecovery();
    Thread.sleep(300);

    assertThat(store.item(tenant, sku)).as("a server without persistence comes back empty").isEmpty();
    assertThat(connection.sync().keys("restart:*")).as("calls that timed out while disconnected are never sent later").isEmpty();
    store.registerItem(ItemDefinition.builder(tenant, sku).build(), Instant.now());
    assertThat(store.offer(tenant, "tiktok", "after-restart", "{}", Instant.now())).isTrue();
    assertThat(store.pending(100)).as("the tenant registry was rebuilt although this JVM had it cached")
        .extracting(e -> e.eventId()).containsExactly("after-restart");
    assertThat(store.apply(keyed("k-2"))).as("scripts are reloaded after NOSCRIPT").isInstanceOf(MutationResult.Applied.class);
    assertThat(connection.sync().scriptExists(Script.APPLY.sha())).containsExactly(true);
    assertThat(store.level(tenant, sku).orElseThrow().onHand()).isEqualTo(1);
  }

  @Test
  @DisplayName("AOF always: crashes during operations lose nothing acknowledged and apply nothing twice")
  void crashesDuringOperations() throws Exception {
    startWith(true);
    store.registerItem(ItemDefinition.builder(tenant, sku).build(), Instant.now());
    int threads = 4;
    int minimumPerThread = 30;
    AtomicBoolean crashing = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger crashes = new AtomicInteger();
    AtomicInteger keyedCalls = new AtomicInteger();
    int[] callsAtCrash = new int[3];
    long[] outages = {100, TIMEOUT.toMillis() + 400, 100};
    Map<String, MutationResult> acknowledged = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      Future<?> crasher = pool.submit(() -> {
        try {
          for (int i = 0; i < 3; i++) {
            Thread.sleep(200);
            callsAtCrash[i] = keyedCalls.get();
            server.crash();
            crashes.incrementAndGet();
            Thread.sleep(outages[i]);
            server.startProcess();
          }
          Thread.sleep(200);
        } finally {
          crashing.set(false);
        }
        return null;
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < minimumPerThread || (crashing.get() && i < 5_000); i++) {
            String key = "crash-" + thread + "-" + i;
            MutationResult r = ConnectionLossTest.retry(() -> store.apply(keyed(key)), failures);
            assertThat(r).isInstanceOfAny(MutationResult.Applied.class, MutationResult.Replayed.class);
            keyedCalls.incrementAndGet();
            if (i % 5 == 0) {
              String reference = "keyless-" + thread + "-" + i;
              try {
                acknowledged.put(reference, store.apply(keyless(reference)));
              } catch (StoreUnavailableException unknownOutcome) {
                // applied or not: only "at most once" can be asked of it
              }
            }
            Thread.sleep(2);
          }
          return null;
        }));
      }
      crasher.get(60, TimeUnit.SECONDS);
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    awaitRecovery();

    assertThat(crashes.get()).isEqualTo(3);
    assertThat(callsAtCrash[0]).as("calls were under way at the first crash").isPositive();
    assertThat(keyedCalls.get()).as("and went on after the last").isGreaterThan(callsAtCrash[2]);
    assertThat(failures.get()).as("an outage longer than the command timeout is felt by callers").isPositive();
    Map<String, Integer> perKey = new HashMap<>();
    Map<String, Integer> perReference = new HashMap<>();
    for (Movement m : all()) {
      if (m.idempotencyKey() != null) {
        perKey.merge(m.idempotencyKey(), 1, Integer::sum);
      } else {
        perReference.merge(m.reference(), 1, Integer::sum);
      }
    }
    assertThat(perKey).hasSize(keyedCalls.get());
    assertThat(perKey.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(perReference.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(perReference.keySet()).as("every acknowledged keyless change survived the crashes").containsAll(acknowledged.keySet());
    long onHand = 0;
    List<Movement> oldestFirst = new ArrayList<>(all());
    java.util.Collections.reverse(oldestFirst);
    for (Movement m : oldestFirst) {
      assertThat(m.onHandBefore()).isEqualTo(onHand);
      onHand = m.onHandAfter();
    }
    assertThat(store.level(tenant, sku).orElseThrow().onHand()).isEqualTo(onHand).isEqualTo(perKey.size() + perReference.size());
  }

  List<Movement> all() {
    List<Movement> out = new ArrayList<>();
    for (int offset = 0; ; offset += PageRequest.MAX_LIMIT) {
      List<Movement> page = store.history(tenant, HistoryQuery.of(sku).withPage(PageRequest.of(offset, PageRequest.MAX_LIMIT))).items();
      out.addAll(page);
      if (page.size() < PageRequest.MAX_LIMIT) {
        return out;
      }
    }
  }

  @Test
  @DisplayName("a server that stops answering times out after the command timeout; a retry by key applies once")
  void pausedServerTimesOut() throws Exception {
    startWith(false);
    store.registerItem(ItemDefinition.builder(tenant, sku).build(), Instant.now());
    server.pause();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("PT0.5S").hasCauseInstanceOf(TimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT.minusMillis(50), Duration.ofSeconds(3));
      assertThatThrownBy(() -> store.apply(keyed("while-paused"))).isInstanceOf(StoreUnavailableException.class);
    } finally {
      server.resume();
    }
    awaitRecovery();

    MutationResult retried = store.apply(keyed("while-paused"));

    assertThat(retried).as("the paused call was already on the wire, so it may have run: then the retry replays")
        .isInstanceOfAny(MutationResult.Applied.class, MutationResult.Replayed.class);
    assertThat(store.level(tenant, sku).orElseThrow().onHand()).isEqualTo(1);
    assertThat(store.history(tenant, HistoryQuery.of(sku)).total()).isEqualTo(1);
  }
}
