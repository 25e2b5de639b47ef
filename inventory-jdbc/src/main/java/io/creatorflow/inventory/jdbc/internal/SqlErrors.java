package io.creatorflow.inventory.jdbc.internal;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Classifies driver errors by SQLState and vendor code, for PostgreSQL, MySQL/MariaDB and H2. */
public final class SqlErrors {
  private static final int MYSQL_DUPLICATE_KEY = 1062;
  private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;
  private static final int MYSQL_DEADLOCK = 1213;
  private static final int H2_DEADLOCK = 40001;
  private static final int H2_LOCK_TIMEOUT = 50200;
  private static final int H2_CONCURRENT_UPDATE = 90131;

  private SqlErrors() {}

  /** The first {@link SQLException} in the cause chain, if any. */
  public static @Nullable SQLException sqlCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** A unique or primary-key violation. */
  public static boolean isUniqueViolation(Throwable error) {
    SQLException sql = sqlCause(error);
    if (sql == null) {
      return false;
    }
    return "23505".equals(sql.getSQLState()) || sql.getErrorCode() == MYSQL_DUPLICATE_KEY;
  }

  /**
   * A failure the database resolved by aborting this transaction (deadlock, serialization failure,
   * lock timeout): running the whole transaction again may succeed.
   */
  public static boolean isTransient(Throwable error) {
    SQLException sql = sqlCause(error);
    if (sql == null) {
      return false;
    }
    String state = sql.getSQLState();
    int code = sql.getErrorCode();
    // 40001 serialization failure (PostgreSQL, MySQL), 40P01 deadlock, 55P03 lock_timeout (PostgreSQL).
    if ("40001".equals(state) || "40P01".equals(state) || "55P03".equals(state)) {
      return true;
    }
    return code == MYSQL_DEADLOCK || code == MYSQL_LOCK_WAIT_TIMEOUT
        || code == H2_DEADLOCK || code == H2_LOCK_TIMEOUT || code == H2_CONCURRENT_UPDATE;
  }

  /** A short description for messages: SQLState, vendor code and the driver's message. */
  public static String describe(Throwable error) {
    SQLException sql = sqlCause(error);
    if (sql == null) {
      return error.toString();
    }
    return "SQLState " + sql.getSQLState() + ", code " + sql.getErrorCode() + ": " + sql.getMessage();
  }
}
