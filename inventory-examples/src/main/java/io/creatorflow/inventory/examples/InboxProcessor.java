package io.creatorflow.inventory.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.tiktok.sync.TikTokOrderEvents;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes the TikTok webhook events that {@link TikTokWebhookHandler} recorded in the {@link
 * EventInbox}: the webhook servlet acknowledges as soon as an event is recorded and {@link #submit()}s
 * a drain; the drain runs on the host's executor, after the answer has gone out. Events still pending
 * after a crash are processed at start-up and then every sweep interval, so an acknowledged event is
 * never lost.
 *
 * <ul>
 *   <li>Order status (1), cancellation (11) and return (12) events go to the SDK's {@link
 *       TikTokOrderEvents#drain}: orders are fetched in batches and moved forward to TikTok's current
 *       state, so duplicates, late and out-of-order events change stock at most once and never
 *       backwards; completed returns are applied per the sync's return policy. An event whose sync
 *       failed retryably stays pending for the next sweep, up to {@link #MAX_ATTEMPTS} attempts (then
 *       the periodic order poll is left to catch up).
 *   <li>Inventory status (27), TikTok's own low/out-of-stock view: the SKU's quantity is pushed
 *       again, so the shop shows the engine's number.
 *   <li>Product status (5) to {@code ACTIVATE}: a catalog reconciliation runs (the product may show
 *       quantities from before it was deactivated).
 * </ul>
 *
 * <p><b>Event ids.</b> TikTok documents {@code tts_notification_id} as the deduplication key but not
 * its scope, so the inbox id is {@code <shop id>:<notification id>} ({@link #recordingInbox()}): two
 * shops never collide, and neither do two runs of the emulator, whose ids restart with every
 * process. The service owns its tenant's {@value TikTokWebhookHandler#SOURCE} events: events of
 * another shop (left over from an earlier emulator run, say) are completed with a note.
 *
 * <p>One drain runs at a time; {@link #submit()} during a drain makes it go round once more.
 * Thread-safe.
 */
public final class InboxProcessor implements AutoCloseable {
  /** Attempts after which a failing event is given up (the order poll catches up). */
  public static final int MAX_ATTEMPTS = 20;
  /** Events read per round. */
  public static final int BATCH_SIZE = 200;

  private static final Logger LOG = LoggerFactory.getLogger(InboxProcessor.class);

  private final EventInbox inbox;
  private final ShopSync sync;
  private final TikTokOrderEvents events;
  private final TenantId tenant;
  private final String shopId;
  private final String prefix;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final ObjectMapper mapper = new ObjectMapper();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean requested = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();
  private final Object drainLock = new Object();
  private volatile @Nullable Instant lastDrainAt;
  private volatile @Nullable String lastError;
  private volatile @Nullable ScheduledFuture<?> sweep;

  /**
   * @param inbox the store's inbox (not the {@link #recordingInbox()} view)
   * @param sync the sync of the shop whose events these are
   * @param events applies order, cancellation and return events to {@code sync}
   * @param shopId the TikTok shop id this service serves
   * @param executor the host's executor drains run on
   * @param clock stamps completions
   */
  public InboxProcessor(EventInbox inbox, ShopSync sync, TikTokOrderEvents events, String shopId,
      ScheduledExecutorService executor, Clock clock) {
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.sync = Objects.requireNonNull(sync, "sync");
    this.events = Objects.requireNonNull(events, "events");
    this.tenant = sync.tenant();
    this.shopId = Objects.requireNonNull(shopId, "shopId");
    this.prefix = shopId + ":";
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The inbox id of a notification of a shop: {@code <shop id>:<notification id>}. */
  public static String eventId(String shopId, String notificationId) {
    return shopId + ":" + notificationId;
  }

  /**
   * The view of the inbox the webhook handler records into: {@link EventInbox#offer} stores the
   * event under {@link #eventId}; the other methods are the store's.
   */
  public EventInbox recordingInbox() {
    return new EventInbox() {
      @Override
      public boolean offer(TenantId t, String source, String eventId, String payload, Instant receivedAt) {
        return inbox.offer(t, source, InboxProcessor.eventId(shopId, eventId), payload, receivedAt);
      }

      @Override
      public List<InboxEvent> pending(int limit) {
        return inbox.pending(limit);
      }

      @Override
      public void complete(TenantId t, String source, String eventId, Instant at, @Nullable String error) {
        inbox.complete(t, source, eventId, at, error);
      }
    };
  }

  /** Processes what is pending now (start-up recovery), then every {@code sweepInterval}. */
  public void start(Duration sweepInterval) {
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    submit();
    sweep = executor.scheduleWithFixedDelay(this::submit, sweepInterval.toMillis(), sweepInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Asks for a drain on the executor; returns at once. Never throws. */
  public void submit() {
    if (closed.get()) {
      return;
    }
    requested.set(true);
    if (running.compareAndSet(false, true)) {
      try {
        executor.execute(this::drainLoop);
      } catch (RejectedExecutionException e) {
        running.set(false);
        LOG.debug("inbox drain not scheduled: the executor is shutting down");
      }
    }
  }

  private void drainLoop() {
    try {
      while (requested.getAndSet(false) && !closed.get()) {
        synchronized (drainLock) {
          drainOnce();
        }
      }
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.warn("inbox drain failed; the next sweep tries again: {}", e.toString());
    } finally {
      running.set(false);
    }
    if (requested.get() && !closed.get()) {
      submit();
    }
  }

  /** Reads batches until nothing of ours is pending or a round made no progress. */
  private void drainOnce() {
    while (!closed.get()) {
      List<InboxEvent> batch = inbox.pending(BATCH_SIZE);
      lastDrainAt = clock.instant();
      int mine = 0;
      int completed = 0;
      for (InboxEvent e : batch) {
        if (e.tenant().equals(tenant) && e.source().equals(TikTokWebhookHandler.SOURCE)) {
          mine++;
          completed += preProcess(e);
        }
      }
      if (mine == 0) {
        return;
      }
      if (completed < mine) {
        TikTokOrderEvents.DrainResult r;
        try {
          r = events.drain(inbox, BATCH_SIZE);
        } catch (IllegalStateException closedSync) {
          return;
        }
        processed.addAndGet(r.processed() + r.ignored());
        failedAttempts.addAndGet(r.retryLater());
        if (r.retryLater() > 0) {
          lastError = r.retryLater() + " events failed retryably and stay pending for the next sweep";
          LOG.warn("{} webhook events failed retryably; the next sweep tries again", r.retryLater());
        }
        completed += r.processed() + r.ignored();
      }
      if (completed == 0 || batch.size() < BATCH_SIZE) {
        return;
      }
    }
  }

  /**
   * Handles what {@link TikTokOrderEvents} does not: events of another shop, events given up on,
   * product and inventory status events. Returns 1 if the event was completed.
   */
  private int preProcess(InboxEvent e) {
    if (!e.eventId().startsWith(prefix)) {
      return done(e, "recorded for another shop than " + shopId + ": not served by this service");
    }
    if (e.attempts() >= MAX_ATTEMPTS) {
      abandoned.incrementAndGet();
      LOG.error("inbox event {} failed {} times, giving up (the periodic order poll catches up): {}", e.eventId(),
          e.attempts(), e.lastError());
      return done(e, "given up after " + e.attempts() + " attempts");
    }
    JsonNode root;
    try {
      root = mapper.readTree(e.payload());
    } catch (IOException ex) {
      return done(e, "unreadable payload (it was verified on receipt): " + ex.getMessage());
    }
    int type = root.path("type").asInt(-1);
    JsonNode data = root.path("data");
    if (type == TikTokWebhookEvent.INVENTORY_STATUS_CHANGE) {
      return done(e, repush(id(data.get("sku_id"))));
    }
    if (type == TikTokWebhookEvent.PRODUCT_STATUS_CHANGE) {
      String status = data.path("status").asText("");
      if ("ACTIVATE".equals(status)) {
        sync.reconcile();
        return done(e, "product " + id(data.get("product_id")) + " activated: reconciling the catalog");
      }
      return done(e, "product " + id(data.get("product_id")) + " is " + status);
    }
    return 0;
  }

  private String repush(@Nullable String shopSkuId) {
    if (shopSkuId == null) {
      return "inventory status without sku_id";
    }
    Optional<CatalogItem> item = sync.engine().itemByListing(tenant, sync.channel(), shopSkuId);
    if (item.isEmpty()) {
      return "inventory status of shop SKU " + shopSkuId + ", which maps to no SKU";
    }
    sync.push(item.get().sku());
    return "inventory status of " + item.get().sku() + ": quantity pushed again";
  }

  private int done(InboxEvent e, String detail) {
    inbox.complete(e.tenant(), e.source(), e.eventId(), clock.instant(), null);
    processed.incrementAndGet();
    LOG.debug("inbox event {} processed: {}", e.eventId(), detail);
    return 1;
  }

  private static @Nullable String id(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    String text = node.isNumber() ? node.bigIntegerValue().toString() : node.asText();
    return text.isBlank() ? null : text;
  }

  /** Events of this service's tenant and source still pending (reads the store). */
  public int pendingCount() {
    int n = 0;
    for (InboxEvent e : inbox.pending(10_000)) {
      if (e.tenant().equals(tenant) && e.source().equals(TikTokWebhookHandler.SOURCE)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Waits until no drain is running or requested and nothing of this service is pending.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!running.get() && !requested.get() && pendingCount() == 0) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** Counters for the status page. */
  public Stats stats() {
    return new Stats(processed.get(), failedAttempts.get(), abandoned.get(), lastDrainAt, lastError);
  }

  /**
   * What the processor did since start.
   *
   * @param processed events completed
   * @param failedAttempts attempts that failed and left the event pending
   * @param abandoned events given up after {@link #MAX_ATTEMPTS}
   * @param lastDrainAt when the inbox was last read, or {@code null}
   * @param lastError the last failure, or {@code null}
   */
  public record Stats(
      long processed, long failedAttempts, long abandoned, @Nullable Instant lastDrainAt, @Nullable String lastError) {}

  /**
   * Stops sweeping and waits up to {@code timeout} for a running drain. Events not processed stay in
   * the inbox for the next start.
   */
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> s = sweep;
    if (s != null) {
      s.cancel(false);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running.get() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
