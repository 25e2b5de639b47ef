package io.creatorflow.inventory.sync;

import static io.creatorflow.inventory.sync.SyncFixture.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.HealthReport.Status;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertSink;
import io.creatorflow.inventory.sync.micrometer.MicrometerSyncMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Health and metrics")
class HealthAndMetricsTest {
  final SyncFixture f = new SyncFixture();

  @Nested
  @DisplayName("health")
  class Health {
    @Test
    @DisplayName("store, alerts, shop and sync components; the shop is DOWN after failures in a row, UP after a success")
    void shop() {
      f.item("A", "p1", "s1", 5);
      ShopSync sync = f.builder().shopDownAfterFailures(2).build();
      HealthReport report = sync.health();
      assertThat(report.components()).containsKeys("store", "alerts", "shop", "sync");
      assertThat(report.isUp()).isTrue();
      assertThat(report.components().get("shop").detail()).contains("last success never");
      f.shop.failNextOrderCalls(2, new StoreUnavailableException("HTTP 503", null));
      sync.onOrderNotification("1");
      assertThat(sync.health().components().get("shop").status()).isEqualTo(Status.UP);
      sync.onOrderNotification("1");
      HealthReport down = sync.health();
      assertThat(down.isUp()).isFalse();
      assertThat(down.components().get("shop").status()).isEqualTo(Status.DOWN);
      assertThat(down.components().get("shop").detail()).contains("HTTP 503").contains("failures in a row 2");
      sync.onOrderNotification("1");
      assertThat(sync.health().components().get("shop").status()).isEqualTo(Status.UP);
      assertThat(sync.stats().shopLastSuccess()).isEqualTo(f.clock.instant());
    }

    @Test
    @DisplayName("sync is DOWN while a push waits longer than maxPushLag, and after an incomplete reconciliation")
    void sync() {
      Sku a = f.item("A", "p1", "s1", 5);
      ShopSync sync = f.builder().maxPushLag(Duration.ofSeconds(30))
          .pushPolicy(PushPolicy.builder().retry(new RetryPolicy(10, Duration.ofSeconds(20), Duration.ofSeconds(20), 0))
              .build())
          .reconcilePolicy(ReconcilePolicy.builder().noSchedule().retry(RetryPolicy.noRetries()).build()).build();
      sync.start();
      f.shop.refuse("s1", "36009002", true);
      f.adjust(a, -1);
      f.scheduler.advance(Duration.ofSeconds(1));
      HealthReport.Component c = sync.healthComponents().get("sync");
      assertThat(c.status()).isEqualTo(Status.UP);
      assertThat(c.detail()).contains("queue depth 1").contains("oldest pending 1000 ms");
      f.scheduler.advance(Duration.ofSeconds(30));
      assertThat(sync.healthComponents().get("sync").status()).isEqualTo(Status.DOWN);
      f.shop.clearRefusals();
      f.scheduler.advance(Duration.ofSeconds(20));
      assertThat(sync.healthComponents().get("sync").status()).isEqualTo(Status.UP);

      f.shop.failNextCatalogPages(1, new StoreUnavailableException("HTTP 500", null));
      sync.reconcile();
      f.scheduler.runDue();
      HealthReport.Component after = sync.healthComponents().get("sync");
      assertThat(after.status()).isEqualTo(Status.DOWN);
      assertThat(after.detail()).contains("incomplete");
    }
  }

  @Nested
  @DisplayName("Micrometer")
  class Metrics {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    double count(String name, String tag, String value) {
      Counter c = registry.find(name).tag("tenant", T.value()).tag("channel", FakeShop.CHANNEL).tag(tag, value).counter();
      return c == null ? -1 : c.count();
    }

