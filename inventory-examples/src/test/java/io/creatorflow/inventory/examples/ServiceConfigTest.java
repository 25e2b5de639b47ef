package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.examples.ServiceConfig.ShopKind;
import io.creatorflow.inventory.examples.ServiceConfig.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

  private static Map<String, String> tiktok() {
    Map<String, String> env = new HashMap<>();
    env.put("SHOP", "TikTok");
    env.put("TIKTOK_APP_KEY", "29a39d");
    env.put("TIKTOK_APP_SECRET", "e59af819cc");
    env.put("TIKTOK_ACCESS_TOKEN", "ROW_access_secret");
    env.put("TIKTOK_REFRESH_TOKEN", "ROW_refresh_secret");
    return env;
  }

  @Test
  @DisplayName("with no variables: the embedded default on port 8080")
  void defaults() {
    ServiceConfig c = ServiceConfig.fromEnvironment(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    assertThat(c.storeKind()).isEqualTo(StoreKind.H2);
    assertThat(c.databaseUrl()).startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("inventory"));
    assertThat(c.shop()).isEqualTo(ShopKind.EMULATOR);
    assertThat(c.tiktok()).isNull();
    assertThat(c.tenant().value()).isEqualTo("demo-creator");
    assertThat(c.demoSkus()).isEqualTo(300);
    assertThat(c.orderPollInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.inboxSweepInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.catalogIndexStaleness()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("CATALOG_INDEX_STALENESS: a duration up to an hour, 0s, or off")
  void catalogIndex() {
    assertThat(ServiceConfig.fromEnvironment(Map.of("CATALOG_INDEX_STALENESS", "250ms")).catalogIndexStaleness())
        .isEqualTo(Duration.ofMillis(250));
    assertThat(ServiceConfig.fromEnvironment(Map.of("CATALOG_INDEX_STALENESS", "0s")).catalogIndexStaleness())
        .isEqualTo(Duration.ZERO);
    assertThat(ServiceConfig.fromEnvironment(Map.of("CATALOG_INDEX_STALENESS", "off")).catalogIndexStaleness())
        .isNull();
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("CATALOG_INDEX_STALENESS", "2h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CATALOG_INDEX_STALENESS must be at most 1h, or off, was '2h'");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("CATALOG_INDEX_STALENESS", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CATALOG_INDEX_STALENESS must be a duration");
  }

  @Test
  void valuesAreRead() {
    Map<String, String> env = tiktok();
    env.putAll(Map.of("PORT", "0", "HOST", "0.0.0.0", "TENANT", "creator-42", "TENANT_HEADER", "X-Tenant-Id",
        "DATABASE_URL", "jdbc:postgresql://db:5432/inv", "DATABASE_USER", "inv", "DATABASE_PASSWORD", "pw",
        "ORDER_POLL_INTERVAL", "off", "RECONCILE_INTERVAL", "PT30M", "INBOX_SWEEP_INTERVAL", "500ms"));
    env.put("TIKTOK_ACCESS_TOKEN_EXPIRES_AT", "1767225600");
    env.put("TIKTOK_REFRESH_TOKEN_EXPIRES_AT", "2027-01-01T00:00:00Z");
    env.put("TIKTOK_SHOP_ID", "7495540735365777507");
    env.put("CHANNEL_BUFFER", "2");
    ServiceConfig c = ServiceConfig.fromEnvironment(env);
    assertThat(c.port()).isZero();
    assertThat(c.tenantHeader()).isEqualTo("X-Tenant-Id");
    assertThat(c.storeKind()).isEqualTo(StoreKind.POSTGRESQL);
    assertThat(c.orderPollInterval()).isNull();
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.inboxSweepInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.channelBuffer()).isEqualTo(2);
    assertThat(c.shop()).isEqualTo(ShopKind.TIKTOK);
    assertThat(c.tiktok().accessTokenExpiresAt()).isEqualTo(Instant.ofEpochSecond(1767225600));
    assertThat(c.tiktok().refreshTokenExpiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(c.tiktok().shopId()).isEqualTo("7495540735365777507");
    assertThat(ServiceConfig.fromEnvironment(Map.of("DATABASE_URL", "jdbc:mysql://h/db")).storeKind())
        .isEqualTo(StoreKind.MYSQL);
    assertThat(ServiceConfig.fromEnvironment(Map.of("DATABASE_URL", "jdbc:mariadb://h/db")).storeKind())
        .isEqualTo(StoreKind.MARIADB);
    ServiceConfig redis = ServiceConfig.fromEnvironment(Map.of("REDIS_URL", "redis://:pw@cache:6379/0"));
    assertThat(redis.storeKind()).isEqualTo(StoreKind.REDIS);
    assertThat(redis.databaseUrl()).isNull();
  }

  @Test
  @DisplayName("every invalid value is reported at once, by name")
  void validation() {
    Map<String, String> env = new HashMap<>(Map.of("PORT", "99999", "DEMO_SKUS", "five", "TENANT", "t".repeat(65),
        "DATABASE_URL", "jdbc:oracle:thin:@h", "SHOP", "shopify", "ORDER_POLL_INTERVAL", "soon",
        "INBOX_SWEEP_INTERVAL", "off", "CHAT_WEBHOOK_URL", "ftp://chat", "TENANT_HEADER", "X Tenant"));
    env.put("LOW_STOCK_THRESHOLD", "-1");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PORT must be between 0 and 65535, was 99999")
        .hasMessageContaining("DEMO_SKUS must be a whole number")
        .hasMessageContaining("TENANT is not a valid tenant id")
        .hasMessageContaining("DATABASE_URL must start with")
        .hasMessageContaining("SHOP must be one of [emulator, tiktok], was 'shopify'")
        .hasMessageContaining("ORDER_POLL_INTERVAL must be a duration")
        .hasMessageContaining("INBOX_SWEEP_INTERVAL must be a duration")
        .hasMessageContaining("CHAT_WEBHOOK_URL must be an http:// or https:// URL")
        .hasMessageContaining("TENANT_HEADER must be an HTTP header name")
        .hasMessageContaining("LOW_STOCK_THRESHOLD must be between 0");
  }

  @Test
  void conflictsAndMissingTikTokSettings() {
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("DATABASE_URL", "jdbc:h2:mem:x",
        "REDIS_URL", "redis://localhost")))
        .hasMessageContaining("set DATABASE_URL or REDIS_URL, not both");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("SHOP", "tiktok")))
        .hasMessageContaining("TIKTOK_APP_KEY is required with SHOP=tiktok")
        .hasMessageContaining("TIKTOK_APP_SECRET is required")
        .hasMessageContaining("TIKTOK_ACCESS_TOKEN is required")
        .hasMessageContaining("TIKTOK_REFRESH_TOKEN is required");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("TIKTOK_APP_KEY", "k")))
        .hasMessageContaining("set SHOP=tiktok");
    Map<String, String> badExpiry = tiktok();
    badExpiry.put("TIKTOK_ACCESS_TOKEN_EXPIRES_AT", "tomorrow");
    badExpiry.put("TIKTOK_API_BASE_URL", "not a url");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(badExpiry))
        .hasMessageContaining("TIKTOK_ACCESS_TOKEN_EXPIRES_AT must be an ISO-8601 instant")
        .hasMessageContaining("TIKTOK_API_BASE_URL must be an http:// or https:// URL");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("REDIS_URL", "redis://h", "DATABASE_USER", "u")))
        .hasMessageContaining("put Redis credentials in REDIS_URL");
  }

  @Test
  @DisplayName("toString masks passwords, tokens, the app secret and the chat webhook's path")
  void masksSecrets() {
    Map<String, String> env = tiktok();
    env.put("DATABASE_URL", "jdbc:postgresql://db/inv?user=inv&password=hunter2");
    env.put("DATABASE_PASSWORD", "hunter3");
    env.put("CHAT_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXSECRET");
    String text = ServiceConfig.fromEnvironment(env).toString();
    assertThat(text).doesNotContain("hunter2", "hunter3", "e59af819cc", "ROW_access_secret", "ROW_refresh_secret",
        "XXXXSECRET", "T000");
    assertThat(text).contains("29a39d", "https://hooks.slack.com/****", "password=****");
    String redis = ServiceConfig.fromEnvironment(Map.of("REDIS_URL", "redis://default:s3cret@cache:6379")).toString();
    assertThat(redis).doesNotContain("s3cret").contains("redis://****@cache:6379");
  }

  @Test
  @DisplayName("CONFIG_FILE supplies defaults that environment variables override")
  void configFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("service.properties");
    Files.writeString(file, "PORT=9090\nTENANT=from-file\nDEMO_SKUS=50\n");
    ServiceConfig c = ServiceConfig.fromEnvironment(Map.of("CONFIG_FILE", file.toString(), "TENANT", "from-env"));
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.demoSkus()).isEqualTo(50);
    assertThat(c.tenant().value()).isEqualTo("from-env");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of("CONFIG_FILE", dir.resolve("missing").toString())))
        .hasMessageContaining("CONFIG_FILE");
  }

  @Test
  void durations() {
    assertThat(ServiceConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ServiceConfig.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(ServiceConfig.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
    assertThat(ServiceConfig.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(ServiceConfig.parseDuration("pt90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ServiceConfig.parseDuration("-PT1S")).isNull();
    assertThat(ServiceConfig.parseDuration("10 minutes")).isNull();
  }
}
