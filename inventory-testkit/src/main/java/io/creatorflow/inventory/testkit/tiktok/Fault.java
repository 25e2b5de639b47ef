package io.creatorflow.inventory.testkit.tiktok;

/** A failure the emulator can answer a request with instead of (or after) serving it. */
public enum Fault {
  /** HTTP 500 with an HTML body (not a TikTok envelope). */
  SERVER_ERROR,
  /** HTTP 200 with code {@code 36009003} "internal error". */
  INTERNAL_ERROR,
  /** HTTP 429 with code {@code 36009002} and a {@code Retry-After} header. */
  RATE_LIMITED,
  /** The connection is closed without an answer; the request was not applied. */
  DROP_CONNECTION,
  /** The request is applied, then the connection is closed without an answer. */
  DROP_AFTER_APPLYING,
  /** No answer at all, the socket stays open: the client's read time-out fires. */
  TIMEOUT,
  /** HTTP 200 with a truncated JSON body. */
  MALFORMED_BODY,
  /** HTTP 401 with code {@code 105002} "access token expired". */
  ACCESS_TOKEN_EXPIRED
}
