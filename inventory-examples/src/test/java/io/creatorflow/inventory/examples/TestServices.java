package io.creatorflow.inventory.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Starting the service for a test, and talking to it over HTTP. */
final class TestServices {
  private TestServices() {}

  /** A small, quiet, fast configuration on an ephemeral port with its data in {@code dir}. */
  static Map<String, String> env(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("DATA_DIR", dir.toString());
    env.put("DEMO_SKUS", "30");
    env.put("ORDER_POLL_INTERVAL", "off");
    env.put("RECONCILE_INTERVAL", "off");
    env.put("INBOX_SWEEP_INTERVAL", "200ms");
    return env;
  }

  static InventoryService start(Path dir) throws Exception {
    return InventoryService.start(ServiceConfig.fromEnvironment(env(dir)));
  }

  static InventoryService start(Map<String, String> env) throws Exception {
    return InventoryService.start(ServiceConfig.fromEnvironment(env));
  }

  /** The webhook signature TikTok computes: lowercase hex HMAC-SHA256(secret, appKey + body). */
  static String sign(String appKey, String appSecret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(appKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body parsed as JSON when it is JSON. */
  record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse("");
    }

    String body() {
      return raw.body();
    }
  }

  /** A client for one service. */
  static final class Client {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    Client(URI base) {
      this.base = base;
    }

    Client(InventoryService service) {
      this(URI.create("http://127.0.0.1:" + service.port() + "/"));
    }

    Reply get(String path, String... headers) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
      if (headers.length > 0) {
        b.headers(headers);
      }
      return send(b.build());
    }

    Reply postJson(String path, String json, String... headers) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json));
      if (headers.length > 0) {
        b.headers(headers);
      }
      return send(b.build());
    }

    Reply send(HttpRequest request) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json = MAPPER.missingNode();
      if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        json = MAPPER.readTree(r.body());
      }
      return new Reply(r.statusCode(), r, json);
    }

    URI uri(String path) {
      return base.resolve(path);
    }
  }
}
