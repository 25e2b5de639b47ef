package io.creatorflow.inventory;

/** The kind of a stock movement in the ledger. */
public enum MovementType {
  /** Stock received or restocked (on hand rises). */
  IN,
  /** Stock shipped (on hand and reserved fall). */
  OUT,
  /** A manual correction of on hand, up or down. */
  ADJUSTMENT,
  /** Stock promised to an order (reserved rises). */
  RESERVE,
  /** A reservation given back (reserved falls). */
  RELEASE,
  /** A correction taken from a shop's snapshot. */
  SYNC
}
