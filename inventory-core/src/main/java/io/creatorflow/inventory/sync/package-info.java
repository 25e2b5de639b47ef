/**
 * Shop sync: keeps a sales channel (such as TikTok Shop) in step with the engine, shop-neutrally on
 * the {@link io.creatorflow.inventory.spi.ShopClient} SPI.
 *
 * <ul>
 *   <li>{@link io.creatorflow.inventory.sync.ShopSync}: pushes every committed change of a SKU's
 *       available quantity to the shop (coalesced per SKU, batched, rate-limited, retried), drives
 *       engine orders to the shop's order state (from webhooks and from a periodic poll, forward only,
 *       exactly once), reconciles the shop's catalog page by page and reports or repairs drift.
 *   <li>{@link io.creatorflow.inventory.sync.ChannelPolicy}: what the shop is shown for an available
 *       quantity (buffer, cap, out-of-stock rule).
 *   <li>{@link io.creatorflow.inventory.sync.PushPolicy}, {@link io.creatorflow.inventory.sync.OrderPolicy},
 *       {@link io.creatorflow.inventory.sync.ReconcilePolicy}: tuning, each with validated builders.
 *   <li>{@link io.creatorflow.inventory.sync.SyncListener}: push, order, reconcile and webhook
 *       outcomes, for logs, dashboards and metrics ({@code sync.micrometer} binds Micrometer).
 * </ul>
 *
 * <p>Local stock is never overwritten with shop numbers: the engine is the single source of truth,
 * the shop is told, and differences are reported as drift.
 *
 * <p>Every type in this package is immutable and thread-safe unless its Javadoc says otherwise.
 * Nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.sync;

import org.jspecify.annotations.NullMarked;
