/**
 * A TikTok Shop emulator for tests: {@link io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator}
 * runs an in-process HTTP server that speaks the TikTok Shop Open API endpoints the SDK uses (signed
 * requests, tokens, token paging, rate limits, faults) over an in-memory shop, and sends signed
 * webhooks when orders change.
 *
 * <p>It checks signatures with its own implementation of TikTok's scheme, so a client's signing bugs
 * show up as {@code 106001} answers instead of passing silently. Values here are immutable; the
 * emulator itself is thread-safe. Nothing is {@code null} unless annotated {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.testkit.tiktok;

import org.jspecify.annotations.NullMarked;
