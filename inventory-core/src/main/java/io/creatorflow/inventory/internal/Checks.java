package io.creatorflow.inventory.internal;

import io.creatorflow.inventory.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/** Argument checks that throw {@link InvalidRequestException} with a message naming the bad value. */
public final class Checks {
  /** The largest quantity any single request may carry; keeps all arithmetic far from overflow. */
  public static final long MAX_QUANTITY = 1_000_000_000L;

  private Checks() {}

  public static <T> T notNull(@Nullable T value, String name) {
    if (value == null) {
      throw new InvalidRequestException(name + " must not be null");
    }
    return value;
  }

  /**
   * Checks an identifier: 1..maxLength characters, no leading or trailing white space, no control
   * characters.
   */
  public static String identifier(@Nullable String value, String name, int maxLength) {
    notNull(value, name);
    if (value.isEmpty()) {
      throw new InvalidRequestException(name + " must not be empty");
    }
    if (value.length() > maxLength) {
      throw new InvalidRequestException(
          name + " must be at most " + maxLength + " characters, was " + value.length());
    }
    if (!value.equals(value.strip())) {
      throw new InvalidRequestException(name + " must not start or end with white space: '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(name + " must not contain control characters");
      }
    }
    return value;
  }

  /**
   * Checks free text such as a reason: null allowed, at most maxLength characters, not blank, no
   * control characters but tab, CR and LF (a NUL cannot be stored by every database).
   */
  public static @Nullable String optionalText(@Nullable String value, String name, int maxLength) {
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(name + " must not be blank; leave it out instead");
    }
    if (value.length() > maxLength) {
      throw new InvalidRequestException(
          name + " must be at most " + maxLength + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        throw new InvalidRequestException(
            name + " must not contain control characters other than tab and line breaks");
      }
    }
    return value;
  }

  public static String requiredText(@Nullable String value, String name, int maxLength) {
    String checked = optionalText(value, name, maxLength);
    if (checked == null) {
      throw new InvalidRequestException(name + " is required");
    }
    return checked;
  }

  /** Checks {@code 1 <= value <= MAX_QUANTITY}. */
  public static long positiveQuantity(long value, String name) {
    if (value <= 0) {
      throw new InvalidRequestException(name + " must be positive, was " + value);
    }
    if (value > MAX_QUANTITY) {
      throw new InvalidRequestException(name + " must be at most " + MAX_QUANTITY + ", was " + value);
    }
    return value;
  }

  /** Checks {@code 0 <= value <= MAX_QUANTITY}. */
  public static long nonNegativeQuantity(long value, String name) {
    if (value < 0) {
      throw new InvalidRequestException(name + " must not be negative, was " + value);
    }
    if (value > MAX_QUANTITY) {
      throw new InvalidRequestException(name + " must be at most " + MAX_QUANTITY + ", was " + value);
    }
    return value;
  }
}
