package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;

/**
 * The id of an order, unique within a tenant. Shop order ids (for TikTok Shop, numeric strings longer
 * than a {@code long}) are used as they are.
 *
 * @param value 1 to 128 characters, no surrounding white space, no control characters
 */
public record OrderId(String value) {
  public static final int MAX_LENGTH = 128;

  public OrderId {
    Checks.identifier(value, "order id", MAX_LENGTH);
  }

  public static OrderId of(String value) {
    return new OrderId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
