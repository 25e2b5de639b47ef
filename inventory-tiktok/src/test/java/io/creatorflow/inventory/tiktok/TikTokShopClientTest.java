package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.testkit.tiktok.NoDelaySocketFactory;
import static io.creatorflow.inventory.tiktok.TikTokShopApiTest.CIPHER;
import static io.creatorflow.inventory.tiktok.TikTokShopApiTest.fail;
import static io.creatorflow.inventory.tiktok.TikTokShopApiTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.spi.ShopClient.PushResult;
import io.creatorflow.inventory.spi.ShopClient.ShopCatalogPage;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.spi.ShopClient.ShopQuantity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ShopClient mapping against MockWebServer. */
class TikTokShopClientTest {
  MockWebServer server;
  TikTokShopApi api;
  TikTokShopClient client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    TestClock clock = new TestClock(TikTokShopApiTest.NOW);
    api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey("k").appSecret("s3cret")
            .baseUrl(server.url("/").toString()).maxAttempts(2).build())
        .httpClient(NoDelaySocketFactory.client())
        .clock(clock)
        .sleeper(new RecordingSleeper(clock))
        .credentials(new TikTokCredentials("at", clock.instant().plus(Duration.ofDays(1)), "rt",
            clock.instant().plus(Duration.ofDays(9))), TikTokTokenStore.NONE)
        .build();
    client = TikTokShopClient.builder(api, CIPHER).build();
  }

  @AfterEach
  void stop() throws IOException {
    api.close();
    server.shutdown();
  }

  @Test
  void catalog_pages_map_skus_with_summed_warehouse_quantities() throws Exception {
    server.enqueue(ok("{\"total_count\":2,\"products\":[{\"id\":\"p1\",\"status\":\"ACTIVATE\",\"update_time\":1700000000,"
        + "\"skus\":[{\"id\":\"s1\",\"seller_sku\":\"A\",\"inventory\":[{\"warehouse_id\":\"w1\",\"quantity\":3},"
        + "{\"warehouse_id\":\"w2\",\"quantity\":4}]},{\"id\":\"s2\",\"inventory\":[]}]}],\"next_page_token\":\"\"}"));
    ShopCatalogPage page = client.catalogPage(null, 100);
    assertThat(client.channel()).isEqualTo("tiktok");
    assertThat(page.totalCount()).isEqualTo(2);
    assertThat(page.nextPageToken()).isNull();
    assertThat(page.skus()).extracting(s -> s.skuId() + "=" + s.available()).containsExactly("s1=7", "s2=0");
    assertThat(page.skus().get(0).updatedAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    RecordedRequest r = server.takeRequest();
    assertThat(r.getBody().readUtf8()).contains("\"update_time_ge\":" + TikTokShopConfig.DEFAULT_CATALOG_EPOCH.getEpochSecond(),
        "\"update_time_le\":" + TikTokShopApiTest.NOW.getEpochSecond());
    assertThatThrownBy(() -> client.catalogPage(null, 0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.catalogPage("not-ours", 10)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void the_default_warehouse_must_be_unambiguous() {
    server.enqueue(ok("{\"warehouses\":[{\"id\":\"a\",\"type\":\"SALES_WAREHOUSE\",\"is_default\":false},"
        + "{\"id\":\"b\",\"type\":\"SALES_WAREHOUSE\",\"is_default\":false}]}"));
    assertThatThrownBy(() -> client.pushQuantities(List.of(new ShopQuantity("p", "s", null, 1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("2 sales warehouses");
    TikTokShopClient fixed = TikTokShopClient.builder(api, CIPHER).defaultWarehouseId("b").build();
    assertThat(fixed.defaultWarehouseId()).isEqualTo("b");
  }

  @Test
  void per_warehouse_errors_fail_only_their_sku_and_the_rest_is_accepted() throws Exception {
    server.enqueue(ok("{\"inventory\":[{\"product_id\":\"p\",\"skus\":[{\"id\":\"s1\",\"warehouse_inventory\":["
        + "{\"warehouse_id\":\"w1\",\"available_quantity\":1}]},{\"id\":\"s2\",\"warehouse_inventory\":["
        + "{\"warehouse_id\":\"w1\",\"available_quantity\":1}]}]}]}"));
    server.enqueue(ok("{\"errors\":[{\"code\":12052990,\"message\":\"Check failed\",\"detail\":{\"sku_id\":\"s2\","
        + "\"extra_errors\":[{\"warehouse_id\":\"w1\",\"code\":12052055,\"message\":\"limits\"}]}}]}"));
    ShopQuantity s1 = new ShopQuantity("p", "s1", "w1", 5);
    ShopQuantity s2 = new ShopQuantity("p", "s2", "w1", 6);
    PushResult result = client.pushQuantities(List.of(s1, s2));
    assertThat(result.accepted()).containsExactly(s1);
    assertThat(result.failures()).singleElement().satisfies(f -> {
      assertThat(f.quantity()).isEqualTo(s2);
      assertThat(f.code()).isEqualTo("12052990");
      assertThat(f.message()).contains("12052055");
      assertThat(f.retryable()).isFalse();
    });
    assertThat(result.allAccepted()).isFalse();
  }

  @Test
  void after_rate_limiting_beyond_retries_the_remaining_products_are_not_sent() {
    server.enqueue(ok("{\"inventory\":[{\"product_id\":\"p1\",\"skus\":[{\"id\":\"s1\",\"warehouse_inventory\":["
        + "{\"warehouse_id\":\"w\",\"available_quantity\":1}]}]},{\"product_id\":\"p2\",\"skus\":[{\"id\":\"s2\","
        + "\"warehouse_inventory\":[{\"warehouse_id\":\"w\",\"available_quantity\":1}]}]}]}"));
    server.enqueue(fail(429, 36009002, "slow").setHeader("Retry-After", "1"));
    server.enqueue(fail(429, 36009002, "slow").setHeader("Retry-After", "1"));
    PushResult result = client.pushQuantities(List.of(new ShopQuantity("p1", "s1", "w", 1), new ShopQuantity("p2", "s2", "w", 2)));
    assertThat(result.accepted()).isEmpty();
    assertThat(result.failures()).hasSize(2).allSatisfy(f -> {
      assertThat(f.retryable()).isTrue();
      assertThat(f.code()).isEqualTo("36009002");
    });
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void authentication_failures_are_thrown_not_reported() {
    server.enqueue(fail(401, 106001, "Invalid credentials"));
    assertThatThrownBy(() -> client.pushQuantities(List.of(new ShopQuantity("p", "s", "w", 1))))
        .isInstanceOf(TikTokAuthException.class);
  }

  @Test
  void an_empty_push_calls_nothing() {
    assertThat(client.pushQuantities(List.of()).allAccepted()).isTrue();
    assertThat(client.orders(List.of())).isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void orders_group_line_items_per_sku_and_skip_cancelled_items_of_live_orders() {
    server.enqueue(ok("{\"orders\":[{\"id\":\"576461413038785752\",\"status\":\"PARTIALLY_SHIPPING\",\"update_time\":10,"
        + "\"line_items\":[{\"id\":\"1\",\"sku_id\":\"s1\",\"product_id\":\"p\"},{\"id\":\"2\",\"sku_id\":\"s1\",\"product_id\":\"p\"},"
        + "{\"id\":\"3\",\"sku_id\":\"s2\",\"product_id\":\"p\",\"display_status\":\"CANCELLED\"}]},"
        + "{\"id\":\"2\",\"status\":\"CANCELLED\",\"create_time\":5,\"line_items\":[{\"id\":\"4\",\"sku_id\":\"s2\",\"product_id\":\"p\","
        + "\"display_status\":\"CANCELLED\"}]},{\"id\":\"3\",\"status\":\"SOMETHING_NEW\",\"line_items\":[]}]}"));
    List<ShopOrder> orders = client.orders(List.of("576461413038785752", "2", "3"));
    assertThat(orders.get(0).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(orders.get(0).rawStatus()).isEqualTo("PARTIALLY_SHIPPING");
    assertThat(orders.get(0).lines()).extracting(l -> l.skuId() + "x" + l.quantity()).containsExactly("s1x2");
    assertThat(orders.get(1).state()).isEqualTo(OrderState.CANCELLED);
    assertThat(orders.get(1).lines()).extracting(l -> l.skuId() + "x" + l.quantity()).containsExactly("s2x1");
    assertThat(orders.get(1).updatedAt()).isEqualTo(Instant.ofEpochSecond(5));
    assertThat(orders.get(2).state()).isEqualTo(OrderState.UNKNOWN);
    assertThat(TikTokShopClient.orderState("CANCEL")).isEqualTo(OrderState.CANCELLED);
  }

  @Test
  void the_quantity_field_mode_reads_quantities() throws IOException {
    api.close();
    TestClock clock = new TestClock(TikTokShopApiTest.NOW);
    api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey("k").appSecret("s3cret").baseUrl(server.url("/").toString())
            .lineItemQuantity(TikTokShopConfig.LineItemQuantity.QUANTITY_FIELD).build())
        .clock(clock)
        .credentials(new TikTokCredentials("at", clock.instant().plus(Duration.ofDays(1)), "rt",
            clock.instant().plus(Duration.ofDays(9))), TikTokTokenStore.NONE)
        .build();
    server.enqueue(ok("{\"orders\":[{\"id\":\"1\",\"status\":\"AWAITING_SHIPMENT\",\"line_items\":["
        + "{\"id\":\"1\",\"sku_id\":\"s1\",\"product_id\":\"p\",\"quantity\":3},{\"id\":\"2\",\"sku_id\":\"s1\",\"product_id\":\"p\"}]}]}"));
    assertThat(TikTokShopClient.builder(api, CIPHER).build().orders(List.of("1")).get(0).lines().get(0).quantity()).isEqualTo(4);
  }
}
