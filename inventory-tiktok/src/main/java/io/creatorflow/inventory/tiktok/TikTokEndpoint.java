package io.creatorflow.inventory.tiktok;

import java.util.Map;

/**
 * The TikTok Shop Open API endpoints this SDK calls, with their method, path template, default
 * version and retry semantics. The version in the path can be changed per endpoint with {@link
 * TikTokShopConfig.Builder#apiVersion(TikTokEndpoint, String)}.
 *
 * <p>Every endpoint here is idempotent: repeating a request whose outcome is unknown (a read timeout,
 * a 5xx, {@code 36009003}) is harmless. Reads and searches are; so is {@link #UPDATE_INVENTORY}, which
 * sets absolute quantities (sending the same absolute values twice leaves the same state). The token
 * refresh, which may rotate the refresh token, is not, and is retried only when the request provably
 * never reached the server.
 */
public enum TikTokEndpoint {
  /** {@code GET /authorization/{version}/shops}: the shops the seller authorized, with ciphers. */
  AUTHORIZED_SHOPS("GET", "/authorization/{version}/shops", false),
  /** {@code GET /product/{version}/products/{product_id}}. */
  GET_PRODUCT("GET", "/product/{version}/products/{product_id}", true),
  /** {@code POST /product/{version}/products/search}, token paged, capped at 10,000 results. */
  SEARCH_PRODUCTS("POST", "/product/{version}/products/search", true),
  /** {@code POST /product/{version}/inventory/search}: ≤ 100 product ids or ≤ 600 SKU ids. */
  SEARCH_INVENTORY("POST", "/product/{version}/inventory/search", true),
  /** {@code POST /product/{version}/products/{product_id}/inventory/update}: absolute quantities. */
  UPDATE_INVENTORY("POST", "/product/{version}/products/{product_id}/inventory/update", true),
  /** {@code GET /logistics/{version}/warehouses}. */
  WAREHOUSES("GET", "/logistics/{version}/warehouses", true),
  /** {@code GET /order/{version}/orders?ids=}: ≤ 50 ids. */
  ORDER_DETAIL("GET", "/order/{version}/orders", true),
  /** {@code POST /order/{version}/orders/search}. */
  SEARCH_ORDERS("POST", "/order/{version}/orders/search", true),
  /** {@code POST /return_refund/{version}/cancellations/search}. */
  SEARCH_CANCELLATIONS("POST", "/return_refund/{version}/cancellations/search", true),
  /** {@code POST /return_refund/{version}/returns/search}. */
  SEARCH_RETURNS("POST", "/return_refund/{version}/returns/search", true);

  /** The version every endpoint uses unless configured otherwise. */
  public static final String DEFAULT_VERSION = "202309";

  private final String method;
  private final String pathTemplate;
  private final boolean shopScoped;

  TikTokEndpoint(String method, String pathTemplate, boolean shopScoped) {
    this.method = method;
    this.pathTemplate = pathTemplate;
    this.shopScoped = shopScoped;
  }

  /** {@code GET} or {@code POST}. */
  public String method() {
    return method;
  }

  /** The path with {@code {version}} and id placeholders. */
  public String pathTemplate() {
    return pathTemplate;
  }

  /**
   * Whether the endpoint takes {@code shop_cipher}. Endpoints that do not (authorization) reject it,
   * so it is sent only where this is {@code true}.
   */
  public boolean shopScoped() {
    return shopScoped;
  }

  /** The concrete path for a version and path parameters (which must be URL-safe already). */
  public String path(String version, Map<String, String> pathParams) {
    String path = pathTemplate.replace("{version}", version);
    for (Map.Entry<String, String> e : pathParams.entrySet()) {
      path = path.replace("{" + e.getKey() + "}", e.getValue());
    }
    if (path.indexOf('{') >= 0) {
      throw new IllegalStateException("unfilled path parameter in " + path);
    }
    return path;
  }
}
