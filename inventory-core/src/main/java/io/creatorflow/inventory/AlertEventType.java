package io.creatorflow.inventory;

/** The notification an alert sink receives. */
public enum AlertEventType {
  /** The alert was opened. */
  OPENED,
  /** The alert was resolved, automatically on restock or by hand. */
  RESOLVED
}
