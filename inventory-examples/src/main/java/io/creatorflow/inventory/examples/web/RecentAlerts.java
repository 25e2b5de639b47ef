package io.creatorflow.inventory.examples.web;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.spi.AlertSink;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link AlertSink} that keeps the latest notifications in memory for the status page. Never
 * fails; redelivered notifications appear again (delivery is at least once). Thread-safe.
 */
public final class RecentAlerts implements AlertSink {
  /** A notification and when it reached this sink. */
  public record Entry(AlertEvent event, Instant receivedAt) {}

  private final int capacity;
  private final Clock clock;
  private final ArrayDeque<Entry> entries;

  /**
   * @param capacity how many notifications to keep, at least 1
   * @param clock stamps {@link Entry#receivedAt()}
   */
  public RecentAlerts(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entries = new ArrayDeque<>(capacity);
  }

  @Override
  public synchronized void deliver(AlertEvent event) {
    if (entries.size() == capacity) {
      entries.removeLast();
    }
    entries.addFirst(new Entry(event, clock.instant()));
  }

  /** The kept notifications, newest first. */
  public synchronized List<Entry> newestFirst() {
    return new ArrayList<>(entries);
  }

  @Override
  public String name() {
    return "status-page";
  }
}
