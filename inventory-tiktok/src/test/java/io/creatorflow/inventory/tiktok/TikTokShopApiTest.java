package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.testkit.tiktok.NoDelaySocketFactory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryException;
import io.creatorflow.inventory.tiktok.TikTokShopApi.InventoryUpdateResult;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductFilter;
import io.creatorflow.inventory.tiktok.TikTokShopApi.SkuInventoryUpdate;
import io.creatorflow.inventory.tiktok.TikTokShopApi.WarehouseQuantity;
import io.creatorflow.inventory.tiktok.internal.RequestSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The typed API against MockWebServer: request shapes, response mapping, errors, retries, tokens. */
class TikTokShopApiTest {
  static final String KEY = "29a39d";
  static final String SECRET = "e59af819cc-secret";
  static final String ACCESS = "ROW_access_token_0001";
  static final String REFRESH = "ROW_refresh_token_0001";
  static final String CIPHER = "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3";
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  MockWebServer server;
  TestClock clock;
  RecordingSleeper sleeper;
  List<TikTokCredentials> stored;
  TikTokShopApi api;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    clock = new TestClock(NOW);
    sleeper = new RecordingSleeper(clock);
    stored = new ArrayList<>();
    api = api(TikTokShopConfig.builder(), NOW.plus(Duration.ofDays(7)));
  }

  @AfterEach
  void stop() throws IOException {
    api.close();
    server.shutdown();
  }

  TikTokShopApi api(TikTokShopConfig.Builder config, Instant accessExpiry) {
    String url = server.url("/").toString();
    return TikTokShopApi.builder(config.appKey(KEY).appSecret(SECRET).baseUrl(url).authBaseUrl(url)
            .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)).build())
        .httpClient(NoDelaySocketFactory.client())
        .clock(clock)
        .sleeper(sleeper)
        .jitter(() -> 0.0)
        .credentials(new TikTokCredentials(ACCESS, accessExpiry, REFRESH, NOW.plus(Duration.ofDays(365))), stored::add)
        .build();
  }

  static MockResponse ok(String data) {
    return new MockResponse().setHeader("content-type", "application/json")
        .setBody("{\"code\":0,\"message\":\"Success\",\"request_id\":\"REQ-OK\",\"data\":" + data + "}");
  }

  static MockResponse fail(int status, long code, String message) {
    return new MockResponse().setResponseCode(status).setHeader("content-type", "application/json")
        .setBody("{\"code\":" + code + ",\"message\":\"" + message + "\",\"request_id\":\"REQ-" + code + "\",\"data\":{}}");
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request arrived").isNotNull();
    return r;
  }

  /** Asserts the common parameters and recomputes the sign from what arrived. */
  static String assertSigned(RecordedRequest r, boolean shopScoped) {
    HttpUrl url = r.getRequestUrl();
    Map<String, String> query = new TreeMap<>();
    for (String name : url.queryParameterNames()) {
      assertThat(url.queryParameterValues(name)).as("parameter %s once", name).hasSize(1);
      query.put(name, url.queryParameter(name));
    }
    assertThat(query).containsEntry("app_key", KEY).containsEntry("timestamp", Long.toString(NOW.getEpochSecond()));
    if (shopScoped) {
      assertThat(query).containsEntry("shop_cipher", CIPHER);
    } else {
      assertThat(query).doesNotContainKey("shop_cipher");
    }
    assertThat(query).doesNotContainKey("access_token");
    byte[] body = r.getBody().readByteArray();
    String expected = RequestSigner.sign(SECRET, url.encodedPath(), query, body.length == 0 ? null : body);
    assertThat(query.get("sign")).isEqualTo(expected);
    assertThat(r.getHeader("x-tts-access-token")).isEqualTo(ACCESS);
    assertThat(r.getHeader("content-type")).startsWith("application/json");
    return new String(body, StandardCharsets.UTF_8);
  }

  @Nested
  class Requests {
    @Test
    void authorized_shops_is_signed_without_a_shop_cipher() throws Exception {
      server.enqueue(ok("{\"shops\":[{\"id\":7000714532876273420,\"name\":\"Maomao\",\"region\":\"GB\","
          + "\"seller_type\":\"CROSS_BORDER\",\"cipher\":\"" + CIPHER + "\",\"code\":\"CNGBCBA4LLU8\"}]}"));
      assertThat(api.authorizedShops()).singleElement().satisfies(s -> {
        assertThat(s.id()).isEqualTo("7000714532876273420");
        assertThat(s.cipher()).isEqualTo(CIPHER);
        assertThat(s.region()).isEqualTo("GB");
      });
      RecordedRequest r = take();
      assertThat(r.getMethod()).isEqualTo("GET");
      assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/authorization/202309/shops");
      assertThat(assertSigned(r, false)).isEmpty();
    }

    @Test
    void product_detail_maps_skus_and_warehouses_and_big_numeric_ids() throws Exception {
      server.enqueue(ok("{\"id\":\"1729592969712207008\",\"status\":\"ACTIVATE\",\"title\":\"Socks\",\"update_time\":1700000000,"
          + "\"skus\":[{\"id\":1729592969712207012,\"seller_sku\":\"red\",\"inventory\":["
          + "{\"warehouse_id\":\"6966568648651605766\",\"quantity\":999},{\"warehouse_id\":\"7\",\"quantity\":1}]}]}"));
      TikTokShopApi.Product p = api.product(CIPHER, "1729592969712207008");
      assertThat(p.status()).isEqualTo("ACTIVATE");
      assertThat(p.updateTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
      assertThat(p.skus()).singleElement().satisfies(s -> {
        assertThat(s.id()).isEqualTo("1729592969712207012");
        assertThat(s.totalQuantity()).isEqualTo(1000);
      });
      RecordedRequest r = take();
      assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/product/202309/products/1729592969712207008");
      assertSigned(r, true);
    }

    @Test
    void product_search_sends_paging_in_the_query_encoded_and_filters_in_the_signed_body() throws Exception {
      server.enqueue(ok("{\"total_count\":250,\"products\":[{\"id\":\"1\",\"status\":\"ACTIVATE\",\"skus\":[]}],"
          + "\"next_page_token\":\"b2Zm+c2V0/PTAK==\"}"));
      server.enqueue(ok("{\"total_count\":250,\"products\":[],\"next_page_token\":\"\"}"));
      ProductFilter filter = new ProductFilter("ACTIVATE", List.of("SKU-1"), Instant.ofEpochSecond(100), Instant.ofEpochSecond(200));
      TikTokShopApi.ProductPage first = api.searchProducts(CIPHER, filter, null, 100);
      assertThat(first.nextPageToken()).isEqualTo("b2Zm+c2V0/PTAK==");
      assertThat(first.totalCount()).isEqualTo(250);
      RecordedRequest r1 = take();
      assertThat(r1.getMethod()).isEqualTo("POST");
      assertThat(r1.getRequestUrl().encodedPath()).isEqualTo("/product/202309/products/search");
      assertThat(r1.getRequestUrl().queryParameter("page_size")).isEqualTo("100");
      assertThat(assertSigned(r1, true)).isEqualTo(
          "{\"status\":\"ACTIVATE\",\"seller_skus\":[\"SKU-1\"],\"update_time_ge\":100,\"update_time_le\":200}");

      assertThat(api.searchProducts(CIPHER, filter, first.nextPageToken(), 100).nextPageToken()).isNull();
      RecordedRequest r2 = take();
      assertThat(r2.getRequestUrl().encodedQuery()).contains("page_token=b2Zm%2Bc2V0%2FPTAK%3D%3D");
      assertThat(r2.getRequestUrl().queryParameter("page_token")).isEqualTo("b2Zm+c2V0/PTAK==");
      assertSigned(r2, true);
    }

    @Test
    void the_search_version_is_configurable() throws Exception {
      api.close();
      api = api(TikTokShopConfig.builder().apiVersion(TikTokEndpoint.SEARCH_PRODUCTS, "202502"), NOW.plus(Duration.ofDays(1)));
      server.enqueue(ok("{\"total_count\":0,\"products\":[]}"));
      api.searchProducts(CIPHER, ProductFilter.all(), null, 10);
      assertThat(take().getRequestUrl().encodedPath()).isEqualTo("/product/202502/products/search");
    }

    @Test
    void inventory_search_batches_100_products_and_600_skus() throws Exception {
      List<String> products = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        products.add(Long.toString(1_000_000L + i));
      }
      server.enqueue(ok("{\"inventory\":[{\"product_id\":\"1000000\",\"skus\":[{\"id\":\"s1\",\"seller_sku\":\"A\","
          + "\"total_available_quantity\":100,\"total_committed_quantity\":10,\"warehouse_inventory\":["
          + "{\"warehouse_id\":\"w1\",\"available_quantity\":60,\"committed_quantity\":4},"
          + "{\"warehouse_id\":\"w2\",\"available_quantity\":40,\"committed_quantity\":6}]}]}]}"));
      server.enqueue(ok("{\"inventory\":[]}"));
      List<TikTokShopApi.SkuInventory> inv = api.inventoryOfProducts(CIPHER, products);
      assertThat(inv).singleElement().satisfies(s -> {
        assertThat(s.productId()).isEqualTo("1000000");
        assertThat(s.totalAvailable()).isEqualTo(100);
        assertThat(s.totalCommitted()).isEqualTo(10);
        assertThat(s.warehouses()).extracting(TikTokShopApi.WarehouseInventory::available).containsExactly(60L, 40L);
      });
      RecordedRequest r1 = take();
      assertThat(r1.getRequestUrl().encodedPath()).isEqualTo("/product/202309/inventory/search");
      assertThat(assertSigned(r1, true)).startsWith("{\"product_ids\":[\"1000000\",").contains("\"1000099\"]")
          .doesNotContain("1000100");
      assertThat(assertSigned(take(), true)).contains("\"1000100\"", "\"1000149\"");

      List<String> skus = new ArrayList<>();
      for (int i = 0; i < 601; i++) {
        skus.add("sku" + i);
      }
      server.enqueue(ok("{\"inventory\":[]}"));
      server.enqueue(ok("{\"inventory\":[]}"));
      api.inventoryOfSkus(CIPHER, skus);
      assertThat(assertSigned(take(), true)).startsWith("{\"sku_ids\":[\"sku0\",").contains("\"sku599\"]");
      assertThat(assertSigned(take(), true)).isEqualTo("{\"sku_ids\":[\"sku600\"]}");
    }

    @Test
    void update_inventory_sends_absolute_quantities_and_reports_per_sku_errors() throws Exception {
      server.enqueue(ok("{\"errors\":[{\"code\":12052990,\"message\":\"Check failed\",\"detail\":{\"sku_id\":\"s2\","
          + "\"extra_errors\":[{\"warehouse_id\":\"w9\",\"code\":12052097,\"message\":\"The warehouse does not exist\"}]}}]}"));
      InventoryUpdateResult result = api.updateInventory(CIPHER, "1729592969712207008", List.of(
          new SkuInventoryUpdate("s1", List.of(new WarehouseQuantity("w1", 5), new WarehouseQuantity("w2", 0))),
          new SkuInventoryUpdate("s2", List.of(new WarehouseQuantity("w9", 3)))));
      assertThat(result.errors()).singleElement().satisfies(e -> {
        assertThat(e.code()).isEqualTo(12052990);
        assertThat(e.skuId()).isEqualTo("s2");
        assertThat(e.warehouseErrors()).singleElement().satisfies(w -> {
          assertThat(w.warehouseId()).isEqualTo("w9");
          assertThat(w.code()).isEqualTo(12052097);
        });
      });
      RecordedRequest r = take();
      assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/product/202309/products/1729592969712207008/inventory/update");
      assertThat(assertSigned(r, true)).isEqualTo("{\"skus\":[{\"id\":\"s1\",\"inventory\":[{\"warehouse_id\":\"w1\","
          + "\"quantity\":5},{\"warehouse_id\":\"w2\",\"quantity\":0}]},{\"id\":\"s2\",\"inventory\":[{\"warehouse_id\":"
          + "\"w9\",\"quantity\":3}]}]}");
    }

    @Test
    void update_inventory_refuses_bad_arguments_before_sending() {
      assertThatThrownBy(() -> api.updateInventory(CIPHER, "1", List.of())).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> api.updateInventory(CIPHER, "1/../2",
          List.of(new SkuInventoryUpdate("s", List.of(new WarehouseQuantity("w", 1))))))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1/../2");
      assertThatThrownBy(() -> api.updateInventory(CIPHER, "1",
          List.of(new SkuInventoryUpdate("s", List.of(new WarehouseQuantity("w", 100_000))))))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("100000");
      assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void warehouses_map_default_type_and_status() throws Exception {
      server.enqueue(ok("{\"warehouses\":[{\"id\":\"7000714532876273410\",\"name\":\"Guangzhou\",\"effect_status\":\"ENABLED\","
          + "\"type\":\"SALES_WAREHOUSE\",\"is_default\":true},{\"id\":\"2\",\"type\":\"RETURN_WAREHOUSE\",\"is_default\":false}]}"));
      assertThat(api.warehouses(CIPHER)).hasSize(2).first().satisfies(w -> {
        assertThat(w.isDefault()).isTrue();
        assertThat(w.isSalesWarehouse()).isTrue();
        assertThat(w.effectStatus()).isEqualTo("ENABLED");
      });
      RecordedRequest r = take();
      assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/logistics/202309/warehouses");
      assertSigned(r, true);
    }

    @Test
    void order_detail_sends_at_most_50_ids_per_call() throws Exception {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 51; i++) {
        ids.add(Long.toString(576_461_413_038_785_700L + i));
      }
      server.enqueue(ok("{\"orders\":[{\"id\":\"576461413038785700\",\"status\":\"AWAITING_SHIPMENT\",\"update_time\":1700000000,"
          + "\"line_items\":[{\"id\":\"l1\",\"sku_id\":\"s1\",\"product_id\":\"p1\",\"seller_sku\":\"A\"},"
          + "{\"id\":\"l2\",\"sku_id\":\"s1\",\"product_id\":\"p1\"}]}]}"));
      server.enqueue(ok("{\"orders\":[]}"));
      List<TikTokShopApi.Order> orders = api.orders(CIPHER, ids);
      assertThat(orders).singleElement().satisfies(o -> assertThat(o.lineItems()).hasSize(2));
      RecordedRequest r1 = take();
      assertThat(r1.getRequestUrl().encodedPath()).isEqualTo("/order/202309/orders");
      assertThat(r1.getRequestUrl().queryParameter("ids").split(",")).hasSize(50);
      assertSigned(r1, true);
      assertThat(take().getRequestUrl().queryParameter("ids")).isEqualTo(ids.get(50));
    }

    @Test
    void order_search_is_by_update_time_oldest_first() throws Exception {
      server.enqueue(ok("{\"total_count\":1,\"next_page_token\":\"6AsPQsUMvH3Rk/N5M1+kHYc\",\"orders\":[{\"id\":\"1\","
          + "\"status\":\"CANCELLED\",\"line_items\":[]}]}"));
      TikTokShopApi.OrderPage page = api.searchOrders(CIPHER, Instant.ofEpochSecond(1000), Instant.ofEpochSecond(2000, 5),
          null, 50);
      assertThat(page.nextPageToken()).isEqualTo("6AsPQsUMvH3Rk/N5M1+kHYc");
      RecordedRequest r = take();
      assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/order/202309/orders/search");
      assertThat(r.getRequestUrl().queryParameter("sort_field")).isEqualTo("update_time");
      assertThat(r.getRequestUrl().queryParameter("sort_order")).isEqualTo("ASC");
      assertThat(r.getRequestUrl().queryParameter("page_size")).isEqualTo("50");
      assertThat(assertSigned(r, true)).isEqualTo("{\"update_time_ge\":1000,\"update_time_lt\":2001}");
    }

    @Test
    void cancellation_and_return_searches_map_their_line_items() throws Exception {
      server.enqueue(ok("{\"cancellations\":[{\"cancel_id\":\"c1\",\"order_id\":\"o1\",\"cancel_type\":\"BUYER_CANCEL\","
          + "\"cancel_status\":\"CANCELLATION_REQUEST_SUCCESS\",\"role\":\"BUYER\",\"update_time\":5,"
          + "\"cancel_line_items\":[{\"order_line_item_id\":\"l1\",\"sku_id\":\"s1\",\"seller_sku\":\"A\"}]}],\"total_count\":1}"));
      server.enqueue(ok("{\"return_orders\":[{\"return_id\":\"r1\",\"order_id\":\"o1\",\"return_type\":\"RETURN_AND_REFUND\","
          + "\"return_status\":\"RETURN_OR_REFUND_REQUEST_COMPLETE\",\"update_time\":6,"
          + "\"return_line_items\":[{\"order_line_item_id\":\"l1\",\"sku_id\":\"s1\"}]}],\"next_page_token\":\"\"}"));
      var cancels = api.searchCancellations(CIPHER, Instant.ofEpochSecond(1), Instant.ofEpochSecond(10), null, 50);
      assertThat(cancels.cancellations()).singleElement().satisfies(c -> {
        assertThat(c.cancelStatus()).isEqualTo("CANCELLATION_REQUEST_SUCCESS");
        assertThat(c.lineItems()).singleElement().satisfies(l -> assertThat(l.skuId()).isEqualTo("s1"));
      });
      var returns = api.searchReturns(CIPHER, Instant.ofEpochSecond(1), Instant.ofEpochSecond(10), null, 10);
      assertThat(returns.returns()).singleElement().satisfies(r -> assertThat(r.returnStatus()).isEqualTo("RETURN_OR_REFUND_REQUEST_COMPLETE"));
      assertThat(returns.nextPageToken()).isNull();
      RecordedRequest r1 = take();
      assertThat(r1.getRequestUrl().encodedPath()).isEqualTo("/return_refund/202309/cancellations/search");
      assertSigned(r1, true);
      RecordedRequest r2 = take();
      assertThat(r2.getRequestUrl().encodedPath()).isEqualTo("/return_refund/202309/returns/search");
      assertSigned(r2, true);
      assertThatThrownBy(() -> api.searchReturns(CIPHER, Instant.ofEpochSecond(1), Instant.ofEpochSecond(10), null, 5))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("5");
    }
  }

  @Nested
  class Errors {
    @Test
    void every_failure_carries_status_code_message_and_request_id() {
      server.enqueue(fail(200, 12052032, "The product does not exist"));
      assertThatThrownBy(() -> api.product(CIPHER, "42"))
          .isExactlyInstanceOf(TikTokApiException.class)
          .isInstanceOf(InventoryException.class)
          .satisfies(t -> {
            TikTokApiException e = (TikTokApiException) t;
            assertThat(e.httpStatus()).isEqualTo(200);
            assertThat(e.apiCode()).isEqualTo(12052032);
            assertThat(e.apiMessage()).isEqualTo("The product does not exist");
            assertThat(e.requestId()).isEqualTo("REQ-12052032");
            assertThat(e.retryable()).isFalse();
            assertThat(e.operation()).isEqualTo("GET_PRODUCT");
            assertThat(e.getMessage()).contains("GET_PRODUCT", "12052032", "REQ-12052032");
          });
      assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void invalid_parameter_and_invalid_sign_and_scope_map_to_their_types_without_retries() {
      server.enqueue(fail(400, 36009004, "Invalid parameter: page_size"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOf(TikTokInvalidRequestException.class);
      server.enqueue(fail(401, 106001, "Invalid credentials"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOf(TikTokAuthException.class);
      server.enqueue(fail(200, 105005, "scope not granted"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOf(TikTokAuthException.class);
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void the_body_is_parsed_whatever_the_http_status() {
      server.enqueue(fail(500, 36009003, "Internal error"));
      server.enqueue(fail(500, 36009003, "Internal error"));
      server.enqueue(fail(500, 36009003, "Internal error"));
      server.enqueue(fail(500, 36009003, "Internal error"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokUnavailableException.class, e -> {
        assertThat(e.apiCode()).isEqualTo(36009003);
        assertThat(e.requestId()).isEqualTo("REQ-36009003");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("after 4 attempts");
      });
      assertThat(server.getRequestCount()).isEqualTo(TikTokShopConfig.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void an_unreadable_body_is_retried_then_reported() {
      for (int i = 0; i < 4; i++) {
        server.enqueue(new MockResponse().setBody("<html>bad gateway</html>").setResponseCode(502));
      }
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokUnavailableException.class, e -> {
        assertThat(e.httpStatus()).isEqualTo(502);
        assertThat(e.apiCode()).isEqualTo(TikTokApiException.NO_API_CODE);
      });
    }

    @Test
    void a_connection_refused_is_an_unavailable_failure_with_the_io_cause() throws IOException {
      int port = server.getPort();
      server.shutdown();
      api.close();
      api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey(KEY).appSecret(SECRET)
              .baseUrl("http://127.0.0.1:" + port).maxAttempts(2).build())
          .clock(clock).sleeper(sleeper)
          .credentials(new TikTokCredentials(ACCESS, NOW.plus(Duration.ofDays(1)), REFRESH, NOW.plus(Duration.ofDays(9))),
              TikTokTokenStore.NONE)
          .build();
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokUnavailableException.class, e -> {
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getCause()).isInstanceOf(IOException.class);
      });
      assertThat(sleeper.waits()).hasSize(1);
    }
  }

  @Nested
  class Retries {
    @Test
    void retries_429_honouring_retry_after_in_seconds() {
      server.enqueue(fail(429, 36009002, "Too many requests").setHeader("Retry-After", "3"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      assertThat(api.warehouses(CIPHER)).isEmpty();
      assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retries_honouring_retry_after_as_an_http_date() {
      String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC));
      server.enqueue(fail(429, 36009002, "Too many requests").setHeader("Retry-After", date));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void code_36009002_at_http_200_is_rate_limiting_too() {
      server.enqueue(fail(200, 36009002, "Too many requests"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      assertThat(sleeper.waits()).hasSize(1);
    }

    @Test
    void a_retry_after_longer_than_the_limit_fails_at_once_saying_when() {
      server.enqueue(fail(429, 36009002, "Too many requests").setHeader("Retry-After", "120"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokRateLimitedException.class, e -> {
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryable()).isTrue();
      });
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void backoff_is_exponential_with_jitter_and_each_attempt_is_signed_afresh() throws Exception {
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      server.enqueue(fail(503, 36009003, "busy"));
      server.enqueue(fail(200, 36009003, "internal"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      // jitter 0: half of 100, 200, 400 ms
      assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));

      api.close();
      List<Duration> waits = new ArrayList<>();
      api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey(KEY).appSecret(SECRET)
              .baseUrl(server.url("/").toString()).initialBackoff(Duration.ofSeconds(1)).build())
          .httpClient(NoDelaySocketFactory.client())
          .clock(clock)
          .sleeper(d -> {
            waits.add(d);
            clock.advance(Duration.ofSeconds(10));
          })
          .jitter(() -> 0.999)
          .credentials(new TikTokCredentials(ACCESS, NOW.plus(Duration.ofDays(7)), REFRESH, NOW.plus(Duration.ofDays(365))),
              TikTokTokenStore.NONE)
          .build();
      for (int i = 0; i < 4; i++) {
        take();
      }
      server.enqueue(fail(502, 36009003, "busy"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      assertThat(waits).containsExactly(Duration.ofSeconds(1));
      RecordedRequest first = take();
      RecordedRequest second = take();
      long t1 = Long.parseLong(first.getRequestUrl().queryParameter("timestamp"));
      long t2 = Long.parseLong(second.getRequestUrl().queryParameter("timestamp"));
      assertThat(t2 - t1).isEqualTo(10);
      assertThat(second.getRequestUrl().queryParameter("sign")).isNotEqualTo(first.getRequestUrl().queryParameter("sign"));
    }

    @Test
    void the_token_refresh_is_not_repeated_after_an_ambiguous_failure() {
      api.close();
      api = api(TikTokShopConfig.builder(), NOW.plus(Duration.ofMinutes(1)));
      clock.advance(Duration.ofMinutes(2));
      server.enqueue(fail(500, 36009003, "internal"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOf(TikTokUnavailableException.class)
          .hasMessageContaining("token refresh");
      assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void the_token_refresh_is_repeated_after_429_which_proves_nothing_happened() throws Exception {
      api.close();
      api = api(TikTokShopConfig.builder(), NOW.plus(Duration.ofMinutes(1)));
      server.enqueue(fail(429, 36009002, "slow down").setHeader("Retry-After", "1"));
      server.enqueue(tokenResponse("new-access", "new-refresh"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void the_local_rate_limiter_refuses_beyond_its_qps_without_calling_tiktok() {
      api.close();
      api = api(TikTokShopConfig.builder().qps(2).rateLimitWait(Duration.ZERO), NOW.plus(Duration.ofDays(1)));
      server.enqueue(ok("{\"warehouses\":[]}"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      api.warehouses(CIPHER);
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokRateLimitedException.class, e -> {
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("2 requests/s");
      });
      assertThat(server.getRequestCount()).isEqualTo(2);
      // Another shop has its own limiter.
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses("OTHER_SHOP_CIPHER");
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }

  static MockResponse tokenResponse(String access, String refresh) {
    return new MockResponse().setHeader("content-type", "application/json").setBody(
        "{\"code\":0,\"message\":\"success\",\"request_id\":\"REQ-T\",\"data\":{\"access_token\":\"" + access
            + "\",\"access_token_expire_in\":" + NOW.plus(Duration.ofDays(7)).getEpochSecond() + ",\"refresh_token\":\""
            + refresh + "\",\"refresh_token_expire_in\":" + NOW.plus(Duration.ofDays(300)).getEpochSecond()
            + ",\"open_id\":\"x\",\"seller_name\":\"y\"}}");
  }

  @Nested
  class Tokens {
    @Test
    void refreshes_before_expiry_through_the_token_endpoint_and_stores_first() throws Exception {
      api.close();
      api = api(TikTokShopConfig.builder(), NOW.plus(Duration.ofMinutes(5)));
      server.enqueue(tokenResponse("new-access", "new-refresh"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      RecordedRequest refresh = take();
      assertThat(refresh.getMethod()).isEqualTo("GET");
      assertThat(refresh.getRequestUrl().encodedPath()).isEqualTo("/api/v2/token/refresh");
      assertThat(refresh.getRequestUrl().queryParameter("app_key")).isEqualTo(KEY);
      assertThat(refresh.getRequestUrl().queryParameter("app_secret")).isEqualTo(SECRET);
      assertThat(refresh.getRequestUrl().queryParameter("refresh_token")).isEqualTo(REFRESH);
      assertThat(refresh.getRequestUrl().queryParameter("grant_type")).isEqualTo("refresh_token");
      assertThat(take().getHeader("x-tts-access-token")).isEqualTo("new-access");
      assertThat(stored).singleElement().satisfies(c -> {
        assertThat(c.accessToken()).isEqualTo("new-access");
        assertThat(c.refreshToken()).isEqualTo("new-refresh");
        assertThat(c.accessTokenExpiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
      });
    }

    @Test
    void refreshes_once_on_105002_and_retries_the_call_once() throws Exception {
      server.enqueue(fail(401, 105002, "access token expired"));
      server.enqueue(tokenResponse("new-access", "new-refresh"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      assertThat(take().getHeader("x-tts-access-token")).isEqualTo(ACCESS);
      assertThat(take().getRequestUrl().encodedPath()).isEqualTo("/api/v2/token/refresh");
      assertThat(take().getHeader("x-tts-access-token")).isEqualTo("new-access");

      server.enqueue(fail(401, 105002, "access token expired"));
      server.enqueue(tokenResponse("newer-access", "newer-refresh"));
      server.enqueue(fail(401, 105002, "access token expired"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokAuthException.class,
          e -> assertThat(e.apiCode()).isEqualTo(105002));
      assertThat(server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void a_refused_refresh_token_is_an_auth_failure() {
      api.close();
      api = api(TikTokShopConfig.builder(), NOW.plus(Duration.ofMinutes(5)));
      server.enqueue(new MockResponse().setBody("{\"code\":36004013,\"message\":\"invalid refresh_token\",\"request_id\":\"R\"}"));
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOfSatisfying(TikTokAuthException.class,
          e -> assertThat(e.apiCode()).isEqualTo(36004013));
    }

    @Test
    void a_transient_refresh_failure_keeps_using_a_still_valid_token() throws Exception {
      api.close();
      api = api(TikTokShopConfig.builder(), NOW.plus(Duration.ofMinutes(5)));
      server.enqueue(fail(500, 36009003, "busy"));
      server.enqueue(ok("{\"warehouses\":[]}"));
      api.warehouses(CIPHER);
      take();
      assertThat(take().getHeader("x-tts-access-token")).isEqualTo(ACCESS);
    }

    @Test
    void an_expired_refresh_token_fails_without_a_request() {
      api.close();
      api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey(KEY).appSecret(SECRET)
              .baseUrl(server.url("/").toString()).authBaseUrl(server.url("/").toString()).build())
          .clock(clock).sleeper(sleeper)
          .credentials(new TikTokCredentials(ACCESS, NOW.minusSeconds(1), REFRESH, NOW.minusSeconds(1)), stored::add)
          .build();
      assertThatThrownBy(() -> api.warehouses(CIPHER)).isInstanceOf(TikTokAuthException.class)
          .hasMessageContaining("authorize the app again");
      assertThat(server.getRequestCount()).isZero();
    }
  }

  @Nested
  class Secrets {
    @Test
    void never_appear_in_to_string_exception_messages_or_logs() {
      PrintStream originalErr = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      List<String> texts = new ArrayList<>();
      try {
        api.close();
        api = api(TikTokShopConfig.builder().maxAttempts(2), NOW.plus(Duration.ofMinutes(5)));
        server.enqueue(tokenResponse("fresh-access-token-123", "fresh-refresh-token-456"));
        // A server echoing the token back must not get it into the message either.
        server.enqueue(fail(200, 12052032, "token fresh-access-token-123 secret " + SECRET));
        try {
          api.product(CIPHER, "1");
        } catch (TikTokApiException e) {
          texts.add(e.getMessage());
          texts.add(e.toString());
          texts.add(String.valueOf(e.apiMessage()));
        }
        server.enqueue(fail(500, 36009003, "busy"));
        server.enqueue(fail(500, 36009003, "busy"));
        try {
          api.warehouses(CIPHER);
        } catch (TikTokApiException e) {
          texts.add(e.getMessage());
        }
        texts.add(api.toString());
        texts.add(api.config().toString());
        texts.add(String.valueOf(api.credentials()));
      } finally {
        System.setErr(originalErr);
      }
      texts.add(captured.toString(StandardCharsets.UTF_8));
      assertThat(texts.get(texts.size() - 1)).as("logging was captured").contains("TikTok");
      for (String text : texts) {
        assertThat(text).doesNotContain(SECRET, ACCESS, REFRESH, "fresh-access-token-123", "fresh-refresh-token-456");
      }
      assertThat(api.config().toString()).contains("appSecret=****");
    }
  }

  @Nested
  class Configuration {
    @Test
    void validates_with_messages_naming_the_bad_value() {
      assertThatThrownBy(() -> TikTokShopConfig.builder().qps(0)).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("was 0");
      assertThatThrownBy(() -> TikTokShopConfig.builder().maxAttempts(11)).hasMessageContaining("was 11");
      assertThatThrownBy(() -> TikTokShopConfig.builder().baseUrl("ftp:/x")).hasMessageContaining("ftp:/x");
      assertThatThrownBy(() -> TikTokShopConfig.builder().baseUrl("https://example.com/prefix"))
          .hasMessageContaining("/prefix");
      assertThatThrownBy(() -> TikTokShopConfig.builder().apiVersion(TikTokEndpoint.ORDER_DETAIL, "2023"))
          .hasMessageContaining("'2023'");
      assertThatThrownBy(() -> TikTokShopConfig.builder().readTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
      assertThatThrownBy(() -> TikTokShopConfig.builder().appKey("k").build()).hasMessageContaining("appSecret");
      assertThatThrownBy(() -> TikTokShopConfig.builder().appSecret(" leaked ")).isInstanceOf(InvalidRequestException.class)
          .message().doesNotContain("leaked");
    }

    @Test
    void has_documented_defaults_and_round_trips_through_its_builder() {
      TikTokShopConfig c = TikTokShopConfig.builder().appKey("k").appSecret("s").build();
      assertThat(c.qps()).isEqualTo(50);
      assertThat(c.baseUrl().toString()).isEqualTo("https://open-api.tiktokglobalshop.com/");
      assertThat(c.authBaseUrl().toString()).isEqualTo("https://auth.tiktok-shops.com/");
      assertThat(c.searchResultCap()).isEqualTo(10_000);
      assertThat(c.apiVersion(TikTokEndpoint.SEARCH_PRODUCTS)).isEqualTo("202309");
      TikTokShopConfig copy = c.toBuilder().qps(7).build();
      assertThat(copy.qps()).isEqualTo(7);
      assertThat(copy.appSecret()).isEqualTo("s");
    }
  }
}
