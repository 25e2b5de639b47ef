package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.StoreUnavailableException;

/**
 * The database failed during COMMIT, so whether the transaction was applied is unknown. Never
 * retried by the store: the caller retries with the same idempotency key.
 */
public final class CommitFailedException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public CommitFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
