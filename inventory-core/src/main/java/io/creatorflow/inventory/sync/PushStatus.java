package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.Sku;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where pushes of one SKU stand.
 *
 * @param lastPushedQuantity the last quantity the shop acknowledged since this {@link ShopSync}
 *     started, or {@code null}
 * @param lastPushedAt when the shop acknowledged it, or {@code null}
 * @param pending whether a push is waiting or in flight
 * @param failedAttempts consecutive failed attempts of the pending push
 * @param lastFailure the last push of this SKU that failed for good (rejected, gave up, dropped),
 *     until a later push is accepted; or {@code null}
 */
public record PushStatus(
    Sku sku,
    @Nullable Long lastPushedQuantity,
    @Nullable Instant lastPushedAt,
    boolean pending,
    int failedAttempts,
    @Nullable PushOutcome lastFailure) {}
