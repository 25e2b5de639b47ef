package io.creatorflow.inventory.tiktok.internal;

import io.creatorflow.inventory.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Where windowed catalog paging stands: the update-time window being paged ({@code [lo, hi]} in Unix
 * seconds, both inclusive, as TikTok's {@code update_time_ge}/{@code update_time_le}), the end of the
 * whole range, the total first reported, and TikTok's page token inside the window ({@code null}
 * before the window's first page). Encoded as an opaque URL-safe token for callers.
 */
public record CatalogCursor(long lo, long hi, long end, long total, @Nullable String pageToken) {
  private static final String PREFIX = "cw1";

  public String encode() {
    String raw = PREFIX + "|" + lo + "|" + hi + "|" + end + "|" + total + "|" + (pageToken == null ? "" : pageToken);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a token made by {@link #encode()}; anything else is an {@link InvalidRequestException}. */
  public static CatalogCursor decode(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\|", 6);
      if (parts.length != 6 || !parts[0].equals(PREFIX)) {
        throw new IllegalArgumentException("not a catalog cursor");
      }
      long lo = Long.parseLong(parts[1]);
      long hi = Long.parseLong(parts[2]);
      long end = Long.parseLong(parts[3]);
      long total = Long.parseLong(parts[4]);
      if (lo < 0 || hi < lo || end < hi) {
        throw new IllegalArgumentException("inconsistent window");
      }
      return new CatalogCursor(lo, hi, end, total, parts[5].isEmpty() ? null : parts[5]);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("pageToken is not a catalog page token this client returned");
    }
  }
}
