package io.creatorflow.inventory.examples;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.sync.OrderPolicy.ReturnHandling;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link InventoryService} needs to start, read from environment variables (or a
 * properties file with the same keys). The defaults run the whole service on one machine with no
 * services and no credentials: an H2 file database under {@code DATA_DIR}, and the TikTok Shop
 * emulator with a demo catalog. The same service runs against a real TikTok Shop app and
 * PostgreSQL, MySQL/MariaDB or Redis by configuration alone.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code PORT}</td><td>8080</td><td>HTTP port; 0 picks a free one</td></tr>
 *   <tr><td>{@code HOST}</td><td>127.0.0.1</td><td>interface to listen on ({@code 0.0.0.0} for all)</td></tr>
 *   <tr><td>{@code DATA_DIR}</td><td>{@code data}</td><td>directory for the H2 database and TikTok tokens</td></tr>
 *   <tr><td>{@code TENANT}</td><td>{@code demo-creator}</td><td>the creator this service serves</td></tr>
 *   <tr><td>{@code TENANT_HEADER}</td><td>none</td><td>a request header that selects another tenant for REST calls</td></tr>
 *   <tr><td>{@code DATABASE_URL}</td><td>H2 file in {@code DATA_DIR}</td><td>{@code jdbc:h2:}, {@code jdbc:postgresql:},
 *       {@code jdbc:mysql:} or {@code jdbc:mariadb:} URL</td></tr>
 *   <tr><td>{@code DATABASE_USER}, {@code DATABASE_PASSWORD}</td><td>{@code sa} / empty for H2</td><td>credentials</td></tr>
 *   <tr><td>{@code DATABASE_POOL_SIZE}</td><td>10</td><td>HikariCP maximum pool size, 1 to 200</td></tr>
 *   <tr><td>{@code REDIS_URL}</td><td>none</td><td>{@code redis://} or {@code rediss://} URL; instead of a database</td></tr>
 *   <tr><td>{@code STORE_PREFIX}</td><td>store default</td><td>table prefix (JDBC) or key prefix (Redis)</td></tr>
 *   <tr><td>{@code CATALOG_INDEX_STALENESS}</td><td>1s</td><td>JDBC stores: product searches are answered from an
 *       in-memory catalog index that is exact for this instance's writes and at most this far behind other
 *       instances' (up to 1h; {@code 0s} checks the database on every search); {@code off} searches in SQL</td></tr>
 *   <tr><td>{@code SHOP}</td><td>{@code emulator}</td><td>{@code emulator} or {@code tiktok}</td></tr>
 *   <tr><td>{@code TIKTOK_*}</td><td></td><td>app key and secret, tokens, shop; see {@link TikTokSettings}</td></tr>
 *   <tr><td>{@code DEMO_SKUS}</td><td>300</td><td>SKUs in the emulator's demo catalog, 10 to 5,000</td></tr>
 *   <tr><td>{@code LOW_STOCK_THRESHOLD}</td><td>10</td><td>default low-stock threshold</td></tr>
 *   <tr><td>{@code CHANNEL_BUFFER}</td><td>0</td><td>units held back from the shop (safety stock)</td></tr>
 *   <tr><td>{@code ORDER_POLL_INTERVAL}</td><td>2m</td><td>how often orders are pulled to catch lost webhooks; {@code off}</td></tr>
 *   <tr><td>{@code RECONCILE_INTERVAL}</td><td>15m</td><td>how often the catalog is reconciled; {@code off}</td></tr>
 *   <tr><td>{@code INBOX_SWEEP_INTERVAL}</td><td>10s</td><td>how often unprocessed webhook events are retried</td></tr>
 *   <tr><td>{@code RETURNS}</td><td>{@code ignore}</td><td>completed returns: {@code ignore}, {@code record}
 *       (on the order) or {@code restock} (back on hand)</td></tr>
 *   <tr><td>{@code CHAT_WEBHOOK_URL}</td><td>none</td><td>alerts are also posted there ({@link ChatWebhookAlertSink})</td></tr>
 *   <tr><td>{@code CONFIG_FILE}</td><td>none</td><td>a properties file with these keys; environment variables win</td></tr>
 * </table>
 *
 * <p>Durations are {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT2M}).
 * {@link #toString()} masks every secret (passwords, tokens, the app secret, credentials inside URLs,
 * the chat webhook's path). Immutable.
 *
 * @param host the interface the HTTP server binds
 * @param port the HTTP port, 0 for an ephemeral one
 * @param dataDir where the embedded database and persisted tokens live
 * @param tenant the tenant the service acts for (webhooks, sync, and REST calls without a tenant header)
 * @param tenantHeader a header that, when a REST request carries it, names the tenant instead
 * @param databaseUrl the JDBC URL, or {@code null} when the store is Redis
 * @param databaseUser the database user, or {@code null}
 * @param databasePassword the database password, or {@code null}
 * @param databasePoolSize the connection pool's maximum size
 * @param redisUrl the Redis URL, or {@code null} when the store is a database
 * @param storePrefix the table or key prefix, or {@code null} for the store's default
 * @param catalogIndexStaleness how far behind other instances' writes the JDBC store's catalog index may
 *     be ({@code JdbcStockStore.Builder#catalogIndex}), or {@code null} to search in SQL
 * @param shop which shop the service syncs with
 * @param tiktok the real TikTok Shop app, present exactly when {@code shop} is {@link ShopKind#TIKTOK}
 * @param demoSkus how many SKUs the emulator's demo catalog has
 * @param lowStockThreshold the engine's default low-stock threshold
 * @param channelBuffer units held back from the shop
 * @param orderPollInterval how often orders are polled, or {@code null} for never
 * @param reconcileInterval how often the catalog is reconciled, or {@code null} for never (it still runs
 *     once at start-up)
 * @param inboxSweepInterval how often pending webhook events are retried
 * @param returns what a completed TikTok return of goods does to stock
 * @param chatWebhookUrl where alerts are posted as chat messages, or {@code null}
 */
public record ServiceConfig(
    String host,
    int port,
    Path dataDir,
    TenantId tenant,
    @Nullable String tenantHeader,
    @Nullable String databaseUrl,
    @Nullable String databaseUser,
    @Nullable String databasePassword,
    int databasePoolSize,
    @Nullable String redisUrl,
    @Nullable String storePrefix,
    @Nullable Duration catalogIndexStaleness,
    ShopKind shop,
    @Nullable TikTokSettings tiktok,
    int demoSkus,
    long lowStockThreshold,
    long channelBuffer,
    @Nullable Duration orderPollInterval,
    @Nullable Duration reconcileInterval,
    Duration inboxSweepInterval,
    ReturnHandling returns,
    @Nullable String chatWebhookUrl) {

  /** The default HTTP port. */
  public static final int DEFAULT_PORT = 8080;
  /** The default interface: loopback only, since the REST API has no authentication of its own. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The default data directory, relative to the working directory. */
  public static final String DEFAULT_DATA_DIR = "data";
  /** The default tenant. */
  public static final String DEFAULT_TENANT = "demo-creator";
  /** The default pool size. */
  public static final int DEFAULT_POOL_SIZE = 10;
  /** The default size of the emulator's demo catalog. */
  public static final int DEFAULT_DEMO_SKUS = 300;
  /** The default low-stock threshold. */
  public static final long DEFAULT_LOW_STOCK_THRESHOLD = 10;
  /** The default order poll interval. */
  public static final Duration DEFAULT_ORDER_POLL_INTERVAL = Duration.ofMinutes(2);
  /** The default reconciliation interval. */
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(15);
  /** The default inbox sweep interval. */
  public static final Duration DEFAULT_INBOX_SWEEP_INTERVAL = Duration.ofSeconds(10);
  /**
   * The default staleness of the catalog index: product lists reflect other instances' writes within
   * a second, this instance's at once.
   */
  public static final Duration DEFAULT_CATALOG_INDEX_STALENESS = Duration.ofSeconds(1);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
  private static final long MAX_QUANTITY = 1_000_000_000L;

  /** Which shop the service syncs with. */
  public enum ShopKind {
    /** The in-process TikTok Shop emulator, seeded with a demo catalog (needs no credentials). */
    EMULATOR,
    /** A real TikTok Shop app ({@code TIKTOK_*} variables). */
    TIKTOK
  }

  /** What kind of store the configuration selects. */
  public enum StoreKind {
    /** H2, embedded (the default: a file under the data directory). */
    H2,
    /** PostgreSQL. */
    POSTGRESQL,
    /** MySQL, through the MariaDB driver. */
    MYSQL,
    /** MariaDB. */
    MARIADB,
    /** Redis. */
    REDIS
  }

  /**
   * A real TikTok Shop app. Tokens refreshed while the service runs are kept in {@code
   * DATA_DIR/tiktok-tokens.properties} and used on the next start until the configured refresh token
   * changes.
   *
   * @param appKey {@code TIKTOK_APP_KEY}
   * @param appSecret {@code TIKTOK_APP_SECRET}
   * @param accessToken {@code TIKTOK_ACCESS_TOKEN}
   * @param accessTokenExpiresAt {@code TIKTOK_ACCESS_TOKEN_EXPIRES_AT} (ISO-8601 instant or Unix
   *     seconds); when absent the token is refreshed before its first use
   * @param refreshToken {@code TIKTOK_REFRESH_TOKEN}
   * @param refreshTokenExpiresAt {@code TIKTOK_REFRESH_TOKEN_EXPIRES_AT}; when absent assumed valid for
   *     a year
   * @param shopId {@code TIKTOK_SHOP_ID}: which authorized shop to serve (needed when the app is
   *     authorized for several); only its webhooks are accepted
   * @param apiBaseUrl {@code TIKTOK_API_BASE_URL}, the Open API host by default
   * @param authBaseUrl {@code TIKTOK_AUTH_BASE_URL}, the token host by default
   */
  public record TikTokSettings(
      String appKey,
      String appSecret,
      String accessToken,
      @Nullable Instant accessTokenExpiresAt,
      String refreshToken,
      @Nullable Instant refreshTokenExpiresAt,
      @Nullable String shopId,
      @Nullable String apiBaseUrl,
      @Nullable String authBaseUrl) {

    public TikTokSettings {
      Objects.requireNonNull(appKey, "appKey");
      Objects.requireNonNull(appSecret, "appSecret");
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
      return "TikTokSettings[appKey=" + appKey + ", appSecret=****, accessToken=****, accessTokenExpiresAt="
          + accessTokenExpiresAt + ", refreshToken=****, refreshTokenExpiresAt=" + refreshTokenExpiresAt
          + ", shopId=" + shopId + ", apiBaseUrl=" + apiBaseUrl + ", authBaseUrl=" + authBaseUrl + "]";
    }
  }

  /**
   * Checks the invariants the factory guarantees, for configurations built by hand.
   *
   * @throws IllegalArgumentException naming the first inconsistent value
   */
  public ServiceConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(shop, "shop");
    Objects.requireNonNull(inboxSweepInterval, "inboxSweepInterval");
    Objects.requireNonNull(returns, "returns");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if ((databaseUrl == null) == (redisUrl == null)) {
      throw new IllegalArgumentException("exactly one of databaseUrl and redisUrl must be set");
    }
    if ((shop == ShopKind.TIKTOK) != (tiktok != null)) {
      throw new IllegalArgumentException("TikTok settings are required with SHOP=tiktok and only then");
    }
    if (databasePoolSize < 1 || databasePoolSize > 200) {
      throw new IllegalArgumentException("databasePoolSize must be between 1 and 200, was " + databasePoolSize);
    }
    if (catalogIndexStaleness != null
        && (catalogIndexStaleness.isNegative() || catalogIndexStaleness.compareTo(Duration.ofHours(1)) > 0)) {
      throw new IllegalArgumentException("catalogIndexStaleness must be between 0 and 1 hour, was "
          + catalogIndexStaleness);
    }
  }

  /** Reads the configuration from the process environment (and {@code CONFIG_FILE}, if set). */
  public static ServiceConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Reads the configuration from {@code env}. If {@code env} names a {@code CONFIG_FILE}, its
   * properties are read first and {@code env} overrides them key by key.
   *
   * @throws IllegalArgumentException listing every invalid or missing value, one per line
   */
  public static ServiceConfig fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Map<String, String> values = new HashMap<>();
    List<String> errors = new ArrayList<>();
    String file = blankToNull(env.get("CONFIG_FILE"));
    if (file != null) {
      values.putAll(readProperties(Path.of(file), errors));
    }
    env.forEach((k, v) -> {
      if (k != null && v != null) {
        values.put(k, v);
      }
    });
    Reader r = new Reader(values, errors);

    int port = r.integer("PORT", DEFAULT_PORT, 0, 65_535);
    String host = r.text("HOST", DEFAULT_HOST);
    Path dataDir = Path.of(r.text("DATA_DIR", DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
    TenantId tenant = r.tenant("TENANT", DEFAULT_TENANT);
    String tenantHeader = r.optional("TENANT_HEADER");
    if (tenantHeader != null && !HEADER_NAME.matcher(tenantHeader).matches()) {
      errors.add("TENANT_HEADER must be an HTTP header name (letters, digits, '-'), was '" + tenantHeader + "'");
    }

    String databaseUrl = r.optional("DATABASE_URL");
    String redisUrl = r.optional("REDIS_URL");
    String databaseUser = r.optional("DATABASE_USER");
    String databasePassword = r.optional("DATABASE_PASSWORD");
    int poolSize = r.integer("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 200);
    if (databaseUrl != null && redisUrl != null) {
      errors.add("set DATABASE_URL or REDIS_URL, not both");
    }
    if (redisUrl == null) {
      if (databaseUrl == null) {
        databaseUrl = defaultH2Url(dataDir);
        if (databaseUser == null) {
          databaseUser = "sa";
        }
      } else if (jdbcKind(databaseUrl) == null) {
        errors.add("DATABASE_URL must start with jdbc:h2:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:, was '"
            + maskUrl(databaseUrl) + "'");
      }
    } else if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
      errors.add("REDIS_URL must start with redis:// or rediss://, was '" + maskUrl(redisUrl) + "'");
    } else {
      try {
        URI uri = new URI(redisUrl);
        if (uri.getHost() == null) {
          errors.add("REDIS_URL has no host: '" + maskUrl(redisUrl) + "'");
        }
      } catch (URISyntaxException e) {
        errors.add("REDIS_URL is not a valid URL: '" + maskUrl(redisUrl) + "'");
      }
      if (databaseUser != null || databasePassword != null) {
        errors.add("DATABASE_USER and DATABASE_PASSWORD apply to DATABASE_URL; put Redis credentials in REDIS_URL");
      }
    }
    String storePrefix = r.optional("STORE_PREFIX");
    if (storePrefix != null && !storePrefix.matches("[A-Za-z][A-Za-z0-9_]{0,29}")) {
      errors.add("STORE_PREFIX must start with a letter and hold up to 30 letters, digits or '_', was '"
          + storePrefix + "'");
    }

    Duration catalogIndex = r.duration("CATALOG_INDEX_STALENESS", DEFAULT_CATALOG_INDEX_STALENESS, true, Duration.ZERO);
    if (catalogIndex != null && catalogIndex.compareTo(Duration.ofHours(1)) > 0) {
      errors.add("CATALOG_INDEX_STALENESS must be at most 1h, or off, was '" + r.optional("CATALOG_INDEX_STALENESS")
          + "'");
    }

    ShopKind shop = r.choice("SHOP", ShopKind.class, ShopKind.EMULATOR);
    TikTokSettings tiktok = null;
    if (shop == ShopKind.TIKTOK) {
      tiktok = readTikTok(r);
    } else {
      for (String key : List.of("TIKTOK_APP_KEY", "TIKTOK_APP_SECRET", "TIKTOK_ACCESS_TOKEN", "TIKTOK_REFRESH_TOKEN")) {
        if (r.optional(key) != null) {
          errors.add(key + " is set but SHOP is 'emulator': set SHOP=tiktok to use a real TikTok Shop app");
          break;
        }
      }
    }
    int demoSkus = r.integer("DEMO_SKUS", DEFAULT_DEMO_SKUS, 10, 5_000);
    long threshold = r.integer("LOW_STOCK_THRESHOLD", DEFAULT_LOW_STOCK_THRESHOLD, 0, MAX_QUANTITY);
    long buffer = r.integer("CHANNEL_BUFFER", 0, 0, MAX_QUANTITY);
    Duration poll = r.duration("ORDER_POLL_INTERVAL", DEFAULT_ORDER_POLL_INTERVAL, true, Duration.ofSeconds(1));
    Duration reconcile = r.duration("RECONCILE_INTERVAL", DEFAULT_RECONCILE_INTERVAL, true, Duration.ofSeconds(10));
    Duration sweep = r.duration("INBOX_SWEEP_INTERVAL", DEFAULT_INBOX_SWEEP_INTERVAL, false, Duration.ofMillis(100));
    ReturnHandling returns = r.choice("RETURNS", ReturnHandling.class, ReturnHandling.IGNORE);
    String chat = r.optional("CHAT_WEBHOOK_URL");
    if (chat != null && !(chat.startsWith("https://") || chat.startsWith("http://"))) {
      errors.add("CHAT_WEBHOOK_URL must be an http:// or https:// URL, was '" + maskUrl(chat) + "'");
    } else if (chat != null && okhttp3.HttpUrl.parse(chat) == null) {
      errors.add("CHAT_WEBHOOK_URL is not a valid URL: '" + maskUrl(chat) + "'");
    }

    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
    return new ServiceConfig(host, port, dataDir, tenant, tenantHeader, redisUrl == null ? databaseUrl : null,
        redisUrl == null ? databaseUser : null, redisUrl == null ? databasePassword : null, poolSize, redisUrl,
        storePrefix, catalogIndex, shop, tiktok, demoSkus, threshold, buffer, poll, reconcile,
        Objects.requireNonNull(sweep), returns, chat);
  }

  private static TikTokSettings readTikTok(Reader r) {
    String appKey = r.required("TIKTOK_APP_KEY", "the app key from TikTok Shop Partner Center");
    String appSecret = r.required("TIKTOK_APP_SECRET", "the app secret from TikTok Shop Partner Center");
    String accessToken = r.required("TIKTOK_ACCESS_TOKEN", "the seller's access token");
    String refreshToken = r.required("TIKTOK_REFRESH_TOKEN", "the seller's refresh token");
    Instant accessExpiry = r.instant("TIKTOK_ACCESS_TOKEN_EXPIRES_AT");
    Instant refreshExpiry = r.instant("TIKTOK_REFRESH_TOKEN_EXPIRES_AT");
    String shopId = r.optional("TIKTOK_SHOP_ID");
    String api = r.url("TIKTOK_API_BASE_URL");
    String auth = r.url("TIKTOK_AUTH_BASE_URL");
    return new TikTokSettings(appKey == null ? "" : appKey, appSecret == null ? "" : appSecret,
        accessToken == null ? "" : accessToken, accessExpiry, refreshToken == null ? "" : refreshToken, refreshExpiry,
        shopId, api, auth);
  }

  /** The store the configuration selects. */
  public StoreKind storeKind() {
    if (redisUrl != null) {
      return StoreKind.REDIS;
    }
    StoreKind kind = jdbcKind(Objects.requireNonNull(databaseUrl));
    if (kind == null) {
      throw new IllegalStateException("unsupported DATABASE_URL scheme");
    }
    return kind;
  }

  /** A copy of this configuration listening on {@code port}. */
  public ServiceConfig withPort(int port) {
    return new ServiceConfig(host, port, dataDir, tenant, tenantHeader, databaseUrl, databaseUser, databasePassword,
        databasePoolSize, redisUrl, storePrefix, catalogIndexStaleness, shop, tiktok, demoSkus, lowStockThreshold,
        channelBuffer, orderPollInterval, reconcileInterval, inboxSweepInterval, returns, chatWebhookUrl);
  }

  /** The H2 URL of the embedded default: a file database in {@code dataDir}. */
  public static String defaultH2Url(Path dataDir) {
    // DB_CLOSE_ON_EXIT=FALSE: the service closes the pool itself, in order, in its shutdown hook.
    return "jdbc:h2:file:" + dataDir.resolve("inventory").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
  }

  private static @Nullable StoreKind jdbcKind(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:h2:")) {
      return StoreKind.H2;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return StoreKind.POSTGRESQL;
    }
    if (u.startsWith("jdbc:mysql:")) {
      return StoreKind.MYSQL;
    }
    if (u.startsWith("jdbc:mariadb:")) {
      return StoreKind.MARIADB;
    }
    return null;
  }

  /**
   * A URL with its user information and query replaced by {@code ****}, and for HTTP URLs its path
   * too (chat webhook URLs carry their secret in the path).
   */
  static String maskUrl(String url) {
    String masked = url.replaceAll("(?<=://)[^/@]*@", "****@");
    masked = masked.replaceAll("(?i)(password|pwd|secret|token|key)=[^&;]*", "$1=****");
    if (masked.startsWith("http://") || masked.startsWith("https://")) {
      int slash = masked.indexOf('/', masked.indexOf("://") + 3);
      if (slash >= 0) {
        masked = masked.substring(0, slash) + "/****";
      }
    }
    return masked;
  }

  @Override
  public String toString() {
    return "ServiceConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", tenant=" + tenant
        + ", tenantHeader=" + tenantHeader + ", databaseUrl=" + (databaseUrl == null ? null : maskUrl(databaseUrl))
        + ", databaseUser=" + databaseUser + ", databasePassword=" + (databasePassword == null ? null : "****")
        + ", databasePoolSize=" + databasePoolSize + ", redisUrl=" + (redisUrl == null ? null : maskUrl(redisUrl))
        + ", storePrefix=" + storePrefix + ", catalogIndexStaleness=" + catalogIndexStaleness + ", shop=" + shop
        + ", tiktok=" + tiktok + ", demoSkus=" + demoSkus
        + ", lowStockThreshold=" + lowStockThreshold + ", channelBuffer=" + channelBuffer + ", orderPollInterval="
        + orderPollInterval + ", reconcileInterval=" + reconcileInterval + ", inboxSweepInterval="
        + inboxSweepInterval + ", returns=" + returns + ", chatWebhookUrl=" + (chatWebhookUrl == null ? null : maskUrl(chatWebhookUrl)) + "]";
  }

  private static Map<String, String> readProperties(Path file, List<String> errors) {
    Properties p = new Properties();
    try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      errors.add("CONFIG_FILE '" + file + "' cannot be read: " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    p.forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Reads and validates values, collecting every error. */
  private static final class Reader {
    private final Map<String, String> values;
    private final List<String> errors;

    Reader(Map<String, String> values, List<String> errors) {
      this.values = values;
      this.errors = errors;
    }

    @Nullable String optional(String key) {
      return blankToNull(values.get(key));
    }

    String text(String key, String fallback) {
      String v = optional(key);
      return v == null ? fallback : v;
    }

    @Nullable String required(String key, String what) {
      String v = optional(key);
      if (v == null) {
        errors.add(key + " is required with SHOP=tiktok (" + what + ")");
      }
      return v;
    }

    long integer(String key, long fallback, long min, long max) {
      String v = optional(key);
      if (v == null) {
        return fallback;
      }
      try {
        long n = Long.parseLong(v);
        if (n < min || n > max) {
          errors.add(key + " must be between " + min + " and " + max + ", was " + n);
          return fallback;
        }
        return n;
      } catch (NumberFormatException e) {
        errors.add(key + " must be a whole number between " + min + " and " + max + ", was '" + v + "'");
        return fallback;
      }
    }

    int integer(String key, int fallback, int min, int max) {
      return (int) integer(key, (long) fallback, min, max);
    }

    TenantId tenant(String key, String fallback) {
      String v = text(key, fallback);
      try {
        return TenantId.of(v);
      } catch (InvalidRequestException e) {
        errors.add(key + " is not a valid tenant id: " + e.getMessage());
        return TenantId.of(fallback);
      }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
      String v = optional(key);
      if (v == null) {
        return fallback;
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(v)) {
          return e;
        }
      }
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(e.name().toLowerCase(Locale.ROOT));
      }
      errors.add(key + " must be one of " + names + ", was '" + v + "'");
      return fallback;
    }

    @Nullable Duration duration(String key, Duration fallback, boolean mayBeOff, Duration min) {
      String v = optional(key);
      if (v == null) {
        return fallback;
      }
      if (mayBeOff && v.equalsIgnoreCase("off")) {
        return null;
      }
      Duration d = parseDuration(v);
      if (d == null) {
        errors.add(key + " must be a duration such as 500ms, 10s, 2m, 1h or PT2M" + (mayBeOff ? ", or off" : "")
            + ", was '" + v + "'");
        return fallback;
      }
      if (d.compareTo(min) < 0) {
        errors.add(key + " must be at least " + min.toMillis() + " ms, was '" + v + "'");
        return fallback;
      }
      return d;
    }

    @Nullable Instant instant(String key) {
      String v = optional(key);
      if (v == null) {
        return null;
      }
      try {
        if (v.chars().allMatch(Character::isDigit) && v.length() <= 12) {
          return Instant.ofEpochSecond(Long.parseLong(v));
        }
        return Instant.parse(v);
      } catch (DateTimeParseException | NumberFormatException e) {
        errors.add(key + " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or Unix seconds, was '" + v + "'");
        return null;
      }
    }

    @Nullable String url(String key) {
      String v = optional(key);
      if (v != null && okhttp3.HttpUrl.parse(v) == null) {
        errors.add(key + " must be an http:// or https:// URL, was '" + v + "'");
        return null;
      }
      return v;
    }
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601; {@code null} if neither. */
  static @Nullable Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      return d.isNegative() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
