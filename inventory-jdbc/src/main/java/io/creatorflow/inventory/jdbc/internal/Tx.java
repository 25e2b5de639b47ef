package io.creatorflow.inventory.jdbc.internal;

import org.jdbi.v3.core.Handle;

/**
 * A transaction in progress: its handle, and whether it is to be rolled back instead of committed.
 * Confined to the thread that runs the transaction; not thread-safe.
 */
public final class Tx {
  private final Handle handle;
  private boolean rollbackOnly;

  Tx(Handle handle) {
    this.handle = handle;
  }

  public Handle handle() {
    return handle;
  }

  /** Ends the transaction with a rollback, though the callback returns normally. */
  public void rollbackOnly() {
    rollbackOnly = true;
  }

  boolean isRollbackOnly() {
    return rollbackOnly;
  }
}
