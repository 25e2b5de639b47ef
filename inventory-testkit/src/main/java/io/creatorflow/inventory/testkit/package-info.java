/**
 * Test support for the Inventory SDK that integrators use in their own tests.
 *
 * <ul>
 *   <li>{@link io.creatorflow.inventory.testkit.StockStoreCompatibilityKit}: the JUnit 5 suite every
 *       {@link io.creatorflow.inventory.spi.StockStore} must pass, with a stateful jqwik property
 *       against a reference model and the multi-threaded {@link
 *       io.creatorflow.inventory.testkit.ConcurrencyHarness}; {@link
 *       io.creatorflow.inventory.testkit.InventoryInvariants} checks the design notes' invariants on
 *       any engine.
 *   <li>{@link io.creatorflow.inventory.testkit.AlertSinkCompatibilityKit}: the delivery contract
 *       every {@link io.creatorflow.inventory.spi.AlertSink} must keep.
 *   <li>Helpers: {@link io.creatorflow.inventory.testkit.MutableClock}, {@link
 *       io.creatorflow.inventory.testkit.RecordingAlertSink}, {@link
 *       io.creatorflow.inventory.testkit.TestCatalog}, {@link io.creatorflow.inventory.testkit.TestOrders}.
 * </ul>
 *
 * <p>Nothing here is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.testkit;

import org.jspecify.annotations.NullMarked;
