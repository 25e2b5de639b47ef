package io.creatorflow.inventory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("testkit helpers")
class HelpersTest {
  final TenantId tenant = TenantId.of("helpers");

  @Nested
  @DisplayName("MutableClock")
  class Clock {
    @Test
    @DisplayName("stands still until advanced, and only moves forward when advanced")
    void advance() {
      MutableClock clock = MutableClock.start();
      assertThat(clock.instant()).isEqualTo(MutableClock.DEFAULT_START).isEqualTo(clock.instant());
      assertThat(clock.advance(Duration.ofMinutes(2))).isEqualTo(MutableClock.DEFAULT_START.plusSeconds(120));
      assertThat(clock.advanceMillis(5)).isEqualTo(MutableClock.DEFAULT_START.plusSeconds(120).plusMillis(5));
      assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
      clock.set(Instant.EPOCH);
      assertThat(clock.millis()).isZero();
    }

    @Test
    @DisplayName("a view in another zone shares the same instant")
    void zones() {
      MutableClock clock = MutableClock.at(Instant.EPOCH);
      java.time.Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
      clock.advance(Duration.ofHours(1));
      assertThat(paris.instant()).isEqualTo(Instant.EPOCH.plusSeconds(3600));
      assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
  }

  @Nested
  @DisplayName("TestCatalog and TestOrders")
  class Builders {
    @Test
    @DisplayName("register a catalog with opening stock and make orders with fresh ids")
    void catalogAndOrders() {
      try (InventoryEngine engine = InventoryEngine.builder().store(new InMemoryStockStore()).build()) {
        TestCatalog catalog = TestCatalog.forTenant(tenant).item("HOODIE", 20)
            .item("MUG", 3, b -> b.name("Mug").lowStockThreshold(5)).items("BULK", 3, 1).registerIn(engine);

        assertThat(catalog.skus()).extracting(Sku::value).containsExactly("HOODIE", "MUG", "BULK-000", "BULK-001", "BULK-002");
        assertThat(engine.level(tenant, Sku.of("HOODIE")).onHand()).isEqualTo(20);
        assertThat(engine.item(tenant, Sku.of("MUG")).name()).isEqualTo("Mug");
        assertThat(engine.openAlerts(tenant, Sku.of("MUG"))).extracting(a -> a.kind()).containsExactly(AlertKind.LOW_STOCK);
        Movement opening = engine.history(tenant, io.creatorflow.inventory.HistoryQuery.of(Sku.of("MUG"))).items().get(0);
        assertThat(opening.type()).isEqualTo(MovementType.IN);
        assertThat(opening.reason()).isEqualTo(TestCatalog.OPENING_STOCK_REASON);
        assertThat(catalog.definition(Sku.of("MUG")).lowStockThreshold()).isEqualTo(5);
        assertThat(catalog.openingStock()).containsEntry(Sku.of("BULK-001"), 1L);
        assertThatThrownBy(() -> catalog.item("MUG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.item("NEG", -1)).isInstanceOf(IllegalArgumentException.class);

        TestOrders orders = TestOrders.forTenant(tenant, "shop");
        Reservation r = orders.reservation().line("HOODIE", 2).line(catalog.sku(1), 1).idempotencyKey("wh-1").build();
        assertThat(r.orderId()).isEqualTo(OrderId.of("shop-1"));
        assertThat(r.lines()).containsExactly(OrderLine.of("HOODIE", 2), OrderLine.of("MUG", 1));
        assertThat(r.idempotencyKey()).isEqualTo("wh-1");
        engine.reserve(r);
        engine.fulfil(orders.fulfil(r.orderId()));
        engine.returnItems(orders.returnOf(r.orderId(), true, OrderLine.of("HOODIE", 1)));
        assertThat(engine.level(tenant, Sku.of("HOODIE")).onHand()).isEqualTo(19);
        assertThat(orders.reserve(Sku.of("MUG"), 1).orderId()).isEqualTo(OrderId.of("shop-2"));
        assertThat(orders.nextId()).isEqualTo(OrderId.of("shop-3"));
      }
    }
  }

  @Nested
  @DisplayName("RecordingAlertSink")
  class Sink {
    private AlertEvent event(long id) {
      return AlertSinkCompatibilityKit.opened(id, tenant, "MUG", AlertKind.LOW_STOCK);
    }

    @Test
    @DisplayName("fails exactly the next N deliveries, then records again")
    void failNext() {
      RecordingAlertSink sink = new RecordingAlertSink().failNext(2);
      assertThatThrownBy(() -> sink.deliver(event(1))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> sink.deliver(event(1))).isInstanceOf(IllegalStateException.class);
      sink.deliver(event(1));
      assertThat(sink.failures()).isEqualTo(2);
      assertThat(sink.attempts()).isEqualTo(3);
      assertThat(sink.events()).containsExactly(event(1));
      sink.clear();
      assertThat(sink.events()).isEmpty();
      assertThat(sink.attempts()).isZero();
    }

    @Test
    @DisplayName("wakes a waiting test as soon as the delivery arrives from another thread")
    void awaitsDeliveries() throws Exception {
      RecordingAlertSink sink = new RecordingAlertSink();
      Thread deliverer = new Thread(() -> {
        sink.deliver(event(1));
        sink.deliver(event(2));
      });
      deliverer.start();
      List<AlertEvent> two = sink.awaitEvents(e -> true, 2, Duration.ofMinutes(1));
      deliverer.join();
      assertThat(two).containsExactly(event(1), event(2));
      assertThat(sink.awaitEvent(tenant, Sku.of("MUG"), AlertKind.LOW_STOCK, AlertEventType.OPENED)).isEqualTo(event(2));
      assertThat(sink.events(TenantId.of("someone-else"))).isEmpty();
    }

    @Test
    @DisplayName("a delivery that never comes ends the wait with an assertion error naming what did arrive")
    void awaitTimesOut() {
      RecordingAlertSink sink = new RecordingAlertSink();
      sink.deliver(event(1));
      assertThatThrownBy(() -> sink.awaitEvents(e -> e.type() == AlertEventType.RESOLVED, 1, Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class).hasMessageContaining("got 0");
      assertThat(sink.awaitCondition(() -> false, Duration.ofMillis(20))).isFalse();
      assertThat(sink.awaitCondition(() -> true, Duration.ofMillis(20))).isTrue();
    }
  }

  @Nested
  @DisplayName("ConcurrencyHarness.Settings")
  class Settings {
    @Test
    @DisplayName("read CI defaults, soak sizes and single overrides from system properties")
    void fromSystemProperties() {
      String[] keys = {ConcurrencyHarness.Settings.SOAK_PROPERTY, ConcurrencyHarness.Settings.THREADS_PROPERTY,
          ConcurrencyHarness.Settings.OPERATIONS_PROPERTY, ConcurrencyHarness.Settings.SEED_PROPERTY};
      String[] saved = new String[keys.length];
      for (int i = 0; i < keys.length; i++) {
        saved[i] = System.getProperty(keys[i]);
        System.clearProperty(keys[i]);
      }
      try {
        assertThat(ConcurrencyHarness.Settings.fromSystemProperties()).isEqualTo(ConcurrencyHarness.Settings.ciDefaults());
        System.setProperty(ConcurrencyHarness.Settings.SOAK_PROPERTY, "true");
        assertThat(ConcurrencyHarness.Settings.fromSystemProperties()).isEqualTo(ConcurrencyHarness.Settings.soak());
        System.setProperty(ConcurrencyHarness.Settings.THREADS_PROPERTY, "7");
        System.setProperty(ConcurrencyHarness.Settings.SEED_PROPERTY, "99");
        ConcurrencyHarness.Settings s = ConcurrencyHarness.Settings.fromSystemProperties();
        assertThat(s.threads()).isEqualTo(7);
        assertThat(s.seed()).isEqualTo(99);
        assertThat(s.operationsPerThread()).isEqualTo(ConcurrencyHarness.Settings.soak().operationsPerThread());
        System.setProperty(ConcurrencyHarness.Settings.OPERATIONS_PROPERTY, "lots");
        assertThatThrownBy(ConcurrencyHarness.Settings::fromSystemProperties).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(ConcurrencyHarness.Settings.OPERATIONS_PROPERTY);
        assertThatThrownBy(() -> new ConcurrencyHarness.Settings(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
      } finally {
        for (int i = 0; i < keys.length; i++) {
          if (saved[i] == null) {
            System.clearProperty(keys[i]);
          } else {
            System.setProperty(keys[i], saved[i]);
          }
        }
      }
    }
  }
}
