package io.creatorflow.inventory;

/** The life of an order in the engine: reserved, then either fulfilled or cancelled. */
public enum OrderStatus {
  /** Its lines are reserved. */
  RESERVED,
  /** Shipped: reserved and on hand fell. Returns are possible from here. */
  FULFILLED,
  /** Its reservation was released. Final. */
  CANCELLED
}
