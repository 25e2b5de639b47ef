package io.creatorflow.inventory.tiktok;

import org.jspecify.annotations.Nullable;

/**
 * TikTok refused the request as malformed: {@code 36009004} ("invalid parameter", of many kinds: read
 * {@link #apiMessage()}) or HTTP 400. Sending it again unchanged fails again.
 */
public class TikTokInvalidRequestException extends TikTokApiException {
  private static final long serialVersionUID = 1L;

  public TikTokInvalidRequestException(
      String operation, int httpStatus, long apiCode, @Nullable String apiMessage, @Nullable String requestId) {
    super(operation, httpStatus, apiCode, apiMessage, requestId, null, null);
  }
}
