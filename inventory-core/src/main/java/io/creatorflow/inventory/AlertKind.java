package io.creatorflow.inventory;

/** What an alert warns about. A SKU has at most one open alert of each kind. */
public enum AlertKind {
  /** 0 &lt; available &le; the SKU's threshold. */
  LOW_STOCK,
  /** available &le; 0. */
  OUT_OF_STOCK
}
