package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OperationResult;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.benchmarks.Latencies;
import io.creatorflow.inventory.benchmarks.Options;
import io.creatorflow.inventory.benchmarks.Result;
import io.creatorflow.inventory.benchmarks.Scenario;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.PushOutcome;
import io.creatorflow.inventory.sync.PushPolicy;
import io.creatorflow.inventory.sync.RateLimit;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.SyncListener;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.EmulatedRequest;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.sync.TikTokOrderEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shop sync under a burst of changes: 1,200 concurrent stock changes (one-unit reservations from 64
 * threads at once) over 200 SKUs, pushed by {@link ShopSync} through the real TikTok client to the
 * emulator, which answers each request after 50 ms and allows 50 requests per second per endpoint.
 *
 * <p>Catalog shape: 40 products with 5 variants each (sizes or colours), one warehouse, 1,000 units
 * per SKU. Every change is timed from just before the reservation call to the moment sync reports
 * the shop's acknowledgement ({@link SyncListener#onPushAccepted}) of a push whose quantity includes
 * it: pushes read the level when they are sent and changes only lower it, so a change of SKU s that
 * left {@code a} available is acknowledged by the first accepted push of s with a quantity of at most
 * {@code a}.
 *
 * <p>Three configurations: the push policy defaults; a policy tuned for this 50-QPS shop (the one
 * the reconcile scenario uses); and the defaults this SDK had before pushes were flushed by product
 * (200 ms window, 50 SKUs of any number of products per call, 2 calls in flight, 10 calls/s), to
 * show what the current defaults add to flushing by product. Sync pushes whole products: when a
 * SKU's coalescing window ends, the other changed SKUs of its product go in the same call. TikTok
 * takes one update request per product, and the client sends a call's products one after the other
 * after one inventory read, so a call of many products takes 50 ms per product here.
 */
public final class SyncScenario implements Scenario {
  static final int PRODUCTS = 40;
  static final int VARIANTS = 5;
  static final long STOCK = 1_000;
  static final int CHANGES = 1_200;
  static final int WRITERS = 64;
  static final int QPS = 50;
  static final Duration LATENCY = Duration.ofMillis(50);

  @Override
  public String name() {
    return "sync";
  }

  /**
   * The push policy tuned for this shop: a 100 ms coalescing window, 5 SKUs per call (one product of
   * this catalog, or up to 5 SKUs of different products, as the reconcile scenario's repairs are), 40
   * calls in flight, 45 calls per second (under the shop's 50).
   */
  static PushPolicy tuned() {
    return PushPolicy.builder()
        .coalesceWindow(Duration.ofMillis(100))
        .maxBatchSize(VARIANTS)
        .maxProductsPerBatch(VARIANTS)
        .maxConcurrentBatches(40)
        .rateLimit(new RateLimit(45, 45))
        .build();
  }

  /** The {@link PushPolicy} defaults before pushes were flushed by product (issue 9). */
  static PushPolicy previousDefaults() {
    return PushPolicy.builder()
        .coalesceWindow(Duration.ofMillis(200))
        .maxBatchSize(50)
        .maxProductsPerBatch(50)
        .maxConcurrentBatches(2)
        .rateLimit(RateLimit.perSecond(10))
        .build();
  }

  @Override
  public List<Result> run(Context ctx) throws Exception {
    Options o = ctx.options();
    int rounds = o.size(1, 2, 5);
    int changes = o.size(200, CHANGES, CHANGES);
    PushPolicy d = PushPolicy.ofDefaults();
    List<Result> results = new ArrayList<>();
    results.addAll(measure(ctx, "defaults", d, rounds, changes, String.format(Locale.ROOT,
        "PushPolicy defaults: coalesce %d ms, %d product(s) and at most %d SKUs per call, %d calls in flight, %.0f"
            + " calls/s (burst %d)", d.coalesceWindow().toMillis(), d.maxProductsPerBatch(), d.maxBatchSize(),
        d.maxConcurrentBatches(), d.rateLimit().permitsPerSecond(), d.rateLimit().burst())));
    results.addAll(measure(ctx, "tuned", tuned(), rounds, changes,
        "coalesce 100 ms, 5 SKUs (one product) per call, 40 calls in flight, 45 calls/s"));
    results.addAll(measure(ctx, "previous-defaults", previousDefaults(), rounds, changes,
        "the defaults before flushing by product: coalesce 200 ms, 50 SKUs of any number of products per call, 2"
            + " calls in flight, 10 calls/s; flushed by product"));
    return results;
  }