    @Test
    @DisplayName("pushes, latency, queue, orders, webhooks, reconciliations and alerts are metered; close removes them")
    void meters() {
      Sku a = f.engine.register(ItemDefinition.builder(T, Sku.of("A")).name("A").lowStockThreshold(3)
          .listing(ShopListing.of(FakeShop.CHANNEL, "p1", "s1")).build()).sku();
      f.shop.sku("p1", "s1", 0);
      Sku b = f.item("B", "p1", "s2", 10);
      ShopSync sync =
          f.builder().pushPolicy(PushPolicy.builder().coalesceWindow(Duration.ofMillis(200)).build()).build();
      MicrometerSyncMetrics metrics = MicrometerSyncMetrics.bind(sync, registry);
      sync.start();
      f.adjust(a, 10);
      f.shop.refuse("s2", "12052032", false);
      f.adjust(b, -1);
      assertThat(registry.get("inventory.sync.push.queue").gauge().value()).isEqualTo(2);
      f.scheduler.advance(Duration.ofMillis(150));
      assertThat(registry.get("inventory.sync.push.oldest").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(150);
      f.scheduler.advance(Duration.ofMillis(50));
      assertThat(count("inventory.sync.push", "result", "accepted")).isEqualTo(1);
      assertThat(count("inventory.sync.push", "result", "rejected")).isEqualTo(1);
      Timer latency = registry.get("inventory.sync.push.latency").timer();
      assertThat(latency.count()).isEqualTo(1);
      assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
      assertThat(registry.get("inventory.sync.push.queue").gauge().value()).isZero();

      sync.recordWebhook(WebhookOutcome.ACCEPTED);
      sync.recordWebhook(WebhookOutcome.DUPLICATE);
      sync.recordWebhook(WebhookOutcome.DUPLICATE);
      sync.recordWebhook(WebhookOutcome.REJECTED);
      assertThat(count("inventory.sync.webhooks", "outcome", "duplicate")).isEqualTo(2);
      assertThat(count("inventory.sync.webhooks", "outcome", "rejected")).isEqualTo(1);
      assertThat(sync.stats().webhooks()).containsEntry(WebhookOutcome.DUPLICATE, 2L);
      assertThat(f.webhooks).hasSize(4);

      sync.onOrderNotification("nope");
      assertThat(count("inventory.sync.orders", "outcome", "not_found")).isEqualTo(1);

      f.shop.sku("p1", "s1", 99);
      sync.reconcile();
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      Timer reconcile = registry.find("inventory.sync.reconcile.duration").tag("complete", "true").timer();
      assertThat(reconcile).isNotNull();
      assertThat(reconcile.count()).isEqualTo(1);
      DistributionSummary drift = registry.get("inventory.sync.reconcile.drift").summary();
      assertThat(drift.totalAmount()).isEqualTo(2); // s1 shows 99; s2 was never accepted

      f.adjust(a, -8); // 2 left, threshold 3: a low-stock alert opens
      assertThat(registry.find("inventory.alerts").tag("event", "opened").counters().stream()
          .mapToDouble(Counter::count).sum()).isEqualTo(1);
      assertThat(registry.find("inventory.alerts").tag("event", "opened").tag("kind", "low_stock").counter().count())
          .isEqualTo(1);
      assertThat(registry.get("inventory.sync.shop.failures").gauge().value()).isZero();

      metrics.close();
      assertThat(registry.find("inventory.sync.push").counters()).isEmpty();
      assertThat(registry.find("inventory.sync.reconcile.duration").timers()).isEmpty();
      assertThat(registry.find("inventory.alerts").counters()).isEmpty();
      sync.recordWebhook(WebhookOutcome.ACCEPTED);
      assertThat(registry.find("inventory.sync.webhooks").counters()).isEmpty();
    }

    @Test
    @DisplayName("a counting alert sink meters deliveries and failed attempts")
    void alertDeliveries() {
      List<AlertEvent> delivered = new CopyOnWriteArrayList<>();
      AlertSink flaky = new AlertSink() {
        int calls;

        @Override
        public void deliver(AlertEvent event) throws Exception {
          if (calls++ == 0) {
            throw new java.io.IOException("smtp down");
          }
          delivered.add(event);
        }

        @Override
        public String name() {
          return "mail";
        }
      };
      InventoryEngine engine = InventoryEngine.builder().store(new InMemoryStockStore()).clock(f.clock)
          .alertSink(MicrometerSyncMetrics.countingAlertSink(flaky, registry)).alertExecutor(f.scheduler).build();
      Sku a = engine.register(ItemDefinition.builder(T, Sku.of("A")).name("A").build()).sku();
      engine.adjust(io.creatorflow.inventory.Adjustment.of(T, a, 1, "count")); // 1 <= default threshold 5: low stock
      f.scheduler.runUntilIdle(Duration.ofMinutes(5));
      assertThat(delivered).hasSize(1);
      assertThat(registry.get("inventory.alerts.delivery").tag("sink", "mail").tag("result", "delivered").counter()
          .count()).isEqualTo(1);
      assertThat(registry.get("inventory.alerts.delivery").tag("sink", "mail").tag("result", "failed").counter()
          .count()).isEqualTo(1);
    }

    @Test
    @DisplayName("extra tags go on every meter")
    void extraTags() {
      ShopSync sync = f.builder().build();
      MicrometerSyncMetrics.bind(sync, registry, io.micrometer.core.instrument.Tags.of("region", "eu"));
      Gauge queue = registry.find("inventory.sync.push.queue").tag("region", "eu").gauge();
      assertThat(queue).isNotNull();
      assertThat(registry.getMeters()).allMatch(m -> Set.of("eu").contains(m.getId().getTag("region")));
    }
  }
}
