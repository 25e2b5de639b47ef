package io.creatorflow.inventory.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.benchmarks.Options;
import io.creatorflow.inventory.benchmarks.Result;
import io.creatorflow.inventory.benchmarks.Scenario;
import io.creatorflow.inventory.examples.web.InventoryApiServlet;
import io.creatorflow.inventory.examples.web.RecentAlerts;
import io.creatorflow.inventory.examples.web.ServiceState;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.sync.SyncStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The REST API's product list with a status filter and a text search over a 12,500-SKU catalog,
 * under 50 concurrent clients (closed loop): p50/p95/p99 and requests per second. Against {@code
 * inventory-examples}' service as it starts by default (H2 file store), and, to separate the store's
 * cost from the HTTP layer's, the same {@link InventoryApiServlet} on Jetty over the in-memory store.
 *
 * <p>Catalog: 25 product types x 10 colours x 5 sizes x 10 editions, names such as "Hoodie black M
 * (edition 3)"; about 10 % of SKUs low on stock (1 to 10 available, the service's threshold), 2 % sold
 * out. Queries rotate over status (low, in, out of stock) and a search word (a product type or a
 * colour), first or second page of 20.
 */
public final class ApiScenario implements Scenario {
  static final int CLIENTS = 50;
  static final String[] TYPES = {"Hoodie", "Tee", "Tote bag", "Cap", "Mug", "Serum", "Lip balm", "Candle", "Socks",
      "Phone case", "Sticker pack", "Bottle", "Palette", "Scrunchie", "Journal", "Beanie", "Art print", "Ring",
      "Puzzle", "Brush set", "Lip oil", "Necklace", "Poster", "Keychain", "Hair clip"};
  static final String[] COLOURS = {"black", "white", "rose", "sage", "navy", "cream", "rust", "grey", "pink", "gold"};
  static final String[] SIZES = {"XS", "S", "M", "L", "XL"};
  static final int EDITIONS = 10;
  static final String[] STATUSES = {"low_stock", "in_stock", "out_of_stock"};
  static final String[] WORDS = {"hoodie", "black", "mug", "rose", "lip", "tee", "candle", "navy", "edition 7"};

  @Override
  public String name() {
    return "api";
  }

