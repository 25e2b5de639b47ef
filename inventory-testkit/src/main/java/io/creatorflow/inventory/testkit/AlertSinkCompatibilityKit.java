package io.creatorflow.inventory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertDeliveryPolicy;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery contract every {@link AlertSink} must keep. A sink's test is a small subclass:
 *
 * <pre>{@code
 * class ChatAlertSinkCompatibilityTest extends AlertSinkCompatibilityKit {
 *   FakeChatServer server = new FakeChatServer();
 *
 *   @Override
 *   protected AlertSink createSink() {
 *     return new ChatAlertSink(server.url());
 *   }
 *
 *   // Optional: what reached the destination, to check that nothing is lost.
 *   @Override
 *   protected Optional<List<AlertEvent>> deliveredEvents(AlertSink sink) {
 *     return Optional.of(server.receivedEvents());
 *   }
 *
 *   // Optional: make the destination fail, to check that the sink reports it by throwing.
 *   @Override
 *   protected boolean failDeliveries(AlertSink sink, boolean fail) {
 *     server.failAll(fail);
 *     return true;
 *   }
 * }
 * }</pre>
 *
 * <p>The contract: a sink accepts opened and resolved notifications of every alert kind, for any
 * tenant, by returning normally; it may be called from several threads at once; it reports a
 * failure by throwing (the engine then retries it with backoff, and never undoes the stock change);
 * and, since delivery is at least once, it tolerates a notification it has seen before.
 */
@ExtendWith(NameTheImplementation.class)
public abstract class AlertSinkCompatibilityKit {
  private @Nullable AlertSink sink;

  /** A new sink to test; called before every test. */
  protected abstract AlertSink createSink() throws Exception;

