package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.InventoryException;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.jdbc.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's access to the database: handles, transactions with bounded retries, and translation
 * of every driver or Jdbi failure into the SDK's exceptions. Thread-safe.
 *
 * <p>Every transaction runs at READ COMMITTED (the default of PostgreSQL and H2; set per transaction
 * on MySQL and MariaDB, whose default is REPEATABLE READ): each statement sees the latest committed
 * rows, which is what the store's conditional statements and its reads after a unique violation
 * rely on.
 */
public final class Db {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  /** A unit of work on one handle in auto-commit mode. */
  @FunctionalInterface
  public interface HandleWork<T> {
    T run(Handle handle) throws SQLException;
  }

  /** A unit of work inside a transaction; it may run more than once if the database aborts it. */
  @FunctionalInterface
  public interface TxWork<T> {
    T run(Tx tx);
  }

  private final Jdbi jdbi;
  private final Tables tables;
  private final @Nullable Dialect configuredDialect;
  private final int maxAttempts;
  private volatile @Nullable Statements statements;

  public Db(Jdbi jdbi, Tables tables, @Nullable Dialect dialect, int maxAttempts) {
    this.jdbi = jdbi;
    this.tables = tables;
    this.configuredDialect = dialect;
    this.maxAttempts = maxAttempts;
  }

  public Tables tables() {
    return tables;
  }

  /** The dialect: as configured, else detected from the connection's metadata on first use. */
  public Dialect dialect() {
    return sql().dialect();
  }

  /** The SQL text for this store's dialect and tables. */
  public Statements sql() {
    Statements s = statements;
    if (s == null) {
      synchronized (this) {
        s = statements;
        if (s == null) {
          s = new Statements(configuredDialect != null ? configuredDialect : detectDialect(), tables);
          statements = s;
        }
      }
    }
    return s;
  }

  private Dialect detectDialect() {
    String product = withHandle("detect the database dialect",
        h -> h.getConnection().getMetaData().getDatabaseProductName());
    return Dialect.fromProductName(product).orElseThrow(() -> new IllegalStateException(
        "the JDBC stock store does not support database '" + product
            + "'; it supports PostgreSQL, MySQL, MariaDB and H2"));
  }

  /** Runs {@code work} on a handle in auto-commit mode (one statement is one transaction). */
  public <T> T withHandle(String operation, HandleWork<T> work) {
    try (Handle handle = jdbi.open()) {
      return work.run(handle);
    } catch (JdbiException | SQLException e) {
      throw unavailable(operation, e);
    }
  }

  /**
   * Runs {@code work} in one transaction and commits it, unless it called {@link Tx#rollbackOnly()}.
   * A deadlock, serialization failure or lock timeout rolls back and runs the work again, up to the
   * configured number of attempts, after a short random pause.
   *
   * @throws ConflictException {@code CONCURRENT_MODIFICATION} when every attempt was aborted so
   * @throws CommitFailedException if COMMIT itself failed: the outcome is unknown
   * @throws StoreUnavailableException for any other database failure: nothing was committed
   */
  public <T> T transaction(String operation, TxWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return runOnce(operation, work);
      } catch (TransientFailureException e) {
        if (attempt >= maxAttempts) {
          ConflictException conflict = new ConflictException(ConflictException.Reason.CONCURRENT_MODIFICATION,
              operation + ": the database aborted the transaction " + attempt
                  + " times (deadlock, serialization failure or lock timeout); retry later");
          conflict.initCause(e.getCause());
          throw conflict;
        }
        LOG.debug("{}: attempt {} aborted by the database, retrying: {}", operation, attempt,
            SqlErrors.describe(e.getCause()));
        pause(attempt);
      }
    }
  }

  /**
   * Runs {@code work} in one transaction once.
   *
   * @throws TransientFailureException if the database aborted it (nothing was committed)
   */
  <T> T transactionOnce(String operation, TxWork<T> work) {
    return runOnce(operation, work);
  }

  private <T> T runOnce(String operation, TxWork<T> work) {
    Handle handle;
    try {
      handle = jdbi.open();
    } catch (JdbiException e) {
      throw unavailable(operation, e);
    }
    try {
      Tx tx = begin(handle, operation);
      T result;
      try {
        result = work.run(tx);
      } catch (RuntimeException | Error e) {
        rollbackQuietly(handle, e);
        throw translate(operation, e);
      }
      if (tx.isRollbackOnly()) {
        try {
          handle.rollback();
        } catch (JdbiException e) {
          throw unavailable(operation, e);
        }
      } else {
        commit(handle, operation);
      }
      return result;
    } finally {
      closeQuietly(handle);
    }
  }

  private Tx begin(Handle handle, String operation) {
    try {
      if (isMySqlFamily()) {
        Connection connection = handle.getConnection();
        if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
          connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
      }
      handle.begin();
      return new Tx(handle);
    } catch (JdbiException | SQLException e) {
      throw unavailable(operation, e);
    }
  }

  private boolean isMySqlFamily() {
    Dialect d = sql().dialect();
    return d == Dialect.MYSQL || d == Dialect.MARIADB;
  }

  private void commit(Handle handle, String operation) {
    try {
      handle.commit();
    } catch (JdbiException e) {
      rollbackQuietly(handle, e);
      if (SqlErrors.isTransient(e)) {
        throw new TransientFailureException(e);
      }
      throw new CommitFailedException(operation + ": the database failed during commit, so the outcome is"
          + " unknown (" + SqlErrors.describe(e) + "); retrying with the same idempotency key is safe", e);
    }
  }

  private static RuntimeException translate(String operation, Throwable e) {
    if (e instanceof Error error) {
      throw error;
    }
    if (e instanceof InventoryException || e instanceof TransientFailureException) {
      return (RuntimeException) e;
    }
    if (e instanceof JdbiException && SqlErrors.isTransient(e)) {
      return new TransientFailureException(e);
    }
    if (e instanceof JdbiException) {
      return unavailable(operation, e);
    }
    return (RuntimeException) e;
  }

  /** Runs a trivial query against the store's tables: the database is reachable and migrated. */
  public void ping() {
    withHandle("reach the database", h -> h.createQuery(sql().ping()).mapTo(Long.class).one());
  }

  /**
   * Runs an INSERT of {@code rows} rows that must not overwrite existing keys, inside the caller's
   * transaction.
   *
   * @return whether every row was inserted; {@code false} if a key existed (on PostgreSQL the
   *     other rows may have been inserted: the caller rolls back)
   */
  public boolean insertIfAbsent(Handle h, String insert, int rows, Consumer<Update> binder) {
    Statements sql = sql();
    Update update = h.createUpdate(sql.insertIfAbsent(insert));
    binder.accept(update);
    if (sql.insertIfAbsentCounts()) {
      return update.execute() == rows;
    }
    try {
      update.execute();
      return true;
    } catch (JdbiException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Wraps a driver or Jdbi failure; the message names the operation and the SQLState. */
  public static StoreUnavailableException unavailable(String operation, Throwable cause) {
    return new StoreUnavailableException("JDBC stock store could not " + operation + ": " + SqlErrors.describe(cause),
        cause);
  }

  private static void rollbackQuietly(Handle handle, Throwable failure) {
    try {
      if (handle.isInTransaction()) {
        handle.rollback();
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void closeQuietly(Handle handle) {
    try {
      handle.close();
    } catch (RuntimeException e) {
      LOG.debug("closing a JDBC handle failed", e);
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << Math.min(attempt, 6)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting to retry a transaction", e);
    }
  }
}
