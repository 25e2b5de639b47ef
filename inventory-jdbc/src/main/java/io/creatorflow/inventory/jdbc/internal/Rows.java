package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.AlertStatus;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jspecify.annotations.Nullable;

/** Row mappers from result sets to the SDK's value types. Columns are read by label. */
final class Rows {
  private Rows() {}

  /** An item row: the catalog item (without listings), its stock level and its open alerts. */
  record ItemRow(
      TenantId tenant, Sku sku, String name, Location location, @Nullable Long lowStockThreshold,
      boolean allowBackorder, long itemVersion, long createdAt, long updatedAt, StockLevel level,
      @Nullable Long lowAlertId, @Nullable Long outAlertId) {

    CatalogItem item(List<ShopListing> listings) {
      return new CatalogItem(tenant, sku, name, location, lowStockThreshold, allowBackorder, listings, itemVersion,
          Codec.instant(createdAt), Codec.instant(updatedAt));
    }
  }

  /** What a stock change reads back: quantities after it, the item's threshold, its open alerts. */
  record StockAfter(
      long onHand, long reserved, long version, @Nullable Long lowStockThreshold, @Nullable Long lowAlertId,
      @Nullable Long outAlertId) {}

  static final RowMapper<ItemRow> ITEM = (rs, ctx) -> {
    TenantId tenant = TenantId.of(rs.getString("tenant"));
    Sku sku = Sku.of(rs.getString("sku"));
    StockLevel level = new StockLevel(tenant, sku, rs.getLong("on_hand"), rs.getLong("reserved"),
        rs.getLong("stock_version"), Codec.instant(rs.getLong("stock_updated_at")));
    return new ItemRow(tenant, sku, rs.getString("name"), Location.of(rs.getString("location")),
        nullableLong(rs, "low_stock_threshold"), rs.getBoolean("allow_backorder"), rs.getLong("item_version"),
        rs.getLong("created_at"), rs.getLong("updated_at"), level, nullableLong(rs, "low_alert_id"),
        nullableLong(rs, "out_alert_id"));
  };

  static final RowMapper<StockAfter> STOCK_AFTER = (rs, ctx) -> new StockAfter(rs.getLong("on_hand"),
      rs.getLong("reserved"), rs.getLong("stock_version"), nullableLong(rs, "low_stock_threshold"),
      nullableLong(rs, "low_alert_id"), nullableLong(rs, "out_alert_id"));

  static final RowMapper<Movement> MOVEMENT = (rs, ctx) -> new Movement(
      rs.getLong("id"),
      TenantId.of(rs.getString("tenant")),
      Sku.of(rs.getString("sku")),
      MovementType.valueOf(rs.getString("movement_type")),
      rs.getLong("quantity"),
      rs.getLong("on_hand_before"),
      rs.getLong("on_hand_after"),
      rs.getLong("reserved_before"),
      rs.getLong("reserved_after"),
      rs.getString("reason"),
      rs.getString("reference"),
      rs.getString("actor"),
      rs.getString("idempotency_key"),
      Codec.instant(rs.getLong("occurred_at")));

  static final RowMapper<Alert> ALERT = (rs, ctx) -> {
    Long resolvedAt = nullableLong(rs, "resolved_at");
    return new Alert(
        rs.getLong("id"),
        TenantId.of(rs.getString("tenant")),
        Sku.of(rs.getString("sku")),
        AlertKind.valueOf(rs.getString("kind")),
        AlertStatus.valueOf(rs.getString("status")),
        rs.getLong("available_at_open"),
        rs.getLong("threshold"),
        Codec.instant(rs.getLong("opened_at")),
        resolvedAt == null ? null : Codec.instant(resolvedAt),
        rs.getString("resolved_by"),
        AlertEventType.valueOf(rs.getString("notification")),
        DeliveryState.valueOf(rs.getString("delivery")),
        rs.getInt("delivery_attempts"));
  };

  static final RowMapper<Order> ORDER = (rs, ctx) -> new Order(
      TenantId.of(rs.getString("tenant")),
      OrderId.of(rs.getString("order_id")),
      OrderStatus.valueOf(rs.getString("status")),
      Codec.decodeLines(rs.getString("order_lines")),
      Codec.decodeLines(rs.getString("returned_lines")),
      rs.getLong("version"),
      Codec.instant(rs.getLong("created_at")),
      Codec.instant(rs.getLong("updated_at")));

  static final RowMapper<InboxEvent> INBOX_EVENT = (rs, ctx) -> new InboxEvent(
      TenantId.of(rs.getString("tenant")),
      rs.getString("source"),
      rs.getString("event_id"),
      rs.getString("payload"),
      Codec.instant(rs.getLong("received_at")),
      rs.getInt("attempts"),
      rs.getString("last_error"));

  static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
