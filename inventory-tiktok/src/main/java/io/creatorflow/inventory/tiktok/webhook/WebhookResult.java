package io.creatorflow.inventory.tiktok.webhook;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a webhook delivery.
 *
 * @param verdict what happened; {@link WebhookVerdict#httpStatus()} is the status to answer
 * @param event the parsed event; present for every verdict after a successful verification ({@link
 *     WebhookVerdict#ACCEPTED}, {@link WebhookVerdict#DUPLICATE}, {@link WebhookVerdict#IGNORED},
 *     {@link WebhookVerdict#RETRY_LATER}), {@code null} for rejections
 * @param detail why, for logs; never contains the secret or the signature
 */
public record WebhookResult(WebhookVerdict verdict, @Nullable TikTokWebhookEvent event, String detail) {

  /** The HTTP status to answer TikTok with. */
  public int httpStatus() {
    return verdict.httpStatus();
  }

  static WebhookResult rejected(WebhookVerdict verdict, String detail) {
    return new WebhookResult(verdict, null, detail);
  }
}
