package io.creatorflow.inventory.benchmarks.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.creatorflow.inventory.benchmarks.Options;
import io.creatorflow.inventory.benchmarks.Result;
import io.creatorflow.inventory.benchmarks.Scenario;
import io.creatorflow.inventory.examples.InboxProcessor;
import io.creatorflow.inventory.examples.InventoryService;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Signed TikTok Shop order webhooks posted to {@code inventory-examples}' service ({@link
 * InventoryService} in this process, its default H2 file store and TikTok Shop emulator) by 16
 * concurrent senders: acknowledgements per second and acknowledgement latency. The service answers
 * after verifying the signature and recording the event in its durable inbox (one H2 insert), and
 * processes events afterwards on its own executor (fetching each order from the emulator and
 * reserving), which competes for the same two cores during the measurement.
 *
 * <p>Every webhook is an {@code ORDER_STATUS_CHANGE} with its own notification id (so none is a
 * duplicate) for one of a few hundred real orders created in the emulator beforehand.
 */
public final class WebhookScenario implements Scenario {
  static final int SENDERS = 16;
  private static final MediaType JSON = MediaType.get("application/json");

  @Override
  public String name() {
    return "webhooks";
  }

  @Override
  public List<Result> run(Context ctx) throws Exception {
    Options o = ctx.options();
    int orders = o.size(20, 300, 500);
    int warmup = o.size(100, 2_000, 5_000);
    int measured = o.size(200, 5_000, 20_000);
    OkHttpClient http = ShopFixture.httpClient();
    try (ServiceFixture fixture = ServiceFixture.start(Map.of())) {
      InventoryService service = fixture.service;
      TikTokShopEmulator emulator = service.emulator().orElseThrow();
      ctx.progress("webhooks: service at %s (%s); creating %d orders in the emulator", service.baseUrl(),
          fixture.storeDescription(), orders);
      List<String> orderIds = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        int n = 1 + i % 60;
        int k = i % 3;
        orderIds.add(emulator.createOrder(List.of(new EmulatedOrder.Line(EmulatedProduct.generatedProductId(n),
            EmulatedProduct.generatedSkuId(n, k), 1))));
      }
      Signer signer = new Signer(emulator.appKey(), emulator.appSecret(), service.shopId());
      String url = fixture.url(InventoryService.WEBHOOK_PATH);
      ClosedLoop.Call post = (client, seq) -> {
        byte[] body = signer.body(seq, orderIds.get((int) (seq % orderIds.size())));
        Request request = new Request.Builder().url(url)
            .header("Authorization", signer.sign(body))
            .post(RequestBody.create(body, JSON))
            .build();
        try (Response response = http.newCall(request).execute()) {
          return response.code() == 200;
        }
      };
      ctx.progress("webhooks: warm-up, %,d webhooks", warmup);
      ClosedLoop.run(SENDERS, warmup, Long.MAX_VALUE, (c, seq) -> post.call(c, 1_000_000_000L + seq));
      InboxProcessor inbox = service.inbox();
      inbox.awaitIdle(Duration.ofSeconds(o.size(10, 30, 60)));
      long processedBefore = inbox.stats().processed();
      ctx.progress("webhooks: %,d webhooks from %d senders", measured, SENDERS);
      ClosedLoop.Outcome outcome = ClosedLoop.run(SENDERS, measured, Long.MAX_VALUE, post);
      long processedDuring = inbox.stats().processed() - processedBefore;
      ctx.progress("webhooks: %,.0f acks/s, p50 %.2f ms, p99 %.2f ms, %d unexpected answers, %d processed meanwhile",
          outcome.perSecond(), outcome.latencies().percentileMillis(50), outcome.latencies().percentileMillis(99),
          outcome.unexpected(), processedDuring);
      String setting = String.format(Locale.ROOT, "%,d signed ORDER_STATUS_CHANGE webhooks, %d concurrent senders"
          + " (closed loop), OkHttp on loopback; service: %s, Jetty 12; %,d events processed during the run",
          measured, SENDERS, fixture.storeDescription(), processedDuring);
      List<Result> out = new ArrayList<>();
      out.add(Result.of("webhooks/h2/acks-per-second", outcome.perSecond(), "acks/s", setting));
      out.add(Result.of("webhooks/h2/ack-p50", outcome.latencies().percentileMillis(50), "ms", null));
      out.add(Result.of("webhooks/h2/ack-p99", outcome.latencies().percentileMillis(99), "ms",
          "limit: HMAC check + one inbox INSERT and commit in H2 per webhook, on 2 cores shared with the senders"
              + " and with event processing"));
      out.add(Result.of("webhooks/h2/non-200", outcome.unexpected(), "answers", "must be 0"));
      return out;
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /** Builds and signs webhook bodies as TikTok does: HMAC-SHA256(app secret, app key + body), hex. */
  static final class Signer {
    private final ObjectMapper mapper = new ObjectMapper();
    private final byte[] appKey;
    private final SecretKeySpec key;
    private final String shopId;
    private final ThreadLocal<Mac> macs;

    Signer(String appKey, String appSecret, String shopId) {
      this.appKey = appKey.getBytes(StandardCharsets.UTF_8);
      this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
      this.shopId = shopId;
      this.macs = ThreadLocal.withInitial(() -> {
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(key);
          return mac;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    byte[] body(long sequence, String orderId) throws Exception {
      long now = Instant.now().getEpochSecond();
      ObjectNode root = mapper.createObjectNode();
      root.put("type", 1);
      root.put("tts_notification_id", Long.toString(7_390_000_000_000_000_000L + sequence));
      root.put("shop_id", shopId);
      root.put("timestamp", now);
      ObjectNode data = root.putObject("data");
      data.put("is_on_hold_order", false);
      data.put("order_id", orderId);
      data.put("order_status", "AWAITING_SHIPMENT");
      data.put("update_time", now);
      return mapper.writeValueAsBytes(root);
    }

    String sign(byte[] body) {
      Mac mac = macs.get();
      mac.update(appKey);
      return HexFormat.of().formatHex(mac.doFinal(body));
    }
  }
}
