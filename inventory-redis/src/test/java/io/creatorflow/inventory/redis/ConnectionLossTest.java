package io.creatorflow.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store's connection is killed by the server ({@code CLIENT KILL ID}), between operations and
 * while many threads are mid-operation. Lettuce reconnects by itself; callers retry failed calls
 * with the same idempotency key. Afterwards every keyed operation was applied exactly once, every
 * keyless one at most once (the retransmit guard), and the ledger still explains the level.
 */
class ConnectionLossTest extends RedisStoreTestBase {
  static final AlertRule RULE = new AlertRule(5, 0);

  String clientName;
  StatefulRedisConnection<String, String> storeConnection;
  RedisStockStore store;
  TenantId tenant;
  Sku sku;

  @BeforeEach
  void openNamedConnection() {
    clientName = "inv-kill-" + UUID.randomUUID().toString().substring(0, 8);
    RedisURI uri = RedisTestSupport.uri();
    uri.setClientName(clientName);
    storeConnection = client.connect(uri);
    store = RedisStockStore.builder(storeConnection).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(2)).build();
    tenant = TenantId.of("t-" + UUID.randomUUID());
    sku = Sku.of("HOT");
    store.registerItem(ItemDefinition.builder(tenant, sku).build(), Instant.now());
  }

  @AfterEach
  void closeNamedConnection() {
    storeConnection.close();
  }

  /** Kills every server-side connection named like the store's; returns how many. */
  int killStoreConnections() {
    int killed = 0;
    for (String line : redis.clientList().split("\n")) {
      if (line.contains(" name=" + clientName + " ")) {
        long id = Long.parseLong(line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id="))));
        killed += (int) (long) redis.clientKill(KillArgs.Builder.id(id));
      }
    }
    return killed;
  }

  Mutation keyed(String key) {
    return new Mutation(tenant, Instant.now(), new IdempotencyClaim(key, "fp-" + key),
        List.of(new LineChange(sku, MovementType.IN, 1, 1, 0, null, "kill test", key, "test")), null, RULE);
  }

  Mutation keyless(String reference) {
    return new Mutation(tenant, Instant.now(), null,
        List.of(new LineChange(sku, MovementType.IN, 1, 1, 0, null, "kill test", reference, "test")), null, RULE);
  }

  /** Calls until the store answers, as an engine's caller would retry a 503; at most 20 s. */
  static <T> T retry(Supplier<T> call, AtomicInteger failures) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        return call.get();
      } catch (StoreUnavailableException e) {
        failures.incrementAndGet();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(10);
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("between operations: every call after a kill succeeds (or is retried) and applies once")
  void killBetweenOperations() {
    AtomicInteger failures = new AtomicInteger();
    int kills = 0;
    for (int i = 0; i < 20; i++) {
      kills += killStoreConnections();
      String key = "between-" + i;
      MutationResult r = retry(() -> store.apply(keyed(key)), failures);
      assertThat(r).isInstanceOfAny(MutationResult.Applied.class, MutationResult.Replayed.class);
      assertThat(retry(() -> store.apply(keyed(key)), failures)).isInstanceOf(MutationResult.Replayed.class);
    }

    assertThat(kills).as("the store's connection was really killed").isGreaterThanOrEqualTo(20);
    assertThat(store.level(tenant, sku).orElseThrow().onHand()).isEqualTo(20);
    assertExactlyOncePerKey(20);
    store.ping();
  }

  @Test
  @DisplayName("during operations: 8 threads keep working through repeated kills; keyed calls apply exactly once, keyless at most once")
  void killDuringOperations() throws Exception {
    int threads = 8;
    int perThread = 60;
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger replays = new AtomicInteger();
    AtomicInteger kills = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Map<String, MutationResult> keylessResults = new ConcurrentHashMap<>();
    AtomicInteger keylessUnknown = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      Future<?> killer = pool.submit(() -> {
        while (running.get()) {
          kills.addAndGet(killStoreConnections());
          sleep(15);
        }
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            String key = "during-" + thread + "-" + i;
            MutationResult r = retry(() -> store.apply(keyed(key)), failures);
            if (r instanceof MutationResult.Replayed) {
              replays.incrementAndGet();
            } else {
              assertThat(r).isInstanceOf(MutationResult.Applied.class);
            }
            if (i % 4 == 0) {
              String reference = "keyless-" + thread + "-" + i;
              try {
                keylessResults.put(reference, store.apply(keyless(reference)));
              } catch (StoreUnavailableException e) {
                keylessUnknown.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
      running.set(false);
      killer.get(10, TimeUnit.SECONDS);
    } finally {
      running.set(false);
      pool.shutdownNow();
    }

    assertThat(kills.get()).as("kills while working").isGreaterThanOrEqualTo(5);
    Map<String, Integer> keylessRows = rowsByReference("keyless-");
    assertThat(keylessRows.values()).as("no keyless mutation applied twice").allSatisfy(n -> assertThat(n).isEqualTo(1));
    keylessResults.forEach((reference, result) -> {
      assertThat(result).isInstanceOf(MutationResult.Applied.class);
      assertThat(keylessRows).as("an acknowledged keyless mutation is in the ledger").containsEntry(reference, 1);
    });
    assertThat(keylessRows.size()).isBetween(keylessResults.size(), keylessResults.size() + keylessUnknown.get());
    long keyed = (long) threads * perThread;
    assertExactlyOncePerKey(keyed);
    assertThat(store.level(tenant, sku).orElseThrow().onHand()).isEqualTo(keyed + keylessRows.size());
    assertLedgerExplainsLevel();
  }

  void assertExactlyOncePerKey(long keys) {
    Map<String, Integer> perKey = new HashMap<>();
    for (Movement m : allMovements()) {
      if (m.idempotencyKey() != null) {
        perKey.merge(m.idempotencyKey(), 1, Integer::sum);
      }
    }
    assertThat(perKey).hasSize((int) keys);
    assertThat(perKey.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
  }

  Map<String, Integer> rowsByReference(String prefix) {
    Map<String, Integer> out = new HashMap<>();
    for (Movement m : allMovements()) {
      if (m.idempotencyKey() == null && m.reference() != null && m.reference().startsWith(prefix)) {
        out.merge(m.reference(), 1, Integer::sum);
      }
    }
    return out;
  }

  List<Movement> allMovements() {
    List<Movement> all = new ArrayList<>();
    for (int offset = 0; ; offset += PageRequest.MAX_LIMIT) {
      List<Movement> page = store.history(tenant, HistoryQuery.of(sku).withPage(PageRequest.of(offset, PageRequest.MAX_LIMIT))).items();
      all.addAll(page);
      if (page.size() < PageRequest.MAX_LIMIT) {
        return all;
      }
    }
  }

  void assertLedgerExplainsLevel() {
    long[] onHand = {0};
    store.forEachMovement(tenant, sku, m -> {
      assertThat(m.onHandBefore()).isEqualTo(onHand[0]);
      onHand[0] = m.onHandAfter();
    });
    assertThat(store.level(tenant, sku).orElseThrow().onHand()).isEqualTo(onHand[0]);
  }
}
