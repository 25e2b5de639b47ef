/**
 * Service provider interfaces: what a host plugs into the engine.
 *
 * <ul>
 *   <li>{@link io.creatorflow.inventory.spi.StockStore}: where stock, the ledger, orders, alerts and
 *       idempotency records live. A small set of atomic primitives; every business rule (validation,
 *       the order state machine, alert policy, idempotency semantics) lives in the engine, so a store
 *       repeats none of it.
 *   <li>{@link io.creatorflow.inventory.spi.AlertSink}: where alert notifications go.
 *   <li>{@link io.creatorflow.inventory.spi.ShopClient}: a sales channel's API, for sync.
 * </ul>
 *
 * <p>Implementations are registered through builders; nothing is discovered from the class path.
 * Types here are immutable unless stated otherwise.
 */
@NullMarked
package io.creatorflow.inventory.spi;

import org.jspecify.annotations.NullMarked;
