package io.creatorflow.inventory.testkit.tiktok;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Random faults and latency of the emulator: each API request draws from the emulator's seeded
 * {@link java.util.Random}, so a run is repeatable when requests arrive in the same order. Token
 * endpoints are never faulted. Immutable.
 *
 * @param rates the probability of each fault per request; together at most 1
 * @param latency a fixed delay before every answer (a real wait: keep it to milliseconds in tests)
 */
public record Faults(Map<Fault, Double> rates, Duration latency) {
  /** No faults, no latency. */
  public static final Faults NONE = new Faults(Map.of(), Duration.ZERO);

  public Faults {
    Objects.requireNonNull(latency, "latency");
    EnumMap<Fault, Double> copy = new EnumMap<>(Fault.class);
    double sum = 0;
    for (Map.Entry<Fault, Double> e : rates.entrySet()) {
      double r = e.getValue();
      if (r < 0 || r > 1 || Double.isNaN(r)) {
        throw new IllegalArgumentException("rate of " + e.getKey() + " must be in [0, 1], was " + r);
      }
      sum += r;
      copy.put(e.getKey(), r);
    }
    if (sum > 1.0000001) {
      throw new IllegalArgumentException("fault rates must add up to at most 1, were " + sum);
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, was " + latency);
    }
    rates = Map.copyOf(copy);
  }

  /** A builder starting from no faults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The fault a uniform draw in {@code [0, 1)} selects, or {@code null} for none. */
  @org.jspecify.annotations.Nullable
  Fault pick(double draw) {
    double acc = 0;
    for (Fault f : Fault.values()) {
      Double r = rates.get(f);
      if (r != null) {
        acc += r;
        if (draw < acc) {
          return f;
        }
      }
    }
    return null;
  }

  /** Builds {@link Faults}. */
  public static final class Builder {
    private final EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
    private Duration latency = Duration.ZERO;

    private Builder() {}

    /** The probability of {@code fault} per request. */
    public Builder rate(Fault fault, double rate) {
      rates.put(Objects.requireNonNull(fault, "fault"), rate);
      return this;
    }

    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    public Faults build() {
      return new Faults(rates, latency);
    }
  }
}
