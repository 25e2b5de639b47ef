/**
 * The in-memory {@link io.creatorflow.inventory.spi.StockStore}: the embedded default, and the
 * reference every other store is compared with.
 */
@NullMarked
package io.creatorflow.inventory.memory;

import org.jspecify.annotations.NullMarked;
