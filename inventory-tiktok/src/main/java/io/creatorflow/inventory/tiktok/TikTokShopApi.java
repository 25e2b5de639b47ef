package io.creatorflow.inventory.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.tiktok.internal.ApiCaller;
import io.creatorflow.inventory.tiktok.internal.CatalogCursor;
import io.creatorflow.inventory.tiktok.internal.Json;
import io.creatorflow.inventory.tiktok.internal.TokenManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TikTok Shop Open API, typed: one method per endpoint the SDK needs, with signing, tokens, rate
 * limiting, retries and error mapping done here (see {@link TikTokShopConfig} for the knobs).
 *
 * <ul>
 *   <li>Every request is signed as TikTok documents: the JSON body is serialised once and the same
 *       bytes are signed and sent; query values are signed decoded and sent URL-encoded.
 *   <li>The access token comes from the credentials given to the builder and is refreshed through
 *       the token endpoint before it expires and once when TikTok answers {@code 105002}; new tokens
 *       go to the host's {@link TikTokTokenStore} first.
 *   <li>A Resilience4j rate limiter per shop and endpoint ({@link TikTokShopConfig#qps()}); retries
 *       with exponential backoff and jitter on 429 / {@code 36009002} / 5xx / {@code 36009003} / I/O
 *       errors, honouring {@code Retry-After}.
 *   <li>Every failure is a {@link TikTokApiException} subclass carrying HTTP status, API code,
 *       message and {@code request_id}; bad arguments are {@link InvalidRequestException}s.
 * </ul>
 *
 * <p>Thread-safe; one instance per app and seller is meant to be shared. Calls block the calling
 * thread (retry waits go through the {@link Sleeper}); the API starts no threads of its own beyond
 * OkHttp's. {@link #close()} releases the OkHttp client only if the API created it.
 */
public final class TikTokShopApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TikTokShopApi.class);

  /** The largest page TikTok's product and order searches return. */
  public static final int MAX_PAGE_SIZE = 100;
  /** Product ids per inventory search. */
  public static final int MAX_INVENTORY_PRODUCT_IDS = 100;
  /** SKU ids per inventory search. */
  public static final int MAX_INVENTORY_SKU_IDS = 600;
  /** Order ids per order-detail call. */
  public static final int MAX_ORDER_IDS = 50;
  /** The largest quantity TikTok accepts for one warehouse. */
  public static final long MAX_QUANTITY = 99_999;
  /** TikTok's code for "the total number of search results can not exceed 10000". */
  public static final long CODE_SEARCH_RESULT_CAP = 12052180;

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_WINDOW_STEPS = 256;

  private final TikTokShopConfig config;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final ApiCaller caller;

  private TikTokShopApi(Builder b) {
    this.config = b.config;
    OkHttpClient base = b.httpClient;
    this.ownsHttp = base == null;
    OkHttpClient.Builder hb = base == null ? new OkHttpClient.Builder() : base.newBuilder();
    this.http =
        hb.connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .callTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            // The SDK decides what is safe to repeat; OkHttp must not repeat requests silently.
            .retryOnConnectionFailure(false)
            .build();
    DoubleSupplier random = b.random != null ? b.random : new Random()::nextDouble;
    this.caller =
        new ApiCaller(config, http, Json.newMapper(), b.clock, b.sleeper, random,
            new TokenManager.Initial(b.credentials, b.tokenStore));
  }

  /** A builder for an API with {@code config}. */
  public static Builder builder(TikTokShopConfig config) {
    return new Builder(Checks.notNull(config, "config"));
  }

  /** The configuration. */
  public TikTokShopConfig config() {
    return config;
  }

  // ---------------------------------------------------------------------------------------- tokens

  /** The current credentials, or {@code null} before any were supplied or exchanged. */
  public @Nullable TikTokCredentials credentials() {
    return caller.tokens().credentials();
  }

  /**
   * Exchanges a seller's authorization code for tokens ({@code /api/v2/token/get}), stores them
   * through the {@link TikTokTokenStore} and uses them from now on.
   */
  public TikTokCredentials exchangeAuthorizationCode(String authCode) {
    Checks.identifier(authCode, "authCode", 512);
    return caller.tokens().exchange(authCode);
  }

  /** Refreshes the access token now ({@code /api/v2/token/refresh}), whatever its expiry. */
  public TikTokCredentials refreshTokens() {
    return caller.tokens().refresh();
  }

  // ----------------------------------------------------------------------------------------- shops

  /** The shops the seller authorized for this app, with the ciphers shop-scoped calls need. */
  public List<AuthorizedShop> authorizedShops() {
    JsonNode data = caller.call(TikTokEndpoint.AUTHORIZED_SHOPS, null, Map.of(), Map.of(), null);
    return Json.list(data, "shops", n -> {
      String cipher = Json.text(n, "cipher");
      String id = Json.id(n, "id");
      return id == null || cipher == null ? null
          : new AuthorizedShop(id, Json.text(n, "name"), Json.text(n, "region"), Json.text(n, "seller_type"), cipher,
              Json.text(n, "code"));
    });
  }

  /** The seller's warehouses (sales and return). */
  public List<Warehouse> warehouses(String shopCipher) {
    JsonNode data = caller.call(TikTokEndpoint.WAREHOUSES, cipher(shopCipher), Map.of(), Map.of(), null);
    return Json.list(data, "warehouses", n -> {
      String id = Json.id(n, "id");
      return id == null ? null
          : new Warehouse(id, Json.text(n, "name"), Json.text(n, "type"), Json.text(n, "effect_status"),
              Json.bool(n, "is_default"));
    });
  }

  // -------------------------------------------------------------------------------------- products

  /** One product with its SKUs and their inventory per warehouse. */
  public Product product(String shopCipher, String productId) {
    JsonNode data =
        caller.call(TikTokEndpoint.GET_PRODUCT, cipher(shopCipher), Map.of("product_id", pathId(productId, "productId")),
            Map.of(), null);
    Product p = parseProduct(data);
    if (p == null) {
      throw new TikTokApiException(TikTokEndpoint.GET_PRODUCT.name(), 200, 0, null, null,
          "the response carries no product id", null);
    }
    return p;
  }

  /**
   * One page of a product search, as TikTok returns it: at most {@link
   * TikTokShopConfig#searchResultCap()} results per query, so past that use {@link
   * #productCatalogPage} or {@link #allProducts}.
   *
   * @param pageToken {@code null} for the first page, else the previous page's {@code nextPageToken}
   * @param pageSize 1 to 100
   */
  public ProductPage searchProducts(String shopCipher, ProductFilter filter, @Nullable String pageToken, int pageSize) {
    Checks.notNull(filter, "filter");
    Instant from = filter.updatedFrom();
    Instant to = filter.updatedTo();
    return searchWindow(cipher(shopCipher), filter, from == null ? null : from.getEpochSecond(),
        to == null ? null : to.getEpochSecond(), pageToken, pageSize(pageSize, 1, MAX_PAGE_SIZE));
  }

  /**
   * One page of every product matching {@code filter}, however many there are: when a query would
   * exceed TikTok's 10,000-result cap, the range of update times is split into windows that stay
   * under it, and paged one after the other. The page token is this SDK's own (opaque). Pages are
   * never empty except the last; a product updated while paging may appear twice or, if updated after
   * the first page was read, not at all (its newer state is for the next pass).
   *
   * @param cursor {@code null} to start, else the previous page's {@code nextPageToken}
   */
  public ProductPage productCatalogPage(String shopCipher, ProductFilter filter, @Nullable String cursor, int pageSize) {
    Checks.notNull(filter, "filter");
    String cipher = cipher(shopCipher);
    int size = pageSize(pageSize, 1, MAX_PAGE_SIZE);
    CatalogCursor cur;
    if (cursor == null) {
      long lo = Math.max(config.catalogEpoch().getEpochSecond(),
          filter.updatedFrom() == null ? 0 : filter.updatedFrom().getEpochSecond());
      long end = filter.updatedTo() == null ? caller.clock().instant().getEpochSecond() : filter.updatedTo().getEpochSecond();
      if (lo > end) {
        return new ProductPage(List.of(), null, 0);
      }
      cur = new CatalogCursor(lo, end, end, -1, null);
    } else {
      cur = CatalogCursor.decode(cursor);
    }
    int cap = config.searchResultCap();
    for (int step = 0; step < MAX_WINDOW_STEPS; step++) {
      ProductPage page;
      if (cur.pageToken() == null) {
        page = searchWindow(cipher, filter, cur.lo(), cur.hi(), null, size);
        long total = cur.total() < 0 ? page.totalCount() : cur.total();
        if (page.totalCount() > cap && cur.hi() > cur.lo()) {
          cur = new CatalogCursor(cur.lo(), cur.lo() + (cur.hi() - cur.lo()) / 2, cur.end(), total, null);
          continue;
        }
        if (page.totalCount() > cap) {
          LOG.warn("TikTok products updated in the single second {} exceed the search cap of {}: {} of them are unreachable",
              Instant.ofEpochSecond(cur.lo()), cap, page.totalCount() - cap);
        }
        cur = new CatalogCursor(cur.lo(), cur.hi(), cur.end(), total, null);
      } else {
        try {
          page = searchWindow(cipher, filter, cur.lo(), cur.hi(), cur.pageToken(), size);
        } catch (TikTokApiException e) {
          if (e.apiCode() != CODE_SEARCH_RESULT_CAP) {
            throw e;
          }
          if (cur.hi() > cur.lo()) {
            // The window grew past the cap while we paged it: page its first half again.
            cur = new CatalogCursor(cur.lo(), cur.lo() + (cur.hi() - cur.lo()) / 2, cur.end(), cur.total(), null);
            continue;
          }
          page = new ProductPage(List.of(), null, cur.total());
        }
      }
      String next = page.nextPageToken();
      if (next != null) {
        return new ProductPage(page.products(),
            new CatalogCursor(cur.lo(), cur.hi(), cur.end(), cur.total(), next).encode(), cur.total());
      }
      if (cur.hi() >= cur.end()) {
        return new ProductPage(page.products(), null, cur.total());
      }
      cur = new CatalogCursor(cur.hi() + 1, cur.end(), cur.end(), cur.total(), null);
      if (!page.products().isEmpty()) {
        return new ProductPage(page.products(), cur.encode(), cur.total());
      }
    }
    throw new TikTokApiException(TikTokEndpoint.SEARCH_PRODUCTS.name(), 0, TikTokApiException.NO_API_CODE, null, null,
        "catalog paging made no progress in " + MAX_WINDOW_STEPS + " window steps", null);
  }

  /**
   * Every product matching {@code filter}, fetched lazily page by page (100 per request) as the
   * stream is consumed, past the 10,000-result cap (see {@link #productCatalogPage}). Failures surface
   * from the stream's terminal operation as {@link TikTokApiException}s.
   */
  public Stream<Product> allProducts(String shopCipher, ProductFilter filter) {
    String cipher = cipher(shopCipher);
    Checks.notNull(filter, "filter");
    Iterator<Product> it =
        new Iterator<>() {
          private Iterator<Product> page = List.<Product>of().iterator();
          private @Nullable String cursor;
          private boolean started;

          @Override
          public boolean hasNext() {
            while (!page.hasNext()) {
              if (started && cursor == null) {
                return false;
              }
              ProductPage p = productCatalogPage(cipher, filter, cursor, MAX_PAGE_SIZE);
              started = true;
              cursor = p.nextPageToken();
              page = p.products().iterator();
            }
            return true;
          }

          @Override
          public Product next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.next();
          }
        };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  private ProductPage searchWindow(String cipher, ProductFilter filter, @Nullable Long ge, @Nullable Long le,
      @Nullable String pageToken, int pageSize) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (filter.status() != null) {
      body.put("status", filter.status());
    }
    if (!filter.sellerSkus().isEmpty()) {
      ArrayNode skus = body.putArray("seller_skus");
      filter.sellerSkus().forEach(skus::add);
    }
    if (ge != null) {
      body.put("update_time_ge", ge);
    }
    if (le != null) {
      body.put("update_time_le", le);
    }
    Map<String, String> query = pageToken == null
        ? Map.of("page_size", Integer.toString(pageSize))
        : Map.of("page_size", Integer.toString(pageSize), "page_token", pageToken);
    JsonNode data = caller.call(TikTokEndpoint.SEARCH_PRODUCTS, cipher, Map.of(), query, body);
    List<Product> products = Json.list(data, "products", TikTokShopApi::parseProduct);
    return new ProductPage(products, Json.pageToken(data), Json.longValue(data, "total_count", products.size()));
  }

  // ------------------------------------------------------------------------------------- inventory

  /** Inventory of every SKU of the products, in requests of at most 100 product ids. */
  public List<SkuInventory> inventoryOfProducts(String shopCipher, Collection<String> productIds) {
    return inventorySearch(cipher(shopCipher), "product_ids", ids(productIds, "productIds"), MAX_INVENTORY_PRODUCT_IDS);
  }

  /** Inventory of the SKUs, in requests of at most 600 SKU ids. */
  public List<SkuInventory> inventoryOfSkus(String shopCipher, Collection<String> skuIds) {
    return inventorySearch(cipher(shopCipher), "sku_ids", ids(skuIds, "skuIds"), MAX_INVENTORY_SKU_IDS);
  }

  private List<SkuInventory> inventorySearch(String cipher, String field, List<String> ids, int batch) {
    List<SkuInventory> out = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += batch) {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode arr = body.putArray(field);
      ids.subList(from, Math.min(ids.size(), from + batch)).forEach(arr::add);
      JsonNode data = caller.call(TikTokEndpoint.SEARCH_INVENTORY, cipher, Map.of(), Map.of(), body);
      for (JsonNode product : iterable(data.get("inventory"))) {
        String productId = Json.id(product, "product_id");
        if (productId == null) {
          continue;
        }
        out.addAll(Json.list(product, "skus", s -> {
          String skuId = Json.id(s, "id");
          return skuId == null ? null
              : new SkuInventory(productId, skuId, Json.text(s, "seller_sku"),
                  Json.longValue(s, "total_available_quantity", 0), Json.longValue(s, "total_committed_quantity", 0),
                  Json.list(s, "warehouse_inventory", w -> {
                    String wid = Json.id(w, "warehouse_id");
                    return wid == null ? null
                        : new WarehouseInventory(wid, Json.longValue(w, "available_quantity", 0),
                            Json.longValue(w, "committed_quantity", 0));
                  }));
        }));
      }
    }
    return out;
  }

  /**
   * Sets absolute quantities of SKUs of one product. TikTok requires every warehouse of a SKU to be
   * listed; {@link TikTokShopClient#pushQuantities} takes care of that. A response with code 0 can
   * still refuse single SKUs: see {@link InventoryUpdateResult#errors()}.
   *
   * @throws InvalidRequestException for an empty list or a quantity outside 0 to {@value #MAX_QUANTITY}
   */
  public InventoryUpdateResult updateInventory(String shopCipher, String productId, List<SkuInventoryUpdate> skus) {
    String cipher = cipher(shopCipher);
    String pid = pathId(productId, "productId");
    Checks.notNull(skus, "skus");
    if (skus.isEmpty()) {
      throw new InvalidRequestException("skus must not be empty");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode arr = body.putArray("skus");
    for (SkuInventoryUpdate sku : skus) {
      ObjectNode s = arr.addObject();
      s.put("id", sku.skuId());
      ArrayNode inv = s.putArray("inventory");
      for (WarehouseQuantity wq : sku.inventory()) {
        if (wq.quantity() < 0 || wq.quantity() > MAX_QUANTITY) {
          throw new InvalidRequestException(
              "quantity of SKU " + sku.skuId() + " must be between 0 and " + MAX_QUANTITY + ", was " + wq.quantity());
        }
        ObjectNode w = inv.addObject();
        if (wq.warehouseId() != null) {
          w.put("warehouse_id", wq.warehouseId());
        }
        w.put("quantity", wq.quantity());
      }
    }
    JsonNode data = caller.call(TikTokEndpoint.UPDATE_INVENTORY, cipher, Map.of("product_id", pid), Map.of(), body);
    List<InventoryUpdateError> errors = Json.list(data, "errors", e -> {
      JsonNode detail = e.path("detail");
      return new InventoryUpdateError(
          Json.longValue(e, "code", TikTokApiException.NO_API_CODE),
          String.valueOf(Json.text(e, "message")),
          detail.isObject() ? Json.id(detail, "sku_id") : null,
          detail.isObject() ? Json.list(detail, "extra_errors", x -> new WarehouseError(
              Json.id(x, "warehouse_id"), Json.longValue(x, "code", TikTokApiException.NO_API_CODE),
              String.valueOf(Json.text(x, "message")))) : List.of());
    });
    return new InventoryUpdateResult(errors);
  }

  // ---------------------------------------------------------------------------------------- orders

  /** Orders by id with their line items, in calls of at most 50 ids; unknown ids are left out. */
  public List<Order> orders(String shopCipher, Collection<String> orderIds) {
    String cipher = cipher(shopCipher);
    List<String> ids = ids(orderIds, "orderIds");
    List<Order> out = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += MAX_ORDER_IDS) {
      String joined = String.join(",", ids.subList(from, Math.min(ids.size(), from + MAX_ORDER_IDS)));
      JsonNode data = caller.call(TikTokEndpoint.ORDER_DETAIL, cipher, Map.of(), Map.of("ids", joined), null);
      out.addAll(Json.list(data, "orders", this::parseOrder));
    }
    return out;
  }

  /**
   * Orders whose update time is in {@code [updatedFrom, updatedBefore)} (whole seconds: the start is
   * rounded down and the end up, so nothing is missed), oldest update first.
   *
   * @param pageSize 1 to 100
   */
  public OrderPage searchOrders(String shopCipher, Instant updatedFrom, Instant updatedBefore, @Nullable String pageToken,
      int pageSize) {
    JsonNode data = timeSearch(TikTokEndpoint.SEARCH_ORDERS, shopCipher, updatedFrom, updatedBefore, pageToken,
        pageSize(pageSize, 1, MAX_PAGE_SIZE));
    List<Order> orders = Json.list(data, "orders", this::parseOrder);
    return new OrderPage(orders, Json.pageToken(data), Json.longValue(data, "total_count", orders.size()));
  }

  /** Order cancellations updated in {@code [updatedFrom, updatedBefore)}; page size 1 to 50. */
  public CancellationPage searchCancellations(String shopCipher, Instant updatedFrom, Instant updatedBefore,
      @Nullable String pageToken, int pageSize) {
    JsonNode data = timeSearch(TikTokEndpoint.SEARCH_CANCELLATIONS, shopCipher, updatedFrom, updatedBefore, pageToken,
        pageSize(pageSize, 1, 50));
    List<Cancellation> list = Json.list(data, "cancellations", n -> {
      String id = Json.id(n, "cancel_id");
      String orderId = Json.id(n, "order_id");
      return id == null || orderId == null ? null
          : new Cancellation(id, orderId, Json.text(n, "cancel_type"), Json.text(n, "cancel_status"),
              Json.text(n, "role"), Json.epochSeconds(n, "update_time"), reverseLines(n, "cancel_line_items"));
    });
    return new CancellationPage(list, Json.pageToken(data), Json.longValue(data, "total_count", list.size()));
  }

  /** Returns and refunds updated in {@code [updatedFrom, updatedBefore)}; page size 10 to 50. */
  public ReturnPage searchReturns(String shopCipher, Instant updatedFrom, Instant updatedBefore,
      @Nullable String pageToken, int pageSize) {
    JsonNode data = timeSearch(TikTokEndpoint.SEARCH_RETURNS, shopCipher, updatedFrom, updatedBefore, pageToken,
        pageSize(pageSize, 10, 50));
    List<ReturnOrder> list = Json.list(data, "return_orders", n -> {
      String id = Json.id(n, "return_id");
      String orderId = Json.id(n, "order_id");
      return id == null || orderId == null ? null
          : new ReturnOrder(id, orderId, Json.text(n, "return_type"), Json.text(n, "return_status"),
              Json.epochSeconds(n, "update_time"), reverseLines(n, "return_line_items"));
    });
    return new ReturnPage(list, Json.pageToken(data), Json.longValue(data, "total_count", list.size()));
  }

  private JsonNode timeSearch(TikTokEndpoint endpoint, String shopCipher, Instant from, Instant before,
      @Nullable String pageToken, int pageSize) {
    String cipher = cipher(shopCipher);
    Checks.notNull(from, "updatedFrom");
    Checks.notNull(before, "updatedBefore");
    if (!from.isBefore(before)) {
      throw new InvalidRequestException("updatedFrom (" + from + ") must be before updatedBefore (" + before + ")");
    }
    long ge = from.getEpochSecond();
    long lt = before.getEpochSecond() + (before.getNano() > 0 ? 1 : 0);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("update_time_ge", ge);
    body.put("update_time_lt", lt);
    Map<String, String> query = new java.util.HashMap<>();
    query.put("page_size", Integer.toString(pageSize));
    query.put("sort_field", "update_time");
    query.put("sort_order", "ASC");
    if (pageToken != null) {
      query.put("page_token", pageToken);
    }
    return caller.call(endpoint, cipher, Map.of(), query, body);
  }

  // ------------------------------------------------------------------------------------- parsing

  private static @Nullable Product parseProduct(JsonNode n) {
    String id = Json.id(n, "id");
    if (id == null) {
      return null;
    }
    List<ProductSku> skus = Json.list(n, "skus", s -> {
      String skuId = Json.id(s, "id");
      return skuId == null ? null
          : new ProductSku(skuId, Json.text(s, "seller_sku"), Json.list(s, "inventory", w ->
              new WarehouseQuantity(Json.id(w, "warehouse_id"), Json.longValue(w, "quantity", 0))));
    });
    return new Product(id, Json.text(n, "title"), Json.text(n, "status"), Json.epochSeconds(n, "create_time"),
        Json.epochSeconds(n, "update_time"), skus);
  }

  private @Nullable Order parseOrder(JsonNode n) {
    String id = Json.id(n, "id");
    if (id == null) {
      return null;
    }
    boolean quantityField = config.lineItemQuantity() == TikTokShopConfig.LineItemQuantity.QUANTITY_FIELD;
    List<OrderLineItem> items = Json.list(n, "line_items", li -> {
      String skuId = Json.id(li, "sku_id");
      String productId = Json.id(li, "product_id");
      if (skuId == null || productId == null) {
        return null;
      }
      long quantity = quantityField ? Math.max(0, Json.longValue(li, "quantity", 1)) : 1;
      return new OrderLineItem(String.valueOf(Json.text(li, "id")), productId, skuId, Json.text(li, "seller_sku"),
          Json.text(li, "display_status"), quantity);
    });
    return new Order(id, String.valueOf(Json.text(n, "status")), Json.epochSeconds(n, "create_time"),
        Json.epochSeconds(n, "update_time"), items);
  }

  private static List<ReverseLineItem> reverseLines(JsonNode n, String field) {
    return Json.list(n, field, li -> {
      String skuId = Json.id(li, "sku_id");
      return skuId == null ? null
          : new ReverseLineItem(Json.id(li, "order_line_item_id"), skuId, Json.text(li, "seller_sku"));
    });
  }

  private static Iterable<JsonNode> iterable(@Nullable JsonNode node) {
    return node == null || !node.isArray() ? List.of() : node;
  }

  // ------------------------------------------------------------------------------------ arguments

  private static String cipher(@Nullable String shopCipher) {
    return Checks.identifier(shopCipher, "shopCipher", 512);
  }

  /** Whether {@code id} can be sent as a TikTok id (1 to 64 letters, digits, '_' or '-'). */
  static boolean isSafeId(@Nullable String id) {
    return id != null && SAFE_ID.matcher(id).matches();
  }

  static String pathId(@Nullable String id, String name) {
    Checks.notNull(id, name);
    if (!SAFE_ID.matcher(id).matches()) {
      throw new InvalidRequestException(
          name + " must be 1 to 64 letters, digits, '_' or '-', was '" + id + "'");
    }
    return id;
  }

  private static List<String> ids(@Nullable Collection<String> ids, String name) {
    Checks.notNull(ids, name);
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String id : ids) {
      unique.add(pathId(id, name + " element"));
    }
    return new ArrayList<>(unique);
  }

  private static int pageSize(int size, int min, int max) {
    if (size < min || size > max) {
      throw new InvalidRequestException("pageSize must be between " + min + " and " + max + ", was " + size);
    }
    return size;
  }

  /** Releases the OkHttp client's threads and connections if this API created the client. */
  @Override
  public void close() {
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "TikTokShopApi[" + config + "]";
  }

  // -------------------------------------------------------------------------------------- builder

  /** Builds a {@link TikTokShopApi}. Not thread-safe. */
  public static final class Builder {
    private final TikTokShopConfig config;
    private @Nullable OkHttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private @Nullable DoubleSupplier random;
    private @Nullable TikTokCredentials credentials;
    private TikTokTokenStore tokenStore = TikTokTokenStore.NONE;

    private Builder(TikTokShopConfig config) {
      this.config = config;
    }

    /**
     * The host's shared OkHttp client. The API derives its own from it (same connection pool and
     * dispatcher, the configured time-outs, no silent retries) and never shuts it down. Without one,
     * the API creates a client and {@link TikTokShopApi#close()} releases it.
     */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient = Checks.notNull(client, "httpClient");
      return this;
    }

    /** The clock for request timestamps and token expiry; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /** How retries wait; {@link Sleeper#SYSTEM} by default. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Checks.notNull(sleeper, "sleeper");
      return this;
    }

    /** Uniform values in {@code [0, 1)} for backoff jitter; a {@link Random} by default. */
    public Builder jitter(DoubleSupplier random) {
      this.random = Checks.notNull(random, "jitter");
      return this;
    }

    /** The seller's current tokens and where refreshed ones are stored. */
    public Builder credentials(TikTokCredentials credentials, TikTokTokenStore store) {
      this.credentials = Checks.notNull(credentials, "credentials");
      this.tokenStore = Checks.notNull(store, "tokenStore");
      return this;
    }

    /** Where tokens from {@link TikTokShopApi#exchangeAuthorizationCode} are stored. */
    public Builder tokenStore(TikTokTokenStore store) {
      this.tokenStore = Checks.notNull(store, "tokenStore");
      return this;
    }

    public TikTokShopApi build() {
      return new TikTokShopApi(this);
    }
  }

  // --------------------------------------------------------------------------------------- values

  /** A shop the seller authorized; {@code cipher} goes into every shop-scoped call. */
  public record AuthorizedShop(
      String id, @Nullable String name, @Nullable String region, @Nullable String sellerType, String cipher,
      @Nullable String code) {}

  /** A warehouse; {@code type} is {@code SALES_WAREHOUSE} or {@code RETURN_WAREHOUSE}. */
  public record Warehouse(
      String id, @Nullable String name, @Nullable String type, @Nullable String effectStatus, boolean isDefault) {
    public boolean isSalesWarehouse() {
      return "SALES_WAREHOUSE".equals(type);
    }
  }

  /** Search filters; {@code null} means "any". {@code sellerSkus}: at most 10. */
  public record ProductFilter(
      @Nullable String status, List<String> sellerSkus, @Nullable Instant updatedFrom, @Nullable Instant updatedTo) {
    public ProductFilter {
      sellerSkus = List.copyOf(sellerSkus);
      if (sellerSkus.size() > 10) {
        throw new InvalidRequestException("sellerSkus must hold at most 10 values, had " + sellerSkus.size());
      }
      if (updatedFrom != null && updatedTo != null && updatedFrom.isAfter(updatedTo)) {
        throw new InvalidRequestException("updatedFrom (" + updatedFrom + ") must not be after updatedTo (" + updatedTo + ")");
      }
    }

    /** Every product, whatever its status. */
    public static ProductFilter all() {
      return new ProductFilter(null, List.of(), null, null);
    }

    /** Products with this status, such as {@code ACTIVATE}. */
    public static ProductFilter withStatus(String status) {
      return new ProductFilter(Checks.identifier(status, "status", 64), List.of(), null, null);
    }
  }

  /** A product; {@code status} such as {@code ACTIVATE}, {@code SELLER_DEACTIVATED}, {@code DELETED}. */
  public record Product(
      String id, @Nullable String title, @Nullable String status, @Nullable Instant createTime,
      @Nullable Instant updateTime, List<ProductSku> skus) {
    public Product {
      skus = List.copyOf(skus);
    }
  }

  /** A SKU with its available quantity per warehouse. */
  public record ProductSku(String id, @Nullable String sellerSku, List<WarehouseQuantity> inventory) {
    public ProductSku {
      inventory = List.copyOf(inventory);
    }

    /** The quantity buyers can order: the sum over warehouses. */
    public long totalQuantity() {
      long sum = 0;
      for (WarehouseQuantity q : inventory) {
        sum += q.quantity();
      }
      return sum;
    }
  }

  /** A quantity in a warehouse; {@code warehouseId} {@code null} only in an update of a one-warehouse SKU. */
  public record WarehouseQuantity(@Nullable String warehouseId, long quantity) {}

  /** A page of products. {@code nextPageToken} is {@code null} on the last page. */
  public record ProductPage(List<Product> products, @Nullable String nextPageToken, long totalCount) {
    public ProductPage {
      products = List.copyOf(products);
    }
  }

  /** A SKU's inventory from the inventory search. */
  public record SkuInventory(
      String productId, String skuId, @Nullable String sellerSku, long totalAvailable, long totalCommitted,
      List<WarehouseInventory> warehouses) {
    public SkuInventory {
      warehouses = List.copyOf(warehouses);
    }
  }

  /** Available (orderable) and committed (reserved by orders) units in one warehouse. */
  public record WarehouseInventory(String warehouseId, long available, long committed) {}

  /** The new absolute quantities of one SKU, one entry per warehouse it is stocked in. */
  public record SkuInventoryUpdate(String skuId, List<WarehouseQuantity> inventory) {
    public SkuInventoryUpdate {
      pathId(skuId, "skuId");
      inventory = List.copyOf(inventory);
      if (inventory.isEmpty()) {
        throw new InvalidRequestException("inventory of SKU " + skuId + " must list at least one warehouse");
      }
    }
  }

  /** What TikTok refused in an inventory update that as a whole succeeded (code 0). */
  public record InventoryUpdateResult(List<InventoryUpdateError> errors) {
    public InventoryUpdateResult {
      errors = List.copyOf(errors);
    }
  }

  /** One refusal: the main code and message, the SKU (if given) and per-warehouse details. */
  public record InventoryUpdateError(long code, String message, @Nullable String skuId, List<WarehouseError> warehouseErrors) {
    public InventoryUpdateError {
      warehouseErrors = List.copyOf(warehouseErrors);
    }
  }

  /** A secondary error about one warehouse. */
  public record WarehouseError(@Nullable String warehouseId, long code, String message) {}

  /** An order; {@code status} as TikTok spells it ({@code AWAITING_SHIPMENT}, {@code CANCELLED}, ...). */
  public record Order(
      String id, String status, @Nullable Instant createTime, @Nullable Instant updateTime,
      List<OrderLineItem> lineItems) {
    public Order {
      lineItems = List.copyOf(lineItems);
    }
  }

  /** A line item; {@code quantity} per {@link TikTokShopConfig#lineItemQuantity()}. */
  public record OrderLineItem(
      String id, String productId, String skuId, @Nullable String sellerSku, @Nullable String displayStatus,
      long quantity) {}

  /** A page of orders. */
  public record OrderPage(List<Order> orders, @Nullable String nextPageToken, long totalCount) {
    public OrderPage {
      orders = List.copyOf(orders);
    }
  }

  /** An order cancellation (request) and its status, such as {@code CANCELLATION_REQUEST_COMPLETE}. */
  public record Cancellation(
      String cancelId, String orderId, @Nullable String cancelType, @Nullable String cancelStatus,
      @Nullable String role, @Nullable Instant updateTime, List<ReverseLineItem> lineItems) {
    public Cancellation {
      lineItems = List.copyOf(lineItems);
    }
  }

  /** A page of cancellations. */
  public record CancellationPage(List<Cancellation> cancellations, @Nullable String nextPageToken, long totalCount) {
    public CancellationPage {
      cancellations = List.copyOf(cancellations);
    }
  }

  /** A return or refund and its status, such as {@code RETURN_OR_REFUND_REQUEST_COMPLETE}. */
  public record ReturnOrder(
      String returnId, String orderId, @Nullable String returnType, @Nullable String returnStatus,
      @Nullable Instant updateTime, List<ReverseLineItem> lineItems) {
    public ReturnOrder {
      lineItems = List.copyOf(lineItems);
    }
  }

  /** A page of returns. */
  public record ReturnPage(List<ReturnOrder> returns, @Nullable String nextPageToken, long totalCount) {
    public ReturnPage {
      returns = List.copyOf(returns);
    }
  }

  /** A line of a cancellation or return. */
  public record ReverseLineItem(@Nullable String orderLineItemId, String skuId, @Nullable String sellerSku) {}
}
