package io.creatorflow.inventory.tiktok.webhook;

/**
 * What became of a webhook delivery, and the HTTP status to answer TikTok with. TikTok redelivers on
 * anything but a 2xx, so only failures where a redelivery can help (the inbox was down) answer 5xx;
 * processing happens later, from the inbox, and never decides the answer.
 */
public enum WebhookVerdict {
  /** Verified and recorded (or, from the verifier alone, verified and parsed). */
  ACCEPTED(200),
  /** Verified, and recorded before: a redelivery. Acknowledge it so TikTok stops. */
  DUPLICATE(200),
  /** Verified but of no interest (an unknown type, a shop no tenant owns): acknowledged, not recorded. */
  IGNORED(200),
  /** The {@code Authorization} header is missing, empty, malformed, or does not match. */
  REJECTED_SIGNATURE(401),
  /** Correctly signed but older than the tolerance (or too far in the future): a replay. */
  REJECTED_STALE(401),
  /** Correctly signed but not a readable TikTok notification (bad UTF-8, bad JSON, missing fields). */
  REJECTED_MALFORMED(400),
  /** The body exceeds the size limit; it was not read further. */
  REJECTED_TOO_LARGE(413),
  /** The inbox could not record it; TikTok's redelivery will bring it again. */
  RETRY_LATER(503);

  private final int httpStatus;

  WebhookVerdict(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The status to answer with (always with an empty body). */
  public int httpStatus() {
    return httpStatus;
  }

  /** Whether the delivery is acknowledged with a 2xx. */
  public boolean acknowledged() {
    return httpStatus >= 200 && httpStatus < 300;
  }
}
