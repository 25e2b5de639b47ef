package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * An {@link AlertSink} that records what it is given, for tests. It can be told to fail the next
 * deliveries (to exercise retries and the redelivery sweep), and tests can wait for deliveries
 * without sleeping: {@link #awaitEvents} wakes up as soon as the awaited delivery arrives.
 *
 * <p>Thread-safe: the engine delivers on executor threads while a test reads.
 */
public final class RecordingAlertSink implements AlertSink {
  /** How long the {@code await} methods wait when no timeout is given: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<AlertEvent> accepted = new ArrayList<>();
  private final List<AlertEvent> refused = new ArrayList<>();
  private int failuresToInject;
  private final String name;

  /** A sink named {@code "recording"} that accepts everything. */
  public RecordingAlertSink() {
    this("recording");
  }

  /** A sink with the given {@link #name()}, which accepts everything. */
  public RecordingAlertSink(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Makes the next {@code count} deliveries throw an {@link IllegalStateException} (0 stops
   * failing). Failed deliveries are counted in {@link #failures()} and not recorded as accepted.
   *
   * @return this sink
   */
  public RecordingAlertSink failNext(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    lock.lock();
    try {
      failuresToInject = count;
    } finally {
      lock.unlock();
    }
    return this;
  }

  @Override
  public void deliver(AlertEvent event) {
    Objects.requireNonNull(event, "event");
    lock.lock();
    try {
      if (failuresToInject > 0) {
        failuresToInject--;
        refused.add(event);
        changed.signalAll();
        throw new IllegalStateException("RecordingAlertSink told to fail: " + event.type() + " of alert "
            + event.alert().id());
      }
      accepted.add(event);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Every accepted delivery so far, in the order they arrived. */
  public List<AlertEvent> events() {
    lock.lock();
    try {
      return List.copyOf(accepted);
    } finally {
      lock.unlock();
    }
  }

  /** Accepted deliveries for one tenant, in the order they arrived. */
  public List<AlertEvent> events(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return matching(e -> e.alert().tenant().equals(tenant));
  }

  /** Accepted deliveries that match {@code filter}, in the order they arrived. */
  public List<AlertEvent> matching(Predicate<? super AlertEvent> filter) {
    Objects.requireNonNull(filter, "filter");
    return events().stream().filter(filter::test).toList();
  }

  /** How many deliveries were refused because of {@link #failNext}. */
  public int failures() {
    lock.lock();
    try {
      return refused.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many deliveries were attempted: accepted plus refused. */
  public int attempts() {
    lock.lock();
    try {
      return accepted.size() + refused.size();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every recorded delivery and stops failing. */
  public void clear() {
    lock.lock();
    try {
      accepted.clear();
      refused.clear();
      failuresToInject = 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until at least {@code count} accepted deliveries match {@code filter}, up to {@code
   * timeout}, and returns all of them.
   *
   * @throws AssertionError if they did not arrive in time (with what did arrive)
   */
  public List<AlertEvent> awaitEvents(Predicate<? super AlertEvent> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        List<AlertEvent> matches = accepted.stream().filter(filter::test).toList();
        if (matches.size() >= count) {
          return matches;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected at least " + count + " matching alert deliveries within "
              + timeout + " but got " + matches.size() + "; accepted: " + accepted + "; refused: " + refused.size());
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting alert deliveries", e);
    } finally {
      lock.unlock();
    }
  }

  /** {@link #awaitEvents(Predicate, int, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public List<AlertEvent> awaitEvents(Predicate<? super AlertEvent> filter, int count) {
    return awaitEvents(filter, count, DEFAULT_TIMEOUT);
  }

  /** Waits for at least {@code count} accepted deliveries of any kind. */
  public List<AlertEvent> awaitEvents(int count) {
    return awaitEvents(e -> true, count, DEFAULT_TIMEOUT);
  }

  /** Waits for one accepted delivery of this type for this tenant, SKU and kind, and returns it. */
  public AlertEvent awaitEvent(TenantId tenant, Sku sku, AlertKind kind, AlertEventType type) {
    List<AlertEvent> found = awaitEvents(of(tenant, sku, kind, type), 1, DEFAULT_TIMEOUT);
    return found.get(found.size() - 1);
  }

  /**
   * Waits until at least {@code count} deliveries were refused because of {@link #failNext}.
   *
   * @throws AssertionError if they did not happen in time
   */
  public void awaitFailures(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (refused.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " refused deliveries within " + timeout
              + " but got " + refused.size());
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting refused deliveries", e);
    } finally {
      lock.unlock();
    }
  }

  /** A filter for deliveries of this type for this tenant, SKU and kind. */
  public static Predicate<AlertEvent> of(TenantId tenant, Sku sku, AlertKind kind, AlertEventType type) {
    return e -> e.type() == type && e.alert().kind() == kind && e.alert().tenant().equals(tenant)
        && e.alert().sku().equals(sku);
  }

  /**
   * Waits up to {@code timeout} for {@code condition} to hold, checking after every delivery or
   * refusal (and at least every 50 ms, for conditions that depend on the store).
   *
   * @return whether it held in time
   */
  public boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "RecordingAlertSink{name=" + name + ", accepted=" + accepted.size() + ", refused=" + refused.size() + "}";
    } finally {
      lock.unlock();
    }
  }
}
