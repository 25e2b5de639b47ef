package io.creatorflow.inventory;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A low-stock or out-of-stock alert. Opened and resolved in the same atomic step as the stock change
 * that crossed the threshold; delivered to sinks after that change commits.
 *
 * @param id assigned by the store, unique within the store
 * @param availableAtOpen the available quantity right after the change that opened it
 * @param threshold the threshold in force when it opened (0 for out-of-stock alerts)
 * @param resolvedBy {@code "system"} for automatic resolution, else the actor who resolved it
 * @param notification the latest notification ({@link AlertEventType#OPENED} until resolved)
 * @param delivery where delivery of that notification stands
 * @param deliveryAttempts delivery attempts made for that notification
 */
public record Alert(
    long id,
    TenantId tenant,
    Sku sku,
    AlertKind kind,
    AlertStatus status,
    long availableAtOpen,
    long threshold,
    Instant openedAt,
    @Nullable Instant resolvedAt,
    @Nullable String resolvedBy,
    AlertEventType notification,
    DeliveryState delivery,
    int deliveryAttempts) {

  /** The actor recorded when the engine resolves an alert on restock. */
  public static final String SYSTEM_ACTOR = "system";

  /** A new open alert whose opening notification is pending. */
  public static Alert open(long id, TenantId tenant, Sku sku, AlertKind kind, long available, long threshold, Instant at) {
    return new Alert(id, tenant, sku, kind, AlertStatus.OPEN, available, threshold, at, null, null,
        AlertEventType.OPENED, DeliveryState.PENDING, 0);
  }

  /** This alert resolved, with its resolution notification pending. */
  public Alert resolve(Instant at, String actor) {
    return new Alert(id, tenant, sku, kind, AlertStatus.RESOLVED, availableAtOpen, threshold, openedAt, at,
        actor, AlertEventType.RESOLVED, DeliveryState.PENDING, 0);
  }

  /** This alert with a new delivery state for its latest notification. */
  public Alert withDelivery(DeliveryState state, int attempts) {
    return new Alert(id, tenant, sku, kind, status, availableAtOpen, threshold, openedAt, resolvedAt,
        resolvedBy, notification, state, attempts);
  }

  public boolean isOpen() {
    return status == AlertStatus.OPEN;
  }
}
