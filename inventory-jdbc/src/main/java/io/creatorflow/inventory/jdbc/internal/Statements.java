package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.jdbc.Dialect;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The SQL text of every statement the store runs, for one dialect and one set of table names.
 * Values are always bound parameters; the only text spliced in is the validated table prefix (in
 * {@link Tables}) and fixed column lists. Immutable and thread-safe.
 */
public final class Statements {
  /** The item row's columns, in the order {@link Rows} reads them. */
  static final String ITEM_COLUMNS = "tenant, sku, name, location, low_stock_threshold, allow_backorder, item_version,"
      + " created_at, updated_at, on_hand, reserved, stock_version, stock_updated_at, low_alert_id, out_alert_id";
  /** What a stock change reads back: the level after it, the threshold and the open alerts. */
  static final String STOCK_AFTER_COLUMNS = "on_hand, reserved, stock_version, low_stock_threshold, low_alert_id,"
      + " out_alert_id";
  static final String MOVEMENT_COLUMNS = "id, tenant, sku, movement_type, quantity, on_hand_before, on_hand_after,"
      + " reserved_before, reserved_after, reason, reference, actor, idempotency_key, occurred_at";
  static final String MOVEMENT_INSERT_COLUMNS = "tenant, sku, movement_type, quantity, on_hand_before, on_hand_after,"
      + " reserved_before, reserved_after, reason, reference, actor, idempotency_key, occurred_at";
  static final int MOVEMENT_INSERT_WIDTH = 13;
  static final String ALERT_COLUMNS = "id, tenant, sku, kind, status, available_at_open, threshold, opened_at,"
      + " resolved_at, resolved_by, notification, delivery, delivery_attempts";
  static final String ORDER_COLUMNS = "tenant, order_id, status, order_lines, returned_lines, version, created_at,"
      + " updated_at";
  static final String INBOX_COLUMNS = "tenant, source, event_id, payload, received_at, attempts, last_error";

  private final Dialect dialect;
  private final Tables t;
  private final String[] stockUpdates = new String[8];

