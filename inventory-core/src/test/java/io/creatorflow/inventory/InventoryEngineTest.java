package io.creatorflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.StockStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InventoryEngineTest {
  static final TenantId T = TenantId.of("creator-1");
  static final TenantId OTHER = TenantId.of("creator-2");
  static final Sku HOODIE = Sku.of("HOODIE-M");
  static final Sku CAP = Sku.of("CAP-1");

  TestClock clock = new TestClock(Instant.parse("2026-11-01T10:00:00Z"));
  InMemoryStockStore store = new InMemoryStockStore();
  InventoryEngine engine;

  @BeforeEach
  void setUp() {
    engine = InventoryEngine.builder().store(store).clock(clock).defaultLowStockThreshold(5).build();
    engine.register(ItemDefinition.builder(T, HOODIE).name("Hoodie M").build());
    engine.register(ItemDefinition.builder(T, CAP).name("Cap").lowStockThreshold(2).build());
  }

  OperationResult stock(Sku sku, long qty) {
    return engine.adjust(Adjustment.of(T, sku, qty, "initial count").withType(MovementType.IN));
  }

  @Nested
  @DisplayName("catalog")
  class Catalog {
    @Test
    @DisplayName("a new item starts with nothing on hand")
    void newItemIsEmpty() {
      StockLevel level = engine.level(T, HOODIE);
      assertThat(level.onHand()).isZero();
      assertThat(level.reserved()).isZero();
      assertThat(level.available()).isZero();
    }

    @Test
    @DisplayName("registering the same definition again returns the stored item")
    void reRegisterSame() {
      CatalogItem again = engine.register(ItemDefinition.builder(T, HOODIE).name("Hoodie M").build());
      assertThat(again.version()).isEqualTo(1);
    }

    @Test
    @DisplayName("registering a different definition for a known SKU is a conflict")
    void reRegisterDifferent() {
      assertThatThrownBy(() -> engine.register(ItemDefinition.builder(T, HOODIE).name("Other").build()))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.ITEM_EXISTS));
    }

    @Test
    @DisplayName("updating an item bumps its version and keeps its stock")
    void update() {
      stock(HOODIE, 10);
      clock.advance(Duration.ofMinutes(1));
      CatalogItem updated = engine.updateItem(engine.item(T, HOODIE).definition().toBuilder().name("Hoodie (M)").build());
      assertThat(updated.version()).isEqualTo(2);
      assertThat(updated.name()).isEqualTo("Hoodie (M)");
      assertThat(updated.updatedAt()).isAfter(updated.createdAt());
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(10);
    }

    @Test
    @DisplayName("updating an unknown SKU is an unknown-SKU error")
    void updateUnknown() {
      assertThatThrownBy(() -> engine.updateItem(ItemDefinition.builder(T, Sku.of("NOPE")).build()))
          .isInstanceOf(UnknownSkuException.class);
    }

    @Test
    @DisplayName("items are found by their shop listing, and a listing belongs to one SKU")
    void listings() {
      Sku mug = Sku.of("MUG");
      engine.register(ItemDefinition.builder(T, mug).name("Mug").listing(ShopListing.of("tiktok", "p1", "s1")).build());
      assertThat(engine.itemByListing(T, "tiktok", "s1")).map(CatalogItem::sku).contains(mug);
      assertThat(engine.itemByListing(OTHER, "tiktok", "s1")).isEmpty();
      assertThatThrownBy(() -> engine.register(
          ItemDefinition.builder(T, Sku.of("MUG-2")).listing(ShopListing.of("tiktok", "p1", "s1")).build()))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.LISTING_TAKEN));
    }

    @Test
    @DisplayName("bad definitions are rejected with a message naming the value")
    void badDefinitions() {
      assertThatThrownBy(() -> ItemDefinition.builder(T, HOODIE).name(" ").build())
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("name");
      assertThatThrownBy(() -> ItemDefinition.builder(T, HOODIE).lowStockThreshold(-1).build())
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("lowStockThreshold");
      assertThatThrownBy(() -> Sku.of(" padded ")).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Sku.of("")).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Sku.of("a\u0000b")).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> TenantId.of("x".repeat(65))).isInstanceOf(InvalidRequestException.class);
    }
  }

  @Nested
  @DisplayName("adjustments")
  class Adjustments {
    @Test
    @DisplayName("an adjustment returns its movement with before and after values")
    void adjustReturnsMovement() {
      stock(HOODIE, 10);
      clock.advance(Duration.ofSeconds(5));
      Movement m = engine.adjust(Adjustment.of(T, HOODIE, -3, "damaged").withActor("ops")).movement();
      assertThat(m.type()).isEqualTo(MovementType.ADJUSTMENT);
      assertThat(m.quantity()).isEqualTo(3);
      assertThat(m.onHandBefore()).isEqualTo(10);
      assertThat(m.onHandAfter()).isEqualTo(7);
      assertThat(m.reason()).isEqualTo("damaged");
      assertThat(m.actor()).isEqualTo("ops");
      assertThat(m.occurredAt()).isEqualTo(clock.instant());
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(7);
    }

    @Test
    @DisplayName("zero, missing reason, and out-of-range quantities are invalid")
    void invalid() {
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, 0, "x")).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, 5, null)).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("reason");
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, 2_000_000_000L, "x")).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, -5, "x").withType(MovementType.IN))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, 5, "x").withType(MovementType.RESERVE))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, 5, "x").withIdempotencyKey("sys:mine"))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> Adjustment.of(T, HOODIE, 5, "nul\u0000byte"))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("control characters");
      assertThat(Adjustment.of(T, HOODIE, 5, "line one\nline two").reason()).contains("\n");
      assertThatThrownBy(() -> ItemDefinition.builder(T, HOODIE).name("bell\u0007").build())
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    @DisplayName("removing more than is available is refused and changes nothing")
    void insufficient() {
      stock(HOODIE, 4);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 3)));
      assertThatThrownBy(() -> engine.adjust(Adjustment.of(T, HOODIE, -2, "shrinkage")))
          .isInstanceOfSatisfying(InsufficientStockException.class, e -> {
            assertThat(e.requested()).isEqualTo(2);
            assertThat(e.available()).isEqualTo(1);
          });
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(4);
      assertThat(engine.history(T, HistoryQuery.of(HOODIE)).total()).isEqualTo(2);
    }

    @Test
    @DisplayName("an unknown SKU is an unknown-SKU error")
    void unknownSku() {
      assertThatThrownBy(() -> engine.adjust(Adjustment.of(T, Sku.of("NOPE"), 1, "x")))
          .isInstanceOf(UnknownSkuException.class).hasMessageContaining("NOPE");
    }

    @Test
    @DisplayName("the same key applies once and replays the original movement")
    void idempotent() {
      Adjustment a = Adjustment.of(T, HOODIE, 5, "received").withIdempotencyKey("po-1");
      OperationResult first = engine.adjust(a);
      OperationResult second = engine.adjust(a);
      assertThat(first.replayed()).isFalse();
      assertThat(second.replayed()).isTrue();
      assertThat(second.movements()).isEqualTo(first.movements());
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(5);
    }

    @Test
    @DisplayName("a key reused with different input is a conflict")
    void keyReuse() {
      engine.adjust(Adjustment.of(T, HOODIE, 5, "received").withIdempotencyKey("po-1"));
      assertThatThrownBy(() -> engine.adjust(Adjustment.of(T, HOODIE, 6, "received").withIdempotencyKey("po-1")))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED));
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(5);
    }

    @Test
    @DisplayName("compare-and-set applies only when on hand is as expected")
    void compareAndSet() {
      stock(HOODIE, 10);
      Movement m = engine.setOnHand(StockCount.of(T, HOODIE, 10, 8, "cycle count")).movement();
      assertThat(m.onHandAfter()).isEqualTo(8);
      assertThatThrownBy(() -> engine.setOnHand(StockCount.of(T, HOODIE, 10, 12, "stale count")))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH))
          .hasMessageContaining("8");
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(8);
    }

    @Test
    @DisplayName("a count below what is reserved is refused")
    void countBelowReserved() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 6)));
      assertThatThrownBy(() -> engine.setOnHand(StockCount.of(T, HOODIE, 10, 5, "count")))
          .isInstanceOf(InsufficientStockException.class);
    }
  }

  @Nested
  @DisplayName("orders")
  class Orders {
    @Test
    @DisplayName("a multi-line reservation reserves every line")
    void reserveAll() {
      stock(HOODIE, 10);
      stock(CAP, 3);
      OperationResult r = engine.reserve(Reservation.of(T, OrderId.of("o1"),
          OrderLine.of(HOODIE, 2), OrderLine.of(CAP, 1), OrderLine.of(HOODIE, 1)));
      assertThat(r.movements()).hasSize(2).allMatch(m -> m.type() == MovementType.RESERVE);
      assertThat(r.requireOrder().status()).isEqualTo(OrderStatus.RESERVED);
      assertThat(r.requireOrder().lines()).containsExactly(OrderLine.of(CAP, 1), OrderLine.of(HOODIE, 3));
      assertThat(engine.level(T, HOODIE).reserved()).isEqualTo(3);
      assertThat(engine.level(T, HOODIE).available()).isEqualTo(7);
    }

    @Test
    @DisplayName("a reservation that cannot be met in full reserves nothing")
    void allOrNothing() {
      stock(HOODIE, 10);
      stock(CAP, 1);
      assertThatThrownBy(() -> engine.reserve(Reservation.of(T, OrderId.of("o1"),
          OrderLine.of(HOODIE, 2), OrderLine.of(CAP, 2))))
          .isInstanceOfSatisfying(InsufficientStockException.class, e -> {
            assertThat(e.sku()).isEqualTo(CAP);
            assertThat(e.requested()).isEqualTo(2);
            assertThat(e.available()).isEqualTo(1);
          });
      assertThat(engine.level(T, HOODIE).reserved()).isZero();
      assertThatThrownBy(() -> engine.order(T, OrderId.of("o1"))).isInstanceOf(UnknownOrderException.class);
    }

    @Test
    @DisplayName("reserving an order again with the same lines is applied once")
    void reserveIdempotentOnOrderId() {
      stock(HOODIE, 10);
      Reservation r = Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 2));
      OperationResult first = engine.reserve(r);
      OperationResult again = engine.reserve(r);
      assertThat(again.replayed()).isTrue();
      assertThat(again.movements()).isEqualTo(first.movements());
      assertThat(engine.level(T, HOODIE).reserved()).isEqualTo(2);
      OperationResult withOtherKey = engine.reserve(r.withIdempotencyKey("k-9"));
      assertThat(withOtherKey.replayed()).isTrue();
      assertThat(engine.level(T, HOODIE).reserved()).isEqualTo(2);
    }

    @Test
    @DisplayName("reserving an order again with other lines is a conflict")
    void reserveConflict() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 2)));
      assertThatThrownBy(() -> engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 3))))
          .isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> engine.reserve(
          Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 3)).withIdempotencyKey("fresh")))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.ORDER_STATE));
    }

    @Test
    @DisplayName("reserving an unknown SKU changes nothing")
    void reserveUnknownSku() {
      stock(HOODIE, 10);
      assertThatThrownBy(() -> engine.reserve(Reservation.of(T, OrderId.of("o1"),
          OrderLine.of(HOODIE, 1), OrderLine.of(Sku.of("GHOST"), 1))))
          .isInstanceOf(UnknownSkuException.class);
      assertThat(engine.level(T, HOODIE).reserved()).isZero();
    }

    @Test
    @DisplayName("empty orders and non-positive quantities are invalid")
    void invalidOrders() {
      assertThatThrownBy(() -> Reservation.of(T, OrderId.of("o1"), List.of())).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> OrderLine.of(HOODIE, 0)).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> OrderLine.of(HOODIE, -1)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    @DisplayName("fulfilling ships the reserved stock")
    void fulfil() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 4)));
      OperationResult r = engine.fulfil(OrderCommand.of(T, OrderId.of("o1")));
      assertThat(r.movement().type()).isEqualTo(MovementType.OUT);
      assertThat(r.requireOrder().status()).isEqualTo(OrderStatus.FULFILLED);
      StockLevel level = engine.level(T, HOODIE);
      assertThat(level.onHand()).isEqualTo(6);
      assertThat(level.reserved()).isZero();
    }

    @Test
    @DisplayName("fulfilling twice is a conflict unless the same key replays it")
    void doubleFulfil() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 4)));
      OrderCommand fulfil = OrderCommand.of(T, OrderId.of("o1")).withIdempotencyKey("ship-o1");
      OperationResult first = engine.fulfil(fulfil);
      OperationResult again = engine.fulfil(fulfil);
      assertThat(again.replayed()).isTrue();
      assertThat(again.movements()).isEqualTo(first.movements());
      assertThatThrownBy(() -> engine.fulfil(OrderCommand.of(T, OrderId.of("o1"))))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.ORDER_STATE));
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(6);
    }

    @Test
    @DisplayName("cancelling releases the reservation; cancelling an unknown order is an error")
    void cancel() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 4)));
      OperationResult r = engine.cancel(OrderCommand.of(T, OrderId.of("o1")).withReason("buyer cancelled"));
      assertThat(r.movement().type()).isEqualTo(MovementType.RELEASE);
      assertThat(engine.level(T, HOODIE).available()).isEqualTo(10);
      assertThatThrownBy(() -> engine.cancel(OrderCommand.of(T, OrderId.of("nope"))))
          .isInstanceOf(UnknownOrderException.class);
      assertThatThrownBy(() -> engine.cancel(OrderCommand.of(T, OrderId.of("o1"))))
          .isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> engine.fulfil(OrderCommand.of(T, OrderId.of("o1"))))
          .isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("a fulfilled order cannot be cancelled")
    void cancelFulfilled() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 4)));
      engine.fulfil(OrderCommand.of(T, OrderId.of("o1")));
      assertThatThrownBy(() -> engine.cancel(OrderCommand.of(T, OrderId.of("o1"))))
          .isInstanceOf(ConflictException.class).hasMessageContaining("FULFILLED");
    }

    @Test
    @DisplayName("returns restock when asked, and never exceed what was fulfilled")
    void returns() {
      stock(HOODIE, 10);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 4)));
      assertThatThrownBy(() -> engine.returnItems(OrderReturn.of(T, OrderId.of("o1"), true, OrderLine.of(HOODIE, 1))))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.ORDER_STATE));
      engine.fulfil(OrderCommand.of(T, OrderId.of("o1")));
      OperationResult restocked = engine.returnItems(OrderReturn.of(T, OrderId.of("o1"), true, OrderLine.of(HOODIE, 2)));
      assertThat(restocked.movement().type()).isEqualTo(MovementType.IN);
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(8);
      OperationResult damaged = engine.returnItems(OrderReturn.of(T, OrderId.of("o1"), false, OrderLine.of(HOODIE, 1)));
      assertThat(damaged.movements()).isEmpty();
      assertThat(damaged.requireOrder().returned()).containsExactly(OrderLine.of(HOODIE, 3));
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(8);
      assertThatThrownBy(() -> engine.returnItems(OrderReturn.of(T, OrderId.of("o1"), true, OrderLine.of(HOODIE, 2))))
          .isInstanceOfSatisfying(ConflictException.class,
              e -> assertThat(e.reason()).isEqualTo(ConflictException.Reason.RETURN_EXCEEDS_FULFILLED));
      assertThatThrownBy(() -> engine.returnItems(OrderReturn.of(T, OrderId.of("o1"), true, OrderLine.of(CAP, 1))))
          .isInstanceOf(ConflictException.class);
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(8);
    }

    @Test
    @DisplayName("backorder SKUs may be reserved below zero but never shipped from nothing")
    void backorder() {
      Sku preorder = Sku.of("PRE");
      engine.register(ItemDefinition.builder(T, preorder).name("Pre-order").allowBackorder(true).build());
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(preorder, 3)));
      assertThat(engine.level(T, preorder).available()).isEqualTo(-3);
      assertThatThrownBy(() -> engine.fulfil(OrderCommand.of(T, OrderId.of("o1"))))
          .isInstanceOf(InsufficientStockException.class);
      engine.adjust(Adjustment.of(T, preorder, 3, "arrived").withType(MovementType.IN));
      engine.fulfil(OrderCommand.of(T, OrderId.of("o1")));
      assertThat(engine.level(T, preorder).onHand()).isZero();
    }
  }

  @Nested
  @DisplayName("queries")
  class Queries {
    @Test
    @DisplayName("catalog search filters by status and text with a true total")
    void find() {
      for (int i = 0; i < 30; i++) {
        Sku sku = Sku.of(String.format("TEE-%02d", i));
        engine.register(ItemDefinition.builder(T, sku).name("Tee 100% cotton " + i).build());
        if (i % 3 != 0) {
          engine.adjust(Adjustment.of(T, sku, i % 3 == 1 ? 3 : 50, "count"));
        }
      }
      Page<ItemStock> low = engine.find(T, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK).withText("tee")
          .withPage(PageRequest.of(0, 4)));
      assertThat(low.total()).isEqualTo(10);
      assertThat(low.items()).hasSize(4).allMatch(r -> r.status() == StockStatus.LOW_STOCK);
      assertThat(low.hasNext()).isTrue();
      assertThat(engine.find(T, CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK).withText("TEE")).total())
          .isEqualTo(10);
      assertThat(engine.find(T, CatalogQuery.all().withText("100%")).total()).isEqualTo(30);
      assertThat(engine.find(T, CatalogQuery.all().withText("1_0")).total()).isZero();
      assertThat(engine.find(T, CatalogQuery.all().withText("%")).total()).isEqualTo(30);
      assertThat(engine.find(T, CatalogQuery.all().withText("*")).total()).isZero();
      Page<ItemStock> last = engine.find(T, CatalogQuery.all().withPage(PageRequest.of(30, 10)));
      assertThat(last.total()).isEqualTo(32);
      assertThat(last.items()).extracting(r -> r.item().sku().value()).containsExactly("TEE-28", "TEE-29");
      assertThatThrownBy(() -> PageRequest.of(0, 501)).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> PageRequest.of(-1, 5)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    @DisplayName("history is newest first and filters by type and time")
    void history() {
      stock(HOODIE, 10);
      clock.advance(Duration.ofMinutes(1));
      Instant mid = clock.instant();
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 2)));
      engine.adjust(Adjustment.of(T, CAP, 5, "count"));
      Page<Movement> all = engine.history(T, HistoryQuery.all());
      assertThat(all.total()).isEqualTo(3);
      assertThat(all.items()).extracting(Movement::type)
          .containsExactly(MovementType.ADJUSTMENT, MovementType.RESERVE, MovementType.IN);
      assertThat(engine.history(T, HistoryQuery.of(HOODIE).withTypes(Set.of(MovementType.RESERVE))).total()).isEqualTo(1);
      assertThat(engine.history(T, HistoryQuery.all().between(mid, null)).total()).isEqualTo(2);
      assertThat(engine.history(T, HistoryQuery.all().between(null, mid)).total()).isEqualTo(1);
      assertThatThrownBy(() -> engine.history(T, HistoryQuery.of(Sku.of("NOPE"))))
          .isInstanceOf(UnknownSkuException.class);
    }

    @Test
    @DisplayName("the ledger replays to the balances")
    void ledger() {
      stock(HOODIE, 10);
      stock(CAP, 3);
      engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(HOODIE, 2), OrderLine.of(CAP, 1)));
      engine.fulfil(OrderCommand.of(T, OrderId.of("o1")));
      LedgerReport report = engine.verifyLedger(T);
      assertThat(report.consistent()).isTrue();
      assertThat(report.skusChecked()).isEqualTo(2);
      assertThat(report.movementsChecked()).isEqualTo(6);
    }

    @Test
    @DisplayName("a ledger that misses a row is reported")
    void ledgerGap() {
      stock(HOODIE, 10);
      engine.adjust(Adjustment.of(T, HOODIE, -1, "damaged"));
      StockStore lossy = (StockStore) Proxy.newProxyInstance(StockStore.class.getClassLoader(),
          new Class<?>[] {StockStore.class}, (proxy, method, args) -> {
            if (method.getName().equals("forEachMovement")) {
              @SuppressWarnings("unchecked")
              Consumer<Movement> action = (Consumer<Movement>) args[2];
              boolean[] first = {true};
              store.forEachMovement((TenantId) args[0], (Sku) args[1], m -> {
                if (!first[0]) {
                  action.accept(m);
                }
                first[0] = false;
              });
              return null;
            }
            try {
              return method.invoke(store, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      InventoryEngine audit = InventoryEngine.builder().store(lossy).clock(clock).build();
      LedgerReport report = audit.verifyLedger(T);
      assertThat(report.consistent()).isFalse();
      assertThat(report.discrepancies()).singleElement().satisfies(d -> {
        assertThat(d.sku()).isEqualTo(HOODIE);
        assertThat(d.actualOnHand()).isEqualTo(9);
        assertThat(d.problem()).contains("starts at on hand 10");
      });
    }
  }

  @Nested
  @DisplayName("tenancy")
  class Tenancy {
    @Test
    @DisplayName("the same SKU in two tenants is two independent pools")
    void isolated() {
      engine.register(ItemDefinition.builder(OTHER, HOODIE).name("Other hoodie").build());
      stock(HOODIE, 10);
      engine.adjust(Adjustment.of(OTHER, HOODIE, 1, "count").withIdempotencyKey("k"));
      engine.adjust(Adjustment.of(T, HOODIE, 2, "count").withIdempotencyKey("k"));
      assertThat(engine.level(T, HOODIE).onHand()).isEqualTo(12);
      assertThat(engine.level(OTHER, HOODIE).onHand()).isEqualTo(1);
      assertThat(engine.history(OTHER, HistoryQuery.all()).total()).isEqualTo(1);
      assertThat(engine.find(OTHER, CatalogQuery.all()).total()).isEqualTo(1);
      assertThat(engine.openAlerts(OTHER)).allMatch(a -> a.tenant().equals(OTHER));
      assertThatThrownBy(() -> engine.level(OTHER, CAP)).isInstanceOf(UnknownSkuException.class);
    }
  }
}
