package io.creatorflow.inventory.testkit.tiktok;

import java.util.List;
import java.util.Map;

/**
 * A request the emulator received and what it answered.
 *
 * @param query decoded query parameters
 * @param code the envelope {@code code} answered, or {@code -1} for faults without an envelope
 */
public record EmulatedRequest(
    String method, String path, Map<String, List<String>> query, String body, int httpStatus, long code) {
  public EmulatedRequest {
    query = Map.copyOf(query);
  }

  /** The first value of a query parameter, or {@code null}. */
  public @org.jspecify.annotations.Nullable String queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
