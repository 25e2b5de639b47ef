package io.creatorflow.inventory.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The SQL dialects {@link JdbcStockStore} speaks. Each has its own schema under {@code
 * db/inventory/<folder>/} on the class path; MySQL and MariaDB share one. Immutable.
 */
public enum Dialect {
  /** PostgreSQL 12 or later. */
  POSTGRESQL("postgresql"),
  /** MySQL 8.0.16 or later (no {@code RETURNING}: ids and new quantities are read back). */
  MYSQL("mysql"),
  /** MariaDB 10.5 or later (uses {@code INSERT ... RETURNING}). */
  MARIADB("mysql"),
  /** H2 2.x, file or in-memory: the embedded default. */
  H2("h2");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /** The class-path location of this dialect's migrations, as Flyway's {@code locations} take it. */
  public String migrationLocation() {
    return "classpath:db/inventory/" + folder;
  }

  /**
   * The dialect of a database as JDBC metadata names it ({@code DatabaseMetaData
   * .getDatabaseProductName()}), or empty if this store does not support it.
   */
  public static Optional<Dialect> fromProductName(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return Optional.of(POSTGRESQL);
    }
    if (name.contains("mariadb")) {
      return Optional.of(MARIADB);
    }
    if (name.contains("mysql")) {
      return Optional.of(MYSQL);
    }
    if (name.equals("h2")) {
      return Optional.of(H2);
    }
    return Optional.empty();
  }
}
