package io.creatorflow.inventory.redis.internal;

import org.jspecify.annotations.Nullable;

/**
 * Appends JSON literals to a builder, for the record fragments the JVM hands to the scripts. Strings
 * are escaped per RFC 8259; unpaired surrogates are written as {@code \\uXXXX} escapes so that they
 * survive the trip through UTF-8 and Jackson restores them exactly.
 *
 * <p>Thread-safe (stateless).
 */
public final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  public static StringBuilder string(StringBuilder out, @Nullable String s) {
    if (s == null) {
      return out.append("null");
    }
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        unicode(out, c);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        unicode(out, c);
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  private static void unicode(StringBuilder out, char c) {
    out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
