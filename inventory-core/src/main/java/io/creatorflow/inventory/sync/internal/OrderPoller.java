package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.spi.ShopClient.ShopOrderPage;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.OrderPollResult;
import io.creatorflow.inventory.sync.OrderSyncResult;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic order poll that catches webhooks that never arrived: orders updated since the last
 * complete poll (minus {@link OrderPolicy#pollOverlap()}) are read page by page with {@code
 * ordersUpdated} and each is driven through the {@link OrderSynchronizer}. A poll that stops early
 * leaves the cursor where it was, so the next poll covers the window again. One page per executor
 * task; at most one poll at a time. The cursor lives in memory: a new instance starts {@link
 * OrderPolicy#initialLookback()} back, and no poll covers more than {@link OrderPolicy#maxLookback()}.
 * Thread-safe.
 */
public final class OrderPoller {
  private static final Logger log = LoggerFactory.getLogger(OrderPoller.class);

  private final TenantId tenant;
  private final ShopGateway gateway;
  private final OrderSynchronizer orders;
  private final OrderPolicy policy;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final SyncListeners listeners;
  private @Nullable Instant cursor;
  private @Nullable CompletableFuture<OrderPollResult> running;

  public OrderPoller(
      TenantId tenant, ShopGateway gateway, OrderSynchronizer orders, OrderPolicy policy,
      ScheduledExecutorService executor, Clock clock, SyncListeners listeners) {
    this.tenant = tenant;
    this.gateway = gateway;
    this.orders = orders;
    this.policy = policy;
    this.executor = executor;
    this.clock = clock;
    this.listeners = listeners;
  }

  /** Starts a poll, or returns the running one. */
  public synchronized CompletableFuture<OrderPollResult> start(BooleanSupplier keepGoing) {
    if (running != null && !running.isDone()) {
      return running;
    }
    Instant now = clock.instant();
    Instant oldest = now.minus(policy.maxLookback());
    Instant from = cursor == null ? now.minus(policy.initialLookback()) : cursor.isBefore(oldest) ? oldest : cursor;
    Poll poll = new Poll(from.minus(policy.pollOverlap()), now, keepGoing);
    running = poll.future;
    poll.step(null);
    return poll.future;
  }

  public synchronized boolean isRunning() {
    return running != null && !running.isDone();
  }

  /** The end of the last complete poll's window, or {@code null} before the first. */
  public synchronized @Nullable Instant cursor() {
    return cursor;
  }

  private synchronized void advance(Instant to) {
    if (cursor == null || to.isAfter(cursor)) {
      cursor = to;
    }
  }

  private final class Poll {
    final CompletableFuture<OrderPollResult> future = new CompletableFuture<>();
    final Instant from;
    final Instant to;
    final BooleanSupplier keepGoing;
    final Map<OrderSyncResult.Outcome, Integer> outcomes = new EnumMap<>(OrderSyncResult.Outcome.class);
    int pages;

    Poll(Instant from, Instant to, BooleanSupplier keepGoing) {
      this.from = from;
      this.to = to;
      this.keepGoing = keepGoing;
    }

    void step(@Nullable String token) {
      try {
        executor.execute(() -> {
          try {
            page(token);
          } catch (RuntimeException e) {
            log.error("{} order poll of tenant {} failed unexpectedly", gateway.channel(), tenant, e);
            finish(false, ShopGateway.describe(e));
          }
        });
      } catch (RejectedExecutionException e) {
        finish(false, "the host executor refused the poll");
      }
    }

    void page(@Nullable String token) {
      if (!keepGoing.getAsBoolean()) {
        finish(false, "stopped: the lease was lost or sync is closing");
        return;
      }
      ShopOrderPage page;
      try {
        page = gateway.call("orders updated", () -> gateway.client().ordersUpdated(from, to, token));
      } catch (RuntimeException e) {
        finish(false, "page " + (pages + 1) + " failed: " + ShopGateway.describe(e));
        return;
      }
      pages++;
      for (ShopOrder o : page.orders()) {
        OrderSyncResult r = orders.apply(o);
        outcomes.merge(r.outcome(), 1, Integer::sum);
      }
      if (page.nextPageToken() == null) {
        finish(true, null);
      } else {
        step(page.nextPageToken());
      }
    }

    void finish(boolean complete, @Nullable String failure) {
      if (complete) {
        advance(to);
      } else {
        log.warn("{} order poll of tenant {} stopped early; the next poll covers [{}, {}) again: {}",
            gateway.channel(), tenant, from, to, failure);
      }
      OrderPollResult result = new OrderPollResult(from, to, pages, outcomes, complete, failure);
      listeners.fire(l -> l.onOrderPollFinished(result));
      future.complete(result);
    }
  }
}
