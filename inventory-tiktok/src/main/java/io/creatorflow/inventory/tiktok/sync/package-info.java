/**
 * TikTok Shop specifics of {@link io.creatorflow.inventory.sync.ShopSync}: {@link
 * io.creatorflow.inventory.tiktok.sync.TikTokOrderEvents} turns verified webhooks (at once, or from
 * the event inbox) into order syncs, reads returns, and classifies TikTok exceptions for retries.
 *
 * Types here are thread-safe; nothing is {@code null} unless annotated {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.tiktok.sync;

import org.jspecify.annotations.NullMarked;
