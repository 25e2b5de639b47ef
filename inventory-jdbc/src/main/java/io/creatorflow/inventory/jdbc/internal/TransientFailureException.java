package io.creatorflow.inventory.jdbc.internal;

/**
 * A transaction the database aborted (deadlock, serialization failure, lock timeout) that the
 * caller chose not to retry itself; nothing of it was committed.
 */
final class TransientFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TransientFailureException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
