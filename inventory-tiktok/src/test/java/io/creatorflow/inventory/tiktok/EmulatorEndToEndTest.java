package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.testkit.tiktok.NoDelaySocketFactory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.spi.ShopClient.PushResult;
import io.creatorflow.inventory.spi.ShopClient.ShopCatalogPage;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.spi.ShopClient.ShopOrderPage;
import io.creatorflow.inventory.spi.ShopClient.ShopQuantity;
import io.creatorflow.inventory.spi.ShopClient.ShopSku;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.EmulatedSku;
import io.creatorflow.inventory.testkit.tiktok.EmulatedWarehouse;
import io.creatorflow.inventory.testkit.tiktok.Fault;
import io.creatorflow.inventory.testkit.tiktok.Faults;
import io.creatorflow.inventory.testkit.tiktok.PushRecord;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against the TikTok Shop emulator: real HTTP, real signatures, injected faults. */
class EmulatorEndToEndTest {
  private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
  private static final String WH = "7000714532876273410";
  private static final okhttp3.OkHttpClient HTTP = NoDelaySocketFactory.client();

  private final TestClock clock = new TestClock(START);
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final List<TikTokCredentials> stored = new CopyOnWriteArrayList<>();
  private @Nullable TikTokShopEmulator emulator;
  private @Nullable TikTokShopApi api;

