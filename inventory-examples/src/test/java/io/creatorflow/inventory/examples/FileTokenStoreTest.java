package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.tiktok.TikTokCredentials;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {
  private final TikTokCredentials rotated = new TikTokCredentials("access-2", Instant.parse("2026-05-01T00:00:00Z"),
      "refresh-2", Instant.parse("2027-05-01T00:00:00Z"));

  @Test
  void keepsRotatedTokensForTheSameConfiguration(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens/tiktok-tokens.properties");
    FileTokenStore store = new FileTokenStore(file, "refresh-1");
    assertThat(store.load()).isEmpty();
    store.save(rotated);
    assertThat(new FileTokenStore(file, "refresh-1").load()).contains(rotated);
    assertThat(Files.readString(file)).doesNotContain("refresh-1");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(store.toString()).doesNotContain("access-2");
  }

  @Test
  void newConfiguredTokensWin(@TempDir Path dir) {
    Path file = dir.resolve("tiktok-tokens.properties");
    new FileTokenStore(file, "refresh-1").save(rotated);
    assertThat(new FileTokenStore(file, "refresh-after-reauthorization").load()).isEmpty();
  }

  @Test
  void incompleteFileIsIgnored(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tiktok-tokens.properties");
    new FileTokenStore(file, "refresh-1").save(rotated);
    String text = Files.readString(file).replaceAll("(?m)^access_token=.*$", "");
    Files.writeString(file, text);
    assertThat(new FileTokenStore(file, "refresh-1").load()).isEmpty();
  }
}
