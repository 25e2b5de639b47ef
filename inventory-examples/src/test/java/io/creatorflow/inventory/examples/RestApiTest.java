package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.examples.TestServices.Client;
import io.creatorflow.inventory.examples.TestServices.Reply;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every REST endpoint over HTTP against the running service (H2 + emulator, 30 demo SKUs), with the
 * exact status codes of good and bad input: the seed's route defects 15 to 17 among them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
  @TempDir
  static Path dir;

  InventoryService service;
  Client api;

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = TestServices.env(dir);
    env.put("TENANT_HEADER", "X-Tenant");
    service = TestServices.start(env);
    api = new Client(service);
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private static List<String> skus(JsonNode products) {
    List<String> out = new ArrayList<>();
    products.forEach(p -> out.add(p.get("sku").asText()));
    return out;
  }

  @Nested
  @DisplayName("GET /api/inventory/products")
  class Products {
    @Test
    @DisplayName("pages with a true total and a bounded limit (seed defect 16)")
    void paging() throws Exception {
      Reply first = api.get("api/inventory/products?limit=7");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("Content-Type")).startsWith("application/json");
      assertThat(first.json().get("products")).hasSize(7);
      JsonNode pagination = first.json().get("pagination");
      assertThat(pagination.get("total").asLong()).isGreaterThanOrEqualTo(30);
      assertThat(pagination.get("page").asInt()).isEqualTo(1);
      assertThat(pagination.get("limit").asInt()).isEqualTo(7);
      long total = pagination.get("total").asLong();
      assertThat(pagination.get("pages").asLong()).isEqualTo((total + 6) / 7);

      Reply second = api.get("api/inventory/products?limit=7&page=2");
      assertThat(second.json().get("products")).hasSize(7);
      assertThat(skus(second.json().get("products"))).doesNotContainAnyElementsOf(skus(first.json().get("products")));

      Reply defaults = api.get("api/inventory/products");
      assertThat(defaults.json().get("products")).hasSize(20);

      assertThat(api.get("api/inventory/products?limit=100").status()).isEqualTo(200);
      for (String bad : List.of("limit=101", "limit=0", "limit=-5", "limit=abc", "page=0", "page=x", "limit=1000000")) {
        Reply r = api.get("api/inventory/products?" + bad);
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(r.json().get("message").asText()).isNotBlank();
      }
      Reply beyond = api.get("api/inventory/products?page=1000&limit=100");
      assertThat(beyond.status()).isEqualTo(200);
      assertThat(beyond.json().get("products")).isEmpty();
      assertThat(beyond.json().get("pagination").get("total").asLong()).isEqualTo(total);
    }

    @Test
    @DisplayName("filters by status, including out of stock (seed defects 5 and 6)")
    void status() throws Exception {
      Reply low = api.get("api/inventory/products?status=low_stock");
      assertThat(low.status()).isEqualTo(200);
      assertThat(skus(low.json().get("products"))).contains("HOODIE-1-M", "TOTE-1-NATURAL");
      low.json().get("products").forEach(p -> assertThat(p.get("status").asText()).isEqualTo("low_stock"));

      Reply out = api.get("api/inventory/products?status=OUT_OF_STOCK");
      assertThat(skus(out.json().get("products"))).contains(DemoCatalog.SOLD_OUT_SKU);
      out.json().get("products").forEach(p -> assertThat(p.get("available").asLong()).isLessThanOrEqualTo(0));

      Reply in = api.get("api/inventory/products?status=in_stock&limit=100");
      assertThat(skus(in.json().get("products"))).doesNotContain("HOODIE-1-M", DemoCatalog.SOLD_OUT_SKU);

      Reply bad = api.get("api/inventory/products?status=lowstock");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().get("message").asText()).contains("low_stock");
    }

    @Test
    @DisplayName("searches name and SKU literally, case-insensitively (seed defect 15)")
    void search() throws Exception {
      Reply hoodies = api.get("api/inventory/products?search=hOoDiE");
      assertThat(skus(hoodies.json().get("products"))).containsExactly("HOODIE-1-L", "HOODIE-1-M", "HOODIE-1-S");
      assertThat(hoodies.json().get("pagination").get("total").asLong()).isEqualTo(3);

      Reply byName = api.get("api/inventory/products?search=lip%20oil");
      assertThat(skus(byName.json().get("products"))).containsExactly(DemoCatalog.VIRAL_SKU);

      for (String injection : List.of("%25", "_", "*", "name.ilike.*,sku.ilike.*", "%27%20OR%201=1")) {
        Reply r = api.get("api/inventory/products?search=" + injection);
        assertThat(r.status()).as(injection).isEqualTo(200);
        assertThat(r.json().get("products")).as(injection).isEmpty();
        assertThat(r.json().get("pagination").get("total").asLong()).as(injection).isZero();
      }
      Reply tooLong = api.get("api/inventory/products?search=" + "x".repeat(201));
      assertThat(tooLong.status()).isEqualTo(400);
    }
  }

  @Nested
  @DisplayName("GET /api/inventory/products/{sku}")
  class OneProduct {
    @Test
    void known() throws Exception {
      Reply r = api.get("api/inventory/products/HOODIE-1-M");
      assertThat(r.status()).isEqualTo(200);
      JsonNode p = r.json();
      assertThat(p.get("sku").asText()).isEqualTo("HOODIE-1-M");
      assertThat(p.get("name").asText()).contains("Creator hoodie");
      assertThat(p.get("on_hand").asLong() - p.get("reserved").asLong()).isEqualTo(p.get("available").asLong());
      assertThat(p.get("low_stock_threshold").asLong()).isEqualTo(10);
      assertThat(p.get("listings").get(0).get("channel").asText()).isEqualTo("tiktok");
    }

    @Test
    void unknownIs404() throws Exception {
      Reply r = api.get("api/inventory/products/NO-SUCH-SKU");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().get("error").asText()).isEqualTo("not_found");
      assertThat(r.json().get("message").asText()).contains("NO-SUCH-SKU");
    }

    @Test
    @DisplayName("a SKU with a slash is addressed as %2F")
    void slash() throws Exception {
      TenantId tenant = service.tenant();
      service.engine().register(ItemDefinition.builder(tenant, Sku.of("BUNDLE/2")).name("Two-pack").build());
      Reply r = api.get("api/inventory/products/BUNDLE%2F2");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("sku").asText()).isEqualTo("BUNDLE/2");
    }

    @Test
    void invalidSkuIs400() throws Exception {
      Reply r = api.get("api/inventory/products/" + "X".repeat(129));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
    }
  }

  @Nested
  @DisplayName("POST /api/inventory/products/{sku}/adjust")
  class Adjust {
    @Test
    @DisplayName("adds and removes stock, recording the movement")
    void adjusts() throws Exception {
      long before = api.get("api/inventory/products/TEE-1-S").json().get("on_hand").asLong();
      Reply r = api.postJson("api/inventory/products/TEE-1-S/adjust",
          "{\"quantity\": 12, \"reason\": \"delivery\", \"type\": \"in\", \"reference\": \"PO-7\"}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("replayed").asBoolean()).isFalse();
      JsonNode m = r.json().get("movement");
      assertThat(m.get("type").asText()).isEqualTo("in");
      assertThat(m.get("on_hand_before").asLong()).isEqualTo(before);
      assertThat(m.get("on_hand_after").asLong()).isEqualTo(before + 12);
      assertThat(m.get("reference").asText()).isEqualTo("PO-7");
      assertThat(m.get("actor").asText()).isEqualTo("api");
      assertThat(r.json().get("product").get("on_hand").asLong()).isEqualTo(before + 12);

      Reply down = api.postJson("api/inventory/products/TEE-1-S/adjust",
          "{\"quantity\": -2, \"reason\": \"damaged\", \"actor\": \"ana\"}");
      assertThat(down.status()).isEqualTo(200);
      assertThat(down.json().get("product").get("on_hand").asLong()).isEqualTo(before + 10);
      assertThat(down.json().get("movement").get("actor").asText()).isEqualTo("ana");
    }

    @Test
    @DisplayName("refuses missing or invalid fields with 400 (seed defect 17)")
    void validation() throws Exception {
      String path = "api/inventory/products/TEE-1-M/adjust";
      Map<String, String> cases = Map.of(
          "{\"reason\": \"x\"}", "quantity is required",
          "{\"quantity\": 3}", "reason is required",
          "{\"quantity\": 3, \"reason\": \"  \"}", "reason is required",
          "{\"quantity\": 0, \"reason\": \"x\"}", "zero",
          "{\"quantity\": 1.5, \"reason\": \"x\"}", "quantity",
          "{\"quantity\": \"5\", \"reason\": \"x\"}", "quantity",
          "{\"quantity\": 5, \"reason\": 7}", "reason",
          "{\"quantity\": 5, \"reason\": \"x\", \"type\": \"sideways\"}", "type",
          "{\"quantity\": -5, \"reason\": \"x\", \"type\": \"in\"}", "IN",
          "[1, 2]", "JSON object");
      for (Map.Entry<String, String> c : cases.entrySet()) {
        Reply r = api.postJson(path, c.getKey());
        assertThat(r.status()).as(c.getKey()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).as(c.getKey()).isEqualTo("invalid_request");
        assertThat(r.json().get("message").asText()).as(c.getKey()).contains(c.getValue());
      }
    }

    @Test
    @DisplayName("refuses malformed JSON, unknown fields and other media types")
    void malformed() throws Exception {
      String path = "api/inventory/products/TEE-1-M/adjust";
      for (String body : List.of("{\"quantity\": 3, \"reason\": ", "not json", "{\"quantity\": 3}}", "",
          "{\"quantity\": 3, \"quantity\": 4, \"reason\": \"x\"}")) {
        Reply r = api.postJson(path, body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().get("error").asText()).as(body).isIn("malformed_json", "invalid_request");
      }
      assertThat(api.postJson(path, "").json().get("error").asText()).isEqualTo("malformed_json");
      assertThat(api.postJson(path, "not json").json().get("error").asText()).isEqualTo("malformed_json");

      Reply unknown = api.postJson(path, "{\"quantity\": 3, \"reason\": \"x\", \"qty\": 3}");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_field");
      assertThat(unknown.json().get("field").asText()).isEqualTo("qty");

      Reply form = api.send(HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("quantity=3&reason=x")).build());
      assertThat(form.status()).isEqualTo(415);
      assertThat(form.json().get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    @DisplayName("refuses bodies over 16 KiB with 413, declared or streamed")
    void tooLarge() throws Exception {
      String path = "api/inventory/products/TEE-1-M/adjust";
      String huge = "{\"quantity\": 3, \"reason\": \"" + "x".repeat(20_000) + "\"}";
      Reply declared = api.postJson(path, huge);
      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.json().get("error").asText()).isEqualTo("payload_too_large");

      byte[] bytes = ("{\"quantity\": 3, \"reason\": \"" + "y".repeat(1_000_000) + "\"}").getBytes();
      Reply streamed = api.send(HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
      assertThat(streamed.status()).isEqualTo(413);
      long onHand = api.get("api/inventory/products/TEE-1-M").json().get("on_hand").asLong();
      assertThat(api.postJson(path, "{\"quantity\": 1, \"reason\": \"still works\"}").json().get("product")
          .get("on_hand").asLong()).isEqualTo(onHand + 1);
    }

    @Test
    @DisplayName("answers 404 for an unknown SKU and 409 for insufficient stock, changing nothing")
    void notFoundAndConflict() throws Exception {
      Reply unknown = api.postJson("api/inventory/products/NOPE/adjust", "{\"quantity\": 3, \"reason\": \"x\"}");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");

      long onHand = api.get("api/inventory/products/HOODIE-1-L").json().get("on_hand").asLong();
      Reply tooMuch = api.postJson("api/inventory/products/HOODIE-1-L/adjust",
          "{\"quantity\": -100000, \"reason\": \"shrinkage\"}");
      assertThat(tooMuch.status()).isEqualTo(409);
      assertThat(tooMuch.json().get("error").asText()).isEqualTo("insufficient_stock");
      assertThat(tooMuch.json().get("requested").asLong()).isEqualTo(100_000);
      assertThat(tooMuch.json().get("available").asLong()).isEqualTo(onHand);
      assertThat(api.get("api/inventory/products/HOODIE-1-L").json().get("on_hand").asLong()).isEqualTo(onHand);
    }

    @Test
    @DisplayName("applies an Idempotency-Key once; reusing it for another body is a 409")
    void idempotency() throws Exception {
      String path = "api/inventory/products/MUG-1-WHITE/adjust";
      long onHand = api.get("api/inventory/products/MUG-1-WHITE").json().get("on_hand").asLong();
      String body = "{\"quantity\": 4, \"reason\": \"recount\"}";
      Reply first = api.postJson(path, body, "Idempotency-Key", "req-42");
      Reply again = api.postJson(path, body, "Idempotency-Key", "req-42");
      assertThat(first.status()).isEqualTo(200);
      assertThat(again.status()).isEqualTo(200);
      assertThat(first.json().get("replayed").asBoolean()).isFalse();
      assertThat(again.json().get("replayed").asBoolean()).isTrue();
      assertThat(again.json().get("movement").get("id")).isEqualTo(first.json().get("movement").get("id"));
      assertThat(api.get("api/inventory/products/MUG-1-WHITE").json().get("on_hand").asLong()).isEqualTo(onHand + 4);

      Reply reused = api.postJson(path, "{\"quantity\": 5, \"reason\": \"recount\"}", "Idempotency-Key", "req-42");
      assertThat(reused.status()).isEqualTo(409);
      assertThat(reused.json().get("error").asText()).isEqualTo("conflict");
      assertThat(reused.json().get("reason").asText()).isEqualTo("idempotency_key_reused");

      Reply badKey = api.postJson(path, body, "Idempotency-Key", "k".repeat(300));
      assertThat(badKey.status()).isEqualTo(400);
    }

    @Test
    void wrongMethodIs405() throws Exception {
      Reply r = api.get("api/inventory/products/TEE-1-S/adjust");
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("POST");
      assertThat(r.json().get("error").asText()).isEqualTo("method_not_allowed");
    }
  }

  @Nested
  @DisplayName("history and movements")
  class History {
    @Test
    void historyOfOneSku() throws Exception {
      api.postJson("api/inventory/products/SERUM-1-15ML/adjust", "{\"quantity\": -1, \"reason\": \"sample\"}");
      Reply all = api.get("api/inventory/products/SERUM-1-15ML/history");
      assertThat(all.status()).isEqualTo(200);
      JsonNode movements = all.json().get("movements");
      assertThat(movements.get(0).get("type").asText()).isEqualTo("adjustment");
      assertThat(movements.get(0).get("reason").asText()).isEqualTo("sample");
      assertThat(movements.get(1).get("type").asText()).isEqualTo("in");
      assertThat(movements.get(1).get("reason").asText()).isEqualTo(CatalogImport.REASON);
      assertThat(all.json().get("pagination").get("total").asLong()).isEqualTo(2);

      Reply in = api.get("api/inventory/products/SERUM-1-15ML/history?type=in");
      assertThat(in.json().get("movements")).hasSize(1);
      assertThat(in.json().get("pagination").get("total").asLong()).isEqualTo(1);
      Reply several = api.get("api/inventory/products/SERUM-1-15ML/history?type=IN,adjustment&limit=1&page=2");
      assertThat(several.json().get("movements")).hasSize(1);
      assertThat(several.json().get("movements").get(0).get("type").asText()).isEqualTo("in");

      assertThat(api.get("api/inventory/products/SERUM-1-15ML/history?type=bogus").status()).isEqualTo(400);
      assertThat(api.get("api/inventory/products/SERUM-1-15ML/history?limit=500").status()).isEqualTo(400);
      assertThat(api.get("api/inventory/products/NOPE/history").status()).isEqualTo(404);
    }

    @Test
    void movementsOfTheTenant() throws Exception {
      Reply r = api.get("api/inventory/movements?limit=5");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("movements")).hasSize(5);
      assertThat(r.json().get("pagination").get("total").asLong()).isGreaterThanOrEqualTo(28);
      long newest = r.json().get("movements").get(0).get("id").asLong();
      assertThat(r.json().get("movements").get(4).get("id").asLong()).isLessThan(newest);
    }
  }

  @Nested
  @DisplayName("alerts")
  class Alerts {
    @Test
    @DisplayName("lists open alerts and resolves one by id")
    void listAndResolve() throws Exception {
      Reply open = api.get("api/inventory/alerts");
      assertThat(open.status()).isEqualTo(200);
      JsonNode hoodie = null;
      for (JsonNode a : open.json().get("alerts")) {
        if (a.get("sku").asText().equals("HOODIE-1-S") && a.get("kind").asText().equals("low_stock")) {
          hoodie = a;
        }
      }
      if (hoodie == null) {
        // Make one: take HOODIE-1-S down to 2.
        long available = api.get("api/inventory/products/HOODIE-1-S").json().get("available").asLong();
        api.postJson("api/inventory/products/HOODIE-1-S/adjust",
            "{\"quantity\": " + (2 - available) + ", \"reason\": \"count\"}");
        for (JsonNode a : api.get("api/inventory/alerts?sku=HOODIE-1-S").json().get("alerts")) {
          hoodie = a;
        }
      }
      assertThat(hoodie).isNotNull();
      assertThat(hoodie.get("status").asText()).isEqualTo("open");
      long id = hoodie.get("id").asLong();

      Reply resolved = api.postJson("api/inventory/alerts/" + id + "/resolve", "{\"actor\": \"ana\"}");
      assertThat(resolved.status()).isEqualTo(200);
      assertThat(resolved.json().get("alert").get("status").asText()).isEqualTo("resolved");
      assertThat(resolved.json().get("alert").get("resolved_by").asText()).isEqualTo("ana");
      Reply again = api.postJson("api/inventory/alerts/" + id + "/resolve", "");
      assertThat(again.status()).isEqualTo(200);
      assertThat(api.get("api/inventory/alerts?sku=HOODIE-1-S").json().get("alerts")).isEmpty();
    }

    @Test
    void badAndUnknownIds() throws Exception {
      assertThat(api.postJson("api/inventory/alerts/999999999/resolve", "{}").status()).isEqualTo(404);
      assertThat(api.postJson("api/inventory/alerts/abc/resolve", "{}").status()).isEqualTo(400);
      assertThat(api.postJson("api/inventory/alerts/1/resolve", "{\"who\": 1}").json().get("error").asText())
          .isEqualTo("unknown_field");
      assertThat(api.get("api/inventory/alerts/1/resolve").status()).isEqualTo(405);
    }
  }

  @Nested
  @DisplayName("health, sync and the rest")
  class Others {
    @Test
    void health() throws Exception {
      Reply r = api.get("api/health/inventory");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("status").asText()).isEqualTo("up");
      assertThat(r.json().get("components").fieldNames()).toIterable()
          .contains("store", "alerts", "shop", "sync", "webhooks");
    }

    @Test
    void sync() throws Exception {
      Reply r = api.get("api/inventory/sync");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().has("pushes_accepted")).isTrue();
      assertThat(r.json().get("last_reconcile").get("complete").asBoolean()).isTrue();
    }

    @Test
    void unknownRoutes() throws Exception {
      for (String path : List.of("api", "api/", "api/inventory", "api/inventory/nothing", "api/health/other",
          "api/inventory/products/TEE-1-S/extra/more")) {
        Reply r = api.get(path);
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.json().get("error").asText()).as(path).isEqualTo("not_found");
      }
      assertThat(api.postJson("api/inventory/products", "{}").status()).isEqualTo(405);
    }

    @Test
    @DisplayName("a configured tenant header selects the tenant; nothing crosses tenants")
    void tenantHeader() throws Exception {
      TenantId other = TenantId.of("other-creator");
      service.engine().register(ItemDefinition.builder(other, Sku.of("OTHER-1")).name("Other").build());
      service.engine().adjust(Adjustment.of(other, Sku.of("OTHER-1"), 9, "first count"));
      Reply theirs = api.get("api/inventory/products", "X-Tenant", "other-creator");
      assertThat(skus(theirs.json().get("products"))).containsExactly("OTHER-1");
      assertThat(api.get("api/inventory/products/OTHER-1").status()).isEqualTo(404);
      assertThat(api.get("api/inventory/products/TEE-1-S", "X-Tenant", "other-creator").status()).isEqualTo(404);
      assertThat(api.get("api/inventory/products", "X-Tenant", "t".repeat(65)).status()).isEqualTo(400);
    }
  }

  @Nested
  @DisplayName("keep-alive connections")
  class Connections {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "POST, /api/inventory/alerts/abc/resolve, 400",
        "POST, /api/inventory/products, 405",
        "POST, /, 405",
        "PUT, " + InventoryService.WEBHOOK_PATH + ", 405"})
    @DisplayName("a request refused before its body was read leaves the connection usable")
    void refusedBeforeTheBodyArrives(String method, String path, int status) throws Exception {
      try (Socket socket = new Socket("127.0.0.1", service.port())) {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        // The request is refused at once, but its body is still on its way.
        out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(300);
        assertThatThrownBy(in::read).as("no answer before the body has been read")
            .isInstanceOf(SocketTimeoutException.class);
        socket.setSoTimeout(10_000);
        out.write("{}".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(RawResponse.read(in).status()).isEqualTo(status);

        // The same connection serves the next request (it used to be closed: the client saw no bytes).
        out.write("GET /api/inventory/alerts/1/resolve HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RawResponse next = RawResponse.read(in);
        assertThat(next.status()).isEqualTo(405);
        assertThat(next.body()).contains("method_not_allowed");
      }
    }

    @Test
    @DisplayName("a client reusing its connection after refused requests gets every answer")
    void keepAliveClientAfterRefusals() throws Exception {
      for (int i = 0; i < 50; i++) {
        assertThat(api.postJson("api/inventory/alerts/abc/resolve", "{}").status()).isEqualTo(400);
        assertThat(api.postJson("api/inventory/products/TEE-1-S", "{\"quantity\": 1}").status()).isEqualTo(405);
        assertThat(api.get("api/inventory/alerts/1/resolve").status()).isEqualTo(405);
      }
    }
  }

  /** One HTTP/1.1 response read off a socket: status line, headers, a Content-Length body. */
  private record RawResponse(int status, String body) {
    static RawResponse read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b == -1) {
          throw new EOFException("the connection closed after " + head.size() + " bytes of a response");
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      int length = 0;
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).strip());
        }
      }
      return new RawResponse(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }
  }
}
