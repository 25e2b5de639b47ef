package io.creatorflow.inventory.internal;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import org.jspecify.annotations.Nullable;

/** Idempotency key rules. */
public final class Keys {
  /** Keys with this prefix are made by the engine; callers may not use it. */
  public static final String RESERVED_PREFIX = "sys:";

  private Keys() {}

  /** Checks a caller's key; {@code null} stays {@code null}. */
  public static @Nullable String callerKey(@Nullable String key) {
    if (key == null) {
      return null;
    }
    Checks.identifier(key, "idempotency key", IdempotencyClaim.MAX_KEY_LENGTH);
    if (key.startsWith(RESERVED_PREFIX)) {
      throw new InvalidRequestException("idempotency keys starting with '" + RESERVED_PREFIX + "' are reserved");
    }
    return key;
  }

  /** The key a reservation is recorded under when the caller gives none: one per order. */
  public static String orderReservation(OrderId orderId) {
    return RESERVED_PREFIX + "reserve:" + orderId.value();
  }
}
