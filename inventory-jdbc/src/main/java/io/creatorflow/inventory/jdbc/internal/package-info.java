/**
 * Implementation details of {@code inventory-jdbc}: SQL text per dialect, the mutation writer, the
 * group-commit combiner, row mapping and error translation. <strong>Not for users:</strong> anything
 * here may change or disappear in any release without notice.
 */
@NullMarked
package io.creatorflow.inventory.jdbc.internal;

import org.jspecify.annotations.NullMarked;
