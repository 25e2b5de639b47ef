package io.creatorflow.inventory;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The engine's health: one entry per component ({@code "store"}, {@code "alerts"}, and later {@code
 * "shop"}, {@code "sync"}). The engine is {@link Status#UP} only if every component is.
 */
public record HealthReport(Status status, Map<String, Component> components, Instant checkedAt) {
  public HealthReport {
    components = Map.copyOf(components);
  }

  /** UP or DOWN. */
  public enum Status {
    UP,
    DOWN
  }

  /**
   * One component's health.
   *
   * @param detail a short human-readable explanation, never containing secrets, or {@code null}
   */
  public record Component(Status status, @Nullable String detail) {
    public static Component up(@Nullable String detail) {
      return new Component(Status.UP, detail);
    }

    public static Component down(String detail) {
      return new Component(Status.DOWN, detail);
    }
  }

  /** A report whose status is DOWN if any component is. */
  public static HealthReport of(Map<String, Component> components, Instant at) {
    boolean up = components.values().stream().allMatch(c -> c.status() == Status.UP);
    return new HealthReport(up ? Status.UP : Status.DOWN, components, at);
  }

  public boolean isUp() {
    return status == Status.UP;
  }
}
