/**
 * TikTok Shop webhooks for a host's own HTTP server, framework-neutral: raw bytes and headers in, a
 * {@link io.creatorflow.inventory.tiktok.webhook.WebhookResult} (verdict, HTTP status to answer,
 * typed event) out.
 *
 * <ul>
 *   <li>{@link io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifier}: checks size, the
 *       {@code Authorization} HMAC (in constant time, on the raw body, before parsing) and freshness,
 *       then parses the event.
 *   <li>{@link io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler}: verifies, then records
 *       the event in an {@link io.creatorflow.inventory.spi.EventInbox} keyed on {@code
 *       tts_notification_id}, so a redelivery is recognised as a duplicate across restarts and
 *       instances.
 *   <li>{@link io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent}: the typed events.
 * </ul>
 *
 * Types here are immutable and thread-safe; nothing is {@code null} unless annotated {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.tiktok.webhook;

import org.jspecify.annotations.NullMarked;
