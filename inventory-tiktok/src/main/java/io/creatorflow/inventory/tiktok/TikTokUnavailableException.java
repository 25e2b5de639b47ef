package io.creatorflow.inventory.tiktok;

import org.jspecify.annotations.Nullable;

/**
 * TikTok or the network failed transiently and the retries were used up (or the call was not safe to
 * repeat): HTTP 5xx, {@code 36009003} internal error, {@code 36009007} time-out, a connect/read/call
 * time-out or other I/O error (the cause), or a response that could not be read. Try again later.
 */
public class TikTokUnavailableException extends TikTokApiException {
  private static final long serialVersionUID = 1L;

  public TikTokUnavailableException(
      String operation,
      int httpStatus,
      long apiCode,
      @Nullable String apiMessage,
      @Nullable String requestId,
      @Nullable String detail,
      @Nullable Throwable cause) {
    super(operation, httpStatus, apiCode, apiMessage, requestId, detail, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
