package io.creatorflow.inventory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.OrderLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  @DisplayName("instants round-trip through epoch nanoseconds exactly, before and after 1970")
  void instants() {
    for (Instant i : List.of(Instant.EPOCH, Instant.parse("2025-01-01T00:00:00.123456789Z"),
        Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("2262-04-11T23:47:16.854775807Z"),
        Instant.parse("1677-09-21T00:12:43.145224192Z"))) {
      assertThat(Codec.instant(Codec.nanos(i))).isEqualTo(i);
    }
    assertThat(Codec.nanos(Instant.parse("2025-01-01T00:00:01Z")))
        .isGreaterThan(Codec.nanos(Instant.parse("2025-01-01T00:00:00.999999999Z")));
    assertThatThrownBy(() -> Codec.nanos(Instant.parse("2300-01-01T00:00:00Z")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("2300");
  }

  @Test
  @DisplayName("order lines round-trip, with any non-control character in a SKU")
  void orderLines() {
    List<OrderLine> lines = List.of(OrderLine.of("A", 1), OrderLine.of("B=2 ,;|\"'", 1_000_000_000L),
        OrderLine.of("ÄÖ-😀", 3));
    assertThat(Codec.decodeLines(Codec.encodeLines(lines))).isEqualTo(lines);
    assertThat(Codec.decodeLines(Codec.encodeLines(List.of()))).isEmpty();
  }

  @Test
  @DisplayName("LIKE patterns escape %, _ and the escape character, and lower-case like matchesText")
  void likePatterns() {
    assertThat(Codec.containsPattern("Tee")).isEqualTo("%tee%");
    assertThat(Codec.containsPattern("100%_!x")).isEqualTo("%100!%!_!!x%");
    assertThat(Codec.containsPattern("a\\b*")).isEqualTo("%a\\b*%");
    assertThat(Codec.searchForm("İSTANBUL")).isEqualTo("İSTANBUL".toLowerCase(java.util.Locale.ROOT));
  }
}
