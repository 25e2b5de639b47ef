package io.creatorflow.inventory.benchmarks.baseline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Reservations as the seed's {@code InventoryTransactionService.adjustStock} writes them, on plain
 * JDBC: in one transaction, {@code SELECT ... FOR UPDATE} the product row, compute the new numbers in
 * the application, {@code UPDATE} the row, then {@code INSERT} the ledger row as a separate statement,
 * and commit. Four round trips per reservation with the row lock held from the first to the commit.
 * No idempotency record and no order record (the seed has neither), so it writes less than the SDK
 * does. Its own two small tables, {@code <prefix>products} and {@code <prefix>inventory_transactions}.
 *
 * <p>Thread-safe (stateless apart from the data source).
 */
public final class SeedStyleReservations {
  private final DataSource dataSource;
  private final String products;
  private final String transactions;

  /** @param prefix the tables' prefix, e.g. {@code bench_seed_} */
  public SeedStyleReservations(DataSource dataSource, String prefix) {
    this.dataSource = dataSource;
    this.products = prefix + "products";
    this.transactions = prefix + "inventory_transactions";
  }

  /** Creates the two tables (PostgreSQL syntax) if they do not exist. */
  public void createTables() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("CREATE TABLE IF NOT EXISTS " + products + " ("
          + " id VARCHAR(64) PRIMARY KEY,"
          + " current_stock BIGINT NOT NULL,"
          + " reserved_stock BIGINT NOT NULL,"
          + " available_stock BIGINT NOT NULL,"
          + " last_inventory_sync TIMESTAMP)");
      s.execute("CREATE TABLE IF NOT EXISTS " + transactions + " ("
          + " id BIGSERIAL PRIMARY KEY,"
          + " product_id VARCHAR(64) NOT NULL,"
          + " transaction_type VARCHAR(20) NOT NULL,"
          + " quantity BIGINT NOT NULL,"
          + " previous_stock BIGINT NOT NULL,"
          + " new_stock BIGINT NOT NULL,"
          + " reason VARCHAR(200),"
          + " reference_id VARCHAR(100),"
          + " created_at TIMESTAMP NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS " + transactions + "_product ON " + transactions
          + " (product_id, created_at)");
    }
  }

  /** Inserts a product with {@code stock} on hand and nothing reserved. */
  public void createProduct(String id, long stock) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + products
            + " (id, current_stock, reserved_stock, available_stock, last_inventory_sync) VALUES (?, ?, 0, ?, ?)")) {
      c.setAutoCommit(true);
      ps.setString(1, id);
      ps.setLong(2, stock);
      ps.setLong(3, stock);
      ps.setTimestamp(4, Timestamp.from(Instant.now()));
      ps.executeUpdate();
    }
  }

  /**
   * Reserves {@code quantity} of a product for an order.
   *
   * @return {@code false} if available stock is short (nothing changed)
   */
  public boolean reserve(String productId, long quantity, String orderId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long current;
        long reserved;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT current_stock, reserved_stock FROM " + products + " WHERE id = ? FOR UPDATE")) {
          ps.setString(1, productId);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new SQLException("product " + productId + " not found");
            }
            current = rs.getLong(1);
            reserved = rs.getLong(2);
          }
        }
        long newReserved = reserved + quantity;
        long newAvailable = current - newReserved;
        if (newAvailable < 0) {
          c.rollback();
          return false;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + products
            + " SET reserved_stock = ?, available_stock = ?, last_inventory_sync = ? WHERE id = ?")) {
          ps.setLong(1, newReserved);
          ps.setLong(2, newAvailable);
          ps.setTimestamp(3, Timestamp.from(Instant.now()));
          ps.setString(4, productId);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + transactions
            + " (product_id, transaction_type, quantity, previous_stock, new_stock, reason, reference_id, created_at)"
            + " VALUES (?, 'RESERVE', ?, ?, ?, 'order reserved', ?, ?)")) {
          ps.setString(1, productId);
          ps.setLong(2, quantity);
          ps.setLong(3, current - reserved);
          ps.setLong(4, newAvailable);
          ps.setString(5, orderId);
          ps.setTimestamp(6, Timestamp.from(Instant.now()));
          ps.executeUpdate();
        }
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** {@code [current, reserved]} of a product. */
  public long[] level(String productId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT current_stock, reserved_stock FROM " + products + " WHERE id = ?")) {
      ps.setString(1, productId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("product " + productId + " not found");
        }
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** The number of ledger rows of a product. */
  public long ledgerRows(String productId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + transactions + " WHERE product_id = ?")) {
      ps.setString(1, productId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
