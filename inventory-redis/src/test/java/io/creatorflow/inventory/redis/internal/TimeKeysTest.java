package io.creatorflow.inventory.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeKeysTest {
  @Test
  void extremesRoundTrip() {
    for (Instant i : new Instant[] {Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.EPOCH.minusNanos(1),
        Instant.parse("2024-06-01T12:00:00.123456789Z")}) {
      String key = TimeKeys.key(i);
      assertThat(key).hasSize(TimeKeys.LENGTH).containsOnlyDigits();
      assertThat(TimeKeys.parse(key)).isEqualTo(i);
    }
  }

  @Test
  void keysSortLikeInstants() {
    Random rnd = new Random(7);
    for (int n = 0; n < 50_000; n++) {
      Instant a = Instant.ofEpochSecond(rnd.nextLong() % 100_000_000_000L, rnd.nextInt(1_000_000_000));
      Instant b = rnd.nextBoolean() ? a.plusNanos(rnd.nextInt(3) - 1) : Instant.ofEpochSecond(rnd.nextLong() % 10_000, rnd.nextInt(1_000_000_000));
      assertThat(Integer.signum(TimeKeys.key(a).compareTo(TimeKeys.key(b)))).isEqualTo(Integer.signum(a.compareTo(b)));
      assertThat(TimeKeys.parse(TimeKeys.key(a))).isEqualTo(a);
    }
  }

  @Test
  void millisSaturate() {
    assertThat(TimeKeys.millis(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(TimeKeys.millis(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    assertThat(TimeKeys.millis(Instant.ofEpochMilli(-1).plusNanos(1))).isEqualTo(-1);
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> TimeKeys.parse("123")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeKeys.parse("x".repeat(27))).isInstanceOf(IllegalArgumentException.class);
  }
}
