package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.spi.ShopClient.OrderState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What syncing one shop order (or return) did. Only {@link Outcome#FAILED} is worth retrying; every
 * other outcome is final for the state the shop reported, and a webhook layer acknowledges it.
 *
 * @param shopOrderId the shop's order id
 * @param engineOrderId the engine order it maps to: {@code channel + ":" + shopOrderId}
 * @param shopState the shop's state as fetched, or {@code null} if the order was not fetched
 * @param engineStatus the engine order's status afterwards, or {@code null} if there is none
 * @param unmappedSkuIds the shop SKU ids of lines that map to no engine SKU (left out of the order)
 * @param detail a human-readable explanation
 */
public record OrderSyncResult(
    String channel,
    String shopOrderId,
    @Nullable OrderId engineOrderId,
    @Nullable OrderState shopState,
    Outcome outcome,
    @Nullable OrderStatus engineStatus,
    List<String> unmappedSkuIds,
    String detail) {

  public OrderSyncResult {
    unmappedSkuIds = List.copyOf(unmappedSkuIds);
  }

  /** What happened. */
  public enum Outcome {
    /** The order's lines were reserved now. */
    RESERVED,
    /** The order was fulfilled now (reserved first if it had not been). */
    FULFILLED,
    /** The order's reservation was released now. */
    CANCELLED,
    /** A completed return was recorded now (and restocked if configured). */
    RETURNED,
    /** The engine order is in that state (or later) already: a duplicate or a replay. */
    NO_CHANGE,
    /** The shop order is not paid yet (or on hold): nothing to do until it is. */
    NOT_PAID,
    /** The shop reported a state this SDK does not know; nothing was changed. */
    UNKNOWN_STATE,
    /** Older than a state applied before (out-of-order delivery); nothing was changed. */
    STALE,
    /** No line of the order maps to an engine SKU on this channel; nothing was changed. */
    UNMAPPED,
    /** The engine has too little available stock for the order: the shop oversold. Nothing was reserved. */
    OVERSOLD,
    /** The shop and the engine disagree in a way sync does not resolve (see detail); nothing was changed. */
    CONFLICT,
    /** The order (or return) cannot be represented in the engine (see detail); nothing was changed. */
    INVALID,
    /** The shop does not know the order. */
    NOT_FOUND,
    /** The shop or the store failed; nothing was changed. Try again later. */
    FAILED,
    /** Returns are configured to be ignored. */
    IGNORED
  }

  /** Whether trying again later may help (the shop or the store failed). */
  public boolean retryable() {
    return outcome == Outcome.FAILED;
  }

  /** Whether this call changed engine stock. */
  public boolean applied() {
    return outcome == Outcome.RESERVED || outcome == Outcome.FULFILLED || outcome == Outcome.CANCELLED
        || outcome == Outcome.RETURNED;
  }
}
