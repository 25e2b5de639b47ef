package io.creatorflow.inventory.examples.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.InsufficientStockException;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.NotFoundException;
import io.creatorflow.inventory.OperationResult;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API, mounted at {@code /api/*}: the seed's routes with its defects fixed (literal search,
 * true totals, a bounded page size, and 400/404/409 instead of 500).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>Method and path</th><th>Answers</th></tr>
 *   <tr><td>GET /api/inventory/products?status=&amp;search=&amp;page=&amp;limit=</td><td>200, 400</td></tr>
 *   <tr><td>GET /api/inventory/products/{sku}</td><td>200, 404</td></tr>
 *   <tr><td>POST /api/inventory/products/{sku}/adjust</td><td>200, 400, 404, 409, 413, 415</td></tr>
 *   <tr><td>GET /api/inventory/products/{sku}/history?type=&amp;page=&amp;limit=</td><td>200, 400, 404</td></tr>
 *   <tr><td>GET /api/inventory/movements?type=&amp;page=&amp;limit=</td><td>200, 400</td></tr>
 *   <tr><td>GET /api/inventory/alerts?sku=</td><td>200, 400</td></tr>
 *   <tr><td>POST /api/inventory/alerts/{id}/resolve</td><td>200, 400, 404, 413, 415</td></tr>
 *   <tr><td>GET /api/inventory/sync</td><td>200</td></tr>
 *   <tr><td>GET /api/health/inventory</td><td>200 when every component is up, else 503</td></tr>
 * </table>
 *
 * <p>Every answer is JSON; errors are {@code {"error": code, "message": ...}} with codes {@code
 * invalid_request}, {@code malformed_json}, {@code unknown_field}, {@code not_found}, {@code
 * insufficient_stock} (with {@code requested} and {@code available}), {@code conflict} (with {@code
 * reason}), {@code payload_too_large}, {@code unsupported_media_type}, {@code method_not_allowed},
 * {@code store_unavailable} and {@code internal_error}. Request bodies must be {@code
 * application/json}, at most {@value #MAX_BODY_BYTES} bytes, one JSON object with only the documented
 * fields: an unknown field is refused, a number where text is expected (or text for a number, or a
 * fraction for a whole number) is refused, duplicate keys are refused. Unknown query parameters are
 * ignored. A {@code 503} may be retried; with the same {@code Idempotency-Key} an adjustment is
 * applied at most once.
 *
 * <p>The tenant is the service's, unless a tenant header is configured and the request carries it.
 * Thread-safe.
 */
public final class InventoryApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(InventoryApiServlet.class);

  /** The largest request body accepted. */
  public static final int MAX_BODY_BYTES = 16 * 1024;
  /** The largest page size. */
  public static final int MAX_LIMIT = 100;
  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 20;
  /** The actor recorded for changes made through the API when the body names none. */
  public static final String DEFAULT_ACTOR = "api";

  private final transient ServiceState state;
  private final @Nullable String tenantHeader;

  /**
   * @param state the service this API serves
   * @param tenantHeader a request header naming the tenant, or {@code null} to always act for {@link
   *     ServiceState#tenant()}
   */
  public InventoryApiServlet(ServiceState state, @Nullable String tenantHeader) {
    this.state = Objects.requireNonNull(state, "state");
    this.tenantHeader = tenantHeader;
  }

  /** The body of {@code POST .../adjust}. */
  record AdjustBody(
      @Nullable Long quantity, @Nullable String reason, @Nullable String type, @Nullable String reference,
      @Nullable String actor) {}

  /** The body of {@code POST .../resolve}. */
  record ResolveBody(@Nullable String actor) {}

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      route(req, resp);
    } catch (ApiException e) {
      fail(req, resp, e);
    } catch (InvalidRequestException e) {
      fail(req, resp, ApiException.badRequest(e.getMessage()));
    } catch (NotFoundException e) {
      fail(req, resp, new ApiException(404, "not_found", e.getMessage()));
    } catch (InsufficientStockException e) {
      fail(req, resp, new ApiException(409, "insufficient_stock", e.getMessage(),
          Map.of("requested", e.requested(), "available", e.available())));
    } catch (ConflictException e) {
      fail(req, resp, new ApiException(409, "conflict", e.getMessage(),
          Map.of("reason", e.reason().name().toLowerCase(Locale.ROOT))));
    } catch (StoreUnavailableException e) {
      LOG.warn("{} {}: store unavailable: {}", req.getMethod(), req.getRequestURI(), e.toString());
      fail(req, resp, new ApiException(503, "store_unavailable",
          "the stock store is unavailable; retry later (with the same Idempotency-Key for changes)"));
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("closed")) {
        fail(req, resp, new ApiException(503, "shutting_down", "the service is shutting down; retry later"));
      } else {
        internalError(req, resp, e);
      }
    } catch (RuntimeException e) {
      internalError(req, resp, e);
    }
  }

  /** Answers with an error, first reading what is left of the body so the connection stays usable. */
  private static void fail(HttpServletRequest req, HttpServletResponse resp, ApiException e) throws IOException {
    Http.skipBody(req);
    Http.error(resp, e);
  }

  private static void internalError(HttpServletRequest req, HttpServletResponse resp, RuntimeException e)
      throws IOException {
    LOG.error("{} {} failed", req.getMethod(), req.getRequestURI(), e);
    fail(req, resp, new ApiException(500, "internal_error", "the request failed unexpectedly; see the service log"));
  }

  private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    List<String> s = Http.segments(req, "/api");
    String method = req.getMethod();
    if (s.size() == 2 && s.get(0).equals("health") && s.get(1).equals("inventory")) {
      allow(method, "GET");
      health(resp);
      return;
    }
    if (s.isEmpty() || !s.get(0).equals("inventory")) {
      throw notFound(req);
    }
    if (s.size() == 2 && s.get(1).equals("products")) {
      allow(method, "GET");
      products(req, resp);
    } else if (s.size() == 3 && s.get(1).equals("products")) {
      allow(method, "GET");
      product(req, resp, sku(s.get(2)));
    } else if (s.size() == 4 && s.get(1).equals("products") && s.get(3).equals("adjust")) {
      allow(method, "POST");
      adjust(req, resp, sku(s.get(2)));
    } else if (s.size() == 4 && s.get(1).equals("products") && s.get(3).equals("history")) {
      allow(method, "GET");
      history(req, resp, sku(s.get(2)));
    } else if (s.size() == 2 && s.get(1).equals("movements")) {
      allow(method, "GET");
      history(req, resp, null);
    } else if (s.size() == 2 && s.get(1).equals("alerts")) {
      allow(method, "GET");
      alerts(req, resp);
    } else if (s.size() == 4 && s.get(1).equals("alerts") && s.get(3).equals("resolve")) {
      allow(method, "POST");
      resolve(req, resp, s.get(2));
    } else if (s.size() == 2 && s.get(1).equals("sync")) {
      allow(method, "GET");
      Http.json(resp, 200, Views.sync(state.syncStats()));
    } else {
      throw notFound(req);
    }
  }

  private static ApiException notFound(HttpServletRequest req) {
    return new ApiException(404, "not_found", "no such resource: " + req.getMethod() + " " + req.getRequestURI());
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
      throw new ApiException(405, "method_not_allowed", method + " is not allowed here; use " + allowed,
          Map.of("allow", allowed));
    }
  }

  private static Sku sku(String value) {
    return Sku.of(value);
  }

  private TenantId tenant(HttpServletRequest req) {
    if (tenantHeader != null) {
      String value = req.getHeader(tenantHeader);
      if (value != null) {
        return TenantId.of(value);
      }
    }
    return state.tenant();
  }

  private InventoryEngine engine() {
    return state.engine();
  }

  // ------------------------------------------------------------------------------------ catalog

  private void products(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    TenantId tenant = tenant(req);
    Paging paging = paging(req);
    StockStatus status = status(req.getParameter("status"));
    CatalogQuery query = new CatalogQuery(status, req.getParameter("search"), paging.request());
    Page<ItemStock> page = engine().find(tenant, query);
    long threshold = engine().alertRule().defaultThreshold();
    List<Object> products = new ArrayList<>();
    for (ItemStock row : page.items()) {
      products.add(Views.product(row, threshold));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("products", products);
    body.put("pagination", Views.pagination(page, paging.page(), paging.limit()));
    Http.json(resp, 200, body);
  }

  private static @Nullable StockStatus status(@Nullable String value) {
    if (value == null || value.isBlank() || value.equalsIgnoreCase("all")) {
      return null;
    }
    for (StockStatus s : StockStatus.values()) {
      if (s.name().equalsIgnoreCase(value.strip())) {
        return s;
      }
    }
    throw ApiException.badRequest("status must be in_stock, low_stock, out_of_stock or all, was '" + value + "'");
  }

  private void product(HttpServletRequest req, HttpServletResponse resp, Sku sku) throws IOException {
    Http.json(resp, 200, productView(tenant(req), sku));
  }

  private Map<String, @Nullable Object> productView(TenantId tenant, Sku sku) {
    CatalogItem item = engine().item(tenant, sku);
    StockLevel level = engine().level(tenant, sku);
    long threshold = engine().alertRule().defaultThreshold();
    return Views.product(item, level, level.status(item.effectiveThreshold(threshold)), threshold);
  }

  // ------------------------------------------------------------------------------------ stock

  private void adjust(HttpServletRequest req, HttpServletResponse resp, Sku sku) throws IOException {
    TenantId tenant = tenant(req);
    AdjustBody body = read(req, AdjustBody.class, false);
    if (body.quantity() == null) {
      throw ApiException.badRequest("quantity is required: a non-zero whole number, negative to remove stock");
    }
    if (body.reason() == null || body.reason().isBlank()) {
      throw ApiException.badRequest("reason is required: why the stock changes (1 to " + Adjustment.MAX_TEXT
          + " characters)");
    }
    MovementType type = MovementType.ADJUSTMENT;
    if (body.type() != null) {
      type = switch (body.type().toLowerCase(Locale.ROOT)) {
        case "adjustment" -> MovementType.ADJUSTMENT;
        case "in" -> MovementType.IN;
        case "out" -> MovementType.OUT;
        default -> throw ApiException.badRequest("type must be adjustment, in or out, was '" + body.type() + "'");
      };
    }
    String actor = body.actor() == null ? DEFAULT_ACTOR : body.actor();
    Adjustment adjustment = Adjustment.of(tenant, sku, body.quantity(), body.reason())
        .withType(type)
        .withReference(body.reference())
        .withActor(actor)
        .withIdempotencyKey(req.getHeader("Idempotency-Key"));
    OperationResult result = engine().adjust(adjustment);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("replayed", result.replayed());
    out.put("movement", Views.movement(result.movement()));
    out.put("product", productView(tenant, sku));
    Http.json(resp, 200, out);
  }

  private void history(HttpServletRequest req, HttpServletResponse resp, @Nullable Sku sku) throws IOException {
    TenantId tenant = tenant(req);
    Paging paging = paging(req);
    HistoryQuery query = new HistoryQuery(sku, types(req.getParameter("type")), null, null, paging.request());
    Page<Movement> page = engine().history(tenant, query);
    List<Object> movements = new ArrayList<>();
    for (Movement m : page.items()) {
      movements.add(Views.movement(m));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("movements", movements);
    body.put("pagination", Views.pagination(page, paging.page(), paging.limit()));
    Http.json(resp, 200, body);
  }

  private static Set<MovementType> types(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    Set<MovementType> types = EnumSet.noneOf(MovementType.class);
    for (String part : value.split(",")) {
      String name = part.strip();
      MovementType match = null;
      for (MovementType t : MovementType.values()) {
        if (t.name().equalsIgnoreCase(name)) {
          match = t;
        }
      }
      if (match == null) {
        throw ApiException.badRequest("type must be a comma-separated list of in, out, adjustment, reserve, release, "
            + "sync; '" + name + "' is none of them");
      }
      types.add(match);
    }
    return types;
  }

  // ------------------------------------------------------------------------------------ alerts

  private void alerts(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    TenantId tenant = tenant(req);
    String sku = req.getParameter("sku");
    List<Alert> open = sku == null || sku.isBlank() ? engine().openAlerts(tenant) : engine().openAlerts(tenant, Sku.of(sku));
    List<Object> alerts = new ArrayList<>();
    for (Alert a : open) {
      alerts.add(Views.alert(a));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alerts", alerts);
    body.put("total", alerts.size());
    Http.json(resp, 200, body);
  }

  private void resolve(HttpServletRequest req, HttpServletResponse resp, String idText) throws IOException {
    TenantId tenant = tenant(req);
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("an alert id is a whole number, was '" + idText + "'");
    }
    ResolveBody body = read(req, ResolveBody.class, true);
    String actor = body.actor() == null ? DEFAULT_ACTOR : body.actor();
    Alert alert = engine().resolveAlert(tenant, id, actor);
    Http.json(resp, 200, Map.of("alert", Views.alert(alert)));
  }

  // ------------------------------------------------------------------------------------ health

  private void health(HttpServletResponse resp) throws IOException {
    HealthReport report = state.health();
    Http.json(resp, report.isUp() ? 200 : 503, Views.health(report));
  }

  // ------------------------------------------------------------------------------------ input

  /** Reads a JSON object body into {@code type}; an empty body is allowed only if {@code emptyOk}. */
  private static <T> T read(HttpServletRequest req, Class<T> type, boolean emptyOk) throws IOException {
    if (!Http.isJson(req)) {
      throw new ApiException(415, "unsupported_media_type",
          "send the body as JSON with Content-Type: application/json, was " + req.getContentType());
    }
    byte[] bytes = Http.body(req, MAX_BODY_BYTES);
    if (isBlank(bytes)) {
      if (emptyOk) {
        bytes = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } else {
        throw new ApiException(400, "malformed_json", "the request body is empty; send a JSON object");
      }
    }
    try {
      return Http.MAPPER.readValue(bytes, type);
    } catch (UnrecognizedPropertyException e) {
      throw new ApiException(400, "unknown_field", "unknown field '" + e.getPropertyName() + "'; allowed: "
          + e.getKnownPropertyIds(), Map.of("field", e.getPropertyName()));
    } catch (MismatchedInputException e) {
      String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
      throw ApiException.badRequest(field == null ? "the body must be a JSON object"
          : "field '" + field + "' has the wrong type: " + expected(field));
    } catch (StreamReadException e) {
      throw new ApiException(400, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "malformed_json", "the body cannot be read: " + e.getOriginalMessage());
    }
  }

  private static String expected(String field) {
    return field.equals("quantity") ? "expected a whole number" : "expected a string";
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private record Paging(int page, int limit) {
    PageRequest request() {
      long offset = (long) (page - 1) * limit;
      if (offset > PageRequest.MAX_OFFSET) {
        throw ApiException.badRequest("page " + page + " is beyond the last page that can be read");
      }
      return PageRequest.of((int) offset, limit);
    }
  }

  private static Paging paging(HttpServletRequest req) {
    int page = intParam(req, "page", 1, 1, Integer.MAX_VALUE);
    int limit = intParam(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    return new Paging(page, limit);
  }

  private static int intParam(HttpServletRequest req, String name, int fallback, int min, int max) {
    String v = req.getParameter(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n < min || n > max) {
        throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", was " + n);
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, was '" + v + "'");
    }
  }
}
