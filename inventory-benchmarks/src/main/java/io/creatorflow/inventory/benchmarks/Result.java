package io.creatorflow.inventory.benchmarks;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One figure of a benchmark run.
 *
 * @param name what was measured, {@code scenario/store/metric}
 * @param value the SDK's figure, {@code null} when the figure was skipped
 * @param unit the unit of {@code value} and {@code baseline}
 * @param baseline the seed-style baseline's figure in the same run, or {@code null}
 * @param ratio how many times better the SDK is than the baseline (for figures where higher is better
 *     {@code value / baseline}, where lower is better {@code baseline / value}), or {@code null}
 * @param note what the figure means or what limits it, or {@code null}
 * @param skipped why the figure was not measured, or {@code null}
 */
public record Result(
    String name,
    @Nullable Double value,
    String unit,
    @Nullable Double baseline,
    @Nullable Double ratio,
    @Nullable String note,
    @Nullable String skipped) {

  public Result {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
  }

  /** A figure without a baseline. */
  public static Result of(String name, double value, String unit, @Nullable String note) {
    return new Result(name, value, unit, null, null, note, null);
  }

  /**
   * A figure with the baseline's, measured in the same run.
   *
   * @param higherIsBetter whether a larger value is better (throughput) or worse (latency, time)
   */
  public static Result compared(
      String name, double value, double baseline, String unit, boolean higherIsBetter, @Nullable String note) {
    Double ratio = null;
    if (higherIsBetter && baseline > 0) {
      ratio = value / baseline;
    } else if (!higherIsBetter && value > 0) {
      ratio = baseline / value;
    }
    return new Result(name, value, unit, baseline, ratio, note, null);
  }

  /** A figure that could not be measured, and why. */
  public static Result skipped(String name, String unit, String reason) {
    return new Result(name, null, unit, null, null, null, reason);
  }
}
