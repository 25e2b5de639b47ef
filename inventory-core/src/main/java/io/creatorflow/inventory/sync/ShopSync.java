package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.InventoryListener;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.ShopClient;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.sync.internal.LookupCache;
import io.creatorflow.inventory.sync.internal.OrderPoller;
import io.creatorflow.inventory.sync.internal.OrderSynchronizer;
import io.creatorflow.inventory.sync.internal.PeriodicJob;
import io.creatorflow.inventory.sync.internal.PushQueue;
import io.creatorflow.inventory.sync.internal.Reconciler;
import io.creatorflow.inventory.sync.internal.ShopGateway;
import io.creatorflow.inventory.sync.internal.SyncListeners;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one shop (one {@link ShopClient}) of one tenant in step with the engine.
 *
 * <pre>{@code
 * ShopSync sync = ShopSync.builder()
 *     .engine(engine).tenant(tenant).shop(tiktokClient).executor(scheduler)
 *     .channelPolicy(ChannelPolicy.builder().buffer(2).build())
 *     .build();
 * sync.start();
 * // from the webhook processor, for each verified order notification:
 * OrderSyncResult r = sync.onOrderNotification(orderId, updateTime);
 * // on shutdown, before closing the engine:
 * sync.close();
 * }</pre>
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li><b>Push on change.</b> After {@link #start()}, every committed change of a listed SKU's
 *       available quantity queues a push of {@link ChannelPolicy#shopQuantity} of the level read at
 *       push time. Pushes are coalesced per SKU within {@link PushPolicy#coalesceWindow()}; when a
 *       SKU's window ends, the other changed SKUs of its shop product go with it, so a product is
 *       one call. Calls are batched ({@link PushPolicy#maxProductsPerBatch()}, {@link
 *       PushPolicy#maxBatchSize()}), paced by {@link PushPolicy#rateLimit()}, at most {@link
 *       PushPolicy#maxConcurrentBatches()} in flight, and retried with backoff. The last acknowledged
 *       quantity per SKU is kept ({@link #pushStatus}); refusals are reported to listeners.
 *   <li><b>Orders.</b> {@link #onOrderNotification} (webhooks) and the periodic poll ({@link
 *       #pollOrders}) fetch the shop's current order state and move the engine order {@code
 *       channel:orderId} forward only: reserve, fulfil (reserving first if needed), or release. Every
 *       step is idempotent on {@code channel:order:step}, so redeliveries, duplicates and
 *       out-of-order deliveries change stock once. Unmapped SKUs and overselling are reported
 *       outcomes, not exceptions.
 *   <li><b>Reconciliation.</b> {@link #reconcile()} and the periodic run read the shop catalog page
 *       by page, report drift against what the engine expects the shop to show, and repair it by a
 *       push if {@link ReconcilePolicy#mode()} says so. Local stock is never overwritten from shop
 *       numbers.
 *   <li><b>Leader election.</b> Periodic jobs run on the host's executor, skip a tick while the
 *       previous run goes on, and run only on the instance holding the job's lease in the shared
 *       {@link LeaseStore}.
 * </ul>
 *
 * <p><b>Threads.</b> ShopSync starts none: all work runs on the host's {@link
 * ScheduledExecutorService} (shop calls block one of its threads each, so pushes use up to {@link
 * PushPolicy#maxConcurrentBatches()} threads, 20 by default, plus one for a reconciliation or poll),
 * except the synchronous order methods, which run on the caller's thread. The host owns the executor,
 * the engine and the shop client; {@link #close()} closes none of them. Thread-safe.
 *
 * <p><b>Lookups.</b> Mapping shop SKU ids to engine SKUs goes through a bounded Caffeine cache,
 * invalidated by the engine's item changes; stock levels are never cached.
 */
public final class ShopSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShopSync.class);

  /** Default size bound of the lookup cache. */
  public static final long DEFAULT_CACHE_MAXIMUM_SIZE = 100_000;
  /** Default age bound of cached lookups. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
  /** Default age bound of cached "not found" lookups. */
  public static final Duration DEFAULT_CACHE_NEGATIVE_TTL = Duration.ofSeconds(30);
  /** Default for {@link Builder#maxPushLag}. */
  public static final Duration DEFAULT_MAX_PUSH_LAG = Duration.ofMinutes(1);
  /** Default for {@link Builder#shopDownAfterFailures}. */
  public static final int DEFAULT_SHOP_DOWN_AFTER_FAILURES = 3;

  private enum State {
    NEW,
    STARTED,
    CLOSING,
    CLOSED
  }

  private final InventoryEngine engine;
  private final TenantId tenant;
  private final String channel;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final ChannelPolicy channelPolicy;
  private final PushPolicy pushPolicy;
  private final OrderPolicy orderPolicy;
  private final ReconcilePolicy reconcilePolicy;
  private final String instanceId;
  private final Duration maxPushLag;
  private final int shopDownAfterFailures;
  private final SyncListeners listeners;
  private final ShopGateway gateway;
  private final LookupCache cache;
  private final PushQueue pushes;
  private final OrderSynchronizer orders;
  private final Reconciler reconciler;
  private final OrderPoller poller;
  private final @Nullable PeriodicJob reconcileJob;
  private final @Nullable PeriodicJob pollJob;
  private final AtomicLongArray webhooks = new AtomicLongArray(WebhookOutcome.values().length);
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile @Nullable AutoCloseable engineRegistration;
  private volatile @Nullable CompletableFuture<Void> closing;

  private ShopSync(Builder b) {
    this.engine = Objects.requireNonNull(b.engine);
    this.tenant = Objects.requireNonNull(b.tenant);
    ShopClient shop = Objects.requireNonNull(b.shop);
    this.channel = shop.channel();
    this.executor = Objects.requireNonNull(b.executor);
    this.clock = b.clock != null ? b.clock : engine.clock();
    this.channelPolicy = b.channelPolicy;
    this.pushPolicy = b.pushPolicy;
    this.orderPolicy = b.orderPolicy;
    this.reconcilePolicy = b.reconcilePolicy;
    this.instanceId = b.instanceId != null ? b.instanceId : UUID.randomUUID().toString();
    this.maxPushLag = b.maxPushLag;
    this.shopDownAfterFailures = b.shopDownAfterFailures;
    this.listeners = new SyncListeners(b.listeners);
    this.gateway = new ShopGateway(shop, clock, b.retryable);
    this.cache = new LookupCache(engine, tenant, channel, b.cacheMaximumSize, b.cacheTtl, b.cacheNegativeTtl, clock);
    Map<Location, String> fixed = Map.copyOf(b.warehouses);
    Function<Location, @Nullable String> mapping = b.warehouseMapping;
    Function<Location, @Nullable String> warehouses = location -> {
      String w = fixed.get(location);
      return w != null ? w : mapping == null ? null : mapping.apply(location);
    };
    this.pushes = new PushQueue(tenant, engine, cache, channelPolicy, warehouses, gateway, pushPolicy, executor, clock,
        b.random, listeners);
    this.orders = new OrderSynchronizer(tenant, engine, cache, gateway, orderPolicy, listeners);
    this.reconciler = new Reconciler(tenant, engine, gateway, channelPolicy, reconcilePolicy, pushes, executor, clock,
        b.random, listeners);
    this.poller = new OrderPoller(tenant, gateway, orders, orderPolicy, executor, clock, listeners);
    LeaseStore leases = b.leaseStore;
    String leasePrefix = "inventory-sync:" + tenant.value() + ":" + channel + ":";
    this.reconcileJob = reconcilePolicy.interval() == null ? null
        : new PeriodicJob(channel + " reconciliation of " + tenant, leasePrefix + "reconcile", instanceId,
            reconcilePolicy.interval(), reconcilePolicy.initialDelay(), Objects.requireNonNull(leases), executor, clock,
            reconciler::isRunning, reconciler::start);
    Duration pollInterval = orderPolicy.pollInterval();
    this.pollJob = pollInterval == null ? null
        : new PeriodicJob(channel + " order poll of " + tenant, leasePrefix + "orders", instanceId, pollInterval,
            pollInterval, Objects.requireNonNull(leases), executor, clock, poller::isRunning, poller::start);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default answer to "is this shop client exception worth retrying": not for {@link
   * io.creatorflow.inventory.InvalidRequestException}, {@link io.creatorflow.inventory.NotFoundException},
   * {@link io.creatorflow.inventory.ConflictException} and {@link IllegalArgumentException}; yes for
   * anything else. Shop modules build their classifier ({@link Builder#retryable}) on it.
   */
  public static boolean defaultRetryable(RuntimeException e) {
    return ShopGateway.DEFAULT_RETRYABLE.test(e);
  }

  // ------------------------------------------------------------------------------------ lifecycle

  /**
   * Starts listening to the engine (pushes on change) and schedules the periodic jobs.
   *
   * @throws IllegalStateException if started or closed before
   */
  public synchronized void start() {
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException("this ShopSync was started or closed already (state " + state.get() + ")");
    }
    engineRegistration = engine.addListener(new EngineListener());
    if (reconcileJob != null) {
      reconcileJob.start();
    }
    if (pollJob != null) {
      pollJob.start();
    }
    log.info("{} sync of tenant {} started as instance {}", channel, tenant, instanceId);
  }

  /**
   * Stops listening and scheduling, gives up leases, and pushes what is pending without waiting for
   * coalescing windows. Pushes still pending after {@link PushPolicy#drainTimeout()} are dropped and
   * reported ({@link PushOutcome.Status#DROPPED}). Closes neither the engine, the executor nor the
   * shop client. Idempotent.
   *
   * @return completes when the drain has finished or timed out
   */
  public synchronized CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> f = closing;
    if (f != null) {
      return f;
    }
    state.set(State.CLOSING);
    AutoCloseable registration = engineRegistration;
    if (registration != null) {
      try {
        registration.close();
      } catch (Exception e) {
        log.warn("could not remove the engine listener: {}", e.toString());
      }
    }
    if (reconcileJob != null) {
      reconcileJob.stop();
    }
    if (pollJob != null) {
      pollJob.stop();
    }
    CompletableFuture<Void> drained = pushes.drain();
    try {
      executor.schedule(() -> {
        int dropped = pushes.stop();
        if (dropped > 0) {
          log.warn("{} sync of tenant {}: {} pushes still pending after the drain timeout were dropped", channel,
              tenant, dropped);
        }
      }, pushPolicy.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pushes.stop();
    }
    closing = drained.whenComplete((v, e) -> {
      pushes.stop();
      state.set(State.CLOSED);
    });
    return closing;
  }

  /**
   * {@link #closeAsync()}, waiting up to {@link PushPolicy#drainTimeout()} (plus a second) for the
   * drain; whatever is still pending then is dropped.
   */
  @Override
  public void close() {
    CompletableFuture<Void> f = closeAsync();
    try {
      f.get(pushPolicy.drainTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pushes.stop();
    } catch (TimeoutException | ExecutionException e) {
      pushes.stop();
    }
    state.set(State.CLOSED);
  }

  private void requireOpen() {
    State s = state.get();
    if (s == State.CLOSING || s == State.CLOSED) {
      throw new IllegalStateException("this " + channel + " ShopSync of tenant " + tenant + " is closed");
    }
  }

  private boolean open() {
    State s = state.get();
    return s == State.NEW || s == State.STARTED;
  }

  // ------------------------------------------------------------------------------------ pushes

  /**
   * Pushes a SKU's current quantity now (after the coalescing window), even if the shop was told
   * the same before.
   *
   * @return the final outcome
   */
  public CompletableFuture<PushOutcome> push(Sku sku) {
    Objects.requireNonNull(sku, "sku");
    requireOpen();
    return pushes.pushNow(sku);
  }

  /** Where pushes of a SKU stand, with the last quantity the shop acknowledged. */
  public PushStatus pushStatus(Sku sku) {
    return pushes.status(Objects.requireNonNull(sku, "sku"));
  }

  /** The last quantity the shop acknowledged for a SKU since this sync was built. */
  public OptionalLong lastPushed(Sku sku) {
    PushQueue.Pushed p = pushes.lastPushed(Objects.requireNonNull(sku, "sku"));
    return p == null ? OptionalLong.empty() : OptionalLong.of(p.quantity());
  }

  /** Completes when no push is waiting or in flight (at once if none is). */
  public CompletableFuture<Void> whenIdle() {
    return pushes.whenIdle();
  }

  // ------------------------------------------------------------------------------------ orders

  /**
   * A shop notification says an order changed: fetch the order and move the engine order forward.
   * Synchronous, on the caller's thread (one shop call).
   *
   * @return the outcome; only {@link OrderSyncResult.Outcome#FAILED} is worth retrying
   * @throws IllegalStateException if this sync is closed
   */
  public OrderSyncResult onOrderNotification(String shopOrderId) {
    return onOrderNotification(shopOrderId, null);
  }

  /**
   * As {@link #onOrderNotification(String)}; a notification whose {@code updateTime} is older than a
   * state applied already is answered {@link OrderSyncResult.Outcome#STALE} without a shop call.
   */
  public OrderSyncResult onOrderNotification(String shopOrderId, @Nullable Instant updateTime) {
    Objects.requireNonNull(shopOrderId, "shopOrderId");
    requireOpen();
    return orders.onNotification(shopOrderId, updateTime);
  }

  /**
   * Fetches several orders (fewer shop calls than one notification each) and moves each forward.
   *
   * @return one result per distinct id, in order
   */
  public List<OrderSyncResult> syncOrders(Collection<String> shopOrderIds) {
    Objects.requireNonNull(shopOrderIds, "shopOrderIds");
    requireOpen();
    return orders.sync(shopOrderIds);
  }

  /** Moves the engine order forward to a shop order state the caller fetched already. */
  public OrderSyncResult applyOrder(ShopOrder order) {
    Objects.requireNonNull(order, "order");
    requireOpen();
    return orders.apply(order);
  }

  /**
   * Applies a shop return per {@link OrderPolicy#returns()}: a completed return is recorded on the
   * fulfilled engine order, and restocked if configured, once per return id.
   */
  public OrderSyncResult applyReturn(ShopReturn shopReturn) {
    Objects.requireNonNull(shopReturn, "shopReturn");
    requireOpen();
    return orders.applyReturn(shopReturn);
  }

  /** The engine order id sync uses for a shop order: {@code channel + ":" + shopOrderId}. */
  public OrderId engineOrderId(String shopOrderId) {
    return orders.engineOrderId(shopOrderId);
  }

  /**
   * Polls orders updated since the last complete poll now, on the executor (without the lease: an
   * explicit request), or returns the poll already running.
   */
  public CompletableFuture<OrderPollResult> pollOrders() {
    requireOpen();
    return poller.start(this::open);
  }

  // ------------------------------------------------------------------------------------ reconciliation

  /**
   * Reconciles the catalog now, on the executor (without the lease: an explicit request), or returns
   * the run already going on.
   */
  public CompletableFuture<ReconcileResult> reconcile() {
    requireOpen();
    return reconciler.start(this::open);
  }

  /** The last finished reconciliation of this instance. */
  public Optional<ReconcileResult> lastReconcile() {
    return Optional.ofNullable(reconciler.last());
  }

  // ------------------------------------------------------------------------------------ webhooks

  /** Counts a webhook delivery (for health and metrics); a webhook layer calls it once per delivery. */
  public void recordWebhook(WebhookOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    webhooks.incrementAndGet(outcome.ordinal());
    listeners.fire(l -> l.onWebhook(outcome));
  }

  // ------------------------------------------------------------------------------------ observation

  /**
   * Adds a listener.
   *
   * @return closing it removes the listener
   */
  public AutoCloseable addListener(SyncListener listener) {
    return listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public SyncStats stats() {
    PushQueue.Depth depth = pushes.depth();
    Map<WebhookOutcome, Long> hooks = new EnumMap<>(WebhookOutcome.class);
    for (WebhookOutcome o : WebhookOutcome.values()) {
      long n = webhooks.get(o.ordinal());
      if (n > 0) {
        hooks.put(o, n);
      }
    }
    SyncStats.JobStats none = new SyncStats.JobStats(0, 0, 0, null);
    return new SyncStats(depth.pending(), depth.inFlight(), depth.oldestSince(), pushes.acceptedCount(),
        pushes.attemptsFailedCount(), pushes.failedCount(), pushes.skippedCount(), gateway.lastSuccess(),
        gateway.lastError(), gateway.lastErrorAt(), gateway.consecutiveFailures(),
        reconcileJob == null ? none : reconcileJob.stats(), pollJob == null ? none : pollJob.stats(), reconciler.last(),
        orders.counts(), hooks);
  }

  /**
   * The engine's health ({@code store}, {@code alerts}) with this sync's {@code shop} and {@code
   * sync} components. Never throws.
   */
  public HealthReport health() {
    Map<String, HealthReport.Component> components = new LinkedHashMap<>(engine.health().components());
    components.putAll(healthComponents());
    return HealthReport.of(components, clock.instant());
  }

  /**
   * This sync's components: {@code shop} is DOWN after {@link Builder#shopDownAfterFailures} failed
   * calls in a row; {@code sync} is DOWN when closed, when a push has waited longer than {@link
   * Builder#maxPushLag}, or when the last reconciliation could not finish.
   */
  public Map<String, HealthReport.Component> healthComponents() {
    Map<String, HealthReport.Component> out = new LinkedHashMap<>();
    SyncStats s = stats();
    Instant now = clock.instant();
    String shopDetail = channel + ": last success " + (s.shopLastSuccess() == null ? "never" : s.shopLastSuccess())
        + (s.shopLastError() == null ? "" : ", last error at " + s.shopLastErrorAt() + ": " + s.shopLastError())
        + ", failures in a row " + s.shopConsecutiveFailures();
    out.put("shop", s.shopConsecutiveFailures() >= shopDownAfterFailures
        ? HealthReport.Component.down(shopDetail) : HealthReport.Component.up(shopDetail));
    Duration lag = s.oldestPendingSince() == null ? Duration.ZERO : Duration.between(s.oldestPendingSince(), now);
    ReconcileResult last = s.lastReconcile();
    String syncDetail = "state " + state.get().name().toLowerCase(Locale.ROOT) + ", queue depth " + s.queueDepth()
        + ", in flight " + s.inFlight() + ", oldest pending " + lag.toMillis() + " ms, pushes accepted " + s.pushesAccepted()
        + ", failed " + s.pushesFailed() + ", last reconcile "
        + (last == null ? "never" : last.finishedAt() + " (" + last.drifts().size() + " drifts, "
            + last.failures().size() + " failures" + (last.complete() ? ")" : ", incomplete)"));
    boolean down = state.get() == State.CLOSED || lag.compareTo(maxPushLag) > 0 || (last != null && !last.complete());
    out.put("sync", down ? HealthReport.Component.down(syncDetail) : HealthReport.Component.up(syncDetail));
    return out;
  }

  public TenantId tenant() {
    return tenant;
  }

  public String channel() {
    return channel;
  }

  public InventoryEngine engine() {
    return engine;
  }

  /** The owner id this instance takes leases under. */
  public String instanceId() {
    return instanceId;
  }

  public ChannelPolicy channelPolicy() {
    return channelPolicy;
  }

  @Override
  public String toString() {
    return "ShopSync{tenant=" + tenant + ", channel=" + channel + ", instance=" + instanceId + ", state=" + state.get()
        + "}";
  }

  /** Hears the engine's commits: queues pushes, invalidates the lookup cache. Never blocks. */
  private final class EngineListener implements InventoryListener {
    @Override
    public void onMovements(TenantId t, List<Movement> movements) {
      if (!t.equals(tenant)) {
        return;
      }
      Set<Sku> changed = new LinkedHashSet<>();
      for (Movement m : movements) {
        if (m.availableBefore() != m.availableAfter()) {
          changed.add(m.sku());
        }
      }
      for (Sku sku : changed) {
        if (!cache.knownUnlisted(sku)) {
          pushes.markDirty(sku);
        }
      }
    }

    @Override
    public void onItemChanged(CatalogItem item) {
      if (!item.tenant().equals(tenant)) {
        return;
      }
      cache.invalidate(item);
      if (cache.listing(item).isPresent()) {
        pushes.markDirty(item.sku());
      }
    }
  }

  /**
   * Configures a {@link ShopSync}. Required: {@link #engine}, {@link #tenant}, {@link #shop}, {@link
   * #executor}. Defaults: the engine's clock, {@link ChannelPolicy#ofDefaults()}, {@link
   * PushPolicy#ofDefaults()}, {@link OrderPolicy#ofDefaults()}, {@link ReconcilePolicy#ofDefaults()},
   * the engine's store as {@link LeaseStore} if it is one, a random instance id, the shop's default
   * warehouse for every location, the {@code DEFAULT_*} cache and health settings. Setters validate at
   * once. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable InventoryEngine engine;
    private @Nullable TenantId tenant;
    private @Nullable ShopClient shop;
    private @Nullable ScheduledExecutorService executor;
    private @Nullable Clock clock;
    private ChannelPolicy channelPolicy = ChannelPolicy.ofDefaults();
    private PushPolicy pushPolicy = PushPolicy.ofDefaults();
    private OrderPolicy orderPolicy = OrderPolicy.ofDefaults();
    private ReconcilePolicy reconcilePolicy = ReconcilePolicy.ofDefaults();
    private @Nullable LeaseStore leaseStore;
    private @Nullable String instanceId;
    private final List<SyncListener> listeners = new ArrayList<>();
    private final Map<Location, String> warehouses = new HashMap<>();
    private @Nullable Function<Location, @Nullable String> warehouseMapping;
    private Predicate<RuntimeException> retryable = ShopGateway.DEFAULT_RETRYABLE;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private long cacheMaximumSize = DEFAULT_CACHE_MAXIMUM_SIZE;
    private Duration cacheTtl = DEFAULT_CACHE_TTL;
    private Duration cacheNegativeTtl = DEFAULT_CACHE_NEGATIVE_TTL;
    private Duration maxPushLag = DEFAULT_MAX_PUSH_LAG;
    private int shopDownAfterFailures = DEFAULT_SHOP_DOWN_AFTER_FAILURES;

    private Builder() {}

    /** The engine to keep the shop in step with; required. */
    public Builder engine(InventoryEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** The tenant whose catalog the shop sells; required. */
    public Builder tenant(TenantId tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /**
     * The shop; required. Its {@link ShopClient#channel()} must match the channel of the items'
     * {@link io.creatorflow.inventory.ShopListing}s.
     */
    public Builder shop(ShopClient shop) {
      this.shop = Objects.requireNonNull(shop, "shop");
      return this;
    }

    /** The host's executor every push, reconciliation and poll runs on; required. Never shut down by sync. */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The clock for coalescing windows, backoffs, rate limits and timestamps; the engine's by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder channelPolicy(ChannelPolicy policy) {
      this.channelPolicy = Objects.requireNonNull(policy, "channelPolicy");
      return this;
    }

    public Builder pushPolicy(PushPolicy policy) {
      this.pushPolicy = Objects.requireNonNull(policy, "pushPolicy");
      return this;
    }

    public Builder orderPolicy(OrderPolicy policy) {
      this.orderPolicy = Objects.requireNonNull(policy, "orderPolicy");
      return this;
    }

    public Builder reconcilePolicy(ReconcilePolicy policy) {
      this.reconcilePolicy = Objects.requireNonNull(policy, "reconcilePolicy");
      return this;
    }

    /**
     * Where the leases of periodic jobs live; must be shared by every instance that shares the stock
     * store. Defaults to the engine's store if it implements {@link LeaseStore}.
     */
    public Builder leaseStore(LeaseStore leaseStore) {
      this.leaseStore = Objects.requireNonNull(leaseStore, "leaseStore");
      return this;
    }

    /** The owner id for leases, unique per running instance; a random UUID by default. */
    public Builder instanceId(String instanceId) {
      Objects.requireNonNull(instanceId, "instanceId");
      if (instanceId.isBlank() || instanceId.length() > 128) {
        throw new IllegalArgumentException("instanceId must be 1 to 128 non-blank characters, was '" + instanceId + "'");
      }
      this.instanceId = instanceId;
      return this;
    }

    public Builder listener(SyncListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Publishes stock of {@code location} to the shop's warehouse {@code warehouseId}. */
    public Builder warehouse(Location location, String warehouseId) {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(warehouseId, "warehouseId");
      if (warehouseId.isBlank()) {
        throw new IllegalArgumentException("warehouseId for location '" + location + "' must not be blank");
      }
      warehouses.put(location, warehouseId);
      return this;
    }

    /**
     * Maps locations without a {@link #warehouse} entry to shop warehouse ids; {@code null} from the
     * function (and the default when none is set) means the shop's default warehouse.
     */
    public Builder warehouseMapping(Function<Location, @Nullable String> mapping) {
      this.warehouseMapping = Objects.requireNonNull(mapping, "warehouseMapping");
      return this;
    }

    /**
     * Decides whether a shop client's exception is worth retrying. By default invalid requests, not
     * found and conflicts are not, anything else is. Shop modules offer a classifier that knows their
     * exceptions.
     */
    public Builder retryable(Predicate<RuntimeException> classifier) {
      this.retryable = Objects.requireNonNull(classifier, "retryable");
      return this;
    }

    /** The source of backoff jitter, values in {@code [0, 1)}; thread-safe. For tests. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Bounds the lookup cache: at most {@code maximumSize} entries, each at most {@code ttl} old. */
    public Builder lookupCache(long maximumSize, Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (maximumSize < 1) {
        throw new IllegalArgumentException("lookup cache maximumSize must be positive, was " + maximumSize);
      }
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("lookup cache ttl must be positive, was " + ttl);
      }
      this.cacheMaximumSize = maximumSize;
      this.cacheTtl = ttl;
      return this;
    }

    /** How long "no such listing" lookups are cached (other instances may register it meanwhile). */
    public Builder negativeLookupTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("negativeLookupTtl must be positive, was " + ttl);
      }
      this.cacheNegativeTtl = ttl;
      return this;
    }

    /** The sync health component is DOWN once a push has waited longer than this. */
    public Builder maxPushLag(Duration lag) {
      Objects.requireNonNull(lag, "maxPushLag");
      if (lag.isNegative() || lag.isZero()) {
        throw new IllegalArgumentException("maxPushLag must be positive, was " + lag);
      }
      this.maxPushLag = lag;
      return this;
    }

    /** The shop health component is DOWN after this many failed shop calls in a row. */
    public Builder shopDownAfterFailures(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("shopDownAfterFailures must be positive, was " + failures);
      }
      this.shopDownAfterFailures = failures;
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing, the shop's channel name is
     *     unusable, or periodic jobs are enabled without a lease store
     */
    public ShopSync build() {
      if (engine == null) {
        throw new IllegalStateException("ShopSync needs the engine: call engine(engine)");
      }
      if (tenant == null) {
        throw new IllegalStateException("ShopSync needs the tenant whose catalog the shop sells: call tenant(tenant)");
      }
      if (shop == null) {
        throw new IllegalStateException("ShopSync needs a shop client: call shop(client)");
      }
      if (executor == null) {
        throw new IllegalStateException("ShopSync needs the host's executor: call executor(ScheduledExecutorService); "
            + "sync never starts threads of its own");
      }
      String channel = shop.channel();
      if (channel == null || channel.isBlank() || channel.length() > 64 || channel.equals("sys") || channel.contains(":")) {
        throw new IllegalStateException("the shop client's channel name '" + channel + "' is unusable for sync: it must "
            + "be 1 to 64 characters, without ':', and not 'sys'");
      }
      if (leaseStore == null && engine.store() instanceof LeaseStore) {
        leaseStore = (LeaseStore) engine.store();
      }
      if (leaseStore == null && (reconcilePolicy.interval() != null || orderPolicy.pollInterval() != null)) {
        throw new IllegalStateException("periodic reconciliation and order polls need a LeaseStore shared by every "
            + "instance, and the store " + engine.store().getClass().getSimpleName() + " is none: call leaseStore(...), "
            + "or disable them with ReconcilePolicy.builder().noSchedule() and OrderPolicy.builder().noPolling()");
      }
      return new ShopSync(this);
    }
  }
}
