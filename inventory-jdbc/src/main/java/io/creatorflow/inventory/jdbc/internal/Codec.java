package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Sku;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How values are written to columns: times, order lines, search text. */
public final class Codec {
  /** The escape character of every LIKE pattern the store builds ({@code ESCAPE '!'}). */
  public static final char LIKE_ESCAPE = '!';

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Codec() {}

  /**
   * An instant as epoch nanoseconds, the representation of every time column: exact for any
   * instant between the years 1677 and 2262.
   *
   * @throws InvalidRequestException for instants outside that range
   */
  public static long nanos(Instant instant) {
    long seconds = instant.getEpochSecond();
    long nanos = instant.getNano();
    if (seconds < 0 && nanos > 0) {
      // As Instant.toEpochMilli does: keeps the product in range down to Long.MIN_VALUE itself.
      seconds++;
      nanos -= NANOS_PER_SECOND;
    }
    try {
      return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), nanos);
    } catch (ArithmeticException e) {
      throw new InvalidRequestException("instant " + instant + " is outside the range the JDBC store can record"
          + " (years 1677 to 2262)");
    }
  }

  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  /**
   * Order lines as text: {@code sku TAB quantity} per line, lines joined by newlines. SKUs never
   * contain control characters, so the encoding is unambiguous.
   */
  public static String encodeLines(List<OrderLine> lines) {
    StringBuilder text = new StringBuilder(lines.size() * 24);
    for (OrderLine line : lines) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(line.sku().value()).append('\t').append(line.quantity());
    }
    return text.toString();
  }

  /** The inverse of {@link #encodeLines}. */
  public static List<OrderLine> decodeLines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<OrderLine> lines = new ArrayList<>();
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      int tab = text.indexOf('\t', start);
      if (tab < 0 || tab > end) {
        throw new IllegalStateException("malformed order lines column: " + text);
      }
      lines.add(new OrderLine(Sku.of(text.substring(start, tab)), Long.parseLong(text.substring(tab + 1, end))));
      start = end + 1;
    }
    return List.copyOf(lines);
  }

  /** The search form of a name or SKU: {@code toLowerCase(Locale.ROOT)}, as CatalogQuery.matchesText. */
  public static String searchForm(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  /**
   * A LIKE pattern (with {@code ESCAPE '!'}) that matches any search form containing {@code text}:
   * {@code %}, {@code _} and {@code !} in the text match only themselves.
   */
  public static String containsPattern(String text) {
    String needle = searchForm(text);
    StringBuilder pattern = new StringBuilder(needle.length() + 8).append('%');
    for (int i = 0; i < needle.length(); i++) {
      char c = needle.charAt(i);
      if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
        pattern.append(LIKE_ESCAPE);
      }
      pattern.append(c);
    }
    return pattern.append('%').toString();
  }
}
