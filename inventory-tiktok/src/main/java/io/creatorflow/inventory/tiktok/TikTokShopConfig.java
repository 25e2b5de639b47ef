package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link TikTokShopApi}: the app's key and secret, the hosts, time-outs, the
 * rate limit, retries and API versions. Build with {@link #builder()}; every setter validates at once
 * and names the bad value in its message ({@link InvalidRequestException}). {@link #toString()} masks
 * the app secret.
 *
 * <p>Defaults follow TikTok's documentation: 50 requests per second per API and shop, the production
 * hosts, version {@value TikTokEndpoint#DEFAULT_VERSION} for every endpoint, and a search-result cap of
 * 10,000.
 */
public final class TikTokShopConfig {
  /** The production Open API host. */
  public static final String DEFAULT_BASE_URL = "https://open-api.tiktokglobalshop.com";
  /** The production token host ({@code /api/v2/token/get}, {@code /api/v2/token/refresh}). */
  public static final String DEFAULT_AUTH_BASE_URL = "https://auth.tiktok-shops.com";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
  /** The limit on one HTTP exchange, connect to last byte; retries get a fresh one each. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** TikTok's documented limit: 50 requests per second per API, app and shop. */
  public static final int DEFAULT_QPS = 50;
  /** How long a call waits for a permit of the local rate limiter before failing. */
  public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(10);
  /** Attempts per call, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  /** The longest {@code Retry-After} waited for on the calling thread; longer ones fail the call. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
  /** Access tokens are refreshed this long before they expire. */
  public static final Duration DEFAULT_TOKEN_REFRESH_MARGIN = Duration.ofMinutes(10);
  /** Product search returns at most this many results per query (error {@code 12052180} past it). */
  public static final int DEFAULT_SEARCH_RESULT_CAP = 10_000;
  /** Where catalog paging by update-time windows starts: before any TikTok Shop product existed. */
  public static final Instant DEFAULT_CATALOG_EPOCH = Instant.parse("2016-01-01T00:00:00Z");
  /** Orders per page of {@link TikTokShopClient#ordersUpdated}. */
  public static final int DEFAULT_ORDER_PAGE_SIZE = 100;

  private static final Pattern VERSION = Pattern.compile("\\d{6}");

  /**
   * How many units one order line item stands for. TikTok's order API has one line item per unit
   * (unconfirmed), so {@link #ONE_PER_LINE_ITEM} is the default; {@link #QUANTITY_FIELD} reads a
   * {@code quantity} field when the line item has one (and counts 1 when it has none).
   */
  public enum LineItemQuantity {
    ONE_PER_LINE_ITEM,
    QUANTITY_FIELD
  }

  private final String appKey;
  private final String appSecret;
  private final HttpUrl baseUrl;
  private final HttpUrl authBaseUrl;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final int qps;
  private final Duration rateLimitWait;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final Duration tokenRefreshMargin;
  private final int searchResultCap;
  private final Instant catalogEpoch;
  private final int orderPageSize;
  private final LineItemQuantity lineItemQuantity;
  private final Map<TikTokEndpoint, String> versions;

  private TikTokShopConfig(Builder b) {
    if (b.appKey == null) {
      throw new InvalidRequestException("appKey is required");
    }
    if (b.appSecret == null) {
      throw new InvalidRequestException("appSecret is required");
    }
    if (b.maxBackoff.compareTo(b.initialBackoff) < 0) {
      throw new InvalidRequestException(
          "maxBackoff (" + b.maxBackoff + ") must not be shorter than initialBackoff (" + b.initialBackoff + ")");
    }
    this.appKey = b.appKey;
    this.appSecret = b.appSecret;
    this.baseUrl = b.baseUrl;
    this.authBaseUrl = b.authBaseUrl;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.callTimeout = b.callTimeout;
    this.qps = b.qps;
    this.rateLimitWait = b.rateLimitWait;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.tokenRefreshMargin = b.tokenRefreshMargin;
    this.searchResultCap = b.searchResultCap;
    this.catalogEpoch = b.catalogEpoch;
    this.orderPageSize = b.orderPageSize;
    this.lineItemQuantity = b.lineItemQuantity;
    this.versions = Collections.unmodifiableMap(new EnumMap<>(b.versions));
  }

  /** A builder with every default; {@link Builder#appKey} and {@link Builder#appSecret} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public String appKey() {
    return appKey;
  }

  /** The app secret. Keep it out of logs; this class's {@link #toString()} does. */
  public String appSecret() {
    return appSecret;
  }

  public HttpUrl baseUrl() {
    return baseUrl;
  }

  public HttpUrl authBaseUrl() {
    return authBaseUrl;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public Duration callTimeout() {
    return callTimeout;
  }

  /** Requests per second per endpoint and shop, enforced locally before TikTok has to. */
  public int qps() {
    return qps;
  }

  public Duration rateLimitWait() {
    return rateLimitWait;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  public Duration tokenRefreshMargin() {
    return tokenRefreshMargin;
  }

  public int searchResultCap() {
    return searchResultCap;
  }

  public Instant catalogEpoch() {
    return catalogEpoch;
  }

  public int orderPageSize() {
    return orderPageSize;
  }

  public LineItemQuantity lineItemQuantity() {
    return lineItemQuantity;
  }

  /** The version used in {@code endpoint}'s path. */
  public String apiVersion(TikTokEndpoint endpoint) {
    return versions.getOrDefault(endpoint, TikTokEndpoint.DEFAULT_VERSION);
  }

  @Override
  public String toString() {
    return "TikTokShopConfig[appKey=" + appKey
        + ", appSecret=****"
        + ", baseUrl=" + baseUrl
        + ", authBaseUrl=" + authBaseUrl
        + ", connectTimeout=" + connectTimeout
        + ", readTimeout=" + readTimeout
        + ", callTimeout=" + callTimeout
        + ", qps=" + qps
        + ", rateLimitWait=" + rateLimitWait
        + ", maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff
        + ", maxRetryAfter=" + maxRetryAfter
        + ", tokenRefreshMargin=" + tokenRefreshMargin
        + ", searchResultCap=" + searchResultCap
        + ", catalogEpoch=" + catalogEpoch
        + ", orderPageSize=" + orderPageSize
        + ", lineItemQuantity=" + lineItemQuantity
        + ", versions=" + versions
        + "]";
  }

  /** Builds a {@link TikTokShopConfig}. Not thread-safe; each setter validates its argument. */
  public static final class Builder {
    private @Nullable String appKey;
    private @Nullable String appSecret;
    private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
    private HttpUrl authBaseUrl = HttpUrl.get(DEFAULT_AUTH_BASE_URL);
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private int qps = DEFAULT_QPS;
    private Duration rateLimitWait = DEFAULT_RATE_LIMIT_WAIT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration tokenRefreshMargin = DEFAULT_TOKEN_REFRESH_MARGIN;
    private int searchResultCap = DEFAULT_SEARCH_RESULT_CAP;
    private Instant catalogEpoch = DEFAULT_CATALOG_EPOCH;
    private int orderPageSize = DEFAULT_ORDER_PAGE_SIZE;
    private LineItemQuantity lineItemQuantity = LineItemQuantity.ONE_PER_LINE_ITEM;
    private final EnumMap<TikTokEndpoint, String> versions = new EnumMap<>(TikTokEndpoint.class);

    private Builder() {}

    private Builder(TikTokShopConfig c) {
      appKey = c.appKey;
      appSecret = c.appSecret;
      baseUrl = c.baseUrl;
      authBaseUrl = c.authBaseUrl;
      connectTimeout = c.connectTimeout;
      readTimeout = c.readTimeout;
      callTimeout = c.callTimeout;
      qps = c.qps;
      rateLimitWait = c.rateLimitWait;
      maxAttempts = c.maxAttempts;
      initialBackoff = c.initialBackoff;
      maxBackoff = c.maxBackoff;
      maxRetryAfter = c.maxRetryAfter;
      tokenRefreshMargin = c.tokenRefreshMargin;
      searchResultCap = c.searchResultCap;
      catalogEpoch = c.catalogEpoch;
      orderPageSize = c.orderPageSize;
      lineItemQuantity = c.lineItemQuantity;
      versions.putAll(c.versions);
    }

    /** The app key from Partner Center (sent in every request, not a secret). Required. */
    public Builder appKey(String appKey) {
      if (appKey == null || appKey.isBlank() || !appKey.equals(appKey.strip())) {
        throw new InvalidRequestException("appKey must be non-blank without surrounding white space, was '" + appKey + "'");
      }
      this.appKey = appKey;
      return this;
    }

    /** The app secret from Partner Center. Required; never echoed in any message. */
    public Builder appSecret(String appSecret) {
      if (appSecret == null || appSecret.isBlank() || !appSecret.equals(appSecret.strip())) {
        throw new InvalidRequestException("appSecret must be non-blank without surrounding white space");
      }
      this.appSecret = appSecret;
      return this;
    }

    /** The Open API host, {@value #DEFAULT_BASE_URL} by default; tests point it at an emulator. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = hostUrl(baseUrl, "baseUrl");
      return this;
    }

    /** The token host, {@value #DEFAULT_AUTH_BASE_URL} by default. */
    public Builder authBaseUrl(String authBaseUrl) {
      this.authBaseUrl = hostUrl(authBaseUrl, "authBaseUrl");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** Requests per second per endpoint and shop, 1 to 10,000; default {@value #DEFAULT_QPS}. */
    public Builder qps(int qps) {
      if (qps < 1 || qps > 10_000) {
        throw new InvalidRequestException("qps must be between 1 and 10000, was " + qps);
      }
      this.qps = qps;
      return this;
    }

    /** How long a call may wait for a local rate-limit permit; zero fails at once when none is free. */
    public Builder rateLimitWait(Duration wait) {
      this.rateLimitWait = nonNegative(wait, "rateLimitWait");
      return this;
    }

    /** Attempts per call including the first, 1 to 10; default {@value #DEFAULT_MAX_ATTEMPTS}. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new InvalidRequestException("maxAttempts must be between 1 and 10, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The base of the exponential backoff (doubled per retry, with jitter). */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = positive(backoff, "initialBackoff");
      return this;
    }

    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = positive(backoff, "maxBackoff");
      return this;
    }

    /** The longest {@code Retry-After} honoured by waiting; a longer one fails the call at once. */
    public Builder maxRetryAfter(Duration max) {
      this.maxRetryAfter = nonNegative(max, "maxRetryAfter");
      return this;
    }

    public Builder tokenRefreshMargin(Duration margin) {
      this.tokenRefreshMargin = nonNegative(margin, "tokenRefreshMargin");
      return this;
    }

    /** TikTok's cap on results per product search, default {@value #DEFAULT_SEARCH_RESULT_CAP}. */
    public Builder searchResultCap(int cap) {
      if (cap < 100) {
        throw new InvalidRequestException("searchResultCap must be at least 100, was " + cap);
      }
      this.searchResultCap = cap;
      return this;
    }

    /** The earliest product update time catalog paging looks at. */
    public Builder catalogEpoch(Instant epoch) {
      if (epoch == null || epoch.getEpochSecond() < 0) {
        throw new InvalidRequestException("catalogEpoch must be a time after 1970, was " + epoch);
      }
      this.catalogEpoch = epoch;
      return this;
    }

    /** Orders per page when listing updated orders, 1 to 100. */
    public Builder orderPageSize(int size) {
      if (size < 1 || size > 100) {
        throw new InvalidRequestException("orderPageSize must be between 1 and 100, was " + size);
      }
      this.orderPageSize = size;
      return this;
    }

    public Builder lineItemQuantity(LineItemQuantity mode) {
      if (mode == null) {
        throw new InvalidRequestException("lineItemQuantity must not be null");
      }
      this.lineItemQuantity = mode;
      return this;
    }

    /** The version in {@code endpoint}'s path, six digits such as {@code 202502}. */
    public Builder apiVersion(TikTokEndpoint endpoint, String version) {
      if (endpoint == null) {
        throw new InvalidRequestException("endpoint must not be null");
      }
      if (version == null || !VERSION.matcher(version).matches()) {
        throw new InvalidRequestException(
            "API version of " + endpoint + " must be six digits such as 202309, was '" + version + "'");
      }
      versions.put(endpoint, version);
      return this;
    }

    public TikTokShopConfig build() {
      return new TikTokShopConfig(this);
    }

    private static HttpUrl hostUrl(@Nullable String value, String name) {
      HttpUrl url = value == null ? null : HttpUrl.parse(value);
      if (url == null) {
        throw new InvalidRequestException(name + " must be an http(s) URL, was '" + value + "'");
      }
      if (!url.encodedPath().equals("/") || url.encodedQuery() != null) {
        throw new InvalidRequestException(
            name + " must be a bare host URL without path or query (the sign covers the path), was '" + value + "'");
      }
      return url;
    }

    private static Duration positive(@Nullable Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidRequestException(name + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration nonNegative(@Nullable Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new InvalidRequestException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
