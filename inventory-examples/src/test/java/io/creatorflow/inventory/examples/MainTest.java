package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code main} says when it cannot run. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) throws Exception {
    return InventoryService.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void help() throws Exception {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--demo");
  }

  @Test
  void unknownArgument() throws Exception {
    assertThat(run(Map.of(), "--dmeo")).isEqualTo(2);
    assertThat(err()).contains("unknown argument '--dmeo'");
  }

  @Test
  void invalidConfiguration() throws Exception {
    assertThat(run(Map.of("PORT", "http", "SHOP", "amazon", "LOG_LEVEL", "warn"))).isEqualTo(2);
    assertThat(err()).contains("PORT must be a whole number", "SHOP must be one of [emulator, tiktok]");
  }

  @Test
  void invalidLogLevel() throws Exception {
    assertThat(run(Map.of("LOG_LEVEL", "loud"))).isEqualTo(2);
    assertThat(err()).contains("LOG_LEVEL");
  }

  @Test
  void demoNeedsTheEmulator() throws Exception {
    Map<String, String> env = Map.of("SHOP", "tiktok", "TIKTOK_APP_KEY", "k", "TIKTOK_APP_SECRET", "s",
        "TIKTOK_ACCESS_TOKEN", "a", "TIKTOK_REFRESH_TOKEN", "r", "LOG_LEVEL", "warn");
    assertThat(run(env, "--demo")).isEqualTo(2);
    assertThat(err()).contains("--demo plays orders against the TikTok Shop emulator");
  }

  @Test
  void portInUse(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = TestServices.env(dir);
      env.put("PORT", Integer.toString(taken.getLocalPort()));
      env.put("LOG_LEVEL", "warn");
      assertThat(run(env)).isEqualTo(1);
      assertThat(err()).contains("could not start", Integer.toString(taken.getLocalPort()));
    }
  }
}
