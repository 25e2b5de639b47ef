package io.creatorflow.inventory.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.AlertStatus;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How records are written to and read from Redis. The JVM writes JSON fragments with {@link
 * JsonText} (the scripts store them or complete them) and reads everything with Jackson.
 *
 * <ul>
 *   <li><b>SKU hash</b> ({@link RedisKeys.Tenant#sku}): {@code sk} encoded SKU, {@code d} definition
 *       JSON ({@code n} name, {@code l} location, {@code ls} listings as {@code [channel, product id,
 *       sku id]}), {@code th} threshold (absent = none), {@code bo} backorders {@code 1}/{@code 0},
 *       {@code qn}/{@code qs} lower-case name and SKU for search, {@code lf} listing index fields,
 *       {@code v} item version, {@code c}/{@code u} created/updated time keys, {@code oh} on hand,
 *       {@code rs} reserved, {@code lv} level version, {@code lu} level time key, {@code lo}/{@code
 *       oo} open low/out-of-stock alert sequence.
 *   <li><b>Ledger row</b>: JSON {@code s} sku, {@code t} type, {@code q} quantity, {@code r}
 *       reason, {@code f} reference, {@code a} actor, {@code k} idempotency key, {@code at} time key,
 *       {@code id}, {@code ob}/{@code oa} on hand before/after, {@code rb}/{@code ra} reserved
 *       before/after. The JVM writes everything up to {@code at}; the script appends the rest.
 *   <li><b>Order</b>: {@code <version>|<created time key>|<updated time key>|<JSON>} with JSON
 *       {@code i} id, {@code s} status, {@code l} lines and {@code r} returned as {@code [sku,
 *       quantity]}.
 *   <li><b>Alert</b>: JSON written by the scripts, every value a string (see {@code common.lua}).
 *   <li><b>Inbox record</b>: JSON {@code s} source, {@code i} event id, {@code r} received time key,
 *       {@code rm} received ms, {@code n} attempts, {@code e} last error, {@code x} processed.
 * </ul>
 *
 * <p>Instants keep nanosecond precision (see {@link TimeKeys}); every string keeps every UTF-16 code
 * unit (see {@link KeyCodec}, {@link JsonText}). Thread-safe.
 */
public final class Records {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Records() {}

  // ------------------------------------------------------------------ writing

  /** The definition JSON stored in a SKU hash. */
  public static String definitionJson(ItemDefinition def) {
    StringBuilder out = new StringBuilder(96);
    out.append("{\"n\":");
    JsonText.string(out, def.name());
    out.append(",\"l\":");
    JsonText.string(out, def.location().value());
    out.append(",\"ls\":[");
    for (int i = 0; i < def.listings().size(); i++) {
      ShopListing listing = def.listings().get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append('[');
      JsonText.string(out, listing.channel()).append(',');
      JsonText.string(out, listing.productId()).append(',');
      JsonText.string(out, listing.skuId()).append(']');
    }
    return out.append("]}").toString();
  }

  /** The listing index field of a channel SKU id. */
  public static String listingField(String channel, String channelSkuId) {
    return KeyCodec.encode(channel) + '\u0000' + KeyCodec.encode(channelSkuId);
  }

  /** The lower-case text {@link io.creatorflow.inventory.CatalogQuery#matchesText} compares. */
  public static String searchText(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** A ledger row up to (without) the fields the script appends. */
  public static String rowPrefix(LineChange change, @Nullable String idempotencyKey, String atKey) {
    StringBuilder out = new StringBuilder(128);
    out.append("{\"s\":");
    JsonText.string(out, change.sku().value());
    out.append(",\"t\":\"").append(change.type().name()).append("\",\"q\":").append(change.quantity());
    if (change.reason() != null) {
      JsonText.string(out.append(",\"r\":"), change.reason());
    }
    if (change.reference() != null) {
      JsonText.string(out.append(",\"f\":"), change.reference());
    }
    if (change.actor() != null) {
      JsonText.string(out.append(",\"a\":"), change.actor());
    }
    if (idempotencyKey != null) {
      JsonText.string(out.append(",\"k\":"), idempotencyKey);
    }
    return out.append(",\"at\":\"").append(atKey).append('"').toString();
  }

  /** The one-letter code of a movement type in ledger index members. */
  public static char typeCode(MovementType type) {
    return switch (type) {
      case IN -> 'I';
      case OUT -> 'O';
      case ADJUSTMENT -> 'A';
      case RESERVE -> 'R';
      case RELEASE -> 'L';
      case SYNC -> 'S';
    };
  }

  /** The JSON part of an order record. */
  public static String orderBody(OrderWrite write) {
    StringBuilder out = new StringBuilder(64);
    JsonText.string(out.append("{\"i\":"), write.id().value());
    out.append(",\"s\":\"").append(write.status().name()).append("\",\"l\":");
    lines(out, write.lines());
    out.append(",\"r\":");
    lines(out, write.returned());
    return out.append('}').toString();
  }

  private static void lines(StringBuilder out, List<OrderLine> lines) {
    out.append('[');
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      JsonText.string(out.append('['), lines.get(i).sku().value()).append(',').append(lines.get(i).quantity()).append(']');
    }
    out.append(']');
  }

  /** A new inbox record. */
  public static String inboxRecord(String source, String eventId, Instant receivedAt) {
    StringBuilder out = new StringBuilder(96);
    JsonText.string(out.append("{\"s\":"), KeyCodec.encode(source));
    JsonText.string(out.append(",\"i\":"), KeyCodec.encode(eventId));
    out.append(",\"r\":\"").append(TimeKeys.key(receivedAt)).append("\",\"rm\":\"")
        .append(TimeKeys.millis(receivedAt)).append("\",\"n\":\"0\"}");
    return out.toString();
  }

  /** The inbox field of an event: length-prefixed, so no source or id can collide with another. */
  public static String eventRef(String source, String eventId) {
    String s = KeyCodec.encode(source);
    return s.length() + ":" + s + ":" + KeyCodec.encode(eventId);
  }

  // ------------------------------------------------------------------ reading

  /** A hash returned by HGETALL inside a script (flat field, value list) as a map. */
  public static Map<String, String> hash(List<?> flat) {
    Map<String, String> out = new HashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return out;
  }

  public static CatalogItem item(TenantId tenant, Map<String, String> h) {
    JsonNode d = json(required(h, "d"));
    List<ShopListing> listings = new ArrayList<>();
    for (JsonNode l : d.get("ls")) {
      listings.add(new ShopListing(l.get(0).asText(), l.get(1).asText(), l.get(2).asText()));
    }
    String threshold = h.get("th");
    return new CatalogItem(
        tenant,
        sku(required(h, "sk")),
        d.get("n").asText(),
        Location.of(d.get("l").asText()),
        threshold == null ? null : Long.parseLong(threshold),
        "1".equals(h.get("bo")),
        listings,
        Long.parseLong(required(h, "v")),
        TimeKeys.parse(required(h, "c")),
        TimeKeys.parse(required(h, "u")));
  }

  public static StockLevel level(TenantId tenant, Map<String, String> h) {
    return level(tenant, sku(required(h, "sk")), required(h, "oh"), required(h, "rs"), required(h, "lv"), required(h, "lu"));
  }

  public static StockLevel level(TenantId tenant, Sku sku, String onHand, String reserved, String version, String at) {
    return new StockLevel(tenant, sku, Long.parseLong(onHand), Long.parseLong(reserved), Long.parseLong(version),
        TimeKeys.parse(at));
  }

  public static Sku sku(String encoded) {
    return Sku.of(KeyCodec.decode(encoded));
  }

  public static Movement movement(TenantId tenant, String row) {
    JsonNode m = json(row);
    return new Movement(
        m.get("id").asLong(),
        tenant,
        Sku.of(m.get("s").asText()),
        MovementType.valueOf(m.get("t").asText()),
        m.get("q").asLong(),
        m.get("ob").asLong(),
        m.get("oa").asLong(),
        m.get("rb").asLong(),
        m.get("ra").asLong(),
        text(m, "r"),
        text(m, "f"),
        text(m, "a"),
        text(m, "k"),
        TimeKeys.parse(m.get("at").asText()));
  }

  /** Ledger rows joined by newlines (as kept in an idempotency record). */
  public static List<Movement> movements(TenantId tenant, String rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Movement> out = new ArrayList<>();
    int from = 0;
    while (from <= rows.length()) {
      int end = rows.indexOf('\n', from);
      if (end < 0) {
        end = rows.length();
      }
      out.add(movement(tenant, rows.substring(from, end)));
      from = end + 1;
    }
    return out;
  }

  public static Order order(TenantId tenant, String value) {
    int a = value.indexOf('|');
    int b = value.indexOf('|', a + 1);
    int c = value.indexOf('|', b + 1);
    if (a < 0 || b < 0 || c < 0) {
      throw corrupt("order record", value);
    }
    JsonNode body = json(value.substring(c + 1));
    return new Order(
        tenant,
        OrderId.of(body.get("i").asText()),
        OrderStatus.valueOf(body.get("s").asText()),
        orderLines(body.get("l")),
        orderLines(body.get("r")),
        Long.parseLong(value, 0, a, 10),
        TimeKeys.parse(value.substring(a + 1, b)),
        TimeKeys.parse(value.substring(b + 1, c)));
  }

  private static List<OrderLine> orderLines(JsonNode lines) {
    List<OrderLine> out = new ArrayList<>(lines.size());
    for (JsonNode line : lines) {
      out.add(new OrderLine(Sku.of(line.get(0).asText()), line.get(1).asLong()));
    }
    return out;
  }

  /** An alert record; {@code ordinal} is the tenant's, which makes the id unique in the store. */
  public static Alert alert(TenantId tenant, long ordinal, String json) {
    JsonNode a = json(json);
    String resolvedAt = text(a, "ra");
    String resolvedBy = text(a, "rb");
    return new Alert(
        AlertIds.id(ordinal, Long.parseLong(a.get("id").asText())),
        tenant,
        sku(a.get("s").asText()),
        AlertKind.valueOf(a.get("k").asText()),
        AlertStatus.valueOf(a.get("st").asText()),
        Long.parseLong(a.get("av").asText()),
        Long.parseLong(a.get("th").asText()),
        TimeKeys.parse(a.get("oa").asText()),
        resolvedAt == null ? null : TimeKeys.parse(resolvedAt),
        resolvedBy == null ? null : KeyCodec.decode(resolvedBy),
        AlertEventType.valueOf(a.get("n").asText()),
        DeliveryState.valueOf(a.get("d").asText()),
        Integer.parseInt(a.get("na").asText()));
  }

  /** The encoded SKU of an alert record. */
  public static String alertSku(String json) {
    return json(json).get("s").asText();
  }

  public static InboxEvent inboxEvent(TenantId tenant, String record, String payload) {
    JsonNode e = json(record);
    String error = text(e, "e");
    return new InboxEvent(
        tenant,
        KeyCodec.decode(e.get("s").asText()),
        KeyCodec.decode(e.get("i").asText()),
        KeyCodec.decode(payload),
        TimeKeys.parse(e.get("r").asText()),
        Integer.parseInt(e.get("n").asText()),
        error == null ? null : KeyCodec.decode(error));
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String required(Map<String, String> h, String field) {
    String v = h.get(field);
    if (v == null) {
      throw corrupt("SKU hash without field '" + field + "'", h.toString());
    }
    return v;
  }

  private static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (JsonProcessingException e) {
      throw new StoreUnavailableException("unreadable record in Redis: " + abbreviate(s), e);
    }
  }

  private static StoreUnavailableException corrupt(String what, String value) {
    return new StoreUnavailableException("unreadable " + what + " in Redis: " + abbreviate(value), null);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
