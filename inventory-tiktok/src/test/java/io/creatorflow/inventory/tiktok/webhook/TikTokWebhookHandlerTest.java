package io.creatorflow.inventory.tiktok.webhook;

import static io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifierTest.OFFICIAL_BODY;
import static io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifierTest.OFFICIAL_SIGNATURE;
import static io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifierTest.OFFICIAL_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.testkit.tiktok.WebhookDelivery;
import io.creatorflow.inventory.tiktok.InMemoryInbox;
import io.creatorflow.inventory.tiktok.TestClock;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.CancellationStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.OrderStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.ReturnStatusChanged;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class TikTokWebhookHandlerTest {
  static final TenantId TENANT = TenantId.of("creator-1");
  final TestClock clock = new TestClock(OFFICIAL_TIME.plusSeconds(1));
  final InMemoryInbox inbox = new InMemoryInbox();
  final TikTokWebhookVerifier verifier =
      TikTokWebhookVerifier.builder().appKey("abcdef").appSecret("123").clock(clock).build();
  final TikTokWebhookHandler handler =
      TikTokWebhookHandler.builder(verifier, inbox).tenant(TENANT).clock(clock).build();

  static byte[] body() {
    return OFFICIAL_BODY.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void records_the_raw_payload_keyed_on_the_notification_id_and_answers_a_replay_as_duplicate() {
    WebhookResult first = handler.handle(body(), OFFICIAL_SIGNATURE);
    assertThat(first.verdict()).isEqualTo(WebhookVerdict.ACCEPTED);
    assertThat(inbox.pending(10)).singleElement().satisfies(e -> {
      assertThat(e.tenant()).isEqualTo(TENANT);
      assertThat(e.source()).isEqualTo("tiktok");
      assertThat(e.eventId()).isEqualTo("7380066284010030890");
      assertThat(e.payload()).isEqualTo(OFFICIAL_BODY);
      assertThat(e.receivedAt()).isEqualTo(clock.instant());
    });

    clock.advance(Duration.ofMinutes(2));
    WebhookResult replay = handler.handle(body(), OFFICIAL_SIGNATURE);
    assertThat(replay.verdict()).isEqualTo(WebhookVerdict.DUPLICATE);
    assertThat(replay.httpStatus()).isEqualTo(200);
    assertThat(replay.event()).isEqualTo(first.event());
    assertThat(inbox.size()).isEqualTo(1);
  }

  @Test
  void the_inbox_being_down_answers_503_so_tiktok_redelivers() {
    inbox.down(true);
    WebhookResult r = handler.handle(body(), OFFICIAL_SIGNATURE);
    assertThat(r.verdict()).isEqualTo(WebhookVerdict.RETRY_LATER);
    assertThat(r.httpStatus()).isEqualTo(503);
    inbox.down(false);
    assertThat(handler.handle(body(), OFFICIAL_SIGNATURE).verdict()).isEqualTo(WebhookVerdict.ACCEPTED);
  }

  @Test
  void unknown_types_and_unknown_shops_are_acknowledged_and_not_recorded() {
    String unknown = OFFICIAL_BODY.replace("\"type\":1", "\"type\":99");
    byte[] bytes = unknown.getBytes(StandardCharsets.UTF_8);
    WebhookResult r = handler.handle(bytes, WebhookSigning.sign("abcdef", "123", bytes));
    assertThat(r.verdict()).isEqualTo(WebhookVerdict.IGNORED);
    assertThat(r.httpStatus()).isEqualTo(200);

    TikTokWebhookHandler nobody = TikTokWebhookHandler.builder(verifier, inbox).tenantResolver(shop -> Optional.empty())
        .clock(clock).build();
    assertThat(nobody.handle(body(), OFFICIAL_SIGNATURE).verdict()).isEqualTo(WebhookVerdict.IGNORED);
    assertThat(inbox.size()).isZero();
  }

  @Test
  void rejections_record_nothing() {
    assertThat(handler.handle(body(), "0".repeat(64)).httpStatus()).isEqualTo(401);
    assertThat(handler.handle(body(), (String) null).httpStatus()).isEqualTo(401);
    assertThat(inbox.size()).isZero();
  }

  @Test
  void headers_are_matched_case_insensitively_and_repeated_signatures_refused() {
    assertThat(handler.handle(body(), Map.of("authorization", List.of(OFFICIAL_SIGNATURE))).verdict())
        .isEqualTo(WebhookVerdict.ACCEPTED);
    assertThat(handler.handle(body(), Map.of("Authorization", List.of(OFFICIAL_SIGNATURE, OFFICIAL_SIGNATURE))).verdict())
        .isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
    assertThat(handler.handle(body(), Map.of("X-Other", List.of("1"))).verdict()).isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
  }

  @Test
  void webhooks_from_the_emulator_verify_record_and_deduplicate_over_http() throws Exception {
    TestClock shopClock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
    TikTokWebhookVerifier v = TikTokWebhookVerifier.builder().appKey("emu-app-key").appSecret("emu-app-secret")
        .clock(shopClock).build();
    TikTokWebhookHandler h = TikTokWebhookHandler.builder(v, inbox).tenant(TENANT).clock(shopClock).build();
    List<WebhookResult> results = new CopyOnWriteArrayList<>();
    try (MockWebServer receiver = new MockWebServer()) {
      receiver.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          WebhookResult r = h.handle(request.getBody().readByteArray(), request.getHeader("Authorization"));
          results.add(r);
          return new MockResponse().setResponseCode(r.httpStatus());
        }
      });
      receiver.start();
      try (TikTokShopEmulator emu = TikTokShopEmulator.builder().clock(shopClock).numericWebhookIds(true)
          .webhookUrl(receiver.url("/webhooks/tiktok").toString()).start()) {
        emu.addProducts(EmulatedProduct.catalog(1, 1, emu.defaultWarehouseId(), 5, shopClock.instant(), Duration.ZERO));
        String orderId = emu.createOrder(List.of(new EmulatedOrder.Line(EmulatedProduct.generatedProductId(0),
            EmulatedProduct.generatedSkuId(0, 0), 2)));
        emu.cancelOrder(orderId);
        emu.returnOrder(orderId, false);
        List<WebhookDelivery> sent = emu.webhookDeliveries();
        assertThat(sent).hasSize(4).allSatisfy(d -> assertThat(d.httpStatus()).isEqualTo(200));
        WebhookDelivery again = emu.redeliver(sent.get(0).notificationId());
        assertThat(again.httpStatus()).isEqualTo(200);

        assertThat(results).extracting(WebhookResult::verdict).containsExactly(WebhookVerdict.ACCEPTED,
            WebhookVerdict.ACCEPTED, WebhookVerdict.ACCEPTED, WebhookVerdict.ACCEPTED, WebhookVerdict.DUPLICATE);
        assertThat(results.get(0).event()).isInstanceOfSatisfying(OrderStatusChanged.class, e -> {
          assertThat(e.orderId()).isEqualTo(orderId);
          assertThat(e.rawStatus()).isEqualTo("AWAITING_SHIPMENT");
        });
        assertThat(results.get(1).event()).isInstanceOf(CancellationStatusChanged.class);
        assertThat(results.get(2).event()).isInstanceOfSatisfying(OrderStatusChanged.class,
            e -> assertThat(e.rawStatus()).isEqualTo("CANCEL"));
        assertThat(results.get(3).event()).isInstanceOf(ReturnStatusChanged.class);
        assertThat(inbox.pending(10)).extracting(InboxEvent::eventId)
            .containsExactlyInAnyOrderElementsOf(sent.stream().map(WebhookDelivery::notificationId).toList());
      }
    }
  }
}
