package io.creatorflow.inventory.sync;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one order poll did.
 *
 * @param from the start of the update-time window polled (inclusive)
 * @param to its end (exclusive)
 * @param pages order pages read
 * @param outcomes how many orders ended in each outcome
 * @param complete whether every page was read; if not, the next poll covers the window again
 * @param failure why the poll stopped early, or {@code null}
 */
public record OrderPollResult(
    Instant from, Instant to, int pages, Map<OrderSyncResult.Outcome, Integer> outcomes, boolean complete,
    @Nullable String failure) {
  public OrderPollResult {
    outcomes = Map.copyOf(outcomes);
  }

  /** Orders seen in all. */
  public int orders() {
    return outcomes.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Orders that ended in {@code outcome}. */
  public int count(OrderSyncResult.Outcome outcome) {
    return outcomes.getOrDefault(outcome, 0);
  }
}
