package io.creatorflow.inventory.tiktok.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.creatorflow.inventory.tiktok.Sleeper;
import io.creatorflow.inventory.tiktok.TikTokApiException;
import io.creatorflow.inventory.tiktok.TikTokAuthException;
import io.creatorflow.inventory.tiktok.TikTokEndpoint;
import io.creatorflow.inventory.tiktok.TikTokInvalidRequestException;
import io.creatorflow.inventory.tiktok.TikTokRateLimitedException;
import io.creatorflow.inventory.tiktok.TikTokShopConfig;
import io.creatorflow.inventory.tiktok.TikTokUnavailableException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call loop behind every TikTok Shop request: serialise the body once, take a rate-limit permit,
 * sign (with a fresh timestamp per attempt), send, parse the envelope whatever the HTTP status, and
 * map the outcome. Retries 429 / {@code 36009002} / 5xx / {@code 36009003} / {@code 36009007} / I/O
 * errors / unreadable responses with exponential backoff and jitter, honouring {@code Retry-After};
 * a call that is not idempotent is retried only when it provably never reached TikTok (connection
 * refused, unknown host, rate limited). An expired access token ({@code 105002}) is refreshed once.
 *
 * <p>Thread-safe. Logs the operation, path (never the query, which carries the sign and, for the
 * token endpoint, the app secret), status, code and {@code request_id}; never a token or secret.
 */
public final class ApiCaller {
  private static final Logger LOG = LoggerFactory.getLogger(ApiCaller.class);
  private static final MediaType JSON = MediaType.get("application/json");

  static final long CODE_OK = 0;
  static final long CODE_TOO_MANY_REQUESTS = 36009002;
  static final long CODE_INTERNAL_ERROR = 36009003;
  static final long CODE_INVALID_PARAMETER = 36009004;
  static final long CODE_GATEWAY_TIMEOUT = 36009007;
  static final long CODE_INVALID_TOKEN = 105001;
  static final long CODE_TOKEN_EXPIRED = 105002;
  static final long CODE_SCOPE_NOT_GRANTED = 105005;
  static final long CODE_INVALID_SIGN = 106001;

  private final TikTokShopConfig config;
  private final OkHttpClient http;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Backoff backoff;
  private final RateLimiterRegistry limiters;
  private final TokenManager tokens;

