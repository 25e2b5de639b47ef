package io.creatorflow.inventory.tiktok.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.tiktok.TestClock;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.CancellationStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.InventoryStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.OrderStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.ProductStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.ReturnStatusChanged;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookEvent.UnknownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TikTokWebhookVerifierTest {
  static final String OFFICIAL_BODY = "{\"type\":1,\"tts_notification_id\":\"7380066284010030890\",\"shop_id\":"
      + "\"7495540735365777507\",\"timestamp\":1718305585,\"data\":{\"is_on_hold_order\":true,\"order_id\":"
      + "\"576653688135258178\",\"order_status\":\"UNPAID\",\"update_time\":1718305585}}";
  static final String OFFICIAL_SIGNATURE = "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05";
  static final Instant OFFICIAL_TIME = Instant.ofEpochSecond(1_718_305_585);

  final TestClock clock = new TestClock(OFFICIAL_TIME.plusSeconds(3));
  final TikTokWebhookVerifier verifier =
      TikTokWebhookVerifier.builder().appKey("abcdef").appSecret("123").clock(clock).build();

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  WebhookResult signed(String body) {
    return verifier.verify(bytes(body), WebhookSigning.sign("abcdef", "123", bytes(body)));
  }

  static String envelope(int type, String data) {
    return "{\"type\":" + type + ",\"tts_notification_id\":\"7380066284010030891\",\"shop_id\":\"7495540735365777507\","
        + "\"timestamp\":1718305585,\"data\":" + data + "}";
  }

  @Test
  void the_official_example_verifies_and_parses() {
    WebhookResult r = verifier.verify(bytes(OFFICIAL_BODY), OFFICIAL_SIGNATURE);
    assertThat(r.verdict()).isEqualTo(WebhookVerdict.ACCEPTED);
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(r.event()).isInstanceOfSatisfying(OrderStatusChanged.class, e -> {
      assertThat(e.orderId()).isEqualTo("576653688135258178");
      assertThat(e.state()).isEqualTo(OrderState.UNPAID);
      assertThat(e.onHoldOrder()).isTrue();
      assertThat(e.updateTime()).isEqualTo(OFFICIAL_TIME);
      assertThat(e.envelope()).isEqualTo(new WebhookEnvelope(1, "7380066284010030890", "7495540735365777507", OFFICIAL_TIME));
    });
    assertThat(WebhookSigning.sign("abcdef", "123", bytes(OFFICIAL_BODY))).isEqualTo(OFFICIAL_SIGNATURE);
  }

  @Test
  void a_forged_body_is_rejected() {
    String forged = OFFICIAL_BODY.replace("UNPAID", "CANCEL");
    assertThat(verifier.verify(bytes(forged), OFFICIAL_SIGNATURE).verdict()).isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
  }

  @Test
  void a_truncated_body_or_signature_is_rejected() {
    byte[] body = bytes(OFFICIAL_BODY);
    assertThat(verifier.verify(Arrays.copyOf(body, body.length - 1), OFFICIAL_SIGNATURE).verdict())
        .isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
    WebhookResult shortSig = verifier.verify(body, OFFICIAL_SIGNATURE.substring(0, 63));
    assertThat(shortSig.verdict()).isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
    assertThat(shortSig.httpStatus()).isEqualTo(401);
    assertThat(shortSig.event()).isNull();
  }

  @Test
  void a_body_re_signed_with_another_key_is_rejected() {
    assertThat(verifier.verify(bytes(OFFICIAL_BODY), WebhookSigning.sign("abcdef", "124", bytes(OFFICIAL_BODY))).verdict())
        .isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
    assertThat(verifier.verify(bytes(OFFICIAL_BODY), WebhookSigning.sign("abcdeg", "123", bytes(OFFICIAL_BODY))).verdict())
        .isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
  }

  @Test
  void missing_empty_and_malformed_signatures_are_rejected() {
    for (String sig : new String[] {null, "", "   ", OFFICIAL_SIGNATURE.toUpperCase(), "sha256=" + OFFICIAL_SIGNATURE,
        OFFICIAL_SIGNATURE + "00", "zz" + OFFICIAL_SIGNATURE.substring(2)}) {
      assertThat(verifier.verify(bytes(OFFICIAL_BODY), sig).verdict()).as("signature %s", sig)
          .isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
    }
    assertThat(verifier.verify(bytes(OFFICIAL_BODY), " " + OFFICIAL_SIGNATURE + " ").verdict())
        .isEqualTo(WebhookVerdict.ACCEPTED);
  }

  @Test
  void an_oversized_body_is_rejected_before_anything_else() {
    TikTokWebhookVerifier small = TikTokWebhookVerifier.builder().appKey("abcdef").appSecret("123").clock(clock)
        .maxBodyBytes(1024).build();
    byte[] big = new byte[1025];
    WebhookResult r = small.verify(big, WebhookSigning.sign("abcdef", "123", big));
    assertThat(r.verdict()).isEqualTo(WebhookVerdict.REJECTED_TOO_LARGE);
    assertThat(r.httpStatus()).isEqualTo(413);
    assertThat(small.verify(bytes(OFFICIAL_BODY), OFFICIAL_SIGNATURE).verdict()).isEqualTo(WebhookVerdict.ACCEPTED);
  }

  @Test
  void stale_and_future_notifications_are_rejected() {
    clock.set(OFFICIAL_TIME.plus(TikTokWebhookVerifier.DEFAULT_TOLERANCE).plusSeconds(1));
    assertThat(verifier.verify(bytes(OFFICIAL_BODY), OFFICIAL_SIGNATURE).verdict()).isEqualTo(WebhookVerdict.REJECTED_STALE);
    clock.set(OFFICIAL_TIME.plus(Duration.ofHours(16)));
    assertThat(verifier.verify(bytes(OFFICIAL_BODY), OFFICIAL_SIGNATURE).verdict())
        .as("the last redelivery, ~15.5 h later, is still accepted").isEqualTo(WebhookVerdict.ACCEPTED);
    clock.set(OFFICIAL_TIME.minus(Duration.ofMinutes(6)));
    assertThat(verifier.verify(bytes(OFFICIAL_BODY), OFFICIAL_SIGNATURE).verdict()).isEqualTo(WebhookVerdict.REJECTED_STALE);
  }

  @Test
  void signed_but_malformed_bodies_are_rejected_with_400() {
    for (String body : new String[] {"", "{", "[]", "null", "{\"type\":\"1\"}", envelope(1, "{}"),
        envelope(1, "{\"order_id\":\"1\"}"), "{\"type\":1,\"shop_id\":\"1\",\"timestamp\":1718305585,\"data\":{}}",
        envelope(1, "[1]"), "{\"type\":1.5,\"tts_notification_id\":\"1\",\"shop_id\":\"1\",\"timestamp\":1718305585}"}) {
      WebhookResult r = signed(body);
      assertThat(r.verdict()).as(body).isEqualTo(WebhookVerdict.REJECTED_MALFORMED);
      assertThat(r.httpStatus()).isEqualTo(400);
    }
    byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    assertThat(verifier.verify(notUtf8, WebhookSigning.sign("abcdef", "123", notUtf8)).verdict())
        .isEqualTo(WebhookVerdict.REJECTED_MALFORMED);
  }

  @Test
  void unknown_types_are_accepted_as_unknown_events() {
    WebhookResult r = signed(envelope(6, "{\"message\":\"deauthorized\"}"));
    assertThat(r.verdict()).isEqualTo(WebhookVerdict.ACCEPTED);
    assertThat(r.event()).isInstanceOfSatisfying(UnknownEvent.class, e -> {
      assertThat(e.envelope().type()).isEqualTo(6);
      assertThat(e.data()).contains("deauthorized");
    });
  }

  @Test
  void ids_sent_as_numbers_beyond_2_pow_53_are_read_exactly() {
    String body = "{\"type\":1,\"tts_notification_id\":7380066284010030891,\"shop_id\":7495540735365777507,"
        + "\"timestamp\":1718305585,\"data\":{\"order_id\":576653688135258179,\"order_status\":\"CANCEL\"}}";
    WebhookResult r = signed(body);
    assertThat(r.event()).isInstanceOfSatisfying(OrderStatusChanged.class, e -> {
      assertThat(e.orderId()).isEqualTo("576653688135258179");
      assertThat(e.envelope().notificationId()).isEqualTo("7380066284010030891");
      assertThat(e.envelope().shopId()).isEqualTo("7495540735365777507");
      assertThat(e.state()).isEqualTo(OrderState.CANCELLED);
      assertThat(e.rawStatus()).isEqualTo("CANCEL");
    });
    assertThat(signed(envelope(1, "{\"order_id\":\"1\",\"order_status\":\"CANCELLED\"}")).event())
        .isInstanceOfSatisfying(OrderStatusChanged.class, e -> assertThat(e.state()).isEqualTo(OrderState.CANCELLED));
  }

  @Test
  void every_inventory_relevant_type_is_typed() {
    assertThat(signed(envelope(11, "{\"order_id\":\"576653688135258178\",\"cancellations_role\":\"BUYER\","
        + "\"cancel_status\":\"CANCELLATION_REQUEST_COMPLETE\",\"cancel_id\":577087614418520388,\"update_time\":1718305585}")).event())
        .isInstanceOfSatisfying(CancellationStatusChanged.class, e -> {
          assertThat(e.cancelId()).isEqualTo("577087614418520388");
          assertThat(e.cancelStatus()).isEqualTo("CANCELLATION_REQUEST_COMPLETE");
          assertThat(e.role()).isEqualTo("BUYER");
        });
    assertThat(signed(envelope(12, "{\"order_id\":\"1\",\"return_role\":\"BUYER\",\"return_type\":\"RETURN_AND_REFUND\","
        + "\"return_status\":\"RETURN_OR_REFUND_REQUEST_COMPLETE\",\"return_id\":\"4035318504086604100\"}")).event())
        .isInstanceOfSatisfying(ReturnStatusChanged.class, e -> {
          assertThat(e.returnId()).isEqualTo("4035318504086604100");
          assertThat(e.returnType()).isEqualTo("RETURN_AND_REFUND");
        });
    assertThat(signed(envelope(5, "{\"product_id\":1729592969712207008,\"status\":\"PLATFORM_DEACTIVATED\",\"update_time\":1}")).event())
        .isInstanceOfSatisfying(ProductStatusChanged.class, e -> {
          assertThat(e.productId()).isEqualTo("1729592969712207008");
          assertThat(e.status()).isEqualTo("PLATFORM_DEACTIVATED");
        });
    assertThat(signed(envelope(27, "{\"product_id\":\"1\",\"sku_id\":\"2\",\"warehouse_id\":\"3\",\"inventory_status\":"
        + "\"LOW_STOCK\",\"available_quantity\":4}")).event())
        .isInstanceOfSatisfying(InventoryStatusChanged.class, e -> {
          assertThat(e.skuId()).isEqualTo("2");
          assertThat(e.inventoryStatus()).isEqualTo("LOW_STOCK");
          assertThat(e.quantity()).isEqualTo(4);
        });
  }

  @Test
  void to_string_masks_the_secret() {
    assertThat(verifier.toString()).contains("appSecret=****").doesNotContain("=123");
  }
}
