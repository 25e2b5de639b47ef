/**
 * A TikTok Shop Open API client for the Inventory SDK.
 *
 * <ul>
 *   <li>{@link io.creatorflow.inventory.tiktok.TikTokShopConfig}: immutable settings (app key and
 *       secret, hosts, timeouts, rate limit, retries, API versions).
 *   <li>{@link io.creatorflow.inventory.tiktok.TikTokShopApi}: the typed, low-level API: signed
 *       requests, token refresh, rate limiting, retries and error mapping, one method per endpoint.
 *   <li>{@link io.creatorflow.inventory.tiktok.TikTokShopClient}: the {@link
 *       io.creatorflow.inventory.spi.ShopClient} for one shop, built on the API.
 *   <li>{@link io.creatorflow.inventory.tiktok.TikTokApiException} and its subclasses: every failure,
 *       with HTTP status, API code, message and {@code request_id}.
 * </ul>
 *
 * <p>Webhook verification lives in {@link io.creatorflow.inventory.tiktok.webhook}. The app secret and
 * tokens never appear in logs, {@code toString()} or exception messages. Types here are immutable and
 * thread-safe unless their Javadoc says otherwise; nothing is {@code null} unless annotated {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.tiktok;

import org.jspecify.annotations.NullMarked;
