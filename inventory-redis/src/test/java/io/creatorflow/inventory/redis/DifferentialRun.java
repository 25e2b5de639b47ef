package io.creatorflow.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One random operation sequence run against a Redis store and the reference {@link
 * InMemoryStockStore} side by side, requiring the same answer from both, every time: results,
 * rejections, levels, ledger rows, alert transitions, orders, replays, catalog search and history
 * pages. Ids are compared through a mapping (the reference numbers movements and alerts store-wide,
 * Redis movements per tenant), which must stay one-to-one and monotonic. {@link #seen} counts what
 * the sequence exercised, so callers can check it was not vacuous.
 */
final class DifferentialRun {
  private static final String[] NAMES = {
    "Hoodie Ä", "MUG_50%", "Tee*Shirt", "straße", "İstanbul Mug", "cap [red]", "Sticker (x)", "a.b-c", "ÉCLAIR", "x%y"
  };
  private static final String[] NEEDLES = {
    "a", "%", "_", "*", ".", "[", "(", "ä", "Ä", "HOOD", "mug", "i̇", "-", "x", "%a", "sse", "é", "1", "ß"
  };
  private static final String[] TEXTS = {"restock", "order:1", "Zoë", "a\nb", "\"quoted\"", "emoji \uD83D\uDE00", "%s"};
  final Random rnd;
  final StockStore redisStore;
  final StockStore memory;
  final TenantId tenant;
  final List<Sku> skus = new ArrayList<>();
  final Sku unknown = Sku.of("ZZ-UNREGISTERED");
  final Map<Long, Long> movementIds = new HashMap<>();
  final Map<Long, Long> alertIds = new HashMap<>();
  final List<String> keys = List.of("k1", "k2", "k3", "k4", "k5", "k6", "k{7}:x");
  final List<OrderId> orders = List.of(OrderId.of("o-1"), OrderId.of("o-2"), OrderId.of("o-3"), OrderId.of("\uD83D\uDE00-4"));
  final List<Instant> times = new ArrayList<>();
  final Map<String, Integer> seen = new java.util.TreeMap<>();
  Instant now = Instant.parse("2024-05-01T10:00:00.123456789Z");
  /** More than 1: mutations go to Redis in batches of up to this many, through one script each. */
  int maxBatch = 1;
  long lastRedisMovementId;
  long lastMemoryMovementId;

  DifferentialRun(long seed, StockStore redisStore, StockStore memory) {
    this(seed, redisStore, memory, TenantId.of("diff-" + seed + "-{t}:%7D" + Long.toHexString(new Random(seed).nextLong())));
  }

  DifferentialRun(long seed, StockStore redisStore, StockStore memory, TenantId tenant) {
    this.rnd = new Random(seed);
    this.redisStore = redisStore;
    this.memory = memory;
    this.tenant = tenant;
  }

  void run(int steps) {
    String[] skuNames = {"A-1", "B-2", "b-3", "Ä-4", "x\uFF21", "x\uD83D\uDE00", "HOOD-m"};
    for (int i = 0; i < skuNames.length; i++) {
      Sku sku = Sku.of(skuNames[i]);
      skus.add(sku);
      ItemDefinition.Builder def = ItemDefinition.builder(tenant, sku).name(NAMES[i])
          .location(Location.of(i % 2 == 0 ? "default" : "berlin"))
          .lowStockThreshold(rnd.nextInt(3) == 0 ? null : (long) rnd.nextInt(7))
          .allowBackorder(i == 2);
      if (i % 3 == 0) {
        def.listing(ShopListing.of("tiktok", "p-" + i, "s-" + i));
      }
      register(def.build());
    }
    for (int step = 0; step < steps; step++) {
      tick();
      int op = rnd.nextInt(100);
      if (op < 72) {
        mutate();
      } else if (op < 78) {
        update();
      } else if (op < 84) {
        resolveSomeAlert();
      } else if (op < 90) {
        recordSomeDelivery();
      } else {
        compareQueries();
      }
    }
    compareQueries();
    for (Sku sku : skus) {
      assertThat(mapMovements(all(redisStore, sku))).isEqualTo(stripIds(all(memory, sku)));
    }
  }

  /** Fails unless the sequence applied, replayed and rejected enough, and opened and resolved alerts. */
  void assertExercisedEverything() {
    assertThat(seen).containsKeys("Applied", "Replayed", "INSUFFICIENT_STOCK", "UNKNOWN_SKU", "OPENED", "RESOLVED",
        "resolved by hand");
    assertThat(seen.get("Applied")).isGreaterThan(50);
  }

  void tick() {
    int r = rnd.nextInt(10);
    if (r > 1) {
      now = now.plusNanos(rnd.nextInt(3) * 1_000_000_000L + rnd.nextInt(1_000_000));
    }
    times.add(now);
  }

  void register(ItemDefinition def) {
    StockStore.Registration a = memory.registerItem(def, now);
    StockStore.Registration b = redisStore.registerItem(def, now);
    assertThat(b).isEqualTo(a);
  }

  void update() {
    Sku sku = skus.get(rnd.nextInt(skus.size()));
    CatalogItem current = memory.item(tenant, sku).orElseThrow();
    ItemDefinition def = current.definition().toBuilder()
        .name(NAMES[rnd.nextInt(NAMES.length)])
        .lowStockThreshold(rnd.nextInt(4) == 0 ? null : (long) rnd.nextInt(8))
        .build();
    AlertRule rule = rule();
    Optional<StockStore.ItemUpdate> a = memory.updateItem(def, now, rule);
    Optional<StockStore.ItemUpdate> b = redisStore.updateItem(def, now, rule);
    assertThat(b).isPresent();
    assertThat(b.get().item()).isEqualTo(a.orElseThrow().item());
    compareEvents(a.get().alertEvents(), b.get().alertEvents());
  }

  AlertRule rule() {
    return new AlertRule(rnd.nextInt(7), rnd.nextInt(3));
  }

  void mutate() {
    if (maxBatch == 1) {
      Mutation m = randomMutation();
      if (m == null) {
        return;
      }
      compareResults(memory.apply(m), redisStore.apply(m));
      compareReplay(m);
      return;
    }
    // Several mutations, each built on the reference state the ones before it left (same keys,
    // same orders, versions that may now be stale), sent to Redis as one batch.
    int size = 1 + rnd.nextInt(maxBatch);
    List<Mutation> batch = new ArrayList<>();
    List<MutationResult> expected = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Mutation m = randomMutation();
      if (m != null) {
        batch.add(m);
        expected.add(memory.apply(m));
      }
      if (rnd.nextBoolean()) {
        tick();
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    List<MutationResult> got = ((RedisStockStore) redisStore).applyAll(batch);
    assertThat(got).hasSameSizeAs(expected);
    for (int i = 0; i < batch.size(); i++) {
      compareResults(expected.get(i), got.get(i));
    }
    count("batch of " + Math.min(batch.size(), 3) + (batch.size() >= 3 ? "+" : ""));
    for (Mutation m : batch) {
      compareReplay(m);
    }
  }

  private void compareReplay(Mutation m) {
    IdempotencyClaim claim = m.idempotency();
    if (claim != null) {
      Optional<MutationResult.Replayed> ra = memory.replay(tenant, claim.key());
      Optional<MutationResult.Replayed> rb = redisStore.replay(tenant, claim.key());
      assertThat(rb.isPresent()).isEqualTo(ra.isPresent());
      ra.ifPresent(r -> compareResults(r, rb.orElseThrow()));
    }
  }

  /** A random mutation on the reference store's current state, or null if it would change nothing. */
  private @Nullable Mutation randomMutation() {
    boolean withUnknown = rnd.nextInt(25) == 0;
    IdempotencyClaim claim = null;
    OrderWrite order = null;
    if (rnd.nextInt(10) < 3) {
      String key = rnd.nextBoolean() ? keys.get(rnd.nextInt(keys.size())) : "fresh-" + rnd.nextLong();
      claim = new IdempotencyClaim(key, "fp-" + rnd.nextInt(3));
    }
    if (rnd.nextInt(10) < 3) {
      OrderId id = orders.get(rnd.nextInt(orders.size()));
      long version = memory.order(tenant, id).map(Order::version).orElse(0L);
      if (rnd.nextInt(8) == 0) {
        version += rnd.nextBoolean() ? 1 : -1;
      }
      List<OrderLine> lines = List.of(OrderLine.of(skus.get(rnd.nextInt(skus.size())), 1 + rnd.nextInt(4)));
      List<OrderLine> returned = rnd.nextBoolean() ? List.of() : List.of(OrderLine.of("A-1", 1));
      order = new OrderWrite(id, Math.max(0, version), OrderStatus.values()[rnd.nextInt(3)], lines, returned);
    }
    TreeSet<Sku> chosen = new TreeSet<>();
    int count = order != null && rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(3);
    while (chosen.size() < count) {
      chosen.add(skus.get(rnd.nextInt(skus.size())));
    }
    if (withUnknown) {
      chosen.add(unknown);
    }
    List<LineChange> changes = new ArrayList<>();
    for (Sku sku : chosen) {
      changes.add(change(sku));
    }
    if (changes.isEmpty() && order == null) {
      return null;
    }
    return new Mutation(tenant, now, claim, changes, order, rule());
  }

  LineChange change(Sku sku) {
    long q = rnd.nextInt(7);
    String reason = rnd.nextBoolean() ? null : TEXTS[rnd.nextInt(TEXTS.length)];
    String reference = rnd.nextBoolean() ? null : TEXTS[rnd.nextInt(TEXTS.length)];
    String actor = rnd.nextBoolean() ? null : TEXTS[rnd.nextInt(TEXTS.length)];
    MovementType type = rnd.nextInt(4) == 0 ? MovementType.IN : MovementType.values()[rnd.nextInt(MovementType.values().length)];
    Long expected = null;
    long ohd;
    long rsd;
    switch (type) {
      case IN -> {
        ohd = q;
        rsd = 0;
      }
      case OUT -> {
        ohd = -q;
        rsd = -q;
      }
      case RESERVE -> {
        ohd = 0;
        rsd = q;
      }
      case RELEASE -> {
        ohd = 0;
        rsd = -q;
      }
      default -> {
        ohd = rnd.nextBoolean() ? q : -q;
        rsd = 0;
        if (type == MovementType.SYNC && rnd.nextBoolean()) {
          long onHand = memory.level(tenant, sku).map(StockLevel::onHand).orElse(0L);
          expected = rnd.nextInt(4) == 0 ? onHand + 1 : onHand;
        }
      }
    }
    return new LineChange(sku, type, q, ohd, rsd, expected, reason, reference, actor);
  }

  void resolveSomeAlert() {
    List<Alert> open = memory.openAlerts(tenant, null);
    if (open.isEmpty()) {
      return;
    }
    Alert alert = open.get(rnd.nextInt(open.size()));
    String actor = rnd.nextBoolean() ? "ops@shop" : "Zoë \uD83D\uDE00";
    StockStore.AlertResolution a = memory.resolveAlert(tenant, alert.id(), now, actor).orElseThrow();
    StockStore.AlertResolution b = redisStore.resolveAlert(tenant, alertIds.get(alert.id()), now, actor).orElseThrow();
    assertThat(b.resolvedNow()).isEqualTo(a.resolvedNow());
    count("resolved by hand");
    compareAlert(a.alert(), b.alert());
    StockStore.AlertResolution again = redisStore.resolveAlert(tenant, alertIds.get(alert.id()), now, actor).orElseThrow();
    assertThat(again.resolvedNow()).isFalse();
  }

  void recordSomeDelivery() {
    if (alertIds.isEmpty()) {
      return;
    }
    List<Long> ids = new ArrayList<>(alertIds.keySet());
    long memoryId = ids.get(rnd.nextInt(ids.size()));
    AlertEventType notification = AlertEventType.values()[rnd.nextInt(2)];
    DeliveryState state = DeliveryState.values()[rnd.nextInt(3)];
    int attempts = rnd.nextInt(5);
    boolean a = memory.recordDelivery(tenant, memoryId, notification, state, attempts);
    boolean b = redisStore.recordDelivery(tenant, alertIds.get(memoryId), notification, state, attempts);
    assertThat(b).isEqualTo(a);
    compareAlert(memory.alert(tenant, memoryId).orElseThrow(), redisStore.alert(tenant, alertIds.get(memoryId)).orElseThrow());
  }

  void compareQueries() {
    for (Sku sku : skus) {
      assertThat(redisStore.level(tenant, sku)).isEqualTo(memory.level(tenant, sku));
      assertThat(redisStore.item(tenant, sku)).isEqualTo(memory.item(tenant, sku));
      compareAlerts(memory.openAlerts(tenant, sku), redisStore.openAlerts(tenant, sku));
    }
    compareAlerts(memory.openAlerts(tenant, null), redisStore.openAlerts(tenant, null));
    for (OrderId id : orders) {
      assertThat(redisStore.order(tenant, id)).isEqualTo(memory.order(tenant, id));
    }
    for (String key : keys) {
      Optional<MutationResult.Replayed> a = memory.replay(tenant, key);
      Optional<MutationResult.Replayed> b = redisStore.replay(tenant, key);
      assertThat(b.isPresent()).isEqualTo(a.isPresent());
      a.ifPresent(r -> compareResults(r, b.orElseThrow()));
    }
    for (int i = 0; i < 6; i++) {
      HistoryQuery q = historyQuery();
      Page<Movement> a = memory.history(tenant, q);
      Page<Movement> b = redisStore.history(tenant, q);
      assertThat(b.total()).as("history total of %s", q).isEqualTo(a.total());
      assertThat(mapMovements(b.items())).as("history of %s", q).isEqualTo(stripIds(a.items()));
    }
    for (int i = 0; i < 6; i++) {
      CatalogQuery q = catalogQuery();
      long defaultThreshold = rnd.nextInt(7);
      Page<ItemStock> a = memory.findItems(tenant, q, defaultThreshold);
      Page<ItemStock> b = redisStore.findItems(tenant, q, defaultThreshold);
      assertThat(b).as("catalog search %s, default threshold %s", q, defaultThreshold).isEqualTo(a);
    }
    Instant before = times.get(rnd.nextInt(times.size()));
    List<Alert> a = memory.pendingDeliveries(before, 10_000);
    List<Alert> b = redisStore.pendingDeliveries(before, 10_000).stream().filter(x -> x.tenant().equals(tenant)).toList();
    assertThat(b).hasSameSizeAs(a);
    Map<Long, Alert> byId = new HashMap<>();
    b.forEach(x -> byId.put(x.id(), x));
    for (Alert alert : a) {
      compareAlert(alert, byId.get(alertIds.get(alert.id())));
    }
  }

  HistoryQuery historyQuery() {
    Sku sku = rnd.nextInt(3) == 0 ? null : rnd.nextInt(8) == 0 ? unknown : skus.get(rnd.nextInt(skus.size()));
    Set<MovementType> types = EnumSet.noneOf(MovementType.class);
    if (rnd.nextBoolean()) {
      for (MovementType t : MovementType.values()) {
        if (rnd.nextInt(3) == 0) {
          types.add(t);
        }
      }
    }
    Instant from = rnd.nextBoolean() ? null : times.get(rnd.nextInt(times.size()));
    Instant to = rnd.nextBoolean() ? null : times.get(rnd.nextInt(times.size())).plusNanos(rnd.nextInt(3) - 1);
    if (from != null && to != null && !from.isBefore(to)) {
      to = null;
    }
    return new HistoryQuery(sku, types, from, to, PageRequest.of(rnd.nextInt(12), 1 + rnd.nextInt(20)));
  }

  CatalogQuery catalogQuery() {
    StockStatus status = rnd.nextBoolean() ? null : StockStatus.values()[rnd.nextInt(3)];
    String text = rnd.nextBoolean() ? null : NEEDLES[rnd.nextInt(NEEDLES.length)];
    return new CatalogQuery(status, text, PageRequest.of(rnd.nextInt(4), 1 + rnd.nextInt(6)));
  }

  void count(String what) {
    seen.merge(what, 1, Integer::sum);
  }

  void compareResults(MutationResult a, MutationResult b) {
    assertThat(b.getClass()).as("result of %s", a).isEqualTo(a.getClass());
    count(a.getClass().getSimpleName());
    if (a instanceof MutationResult.Rejected r) {
      count(r.reason().name());
    }
    if (a instanceof MutationResult.Applied x) {
      MutationResult.Applied y = (MutationResult.Applied) b;
      learnMovementIds(x.movements(), y.movements());
      assertThat(mapMovements(y.movements())).isEqualTo(stripIds(x.movements()));
      compareEvents(x.alertEvents(), y.alertEvents());
      assertThat(y.order()).isEqualTo(x.order());
    } else if (a instanceof MutationResult.Replayed x) {
      MutationResult.Replayed y = (MutationResult.Replayed) b;
      assertThat(y.fingerprint()).isEqualTo(x.fingerprint());
      assertThat(mapMovements(y.movements())).isEqualTo(stripIds(x.movements()));
      assertThat(y.order()).isEqualTo(x.order());
    } else {
      assertThat(b).isEqualTo(a);
    }
  }

  void learnMovementIds(List<Movement> a, List<Movement> b) {
    for (int i = 0; i < a.size(); i++) {
      long memoryId = a.get(i).id();
      long redisId = b.get(i).id();
      assertThat(memoryId).isGreaterThan(lastMemoryMovementId);
      assertThat(redisId).as("movement ids increase in commit order").isGreaterThan(lastRedisMovementId);
      lastMemoryMovementId = memoryId;
      lastRedisMovementId = redisId;
      movementIds.put(redisId, memoryId);
    }
  }

  List<Movement> mapMovements(List<Movement> movements) {
    List<Movement> out = new ArrayList<>();
    for (Movement m : movements) {
      Long memoryId = movementIds.get(m.id());
      assertThat(memoryId).as("redis movement %s has a counterpart", m.id()).isNotNull();
      out.add(withId(m, 0));
    }
    return out;
  }

  List<Movement> stripIds(List<Movement> movements) {
    return movements.stream().map(m -> withId(m, 0)).toList();
  }

  Movement withId(Movement m, long id) {
    return new Movement(id, m.tenant(), m.sku(), m.type(), m.quantity(), m.onHandBefore(), m.onHandAfter(),
        m.reservedBefore(), m.reservedAfter(), m.reason(), m.reference(), m.actor(), m.idempotencyKey(), m.occurredAt());
  }

  void compareEvents(List<AlertEvent> a, List<AlertEvent> b) {
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).type()).isEqualTo(a.get(i).type());
      count(a.get(i).type().name());
      if (a.get(i).type() == AlertEventType.OPENED) {
        assertThat(alertIds).doesNotContainKey(a.get(i).alert().id());
        assertThat(alertIds).doesNotContainValue(b.get(i).alert().id());
        alertIds.put(a.get(i).alert().id(), b.get(i).alert().id());
      }
      compareAlert(a.get(i).alert(), b.get(i).alert());
    }
  }

  void compareAlerts(List<Alert> a, List<Alert> b) {
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      compareAlert(a.get(i), b.get(i));
    }
  }

  void compareAlert(Alert a, @Nullable Alert b) {
    assertThat(b).isNotNull();
    assertThat(b.id()).isEqualTo(alertIds.get(a.id()));
    assertThat(withId(b, 0)).isEqualTo(withId(a, 0));
  }

  Alert withId(Alert a, long id) {
    return new Alert(id, a.tenant(), a.sku(), a.kind(), a.status(), a.availableAtOpen(), a.threshold(), a.openedAt(),
        a.resolvedAt(), a.resolvedBy(), a.notification(), a.delivery(), a.deliveryAttempts());
  }

  List<Movement> all(StockStore store, Sku sku) {
    List<Movement> out = new ArrayList<>();
    store.forEachMovement(tenant, sku, out::add);
    return out;
  }
}
