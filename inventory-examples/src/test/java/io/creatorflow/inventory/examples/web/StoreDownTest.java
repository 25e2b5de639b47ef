package io.creatorflow.inventory.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.jdbc.JdbcStockStore;
import io.creatorflow.inventory.sync.SyncStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The API and the status page when the store goes away (a real JDBC store whose pool is closed):
 * 503 with a JSON error, and health DOWN with 503; never a 500.
 */
class StoreDownTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TenantId TENANT = TenantId.of("creator-1");

  private HikariDataSource pool;
  private InventoryEngine engine;
  private Server server;
  private final HttpClient http = HttpClient.newHttpClient();
  private URI base;

  @BeforeEach
  void start() throws Exception {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl("jdbc:h2:mem:store_down_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    hc.setDriverClassName("org.h2.Driver");
    hc.setMaximumPoolSize(2);
    pool = new HikariDataSource(hc);
    JdbcStockStore store = JdbcStockStore.builder(pool).build();
    store.migrate();
    engine = InventoryEngine.builder().store(store).build();
    engine.register(ItemDefinition.builder(TENANT, Sku.of("MUG")).name("Mug").build());
    engine.adjust(Adjustment.of(TENANT, Sku.of("MUG"), 5, "count"));
    ServiceState state = new ServiceState() {
      @Override
      public TenantId tenant() {
        return TENANT;
      }

      @Override
      public InventoryEngine engine() {
        return engine;
      }

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
        return Map.of("Store", "H2 in memory");
      }

      @Override
      public List<RecentAlerts.Entry> recentAlerts() {
        return List.of();
      }
    };
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new InventoryApiServlet(state, null)), "/api/*");
    context.addServlet(new ServletHolder(new StatusPageServlet(state, Clock.systemUTC())), "/");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    engine.close();
    pool.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("answers 503 with a JSON error, and health DOWN with 503, while the store is down")
  void storeDown() throws Exception {
    assertThat(get("api/health/inventory").statusCode()).isEqualTo(200);
    assertThat(get("api/inventory/products/MUG").statusCode()).isEqualTo(200);
    assertThat(get("").statusCode()).isEqualTo(200);

    pool.close();

    HttpResponse<String> health = get("api/health/inventory");
    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode h = MAPPER.readTree(health.body());
    assertThat(h.get("status").asText()).isEqualTo("down");
    assertThat(h.get("components").get("store").get("status").asText()).isEqualTo("down");

    HttpResponse<String> products = get("api/inventory/products");
    assertThat(products.statusCode()).isEqualTo(503);
    assertThat(MAPPER.readTree(products.body()).get("error").asText()).isEqualTo("store_unavailable");

    HttpResponse<String> adjust = http.send(HttpRequest.newBuilder(base.resolve("api/inventory/products/MUG/adjust"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\": 1, \"reason\": \"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(adjust.statusCode()).isEqualTo(503);
    assertThat(adjust.body()).contains("Idempotency-Key");

    assertThat(get("").statusCode()).isEqualTo(503);

    engine.close();
    HttpResponse<String> closed = get("api/inventory/products/MUG");
    assertThat(closed.statusCode()).isEqualTo(503);
    assertThat(MAPPER.readTree(closed.body()).get("error").asText()).isEqualTo("shutting_down");
  }
}
