package io.creatorflow.inventory.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  @Test
  void ordinaryTextIsUnchanged() {
    for (String s : new String[] {"", "HOODIE-M", "a:b{c}%", "Zoë", "日本語", "\u00FF\uCFFF"}) {
      assertThat(KeyCodec.encode(s)).isSameAs(s);
      assertThat(KeyCodec.decode(s)).isSameAs(s);
    }
  }

  @Test
  void randomStringsRoundTripAsValidUtf8AndKeepJavaOrder() {
    Random rnd = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      String a = random(rnd);
      String b = random(rnd);
      String ea = KeyCodec.encode(a);
      String eb = KeyCodec.encode(b);
      assertThat(KeyCodec.decode(ea)).isEqualTo(a);
      byte[] ua = ea.getBytes(StandardCharsets.UTF_8);
      assertThat(new String(ua, StandardCharsets.UTF_8)).as("valid UTF-8 round trip").isEqualTo(ea);
      int javaOrder = Integer.signum(a.compareTo(b));
      int byteOrder = Integer.signum(Arrays.compareUnsigned(ua, eb.getBytes(StandardCharsets.UTF_8)));
      assertThat(byteOrder).as("order of %s and %s", escape(a), escape(b)).isEqualTo(javaOrder);
    }
  }

  @Test
  void rejectsStringsItNeverProduces() {
    assertThatThrownBy(() -> KeyCodec.decode("\uE000")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCodec.decode("\uE000x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCodec.decode("\uFFFF")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String random(Random rnd) {
    char[] pool = {'a', 'b', '\u00E9', '\uCFFF', '\uD000', '\uD7FF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000',
        '\uE02F', '\uFF21', '\uFFFD', '\uFFFF', '\u0100', '\u01FF', ':', '{'};
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(4) == 0) {
        sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000));
      } else {
        sb.append(pool[rnd.nextInt(pool.length)]);
      }
    }
    return sb.toString();
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(String.format("\\u%04X", c)));
    return out.toString();
  }
}
