package io.creatorflow.inventory.tiktok.webhook;

import io.creatorflow.inventory.spi.ShopClient.OrderState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A verified TikTok Shop notification. The inventory-relevant types have their own record; every
 * other type is an {@link UnknownEvent}, which is acknowledged and ignored, never an error. Ids are
 * strings even when TikTok sends them as JSON numbers (which may exceed 2^53). Order notifications
 * carry no line items: fetch the order to learn its SKUs.
 */
public sealed interface TikTokWebhookEvent {
  /** {@code ORDER_STATUS_CHANGE}. */
  int ORDER_STATUS_CHANGE = 1;
  /** {@code PRODUCT_STATUS_CHANGE}. */
  int PRODUCT_STATUS_CHANGE = 5;
  /** {@code CANCELLATION_STATUS_CHANGE}. */
  int CANCELLATION_STATUS_CHANGE = 11;
  /** {@code RETURN_STATUS_CHANGE}. */
  int RETURN_STATUS_CHANGE = 12;
  /** Inventory status change: low-stock and out-of-stock alerts, with quantities. */
  int INVENTORY_STATUS_CHANGE = 27;

  /** The common fields. */
  WebhookEnvelope envelope();

  /**
   * Type 1: an order changed status. {@code CANCEL} (the webhook's spelling) and {@code CANCELLED}
   * (the order API's) both map to {@link OrderState#CANCELLED}.
   *
   * @param rawStatus as sent, such as {@code AWAITING_SHIPMENT}
   */
  record OrderStatusChanged(
      WebhookEnvelope envelope, String orderId, String rawStatus, OrderState state, @Nullable Instant updateTime,
      boolean onHoldOrder) implements TikTokWebhookEvent {}

  /** Type 11: a cancellation (request) changed status, such as {@code CANCELLATION_REQUEST_COMPLETE}. */
  record CancellationStatusChanged(
      WebhookEnvelope envelope, String orderId, @Nullable String cancelId, @Nullable String cancelStatus,
      @Nullable String role, @Nullable Instant updateTime) implements TikTokWebhookEvent {}

  /** Type 12: a return or refund changed status, such as {@code RETURN_OR_REFUND_REQUEST_COMPLETE}. */
  record ReturnStatusChanged(
      WebhookEnvelope envelope, String orderId, @Nullable String returnId, @Nullable String returnStatus,
      @Nullable String returnType, @Nullable String role, @Nullable Instant updateTime) implements TikTokWebhookEvent {}

  /** Type 5: a product changed status, such as {@code ACTIVATE} or {@code PLATFORM_DEACTIVATED}. */
  record ProductStatusChanged(
      WebhookEnvelope envelope, String productId, @Nullable String status, @Nullable Instant updateTime)
      implements TikTokWebhookEvent {}

  /**
   * Type 27: TikTok's inventory alert ({@code LOW_STOCK}, {@code OUT_OF_STOCK}). Its field names are
   * not in the reference material, so every field is read leniently and may be {@code null}: {@code
   * inventoryStatus} from {@code inventory_status} or {@code status}, {@code quantity} from {@code
   * quantity}, {@code available_quantity} or {@code total_available_quantity}.
   */
  record InventoryStatusChanged(
      WebhookEnvelope envelope, @Nullable String productId, @Nullable String skuId, @Nullable String warehouseId,
      @Nullable String inventoryStatus, @Nullable Long quantity, @Nullable Instant updateTime)
      implements TikTokWebhookEvent {}

  /** Any other type; {@code data} is the notification's {@code data} as JSON text. */
  record UnknownEvent(WebhookEnvelope envelope, String data) implements TikTokWebhookEvent {}
}
