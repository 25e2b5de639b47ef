package io.creatorflow.inventory.tiktok.webhook;

import java.time.Instant;

/**
 * The fields every TikTok Shop notification carries.
 *
 * @param type the event type (1 order status, 5 product status, 11 cancellation, 12 return, 27
 *     inventory status, ...)
 * @param notificationId {@code tts_notification_id}, unique per notification and the same on every
 *     redelivery: the deduplication key
 * @param shopId the shop it is about
 * @param timestamp when TikTok created the notification
 */
public record WebhookEnvelope(int type, String notificationId, String shopId, Instant timestamp) {}
