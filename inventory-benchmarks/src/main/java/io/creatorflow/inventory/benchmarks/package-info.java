/**
 * Benchmarks of the Inventory SDK: a scenario runner ({@link
 * io.creatorflow.inventory.benchmarks.BenchmarkRunner}) that measures flash sales, shop sync,
 * reconciliation, webhooks and the REST API against a seed-style baseline in the same run, and JMH
 * benchmarks of single engine operations per store. Not an API module.
 */
@NullMarked
package io.creatorflow.inventory.benchmarks;

import org.jspecify.annotations.NullMarked;
