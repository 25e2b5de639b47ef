/**
 * Runnable examples of wiring the Inventory SDK into a host application: {@link
 * io.creatorflow.inventory.examples.QuickStartDemo}, the README's quick start on the console, and
 * {@link io.creatorflow.inventory.examples.InventoryService}, an inventory service on embedded Jetty
 * (TikTok Shop webhooks, REST API, status page) configured by {@link
 * io.creatorflow.inventory.examples.ServiceConfig}. Not an API module: types here may change in any
 * release.
 */
@NullMarked
package io.creatorflow.inventory.examples;

import org.jspecify.annotations.NullMarked;
