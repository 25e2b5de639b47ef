package io.creatorflow.inventory.tiktok;

/**
 * Where the host keeps a seller's tokens. Called after every successful token exchange or refresh,
 * before the new access token is used, so a refresh token that TikTok rotates is never lost. (Whether
 * TikTok rotates it is not documented; the SDK stores what every response returns.)
 *
 * <p>Called from whichever thread triggered the refresh, at most one call at a time per {@link
 * TikTokShopApi}. Must not call back into the API. An exception thrown here fails the call that
 * needed the token and is wrapped in a {@link TikTokAuthException}.
 */
@FunctionalInterface
public interface TikTokTokenStore {
  /** A store that keeps nothing, for tests and short-lived tools. */
  TikTokTokenStore NONE = credentials -> {};

  /** Persists the credentials (durably, if they must survive a restart). */
  void save(TikTokCredentials credentials);
}
