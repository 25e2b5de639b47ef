package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.internal.Keys;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Records goods coming back from a fulfilled order. With {@code restock} the goods return to on hand
 * ({@link MovementType#IN}); without, only the order's returned quantities change (damaged goods).
 * A SKU's returns never exceed what the order fulfilled.
 *
 * @param lines 1 to {@value Reservation#MAX_LINES} lines; lines of the same SKU are merged
 */
public record OrderReturn(
    TenantId tenant,
    OrderId orderId,
    List<OrderLine> lines,
    boolean restock,
    @Nullable String reason,
    @Nullable String actor,
    @Nullable String idempotencyKey) {

  public OrderReturn {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(orderId, "order id");
    Checks.notNull(lines, "lines");
    if (lines.isEmpty()) {
      throw new InvalidRequestException("a return needs at least one line");
    }
    if (lines.size() > Reservation.MAX_LINES) {
      throw new InvalidRequestException(
          "a return may have at most " + Reservation.MAX_LINES + " lines, had " + lines.size());
    }
    lines = OrderLine.normalize(lines);
    Checks.optionalText(reason, "reason", Adjustment.MAX_TEXT);
    Checks.optionalText(actor, "actor", Adjustment.MAX_TEXT);
    Keys.callerKey(idempotencyKey);
  }

  public static OrderReturn of(TenantId tenant, OrderId orderId, boolean restock, OrderLine... lines) {
    return new OrderReturn(tenant, orderId, List.of(lines), restock, null, null, null);
  }

  public OrderReturn withReason(@Nullable String reason) {
    return new OrderReturn(tenant, orderId, lines, restock, reason, actor, idempotencyKey);
  }

  public OrderReturn withActor(@Nullable String actor) {
    return new OrderReturn(tenant, orderId, lines, restock, reason, actor, idempotencyKey);
  }

  public OrderReturn withIdempotencyKey(@Nullable String key) {
    return new OrderReturn(tenant, orderId, lines, restock, reason, actor, key);
  }
}
