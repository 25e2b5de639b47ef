package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;

/**
 * A stock-keeping unit: the thing that is counted. One stock pool per SKU is shared by every sales
 * channel.
 *
 * @param value 1 to 128 characters, no surrounding white space, no control characters
 */
public record Sku(String value) implements Comparable<Sku> {
  public static final int MAX_LENGTH = 128;

  public Sku {
    Checks.identifier(value, "sku", MAX_LENGTH);
  }

  public static Sku of(String value) {
    return new Sku(value);
  }

  @Override
  public int compareTo(Sku other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