  public ApiCaller(
      TikTokShopConfig config,
      OkHttpClient http,
      ObjectMapper mapper,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier random,
      TokenManager.Initial initialCredentials) {
    this.config = config;
    this.http = http;
    this.mapper = mapper;
    this.clock = clock;
    this.sleeper = sleeper;
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), random);
    this.limiters =
        RateLimiterRegistry.of(
            RateLimiterConfig.custom()
                .limitForPeriod(config.qps())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(config.rateLimitWait())
                .build());
    this.tokens = new TokenManager(config, clock, this::callTokenEndpoint, initialCredentials);
  }

  public TokenManager tokens() {
    return tokens;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Calls a signed Open API endpoint and returns its {@code data} (an empty object when absent).
   *
   * @param shopCipher sent as {@code shop_cipher} when the endpoint is shop-scoped; also keys the
   *     rate limiter
   * @param pathParams values for the path placeholders, already URL-safe
   * @param query decoded query parameters besides the common ones
   * @param body the JSON body for POST, serialised once and sent as signed; {@code null} for GET
   */
  public JsonNode call(
      TikTokEndpoint endpoint,
      @Nullable String shopCipher,
      Map<String, String> pathParams,
      Map<String, String> query,
      @Nullable JsonNode body) {
    String path = endpoint.path(config.apiVersion(endpoint), pathParams);
    byte[] bodyBytes;
    try {
      bodyBytes = body == null ? null : mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
    if (endpoint.method().equals("POST") && bodyBytes == null) {
      bodyBytes = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    RateLimiter limiter = limiters.rateLimiter((shopCipher == null ? "-" : shopCipher) + "|" + endpoint.name());
    String operation = endpoint.name();
    boolean refreshed = false;
    int attempt = 0;
    while (true) {
      attempt++;
      if (!limiter.acquirePermission()) {
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new TikTokUnavailableException(operation, 0, TikTokApiException.NO_API_CODE, null, null,
              "interrupted while waiting for a rate-limit permit", null);
        }
        throw new TikTokRateLimitedException(operation, 0, TikTokApiException.NO_API_CODE, null, null, null,
            "no local rate-limit permit within " + config.rateLimitWait() + " (" + config.qps() + " requests/s)");
      }
      String accessToken = tokens.accessToken();
      TreeMap<String, String> q = new TreeMap<>(query);
      q.put("app_key", config.appKey());
      q.put("timestamp", Long.toString(clock.instant().getEpochSecond()));
      if (endpoint.shopScoped() && shopCipher != null) {
        q.put("shop_cipher", shopCipher);
      }
      String sign = RequestSigner.sign(config.appSecret(), path, q, bodyBytes);
      HttpUrl.Builder url = config.baseUrl().newBuilder().encodedPath(path);
      q.forEach(url::addQueryParameter);
      url.addQueryParameter("sign", sign);
      Request.Builder request =
          new Request.Builder()
              .url(url.build())
              .header("x-tts-access-token", accessToken)
              .header("content-type", "application/json");
      if (bodyBytes != null) {
        request.method(endpoint.method(), RequestBody.create(bodyBytes, JSON));
      } else {
        request.method(endpoint.method(), null);
      }
      Exchange exchange = execute(request.build(), operation, path, attempt);
      if (exchange.success()) {
        return exchange.data();
      }
      if (exchange.kind == Kind.TOKEN_EXPIRED && !refreshed) {
        refreshed = true;
        attempt--;
        LOG.debug("TikTok {} {}: access token expired (105002), refreshing once", operation, path);
        tokens.refreshAfterRejection(accessToken);
        continue;
      }
      Duration wait = retryDelay(exchange, attempt, true);
      if (wait == null) {
        throw exchange.toException(operation, attempt);
      }
      pause(wait, operation);
    }
  }

  /**
   * Calls a token endpoint (GET, unsigned, no access token) on the auth host and returns {@code
   * data}. Not idempotent: the refresh may rotate the refresh token, so it is retried only when it
   * provably did not reach the server. Every API error is an {@link TikTokAuthException}.
   */
  JsonNode callTokenEndpoint(String operation, String path, Map<String, String> query) {
    int attempt = 0;
    while (true) {
      attempt++;
      HttpUrl.Builder url = config.authBaseUrl().newBuilder().encodedPath(path);
      query.forEach(url::addQueryParameter);
      Request request = new Request.Builder().url(url.build()).get().build();
      Exchange exchange = execute(request, operation, path, attempt);
      if (exchange.success()) {
        return exchange.data();
      }
      Duration wait = retryDelay(exchange, attempt, false);
      if (wait == null) {
        TikTokApiException e = exchange.toException(operation, attempt);
        if (e instanceof TikTokUnavailableException || e instanceof TikTokRateLimitedException) {
          throw e;
        }
        throw new TikTokAuthException(
            operation, e.httpStatus(), e.apiCode(), e.apiMessage(), e.requestId(),
            "the token endpoint refused the request", null);
      }
      pause(wait, operation);
    }
  }

  private @Nullable Duration retryDelay(Exchange exchange, int attempt, boolean idempotent) {
    if (exchange.kind != Kind.RATE_LIMITED && exchange.kind != Kind.TRANSIENT) {
      return null;
    }
    if (!idempotent && !exchange.safeToRepeat) {
      return null;
    }
    if (attempt >= config.maxAttempts()) {
      return null;
    }
    if (exchange.retryAfter != null) {
      return exchange.retryAfter.compareTo(config.maxRetryAfter()) > 0 ? null : exchange.retryAfter;
    }
    return backoff.delay(attempt);
  }

  private void pause(Duration wait, String operation) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TikTokUnavailableException(operation, 0, TikTokApiException.NO_API_CODE, null, null,
          "interrupted while waiting to retry", e);
    }
  }

  private Exchange execute(Request request, String operation, String path, int attempt) {
    int status;
    byte[] bytes;
    String retryAfterHeader;
    try (Response response = http.newCall(request).execute()) {
      status = response.code();
      retryAfterHeader = response.header("Retry-After");
      ResponseBody body = response.body();
      bytes = body == null ? new byte[0] : body.bytes();
    } catch (IOException e) {
      boolean safe =
          e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException;
      if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
        throw new TikTokUnavailableException(operation, 0, TikTokApiException.NO_API_CODE, null, null,
            "interrupted", e);
      }
      LOG.debug("TikTok {} {} attempt {}: {}", operation, path, attempt, e.getClass().getSimpleName());
      return Exchange.io(e, safe);
    }
    Duration retryAfter = Backoff.parseRetryAfter(retryAfterHeader, clock);
    JsonNode root;
    try {
      root = bytes.length == 0 ? null : mapper.readTree(bytes);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject() || !root.has("code")) {
      LOG.debug("TikTok {} {} attempt {}: HTTP {} with an unreadable body", operation, path, attempt, status);
      return Exchange.unreadable(status, retryAfter);
    }
    long code = Json.longValue(root, "code", TikTokApiException.NO_API_CODE);
    String message = Redactor.redact(Json.text(root, "message"), tokens.secrets());
    String requestId = Json.text(root, "request_id");
    LOG.debug("TikTok {} {} attempt {}: HTTP {} code {} request_id {}", operation, path, attempt, status, code, requestId);
    if (status == 200 && code == CODE_OK) {
      JsonNode data = root.get("data");
      return Exchange.ok(data == null || !data.isObject() ? JsonNodeFactory.instance.objectNode() : data);
    }
    return Exchange.failure(status, code, message, requestId, retryAfter);
  }

  enum Kind {
    OK,
    RATE_LIMITED,
    TRANSIENT,
    TOKEN_EXPIRED,
    AUTH,
    INVALID,
    OTHER
  }

  /** One HTTP exchange's classified outcome. */
  private static final class Exchange {
    final Kind kind;
    final int status;
    final long code;
    final @Nullable String message;
    final @Nullable String requestId;
    final @Nullable Duration retryAfter;
    final boolean safeToRepeat;
    final @Nullable JsonNode data;
    final @Nullable Throwable cause;
    final @Nullable String detail;

    private Exchange(Kind kind, int status, long code, @Nullable String message, @Nullable String requestId,
        @Nullable Duration retryAfter, boolean safeToRepeat, @Nullable JsonNode data, @Nullable Throwable cause,
        @Nullable String detail) {
      this.kind = kind;
      this.status = status;
      this.code = code;
      this.message = message;
      this.requestId = requestId;
      this.retryAfter = retryAfter;
      this.safeToRepeat = safeToRepeat;
      this.data = data;
      this.cause = cause;
      this.detail = detail;
    }

    static Exchange ok(JsonNode data) {
      return new Exchange(Kind.OK, 200, CODE_OK, null, null, null, true, data, null, null);
    }

    static Exchange io(IOException e, boolean safe) {
      return new Exchange(Kind.TRANSIENT, 0, TikTokApiException.NO_API_CODE, null, null, null, safe, null, e,
          "I/O error: " + e.getClass().getSimpleName());
    }

    static Exchange unreadable(int status, @Nullable Duration retryAfter) {
      Kind kind = byStatus(status);
      if (kind == Kind.OTHER) {
        kind = Kind.TRANSIENT;
      }
      return new Exchange(kind, status, TikTokApiException.NO_API_CODE, null, null, retryAfter,
          kind == Kind.RATE_LIMITED, null, null, "the response body is not a TikTok JSON envelope");
    }

    static Exchange failure(int status, long code, @Nullable String message, @Nullable String requestId,
        @Nullable Duration retryAfter) {
      Kind kind;
      if (code == CODE_TOO_MANY_REQUESTS || status == 429) {
        kind = Kind.RATE_LIMITED;
      } else if (code == CODE_TOKEN_EXPIRED) {
        kind = Kind.TOKEN_EXPIRED;
      } else if (code == CODE_INVALID_TOKEN || code == CODE_SCOPE_NOT_GRANTED || code == CODE_INVALID_SIGN) {
        kind = Kind.AUTH;
      } else if (code == CODE_INTERNAL_ERROR || code == CODE_GATEWAY_TIMEOUT) {
        kind = Kind.TRANSIENT;
      } else if (code == CODE_INVALID_PARAMETER) {
        kind = Kind.INVALID;
      } else if (code == CODE_OK) {
        kind = byStatus(status) == Kind.OTHER ? Kind.TRANSIENT : byStatus(status);
      } else {
        Kind byStatus = byStatus(status);
        kind = byStatus == Kind.RATE_LIMITED || byStatus == Kind.TRANSIENT || byStatus == Kind.AUTH ? byStatus
            : byStatus == Kind.INVALID ? Kind.INVALID : Kind.OTHER;
      }
      return new Exchange(kind, status, code, message, requestId, retryAfter, kind == Kind.RATE_LIMITED, null, null,
          null);
    }

    private static Kind byStatus(int status) {
      if (status == 429) {
        return Kind.RATE_LIMITED;
      }
      if (status >= 500) {
        return Kind.TRANSIENT;
      }
      if (status == 401 || status == 403) {
        return Kind.AUTH;
      }
      if (status == 400) {
        return Kind.INVALID;
      }
      return Kind.OTHER;
    }

    boolean success() {
      return kind == Kind.OK;
    }

    JsonNode data() {
      if (data == null) {
        throw new IllegalStateException("not a success");
      }
      return data;
    }

    TikTokApiException toException(String operation, int attempts) {
      String suffix = attempts > 1 ? "after " + attempts + " attempts" : null;
      String fullDetail = join(detail, suffix);
      switch (kind) {
        case RATE_LIMITED:
          return new TikTokRateLimitedException(operation, status, code, message, requestId, retryAfter, fullDetail);
        case TRANSIENT:
          return new TikTokUnavailableException(operation, status, code, message, requestId, fullDetail, cause);
        case TOKEN_EXPIRED:
          return new TikTokAuthException(operation, status, code, message, requestId,
              join("the access token stayed expired after a refresh", suffix), null);
        case AUTH:
          return new TikTokAuthException(operation, status, code, message, requestId, fullDetail, null);
        case INVALID:
          return new TikTokInvalidRequestException(operation, status, code, message, requestId);
        default:
          return new TikTokApiException(operation, status, code, message, requestId, fullDetail, null);
      }
    }

    private static @Nullable String join(@Nullable String a, @Nullable String b) {
      List<String> parts = new ArrayList<>();
      if (a != null) {
        parts.add(a);
      }
      if (b != null) {
        parts.add(b);
      }
      return parts.isEmpty() ? null : String.join(", ", parts);
    }
  }
}
