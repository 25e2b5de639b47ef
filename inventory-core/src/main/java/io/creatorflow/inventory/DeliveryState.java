package io.creatorflow.inventory;

/** Where delivery of an alert's latest notification to the alert sinks stands. */
public enum DeliveryState {
  /** Not yet delivered to every sink; the dispatcher (or a redelivery sweep) will try. */
  PENDING,
  /** Every sink accepted it. */
  DELIVERED,
  /** A sink still refused it after the last retry. */
  FAILED
}
