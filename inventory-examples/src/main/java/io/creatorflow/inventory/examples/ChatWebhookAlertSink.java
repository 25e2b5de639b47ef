package io.creatorflow.inventory.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.spi.AlertSink;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An example of a custom {@link AlertSink}: posts each notification as a JSON message to a chat
 * webhook (Slack, Mattermost, Rocket.Chat and Discord's Slack-compatible endpoint all accept it).
 * The service enables it with {@code CHAT_WEBHOOK_URL}.
 *
 * <pre>{@code
 * POST <url>
 * {"text": ":warning: LOW_STOCK for HOODIE-BLACK-M of creator-42: 3 available (threshold 10)",
 *  "alert": {"id": 17, "event": "opened", "tenant": "creator-42", "sku": "HOODIE-BLACK-M",
 *            "kind": "low_stock", "available": 3, "threshold": 10, "opened_at": "2026-..."}}
 * }</pre>
 *
 * <p>Any answer but 2xx, and any I/O failure, is thrown, so the engine retries the delivery with
 * backoff; a notification may therefore be posted twice (delivery is at least once). Calls time out
 * after {@link #DEFAULT_TIMEOUT} so a hanging chat service cannot hold the alert executor. Thread-safe.
 * The OkHttp client is the host's; {@link #close()} releases nothing the sink did not create.
 */
public final class ChatWebhookAlertSink implements AlertSink, AutoCloseable {
  /** The call timeout unless the client given has a shorter one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient client;
  private final HttpUrl url;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @param client the host's shared client (the sink derives one with a call timeout from it)
   * @param url the chat service's incoming-webhook URL
   * @throws IllegalArgumentException if {@code url} is not an http(s) URL
   */
  public ChatWebhookAlertSink(OkHttpClient client, String url) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(url, "url");
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("the chat webhook URL is not an http(s) URL: " + ServiceConfig.maskUrl(url));
    }
    this.url = parsed;
    this.client = client.newBuilder().callTimeout(DEFAULT_TIMEOUT).build();
  }

  @Override
  public void deliver(AlertEvent event) throws IOException {
    byte[] body = mapper.writeValueAsBytes(message(event));
    Request request = new Request.Builder().url(url).post(RequestBody.create(body, JSON)).build();
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("the chat webhook answered HTTP " + response.code() + " for " + event.type()
            + " of alert " + event.alert().id());
      }
    }
  }

  /** The JSON message for a notification: a human {@code text} and the structured {@code alert}. */
  ObjectNode message(AlertEvent event) {
    Alert a = event.alert();
    ObjectNode root = mapper.createObjectNode();
    root.put("text", text(event));
    ObjectNode alert = root.putObject("alert");
    alert.put("id", a.id());
    alert.put("event", event.type().name().toLowerCase(java.util.Locale.ROOT));
    alert.put("tenant", a.tenant().value());
    alert.put("sku", a.sku().value());
    alert.put("kind", a.kind().name().toLowerCase(java.util.Locale.ROOT));
    alert.put("available", a.availableAtOpen());
    alert.put("threshold", a.threshold());
    alert.put("opened_at", a.openedAt().toString());
    if (a.resolvedAt() != null) {
      alert.put("resolved_at", a.resolvedAt().toString());
      alert.put("resolved_by", a.resolvedBy());
    }
    return root;
  }

  private static String text(AlertEvent event) {
    Alert a = event.alert();
    if (event.type() == AlertEventType.RESOLVED) {
      return ":white_check_mark: " + a.kind() + " for " + a.sku() + " of " + a.tenant() + " resolved"
          + (a.resolvedBy() == null ? "" : " by " + a.resolvedBy());
    }
    String icon = a.kind() == AlertKind.OUT_OF_STOCK ? ":rotating_light: " : ":warning: ";
    return icon + a.kind() + " for " + a.sku() + " of " + a.tenant() + ": " + a.availableAtOpen() + " available"
        + (a.kind() == AlertKind.LOW_STOCK ? " (threshold " + a.threshold() + ")" : "");
  }

  @Override
  public String name() {
    return "chat-webhook";
  }

  /** Nothing to release: connections belong to the host's client. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "ChatWebhookAlertSink[" + ServiceConfig.maskUrl(url.toString()) + "]";
  }
}
