package io.creatorflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AlertsTest {
  static final TenantId T = TenantId.of("creator-1");
  static final Sku SKU = Sku.of("HOODIE");

  final TestClock clock = new TestClock(Instant.parse("2026-11-01T10:00:00Z"));
  final InMemoryStockStore store = new InMemoryStockStore();
  final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  final List<AlertEvent> received = new CopyOnWriteArrayList<>();
  final AlertSink recording = received::add;
  final AlertDeliveryPolicy fast = new AlertDeliveryPolicy(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(5));

  @AfterEach
  void tearDown() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  InventoryEngine engine(long hysteresis, AlertSink... sinks) {
    InventoryEngine.Builder b = InventoryEngine.builder().store(store).clock(clock).alertExecutor(executor)
        .defaultLowStockThreshold(5).alertHysteresis(hysteresis).alertDeliveryPolicy(fast);
    for (AlertSink sink : sinks) {
      b.alertSink(sink);
    }
    InventoryEngine engine = b.build();
    engine.register(ItemDefinition.builder(T, SKU).name("Hoodie").build());
    return engine;
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(2);
    }
  }

  @Test
  @DisplayName("crossing the threshold opens one low-stock alert, delivered after commit")
  void lowStock() throws Exception {
    InventoryEngine engine = engine(0, recording);
    engine.adjust(Adjustment.of(T, SKU, 10, "count"));
    engine.adjust(Adjustment.of(T, SKU, -6, "sold"));
    engine.adjust(Adjustment.of(T, SKU, -1, "sold"));
    List<Alert> open = engine.openAlerts(T);
    assertThat(open).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(AlertKind.LOW_STOCK);
      assertThat(a.availableAtOpen()).isEqualTo(4);
      assertThat(a.threshold()).isEqualTo(5);
      assertThat(a.tenant()).isEqualTo(T);
    });
    await(() -> received.size() == 1);
    long id = open.get(0).id();
    await(() -> engine.alert(T, id).delivery() == DeliveryState.DELIVERED);
    assertThat(received.get(0).type()).isEqualTo(AlertEventType.OPENED);
  }

  @Test
  @DisplayName("running out opens an out-of-stock alert too, and restock resolves both")
  void outOfStockAndResolve() throws Exception {
    InventoryEngine engine = engine(0, recording);
    engine.adjust(Adjustment.of(T, SKU, 3, "count"));
    engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(SKU, 3)));
    assertThat(engine.openAlerts(T)).extracting(Alert::kind)
        .containsExactlyInAnyOrder(AlertKind.LOW_STOCK, AlertKind.OUT_OF_STOCK);
    engine.adjust(Adjustment.of(T, SKU, 20, "restock").withType(MovementType.IN));
    assertThat(engine.openAlerts(T)).isEmpty();
    await(() -> received.size() == 4);
    assertThat(received).extracting(AlertEvent::type)
        .containsExactlyInAnyOrder(AlertEventType.OPENED, AlertEventType.OPENED, AlertEventType.RESOLVED,
            AlertEventType.RESOLVED);
    assertThat(received.stream().filter(e -> e.type() == AlertEventType.RESOLVED))
        .allMatch(e -> Alert.SYSTEM_ACTOR.equals(e.alert().resolvedBy()));
  }

  @Test
  @DisplayName("hysteresis keeps an alert open until stock is clearly above the threshold")
  void hysteresis() {
    InventoryEngine engine = engine(3);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    assertThat(engine.openAlerts(T)).hasSize(1);
    engine.adjust(Adjustment.of(T, SKU, 3, "count")); // 7 <= 5 + 3
    assertThat(engine.openAlerts(T)).hasSize(1);
    engine.adjust(Adjustment.of(T, SKU, 2, "count")); // 9 > 8
    assertThat(engine.openAlerts(T)).isEmpty();
  }

  @Test
  @DisplayName("lowering an item's threshold resolves its alert at once")
  void thresholdChange() {
    InventoryEngine engine = engine(0);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    assertThat(engine.openAlerts(T)).hasSize(1);
    engine.updateItem(engine.item(T, SKU).definition().toBuilder().lowStockThreshold(2).build());
    assertThat(engine.openAlerts(T)).isEmpty();
    engine.updateItem(engine.item(T, SKU).definition().toBuilder().lowStockThreshold(10).build());
    assertThat(engine.openAlerts(T)).singleElement().satisfies(a -> assertThat(a.threshold()).isEqualTo(10));
  }

  @Test
  @DisplayName("an alert can be resolved by hand, once")
  void manualResolve() throws Exception {
    InventoryEngine engine = engine(0, recording);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    long id = engine.openAlerts(T).get(0).id();
    Alert resolved = engine.resolveAlert(T, id, "ops@example.com");
    assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(resolved.resolvedBy()).isEqualTo("ops@example.com");
    assertThat(engine.resolveAlert(T, id, "someone-else").resolvedBy()).isEqualTo("ops@example.com");
    await(() -> received.size() == 2);
    assertThatThrownBy(() -> engine.resolveAlert(T, 9999, "ops")).isInstanceOf(UnknownAlertException.class);
    assertThatThrownBy(() -> engine.resolveAlert(TenantId.of("other"), id, "ops"))
        .isInstanceOf(UnknownAlertException.class);
  }

  @Test
  @DisplayName("a failing sink is retried and the delivery state recorded; the stock change stands")
  void retries() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AlertSink flaky = event -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("chat service down");
      }
    };
    InventoryEngine engine = engine(0, flaky);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    assertThat(engine.level(T, SKU).onHand()).isEqualTo(4);
    long id = engine.openAlerts(T).get(0).id();
    await(() -> engine.alert(T, id).delivery() == DeliveryState.DELIVERED);
    assertThat(engine.alert(T, id).deliveryAttempts()).isEqualTo(3);
  }

  @Test
  @DisplayName("a sink that never works ends FAILED; others still deliver")
  void givesUp() throws Exception {
    AlertSink broken = event -> {
      throw new IllegalStateException("nope");
    };
    InventoryEngine engine = engine(0, broken, recording);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    long id = engine.openAlerts(T).get(0).id();
    await(() -> engine.alert(T, id).delivery() == DeliveryState.FAILED);
    assertThat(received).hasSize(1);
    assertThat(engine.alert(T, id).deliveryAttempts()).isEqualTo(3);
  }

  @Test
  @DisplayName("a slow sink never blocks stock changes")
  void slowSink() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AlertSink slow = event -> release.await(10, TimeUnit.SECONDS);
    InventoryEngine engine = engine(0, slow);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    engine.adjust(Adjustment.of(T, SKU, -4, "sold"));
    for (int i = 0; i < 100; i++) {
      engine.adjust(Adjustment.of(T, SKU, 1, "count"));
      engine.adjust(Adjustment.of(T, SKU, -1, "count"));
    }
    assertThat(engine.level(T, SKU).onHand()).isZero();
    assertThat(engine.health().components().get("alerts").detail()).contains("in flight");
    release.countDown();
  }

  @Test
  @DisplayName("notifications left pending by a crash are delivered by the sweep")
  void redeliver() throws Exception {
    InventoryEngine crashed = InventoryEngine.builder().store(store).clock(clock).alertExecutor(executor)
        .alertSink(e -> {
          throw new IllegalStateException("process dies before delivering");
        })
        .alertDeliveryPolicy(new AlertDeliveryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO)).build();
    crashed.close();
    InventoryEngine engine = engine(0, recording);
    engine.adjust(Adjustment.of(T, SKU, 4, "count"));
    long id = engine.openAlerts(T).get(0).id();
    await(() -> engine.alert(T, id).delivery() == DeliveryState.DELIVERED);
    received.clear();
    store.recordDelivery(T, id, AlertEventType.OPENED, DeliveryState.PENDING, 0);
    clock.advance(Duration.ofMinutes(10));
    assertThat(engine.redeliverPendingAlerts(Duration.ofMinutes(5), 100)).isEqualTo(1);
    await(() -> received.size() == 1);
    await(() -> engine.alert(T, id).delivery() == DeliveryState.DELIVERED);
    assertThat(engine.redeliverPendingAlerts(Duration.ofMinutes(5), 100)).isZero();
  }

  @Test
  @DisplayName("sinks without an executor are refused at build time")
  void needsExecutor() {
    assertThatThrownBy(() -> InventoryEngine.builder().store(store).alertSink(recording).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("alertExecutor");
    assertThatThrownBy(() -> InventoryEngine.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
  }

  @Test
  @DisplayName("a closed engine refuses operations")
  void closed() {
    InventoryEngine engine = engine(0);
    engine.close();
    assertThatThrownBy(() -> engine.level(T, SKU)).isInstanceOf(IllegalStateException.class);
  }
}
