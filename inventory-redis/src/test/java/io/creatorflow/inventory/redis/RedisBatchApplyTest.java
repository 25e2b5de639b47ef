package io.creatorflow.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.redis.internal.RedisKeys;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.MutationResult.Rejection;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The group-commit path: several mutations of one tenant in one {@code apply.lua} call must have
 * exactly the outcomes they would have one after the other, each with its own ledger rows, order,
 * idempotency record and result.
 */
class RedisBatchApplyTest extends RedisStoreTestBase {
  static final Instant T0 = Instant.parse("2024-06-01T12:00:00.123456789Z");
  static final AlertRule RULE = new AlertRule(1, 0);
  static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();

  String testPrefix;
  RedisStockStore store;
  TenantId tenant;

  @BeforeEach
  void newTenant() {
    testPrefix = prefix + ":" + TESTS.incrementAndGet();
    store = builder().build();
    tenant = TenantId.of("t-" + UUID.randomUUID());
  }

  RedisStockStore.Builder builder() {
    return RedisStockStore.builder(connection).keyPrefix(testPrefix);
  }

  Sku register(RedisStockStore s, TenantId t, String sku) {
    s.registerItem(ItemDefinition.builder(t, Sku.of(sku)).build(), T0);
    return Sku.of(sku);
  }

  static LineChange in(Sku sku, long q) {
    return new LineChange(sku, MovementType.IN, q, q, 0, null, "restock", null, "tester");
  }

  static LineChange reserve(Sku sku, long q, String order) {
    return new LineChange(sku, MovementType.RESERVE, q, 0, q, null, null, "order:" + order, null);
  }

  static Mutation reservation(TenantId t, Instant at, Sku sku, long q, String order, String key, String fingerprint) {
    return new Mutation(t, at, new IdempotencyClaim(key, fingerprint), List.of(reserve(sku, q, order)),
        new OrderWrite(OrderId.of(order), 0, OrderStatus.RESERVED, List.of(OrderLine.of(sku, q)), List.of()), RULE);
  }

  StockLevel level(Sku sku) {
    return store.level(tenant, sku).orElseThrow();
  }

