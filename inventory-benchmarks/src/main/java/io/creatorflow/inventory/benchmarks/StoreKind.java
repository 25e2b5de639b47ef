package io.creatorflow.inventory.benchmarks;

import java.util.Locale;

/** The stores the benchmarks measure. */
public enum StoreKind {
  MEMORY("memory"),
  H2("h2"),
  POSTGRESQL("postgresql"),
  MARIADB("mariadb"),
  REDIS("redis");

  private final String label;

  StoreKind(String label) {
    this.label = label;
  }

  /** The name used on the command line and in figure names. */
  public String label() {
    return label;
  }

  /** @throws IllegalArgumentException for an unknown name */
  public static StoreKind parse(String name) {
    for (StoreKind k : values()) {
      if (k.label.equals(name.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown store '" + name + "'; the stores are memory, h2, postgresql, "
        + "mariadb, redis");
  }
}
