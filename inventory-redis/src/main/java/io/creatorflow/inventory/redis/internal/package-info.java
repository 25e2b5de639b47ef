/**
 * Implementation details of the Redis store: key schema, value codecs, the Lua scripts and the
 * Lettuce gateway. Not an API: anything here may change in any release.
 */
@NullMarked
package io.creatorflow.inventory.redis.internal;

import org.jspecify.annotations.NullMarked;