  /** Releases a sink; the default closes it if it is {@link AutoCloseable}. */
  protected void closeSink(AlertSink sink) throws Exception {
    if (sink instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /**
   * Every notification that reached the sink's destination so far, if the test can observe it;
   * empty (the default) skips the checks that nothing is lost or changed on the way.
   */
  protected Optional<List<AlertEvent>> deliveredEvents(AlertSink sink) throws Exception {
    return Optional.empty();
  }

  /**
   * Makes the sink's destination fail ({@code fail = true}) or work again. Return {@code false}
   * (the default) if the test cannot do that, which skips the failure-reporting checks.
   */
  protected boolean failDeliveries(AlertSink sink, boolean fail) throws Exception {
    return false;
  }

  /** Threads and notifications per thread of the concurrency test. */
  protected int concurrentThreads() {
    return 8;
  }

  /** Notifications each thread delivers in the concurrency test. */
  protected int deliveriesPerThread() {
    return 50;
  }

  @BeforeEach
  final void createKitSink() throws Exception {
    sink = createSink();
  }

  @AfterEach
  final void closeKitSink() throws Exception {
    AlertSink s = sink;
    sink = null;
    if (s != null) {
      failDeliveries(s, false);
      closeSink(s);
    }
  }

  /** The sink under test. */
  protected final AlertSink sink() {
    AlertSink s = sink;
    if (s == null) {
      throw new IllegalStateException("the sink exists only while a test runs");
    }
    return s;
  }

  private static final Instant T0 = MutableClock.DEFAULT_START;

  /** An opened notification of a fresh alert. */
  protected static AlertEvent opened(long id, TenantId tenant, String sku, AlertKind kind) {
    long threshold = kind == AlertKind.LOW_STOCK ? 5 : 0;
    return AlertEvent.opened(Alert.open(id, tenant, Sku.of(sku), kind, kind == AlertKind.LOW_STOCK ? 3 : 0, threshold, T0));
  }

  /** The resolved notification of that alert. */
  protected static AlertEvent resolved(long id, TenantId tenant, String sku, AlertKind kind, String actor) {
    return AlertEvent.resolved(opened(id, tenant, sku, kind).alert().resolve(T0.plusSeconds(60), actor));
  }

  private List<AlertEvent> observed() throws Exception {
    Optional<List<AlertEvent>> events = deliveredEvents(sink());
    assumeTrue(events.isPresent(), "the test cannot observe what the sink delivered (deliveredEvents is empty)");
    return events.get();
  }

  private static Map<String, Integer> count(Collection<AlertEvent> events) {
    Map<String, Integer> counts = new HashMap<>();
    for (AlertEvent e : events) {
      counts.merge(e.alert().tenant() + "/" + e.alert().id() + "/" + e.type(), 1, Integer::sum);
    }
    return counts;
  }

  // ============================================================================== accepting

  @Nested
  @DisplayName("accepting notifications")
  class Accepting {

    @Test
    @DisplayName("has a name for logs and delivery reports")
    void name() {
      assertThat(sink().name()).isNotBlank();
      assertThat(sink().name()).isEqualTo(sink().name());
    }

    @Test
    @DisplayName("accepts opened and resolved notifications of every kind for several tenants")
    void everyKindAndTenant() throws Exception {
      List<AlertEvent> sent = new ArrayList<>();
      long id = 1;
      for (TenantId tenant : List.of(StockStoreCompatibilityKit.randomTenant(), StockStoreCompatibilityKit.randomTenant())) {
        for (AlertKind kind : AlertKind.values()) {
          sent.add(opened(id, tenant, "SKU-" + kind, kind));
          sent.add(resolved(id, tenant, "SKU-" + kind, kind, id % 2 == 0 ? Alert.SYSTEM_ACTOR : "bob"));
          id++;
        }
      }
      for (AlertEvent e : sent) {
        assertThatCode(() -> sink().deliver(e)).as("delivering %s", e).doesNotThrowAnyException();
      }
      Optional<List<AlertEvent>> delivered = deliveredEvents(sink());
      delivered.ifPresent(events -> assertThat(events).as("what reached the destination").containsAll(sent));
    }

    @Test
    @DisplayName("accepts unusual but valid content: long, non-ASCII and quoting-prone SKUs and actors")
    void unusualContent() throws Exception {
      TenantId tenant = TenantId.of("tenant \"quoted\" ü " + "x".repeat(20));
      String sku = "SKU-ünïcødé-💥-<b>&amp;-'quote'-" + "9".repeat(64);
      AlertEvent open = opened(77, tenant, sku, AlertKind.OUT_OF_STOCK);
      AlertEvent resolve = resolved(77, tenant, sku, AlertKind.OUT_OF_STOCK, "zoë \"ops\" <admin>");
      assertThatCode(() -> sink().deliver(open)).doesNotThrowAnyException();
      assertThatCode(() -> sink().deliver(resolve)).doesNotThrowAnyException();
      deliveredEvents(sink()).ifPresent(events -> assertThat(events).contains(open, resolve));
    }

    @Test
    @DisplayName("tolerates a notification it has seen before (delivery is at least once)")
    void redelivery() throws Exception {
      TenantId tenant = StockStoreCompatibilityKit.randomTenant();
      AlertEvent e = opened(5, tenant, "MUG", AlertKind.LOW_STOCK);
      sink().deliver(e);
      assertThatCode(() -> sink().deliver(e)).doesNotThrowAnyException();
    }
  }

  // ============================================================================== concurrency

  @Nested
  @DisplayName("concurrent delivery")
  class ConcurrentDelivery {

    @Test
    @DisplayName("notifications delivered from many threads at once are all accepted and none is lost")
    void concurrent() throws Exception {
      int threads = concurrentThreads();
      int each = deliveriesPerThread();
      TenantId[] tenants = {StockStoreCompatibilityKit.randomTenant(), StockStoreCompatibilityKit.randomTenant()};
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      List<AlertEvent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread worker = new Thread(() -> {
          try {
            start.await(1, TimeUnit.MINUTES);
            for (int i = 0; i < each; i++) {
              long id = 1_000L * thread + i + 1;
              TenantId tenant = tenants[i % 2];
              AlertKind kind = AlertKind.values()[i % 2];
              AlertEvent e = i % 3 == 2 ? resolved(id, tenant, "SKU-" + thread, kind, Alert.SYSTEM_ACTOR)
                  : opened(id, tenant, "SKU-" + thread, kind);
              sink().deliver(e);
              sent.add(e);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "sink-kit-" + t);
        worker.setDaemon(true);
        running.add(worker);
      }
      running.forEach(Thread::start);
      for (Thread worker : running) {
        worker.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(worker.isAlive()).as("%s finished", worker.getName()).isFalse();
      }
      assertThat(failures).as("deliveries that threw").isEmpty();
      assertThat(sent).hasSize(threads * each);
      Optional<List<AlertEvent>> delivered = deliveredEvents(sink());
      delivered.ifPresent(events -> assertThat(count(events)).as("every notification arrived exactly once")
          .isEqualTo(count(sent)));
    }
  }

  // ============================================================================== failures

  @Nested
  @DisplayName("reporting failures")
  class Failures {

    @BeforeEach
    void requireFailureControl() throws Exception {
      assumeTrue(failDeliveries(sink(), true), "the test cannot make the sink's destination fail");
      failDeliveries(sink(), false);
    }

    @Test
    @DisplayName("throws when its destination fails, instead of swallowing the failure")
    void throwsOnFailure() throws Exception {
      failDeliveries(sink(), true);
      AlertEvent e = opened(1, StockStoreCompatibilityKit.randomTenant(), "MUG", AlertKind.LOW_STOCK);
      Throwable thrown = catchThrowable(() -> sink().deliver(e));
      assertThat(thrown).as("deliver must throw when the destination fails, so the engine retries").isNotNull();
      failDeliveries(sink(), false);
      assertThatCode(() -> sink().deliver(e)).as("works again once the destination is back").doesNotThrowAnyException();
      deliveredEvents(sink()).ifPresent(events -> assertThat(events).contains(e));
    }
  }

  // ============================================================================== with the engine

  @Nested
  @DisplayName("plugged into an engine")
  class WithAnEngine {
    ScheduledExecutorService executor;
    MutableClock clock = MutableClock.start();
    TenantId tenant = StockStoreCompatibilityKit.randomTenant();

    @BeforeEach
    void startExecutor() {
      executor = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stopExecutor() throws InterruptedException {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private InventoryEngine engine(InMemoryStockStore store) {
      return InventoryEngine.builder().store(store).clock(clock).alertSink(sink()).alertExecutor(executor)
          .alertDeliveryPolicy(new AlertDeliveryPolicy(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20))).build();
    }

    private boolean await(BooleanSupplier condition) throws InterruptedException {
      long deadline = System.nanoTime() + RecordingAlertSink.DEFAULT_TIMEOUT.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(5);
      }
      return true;
    }

    private DeliveryState state(InMemoryStockStore store, long alertId) {
      return store.alert(tenant, alertId).orElseThrow().delivery();
    }

    @Test
    @DisplayName("receives the opening and the resolution of a real alert, recorded as delivered")
    void realAlerts() throws Exception {
      InMemoryStockStore store = new InMemoryStockStore();
      try (InventoryEngine engine = engine(store)) {
        Sku sku = Sku.of("MUG");
        engine.register(ItemDefinition.builder(tenant, sku).lowStockThreshold(5).build());
        engine.adjust(Adjustment.of(tenant, sku, 10, "delivery"));
        engine.adjust(Adjustment.of(tenant, sku, -7, "sold"));
        Alert low = engine.openAlerts(tenant, sku).get(0);
        assertThat(await(() -> state(store, low.id()) == DeliveryState.DELIVERED)).as("opening delivered").isTrue();

        engine.adjust(Adjustment.of(tenant, sku, 7, "delivery"));
        assertThat(await(() -> store.alert(tenant, low.id()).orElseThrow().notification() == AlertEventType.RESOLVED
            && state(store, low.id()) == DeliveryState.DELIVERED)).as("resolution delivered").isTrue();
        deliveredEvents(sink()).ifPresent(events -> assertThat(events)
            .filteredOn(e -> e.alert().id() == low.id() && e.alert().tenant().equals(tenant))
            .extracting(AlertEvent::type).containsExactly(AlertEventType.OPENED, AlertEventType.RESOLVED));
      }
    }

    @Test
    @DisplayName("a failing destination leaves the delivery failed after the retries, and the stock change stands")
    void failuresAreRetriedThenRecorded() throws Exception {
      assumeTrue(failDeliveries(sink(), true), "the test cannot make the sink's destination fail");
      InMemoryStockStore store = new InMemoryStockStore();
      try (InventoryEngine engine = engine(store)) {
        Sku sku = Sku.of("MUG");
        engine.register(ItemDefinition.builder(tenant, sku).lowStockThreshold(5).build());
        engine.adjust(Adjustment.of(tenant, sku, 3, "delivery"));
        Alert low = engine.openAlerts(tenant, sku).get(0);
        assertThat(await(() -> state(store, low.id()) == DeliveryState.FAILED)).as("delivery recorded as failed").isTrue();
        assertThat(store.alert(tenant, low.id()).orElseThrow().deliveryAttempts()).isEqualTo(3);
        assertThat(engine.level(tenant, sku).onHand()).isEqualTo(3);
      } finally {
        failDeliveries(sink(), false);
      }
    }
  }
}
