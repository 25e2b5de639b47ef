package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.InventoryException;
import org.jspecify.annotations.Nullable;

/**
 * A TikTok Shop API call failed. Carries what TikTok said: the HTTP status, the API {@code code}, its
 * message and the {@code request_id} to quote to TikTok support. Subclasses mark the failures a caller
 * handles differently:
 *
 * <ul>
 *   <li>{@link TikTokRateLimitedException}: slow down and try later ({@code 429} / {@code 36009002},
 *       or the local rate limiter gave no permit in time);
 *   <li>{@link TikTokAuthException}: tokens, sign or scopes are wrong; retrying will not help;
 *   <li>{@link TikTokInvalidRequestException}: the request was refused as malformed ({@code
 *       36009004} or HTTP 400);
 *   <li>{@link TikTokUnavailableException}: TikTok or the network failed ({@code 5xx}, {@code
 *       36009003}, time-outs, I/O errors, unreadable responses) and retries were used up; try later.
 * </ul>
 *
 * A plain {@code TikTokApiException} is any other non-zero business code (such as {@code 12052032},
 * "the product does not exist"). Messages never contain the app secret or tokens. Immutable.
 */
public class TikTokApiException extends InventoryException {
  private static final long serialVersionUID = 1L;

  /** The value of {@link #apiCode()} when no API code was received. */
  public static final long NO_API_CODE = -1;

  private final String operation;
  private final int httpStatus;
  private final long apiCode;
  private final @Nullable String apiMessage;
  private final @Nullable String requestId;

  /**
   * @param operation what was called, e.g. {@code SEARCH_PRODUCTS} or {@code token refresh}
   * @param httpStatus the HTTP status, or {@code 0} when no response was received
   * @param apiCode the envelope's {@code code}, or {@link #NO_API_CODE}
   * @param apiMessage the envelope's {@code message} (already free of secrets), or {@code null}
   * @param requestId the envelope's {@code request_id}, or {@code null}
   * @param detail extra context for the message, or {@code null}
   */
  public TikTokApiException(
      String operation,
      int httpStatus,
      long apiCode,
      @Nullable String apiMessage,
      @Nullable String requestId,
      @Nullable String detail,
      @Nullable Throwable cause) {
    super(describe(operation, httpStatus, apiCode, apiMessage, requestId, detail), cause);
    this.operation = operation;
    this.httpStatus = httpStatus;
    this.apiCode = apiCode;
    this.apiMessage = apiMessage;
    this.requestId = requestId;
  }

  private static String describe(
      String operation, int httpStatus, long apiCode, @Nullable String apiMessage, @Nullable String requestId,
      @Nullable String detail) {
    StringBuilder sb = new StringBuilder("TikTok Shop ").append(operation).append(" failed:");
    if (httpStatus > 0) {
      sb.append(" HTTP ").append(httpStatus);
    } else {
      sb.append(" no HTTP response");
    }
    if (apiCode != NO_API_CODE) {
      sb.append(", code ").append(apiCode);
    }
    if (apiMessage != null && !apiMessage.isEmpty()) {
      sb.append(" (").append(apiMessage).append(')');
    }
    if (requestId != null && !requestId.isEmpty()) {
      sb.append(", request_id ").append(requestId);
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append("; ").append(detail);
    }
    return sb.toString();
  }

  /** What was called: a {@link TikTokEndpoint} name or {@code token refresh} / {@code token exchange}. */
  public String operation() {
    return operation;
  }

  /** The HTTP status, or {@code 0} if no response arrived (I/O error, local rate limit). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The API {@code code}, or {@link #NO_API_CODE} if none was received. */
  public long apiCode() {
    return apiCode;
  }

  /** The API {@code message}, or {@code null}. */
  public @Nullable String apiMessage() {
    return apiMessage;
  }

  /** The {@code request_id}, or {@code null}. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** Whether the same call may succeed later without any change. */
  public boolean retryable() {
    return false;
  }
}
