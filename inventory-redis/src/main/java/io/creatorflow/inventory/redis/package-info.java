/**
 * A {@link io.creatorflow.inventory.spi.StockStore} on Redis: {@link
 * io.creatorflow.inventory.redis.RedisStockStore}, built on a host-supplied Lettuce connection, with
 * its retention settings {@link io.creatorflow.inventory.redis.LedgerRetention} and {@link
 * io.creatorflow.inventory.redis.IdempotencyRetention}.
 *
 * <p>Nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.redis;

import org.jspecify.annotations.NullMarked;
