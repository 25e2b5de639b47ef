/**
 * Implementation details of {@link io.creatorflow.inventory.sync}. <strong>Not for users:</strong>
 * anything here may change or disappear in any release without notice.
 */
@NullMarked
package io.creatorflow.inventory.sync.internal;

import org.jspecify.annotations.NullMarked;
