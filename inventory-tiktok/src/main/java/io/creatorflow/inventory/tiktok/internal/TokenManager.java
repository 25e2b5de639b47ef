package io.creatorflow.inventory.tiktok.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.creatorflow.inventory.tiktok.TikTokApiException;
import io.creatorflow.inventory.tiktok.TikTokAuthException;
import io.creatorflow.inventory.tiktok.TikTokCredentials;
import io.creatorflow.inventory.tiktok.TikTokShopConfig;
import io.creatorflow.inventory.tiktok.TikTokTokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a seller's tokens and keeps the access token fresh: refreshed through the token endpoint
 * {@link TikTokShopConfig#tokenRefreshMargin()} before it expires, and once when TikTok answers
 * {@code 105002}. Every new pair is handed to the host's {@link TikTokTokenStore} before use.
 *
 * <p>Thread-safe: one refresh at a time; threads that find a refresh done by another use its result.
 */
public final class TokenManager {
  private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);
  static final String REFRESH_PATH = "/api/v2/token/refresh";
  static final String GET_PATH = "/api/v2/token/get";

  /** Calls a token endpoint, returning {@code data}. */
  @FunctionalInterface
  public interface Transport {
    JsonNode call(String operation, String path, Map<String, String> query);
  }

  /** The credentials to start with, if any, and where new ones go. */
  public record Initial(@Nullable TikTokCredentials credentials, TikTokTokenStore store) {}

  private final TikTokShopConfig config;
  private final Clock clock;
  private final Transport transport;
  private final TikTokTokenStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable TikTokCredentials current;

  TokenManager(TikTokShopConfig config, Clock clock, Transport transport, Initial initial) {
    this.config = config;
    this.clock = clock;
    this.transport = transport;
    this.store = initial.store();
    this.current = initial.credentials();
  }

  /** The current credentials, or {@code null} before any were supplied or exchanged. */
  public @Nullable TikTokCredentials credentials() {
    return current;
  }

  /** A usable access token, refreshing first when it expires within the margin. */
  public String accessToken() {
    TikTokCredentials creds = requireCredentials();
    if (!needsRefresh(creds)) {
      return creds.accessToken();
    }
    lock.lock();
    try {
      creds = requireCredentials();
      if (!needsRefresh(creds)) {
        return creds.accessToken();
      }
      try {
        return refreshLocked(creds).accessToken();
      } catch (TikTokApiException e) {
        if (e.retryable() && clock.instant().isBefore(creds.accessTokenExpiresAt())) {
          LOG.warn("TikTok token refresh failed transiently; the current access token is valid until {}: {}",
              creds.accessTokenExpiresAt(), e.getMessage());
          return creds.accessToken();
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refreshes after TikTok rejected {@code rejectedToken} as expired, unless another thread has
   * replaced it already.
   */
  public void refreshAfterRejection(String rejectedToken) {
    lock.lock();
    try {
      TikTokCredentials creds = requireCredentials();
      if (creds.accessToken().equals(rejectedToken)) {
        refreshLocked(creds);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Refreshes now, whatever the expiry. */
  public TikTokCredentials refresh() {
    lock.lock();
    try {
      return refreshLocked(requireCredentials());
    } finally {
      lock.unlock();
    }
  }

  /** Exchanges a seller's authorization code for tokens and makes them current. */
  public TikTokCredentials exchange(String authCode) {
    lock.lock();
    try {
      JsonNode data =
          transport.call(
              "token exchange",
              GET_PATH,
              Map.of(
                  "app_key", config.appKey(),
                  "app_secret", config.appSecret(),
                  "auth_code", authCode,
                  "grant_type", "authorized_code"));
      return install(parse("token exchange", data));
    } finally {
      lock.unlock();
    }
  }

  /** The secrets to redact from any text: the app secret and the current tokens. */
  public List<String> secrets() {
    List<String> out = new ArrayList<>(3);
    out.add(config.appSecret());
    TikTokCredentials creds = current;
    if (creds != null) {
      out.add(creds.accessToken());
      out.add(creds.refreshToken());
    }
    return out;
  }

  private boolean needsRefresh(TikTokCredentials creds) {
    return !clock.instant().plus(config.tokenRefreshMargin()).isBefore(creds.accessTokenExpiresAt());
  }

  private TikTokCredentials requireCredentials() {
    TikTokCredentials creds = current;
    if (creds == null) {
      throw new TikTokAuthException("access token", 0, TikTokApiException.NO_API_CODE, null, null,
          "no credentials: supply them to the builder or exchange an authorization code first", null);
    }
    return creds;
  }

  private TikTokCredentials refreshLocked(TikTokCredentials creds) {
    Instant now = clock.instant();
    if (!now.isBefore(creds.refreshTokenExpiresAt())) {
      throw new TikTokAuthException("token refresh", 0, TikTokApiException.NO_API_CODE, null, null,
          "the refresh token expired at " + creds.refreshTokenExpiresAt()
              + "; the seller must authorize the app again", null);
    }
    JsonNode data =
        transport.call(
            "token refresh",
            REFRESH_PATH,
            Map.of(
                "app_key", config.appKey(),
                "app_secret", config.appSecret(),
                "refresh_token", creds.refreshToken(),
                "grant_type", "refresh_token"));
    TikTokCredentials fresh = install(parse("token refresh", data));
    LOG.info("TikTok access token refreshed; it expires at {}", fresh.accessTokenExpiresAt());
    return fresh;
  }

  private TikTokCredentials install(TikTokCredentials fresh) {
    try {
      store.save(fresh);
    } catch (RuntimeException e) {
      throw new TikTokAuthException("token store", 0, TikTokApiException.NO_API_CODE, null, null,
          "the host's token store failed: " + e.getClass().getName(), e);
    }
    current = fresh;
    return fresh;
  }

  private static TikTokCredentials parse(String operation, JsonNode data) {
    String access = Json.text(data, "access_token");
    String refresh = Json.text(data, "refresh_token");
    Instant accessExpiry = Json.epochSeconds(data, "access_token_expire_in");
    Instant refreshExpiry = Json.epochSeconds(data, "refresh_token_expire_in");
    if (access == null || access.isBlank() || refresh == null || refresh.isBlank() || accessExpiry == null
        || refreshExpiry == null) {
      throw new TikTokAuthException(operation, 200, 0, null, null,
          "the token response lacks access_token, refresh_token or their expiry times", null);
    }
    return new TikTokCredentials(access, accessExpiry, refresh, refreshExpiry);
  }
}
