package io.creatorflow.inventory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertDeliveryPolicy;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.AlertStatus;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.InsufficientStockException;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.LedgerReport;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.NotFoundException;
import io.creatorflow.inventory.OperationResult;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderCommand;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderReturn;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockCount;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownAlertException;
import io.creatorflow.inventory.UnknownOrderException;
import io.creatorflow.inventory.UnknownSkuException;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowingConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compatibility kit every {@link StockStore} must pass: the proof that a store never oversells
 * and never loses a movement. A store's test is a small subclass that says how to make a fresh
 * store:
 *
 * <pre>{@code
 * class MyStockStoreCompatibilityTest extends StockStoreCompatibilityKit {
 *   @Override
 *   protected StockStore createStore() {
 *     return new MyStockStore(dataSource);
 *   }
 *
 *   // Shared stores only: a second instance on the same backing data, as a second service
 *   // instance would open it. Enables the multi-instance tests.
 *   @Override
 *   protected Optional<StockStore> createSecondStore(StockStore first) {
 *     return Optional.of(new MyStockStore(dataSource));
 *   }
 * }
 * }</pre>
 *
 * <p>Every test builds an {@link InventoryEngine} on a fresh store from {@link #createStore()} with
 * a {@link MutableClock}, a {@link RecordingAlertSink} and an alert executor the kit owns, and works
 * in a fresh random tenant, so that tests sharing one database never see each other's data. After
 * each test the kit closes the engines, shuts its executor down and hands every store it created to
 * {@link #closeStore(StockStore)}.
 *
 * <p>The kit checks the invariants of the design notes (no oversell, reserved within on hand, the
 * ledger explains every balance, changes and ledger rows committed together, idempotent replays,
 * all-or-nothing reservations, one open alert per SKU and kind) through the engine's public API and,
 * where the SPI promises more than the engine shows, through the store directly. Three kinds of
 * tests:
 *
 * <ul>
 *   <li>example tests in {@code @Nested} groups (JUnit Jupiter): catalog, adjustments,
 *       compare-and-set, reservations, order life cycle, idempotency, alerts, queries, ledger,
 *       tenancy, the SPI contract itself, two store instances, event inbox, leases, concurrency;
 *   <li>a stateful property (jqwik): random operation sequences, bad inputs included, compared step
 *       by step with a reference model; failures shrink to a short readable sequence. jqwik finds
 *       the property in every subclass, so one subclass runs both engines. The property creates its
 *       own store through {@link #createStore()} (once per property) and does not run Jupiter
 *       lifecycle methods or extensions: the factory must work on its own;
 *   <li>the multi-threaded {@link ConcurrencyHarness}, sized by {@link #concurrencySettings()}.
 * </ul>
 *
 * <p>Sizes: CI-friendly by default; {@code -Dinventory.testkit.soak=true} turns on soak sizes and a
 * long-running soak property, and {@code -Dinventory.testkit.threads}, {@code
 * -Dinventory.testkit.operations} and {@code -Dinventory.testkit.seed} set single values (see {@link
 * ConcurrencyHarness.Settings#fromSystemProperties()}).
 *
 * <p>Stores that also implement {@link io.creatorflow.inventory.spi.EventInbox} or {@link
 * io.creatorflow.inventory.spi.LeaseStore} are checked against those contracts as well; for other
 * stores those groups are skipped (reported as aborted by an assumption).
 */
@ExtendWith(NameTheImplementation.class)
public abstract class StockStoreCompatibilityKit {
  /** The low-stock threshold of the kit's engine for items without their own. */
  public static final long KIT_DEFAULT_THRESHOLD = 5;

  private static final AtomicInteger EXECUTOR_THREADS = new AtomicInteger();

  private @Nullable Fixture fixture;

  // ------------------------------------------------------------------------------ what a store supplies

  /**
   * A new store to test. Called once before every test; the kit passes it to {@link
   * #closeStore(StockStore)} afterwards. A shared store (SQL, Redis) may return an instance on an
   * existing database: every test works in a fresh random tenant.
   */
  protected abstract StockStore createStore() throws Exception;

  /**
   * A second store instance on the same backing data as {@code first}, as a second service instance
   * sharing the database would open it; empty (the default) for stores whose data is not shared,
   * which skips the multi-instance tests. The kit closes it after the test.
   */
  protected Optional<StockStore> createSecondStore(StockStore first) throws Exception {
    return Optional.empty();
  }

  /**
   * Releases a store the kit created. The default calls {@link StockStore#close()}; override it to
   * also drop a schema, stop a container or close a data source.
   */
  protected void closeStore(StockStore store) throws Exception {
    store.close();
  }

  /**
   * The sizes of the concurrency tests. The default reads the system properties described in
   * {@link ConcurrencyHarness.Settings#fromSystemProperties()}; override to size them for a slow
   * backend.
   */
  protected ConcurrencyHarness.Settings concurrencySettings() {
    return ConcurrencyHarness.Settings.fromSystemProperties();
  }

  // ------------------------------------------------------------------------------ lifecycle

  @BeforeEach
  final void setUpKit() throws Exception {
    fixture = new Fixture(createStore());
  }

  @AfterEach
  final void tearDownKit() throws Exception {
    Fixture f = fixture;
    fixture = null;
    if (f != null) {
      f.close();
    }
  }

  private Fixture fx() {
    Fixture f = fixture;
    if (f == null) {
      throw new IllegalStateException("the kit's fixture exists only while a test runs");
    }
    return f;
  }

  /** The store under test. */
  protected final StockStore store() {
    return fx().store;
  }

  /** The engine on {@link #store()}. */
  protected final InventoryEngine engine() {
    return fx().engine;
  }

  /** This test's fresh tenant. */
  protected final TenantId tenant() {
    return fx().tenant;
  }

  /** The clock of every engine of this test. */
  protected final MutableClock clock() {
    return fx().clock;
  }

  /** The sink every engine of this test delivers alerts to. */
  protected final RecordingAlertSink alerts() {
    return fx().sink;
  }

  /** Another fresh tenant, for tenancy tests. */
  protected final TenantId newTenant() {
    return randomTenant();
  }

  /**
   * An engine on {@code store} configured like {@link #engine()} (same clock, sink and executor);
   * the kit closes it after the test.
   */
  protected final InventoryEngine newEngine(StockStore store) {
    return fx().newEngine(store, 0);
  }

  /**
   * An engine on {@code store} like {@link #newEngine} but with the given alert hysteresis.
   */
  protected final InventoryEngine newEngine(StockStore store, long hysteresis) {
    return fx().newEngine(store, hysteresis);
  }

  /**
   * A second store on the same backing data (see {@link #createSecondStore}), created once per
   * test, or empty.
   */
  protected final Optional<StockStore> secondStore() throws Exception {
    return fx().secondStore();
  }

  /** A fresh random tenant id. */
  public static TenantId randomTenant() {
    return TenantId.of("kit-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
  }

  /** The delivery policy of the kit's engines: 4 quick attempts, so retry tests stay fast. */
  public static AlertDeliveryPolicy kitDeliveryPolicy() {
    return new AlertDeliveryPolicy(4, Duration.ofMillis(5), 2.0, Duration.ofMillis(40));
  }

  private final class Fixture {
    final StockStore store;
    final TenantId tenant = randomTenant();
    final MutableClock clock = MutableClock.start();
    final RecordingAlertSink sink = new RecordingAlertSink();
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "testkit-alerts-" + EXECUTOR_THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    final List<InventoryEngine> engines = new ArrayList<>();
    final InventoryEngine engine;
    private @Nullable Optional<StockStore> second;

    Fixture(StockStore store) {
      this.store = store;
      this.engine = newEngine(store, 0);
    }

    InventoryEngine newEngine(StockStore on, long hysteresis) {
      InventoryEngine e = InventoryEngine.builder()
          .store(on)
          .clock(clock)
          .alertSink(sink)
          .alertExecutor(executor)
          .defaultLowStockThreshold(KIT_DEFAULT_THRESHOLD)
          .alertHysteresis(hysteresis)
          .alertDeliveryPolicy(kitDeliveryPolicy())
          .build();
      engines.add(e);
      return e;
    }

    Optional<StockStore> secondStore() throws Exception {
      if (second == null) {
        second = createSecondStore(store);
      }
      return second;
    }

    void close() throws Exception {
      Exception failure = null;
      for (InventoryEngine e : engines) {
        e.close();
      }
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
      if (second != null && second.isPresent()) {
        try {
          closeStore(second.get());
        } catch (Exception e) {
          failure = e;
        }
      }
      try {
        closeStore(store);
      } catch (Exception e) {
        if (failure != null) {
          e.addSuppressed(failure);
        }
        throw e;
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /** Registers an item named after the SKU with the kit's default threshold and no stock. */
  protected final Sku registered(String sku) {
    engine().register(ItemDefinition.builder(tenant(), Sku.of(sku)).build());
    return Sku.of(sku);
  }

  /** The current level of a SKU of this test's tenant. */
  protected final StockLevel level(Sku sku) {
    return engine().level(tenant(), sku);
  }

  /** An item named after the SKU with nothing on hand, customised by {@code customize}. */
  protected final Sku registered(String sku, UnaryOperator<ItemDefinition.Builder> customize) {
    engine().register(customize.apply(ItemDefinition.builder(tenant(), Sku.of(sku))).build());
    return Sku.of(sku);
  }

  /** Registers an item with the given own threshold and books {@code onHand} as opening stock. */
  protected final Sku stocked(String sku, long onHand, long threshold) {
    return stocked(sku, onHand, b -> b.lowStockThreshold(threshold));
  }

  /** Registers a customised item and books {@code onHand} as opening stock. */
  protected final Sku stocked(String sku, long onHand, UnaryOperator<ItemDefinition.Builder> customize) {
    Sku id = registered(sku, customize);
    if (onHand > 0) {
      engine().adjust(Adjustment.of(tenant(), id, onHand, "opening stock").withType(MovementType.IN));
    }
    return id;
  }

  /** Every movement of a SKU, oldest first, straight from the store. */
  protected final List<Movement> ledger(Sku sku) {
    List<Movement> rows = new ArrayList<>();
    store().forEachMovement(tenant(), sku, rows::add);
    return rows;
  }

  /** How many ledger rows the tenant has. */
  protected final long ledgerSize() {
    return engine().history(tenant(), HistoryQuery.all().withPage(PageRequest.first(1))).total();
  }

  /** Checks every invariant of the design notes for this test's tenant. */
  protected final void assertInvariants() {
    InventoryInvariants.assertHold(engine(), tenant());
  }

  private static ThrowingConsumer<Throwable> conflict(ConflictException.Reason reason) {
    return e -> assertThat(e).isInstanceOfSatisfying(ConflictException.class, c -> assertThat(c.reason()).isEqualTo(reason));
  }

  /** What a failed operation must leave unchanged: every level, the ledger and the open alerts. */
  private record Snapshot(List<StockLevel> levels, long ledgerRows, List<Alert> openAlerts) {}

  private Snapshot snapshot() {
    List<StockLevel> levels = InventoryInvariants.allItems(engine(), tenant()).stream()
        .map(row -> engine().level(tenant(), row.item().sku())).toList();
    // Delivery state changes in the background after a commit; it is not part of what a failed
    // operation must leave alone.
    List<Alert> open = engine().openAlerts(tenant()).stream()
        .map(a -> a.withDelivery(DeliveryState.PENDING, 0)).toList();
    return new Snapshot(levels, ledgerSize(), open);
  }

  private void assertUnchangedBy(ThrowingCallable action, ThrowingConsumer<Throwable> failure) {
    Snapshot before = snapshot();
    Throwable thrown = catchThrowable(action);
    assertThat(thrown).as("the operation should fail").isNotNull();
    failure.accept(thrown);
    assertThat(snapshot()).as("a failed operation changes nothing").isEqualTo(before);
  }

  private void awaitDelivered(long alertId) {
    boolean delivered = alerts().awaitCondition(
        () -> store().alert(tenant(), alertId).map(a -> a.delivery() == DeliveryState.DELIVERED).orElse(false),
        RecordingAlertSink.DEFAULT_TIMEOUT);
    assertThat(delivered).as("alert %s recorded as delivered: %s", alertId, store().alert(tenant(), alertId)).isTrue();
  }

  private Alert openAlert(Sku sku, AlertKind kind) {
    List<Alert> open = engine().openAlerts(tenant(), sku).stream().filter(a -> a.kind() == kind).toList();
    assertThat(open).as("open %s alerts of %s", kind, sku).hasSize(1);
    return open.get(0);
  }

  private Set<AlertKind> openKinds(Sku sku) {
    Set<AlertKind> kinds = EnumSet.noneOf(AlertKind.class);
    engine().openAlerts(tenant(), sku).forEach(a -> kinds.add(a.kind()));
    return kinds;
  }

  // ============================================================================== catalog

  @Nested
  @DisplayName("catalog")
  class Catalog {

    @Test
    @DisplayName("registers an item with nothing on hand")
    void registersAnItemWithNothingOnHand() {
      ItemDefinition def = ItemDefinition.builder(tenant(), Sku.of("HOODIE-M"))
          .name("Hoodie M").location(Location.of("berlin")).lowStockThreshold(7)
          .listing(ShopListing.of("tiktok", "p-1", "s-1")).build();

      CatalogItem item = engine().register(def);

      assertThat(item.definition()).isEqualTo(def);
      assertThat(item.version()).isEqualTo(1);
      assertThat(item.createdAt()).isEqualTo(clock().instant());
      assertThat(engine().item(tenant(), def.sku()).definition()).isEqualTo(def);
      StockLevel level = level(def.sku());
      assertThat(level.onHand()).isZero();
      assertThat(level.reserved()).isZero();
      assertThat(level.version()).isZero();
      assertThat(ledger(def.sku())).isEmpty();
    }

    @Test
    @DisplayName("keeps every field of a definition: name, location, threshold, backorders and listings")
    void keepsEveryField() {
      ItemDefinition plain = ItemDefinition.builder(tenant(), Sku.of("PLAIN")).build();
      ItemDefinition full = ItemDefinition.builder(tenant(), Sku.of("FULL")).name("Ünïcödé name — 100% \"quoted\"")
          .location(Location.of("warehouse-2")).lowStockThreshold(0).allowBackorder(true)
          .listing(ShopListing.of("tiktok", "p-9", "s-9")).listing(ShopListing.of("shopify", "p-9", "s-9")).build();
      engine().register(plain);
      engine().register(full);

      assertThat(engine().item(tenant(), plain.sku()).definition()).isEqualTo(plain);
      assertThat(engine().item(tenant(), plain.sku()).lowStockThreshold()).isNull();
      assertThat(engine().item(tenant(), full.sku()).definition()).isEqualTo(full);
    }

    @Test
    @DisplayName("registering the same definition again returns the stored item unchanged")
    void reRegisteringTheSameDefinitionIsIdempotent() {
      ItemDefinition def = ItemDefinition.builder(tenant(), Sku.of("MUG")).name("Mug").build();
      CatalogItem first = engine().register(def);
      clock().advance(Duration.ofMinutes(5));

      CatalogItem again = engine().register(def);

      assertThat(again).isEqualTo(first);
      assertThat(store().registerItem(def, clock().instant()).created()).isFalse();
    }

    @Test
    @DisplayName("registering a different definition for a registered SKU is a conflict and changes nothing")
    void conflictingReRegistration() {
      ItemDefinition def = ItemDefinition.builder(tenant(), Sku.of("MUG")).name("Mug").build();
      engine().register(def);

      assertThatThrownBy(() -> engine().register(def.toBuilder().name("Cup").build()))
          .satisfies(conflict(ConflictException.Reason.ITEM_EXISTS));
      assertThat(engine().item(tenant(), def.sku()).name()).isEqualTo("Mug");
    }

    @Test
    @DisplayName("updating an item replaces its definition, bumps its version and keeps its stock")
    void updateReplacesTheDefinition() {
      Sku sku = stocked("CAP", 12, 3);
      CatalogItem before = engine().item(tenant(), sku);
      clock().advance(Duration.ofMinutes(1));

      CatalogItem after = engine().updateItem(before.definition().toBuilder().name("Red cap").lowStockThreshold(4)
          .location(Location.of("annex")).build());

      assertThat(after.name()).isEqualTo("Red cap");
      assertThat(after.lowStockThreshold()).isEqualTo(4);
      assertThat(after.location()).isEqualTo(Location.of("annex"));
      assertThat(after.version()).isEqualTo(before.version() + 1);
      assertThat(after.createdAt()).isEqualTo(before.createdAt());
      assertThat(after.updatedAt()).isEqualTo(clock().instant());
      assertThat(engine().item(tenant(), sku)).isEqualTo(after);
      assertThat(level(sku).onHand()).isEqualTo(12);
    }

    @Test
    @DisplayName("updating an unknown SKU fails and registers nothing")
    void updateOfUnknownSku() {
      ItemDefinition def = ItemDefinition.builder(tenant(), Sku.of("GHOST")).build();
      assertThatThrownBy(() -> engine().updateItem(def)).isInstanceOf(UnknownSkuException.class);
      assertThat(store().item(tenant(), def.sku())).isEmpty();
    }

    @Test
    @DisplayName("an unknown SKU has no item and no level")
    void unknownSku() {
      assertThatThrownBy(() -> engine().item(tenant(), Sku.of("NOPE"))).isInstanceOf(UnknownSkuException.class);
      assertThatThrownBy(() -> engine().level(tenant(), Sku.of("NOPE"))).isInstanceOf(UnknownSkuException.class);
      assertThat(store().item(tenant(), Sku.of("NOPE"))).isEmpty();
      assertThat(store().level(tenant(), Sku.of("NOPE"))).isEmpty();
    }

    @Test
    @DisplayName("finds an item by a channel's SKU id, per channel")
    void listingLookup() {
      Sku sku = registered("HOODIE", b -> b.listing(ShopListing.of("tiktok", "p-1", "s-1")));
      registered("MUG", b -> b.listing(ShopListing.of("shopify", "p-1", "s-1")));

      assertThat(engine().itemByListing(tenant(), "tiktok", "s-1")).map(CatalogItem::sku).contains(sku);
      assertThat(engine().itemByListing(tenant(), "shopify", "s-1")).map(CatalogItem::sku).contains(Sku.of("MUG"));
      assertThat(engine().itemByListing(tenant(), "tiktok", "s-2")).isEmpty();
      assertThat(engine().itemByListing(tenant(), "amazon", "s-1")).isEmpty();
    }

    @Test
    @DisplayName("an update that changes listings moves the lookup to the new listing")
    void listingFollowsUpdates() {
      Sku sku = registered("HOODIE", b -> b.listing(ShopListing.of("tiktok", "p-1", "s-1")));

      engine().updateItem(engine().item(tenant(), sku).definition().toBuilder()
          .listings(List.of(ShopListing.of("tiktok", "p-1", "s-2"))).build());

      assertThat(engine().itemByListing(tenant(), "tiktok", "s-1")).isEmpty();
      assertThat(engine().itemByListing(tenant(), "tiktok", "s-2")).map(CatalogItem::sku).contains(sku);
      registered("OTHER", b -> b.listing(ShopListing.of("tiktok", "p-3", "s-1")));
      assertThat(engine().itemByListing(tenant(), "tiktok", "s-1")).map(CatalogItem::sku).contains(Sku.of("OTHER"));
    }

    @Test
    @DisplayName("a channel SKU id that belongs to another SKU cannot be registered or updated onto a second SKU")
    void listingTaken() {
      registered("HOODIE", b -> b.listing(ShopListing.of("tiktok", "p-1", "s-1")));
      Sku mug = registered("MUG");

      assertThatThrownBy(() -> engine().register(ItemDefinition.builder(tenant(), Sku.of("CAP"))
          .listing(ShopListing.of("tiktok", "p-2", "s-1")).build()))
          .satisfies(conflict(ConflictException.Reason.LISTING_TAKEN));
      assertThat(store().item(tenant(), Sku.of("CAP"))).as("nothing registered").isEmpty();

      CatalogItem mugBefore = engine().item(tenant(), mug);
      assertThatThrownBy(() -> engine().updateItem(mugBefore.definition().toBuilder()
          .listing(ShopListing.of("tiktok", "p-2", "s-1")).build()))
          .satisfies(conflict(ConflictException.Reason.LISTING_TAKEN));
      assertThat(engine().item(tenant(), mug)).as("nothing updated").isEqualTo(mugBefore);
      assertThat(engine().itemByListing(tenant(), "tiktok", "s-1")).map(CatalogItem::sku).contains(Sku.of("HOODIE"));
    }
  }

  // ============================================================================== adjustments

  @Nested
  @DisplayName("adjustments")
  class Adjustments {

    @Test
    @DisplayName("an adjustment changes on hand and writes one ledger row with before and after values")
    void adjustmentWritesTheLedger() {
      Sku sku = registered("MUG");
      clock().advance(Duration.ofSeconds(3));

      OperationResult result = engine().adjust(new Adjustment(tenant(), sku, 7, MovementType.IN, "delivery", "alice",
          "po-17", "adj-1"));

      Movement m = result.movement();
      assertThat(result.replayed()).isFalse();
      assertThat(m.tenant()).isEqualTo(tenant());
      assertThat(m.sku()).isEqualTo(sku);
      assertThat(m.type()).isEqualTo(MovementType.IN);
      assertThat(m.quantity()).isEqualTo(7);
      assertThat(m.onHandBefore()).isZero();
      assertThat(m.onHandAfter()).isEqualTo(7);
      assertThat(m.reservedBefore()).isZero();
      assertThat(m.reservedAfter()).isZero();
      assertThat(m.reason()).isEqualTo("delivery");
      assertThat(m.actor()).isEqualTo("alice");
      assertThat(m.reference()).isEqualTo("po-17");
      assertThat(m.idempotencyKey()).isEqualTo("adj-1");
      assertThat(m.occurredAt()).isEqualTo(clock().instant());
      assertThat(ledger(sku)).containsExactly(m);
      StockLevel level = level(sku);
      assertThat(level.onHand()).isEqualTo(7);
      assertThat(level.version()).isEqualTo(1);
      assertThat(level.updatedAt()).isEqualTo(clock().instant());
    }

    @Test
    @DisplayName("adjustments down, and of type OUT, lower on hand")
    void adjustmentsDown() {
      Sku sku = stocked("MUG", 10, 0);

      engine().adjust(Adjustment.of(tenant(), sku, -3, "broken"));
      Movement out = engine().adjust(Adjustment.of(tenant(), sku, -2, "sold at a fair").withType(MovementType.OUT)).movement();

      assertThat(out.type()).isEqualTo(MovementType.OUT);
      assertThat(out.quantity()).isEqualTo(2);
      assertThat(out.onHandBefore()).isEqualTo(7);
      assertThat(out.onHandAfter()).isEqualTo(5);
      assertThat(level(sku).onHand()).isEqualTo(5);
      assertThat(level(sku).version()).isEqualTo(3);
      assertInvariants();
    }

    @Test
    @DisplayName("an adjustment below zero on hand is refused and changes nothing")
    void belowZeroIsRefused() {
      Sku sku = stocked("MUG", 3, 0);

      assertUnchangedBy(() -> engine().adjust(Adjustment.of(tenant(), sku, -4, "too many")),
          e -> assertThat(e).isInstanceOfSatisfying(InsufficientStockException.class, i -> {
            assertThat(i.sku()).isEqualTo(sku);
            assertThat(i.requested()).isEqualTo(4);
            assertThat(i.available()).isEqualTo(3);
          }));
      engine().adjust(Adjustment.of(tenant(), sku, -3, "exactly all"));
      assertThat(level(sku).onHand()).isZero();
    }

    @Test
    @DisplayName("an adjustment may not take away stock that is reserved")
    void reservedStockCannotBeAdjustedAway() {
      Sku sku = stocked("MUG", 10, 0);
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 8)));

      assertUnchangedBy(() -> engine().adjust(Adjustment.of(tenant(), sku, -3, "shrinkage")),
          e -> assertThat(e).isInstanceOf(InsufficientStockException.class));
      engine().adjust(Adjustment.of(tenant(), sku, -2, "shrinkage"));
      assertThat(level(sku).available()).isZero();
      assertInvariants();
    }

    @Test
    @DisplayName("a SKU that allows backorders may be adjusted below what is reserved, never below zero on hand")
    void backorderAdjustments() {
      Sku sku = stocked("PRE", 5, b -> b.allowBackorder(true).lowStockThreshold(1));
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 5)));

      engine().adjust(Adjustment.of(tenant(), sku, -3, "damaged"));
      assertThat(level(sku).available()).isEqualTo(-3);
      assertThatThrownBy(() -> engine().adjust(Adjustment.of(tenant(), sku, -3, "more damage")))
          .isInstanceOf(InsufficientStockException.class);
      assertThat(level(sku).onHand()).isEqualTo(2);
      assertInvariants();
    }

    @Test
    @DisplayName("an adjustment of an unknown SKU fails with unknown SKU and writes nothing")
    void unknownSku() {
      registered("MUG");
      assertUnchangedBy(() -> engine().adjust(Adjustment.of(tenant(), Sku.of("GHOST"), 1, "found one")),
          e -> assertThat(e).isInstanceOf(UnknownSkuException.class));
      assertThat(store().level(tenant(), Sku.of("GHOST"))).isEmpty();
    }

    @Test
    @DisplayName("a stock level's version rises by one with every movement")
    void versionCountsMovements() {
      Sku sku = registered("MUG");
      for (int i = 1; i <= 5; i++) {
        clock().advance(Duration.ofSeconds(1));
        engine().adjust(Adjustment.of(tenant(), sku, i, "delivery " + i));
        assertThat(level(sku).version()).isEqualTo(i);
        assertThat(level(sku).updatedAt()).isEqualTo(clock().instant());
      }
      assertThat(level(sku).onHand()).isEqualTo(15);
    }
  }

  // ============================================================================== compare-and-set

  @Nested
  @DisplayName("compare-and-set counts")
  class CompareAndSet {

    @Test
    @DisplayName("a count sets on hand when on hand is still what the counter saw")
    void countMatches() {
      Sku sku = stocked("MUG", 10, 0);

      Movement m = engine().setOnHand(StockCount.of(tenant(), sku, 10, 7, "stocktake")).movement();

      assertThat(m.type()).isEqualTo(MovementType.ADJUSTMENT);
      assertThat(m.quantity()).isEqualTo(3);
      assertThat(m.onHandBefore()).isEqualTo(10);
      assertThat(m.onHandAfter()).isEqualTo(7);
      assertThat(level(sku).onHand()).isEqualTo(7);
      engine().setOnHand(StockCount.of(tenant(), sku, 7, 20, "found a box"));
      assertThat(level(sku).onHand()).isEqualTo(20);
      assertInvariants();
    }

    @Test
    @DisplayName("a count made before a change it did not see is refused and changes nothing")
    void staleCountIsRefused() {
      Sku sku = stocked("MUG", 10, 0);
      engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));

      assertUnchangedBy(() -> engine().setOnHand(StockCount.of(tenant(), sku, 10, 4, "stocktake")),
          conflict(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH));
      assertThat(level(sku).onHand()).isEqualTo(9);
    }

    @Test
    @DisplayName("a count below what is reserved is refused")
    void countBelowReserved() {
      Sku sku = stocked("MUG", 10, 0);
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 6)));

      assertUnchangedBy(() -> engine().setOnHand(StockCount.of(tenant(), sku, 10, 5, "stocktake")),
          e -> assertThat(e).isInstanceOf(InsufficientStockException.class));
      engine().setOnHand(StockCount.of(tenant(), sku, 10, 6, "stocktake"));
      assertThat(level(sku).available()).isZero();
    }

    @Test
    @DisplayName("of two counts made from the same reading, only the first applies")
    void secondCountFromTheSameReadingFails() {
      Sku sku = stocked("MUG", 10, 0);
      engine().setOnHand(StockCount.of(tenant(), sku, 10, 8, "count A"));
      assertThatThrownBy(() -> engine().setOnHand(StockCount.of(tenant(), sku, 10, 12, "count B")))
          .satisfies(conflict(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH));
      assertThat(level(sku).onHand()).isEqualTo(8);
    }

    @Test
    @DisplayName("of many threads counting from the same reading at once, exactly one wins")
    void concurrentCounts() throws Exception {
      Sku sku = stocked("MUG", 10, 0);
      int threads = Math.min(16, concurrencySettings().threads());
      List<InventoryEngine> engines = enginesForConcurrency();
      List<Object> outcomes = race(threads, i -> engines.get(i % engines.size())
          .setOnHand(StockCount.of(tenant(), sku, 10, 20 + i, "count " + i)));

      long wins = outcomes.stream().filter(o -> o instanceof OperationResult).count();
      assertThat(wins).as("successful counts among %s", outcomes).isEqualTo(1);
      assertThat(outcomes).allSatisfy(o -> {
        if (!(o instanceof OperationResult)) {
          assertThat(o).isInstanceOfSatisfying(ConflictException.class,
              c -> assertThat(c.reason()).isEqualTo(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH));
        }
      });
      assertThat(ledger(sku)).hasSize(2);
      assertInvariants();
    }
  }

  // ============================================================================== reservations

  @Nested
  @DisplayName("reservations")
  class Reservations {

    @Test
    @DisplayName("a reservation moves stock from available to reserved and records the order")
    void reserveOneLine() {
      Sku sku = stocked("MUG", 10, 0);
      OrderId id = OrderId.of("o-1");

      OperationResult result = engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 4)).withActor("shop"));

      Movement m = result.movement();
      assertThat(m.type()).isEqualTo(MovementType.RESERVE);
      assertThat(m.quantity()).isEqualTo(4);
      assertThat(m.onHandBefore()).isEqualTo(10);
      assertThat(m.onHandAfter()).isEqualTo(10);
      assertThat(m.reservedBefore()).isZero();
      assertThat(m.reservedAfter()).isEqualTo(4);
      assertThat(m.reference()).isEqualTo("order:o-1");
      assertThat(m.actor()).isEqualTo("shop");
      StockLevel level = level(sku);
      assertThat(level.reserved()).isEqualTo(4);
      assertThat(level.available()).isEqualTo(6);
      Order order = engine().order(tenant(), id);
      assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
      assertThat(order.lines()).containsExactly(OrderLine.of(sku, 4));
      assertThat(order.returned()).isEmpty();
      assertThat(order.version()).isEqualTo(1);
      assertThat(order.createdAt()).isEqualTo(clock().instant());
      assertThat(result.requireOrder()).isEqualTo(order);
    }

    @Test
    @DisplayName("a multi-line reservation reserves every line, one movement per SKU in SKU order")
    void reserveSeveralLines() {
      Sku a = stocked("A-MUG", 5, 0);
      Sku b = stocked("B-CAP", 5, 0);
      Sku c = stocked("C-TEE", 5, 0);

      OperationResult result = engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"),
          OrderLine.of(c, 1), OrderLine.of(a, 2), OrderLine.of(b, 3), OrderLine.of(a, 1)));

      assertThat(result.movements()).extracting(Movement::sku).containsExactly(a, b, c);
      assertThat(result.movements()).extracting(Movement::quantity).containsExactly(3L, 3L, 1L);
      assertThat(level(a).reserved()).isEqualTo(3);
      assertThat(level(b).reserved()).isEqualTo(3);
      assertThat(level(c).reserved()).isEqualTo(1);
      assertInvariants();
    }

    @Test
    @DisplayName("a reservation is all or nothing: one short line reserves no line at all")
    void allOrNothing() {
      Sku a = stocked("A", 5, 0);
      Sku b = stocked("B", 1, 0);
      Sku c = stocked("C", 5, 0);
      OrderId id = OrderId.of("o-1");

      assertUnchangedBy(() -> engine().reserve(Reservation.of(tenant(), id, OrderLine.of(a, 2), OrderLine.of(b, 2),
          OrderLine.of(c, 2))),
          e -> assertThat(e).isInstanceOfSatisfying(InsufficientStockException.class, i -> {
            assertThat(i.sku()).isEqualTo(b);
            assertThat(i.requested()).isEqualTo(2);
            assertThat(i.available()).isEqualTo(1);
          }));
      assertThat(store().order(tenant(), id)).as("no order is recorded").isEmpty();
      assertThat(ledger(a)).hasSize(1);
      assertThat(ledger(c)).hasSize(1);
    }

    @Test
    @DisplayName("a reservation of the last unit succeeds and the next one is refused")
    void lastUnit() {
      Sku sku = stocked("MUG", 3, 0);
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 3)));

      assertUnchangedBy(() -> engine().reserve(Reservation.of(tenant(), OrderId.of("o-2"), OrderLine.of(sku, 1))),
          e -> assertThat(e).isInstanceOf(InsufficientStockException.class));
      assertThat(level(sku).available()).isZero();
    }

    @Test
    @DisplayName("a reservation naming an unknown SKU fails with unknown SKU and reserves nothing")
    void unknownSku() {
      Sku a = stocked("A", 5, 0);
      OrderId id = OrderId.of("o-1");

      assertUnchangedBy(() -> engine().reserve(Reservation.of(tenant(), id, OrderLine.of(a, 1), OrderLine.of(Sku.of("ZZ-GHOST"), 1))),
          e -> assertThat(e).isInstanceOfSatisfying(UnknownSkuException.class, u -> assertThat(u.sku()).isEqualTo(Sku.of("ZZ-GHOST"))));
      assertThat(store().order(tenant(), id)).isEmpty();
      assertThat(level(a).reserved()).isZero();
    }

    @Test
    @DisplayName("a SKU that allows backorders can be reserved beyond what is on hand")
    void backorder() {
      Sku sku = stocked("PRE-ORDER", 2, b -> b.allowBackorder(true).lowStockThreshold(1));

      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 5)));

      assertThat(level(sku).available()).isEqualTo(-3);
      assertThat(openKinds(sku)).contains(AlertKind.OUT_OF_STOCK);
      assertThat(engine().verifyLedger(tenant()).consistent()).isTrue();
      assertInvariants();
    }

    @Test
    @DisplayName("reserving an order again with the same lines is a replay; with other lines, a conflict")
    void reReserve() {
      Sku sku = stocked("MUG", 10, 0);
      OrderId id = OrderId.of("o-1");
      OperationResult first = engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 2)));

      OperationResult again = engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 2)));
      assertThat(again.replayed()).isTrue();
      assertThat(again.movements()).isEqualTo(first.movements());
      assertThat(level(sku).reserved()).isEqualTo(2);

      assertUnchangedBy(() -> engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 3))),
          conflict(ConflictException.Reason.ORDER_STATE));
    }

    @Test
    @DisplayName("an order reserved under a caller's key cannot be reserved again under another key")
    void reReserveUnderAnotherKey() {
      Sku sku = stocked("MUG", 10, 0);
      OrderId id = OrderId.of("o-1");
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 2)).withIdempotencyKey("webhook-1"));

      OperationResult sameLines = engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 2)).withIdempotencyKey("webhook-2"));
      assertThat(sameLines.replayed()).isTrue();
      assertThat(level(sku).reserved()).isEqualTo(2);
      assertUnchangedBy(() -> engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 1)).withIdempotencyKey("webhook-3")),
          conflict(ConflictException.Reason.ORDER_STATE));
    }
  }

  // ============================================================================== order life cycle

  @Nested
  @DisplayName("fulfilment, cancellation and returns")
  class OrderLifeCycle {
    Sku a;
    Sku b;
    OrderId id = OrderId.of("o-1");

    @BeforeEach
    void reserveAnOrder() {
      a = stocked("A", 10, 0);
      b = stocked("B", 10, 0);
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(a, 2), OrderLine.of(b, 3)));
    }

    @Test
    @DisplayName("fulfilling ships every line: reserved and on hand both fall")
    void fulfil() {
      clock().advance(Duration.ofMinutes(1));
      OperationResult result = engine().fulfil(OrderCommand.of(tenant(), id).withReason("shipped"));

      assertThat(result.movements()).extracting(Movement::type).containsOnly(MovementType.OUT);
      assertThat(result.movements()).extracting(Movement::sku).containsExactly(a, b);
      assertThat(level(a).onHand()).isEqualTo(8);
      assertThat(level(a).reserved()).isZero();
      assertThat(level(b).onHand()).isEqualTo(7);
      assertThat(level(b).reserved()).isZero();
      Order order = engine().order(tenant(), id);
      assertThat(order.status()).isEqualTo(OrderStatus.FULFILLED);
      assertThat(order.version()).isEqualTo(2);
      assertThat(order.updatedAt()).isEqualTo(clock().instant());
      assertThat(order.createdAt()).isBefore(order.updatedAt());
      assertInvariants();
    }

    @Test
    @DisplayName("fulfilling twice is a conflict and ships nothing more")
    void doubleFulfil() {
      engine().fulfil(OrderCommand.of(tenant(), id));
      assertUnchangedBy(() -> engine().fulfil(OrderCommand.of(tenant(), id)), conflict(ConflictException.Reason.ORDER_STATE));
    }

    @Test
    @DisplayName("fulfilling or cancelling an order that was never reserved fails with unknown order")
    void unknownOrder() {
      OrderId ghost = OrderId.of("ghost");
      assertUnchangedBy(() -> engine().fulfil(OrderCommand.of(tenant(), ghost)),
          e -> assertThat(e).isInstanceOf(UnknownOrderException.class));
      assertUnchangedBy(() -> engine().cancel(OrderCommand.of(tenant(), ghost)),
          e -> assertThat(e).isInstanceOf(UnknownOrderException.class));
      assertUnchangedBy(() -> engine().returnItems(OrderReturn.of(tenant(), ghost, true, OrderLine.of(a, 1))),
          e -> assertThat(e).isInstanceOf(UnknownOrderException.class));
      assertThatThrownBy(() -> engine().order(tenant(), ghost)).isInstanceOf(UnknownOrderException.class);
    }

    @Test
    @DisplayName("cancelling releases every line")
    void cancel() {
      OperationResult result = engine().cancel(OrderCommand.of(tenant(), id).withReason("buyer changed mind"));

      assertThat(result.movements()).extracting(Movement::type).containsOnly(MovementType.RELEASE);
      assertThat(result.movements()).extracting(Movement::reason).containsOnly("buyer changed mind");
      assertThat(level(a).reserved()).isZero();
      assertThat(level(a).onHand()).isEqualTo(10);
      assertThat(level(b).available()).isEqualTo(10);
      assertThat(engine().order(tenant(), id).status()).isEqualTo(OrderStatus.CANCELLED);
      assertInvariants();
    }

    @Test
    @DisplayName("a fulfilled order cannot be cancelled, and a cancelled one cannot be fulfilled or cancelled again")
    void finalStates() {
      engine().fulfil(OrderCommand.of(tenant(), id));
      assertUnchangedBy(() -> engine().cancel(OrderCommand.of(tenant(), id)), conflict(ConflictException.Reason.ORDER_STATE));

      OrderId other = OrderId.of("o-2");
      engine().reserve(Reservation.of(tenant(), other, OrderLine.of(a, 1)));
      engine().cancel(OrderCommand.of(tenant(), other));
      assertUnchangedBy(() -> engine().fulfil(OrderCommand.of(tenant(), other)), conflict(ConflictException.Reason.ORDER_STATE));
      assertUnchangedBy(() -> engine().cancel(OrderCommand.of(tenant(), other)), conflict(ConflictException.Reason.ORDER_STATE));
      assertUnchangedBy(() -> engine().returnItems(OrderReturn.of(tenant(), other, true, OrderLine.of(a, 1))),
          conflict(ConflictException.Reason.ORDER_STATE));
    }

    @Test
    @DisplayName("items of an order that is not fulfilled yet cannot be returned")
    void returnBeforeFulfilment() {
      assertUnchangedBy(() -> engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(a, 1))),
          conflict(ConflictException.Reason.ORDER_STATE));
    }

    @Test
    @DisplayName("a restocked return puts goods back on hand and records what came back")
    void returnWithRestock() {
      engine().fulfil(OrderCommand.of(tenant(), id));

      OperationResult result = engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(b, 2)).withReason("wrong size"));

      Movement m = result.movement();
      assertThat(m.type()).isEqualTo(MovementType.IN);
      assertThat(m.sku()).isEqualTo(b);
      assertThat(m.onHandBefore()).isEqualTo(7);
      assertThat(m.onHandAfter()).isEqualTo(9);
      assertThat(m.reference()).isEqualTo("return:o-1");
      Order order = engine().order(tenant(), id);
      assertThat(order.status()).isEqualTo(OrderStatus.FULFILLED);
      assertThat(order.returned()).containsExactly(OrderLine.of(b, 2));
      assertThat(order.version()).isEqualTo(3);
      assertInvariants();
    }

    @Test
    @DisplayName("a return without restock records what came back and moves no stock")
    void returnWithoutRestock() {
      engine().fulfil(OrderCommand.of(tenant(), id));
      long rows = ledgerSize();

      OperationResult result = engine().returnItems(OrderReturn.of(tenant(), id, false, OrderLine.of(a, 1)));

      assertThat(result.movements()).isEmpty();
      assertThat(ledgerSize()).isEqualTo(rows);
      assertThat(level(a).onHand()).isEqualTo(8);
      assertThat(engine().order(tenant(), id).returned()).containsExactly(OrderLine.of(a, 1));
      assertThat(engine().order(tenant(), id).version()).isEqualTo(3);
    }

    @Test
    @DisplayName("returns never exceed what was fulfilled, counted over every return of the order")
    void returnMoreThanFulfilled() {
      engine().fulfil(OrderCommand.of(tenant(), id));
      assertUnchangedBy(() -> engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(a, 3))),
          conflict(ConflictException.Reason.RETURN_EXCEEDS_FULFILLED));

      engine().returnItems(OrderReturn.of(tenant(), id, false, OrderLine.of(a, 1)));
      engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(a, 1)));
      assertUnchangedBy(() -> engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(a, 1))),
          conflict(ConflictException.Reason.RETURN_EXCEEDS_FULFILLED));
      Sku stranger = stocked("STRANGER", 3, 0);
      assertUnchangedBy(() -> engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(stranger, 1))),
          conflict(ConflictException.Reason.RETURN_EXCEEDS_FULFILLED));
      assertThat(engine().order(tenant(), id).returned()).containsExactly(OrderLine.of(a, 2));
      assertInvariants();
    }
  }

  // ============================================================================== idempotency

  @Nested
  @DisplayName("idempotency")
  class Idempotency {

    @Test
    @DisplayName("replaying a key returns the original movements and changes nothing")
    void replayReturnsTheOriginal() {
      Sku sku = stocked("MUG", 10, 0);
      Adjustment a = Adjustment.of(tenant(), sku, -4, "sold at the fair").withIdempotencyKey("fair-1");
      OperationResult first = engine().adjust(a);
      clock().advance(Duration.ofMinutes(1));
      Snapshot before = snapshot();

      OperationResult again = engine().adjust(a);

      assertThat(again.replayed()).isTrue();
      assertThat(again.movements()).isEqualTo(first.movements());
      assertThat(snapshot()).isEqualTo(before);
      assertThat(store().replay(tenant(), "fair-1")).hasValueSatisfying(r -> assertThat(r.movements()).isEqualTo(first.movements()));
    }

    @Test
    @DisplayName("reusing a key for a different request is a conflict and changes nothing")
    void reusedKey() {
      Sku sku = stocked("MUG", 10, 0);
      engine().adjust(Adjustment.of(tenant(), sku, -4, "sold").withIdempotencyKey("k-1"));

      assertUnchangedBy(() -> engine().adjust(Adjustment.of(tenant(), sku, -5, "sold").withIdempotencyKey("k-1")),
          conflict(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED));
      assertUnchangedBy(() -> engine().setOnHand(StockCount.of(tenant(), sku, 6, 1, "count").withIdempotencyKey("k-1")),
          conflict(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED));
      assertUnchangedBy(() -> engine().reserve(Reservation.of(tenant(), OrderId.of("o-9"), OrderLine.of(sku, 1))
          .withIdempotencyKey("k-1")), conflict(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED));
      assertThat(store().order(tenant(), OrderId.of("o-9"))).isEmpty();
    }

    @Test
    @DisplayName("a refused operation does not use up its key: the same request may succeed later")
    void refusedOperationKeepsTheKeyFree() {
      Sku sku = stocked("MUG", 2, 0);
      Adjustment a = Adjustment.of(tenant(), sku, -5, "big order").withIdempotencyKey("k-late");
      assertThatThrownBy(() -> engine().adjust(a)).isInstanceOf(InsufficientStockException.class);
      assertThat(store().replay(tenant(), "k-late")).isEmpty();

      engine().adjust(Adjustment.of(tenant(), sku, 10, "delivery"));
      OperationResult later = engine().adjust(a);

      assertThat(later.replayed()).isFalse();
      assertThat(level(sku).onHand()).isEqualTo(7);
    }

    @Test
    @DisplayName("order commands under a key replay the original result even after the order moved on")
    void keyedOrderCommands() {
      Sku sku = stocked("MUG", 10, 0);
      OrderId id = OrderId.of("o-1");
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 3)));
      OrderCommand fulfil = OrderCommand.of(tenant(), id).withIdempotencyKey("ship-1");
      OperationResult shipped = engine().fulfil(fulfil);
      OrderReturn ret = OrderReturn.of(tenant(), id, true, OrderLine.of(sku, 1)).withIdempotencyKey("ret-1");
      OperationResult returned = engine().returnItems(ret);
      Snapshot before = snapshot();

      OperationResult shippedAgain = engine().fulfil(fulfil);
      OperationResult returnedAgain = engine().returnItems(ret);

      assertThat(shippedAgain.replayed()).isTrue();
      assertThat(shippedAgain.movements()).isEqualTo(shipped.movements());
      assertThat(returnedAgain.replayed()).isTrue();
      assertThat(returnedAgain.movements()).isEqualTo(returned.movements());
      assertThat(snapshot()).isEqualTo(before);
      assertThat(engine().order(tenant(), id).returned()).containsExactly(OrderLine.of(sku, 1));
      assertThatThrownBy(() -> engine().cancel(OrderCommand.of(tenant(), id).withIdempotencyKey("ship-1")))
          .satisfies(conflict(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    @DisplayName("a reservation without a key is idempotent on its order id, even after cancellation")
    void reservationKeyedOnTheOrder() {
      Sku sku = stocked("MUG", 10, 0);
      OrderId id = OrderId.of("o-1");
      OperationResult first = engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 3)));
      engine().cancel(OrderCommand.of(tenant(), id));
      Snapshot before = snapshot();

      OperationResult again = engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 3)));

      assertThat(again.replayed()).isTrue();
      assertThat(again.movements()).isEqualTo(first.movements());
      assertThat(snapshot()).as("a late duplicate webhook does not reserve a cancelled order again").isEqualTo(before);
    }

    @Test
    @DisplayName("the same key sent from many threads at once is applied exactly once")
    void sameKeyConcurrently() throws Exception {
      Sku sku = stocked("MUG", 0, 0);
      int threads = Math.min(16, concurrencySettings().threads());
      List<InventoryEngine> engines = enginesForConcurrency();
      for (int round = 0; round < 5; round++) {
        String key = "burst-" + round;
        List<Object> outcomes = race(threads, i -> engines.get(i % engines.size())
            .adjust(Adjustment.of(tenant(), sku, 1, "webhook redelivery").withIdempotencyKey(key)));
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(OperationResult.class));
        List<OperationResult> results = outcomes.stream().map(OperationResult.class::cast).toList();
        assertThat(results).filteredOn(r -> !r.replayed()).as("applications of %s", key).hasSize(1);
        Movement original = results.stream().filter(r -> !r.replayed()).findFirst().orElseThrow().movement();
        assertThat(results).allSatisfy(r -> assertThat(r.movements()).containsExactly(original));
      }
      assertThat(level(sku).onHand()).isEqualTo(5);
      assertThat(ledger(sku)).hasSize(5);
      assertInvariants();
    }

    @Test
    @DisplayName("keys belong to a tenant: the same key applies separately in another tenant")
    void keysArePerTenant() {
      Sku sku = stocked("MUG", 0, 0);
      TenantId other = newTenant();
      engine().register(ItemDefinition.builder(other, sku).build());

      engine().adjust(Adjustment.of(tenant(), sku, 5, "delivery").withIdempotencyKey("shared-key"));
      OperationResult there = engine().adjust(Adjustment.of(other, sku, 5, "delivery").withIdempotencyKey("shared-key"));

      assertThat(there.replayed()).isFalse();
      assertThat(engine().level(other, sku).onHand()).isEqualTo(5);
      assertThat(level(sku).onHand()).isEqualTo(5);
    }
  }

  // ============================================================================== alerts

  @Nested
  @DisplayName("alerts")
  class Alerts {

    @Test
    @DisplayName("a low-stock alert opens when available falls to the threshold, and is delivered with its tenant")
    void lowStockOpensAtTheThreshold() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -4, "sold"));
      assertThat(engine().openAlerts(tenant(), sku)).as("6 available is above the threshold of 5").isEmpty();

      engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));

      Alert alert = openAlert(sku, AlertKind.LOW_STOCK);
      assertThat(alert.tenant()).isEqualTo(tenant());
      assertThat(alert.availableAtOpen()).isEqualTo(5);
      assertThat(alert.threshold()).isEqualTo(5);
      assertThat(alert.openedAt()).isEqualTo(clock().instant());
      assertThat(alert.status()).isEqualTo(AlertStatus.OPEN);
      AlertEvent event = alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.OPENED);
      assertThat(event.alert().id()).isEqualTo(alert.id());
      assertThat(event.alert().tenant()).isEqualTo(tenant());
      assertThat(engine().alert(tenant(), alert.id()).kind()).isEqualTo(AlertKind.LOW_STOCK);
    }

    @Test
    @DisplayName("an out-of-stock alert opens at zero available, and the low-stock alert stays open")
    void outOfStockOpensAtZero() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -7, "sold"));
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 3)));

      assertThat(openKinds(sku)).containsExactlyInAnyOrder(AlertKind.LOW_STOCK, AlertKind.OUT_OF_STOCK);
      Alert out = openAlert(sku, AlertKind.OUT_OF_STOCK);
      assertThat(out.availableAtOpen()).isZero();
      assertThat(out.threshold()).isZero();
      alerts().awaitEvent(tenant(), sku, AlertKind.OUT_OF_STOCK, AlertEventType.OPENED);
    }

    @Test
    @DisplayName("stock that drops straight from plenty to nothing opens only the out-of-stock alert")
    void straightToZero() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -10, "flood"));
      assertThat(openKinds(sku)).containsExactly(AlertKind.OUT_OF_STOCK);
    }

    @Test
    @DisplayName("a SKU never has two open alerts of one kind, however often stock falls")
    void oneOpenAlertPerKind() {
      Sku sku = stocked("MUG", 10, 5);
      for (int i = 0; i < 5; i++) {
        engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));
        engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));
        engine().adjust(Adjustment.of(tenant(), sku, 1, "found"));
      }
      engine().adjust(Adjustment.of(tenant(), sku, -5, "sold"));
      engine().adjust(Adjustment.of(tenant(), sku, 0 + 1, "found"));
      engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));

      assertThat(engine().openAlerts(tenant(), sku)).extracting(Alert::kind)
          .containsExactlyInAnyOrder(AlertKind.LOW_STOCK, AlertKind.OUT_OF_STOCK);
      assertInvariants();
    }

    @Test
    @DisplayName("restocking resolves open alerts automatically, as the system, and delivers the resolution")
    void restockResolves() {
      Sku sku = stocked("MUG", 4, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -4, "sold"));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      Alert out = openAlert(sku, AlertKind.OUT_OF_STOCK);

      engine().adjust(Adjustment.of(tenant(), sku, 3, "delivery"));
      assertThat(openKinds(sku)).as("3 available: still low, no longer out").containsExactly(AlertKind.LOW_STOCK);
      Alert resolvedOut = engine().alert(tenant(), out.id());
      assertThat(resolvedOut.status()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(resolvedOut.resolvedBy()).isEqualTo(Alert.SYSTEM_ACTOR);
      assertThat(resolvedOut.resolvedAt()).isEqualTo(clock().instant());

      engine().adjust(Adjustment.of(tenant(), sku, 3, "delivery"));
      assertThat(engine().openAlerts(tenant(), sku)).isEmpty();
      assertThat(engine().alert(tenant(), low.id()).status()).isEqualTo(AlertStatus.RESOLVED);
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.RESOLVED);
      alerts().awaitEvent(tenant(), sku, AlertKind.OUT_OF_STOCK, AlertEventType.RESOLVED);
    }

    @Test
    @DisplayName("a new alert opens when stock falls again after a resolution")
    void reopens() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));
      Alert first = openAlert(sku, AlertKind.LOW_STOCK);
      engine().adjust(Adjustment.of(tenant(), sku, 6, "delivery"));
      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));

      Alert second = openAlert(sku, AlertKind.LOW_STOCK);
      assertThat(second.id()).isNotEqualTo(first.id());
      assertThat(engine().alert(tenant(), first.id()).status()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    @DisplayName("with hysteresis, alerts resolve only once stock rises that far above the threshold")
    void hysteresis() {
      InventoryEngine sticky = newEngine(store(), 3);
      Sku sku = stocked("MUG", 10, 5);
      sticky.adjust(Adjustment.of(tenant(), sku, -10, "sold"));
      assertThat(openKinds(sku)).containsExactly(AlertKind.OUT_OF_STOCK);

      sticky.adjust(Adjustment.of(tenant(), sku, 3, "delivery"));
      assertThat(openKinds(sku)).as("3 available: out-of-stock stays open up to the hysteresis of 3")
          .containsExactlyInAnyOrder(AlertKind.OUT_OF_STOCK, AlertKind.LOW_STOCK);
      sticky.adjust(Adjustment.of(tenant(), sku, 1, "delivery"));
      assertThat(openKinds(sku)).as("4 available").containsExactly(AlertKind.LOW_STOCK);
      sticky.adjust(Adjustment.of(tenant(), sku, 4, "delivery"));
      assertThat(openKinds(sku)).as("8 available: threshold 5 + hysteresis 3 reached, not exceeded").containsExactly(AlertKind.LOW_STOCK);
      sticky.adjust(Adjustment.of(tenant(), sku, 1, "delivery"));
      assertThat(openKinds(sku)).as("9 available").isEmpty();
      InventoryInvariants.assertHold(sticky, tenant());
    }

    @Test
    @DisplayName("changing an item's threshold opens or resolves its low-stock alert at once")
    void thresholdChange() {
      Sku sku = stocked("MUG", 8, 5);
      ItemDefinition def = engine().item(tenant(), sku).definition();

      engine().updateItem(def.toBuilder().lowStockThreshold(10).build());
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      assertThat(low.threshold()).isEqualTo(10);
      assertThat(low.availableAtOpen()).isEqualTo(8);
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.OPENED);

      engine().updateItem(def.toBuilder().lowStockThreshold(2).build());
      assertThat(engine().openAlerts(tenant(), sku)).isEmpty();
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.RESOLVED);
    }

    @Test
    @DisplayName("items without a threshold of their own use the engine's default; threshold 0 disables low-stock alerts")
    void defaultAndZeroThreshold() {
      Sku byDefault = stocked("DEFAULT", 10, b -> b);
      Sku never = stocked("NEVER", 10, 0);
      engine().adjust(Adjustment.of(tenant(), byDefault, -(10 - KIT_DEFAULT_THRESHOLD), "sold"));
      engine().adjust(Adjustment.of(tenant(), never, -9, "sold"));

      assertThat(openKinds(byDefault)).containsExactly(AlertKind.LOW_STOCK);
      assertThat(engine().openAlerts(tenant(), never)).isEmpty();
      engine().adjust(Adjustment.of(tenant(), never, -1, "sold"));
      assertThat(openKinds(never)).containsExactly(AlertKind.OUT_OF_STOCK);
    }

    @Test
    @DisplayName("resolving an alert by hand records who did it, once; a later change that finds stock low opens a new one")
    void manualResolve() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -7, "sold"));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      clock().advance(Duration.ofMinutes(2));

      Alert resolved = engine().resolveAlert(tenant(), low.id(), "bob");

      assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(resolved.resolvedBy()).isEqualTo("bob");
      assertThat(resolved.resolvedAt()).isEqualTo(clock().instant());
      assertThat(engine().openAlerts(tenant(), sku)).isEmpty();
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.RESOLVED);
      assertThat(engine().resolveAlert(tenant(), low.id(), "carol").resolvedBy()).as("resolving again changes nothing")
          .isEqualTo("bob");
      assertThat(store().resolveAlert(tenant(), low.id(), clock().instant(), "carol"))
          .hasValueSatisfying(r -> assertThat(r.resolvedNow()).isFalse());

      engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));
      Alert again = openAlert(sku, AlertKind.LOW_STOCK);
      assertThat(again.id()).isNotEqualTo(low.id());
    }

    @Test
    @DisplayName("an unknown alert id cannot be read or resolved")
    void unknownAlert() {
      assertThatThrownBy(() -> engine().resolveAlert(tenant(), -1, "bob")).isInstanceOf(UnknownAlertException.class);
      assertThatThrownBy(() -> engine().alert(tenant(), Long.MAX_VALUE)).isInstanceOf(UnknownAlertException.class);
      assertThat(store().resolveAlert(tenant(), -1, clock().instant(), "bob")).isEmpty();
    }

    @Test
    @DisplayName("open alerts are listed oldest first, for the tenant or for one SKU")
    void listing() {
      Sku a = stocked("A", 10, 5);
      Sku b = stocked("B", 10, 5);
      engine().adjust(Adjustment.of(tenant(), b, -6, "sold"));
      engine().adjust(Adjustment.of(tenant(), a, -10, "sold"));
      engine().adjust(Adjustment.of(tenant(), b, -4, "sold"));

      List<Alert> all = engine().openAlerts(tenant());
      assertThat(all).extracting(x -> x.sku() + " " + x.kind())
          .containsExactly("B LOW_STOCK", "A OUT_OF_STOCK", "B OUT_OF_STOCK");
      assertThat(all).extracting(Alert::id).isSorted();
      assertThat(engine().openAlerts(tenant(), a)).extracting(Alert::kind).containsExactly(AlertKind.OUT_OF_STOCK);
    }

    @Test
    @DisplayName("deliveries are recorded: delivered once the sink accepted the notification")
    void deliveryRecorded() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      assertThat(low.notification()).isEqualTo(AlertEventType.OPENED);

      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.OPENED);
      awaitDelivered(low.id());
      assertThat(engine().alert(tenant(), low.id()).deliveryAttempts()).isEqualTo(1);

      engine().adjust(Adjustment.of(tenant(), sku, 6, "delivery"));
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.RESOLVED);
      awaitDelivered(low.id());
      Alert resolved = engine().alert(tenant(), low.id());
      assertThat(resolved.notification()).isEqualTo(AlertEventType.RESOLVED);
    }

    @Test
    @DisplayName("a failing sink is retried; its failures never undo the stock change")
    void failingSinkIsRetried() {
      Sku sku = stocked("MUG", 10, 5);
      alerts().failNext(2);

      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));

      assertThat(level(sku).onHand()).isEqualTo(4);
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.OPENED);
      awaitDelivered(low.id());
      assertThat(engine().alert(tenant(), low.id()).deliveryAttempts()).isEqualTo(3);
      assertThat(alerts().failures()).isEqualTo(2);
    }

    @Test
    @DisplayName("a sink that keeps failing leaves the delivery recorded as failed, and the stock change stands")
    void sinkGivesUp() {
      Sku sku = stocked("MUG", 10, 5);
      alerts().failNext(kitDeliveryPolicy().maxAttempts());

      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);

      alerts().awaitFailures(kitDeliveryPolicy().maxAttempts(), RecordingAlertSink.DEFAULT_TIMEOUT);
      boolean failed = alerts().awaitCondition(
          () -> store().alert(tenant(), low.id()).map(a -> a.delivery() == DeliveryState.FAILED).orElse(false),
          RecordingAlertSink.DEFAULT_TIMEOUT);
      assertThat(failed).as("delivery recorded as failed: %s", store().alert(tenant(), low.id())).isTrue();
      assertThat(engine().alert(tenant(), low.id()).deliveryAttempts()).isEqualTo(kitDeliveryPolicy().maxAttempts());
      assertThat(level(sku).onHand()).isEqualTo(4);
      assertThat(low.isOpen()).isTrue();
    }

    @Test
    @DisplayName("notifications still pending are listed for redelivery by when they were raised, and redelivered")
    void pendingDeliveriesAndRedelivery() throws Exception {
      Sku a = stocked("A", 10, 5);
      Sku b = stocked("B", 10, 5);
      ScheduledExecutorService refusing = Executors.newSingleThreadScheduledExecutor();
      refusing.shutdown();
      InventoryEngine crashed = InventoryEngine.builder().store(store()).clock(clock()).alertSink(alerts())
          .alertExecutor(refusing).defaultLowStockThreshold(KIT_DEFAULT_THRESHOLD).build();
      try {
        crashed.adjust(Adjustment.of(tenant(), a, -6, "sold"));
        clock().advance(Duration.ofSeconds(10));
        crashed.adjust(Adjustment.of(tenant(), b, -6, "sold"));
      } finally {
        crashed.close();
      }
      Alert lowA = openAlert(a, AlertKind.LOW_STOCK);
      Alert lowB = openAlert(b, AlertKind.LOW_STOCK);
      assertThat(lowA.delivery()).isEqualTo(DeliveryState.PENDING);
      assertThat(lowA.deliveryAttempts()).isZero();

      assertThat(pendingIds(lowA.openedAt().minusMillis(1))).isEmpty();
      assertThat(pendingIds(lowA.openedAt())).containsExactly(lowA.id());
      assertThat(pendingIds(lowB.openedAt())).containsExactly(lowA.id(), lowB.id());
      assertThat(store().pendingDeliveries(lowB.openedAt(), 1)).hasSizeLessThanOrEqualTo(1);

      clock().advance(Duration.ofMinutes(5));
      int queued = engine().redeliverPendingAlerts(Duration.ofMinutes(1), 10_000);

      assertThat(queued).isGreaterThanOrEqualTo(2);
      alerts().awaitEvent(tenant(), a, AlertKind.LOW_STOCK, AlertEventType.OPENED);
      alerts().awaitEvent(tenant(), b, AlertKind.LOW_STOCK, AlertEventType.OPENED);
      awaitDelivered(lowA.id());
      awaitDelivered(lowB.id());
      assertThat(pendingIds(clock().instant())).isEmpty();
    }

    @Test
    @DisplayName("a delivery report for a notification that is no longer the alert's latest is ignored")
    void staleDeliveryReport() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      engine().adjust(Adjustment.of(tenant(), sku, 6, "delivery"));
      alerts().awaitEvent(tenant(), sku, AlertKind.LOW_STOCK, AlertEventType.RESOLVED);
      awaitDelivered(low.id());

      boolean recorded = store().recordDelivery(tenant(), low.id(), AlertEventType.OPENED, DeliveryState.FAILED, 9);

      assertThat(recorded).isFalse();
      Alert after = engine().alert(tenant(), low.id());
      assertThat(after.notification()).isEqualTo(AlertEventType.RESOLVED);
      assertThat(after.delivery()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(store().recordDelivery(tenant(), low.id(), AlertEventType.RESOLVED, DeliveryState.DELIVERED, 2)).isTrue();
      assertThat(engine().alert(tenant(), low.id()).deliveryAttempts()).isEqualTo(2);
    }

    private List<Long> pendingIds(java.time.Instant raisedBefore) {
      return store().pendingDeliveries(raisedBefore, 10_000).stream().filter(x -> x.tenant().equals(tenant()))
          .map(Alert::id).toList();
    }
  }

  // ============================================================================== queries

  @Nested
  @DisplayName("queries and paging")
  class Queries {

    private List<String> skus(Page<ItemStock> page) {
      return page.items().stream().map(row -> row.item().sku().value()).toList();
    }

    @Test
    @DisplayName("filters by stock status with each item's own threshold or the default")
    void statusFilter() {
      stocked("IN", 10, 5);
      stocked("LOW", 3, 5);
      stocked("OUT", 0, 5);
      stocked("OWN", 15, 20);
      stocked("DEFAULT", KIT_DEFAULT_THRESHOLD, b -> b);
      Sku reserved = stocked("RESERVED", 6, 5);
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(reserved, 6)));

      Page<ItemStock> low = engine().find(tenant(), CatalogQuery.all().withStatus(StockStatus.LOW_STOCK));
      assertThat(skus(low)).containsExactly("DEFAULT", "LOW", "OWN");
      assertThat(low.total()).isEqualTo(3);
      assertThat(low.items()).allSatisfy(row -> assertThat(row.status()).isEqualTo(StockStatus.LOW_STOCK));
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK))))
          .as("available counts, not on hand").containsExactly("OUT", "RESERVED");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withStatus(StockStatus.IN_STOCK)))).containsExactly("IN");
      assertThat(engine().find(tenant(), CatalogQuery.all()).total()).isEqualTo(6);
    }

    @Test
    @DisplayName("rows carry the item, its current level and its status")
    void rows() {
      Sku sku = stocked("MUG", 7, 5);
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 3)));

      ItemStock row = engine().find(tenant(), CatalogQuery.all()).items().get(0);

      assertThat(row.item()).isEqualTo(engine().item(tenant(), sku));
      assertThat(row.level()).isEqualTo(level(sku));
      assertThat(row.status()).isEqualTo(StockStatus.LOW_STOCK);
    }

    @Test
    @DisplayName("searches name and SKU as a case-insensitive substring")
    void textSearch() {
      registered("HOOD-BLU-M", b -> b.name("Blue Hoodie M"));
      registered("MUG-1", b -> b.name("blue MUG"));
      registered("CAP-RED", b -> b.name("Red Cap"));
      registered("tee-bluish", b -> b.name("Plain tee"));

      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("BLUE")))).containsExactly("HOOD-BLU-M", "MUG-1");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("blu")))).containsExactly("HOOD-BLU-M", "MUG-1", "tee-bluish");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("cap")))).containsExactly("CAP-RED");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("  red  ")))).containsExactly("CAP-RED");
      assertThat(engine().find(tenant(), CatalogQuery.all().withText("nothing like it")).total()).isZero();
    }

    @Test
    @DisplayName("search text is literal: %, _, *, backslash and quotes match only themselves")
    void literalWildcards() {
      registered("P1", b -> b.name("100% cotton"));
      registered("P2", b -> b.name("a_b tee"));
      registered("P3", b -> b.name("aXb tee"));
      registered("P4", b -> b.name("star* shirt"));
      registered("P5", b -> b.name("back\\slash"));
      registered("P6", b -> b.name("it's \"quoted\""));
      registered("P7", b -> b.name("plain"));

      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("%")))).containsExactly("P1");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("_")))).containsExactly("P2");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("a_b")))).containsExactly("P2");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("*")))).containsExactly("P4");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("\\")))).containsExactly("P5");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("'s \"")))).containsExactly("P6");
      assertThat(skus(engine().find(tenant(), CatalogQuery.all().withText("%cotton")))).isEmpty();
      assertThat(engine().find(tenant(), CatalogQuery.all().withText("_")).total()).isEqualTo(1);
    }

    @Test
    @DisplayName("pages carry the true total of matches, not the page size, and end where the matches end")
    void pagingAndTotals() {
      for (int i = 0; i < 12; i++) {
        registered(String.format("ITEM-%02d", i));
      }
      registered("OTHER");

      Page<ItemStock> first = engine().find(tenant(), CatalogQuery.all().withText("item").withPage(PageRequest.of(0, 5)));
      Page<ItemStock> second = engine().find(tenant(), CatalogQuery.all().withText("item").withPage(PageRequest.of(5, 5)));
      Page<ItemStock> last = engine().find(tenant(), CatalogQuery.all().withText("item").withPage(PageRequest.of(10, 5)));
      Page<ItemStock> beyond = engine().find(tenant(), CatalogQuery.all().withText("item").withPage(PageRequest.of(12, 5)));
      Page<ItemStock> far = engine().find(tenant(), CatalogQuery.all().withText("item").withPage(PageRequest.of(1000, 5)));

      assertThat(skus(first)).containsExactly("ITEM-00", "ITEM-01", "ITEM-02", "ITEM-03", "ITEM-04");
      assertThat(skus(second)).containsExactly("ITEM-05", "ITEM-06", "ITEM-07", "ITEM-08", "ITEM-09");
      assertThat(skus(last)).containsExactly("ITEM-10", "ITEM-11");
      assertThat(List.of(first, second, last, beyond, far)).allSatisfy(p -> assertThat(p.total()).isEqualTo(12));
      assertThat(first.hasNext()).isTrue();
      assertThat(last.hasNext()).isFalse();
      assertThat(beyond.items()).isEmpty();
      assertThat(far.items()).isEmpty();
      assertThat(engine().find(tenant(), CatalogQuery.all().withPage(PageRequest.of(12, 1))).items())
          .extracting(row -> row.item().sku().value()).containsExactly("OTHER");
    }

    @Test
    @DisplayName("sorts by SKU in Sku's natural order (code points, case-sensitive), whatever order they were registered in")
    void sortOrder() {
      List<String> names = new ArrayList<>(List.of("b-1", "B-2", "a_1", "A-1", "10", "9", "Z", "_x", "~tilde", "a-1"));
      Collections.shuffle(names, new Random(42));
      names.forEach(StockStoreCompatibilityKit.this::registered);

      List<String> expected = names.stream().sorted().toList();
      assertThat(skus(engine().find(tenant(), CatalogQuery.all()))).containsExactlyElementsOf(expected);
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < names.size(); offset += 3) {
        paged.addAll(skus(engine().find(tenant(), CatalogQuery.all().withPage(PageRequest.of(offset, 3)))));
      }
      assertThat(paged).as("pages cut the same order").containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("status and text filters combine, and the total counts only rows matching both")
    void combinedFilters() {
      stocked("BLUE-1", 2, 5);
      stocked("BLUE-2", 20, 5);
      stocked("RED-1", 2, 5);

      Page<ItemStock> page = engine().find(tenant(), CatalogQuery.all().withText("blue").withStatus(StockStatus.LOW_STOCK));
      assertThat(skus(page)).containsExactly("BLUE-1");
      assertThat(page.total()).isEqualTo(1);
    }
  }

  // ============================================================================== ledger

  @Nested
  @DisplayName("ledger and history")
  class Ledger {

    @Test
    @DisplayName("history lists movements newest first, for one SKU or the whole tenant")
    void newestFirst() {
      Sku a = stocked("A", 10, 0);
      Sku b = stocked("B", 10, 0);
      engine().adjust(Adjustment.of(tenant(), a, -1, "sold"));
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(b, 2)));
      engine().adjust(Adjustment.of(tenant(), a, 4, "delivery"));

      Page<Movement> all = engine().history(tenant(), HistoryQuery.all());
      assertThat(all.total()).isEqualTo(5);
      assertThat(all.items()).extracting(Movement::id).isSortedAccordingTo(Comparator.reverseOrder());
      assertThat(all.items()).extracting(m -> m.sku().value() + " " + m.type())
          .containsExactly("A ADJUSTMENT", "B RESERVE", "A ADJUSTMENT", "B IN", "A IN");
      Page<Movement> onlyA = engine().history(tenant(), HistoryQuery.of(a));
      assertThat(onlyA.items()).extracting(Movement::onHandAfter).containsExactly(13L, 9L, 10L);
      assertThat(onlyA.total()).isEqualTo(3);
    }

    @Test
    @DisplayName("history filters by movement type")
    void typeFilter() {
      Sku sku = stocked("MUG", 10, 0);
      OrderId id = OrderId.of("o-1");
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 2)));
      engine().cancel(OrderCommand.of(tenant(), id));
      engine().adjust(Adjustment.of(tenant(), sku, -1, "broken"));

      Page<Movement> page = engine().history(tenant(), HistoryQuery.of(sku).withTypes(Set.of(MovementType.RESERVE, MovementType.RELEASE)));
      assertThat(page.items()).extracting(Movement::type).containsExactly(MovementType.RELEASE, MovementType.RESERVE);
      assertThat(page.total()).isEqualTo(2);
      assertThat(engine().history(tenant(), HistoryQuery.all().withTypes(Set.of(MovementType.OUT))).total()).isZero();
    }

    @Test
    @DisplayName("history filters by time: from inclusive, to exclusive")
    void timeFilter() {
      Sku sku = registered("MUG");
      Instant t0 = clock().instant();
      engine().adjust(Adjustment.of(tenant(), sku, 1, "first"));
      Instant t1 = clock().advance(Duration.ofMinutes(1));
      engine().adjust(Adjustment.of(tenant(), sku, 2, "second"));
      Instant t2 = clock().advance(Duration.ofMinutes(1));
      engine().adjust(Adjustment.of(tenant(), sku, 3, "third"));

      assertThat(engine().history(tenant(), HistoryQuery.of(sku).between(t1, t2)).items()).extracting(Movement::reason)
          .containsExactly("second");
      assertThat(engine().history(tenant(), HistoryQuery.of(sku).between(t1, null)).items()).extracting(Movement::reason)
          .containsExactly("third", "second");
      assertThat(engine().history(tenant(), HistoryQuery.of(sku).between(null, t1)).items()).extracting(Movement::reason)
          .containsExactly("first");
      assertThat(engine().history(tenant(), HistoryQuery.all().between(t0, t2)).total()).isEqualTo(2);
    }

    @Test
    @DisplayName("history pages carry the true total")
    void historyPaging() {
      Sku sku = registered("MUG");
      for (int i = 1; i <= 7; i++) {
        engine().adjust(Adjustment.of(tenant(), sku, 1, "delivery " + i));
      }
      Page<Movement> second = engine().history(tenant(), HistoryQuery.of(sku).withPage(PageRequest.of(3, 3)));
      assertThat(second.items()).extracting(Movement::reason).containsExactly("delivery 4", "delivery 3", "delivery 2");
      assertThat(second.total()).isEqualTo(7);
      assertThat(engine().history(tenant(), HistoryQuery.of(sku).withPage(PageRequest.of(50, 3))).items()).isEmpty();
    }

    @Test
    @DisplayName("the history of an unknown SKU is an error, not an empty page")
    void unknownSkuHistory() {
      assertThatThrownBy(() -> engine().history(tenant(), HistoryQuery.of(Sku.of("GHOST"))))
          .isInstanceOf(UnknownSkuException.class);
    }

    @Test
    @DisplayName("every movement's before values are the previous movement's after values")
    void beforeAndAfterChain() {
      Sku sku = stocked("MUG", 10, 3);
      OrderId id = OrderId.of("o-1");
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 4)));
      engine().fulfil(OrderCommand.of(tenant(), id));
      engine().returnItems(OrderReturn.of(tenant(), id, true, OrderLine.of(sku, 1)));
      engine().setOnHand(StockCount.of(tenant(), sku, 7, 5, "count"));
      engine().adjust(Adjustment.of(tenant(), sku, 2, "found"));

      List<Movement> rows = ledger(sku);
      assertThat(rows).extracting(Movement::type).containsExactly(MovementType.IN, MovementType.RESERVE, MovementType.OUT,
          MovementType.IN, MovementType.ADJUSTMENT, MovementType.ADJUSTMENT);
      long onHand = 0;
      long reserved = 0;
      long lastId = Long.MIN_VALUE;
      for (Movement m : rows) {
        assertThat(m.id()).isGreaterThan(lastId);
        assertThat(m.onHandBefore()).isEqualTo(onHand);
        assertThat(m.reservedBefore()).isEqualTo(reserved);
        lastId = m.id();
        onHand = m.onHandAfter();
        reserved = m.reservedAfter();
      }
      assertThat(level(sku).onHand()).isEqualTo(onHand).isEqualTo(7);
      assertThat(level(sku).reserved()).isEqualTo(reserved).isZero();
      LedgerReport report = engine().verifyLedger(tenant());
      assertThat(report.consistent()).as("%s", report.discrepancies()).isTrue();
      assertThat(report.skusChecked()).isEqualTo(1);
      assertThat(report.movementsChecked()).isEqualTo(6);
    }

    @Test
    @DisplayName("the ledger replays to every balance after a mixed workload")
    void verifyLedgerAfterMixedWork() {
      TestCatalog catalog = TestCatalog.forTenant(tenant()).items("SKU", 5, 20).registerIn(engine());
      TestOrders orders = TestOrders.forTenant(tenant());
      Random random = new Random(7);
      List<OrderId> open = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        Sku sku = catalog.sku(random.nextInt(5));
        try {
          switch (random.nextInt(4)) {
            case 0 -> open.add(engine().reserve(orders.reserve(sku, 1 + random.nextInt(4))).requireOrder().id());
            case 1 -> {
              if (!open.isEmpty()) {
                engine().fulfil(orders.fulfil(open.remove(0)));
              }
            }
            case 2 -> {
              if (!open.isEmpty()) {
                engine().cancel(orders.cancel(open.remove(open.size() - 1)));
              }
            }
            default -> {
              long delta = random.nextInt(9) - 4;
              engine().adjust(Adjustment.of(tenant(), sku, delta == 0 ? 1 : delta, "random"));
            }
          }
        } catch (InsufficientStockException expected) {
          // part of the workload
        }
      }
      LedgerReport report = engine().verifyLedger(tenant());
      assertThat(report.consistent()).as("%s", report.discrepancies()).isTrue();
      assertThat(report.skusChecked()).isEqualTo(5);
      assertThat(report.movementsChecked()).isEqualTo(ledgerSize());
      assertInvariants();
    }
  }

  // ============================================================================== tenancy

  @Nested
  @DisplayName("tenancy")
  class Tenancy {

    @Test
    @DisplayName("the same SKU, order id, key and listing in two tenants never touch each other")
    void sameSkuInTwoTenants() {
      TenantId other = newTenant();
      Sku sku = Sku.of("HOODIE");
      engine().register(ItemDefinition.builder(tenant(), sku).name("Mine").lowStockThreshold(5)
          .listing(ShopListing.of("tiktok", "p-1", "s-1")).build());
      engine().register(ItemDefinition.builder(other, sku).name("Theirs").lowStockThreshold(2)
          .listing(ShopListing.of("tiktok", "p-1", "s-1")).build());
      engine().adjust(Adjustment.of(tenant(), sku, 10, "delivery").withIdempotencyKey("k-1"));
      engine().adjust(Adjustment.of(other, sku, 3, "delivery").withIdempotencyKey("k-1"));
      OrderId id = OrderId.of("o-1");
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 6)));
      engine().reserve(Reservation.of(other, id, OrderLine.of(sku, 3)));
      engine().fulfil(OrderCommand.of(other, id));

      assertThat(level(sku).onHand()).isEqualTo(10);
      assertThat(level(sku).reserved()).isEqualTo(6);
      assertThat(engine().level(other, sku).onHand()).isZero();
      assertThat(engine().order(tenant(), id).status()).isEqualTo(OrderStatus.RESERVED);
      assertThat(engine().order(other, id).status()).isEqualTo(OrderStatus.FULFILLED);
      assertThat(engine().item(tenant(), sku).name()).isEqualTo("Mine");
      assertThat(engine().itemByListing(other, "tiktok", "s-1")).map(CatalogItem::name).contains("Theirs");
      assertThat(engine().history(tenant(), HistoryQuery.all()).items()).allSatisfy(m -> assertThat(m.tenant()).isEqualTo(tenant()));
      assertThat(engine().history(tenant(), HistoryQuery.all()).total()).isEqualTo(2);
      assertThat(engine().history(other, HistoryQuery.all()).total()).isEqualTo(3);
      assertThat(engine().find(other, CatalogQuery.all()).items()).extracting(r -> r.item().name()).containsExactly("Theirs");
      assertThat(engine().openAlerts(tenant())).extracting(Alert::kind).containsExactly(AlertKind.LOW_STOCK);
      assertThat(engine().openAlerts(other)).extracting(Alert::kind).containsExactly(AlertKind.OUT_OF_STOCK);
      assertThat(store().replay(other, "k-1")).hasValueSatisfying(r -> assertThat(r.movements())
          .allSatisfy(m -> assertThat(m.tenant()).isEqualTo(other)));
      assertInvariants();
      InventoryInvariants.assertHold(engine(), other);
    }

    @Test
    @DisplayName("another tenant's orders and alerts cannot be read, cancelled or resolved")
    void noCrossTenantAccess() {
      TenantId other = newTenant();
      Sku sku = stocked("MUG", 3, 5);
      OrderId id = OrderId.of("o-1");
      engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 1)));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);

      assertThatThrownBy(() -> engine().cancel(OrderCommand.of(other, id))).isInstanceOf(UnknownOrderException.class);
      assertThatThrownBy(() -> engine().order(other, id)).isInstanceOf(UnknownOrderException.class);
      assertThatThrownBy(() -> engine().resolveAlert(other, low.id(), "intruder")).isInstanceOf(UnknownAlertException.class);
      assertThatThrownBy(() -> engine().alert(other, low.id())).isInstanceOf(UnknownAlertException.class);
      assertThatThrownBy(() -> engine().adjust(Adjustment.of(other, sku, 1, "x"))).isInstanceOf(UnknownSkuException.class);
      assertThat(store().alert(other, low.id())).isEmpty();
      assertThat(store().recordDelivery(other, low.id(), AlertEventType.OPENED, DeliveryState.FAILED, 1)).isFalse();
      assertThat(engine().openAlerts(other)).isEmpty();
      assertThat(engine().alert(tenant(), low.id()).isOpen()).isTrue();
      assertThat(engine().order(tenant(), id).status()).isEqualTo(OrderStatus.RESERVED);
      assertThat(engine().find(other, CatalogQuery.all()).total()).isZero();
      assertThat(engine().verifyLedger(other).skusChecked()).isZero();
    }
  }

  // ============================================================================== errors

  @Nested
  @DisplayName("errors")
  class Errors {

    @Test
    @DisplayName("malformed requests are refused as invalid and change nothing")
    void invalidRequests() {
      Sku sku = stocked("MUG", 5, 0);
      List<ThrowingCallable> bad = List.of(
          () -> engine().adjust(Adjustment.of(tenant(), sku, 0, "nothing")),
          () -> engine().adjust(Adjustment.of(tenant(), sku, 1, "x").withIdempotencyKey("sys:forged")),
          () -> engine().adjust(Adjustment.of(tenant(), sku, 1, " ")),
          () -> engine().adjust(Adjustment.of(tenant(), sku, 1, "in").withType(MovementType.RESERVE)),
          () -> engine().setOnHand(StockCount.of(tenant(), sku, 5, -1, "count")),
          () -> engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), List.of())),
          () -> engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 0))),
          () -> engine().find(tenant(), CatalogQuery.all().withPage(PageRequest.of(0, PageRequest.MAX_LIMIT + 1))),
          () -> engine().history(tenant(), HistoryQuery.of(sku).between(clock().instant(), clock().instant())));
      for (ThrowingCallable call : bad) {
        assertUnchangedBy(call, e -> assertThat(e).isInstanceOf(InvalidRequestException.class));
      }
      assertThat(store().order(tenant(), OrderId.of("o-1"))).isEmpty();
    }

    @Test
    @DisplayName("whatever a request names that does not exist is reported as not found")
    void notFound() {
      stocked("MUG", 5, 0);
      List<ThrowingCallable> missing = List.of(
          () -> engine().adjust(Adjustment.of(tenant(), Sku.of("GHOST"), 1, "x")),
          () -> engine().setOnHand(StockCount.of(tenant(), Sku.of("GHOST"), 0, 1, "count")),
          () -> engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(Sku.of("GHOST"), 1))),
          () -> engine().fulfil(OrderCommand.of(tenant(), OrderId.of("ghost"))),
          () -> engine().resolveAlert(tenant(), -5, "bob"),
          () -> engine().history(tenant(), HistoryQuery.of(Sku.of("GHOST"))),
          () -> engine().updateItem(ItemDefinition.builder(tenant(), Sku.of("GHOST")).build()));
      for (ThrowingCallable call : missing) {
        assertUnchangedBy(call, e -> assertThat(e).isInstanceOf(NotFoundException.class));
      }
    }

    @Test
    @DisplayName("closing an engine closes neither the store nor its data: a new engine carries on")
    void closingTheEngineKeepsTheStore() {
      Sku sku = stocked("MUG", 5, 0);
      InventoryEngine first = newEngine(store());
      first.adjust(Adjustment.of(tenant(), sku, 2, "delivery"));
      first.close();

      assertThatThrownBy(() -> first.level(tenant(), sku)).isInstanceOf(IllegalStateException.class);
      InventoryEngine next = newEngine(store());
      assertThat(next.level(tenant(), sku).onHand()).isEqualTo(7);
      next.adjust(Adjustment.of(tenant(), sku, 1, "delivery"));
      assertThat(level(sku).onHand()).isEqualTo(8);
      assertThat(next.verifyLedger(tenant()).consistent()).isTrue();
    }
  }

  // ============================================================================== the SPI itself

  @Nested
  @DisplayName("store contract (SPI)")
  class StoreContract {

    private Mutation mutation(@Nullable String key, @Nullable OrderWrite order, LineChange... changes) {
      return new Mutation(tenant(), clock().instant(), key == null ? null : new IdempotencyClaim(key, "fp-" + key),
          List.of(changes), order, engine().alertRule());
    }

    private LineChange change(Sku sku, MovementType type, long onHandDelta, long reservedDelta) {
      return new LineChange(sku, type, Math.abs(onHandDelta != 0 ? onHandDelta : reservedDelta), onHandDelta, reservedDelta,
          null, "spi", "ref", "kit");
    }

    @Test
    @DisplayName("guard failures are results carrying the SKU and its level, not exceptions")
    void rejectionsAreResults() {
      Sku sku = stocked("MUG", 3, 0);
      MutationResult result = store().apply(mutation(null, null, change(sku, MovementType.ADJUSTMENT, -4, 0)));

      assertThat(result).isInstanceOfSatisfying(MutationResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(MutationResult.Rejection.INSUFFICIENT_STOCK);
        assertThat(r.sku()).isEqualTo(sku);
        assertThat(r.level()).isNotNull();
        assertThat(r.level().onHand()).isEqualTo(3);
      });
      MutationResult unknown = store().apply(mutation(null, null, change(Sku.of("GHOST"), MovementType.ADJUSTMENT, 1, 0)));
      assertThat(unknown).isInstanceOfSatisfying(MutationResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(MutationResult.Rejection.UNKNOWN_SKU);
        assertThat(r.sku()).isEqualTo(Sku.of("GHOST"));
      });
      LineChange cas = new LineChange(sku, MovementType.ADJUSTMENT, 1, 1, 0, 7L, "count", null, null);
      assertThat(store().apply(mutation(null, null, cas))).isInstanceOfSatisfying(MutationResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(MutationResult.Rejection.EXPECTED_ON_HAND_MISMATCH));
      assertThat(level(sku).onHand()).isEqualTo(3);
      assertThat(ledger(sku)).hasSize(1);
    }

    @Test
    @DisplayName("a mutation whose last change is refused leaves its first changes unapplied")
    void lastChangeRefused() {
      Sku a = stocked("A", 5, 0);
      Sku b = stocked("B", 5, 0);
      Sku c = stocked("C", 1, 0);
      Snapshot before = snapshot();

      MutationResult result = store().apply(mutation("all-or-nothing", new OrderWrite(OrderId.of("o-1"), 0, OrderStatus.RESERVED,
          List.of(OrderLine.of(a, 2), OrderLine.of(b, 2), OrderLine.of(c, 2)), List.of()),
          change(a, MovementType.RESERVE, 0, 2), change(b, MovementType.RESERVE, 0, 2), change(c, MovementType.RESERVE, 0, 2)));

      assertThat(result).isInstanceOfSatisfying(MutationResult.Rejected.class, r -> assertThat(r.sku()).isEqualTo(c));
      assertThat(snapshot()).isEqualTo(before);
      assertThat(store().order(tenant(), OrderId.of("o-1"))).isEmpty();
      assertThat(store().replay(tenant(), "all-or-nothing")).as("a refused mutation records no key").isEmpty();
    }

    @Test
    @DisplayName("an applied mutation returns its movements in change order and records the key with them")
    void appliedMutation() {
      Sku a = stocked("A", 5, 0);
      Sku b = stocked("B", 5, 0);
      Instant at = clock().advance(Duration.ofSeconds(9));
      MutationResult result = store().apply(mutation("spi-1", null, change(a, MovementType.ADJUSTMENT, -1, 0),
          change(b, MovementType.ADJUSTMENT, 2, 0)));

      assertThat(result).isInstanceOf(MutationResult.Applied.class);
      List<Movement> movements = ((MutationResult.Applied) result).movements();
      assertThat(movements).extracting(Movement::sku).containsExactly(a, b);
      assertThat(movements).allSatisfy(m -> {
        assertThat(m.occurredAt()).isEqualTo(at);
        assertThat(m.idempotencyKey()).isEqualTo("spi-1");
        assertThat(m.reason()).isEqualTo("spi");
        assertThat(m.reference()).isEqualTo("ref");
        assertThat(m.actor()).isEqualTo("kit");
        assertThat(m.tenant()).isEqualTo(tenant());
      });
      assertThat(movements.get(0).id()).isNotEqualTo(movements.get(1).id());
      assertThat(store().replay(tenant(), "spi-1")).hasValueSatisfying(r -> {
        assertThat(r.fingerprint()).isEqualTo("fp-spi-1");
        assertThat(r.movements()).isEqualTo(movements);
        assertThat(r.order()).isNull();
      });
    }

    @Test
    @DisplayName("a recorded key replays even when the mutation would now be refused or names another SKU")
    void replayComesFirst() {
      Sku sku = stocked("MUG", 5, 0);
      MutationResult first = store().apply(mutation("once", null, change(sku, MovementType.ADJUSTMENT, -5, 0)));
      Snapshot before = snapshot();

      MutationResult wouldFail = store().apply(mutation("once", null, change(sku, MovementType.ADJUSTMENT, -5, 0)));
      MutationResult otherSku = store().apply(mutation("once", null, change(Sku.of("GHOST"), MovementType.ADJUSTMENT, 1, 0)));

      List<Movement> original = ((MutationResult.Applied) first).movements();
      assertThat(wouldFail).isInstanceOfSatisfying(MutationResult.Replayed.class, r -> assertThat(r.movements()).isEqualTo(original));
      assertThat(otherSku).isInstanceOfSatisfying(MutationResult.Replayed.class, r -> assertThat(r.fingerprint()).isEqualTo("fp-once"));
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("order writes are guarded by version: 0 means the order must not exist yet")
    void orderVersionGuard() {
      Sku sku = stocked("MUG", 5, 0);
      OrderId id = OrderId.of("o-1");
      List<OrderLine> lines = List.of(OrderLine.of(sku, 1));
      MutationResult created = store().apply(mutation(null, new OrderWrite(id, 0, OrderStatus.RESERVED, lines, List.of()),
          change(sku, MovementType.RESERVE, 0, 1)));
      assertThat(created).isInstanceOfSatisfying(MutationResult.Applied.class, r -> {
        assertThat(r.order()).isNotNull();
        assertThat(r.order().version()).isEqualTo(1);
      });

      MutationResult again = store().apply(mutation(null, new OrderWrite(id, 0, OrderStatus.RESERVED, lines, List.of()),
          change(sku, MovementType.RESERVE, 0, 1)));
      MutationResult stale = store().apply(mutation(null, new OrderWrite(id, 2, OrderStatus.CANCELLED, lines, List.of()),
          change(sku, MovementType.RELEASE, 0, -1)));

      assertThat(List.of(again, stale)).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(MutationResult.Rejected.class, x -> {
        assertThat(x.reason()).isEqualTo(MutationResult.Rejection.ORDER_VERSION_MISMATCH);
        assertThat(x.order()).isNotNull();
        assertThat(x.order().version()).isEqualTo(1);
      }));
      assertThat(level(sku).reserved()).isEqualTo(1);
      MutationResult next = store().apply(mutation(null, new OrderWrite(id, 1, OrderStatus.CANCELLED, lines, List.of()),
          change(sku, MovementType.RELEASE, 0, -1)));
      assertThat(next).isInstanceOfSatisfying(MutationResult.Applied.class, r -> assertThat(r.order().version()).isEqualTo(2));
      assertThat(store().order(tenant(), id)).hasValueSatisfying(o -> assertThat(o.status()).isEqualTo(OrderStatus.CANCELLED));
    }

    @Test
    @DisplayName("an order-only mutation (a return without restock) writes the order and no movement")
    void orderOnlyMutation() {
      Sku sku = stocked("MUG", 5, 0);
      OrderId id = OrderId.of("o-1");
      List<OrderLine> lines = List.of(OrderLine.of(sku, 1));
      store().apply(mutation(null, new OrderWrite(id, 0, OrderStatus.FULFILLED, lines, List.of()), change(sku, MovementType.OUT, -1, 0)));
      long rows = ledgerSize();

      MutationResult result = store().apply(mutation("ret", new OrderWrite(id, 1, OrderStatus.FULFILLED, lines, lines)));

      assertThat(result).isInstanceOfSatisfying(MutationResult.Applied.class, r -> {
        assertThat(r.movements()).isEmpty();
        assertThat(r.order().returned()).isEqualTo(lines);
      });
      assertThat(ledgerSize()).isEqualTo(rows);
      assertThat(store().replay(tenant(), "ret")).hasValueSatisfying(r -> assertThat(r.order()).isNotNull());
    }

    @Test
    @DisplayName("lookups of unknown things are empty, not errors")
    void emptyLookups() {
      assertThat(store().replay(tenant(), "never-used")).isEmpty();
      assertThat(store().order(tenant(), OrderId.of("never"))).isEmpty();
      assertThat(store().alert(tenant(), -1)).isEmpty();
      assertThat(store().updateItem(ItemDefinition.builder(tenant(), Sku.of("NEVER")).build(), clock().instant(),
          engine().alertRule())).isEmpty();
      assertThat(store().openAlerts(tenant(), null)).isEmpty();
      assertThat(store().itemByListing(tenant(), "tiktok", "nope")).isEmpty();
      assertThat(store().findItems(tenant(), CatalogQuery.all(), KIT_DEFAULT_THRESHOLD).total()).isZero();
      assertThat(store().history(tenant(), HistoryQuery.all()).total()).isZero();
      List<Movement> none = new ArrayList<>();
      store().forEachMovement(tenant(), Sku.of("NEVER"), none::add);
      assertThat(none).isEmpty();
    }

    @Test
    @DisplayName("the store answers a ping and the engine reports it healthy")
    void health() {
      store().ping();
      assertThat(engine().health().isUp()).isTrue();
      assertThat(engine().health().components()).containsKey("store");
    }

    @Test
    @DisplayName("insufficient stock reports what the store saw as available")
    void insufficientReportsAvailable() {
      Sku sku = stocked("MUG", 9, 0);
      engine().reserve(Reservation.of(tenant(), OrderId.of("o-1"), OrderLine.of(sku, 5)));
      assertThatThrownBy(() -> engine().reserve(Reservation.of(tenant(), OrderId.of("o-2"), OrderLine.of(sku, 6))))
          .isInstanceOfSatisfying(InsufficientStockException.class, e -> {
            assertThat(e.available()).isEqualTo(4);
            assertThat(e.requested()).isEqualTo(6);
          });
    }
  }

  // ============================================================================== second instance

  @Nested
  @DisplayName("two store instances on the same data")
  class SecondInstance {
    InventoryEngine other;

    @BeforeEach
    void openSecondInstance() throws Exception {
      Optional<StockStore> second = secondStore();
      assumeTrue(second.isPresent(), "the store under test has no second instance (createSecondStore is empty)");
      other = newEngine(second.get());
    }

    @Test
    @DisplayName("each instance sees what the other wrote")
    void sharedVisibility() {
      Sku sku = stocked("MUG", 10, 5);
      OrderId id = OrderId.of("o-1");
      other.reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 4)));
      engine().fulfil(OrderCommand.of(tenant(), id));
      other.adjust(Adjustment.of(tenant(), sku, -1, "broken"));

      assertThat(other.level(tenant(), sku)).isEqualTo(level(sku));
      assertThat(level(sku).onHand()).isEqualTo(5);
      assertThat(other.order(tenant(), id).status()).isEqualTo(OrderStatus.FULFILLED);
      assertThat(other.item(tenant(), sku)).isEqualTo(engine().item(tenant(), sku));
      // Compared without delivery state, which the dispatcher updates in the background.
      assertThat(other.openAlerts(tenant())).extracting(Alert::id, Alert::kind, Alert::sku, Alert::openedAt)
          .isEqualTo(engine().openAlerts(tenant()).stream()
              .map(a -> org.assertj.core.groups.Tuple.tuple(a.id(), a.kind(), a.sku(), a.openedAt())).toList());
      assertThat(other.history(tenant(), HistoryQuery.all())).isEqualTo(engine().history(tenant(), HistoryQuery.all()));
      assertThat(other.verifyLedger(tenant()).consistent()).isTrue();
    }

    @Test
    @DisplayName("a key applied through one instance replays through the other")
    void idempotencyAcrossInstances() {
      Sku sku = stocked("MUG", 10, 0);
      Adjustment a = Adjustment.of(tenant(), sku, -3, "sold").withIdempotencyKey("k-shared");
      OperationResult first = engine().adjust(a);

      OperationResult again = other.adjust(a);

      assertThat(again.replayed()).isTrue();
      assertThat(again.movements()).isEqualTo(first.movements());
      assertThat(level(sku).onHand()).isEqualTo(7);
    }

    @Test
    @DisplayName("a count through one instance from a reading made through the other is refused if stock moved")
    void compareAndSetAcrossInstances() {
      Sku sku = stocked("MUG", 10, 0);
      long seen = other.level(tenant(), sku).onHand();
      engine().adjust(Adjustment.of(tenant(), sku, -1, "sold"));

      assertThatThrownBy(() -> other.setOnHand(StockCount.of(tenant(), sku, seen, 3, "count")))
          .satisfies(conflict(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH));
    }

    @Test
    @DisplayName("an alert opened through one instance is resolved once through the other")
    void alertsAcrossInstances() {
      Sku sku = stocked("MUG", 10, 5);
      engine().adjust(Adjustment.of(tenant(), sku, -6, "sold"));
      Alert low = openAlert(sku, AlertKind.LOW_STOCK);
      other.adjust(Adjustment.of(tenant(), sku, -1, "sold"));
      assertThat(engine().openAlerts(tenant(), sku)).extracting(Alert::id).containsExactly(other.alert(tenant(), low.id()).id());

      other.adjust(Adjustment.of(tenant(), sku, 10, "delivery"));

      assertThat(engine().alert(tenant(), low.id()).status()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(engine().openAlerts(tenant())).isEmpty();
    }
  }

  // ============================================================================== event inbox

  @Nested
  @DisplayName("event inbox (EventInbox SPI)")
  class Inbox {
    EventInbox inbox;
    String source;

    @BeforeEach
    void requireInbox() {
      assumeTrue(store() instanceof EventInbox, "the store under test does not implement EventInbox");
      inbox = (EventInbox) store();
      source = "kit-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void drainOurEvents() {
      if (inbox != null) {
        for (EventInbox.InboxEvent e : ours(10_000)) {
          inbox.complete(e.tenant(), e.source(), e.eventId(), clock().instant(), null);
        }
      }
    }

    private List<EventInbox.InboxEvent> ours(int limit) {
      return inbox.pending(limit).stream().filter(e -> e.source().equals(source)).toList();
    }

    @Test
    @DisplayName("records an event once: a redelivery is recognised as a duplicate and keeps the first payload")
    void deduplicates() {
      Instant at = clock().instant();
      assertThat(inbox.offer(tenant(), source, "evt-1", "{\"first\":true}", at)).isTrue();
      assertThat(inbox.offer(tenant(), source, "evt-1", "{\"second\":true}", at.plusSeconds(5))).isFalse();

      List<EventInbox.InboxEvent> pending = ours(10_000);
      assertThat(pending).hasSize(1);
      EventInbox.InboxEvent e = pending.get(0);
      assertThat(e.tenant()).isEqualTo(tenant());
      assertThat(e.eventId()).isEqualTo("evt-1");
      assertThat(e.payload()).isEqualTo("{\"first\":true}");
      assertThat(e.receivedAt()).isEqualTo(at);
      assertThat(e.attempts()).isZero();
      assertThat(e.lastError()).isNull();
    }

    @Test
    @DisplayName("the same event id from another source or tenant is a different event")
    void scopedBySourceAndTenant() {
      TenantId other = newTenant();
      assertThat(inbox.offer(tenant(), source, "evt-1", "a", clock().instant())).isTrue();
      assertThat(inbox.offer(other, source, "evt-1", "b", clock().instant())).isTrue();
      assertThat(inbox.offer(tenant(), source + "-other", "evt-1", "c", clock().instant())).isTrue();
      try {
        assertThat(ours(10_000)).extracting(EventInbox.InboxEvent::payload).containsExactlyInAnyOrder("a", "b");
      } finally {
        inbox.complete(tenant(), source + "-other", "evt-1", clock().instant(), null);
      }
    }

    @Test
    @DisplayName("lists pending events oldest first, up to the limit")
    void pendingOrder() {
      Instant t0 = clock().instant();
      inbox.offer(tenant(), source, "late", "3", t0.plusSeconds(20));
      inbox.offer(tenant(), source, "early", "1", t0);
      inbox.offer(tenant(), source, "middle", "2", t0.plusSeconds(10));

      assertThat(ours(10_000)).extracting(EventInbox.InboxEvent::eventId).containsExactly("early", "middle", "late");
      assertThat(inbox.pending(1)).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    @DisplayName("a processed event leaves the pending list and stays a duplicate")
    void completeSuccessfully() {
      inbox.offer(tenant(), source, "evt-1", "x", clock().instant());
      inbox.complete(tenant(), source, "evt-1", clock().instant(), null);

      assertThat(ours(10_000)).isEmpty();
      assertThat(inbox.offer(tenant(), source, "evt-1", "x", clock().instant())).isFalse();
      assertThat(ours(10_000)).isEmpty();
    }

    @Test
    @DisplayName("a failed attempt keeps the event pending and counts it, with the last error")
    void completeWithError() {
      inbox.offer(tenant(), source, "evt-1", "x", clock().instant());
      inbox.complete(tenant(), source, "evt-1", clock().instant(), "shop API timed out");
      inbox.complete(tenant(), source, "evt-1", clock().instant(), "still down");

      List<EventInbox.InboxEvent> pending = ours(10_000);
      assertThat(pending).hasSize(1);
      assertThat(pending.get(0).attempts()).isEqualTo(2);
      assertThat(pending.get(0).lastError()).isEqualTo("still down");
      assertThat(pending.get(0).payload()).isEqualTo("x");

      inbox.complete(tenant(), source, "evt-1", clock().instant(), null);
      assertThat(ours(10_000)).isEmpty();
    }

    @Test
    @DisplayName("processed is final: a failure reported afterwards (another worker's) leaves the event processed")
    void failureAfterSuccess() {
      inbox.offer(tenant(), source, "evt-1", "x", clock().instant());
      inbox.offer(tenant(), source, "evt-2", "y", clock().instant());
      inbox.complete(tenant(), source, "evt-1", clock().instant(), null);
      inbox.complete(tenant(), source, "evt-1", clock().instant(), "worker B: shop API timed out");
      inbox.complete(tenant(), source, "evt-2", clock().instant(), "shop API timed out");

      assertThat(ours(10_000)).extracting(EventInbox.InboxEvent::eventId).containsExactly("evt-2");
      assertThat(inbox.offer(tenant(), source, "evt-1", "x", clock().instant())).isFalse();
      inbox.complete(tenant(), source, "evt-unknown", clock().instant(), "never offered");
      assertThat(ours(10_000)).extracting(EventInbox.InboxEvent::eventId).containsExactly("evt-2");
    }

    @Test
    @DisplayName("of many threads offering the same event at once, exactly one records it")
    void concurrentOffers() throws Exception {
      List<EventInbox> inboxes = new ArrayList<>(List.of(inbox));
      secondStore().filter(EventInbox.class::isInstance).map(EventInbox.class::cast).ifPresent(inboxes::add);
      int threads = Math.min(16, concurrencySettings().threads());
      for (int round = 0; round < 5; round++) {
        String id = "evt-" + round;
        List<Object> outcomes = race(threads, i -> inboxes.get(i % inboxes.size())
            .offer(tenant(), source, id, "payload " + i, clock().instant()));
        assertThat(outcomes).filteredOn(Boolean.TRUE::equals).as("recorded %s", id).hasSize(1);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Boolean.class));
      }
      assertThat(ours(10_000)).hasSize(5);
    }
  }

  // ============================================================================== leases

  @Nested
  @DisplayName("leases (LeaseStore SPI)")
  class Leases {
    LeaseStore leases;
    String lease;

    @BeforeEach
    void requireLeases() {
      assumeTrue(store() instanceof LeaseStore, "the store under test does not implement LeaseStore");
      leases = (LeaseStore) store();
      lease = "kit-lease-" + UUID.randomUUID();
    }

    @Test
    @DisplayName("a free lease is taken; while it is held, nobody else gets it; its holder renews it")
    void exclusive() {
      Instant now = clock().instant();
      Duration ttl = Duration.ofSeconds(30);
      assertThat(leases.tryAcquire(lease, "node-a", now, ttl)).isTrue();
      assertThat(leases.tryAcquire(lease, "node-b", now.plusSeconds(1), ttl)).isFalse();
      assertThat(leases.tryAcquire(lease, "node-a", now.plusSeconds(20), ttl)).as("renewal").isTrue();
      assertThat(leases.tryAcquire(lease, "node-b", now.plusSeconds(40), ttl)).as("renewed until 50 s").isFalse();
      assertThat(leases.tryAcquire(lease + "-other", "node-b", now, ttl)).as("another lease is independent").isTrue();
      leases.release(lease + "-other", "node-b");
    }

    @Test
    @DisplayName("an expired lease can be taken by another owner")
    void expiry() {
      Instant now = clock().instant();
      Duration ttl = Duration.ofSeconds(30);
      leases.tryAcquire(lease, "node-a", now, ttl);
      assertThat(leases.tryAcquire(lease, "node-b", now.plus(ttl).minusMillis(1), ttl)).isFalse();
      assertThat(leases.tryAcquire(lease, "node-b", now.plus(ttl).plusMillis(1), ttl)).isTrue();
      assertThat(leases.tryAcquire(lease, "node-a", now.plus(ttl).plusMillis(2), ttl)).isFalse();
      leases.release(lease, "node-b");
    }

    @Test
    @DisplayName("only the holder can release a lease")
    void release() {
      Instant now = clock().instant();
      Duration ttl = Duration.ofMinutes(5);
      leases.tryAcquire(lease, "node-a", now, ttl);
      leases.release(lease, "node-b");
      assertThat(leases.tryAcquire(lease, "node-b", now.plusSeconds(1), ttl)).isFalse();
      leases.release(lease, "node-a");
      assertThat(leases.tryAcquire(lease, "node-b", now.plusSeconds(2), ttl)).isTrue();
      leases.release(lease, "node-b");
    }

    @Test
    @DisplayName("of many owners racing for a free lease, exactly one gets it")
    void concurrentAcquire() throws Exception {
      List<LeaseStore> stores = new ArrayList<>(List.of(leases));
      secondStore().filter(LeaseStore.class::isInstance).map(LeaseStore.class::cast).ifPresent(stores::add);
      int threads = Math.min(16, concurrencySettings().threads());
      Instant now = clock().instant();
      for (int round = 0; round < 5; round++) {
        String name = lease + "-" + round;
        List<Object> outcomes = race(threads, i -> stores.get(i % stores.size())
            .tryAcquire(name, "node-" + i, now, Duration.ofMinutes(1)));
        assertThat(outcomes).filteredOn(Boolean.TRUE::equals).as("holders of %s", name).hasSize(1);
        int holder = outcomes.indexOf(Boolean.TRUE);
        leases.release(name, "node-" + holder);
      }
    }
  }

  // ============================================================================== concurrency

  @Nested
  @DisplayName("concurrency")
  class Concurrency {

    private ConcurrencyHarness harness(ConcurrencyHarness.Settings settings) throws Exception {
      return ConcurrencyHarness.on(tenant(), settings, enginesForConcurrency());
    }

    @Test
    @DisplayName("64 threads hammering one hot SKU with reservations, cancellations and adjustments never oversell (issue 2)")
    void issue2HotSku() throws Exception {
      ConcurrencyHarness.Settings s = concurrencySettings();
      ConcurrencyHarness.Report report = harness(s.withThreads(Math.max(64, s.threads()))
          .withOperationsPerThread(Math.max(1, s.operationsPerThread() / 2))).hotSkuReserveCancelAdjust();
      report.assertNoViolations();
      if (report.settings().operationsPerThread() >= 10) {
        assertThat(report.count("reserve applied")).as("some reservations got through: %s", report.outcomes()).isPositive();
        assertThat(report.count("reserve insufficient")).as("the SKU ran out at least once: %s", report.outcomes()).isPositive();
      }
    }

    @Test
    @DisplayName("mixed operations from many threads on a few hot SKUs keep every invariant")
    void mixedOperations() throws Exception {
      ConcurrencyHarness.Report report = harness(concurrencySettings()).mixedOperations().assertNoViolations();
      if (report.settings().operationsPerThread() >= 20) {
        assertThat(report.count("fulfil applied")).as("%s", report.outcomes()).isPositive();
        assertThat(report.count("adjust applied")).as("%s", report.outcomes()).isPositive();
      }
    }

    @Test
    @DisplayName("the same request fired by many threads at once applies exactly once")
    void sameRequestFromManyThreads() throws Exception {
      ConcurrencyHarness.Settings s = concurrencySettings();
      harness(s.withThreads(Math.min(s.threads(), 16))).sameRequestFromManyThreads().assertNoViolations();
    }

    @Test
    @DisplayName("threads racing to fulfil and cancel the same orders: exactly one wins each order")
    void fulfilCancelRace() throws Exception {
      Sku sku = stocked("RACE", 1_000, 0);
      List<InventoryEngine> engines = enginesForConcurrency();
      int threads = Math.min(16, concurrencySettings().threads());
      for (int round = 0; round < 10; round++) {
        OrderId id = OrderId.of("race-" + round);
        engine().reserve(Reservation.of(tenant(), id, OrderLine.of(sku, 2)));
        List<Object> outcomes = race(threads, i -> i % 2 == 0
            ? engines.get(i % engines.size()).fulfil(OrderCommand.of(tenant(), id))
            : engines.get(i % engines.size()).cancel(OrderCommand.of(tenant(), id)));
        assertThat(outcomes).filteredOn(OperationResult.class::isInstance).as("winners for %s: %s", id, outcomes).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof OperationResult)).allSatisfy(o ->
            assertThat(o).isInstanceOf(ConflictException.class));
      }
      assertThat(level(sku).reserved()).isZero();
      assertInvariants();
    }

    @Test
    @DisplayName("threads registering one SKU at once create it once")
    void concurrentRegistration() throws Exception {
      List<InventoryEngine> engines = enginesForConcurrency();
      int threads = Math.min(16, concurrencySettings().threads());
      ItemDefinition def = ItemDefinition.builder(tenant(), Sku.of("NEW")).name("New").build();
      List<Object> outcomes = race(threads, i -> engines.get(i % engines.size()).store().registerItem(def, clock().instant()));
      assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(StockStore.Registration.class));
      assertThat(outcomes).filteredOn(o -> ((StockStore.Registration) o).created()).hasSize(1);
      assertThat(engine().find(tenant(), CatalogQuery.all()).total()).isEqualTo(1);
    }

    @Test
    @DisplayName("threads pushing stock across the thresholds open at most one alert per SKU and kind")
    void concurrentAlerts() throws Exception {
      Sku sku = stocked("EDGE", 6, 5);
      List<InventoryEngine> engines = enginesForConcurrency();
      int threads = Math.min(16, concurrencySettings().threads());
      for (int round = 0; round < 10; round++) {
        race(threads, i -> engines.get(i % engines.size())
            .adjust(Adjustment.of(tenant(), sku, i % 2 == 0 ? -1 : 1, "bounce")));
        assertInvariants();
      }
    }
  }

  // ============================================================================== property tests (jqwik)

  private @Nullable StockStore propertyStore;
  private @Nullable Optional<StockStore> propertySecondStore;

  /**
   * Random sequences of every operation, bad inputs included, checked step by step against a
   * reference model and every invariant. Runs on the jqwik engine, which finds this inherited
   * property in every subclass; the store comes from {@link #createStore()} once per property, each
   * try works in a fresh tenant. With a second store instance, steps alternate between the two.
   */
  @Property(tries = 100, seed = "20250101", edgeCases = EdgeCasesMode.NONE, afterFailure = AfterFailureMode.SAMPLE_FIRST)
  @Label("random operation sequences agree with the reference model and keep every invariant")
  void operationSequencesAgreeWithTheModel(@ForAll("kitOperationSequences") List<ModelCheck.Op> operations) throws Exception {
    runModelCheck(operations);
  }

  /**
   * The same property with many more and longer sequences and a random seed, for soak runs: runs only
   * with {@code -Dinventory.testkit.soak=true} and is skipped otherwise.
   */
  @Property(tries = 1_000, edgeCases = EdgeCasesMode.NONE, afterFailure = AfterFailureMode.SAMPLE_FIRST)
  @AddLifecycleHook(SoakOnly.class)
  @Label("soak: long random operation sequences agree with the reference model")
  void soakOperationSequences(@ForAll("kitSoakSequences") List<ModelCheck.Op> operations) throws Exception {
    runModelCheck(operations);
  }

  @Provide
  Arbitrary<List<ModelCheck.Op>> kitOperationSequences() {
    return ModelCheck.operations(40);
  }

  @Provide
  Arbitrary<List<ModelCheck.Op>> kitSoakSequences() {
    return ModelCheck.operations(120);
  }

  private void runModelCheck(List<ModelCheck.Op> operations) throws Exception {
    if (propertyStore == null) {
      propertyStore = createStore();
      propertySecondStore = createSecondStore(propertyStore);
    }
    List<StockStore> stores = new ArrayList<>();
    stores.add(propertyStore);
    propertySecondStore.ifPresent(stores::add);
    MutableClock clock = MutableClock.start();
    List<InventoryEngine> engines = new ArrayList<>();
    for (StockStore store : stores) {
      engines.add(InventoryEngine.builder().store(store).clock(clock).defaultLowStockThreshold(KIT_DEFAULT_THRESHOLD).build());
    }
    try {
      ModelCheck.Runner runner = new ModelCheck.Runner(engines, randomTenant(), clock);
      runner.setUp();
      runner.run(operations);
    } finally {
      engines.forEach(InventoryEngine::close);
    }
  }

  @AfterProperty
  void closePropertyStores() throws Exception {
    StockStore store = propertyStore;
    Optional<StockStore> second = propertySecondStore;
    propertyStore = null;
    propertySecondStore = null;
    if (second != null && second.isPresent()) {
      closeStore(second.get());
    }
    if (store != null) {
      closeStore(store);
    }
  }

  /** Skips soak-only properties unless {@code -Dinventory.testkit.soak=true}. */
  static final class SoakOnly implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return ConcurrencyHarness.Settings.soakRequested() ? SkipResult.doNotSkip()
          : SkipResult.skip("soak runs only with -D" + ConcurrencyHarness.Settings.SOAK_PROPERTY + "=true");
    }
  }

  // ============================================================================== helpers for races

  /** The kit's engine, plus an engine on the second store instance if there is one. */
  protected final List<InventoryEngine> enginesForConcurrency() throws Exception {
    List<InventoryEngine> engines = new ArrayList<>(List.of(engine()));
    secondStore().ifPresent(second -> engines.add(newEngine(second)));
    return engines;
  }

  /** Something a racing thread does; its index tells the threads apart. */
  @FunctionalInterface
  protected interface RaceAction {
    Object run(int index) throws Exception;
  }

  /**
   * Runs {@code action} on {@code threads} threads released at the same moment and returns, per
   * thread index, what it returned or the exception it threw.
   */
  protected static List<Object> race(int threads, RaceAction action) throws InterruptedException {
    Object[] outcomes = new Object[threads];
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> running = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          start.await(1, TimeUnit.MINUTES);
          outcomes[index] = action.run(index);
        } catch (Throwable e) {
          outcomes[index] = e;
        }
      }, "kit-race-" + i);
      t.setDaemon(true);
      running.add(t);
    }
    running.forEach(Thread::start);
    for (Thread t : running) {
      t.join(TimeUnit.MINUTES.toMillis(5));
      if (t.isAlive()) {
        running.forEach(Thread::interrupt);
        throw new AssertionError("racing thread " + t.getName() + " did not finish within 5 minutes");
      }
    }
    List<Object> result = new ArrayList<>();
    for (Object o : outcomes) {
      result.add(o == null ? "null" : o);
    }
    return result;
  }
}
