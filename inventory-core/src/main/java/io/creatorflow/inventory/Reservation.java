package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.internal.Keys;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reserves an order's lines: all of them or none. Idempotent on the order id: reserving the same
 * order again with the same lines changes nothing and returns the original result; with other lines
 * it is a conflict.
 *
 * @param lines 1 to {@value #MAX_LINES} lines; lines of the same SKU are merged
 * @param idempotencyKey the key to record; {@code null} records one derived from the order id
 */
public record Reservation(
    TenantId tenant,
    OrderId orderId,
    List<OrderLine> lines,
    @Nullable String actor,
    @Nullable String idempotencyKey) {

  public static final int MAX_LINES = 500;

  public Reservation {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(orderId, "order id");
    Checks.notNull(lines, "lines");
    if (lines.isEmpty()) {
      throw new InvalidRequestException("an order needs at least one line");
    }
    if (lines.size() > MAX_LINES) {
      throw new InvalidRequestException("an order may have at most " + MAX_LINES + " lines, had " + lines.size());
    }
    lines = OrderLine.normalize(lines);
    Checks.optionalText(actor, "actor", Adjustment.MAX_TEXT);
    Keys.callerKey(idempotencyKey);
  }

  public static Reservation of(TenantId tenant, OrderId orderId, List<OrderLine> lines) {
    return new Reservation(tenant, orderId, lines, null, null);
  }

  public static Reservation of(TenantId tenant, OrderId orderId, OrderLine... lines) {
    return new Reservation(tenant, orderId, List.of(lines), null, null);
  }

  public Reservation withActor(@Nullable String actor) {
    return new Reservation(tenant, orderId, lines, actor, idempotencyKey);
  }

  public Reservation withIdempotencyKey(@Nullable String key) {
    return new Reservation(tenant, orderId, lines, actor, key);
  }
}
