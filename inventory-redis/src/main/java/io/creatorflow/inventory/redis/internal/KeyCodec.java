package io.creatorflow.inventory.redis.internal;

/**
 * Turns any Java string into valid Unicode text that sorts, as UTF-8 bytes, exactly like the original
 * string under {@link String#compareTo} (UTF-16 code unit order), and back.
 *
 * <p>Redis compares sorted-set members and stores key names as bytes, and Lettuce sends strings as
 * UTF-8. Two things go wrong with raw strings: UTF-8 byte order differs from Java's UTF-16 order for
 * characters above U+D7FF (a supplementary character sorts after U+FFFD in UTF-8 but before it in
 * UTF-16), and an unpaired surrogate cannot be encoded at all (it would become {@code ?}). This
 * encoding keeps every code unit below U+D000 as it is (so ASCII, Latin, CJK ideographs and nearly
 * every real identifier are unchanged) and writes each code unit from U+D000 to U+FFFF as two
 * characters: U+E000 + (unit / 256 - 0xD0), then U+0100 + (unit % 256). The first of those sorts
 * after every unchanged character in UTF-8, and the pair sorts like the unit it stands for, so the
 * encoding is injective and order-preserving.
 *
 * <p>Thread-safe (stateless).
 */
public final class KeyCodec {
  private static final char FIRST_ESCAPED = '\uD000';
  private static final char LEAD_BASE = '\uE000';
  private static final char LEAD_LAST = (char) (LEAD_BASE + 0x2F);
  private static final char LOW_BASE = '\u0100';

  private KeyCodec() {}

  /** The encoded form; the same instance when nothing needs escaping. */
  public static String encode(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && s.charAt(i) < FIRST_ESCAPED) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = new StringBuilder(n + 8);
    out.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < FIRST_ESCAPED) {
        out.append(c);
      } else {
        out.append((char) (LEAD_BASE + ((c >>> 8) - 0xD0))).append((char) (LOW_BASE + (c & 0xFF)));
      }
    }
    return out.toString();
  }

  /**
   * The original of an encoded string.
   *
   * @throws IllegalArgumentException if {@code s} is not an encoded string
   */
  public static String decode(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && s.charAt(i) < FIRST_ESCAPED) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = new StringBuilder(n);
    out.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < FIRST_ESCAPED) {
        out.append(c);
      } else if (c >= LEAD_BASE && c <= LEAD_LAST && i + 1 < n) {
        char low = s.charAt(++i);
        int l = low - LOW_BASE;
        if (l < 0 || l > 0xFF) {
          throw new IllegalArgumentException("not an encoded string: bad escape at " + i);
        }
        out.append((char) (((c - LEAD_BASE + 0xD0) << 8) | l));
      } else {
        throw new IllegalArgumentException("not an encoded string: unexpected U+"
            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at " + i);
      }
    }
    return out.toString();
  }
}
