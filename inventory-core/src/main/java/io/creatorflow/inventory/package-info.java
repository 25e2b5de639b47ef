/**
 * The public API of the Inventory SDK: {@link io.creatorflow.inventory.InventoryEngine}, its value
 * types, requests, results and exceptions.
 *
 * <p>Every type in this package is immutable and thread-safe unless its Javadoc says otherwise.
 * Nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory;

import org.jspecify.annotations.NullMarked;
