package io.creatorflow.inventory.testkit.tiktok;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.jspecify.annotations.Nullable;

/**
 * An in-process TikTok Shop Open API for tests: a {@link MockWebServer} whose dispatcher serves the
 * endpoints the SDK uses over an in-memory shop (products, SKUs, warehouses, orders, cancellations,
 * returns), behaving like the real API where it matters to a client:
 *
 * <ul>
 *   <li>every request's {@code sign} is recomputed (with this class's own implementation) and a
 *       mismatch answers {@code 106001}; a {@code timestamp} outside now − 5 min … now + 30 s, a
 *       missing parameter or a {@code shop_cipher} where the endpoint takes none answers {@code
 *       36009004}; an unknown access token {@code 105001}, an expired one {@code 105002};
 *   <li>requests per second per endpoint are limited ({@link Builder#qps}; the second is the
 *       emulator clock's), answering HTTP 429 / {@code 36009002} with {@code Retry-After};
 *   <li>searches page with opaque tokens that always contain {@code /} and {@code +}, so a client that
 *       does not URL-encode them, or signs them encoded, fails; product search refuses to page past
 *       {@link Builder#maxSearchResults} ({@code 12052180});
 *   <li>update-inventory enforces TikTok's rules (product {@code ACTIVATE}, every warehouse of a SKU
 *       listed and no other, quantities 0 to 99,999) with per-SKU {@code data.errors}, and records
 *       what it applied ({@link #pushes()});
 *   <li>optional random faults and latency ({@link Faults}, seeded) and scripted ones ({@link
 *       #failNext});
 *   <li>orders created, cancelled or returned through this class send signed webhooks to {@link
 *       Builder#webhookUrl}, synchronously, recorded in {@link #webhookDeliveries()}.
 * </ul>
 *
 * The token endpoints ({@code /api/v2/token/get}, {@code /api/v2/token/refresh}) are served by the
 * same server, so both {@code baseUrl} and {@code authBaseUrl} of a client point at {@link #baseUrl()}.
 * Product search is linear in the catalog size and cheap for catalogs of tens of thousands of SKUs.
 *
 * <p>Thread-safe: the server's threads and the test thread share state under one lock. Close it to
 * stop the server.
 */
public final class TikTokShopEmulator implements AutoCloseable {
  /** The code for an invalid sign. */
  public static final long INVALID_SIGN = 106001;
  /** The code for an invalid parameter (timestamp, page token, shop cipher, ...). */
  public static final long INVALID_PARAMETER = 36009004;
  /** The code for too many requests. */
  public static final long TOO_MANY_REQUESTS = 36009002;
  /** The code for an internal error. */
  public static final long INTERNAL_ERROR = 36009003;
  /** The code for an unknown access token. */
  public static final long INVALID_TOKEN = 105001;
  /** The code for an expired access token. */
  public static final long TOKEN_EXPIRED = 105002;
  /** The code for paging past the search-result cap. */
  public static final long SEARCH_CAP_EXCEEDED = 12052180;

  private static final MediaType JSON = MediaType.get("application/json");
  private static final byte[] TOKEN_MAGIC = {(byte) 0xFB, (byte) 0xFF, (byte) 0xBF};
  private static final Pattern TEMPLATE_VAR = Pattern.compile("\\{[^/}]+\\}");

  private enum Route {
    SHOPS("GET", "^/authorization/\\d{6}/shops$", false),
    SEARCH_PRODUCTS("POST", "^/product/\\d{6}/products/search$", true),
    SEARCH_INVENTORY("POST", "^/product/\\d{6}/inventory/search$", true),
    UPDATE_INVENTORY("POST", "^/product/\\d{6}/products/([^/]+)/inventory/update$", true),
    GET_PRODUCT("GET", "^/product/\\d{6}/products/([^/]+)$", true),
    WAREHOUSES("GET", "^/logistics/\\d{6}/warehouses$", true),
    ORDER_DETAIL("GET", "^/order/\\d{6}/orders$", true),
    SEARCH_ORDERS("POST", "^/order/\\d{6}/orders/search$", true),
    SEARCH_CANCELLATIONS("POST", "^/return_refund/\\d{6}/cancellations/search$", true),
    SEARCH_RETURNS("POST", "^/return_refund/\\d{6}/returns/search$", true);

    final String method;
    final Pattern pattern;
    final boolean shopScoped;

    Route(String method, String regex, boolean shopScoped) {
      this.method = method;
      this.pattern = Pattern.compile(regex);
      this.shopScoped = shopScoped;
    }
  }

  private final Settings settings;
  private final MockWebServer server = new MockWebServer();
  private final ObjectMapper mapper = new ObjectMapper();
  private final OkHttpClient webhookClient;
  private final Object lock = new Object();

  // ---- state, guarded by lock
  private final Random random;
  private final TreeMap<String, ProductState> products = new TreeMap<>();
  private final Map<String, ProductState> productBySku = new HashMap<>();
  private final LinkedHashMap<String, EmulatedWarehouse> warehouses = new LinkedHashMap<>();
  private final LinkedHashMap<String, OrderState> orders = new LinkedHashMap<>();
  private final List<ReverseState> cancellations = new ArrayList<>();
  private final List<ReverseState> returns = new ArrayList<>();
  private final List<PushRecord> pushes = new ArrayList<>();
  private final List<WebhookDelivery> deliveries = new ArrayList<>();
  private final List<EmulatedRequest> requests = new ArrayList<>();
  private final ArrayDeque<Fault> scripted = new ArrayDeque<>();
  private final Map<String, long[]> rateWindows = new HashMap<>();
  private Faults faults;
  private String accessToken;
  private Instant accessTokenExpiresAt;
  private boolean accessTokenForcedExpired;
  private String refreshToken;
  private int tokenRefreshes;
  private long idCounter;
  private long requestCounter;

