package io.creatorflow.inventory.sync;

/**
 * Hears what sync does, for logs, dashboards and metrics. Register with {@link
 * ShopSync.Builder#listener} or {@link ShopSync#addListener}.
 *
 * <p>Methods are called on the host executor's threads (or the calling thread for synchronous
 * operations). They <b>must be fast and must not block</b>, and they should not throw: an exception
 * is logged and swallowed. They may be called concurrently.
 */
public interface SyncListener {

  /** The shop acknowledged a quantity. */
  default void onPushAccepted(PushOutcome outcome) {}

  /**
   * A push attempt failed: {@link PushOutcome.Status#RETRYING} (another attempt follows), {@code
   * REJECTED}, {@code GAVE_UP} or {@code DROPPED} (final).
   */
  default void onPushFailed(PushOutcome outcome) {}

  /** An order (or return) was synced, whatever the outcome. */
  default void onOrderSynced(OrderSyncResult result) {}

  /** An order poll finished. */
  default void onOrderPollFinished(OrderPollResult result) {}

  /** A reconciliation read another catalog page. */
  default void onReconcileProgress(ReconcileProgress progress) {}

  /** A reconciliation finished, completely or not. */
  default void onReconcileFinished(ReconcileResult result) {}

  /** A webhook layer recorded a delivery through {@link ShopSync#recordWebhook}. */
  default void onWebhook(WebhookOutcome outcome) {}
}
