/**
 * Micrometer meters for shop sync and alerts. The only package of {@code inventory-core} that uses
 * Micrometer, which is an optional dependency: hosts that use these classes put {@code
 * io.micrometer:micrometer-core} on their class path; everything else works without it.
 */
@NullMarked
package io.creatorflow.inventory.sync.micrometer;

import org.jspecify.annotations.NullMarked;
