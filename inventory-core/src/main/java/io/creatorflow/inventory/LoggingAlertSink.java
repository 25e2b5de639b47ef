package io.creatorflow.inventory;

import io.creatorflow.inventory.spi.AlertSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AlertSink} that writes each notification as one log line (SLF4J, logger {@code
 * io.creatorflow.inventory.alerts}): WARN when an alert opens, INFO when it resolves. Never fails.
 * Thread-safe.
 */
public final class LoggingAlertSink implements AlertSink {
  private final Logger log;

  /** Logs to {@code io.creatorflow.inventory.alerts}. */
  public LoggingAlertSink() {
    this(LoggerFactory.getLogger("io.creatorflow.inventory.alerts"));
  }

  /** Logs to the given logger. */
  public LoggingAlertSink(Logger log) {
    this.log = log;
  }

  @Override
  public void deliver(AlertEvent event) {
    Alert a = event.alert();
    if (event.type() == AlertEventType.OPENED) {
      log.warn("{} alert {} opened: tenant={} sku={} available={} threshold={}",
          a.kind(), a.id(), a.tenant(), a.sku(), a.availableAtOpen(), a.threshold());
    } else {
      log.info("{} alert {} resolved: tenant={} sku={} by={}", a.kind(), a.id(), a.tenant(), a.sku(), a.resolvedBy());
    }
  }

  @Override
  public String name() {
    return "log";
  }
}
