package io.creatorflow.inventory.tiktok.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSignerTest {

  @Test
  void officialExampleFromTheTikTokDocumentation() {
    String sign = RequestSigner.sign("e59af819cc", "/authorization/202309/shops",
        Map.of("app_key", "29a39d", "timestamp", "1623812664"), null);
    assertThat(sign).isEqualTo("b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8");
  }

  @Test
  void signAndAccessTokenAreNotSigned() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("timestamp", "1623812664");
    query.put("sign", "whatever");
    query.put("access_token", "tok");
    query.put("app_key", "29a39d");
    assertThat(RequestSigner.sign("e59af819cc", "/authorization/202309/shops", query, null))
        .isEqualTo("b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8");
  }

  @Test
  void theBodyIsAppendedAsBytesAndAnEmptyBodyDiffersFromNone() {
    byte[] body = "{\"skus\":[]}".getBytes(StandardCharsets.UTF_8);
    String withBody = RequestSigner.sign("s3cr3t", "/p", Map.of("a", "1"), body);
    String expected = Hmacs.lowerHex(mac("s3cr3t", "s3cr3t/pa1{\"skus\":[]}s3cr3t"));
    assertThat(withBody).isEqualTo(expected);
    assertThat(RequestSigner.sign("s3cr3t", "/p", Map.of("a", "1"), new byte[0]))
        .isEqualTo(RequestSigner.sign("s3cr3t", "/p", Map.of("a", "1"), null));
  }

  @Test
  void valuesAreSignedDecodedAndKeysSortedByBytes() {
    Map<String, String> query = Map.of("page_token", "a/b+c==", "B", "2", "a", "1");
    String expected = Hmacs.lowerHex(mac("k", "k/xB2a1page_tokena/b+c==k"));
    assertThat(RequestSigner.sign("k", "/x", query, null)).isEqualTo(expected).matches("[0-9a-f]{64}");
  }

  @Test
  void backoffGrowsExponentiallyWithinItsCapAndRetryAfterReadsBothForms() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999999);
    assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(high.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(high.delay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(high.delay(9)).isEqualTo(Duration.ofMillis(1000));
    assertThat(low.delay(9)).isEqualTo(Duration.ofMillis(500));
    Clock clock = Clock.fixed(Instant.parse("2024-06-13T10:00:00Z"), ZoneOffset.UTC);
    assertThat(Backoff.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
    assertThat(Backoff.parseRetryAfter("Thu, 13 Jun 2024 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.parseRetryAfter("Thu, 13 Jun 2024 09:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.parseRetryAfter("soon", clock)).isNull();
    assertThat(Backoff.parseRetryAfter(null, clock)).isNull();
  }

  @Test
  void catalogCursorsRoundTripAndForeignTokensAreRefused() {
    CatalogCursor c = new CatalogCursor(10, 20, 30, 12_500, "+/+/b2Zmc2V0PTAK");
    assertThat(CatalogCursor.decode(c.encode())).isEqualTo(c);
    assertThat(c.encode()).doesNotContain("+", "/", "=");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CatalogCursor.decode("b2Zmc2V0PTAK"))
        .isInstanceOf(io.creatorflow.inventory.InvalidRequestException.class);
  }

  private static byte[] mac(String key, String message) {
    return Hmacs.hmacSha256(key).doFinal(message.getBytes(StandardCharsets.UTF_8));
  }
}
