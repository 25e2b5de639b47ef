package io.creatorflow.inventory.tiktok;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * TikTok answered {@code 429} / {@code 36009002} and the retries were used up or the {@code
 * Retry-After} it asked for was longer than {@link TikTokShopConfig#maxRetryAfter()}, or the local
 * rate limiter gave no permit within {@link TikTokShopConfig#rateLimitWait()} ({@link #httpStatus()}
 * {@code 0}). Retry later; {@link #retryAfter()} says when, if TikTok said.
 */
public class TikTokRateLimitedException extends TikTokApiException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  public TikTokRateLimitedException(
      String operation,
      int httpStatus,
      long apiCode,
      @Nullable String apiMessage,
      @Nullable String requestId,
      @Nullable Duration retryAfter,
      @Nullable String detail) {
    super(operation, httpStatus, apiCode, apiMessage, requestId, detail, null);
    this.retryAfter = retryAfter;
  }

  /** How long TikTok asked the client to wait, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
