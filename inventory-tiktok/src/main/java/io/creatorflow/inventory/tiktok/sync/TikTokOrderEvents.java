package io.creatorflow.inventory.tiktok.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.sync.OrderSyncResult;
import io.creatorflow.inventory.sync.ShopReturn;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.WebhookOutcome;
import io.creatorflow.inventory.tiktok.TikTokApiException;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ReturnOrder;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ReturnPage;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ReverseLineItem;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.internal.Json;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.CancellationStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.OrderStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.ReturnStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler;
import io.creatorflow.inventory.tiktok.webhook.WebhookResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects TikTok Shop webhooks to a {@link ShopSync}: order and cancellation notifications become
 * {@link ShopSync#onOrderNotification} ("drive the engine order to TikTok's current state"), completed
 * returns of goods become {@link ShopSync#applyReturn} with the return's lines read from TikTok.
 *
 * <p>Two ways in:
 *
 * <ul>
 *   <li>{@link #apply(TikTokWebhookEvent)}: a verified event, for hosts that process deliveries at once;
 *   <li>{@link #drain(EventInbox, int)}: events that {@link TikTokWebhookHandler} recorded in the inbox,
 *       processed in batches (one TikTok call per 50 orders), each completed in the inbox; events whose
 *       sync failed retryably stay pending for the next drain.
 * </ul>
 *
 * Deduplication is layered: the inbox drops redeliveries by {@code tts_notification_id}; sync drops
 * notifications older than an applied state and applies each order step once by idempotency key.
 *
 * <p><b>Returns</b> are not part of the shop-neutral {@code ShopClient}; they are read here through
 * {@link io.creatorflow.inventory.tiktok.TikTokShopApi#searchReturns}. Only {@value #RETURN_COMPLETE}
 * returns of type {@code RETURN_AND_REFUND} bring goods back (a refund alone does not). The periodic
 * order poll of {@code ShopSync} does not cover returns whose webhook was lost: hosts that restock
 * returns schedule {@link #pollReturns} as well.
 *
 * <p>Thread-safe.
 */
public final class TikTokOrderEvents {
  private static final Logger LOG = LoggerFactory.getLogger(TikTokOrderEvents.class);

  /** The return status of a completed return or refund. */
  public static final String RETURN_COMPLETE = "RETURN_OR_REFUND_REQUEST_COMPLETE";
  /** The return types whose goods come back. */
  public static final Set<String> GOODS_RETURN_TYPES = Set.of("RETURN_AND_REFUND");
  /** How far around a return webhook's update time its return is searched for. */
  public static final Duration RETURN_SEARCH_MARGIN = Duration.ofMinutes(5);

  private final ShopSync sync;
  private final TikTokShopClient client;
  private final Clock clock;
  private final ObjectMapper mapper = Json.newMapper();

  private TikTokOrderEvents(ShopSync sync, TikTokShopClient client, Clock clock) {
    this.sync = sync;
    this.client = client;
    this.clock = clock;
  }

  /**
   * Events for {@code sync}, whose shop client is (or talks to the same shop as) {@code client}.
   *
   * @throws IllegalArgumentException if the sync is not for TikTok Shop
   */
  public static TikTokOrderEvents of(ShopSync sync, TikTokShopClient client) {
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(client, "client");
    if (!sync.channel().equals(client.channel())) {
      throw new IllegalArgumentException("the sync is for channel '" + sync.channel() + "', not '" + client.channel()
          + "'");
    }
    return new TikTokOrderEvents(sync, client, sync.engine().clock());
  }

  /**
   * The retry classifier for {@link ShopSync.Builder#retryable} with a {@link TikTokShopClient}: a
   * {@link TikTokApiException} says itself whether it is retryable (rate limits and unavailability
   * are; authentication failures and refusals are not); other exceptions as {@link
   * ShopSync#defaultRetryable}.
   */
  public static boolean retryable(RuntimeException e) {
    if (e instanceof TikTokApiException t) {
      return t.retryable();
    }
    return ShopSync.defaultRetryable(e);
  }

  /** Counts a delivery's verdict in the sync's webhook metrics. */
  public void record(WebhookResult result) {
    Objects.requireNonNull(result, "result");
    switch (result.verdict()) {
      case ACCEPTED:
        sync.recordWebhook(WebhookOutcome.ACCEPTED);
        break;
      case DUPLICATE:
        sync.recordWebhook(WebhookOutcome.DUPLICATE);
        break;
      case IGNORED:
        sync.recordWebhook(WebhookOutcome.IGNORED);
        break;
      case RETRY_LATER:
        sync.recordWebhook(WebhookOutcome.FAILED);
        break;
      default:
        sync.recordWebhook(WebhookOutcome.REJECTED);
    }
  }

  /**
   * Applies one verified event.
   *
   * @return the sync result, or empty for events that do not concern orders (product, inventory and
   *     unknown types)
   */
  public Optional<OrderSyncResult> apply(TikTokWebhookEvent event) {
    Objects.requireNonNull(event, "event");
    if (event instanceof OrderStatusChanged o) {
      return Optional.of(sync.onOrderNotification(o.orderId(), o.updateTime()));
    }
    if (event instanceof CancellationStatusChanged c) {
      // a cancellation's update time is not the order's: let sync fetch the order's current state
      return Optional.of(sync.onOrderNotification(c.orderId()));
    }
    if (event instanceof ReturnStatusChanged r) {
      return Optional.of(onReturn(r.orderId(), r.returnId(), r.returnStatus(), r.returnType(), r.updateTime()));
    }
    return Optional.empty();
  }

  /** What one {@link #drain} did. */
  public record DrainResult(int processed, int retryLater, int ignored) {}

  /**
   * Processes up to {@code limit} pending TikTok events of the sync's tenant: order events are
   * fetched together (50 orders per TikTok call) and driven, return events one by one; each event is
   * then completed in the inbox, or left pending with the reason if its sync failed retryably.
   * Events of other tenants and sources are left alone; an event that cannot be read is completed
   * (it would never succeed) and logged.
   */
  public DrainResult drain(EventInbox inbox, int limit) {
    Objects.requireNonNull(inbox, "inbox");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    List<Parsed> orderEvents = new ArrayList<>();
    int processed = 0;
    int retry = 0;
    int ignored = 0;
    for (InboxEvent e : inbox.pending(limit)) {
      if (!mine(e)) {
        continue;
      }
      Parsed p = parse(e);
      if (p == null || p.orderId() == null) {
        complete(inbox, e, null);
        ignored++;
      } else if (p.type() == TikTokWebhookEvent.RETURN_STATUS_CHANGE) {
        OrderSyncResult r = onReturn(p.orderId(), p.returnId(), p.returnStatus(), p.returnType(), p.updateTime());
        complete(inbox, e, r.retryable() ? r.detail() : null);
        if (r.retryable()) {
          retry++;
        } else {
          processed++;
        }
      } else {
        orderEvents.add(p);
      }
    }
    if (!orderEvents.isEmpty()) {
      Set<String> ids = new LinkedHashSet<>();
      for (Parsed p : orderEvents) {
        ids.add(p.orderId());
      }
      Map<String, OrderSyncResult> results = new HashMap<>();
      for (OrderSyncResult r : sync.syncOrders(ids)) {
        results.put(r.shopOrderId(), r);
      }
      for (Parsed p : orderEvents) {
        OrderSyncResult r = results.get(p.orderId());
        boolean again = r == null || r.retryable();
        complete(inbox, p.event(), again ? (r == null ? "no result" : r.detail()) : null);
        if (again) {
          retry++;
        } else {
          processed++;
        }
      }
    }
    return new DrainResult(processed, retry, ignored);
  }

  /**
   * Processes one stored event (of any order) and completes it in the inbox.
   *
   * @return the sync result, or empty if the event does not concern orders or belongs elsewhere
   */
  public Optional<OrderSyncResult> process(EventInbox inbox, InboxEvent event) {
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(event, "event");
    if (!mine(event)) {
      return Optional.empty();
    }
    Parsed p = parse(event);
    if (p == null || p.orderId() == null) {
      complete(inbox, event, null);
      return Optional.empty();
    }
    OrderSyncResult r;
    switch (p.type()) {
      case TikTokWebhookEvent.ORDER_STATUS_CHANGE:
        r = sync.onOrderNotification(p.orderId(), p.updateTime());
        break;
      case TikTokWebhookEvent.CANCELLATION_STATUS_CHANGE:
        r = sync.onOrderNotification(p.orderId());
        break;
      default:
        r = onReturn(p.orderId(), p.returnId(), p.returnStatus(), p.returnType(), p.updateTime());
    }
    complete(inbox, event, r.retryable() ? r.detail() : null);
    return Optional.of(r);
  }

  /**
   * Reads returns updated in {@code [from, to)} from TikTok and applies the completed returns of
   * goods; for hosts that restock returns, as the safety net for lost return webhooks.
   *
   * @throws TikTokApiException if TikTok cannot be read (nothing after the failing page is applied)
   */
  public List<OrderSyncResult> pollReturns(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    List<OrderSyncResult> out = new ArrayList<>();
    String token = null;
    do {
      ReturnPage page = client.api().searchReturns(client.shopCipher(), from, to, token, 50);
      for (ReturnOrder r : page.returns()) {
        if (isGoodsBack(r)) {
          out.add(sync.applyReturn(toShopReturn(r)));
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  // ------------------------------------------------------------------------------------ internals

  private boolean mine(InboxEvent e) {
    return e.tenant().equals(sync.tenant()) && TikTokWebhookHandler.SOURCE.equals(e.source());
  }

  private void complete(EventInbox inbox, InboxEvent e, @Nullable String error) {
    inbox.complete(e.tenant(), e.source(), e.eventId(), clock.instant(), error);
  }

  private record Parsed(
      InboxEvent event, int type, @Nullable String orderId, @Nullable Instant updateTime, @Nullable String returnId,
      @Nullable String returnStatus, @Nullable String returnType) {}

  /** Reads a stored (verified when it was recorded) payload; {@code null} for types sync ignores. */
  private @Nullable Parsed parse(InboxEvent e) {
    JsonNode root;
    try {
      root = mapper.readTree(e.payload());
    } catch (Exception ex) {
      LOG.error("TikTok inbox event {} of tenant {} is not JSON; completing it unprocessed", e.eventId(), e.tenant());
      return null;
    }
    if (root == null || !root.isObject() || !root.path("data").isObject()) {
      LOG.error("TikTok inbox event {} of tenant {} has no data object; completing it unprocessed", e.eventId(),
          e.tenant());
      return null;
    }
    int type = root.path("type").asInt(-1);
    if (type != TikTokWebhookEvent.ORDER_STATUS_CHANGE && type != TikTokWebhookEvent.CANCELLATION_STATUS_CHANGE
        && type != TikTokWebhookEvent.RETURN_STATUS_CHANGE) {
      return null;
    }
    JsonNode data = root.get("data");
    return new Parsed(e, type, Json.id(data, "order_id"), Json.epochSeconds(data, "update_time"),
        Json.id(data, "return_id"), Json.text(data, "return_status"), Json.text(data, "return_type"));
  }

  private OrderSyncResult onReturn(
      String orderId, @Nullable String returnId, @Nullable String status, @Nullable String type,
      @Nullable Instant updateTime) {
    if (returnId == null || !RETURN_COMPLETE.equals(status) || (type != null && !GOODS_RETURN_TYPES.contains(type))) {
      return sync.applyReturn(new ShopReturn(orderId, returnId == null ? "unknown" : returnId, false, List.of(),
          updateTime == null ? clock.instant() : updateTime));
    }
    Instant around = updateTime == null ? clock.instant() : updateTime;
    ReturnOrder found;
    try {
      found = findReturn(returnId, around.minus(RETURN_SEARCH_MARGIN), around.plus(RETURN_SEARCH_MARGIN));
    } catch (TikTokApiException e) {
      return new OrderSyncResult(sync.channel(), orderId, sync.engineOrderId(orderId), null,
          e.retryable() ? OrderSyncResult.Outcome.FAILED : OrderSyncResult.Outcome.INVALID, null, List.of(),
          "reading return " + returnId + " failed: " + e.getMessage());
    }
    if (found == null) {
      return new OrderSyncResult(sync.channel(), orderId, sync.engineOrderId(orderId), null,
          OrderSyncResult.Outcome.FAILED, null, List.of(), "return " + returnId + " is not searchable yet");
    }
    return sync.applyReturn(toShopReturn(found));
  }

  private @Nullable ReturnOrder findReturn(String returnId, Instant from, Instant to) {
    String token = null;
    do {
      ReturnPage page = client.api().searchReturns(client.shopCipher(), from, to, token, 50);
      for (ReturnOrder r : page.returns()) {
        if (r.returnId().equals(returnId)) {
          return r;
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return null;
  }

  private static boolean isGoodsBack(ReturnOrder r) {
    return RETURN_COMPLETE.equals(r.returnStatus()) && (r.returnType() == null || GOODS_RETURN_TYPES.contains(r.returnType()));
  }

  private ShopReturn toShopReturn(ReturnOrder r) {
    Map<String, Long> units = new LinkedHashMap<>();
    for (ReverseLineItem li : r.lineItems()) {
      units.merge(li.skuId(), 1L, Long::sum); // one line item per unit
    }
    List<ShopReturn.Line> lines = new ArrayList<>();
    units.forEach((sku, n) -> lines.add(new ShopReturn.Line(sku, n)));
    return new ShopReturn(r.orderId(), r.returnId(), isGoodsBack(r), lines,
        r.updateTime() == null ? clock.instant() : r.updateTime());
  }
}