  @AfterEach
  void close() {
    if (api != null) {
      api.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private TikTokShopEmulator emulator(TikTokShopEmulator.Builder b) {
    emulator = b.clock(clock).start();
    return emulator;
  }

  private TikTokShopClient client(TikTokShopEmulator emu, TikTokShopConfig.Builder config) {
    api = TikTokShopApi.builder(
            config.appKey(emu.appKey()).appSecret(emu.appSecret()).baseUrl(emu.baseUrl()).authBaseUrl(emu.baseUrl())
                .build())
        .httpClient(HTTP)
        .clock(clock)
        .sleeper(sleeper)
        .jitter(() -> 0.5)
        .credentials(new TikTokCredentials(emu.accessToken(), emu.accessTokenExpiresAt(), emu.refreshToken(),
            START.plus(Duration.ofDays(300))), stored::add)
        .build();
    return TikTokShopClient.builder(api, emu.shopCipher()).build();
  }

  private static TikTokShopConfig.Builder fast() {
    return TikTokShopConfig.builder().qps(10_000).readTimeout(Duration.ofSeconds(5));
  }

  private static Set<String> allSkus(TikTokShopClient client, int pageSize, List<ShopSku> sink) {
    Set<String> ids = new HashSet<>();
    String token = null;
    do {
      ShopCatalogPage page = client.catalogPage(token, pageSize);
      for (ShopSku s : page.skus()) {
        assertThat(ids.add(s.skuId())).as("SKU %s listed twice", s.skuId()).isTrue();
        sink.add(s);
      }
      token = page.nextPageToken();
    } while (token != null);
    return ids;
  }

  @Test
  void reads_a_12500_sku_catalog_past_the_10000_result_cap_in_few_requests() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    emu.addProducts(EmulatedProduct.catalog(12_500, 1, WH, 7, START.minus(Duration.ofDays(30)), Duration.ofSeconds(200)));
    TikTokShopClient client = client(emu, fast());

    List<ShopSku> skus = new ArrayList<>();
    Set<String> ids = allSkus(client, 100, skus);

    assertThat(ids).hasSize(12_500);
    assertThat(skus).allSatisfy(s -> assertThat(s.available()).isEqualTo(7));
    assertThat(skus.get(0).productStatus()).isEqualTo("ACTIVATE");
    int searches = emu.requestCount("/product/{v}/products/search");
    // 125 pages of 100, plus a few window probes refused for exceeding the cap.
    assertThat(searches).isBetween(125, 140);
    assertThat(emu.answeredWith(TikTokShopEmulator.SEARCH_CAP_EXCEEDED)).isZero();
    assertThat(emu.requests()).noneMatch(r -> r.method().equals("GET") && r.path().matches("/product/\\d+/products/\\d+"));
  }

  @Test
  void catalog_windows_split_and_page_with_a_small_cap_and_the_lazy_stream_sees_every_product() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0).maxSearchResults(300));
    emu.addProducts(EmulatedProduct.catalog(1_000, 2, WH, 3, START.minus(Duration.ofDays(2)), Duration.ofSeconds(30)));
    TikTokShopClient client = client(emu, fast().searchResultCap(300));

    assertThat(allSkus(client, 50, new ArrayList<>())).hasSize(2_000);
    assertThat(api.allProducts(emu.shopCipher(), ProductFilter.all()).map(TikTokShopApi.Product::id).distinct().count())
        .isEqualTo(1_000);
    assertThat(emu.answeredWith(TikTokShopEmulator.SEARCH_CAP_EXCEEDED)).isZero();
    assertThat(emu.answeredWith(TikTokShopEmulator.INVALID_SIGN)).isZero();
  }

  @Test
  void without_windows_the_emulator_refuses_to_page_past_its_cap() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0).maxSearchResults(200));
    emu.addProducts(EmulatedProduct.catalog(500, 1, WH, 1, START.minus(Duration.ofDays(1)), Duration.ofSeconds(1)));
    client(emu, fast().maxAttempts(1));
    String token = null;
    for (int i = 0; i < 2; i++) {
      token = api.searchProducts(emu.shopCipher(), ProductFilter.all(), token, 100).nextPageToken();
    }
    String last = token;
    assertThatThrownBy(() -> api.searchProducts(emu.shopCipher(), ProductFilter.all(), last, 100))
        .isInstanceOfSatisfying(TikTokApiException.class, e -> assertThat(e.apiCode()).isEqualTo(12052180));
  }

  @Test
  void page_tokens_with_slash_and_plus_survive_the_round_trip() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    emu.addProducts(EmulatedProduct.catalog(30, 1, WH, 1, START.minus(Duration.ofDays(1)), Duration.ofSeconds(1)));
    client(emu, fast());
    var first = api.searchProducts(emu.shopCipher(), ProductFilter.all(), null, 10);
    assertThat(first.nextPageToken()).contains("+", "/");
    var second = api.searchProducts(emu.shopCipher(), ProductFilter.all(), first.nextPageToken(), 10);
    assertThat(second.products()).hasSize(10).extracting(TikTokShopApi.Product::id)
        .doesNotContainAnyElementsOf(first.products().stream().map(TikTokShopApi.Product::id).toList());
    assertThat(emu.requests().get(1).queryParameter("page_token")).isEqualTo(first.nextPageToken());
  }

  @Test
  void pushes_keep_other_warehouses_and_report_per_sku_refusals() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0)
        .warehouse(EmulatedWarehouse.sales("111", true))
        .warehouse(EmulatedWarehouse.sales("222", false)));
    emu.addProduct(EmulatedProduct.active("9001", START,
        new EmulatedSku("9001-a", "A", Map.of("111", 5L, "222", 8L)),
        EmulatedSku.of("9001-b", "B", "111", 2)));
    emu.addProduct(EmulatedProduct.active("9002", START, EmulatedSku.of("9002-a", "C", "222", 4)));
    emu.addProduct(new EmulatedProduct("9003", "Off", "SELLER_DEACTIVATED", START,
        List.of(EmulatedSku.of("9003-a", "D", "111", 1))));
    TikTokShopClient client = client(emu, fast());

    ShopQuantity aDefault = new ShopQuantity("9001", "9001-a", null, 11);
    ShopQuantity bDefault = new ShopQuantity("9001", "9001-b", null, 0);
    ShopQuantity cWrongWarehouse = new ShopQuantity("9002", "9002-a", "111", 3);
    ShopQuantity dInactive = new ShopQuantity("9003", "9003-a", null, 9);
    ShopQuantity unknown = new ShopQuantity("9001", "9001-zz", null, 1);
    ShopQuantity tooMany = new ShopQuantity("9001", "9001-b", "111", 100_000);
    ShopQuantity badId = new ShopQuantity("9001", "9001 b", null, 1);
    PushResult result =
        client.pushQuantities(List.of(aDefault, bDefault, cWrongWarehouse, dInactive, unknown, tooMany, badId));

    assertThat(result.accepted()).containsExactlyInAnyOrder(aDefault, bDefault);
    assertThat(result.failures()).extracting(f -> f.quantity().skuId() + ":" + f.code())
        .containsExactlyInAnyOrder("9002-a:" + TikTokShopClient.WAREHOUSE_NOT_ASSIGNED, "9003-a:12052901",
            "9001-zz:" + TikTokShopClient.SKU_NOT_FOUND, "9001-b:" + TikTokShopClient.QUANTITY_OUT_OF_RANGE,
            "9001 b:" + TikTokShopClient.INVALID_ID);
    assertThat(emu.quantity("9001-a", "111")).isEqualTo(11);
    assertThat(emu.quantity("9001-a", "222")).isEqualTo(8);
    assertThat(emu.quantity("9001-b", "111")).isZero();
    assertThat(emu.pushes()).extracting(PushRecord::skuId, PushRecord::warehouseId, PushRecord::quantity)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("9001-a", "111", 11L),
            org.assertj.core.groups.Tuple.tuple("9001-a", "222", 8L), org.assertj.core.groups.Tuple.tuple("9001-b", "111", 0L));
    // One inventory search for all products, one update per product that had something to send.
    assertThat(emu.requestCount("/product/{v}/inventory/search")).isEqualTo(1);
    assertThat(emu.requestCount("/product/{v}/products/{id}/inventory/update")).isEqualTo(2);
    assertThat(emu.requestCount("/logistics/{v}/warehouses")).isEqualTo(1);
    client.pushQuantities(List.of(new ShopQuantity("9001", "9001-b", null, 6)));
    assertThat(emu.requestCount("/logistics/{v}/warehouses")).as("default warehouse cached").isEqualTo(1);
    assertThat(emu.quantity("9001-b", "111")).isEqualTo(6);
  }

  @Test
  void orders_come_in_through_search_and_detail_with_line_items_counted_per_unit() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    emu.addProducts(EmulatedProduct.catalog(3, 2, WH, 10, START.minus(Duration.ofDays(1)), Duration.ofSeconds(1)));
    TikTokShopClient client = client(emu, fast().orderPageSize(2));
    String p0 = EmulatedProduct.generatedProductId(0);
    String s00 = EmulatedProduct.generatedSkuId(0, 0);
    String s01 = EmulatedProduct.generatedSkuId(0, 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      ids.add(emu.createOrder(List.of(new EmulatedOrder.Line(p0, s00, 2), new EmulatedOrder.Line(p0, s01, 1))));
    }
    clock.advance(Duration.ofSeconds(10));
    emu.cancelOrder(ids.get(1));
    assertThat(emu.totalQuantity(s00)).isEqualTo(10 - 4 * 2);

    List<ShopOrder> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      ShopOrderPage page = client.ordersUpdated(START, clock.instant().plusSeconds(1), token);
      seen.addAll(page.orders());
      token = page.nextPageToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).extracting(ShopOrder::orderId).containsExactlyInAnyOrderElementsOf(ids);
    ShopOrder cancelled = seen.stream().filter(o -> o.orderId().equals(ids.get(1))).findFirst().orElseThrow();
    assertThat(cancelled.state()).isEqualTo(OrderState.CANCELLED);
    assertThat(seen.get(seen.size() - 1).orderId()).as("oldest update first").isEqualTo(ids.get(1));

    List<String> wanted = new ArrayList<>(ids);
    wanted.add("576999999999999999");
    List<ShopOrder> detail = client.orders(wanted);
    assertThat(detail).hasSize(5);
    ShopOrder first = detail.stream().filter(o -> o.orderId().equals(ids.get(0))).findFirst().orElseThrow();
    assertThat(first.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(first.lines()).extracting(l -> l.skuId() + "x" + l.quantity()).containsExactly(s00 + "x2", s01 + "x1");

    var cancels = api.searchCancellations(emu.shopCipher(), START, clock.instant().plusSeconds(1), null, 10);
    assertThat(cancels.cancellations()).singleElement().satisfies(c -> {
      assertThat(c.orderId()).isEqualTo(ids.get(1));
      assertThat(c.cancelStatus()).isEqualTo("CANCELLATION_REQUEST_COMPLETE");
      assertThat(c.lineItems()).hasSize(3);
    });
    emu.returnOrder(ids.get(0), true);
    var returns = api.searchReturns(emu.shopCipher(), START, clock.instant().plusSeconds(1), null, 10);
    assertThat(returns.returns()).singleElement().satisfies(r -> assertThat(r.orderId()).isEqualTo(ids.get(0)));
  }

  @Test
  void order_detail_goes_in_chunks_of_50() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    emu.addProducts(EmulatedProduct.catalog(1, 1, WH, 1_000, START.minus(Duration.ofDays(1)), Duration.ofSeconds(1)));
    TikTokShopClient client = client(emu, fast());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      ids.add(emu.createOrder(List.of(new EmulatedOrder.Line(EmulatedProduct.generatedProductId(0),
          EmulatedProduct.generatedSkuId(0, 0), 1))));
    }
    assertThat(client.orders(ids)).hasSize(120);
    assertThat(emu.requestCount("/order/{v}/orders")).isEqualTo(3);
  }

  @Test
  void survives_seeded_random_faults_of_every_kind() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0).seed(7)
        .faults(Faults.builder()
            .rate(Fault.SERVER_ERROR, 0.05).rate(Fault.INTERNAL_ERROR, 0.05).rate(Fault.RATE_LIMITED, 0.05)
            .rate(Fault.DROP_CONNECTION, 0.05).rate(Fault.DROP_AFTER_APPLYING, 0.05).rate(Fault.MALFORMED_BODY, 0.05)
            .build()));
    emu.addProducts(EmulatedProduct.catalog(2_000, 1, WH, 5, START.minus(Duration.ofDays(3)), Duration.ofSeconds(60)));
    TikTokShopClient client = client(emu, fast().maxAttempts(8));

    assertThat(allSkus(client, 100, new ArrayList<>())).hasSize(2_000);
    List<ShopQuantity> push = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      push.add(new ShopQuantity(EmulatedProduct.generatedProductId(n), EmulatedProduct.generatedSkuId(n, 0), null, n));
    }
    PushResult result = client.pushQuantities(push);
    assertThat(result.failures()).isEmpty();
    for (int n = 0; n < 40; n++) {
      assertThat(emu.quantity(EmulatedProduct.generatedSkuId(n, 0), WH)).isEqualTo(n);
    }
    assertThat(sleeper.waits()).isNotEmpty();
    assertThat(emu.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS)).isPositive();
  }

  @Test
  void the_emulators_rate_limit_is_honoured_through_retry_after() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(5).retryAfter(Duration.ofSeconds(1)));
    emu.addProducts(EmulatedProduct.catalog(60, 1, WH, 5, START.minus(Duration.ofDays(3)), Duration.ofSeconds(60)));
    TikTokShopClient client = client(emu, fast());

    assertThat(allSkus(client, 5, new ArrayList<>())).hasSize(60);
    assertThat(emu.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS)).isPositive();
    assertThat(sleeper.waits()).isNotEmpty().allSatisfy(w -> assertThat(w).isEqualTo(Duration.ofSeconds(1)));
  }

  @Test
  void an_expired_access_token_is_refreshed_once_and_the_new_pair_stored() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    emu.addProducts(EmulatedProduct.catalog(5, 1, WH, 5, START.minus(Duration.ofDays(3)), Duration.ofSeconds(60)));
    TikTokShopClient client = client(emu, fast());
    String firstRefresh = emu.refreshToken();
    emu.expireAccessToken();

    assertThat(client.catalogPage(null, 10).skus()).hasSize(5);
    assertThat(emu.tokenRefreshCount()).isEqualTo(1);
    assertThat(stored).singleElement().satisfies(c -> {
      assertThat(c.accessToken()).isEqualTo(emu.accessToken());
      assertThat(c.refreshToken()).isEqualTo(emu.refreshToken()).isNotEqualTo(firstRefresh);
    });
    assertThat(emu.answeredWith(TikTokShopEmulator.TOKEN_EXPIRED)).isEqualTo(1);

    // Near expiry, the token is refreshed before any call is refused.
    clock.set(emu.accessTokenExpiresAt().minus(Duration.ofMinutes(1)));
    assertThat(client.catalogPage(null, 10).skus()).hasSize(5);
    assertThat(emu.tokenRefreshCount()).isEqualTo(2);
    assertThat(emu.answeredWith(TikTokShopEmulator.TOKEN_EXPIRED)).isEqualTo(1);
  }

  @Test
  void a_wrong_app_secret_is_refused_as_invalid_sign_without_retries() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey(emu.appKey()).appSecret("not-the-secret")
            .baseUrl(emu.baseUrl()).build())
        .httpClient(HTTP).clock(clock).sleeper(sleeper)
        .credentials(new TikTokCredentials(emu.accessToken(), START.plus(Duration.ofDays(1)), emu.refreshToken(),
            START.plus(Duration.ofDays(300))), TikTokTokenStore.NONE)
        .build();
    assertThatThrownBy(() -> api.authorizedShops())
        .isInstanceOfSatisfying(TikTokAuthException.class, e -> {
          assertThat(e.apiCode()).isEqualTo(106001);
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.requestId()).startsWith("2025EMU");
          assertThat(e.getMessage()).doesNotContain("not-the-secret", emu.accessToken());
        });
    assertThat(emu.totalRequests()).isEqualTo(1);
  }

  @Test
  void a_clock_out_of_the_timestamp_window_is_refused_as_invalid_parameter() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    TestClock skewed = new TestClock(START.minus(Duration.ofMinutes(6)));
    api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey(emu.appKey()).appSecret(emu.appSecret())
            .baseUrl(emu.baseUrl()).build())
        .httpClient(HTTP).clock(skewed).sleeper(sleeper)
        .credentials(new TikTokCredentials(emu.accessToken(), START.plus(Duration.ofDays(1)), emu.refreshToken(),
            START.plus(Duration.ofDays(300))), TikTokTokenStore.NONE)
        .build();
    assertThatThrownBy(() -> api.warehouses(emu.shopCipher()))
        .isInstanceOfSatisfying(TikTokInvalidRequestException.class, e -> assertThat(e.apiCode()).isEqualTo(36009004));
  }

  @Test
  void a_read_timeout_is_retried() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    TikTokShopClient client = client(emu, TikTokShopConfig.builder().qps(10_000).readTimeout(Duration.ofMillis(50)));
    emu.failNext(Fault.TIMEOUT);
    assertThat(client.defaultWarehouseId()).isEqualTo(WH);
    assertThat(emu.requestCount("/logistics/{v}/warehouses")).isEqualTo(2);
  }

  @Test
  void an_authorization_code_is_exchanged_for_tokens() {
    TikTokShopEmulator emu = emulator(TikTokShopEmulator.builder().qps(0));
    api = TikTokShopApi.builder(TikTokShopConfig.builder().appKey(emu.appKey()).appSecret(emu.appSecret())
            .baseUrl(emu.baseUrl()).authBaseUrl(emu.baseUrl()).build())
        .httpClient(HTTP).clock(clock).sleeper(sleeper).tokenStore(stored::add).build();
    assertThatThrownBy(() -> api.authorizedShops()).isInstanceOf(TikTokAuthException.class);
    TikTokCredentials creds = api.exchangeAuthorizationCode(emu.authCode());
    assertThat(creds.accessToken()).isEqualTo(emu.accessToken());
    assertThat(stored).containsExactly(creds);
    assertThat(api.authorizedShops()).singleElement().satisfies(s -> {
      assertThat(s.cipher()).isEqualTo(emu.shopCipher());
      assertThat(s.id()).isEqualTo(emu.shopId());
    });
    assertThat(emu.requests().get(emu.requests().size() - 1).queryParameter("shop_cipher")).isNull();
  }
}
