package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;

/**
 * Where a SKU's stock sits (TikTok Shop calls it a warehouse). Most creators have one, so every API
 * defaults to {@link #DEFAULT}; a shop client maps a location to the shop's warehouse id.
 *
 * @param value 1 to 64 characters, no surrounding white space, no control characters
 */
public record Location(String value) {
  public static final int MAX_LENGTH = 64;
  /** The location used when none is given. */
  public static final Location DEFAULT = new Location("default");

  public Location {
    Checks.identifier(value, "location", MAX_LENGTH);
  }

  public static Location of(String value) {
    return new Location(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
