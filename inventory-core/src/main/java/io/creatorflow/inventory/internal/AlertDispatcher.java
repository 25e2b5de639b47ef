package io.creatorflow.inventory.internal;

import io.creatorflow.inventory.AlertDeliveryPolicy;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.spi.AlertSink;
import io.creatorflow.inventory.spi.StockStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert notifications to the sinks on the host's executor after the change that raised
 * them has committed, retrying failed sinks with backoff, and records the delivery state in the
 * store. Never throws to its caller and never runs a sink on the caller's thread. Thread-safe.
 */
public final class AlertDispatcher {
  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

  private final List<AlertSink> sinks;
  private final @Nullable ScheduledExecutorService executor;
  private final StockStore store;
  private final AlertDeliveryPolicy policy;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  public AlertDispatcher(
      List<AlertSink> sinks, @Nullable ScheduledExecutorService executor, StockStore store, AlertDeliveryPolicy policy) {
    if (!sinks.isEmpty() && executor == null) {
      throw new IllegalArgumentException("sinks need an executor");
    }
    this.sinks = List.copyOf(sinks);
    this.executor = executor;
    this.store = store;
    this.policy = policy;
  }

  /** Queues the events for delivery; returns at once. */
  public void dispatch(List<AlertEvent> events) {
    for (AlertEvent event : events) {
      if (sinks.isEmpty()) {
        record(event, DeliveryState.DELIVERED, 0);
      } else if (!closed) {
        inFlight.incrementAndGet();
        submit(() -> attempt(event, sinks, 1), 0);
      }
    }
  }

  private void submit(Runnable task, long delayMillis) {
    try {
      if (delayMillis == 0) {
        executor.execute(task);
      } else {
        executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      log.warn("alert executor refused a delivery; it stays pending for the redelivery sweep: {}", e.toString());
    }
  }

  private void attempt(AlertEvent event, List<AlertSink> targets, int attempt) {
    List<AlertSink> failedSinks = new ArrayList<>(0);
    for (AlertSink sink : targets) {
      try {
        sink.deliver(event);
      } catch (Exception | LinkageError e) {
        failedSinks.add(sink);
        log.warn("alert sink '{}' failed to deliver {} of alert {} (attempt {} of {}): {}",
            sink.name(), event.type(), event.alert().id(), attempt, policy.maxAttempts(), e.toString());
      }
    }
    if (failedSinks.isEmpty()) {
      delivered.incrementAndGet();
      finish(event, DeliveryState.DELIVERED, attempt);
    } else if (attempt >= policy.maxAttempts() || closed) {
      failed.incrementAndGet();
      log.error("giving up on {} of alert {} after {} attempts; failing sinks: {}", event.type(),
          event.alert().id(), attempt, failedSinks.stream().map(AlertSink::name).toList());
      finish(event, closed ? DeliveryState.PENDING : DeliveryState.FAILED, attempt);
    } else {
      record(event, DeliveryState.PENDING, attempt);
      List<AlertSink> retry = List.copyOf(failedSinks);
      submit(() -> attempt(event, retry, attempt + 1), policy.backoffAfter(attempt).toMillis());
    }
  }

  private void finish(AlertEvent event, DeliveryState state, int attempts) {
    try {
      record(event, state, attempts);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void record(AlertEvent event, DeliveryState state, int attempts) {
    try {
      store.recordDelivery(event.alert().tenant(), event.alert().id(), event.type(), state, attempts);
    } catch (RuntimeException e) {
      log.warn("could not record delivery state {} of alert {}: {}", state, event.alert().id(), e.toString());
    }
  }

  /** Notifications queued or being retried right now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Notifications every sink accepted since start. */
  public long deliveredCount() {
    return delivered.get();
  }

  /** Notifications given up on since start. */
  public long failedCount() {
    return failed.get();
  }

  public boolean hasSinks() {
    return !sinks.isEmpty();
  }

  /** Stops queueing new deliveries; running ones finish, retries are left pending for the sweep. */
  public void close() {
    closed = true;
  }
}
