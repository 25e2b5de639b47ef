package io.creatorflow.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.AlertStatus;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
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
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.redis.internal.KeyCodec;
import io.creatorflow.inventory.redis.internal.RedisKeys;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.MutationResult.Rejection;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every SPI method of the Redis store against a real Redis, including the edges the kit leaves out. */
class RedisStockStoreTest extends RedisStoreTestBase {
  static final Instant T0 = Instant.parse("2024-06-01T12:00:00.123456789Z");
  static final AlertRule RULE = new AlertRule(5, 0);

  static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();

  /** Each test has its own prefix under the class prefix, so store-wide sweeps see only its data. */
  String testPrefix;
  RedisStockStore store;
  TenantId tenant;

  @BeforeEach
  void newTenant() {
    testPrefix = prefix + ":" + TESTS.incrementAndGet();
    store = builder().build();
    tenant = freshTenant();
  }

  RedisStockStore.Builder builder() {
    return RedisStockStore.builder(connection).keyPrefix(testPrefix);
  }

  static TenantId freshTenant() {
    return TenantId.of("t-" + UUID.randomUUID());
  }

  Sku register(String sku) {
    return register(tenant, sku, null, false);
  }

  Sku register(TenantId t, String sku, Long threshold, boolean backorder) {
    ItemDefinition def = ItemDefinition.builder(t, Sku.of(sku)).lowStockThreshold(threshold).allowBackorder(backorder).build();
    assertThat(store.registerItem(def, T0).created()).isTrue();
    return def.sku();
  }

  static LineChange in(Sku sku, long q) {
    return new LineChange(sku, MovementType.IN, q, q, 0, null, "restock", null, "tester");
  }

  static LineChange reserve(Sku sku, long q) {
    return new LineChange(sku, MovementType.RESERVE, q, 0, q, null, null, "order:1", null);
  }

  MutationResult apply(Instant at, IdempotencyClaim claim, OrderWrite order, LineChange... changes) {
    return store.apply(new Mutation(tenant, at, claim, List.of(changes), order, RULE));
  }

  MutationResult apply(LineChange... changes) {
    return apply(T0, null, null, changes);
  }

  StockLevel level(Sku sku) {
    return store.level(tenant, sku).orElseThrow();
  }

  // ================================================================================ catalog

  @Nested
  @DisplayName("catalog")
  class Catalog {
    @Test
    @DisplayName("stores and returns every field of an item exactly, nanoseconds and unpaired surrogates included")
    void roundTripsEveryField() {
      ItemDefinition def = ItemDefinition.builder(tenant, Sku.of("HOODIE-\uD83D\uDE00-\uFF21"))
          .name("Hoodie \"Zoë\" \\ % \uD800 lone").location(Location.of("berlin:{1}")).lowStockThreshold(7)
          .allowBackorder(true)
          .listing(ShopListing.of("tiktok", "p:{1}", "s-1"))
          .listing(ShopListing.of("shopify", "p-2", "s\uDC00"))
          .build();

      StockStore.Registration r = store.registerItem(def, T0);

      CatalogItem expected = CatalogItem.create(def, T0);
      assertThat(r.created()).isTrue();
      assertThat(r.item()).isEqualTo(expected);
      assertThat(store.item(tenant, def.sku())).contains(expected);
      assertThat(store.level(tenant, def.sku())).contains(StockLevel.empty(tenant, def.sku(), T0));
      assertThat(store.itemByListing(tenant, "shopify", "s\uDC00")).contains(expected);
      assertThat(store.itemByListing(tenant, "tiktok", "s-1")).contains(expected);
      assertThat(store.itemByListing(tenant, "tiktok", "s-2")).isEmpty();
    }

    @Test
    @DisplayName("registering a registered SKU returns the stored item unchanged")
    void reRegistration() {
      ItemDefinition def = ItemDefinition.builder(tenant, Sku.of("MUG")).name("Mug").build();
      CatalogItem first = store.registerItem(def, T0).item();

      StockStore.Registration again = store.registerItem(def.toBuilder().name("Cup").build(), T0.plusSeconds(60));

      assertThat(again.created()).isFalse();
      assertThat(again.item()).isEqualTo(first);
    }

