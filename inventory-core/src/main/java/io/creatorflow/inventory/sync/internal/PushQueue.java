package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownSkuException;
import io.creatorflow.inventory.spi.ShopClient.PushFailure;
import io.creatorflow.inventory.spi.ShopClient.PushResult;
import io.creatorflow.inventory.spi.ShopClient.ShopQuantity;
import io.creatorflow.inventory.sync.ChannelPolicy;
import io.creatorflow.inventory.sync.PushOutcome;
import io.creatorflow.inventory.sync.PushPolicy;
import io.creatorflow.inventory.sync.PushStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes SKU quantities to the shop: coalesced per SKU, batched, paced, bounded in concurrency,
 * retried with backoff.
 *
 * <h2>How a change becomes a push</h2>
 *
 * <ol>
 *   <li>{@link #markDirty} (called by the engine listener, so it only takes a lock and maybe
 *       schedules a task) marks the SKU dirty since the first unpublished change. Further changes of a
 *       dirty SKU change nothing: they are coalesced.
 *   <li>A flush task runs when the oldest dirty SKU's coalescing window has passed. It takes every
 *       due SKU that has no push in flight <em>and the other dirty SKUs of the same shop product</em>
 *       (whether their own window has ended or not; not those in flight or backing off after a
 *       failure), so that a product changed in a burst goes out in one call, not in one call per SKU
 *       as each SKU's window ends. It packs them into batches, a product's SKUs together, at most
 *       {@link PushPolicy#maxBatchSize()} SKUs and {@link PushPolicy#maxProductsPerBatch()} products
 *       per batch, oldest due first, up to {@link
 *       PushPolicy#maxConcurrentBatches()} in flight, and schedules each batch when the rate limiter
 *       allows. A SKU's product is the one it was last pushed under, else its listing in the lookup
 *       cache, else (its first push, cache cold) looked up by the flush before packing.
 *   <li>A batch reads each SKU's <em>current</em> level from the store (not the value of the change
 *       that marked it), applies the {@link ChannelPolicy}, and sends one {@code pushQuantities} call.
 *   <li>Each SKU's result is recorded: acknowledged quantities as the last pushed value; retryable
 *       failures are marked dirty again with a backoff; final failures are reported. A SKU changed
 *       while its push was in flight is dirty again and pushed once more with its newer level, so the
 *       last push always carries the latest value.
 * </ol>
 *
 * Thread-safe: state is guarded by one lock that is never held during a shop or store call; listeners
 * and futures are completed outside it.
 */
public final class PushQueue {
  private static final Logger log = LoggerFactory.getLogger(PushQueue.class);

  private final TenantId tenant;
  private final String channel;
  private final InventoryEngine engine;
  private final LookupCache cache;
  private final ChannelPolicy channelPolicy;
  private final Function<Location, @Nullable String> warehouses;
  private final ShopGateway gateway;
  private final PushPolicy policy;
  private final TokenBucket bucket;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final DoubleSupplier random;
  private final SyncListeners listeners;

  private final ReentrantLock lock = new ReentrantLock();
  private final HashMap<Sku, Entry> entries = new HashMap<>();
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
  private int inFlightBatches;
  private @Nullable ScheduledFuture<?> flushFuture;
  private @Nullable Instant flushAt;
  private boolean draining;
  private boolean stopped;

  private final ConcurrentHashMap<Sku, Pushed> pushed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Sku, PushOutcome> lastFailure = new ConcurrentHashMap<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong attemptsFailed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  public PushQueue(
      TenantId tenant, InventoryEngine engine, LookupCache cache, ChannelPolicy channelPolicy,
      Function<Location, @Nullable String> warehouses, ShopGateway gateway, PushPolicy policy,
      ScheduledExecutorService executor, Clock clock, DoubleSupplier random, SyncListeners listeners) {
    this.tenant = tenant;
    this.channel = gateway.channel();
    this.engine = engine;
    this.cache = cache;
    this.channelPolicy = channelPolicy;
    this.warehouses = warehouses;
    this.gateway = gateway;
    this.policy = policy;
    this.bucket = new TokenBucket(policy.rateLimit(), clock);
    this.executor = executor;
    this.clock = clock;
    this.random = random;
    this.listeners = listeners;
  }

  /** The last quantity the shop acknowledged for a SKU. */
  public record Pushed(long quantity, @Nullable String warehouseId, ShopListing listing, Instant at) {}

  /** One SKU's state. Guarded by {@link #lock}. */
  private static final class Entry {
    final Sku sku;
    /** The first change not yet taken by a push; {@code null} if none is waiting. */
    @Nullable Instant dirtySince;
    boolean force;
    List<CompletableFuture<PushOutcome>> waiters = new ArrayList<>(0);
    boolean inFlight;
    @Nullable Instant inFlightSince;
    List<CompletableFuture<PushOutcome>> inFlightWaiters = List.of();
    /** Consecutive failed attempts. */
    int failures;
    @Nullable Instant notBefore;
    /** The shop product the SKU was last known under: SKUs of one product are pushed together. */
    @Nullable String productHint;
    /** Whether the lookup cache was asked for the product already (it may have none: not listed). */
    boolean productLookedUp;

    Entry(Sku sku) {
      this.sku = sku;
    }
  }

  /** One SKU in a batch being sent; confined to the sending task until its result is recorded. */
  private static final class Attempt {
    final Sku sku;
    final Instant since;
    final boolean force;
    final int number;
    @Nullable ShopListing listing;
    @Nullable Long quantity;
    @Nullable String warehouse;

    Attempt(Sku sku, Instant since, boolean force, int number) {
      this.sku = sku;
      this.since = since;
      this.force = force;
      this.number = number;
    }
  }

  private enum Kind {
    ACCEPTED,
    UNCHANGED,
    NOT_LISTED,
    FAILED
  }

  private record Result(Attempt attempt, Kind kind, @Nullable String code, @Nullable String message, boolean retryable) {
    static Result of(Attempt a, Kind kind) {
      return new Result(a, kind, null, null, false);
    }

    static Result failed(Attempt a, String code, String message, boolean retryable) {
      return new Result(a, Kind.FAILED, code, message, retryable);
    }
  }

  // ------------------------------------------------------------------------------------ enqueue

  /** Marks a SKU's quantity as changed; it is pushed after the coalescing window. Fast. */
  public void markDirty(Sku sku) {
    enqueue(sku, false, null);
  }

  /**
   * Pushes a SKU's current quantity even if the shop was told the same before (a reconciliation
   * repair or an explicit request).
   *
   * @return completes with the final outcome (never {@code RETRYING})
   */
  public CompletableFuture<PushOutcome> pushNow(Sku sku) {
    CompletableFuture<PushOutcome> f = new CompletableFuture<>();
    enqueue(sku, true, f);
    return f;
  }

  private void enqueue(Sku sku, boolean force, @Nullable CompletableFuture<PushOutcome> waiter) {
    PushOutcome dropped = null;
    lock.lock();
    try {
      Instant now = clock.instant();
      if (stopped) {
        dropped = outcome(sku, null, null, PushOutcome.Status.DROPPED, "CLOSED", "sync is closed", 0, Duration.ZERO, now);
      } else {
        Entry e = entries.computeIfAbsent(sku, Entry::new);
        if (e.productHint == null) {
          Pushed last = pushed.get(sku);
          e.productHint = last != null ? last.listing().productId() : cache.cachedProductId(sku);
        }
        if (e.dirtySince == null) {
          e.dirtySince = now;
        }
        e.force |= force;
        if (waiter != null) {
          e.waiters.add(waiter);
        }
        if (!e.inFlight) {
          scheduleFlushLocked(dueAt(e), now);
        }
      }
    } finally {
      lock.unlock();
    }
    if (dropped != null && waiter != null) {
      waiter.complete(dropped);
    }
  }

  private Instant dueAt(Entry e) {
    Instant due = Objects.requireNonNull(e.dirtySince);
    if (!draining) {
      due = due.plus(policy.coalesceWindow());
    }
    if (e.notBefore != null && e.notBefore.isAfter(due)) {
      due = e.notBefore;
    }
    return due;
  }

  private void scheduleFlushLocked(Instant due, Instant now) {
    if (stopped || inFlightBatches >= policy.maxConcurrentBatches()) {
      return; // a finishing batch schedules the next flush
    }
    if (flushAt != null && !due.isBefore(flushAt)) {
      return;
    }
    if (flushFuture != null) {
      flushFuture.cancel(false);
    }
    long delay = Math.max(0, Duration.between(now, due).toMillis());
    flushAt = due;
    try {
      flushFuture = executor.schedule(this::flush, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      flushAt = null;
      flushFuture = null;
      log.error("the executor refused the {} push flush of tenant {}; {} SKUs stay pending: {}", channel, tenant,
          entries.size(), e.toString());
    }
  }

  private void scheduleNextLocked(Instant now) {
    Instant earliest = null;
    for (Entry e : entries.values()) {
      if (e.dirtySince != null && !e.inFlight) {
        Instant due = dueAt(e);
        if (earliest == null || due.isBefore(earliest)) {
          earliest = due;
        }
      }
    }
    if (earliest != null) {
      scheduleFlushLocked(earliest, now);
    }
  }

  // ------------------------------------------------------------------------------------ flush

  private void flush() {
    List<Sku> unresolved = new ArrayList<>();
    List<List<Attempt>> batches = List.of();
    lock.lock();
    try {
      flushFuture = null;
      flushAt = null;
      if (stopped) {
        return;
      }
      Instant now = clock.instant();
      boolean anyDue = false;
      for (Entry e : entries.values()) {
        anyDue |= isDue(e, now);
        if (e.productHint == null && !e.productLookedUp && e.dirtySince != null && !e.inFlight) {
          unresolved.add(e.sku);
        }
      }
      if (!anyDue) {
        scheduleNextLocked(now);
        return;
      }
      if (unresolved.isEmpty()) {
        batches = takeBatchesLocked(now);
      }
    } finally {
      lock.unlock();
    }
    if (!unresolved.isEmpty()) {
      // A SKU whose product is not known yet (its first push since start, with a cold lookup cache)
      // would travel alone; the lookup is a store read, so it is made outside the lock.
      Map<Sku, Optional<String>> resolved = new HashMap<>();
      for (Sku sku : unresolved) {
        try {
          resolved.put(sku, cache.bySku(sku).flatMap(cache::listing).map(ShopListing::productId));
        } catch (RuntimeException e) {
          log.debug("could not look up the {} listing of sku {} (tenant {}) before its push: {}", channel, sku, tenant,
              e.toString());
        }
      }
      lock.lock();
      try {
        if (stopped) {
          return;
        }
        resolved.forEach((sku, product) -> {
          Entry e = entries.get(sku);
          if (e != null && e.productHint == null) {
            e.productHint = product.orElse(null);
            e.productLookedUp = true;
          }
        });
        batches = takeBatchesLocked(clock.instant());
      } finally {
        lock.unlock();
      }
    }
    for (List<Attempt> batch : batches) {
      long delay = bucket.reserve();
      try {
        executor.schedule(() -> send(batch), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.error("the executor refused a {} push batch of tenant {}; dropping {} SKUs: {}", channel, tenant,
            batch.size(), e.toString());
        List<Result> results = new ArrayList<>();
        for (Attempt a : batch) {
          results.add(Result.failed(a, "EXECUTOR_REJECTED", "the host executor refused the push", false));
        }
        complete(results);
      }
    }
  }

  /** Whether a SKU waits for a push that may be sent now. */
  private boolean isDue(Entry e, Instant now) {
    return e.dirtySince != null && !e.inFlight && !dueAt(e).isAfter(now);
  }

  /**
   * Takes the due SKUs, with every other changed SKU of their products that is neither in flight
   * nor backing off after a failure, into batches, up to {@code maxConcurrentBatches} in flight.
   * Call with the lock held; the caller schedules the batches once it is released.
   */
  private List<List<Attempt>> takeBatchesLocked(Instant now) {
    int slots = policy.maxConcurrentBatches() - inFlightBatches;
    if (slots <= 0) {
      scheduleNextLocked(now);
      return List.of();
    }
    Map<String, Group> products = new HashMap<>();
    List<Group> groups = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!isDue(e, now)) {
        continue;
      }
      Instant due = dueAt(e);
      Group g = e.productHint == null ? null : products.get(e.productHint);
      if (g == null) {
        g = new Group(e.productHint, due);
        groups.add(g);
        if (e.productHint != null) {
          products.put(e.productHint, g);
        }
      } else if (due.isBefore(g.firstDue)) {
        g.firstDue = due;
      }
      g.entries.add(e);
    }
    if (!products.isEmpty()) {
      for (Entry e : entries.values()) {
        Group g = e.productHint == null ? null : products.get(e.productHint);
        if (g != null && e.dirtySince != null && !e.inFlight && dueAt(e).isAfter(now)
            && (e.notBefore == null || !e.notBefore.isAfter(now))) {
          g.entries.add(e); // changed within its own window: it travels with its product
        }
      }
    }
    // oldest first, so that a steady stream of changes cannot hold back any product for long; only
    // the groups the free slots can carry are ordered (a backlog of thousands is not sorted per flush)
    List<Group> next = oldest(groups, (long) slots * policy.maxProductsPerBatch());
    List<List<Attempt>> batches = new ArrayList<>();
    for (List<Entry> batch : pack(next)) {
      if (inFlightBatches >= policy.maxConcurrentBatches()) {
        break;
      }
      List<Attempt> attempts = new ArrayList<>(batch.size());
      for (Entry e : batch) {
        attempts.add(new Attempt(e.sku, Objects.requireNonNull(e.dirtySince), e.force, e.failures + 1));
        e.inFlight = true;
        e.inFlightSince = e.dirtySince;
        e.inFlightWaiters = e.waiters;
        e.waiters = new ArrayList<>(0);
        e.dirtySince = null;
        e.force = false;
      }
      inFlightBatches++;
      batches.add(attempts);
    }
    scheduleNextLocked(now);
    return batches;
  }

  private static final Comparator<Group> OLDEST_FIRST = Comparator.comparing((Group g) -> g.firstDue)
      .thenComparing(g -> g.product == null ? "\uffff" : g.product)
      .thenComparing(g -> g.entries.get(0).sku);

  /**
   * The {@code limit} first groups in {@link #OLDEST_FIRST} order, sorted: a bounded heap, so a
   * flush over a backlog of {@code n} groups costs {@code n log limit}, not {@code n log n}.
   */
  private static List<Group> oldest(List<Group> groups, long limit) {
    if (groups.size() <= limit) {
      groups.sort(OLDEST_FIRST);
      return groups;
    }
    int size = (int) limit;
    PriorityQueue<Group> newest = new PriorityQueue<>(size + 1, OLDEST_FIRST.reversed());
    for (Group g : groups) {
      if (newest.size() < size) {
        newest.add(g);
      } else if (OLDEST_FIRST.compare(g, newest.peek()) < 0) {
        newest.poll();
        newest.add(g);
      }
    }
    List<Group> taken = new ArrayList<>(newest);
    taken.sort(OLDEST_FIRST);
    return taken;
  }

  /** The SKUs of one shop product (or one SKU whose product is unknown) taken by a flush. */
  private static final class Group {
    final @Nullable String product;
    Instant firstDue;
    final List<Entry> entries = new ArrayList<>();

    Group(@Nullable String product, Instant firstDue) {
      this.product = product;
      this.firstDue = firstDue;
    }
  }

  /**
   * Packs groups into batches of at most {@code maxBatchSize} SKUs and {@code maxProductsPerBatch}
   * products, in the groups' order. A product's SKUs stay together (in SKU order) unless they alone
   * exceed the batch size.
   */
  private List<List<Entry>> pack(List<Group> groups) {
    int maxSkus = policy.maxBatchSize();
    int maxProducts = policy.maxProductsPerBatch();
    List<List<Entry>> batches = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    int products = 0;
    for (Group g : groups) {
      List<Entry> group = g.entries;
      group.sort(Comparator.comparing((Entry e) -> e.sku));
      if (!current.isEmpty() && (current.size() + group.size() > maxSkus || products == maxProducts)) {
        batches.add(current);
        current = new ArrayList<>();
        products = 0;
      }
      products++;
      for (Entry e : group) {
        if (current.size() == maxSkus) {
          batches.add(current);
          current = new ArrayList<>();
          products = 1;
        }
        current.add(e);
      }
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  // ------------------------------------------------------------------------------------ send

  private void send(List<Attempt> batch) {
    List<Result> results = new ArrayList<>(batch.size());
    try {
      send(batch, results);
    } catch (RuntimeException | Error e) {
      // a bug, not a shop failure: answer every SKU still unanswered so that none stays in flight
      log.error("{} push batch of tenant {} failed unexpectedly", channel, tenant, e);
      IdentityHashMap<Attempt, Boolean> answered = new IdentityHashMap<>();
      for (Result r : results) {
        answered.put(r.attempt(), Boolean.TRUE);
      }
      for (Attempt a : batch) {
        if (!answered.containsKey(a)) {
          results.add(Result.failed(a, ShopGateway.code(e), ShopGateway.describe(e), true));
        }
      }
      if (e instanceof Error) {
        complete(results);
        throw (Error) e;
      }
    }
    complete(results);
  }

  private void send(List<Attempt> batch, List<Result> results) {
    Map<ShopQuantity, Attempt> sent = new LinkedHashMap<>();
    for (Attempt a : batch) {
      try {
        Optional<CatalogItem> item = cache.bySku(a.sku);
        Optional<ShopListing> listing = item.flatMap(cache::listing);
        if (item.isEmpty() || listing.isEmpty()) {
          results.add(Result.of(a, Kind.NOT_LISTED));
          continue;
        }
        StockLevel level;
        try {
          level = engine.level(tenant, a.sku);
        } catch (UnknownSkuException e) {
          results.add(Result.of(a, Kind.NOT_LISTED));
          continue;
        }
        a.listing = listing.get();
        a.quantity = channelPolicy.shopQuantity(level.available());
        a.warehouse = warehouses.apply(item.get().location());
        Pushed last = pushed.get(a.sku);
        if (!a.force && policy.skipUnchanged() && last != null && last.quantity() == a.quantity
            && Objects.equals(last.warehouseId(), a.warehouse) && last.listing().equals(a.listing)) {
          results.add(Result.of(a, Kind.UNCHANGED));
          continue;
        }
        sent.put(new ShopQuantity(a.listing.productId(), a.listing.skuId(), a.warehouse, a.quantity), a);
      } catch (RuntimeException e) {
        results.add(Result.failed(a, ShopGateway.code(e), ShopGateway.describe(e), gateway.isRetryable(e)));
      }
    }
    if (!sent.isEmpty()) {
      List<ShopQuantity> quantities = new ArrayList<>(sent.keySet());
      quantities.sort(Comparator.comparing(ShopQuantity::productId).thenComparing(ShopQuantity::skuId));
      IdentityHashMap<Attempt, Boolean> answered = new IdentityHashMap<>();
      try {
        PushResult result = gateway.call("push quantities", () -> gateway.client().pushQuantities(quantities));
        for (ShopQuantity q : result.accepted()) {
          Attempt a = match(sent, q);
          if (a != null && answered.put(a, Boolean.TRUE) == null) {
            results.add(Result.of(a, Kind.ACCEPTED));
          }
        }
        for (PushFailure f : result.failures()) {
          Attempt a = match(sent, f.quantity());
          if (a != null && answered.put(a, Boolean.TRUE) == null) {
            results.add(Result.failed(a, f.code(), f.message(), f.retryable()));
          }
        }
        for (Attempt a : sent.values()) {
          if (!answered.containsKey(a)) {
            results.add(Result.failed(a, "NO_RESULT", "the shop client reported no outcome for this SKU", true));
          }
        }
      } catch (RuntimeException e) {
        boolean retryable = gateway.isRetryable(e);
        for (Attempt a : sent.values()) {
          if (!answered.containsKey(a)) {
            results.add(Result.failed(a, ShopGateway.code(e), ShopGateway.describe(e), retryable));
          }
        }
      }
    }
  }

  private static @Nullable Attempt match(Map<ShopQuantity, Attempt> sent, ShopQuantity q) {
    Attempt exact = sent.get(q);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<ShopQuantity, Attempt> e : sent.entrySet()) {
      if (e.getKey().productId().equals(q.productId()) && e.getKey().skuId().equals(q.skuId())) {
        return e.getValue();
      }
    }
    return null;
  }

  private void complete(List<Result> results) {
    List<Runnable> after = new ArrayList<>();
    lock.lock();
    try {
      Instant now = clock.instant();
      for (Result r : results) {
        Attempt a = r.attempt();
        Entry e = entries.get(a.sku);
        if (e == null) {
          continue; // cannot happen: an entry in flight is never removed
        }
        e.inFlight = false;
        e.inFlightSince = null;
        List<CompletableFuture<PushOutcome>> waiters = e.inFlightWaiters;
        e.inFlightWaiters = List.of();
        Duration latency = Duration.between(a.since, now);
        PushOutcome outcome;
        boolean settled = true;
        switch (r.kind()) {
          case ACCEPTED:
            ShopListing listing = Objects.requireNonNull(a.listing);
            pushed.put(a.sku, new Pushed(Objects.requireNonNull(a.quantity), a.warehouse, listing, now));
            lastFailure.remove(a.sku);
            e.productHint = listing.productId();
            e.failures = 0;
            e.notBefore = null;
            accepted.incrementAndGet();
            outcome = outcome(a, PushOutcome.Status.ACCEPTED, null, null, latency, now);
            PushOutcome acceptedOutcome = outcome;
            after.add(() -> listeners.fire(l -> l.onPushAccepted(acceptedOutcome)));
            break;
          case UNCHANGED:
            skipped.incrementAndGet();
            e.failures = 0;
            e.notBefore = null;
            outcome = outcome(a, PushOutcome.Status.UNCHANGED, null, null, latency, now);
            break;
          case NOT_LISTED:
            e.failures = 0;
            e.notBefore = null;
            outcome = outcome(a, PushOutcome.Status.NOT_LISTED, null, null, latency, now);
            break;
          default:
            attemptsFailed.incrementAndGet();
            e.failures++;
            if (a.listing != null) {
              e.productHint = a.listing.productId();
            }
            if (r.retryable() && e.failures < policy.retry().maxAttempts() && !stopped) {
              settled = false;
              e.notBefore = now.plus(policy.retry().backoff(e.failures, random.getAsDouble()));
              e.dirtySince = e.dirtySince == null || a.since.isBefore(e.dirtySince) ? a.since : e.dirtySince;
              e.force |= a.force;
              List<CompletableFuture<PushOutcome>> merged = new ArrayList<>(waiters);
              merged.addAll(e.waiters);
              e.waiters = merged;
              outcome = outcome(a, PushOutcome.Status.RETRYING, r.code(), r.message(), latency, now);
            } else {
              PushOutcome.Status status = r.retryable() ? PushOutcome.Status.GAVE_UP : PushOutcome.Status.REJECTED;
              outcome = outcome(a, status, r.code(), r.message(), latency, now);
              failed.incrementAndGet();
              lastFailure.put(a.sku, outcome);
              e.failures = 0;
              e.notBefore = null;
              log.warn("{} push of sku {} (tenant {}) failed for good after {} attempt(s): {} {}", channel, a.sku,
                  tenant, a.number, r.code(), r.message());
            }
            PushOutcome failedOutcome = outcome;
            after.add(() -> listeners.fire(l -> l.onPushFailed(failedOutcome)));
        }
        if (settled) {
          PushOutcome done = outcome;
          for (CompletableFuture<PushOutcome> w : waiters) {
            after.add(() -> w.complete(done));
          }
        }
        if (stopped && e.dirtySince != null) {
          after.addAll(dropLocked(e, now));
        }
        if (e.dirtySince == null && !e.inFlight) {
          entries.remove(a.sku);
        }
      }
      inFlightBatches--;
      scheduleNextLocked(now);
      after.addAll(idleLocked());
    } finally {
      lock.unlock();
    }
    after.forEach(Runnable::run);
  }

  private List<Runnable> dropLocked(Entry e, Instant now) {
    List<Runnable> after = new ArrayList<>();
    PushOutcome dropped = outcome(e.sku, null, null, PushOutcome.Status.DROPPED, "CLOSED",
        "sync closed before the push was sent", e.failures + 1,
        Duration.between(Objects.requireNonNull(e.dirtySince), now), now);
    failed.incrementAndGet();
    lastFailure.put(e.sku, dropped);
    for (CompletableFuture<PushOutcome> w : e.waiters) {
      after.add(() -> w.complete(dropped));
    }
    after.add(() -> listeners.fire(l -> l.onPushFailed(dropped)));
    e.waiters = new ArrayList<>(0);
    e.dirtySince = null;
    e.force = false;
    return after;
  }

  private List<Runnable> idleLocked() {
    if (!entries.isEmpty() || idleWaiters.isEmpty()) {
      return List.of();
    }
    List<CompletableFuture<Void>> done = new ArrayList<>(idleWaiters);
    idleWaiters.clear();
    List<Runnable> after = new ArrayList<>();
    for (CompletableFuture<Void> f : done) {
      after.add(() -> f.complete(null));
    }
    return after;
  }

  private PushOutcome outcome(
      Attempt a, PushOutcome.Status status, @Nullable String code, @Nullable String message, Duration latency, Instant at) {
    return outcome(a.sku, a.listing, a.quantity, status, code, message, a.number, latency, at);
  }

  private PushOutcome outcome(
      Sku sku, @Nullable ShopListing listing, @Nullable Long quantity, PushOutcome.Status status, @Nullable String code,
      @Nullable String message, int attempt, Duration latency, Instant at) {
    return new PushOutcome(tenant, channel, sku, listing, quantity, status, code, message, attempt, latency, at);
  }

  // ------------------------------------------------------------------------------------ lifecycle

  /** Completes when no push is waiting or in flight. */
  public CompletableFuture<Void> whenIdle() {
    lock.lock();
    try {
      if (entries.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      idleWaiters.add(f);
      return f;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pushes everything pending without waiting for coalescing windows (backoffs still apply).
   *
   * @return completes when nothing is pending
   */
  public CompletableFuture<Void> drain() {
    lock.lock();
    try {
      draining = true;
      scheduleNextLocked(clock.instant());
    } finally {
      lock.unlock();
    }
    return whenIdle();
  }

  /**
   * Stops for good: pending pushes are dropped (reported as {@code DROPPED}), pushes in flight finish
   * without retries, later changes are dropped at once.
   *
   * @return how many pending pushes were dropped
   */
  public int stop() {
    List<Runnable> after = new ArrayList<>();
    int dropped = 0;
    lock.lock();
    try {
      stopped = true;
      if (flushFuture != null) {
        flushFuture.cancel(false);
        flushFuture = null;
        flushAt = null;
      }
      Instant now = clock.instant();
      for (Entry e : new ArrayList<>(entries.values())) {
        if (e.dirtySince != null) {
          dropped++;
          after.addAll(dropLocked(e, now));
        }
        if (!e.inFlight) {
          entries.remove(e.sku);
        }
      }
      after.addAll(idleLocked());
    } finally {
      lock.unlock();
    }
    after.forEach(Runnable::run);
    return dropped;
  }

  // ------------------------------------------------------------------------------------ reads

  /** Whether a push of the SKU is waiting or in flight. */
  public boolean isPending(Sku sku) {
    lock.lock();
    try {
      return entries.containsKey(sku);
    } finally {
      lock.unlock();
    }
  }

  public PushStatus status(Sku sku) {
    Pushed last = pushed.get(sku);
    boolean pending;
    int failures;
    lock.lock();
    try {
      Entry e = entries.get(sku);
      pending = e != null;
      failures = e == null ? 0 : e.failures;
    } finally {
      lock.unlock();
    }
    return new PushStatus(sku, last == null ? null : last.quantity(), last == null ? null : last.at(), pending, failures,
        lastFailure.get(sku));
  }

  public @Nullable Pushed lastPushed(Sku sku) {
    return pushed.get(sku);
  }

  /** Queue depth, SKUs in flight and the oldest pending change, read together. */
  public record Depth(int pending, int inFlight, @Nullable Instant oldestSince) {}

  public Depth depth() {
    lock.lock();
    try {
      int inFlight = 0;
      Instant oldest = null;
      for (Entry e : entries.values()) {
        if (e.inFlight) {
          inFlight++;
        }
        for (Instant since : new Instant[] {e.dirtySince, e.inFlightSince}) {
          if (since != null && (oldest == null || since.isBefore(oldest))) {
            oldest = since;
          }
        }
      }
      return new Depth(entries.size(), inFlight, oldest);
    } finally {
      lock.unlock();
    }
  }

  public long acceptedCount() {
    return accepted.get();
  }

  public long attemptsFailedCount() {
    return attemptsFailed.get();
  }

  public long failedCount() {
    return failed.get();
  }

  public long skippedCount() {
    return skipped.get();
  }
}
