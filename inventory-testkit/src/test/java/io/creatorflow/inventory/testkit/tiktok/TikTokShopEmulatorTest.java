package io.creatorflow.inventory.testkit.tiktok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator's own rules, exercised with a raw HTTP client. */
class TikTokShopEmulatorTest {
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  final OkHttpClient http = new OkHttpClient();
  final ObjectMapper mapper = new ObjectMapper();
  final TikTokShopEmulator emu = TikTokShopEmulator.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).qps(3).start();

  @AfterEach
  void close() {
    emu.close();
  }

  JsonNode call(String method, String path, Map<String, String> extra, String body, long timestamp, boolean signRight)
      throws IOException {
    Map<String, String> query = new TreeMap<>(extra);
    query.put("app_key", emu.appKey());
    query.put("timestamp", Long.toString(timestamp));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String sign = EmulatorSigner.requestSign(signRight ? emu.appSecret() : "wrong", path, query, bytes);
    HttpUrl.Builder url = HttpUrl.get(emu.baseUrl()).newBuilder().encodedPath(path);
    query.forEach(url::addQueryParameter);
    url.addQueryParameter("sign", sign);
    Request.Builder request = new Request.Builder().url(url.build()).header("x-tts-access-token", emu.accessToken());
    request.method(method, method.equals("GET") ? null : RequestBody.create(bytes, MediaType.get("application/json")));
    try (Response response = http.newCall(request.build()).execute()) {
      return mapper.readTree(response.body().bytes());
    }
  }

  @Test
  void the_signer_reproduces_the_official_examples() {
    assertThat(EmulatorSigner.requestSign("e59af819cc", "/authorization/202309/shops",
        Map.of("app_key", "29a39d", "timestamp", "1623812664", "sign", "x"), new byte[0]))
        .isEqualTo("b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8");
    byte[] body = ("{\"type\":1,\"tts_notification_id\":\"7380066284010030890\",\"shop_id\":\"7495540735365777507\","
        + "\"timestamp\":1718305585,\"data\":{\"is_on_hold_order\":true,\"order_id\":\"576653688135258178\","
        + "\"order_status\":\"UNPAID\",\"update_time\":1718305585}}").getBytes(StandardCharsets.UTF_8);
    assertThat(EmulatorSigner.webhookSignature("abcdef", "123", body))
        .isEqualTo("5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05");
  }

  @Test
  void checks_sign_timestamp_cipher_and_rate() throws IOException {
    long now = NOW.getEpochSecond();
    assertThat(call("GET", "/authorization/202309/shops", Map.of(), "", now, true).get("code").asLong()).isZero();
    assertThat(call("GET", "/authorization/202309/shops", Map.of(), "", now, false).get("code").asLong())
        .isEqualTo(TikTokShopEmulator.INVALID_SIGN);
    assertThat(call("GET", "/authorization/202309/shops", Map.of(), "", now - 301, true).get("code").asLong())
        .isEqualTo(TikTokShopEmulator.INVALID_PARAMETER);
    assertThat(call("GET", "/authorization/202309/shops", Map.of("shop_cipher", emu.shopCipher()), "", now, true)
        .get("code").asLong()).isEqualTo(TikTokShopEmulator.INVALID_PARAMETER);
    assertThat(call("GET", "/logistics/202309/warehouses", Map.of(), "", now, true).get("code").asLong())
        .isEqualTo(TikTokShopEmulator.INVALID_PARAMETER);
    Map<String, String> shop = Map.of("shop_cipher", emu.shopCipher());
    long[] codes = new long[4];
    for (int i = 0; i < 4; i++) {
      codes[i] = call("GET", "/logistics/202309/warehouses", shop, "", now, true).get("code").asLong();
    }
    assertThat(codes).containsExactly(0, 0, 0, TikTokShopEmulator.TOO_MANY_REQUESTS);
    assertThat(emu.requestCount("/logistics/{v}/warehouses")).isEqualTo(5);
  }

  @Test
  void pages_with_tokens_holding_slash_and_plus_that_belong_to_their_query() throws IOException {
    emu.addProducts(EmulatedProduct.catalog(3, 1, emu.defaultWarehouseId(), 1, NOW, Duration.ZERO));
    Map<String, String> q = Map.of("shop_cipher", emu.shopCipher(), "page_size", "2");
    JsonNode first = call("POST", "/product/202309/products/search", q, "{}", NOW.getEpochSecond(), true);
    String token = first.at("/data/next_page_token").asText();
    assertThat(token).contains("+", "/");
    assertThat(first.at("/data/total_count").asInt()).isEqualTo(3);
    JsonNode second = call("POST", "/product/202309/products/search", Map.of("shop_cipher", emu.shopCipher(),
        "page_size", "2", "page_token", token), "{}", NOW.getEpochSecond(), true);
    assertThat(second.at("/data/products").size()).isEqualTo(1);
    assertThat(second.at("/data/next_page_token").asText()).isEmpty();
    JsonNode otherQuery = call("POST", "/product/202309/products/search", Map.of("shop_cipher", emu.shopCipher(),
        "page_size", "2", "page_token", token), "{\"status\":\"DRAFT\"}", NOW.getEpochSecond(), true);
    assertThat(otherQuery.get("code").asLong()).isEqualTo(TikTokShopEmulator.INVALID_PARAMETER);
  }

  @Test
  void inventory_updates_follow_tiktoks_warehouse_rules_and_are_recorded() throws IOException {
    emu.addWarehouse(EmulatedWarehouse.sales("w2", false));
    emu.addProduct(EmulatedProduct.active("10", NOW,
        new EmulatedSku("s1", "A", Map.of(emu.defaultWarehouseId(), 1L, "w2", 2L))));
    Map<String, String> q = Map.of("shop_cipher", emu.shopCipher());
    String path = "/product/202309/products/10/inventory/update";
    JsonNode missing = call("POST", path, q, "{\"skus\":[{\"id\":\"s1\",\"inventory\":[{\"warehouse_id\":\"w2\",\"quantity\":5}]}]}",
        NOW.getEpochSecond(), true);
    assertThat(missing.get("code").asLong()).isZero();
    assertThat(missing.at("/data/errors/0/detail/sku_id").asText()).isEqualTo("s1");
    assertThat(emu.pushes()).isEmpty();
    JsonNode all = call("POST", path, q, "{\"skus\":[{\"id\":\"s1\",\"inventory\":[{\"warehouse_id\":\"w2\",\"quantity\":5},"
        + "{\"warehouse_id\":\"" + emu.defaultWarehouseId() + "\",\"quantity\":1}]}]}", NOW.getEpochSecond(), true);
    assertThat(all.at("/data/errors").size()).isZero();
    assertThat(emu.pushes()).extracting(PushRecord::warehouseId, PushRecord::quantity)
        .contains(org.assertj.core.groups.Tuple.tuple("w2", 5L));
    assertThat(emu.quantity("s1", "w2")).isEqualTo(5);
  }

  @Test
  void orders_move_stock_and_record_webhooks_even_without_a_receiver() {
    emu.addProducts(EmulatedProduct.catalog(1, 1, emu.defaultWarehouseId(), 10, NOW, Duration.ZERO));
    String p = EmulatedProduct.generatedProductId(0);
    String s = EmulatedProduct.generatedSkuId(0, 0);
    String id = emu.createOrder(List.of(new EmulatedOrder.Line(p, s, 3)));
    assertThat(emu.totalQuantity(s)).isEqualTo(7);
    emu.cancelOrder(id);
    assertThat(emu.totalQuantity(s)).isEqualTo(10);
    assertThat(emu.findOrder(id)).hasValueSatisfying(o -> assertThat(o.status()).isEqualTo("CANCELLED"));
    assertThat(emu.webhookDeliveries()).extracting(WebhookDelivery::type).containsExactly(1, 11, 1);
    assertThat(emu.webhookDeliveries()).allSatisfy(d -> assertThat(d.httpStatus()).isEqualTo(-1));
    assertThatThrownBy(() -> emu.cancelOrder(id)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void faults_are_validated() {
    assertThatThrownBy(() -> Faults.builder().rate(Fault.TIMEOUT, 0.7).rate(Fault.SERVER_ERROR, 0.7).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.4");
  }
}
