package io.creatorflow.inventory.sync;

/**
 * What a webhook layer did with one delivery, counted by {@link ShopSync#recordWebhook} for health
 * and metrics.
 */
public enum WebhookOutcome {
  /** Verified and recorded (or processed). */
  ACCEPTED,
  /** Verified, and a redelivery of one recorded before. */
  DUPLICATE,
  /** Verified but of no interest (unknown type, other shop). */
  IGNORED,
  /** Refused: bad signature, stale, malformed or too large. */
  REJECTED,
  /** Could not be recorded; the shop will redeliver. */
  FAILED
}