  @Override
  public List<Result> run(Context ctx) throws Exception {
    Options o = ctx.options();
    int editions = o.size(1, EDITIONS, EDITIONS);
    long warmupNanos = TimeUnit.SECONDS.toNanos(o.size(1, 3, 10));
    long measureNanos = TimeUnit.SECONDS.toNanos(o.size(2, 10, 60));
    List<Result> out = new ArrayList<>();
    OkHttpClient http = ShopFixture.httpClient();
    try {
      try (ServiceFixture fixture = ServiceFixture.start(Map.of())) {
        InventoryEngine engine = fixture.service.engine();
        TenantId tenant = fixture.service.tenant();
        ctx.progress("api: registering the catalog in the service (%s)", fixture.storeDescription());
        int skus = catalog(engine, tenant, editions);
        out.addAll(measure(ctx, http, fixture.url(""), "h2", skus, warmupNanos, measureNanos,
            "inventory-examples' service as started by default: " + fixture.storeDescription()
                + ", searches answered by the JDBC store's catalog index (CATALOG_INDEX_STALENESS default "
                + fixture.service.config().catalogIndexStaleness() + "); limit: Jetty, JSON and the 50 clients"
                + " on the same 2 cores"));
      }
      try (InMemoryStockStore store = new InMemoryStockStore()) {
        InventoryEngine engine = InventoryEngine.builder().store(store).defaultLowStockThreshold(10).build();
        TenantId tenant = TenantId.of("bench-creator");
        int skus = catalog(engine, tenant, editions);
        Server server = server(engine, tenant);
        try {
          String base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
          out.addAll(measure(ctx, http, base, "memory", skus, warmupNanos, measureNanos,
              "the same InventoryApiServlet on Jetty 12 over InMemoryStockStore (not the service's default"
                  + " store); limit: one pass over the catalog in the JVM per query"));
        } finally {
          server.stop();
        }
      }
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    return out;
  }

  private static List<Result> measure(Context ctx, OkHttpClient http, String base, String label, int skus,
      long warmupNanos, long measureNanos, String setting) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    long[] totals = new long[STATUSES.length * WORDS.length];
    ClosedLoop.Call call = (client, seq) -> {
      int q = (int) (seq % (STATUSES.length * WORDS.length));
      int page = (int) (seq / (STATUSES.length * WORDS.length)) % 2 + 1;
      String url = base + "/api/inventory/products?status=" + STATUSES[q % STATUSES.length] + "&search="
          + WORDS[q / STATUSES.length].replace(" ", "%20") + "&page=" + page + "&limit=20";
      try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
        String body = response.body() == null ? "" : response.body().string();
        if (response.code() != 200) {
          return false;
        }
        if (seq < totals.length) {
          JsonNode total = mapper.readTree(body).path("pagination").path("total");
          totals[q] = total.asLong(-1);
        }
        return true;
      }
    };
    ctx.progress("api (%s): warm-up %d s with %d clients", label, TimeUnit.NANOSECONDS.toSeconds(warmupNanos), CLIENTS);
    ClosedLoop.run(CLIENTS, 0, warmupNanos, call);
    ClosedLoop.Outcome outcome = ClosedLoop.run(CLIENTS, 0, measureNanos, call);
    ctx.progress("api (%s): %,.0f requests/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, %d unexpected", label,
        outcome.perSecond(), outcome.latencies().percentileMillis(50), outcome.latencies().percentileMillis(95),
        outcome.latencies().percentileMillis(99), outcome.unexpected());
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long t : totals) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    String p = "api/" + label + "/";
    String what = String.format(Locale.ROOT, "GET /api/inventory/products?status=&search=&page=&limit=20 over %,d"
        + " SKUs (%,d to %,d matches per query), %d clients (closed loop), %d s; %s", skus, min, max, CLIENTS,
        TimeUnit.NANOSECONDS.toSeconds(measureNanos), setting);
    List<Result> out = new ArrayList<>();
    out.add(Result.of(p + "p95", outcome.latencies().percentileMillis(95), "ms", what));
    out.add(Result.of(p + "p50", outcome.latencies().percentileMillis(50), "ms", null));
    out.add(Result.of(p + "p99", outcome.latencies().percentileMillis(99), "ms", null));
    out.add(Result.of(p + "requests-per-second", outcome.perSecond(), "requests/s", outcome.unexpected()
        + " answers other than 200"));
    return out;
  }

  /** Registers the catalog with stock (8 threads); returns the number of SKUs. */
  static int catalog(InventoryEngine engine, TenantId tenant, int editions) throws Exception {
    List<ItemDefinition> items = new ArrayList<>();
    for (int e = 1; e <= editions; e++) {
      for (String type : TYPES) {
        for (String colour : COLOURS) {
          for (String size : SIZES) {
            String sku = type.toUpperCase(Locale.ROOT).replace(' ', '-') + "-" + e + "-"
                + colour.toUpperCase(Locale.ROOT) + "-" + size;
            items.add(ItemDefinition.builder(tenant, Sku.of(sku))
                .name(type + " " + colour + " " + size + " (edition " + e + ")").build());
          }
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(8, SyncScenario.daemon("api-catalog"));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int start = t;
        futures.add(pool.submit(() -> {
          Random random = new Random(1_000 + start);
          for (int i = start; i < items.size(); i += 8) {
            ItemDefinition d = items.get(i);
            engine.register(d);
            int r = random.nextInt(100);
            long stock = r < 2 ? 0 : r < 12 ? 1 + random.nextInt(10) : 11 + random.nextInt(190);
            if (stock > 0) {
              engine.adjust(Adjustment.of(tenant, d.sku(), stock, "opening stock").withType(MovementType.IN));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return items.size();
  }

  private static Server server(InventoryEngine engine, TenantId tenant) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("bench-api");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addServlet(new ServletHolder("api", new InventoryApiServlet(new MemoryState(engine, tenant), null)),
        "/api/*");
    server.setHandler(context);
    server.start();
    return server;
  }

  /** The service state the servlet needs, for an engine without shop sync. */
  private record MemoryState(InventoryEngine engine, TenantId tenant) implements ServiceState {
    @Override
    public HealthReport health() {
      return engine.health();
    }

    @Override
    public SyncStats syncStats() {
      SyncStats.JobStats none = new SyncStats.JobStats(0, 0, 0, null);
      return new SyncStats(0, 0, null, 0, 0, 0, 0, null, null, null, 0, none, none, null, Map.of(), Map.of());
    }

    @Override
    public Map<String, String> facts() {
      return Map.of("Store", "in-memory");
    }

    @Override
    public List<RecentAlerts.Entry> recentAlerts() {
      return List.of();
    }
  }
}
