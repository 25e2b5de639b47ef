package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.testkit.tiktok.Faults;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokCredentials;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.TikTokShopConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The TikTok Shop emulator with a rate limit and injected latency, and the SDK's real client on it:
 * {@link TikTokShopApi} and {@link TikTokShopClient} over one OkHttp client whose sockets have Nagle's
 * algorithm off (a local server answers in two writes; Nagle plus delayed ACKs would add ~40 ms).
 */
final class ShopFixture implements AutoCloseable {
  // Held so that the level set on it is not garbage-collected with the logger.
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger("okhttp3.mockwebserver");

  final TikTokShopEmulator emulator;
  final OkHttpClient http;
  final TikTokShopApi api;
  final TikTokShopClient client;
  final int qps;
  final Duration latency;

  private ShopFixture(TikTokShopEmulator emulator, OkHttpClient http, TikTokShopApi api, int qps, Duration latency) {
    this.emulator = emulator;
    this.http = http;
    this.api = api;
    this.client = TikTokShopClient.builder(api, emulator.shopCipher()).build();
    this.qps = qps;
    this.latency = latency;
  }

  /** An emulator answering {@code qps} requests per second per endpoint, each after {@code latency}. */
  static ShopFixture start(int qps, Duration latency) {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    TikTokShopEmulator emulator = TikTokShopEmulator.builder()
        .qps(qps)
        .faults(Faults.builder().latency(latency).build())
        .start();
    OkHttpClient http = httpClient();
    TikTokShopApi api = api(emulator, http, qps);
    return new ShopFixture(emulator, http, api, qps, latency);
  }

  /** Another API on the same emulator (its own local rate limiter), for a baseline. */
  TikTokShopApi newApi() {
    return api(emulator, http, qps);
  }

  private static TikTokShopApi api(TikTokShopEmulator emulator, OkHttpClient http, int qps) {
    TikTokShopConfig config = TikTokShopConfig.builder()
        .appKey(emulator.appKey()).appSecret(emulator.appSecret())
        .baseUrl(emulator.baseUrl()).authBaseUrl(emulator.baseUrl())
        .qps(qps)
        .build();
    return TikTokShopApi.builder(config)
        .httpClient(http)
        .credentials(new TikTokCredentials(emulator.accessToken(), emulator.accessTokenExpiresAt(),
            emulator.refreshToken(), Instant.now().plus(Duration.ofDays(300))), c -> {})
        .build();
  }

  /** An OkHttp client for local servers: no Nagle, connections kept for many parallel calls. */
  static OkHttpClient httpClient() {
    return new OkHttpClient.Builder()
        .socketFactory(new NoDelaySocketFactory())
        .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
        .build();
  }

  @Override
  public void close() {
    try {
      api.close();
    } finally {
      try {
        emulator.close();
      } finally {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }
    }
  }

  /** Sockets with {@code TCP_NODELAY}. */
  static final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate = SocketFactory.getDefault();

    private static Socket noDelay(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