  @Test
  @DisplayName("one batch with every outcome: applied, rejected for stock, replayed, reused key, stale order, unknown SKU")
  void mixedOutcomes() {
    Sku a = register(store, tenant, "A");
    store.apply(new Mutation(tenant, T0, null, List.of(in(a, 3)), null, RULE));
    Instant t1 = T0.plusSeconds(1);
    Instant t2 = T0.plusSeconds(2);
    List<Mutation> batch = List.of(
        reservation(tenant, t1, a, 2, "o-1", "k-1", "fp-1"),                     // applied: 3 -> 1 available
        reservation(tenant, t1, a, 2, "o-2", "k-2", "fp-2"),                     // rejected: 1 available
        reservation(tenant, t2, a, 2, "o-1", "k-1", "fp-1"),                     // replay of the first
        reservation(tenant, t2, a, 1, "o-9", "k-1", "fp-other"),                 // key reused: replays fp-1
        reservation(tenant, t2, a, 1, "o-1", "k-3", "fp-3"),                     // order o-1 exists now
        new Mutation(tenant, t2, null, List.of(in(Sku.of("NOPE"), 1)), null, RULE), // unknown SKU
        reservation(tenant, t2, a, 1, "o-4", "k-4", "fp-4"),                     // applied: 1 -> 0, alert opens
        reservation(tenant, t2, a, 1, "o-5", "k-5", "fp-5"),                     // rejected: 0 available
        new Mutation(tenant, t2, null, List.of(in(a, 5)), null, RULE));          // keyless, applied, resolves

    List<MutationResult> results = store.applyAll(batch);

    assertThat(results).hasSize(batch.size());
    MutationResult.Applied first = (MutationResult.Applied) results.get(0);
    Order o1 = new Order(tenant, OrderId.of("o-1"), OrderStatus.RESERVED, List.of(OrderLine.of(a, 2)), List.of(), 1, t1, t1);
    assertThat(first.movements()).singleElement().satisfies(m -> {
      assertThat(m.onHandBefore()).isEqualTo(3);
      assertThat(m.reservedBefore()).isZero();
      assertThat(m.reservedAfter()).isEqualTo(2);
      assertThat(m.idempotencyKey()).isEqualTo("k-1");
    });
    assertThat(first.order()).isEqualTo(o1);
    assertThat(results.get(1)).isEqualTo(new MutationResult.Rejected(Rejection.INSUFFICIENT_STOCK, a,
        new StockLevel(tenant, a, 3, 2, 2, t1), null));
    assertThat(results.get(2)).isEqualTo(new MutationResult.Replayed("fp-1", first.movements(), o1));
    assertThat(results.get(3)).isEqualTo(new MutationResult.Replayed("fp-1", first.movements(), o1));
    assertThat(results.get(4)).isEqualTo(new MutationResult.Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null, o1));
    assertThat(results.get(5)).isEqualTo(new MutationResult.Rejected(Rejection.UNKNOWN_SKU, Sku.of("NOPE"), null, null));
    MutationResult.Applied fourth = (MutationResult.Applied) results.get(6);
    assertThat(fourth.movements().get(0).id()).isEqualTo(first.movements().get(0).id() + 1);
    assertThat(fourth.alertEvents()).extracting(e -> e.type(), e -> e.alert().kind())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertEventType.OPENED, AlertKind.OUT_OF_STOCK));
    assertThat(results.get(7)).isEqualTo(new MutationResult.Rejected(Rejection.INSUFFICIENT_STOCK, a,
        new StockLevel(tenant, a, 3, 3, 3, t2), null));
    MutationResult.Applied restock = (MutationResult.Applied) results.get(8);
    assertThat(restock.movements().get(0).id()).isEqualTo(first.movements().get(0).id() + 2);
    assertThat(restock.alertEvents()).extracting(e -> e.type(), e -> e.alert().kind()).containsExactly(
        org.assertj.core.groups.Tuple.tuple(AlertEventType.RESOLVED, AlertKind.LOW_STOCK),
        org.assertj.core.groups.Tuple.tuple(AlertEventType.RESOLVED, AlertKind.OUT_OF_STOCK));

    // What the batch left behind is what the mutations would have left one by one.
    assertThat(level(a)).isEqualTo(new StockLevel(tenant, a, 8, 3, 4, t2));
    assertThat(store.order(tenant, OrderId.of("o-1"))).contains(o1);
    assertThat(store.order(tenant, OrderId.of("o-2"))).isEmpty();
    assertThat(store.order(tenant, OrderId.of("o-4")).orElseThrow().version()).isEqualTo(1);
    assertThat(store.replay(tenant, "k-1")).contains(new MutationResult.Replayed("fp-1", first.movements(), o1));
    assertThat(store.replay(tenant, "k-2")).isEmpty();
    assertThat(store.replay(tenant, "k-3")).isEmpty();
    assertThat(store.replay(tenant, "k-4").orElseThrow().movements()).isEqualTo(fourth.movements());
    List<Movement> history = store.history(tenant, HistoryQuery.all()).items();
    assertThat(history).hasSize(4);
    assertThat(history.subList(0, 3)).containsExactly(restock.movements().get(0), fourth.movements().get(0),
        first.movements().get(0));
    assertThat(store.openAlerts(tenant, null)).isEmpty();
  }

  @Test
  @DisplayName("a batch gives the same results and state as the same mutations applied one by one")
  void sameAsOneByOne() {
    TenantId other = TenantId.of("t-" + UUID.randomUUID());
    Sku a = register(store, tenant, "A");
    Sku b = register(store, tenant, "B");
    register(store, other, "A");
    register(store, other, "B");
    List<Mutation> batch = new ArrayList<>();
    List<Mutation> single = new ArrayList<>();
    for (TenantId t : List.of(tenant, other)) {
      List<Mutation> target = t.equals(tenant) ? batch : single;
      target.add(new Mutation(t, T0, null, List.of(in(a, 4), in(b, 1)), null, RULE));
      for (int i = 0; i < 6; i++) {
        Instant at = T0.plusMillis(i);
        String order = "o-" + i;
        target.add(new Mutation(t, at, new IdempotencyClaim("k-" + (i % 4), "fp-" + i), List.of(reserve(a, 1, order), reserve(b, 1, order)),
            new OrderWrite(OrderId.of(order), 0, OrderStatus.RESERVED, List.of(OrderLine.of(a, 1), OrderLine.of(b, 1)), List.of()), RULE));
      }
    }
    List<MutationResult> batched = store.applyAll(batch);
    List<MutationResult> oneByOne = new ArrayList<>();
    for (Mutation m : single) {
      oneByOne.add(store.applyAll(List.of(m)).get(0));
    }
    assertThat(batched.stream().map(r -> r.getClass().getSimpleName()).toList())
        .isEqualTo(oneByOne.stream().map(r -> r.getClass().getSimpleName()).toList())
        .containsExactly("Applied", "Applied", "Rejected", "Rejected", "Rejected", "Replayed", "Rejected");
    for (int i = 0; i < batched.size(); i++) {
      assertThat(movements(batched.get(i))).isEqualTo(movements(oneByOne.get(i)));
    }
    for (Sku sku : List.of(a, b)) {
      StockLevel x = level(sku);
      StockLevel y = store.level(other, sku).orElseThrow();
      assertThat(List.of(x.onHand(), x.reserved(), x.version(), x.updatedAt()))
          .isEqualTo(List.of(y.onHand(), y.reserved(), y.version(), y.updatedAt()));
    }
  }

  /** Movements without the tenant, for comparing results of two tenants. */
  static List<String> movements(MutationResult r) {
    List<Movement> ms = r instanceof MutationResult.Applied a ? a.movements()
        : r instanceof MutationResult.Replayed p ? p.movements() : List.of();
    return ms.stream().map(m -> m.id() + " " + m.sku() + " " + m.type() + " " + m.quantity() + " " + m.onHandBefore() + " "
        + m.onHandAfter() + " " + m.reservedBefore() + " " + m.reservedAfter() + " " + m.reference() + " "
        + m.idempotencyKey() + " " + m.occurredAt()).toList();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14})
  @DisplayName("random batches agree with the reference store applying the same mutations one by one")
  void randomBatchesAgreeWithTheReference(long seed) {
    DifferentialRun run = new DifferentialRun(seed, store, new InMemoryStockStore());
    run.maxBatch = 8;
    run.run(220);
    assertThat(run.seen).containsKeys("Applied", "Replayed", "INSUFFICIENT_STOCK", "UNKNOWN_SKU", "ORDER_VERSION_MISMATCH",
        "OPENED", "RESOLVED", "batch of 3+");
    assertThat(run.seen.get("Applied")).isGreaterThan(100);
  }

  @Test
  @DisplayName("ledger retention trims inside a batch exactly as one by one")
  void retentionInABatch() {
    RedisStockStore limited = builder().ledgerRetention(LedgerRetention.latestPerSku(3)).build();
    Sku a = register(limited, tenant, "A");
    List<Mutation> batch = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      batch.add(new Mutation(tenant, T0.plusSeconds(i), null, List.of(in(a, i)), null, RULE));
    }
    limited.applyAll(batch);

    List<Movement> rows = new ArrayList<>();
    limited.forEachMovement(tenant, a, rows::add);
    assertThat(rows).extracting(Movement::quantity).containsExactly(4L, 5L, 6L);
    assertThat(rows.get(0).onHandBefore()).isEqualTo(1 + 2 + 3);
    assertThat(limited.history(tenant, HistoryQuery.all()).total()).isEqualTo(3);
    assertThat(redis.hlen(new RedisKeys(testPrefix).tenant(tenant).ledger())).isEqualTo(3);

    RedisStockStore aged = builder().ledgerRetention(LedgerRetention.maxAge(Duration.ofDays(30))).build();
    Sku b = register(aged, tenant, "B");
    aged.applyAll(List.of(
        new Mutation(tenant, T0, null, List.of(in(b, 1)), null, RULE),
        new Mutation(tenant, T0.plus(Duration.ofDays(10)), null, List.of(in(b, 2)), null, RULE),
        new Mutation(tenant, T0.plus(Duration.ofDays(35)), null, List.of(in(b, 3)), null, RULE)));
    assertThat(aged.history(tenant, HistoryQuery.of(b)).items()).extracting(Movement::quantity).containsExactly(3L, 2L);
  }

  @Test
  @DisplayName("the retransmit guard works per mutation inside a batch")
  void retransmitGuardInABatch() {
    String[] id = {"req-1"};
    RedisStockStore guarded = builder().requestIds(() -> id[0]).build();
    Sku a = register(guarded, tenant, "A");
    Mutation m = new Mutation(tenant, T0, null, List.of(in(a, 4)), null, RULE);

    // The same request id twice in one call: the second is a retransmit of the first.
    List<MutationResult> results = guarded.applyAll(List.of(m, m));
    assertThat(results.get(1)).isEqualTo(results.get(0));
    assertThat(level(a).onHand()).isEqualTo(4);
    // A later call with the same id (Lettuce re-sending after a reconnect) replays it as well.
    assertThat(guarded.applyAll(List.of(m)).get(0)).isEqualTo(results.get(0));
    id[0] = "req-2";
    guarded.applyAll(List.of(m));
    assertThat(level(a).onHand()).isEqualTo(8);
  }

  @Test
  @DisplayName("a batch that fails in Redis fails every mutation in it with StoreUnavailable and applies none")
  void failedBatchAppliesNothing() throws Exception {
    Sku a = register(store, tenant, "A");
    store.apply(new Mutation(tenant, T0, null, List.of(in(a, 10)), null, RULE));
    // A corrupt orders key: the script fails on it before writing anything.
    String orders = new RedisKeys(testPrefix).tenant(tenant).orders();
    redis.set(orders, "not a hash");
    List<Mutation> batch = List.of(
        new Mutation(tenant, T0, null, List.of(in(a, 1)), null, RULE),
        reservation(tenant, T0, a, 1, "o-1", "k-1", "fp"));

    assertThatThrownBy(() -> store.applyAll(batch)).isInstanceOf(StoreUnavailableException.class)
        .hasCauseInstanceOf(io.lettuce.core.RedisException.class);

    assertThat(level(a)).isEqualTo(new StockLevel(tenant, a, 10, 0, 1, T0));
    assertThat(redis.exists(new RedisKeys(testPrefix).tenant(tenant).idempotency("k-1"))).isZero();
    redis.del(orders);
  }

  @Test
  @DisplayName("concurrent callers through apply: no oversell, one ledger row, order and key per reservation")
  void concurrentCallers() throws Exception {
    RedisStockStore batching = builder().maxBatchSize(16).maxConcurrentBatches(1).build();
    Sku a = register(batching, tenant, "A");
    batching.apply(new Mutation(tenant, T0, null, List.of(in(a, 300)), null, RULE));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> buyers = new ArrayList<>();
      for (int b = 0; b < 16; b++) {
        int buyer = b;
        Callable<Integer> buy = () -> {
          int accepted = 0;
          for (int i = 0; i < 40; i++) {
            String order = "o-" + buyer + "-" + i;
            if (batching.apply(reservation(tenant, T0, a, 1, order, order, "fp")) instanceof MutationResult.Applied) {
              accepted++;
            }
          }
          return accepted;
        };
        buyers.add(pool.submit(buy));
      }
      int accepted = 0;
      for (Future<Integer> f : buyers) {
        accepted += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(accepted).isEqualTo(300);
    } finally {
      pool.shutdownNow();
    }
    assertThat(level(a).reserved()).isEqualTo(300);
    assertThat(store.history(tenant, HistoryQuery.of(a)).total()).isEqualTo(301);
    assertThat(redis.hlen(new RedisKeys(testPrefix).tenant(tenant).orders())).isEqualTo(300);
    List<Movement> rows = new ArrayList<>();
    store.forEachMovement(tenant, a, rows::add);
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).reservedBefore()).isEqualTo(rows.get(i - 1).reservedAfter());
    }
  }

  @Test
  @DisplayName("builder: batch settings are checked and shown")
  void builderSettings() {
    assertThatThrownBy(() -> builder().maxBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().maxBatchSize(257)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().maxConcurrentBatches(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().maxConcurrentBatches(65)).isInstanceOf(IllegalArgumentException.class);
    RedisStockStore s = builder().maxBatchSize(8).maxConcurrentBatches(3).build();
    assertThat(s.maxBatchSize()).isEqualTo(8);
    assertThat(s.maxConcurrentBatches()).isEqualTo(3);
    assertThat(store.maxBatchSize()).isEqualTo(RedisStockStore.DEFAULT_MAX_BATCH_SIZE);
    assertThat(s.toString()).contains("maxBatchSize=8", "maxConcurrentBatches=3");
  }
}
