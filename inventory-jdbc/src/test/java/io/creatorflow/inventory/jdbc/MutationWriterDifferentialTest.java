package io.creatorflow.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.jdbc.internal.Db;
import io.creatorflow.inventory.jdbc.internal.MutationWriter;
import io.creatorflow.inventory.jdbc.internal.Tables;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random batches of mutations, applied by the JDBC writer (together when they all apply, one by
 * one otherwise), must give exactly the results of the reference in-memory store applying them one
 * after the other: the same movements (up to store-assigned ids), alerts, orders, replays and
 * rejections, and the same final state.
 */
class MutationWriterDifferentialTest {
  private static final String[] SKUS = {"A", "B", "C", "D", "E"};
  private static final int ROUNDS = 150;

  /** A server and the dialect the store speaks to it (MySQL's, without RETURNING, on MariaDB too). */
  enum Target {
    H2(TestDatabase.H2, Dialect.H2),
    POSTGRESQL(TestDatabase.POSTGRESQL, Dialect.POSTGRESQL),
    MARIADB(TestDatabase.MARIADB, Dialect.MARIADB),
    MYSQL_DIALECT_ON_MARIADB(TestDatabase.MARIADB, Dialect.MYSQL);

    final TestDatabase database;
    final Dialect dialect;

    Target(TestDatabase database, Dialect dialect) {
      this.database = database;
      this.dialect = dialect;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Target.class)
  @DisplayName("random batches agree with the reference store, applied together or one by one")
  void agreesWithReference(Target target) throws Exception {
    try (TestDatabase.Isolated db = target.database.isolate()) {
      HikariDataSource pool = db.newPool(4);
      JdbcStockStore store = JdbcStockStore.builder(pool).tablePrefix(db.prefix).dialect(target.dialect).build();
      store.migrate();
      MutationWriter writer = new MutationWriter(
          new Db(Jdbi.create(pool), Tables.withPrefix(db.prefix), target.dialect, 8));
      InMemoryStockStore reference = new InMemoryStockStore();
      TenantId tenant = TenantId.of("diff-" + System.nanoTime());
      Instant t0 = Instant.parse("2025-03-01T10:00:00.000000001Z");
      for (String sku : SKUS) {
        ItemDefinition.Builder def = ItemDefinition.builder(tenant, Sku.of(sku));
        if (sku.equals("B")) {
          def.lowStockThreshold(2L);
        }
        if (sku.equals("E")) {
          def.allowBackorder(true);
        }
        store.registerItem(def.build(), t0);
        reference.registerItem(def.build(), t0);
      }

      Random random = new Random(20250301L + target.ordinal());
      int together = 0;
      int alone = 0;
      long lastMovementId = Long.MIN_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        Instant at = t0.plusMillis(round * 1000L);
        List<Mutation> batch = new ArrayList<>();
        int size = 1 + random.nextInt(6);
        for (int i = 0; i < size; i++) {
          batch.add(randomMutation(random, reference, tenant, at.plusNanos(i)));
        }
        List<MutationResult> expected = batch.stream().map(reference::apply).toList();
        List<MutationResult> actual = writer.applyAll(batch);
        if (actual == null) {
          alone++;
          assertThat(independent(batch) && expected.stream().allMatch(r -> r instanceof MutationResult.Applied))
              .as("round %s: a batch of independent mutations that all apply is applied together: %s", round, batch)
              .isFalse();
          actual = batch.stream().map(writer::apply).toList();
        } else if (batch.size() > 1) {
          together++;
          assertThat(expected).as("a batch applies together only if every mutation applies")
              .allMatch(r -> r instanceof MutationResult.Applied);
        }
        for (MutationResult r : actual) {
          if (r instanceof MutationResult.Applied applied) {
            for (Movement m : applied.movements()) {
              assertThat(m.id()).as("movement ids increase in application order").isGreaterThan(lastMovementId);
              lastMovementId = m.id();
            }
          }
        }
        assertThat(actual.stream().map(MutationWriterDifferentialTest::normalize).toList())
            .as("round %s: %s", round, batch)
            .isEqualTo(expected.stream().map(MutationWriterDifferentialTest::normalize).toList());
      }
      assertThat(together).as("batches applied together").isGreaterThan(5);
      assertThat(alone).as("batches applied one by one").isGreaterThan(5);

      for (String sku : SKUS) {
        assertThat(store.level(tenant, Sku.of(sku))).isEqualTo(reference.level(tenant, Sku.of(sku)));
        List<Movement> ours = new ArrayList<>();
        store.forEachMovement(tenant, Sku.of(sku), ours::add);
        List<Movement> theirs = new ArrayList<>();
        reference.forEachMovement(tenant, Sku.of(sku), theirs::add);
        assertThat(ours.stream().map(m -> withId(m, 0)).toList()).isEqualTo(theirs.stream().map(m -> withId(m, 0)).toList());
      }
      assertThat(store.openAlerts(tenant, null).stream().map(a -> withId(a, 0)).toList())
          .isEqualTo(reference.openAlerts(tenant, null).stream().map(a -> withId(a, 0)).toList());
      assertThat(store.history(tenant, HistoryQuery.all()).total())
          .isEqualTo(reference.history(tenant, HistoryQuery.all()).total());
      for (int o = 0; o < 40; o++) {
        OrderId id = OrderId.of("o-" + o);
        assertThat(store.order(tenant, id)).isEqualTo(reference.order(tenant, id));
      }
    }
  }

