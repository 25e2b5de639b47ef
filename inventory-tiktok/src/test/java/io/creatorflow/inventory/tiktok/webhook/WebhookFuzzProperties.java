package io.creatorflow.inventory.tiktok.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.tiktok.InMemoryInbox;
import io.creatorflow.inventory.tiktok.TestClock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Random bodies and headers never make the verifier or handler throw, and never pass unsigned. */
class WebhookFuzzProperties {
  static final Set<Integer> DOCUMENTED = Set.of(200, 400, 401, 413);
  final TestClock clock = new TestClock(TikTokWebhookVerifierTest.OFFICIAL_TIME);
  final TikTokWebhookVerifier verifier = TikTokWebhookVerifier.builder().appKey("abcdef").appSecret("123")
      .clock(clock).maxBodyBytes(4096).build();
  final TikTokWebhookHandler handler = TikTokWebhookHandler.builder(verifier, new InMemoryInbox())
      .tenant(TenantId.of("t")).clock(clock).build();

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64),
        Arbitraries.just(TikTokWebhookVerifierTest.OFFICIAL_SIGNATURE),
        Arbitraries.just(""));
  }

  @Property(tries = 200, seed = "20250301")
  void random_bytes_and_headers_get_a_documented_rejection(
      @ForAll @Size(max = 5000) byte[] body, @ForAll("headers") String authorization) {
    WebhookResult r = handler.handle(body, authorization);
    assertThat(DOCUMENTED).contains(r.httpStatus());
    assertThat(r.verdict()).isIn(WebhookVerdict.REJECTED_SIGNATURE, WebhookVerdict.REJECTED_TOO_LARGE);
  }

  @Property(tries = 200, seed = "20250301")
  void correctly_signed_random_json_like_bodies_never_throw(@ForAll("jsonish") String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    WebhookResult r = handler.handle(body, Map.of("Authorization", List.of(WebhookSigning.sign("abcdef", "123", body))));
    assertThat(DOCUMENTED).contains(r.httpStatus());
    assertThat(r.verdict()).isNotIn(WebhookVerdict.REJECTED_SIGNATURE, WebhookVerdict.RETRY_LATER);
  }

  @Property(tries = 200, seed = "20250301")
  void any_change_to_a_signed_body_is_caught(@ForAll("positions") int position, @ForAll byte replacement) {
    byte[] body = TikTokWebhookVerifierTest.OFFICIAL_BODY.getBytes(StandardCharsets.UTF_8);
    byte[] changed = Arrays.copyOf(body, body.length);
    int at = position % body.length;
    changed[at] = (byte) (changed[at] == replacement ? replacement + 1 : replacement);
    assertThat(verifier.verify(changed, TikTokWebhookVerifierTest.OFFICIAL_SIGNATURE).verdict())
        .isEqualTo(WebhookVerdict.REJECTED_SIGNATURE);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40).map(s -> "\"" + s + "\""),
        Arbitraries.of("null", "true", "1.5e30", "{}", "[]", "\"\""));
    Arbitrary<String> data = Arbitraries.oneOf(Arbitraries.of("{}", "null", "[]", "1"),
        id.map(v -> "{\"order_id\":" + v + ",\"order_status\":\"CANCEL\"}"),
        id.map(v -> "{\"product_id\":" + v + ",\"quantity\":" + v + "}"));
    Arbitrary<String> envelope = net.jqwik.api.Combinators.combine(
            Arbitraries.of("1", "5", "11", "12", "27", "99", "-1", "\"1\"", "1e3", "99999999999"), id, id,
            Arbitraries.of("1718305585", "1718300000", "0", "-5", "\"x\"", "1e20"), data)
        .as((type, nid, shop, ts, d) -> "{\"type\":" + type + ",\"tts_notification_id\":" + nid + ",\"shop_id\":" + shop
            + ",\"timestamp\":" + ts + ",\"data\":" + d + "}");
    return Arbitraries.oneOf(envelope, Arbitraries.strings().ofMaxLength(200),
        envelope.map(s -> s.substring(0, s.length() / 2)));
  }
}
