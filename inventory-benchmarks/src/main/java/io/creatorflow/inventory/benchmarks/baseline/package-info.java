/**
 * Seed-style baselines: what a user would otherwise write, following the seed documents' code
 * (a {@code SELECT ... FOR UPDATE} reservation with a separate ledger insert; a catalog sync with one
 * product GET per SKU in batches of 100 and a one-second pause per batch). They live here only to be
 * measured against the SDK in the same run; they are deliberately not the SDK's design.
 */
@NullMarked
package io.creatorflow.inventory.benchmarks.baseline;

import org.jspecify.annotations.NullMarked;
