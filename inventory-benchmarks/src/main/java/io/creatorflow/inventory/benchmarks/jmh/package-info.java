/**
 * JMH benchmarks of single engine operations on every store. Run them from the shaded jar:
 * {@code java -cp inventory-benchmarks/target/inventory-benchmarks.jar org.openjdk.jmh.Main StoreBenchmarks}.
 */
@NullMarked
package io.creatorflow.inventory.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
