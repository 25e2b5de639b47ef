package io.creatorflow.inventory.examples;

import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.LoggingAlertSink;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.examples.ServiceConfig.ShopKind;
import io.creatorflow.inventory.examples.ServiceConfig.TikTokSettings;
import io.creatorflow.inventory.examples.web.InventoryApiServlet;
import io.creatorflow.inventory.examples.web.RecentAlerts;
import io.creatorflow.inventory.examples.web.ServiceState;
import io.creatorflow.inventory.examples.web.StatusPageServlet;
import io.creatorflow.inventory.examples.web.TikTokWebhookServlet;
import io.creatorflow.inventory.sync.ChannelPolicy;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.PushPolicy;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.SyncStats;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokCredentials;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopApi.AuthorizedShop;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.TikTokShopConfig;
import io.creatorflow.inventory.tiktok.sync.TikTokOrderEvents;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifier;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runnable inventory service: the SDK wired into an embedded Jetty 12 server the way a host
 * application would do it. One command starts it on the embedded default (an H2 file database under
 * {@code DATA_DIR} and the TikTok Shop emulator with a demo catalog); {@link ServiceConfig} points the
 * same code at a real TikTok Shop app and at PostgreSQL, MySQL/MariaDB or Redis.
 *
 * <pre>
 * ./mvnw -q -pl inventory-examples -am compile exec:java                       # the service
 * ./mvnw -q -pl inventory-examples -am compile exec:java -Dexec.args=--demo    # plus a flash sale
 * </pre>
 *
 * <p>What runs:
 *
 * <ul>
 *   <li>{@code POST /webhooks/tiktok}: {@link TikTokWebhookServlet}, verify, record, answer, process
 *       asynchronously ({@link InboxProcessor});
 *   <li>{@code /api/*}: {@link InventoryApiServlet}; {@code /}: {@link StatusPageServlet};
 *   <li>{@link ShopSync}: pushes on change, order sync, a reconciliation at start-up and then
 *       periodically, the periodic order poll;
 *   <li>alerts to the log, to the status page and, if configured, to a chat webhook ({@link
 *       ChatWebhookAlertSink}); undelivered ones are redelivered every minute.
 * </ul>
 *
 * <p>{@link #close()} (also run by the JVM shutdown hook on SIGTERM or Ctrl-C) stops accepting
 * requests and lets running ones finish, stops webhook processing, drains pending pushes and alert
 * deliveries, then closes executors, clients and the store, in that order. Thread-safe.
 */
public final class InventoryService implements ServiceState, AutoCloseable {

  /** Where TikTok delivers webhooks. */
  public static final String WEBHOOK_PATH = "/webhooks/tiktok";
  /** The file, in the data directory, that keeps refreshed TikTok tokens. */
  public static final String TOKEN_FILE = "tiktok-tokens.properties";
  /** The actor recorded by the service's own changes (catalog import). */
  public static final String ACTOR = "inventory-service";
  /** How long stopping waits for running requests, pushes and alert deliveries, each. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** The logger, created on first use: {@link #main} configures logging before that. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);
  }

  // Held so that the level set on it is not garbage-collected with the logger.
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger("okhttp3.mockwebserver");

  private final ServiceConfig config;
  private final Clock clock;
  private final Server server;
  private final int port;
  private final Stores.Opened store;
  private final ScheduledExecutorService jobs;
  private final ScheduledExecutorService alertExecutor;
  private final OkHttpClient http;
  private final RecentAlerts recentAlerts;
  private final InventoryEngine engine;
  private final @Nullable TikTokShopEmulator emulator;
  private final TikTokShopApi api;
  private final TikTokShopClient shopClient;
  private final String shopId;
  private final ShopSync sync;
  private final InboxProcessor inbox;
  private final @Nullable ChatWebhookAlertSink chat;
  private final CatalogImport.Result imported;
  private final Object closeLock = new Object();
  private boolean closed;

  private InventoryService(Startup b) {
    this.config = b.config;
    this.clock = b.clock;
    this.server = Objects.requireNonNull(b.server);
    this.port = b.port;
    this.store = Objects.requireNonNull(b.store);
    this.jobs = Objects.requireNonNull(b.jobs);
    this.alertExecutor = Objects.requireNonNull(b.alertExecutor);
    this.http = Objects.requireNonNull(b.http);
    this.recentAlerts = Objects.requireNonNull(b.recentAlerts);
    this.engine = Objects.requireNonNull(b.engine);
    this.emulator = b.emulator;
    this.api = Objects.requireNonNull(b.api);
    this.shopClient = Objects.requireNonNull(b.shopClient);
    this.shopId = Objects.requireNonNull(b.shopId);
    this.sync = Objects.requireNonNull(b.sync);
    this.inbox = Objects.requireNonNull(b.inbox);
    this.chat = b.chat;
    this.imported = Objects.requireNonNull(b.imported);
  }

  /** What start-up has built so far; closed in reverse if start-up fails. */
  private static final class Startup {
    final ServiceConfig config;
    final Clock clock;
    final Deque<AutoCloseable> opened = new ArrayDeque<>();
    @Nullable Server server;
    int port;
    Stores.@Nullable Opened store;
    @Nullable ScheduledExecutorService jobs;
    @Nullable ScheduledExecutorService alertExecutor;
    @Nullable OkHttpClient http;
    @Nullable RecentAlerts recentAlerts;
    @Nullable InventoryEngine engine;
    @Nullable TikTokShopEmulator emulator;
    @Nullable TikTokShopApi api;
    @Nullable TikTokShopClient shopClient;
    @Nullable String shopId;
    @Nullable ShopSync sync;
    @Nullable InboxProcessor inbox;
    @Nullable ChatWebhookAlertSink chat;
    CatalogImport.@Nullable Result imported;

    Startup(ServiceConfig config, Clock clock) {
      this.config = config;
      this.clock = clock;
    }
  }

  /**
   * Starts the service: opens the store, builds the engine, binds the port, starts (in emulator mode)
   * the emulator with the demo catalog, imports the shop's catalog, starts sync, webhook processing
   * and the HTTP server. Returns once the server accepts requests.
   *
   * @throws Exception if anything cannot start; whatever was started is closed again
   */
  public static InventoryService start(ServiceConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  /** {@link #start(ServiceConfig)} with a clock for every timestamp. */
  public static InventoryService start(ServiceConfig config, Clock clock) throws Exception {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Startup b = new Startup(config, clock);
    try {
      startInto(b);
      return new InventoryService(b);
    } catch (Exception | Error e) {
      while (!b.opened.isEmpty()) {
        try {
          b.opened.pop().close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static void startInto(Startup b) throws Exception {
    ServiceConfig config = b.config;
    Clock clock = b.clock;
    Files.createDirectories(config.dataDir());
    Log.LOG.info("starting the inventory service: {}", config);

    Stores.Opened store = Stores.open(config);
    b.store = store;
    b.opened.push(store);
    // Each shop push in flight holds a thread (PushPolicy.maxConcurrentBatches, 20 by default); the rest
    // serve the order poll, reconciliation, the inbox and timers.
    ScheduledExecutorService jobs = scheduler("inventory-jobs", PushPolicy.DEFAULT_MAX_CONCURRENT_BATCHES + 4);
    b.jobs = jobs;
    b.opened.push(() -> shutdown(jobs, Duration.ZERO));
    ScheduledExecutorService alertExecutor = scheduler("inventory-alerts", 2);
    b.alertExecutor = alertExecutor;
    b.opened.push(() -> shutdown(alertExecutor, Duration.ZERO));
    OkHttpClient http = new OkHttpClient.Builder().dispatcher(new Dispatcher()).connectionPool(new ConnectionPool()).build();
    b.http = http;
    b.opened.push(() -> closeHttp(http));

    RecentAlerts recent = new RecentAlerts(100, clock);
    b.recentAlerts = recent;
    InventoryEngine.Builder eb = InventoryEngine.builder()
        .store(store.store())
        .clock(clock)
        .alertExecutor(alertExecutor)
        .defaultLowStockThreshold(config.lowStockThreshold())
        .alertSink(new LoggingAlertSink())
        .alertSink(recent);
    if (config.chatWebhookUrl() != null) {
      ChatWebhookAlertSink chat = new ChatWebhookAlertSink(http, config.chatWebhookUrl());
      b.chat = chat;
      eb.alertSink(chat);
    }
    InventoryEngine engine = eb.build();
    b.engine = engine;
    b.opened.push(engine);

    // Bind the port first: the emulator needs the webhook URL, and PORT=0 picks the port here.
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("inventory-http");
    threads.setDaemon(true);
    Server server = new Server(threads);
    server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
    server.setStopAtShutdown(false);
    HttpConfiguration httpConfig = new HttpConfiguration();
    httpConfig.setSendServerVersion(false);
    // Jetty reuses header values seen earlier on a connection, matching them case-insensitively by
    // default: a webhook signature differing only in case from an earlier one would be replaced.
    httpConfig.setHeaderCacheCaseSensitive(true);
    // SKUs may contain '/', addressed as %2F in REST paths.
    httpConfig.setUriCompliance(UriCompliance.DEFAULT.with("inventory-skus",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    b.server = server;
    b.opened.push(server::stop);
    connector.open();
    b.port = connector.getLocalPort();
    String loopback = "http://127.0.0.1:" + b.port;

    TikTokSettings tiktok;
    if (config.shop() == ShopKind.EMULATOR) {
      MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
      SecureRandom random = new SecureRandom();
      // A fresh shop per run, as the emulator's state is: its webhook ids restart with every process.
      String emulatedShopId = "7495" + Long.toUnsignedString(random.nextLong() >>> 12);
      TikTokShopEmulator emulator = TikTokShopEmulator.builder()
          .clock(clock)
          .shopId(emulatedShopId)
          .accessToken("emu-access-" + HexFormat.of().toHexDigits(random.nextLong()))
          .refreshToken("emu-refresh-" + HexFormat.of().toHexDigits(random.nextLong()))
          .webhookUrl(loopback + WEBHOOK_PATH)
          .start();
      b.emulator = emulator;
      b.opened.push(emulator);
      DemoCatalog.seed(emulator, config.demoSkus(), clock.instant());
      tiktok = new TikTokSettings(emulator.appKey(), emulator.appSecret(), emulator.accessToken(),
          emulator.accessTokenExpiresAt(), emulator.refreshToken(), null, emulator.shopId(), emulator.baseUrl(),
          emulator.baseUrl());
      Log.LOG.info("TikTok Shop emulator at {} (shop {}) with a demo catalog of {} SKUs", emulator.baseUrl(),
          emulator.shopId(), config.demoSkus());
    } else {
      tiktok = Objects.requireNonNull(config.tiktok());
    }

    // From here on the same code for the emulator and a real TikTok Shop app.
    FileTokenStore tokens = new FileTokenStore(config.dataDir().resolve(TOKEN_FILE), tiktok.refreshToken());
    Instant now = clock.instant();
    TikTokCredentials credentials = tokens.load().orElseGet(() -> new TikTokCredentials(tiktok.accessToken(),
        tiktok.accessTokenExpiresAt() != null ? tiktok.accessTokenExpiresAt() : now, tiktok.refreshToken(),
        tiktok.refreshTokenExpiresAt() != null ? tiktok.refreshTokenExpiresAt() : now.plus(Duration.ofDays(365))));
    TikTokShopConfig.Builder shopConfig = TikTokShopConfig.builder().appKey(tiktok.appKey()).appSecret(tiktok.appSecret());
    if (tiktok.apiBaseUrl() != null) {
      shopConfig.baseUrl(tiktok.apiBaseUrl());
    }
    if (tiktok.authBaseUrl() != null) {
      shopConfig.authBaseUrl(tiktok.authBaseUrl());
    }
    TikTokShopApi api = TikTokShopApi.builder(shopConfig.build()).httpClient(http).clock(clock)
        .credentials(credentials, tokens).build();
    b.api = api;
    b.opened.push(api);
    AuthorizedShop shop = chooseShop(api.authorizedShops(), tiktok.shopId());
    b.shopId = shop.id();
    TikTokShopClient shopClient = TikTokShopClient.builder(api, shop.cipher()).build();
    b.shopClient = shopClient;
    b.opened.push(shopClient);

    b.imported = CatalogImport.run(engine, config.tenant(), api, shop.cipher(), ACTOR);
    if (config.catalogIndexStaleness() != null && config.storeKind() != ServiceConfig.StoreKind.REDIS) {
      // The tenant's first product search loads the JDBC store's catalog index: done here, not by a client.
      engine.find(config.tenant(), new CatalogQuery(null, null, PageRequest.first(1)));
    }

    OrderPolicy.Builder orders = OrderPolicy.builder().returns(config.returns());
    if (config.orderPollInterval() == null) {
      orders.noPolling();
    } else {
      orders.pollInterval(config.orderPollInterval());
    }
    ReconcilePolicy.Builder reconcile = ReconcilePolicy.builder();
    if (config.reconcileInterval() == null) {
      reconcile.noSchedule();
    } else {
      reconcile.interval(config.reconcileInterval()).initialDelay(config.reconcileInterval());
    }
    ShopSync sync = ShopSync.builder()
        .engine(engine)
        .tenant(config.tenant())
        .shop(shopClient)
        .executor(jobs)
        .leaseStore(store.leases())
        .channelPolicy(ChannelPolicy.builder().buffer(config.channelBuffer()).build())
        .orderPolicy(orders.build())
        .reconcilePolicy(reconcile.build())
        .retryable(TikTokOrderEvents::retryable)
        .build();
    b.sync = sync;
    b.opened.push(sync);

    TikTokOrderEvents events = TikTokOrderEvents.of(sync, shopClient);
    InboxProcessor inbox = new InboxProcessor(store.inbox(), sync, events, shop.id(), jobs, clock);
    b.inbox = inbox;
    b.opened.push(inbox);
    TikTokWebhookVerifier verifier = TikTokWebhookVerifier.builder().appKey(tiktok.appKey())
        .appSecret(tiktok.appSecret()).clock(clock).build();
    TenantId tenant = config.tenant();
    String servedShop = shop.id();
    TikTokWebhookHandler handler = TikTokWebhookHandler.builder(verifier, inbox.recordingInbox())
        .tenantResolver(id -> id.equals(servedShop) ? Optional.of(tenant) : Optional.empty())
        .clock(clock)
        .build();

    sync.start();
    sync.reconcile();
    inbox.start(config.inboxSweepInterval());
    jobs.scheduleWithFixedDelay(() -> redeliverAlerts(engine), 1, 1, TimeUnit.MINUTES);
    Duration poll = config.orderPollInterval();
    if (poll != null && config.returns() != OrderPolicy.ReturnHandling.IGNORE) {
      // The order poll does not cover returns whose webhook was lost.
      ReturnPoll returns = new ReturnPoll(events, clock, poll);
      jobs.scheduleWithFixedDelay(returns::run, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    // The servlets read the service's state from the start-up fields (the service object comes last).
    ServiceState state = new Provisional(b);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    context.addServlet(new ServletHolder("tiktok-webhooks", new TikTokWebhookServlet(handler,
        verifier.maxBodyBytes(), events::record, inbox::submit)), WEBHOOK_PATH);
    context.addServlet(new ServletHolder("api", new InventoryApiServlet(state, config.tenantHeader())), "/api/*");
    context.addServlet(new ServletHolder("status", new StatusPageServlet(state, clock)), "/");
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(context);
    server.setHandler(graceful);
    server.start();
  }

  /** The service's state read from the start-up fields; the service itself answers the same. */
  private static final class Provisional implements ServiceState {
    private final Startup b;

    Provisional(Startup b) {
      this.b = b;
    }

    @Override
    public TenantId tenant() {
      return b.config.tenant();
    }

    @Override
    public InventoryEngine engine() {
      return Objects.requireNonNull(b.engine);
    }

    @Override
    public HealthReport health() {
      return health(Objects.requireNonNull(b.sync), Objects.requireNonNull(b.inbox), b.clock);
    }

    static HealthReport health(ShopSync sync, InboxProcessor inbox, Clock clock) {
      Map<String, HealthReport.Component> components = new LinkedHashMap<>(sync.health().components());
      try {
        int pending = inbox.pendingCount();
        InboxProcessor.Stats s = inbox.stats();
        String detail = "pending " + pending + ", processed " + s.processed() + ", failed attempts " + s.failedAttempts()
            + (s.lastError() == null ? "" : ", last error: " + s.lastError());
        components.put("webhooks", HealthReport.Component.up(detail));
      } catch (RuntimeException e) {
        components.put("webhooks", HealthReport.Component.down("the inbox cannot be read: " + e.getMessage()));
      }
      return HealthReport.of(components, clock.instant());
    }

    @Override
    public SyncStats syncStats() {
      return Objects.requireNonNull(b.sync).stats();
    }

    @Override
    public Map<String, String> facts() {
      return facts(b.config, Objects.requireNonNull(b.store), b.emulator, Objects.requireNonNull(b.shopId),
          Objects.requireNonNull(b.inbox), Objects.requireNonNull(b.imported), b.chat);
    }

    static Map<String, String> facts(ServiceConfig config, Stores.Opened store, @Nullable TikTokShopEmulator emulator,
        String shopId, InboxProcessor inbox, CatalogImport.Result imported, @Nullable ChatWebhookAlertSink chat) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("Store", store.description());
      f.put("Shop", (emulator != null ? "TikTok Shop emulator" : "TikTok Shop") + ", shop " + shopId);
      f.put("Catalog import", imported.imported() + " imported, " + imported.known() + " known, " + imported.skipped()
          + " skipped of " + imported.shopSkus() + " shop SKUs");
      InboxProcessor.Stats s = inbox.stats();
      f.put("Webhook events", s.processed() + " processed, " + s.failedAttempts() + " failed attempts, " + s.abandoned()
          + " given up");
      f.put("Channel buffer", Long.toString(config.channelBuffer()));
      f.put("Order poll", config.orderPollInterval() == null ? "off" : "every " + human(config.orderPollInterval()));
      f.put("Returns", config.returns().name().toLowerCase(java.util.Locale.ROOT));
      f.put("Reconcile", "at start-up" + (config.reconcileInterval() == null ? "" : ", every "
          + human(config.reconcileInterval())));
      f.put("Alert sinks", "log, status page" + (chat == null ? "" : ", " + chat));
      return f;
    }

    @Override
    public List<RecentAlerts.Entry> recentAlerts() {
      return Objects.requireNonNull(b.recentAlerts).newestFirst();
    }

    private static String human(Duration d) {
      if (d.toMillis() % 3_600_000 == 0) {
        return d.toHours() + " h";
      }
      if (d.toMillis() % 60_000 == 0) {
        return d.toMinutes() + " min";
      }
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
  }

  /** Applies completed returns updated since the previous run (with an overlap); idempotent per return. */
  private static final class ReturnPoll {
    private final TikTokOrderEvents events;
    private final Clock clock;
    private final Duration overlap;
    private Instant from;

    ReturnPoll(TikTokOrderEvents events, Clock clock, Duration interval) {
      this.events = events;
      this.clock = clock;
      this.overlap = interval.plus(OrderPolicy.DEFAULT_POLL_OVERLAP);
      this.from = clock.instant().minus(OrderPolicy.DEFAULT_INITIAL_LOOKBACK);
    }

    synchronized void run() {
      Instant to = clock.instant();
      try {
        int applied = events.pollReturns(from, to).size();
        Log.LOG.debug("return poll {} .. {}: {} completed returns seen", from, to, applied);
        from = to.minus(overlap);
      } catch (RuntimeException e) {
        Log.LOG.warn("return poll failed; the next run covers the same window: {}", e.toString());
      }
    }
  }

  private static AuthorizedShop chooseShop(List<AuthorizedShop> shops, @Nullable String wanted) {
    if (wanted != null) {
      return shops.stream().filter(s -> s.id().equals(wanted)).findFirst().orElseThrow(() -> new IllegalStateException(
          "TIKTOK_SHOP_ID " + wanted + " is not among the shops that authorized this app: "
              + shops.stream().map(AuthorizedShop::id).toList()));
    }
    if (shops.size() != 1) {
      throw new IllegalStateException("the app is authorized by " + shops.size() + " shops "
          + shops.stream().map(AuthorizedShop::id).toList() + ": set TIKTOK_SHOP_ID to the one to serve");
    }
    return shops.get(0);
  }

  private static void redeliverAlerts(InventoryEngine engine) {
    try {
      int n = engine.redeliverPendingAlerts(Duration.ofMinutes(1), 100);
      if (n > 0) {
        Log.LOG.info("redelivering {} alert notifications that were still pending", n);
      }
    } catch (RuntimeException e) {
      Log.LOG.warn("alert redelivery sweep failed: {}", e.toString());
    }
  }

  private static ScheduledExecutorService scheduler(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, factory);
    executor.setRemoveOnCancelPolicy(true);
    // On shutdown, tasks already queued run (pushes, first delivery attempts); delayed ones (backoff
    // retries, timers) are dropped: what they would have done stays pending in the store.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  private static void shutdown(ScheduledExecutorService executor, Duration wait) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      executor.shutdownNow();
    }
  }

  private static void closeHttp(OkHttpClient http) {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  // ------------------------------------------------------------------------------------ accessors

  /** The URL the server answers on, e.g. {@code http://localhost:8080/}. */
  public URI baseUrl() {
    String host = config.host().equals("0.0.0.0") || config.host().equals("127.0.0.1") || config.host().equals("::")
        ? "localhost" : config.host();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/");
  }

  /** The status page. */
  public URI statusPageUrl() {
    return baseUrl();
  }

  /** Where the shop should send webhooks. */
  public URI webhookUrl() {
    return baseUrl().resolve(WEBHOOK_PATH.substring(1));
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  public ServiceConfig config() {
    return config;
  }

  @Override
  public TenantId tenant() {
    return config.tenant();
  }

  @Override
  public InventoryEngine engine() {
    return engine;
  }

  public ShopSync sync() {
    return sync;
  }

  /** The webhook event processor. */
  public InboxProcessor inbox() {
    return inbox;
  }

  /** The TikTok shop id this service serves. */
  public String shopId() {
    return shopId;
  }

  /** The emulator, when the service runs against it. */
  public Optional<TikTokShopEmulator> emulator() {
    return Optional.ofNullable(emulator);
  }

  /** What the start-up catalog import did. */
  public CatalogImport.Result catalogImport() {
    return imported;
  }

  @Override
  public HealthReport health() {
    return Provisional.health(sync, inbox, clock);
  }

  @Override
  public SyncStats syncStats() {
    return sync.stats();
  }

  @Override
  public Map<String, String> facts() {
    return Provisional.facts(config, store, emulator, shopId, inbox, imported, chat);
  }

  @Override
  public List<RecentAlerts.Entry> recentAlerts() {
    return recentAlerts.newestFirst();
  }

  /** Blocks until the server has stopped. */
  public void awaitStop() throws InterruptedException {
    server.join();
  }

  // ------------------------------------------------------------------------------------ shutdown

  /**
   * Stops the service in order: the HTTP server stops accepting and waits for running requests;
   * webhook processing stops (unprocessed events stay in the inbox for the next start); sync pushes
   * what is pending; the engine stops queueing alert deliveries and the queued ones are delivered;
   * then executors, the shop client, the emulator, HTTP connections and the store are closed.
   * Idempotent; every step runs even if an earlier one fails.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    Log.LOG.info("stopping the inventory service");
    step("HTTP server", server::stop);
    step("webhook processing", () -> inbox.close(DRAIN_TIMEOUT));
    step("shop sync (pending pushes)", sync::close);
    step("engine", engine::close);
    step("alert deliveries", () -> shutdown(alertExecutor, DRAIN_TIMEOUT));
    step("jobs", () -> shutdown(jobs, Duration.ofSeconds(5)));
    step("shop client", shopClient::close);
    step("TikTok API", api::close);
    if (emulator != null) {
      step("emulator", emulator::close);
    }
    step("HTTP clients", () -> closeHttp(http));
    step("store", store::close);
    Log.LOG.info("inventory service stopped");
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void step(String what, Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Log.LOG.warn("interrupted while stopping {}", what);
    } catch (Exception e) {
      Log.LOG.warn("stopping {} failed: {}", what, e.toString());
    }
  }

  @Override
  public String toString() {
    return "InventoryService[" + baseUrl() + ", tenant " + config.tenant() + ", " + store.description() + "]";
  }

  // ------------------------------------------------------------------------------------ main

  /**
   * Starts the service from the environment ({@link ServiceConfig}) and runs until SIGTERM or Ctrl-C.
   * {@code --demo} then plays a flash sale against the emulator ({@link FlashSaleDemo}) and keeps
   * serving; {@code --demo --exit} stops after the summary.
   */
  public static void main(String[] args) throws Exception {
    int code = run(args, System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** {@link #main}, returning the exit code instead of exiting; blocks while the service runs. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    boolean demo = false;
    boolean exit = false;
    for (String arg : args) {
      switch (arg) {
        case "--demo" -> demo = true;
        case "--exit" -> exit = true;
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        default -> {
          err.println("unknown argument '" + arg + "'\n" + USAGE);
          return 2;
        }
      }
    }
    // Maven's -q sets the slf4j-simple level for everything in its JVM (exec:java runs there): the
    // service logs at LOG_LEVEL (info by default) whatever Maven says.
    String level = env.getOrDefault("LOG_LEVEL", "info").strip().toLowerCase(java.util.Locale.ROOT);
    if (!List.of("trace", "debug", "info", "warn", "error", "off").contains(level)) {
      err.println("LOG_LEVEL must be trace, debug, info, warn, error or off, was '" + level + "'");
      return 2;
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    ServiceConfig config;
    try {
      config = ServiceConfig.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println("See the README of inventory-examples for every variable.");
      return 2;
    }
    if (demo && config.shop() != ShopKind.EMULATOR) {
      err.println("--demo plays orders against the TikTok Shop emulator: unset SHOP (or SHOP=emulator) to use it");
      return 2;
    }
    InventoryService service;
    try {
      service = start(config);
    } catch (Exception e) {
      StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
      for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
        why.append("\n  caused by: ").append(c);
      }
      err.println("The inventory service could not start: " + why);
      Log.LOG.debug("start-up failure", e);
      return 1;
    }
    Thread hook = new Thread(service::close, "inventory-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println();
    out.println("Inventory service is running. Status page: " + service.statusPageUrl());
    out.println("  REST API: " + service.baseUrl().resolve("api/inventory/products") + "   health: "
        + service.baseUrl().resolve("api/health/inventory"));
    out.println("  TikTok webhooks: POST " + service.webhookUrl() + "   (Ctrl-C to stop)");
    out.println();
    if (demo) {
      FlashSaleDemo.Summary summary = FlashSaleDemo.run(service, out);
      if (exit) {
        service.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        return summary.oversold() == 0 ? 0 : 1;
      }
      out.println("Still serving: look at " + service.statusPageUrl() + " (Ctrl-C to stop)");
    }
    service.awaitStop();
    return 0;
  }

  private static final String USAGE = """
      usage: InventoryService [--demo [--exit]]
        --demo   play a flash sale against the TikTok Shop emulator and print a summary
        --exit   with --demo: stop after the summary
      Configuration comes from environment variables (PORT, DATA_DIR, DATABASE_URL, REDIS_URL, SHOP, ...).""";
}
