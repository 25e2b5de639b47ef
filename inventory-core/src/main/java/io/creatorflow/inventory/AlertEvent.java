package io.creatorflow.inventory;

/**
 * What an {@link io.creatorflow.inventory.spi.AlertSink} is asked to deliver: an alert and whether it
 * was opened or resolved. The alert carries its tenant so a sink can notify the right creator.
 */
public record AlertEvent(AlertEventType type, Alert alert) {
  public static AlertEvent opened(Alert alert) {
    return new AlertEvent(AlertEventType.OPENED, alert);
  }

  public static AlertEvent resolved(Alert alert) {
    return new AlertEvent(AlertEventType.RESOLVED, alert);
  }
}
