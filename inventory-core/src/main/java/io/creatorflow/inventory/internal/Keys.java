package io.creatorflow.inventory.internal;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import org.jspecify.annotations.Nullable;

/** Idempotency key rules. */
public final class Keys {
  /** Keys with this prefix are made by the engine; callers may not use it. */
  public static final String RESERVED_PREFIX = "sys:";
  /** The prefix of {@link #orderReservation}: the reserved prefix and {@code reserve:}. */
  public static final String ORDER_RESERVATION_PREFIX = RESERVED_PREFIX + "reserve:";
  /** The prefix of {@link #orderReference}, the ledger reference of order movements. */
  public static final String ORDER_REFERENCE_PREFIX = "order:";

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
    return ORDER_RESERVATION_PREFIX + orderId.value();
  }

  /** The ledger reference of an order's movements: {@code order:<order id>}. */
  public static String orderReference(OrderId orderId) {
    return ORDER_REFERENCE_PREFIX + orderId.value();
  }

  /** Whether {@code text} is {@code prefix} followed by exactly {@code value}, without building it. */
  public static boolean isPrefixed(@Nullable String text, String prefix, String value) {
    return text != null && text.length() == prefix.length() + value.length() && text.startsWith(prefix)
        && text.regionMatches(prefix.length(), value, 0, value.length());
  }
}
