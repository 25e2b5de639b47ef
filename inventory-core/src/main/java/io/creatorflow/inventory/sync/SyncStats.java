package io.creatorflow.inventory.sync;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one {@link ShopSync}'s counters, for health checks, gauges and tests. Counters start
 * at 0 when the sync is built.
 *
 * @param queueDepth SKUs with a push waiting or in flight
 * @param inFlight SKUs whose push is being sent right now
 * @param oldestPendingSince the first unpublished change of the longest-waiting SKU, or {@code null}
 * @param pushesAccepted quantities the shop acknowledged
 * @param pushAttemptsFailed push attempts that failed (retried or not)
 * @param pushesFailed pushes that failed for good (rejected, gave up, dropped)
 * @param pushesSkipped pushes left out because the shop had been told the same quantity
 * @param shopLastSuccess when a shop call last succeeded, or {@code null}
 * @param shopLastError the last shop call failure, or {@code null}
 * @param shopLastErrorAt when it happened, or {@code null}
 * @param shopConsecutiveFailures shop calls failed in a row since the last success
 * @param reconcile the periodic reconciliation job
 * @param orderPoll the periodic order poll job
 * @param lastReconcile the last finished reconciliation, or {@code null}
 * @param orders how many order syncs ended in each outcome
 * @param webhooks webhook deliveries recorded per outcome
 */
public record SyncStats(
    int queueDepth,
    int inFlight,
    @Nullable Instant oldestPendingSince,
    long pushesAccepted,
    long pushAttemptsFailed,
    long pushesFailed,
    long pushesSkipped,
    @Nullable Instant shopLastSuccess,
    @Nullable String shopLastError,
    @Nullable Instant shopLastErrorAt,
    int shopConsecutiveFailures,
    JobStats reconcile,
    JobStats orderPoll,
    @Nullable ReconcileResult lastReconcile,
    Map<OrderSyncResult.Outcome, Long> orders,
    Map<WebhookOutcome, Long> webhooks) {

  public SyncStats {
    orders = Map.copyOf(orders);
    webhooks = Map.copyOf(webhooks);
  }

  /**
   * A periodic job's counters.
   *
   * @param runs runs this instance started (periodic and on demand)
   * @param skippedNotLeader periodic ticks skipped because another instance holds the lease
   * @param skippedOverlap periodic ticks skipped because the previous run was still going
   * @param lastRunAt when this instance last started a run, or {@code null}
   */
  public record JobStats(long runs, long skippedNotLeader, long skippedOverlap, @Nullable Instant lastRunAt) {}
}
