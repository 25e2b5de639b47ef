package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What became of one push attempt of one SKU.
 *
 * @param listing the shop listing pushed to, or {@code null} if the SKU turned out not to be listed on
 *     the channel
 * @param quantity the quantity sent (or that would have been sent), or {@code null} if it was never
 *     read
 * @param code the shop's failure code (or the exception's class name), {@code null} unless failed
 * @param message why it failed, {@code null} unless failed
 * @param attempt which attempt this was, from 1
 * @param latency from the SKU's first change that this push published to this outcome
 */
public record PushOutcome(
    TenantId tenant,
    String channel,
    Sku sku,
    @Nullable ShopListing listing,
    @Nullable Long quantity,
    Status status,
    @Nullable String code,
    @Nullable String message,
    int attempt,
    Duration latency,
    Instant at) {

  /** The kinds of outcome. */
  public enum Status {
    /** The shop acknowledged the quantity. */
    ACCEPTED,
    /** Not sent: the shop was last told the same quantity and acknowledged it. */
    UNCHANGED,
    /** Not sent: the SKU is unknown or not listed on the channel. */
    NOT_LISTED,
    /** This attempt failed retryably; another follows after a backoff. */
    RETRYING,
    /** The shop refused the quantity and says retrying will not help. */
    REJECTED,
    /** Retryable failures used up every attempt. */
    GAVE_UP,
    /** Sync was closed before the push could be sent. */
    DROPPED
  }

  /** Whether nothing more will be tried for this change and the shop does not show it. */
  public boolean failed() {
    return status == Status.REJECTED || status == Status.GAVE_UP || status == Status.DROPPED;
  }
}
