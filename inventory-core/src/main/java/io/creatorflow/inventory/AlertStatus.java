package io.creatorflow.inventory;

/** Whether an alert still needs attention. */
public enum AlertStatus {
  OPEN,
  RESOLVED
}