  private static Mutation randomMutation(Random random, InMemoryStockStore reference, TenantId tenant, Instant at) {
    AlertRule rule = random.nextBoolean() ? new AlertRule(5, 0) : new AlertRule(3, 2);
    String key = random.nextInt(3) == 0 ? "k-" + random.nextInt(40) : null;
    int kind = random.nextInt(10);
    if (kind < 4) {
      List<LineChange> changes = new ArrayList<>();
      for (String sku : pick(random)) {
        long delta = random.nextInt(14) - 3;
        if (delta == 0) {
          delta = 1;
        }
        changes.add(new LineChange(Sku.of(sku), random.nextBoolean() ? MovementType.ADJUSTMENT : MovementType.IN,
            Math.abs(delta), delta, 0, null, "r" + random.nextInt(3), null, "actor"));
      }
      return new Mutation(tenant, at, claim(key), changes, null, rule);
    }
    if (kind == 4) {
      String sku = SKUS[random.nextInt(SKUS.length)];
      long onHand = reference.level(tenant, Sku.of(sku)).orElseThrow().onHand();
      long expected = random.nextInt(4) == 0 ? onHand + 1 : onHand;
      long target = random.nextInt(20);
      return new Mutation(tenant, at, claim(key), List.of(new LineChange(Sku.of(sku), MovementType.ADJUSTMENT,
          Math.abs(target - expected), target - expected, 0, expected, "count", null, null)), null, rule);
    }
    OrderId id = OrderId.of("o-" + random.nextInt(40));
    Order current = reference.order(tenant, id).orElse(null);
    if (kind < 8 || current == null) {
      List<OrderLine> lines = new ArrayList<>();
      for (String sku : pick(random)) {
        lines.add(OrderLine.of(random.nextInt(25) == 0 ? "ZZ-UNKNOWN" : sku, 1 + random.nextInt(4)));
      }
      lines = OrderLine.normalize(lines);
      List<LineChange> changes = lines.stream().map(l -> new LineChange(l.sku(), MovementType.RESERVE, l.quantity(), 0,
          l.quantity(), null, null, "order:" + id, null)).toList();
      OrderWrite write = new OrderWrite(id, 0, OrderStatus.RESERVED, lines, List.of());
      return new Mutation(tenant, at, claim(random.nextInt(4) == 0 ? key : "sys:reserve:" + id.value()), changes, write,
          rule);
    }
    boolean ship = kind == 8;
    long version = random.nextInt(5) == 0 ? current.version() + 1 : current.version();
    List<LineChange> changes = current.lines().stream().map(l -> ship
        ? new LineChange(l.sku(), MovementType.OUT, l.quantity(), -l.quantity(), -l.quantity(), null, null, null, null)
        : new LineChange(l.sku(), MovementType.RELEASE, l.quantity(), 0, -l.quantity(), null, null, null, null)).toList();
    OrderWrite write = new OrderWrite(id, version, ship ? OrderStatus.FULFILLED : OrderStatus.CANCELLED,
        current.lines(), List.of());
    return new Mutation(tenant, at, claim(key), changes, write, rule);
  }

  /** Whether no two mutations share a key or an order: only such batches may apply together. */
  private static boolean independent(List<Mutation> batch) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Mutation m : batch) {
      if (m.idempotency() != null && !seen.add("key:" + m.idempotency().key())) {
        return false;
      }
      if (m.order() != null && !seen.add("order:" + m.order().id().value())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> pick(Random random) {
    TreeMap<String, Boolean> chosen = new TreeMap<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      chosen.put(SKUS[random.nextInt(SKUS.length)], true);
    }
    return new ArrayList<>(chosen.keySet());
  }

  private static IdempotencyClaim claim(String key) {
    return key == null ? null : new IdempotencyClaim(key, "fp-" + key);
  }

  /** A result with store-assigned ids zeroed: the two stores number rows independently. */
  private static Object normalize(MutationResult result) {
    if (result instanceof MutationResult.Applied a) {
      return new MutationResult.Applied(a.movements().stream().map(m -> withId(m, 0)).toList(),
          a.alertEvents().stream().map(e -> new AlertEvent(e.type(), withId(e.alert(), 0))).toList(), a.order());
    }
    if (result instanceof MutationResult.Replayed r) {
      return new MutationResult.Replayed(r.fingerprint(), r.movements().stream().map(m -> withId(m, 0)).toList(),
          r.order());
    }
    return result;
  }

  private static Movement withId(Movement m, long id) {
    return new Movement(id, m.tenant(), m.sku(), m.type(), m.quantity(), m.onHandBefore(), m.onHandAfter(),
        m.reservedBefore(), m.reservedAfter(), m.reason(), m.reference(), m.actor(), m.idempotencyKey(), m.occurredAt());
  }

  private static Alert withId(Alert a, long id) {
    return new Alert(id, a.tenant(), a.sku(), a.kind(), a.status(), a.availableAtOpen(), a.threshold(), a.openedAt(),
        a.resolvedAt(), a.resolvedBy(), a.notification(), a.delivery(), a.deliveryAttempts());
  }
}
