package io.creatorflow.inventory.sync.micrometer;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.InventoryListener;
import io.creatorflow.inventory.spi.AlertSink;
import io.creatorflow.inventory.sync.OrderSyncResult;
import io.creatorflow.inventory.sync.PushOutcome;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.SyncListener;
import io.creatorflow.inventory.sync.SyncStats;
import io.creatorflow.inventory.sync.WebhookOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters for one {@link ShopSync} and its engine's alerts. Every meter is tagged {@code
 * tenant} and {@code channel} (plus any extra tags given).
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code inventory.sync.push.latency}</td><td>timer</td><td></td><td>first change to shop acknowledgement</td></tr>
 *   <tr><td>{@code inventory.sync.push}</td><td>counter</td><td>{@code result}</td><td>push outcomes:
 *       accepted, retrying, rejected, gave_up, dropped</td></tr>
 *   <tr><td>{@code inventory.sync.push.queue}</td><td>gauge</td><td></td><td>SKUs with a push waiting or in flight</td></tr>
 *   <tr><td>{@code inventory.sync.push.oldest}</td><td>time gauge</td><td></td><td>age of the oldest pending change</td></tr>
 *   <tr><td>{@code inventory.sync.reconcile.duration}</td><td>timer</td><td>{@code complete}</td><td>reconciliation runs</td></tr>
 *   <tr><td>{@code inventory.sync.reconcile.drift}</td><td>summary</td><td></td><td>drifted SKUs per run</td></tr>
 *   <tr><td>{@code inventory.sync.reconcile.failures}</td><td>counter</td><td></td><td>failures reported by runs</td></tr>
 *   <tr><td>{@code inventory.sync.orders}</td><td>counter</td><td>{@code outcome}</td><td>order sync outcomes</td></tr>
 *   <tr><td>{@code inventory.sync.webhooks}</td><td>counter</td><td>{@code outcome}</td><td>webhook deliveries
 *       (accepted, duplicate, ignored, rejected, failed)</td></tr>
 *   <tr><td>{@code inventory.sync.shop.failures}</td><td>gauge</td><td></td><td>shop calls failed in a row</td></tr>
 *   <tr><td>{@code inventory.alerts}</td><td>counter</td><td>{@code event}, {@code kind}</td><td>alerts opened and
 *       resolved</td></tr>
 *   <tr><td>{@code inventory.alerts.delivery}</td><td>counter</td><td>{@code sink}, {@code result}</td><td>deliveries
 *       through {@link #countingAlertSink} (delivered, failed attempts)</td></tr>
 * </table>
 *
 * <p>This class (and this package) is the only part of {@code inventory-core} that touches
 * Micrometer. Thread-safe.
 */
public final class MicrometerSyncMetrics implements SyncListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicrometerSyncMetrics.class);

  private final MeterRegistry registry;
  private final String tenant;
  private final Tags tags;
  private final Timer pushLatency;
  private final Map<PushOutcome.Status, Counter> pushes = new EnumMap<>(PushOutcome.Status.class);
  private final Map<WebhookOutcome, Counter> webhooks = new EnumMap<>(WebhookOutcome.class);
  private final Map<OrderSyncResult.Outcome, Counter> orders = new EnumMap<>(OrderSyncResult.Outcome.class);
  private final DistributionSummary drift;
  private final Counter reconcileFailures;
  private final List<Meter> meters = new ArrayList<>();
  private final List<AutoCloseable> registrations = new ArrayList<>();

  private MicrometerSyncMetrics(ShopSync sync, MeterRegistry registry, Iterable<Tag> extraTags) {
    this.registry = registry;
    this.tenant = sync.tenant().value();
    this.tags = Tags.of("tenant", sync.tenant().value(), "channel", sync.channel()).and(extraTags);
    this.pushLatency = keep(Timer.builder("inventory.sync.push.latency")
        .description("From a SKU's first unpublished change to the shop's acknowledgement").tags(tags)
        .register(registry));
    for (PushOutcome.Status s : PushOutcome.Status.values()) {
      if (s != PushOutcome.Status.UNCHANGED && s != PushOutcome.Status.NOT_LISTED) {
        pushes.put(s, keep(Counter.builder("inventory.sync.push").description("Quantity push outcomes").tags(tags)
            .tag("result", s.name().toLowerCase(Locale.ROOT)).register(registry)));
      }
    }
    for (WebhookOutcome o : WebhookOutcome.values()) {
      webhooks.put(o, keep(Counter.builder("inventory.sync.webhooks").description("Webhook deliveries").tags(tags)
          .tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry)));
    }
    for (OrderSyncResult.Outcome o : OrderSyncResult.Outcome.values()) {
      orders.put(o, keep(Counter.builder("inventory.sync.orders").description("Order sync outcomes").tags(tags)
          .tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry)));
    }
    this.drift = keep(DistributionSummary.builder("inventory.sync.reconcile.drift")
        .description("Drifted SKUs found per reconciliation").tags(tags).register(registry));
    this.reconcileFailures = keep(Counter.builder("inventory.sync.reconcile.failures")
        .description("Failures reported by reconciliations").tags(tags).register(registry));
    keep(Gauge.builder("inventory.sync.push.queue", sync, s -> s.stats().queueDepth())
        .description("SKUs with a push waiting or in flight").tags(tags).register(registry));
    keep(TimeGauge.builder("inventory.sync.push.oldest", sync, TimeUnit.MILLISECONDS, s -> oldestMillis(s))
        .description("Age of the oldest change not yet acknowledged by the shop").tags(tags).register(registry));
    keep(Gauge.builder("inventory.sync.shop.failures", sync, s -> s.stats().shopConsecutiveFailures())
        .description("Shop calls failed in a row").tags(tags).register(registry));
  }

  /**
   * Registers the meters of {@code sync} and starts counting its events and its engine's alerts.
   *
   * @return closing it stops counting and removes the meters
   */
  public static MicrometerSyncMetrics bind(ShopSync sync, MeterRegistry registry) {
    return bind(sync, registry, Tags.empty());
  }

  /** As {@link #bind(ShopSync, MeterRegistry)}, with extra tags on every meter. */
  public static MicrometerSyncMetrics bind(ShopSync sync, MeterRegistry registry, Iterable<Tag> extraTags) {
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(extraTags, "extraTags");
    MicrometerSyncMetrics metrics = new MicrometerSyncMetrics(sync, registry, extraTags);
    metrics.registrations.add(sync.addListener(metrics));
    metrics.registrations.add(sync.engine().addListener(metrics.new AlertCounter()));
    return metrics;
  }

  /**
   * Wraps an alert sink so that its deliveries are counted as {@code inventory.alerts.delivery} with
   * {@code result} {@code delivered} or {@code failed} (each failed attempt; the engine retries).
   * Register the returned sink with the engine instead of {@code delegate}.
   */
  public static AlertSink countingAlertSink(AlertSink delegate, MeterRegistry registry) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(registry, "registry");
    Counter delivered = Counter.builder("inventory.alerts.delivery").tag("sink", delegate.name())
        .tag("result", "delivered").register(registry);
    Counter failed = Counter.builder("inventory.alerts.delivery").tag("sink", delegate.name())
        .tag("result", "failed").register(registry);
    return new AlertSink() {
      @Override
      public void deliver(AlertEvent event) throws Exception {
        try {
          delegate.deliver(event);
        } catch (Exception | LinkageError e) {
          failed.increment();
          throw e;
        }
        delivered.increment();
      }

      @Override
      public String name() {
        return delegate.name();
      }
    };
  }

  private static double oldestMillis(ShopSync sync) {
    SyncStats s = sync.stats();
    Instant oldest = s.oldestPendingSince();
    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, sync.engine().clock().instant()).toMillis());
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  @Override
  public void onPushAccepted(PushOutcome outcome) {
    pushLatency.record(outcome.latency());
    pushes.get(PushOutcome.Status.ACCEPTED).increment();
  }

  @Override
  public void onPushFailed(PushOutcome outcome) {
    Counter c = pushes.get(outcome.status());
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void onOrderSynced(OrderSyncResult result) {
    orders.get(result.outcome()).increment();
  }

  @Override
  public void onReconcileFinished(ReconcileResult result) {
    Timer.builder("inventory.sync.reconcile.duration").description("Reconciliation runs").tags(tags)
        .tag("complete", Boolean.toString(result.complete())).register(registry).record(result.duration());
    drift.record(result.drifts().size());
    reconcileFailures.increment(result.failures().size());
  }

  @Override
  public void onWebhook(WebhookOutcome outcome) {
    webhooks.get(outcome).increment();
  }

  /** Counts alert events of the sync's tenant. */
  private final class AlertCounter implements InventoryListener {
    private final Map<AlertEventType, Map<AlertKind, Counter>> counters = new EnumMap<>(AlertEventType.class);

    AlertCounter() {
      for (AlertEventType type : AlertEventType.values()) {
        Map<AlertKind, Counter> byKind = new EnumMap<>(AlertKind.class);
        for (AlertKind kind : AlertKind.values()) {
          byKind.put(kind, keep(Counter.builder("inventory.alerts").description("Alerts opened and resolved").tags(tags)
              .tag("event", type.name().toLowerCase(Locale.ROOT)).tag("kind", kind.name().toLowerCase(Locale.ROOT))
              .register(registry)));
        }
        counters.put(type, byKind);
      }
    }

    @Override
    public void onAlerts(List<AlertEvent> events) {
      for (AlertEvent e : events) {
        if (e.alert().tenant().value().equals(tenant)) {
          counters.get(e.type()).get(e.alert().kind()).increment();
        }
      }
    }
  }

  /** Stops counting and removes every meter this binding registered. */
  @Override
  public void close() {
    for (AutoCloseable r : registrations) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("could not remove a metrics listener: {}", e.toString());
      }
    }
    registrations.clear();
    for (Meter m : meters) {
      registry.remove(m);
    }
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().equals("inventory.sync.reconcile.duration")
            && m.getId().getTags().containsAll(tags.stream().toList()))
        .toList().forEach(registry::remove);
    meters.clear();
  }
}
