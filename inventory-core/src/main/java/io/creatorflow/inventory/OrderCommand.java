package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.internal.Keys;
import org.jspecify.annotations.Nullable;

/**
 * Fulfils or cancels a reserved order as a whole.
 *
 * @param reason why, or {@code null}
 * @param idempotencyKey applies the command at most once per tenant and key, or {@code null}; without
 *     a key, repeating a fulfil or cancel is a {@link ConflictException} ({@code ORDER_STATE})
 */
public record OrderCommand(
    TenantId tenant, OrderId orderId, @Nullable String reason, @Nullable String actor, @Nullable String idempotencyKey) {

  public OrderCommand {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(orderId, "order id");
    Checks.optionalText(reason, "reason", Adjustment.MAX_TEXT);
    Checks.optionalText(actor, "actor", Adjustment.MAX_TEXT);
    Keys.callerKey(idempotencyKey);
  }

  public static OrderCommand of(TenantId tenant, OrderId orderId) {
    return new OrderCommand(tenant, orderId, null, null, null);
  }

  public OrderCommand withReason(@Nullable String reason) {
    return new OrderCommand(tenant, orderId, reason, actor, idempotencyKey);
  }

  public OrderCommand withActor(@Nullable String actor) {
    return new OrderCommand(tenant, orderId, reason, actor, idempotencyKey);
  }

  public OrderCommand withIdempotencyKey(@Nullable String key) {
    return new OrderCommand(tenant, orderId, reason, actor, key);
  }
}
