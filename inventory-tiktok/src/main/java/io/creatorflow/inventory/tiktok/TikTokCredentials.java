package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.internal.Checks;
import java.time.Instant;

/**
 * A seller's tokens as the TikTok Shop token endpoints return them. {@code toString()} masks both
 * tokens, so a credentials value can be logged safely; the tokens themselves are never logged by this
 * SDK.
 *
 * @param accessToken sent as {@code x-tts-access-token}
 * @param accessTokenExpiresAt when the access token stops working ({@code access_token_expire_in} is an
 *     absolute Unix time)
 * @param refreshToken exchanges for a new access token
 * @param refreshTokenExpiresAt when the refresh token stops working; after that the seller must
 *     authorize the app again
 */
public record TikTokCredentials(
    String accessToken, Instant accessTokenExpiresAt, String refreshToken, Instant refreshTokenExpiresAt) {

  public TikTokCredentials {
    Checks.notNull(accessToken, "accessToken");
    Checks.notNull(refreshToken, "refreshToken");
    Checks.notNull(accessTokenExpiresAt, "accessTokenExpiresAt");
    Checks.notNull(refreshTokenExpiresAt, "refreshTokenExpiresAt");
    if (accessToken.isBlank()) {
      throw new io.creatorflow.inventory.InvalidRequestException("accessToken must not be blank");
    }
    if (refreshToken.isBlank()) {
      throw new io.creatorflow.inventory.InvalidRequestException("refreshToken must not be blank");
    }
  }

  @Override
  public String toString() {
    return "TikTokCredentials[accessToken=****, accessTokenExpiresAt="
        + accessTokenExpiresAt
        + ", refreshToken=****, refreshTokenExpiresAt="
        + refreshTokenExpiresAt
        + "]";
  }
}
