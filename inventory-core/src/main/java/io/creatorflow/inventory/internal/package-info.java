/**
 * Implementation details of the Inventory SDK. <strong>Not for users:</strong> anything here may
 * change or disappear in any release without notice.
 */
@NullMarked
package io.creatorflow.inventory.internal;

import org.jspecify.annotations.NullMarked;