  private record Change(Sku sku, long startNanos, long availableAfter) {}

  private record Ack(long nanos, long quantity) {}

  private List<Result> measure(Context ctx, String label, PushPolicy policy, int rounds,
      int changesPerRound, String policyText) throws Exception {
    TenantId tenant = FlashSaleScenario.tenant("sync");
    Map<Sku, List<Ack>> acks = new ConcurrentHashMap<>();
    Latencies pushLatencies = new Latencies();
    AtomicInteger failedPushes = new AtomicInteger();
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(48, daemon("sync-bench"));
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS, daemon("sync-writer"));
    try (ShopFixture shop = ShopFixture.start(QPS, LATENCY);
        InMemoryStockStore store = new InMemoryStockStore()) {
      InventoryEngine engine = InventoryEngine.builder().store(store).build();
      List<Sku> skus = catalog(shop.emulator, engine, tenant);
      TimedShopClient timed = new TimedShopClient(shop.client);
      ShopSync sync = ShopSync.builder()
          .engine(engine).tenant(tenant).shop(timed).executor(executor).leaseStore(store)
          .pushPolicy(policy)
          .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
          .orderPolicy(OrderPolicy.builder().noPolling().build())
          .retryable(TikTokOrderEvents::retryable)
          .listener(new SyncListener() {
            @Override
            public void onPushAccepted(PushOutcome outcome) {
              long now = System.nanoTime();
              acks.computeIfAbsent(outcome.sku(), k -> Collections.synchronizedList(new ArrayList<>()))
                  .add(new Ack(now, outcome.quantity() == null ? Long.MAX_VALUE : outcome.quantity()));
              synchronized (pushLatencies) {
                pushLatencies.add(outcome.latency().toNanos());
              }
            }

            @Override
            public void onPushFailed(PushOutcome outcome) {
              failedPushes.incrementAndGet();
            }
          })
          .build();
      sync.start();
      try {
        ctx.progress("sync (%s): warm-up round", label);
        round(engine, tenant, skus, skus.size(), writers, new Random(1), "w");
        sync.whenIdle().get(2, TimeUnit.MINUTES);
        Thread.sleep(1_100);
        acks.clear();
        timed.clear();
        synchronized (pushLatencies) {
          pushLatencies.clear();
        }
        failedPushes.set(0);
        int requestsBefore = shop.emulator.totalRequests();
        int limitedBefore = shop.emulator.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS);
        List<Change> all = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          ctx.progress("sync (%s): round %d of %d, %,d changes over %d SKUs", label, r + 1, rounds, changesPerRound,
              skus.size());
          all.addAll(round(engine, tenant, skus, changesPerRound, writers, new Random(100 + r), "r" + r));
          sync.whenIdle().get(2, TimeUnit.MINUTES);
          Thread.sleep(1_100); // the next round starts in a fresh rate-limit second
        }
        int requests = shop.emulator.totalRequests() - requestsBefore;
        Map<String, Integer> byEndpoint = new java.util.TreeMap<>();
        List<EmulatedRequest> log = shop.emulator.requests();
        for (EmulatedRequest q : log.subList(Math.min(requestsBefore, log.size()), log.size())) {
          String endpoint = q.path().contains("/inventory/update") ? "updates"
              : q.path().contains("/inventory/search") ? "inventory reads" : "other";
          byEndpoint.merge(endpoint + (q.httpStatus() == 429 ? " answered 429" : ""), 1, Integer::sum);
        }
        int limited = shop.emulator.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS) - limitedBefore;
        Latencies changeLatencies = new Latencies(all.size());
        int unacknowledged = 0;
        for (Change c : all) {
          long ackAt = Long.MAX_VALUE;
          for (Ack a : acks.getOrDefault(c.sku(), List.of())) {
            if (a.nanos() >= c.startNanos() && a.quantity() <= c.availableAfter() && a.nanos() < ackAt) {
              ackAt = a.nanos();
            }
          }
          if (ackAt == Long.MAX_VALUE) {
            unacknowledged++;
          } else {
            changeLatencies.add(ackAt - c.startNanos());
          }
        }
        int pushes = acks.values().stream().mapToInt(List::size).sum();
        Latencies calls = timed.pushCalls();
        ctx.progress("sync (%s): change-to-ack p50 %.0f ms, p99 %.0f ms, %d pushes, %d requests, %d answered 429",
            label, changeLatencies.percentileMillis(50), changeLatencies.percentileMillis(99), pushes, requests, limited);
        String p = "sync/" + label + "/";
        String setting = String.format(Locale.ROOT, "%d round(s) of %,d changes over %d SKUs (%d products x %d"
            + " variants), %d writer threads; emulator %d QPS per endpoint, %d ms latency; %s", rounds,
            changesPerRound, skus.size(), PRODUCTS, VARIANTS, WRITERS, QPS, LATENCY.toMillis(), policyText);
        List<Result> out = new ArrayList<>();
        out.add(Result.of(p + "change-to-ack-p50", changeLatencies.percentileMillis(50), "ms", setting));
        out.add(Result.of(p + "change-to-ack-p99", changeLatencies.percentileMillis(99), "ms",
            "from the reservation call to sync's onPushAccepted; limit: coalescing window, then per call an"
                + " inventory read and one update per product in sequence at 50 ms each, calls in flight and calls/s"
                + " of the policy, within the shop's 50 QPS per endpoint (a 429 costs a 1 s Retry-After)"));
        out.add(Result.of(p + "change-to-ack-max", changeLatencies.maxMillis(), "ms", null));
        out.add(Result.of(p + "push-latency-p99", pushLatencies.percentileMillis(99), "ms",
            "PushOutcome.latency (first change of a push to its acknowledgement), as sync reports it"));
        out.add(Result.of(p + "push-call-p50", calls.percentileMillis(50), "ms", calls.count()
            + " pushQuantities calls (one inventory read, then one update per product, at the shop's latency)"));
        out.add(Result.of(p + "push-call-p99", calls.percentileMillis(99), "ms", null));
        out.add(Result.of(p + "unacknowledged-changes", unacknowledged, "changes",
            "changes with no acknowledged push covering them (must be 0); failed push attempts: " + failedPushes.get()));
        out.add(Result.of(p + "shop-requests", requests, "requests", pushes + " SKU pushes acknowledged; requests "
            + byEndpoint + "; " + limited + " answered 429 in all"));
        return out;
      } finally {
        sync.close();
      }
    } finally {
      writers.shutdownNow();
      executor.shutdownNow();
    }
  }

  /** Lists the catalog in the emulator and registers it in the engine with its listings. */
  private static List<Sku> catalog(TikTokShopEmulator emulator, InventoryEngine engine, TenantId tenant) {
    Instant first = Instant.now().minus(Duration.ofDays(30));
    emulator.addProducts(EmulatedProduct.catalog(PRODUCTS, VARIANTS, emulator.defaultWarehouseId(), STOCK, first,
        Duration.ofMinutes(1)));
    List<Sku> skus = new ArrayList<>();
    for (int n = 0; n < PRODUCTS; n++) {
      for (int k = 0; k < VARIANTS; k++) {
        Sku sku = Sku.of("SKU-" + n + "-" + k);
        engine.register(ItemDefinition.builder(tenant, sku).name("Product " + n + " variant " + k)
            .listing(ShopListing.of(TikTokShopClient.CHANNEL, EmulatedProduct.generatedProductId(n),
                EmulatedProduct.generatedSkuId(n, k)))
            .build());
        engine.adjust(Adjustment.of(tenant, sku, STOCK, "opening stock").withType(MovementType.IN));
        skus.add(sku);
      }
    }
    return skus;
  }

  /** {@code count} one-unit reservations, evenly over the SKUs, submitted at once to the writers. */
  private static List<Change> round(InventoryEngine engine, TenantId tenant, List<Sku> skus, int count,
      ExecutorService writers, Random random, String tag) throws Exception {
    List<Sku> targets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      targets.add(skus.get(i % skus.size()));
    }
    Collections.shuffle(targets, random);
    List<Future<Change>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Sku sku = targets.get(i);
      OrderId order = OrderId.of("sync-" + tag + "-" + i);
      futures.add(writers.submit(() -> {
        long t0 = System.nanoTime();
        OperationResult result = engine.reserve(Reservation.of(tenant, order, OrderLine.of(sku, 1)));
        return new Change(sku, t0, result.movement().availableAfter());
      }));
    }
    List<Change> out = new ArrayList<>(count);
    for (Future<Change> f : futures) {
      out.add(f.get(1, TimeUnit.MINUTES));
    }
    return out;
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
