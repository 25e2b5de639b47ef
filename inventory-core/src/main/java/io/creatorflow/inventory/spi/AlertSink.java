package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.AlertEvent;

/**
 * Where alert notifications go: e-mail, chat, a push service, a log.
 *
 * <p>The engine calls {@link #deliver} after the stock change that raised the alert has committed,
 * on the executor the host gave the engine, never on the thread that changed stock. A sink that
 * throws is retried with backoff; a sink that keeps failing never blocks or undoes stock changes.
 * Delivery is at least once: after a crash the redelivery sweep may deliver a notification again,
 * so a sink that must not repeat itself dedupes on {@code alert().id()} and {@code type()}.
 *
 * <p>Implementations must be thread-safe: notifications of different alerts may be delivered
 * concurrently.
 */
@FunctionalInterface
public interface AlertSink {

  /**
   * Delivers one notification. Return normally when the notification was accepted; throw anything
   * to have it retried.
   */
  void deliver(AlertEvent event) throws Exception;

  /** A short name for logs and delivery reports; the simple class name by default. */
  default String name() {
    return getClass().getSimpleName();
  }
}
