package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;

/**
 * The creator account a catalog belongs to. Every SKU, movement, order, alert and query is scoped
 * by tenant; no operation reads or changes another tenant's data.
 *
 * @param value 1 to 64 characters, no surrounding white space, no control characters
 */
public record TenantId(String value) implements Comparable<TenantId> {
  public static final int MAX_LENGTH = 64;

  public TenantId {
    Checks.identifier(value, "tenant", MAX_LENGTH);
  }

  public static TenantId of(String value) {
    return new TenantId(value);
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
