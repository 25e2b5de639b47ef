/**
 * Implementation details of the TikTok Shop client: signing, the HTTP call loop, JSON helpers and
 * paging cursors. <strong>Not for users:</strong> anything here may change or disappear in any release
 * without notice.
 */
@NullMarked
package io.creatorflow.inventory.tiktok.internal;

import org.jspecify.annotations.NullMarked;
