package io.creatorflow.inventory.tiktok.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.internal.Hmacs;
import io.creatorflow.inventory.tiktok.internal.Json;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.CancellationStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.InventoryStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.OrderStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.ProductStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.ReturnStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.UnknownEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * Verifies and parses TikTok Shop webhook deliveries. In this order, each step rejecting with its own
 * {@link WebhookVerdict}:
 *
 * <ol>
 *   <li>the body is at most {@link #maxBodyBytes()} bytes ({@code 413});
 *   <li>the {@code Authorization} header is 64 lowercase hex characters and equals
 *       HMAC-SHA256(app secret, app key + raw body), compared with {@link
 *       java.security.MessageDigest#isEqual} over the raw bytes before anything is parsed ({@code
 *       401});
 *   <li>the body is UTF-8 JSON with the envelope fields {@code type}, {@code tts_notification_id},
 *       {@code shop_id}, {@code timestamp} and the type's own fields ({@code 400});
 *   <li>{@code timestamp} is not older than {@link #tolerance()} nor more than {@link
 *       #maxFutureSkew()} ahead of the clock ({@code 401}).
 * </ol>
 *
 * The default tolerance is a day, longer than TikTok's redelivery schedule (2 min, 30 min, 3 h, 12
 * h), because a redelivery keeps its original timestamp; replays inside the window are caught by the
 * inbox deduplication of {@link TikTokWebhookHandler}. {@link #verify} never throws for any input
 * bytes or header; it returns a rejection. Immutable and thread-safe.
 */
public final class TikTokWebhookVerifier {
  /** The default body size limit: 256 KiB, far above any TikTok notification. */
  public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
  /** The default age limit of a notification. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofHours(24);
  /** The default limit on how far a notification's timestamp may be ahead of the clock. */
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  private static final int SIGNATURE_LENGTH = 64;

  private final String appKey;
  private final String appSecret;
  private final Clock clock;
  private final int maxBodyBytes;
  private final Duration tolerance;
  private final Duration maxFutureSkew;
  private final ObjectMapper mapper = Json.newMapper();

  private TikTokWebhookVerifier(Builder b) {
    if (b.appKey == null || b.appSecret == null) {
      throw new InvalidRequestException("appKey and appSecret are required");
    }
    this.appKey = b.appKey;
    this.appSecret = b.appSecret;
    this.clock = b.clock;
    this.maxBodyBytes = b.maxBodyBytes;
    this.tolerance = b.tolerance;
    this.maxFutureSkew = b.maxFutureSkew;
  }

  /** A builder; {@link Builder#appKey} and {@link Builder#appSecret} are required. */
  public static Builder builder() {
    return new Builder();
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public Duration tolerance() {
    return tolerance;
  }

  public Duration maxFutureSkew() {
    return maxFutureSkew;
  }

  /**
   * Verifies one delivery.
   *
   * @param body the raw request body, exactly as received
   * @param authorization the {@code Authorization} header's value, {@code null} when absent
   * @return {@link WebhookVerdict#ACCEPTED} with the event, or a rejection
   */
  public WebhookResult verify(byte[] body, @Nullable String authorization) {
    Checks.notNull(body, "body");
    if (body.length > maxBodyBytes) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_TOO_LARGE,
          "body of " + body.length + " bytes exceeds the limit of " + maxBodyBytes);
    }
    if (authorization == null || authorization.isEmpty()) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_SIGNATURE, "no Authorization header");
    }
    String signature = authorization.strip();
    if (!isLowerHex(signature)) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_SIGNATURE,
          "the Authorization header is not 64 lowercase hex characters");
    }
    Mac mac = Hmacs.hmacSha256(appSecret);
    mac.update(appKey.getBytes(StandardCharsets.UTF_8));
    mac.update(body);
    String expected = Hmacs.lowerHex(mac.doFinal());
    if (!Hmacs.hexEquals(expected, signature)) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_SIGNATURE, "the signature does not match the body");
    }
    return parse(body);
  }

  private WebhookResult parse(byte[] body) {
    JsonNode root;
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      root = mapper.readTree(body);
    } catch (CharacterCodingException e) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "the body is not UTF-8");
    } catch (IOException | RuntimeException e) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "the body is not JSON");
    }
    if (root == null || !root.isObject()) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "the body is not a JSON object");
    }
    JsonNode typeNode = root.get("type");
    String notificationId = Json.id(root, "tts_notification_id");
    String shopId = Json.id(root, "shop_id");
    long ts = Json.longValue(root, "timestamp", Long.MIN_VALUE);
    if (typeNode == null || !typeNode.isIntegralNumber() || !typeNode.canConvertToInt()) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "type is missing or not an integer");
    }
    if (notificationId == null || notificationId.length() > 128 || shopId == null || shopId.length() > 128) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED,
          "tts_notification_id or shop_id is missing or longer than 128 characters");
    }
    if (ts < 0 || ts > 100_000_000_000L) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "timestamp is missing or out of range");
    }
    Instant timestamp = Instant.ofEpochSecond(ts);
    Instant now = clock.instant();
    if (timestamp.isBefore(now.minus(tolerance))) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_STALE,
          "notification of " + timestamp + " is older than the tolerance of " + tolerance);
    }
    if (timestamp.isAfter(now.plus(maxFutureSkew))) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_STALE,
          "notification of " + timestamp + " is more than " + maxFutureSkew + " in the future");
    }
    WebhookEnvelope envelope = new WebhookEnvelope(typeNode.intValue(), notificationId, shopId, timestamp);
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      if (isKnownType(envelope.type())) {
        return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "data is missing or not an object");
      }
      return accepted(new UnknownEvent(envelope, data == null ? "null" : data.toString()));
    }
    TikTokWebhookEvent event;
    switch (envelope.type()) {
      case TikTokWebhookEvent.ORDER_STATUS_CHANGE: {
        String orderId = Json.id(data, "order_id");
        String status = Json.id(data, "order_status");
        if (orderId == null || status == null) {
          return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "order_id or order_status is missing");
        }
        event = new OrderStatusChanged(envelope, orderId, status, TikTokShopClient.orderState(status),
            Json.epochSeconds(data, "update_time"), Json.bool(data, "is_on_hold_order"));
        break;
      }
      case TikTokWebhookEvent.CANCELLATION_STATUS_CHANGE: {
        String orderId = Json.id(data, "order_id");
        if (orderId == null) {
          return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "order_id is missing");
        }
        String role = Json.text(data, "cancellations_role");
        event = new CancellationStatusChanged(envelope, orderId, Json.id(data, "cancel_id"),
            Json.text(data, "cancel_status"), role != null ? role : Json.text(data, "role"),
            Json.epochSeconds(data, "update_time"));
        break;
      }
      case TikTokWebhookEvent.RETURN_STATUS_CHANGE: {
        String orderId = Json.id(data, "order_id");
        if (orderId == null) {
          return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "order_id is missing");
        }
        event = new ReturnStatusChanged(envelope, orderId, Json.id(data, "return_id"), Json.text(data, "return_status"),
            Json.text(data, "return_type"), Json.text(data, "return_role"), Json.epochSeconds(data, "update_time"));
        break;
      }
      case TikTokWebhookEvent.PRODUCT_STATUS_CHANGE: {
        String productId = Json.id(data, "product_id");
        if (productId == null) {
          return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "product_id is missing");
        }
        event = new ProductStatusChanged(envelope, productId, Json.text(data, "status"),
            Json.epochSeconds(data, "update_time"));
        break;
      }
      case TikTokWebhookEvent.INVENTORY_STATUS_CHANGE: {
        String status = Json.text(data, "inventory_status");
        long quantity = Json.longValue(data, "quantity", Long.MIN_VALUE);
        if (quantity == Long.MIN_VALUE) {
          quantity = Json.longValue(data, "available_quantity", Long.MIN_VALUE);
        }
        if (quantity == Long.MIN_VALUE) {
          quantity = Json.longValue(data, "total_available_quantity", Long.MIN_VALUE);
        }
        event = new InventoryStatusChanged(envelope, Json.id(data, "product_id"), Json.id(data, "sku_id"),
            Json.id(data, "warehouse_id"), status != null ? status : Json.text(data, "status"),
            quantity == Long.MIN_VALUE ? null : quantity, Json.epochSeconds(data, "update_time"));
        break;
      }
      default:
        event = new UnknownEvent(envelope, data.toString());
    }
    return accepted(event);
  }

  private static WebhookResult accepted(TikTokWebhookEvent event) {
    return new WebhookResult(WebhookVerdict.ACCEPTED, event,
        "verified notification " + event.envelope().notificationId() + " of type " + event.envelope().type());
  }

  private static boolean isKnownType(int type) {
    return type == TikTokWebhookEvent.ORDER_STATUS_CHANGE || type == TikTokWebhookEvent.CANCELLATION_STATUS_CHANGE
        || type == TikTokWebhookEvent.RETURN_STATUS_CHANGE || type == TikTokWebhookEvent.PRODUCT_STATUS_CHANGE
        || type == TikTokWebhookEvent.INVENTORY_STATUS_CHANGE;
  }

  private static boolean isLowerHex(String s) {
    if (s.length() != SIGNATURE_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "TikTokWebhookVerifier[appKey=" + appKey + ", appSecret=****, maxBodyBytes=" + maxBodyBytes
        + ", tolerance=" + tolerance + ", maxFutureSkew=" + maxFutureSkew + "]";
  }

  /** Builds a {@link TikTokWebhookVerifier}. Not thread-safe; setters validate at once. */
  public static final class Builder {
    private @Nullable String appKey;
    private @Nullable String appSecret;
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;

    private Builder() {}

    public Builder appKey(String appKey) {
      this.appKey = Checks.identifier(appKey, "appKey", 256);
      return this;
    }

    /** The app secret; never echoed in any message. */
    public Builder appSecret(String appSecret) {
      if (appSecret == null || appSecret.isBlank()) {
        throw new InvalidRequestException("appSecret must not be blank");
      }
      this.appSecret = appSecret;
      return this;
    }

    /** The clock freshness is judged by; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /** The largest body accepted, 1 KiB to 16 MiB; default {@value #DEFAULT_MAX_BODY_BYTES}. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024 || maxBodyBytes > 16 * 1024 * 1024) {
        throw new InvalidRequestException("maxBodyBytes must be between 1024 and 16777216, was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** How old a notification may be; at least a minute. */
    public Builder tolerance(Duration tolerance) {
      if (tolerance == null || tolerance.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new InvalidRequestException("tolerance must be at least one minute, was " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** How far ahead of the clock a notification's timestamp may be. */
    public Builder maxFutureSkew(Duration skew) {
      if (skew == null || skew.isNegative()) {
        throw new InvalidRequestException("maxFutureSkew must not be negative, was " + skew);
      }
      this.maxFutureSkew = skew;
      return this;
    }

    public TikTokWebhookVerifier build() {
      return new TikTokWebhookVerifier(this);
    }
  }
}
