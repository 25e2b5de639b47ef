package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownSkuException;
import io.creatorflow.inventory.spi.ShopClient.ShopCatalogPage;
import io.creatorflow.inventory.spi.ShopClient.ShopSku;
import io.creatorflow.inventory.sync.ChannelPolicy;
import io.creatorflow.inventory.sync.PushOutcome;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ReconcileProgress;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.ReconcileResult.Drift;
import io.creatorflow.inventory.sync.ReconcileResult.Failure;
import io.creatorflow.inventory.sync.ReconcileResult.Kind;
import io.creatorflow.inventory.sync.ReconcileResult.Repair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalog reconciliation. A run is a chain of tasks on the host's executor, never a blocked thread:
 *
 * <ol>
 *   <li>read the engine's catalog with levels, in pages of {@value PageRequest#MAX_LIMIT}, into an
 *       index from this channel's SKU ids to engine SKUs;
 *   <li>read the shop's catalog page by page ({@code catalogPage}, one call per page, paced by the
 *       rate limiter, failed pages retried with backoff); compare each shop SKU with {@link
 *       ChannelPolicy#shopQuantity} of its engine level; a difference is confirmed with a fresh read
 *       of the level (the index may be a few seconds old) and is not drift while a push of the SKU is
 *       pending;
 *   <li>in {@link ReconcilePolicy.Mode#REPAIR} mode, once the catalog has been read, push each drifted
 *       SKU (forced) through the {@link PushQueue} (its batching, rate limit, concurrency bound and
 *       retries), at most {@link ReconcilePolicy#maxOutstandingRepairs()} unanswered at a time.
 *       Repairs wait for the end of paging because a shop may reorder its catalog when a product is
 *       updated (TikTok Shop pages by update time): repairing while paging would shift later pages and
 *       skip products;
 *   <li>finish when every page is read and every repair answered.
 * </ol>
 *
 * A shop SKU listed twice by the paging (a product updated meanwhile moved) is compared once.
 *
 * Local stock is never changed. At most one run at a time: starting while one runs returns the
 * running one. Thread-safe.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final TenantId tenant;
  private final String channel;
  private final InventoryEngine engine;
  private final ShopGateway gateway;
  private final ChannelPolicy channelPolicy;
  private final ReconcilePolicy policy;
  private final PushQueue pushes;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final DoubleSupplier random;
  private final SyncListeners listeners;
  private final TokenBucket bucket;
  private @Nullable Run running;
  private volatile @Nullable ReconcileResult last;

  public Reconciler(
      TenantId tenant, InventoryEngine engine, ShopGateway gateway, ChannelPolicy channelPolicy, ReconcilePolicy policy,
      PushQueue pushes, ScheduledExecutorService executor, Clock clock, DoubleSupplier random, SyncListeners listeners) {
    this.tenant = tenant;
    this.channel = gateway.channel();
    this.engine = engine;
    this.gateway = gateway;
    this.channelPolicy = channelPolicy;
    this.policy = policy;
    this.pushes = pushes;
    this.executor = executor;
    this.clock = clock;
    this.random = random;
    this.listeners = listeners;
    this.bucket = new TokenBucket(policy.rateLimit(), clock);
  }

  /**
   * Starts a run, or returns the running one.
   *
   * @param keepGoing asked before every page; {@code false} ends the run early (lease lost, closing)
   */
  public synchronized CompletableFuture<ReconcileResult> start(BooleanSupplier keepGoing) {
    if (running != null && !running.future.isDone()) {
      return running.future;
    }
    Run run = new Run(keepGoing, clock.instant());
    running = run;
    run.submit(run::preload, 0);
    return run.future;
  }

  public synchronized boolean isRunning() {
    return running != null && !running.future.isDone();
  }

  public @Nullable ReconcileResult last() {
    return last;
  }

  private record Expected(Sku sku, long available) {}

  /** A drift whose repair may still be pending. Guarded by its run. */
  private static final class DriftHolder {
    final Sku sku;
    final ShopSku shop;
    final long expected;
    final long available;
    Repair repair;
    @Nullable PushOutcome outcome;

    DriftHolder(Sku sku, ShopSku shop, long expected, long available, Repair repair) {
      this.sku = sku;
      this.shop = shop;
      this.expected = expected;
      this.available = available;
      this.repair = repair;
    }

    Drift toDrift() {
      return new Drift(sku, shop.productId(), shop.skuId(), shop.available(), expected, available, repair, outcome);
    }
  }

  /** One run. Its state is guarded by the run itself: repair answers arrive on other threads. */
  private final class Run {
    final CompletableFuture<ReconcileResult> future = new CompletableFuture<>();
    final BooleanSupplier keepGoing;
    final Instant startedAt;
    final Map<String, Expected> index = new HashMap<>();
    final Set<Sku> listed = new LinkedHashSet<>();
    final Set<Sku> seen = new HashSet<>();
    final Set<String> seenShopSkus = new HashSet<>();
    final List<DriftHolder> drifts = new ArrayList<>();
    final java.util.ArrayDeque<DriftHolder> toRepair = new java.util.ArrayDeque<>();
    final List<Failure> failures = new ArrayList<>();
    @Nullable String token;
    int pages;
    long checked;
    long matched;
    long inTransit;
    long unmapped;
    long total;
    int pageAttempts;
    int outstanding;
    boolean fetchDone;
    boolean complete = true;
    boolean finished;

    Run(BooleanSupplier keepGoing, Instant startedAt) {
      this.keepGoing = keepGoing;
      this.startedAt = startedAt;
    }

    void submit(Runnable step, long delayMillis) {
      Runnable guarded = () -> {
        try {
          step.run();
        } catch (RuntimeException e) {
          log.error("{} reconciliation of tenant {} failed unexpectedly", channel, tenant, e);
          synchronized (this) {
            failures.add(new Failure(Kind.STOPPED, null, null, ShopGateway.code(e), ShopGateway.describe(e)));
            stopPaging();
          }
        }
      };
      try {
        executor.schedule(guarded, delayMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          failures.add(new Failure(Kind.STOPPED, null, null, "EXECUTOR_REJECTED", "the host executor refused the task"));
          stopPaging();
        }
      }
    }

    synchronized void preload() {
      try {
        PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
        while (true) {
          Page<ItemStock> items = engine.find(tenant, CatalogQuery.all().withPage(page));
          for (ItemStock row : items.items()) {
            for (ShopListing l : row.item().listings()) {
              if (l.channel().equals(channel)) {
                index.put(l.skuId(), new Expected(row.item().sku(), row.level().available()));
                listed.add(row.item().sku());
              }
            }
          }
          if (!items.hasNext()) {
            break;
          }
          page = page.next();
        }
      } catch (RuntimeException e) {
        failures.add(new Failure(Kind.ENGINE_READ, null, null, ShopGateway.code(e),
            "reading the engine catalog failed: " + ShopGateway.describe(e)));
        stopPaging();
        return;
      }
      nextPage();
    }

    /** Schedules the next page when the rate limiter allows. Called holding the run. */
    void nextPage() {
      if (!keepGoing.getAsBoolean()) {
        failures.add(new Failure(Kind.STOPPED, null, null, "STOPPED",
            "stopped after " + pages + " pages: the lease was lost or sync is closing"));
        stopPaging();
        return;
      }
      submit(this::fetch, bucket.reserve());
    }

    void fetch() {
      String requested;
      synchronized (this) {
        requested = token;
      }
      ShopCatalogPage page;
      try {
        page = gateway.call("catalog page", () -> gateway.client().catalogPage(requested, policy.pageSize()));
      } catch (RuntimeException e) {
        synchronized (this) {
          pageAttempts++;
          if (gateway.isRetryable(e) && pageAttempts < policy.retry().maxAttempts()) {
            long backoff = policy.retry().backoff(pageAttempts, random.getAsDouble()).toMillis();
            log.debug("{} catalog page {} failed (attempt {}), retrying in {} ms: {}", channel, pages + 1,
                pageAttempts, backoff, e.toString());
            submit(this::nextPageHolding, backoff);
          } else {
            failures.add(new Failure(Kind.PAGE, null, null, ShopGateway.code(e), "catalog page " + (pages + 1)
                + " failed after " + pageAttempts + " attempt(s): " + ShopGateway.describe(e)));
            stopPaging();
          }
        }
        return;
      }
      synchronized (this) {
        pageAttempts = 0;
        pages++;
        total = page.totalCount();
        for (ShopSku sku : page.skus()) {
          compare(sku);
        }
        token = page.nextPageToken();
        ReconcileProgress progress = new ReconcileProgress(pages, checked, total, drifts.size(),
            toRepair.size() + outstanding);
        listeners.fire(l -> l.onReconcileProgress(progress));
        if (token == null) {
          fetchDone = true;
          repairMore();
          maybeFinish();
        } else {
          nextPage();
        }
      }
    }

    synchronized void nextPageHolding() {
      nextPage();
    }

    /** Compares one shop SKU. Called holding the run. */
    void compare(ShopSku shop) {
      if (!seenShopSkus.add(shop.skuId())) {
        return;
      }
      checked++;
      Expected expected = index.get(shop.skuId());
      if (expected == null) {
        unmapped++;
        return;
      }
      seen.add(expected.sku());
      if (shop.available() == channelPolicy.shopQuantity(expected.available())) {
        matched++;
        return;
      }
      StockLevel fresh;
      try {
        fresh = engine.level(tenant, expected.sku());
      } catch (UnknownSkuException e) {
        unmapped++;
        return;
      } catch (RuntimeException e) {
        failures.add(new Failure(Kind.SKU, expected.sku(), shop.skuId(), ShopGateway.code(e),
            "reading the engine level failed: " + ShopGateway.describe(e)));
        return;
      }
      long want = channelPolicy.shopQuantity(fresh.available());
      if (shop.available() == want) {
        matched++;
        return;
      }
      if (pushes.isPending(expected.sku())) {
        inTransit++;
        return;
      }
      boolean repair = policy.mode() == ReconcilePolicy.Mode.REPAIR;
      DriftHolder drift = new DriftHolder(expected.sku(), shop, want, fresh.available(),
          repair ? Repair.FAILED : Repair.REPORTED);
      drifts.add(drift);
      if (repair) {
        toRepair.add(drift);
      }
    }

    /** Starts queued repairs up to the bound. Called holding the run, after paging. */
    void repairMore() {
      while (outstanding < policy.maxOutstandingRepairs() && !toRepair.isEmpty()) {
        DriftHolder drift = toRepair.poll();
        outstanding++;
        pushes.pushNow(drift.sku).whenComplete((outcome, error) -> repaired(drift, outcome, error));
      }
    }

    synchronized void repaired(DriftHolder drift, @Nullable PushOutcome outcome, @Nullable Throwable error) {
      outstanding--;
      drift.outcome = outcome;
      if (outcome != null && outcome.status() == PushOutcome.Status.ACCEPTED) {
        drift.repair = Repair.REPAIRED;
      } else {
        drift.repair = Repair.FAILED;
        String code = outcome == null ? (error == null ? "UNKNOWN" : ShopGateway.code(error))
            : outcome.code() != null ? outcome.code() : outcome.status().name();
        String reason = outcome == null ? (error == null ? "no outcome" : ShopGateway.describe(error))
            : outcome.status() + (outcome.message() == null ? "" : ": " + outcome.message());
        failures.add(new Failure(Kind.REPAIR, drift.sku, drift.shop.skuId(), code, reason));
      }
      repairMore();
      maybeFinish();
    }

    /** Ends paging early; the drifts found so far are still repaired, then the run finishes. */
    void stopPaging() {
      complete = false;
      fetchDone = true;
      repairMore();
      maybeFinish();
    }

    void maybeFinish() {
      if (finished || !fetchDone || outstanding > 0 || !toRepair.isEmpty()) {
        return;
      }
      finished = true;
      List<Sku> missing = new ArrayList<>();
      if (complete) {
        for (Sku sku : listed) {
          if (!seen.contains(sku)) {
            missing.add(sku);
          }
        }
      }
      List<Drift> out = new ArrayList<>(drifts.size());
      for (DriftHolder d : drifts) {
        out.add(d.toDrift());
      }
      ReconcileResult result = new ReconcileResult(tenant, channel, startedAt, clock.instant(), complete, pages, checked,
          matched, inTransit, unmapped, out, missing, failures);
      last = result;
      log.info("{} reconciliation of tenant {}: {} pages, {} SKUs checked, {} drifted ({} repaired), {} failures, "
              + "complete: {}", channel, tenant, pages, checked, out.size(), result.repaired(), failures.size(), complete);
      listeners.fire(l -> l.onReconcileFinished(result));
      future.complete(result);
    }
  }
}