  private TikTokShopEmulator(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed);
    this.faults = settings.faults;
    this.accessToken = settings.accessToken;
    this.refreshToken = settings.refreshToken;
    this.accessTokenExpiresAt = settings.clock.instant().plus(settings.accessTokenTtl);
    this.webhookClient = settings.webhookClient != null ? settings.webhookClient
        : new OkHttpClient.Builder().callTimeout(5, TimeUnit.SECONDS).build();
    if (settings.warehouses.isEmpty()) {
      EmulatedWarehouse w = EmulatedWarehouse.sales(Settings.DEFAULT_WAREHOUSE_ID, true);
      warehouses.put(w.id(), w);
    } else {
      settings.warehouses.forEach(w -> warehouses.put(w.id(), w));
    }
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return TikTokShopEmulator.this.dispatch(request);
          }
        });
    // MockWebServer writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and
    // delayed ACKs add ~40 ms to every answer.
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the TikTok Shop emulator", e);
    }
  }

  /** A builder with test defaults (see {@link Builder}). */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------ endpoints

  /** The base URL for a client's {@code baseUrl} and {@code authBaseUrl}, e.g. {@code http://127.0.0.1:4242/}. */
  public String baseUrl() {
    return server.url("/").toString();
  }

  public String appKey() {
    return settings.appKey;
  }

  public String appSecret() {
    return settings.appSecret;
  }

  public String shopId() {
    return settings.shopId;
  }

  public String shopCipher() {
    return settings.shopCipher;
  }

  /** The authorization code {@code /api/v2/token/get} accepts. */
  public String authCode() {
    return settings.authCode;
  }

  /** The access token currently valid. */
  public String accessToken() {
    synchronized (lock) {
      return accessToken;
    }
  }

  /** When the current access token expires (by the emulator's clock). */
  public Instant accessTokenExpiresAt() {
    synchronized (lock) {
      return accessTokenExpiresAt;
    }
  }

  /** The refresh token currently valid. */
  public String refreshToken() {
    synchronized (lock) {
      return refreshToken;
    }
  }

  /** Makes the current access token answer {@code 105002} until the client refreshes it. */
  public void expireAccessToken() {
    synchronized (lock) {
      accessTokenForcedExpired = true;
    }
  }

  /** How many successful token refreshes and exchanges were served. */
  public int tokenRefreshCount() {
    synchronized (lock) {
      return tokenRefreshes;
    }
  }

  // ------------------------------------------------------------------------------------ the shop

  /** Adds a warehouse (a default sales warehouse exists unless the builder set others). */
  public void addWarehouse(EmulatedWarehouse warehouse) {
    synchronized (lock) {
      warehouses.put(warehouse.id(), warehouse);
    }
  }

  /** The id of the default sales warehouse. */
  public String defaultWarehouseId() {
    synchronized (lock) {
      return warehouses.values().stream()
          .filter(w -> w.isDefault() && w.type().equals("SALES_WAREHOUSE"))
          .map(EmulatedWarehouse::id)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("the emulated shop has no default sales warehouse"));
    }
  }

  /** Adds or replaces a product. */
  public void addProduct(EmulatedProduct product) {
    addProducts(List.of(product));
  }

  /** Adds or replaces products; efficient for large catalogs. */
  public void addProducts(Collection<EmulatedProduct> list) {
    synchronized (lock) {
      for (EmulatedProduct p : list) {
        ProductState old = products.remove(p.id());
        if (old != null) {
          old.skus.keySet().forEach(productBySku::remove);
        }
        ProductState state = new ProductState(p);
        for (String skuId : state.skus.keySet()) {
          ProductState owner = productBySku.get(skuId);
          if (owner != null) {
            throw new IllegalArgumentException("SKU " + skuId + " already belongs to product " + owner.id);
          }
        }
        products.put(p.id(), state);
        state.skus.keySet().forEach(s -> productBySku.put(s, state));
      }
    }
  }

  /** A product as it is now, with current quantities. */
  public Optional<EmulatedProduct> product(String productId) {
    synchronized (lock) {
      ProductState p = products.get(productId);
      return p == null ? Optional.empty() : Optional.of(p.snapshot());
    }
  }

  /** The number of SKUs in the shop. */
  public int skuCount() {
    synchronized (lock) {
      return productBySku.size();
    }
  }

  /** A SKU's available quantity in a warehouse. */
  public long quantity(String skuId, String warehouseId) {
    synchronized (lock) {
      Long q = sku(skuId).available.get(warehouseId);
      if (q == null) {
        throw new IllegalArgumentException("SKU " + skuId + " is not stocked in warehouse " + warehouseId);
      }
      return q;
    }
  }

  /** A SKU's available quantity summed over its warehouses. */
  public long totalQuantity(String skuId) {
    synchronized (lock) {
      return sku(skuId).available.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Sets a SKU's quantity in a warehouse behind the client's back (drift, as a seller editing stock in
   * Seller Center would cause). Not recorded as a push; the product's update time becomes now.
   */
  public void setQuantity(String skuId, String warehouseId, long quantity) {
    synchronized (lock) {
      SkuState s = sku(skuId);
      if (!s.available.containsKey(warehouseId)) {
        throw new IllegalArgumentException("SKU " + skuId + " is not stocked in warehouse " + warehouseId);
      }
      s.available.put(warehouseId, quantity);
      productBySku.get(skuId).updateTime = now();
    }
  }

  /** Changes a product's status (such as {@code SELLER_DEACTIVATED}); its update time becomes now. */
  public void setProductStatus(String productId, String status) {
    synchronized (lock) {
      ProductState p = products.get(productId);
      if (p == null) {
        throw new IllegalArgumentException("no product " + productId);
      }
      p.status = status;
      p.updateTime = now();
    }
  }

  /** Every quantity the client pushed and the emulator applied, oldest first. */
  public List<PushRecord> pushes() {
    synchronized (lock) {
      return List.copyOf(pushes);
    }
  }

  public void clearPushes() {
    synchronized (lock) {
      pushes.clear();
    }
  }

  // -------------------------------------------------------------------------------------- orders

  /**
   * Creates an order in {@code AWAITING_SHIPMENT}: TikTok takes the units from the SKUs' stock itself
   * (from the default warehouse if the SKU is stocked there, else its first warehouse) and commits
   * them; then an {@code ORDER_STATUS_CHANGE} webhook is sent.
   *
   * @return the order id, 18 digits (beyond 2^53)
   */
  public String createOrder(List<EmulatedOrder.Line> lines) {
    String id;
    synchronized (lock) {
      id = Long.toString(576_000_000_000_000_000L + ++idCounter);
    }
    createOrder(id, lines);
    return id;
  }

  /** {@link #createOrder(List)} with a given id. */
  public void createOrder(String orderId, List<EmulatedOrder.Line> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one line");
    }
    Webhook webhook;
    synchronized (lock) {
      if (orders.containsKey(orderId)) {
        throw new IllegalArgumentException("order " + orderId + " exists");
      }
      Instant now = now();
      OrderState order = new OrderState(orderId, now);
      for (EmulatedOrder.Line line : lines) {
        ProductState p = productBySku.get(line.skuId());
        if (p == null || !p.id.equals(line.productId())) {
          throw new IllegalArgumentException("no SKU " + line.skuId() + " in product " + line.productId());
        }
        SkuState s = p.skus.get(line.skuId());
        String warehouse = s.available.containsKey(defaultWarehouseIdLocked()) ? defaultWarehouseIdLocked()
            : s.available.keySet().iterator().next();
        s.available.merge(warehouse, (long) -line.quantity(), Long::sum);
        s.committed.merge(warehouse, (long) line.quantity(), Long::sum);
        order.lines.add(new LineState(line, warehouse));
      }
      orders.put(orderId, order);
      webhook = orderWebhook(order, "AWAITING_SHIPMENT");
    }
    send(webhook);
  }

  /**
   * Moves an order to another status (such as {@code IN_TRANSIT}) and sends an {@code
   * ORDER_STATUS_CHANGE} webhook. Shipping statuses release the committed units.
   */
  public void setOrderStatus(String orderId, String status) {
    Webhook webhook;
    synchronized (lock) {
      OrderState order = order(orderId);
      order.status = status;
      order.updateTime = now();
      if (Set.of("IN_TRANSIT", "DELIVERED", "COMPLETED").contains(status) && !order.shipped) {
        order.shipped = true;
        for (LineState l : order.lines) {
          productBySku.get(l.line.skuId()).skus.get(l.line.skuId()).committed
              .merge(l.warehouse, (long) -l.line.quantity(), Long::sum);
        }
      }
      webhook = orderWebhook(order, status);
    }
    send(webhook);
  }

  /**
   * Cancels an order: its units return to stock, a completed cancellation is recorded, and two
   * webhooks are sent: {@code CANCELLATION_STATUS_CHANGE} (11) and {@code ORDER_STATUS_CHANGE} (1)
   * with status {@code CANCEL}, the webhook's spelling.
   */
  public void cancelOrder(String orderId) {
    List<Webhook> webhooks = new ArrayList<>();
    synchronized (lock) {
      OrderState order = order(orderId);
      if (order.status.equals("CANCELLED")) {
        throw new IllegalStateException("order " + orderId + " is cancelled already");
      }
      Instant now = now();
      for (LineState l : order.lines) {
        SkuState s = productBySku.get(l.line.skuId()).skus.get(l.line.skuId());
        s.available.merge(l.warehouse, (long) l.line.quantity(), Long::sum);
        if (!order.shipped) {
          s.committed.merge(l.warehouse, (long) -l.line.quantity(), Long::sum);
        }
      }
      order.status = "CANCELLED";
      order.updateTime = now;
      ReverseState c = new ReverseState(Long.toString(577_000_000_000_000_000L + ++idCounter), order,
          "CANCEL", "CANCELLATION_REQUEST_COMPLETE", now);
      cancellations.add(c);
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      putId(data, "order_id", orderId);
      data.put("cancellations_role", "BUYER");
      data.put("cancel_status", c.status);
      putId(data, "cancel_id", c.id);
      data.put("update_time", now.getEpochSecond());
      webhooks.add(webhook(11, data));
      webhooks.add(orderWebhook(order, "CANCEL"));
    }
    webhooks.forEach(this::send);
  }

  /**
   * Records a completed return and refund of a whole order and sends a {@code RETURN_STATUS_CHANGE}
   * (12) webhook. With {@code restock} the units go back to the stock of their warehouse.
   */
  public void returnOrder(String orderId, boolean restock) {
    Webhook webhook;
    synchronized (lock) {
      OrderState order = order(orderId);
      Instant now = now();
      if (restock) {
        for (LineState l : order.lines) {
          productBySku.get(l.line.skuId()).skus.get(l.line.skuId()).available
              .merge(l.warehouse, (long) l.line.quantity(), Long::sum);
        }
      }
      ReverseState r = new ReverseState(Long.toString(4_035_000_000_000_000_000L + ++idCounter), order,
          "RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_COMPLETE", now);
      returns.add(r);
      order.updateTime = now;
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      putId(data, "order_id", orderId);
      data.put("return_role", "BUYER");
      data.put("return_type", r.type);
      data.put("return_status", r.status);
      putId(data, "return_id", r.id);
      data.put("create_time", now.getEpochSecond());
      data.put("update_time", now.getEpochSecond());
      webhook = webhook(12, data);
    }
    send(webhook);
  }

  /** An order as it is now. */
  public Optional<EmulatedOrder> findOrder(String orderId) {
    synchronized (lock) {
      OrderState o = orders.get(orderId);
      return o == null ? Optional.empty() : Optional.of(o.snapshot());
    }
  }

  // ------------------------------------------------------------------------------------ webhooks

  /** Every webhook sent, oldest first. */
  public List<WebhookDelivery> webhookDeliveries() {
    synchronized (lock) {
      return List.copyOf(deliveries);
    }
  }

  /** Sends a webhook again with the same body and signature, as TikTok does after a non-2xx answer. */
  public WebhookDelivery redeliver(String notificationId) {
    WebhookDelivery original;
    synchronized (lock) {
      original = deliveries.stream().filter(d -> d.notificationId().equals(notificationId)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no webhook " + notificationId + " was sent"));
    }
    return send(new Webhook(original.notificationId(), original.type(), original.body().getBytes(StandardCharsets.UTF_8)));
  }

  // -------------------------------------------------------------------------------------- faults

  /** Replaces the random faults. */
  public void faults(Faults faults) {
    synchronized (lock) {
      this.faults = Objects.requireNonNull(faults, "faults");
    }
  }

  /** Answers the next API requests (not token requests) with these faults, one each, in order. */
  public void failNext(Fault... next) {
    synchronized (lock) {
      scripted.addAll(Arrays.asList(next));
    }
  }

  // ---------------------------------------------------------------------------------- inspection

  /** Every request received, oldest first. */
  public List<EmulatedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /**
   * How many requests had a path matching {@code pathTemplate}, where a {@code {name}} stands for one
   * path segment, e.g. {@code /product/202309/products/{id}/inventory/update}.
   */
  public int requestCount(String pathTemplate) {
    Pattern p = Pattern.compile("^" + Arrays.stream(TEMPLATE_VAR.split(pathTemplate, -1)).map(Pattern::quote)
        .reduce((a, b) -> a + "[^/]+" + b).orElse("") + "$");
    return countRequests(r -> p.matcher(r.path()).matches());
  }

  /** How many requests were answered with {@code code}. */
  public int answeredWith(long code) {
    return countRequests(r -> r.code() == code);
  }

  public int totalRequests() {
    return countRequests(r -> true);
  }

  private int countRequests(Predicate<EmulatedRequest> filter) {
    synchronized (lock) {
      int n = 0;
      for (EmulatedRequest r : requests) {
        if (filter.test(r)) {
          n++;
        }
      }
      return n;
    }
  }

  @Override
  public void close() {
    try {
      server.shutdown();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (settings.webhookClient == null) {
      webhookClient.dispatcher().executorService().shutdown();
      webhookClient.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "TikTokShopEmulator[" + baseUrl() + ", shop " + settings.shopId + "]";
  }

  // ==================================================================================== serving

  private MockResponse dispatch(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    String method = request.getMethod() == null ? "" : request.getMethod();
    byte[] body = request.getBody().readByteArray();
    String path = url == null ? "" : url.encodedPath();
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (url != null) {
      for (String name : url.queryParameterNames()) {
        query.put(name, url.queryParameterValues(name).stream().map(v -> v == null ? "" : v).toList());
      }
    }
    Answer answer;
    Duration latency;
    synchronized (lock) {
      answer = serve(method, path, query, request, body);
      requests.add(new EmulatedRequest(method, path, query, new String(body, StandardCharsets.UTF_8),
          answer.status, answer.code));
      latency = faults.latency();
    }
    MockResponse response = answer.response;
    if (!latency.isZero()) {
      response.setHeadersDelay(latency.toMillis(), TimeUnit.MILLISECONDS);
    }
    return response;
  }

  /** Serves under the lock. */
  private Answer serve(String method, String path, Map<String, List<String>> query, RecordedRequest request,
      byte[] body) {
    if (path.equals("/api/v2/token/refresh") || path.equals("/api/v2/token/get")) {
      return token(path, query);
    }
    Route route = null;
    Matcher matcher = null;
    for (Route r : Route.values()) {
      Matcher m = r.pattern.matcher(path);
      if (m.matches()) {
        route = r;
        matcher = m;
        break;
      }
    }
    if (route == null) {
      return error(404, 40006, "path not found: " + path);
    }
    if (!route.method.equals(method)) {
      return error(405, INVALID_PARAMETER, "method " + method + " is not allowed");
    }
    Fault fault = scripted.poll();
    if (fault == null) {
      fault = faults.pick(random.nextDouble());
    }
    if (fault != null && fault != Fault.DROP_AFTER_APPLYING) {
      return faultAnswer(fault);
    }
    Answer checked = authenticate(route, query, request, path, body);
    if (checked != null) {
      return checked;
    }
    Answer limited = rateLimit(route);
    if (limited != null) {
      return limited;
    }
    JsonNode json = null;
    if (method.equals("POST")) {
      String contentType = request.getHeader("content-type");
      if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
        return error(400, INVALID_PARAMETER, "content-type must be application/json");
      }
      try {
        json = body.length == 0 ? JsonNodeFactory.instance.objectNode() : mapper.readTree(body);
      } catch (IOException e) {
        return error(400, INVALID_PARAMETER, "the body is not JSON");
      }
      if (json == null || !json.isObject()) {
        return error(400, INVALID_PARAMETER, "the body is not a JSON object");
      }
    }
    Answer answer;
    try {
      answer = switch (route) {
        case SHOPS -> shops();
        case SEARCH_PRODUCTS -> searchProducts(query, json);
        case SEARCH_INVENTORY -> searchInventory(json);
        case UPDATE_INVENTORY -> updateInventory(matcher.group(1), json);
        case GET_PRODUCT -> getProduct(matcher.group(1));
        case WAREHOUSES -> warehouses();
        case ORDER_DETAIL -> orderDetail(query);
        case SEARCH_ORDERS -> searchOrders(query, json);
        case SEARCH_CANCELLATIONS -> searchReverse(query, json, cancellations, "cancellations", 1, 50);
        case SEARCH_RETURNS -> searchReverse(query, json, returns, "return_orders", 10, 50);
      };
    } catch (BadRequest e) {
      return error(400, INVALID_PARAMETER, e.getMessage());
    }
    if (fault == Fault.DROP_AFTER_APPLYING) {
      return new Answer(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST), -1, -1);
    }
    return answer;
  }

  private @Nullable Answer authenticate(Route route, Map<String, List<String>> query, RecordedRequest request,
      String path, byte[] body) {
    Map<String, String> single = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      if (e.getValue().size() != 1) {
        return error(400, INVALID_PARAMETER, "query parameter " + e.getKey() + " is repeated");
      }
      single.put(e.getKey(), e.getValue().get(0));
    }
    if (!settings.appKey.equals(single.get("app_key"))) {
      return error(400, INVALID_PARAMETER, "invalid app_key");
    }
    String ts = single.get("timestamp");
    long timestamp;
    try {
      timestamp = Long.parseLong(Objects.requireNonNull(ts));
    } catch (RuntimeException e) {
      return error(400, INVALID_PARAMETER, "timestamp is missing or not a number");
    }
    long now = now().getEpochSecond();
    if (timestamp < now - settings.timestampPast.getSeconds() || timestamp > now + settings.timestampFuture.getSeconds()) {
      return error(400, INVALID_PARAMETER, "timestamp " + timestamp + " is outside the allowed window around " + now);
    }
    String sign = single.get("sign");
    String expected = EmulatorSigner.requestSign(settings.appSecret, path, single, body);
    if (sign == null || !EmulatorSigner.matches(expected, sign)) {
      return error(401, INVALID_SIGN, "Invalid credentials: the sign does not match");
    }
    String cipher = single.get("shop_cipher");
    if (route.shopScoped && !settings.shopCipher.equals(cipher)) {
      return error(400, INVALID_PARAMETER, "shop_cipher is missing or not a shop this seller authorized");
    }
    if (!route.shopScoped && cipher != null) {
      return error(400, INVALID_PARAMETER, "this endpoint does not take shop_cipher");
    }
    String token = request.getHeader("x-tts-access-token");
    if (token == null || !token.equals(accessToken)) {
      return error(401, INVALID_TOKEN, "invalid access token");
    }
    if (accessTokenForcedExpired || !now().isBefore(accessTokenExpiresAt)) {
      return error(401, TOKEN_EXPIRED, "access token expired");
    }
    return null;
  }

  private @Nullable Answer rateLimit(Route route) {
    if (settings.qps <= 0) {
      return null;
    }
    long second = Math.floorDiv(settings.clock.millis(), 1000L);
    long[] window = rateWindows.computeIfAbsent(route.name(), k -> new long[] {Long.MIN_VALUE, 0});
    if (window[0] != second) {
      window[0] = second;
      window[1] = 0;
    }
    if (++window[1] > settings.qps) {
      Answer a = error(429, TOO_MANY_REQUESTS, "too many requests");
      a.response.setHeader("Retry-After", Long.toString(settings.retryAfter.getSeconds()));
      return a;
    }
    return null;
  }

  private Answer faultAnswer(Fault fault) {
    switch (fault) {
      case SERVER_ERROR:
        return new Answer(new MockResponse().setResponseCode(500).setHeader("content-type", "text/html")
            .setBody("<html><body>502 Bad Gateway</body></html>"), 500, -1);
      case INTERNAL_ERROR:
        return error(200, INTERNAL_ERROR, "Internal error. Please try again.");
      case RATE_LIMITED: {
        Answer a = error(429, TOO_MANY_REQUESTS, "too many requests");
        a.response.setHeader("Retry-After", Long.toString(settings.retryAfter.getSeconds()));
        return a;
      }
      case DROP_CONNECTION:
        return new Answer(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST), -1, -1);
      case TIMEOUT:
        return new Answer(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE), -1, -1);
      case MALFORMED_BODY:
        return new Answer(new MockResponse().setResponseCode(200).setHeader("content-type", "application/json")
            .setBody("{\"code\":0,\"data\":{\"products\":[{\"id\":\"17"), 200, -1);
      case ACCESS_TOKEN_EXPIRED:
        return error(401, TOKEN_EXPIRED, "access token expired");
      default:
        throw new IllegalStateException("unhandled fault " + fault);
    }
  }

  // ------------------------------------------------------------------------------------- tokens

  private Answer token(String path, Map<String, List<String>> query) {
    String appKey = first(query, "app_key");
    String secret = first(query, "app_secret");
    if (!settings.appKey.equals(appKey) || secret == null || !EmulatorSigner.matches(settings.appSecret, secret)) {
      return error(200, 36004004, "invalid app_key or app_secret");
    }
    if (path.equals("/api/v2/token/get")) {
      if (!"authorized_code".equals(first(query, "grant_type")) || !settings.authCode.equals(first(query, "auth_code"))) {
        return error(200, 36004013, "invalid auth_code");
      }
    } else {
      if (!"refresh_token".equals(first(query, "grant_type")) || !refreshToken.equals(first(query, "refresh_token"))) {
        return error(200, 36004013, "invalid refresh_token");
      }
    }
    tokenRefreshes++;
    accessToken = "emu-at-" + Long.toHexString(random.nextLong()) + "/" + tokenRefreshes;
    accessTokenForcedExpired = false;
    Instant now = now();
    accessTokenExpiresAt = now.plus(settings.accessTokenTtl);
    if (settings.rotateRefreshTokens) {
      refreshToken = "emu-rt-" + Long.toHexString(random.nextLong());
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("access_token", accessToken);
    data.put("access_token_expire_in", accessTokenExpiresAt.getEpochSecond());
    data.put("refresh_token", refreshToken);
    data.put("refresh_token_expire_in", now.plus(Duration.ofDays(365)).getEpochSecond());
    data.put("open_id", "emu-open-id");
    data.put("seller_name", settings.shopName);
    data.put("seller_base_region", settings.region);
    data.put("user_type", 0);
    return ok(data);
  }

  // --------------------------------------------------------------------------------- API routes

  private Answer shops() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ObjectNode shop = data.putArray("shops").addObject();
    shop.put("id", settings.shopId);
    shop.put("name", settings.shopName);
    shop.put("region", settings.region);
    shop.put("seller_type", "LOCAL");
    shop.put("cipher", settings.shopCipher);
    shop.put("code", "EMU" + settings.region);
    return ok(data);
  }

  private Answer warehouses() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode arr = data.putArray("warehouses");
    for (EmulatedWarehouse w : warehouses.values()) {
      ObjectNode n = arr.addObject();
      n.put("id", w.id());
      n.put("name", w.name());
      n.put("effect_status", w.effectStatus());
      n.put("type", w.type());
      n.put("sub_type", "DOMESTIC_WAREHOUSE");
      n.put("is_default", w.isDefault());
    }
    return ok(data);
  }

  private Answer getProduct(String productId) {
    ProductState p = products.get(productId);
    if (p == null) {
      return error(200, 12052032, "The product does not exist");
    }
    return ok(p.toJson());
  }

  private Answer searchProducts(Map<String, List<String>> query, JsonNode body) {
    int pageSize = intParam(query, "page_size", 1, 100, true);
    String status = body.hasNonNull("status") ? body.get("status").asText() : "ALL";
    Set<String> sellerSkus = new LinkedHashSet<>();
    if (body.has("seller_skus")) {
      body.get("seller_skus").forEach(n -> sellerSkus.add(n.asText()));
      if (sellerSkus.size() > 10) {
        return error(200, 12019027, "The maximum count of seller_skus in the search filter is 10.");
      }
    }
    long ge = body.has("update_time_ge") ? body.get("update_time_ge").asLong() : Long.MIN_VALUE;
    long le = body.has("update_time_le") ? body.get("update_time_le").asLong() : Long.MAX_VALUE;
    List<ProductState> matching = new ArrayList<>();
    for (ProductState p : products.values()) {
      long t = p.updateTime.getEpochSecond();
      if (t < ge || t > le || (!status.equals("ALL") && !status.equals(p.status))) {
        continue;
      }
      if (!sellerSkus.isEmpty() && p.skus.values().stream().noneMatch(s -> sellerSkus.contains(s.sellerSku))) {
        continue;
      }
      matching.add(p);
    }
    String fingerprint = "products|" + status + "|" + sellerSkus + "|" + ge + "|" + le;
    int offset = offset(query, fingerprint);
    if (offset >= settings.maxSearchResults) {
      return error(200, SEARCH_CAP_EXCEEDED, "The total number of search results can not exceed 10000.");
    }
    int end = Math.min(matching.size(), offset + pageSize);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("total_count", matching.size());
    ArrayNode arr = data.putArray("products");
    for (ProductState p : matching.subList(Math.min(offset, matching.size()), end)) {
      arr.add(p.toJson());
    }
    data.put("next_page_token", end < matching.size() ? pageToken(end, fingerprint) : "");
    return ok(data);
  }

  private Answer searchInventory(JsonNode body) {
    List<SkuState> skus = new ArrayList<>();
    if (body.has("sku_ids") && body.get("sku_ids").size() > 0) {
      if (body.get("sku_ids").size() > 600) {
        return error(200, 12019015, "The number of SKU exceed the limit");
      }
      for (JsonNode id : body.get("sku_ids")) {
        ProductState p = productBySku.get(id.asText());
        if (p != null) {
          skus.add(p.skus.get(id.asText()));
        }
      }
    } else if (body.has("product_ids")) {
      if (body.get("product_ids").size() > 100) {
        return error(200, 12019120, "The number of provided product IDs exceeds the limit.");
      }
      for (JsonNode id : body.get("product_ids")) {
        ProductState p = products.get(id.asText());
        if (p != null) {
          skus.addAll(p.skus.values());
        }
      }
    } else {
      throw new BadRequest("product_ids or sku_ids is required");
    }
    Map<String, ArrayNode> byProduct = new LinkedHashMap<>();
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode inventory = data.putArray("inventory");
    for (SkuState s : skus) {
      ArrayNode arr = byProduct.computeIfAbsent(s.productId, pid -> {
        ObjectNode n = inventory.addObject();
        n.put("product_id", pid);
        return n.putArray("skus");
      });
      ObjectNode n = arr.addObject();
      n.put("id", s.id);
      n.put("seller_sku", s.sellerSku);
      long available = 0;
      long committed = 0;
      ArrayNode wi = n.putArray("warehouse_inventory");
      for (Map.Entry<String, Long> e : s.available.entrySet()) {
        long c = s.committed.getOrDefault(e.getKey(), 0L);
        ObjectNode w = wi.addObject();
        w.put("warehouse_id", e.getKey());
        w.put("available_quantity", e.getValue());
        w.put("committed_quantity", c);
        available += e.getValue();
        committed += c;
      }
      n.put("total_available_quantity", available);
      n.put("total_committed_quantity", committed);
    }
    return ok(data);
  }

  private Answer updateInventory(String productId, JsonNode body) {
    ProductState p = products.get(productId);
    if (p == null) {
      return error(200, 12052032, "The product does not exist");
    }
    if (!p.status.equals("ACTIVATE")) {
      return error(200, 12052901,
          "The product in its current status is not available for this operation. Change the product status and try again.");
    }
    JsonNode skus = body.get("skus");
    if (skus == null || !skus.isArray() || skus.isEmpty()) {
      return error(200, 12052902, "The SKU list is empty.");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (JsonNode s : skus) {
      if (!seen.add(s.path("id").asText())) {
        return error(200, 12052553, "Sku id duplicate");
      }
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode errors = data.putArray("errors");
    Instant now = now();
    boolean changed = false;
    for (JsonNode s : skus) {
      String skuId = s.path("id").asText();
      SkuState sku = p.skus.get(skuId);
      if (sku == null) {
        skuError(errors, 12052556, "The SKU id not exist.", skuId, List.of());
        continue;
      }
      Map<String, Long> wanted = new LinkedHashMap<>();
      List<ObjectNode> extra = new ArrayList<>();
      for (JsonNode inv : s.path("inventory")) {
        String warehouseId = inv.hasNonNull("warehouse_id") ? inv.get("warehouse_id").asText()
            : sku.available.size() == 1 ? sku.available.keySet().iterator().next() : null;
        if (warehouseId == null) {
          extra.add(extraError(null, 12019028, "Multiple warehouses detected. Include all warehouse IDs."));
          continue;
        }
        long quantity = inv.path("quantity").asLong(-1);
        if (!inv.path("quantity").isIntegralNumber() || quantity < 0 || quantity > 99_999) {
          extra.add(extraError(warehouseId, 12052055, "The SKU inventory quantity for the warehouse must be within allowed limits."));
          continue;
        }
        if (!warehouses.containsKey(warehouseId)) {
          extra.add(extraError(warehouseId, 12052097, "The warehouse does not exist"));
          continue;
        }
        if (!sku.available.containsKey(warehouseId)) {
          extra.add(extraError(warehouseId, 12052533,
              "Removal, addition, and change of warehouses are not permitted. Please specify the original warehouses for the SKUs."));
          continue;
        }
        wanted.put(warehouseId, quantity);
      }
      if (extra.isEmpty() && !wanted.keySet().equals(sku.available.keySet())) {
        for (String missing : sku.available.keySet()) {
          if (!wanted.containsKey(missing)) {
            extra.add(extraError(missing, 12019028, "Multiple warehouses detected. Include all warehouse IDs and the corresponding details and try again."));
          }
        }
      }
      if (!extra.isEmpty()) {
        skuError(errors, 12052990, "Check failed", skuId, extra);
        continue;
      }
      for (Map.Entry<String, Long> e : wanted.entrySet()) {
        sku.available.put(e.getKey(), e.getValue());
        pushes.add(new PushRecord(productId, skuId, e.getKey(), e.getValue(), now));
      }
      changed = true;
    }
    if (changed) {
      p.updateTime = now;
    }
    return ok(data);
  }

  private Answer orderDetail(Map<String, List<String>> query) {
    String ids = first(query, "ids");
    if (ids == null || ids.isBlank()) {
      throw new BadRequest("ids is required");
    }
    String[] parts = ids.split(",", -1);
    if (parts.length > 50) {
      throw new BadRequest("ids holds " + parts.length + " values, at most 50 are allowed");
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode arr = data.putArray("orders");
    for (String id : parts) {
      OrderState o = orders.get(id.trim());
      if (o != null) {
        arr.add(o.toJson());
      }
    }
    return ok(data);
  }

  private Answer searchOrders(Map<String, List<String>> query, JsonNode body) {
    int pageSize = intParam(query, "page_size", 1, 100, true);
    String sortField = Optional.ofNullable(first(query, "sort_field")).orElse("create_time");
    String sortOrder = Optional.ofNullable(first(query, "sort_order")).orElse("DESC");
    long uge = body.path("update_time_ge").asLong(Long.MIN_VALUE);
    long ult = body.has("update_time_lt") ? body.get("update_time_lt").asLong() : Long.MAX_VALUE;
    long cge = body.path("create_time_ge").asLong(Long.MIN_VALUE);
    long clt = body.has("create_time_lt") ? body.get("create_time_lt").asLong() : Long.MAX_VALUE;
    String status = body.hasNonNull("order_status") ? body.get("order_status").asText() : null;
    List<OrderState> matching = new ArrayList<>();
    for (OrderState o : orders.values()) {
      long u = o.updateTime.getEpochSecond();
      long c = o.createTime.getEpochSecond();
      if (u >= uge && u < ult && c >= cge && c < clt && (status == null || status.equals(o.status))) {
        matching.add(o);
      }
    }
    java.util.Comparator<OrderState> cmp = java.util.Comparator.comparing(
        (OrderState o) -> sortField.equals("update_time") ? o.updateTime : o.createTime).thenComparing(o -> o.id);
    matching.sort(sortOrder.equals("ASC") ? cmp : cmp.reversed());
    String fingerprint = "orders|" + sortField + sortOrder + uge + "|" + ult + "|" + cge + "|" + clt + "|" + status;
    int offset = offset(query, fingerprint);
    int end = Math.min(matching.size(), offset + pageSize);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("total_count", matching.size());
    ArrayNode arr = data.putArray("orders");
    for (OrderState o : matching.subList(Math.min(offset, matching.size()), end)) {
      arr.add(o.toJson());
    }
    data.put("next_page_token", end < matching.size() ? pageToken(end, fingerprint) : "");
    return ok(data);
  }

  private Answer searchReverse(Map<String, List<String>> query, JsonNode body, List<ReverseState> source, String field,
      int minSize, int maxSize) {
    int pageSize = intParam(query, "page_size", minSize, maxSize, false);
    long uge = body.path("update_time_ge").asLong(Long.MIN_VALUE);
    long ult = body.has("update_time_lt") ? body.get("update_time_lt").asLong() : Long.MAX_VALUE;
    Set<String> orderIds = new LinkedHashSet<>();
    body.path("order_ids").forEach(n -> orderIds.add(n.asText()));
    List<ReverseState> matching = new ArrayList<>();
    for (ReverseState r : source) {
      long u = r.updateTime.getEpochSecond();
      if (u >= uge && u < ult && (orderIds.isEmpty() || orderIds.contains(r.order.id))) {
        matching.add(r);
      }
    }
    String fingerprint = field + "|" + uge + "|" + ult + "|" + orderIds;
    int offset = offset(query, fingerprint);
    int end = Math.min(matching.size(), offset + pageSize);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("total_count", matching.size());
    ArrayNode arr = data.putArray(field);
    boolean cancel = field.equals("cancellations");
    for (ReverseState r : matching.subList(Math.min(offset, matching.size()), end)) {
      ObjectNode n = arr.addObject();
      n.put(cancel ? "cancel_id" : "return_id", r.id);
      n.put("order_id", r.order.id);
      n.put(cancel ? "cancel_type" : "return_type", r.type);
      n.put(cancel ? "cancel_status" : "return_status", r.status);
      n.put("role", "BUYER");
      n.put("create_time", r.updateTime.getEpochSecond());
      n.put("update_time", r.updateTime.getEpochSecond());
      ArrayNode lines = n.putArray(cancel ? "cancel_line_items" : "return_line_items");
      int i = 0;
      for (LineState l : r.order.lines) {
        for (int u = 0; u < l.line.quantity(); u++) {
          ObjectNode li = lines.addObject();
          li.put(cancel ? "cancel_line_item_id" : "return_line_item_id", r.id + "-" + i);
          li.put("order_line_item_id", r.order.id + "-" + i++);
          li.put("sku_id", l.line.skuId());
          li.put("seller_sku", productBySku.get(l.line.skuId()).skus.get(l.line.skuId()).sellerSku);
        }
      }
    }
    data.put("next_page_token", end < matching.size() ? pageToken(end, fingerprint) : "");
    return ok(data);
  }

  // ---------------------------------------------------------------------------------- helpers

  private int intParam(Map<String, List<String>> query, String name, int min, int max, boolean required) {
    String v = first(query, name);
    if (v == null) {
      if (required) {
        throw new BadRequest(name + " is required");
      }
      return Math.max(min, Math.min(10, max));
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new BadRequest(name + " must be between " + min + " and " + max + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " is not a number: " + v);
    }
  }

  /** The offset a page token stands for; the token must belong to the same query. */
  private int offset(Map<String, List<String>> query, String fingerprint) {
    String token = first(query, "page_token");
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(token);
      if (raw.length < TOKEN_MAGIC.length || !Arrays.equals(Arrays.copyOf(raw, TOKEN_MAGIC.length), TOKEN_MAGIC)) {
        throw new BadRequest("invalid page_token");
      }
      String[] parts = new String(raw, TOKEN_MAGIC.length, raw.length - TOKEN_MAGIC.length, StandardCharsets.UTF_8)
          .split("\\|", 2);
      if (parts.length != 2 || !parts[1].equals(Integer.toHexString(fingerprint.hashCode()))) {
        throw new BadRequest("invalid page_token: it belongs to another query");
      }
      return Integer.parseInt(parts[0]);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid page_token");
    }
  }

  /** An opaque page token: standard Base64 that always contains '+' and '/'. */
  private static String pageToken(int offset, String fingerprint) {
    byte[] payload = (offset + "|" + Integer.toHexString(fingerprint.hashCode())).getBytes(StandardCharsets.UTF_8);
    byte[] raw = Arrays.copyOf(TOKEN_MAGIC, TOKEN_MAGIC.length + payload.length);
    System.arraycopy(payload, 0, raw, TOKEN_MAGIC.length, payload.length);
    return Base64.getEncoder().encodeToString(raw);
  }

  private static void skuError(ArrayNode errors, long code, String message, String skuId, List<ObjectNode> extra) {
    ObjectNode e = errors.addObject();
    e.put("code", code);
    e.put("message", message);
    ObjectNode detail = e.putObject("detail");
    detail.put("sku_id", skuId);
    ArrayNode x = detail.putArray("extra_errors");
    extra.forEach(x::add);
  }

  private static ObjectNode extraError(@Nullable String warehouseId, long code, String message) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (warehouseId != null) {
      n.put("warehouse_id", warehouseId);
    }
    n.put("code", code);
    n.put("message", message);
    return n;
  }

  private Answer ok(ObjectNode data) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("code", 0);
    root.put("message", "Success");
    root.put("request_id", nextRequestId());
    root.set("data", data);
    return new Answer(json(200, root), 200, 0);
  }

  private Answer error(int status, long code, String message) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("code", code);
    root.put("message", message);
    root.put("request_id", nextRequestId());
    root.putObject("data");
    return new Answer(json(status, root), status, code);
  }

  private MockResponse json(int status, JsonNode root) {
    try {
      return new MockResponse().setResponseCode(status).setHeader("content-type", "application/json")
          .setBody(mapper.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String nextRequestId() {
    return String.format("2025EMU%012d", ++requestCounter);
  }

  private static @Nullable String first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private Instant now() {
    return settings.clock.instant();
  }

  private String defaultWarehouseIdLocked() {
    for (EmulatedWarehouse w : warehouses.values()) {
      if (w.isDefault() && w.type().equals("SALES_WAREHOUSE")) {
        return w.id();
      }
    }
    return "";
  }

  private SkuState sku(String skuId) {
    ProductState p = productBySku.get(skuId);
    if (p == null) {
      throw new IllegalArgumentException("no SKU " + skuId);
    }
    return p.skus.get(skuId);
  }

  private OrderState order(String orderId) {
    OrderState o = orders.get(orderId);
    if (o == null) {
      throw new IllegalArgumentException("no order " + orderId);
    }
    return o;
  }

  private void putId(ObjectNode node, String field, String id) {
    if (settings.numericWebhookIds && id.chars().allMatch(Character::isDigit)) {
      node.put(field, new BigInteger(id));
    } else {
      node.put(field, id);
    }
  }

  private Webhook orderWebhook(OrderState order, String status) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("is_on_hold_order", false);
    putId(data, "order_id", order.id);
    data.put("order_status", status);
    data.put("update_time", order.updateTime.getEpochSecond());
    return webhook(1, data);
  }

  /** Builds a webhook under the lock; sent later without it. */
  private Webhook webhook(int type, ObjectNode data) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", type);
    String notificationId = Long.toString(7_380_000_000_000_000_000L + ++idCounter);
    putId(root, "tts_notification_id", notificationId);
    putId(root, "shop_id", settings.shopId);
    root.put("timestamp", now().getEpochSecond());
    root.set("data", data);
    try {
      return new Webhook(notificationId, type, mapper.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private WebhookDelivery send(Webhook webhook) {
    String signature = EmulatorSigner.webhookSignature(settings.appKey, settings.appSecret, webhook.body);
    String body = new String(webhook.body, StandardCharsets.UTF_8);
    WebhookDelivery delivery;
    if (settings.webhookUrl == null) {
      delivery = new WebhookDelivery(webhook.notificationId, webhook.type, body, signature, -1, "no webhook URL configured");
    } else {
      Request request = new Request.Builder().url(settings.webhookUrl)
          .header("Authorization", signature)
          .post(RequestBody.create(webhook.body, JSON))
          .build();
      int status;
      String error = null;
      try (Response response = webhookClient.newCall(request).execute()) {
        status = response.code();
      } catch (IOException e) {
        status = -1;
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      delivery = new WebhookDelivery(webhook.notificationId, webhook.type, body, signature, status, error);
    }
    synchronized (lock) {
      deliveries.add(delivery);
    }
    return delivery;
  }

  // ------------------------------------------------------------------------------------ state

  private record Answer(MockResponse response, int status, long code) {}

  /** Server sockets whose accepted connections have Nagle's algorithm off. */
  private static final class NoDelayServerSocketFactory extends javax.net.ServerSocketFactory {
    @Override
    public java.net.ServerSocket createServerSocket() throws IOException {
      return new java.net.ServerSocket() {
        @Override
        public java.net.Socket accept() throws IOException {
          java.net.Socket socket = super.accept();
          socket.setTcpNoDelay(true);
          return socket;
        }
      };
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port) throws IOException {
      java.net.ServerSocket s = createServerSocket();
      s.bind(new java.net.InetSocketAddress(port));
      return s;
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
      java.net.ServerSocket s = createServerSocket();
      s.bind(new java.net.InetSocketAddress(port), backlog);
      return s;
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
      java.net.ServerSocket s = createServerSocket();
      s.bind(new java.net.InetSocketAddress(address, port), backlog);
      return s;
    }
  }

  private record Webhook(String notificationId, int type, byte[] body) {}

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private static final class ProductState {
    final String id;
    final String title;
    String status;
    Instant updateTime;
    final Instant createTime;
    final LinkedHashMap<String, SkuState> skus = new LinkedHashMap<>();

    ProductState(EmulatedProduct p) {
      this.id = p.id();
      this.title = p.title();
      this.status = p.status();
      this.updateTime = p.updateTime();
      this.createTime = p.updateTime();
      for (EmulatedSku s : p.skus()) {
        skus.put(s.id(), new SkuState(p.id(), s));
      }
    }

    EmulatedProduct snapshot() {
      List<EmulatedSku> list = new ArrayList<>();
      skus.values().forEach(s -> list.add(new EmulatedSku(s.id, s.sellerSku, s.available)));
      return new EmulatedProduct(id, title, status, updateTime, list);
    }

    ObjectNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("id", id);
      n.put("title", title);
      n.put("status", status);
      ArrayNode arr = n.putArray("skus");
      for (SkuState s : skus.values()) {
        ObjectNode sn = arr.addObject();
        sn.put("id", s.id);
        sn.put("seller_sku", s.sellerSku);
        ArrayNode inv = sn.putArray("inventory");
        s.available.forEach((w, q) -> {
          ObjectNode wn = inv.addObject();
          wn.put("warehouse_id", w);
          wn.put("quantity", q);
        });
      }
      n.put("create_time", createTime.getEpochSecond());
      n.put("update_time", updateTime.getEpochSecond());
      return n;
    }
  }

  private static final class SkuState {
    final String productId;
    final String id;
    final String sellerSku;
    final LinkedHashMap<String, Long> available;
    final Map<String, Long> committed = new HashMap<>();

    SkuState(String productId, EmulatedSku s) {
      this.productId = productId;
      this.id = s.id();
      this.sellerSku = s.sellerSku();
      this.available = new LinkedHashMap<>(s.quantities());
    }
  }

  private record LineState(EmulatedOrder.Line line, String warehouse) {}

  private final class OrderState {
    final String id;
    final Instant createTime;
    Instant updateTime;
    String status = "AWAITING_SHIPMENT";
    boolean shipped;
    final List<LineState> lines = new ArrayList<>();

    OrderState(String id, Instant now) {
      this.id = id;
      this.createTime = now;
      this.updateTime = now;
    }

    EmulatedOrder snapshot() {
      return new EmulatedOrder(id, status, createTime, updateTime, lines.stream().map(LineState::line).toList());
    }

    ObjectNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("id", id);
      n.put("status", status);
      n.put("create_time", createTime.getEpochSecond());
      n.put("update_time", updateTime.getEpochSecond());
      n.put("user_id", "7021436810468230477");
      ArrayNode items = n.putArray("line_items");
      int i = 0;
      for (LineState l : lines) {
        SkuState s = productBySku.get(l.line.skuId()).skus.get(l.line.skuId());
        for (int u = 0; u < l.line.quantity(); u++) {
          ObjectNode li = items.addObject();
          li.put("id", id + "-" + i++);
          li.put("sku_id", l.line.skuId());
          li.put("product_id", l.line.productId());
          li.put("seller_sku", s.sellerSku);
          li.put("display_status", status.equals("CANCELLED") ? "CANCELLED" : "TO_SHIP");
        }
      }
      return n;
    }
  }

  private static final class ReverseState {
    final String id;
    final OrderState order;
    final String type;
    final String status;
    final Instant updateTime;

    ReverseState(String id, OrderState order, String type, String status, Instant updateTime) {
      this.id = id;
      this.order = order;
      this.type = type;
      this.status = status;
      this.updateTime = updateTime;
    }
  }

  /** The emulator's settings. */
  private static final class Settings {
    static final String DEFAULT_WAREHOUSE_ID = "7000714532876273410";
    String appKey = "emu-app-key";
    String appSecret = "emu-app-secret";
    String accessToken = "emu-access-token";
    String refreshToken = "emu-refresh-token";
    String authCode = "emu-auth-code";
    Duration accessTokenTtl = Duration.ofDays(7);
    boolean rotateRefreshTokens = true;
    String shopId = "7495540735365777507";
    String shopCipher = "ROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfY";
    String shopName = "Emulated shop";
    String region = "US";
    Clock clock = Clock.systemUTC();
    long seed = 42;
    int qps = 50;
    Duration retryAfter = Duration.ofSeconds(1);
    Duration timestampPast = Duration.ofMinutes(5);
    Duration timestampFuture = Duration.ofSeconds(30);
    int maxSearchResults = 10_000;
    Faults faults = Faults.NONE;
    @Nullable HttpUrl webhookUrl;
    @Nullable OkHttpClient webhookClient;
    boolean numericWebhookIds;
    final List<EmulatedWarehouse> warehouses = new ArrayList<>();
  }

  /**
   * Settings of a {@link TikTokShopEmulator}. Defaults: app key {@code emu-app-key}, secret {@code
   * emu-app-secret}, access token {@code emu-access-token} valid for 7 days, refresh token {@code
   * emu-refresh-token} (rotated on every refresh), one default sales warehouse {@value
   * Settings#DEFAULT_WAREHOUSE_ID}, 50 requests per second per endpoint, {@code Retry-After: 1},
   * 10,000 search results, no faults, the system clock, seed 42, no webhooks. Not thread-safe.
   */
  public static final class Builder {
    private final Settings s = new Settings();

    private Builder() {}

    public Builder appKey(String appKey) {
      s.appKey = Objects.requireNonNull(appKey);
      return this;
    }

    public Builder appSecret(String appSecret) {
      s.appSecret = Objects.requireNonNull(appSecret);
      return this;
    }

    /** The access token valid at start. */
    public Builder accessToken(String token) {
      s.accessToken = Objects.requireNonNull(token);
      return this;
    }

    public Builder refreshToken(String token) {
      s.refreshToken = Objects.requireNonNull(token);
      return this;
    }

    public Builder authCode(String code) {
      s.authCode = Objects.requireNonNull(code);
      return this;
    }

    /** How long access tokens live, from start and from each refresh. */
    public Builder accessTokenTtl(Duration ttl) {
      s.accessTokenTtl = Objects.requireNonNull(ttl);
      return this;
    }

    /** Whether each refresh issues a new refresh token (and invalidates the old one). */
    public Builder rotateRefreshTokens(boolean rotate) {
      s.rotateRefreshTokens = rotate;
      return this;
    }

    public Builder shopId(String shopId) {
      s.shopId = Objects.requireNonNull(shopId);
      return this;
    }

    public Builder shopCipher(String cipher) {
      s.shopCipher = Objects.requireNonNull(cipher);
      return this;
    }

    /** The clock for timestamps checks, token expiry, update times and rate-limit seconds. */
    public Builder clock(Clock clock) {
      s.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** The seed of the random faults and generated tokens. */
    public Builder seed(long seed) {
      s.seed = seed;
      return this;
    }

    /** Requests per second per endpoint; 0 for no limit. */
    public Builder qps(int qps) {
      if (qps < 0) {
        throw new IllegalArgumentException("qps must not be negative, was " + qps);
      }
      s.qps = qps;
      return this;
    }

    /** The {@code Retry-After} of 429 answers, whole seconds. */
    public Builder retryAfter(Duration retryAfter) {
      s.retryAfter = Objects.requireNonNull(retryAfter);
      return this;
    }

    /** How far back and ahead of the clock a request's timestamp may be (5 min and 30 s by default). */
    public Builder timestampWindow(Duration past, Duration future) {
      s.timestampPast = Objects.requireNonNull(past);
      s.timestampFuture = Objects.requireNonNull(future);
      return this;
    }

    /** Product search's cap on results per query (10,000 like TikTok). */
    public Builder maxSearchResults(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxSearchResults must be positive, was " + max);
      }
      s.maxSearchResults = max;
      return this;
    }

    public Builder faults(Faults faults) {
      s.faults = Objects.requireNonNull(faults);
      return this;
    }

    /** Where webhooks go; none are sent (only recorded) without it. */
    public Builder webhookUrl(String url) {
      s.webhookUrl = HttpUrl.get(url);
      return this;
    }

    /** The client webhooks are sent with; one is created otherwise. */
    public Builder webhookClient(OkHttpClient client) {
      s.webhookClient = Objects.requireNonNull(client);
      return this;
    }

    /** Sends ids in webhooks as JSON numbers (beyond 2^53) instead of strings, as TikTok sometimes does. */
    public Builder numericWebhookIds(boolean numeric) {
      s.numericWebhookIds = numeric;
      return this;
    }

    /** A warehouse; when any is given, the default one is not created. */
    public Builder warehouse(EmulatedWarehouse warehouse) {
      s.warehouses.add(Objects.requireNonNull(warehouse));
      return this;
    }

    /** Starts the emulator on a free loopback port. Call once per builder. */
    public TikTokShopEmulator start() {
      return new TikTokShopEmulator(s);
    }
  }
}
