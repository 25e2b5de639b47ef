package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertSink;
import io.creatorflow.inventory.testkit.AlertSinkCompatibilityKit;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The example chat sink against a MockWebServer chat service: the SDK's sink contract, and the message. */
class ChatWebhookAlertSinkTest extends AlertSinkCompatibilityKit {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient client = new OkHttpClient();
  private final MockWebServer chat = new MockWebServer();
  private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean failing;

  /** Started here: the kit creates the sink before this class's own set-up methods run. */
  ChatWebhookAlertSinkTest() throws IOException {
    chat.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (failing) {
          return new MockResponse().setResponseCode(503);
        }
        try {
          received.add(MAPPER.readTree(request.getBody().readUtf8()));
        } catch (IOException e) {
          return new MockResponse().setResponseCode(400);
        }
        return new MockResponse().setResponseCode(200).setBody("ok");
      }
    });
    chat.start();
  }

  @AfterEach
  void stopChat() throws IOException {
    chat.shutdown();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  protected AlertSink createSink() {
    return new ChatWebhookAlertSink(client, chat.url("/services/T1/B2/secret").toString());
  }

  @Override
  protected Optional<List<AlertEvent>> deliveredEvents(AlertSink sink) {
    List<AlertEvent> events = new ArrayList<>();
    synchronized (received) {
      for (JsonNode m : received) {
        JsonNode a = m.get("alert");
        Alert alert = new Alert(a.get("id").asLong(), TenantId.of(a.get("tenant").asText()), Sku.of(a.get("sku").asText()),
            AlertKind.valueOf(a.get("kind").asText().toUpperCase(java.util.Locale.ROOT)),
            a.has("resolved_at") ? io.creatorflow.inventory.AlertStatus.RESOLVED : io.creatorflow.inventory.AlertStatus.OPEN,
            a.get("available").asLong(), a.get("threshold").asLong(), Instant.parse(a.get("opened_at").asText()),
            a.has("resolved_at") ? Instant.parse(a.get("resolved_at").asText()) : null,
            a.has("resolved_by") ? a.get("resolved_by").asText() : null,
            AlertEventType.valueOf(a.get("event").asText().toUpperCase(java.util.Locale.ROOT)),
            io.creatorflow.inventory.DeliveryState.PENDING, 0);
        events.add(new AlertEvent(alert.notification(), alert));
      }
    }
    return Optional.of(events);
  }

  @Override
  protected boolean failDeliveries(AlertSink sink, boolean fail) {
    failing = fail;
    return true;
  }

  @Nested
  @DisplayName("the chat message")
  class Message {
    private final Alert low = Alert.open(17, TenantId.of("creator-42"), Sku.of("HOODIE-BLACK-M"), AlertKind.LOW_STOCK,
        3, 10, Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    @DisplayName("is JSON with a human text and the structured alert")
    void content() throws Exception {
      ChatWebhookAlertSink sink = (ChatWebhookAlertSink) createSink();
      sink.deliver(AlertEvent.opened(low));
      RecordedRequest request = chat.takeRequest();
      assertThat(request.getMethod()).isEqualTo("POST");
      assertThat(request.getPath()).isEqualTo("/services/T1/B2/secret");
      assertThat(request.getHeader("Content-Type")).startsWith("application/json");
      JsonNode m = received.get(0);
      assertThat(m.get("text").asText()).isEqualTo(":warning: LOW_STOCK for HOODIE-BLACK-M of creator-42: 3 available "
          + "(threshold 10)");
      assertThat(m.get("alert").get("id").asLong()).isEqualTo(17);
      assertThat(m.get("alert").get("event").asText()).isEqualTo("opened");
      assertThat(m.get("alert").get("kind").asText()).isEqualTo("low_stock");

      sink.deliver(AlertEvent.resolved(low.resolve(Instant.parse("2026-03-01T11:00:00Z"), "system")));
      JsonNode resolved = received.get(1);
      assertThat(resolved.get("text").asText()).contains("resolved by system");
      assertThat(resolved.get("alert").get("resolved_at").asText()).isEqualTo("2026-03-01T11:00:00Z");
    }

    @Test
    @DisplayName("fails the delivery on a non-2xx answer, so the engine retries it")
    void failure() {
      failing = true;
      ChatWebhookAlertSink sink = (ChatWebhookAlertSink) createSink();
      assertThatThrownBy(() -> sink.deliver(AlertEvent.opened(low))).isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 503");
    }

    @Test
    @DisplayName("never shows the webhook URL's secret path")
    void masked() {
      assertThat(createSink().toString()).doesNotContain("secret").contains("/****");
      assertThatThrownBy(() -> new ChatWebhookAlertSink(client, "mailto:x@y")).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
