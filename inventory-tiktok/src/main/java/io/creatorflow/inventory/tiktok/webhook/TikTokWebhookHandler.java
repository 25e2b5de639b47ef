package io.creatorflow.inventory.tiktok.webhook;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.UnknownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives TikTok Shop webhooks for a host's HTTP endpoint: verify ({@link TikTokWebhookVerifier}),
 * then record the raw payload in the {@link EventInbox} under source {@value #SOURCE} and the {@code
 * tts_notification_id}, and answer at once; the host processes the inbox later. A redelivery is
 * reported as {@link WebhookVerdict#DUPLICATE} (the inbox remembers across restarts and instances),
 * unknown event types and shops no tenant owns as {@link WebhookVerdict#IGNORED}, and an inbox
 * failure as {@link WebhookVerdict#RETRY_LATER} (503, so TikTok redelivers). Processing errors never
 * reach TikTok, so they never cause redeliveries.
 *
 * <pre>{@code
 * WebhookResult r = handler.handle(rawBody, request.getHeader("Authorization"));
 * response.setStatus(r.httpStatus());   // empty body
 * }</pre>
 *
 * <p>Never throws for any body or header value (only for {@code null} arguments). Thread-safe if the
 * inbox and tenant resolver are.
 */
public final class TikTokWebhookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TikTokWebhookHandler.class);

  /** The inbox source of TikTok events. */
  public static final String SOURCE = "tiktok";

  private final TikTokWebhookVerifier verifier;
  private final EventInbox inbox;
  private final Function<String, Optional<TenantId>> tenants;
  private final Clock clock;

  private TikTokWebhookHandler(Builder b) {
    this.verifier = b.verifier;
    this.inbox = b.inbox;
    if (b.tenants == null) {
      throw new InvalidRequestException("a tenant or tenant resolver is required");
    }
    this.tenants = b.tenants;
    this.clock = b.clock;
  }

  /** A builder; a {@link Builder#tenant} or {@link Builder#tenantResolver} is required. */
  public static Builder builder(TikTokWebhookVerifier verifier, EventInbox inbox) {
    return new Builder(Checks.notNull(verifier, "verifier"), Checks.notNull(inbox, "inbox"));
  }

  /**
   * Handles a delivery.
   *
   * @param body the raw request body
   * @param authorization the {@code Authorization} header, {@code null} when absent
   */
  public WebhookResult handle(byte[] body, @Nullable String authorization) {
    WebhookResult verified = verifier.verify(body, authorization);
    if (verified.verdict() != WebhookVerdict.ACCEPTED) {
      LOG.debug("TikTok webhook rejected: {} ({})", verified.verdict(), verified.detail());
      return verified;
    }
    TikTokWebhookEvent event = verified.event();
    if (event == null) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_MALFORMED, "no event");
    }
    WebhookEnvelope env = event.envelope();
    if (event instanceof UnknownEvent) {
      return new WebhookResult(WebhookVerdict.IGNORED, event, "type " + env.type() + " is not an inventory event");
    }
    Optional<TenantId> tenant;
    try {
      tenant = tenants.apply(env.shopId());
    } catch (RuntimeException e) {
      LOG.warn("TikTok webhook {}: the tenant resolver failed for shop {}", env.notificationId(), env.shopId(), e);
      return new WebhookResult(WebhookVerdict.RETRY_LATER, event, "the tenant resolver failed");
    }
    if (tenant == null || tenant.isEmpty()) {
      LOG.warn("TikTok webhook {} for shop {}, which no tenant owns: ignored", env.notificationId(), env.shopId());
      return new WebhookResult(WebhookVerdict.IGNORED, event, "no tenant owns shop " + env.shopId());
    }
    boolean recorded;
    try {
      recorded = inbox.offer(tenant.get(), SOURCE, env.notificationId(), new String(body, StandardCharsets.UTF_8),
          clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("TikTok webhook {}: the inbox could not record it; answering 503 for a redelivery",
          env.notificationId(), e);
      return new WebhookResult(WebhookVerdict.RETRY_LATER, event, "the inbox is unavailable");
    }
    if (!recorded) {
      return new WebhookResult(WebhookVerdict.DUPLICATE, event,
          "notification " + env.notificationId() + " was recorded before");
    }
    return new WebhookResult(WebhookVerdict.ACCEPTED, event,
        "notification " + env.notificationId() + " recorded for tenant " + tenant.get());
  }

  /**
   * Handles a delivery with the request's headers (names matched case-insensitively). More than one
   * {@code Authorization} value is a rejection.
   */
  public WebhookResult handle(byte[] body, Map<String, ? extends Collection<String>> headers) {
    Checks.notNull(headers, "headers");
    String authorization = null;
    int count = 0;
    for (Map.Entry<String, ? extends Collection<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase("Authorization") && e.getValue() != null) {
        for (String v : e.getValue()) {
          count++;
          authorization = v;
        }
      }
    }
    if (count > 1) {
      return WebhookResult.rejected(WebhookVerdict.REJECTED_SIGNATURE, "more than one Authorization header");
    }
    return handle(body, authorization);
  }

  /** Builds a {@link TikTokWebhookHandler}. Not thread-safe. */
  public static final class Builder {
    private final TikTokWebhookVerifier verifier;
    private final EventInbox inbox;
    private @Nullable Function<String, Optional<TenantId>> tenants;
    private Clock clock = Clock.systemUTC();

    private Builder(TikTokWebhookVerifier verifier, EventInbox inbox) {
      this.verifier = verifier;
      this.inbox = inbox;
    }

    /** Every shop's events belong to this tenant (a single-tenant host). */
    public Builder tenant(TenantId tenant) {
      Checks.notNull(tenant, "tenant");
      this.tenants = shopId -> Optional.of(tenant);
      return this;
    }

    /** Maps a notification's {@code shop_id} to its tenant; empty for shops nobody owns. */
    public Builder tenantResolver(Function<String, Optional<TenantId>> resolver) {
      this.tenants = Checks.notNull(resolver, "tenantResolver");
      return this;
    }

    /** The clock for {@code receivedAt}; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    public TikTokWebhookHandler build() {
      return new TikTokWebhookHandler(this);
    }
  }
}
