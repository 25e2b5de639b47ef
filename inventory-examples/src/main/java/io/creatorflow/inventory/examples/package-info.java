/** Runnable examples of wiring the Inventory SDK into a host application. */
@NullMarked
package io.creatorflow.inventory.examples;

import org.jspecify.annotations.NullMarked;
