package io.creatorflow.inventory.tiktok;

import org.jspecify.annotations.Nullable;

/**
 * Authentication or authorization failed: the access token is invalid or stayed expired after one
 * refresh ({@code 105001}, {@code 105002}), the sign was refused ({@code 106001}, usually a wrong app
 * secret), a scope is not granted ({@code 105005}), HTTP 401/403, or the token endpoint refused the
 * refresh token. Retrying does not help; the seller may need to authorize the app again.
 */
public class TikTokAuthException extends TikTokApiException {
  private static final long serialVersionUID = 1L;

  public TikTokAuthException(
      String operation,
      int httpStatus,
      long apiCode,
      @Nullable String apiMessage,
      @Nullable String requestId,
      @Nullable String detail,
      @Nullable Throwable cause) {
    super(operation, httpStatus, apiCode, apiMessage, requestId, detail, cause);
  }
}
