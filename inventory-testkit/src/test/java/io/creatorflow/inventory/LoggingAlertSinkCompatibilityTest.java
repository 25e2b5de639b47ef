package io.creatorflow.inventory;

import io.creatorflow.inventory.spi.AlertSink;
import io.creatorflow.inventory.testkit.AlertSinkCompatibilityKit;

/**
 * Core's logging sink keeps the sink contract; it cannot be made to fail, so the failure checks are
 * skipped. Lives in the sink's package, as a sink author's test would.
 */
class LoggingAlertSinkCompatibilityTest extends AlertSinkCompatibilityKit {
  @Override
  protected AlertSink createSink() {
    return new LoggingAlertSink();
  }
}