  Statements(Dialect dialect, Tables tables) {
    this.dialect = dialect;
    this.t = tables;
    for (int variant = 0; variant < stockUpdates.length; variant++) {
      stockUpdates[variant] = buildStockUpdate(
          (variant & Guard.EXPECTED) != 0, (variant & Guard.MIN_ON_HAND) != 0, (variant & Guard.MIN_AVAILABLE) != 0);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  public Tables tables() {
    return t;
  }

  /** Whether UPDATE can return the changed row in the same statement (PostgreSQL, H2). */
  boolean updateReturns() {
    return dialect == Dialect.POSTGRESQL || dialect == Dialect.H2;
  }

  /** Whether INSERT can return generated ids of every row in the same statement (not MySQL). */
  boolean insertReturns() {
    return dialect != Dialect.MYSQL;
  }

  /**
   * {@code dml} (an INSERT or UPDATE) turned into a query that returns {@code columns} of the rows it
   * wrote: {@code RETURNING} on PostgreSQL and MariaDB, a data change delta table on H2.
   */
  String returning(String dml, String columns) {
    if (dialect == Dialect.H2) {
      return "SELECT " + columns + " FROM FINAL TABLE (" + dml + ")";
    }
    return dml + " RETURNING " + columns;
  }

  /**
   * An INSERT that skips rows whose key exists: ON CONFLICT DO NOTHING on PostgreSQL, INSERT IGNORE
   * on MySQL and MariaDB (every value the store inserts this way is validated, so IGNORE can only
   * skip duplicates). H2 has neither outside compatibility modes; it rolls back only a failed
   * statement, so the store runs the plain INSERT there and treats a duplicate key as "exists".
   */
  String insertIfAbsent(String insert) {
    return switch (dialect) {
      case POSTGRESQL -> insert + " ON CONFLICT DO NOTHING";
      case MYSQL, MARIADB -> "INSERT IGNORE" + insert.substring("INSERT".length());
      case H2 -> insert;
    };
  }

  /** Whether {@link #insertIfAbsent} reports existing keys by its row count, not by an error. */
  boolean insertIfAbsentCounts() {
    return dialect != Dialect.H2;
  }

  // ------------------------------------------------------------------------------- stock

  /**
   * The guarded stock change: one conditional UPDATE whose WHERE clause is {@link Guard}, the
   * combined form of {@link io.creatorflow.inventory.spi.LineChange#check} for one or more changes
   * of one SKU applied in order. Zero rows updated means the SKU is unknown or a guard failed.
   */
  String stockUpdate(int variant) {
    return stockUpdates[variant];
  }

  private String buildStockUpdate(boolean expected, boolean minOnHand, boolean minAvailable) {
    StringBuilder sql = new StringBuilder(400)
        .append("UPDATE ").append(t.item())
        .append(" SET on_hand = on_hand + :onHandDelta, reserved = reserved + :reservedDelta,")
        .append(" stock_version = stock_version + :changes, stock_updated_at = :at")
        .append(" WHERE tenant = :tenant AND sku = :sku AND reserved >= :minReserved");
    if (expected) {
      sql.append(" AND on_hand = :expectedOnHand");
    }
    if (minOnHand) {
      sql.append(" AND on_hand >= :minOnHand");
    }
    if (minAvailable) {
      sql.append(" AND (allow_backorder OR on_hand - reserved >= :minAvailable)");
    }
    String update = sql.toString();
    return updateReturns() ? returning(update, STOCK_AFTER_COLUMNS) : update;
  }

  /** The stock row after a change, read back under the row lock where UPDATE cannot return it. */
  String stockAfter() {
    return "SELECT " + STOCK_AFTER_COLUMNS + " FROM " + t.item() + " WHERE tenant = :tenant AND sku = :sku";
  }

  /** Locks one SKU's row to find out why its guarded change did not apply. */
  String lockLevel() {
    return "SELECT on_hand, reserved, stock_version, stock_updated_at, allow_backorder FROM " + t.item()
        + " WHERE tenant = :tenant AND sku = :sku FOR UPDATE";
  }

  /** Which of {@code count} SKUs of a tenant are registered. */
  String existingSkus(int count) {
    return "SELECT sku FROM " + t.item() + " WHERE tenant = ? AND sku IN (" + placeholders(count) + ")";
  }

  String setOpenAlerts() {
    return "UPDATE " + t.item() + " SET low_alert_id = :lowAlertId, out_alert_id = :outAlertId"
        + " WHERE tenant = :tenant AND sku = :sku";
  }

  // ------------------------------------------------------------------------------- ledger

  /** A multi-row INSERT of {@code rows} ledger rows with positional parameters. */
  String insertMovements(int rows) {
    StringBuilder sql = new StringBuilder(120 + rows * 32)
        .append("INSERT INTO ").append(t.movement()).append(" (").append(MOVEMENT_INSERT_COLUMNS).append(") VALUES ");
    String row = "(" + placeholders(MOVEMENT_INSERT_WIDTH) + ")";
    for (int i = 0; i < rows; i++) {
      if (i > 0) {
        sql.append(", ");
      }
      sql.append(row);
    }
    String insert = sql.toString();
    return insertReturns() ? returning(insert, "id") : insert;
  }

  String movementsByKey() {
    return "SELECT " + MOVEMENT_COLUMNS + " FROM " + t.movement()
        + " WHERE tenant = :tenant AND idempotency_key = :key ORDER BY id";
  }

  String movementsOfSkuAfter() {
    return "SELECT " + MOVEMENT_COLUMNS + " FROM " + t.movement()
        + " WHERE tenant = :tenant AND sku = :sku AND id > :after ORDER BY id LIMIT :limit";
  }

  /**
   * A page of history, newest first, with the total of all matches in every row. Parameters:
   * tenant, [sku], [types...], [from], [to], limit, offset.
   */
  String history(boolean sku, int types, boolean from, boolean to, boolean countOnly) {
    StringBuilder where = new StringBuilder(" WHERE tenant = ?");
    if (sku) {
      where.append(" AND sku = ?");
    }
    if (types > 0) {
      where.append(" AND movement_type IN (").append(placeholders(types)).append(')');
    }
    if (from) {
      where.append(" AND occurred_at >= ?");
    }
    if (to) {
      where.append(" AND occurred_at < ?");
    }
    if (countOnly) {
      return "SELECT COUNT(*) FROM " + t.movement() + where;
    }
    return "SELECT " + MOVEMENT_COLUMNS + ", COUNT(*) OVER () AS total_count FROM " + t.movement() + where
        + " ORDER BY id DESC LIMIT ? OFFSET ?";
  }

  // ------------------------------------------------------------------------------- idempotency

  String insertIdempotency(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(t.idempotency())
        .append(" (tenant, idem_key, fingerprint, order_id, created_at) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i > 0 ? ", " : "").append("(?, ?, ?, ?, ?)");
    }
    return sql.toString();
  }

  String idempotencyRecord() {
    return "SELECT fingerprint, order_id FROM " + t.idempotency() + " WHERE tenant = :tenant AND idem_key = :key";
  }

  // ------------------------------------------------------------------------------- orders

  String insertOrders(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(t.orders()).append(" (").append(ORDER_COLUMNS)
        .append(") VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i > 0 ? ", " : "").append("(?, ?, ?, ?, ?, ?, ?, ?)");
    }
    return sql.toString();
  }

  /** Writes the next version of an order if its version is still the expected one. */
  String updateOrder() {
    String update = "UPDATE " + t.orders() + " SET status = :status, order_lines = :lines,"
        + " returned_lines = :returned, version = :version, updated_at = :at"
        + " WHERE tenant = :tenant AND order_id = :orderId AND version = :expectedVersion";
    return updateReturns() ? returning(update, "created_at") : update;
  }

  String orderCreatedAt() {
    return "SELECT created_at FROM " + t.orders() + " WHERE tenant = :tenant AND order_id = :orderId";
  }

  String order() {
    return "SELECT " + ORDER_COLUMNS + " FROM " + t.orders() + " WHERE tenant = :tenant AND order_id = :orderId";
  }

  // ------------------------------------------------------------------------------- catalog

  String insertItem() {
    return "INSERT INTO " + t.item() + " (tenant, sku, name, name_search, sku_search, location,"
        + " low_stock_threshold, allow_backorder, item_version, created_at, updated_at, on_hand, reserved,"
        + " stock_version, stock_updated_at) VALUES (:tenant, :sku, :name, :nameSearch, :skuSearch, :location,"
        + " :threshold, :allowBackorder, 1, :at, :at, 0, 0, 0, :at)";
  }

  String updateItem() {
    String update = "UPDATE " + t.item() + " SET name = :name, name_search = :nameSearch, location = :location,"
        + " low_stock_threshold = :threshold, allow_backorder = :allowBackorder, item_version = item_version + 1,"
        + " updated_at = :at WHERE tenant = :tenant AND sku = :sku";
    return updateReturns() ? returning(update, ITEM_COLUMNS) : update;
  }

  /** One item with its listings (one row per listing, or one row without). */
  String itemWithListings() {
    return "SELECT " + prefixed("i.", ITEM_COLUMNS) + ", l.channel AS l_channel, l.product_id AS l_product_id,"
        + " l.channel_sku_id AS l_channel_sku_id FROM " + t.item() + " i LEFT JOIN " + t.listing()
        + " l ON l.tenant = i.tenant AND l.sku = i.sku WHERE i.tenant = :tenant AND i.sku = :sku ORDER BY l.ordinal";
  }

  String itemRow() {
    return "SELECT " + ITEM_COLUMNS + " FROM " + t.item() + " WHERE tenant = :tenant AND sku = :sku";
  }

  String listingOwner() {
    return "SELECT sku FROM " + t.listing()
        + " WHERE tenant = :tenant AND channel = :channel AND channel_sku_id = :channelSkuId";
  }

  /** Owners of {@code count} listings: parameters tenant, then channel and channel SKU id pairs. */
  String listingOwners(int count) {
    StringJoiner pairs = new StringJoiner(" OR ", "(", ")");
    for (int i = 0; i < count; i++) {
      pairs.add("(channel = ? AND channel_sku_id = ?)");
    }
    return "SELECT channel, channel_sku_id, sku FROM " + t.listing() + " WHERE tenant = ? AND " + pairs;
  }

  String insertListings(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(t.listing())
        .append(" (tenant, channel, channel_sku_id, sku, product_id, ordinal) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i > 0 ? ", " : "").append("(?, ?, ?, ?, ?, ?)");
    }
    return sql.toString();
  }

  String deleteListings() {
    return "DELETE FROM " + t.listing() + " WHERE tenant = :tenant AND sku = :sku";
  }

  /** Listings of {@code count} SKUs of a tenant, in SKU and listing order. */
  String listingsOf(int count) {
    return "SELECT sku, channel, product_id, channel_sku_id FROM " + t.listing() + " WHERE tenant = ? AND sku IN ("
        + placeholders(count) + ") ORDER BY sku, ordinal";
  }

  /**
   * A page of catalog items sorted by SKU with the total of all matches in every row. Parameters:
   * tenant, [pattern, pattern], [defaultThreshold], limit, offset.
   */
  String findItems(boolean text, @Nullable StockStatus status, boolean countOnly) {
    StringBuilder where = new StringBuilder(" WHERE tenant = ?");
    if (text) {
      where.append(" AND (name_search LIKE ? ESCAPE '").append(Codec.LIKE_ESCAPE)
          .append("' OR sku_search LIKE ? ESCAPE '").append(Codec.LIKE_ESCAPE).append("')");
    }
    if (status != null) {
      // StockStatus.of(available, COALESCE(item threshold, default threshold)), in SQL.
      switch (status) {
        case OUT_OF_STOCK -> where.append(" AND on_hand - reserved <= 0");
        case LOW_STOCK -> where.append(
            " AND on_hand - reserved > 0 AND on_hand - reserved <= COALESCE(low_stock_threshold, ?)");
        case IN_STOCK -> where.append(" AND on_hand - reserved > COALESCE(low_stock_threshold, ?)");
      }
    }
    if (countOnly) {
      return "SELECT COUNT(*) FROM " + t.item() + where;
    }
    return "SELECT " + ITEM_COLUMNS + ", COUNT(*) OVER () AS total_count FROM " + t.item() + where
        + " ORDER BY sku LIMIT ? OFFSET ?";
  }

  /**
   * What the catalog index compares with its own state to find out whether anything changed: the
   * tenant's item count and the sums of its item and stock versions. Parameter: tenant.
   */
  String catalogSums() {
    return "SELECT COUNT(*) AS items, COALESCE(SUM(item_version), 0) AS item_versions,"
        + " COALESCE(SUM(stock_version), 0) AS stock_versions FROM " + t.item() + " WHERE tenant = ?";
  }

  /** Every SKU of a tenant with its item and stock version. Parameter: tenant. */
  String catalogVersions() {
    return "SELECT sku, item_version, stock_version FROM " + t.item() + " WHERE tenant = ?";
  }

  /**
   * Item rows with their listings (one row per listing, or one row without), in SKU and listing
   * order, in one statement so that an item and its listings come from one snapshot. Parameters:
   * tenant, then {@code skus} SKUs; {@code skus == 0} reads the whole tenant.
   */
  String catalogRows(int skus) {
    return "SELECT " + prefixed("i.", ITEM_COLUMNS) + ", l.channel AS l_channel, l.product_id AS l_product_id,"
        + " l.channel_sku_id AS l_channel_sku_id FROM " + t.item() + " i LEFT JOIN " + t.listing()
        + " l ON l.tenant = i.tenant AND l.sku = i.sku WHERE i.tenant = ?"
        + (skus == 0 ? "" : " AND i.sku IN (" + placeholders(skus) + ")") + " ORDER BY i.sku, l.ordinal";
  }

  // ------------------------------------------------------------------------------- alerts

  String insertAlert() {
    String insert = "INSERT INTO " + t.alert() + " (tenant, sku, kind, status, available_at_open, threshold,"
        + " opened_at, notification, delivery, delivery_attempts) VALUES (:tenant, :sku, :kind, 'OPEN', :available,"
        + " :threshold, :at, 'OPENED', 'PENDING', 0)";
    return insertReturns() ? returning(insert, "id") : insert;
  }

  String resolveAlert() {
    return "UPDATE " + t.alert() + " SET status = 'RESOLVED', resolved_at = :at, resolved_by = :actor,"
        + " notification = 'RESOLVED', delivery = 'PENDING', delivery_attempts = 0"
        + " WHERE tenant = :tenant AND id = :id AND status = 'OPEN'";
  }

  /** Clears an item's pointer to an open alert (locking the item row first, like every mutation). */
  String clearOpenAlert(boolean low) {
    String column = low ? "low_alert_id" : "out_alert_id";
    return "UPDATE " + t.item() + " SET " + column + " = NULL WHERE tenant = :tenant AND sku = :sku AND " + column
        + " = :id";
  }

  String alert() {
    return "SELECT " + ALERT_COLUMNS + " FROM " + t.alert() + " WHERE tenant = :tenant AND id = :id";
  }

  String openAlerts(boolean sku) {
    return "SELECT " + ALERT_COLUMNS + " FROM " + t.alert() + " WHERE tenant = :tenant AND status = 'OPEN'"
        + (sku ? " AND sku = :sku" : "") + " ORDER BY id";
  }

  String recordDelivery() {
    return "UPDATE " + t.alert() + " SET delivery = :delivery, delivery_attempts = :attempts"
        + " WHERE tenant = :tenant AND id = :id AND notification = :notification";
  }

  String pendingDeliveries() {
    return "SELECT " + ALERT_COLUMNS + " FROM " + t.alert() + " WHERE delivery = 'PENDING'"
        + " AND (CASE WHEN notification = 'OPENED' THEN opened_at ELSE resolved_at END) <= :raisedBefore"
        + " ORDER BY id LIMIT :limit";
  }

  // ------------------------------------------------------------------------------- inbox

  String offer() {
    return "INSERT INTO " + t.inbox() + " (tenant, source, event_id, payload, received_at, attempts)"
        + " VALUES (:tenant, :source, :eventId, :payload, :receivedAt, 0)";
  }

  String pendingEvents() {
    return "SELECT " + INBOX_COLUMNS + " FROM " + t.inbox()
        + " WHERE processed_at IS NULL ORDER BY received_at, event_id, tenant, source LIMIT :limit";
  }

  String completeEvent() {
    return "UPDATE " + t.inbox() + " SET processed_at = :at"
        + " WHERE tenant = :tenant AND source = :source AND event_id = :eventId";
  }

  String failEvent() {
    return "UPDATE " + t.inbox() + " SET attempts = attempts + 1, last_error = :error"
        + " WHERE tenant = :tenant AND source = :source AND event_id = :eventId AND processed_at IS NULL";
  }

  // ------------------------------------------------------------------------------- leases

  String takeLease() {
    return "UPDATE " + t.lease() + " SET owner = :owner, expires_at = :expiresAt"
        + " WHERE lease_name = :lease AND (owner = :owner OR expires_at <= :now)";
  }

  String insertLease() {
    return "INSERT INTO " + t.lease() + " (lease_name, owner, expires_at) VALUES (:lease, :owner, :expiresAt)";
  }

  String leaseOwner() {
    return "SELECT owner FROM " + t.lease() + " WHERE lease_name = :lease";
  }

  String releaseLease() {
    return "DELETE FROM " + t.lease() + " WHERE lease_name = :lease AND owner = :owner";
  }

  String ping() {
    return "SELECT COUNT(*) FROM " + t.lease() + " WHERE lease_name = ''";
  }

  // ------------------------------------------------------------------------------- helpers

  static String placeholders(int count) {
    StringJoiner joiner = new StringJoiner(", ");
    for (int i = 0; i < count; i++) {
      joiner.add("?");
    }
    return joiner.toString();
  }

  private static String prefixed(String alias, String columns) {
    StringJoiner joiner = new StringJoiner(", ");
    for (String column : columns.split(", ")) {
      joiner.add(alias + column.strip());
    }
    return joiner.toString();
  }
}
