package io.creatorflow.inventory.jdbc;

import static io.creatorflow.inventory.jdbc.Fixtures.RULE;
import static io.creatorflow.inventory.jdbc.Fixtures.adjust;
import static io.creatorflow.inventory.jdbc.Fixtures.at;
import static io.creatorflow.inventory.jdbc.Fixtures.count;
import static io.creatorflow.inventory.jdbc.Fixtures.item;
import static io.creatorflow.inventory.jdbc.Fixtures.mutation;
import static io.creatorflow.inventory.jdbc.Fixtures.release;
import static io.creatorflow.inventory.jdbc.Fixtures.reservation;
import static io.creatorflow.inventory.jdbc.Fixtures.reserve;
import static io.creatorflow.inventory.jdbc.Fixtures.ship;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
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
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.MutationResult.Applied;
import io.creatorflow.inventory.spi.MutationResult.Rejected;
import io.creatorflow.inventory.spi.MutationResult.Rejection;
import io.creatorflow.inventory.spi.MutationResult.Replayed;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Focused tests of every SPI method of {@link JdbcStockStore} against one real database, each in its
 * own tenant of one freshly migrated, isolated schema. Subclasses name the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStockStoreTest {
  protected TestDatabase.Isolated database;
  protected JdbcStockStore store;
  protected TenantId tenant;

  /** The database this subclass runs against. */
  abstract TestDatabase database();

  /** The dialect the store under test speaks. */
  Dialect expectedDialect() {
    return database().dialect;
  }

  /** The store under test, on {@code database}; subclasses may configure it differently. */
  JdbcStockStore newStore(TestDatabase.Isolated database) {
    return database.newStore(8);
  }

  @BeforeAll
  void createStore() {
    database = database().isolate();
    store = newStore(database);
  }

  @AfterAll
  void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void newTenant() {
    tenant = TenantId.of("tenant-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
  }

  CatalogItem register(String sku) {
    return store.registerItem(item(tenant, sku), at(0)).item();
  }

  CatalogItem register(ItemDefinition definition) {
    return store.registerItem(definition, at(0)).item();
  }

  Applied applied(Mutation m) {
    MutationResult result = store.apply(m);
    assertThat(result).isInstanceOf(Applied.class);
    return (Applied) result;
  }

  StockLevel level(String sku) {
    return store.level(tenant, Sku.of(sku)).orElseThrow();
  }

  @Test
  @DisplayName("migrate() is idempotent and ping() reaches the migrated tables")
  void migrateTwice() {
    store.migrate();
    store.ping();
    assertThat(store.dialect()).isEqualTo(expectedDialect());
  }

  @Nested
  @DisplayName("catalog")
  class CatalogTests {
    @Test
    @DisplayName("registers a new item with an empty level, and returns the existing item for a known SKU")
    void registers() {
      ItemDefinition def = ItemDefinition.builder(tenant, Sku.of("HOODIE-M")).name("Hoodie M").lowStockThreshold(3)
          .allowBackorder(true).listing(ShopListing.of("tiktok", "p1", "s1")).listing(ShopListing.of("tiktok", "p1", "s2"))
          .build();
      StockStore.Registration first = store.registerItem(def, at(1));
      assertThat(first.created()).isTrue();
      assertThat(first.item()).isEqualTo(CatalogItem.create(def, at(1)));
      assertThat(store.item(tenant, Sku.of("HOODIE-M"))).contains(first.item());
      assertThat(level("HOODIE-M")).isEqualTo(StockLevel.empty(tenant, Sku.of("HOODIE-M"), at(1)));

      StockStore.Registration again = store.registerItem(item(tenant, "HOODIE-M"), at(2));
      assertThat(again.created()).isFalse();
      assertThat(again.item()).isEqualTo(first.item());
      assertThat(store.itemByListing(tenant, "tiktok", "s2")).contains(first.item());
      assertThat(store.itemByListing(tenant, "tiktok", "nope")).isEmpty();
      assertThat(store.item(Fixtures.OTHER_TENANT, Sku.of("HOODIE-M"))).isEmpty();
    }

    @Test
    @DisplayName("refuses a listing that belongs to another SKU and registers nothing")
    void listingTaken() {
      register(ItemDefinition.builder(tenant, Sku.of("A")).listing(ShopListing.of("tiktok", "p", "s")).build());
      ItemDefinition b = ItemDefinition.builder(tenant, Sku.of("B")).listing(ShopListing.of("tiktok", "p", "s")).build();
      assertThatThrownBy(() -> store.registerItem(b, at(1)))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.LISTING_TAKEN))
          .hasMessageContaining("belongs to sku 'A'");
      assertThat(store.item(tenant, Sku.of("B"))).isEmpty();
      assertThat(store.updateItem(b, at(2), RULE)).isEmpty();
    }

    @Test
    @DisplayName("updates a definition, replaces listings and keeps stock")
    void update() {
      register(ItemDefinition.builder(tenant, Sku.of("A")).listing(ShopListing.of("tiktok", "p", "s1")).build());
      applied(mutation(tenant, at(1), null, adjust("A", 50)));
      ItemDefinition changed = ItemDefinition.builder(tenant, Sku.of("A")).name("Renamed").location(
          io.creatorflow.inventory.Location.of("warehouse-2")).lowStockThreshold(10L)
          .listing(ShopListing.of("tiktok", "p", "s2")).build();
      StockStore.ItemUpdate update = store.updateItem(changed, at(2), RULE).orElseThrow();
      assertThat(update.item()).isEqualTo(CatalogItem.create(item(tenant, "A"), at(0)).update(changed, at(2)));
      assertThat(update.alertEvents()).isEmpty();
      assertThat(store.item(tenant, Sku.of("A"))).contains(update.item());
      assertThat(store.itemByListing(tenant, "tiktok", "s1")).isEmpty();
      assertThat(store.itemByListing(tenant, "tiktok", "s2")).contains(update.item());
      assertThat(level("A").onHand()).isEqualTo(50);

      ItemDefinition other = ItemDefinition.builder(tenant, Sku.of("B")).listing(ShopListing.of("tiktok", "p", "s2"))
          .build();
      register("B");
      assertThatThrownBy(() -> store.updateItem(other, at(3), RULE)).isInstanceOf(ConflictException.class);
      assertThat(store.item(tenant, Sku.of("B")).orElseThrow().listings()).isEmpty();
    }

    @Test
    @DisplayName("a new threshold opens and resolves alerts against current stock")
    void thresholdOpensAlert() {
      register("A");
      applied(mutation(tenant, at(1), null, adjust("A", 8)));
      StockStore.ItemUpdate raised = store.updateItem(
          ItemDefinition.builder(tenant, Sku.of("A")).lowStockThreshold(10L).build(), at(2), RULE).orElseThrow();
      assertThat(raised.alertEvents()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(AlertEventType.OPENED);
        assertThat(e.alert().kind()).isEqualTo(AlertKind.LOW_STOCK);
        assertThat(e.alert().threshold()).isEqualTo(10);
        assertThat(e.alert().availableAtOpen()).isEqualTo(8);
      });
      StockStore.ItemUpdate lowered = store.updateItem(
          ItemDefinition.builder(tenant, Sku.of("A")).lowStockThreshold(2L).build(), at(3), RULE).orElseThrow();
      assertThat(lowered.alertEvents()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(AlertEventType.RESOLVED);
        assertThat(e.alert().resolvedBy()).isEqualTo(Alert.SYSTEM_ACTOR);
      });
      assertThat(store.openAlerts(tenant, null)).isEmpty();
    }
  }

  @Nested
  @DisplayName("apply")
  class ApplyTests {
    @Test
    @DisplayName("writes the change and its ledger row with before/after quantities")
    void adjustWritesLedger() {
      register("A");
      Applied first = applied(mutation(tenant, at(5), null, adjust("A", 10)));
      Applied second = applied(mutation(tenant, at(6), null, adjust("A", -3)));
      Movement m1 = first.movements().get(0);
      Movement m2 = second.movements().get(0);
      assertThat(m1).isEqualTo(new Movement(m1.id(), tenant, Sku.of("A"), MovementType.ADJUSTMENT, 10, 0, 10, 0, 0,
          "count", null, "tester", null, at(5)));
      assertThat(m2.id()).isGreaterThan(m1.id());
      assertThat(m2.onHandBefore()).isEqualTo(10);
      assertThat(m2.onHandAfter()).isEqualTo(7);
      assertThat(level("A")).isEqualTo(new StockLevel(tenant, Sku.of("A"), 7, 0, 2, at(6)));
      assertThat(store.history(tenant, HistoryQuery.of(Sku.of("A"))).items()).containsExactly(m2, m1);
    }

    @Test
    @DisplayName("rejects a change that would take available below zero, and changes nothing")
    void insufficient() {
      register("A");
      applied(mutation(tenant, at(1), null, adjust("A", 5)));
      applied(mutation(tenant, at(2), null, reserve("A", 4)));
      MutationResult result = store.apply(mutation(tenant, at(3), "k1", adjust("A", -2)));
      assertThat(result).isEqualTo(new Rejected(Rejection.INSUFFICIENT_STOCK, Sku.of("A"),
          new StockLevel(tenant, Sku.of("A"), 5, 4, 2, at(2)), null));
      assertThat(store.replay(tenant, "k1")).isEmpty();
      // Raising never fails, lowering reserved below zero always does.
      assertThat(store.apply(mutation(tenant, at(4), null, release("A", 5))))
          .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.INSUFFICIENT_STOCK));
      applied(mutation(tenant, at(5), null, ship("A", 4)));
      assertThat(level("A")).isEqualTo(new StockLevel(tenant, Sku.of("A"), 1, 0, 3, at(5)));
      assertThat(store.history(tenant, HistoryQuery.of(Sku.of("A"))).total()).isEqualTo(3);
    }

    @Test
    @DisplayName("allows backorders only for SKUs that allow them, and never takes on hand below zero")
    void backorder() {
      register(ItemDefinition.builder(tenant, Sku.of("B")).allowBackorder(true).build());
      applied(mutation(tenant, at(1), null, reserve("B", 3)));
      assertThat(level("B").available()).isEqualTo(-3);
      assertThat(store.apply(mutation(tenant, at(2), null, adjust("B", -1))))
          .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.INSUFFICIENT_STOCK));
      applied(mutation(tenant, at(3), null, adjust("B", 2)));
      assertThat(level("B").available()).isEqualTo(-1);
    }

    @Test
    @DisplayName("a count applies only if on hand is still the expected value")
    void expectedOnHand() {
      register("A");
      applied(mutation(tenant, at(1), null, adjust("A", 7)));
      assertThat(store.apply(mutation(tenant, at(2), null, count("A", 6, 10))))
          .isInstanceOfSatisfying(Rejected.class,
              r -> assertThat(r.reason()).isEqualTo(Rejection.EXPECTED_ON_HAND_MISMATCH));
      applied(mutation(tenant, at(3), null, count("A", 7, 10)));
      assertThat(level("A").onHand()).isEqualTo(10);
    }

    @Test
    @DisplayName("an unregistered SKU is rejected before any guard failure, naming the first one")
    void unknownSku() {
      register("A");
      MutationResult result = store.apply(mutation(tenant, at(1), null, adjust("A", -1), adjust("Z", 1), adjust("Y", 1)));
      assertThat(result).isEqualTo(new Rejected(Rejection.UNKNOWN_SKU, Sku.of("Y"), null, null));
      assertThat(store.apply(mutation(Fixtures.OTHER_TENANT, at(1), null, adjust("A", 1))))
          .isEqualTo(new Rejected(Rejection.UNKNOWN_SKU, Sku.of("A"), null, null));
      assertThat(level("A").version()).isZero();
    }

    @Test
    @DisplayName("a multi-line reservation is all or nothing")
    void reservationAllOrNothing() {
      register("A");
      register("B");
      register("C");
      applied(mutation(tenant, at(1), null, adjust("A", 10), adjust("B", 1), adjust("C", 10)));
      MutationResult refused = store.apply(reservation(tenant, at(2), "o-1", OrderLine.of("A", 2), OrderLine.of("B", 2),
          OrderLine.of("C", 2)));
      assertThat(refused).isInstanceOfSatisfying(Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(Rejection.INSUFFICIENT_STOCK);
        assertThat(r.sku()).isEqualTo(Sku.of("B"));
      });
      assertThat(level("A").reserved()).isZero();
      assertThat(level("C").reserved()).isZero();
      assertThat(store.order(tenant, OrderId.of("o-1"))).isEmpty();
      assertThat(store.replay(tenant, "sys:reserve:o-1")).isEmpty();

      Applied ok = applied(reservation(tenant, at(3), "o-1", OrderLine.of("C", 2), OrderLine.of("A", 2),
          OrderLine.of("A", 1)));
      assertThat(ok.movements()).extracting(Movement::sku).containsExactly(Sku.of("A"), Sku.of("C"));
      assertThat(ok.movements().get(1).id()).isGreaterThan(ok.movements().get(0).id());
      assertThat(ok.order()).isEqualTo(new Order(tenant, OrderId.of("o-1"), OrderStatus.RESERVED,
          List.of(OrderLine.of("A", 3), OrderLine.of("C", 2)), List.of(), 1, at(3), at(3)));
      assertThat(store.order(tenant, OrderId.of("o-1"))).contains(ok.order());
    }

    @Test
    @DisplayName("an applied idempotency key replays the original movements and the order's current state")
    void replay() {
      register("A");
      applied(mutation(tenant, at(1), null, adjust("A", 10)));
      Applied reserved = applied(reservation(tenant, at(2), "o-9", OrderLine.of("A", 4)));
      Order order = reserved.order();
      OrderWrite fulfil = new OrderWrite(order.id(), 1, OrderStatus.FULFILLED, order.lines(), List.of());
      Applied shipped = applied(mutation(tenant, at(3), "ship-o-9", fulfil, ship("A", 4)));

      MutationResult again = store.apply(reservation(tenant, at(4), "o-9", OrderLine.of("A", 4)));
      assertThat(again).isEqualTo(new Replayed("fp:sys:reserve:o-9", reserved.movements(), shipped.order()));
      assertThat(store.replay(tenant, "sys:reserve:o-9")).contains((Replayed) again);
      assertThat(store.replay(Fixtures.OTHER_TENANT, "sys:reserve:o-9")).isEmpty();
      assertThat(level("A")).isEqualTo(new StockLevel(tenant, Sku.of("A"), 6, 0, 3, at(3)));
    }

    @Test
    @DisplayName("an order write applies only at the expected version")
    void orderVersion() {
      register("A");
      applied(mutation(tenant, at(1), null, adjust("A", 10)));
      Applied reserved = applied(reservation(tenant, at(2), "o-1", OrderLine.of("A", 1)));
      Mutation again = reservation(tenant, at(3), "o-1", OrderLine.of("A", 1));
      Mutation unkeyed = new Mutation(tenant, at(3), null, again.changes(), again.order(), RULE);
      assertThat(store.apply(unkeyed))
          .isEqualTo(new Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null, reserved.order()));
      OrderWrite stale = new OrderWrite(OrderId.of("o-1"), 7, OrderStatus.CANCELLED, List.of(OrderLine.of("A", 1)),
          List.of());
      assertThat(store.apply(mutation(tenant, at(4), null, stale, release("A", 1))))
          .isEqualTo(new Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null, reserved.order()));
      OrderWrite missing = new OrderWrite(OrderId.of("o-2"), 1, OrderStatus.CANCELLED, List.of(), List.of());
      assertThat(store.apply(mutation(tenant, at(4), null, missing, release("A", 1))))
          .isEqualTo(new Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null, null));
      OrderWrite cancel = new OrderWrite(OrderId.of("o-1"), 1, OrderStatus.CANCELLED, List.of(OrderLine.of("A", 1)),
          List.of());
      Applied cancelled = applied(mutation(tenant, at(5), null, cancel, release("A", 1)));
      assertThat(cancelled.order()).isEqualTo(new Order(tenant, OrderId.of("o-1"), OrderStatus.CANCELLED,
          List.of(OrderLine.of("A", 1)), List.of(), 2, at(2), at(5)));
      assertThat(level("A").reserved()).isZero();
    }
  }

  @Nested
  @DisplayName("alerts")
  class AlertTests {
    @Test
    @DisplayName("open when stock crosses a threshold, resolve on restock, one open alert per kind")
    void lifecycle() {
      register(ItemDefinition.builder(tenant, Sku.of("A")).lowStockThreshold(3L).build());
      Applied in = applied(mutation(tenant, at(1), null, adjust("A", 5)));
      assertThat(in.alertEvents()).isEmpty();
      Applied low = applied(mutation(tenant, at(2), null, reserve("A", 3)));
      assertThat(low.alertEvents()).extracting(AlertEvent::type, e -> e.alert().kind())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertEventType.OPENED, AlertKind.LOW_STOCK));
      Alert lowAlert = low.alertEvents().get(0).alert();
      assertThat(lowAlert).isEqualTo(Alert.open(lowAlert.id(), tenant, Sku.of("A"), AlertKind.LOW_STOCK, 2, 3, at(2)));
      Applied out = applied(mutation(tenant, at(3), null, reserve("A", 2)));
      assertThat(out.alertEvents()).extracting(AlertEvent::type, e -> e.alert().kind())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertEventType.OPENED, AlertKind.OUT_OF_STOCK));
      assertThat(out.alertEvents().get(0).alert().threshold()).isZero();
      assertThat(store.openAlerts(tenant, Sku.of("A"))).extracting(Alert::kind)
          .containsExactly(AlertKind.LOW_STOCK, AlertKind.OUT_OF_STOCK);
      Applied restock = applied(mutation(tenant, at(5), null, adjust("A", 20)));
      assertThat(restock.alertEvents()).extracting(AlertEvent::type, e -> e.alert().kind()).containsExactly(
          org.assertj.core.groups.Tuple.tuple(AlertEventType.RESOLVED, AlertKind.LOW_STOCK),
          org.assertj.core.groups.Tuple.tuple(AlertEventType.RESOLVED, AlertKind.OUT_OF_STOCK));
      assertThat(store.openAlerts(tenant, null)).isEmpty();
      Alert resolved = store.alert(tenant, lowAlert.id()).orElseThrow();
      assertThat(resolved).isEqualTo(lowAlert.resolve(at(5), Alert.SYSTEM_ACTOR));
      assertThat(store.alert(Fixtures.OTHER_TENANT, lowAlert.id())).isEmpty();
    }

    @Test
    @DisplayName("resolve by hand once; a later change may open a new alert of the same kind")
    void resolveByHand() {
      register("A");
      applied(mutation(tenant, at(1), null, adjust("A", 2)));
      Alert low = store.openAlerts(tenant, null).get(0);
      StockStore.AlertResolution first = store.resolveAlert(tenant, low.id(), at(2), "alice").orElseThrow();
      assertThat(first.resolvedNow()).isTrue();
      assertThat(first.alert()).isEqualTo(low.resolve(at(2), "alice"));
      StockStore.AlertResolution second = store.resolveAlert(tenant, low.id(), at(3), "bob").orElseThrow();
      assertThat(second.resolvedNow()).isFalse();
      assertThat(second.alert()).isEqualTo(first.alert());
      assertThat(store.resolveAlert(tenant, 987654321L, at(3), "bob")).isEmpty();
      assertThat(store.resolveAlert(Fixtures.OTHER_TENANT, low.id(), at(3), "bob")).isEmpty();
      Applied again = applied(mutation(tenant, at(4), null, adjust("A", -1)));
      assertThat(again.alertEvents()).singleElement()
          .satisfies(e -> assertThat(e.alert().id()).isNotEqualTo(low.id()));
    }

    @Test
    @DisplayName("delivery state is recorded for the latest notification and swept when pending")
    void deliveries() {
      register("A");
      Applied opened = applied(mutation(tenant, at(10), null, adjust("A", 1)));
      Alert alert = opened.alertEvents().get(0).alert();
      assertThat(store.pendingDeliveries(at(9), 100)).extracting(Alert::id).doesNotContain(alert.id());
      assertThat(store.pendingDeliveries(at(10), 1000)).extracting(Alert::id).contains(alert.id());
      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.RESOLVED, DeliveryState.DELIVERED, 1))
          .isFalse();
      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.OPENED, DeliveryState.FAILED, 3)).isTrue();
      assertThat(store.recordDelivery(tenant, alert.id(), AlertEventType.OPENED, DeliveryState.FAILED, 3)).isTrue();
      assertThat(store.recordDelivery(Fixtures.OTHER_TENANT, alert.id(), AlertEventType.OPENED,
          DeliveryState.DELIVERED, 3)).isFalse();
      assertThat(store.alert(tenant, alert.id()).orElseThrow()).isEqualTo(alert.withDelivery(DeliveryState.FAILED, 3));
      assertThat(store.pendingDeliveries(at(100), 1000)).extracting(Alert::id).doesNotContain(alert.id());
      Applied resolved = applied(mutation(tenant, at(20), null, adjust("A", 50)));
      assertThat(resolved.alertEvents()).singleElement().satisfies(e -> assertThat(e.type())
          .isEqualTo(AlertEventType.RESOLVED));
      assertThat(store.pendingDeliveries(at(19), 1000)).extracting(Alert::id).doesNotContain(alert.id());
      assertThat(store.pendingDeliveries(at(20), 1000)).extracting(Alert::id).contains(alert.id());
      assertThat(store.pendingDeliveries(at(20), 0)).isEmpty();
    }
  }

  @Nested
  @DisplayName("queries")
  class QueryTests {
    @Test
    @DisplayName("catalog search filters by status in SQL, pages by SKU and counts every match")
    void findByStatus() {
      register(ItemDefinition.builder(tenant, Sku.of("A")).lowStockThreshold(10L).build());
      register("B");
      register("C");
      register("D");
      applied(mutation(tenant, at(1), null, adjust("A", 10), adjust("B", 6), adjust("C", 5)));
      assertThat(statuses(null)).containsExactly("A:LOW_STOCK", "B:IN_STOCK", "C:LOW_STOCK", "D:OUT_OF_STOCK");
      assertThat(statuses(StockStatus.LOW_STOCK)).containsExactly("A:LOW_STOCK", "C:LOW_STOCK");
      assertThat(statuses(StockStatus.IN_STOCK)).containsExactly("B:IN_STOCK");
      assertThat(statuses(StockStatus.OUT_OF_STOCK)).containsExactly("D:OUT_OF_STOCK");

      Page<ItemStock> page = store.findItems(tenant, CatalogQuery.all().withPage(PageRequest.of(1, 2)), 5);
      assertThat(page.items()).extracting(s -> s.item().sku().value()).containsExactly("B", "C");
      assertThat(page.total()).isEqualTo(4);
      assertThat(page.hasNext()).isTrue();
      Page<ItemStock> past = store.findItems(tenant, CatalogQuery.all().withPage(PageRequest.of(10, 2)), 5);
      assertThat(past.items()).isEmpty();
      assertThat(past.total()).isEqualTo(4);
      assertThat(store.findItems(TenantId.of(tenant.value() + "-other"), CatalogQuery.all(), 5).total()).isZero();
    }

    private List<String> statuses(StockStatus status) {
      return store.findItems(tenant, CatalogQuery.all().withStatus(status), 5).items().stream()
          .map(s -> s.item().sku().value() + ":" + s.status()).toList();
    }

    @Test
    @DisplayName("text search is a case-insensitive substring of name or SKU, every character literal")
    void findByText() {
      register(ItemDefinition.builder(tenant, Sku.of("TEE-100%")).name("Cotton Tee").build());
      register(ItemDefinition.builder(tenant, Sku.of("TEE_2")).name("Linen tee!").build());
      register(ItemDefinition.builder(tenant, Sku.of("MUG")).name("Mug \\ tee* ÄÖ").build());
      register(ItemDefinition.builder(tenant, Sku.of("CAP")).name("Cap").build());
      assertThat(skus("tee")).containsExactly("MUG", "TEE-100%", "TEE_2");
      assertThat(skus("TEE")).containsExactly("MUG", "TEE-100%", "TEE_2");
      assertThat(skus("%")).containsExactly("TEE-100%");
      assertThat(skus("_")).containsExactly("TEE_2");
      assertThat(skus("e_")).containsExactly("TEE_2");
      assertThat(skus("!")).containsExactly("TEE_2");
      assertThat(skus("\\")).containsExactly("MUG");
      assertThat(skus("*")).containsExactly("MUG");
      assertThat(skus("äö")).containsExactly("MUG");
      assertThat(skus("t%e")).isEmpty();
      assertThat(skus("' OR 1=1 --")).isEmpty();
      assertThat(store.findItems(tenant, CatalogQuery.all().withText("tee").withStatus(StockStatus.OUT_OF_STOCK)
          .withPage(PageRequest.of(0, 1)), 5).total()).isEqualTo(3);
    }

    private List<String> skus(String text) {
      return store.findItems(tenant, CatalogQuery.all().withText(text), 5).items().stream()
          .map(s -> s.item().sku().value()).toList();
    }

    @Test
    @DisplayName("history filters by SKU, type and time, newest first, with the true total")
    void history() {
      register("A");
      register("B");
      applied(mutation(tenant, at(1), null, adjust("A", 10)));
      applied(mutation(tenant, at(2), null, adjust("B", 10)));
      applied(mutation(tenant, at(3), null, reserve("A", 2)));
      applied(mutation(tenant, at(4), null, release("A", 1)));
      Page<Movement> all = store.history(tenant, HistoryQuery.all());
      assertThat(all.total()).isEqualTo(4);
      assertThat(all.items()).extracting(Movement::occurredAt).containsExactly(at(4), at(3), at(2), at(1));
      assertThat(store.history(tenant, HistoryQuery.of(Sku.of("A")).withTypes(Set.of(MovementType.RESERVE,
          MovementType.RELEASE))).items()).extracting(Movement::type)
          .containsExactly(MovementType.RELEASE, MovementType.RESERVE);
      assertThat(store.history(tenant, HistoryQuery.all().between(at(2), at(4))).items())
          .extracting(Movement::occurredAt).containsExactly(at(3), at(2));
      Page<Movement> second = store.history(tenant, HistoryQuery.all().withPage(PageRequest.of(3, 2)));
      assertThat(second.items()).extracting(Movement::occurredAt).containsExactly(at(1));
      assertThat(second.total()).isEqualTo(4);
      Page<Movement> past = store.history(tenant, HistoryQuery.all().withPage(PageRequest.of(9, 2)));
      assertThat(past.items()).isEmpty();
      assertThat(past.total()).isEqualTo(4);
      assertThat(store.history(tenant, HistoryQuery.of(Sku.of("NOPE"))).total()).isZero();

      List<Movement> replayed = new ArrayList<>();
      store.forEachMovement(tenant, Sku.of("A"), replayed::add);
      assertThat(replayed).extracting(Movement::type)
          .containsExactly(MovementType.ADJUSTMENT, MovementType.RESERVE, MovementType.RELEASE);
      store.forEachMovement(tenant, Sku.of("NOPE"), m -> { throw new AssertionError(m); });
    }
  }

  @Nested
  @DisplayName("inbox and leases")
  class InboxAndLeases {
    @Test
    @DisplayName("an event is recorded once; failures count attempts; success leaves pending")
    void inbox() {
      String source = "tiktok-" + tenant.value();
      assertThat(store.offer(tenant, source, "n-1", "{\"a\":1}", at(1))).isTrue();
      assertThat(store.offer(tenant, source, "n-1", "{\"a\":2}", at(2))).isFalse();
      assertThat(store.offer(tenant, source, "n-0", "{}", at(1))).isTrue();
      assertThat(store.offer(Fixtures.OTHER_TENANT, source, "n-1", "{}", at(3))).isTrue();
      assertThat(mine()).extracting(InboxEvent::eventId, InboxEvent::tenant).containsExactly(
          org.assertj.core.groups.Tuple.tuple("n-0", tenant), org.assertj.core.groups.Tuple.tuple("n-1", tenant),
          org.assertj.core.groups.Tuple.tuple("n-1", Fixtures.OTHER_TENANT));
      store.complete(tenant, source, "n-1", at(4), "boom");
      store.complete(tenant, source, "n-1", at(5), "boom again");
      assertThat(mine()).filteredOn(e -> e.eventId().equals("n-1") && e.tenant().equals(tenant)).singleElement()
          .isEqualTo(new InboxEvent(tenant, source, "n-1", "{\"a\":1}", at(1), 2, "boom again"));
      store.complete(tenant, source, "n-1", at(6), null);
      store.complete(tenant, source, "n-0", at(6), null);
      store.complete(Fixtures.OTHER_TENANT, source, "n-1", at(6), null);
      assertThat(mine()).isEmpty();
    }

    private List<InboxEvent> mine() {
      return store.pending(10_000).stream().filter(e -> e.source().equals("tiktok-" + tenant.value())).toList();
    }

    @Test
    @DisplayName("a lease has one owner until it expires or is released")
    void leases() {
      String lease = "sync-" + tenant.value();
      Instant now = at(0);
      assertThat(store.tryAcquire(lease, "a", now, Duration.ofSeconds(30))).isTrue();
      assertThat(store.tryAcquire(lease, "b", now.plusSeconds(10), Duration.ofSeconds(30))).isFalse();
      assertThat(store.tryAcquire(lease, "a", now.plusSeconds(10), Duration.ofSeconds(30))).isTrue();
      assertThat(store.tryAcquire(lease, "a", now.plusSeconds(10), Duration.ofSeconds(30))).isTrue();
      assertThat(store.tryAcquire(lease, "b", now.plusSeconds(39), Duration.ofSeconds(30))).isFalse();
      assertThat(store.tryAcquire(lease, "b", now.plusSeconds(40), Duration.ofSeconds(30))).isTrue();
      store.release(lease, "a");
      assertThat(store.tryAcquire(lease, "a", now.plusSeconds(41), Duration.ofSeconds(30))).isFalse();
      store.release(lease, "b");
      assertThat(store.tryAcquire(lease, "a", now.plusSeconds(42), Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  @DisplayName("tenants never see each other's SKUs, movements or alerts")
  void tenancy() {
    register("A");
    store.registerItem(item(Fixtures.OTHER_TENANT, "A-" + tenant.value()), at(0));
    applied(mutation(tenant, at(1), "same-key", adjust("A", 3)));
    assertThat(store.apply(mutation(Fixtures.OTHER_TENANT, at(1), "same-key", adjust("A-" + tenant.value(), 9))))
        .isInstanceOf(Applied.class);
    assertThat(store.history(tenant, HistoryQuery.all()).items()).allSatisfy(m -> assertThat(m.tenant()).isEqualTo(tenant));
    assertThat(store.openAlerts(tenant, null)).allSatisfy(a -> assertThat(a.tenant()).isEqualTo(tenant));
    assertThat(Optional.of(level("A").onHand())).contains(3L);
  }
}