    @Test
    @DisplayName("a listing of another SKU is a conflict, and the new SKU is not registered")
    void listingTaken() {
      store.registerItem(ItemDefinition.builder(tenant, Sku.of("A")).listing(ShopListing.of("tiktok", "p", "s-1")).build(), T0);

      assertThatThrownBy(() -> store.registerItem(
          ItemDefinition.builder(tenant, Sku.of("B")).listing(ShopListing.of("tiktok", "p", "s-1")).build(), T0))
          .isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConflictException.Reason.LISTING_TAKEN);
            assertThat(e.getMessage()).contains("'tiktok'", "'s-1'", "'A'");
          });
      assertThat(store.item(tenant, Sku.of("B"))).isEmpty();
      assertThat(store.findItems(tenant, CatalogQuery.all(), 5).total()).isEqualTo(1);
    }

    @Test
    @DisplayName("an update bumps the version, keeps createdAt, re-indexes listings and re-applies the alert rule")
    void update() {
      Sku sku = register("TEE");
      apply(in(sku, 8));
      ItemDefinition old = store.item(tenant, sku).orElseThrow().definition();
      store.updateItem(old.toBuilder().listing(ShopListing.of("tiktok", "p", "old")).build(), T0, RULE);
      Instant later = T0.plusSeconds(30);

      StockStore.ItemUpdate update = store.updateItem(
          old.toBuilder().name("Tee").lowStockThreshold(10).listing(ShopListing.of("tiktok", "p", "new")).build(), later, RULE)
          .orElseThrow();

      assertThat(update.item().version()).isEqualTo(3);
      assertThat(update.item().createdAt()).isEqualTo(T0);
      assertThat(update.item().updatedAt()).isEqualTo(later);
      assertThat(update.item().name()).isEqualTo("Tee");
      assertThat(store.itemByListing(tenant, "tiktok", "old")).isEmpty();
      assertThat(store.itemByListing(tenant, "tiktok", "new")).contains(update.item());
      assertThat(update.alertEvents()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(AlertEventType.OPENED);
        assertThat(e.alert().kind()).isEqualTo(AlertKind.LOW_STOCK);
        assertThat(e.alert().threshold()).isEqualTo(10);
        assertThat(e.alert().availableAtOpen()).isEqualTo(8);
        assertThat(e.alert().openedAt()).isEqualTo(later);
      });
      assertThat(store.item(tenant, sku)).contains(update.item());
      assertThat(level(sku).version()).as("an update is not a movement").isEqualTo(1);
    }

    @Test
    @DisplayName("updating an unknown SKU is empty; taking another SKU's listing is a conflict that changes nothing")
    void updateEdges() {
      assertThat(store.updateItem(ItemDefinition.builder(tenant, Sku.of("NOPE")).build(), T0, RULE)).isEmpty();
      assertThat(store.item(tenant, Sku.of("NOPE"))).isEmpty();
      store.registerItem(ItemDefinition.builder(tenant, Sku.of("A")).listing(ShopListing.of("tiktok", "p", "s-1")).build(), T0);
      ItemDefinition b = ItemDefinition.builder(tenant, Sku.of("B")).name("B").build();
      store.registerItem(b, T0);

      assertThatThrownBy(() -> store.updateItem(
          b.toBuilder().name("B2").listing(ShopListing.of("tiktok", "p", "s-1")).build(), T0, RULE))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.LISTING_TAKEN));
      assertThat(store.item(tenant, b.sku()).orElseThrow().name()).isEqualTo("B");
      assertThat(store.itemByListing(tenant, "tiktok", "s-1").orElseThrow().sku()).isEqualTo(Sku.of("A"));
    }

    @Test
    @DisplayName("tenant ids with braces, colons and percent signs never collide, and each tenant stays in one slot")
    void awkwardTenantIds() {
      List<TenantId> tenants = new ArrayList<>();
      String base = UUID.randomUUID().toString().substring(0, 8);
      for (String id : List.of("a}b", "a%7Db", "{a}b", "a:b", "a", "a}", "}{", "%", "{t:a}")) {
        tenants.add(TenantId.of(base + id));
      }
      for (TenantId t : tenants) {
        store.registerItem(ItemDefinition.builder(t, Sku.of("SAME")).name("name of " + t.value()).build(), T0);
        store.apply(new Mutation(t, T0, null, List.of(in(Sku.of("SAME"), t.value().length())), null, RULE));
      }
      Set<String> tags = new HashSet<>();
      for (TenantId t : tenants) {
        assertThat(store.item(t, Sku.of("SAME")).orElseThrow().name()).isEqualTo("name of " + t.value());
        assertThat(store.level(t, Sku.of("SAME")).orElseThrow().onHand()).isEqualTo(t.value().length());
        assertThat(store.history(t, HistoryQuery.all()).total()).isEqualTo(1);
        Set<Integer> slots = new HashSet<>();
        List<String> keys = keysOf(new RedisKeys(testPrefix).tenant(t).meta().replace("meta", ""));
        assertThat(keys).hasSizeGreaterThan(5);
        keys.forEach(k -> slots.add(SlotHash.getSlot(k)));
        assertThat(slots).as("slots of %s", keys).hasSize(1);
        tags.add(keys.get(0).substring(keys.get(0).indexOf('{'), keys.get(0).indexOf('}') + 1));
      }
      assertThat(tags).hasSize(tenants.size());
    }

    List<String> keysOf(String keyPrefix) {
      List<String> out = new ArrayList<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(RedisTestSupport.globEscape(keyPrefix) + "*").limit(500));
        out.addAll(page.getKeys());
        cursor = page;
      } while (!cursor.isFinished());
      return out;
    }

    @Test
    @DisplayName("items come sorted exactly like Sku.compareTo, even where UTF-8 and UTF-16 order differ")
    void sortsLikeJava() {
      List<String> skus = new ArrayList<>(List.of("b", "B", "a\uFF21", "a\uD83D\uDE00", "a\uE000", "a\uD7FF", "a\u00E9", "a", "a-", "A"));
      skus.forEach(s -> register(s));
      List<String> expected = new ArrayList<>(skus);
      expected.sort(String::compareTo);

      Page<ItemStock> page = store.findItems(tenant, CatalogQuery.all(), 5);
      Page<ItemStock> filtered = store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK), 5);

      assertThat(page.items()).extracting(i -> i.item().sku().value()).containsExactlyElementsOf(expected);
      assertThat(filtered.items()).extracting(i -> i.item().sku().value()).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("search is a case-insensitive literal substring of name or SKU, with true totals across pages")
    void search() {
      String[][] items = {
        {"P-1", "50% off MUG"}, {"P-2", "mug_large"}, {"P-3", "Tee*"}, {"P-4", "a.b"}, {"P-5", "Straße [x]"},
        {"HOOD-%", "Hoodie"}, {"P-6", "İstanbul"}, {"P-7", "(paren)"}
      };
      for (String[] i : items) {
        store.registerItem(ItemDefinition.builder(tenant, Sku.of(i[0])).name(i[1]).build(), T0);
      }
      assertThat(search("%")).containsExactly("HOOD-%", "P-1");
      assertThat(search("_")).containsExactly("P-2");
      assertThat(search("*")).containsExactly("P-3");
      assertThat(search(".")).containsExactly("P-4");
      assertThat(search("%a")).isEmpty();
      assertThat(search("[x]")).containsExactly("P-5");
      assertThat(search("(")).containsExactly("P-7");
      assertThat(search("MuG")).containsExactly("P-1", "P-2");
      assertThat(search("STRASSE")).isEmpty();
      assertThat(search("straße")).containsExactly("P-5");
      assertThat(search("i̇stan")).containsExactly("P-6");
      assertThat(search("p-")).containsExactly("P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7");

      Page<ItemStock> second = store.findItems(tenant, CatalogQuery.all().withText("p-").withPage(PageRequest.of(2, 2)), 5);
      assertThat(second.total()).isEqualTo(7);
      assertThat(second.items()).extracting(i -> i.item().sku().value()).containsExactly("P-3", "P-4");
      assertThat(second.hasNext()).isTrue();
      Page<ItemStock> all = store.findItems(tenant, CatalogQuery.all().withPage(PageRequest.of(6, 5)), 5);
      assertThat(all.total()).isEqualTo(8);
      assertThat(all.items()).extracting(i -> i.item().sku().value()).containsExactly("P-6", "P-7");
    }

    List<String> search(String text) {
      return store.findItems(tenant, CatalogQuery.all().withText(text).withPage(PageRequest.first(500)), 5)
          .items().stream().map(i -> i.item().sku().value()).toList();
    }

    @Test
    @DisplayName("the status filter uses the item's own threshold, else the default, exactly like StockStatus.of")
    void statusFilter() {
      Sku own = register(tenant, "OWN", 10L, false);
      Sku none = register(tenant, "NONE", null, false);
      Sku zero = register(tenant, "ZERO", null, false);
      Sku back = register(tenant, "BACK", null, true);
      apply(in(none, 8), in(own, 8));
      apply(reserve(back, 3));

      assertThat(status(StockStatus.LOW_STOCK, 5)).containsExactly("OWN");
      assertThat(status(StockStatus.IN_STOCK, 5)).containsExactly("NONE");
      assertThat(status(StockStatus.LOW_STOCK, 8)).containsExactly("NONE", "OWN");
      assertThat(status(StockStatus.OUT_OF_STOCK, 8)).containsExactly("BACK", "ZERO");
      ItemStock row = store.findItems(tenant, CatalogQuery.all().withText("back"), 5).items().get(0);
      assertThat(row.status()).isEqualTo(StockStatus.OUT_OF_STOCK);
      assertThat(row.level().available()).isEqualTo(-3);
      assertThat(zero).isNotNull();
    }

    List<String> status(StockStatus status, long defaultThreshold) {
      return store.findItems(tenant, CatalogQuery.all().withStatus(status), defaultThreshold)
          .items().stream().map(i -> i.item().sku().value()).toList();
    }
  }

  // ================================================================================ mutations

  @Nested
  @DisplayName("mutations")
  class Mutations {
    @Test
    @DisplayName("an applied mutation returns its movements with before/after values and moves the level")
    void applied() {
      Sku a = register("A");
      Sku b = register("B");
      Instant at = T0.plusNanos(1);

      MutationResult.Applied r = (MutationResult.Applied) apply(at, new IdempotencyClaim("key-1", "fp"), null, in(a, 7), in(b, 2));

      assertThat(r.movements()).hasSize(2);
      Movement m = r.movements().get(0);
      assertThat(m).isEqualTo(new Movement(m.id(), tenant, a, MovementType.IN, 7, 0, 7, 0, 0, "restock", null, "tester", "key-1", at));
      assertThat(r.movements().get(1).id()).isEqualTo(m.id() + 1);
      assertThat(level(a)).isEqualTo(new StockLevel(tenant, a, 7, 0, 1, at));
      assertThat(r.alertEvents()).extracting(e -> e.alert().kind()).containsExactly(AlertKind.LOW_STOCK);
      assertThat(r.order()).isNull();
      assertThat(store.history(tenant, HistoryQuery.all()).items()).containsExactly(r.movements().get(1), r.movements().get(0));
    }

    @Test
    @DisplayName("a multi-line reservation is all or nothing: one short line rejects every line and records no key")
    void allOrNothing() {
      Sku a = register("A");
      Sku b = register("B");
      apply(in(a, 5), in(b, 1));
      OrderWrite order = new OrderWrite(OrderId.of("o-1"), 0, OrderStatus.RESERVED,
          List.of(OrderLine.of(a, 2), OrderLine.of(b, 2)), List.of());

      MutationResult r = apply(T0, new IdempotencyClaim("order:o-1", "fp"), order, reserve(a, 2), reserve(b, 2));

      assertThat(r).isEqualTo(new MutationResult.Rejected(Rejection.INSUFFICIENT_STOCK, b, level(b), null));
      assertThat(level(a).reserved()).isZero();
      assertThat(store.order(tenant, OrderId.of("o-1"))).isEmpty();
      assertThat(store.replay(tenant, "order:o-1")).isEmpty();
      assertThat(store.history(tenant, HistoryQuery.all()).total()).isEqualTo(2);

      apply(in(b, 1));
      MutationResult.Applied ok = (MutationResult.Applied) apply(T0, new IdempotencyClaim("order:o-1", "fp"), order,
          reserve(a, 2), reserve(b, 2));
      assertThat(ok.order()).isEqualTo(new Order(tenant, OrderId.of("o-1"), OrderStatus.RESERVED, order.lines(),
          List.of(), 1, T0, T0));
    }

    @Test
    @DisplayName("a recorded key replays the original movements and the order's current state, changing nothing")
    void replay() {
      Sku a = register("A");
      apply(in(a, 10));
      OrderWrite reserveOrder = new OrderWrite(OrderId.of("o"), 0, OrderStatus.RESERVED, List.of(OrderLine.of(a, 3)), List.of());
      MutationResult.Applied first = (MutationResult.Applied) apply(T0, new IdempotencyClaim("k", "fp-1"), reserveOrder, reserve(a, 3));
      OrderWrite cancel = new OrderWrite(OrderId.of("o"), 1, OrderStatus.CANCELLED, List.of(OrderLine.of(a, 3)), List.of());
      apply(T0.plusSeconds(1), new IdempotencyClaim("k-cancel", "fp-2"), cancel,
          new LineChange(a, MovementType.RELEASE, 3, 0, -3, null, null, null, null));

      MutationResult again = apply(T0.plusSeconds(2), new IdempotencyClaim("k", "other"), reserveOrder, reserve(a, 3));

      Order current = store.order(tenant, OrderId.of("o")).orElseThrow();
      assertThat(current.status()).isEqualTo(OrderStatus.CANCELLED);
      assertThat(current.version()).isEqualTo(2);
      assertThat(again).isEqualTo(new MutationResult.Replayed("fp-1", first.movements(), current));
      assertThat(store.replay(tenant, "k")).contains((MutationResult.Replayed) again);
      assertThat(store.replay(tenant, "never")).isEmpty();
      assertThat(level(a).reserved()).isZero();
      assertThat(store.history(tenant, HistoryQuery.of(a)).total()).isEqualTo(3);
    }

    @Test
    @DisplayName("order version guard: a stale expected version is rejected with the current order")
    void orderVersion() {
      Sku a = register("A");
      apply(in(a, 10));
      OrderWrite w = new OrderWrite(OrderId.of("o"), 0, OrderStatus.RESERVED, List.of(OrderLine.of(a, 1)), List.of());
      Order created = ((MutationResult.Applied) apply(T0, null, w, reserve(a, 1))).order();

      MutationResult again = apply(T0, null, w, reserve(a, 1));
      MutationResult wrong = apply(T0, null, new OrderWrite(OrderId.of("never"), 3, OrderStatus.FULFILLED, List.of(), List.of()));

      assertThat(again).isEqualTo(new MutationResult.Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null, created));
      assertThat(wrong).isEqualTo(new MutationResult.Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null, null));
      assertThat(level(a).reserved()).isEqualTo(1);
    }

    @Test
    @DisplayName("an unknown SKU is rejected and nothing changes")
    void unknownSku() {
      Sku a = register("A");
      MutationResult r = apply(in(a, 1), in(Sku.of("B-NOPE"), 1));
      assertThat(r).isEqualTo(new MutationResult.Rejected(Rejection.UNKNOWN_SKU, Sku.of("B-NOPE"), null, null));
      assertThat(level(a).onHand()).isZero();
    }

    @Test
    @DisplayName("the Lua guard agrees with LineChange.check on every small state and change")
    void guardMirrorsLineChangeCheck() {
      Sku normal = register("N");
      Sku backorder = register(tenant, "BO", null, true);
      String normalKey = new RedisKeys(testPrefix).tenant(tenant).sku(KeyCodec.encode("N"));
      String backorderKey = new RedisKeys(testPrefix).tenant(tenant).sku(KeyCodec.encode("BO"));
      int cases = 0;
      for (int onHand = 0; onHand <= 3; onHand++) {
        for (int reserved = 0; reserved <= 3; reserved++) {
          for (int ohd = -2; ohd <= 2; ohd++) {
            for (int rsd = -2; rsd <= 2; rsd++) {
              for (int expectation = 0; expectation < 3; expectation++) {
                boolean bo = (onHand + reserved + ohd + rsd + expectation) % 2 == 0;
                Long expected = expectation == 0 ? null : expectation == 1 ? (long) onHand : (long) onHand + 1;
                Sku sku = bo ? backorder : normal;
                redis.hset(bo ? backorderKey : normalKey, java.util.Map.of("oh", "" + onHand, "rs", "" + reserved));
                LineChange change = new LineChange(sku, MovementType.ADJUSTMENT, Math.abs(ohd) + Math.abs(rsd), ohd, rsd,
                    expected, null, null, null);
                Rejection want = change.check(onHand, reserved, bo);
                MutationResult got = store.apply(new Mutation(tenant, T0, null, List.of(change), null, RULE));
                if (want == null) {
                  assertThat(got).as("%s %s %s %s %s", onHand, reserved, ohd, rsd, expected).isInstanceOf(MutationResult.Applied.class);
                  Movement m = ((MutationResult.Applied) got).movements().get(0);
                  assertThat(m.onHandAfter() - m.onHandBefore()).isEqualTo(ohd);
                  assertThat(m.reservedAfter() - m.reservedBefore()).isEqualTo(rsd);
                } else {
                  assertThat(got).as("%s %s %s %s %s", onHand, reserved, ohd, rsd, expected)
                      .isInstanceOf(MutationResult.Rejected.class);
                  MutationResult.Rejected rej = (MutationResult.Rejected) got;
                  assertThat(rej.reason()).isEqualTo(want);
                  assertThat(rej.level().onHand()).isEqualTo((long) onHand);
                  assertThat(rej.level().reserved()).isEqualTo((long) reserved);
                }
                cases++;
              }
            }
          }
        }
      }
      assertThat(cases).isEqualTo(4 * 4 * 5 * 5 * 3);
    }

    @Test
    @DisplayName("a retransmitted mutation without key returns the first reply instead of applying again")
    void retransmitGuard() {
      String[] id = {"req-1"};
      RedisStockStore guarded = builder().requestIds(() -> id[0]).build();
      Sku a = register("A");
      Mutation m = new Mutation(tenant, T0, null, List.of(in(a, 4)), null, RULE);

      MutationResult first = guarded.apply(m);
      MutationResult retransmitted = guarded.apply(m);
      id[0] = "req-2";
      MutationResult next = guarded.apply(m);

      assertThat(retransmitted).isEqualTo(first);
      assertThat(next).isNotEqualTo(first);
      assertThat(level(a).onHand()).isEqualTo(8);
      Long ttl = redis.pttl(new RedisKeys(testPrefix).tenant(tenant).guard("req-1"));
      assertThat(ttl).isBetween(1L, RedisStockStore.DEFAULT_RETRANSMIT_GUARD.toMillis());

      RedisStockStore unguarded = builder().retransmitGuard(Duration.ZERO).requestIds(() -> "req-3").build();
      unguarded.apply(m);
      unguarded.apply(m);
      assertThat(level(a).onHand()).isEqualTo(16);
      assertThat(redis.exists(new RedisKeys(testPrefix).tenant(tenant).guard("req-3"))).isZero();
    }

    @Test
    @DisplayName("alert events: out of stock opens, restock resolves, in the reference order")
    void alertTransitions() {
      Sku a = register(tenant, "A", 3L, false);
      apply(in(a, 2));
      List<AlertEvent> toZero = ((MutationResult.Applied) apply(new LineChange(a, MovementType.ADJUSTMENT, 2, -2, 0,
          null, null, null, null))).alertEvents();
      assertThat(toZero).extracting(AlertEvent::type, e -> e.alert().kind())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertEventType.OPENED, AlertKind.OUT_OF_STOCK));

      List<AlertEvent> restock = ((MutationResult.Applied) apply(in(a, 10))).alertEvents();

      assertThat(restock).extracting(AlertEvent::type, e -> e.alert().kind()).containsExactly(
          org.assertj.core.groups.Tuple.tuple(AlertEventType.RESOLVED, AlertKind.LOW_STOCK),
          org.assertj.core.groups.Tuple.tuple(AlertEventType.RESOLVED, AlertKind.OUT_OF_STOCK));
      assertThat(restock.get(0).alert().resolvedBy()).isEqualTo(Alert.SYSTEM_ACTOR);
      assertThat(store.openAlerts(tenant, a)).isEmpty();
    }
  }

  // ================================================================================ ledger

  @Nested
  @DisplayName("ledger")
  class Ledger {
    @Test
    @DisplayName("history filters by SKU, type and time (from inclusive, to exclusive, to the nanosecond), newest first")
    void history() {
      Sku a = register("A");
      Sku b = register("B");
      Instant t1 = T0.plusNanos(1);
      Instant t2 = T0.plusNanos(2);
      apply(T0, null, null, in(a, 5));
      apply(t1, null, null, reserve(a, 1), in(b, 2));
      apply(t2, null, null, reserve(b, 1));
      apply(t1, null, null, in(a, 1));

      assertThat(ids(HistoryQuery.all())).hasSize(5).isSortedAccordingTo((x, y) -> Long.compare(y, x));
      assertThat(store.history(tenant, HistoryQuery.of(a)).items()).extracting(Movement::type)
          .containsExactly(MovementType.IN, MovementType.RESERVE, MovementType.IN);
      assertThat(store.history(tenant, HistoryQuery.all().withTypes(Set.of(MovementType.RESERVE))).items())
          .extracting(Movement::sku).containsExactly(b, a);
      assertThat(store.history(tenant, HistoryQuery.all().between(t1, t2)).items())
          .extracting(Movement::occurredAt).containsExactly(t1, t1, t1);
      assertThat(store.history(tenant, HistoryQuery.all().between(t2, null)).total()).isEqualTo(1);
      assertThat(store.history(tenant, HistoryQuery.all().between(null, t1)).total()).isEqualTo(1);
      Page<Movement> page = store.history(tenant, HistoryQuery.of(a).withTypes(Set.of(MovementType.IN)).withPage(PageRequest.of(1, 1)));
      assertThat(page.total()).isEqualTo(2);
      assertThat(page.items()).extracting(Movement::quantity).containsExactly(5L);
      assertThat(store.history(tenant, HistoryQuery.of(Sku.of("NOPE"))).total()).isZero();
      assertThat(store.history(freshTenant(), HistoryQuery.all()).total()).isZero();
    }

    List<Long> ids(HistoryQuery q) {
      return store.history(tenant, q).items().stream().map(Movement::id).toList();
    }

    @Test
    @DisplayName("forEachMovement streams every row oldest first, in chunks, and the rows replay to the level")
    void forEachMovement() {
      Sku a = register("A");
      Sku other = register("OTHER");
      List<Mutation> batch = new ArrayList<>();
      for (int i = 0; i < 1_234; i++) {
        LineChange c = i % 3 == 2 ? reserve(a, 1) : in(a, 2);
        batch.add(new Mutation(tenant, T0.plusMillis(i), null, i % 100 == 0 ? List.of(c, in(other, 1)) : List.of(c), null, RULE));
      }
      batch.forEach(store::apply);

      List<Movement> rows = new ArrayList<>();
      store.forEachMovement(tenant, a, rows::add);

      assertThat(rows).hasSize(1_234).isSortedAccordingTo((x, y) -> Long.compare(x.id(), y.id()));
      long onHand = 0;
      long reserved = 0;
      for (Movement m : rows) {
        assertThat(m.onHandBefore()).isEqualTo(onHand);
        assertThat(m.reservedBefore()).isEqualTo(reserved);
        onHand = m.onHandAfter();
        reserved = m.reservedAfter();
      }
      assertThat(level(a).onHand()).isEqualTo(onHand);
      assertThat(level(a).reserved()).isEqualTo(reserved);
      assertThat(level(a).version()).isEqualTo(1_234);
      List<Movement> none = new ArrayList<>();
      store.forEachMovement(tenant, Sku.of("NOPE"), none::add);
      assertThat(none).isEmpty();
    }

    @Test
    @DisplayName("ledger retention latestPerSku keeps each SKU's newest rows and still replays from the oldest kept row")
    void retentionPerSku() {
      RedisStockStore limited = builder().ledgerRetention(LedgerRetention.latestPerSku(3)).build();
      Sku a = register("A");
      Sku b = register("B");
      for (int i = 1; i <= 6; i++) {
        limited.apply(new Mutation(tenant, T0.plusSeconds(i), null, List.of(in(a, i)), null, RULE));
      }
      limited.apply(new Mutation(tenant, T0, null, List.of(in(b, 1)), null, RULE));

      List<Movement> rows = new ArrayList<>();
      limited.forEachMovement(tenant, a, rows::add);

      assertThat(rows).extracting(Movement::quantity).containsExactly(4L, 5L, 6L);
      assertThat(rows.get(0).onHandBefore()).isEqualTo(1 + 2 + 3);
      assertThat(rows.get(2).onHandAfter()).isEqualTo(level(a).onHand());
      assertThat(limited.history(tenant, HistoryQuery.all()).total()).isEqualTo(4);
      assertThat(redis.hlen(new RedisKeys(testPrefix).tenant(tenant).ledger())).isEqualTo(4);
    }

    @Test
    @DisplayName("ledger retention maxAge drops a SKU's rows older than the age at its next movement")
    void retentionByAge() {
      RedisStockStore limited = builder().ledgerRetention(LedgerRetention.maxAge(Duration.ofDays(30))).build();
      Sku a = register("A");
      limited.apply(new Mutation(tenant, T0, null, List.of(in(a, 1)), null, RULE));
      limited.apply(new Mutation(tenant, T0.plus(Duration.ofDays(10)), null, List.of(in(a, 2)), null, RULE));
      assertThat(limited.history(tenant, HistoryQuery.of(a)).total()).isEqualTo(2);

      limited.apply(new Mutation(tenant, T0.plus(Duration.ofDays(35)), null, List.of(in(a, 3)), null, RULE));

      assertThat(limited.history(tenant, HistoryQuery.of(a)).items()).extracting(Movement::quantity).containsExactly(3L, 2L);
    }

    @Test
    @DisplayName("the default keeps every movement")
    void defaultsKeepEverything() {
      assertThat(store.ledgerRetention().keepsAll()).isTrue();
      assertThat(store.idempotencyRetention().ttl()).isEmpty();
      Sku a = register("A");
      for (int i = 0; i < 100; i++) {
        apply(T0.minus(Duration.ofDays(1000 - i)), new IdempotencyClaim("k" + i, "f"), null, in(a, 1));
      }
      assertThat(store.history(tenant, HistoryQuery.of(a)).total()).isEqualTo(100);
      assertThat(redis.pttl(new RedisKeys(testPrefix).tenant(tenant).idempotency("k1"))).isEqualTo(-1);
    }

    @Test
    @DisplayName("idempotency retention: a record expires after its TTL, and the key then applies again")
    void idempotencyTtl() throws InterruptedException {
      RedisStockStore expiring = builder().idempotencyRetention(IdempotencyRetention.expireAfter(Duration.ofMillis(300))).build();
      Sku a = register("A");
      Mutation m = new Mutation(tenant, T0, new IdempotencyClaim("k", "f"), List.of(in(a, 1)), null, RULE);

      assertThat(expiring.apply(m)).isInstanceOf(MutationResult.Applied.class);
      assertThat(expiring.apply(m)).isInstanceOf(MutationResult.Replayed.class);
      assertThat(redis.pttl(new RedisKeys(testPrefix).tenant(tenant).idempotency("k"))).isBetween(1L, 300L);
      TimeUnit.MILLISECONDS.sleep(400);

      assertThat(expiring.apply(m)).isInstanceOf(MutationResult.Applied.class);
      assertThat(level(a).onHand()).isEqualTo(2);
    }
  }

  // ================================================================================ alerts

  @Nested
  @DisplayName("alerts")
  class Alerts {
    Alert openOutOfStock(TenantId t, String sku, Instant at) {
      ItemDefinition def = ItemDefinition.builder(t, Sku.of(sku)).lowStockThreshold(0L).build();
      store.registerItem(def, T0);
      MutationResult.Applied r = (MutationResult.Applied) store.apply(new Mutation(t, at, null,
          List.of(reserve(def.sku(), 0)), null, new AlertRule(0, 0)));
      return r.alertEvents().get(0).alert();
    }

    @Test
    @DisplayName("alert ids are unique across tenants, and one tenant cannot see another's alert")
    void idsAcrossTenants() {
      TenantId other = freshTenant();
      Alert mine = openOutOfStock(tenant, "A", T0);
      Alert theirs = openOutOfStock(other, "A", T0);

      assertThat(mine.id()).isNotEqualTo(theirs.id());
      assertThat(store.alert(tenant, mine.id())).contains(mine);
      assertThat(store.alert(tenant, theirs.id())).isEmpty();
      assertThat(store.resolveAlert(tenant, theirs.id(), T0, "x")).isEmpty();
      assertThat(store.recordDelivery(tenant, theirs.id(), AlertEventType.OPENED, DeliveryState.DELIVERED, 1)).isFalse();
      assertThat(store.alert(other, theirs.id())).contains(theirs);
      for (long bogus : new long[] {0, -1, 1, Long.MAX_VALUE, mine.id() + 1000, mine.id() & ~0xFFFFFFFFL}) {
        assertThat(store.alert(tenant, bogus)).isEmpty();
      }
    }

    @Test
    @DisplayName("resolving by hand resolves once, records the actor and queues the resolution notification")
    void resolveByHand() {
      Alert alert = openOutOfStock(tenant, "A", T0);
      Instant at = T0.plusSeconds(5);

      StockStore.AlertResolution first = store.resolveAlert(tenant, alert.id(), at, "Zoë").orElseThrow();
      StockStore.AlertResolution second = store.resolveAlert(tenant, alert.id(), at.plusSeconds(1), "other").orElseThrow();

      assertThat(first.resolvedNow()).isTrue();
      assertThat(first.alert()).isEqualTo(alert.resolve(at, "Zoë"));
      assertThat(second.resolvedNow()).isFalse();
      assertThat(second.alert()).isEqualTo(first.alert());
      assertThat(store.openAlerts(tenant, null)).isEmpty();
      assertThat(store.openAlerts(tenant, alert.sku())).isEmpty();
      assertThat(store.pendingDeliveries(at, 100)).contains(first.alert());
      MutationResult.Applied again = (MutationResult.Applied) store.apply(new Mutation(tenant, at, null,
          List.of(reserve(alert.sku(), 0)), null, new AlertRule(0, 0)));
      assertThat(again.alertEvents()).as("a new alert can open after a manual resolution").hasSize(1);
    }

    @Test
    @DisplayName("delivery state is recorded only for the alert's latest notification")
    void recordDelivery() {
      Alert alert = openOutOfStock(tenant, "A", T0);

      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.OPENED, DeliveryState.FAILED, 4)).isTrue();
      assertThat(store.alert(tenant, alert.id()).orElseThrow().delivery()).isEqualTo(DeliveryState.FAILED);
      assertThat(store.pendingDeliveries(T0, 100)).extracting(Alert::id).doesNotContain(alert.id());
      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.OPENED, DeliveryState.PENDING, 5)).isTrue();
      assertThat(store.pendingDeliveries(T0, 100)).contains(alert.withDelivery(DeliveryState.PENDING, 5));
      store.resolveAlert(tenant, alert.id(), T0, "ops");

      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.OPENED, DeliveryState.DELIVERED, 1)).isFalse();
      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.RESOLVED, DeliveryState.DELIVERED, 1)).isTrue();
      Alert now = store.alert(tenant, alert.id()).orElseThrow();
      assertThat(now.status()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(now.delivery()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(now.deliveryAttempts()).isEqualTo(1);
      assertThat(store.pendingDeliveries(Instant.MAX, 10_000)).extracting(Alert::id).doesNotContain(alert.id());
    }

    @Test
    @DisplayName("pending deliveries: raised at or before the time to the nanosecond, oldest first across tenants, limited")
    void pendingDeliveries() {
      Instant base = Instant.parse("1990-01-01T00:00:00Z");
      TenantId other = freshTenant();
      Alert a = openOutOfStock(tenant, "A", base.plusNanos(500));
      Alert b = openOutOfStock(other, "B", base.plusNanos(100));
      Alert c = openOutOfStock(tenant, "C", base.plusNanos(900_000));

      assertThat(mineOnly(store.pendingDeliveries(base.plusNanos(99), 100), other)).isEmpty();
      assertThat(mineOnly(store.pendingDeliveries(base.plusNanos(100), 100), other)).containsExactly(b);
      assertThat(mineOnly(store.pendingDeliveries(base.plusNanos(500), 100), other)).containsExactly(b, a);
      assertThat(mineOnly(store.pendingDeliveries(base.plusMillis(1), 100), other)).containsExactly(b, a, c);
      assertThat(store.pendingDeliveries(base.plusMillis(1), 2)).containsExactly(b, a);
      assertThat(store.pendingDeliveries(base.plusMillis(1), 0)).isEmpty();
      assertThatThrownBy(() -> store.pendingDeliveries(base, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    List<Alert> mineOnly(List<Alert> alerts, TenantId other) {
      return alerts.stream().filter(x -> x.tenant().equals(tenant) || x.tenant().equals(other)).toList();
    }
  }

  // ================================================================================ inbox and leases

  @Nested
  @DisplayName("event inbox")
  class Inbox {
    @Test
    @DisplayName("records an event once, lists pending events oldest first, completes and counts failures")
    void lifecycle() {
      TenantId other = freshTenant();
      Instant base = Instant.parse("1980-01-01T00:00:00Z");
      String payload = "{\"a\":\"Zoë \uD83D\uDE00 \uD800\"}";

      assertThat(store.offer(tenant, "tiktok", "e-2", payload, base.plusNanos(2))).isTrue();
      assertThat(store.offer(tenant, "tiktok", "e-2", "again", base)).isFalse();
      assertThat(store.offer(other, "tiktok", "e-2", "other tenant", base.plusNanos(2))).isTrue();
      assertThat(store.offer(other, "tiktok", "e-20", "other tenant", base.plusNanos(2))).isTrue();
      assertThat(store.offer(tenant, "tik:tok", "e-1", "p", base.plusNanos(1))).isTrue();
      assertThat(store.offer(tenant, "tiktok", "e-1", "p", base.plusNanos(3))).isTrue();
      store.complete(other, "tiktok", "e-2", base, null);

      List<InboxEvent> pending = store.pending(100);
      assertThat(pending).extracting(InboxEvent::tenant, InboxEvent::source, InboxEvent::eventId).containsExactly(
          org.assertj.core.groups.Tuple.tuple(tenant, "tik:tok", "e-1"),
          org.assertj.core.groups.Tuple.tuple(tenant, "tiktok", "e-2"),
          org.assertj.core.groups.Tuple.tuple(other, "tiktok", "e-20"),
          org.assertj.core.groups.Tuple.tuple(tenant, "tiktok", "e-1"));
      assertThat(pending.get(1)).isEqualTo(new InboxEvent(tenant, "tiktok", "e-2", payload, base.plusNanos(2), 0, null));
      assertThat(store.pending(2)).isEqualTo(pending.subList(0, 2));
      assertThat(store.pending(0)).isEmpty();

      store.complete(tenant, "tiktok", "e-2", base, "shop down \uD83D\uDE00");
      store.complete(tenant, "tiktok", "e-2", base, "still down");
      store.complete(tenant, "tik:tok", "e-1", base, null);
      store.complete(tenant, "tiktok", "never", base, null);

      List<InboxEvent> after = store.pending(100);
      assertThat(after).extracting(InboxEvent::eventId).containsExactly("e-2", "e-20", "e-1");
      assertThat(after.get(0).attempts()).isEqualTo(2);
      assertThat(after.get(0).lastError()).isEqualTo("still down");
      assertThat(store.offer(tenant, "tik:tok", "e-1", "redelivered", base)).as("processed events still deduplicate").isFalse();
    }

    @Test
    @DisplayName("with an idempotency TTL, processed events are forgotten once older than it")
    void processedRetention() {
      RedisStockStore expiring = builder().idempotencyRetention(IdempotencyRetention.expireAfter(Duration.ofHours(1))).build();
      expiring.offer(tenant, "tiktok", "e-1", "p", T0);
      expiring.complete(tenant, "tiktok", "e-1", T0, null);
      expiring.offer(tenant, "tiktok", "e-pending", "p", T0);

      assertThat(expiring.offer(tenant, "tiktok", "e-1", "p", T0.plus(Duration.ofMinutes(59)))).isFalse();
      assertThat(expiring.offer(tenant, "tiktok", "e-other", "p", T0.plus(Duration.ofMinutes(61)))).isTrue();
      assertThat(expiring.offer(tenant, "tiktok", "e-1", "p", T0.plus(Duration.ofMinutes(62)))).isTrue();
      assertThat(expiring.offer(tenant, "tiktok", "e-pending", "p", T0.plus(Duration.ofDays(9)))).as("pending events never expire")
          .isFalse();
    }
  }

  @Nested
  @DisplayName("leases")
  class Leases {
    @Test
    @DisplayName("one owner at a time until the lease expires by the caller's clock; renew and release")
    void leases() {
      String lease = "sync:{" + UUID.randomUUID() + "}";
      Duration ttl = Duration.ofSeconds(30);

      assertThat(store.tryAcquire(lease, "a", T0, ttl)).isTrue();
      assertThat(store.tryAcquire(lease, "b", T0.plusSeconds(29), ttl)).isFalse();
      assertThat(store.tryAcquire(lease, "a", T0.plusSeconds(29), ttl)).as("renew").isTrue();
      assertThat(store.tryAcquire(lease, "b", T0.plusSeconds(58), ttl)).isFalse();
      assertThat(store.tryAcquire(lease, "b", T0.plusSeconds(59), ttl)).as("expired exactly now").isTrue();
      store.release(lease, "a");
      assertThat(store.tryAcquire(lease, "a", T0.plusSeconds(60), ttl)).as("a release by a non-owner does nothing").isFalse();
      store.release(lease, "b");
      assertThat(store.tryAcquire(lease, "a", T0.plusSeconds(60), ttl)).isTrue();
      assertThat(store.tryAcquire("other-" + lease, "b", T0, ttl)).isTrue();
      assertThat(store.tryAcquire(lease, "c", T0, Duration.ofDays(365 * 1_000_000_000L))).isFalse();
    }
  }

  // ================================================================================ configuration and failures

  @Nested
  @DisplayName("configuration and failures")
  class Configuration {
    @Test
    @DisplayName("the builder rejects bad settings at once, naming the value")
    void builderValidation() {
      assertThatThrownBy(() -> builder().keyPrefix("a{b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a{b");
      assertThatThrownBy(() -> builder().keyPrefix("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder().keyPrefix("a b")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder().commandTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT0S");
      assertThatThrownBy(() -> builder().retransmitGuard(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LedgerRetention.latestPerSku(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LedgerRetention.maxAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> IdempotencyRetention.expireAfter(Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class);
      RedisStockStore s = builder().commandTimeout(Duration.ofSeconds(2)).build();
      assertThat(s.keyPrefix()).isEqualTo(testPrefix);
      assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.toString()).contains(testPrefix, "keepAll", "forever");
    }

    @Test
    @DisplayName("a closed connection surfaces as StoreUnavailableException with the Lettuce exception as cause")
    void closedConnection() {
      StatefulRedisConnection<String, String> c = client.connect(RedisTestSupport.uri());
      RedisStockStore s = RedisStockStore.builder(c).keyPrefix(testPrefix).build();
      org.assertj.core.api.Assertions.assertThatCode(s::ping).doesNotThrowAnyException();
      c.close();

      assertThatThrownBy(s::ping).isInstanceOf(StoreUnavailableException.class)
          .cause().isInstanceOf(io.lettuce.core.RedisException.class);
      assertThatThrownBy(() -> s.level(tenant, Sku.of("A"))).isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> s.apply(new Mutation(tenant, T0, null, List.of(in(Sku.of("A"), 1)), null, RULE)))
          .isInstanceOf(StoreUnavailableException.class).hasCauseInstanceOf(io.lettuce.core.RedisException.class);
    }
  }
}
