package io.creatorflow.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Sku;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Fingerprints are stored with idempotency keys (in databases too), so the byte-writing encoder must
 * give exactly the digest of the original definition: SHA-256 of the UTF-8 of the fields' {@code
 * <length>:<toString()>} texts, {@code -1:} for null.
 */
class FingerprintTest {

  /** The original definition, kept as the reference. */
  private static String reference(String operation, @Nullable Object... fields) throws Exception {
    StringBuilder text = new StringBuilder();
    List<Object> all = new ArrayList<>();
    all.add(operation);
    all.addAll(java.util.Arrays.asList(fields));
    for (Object field : all) {
      if (field == null) {
        text.append("-1:");
      } else {
        String s = field.toString();
        text.append(s.length()).append(':').append(s);
      }
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void reservationsDigestAsTheirText() throws Exception {
    List<List<OrderLine>> cases = List.of(
        List.of(OrderLine.of("VIRAL-LIP-OIL", 1)),
        OrderLine.normalize(List.of(OrderLine.of("B", 3), OrderLine.of("A", 1_000_000_000), OrderLine.of("C", 12))),
        List.of(OrderLine.of("Crème brûlée ☕", 7)),
        List.of(OrderLine.of("emoji-\uD83D\uDE00-pair", 2)),
        List.of(OrderLine.of("lone-\uD83D-high", 9), OrderLine.of("lone-\uDE00-low", 10)));
    for (List<OrderLine> lines : cases) {
      for (String order : List.of("o-1", "o-63-1234567", "ordér-ü", "x\uD83D\uDE00")) {
        OrderId id = OrderId.of(order);
        assertThat(Fingerprint.of("reserve").add(id).addLines(lines).digest())
            .as("%s %s", order, lines)
            .isEqualTo(reference("reserve", id, lines))
            .isEqualTo(Fingerprint.of("reserve").add(id).add(lines).digest());
      }
    }
  }

  @Test
  void numbersNullsAndOtherFieldsDigestAsTheirText() throws Exception {
    Sku sku = Sku.of("SKU-1");
    for (long n : new long[] {0, 1, -1, 9, 10, -10, 99, 100, 1_000_000_000, -1_000_000_000, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1, 123_456_789_012L}) {
      assertThat(Fingerprint.of("adjust").add(sku).add(n).add(MovementType.IN).add(null).add("reason").digest())
          .as("%d", n)
          .isEqualTo(reference("adjust", sku, n, MovementType.IN, null, "reason"))
          .isEqualTo(Fingerprint.of("adjust").add(sku).add(Long.valueOf(n)).add(MovementType.IN).add(null)
              .add("reason").digest());
    }
    assertThat(Fingerprint.of("return").add(true).add(false).add(null).add("").digest())
        .isEqualTo(reference("return", true, false, null, ""));
  }

  @Test
  void longFieldsGrowTheBuffer() throws Exception {
    String longText = "é".repeat(300) + "a".repeat(500);
    assertThat(Fingerprint.of("count").add(longText).add(42L).add(longText).digest())
        .isEqualTo(reference("count", longText, 42L, longText));
  }

  @Test
  void fingerprintsBuiltAtOnceOnOneThreadDoNotShareText() throws Exception {
    Fingerprint outer = Fingerprint.of("outer").add("a");
    Fingerprint inner = Fingerprint.of("inner").add("b".repeat(400));
    outer.add("c".repeat(300));
    assertThat(inner.digest()).isEqualTo(reference("inner", "b".repeat(400)));
    assertThat(outer.digest()).isEqualTo(reference("outer", "a", "c".repeat(300)));
    Fingerprint abandoned = Fingerprint.of("abandoned").add("x");
    assertThat(Fingerprint.of("after").add(1L).digest()).isEqualTo(reference("after", 1L));
    assertThat(abandoned.add("y").digest()).isEqualTo(reference("abandoned", "x", "y"));
  }

  @Test
  void digestIsStableAndFinal() throws Exception {
    Fingerprint f = Fingerprint.of("once").add("field");
    String first = f.digest();
    Fingerprint.of("other").add("z").digest();
    assertThat(f.digest()).isEqualTo(first).isEqualTo(reference("once", "field"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.add("more"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void digestIsLowercaseHexOf32Bytes() {
    assertThat(Fingerprint.of("x").digest()).matches("[0-9a-f]{64}");
  }
}
