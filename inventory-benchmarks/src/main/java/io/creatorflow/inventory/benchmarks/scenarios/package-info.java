/** The scenarios of the benchmark runner. */
@NullMarked
package io.creatorflow.inventory.benchmarks.scenarios;

import org.jspecify.annotations.NullMarked;
