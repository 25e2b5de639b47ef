package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one reconciliation found and did.
 *
 * @param complete whether the whole catalog was read (a page that kept failing, a lost lease or a
 *     closing sync end a run early)
 * @param pages catalog pages read
 * @param checked shop SKUs compared
 * @param matched shop SKUs that show what the engine expects
 * @param inTransit shop SKUs that differ while a push of theirs is pending (not drift: the push is on
 *     its way)
 * @param unmapped shop SKUs that map to no engine SKU (not sold through the engine)
 * @param drifts every drifted SKU, with what was done about it
 * @param missingAtShop engine SKUs listed on the channel that the shop's catalog did not contain
 *     (only when {@code complete})
 * @param failures everything that could not be checked or repaired, with the reason
 */
public record ReconcileResult(
    TenantId tenant,
    String channel,
    Instant startedAt,
    Instant finishedAt,
    boolean complete,
    int pages,
    long checked,
    long matched,
    long inTransit,
    long unmapped,
    List<Drift> drifts,
    List<Sku> missingAtShop,
    List<Failure> failures) {

  public ReconcileResult {
    drifts = List.copyOf(drifts);
    missingAtShop = List.copyOf(missingAtShop);
    failures = List.copyOf(failures);
  }

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  /** Drifted SKUs whose repair the shop acknowledged. */
  public long repaired() {
    return drifts.stream().filter(d -> d.repair() == Repair.REPAIRED).count();
  }

  /**
   * One SKU whose shop quantity differs from what the engine expects the shop to show.
   *
   * @param shopProductId the shop's product id
   * @param shopSkuId the shop's SKU id
   * @param shopQuantity what the shop showed
   * @param expectedQuantity what the engine expects it to show ({@link ChannelPolicy} applied to
   *     available), read again right before reporting
   * @param available the engine's available quantity at that read
   * @param repair what was done about it
   * @param repairOutcome the push outcome of the repair, or {@code null} if none was made
   */
  public record Drift(
      Sku sku,
      String shopProductId,
      String shopSkuId,
      long shopQuantity,
      long expectedQuantity,
      long available,
      Repair repair,
      @Nullable PushOutcome repairOutcome) {}

  /** What was done about a drift. */
  public enum Repair {
    /** Reported only ({@link ReconcilePolicy.Mode#REPORT_ONLY}). */
    REPORTED,
    /** The engine's quantity was pushed and the shop acknowledged it. */
    REPAIRED,
    /** The repair push failed; see {@link Drift#repairOutcome()} and {@link ReconcileResult#failures()}. */
    FAILED
  }

  /**
   * Something the run could not do.
   *
   * @param kind what failed
   * @param sku the engine SKU concerned, or {@code null}
   * @param shopSkuId the shop SKU concerned, or {@code null}
   * @param code the shop's code or the exception's class name
   * @param reason a human-readable reason
   */
  public record Failure(Kind kind, @Nullable Sku sku, @Nullable String shopSkuId, String code, String reason) {}

  /** The kinds of failure. */
  public enum Kind {
    /** Reading the engine's catalog failed. */
    ENGINE_READ,
    /** A catalog page could not be read; the run ended there. */
    PAGE,
    /** One SKU could not be compared (its engine level could not be read). */
    SKU,
    /** A repair push failed. */
    REPAIR,
    /** The run was stopped: the lease was lost or sync is closing. */
    STOPPED
  }
}
