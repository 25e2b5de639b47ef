package io.creatorflow.inventory.jdbc;

import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builders of SPI values for the store tests. */
final class Fixtures {
  static final TenantId TENANT = TenantId.of("creator-1");
  static final TenantId OTHER_TENANT = TenantId.of("creator-2");
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00.123456789Z");
  static final AlertRule RULE = new AlertRule(5, 0);

  private Fixtures() {}

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  static ItemDefinition item(TenantId tenant, String sku) {
    return ItemDefinition.builder(tenant, Sku.of(sku)).name("Item " + sku).build();
  }

  static LineChange adjust(String sku, long delta) {
    return new LineChange(Sku.of(sku), MovementType.ADJUSTMENT, Math.abs(delta), delta, 0, null, "count", null,
        "tester");
  }

  static LineChange count(String sku, long expected, long newOnHand) {
    return new LineChange(Sku.of(sku), MovementType.ADJUSTMENT, Math.abs(newOnHand - expected), newOnHand - expected,
        0, expected, "stock count", null, "tester");
  }

  static LineChange reserve(String sku, long quantity) {
    return new LineChange(Sku.of(sku), MovementType.RESERVE, quantity, 0, quantity, null, null, "order:x", null);
  }

  static LineChange release(String sku, long quantity) {
    return new LineChange(Sku.of(sku), MovementType.RELEASE, quantity, 0, -quantity, null, null, "order:x", null);
  }

  static LineChange ship(String sku, long quantity) {
    return new LineChange(Sku.of(sku), MovementType.OUT, quantity, -quantity, -quantity, null, null, "order:x", null);
  }

  static Mutation mutation(TenantId tenant, Instant at, @Nullable String key, LineChange... changes) {
    return mutation(tenant, at, key, null, changes);
  }

  static Mutation mutation(
      TenantId tenant, Instant at, @Nullable String key, @Nullable OrderWrite order, LineChange... changes) {
    List<LineChange> sorted = new ArrayList<>(Arrays.asList(changes));
    sorted.sort(Comparator.comparing(LineChange::sku));
    return new Mutation(tenant, at, key == null ? null : new IdempotencyClaim(key, "fp:" + key), sorted, order, RULE);
  }

  /** A reservation of an order: its lines as RESERVE changes, the order at version 1. */
  static Mutation reservation(TenantId tenant, Instant at, String orderId, OrderLine... lines) {
    List<OrderLine> normalized = OrderLine.normalize(Arrays.asList(lines));
    OrderWrite write = new OrderWrite(OrderId.of(orderId), 0, OrderStatus.RESERVED, normalized, List.of());
    LineChange[] changes = normalized.stream().map(l -> reserve(l.sku().value(), l.quantity()))
        .toArray(LineChange[]::new);
    return mutation(tenant, at, "sys:reserve:" + orderId, write, changes);
  }
}
