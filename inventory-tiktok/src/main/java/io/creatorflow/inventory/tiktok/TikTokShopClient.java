package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.spi.ShopClient;
import io.creatorflow.inventory.tiktok.TikTokShopApi.InventoryUpdateError;
import io.creatorflow.inventory.tiktok.TikTokShopApi.InventoryUpdateResult;
import io.creatorflow.inventory.tiktok.TikTokShopApi.Order;
import io.creatorflow.inventory.tiktok.TikTokShopApi.OrderLineItem;
import io.creatorflow.inventory.tiktok.TikTokShopApi.OrderPage;
import io.creatorflow.inventory.tiktok.TikTokShopApi.Product;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductFilter;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductPage;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductSku;
import io.creatorflow.inventory.tiktok.TikTokShopApi.SkuInventory;
import io.creatorflow.inventory.tiktok.TikTokShopApi.SkuInventoryUpdate;
import io.creatorflow.inventory.tiktok.TikTokShopApi.Warehouse;
import io.creatorflow.inventory.tiktok.TikTokShopApi.WarehouseError;
import io.creatorflow.inventory.tiktok.TikTokShopApi.WarehouseInventory;
import io.creatorflow.inventory.tiktok.TikTokShopApi.WarehouseQuantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ShopClient} for one TikTok Shop, on top of {@link TikTokShopApi}.
 *
 * <ul>
 *   <li>{@link #catalogPage}: product search pages (100 products with their SKUs and quantities per
 *       request, past the 10,000-result cap by update-time windows); a SKU's {@code available} is
 *       the sum of its warehouses' quantities.
 *   <li>{@link #pushQuantities}: grouped per product into one update-inventory call each. TikTok
 *       requires every warehouse of a SKU to be listed, so the current inventory of the products is
 *       read first (≤ 100 products per inventory search) and the warehouses not being set keep their
 *       current available quantity. {@code warehouseId == null} means the shop's default sales
 *       warehouse, discovered once through the warehouses call and cached (forgotten again when TikTok
 *       refuses a warehouse). Per-SKU refusals, SKUs that TikTok does not know, warehouses the SKU is
 *       not stocked in, ids that cannot be TikTok ids and quantities outside 0 to 99,999 are reported
 *       in the {@link PushResult}; several quantities for the same SKU and warehouse are coalesced
 *       (the last one's value is sent, and all of them share its outcome); only
 *       authentication failures are thrown. After TikTok rate-limits or fails a product's call beyond
 *       the retries, the remaining products are reported as retryable failures without further calls.
 *   <li>{@link #orders}: order detail in calls of at most 50 ids.
 *   <li>{@link #ordersUpdated}: order search by update time, oldest first.
 * </ul>
 *
 * <p>Order lines: line items are grouped per SKU and counted per {@link
 * TikTokShopConfig#lineItemQuantity()}; line items whose {@code display_status} is {@code CANCELLED}
 * are left out of orders that are not cancelled as a whole. Both {@code CANCEL} and {@code CANCELLED}
 * map to {@link OrderState#CANCELLED}, {@code PARTIALLY_SHIPPING} to {@link
 * OrderState#AWAITING_SHIPMENT}.
 *
 * <p>Thread-safe. {@link #close()} does not close the {@link TikTokShopApi}, which the host owns.
 */
public final class TikTokShopClient implements ShopClient {
  private static final Logger LOG = LoggerFactory.getLogger(TikTokShopClient.class);

  /** The channel name, as in {@link io.creatorflow.inventory.ShopListing#channel()}. */
  public static final String CHANNEL = "tiktok";

  /** Failure code: the SKU is not a SKU of that product in the shop. */
  public static final String SKU_NOT_FOUND = "SKU_NOT_FOUND";
  /** Failure code: the SKU is not stocked in that warehouse, and TikTok forbids adding warehouses. */
  public static final String WAREHOUSE_NOT_ASSIGNED = "WAREHOUSE_NOT_ASSIGNED";
  /** Failure code: the product, SKU or warehouse id cannot be a TikTok id. */
  public static final String INVALID_ID = "INVALID_ID";
  /** Failure code: the quantity is outside 0 to 99,999. */
  public static final String QUANTITY_OUT_OF_RANGE = "QUANTITY_OUT_OF_RANGE";

  private static final Set<Long> RETRYABLE_SKU_CODES = Set.of(36009002L, 36009003L, 36009007L);
  private static final Set<Long> WAREHOUSE_CODES =
      Set.of(12019022L, 12019028L, 12052097L, 12052403L, 12052530L, 12052531L, 12052532L, 12052533L);

  private final TikTokShopApi api;
  private final String shopCipher;
  private final @Nullable String fixedWarehouseId;
  private final ProductFilter catalogFilter;
  private final Object warehouseLock = new Object();
  private volatile @Nullable String cachedDefaultWarehouse;

  private TikTokShopClient(Builder b) {
    this.api = b.api;
    this.shopCipher = b.shopCipher;
    this.fixedWarehouseId = b.defaultWarehouseId;
    this.catalogFilter = b.catalogFilter;
  }

  /** A builder for the shop with {@code shopCipher} (from {@link TikTokShopApi#authorizedShops()}). */
  public static Builder builder(TikTokShopApi api, String shopCipher) {
    return new Builder(Checks.notNull(api, "api"), Checks.identifier(shopCipher, "shopCipher", 512));
  }

  @Override
  public String channel() {
    return CHANNEL;
  }

  /** The underlying API, for calls this interface does not cover (cancellations, returns). */
  public TikTokShopApi api() {
    return api;
  }

  public String shopCipher() {
    return shopCipher;
  }

  @Override
  public ShopCatalogPage catalogPage(@Nullable String pageToken, int pageSize) {
    ProductPage page = api.productCatalogPage(shopCipher, catalogFilter, pageToken, pageSize);
    List<ShopSku> skus = new ArrayList<>();
    for (Product p : page.products()) {
      for (ProductSku s : p.skus()) {
        skus.add(new ShopSku(p.id(), s.id(), s.sellerSku(), s.totalQuantity(), p.status(), p.updateTime()));
      }
    }
    return new ShopCatalogPage(skus, page.nextPageToken(), page.totalCount());
  }

  /**
   * The warehouse a {@code null} warehouse id stands for: the configured one, else the shop's default
   * sales warehouse (cached after the first lookup).
   *
   * @throws InvalidRequestException when the shop has no default sales warehouse and none is configured
   */
  public String defaultWarehouseId() {
    if (fixedWarehouseId != null) {
      return fixedWarehouseId;
    }
    String cached = cachedDefaultWarehouse;
    if (cached != null) {
      return cached;
    }
    synchronized (warehouseLock) {
      if (cachedDefaultWarehouse == null) {
        List<Warehouse> sales = new ArrayList<>();
        for (Warehouse w : api.warehouses(shopCipher)) {
          if (w.isSalesWarehouse()) {
            sales.add(w);
          }
        }
        String chosen = null;
        for (Warehouse w : sales) {
          if (w.isDefault()) {
            chosen = w.id();
            break;
          }
        }
        if (chosen == null && sales.size() == 1) {
          chosen = sales.get(0).id();
        }
        if (chosen == null) {
          throw new InvalidRequestException("the shop has " + sales.size()
              + " sales warehouses and none is the default: set a warehouse id on each quantity or on the builder");
        }
        cachedDefaultWarehouse = chosen;
      }
      return cachedDefaultWarehouse;
    }
  }

  @Override
  public PushResult pushQuantities(List<ShopQuantity> quantities) {
    Checks.notNull(quantities, "quantities");
    List<ShopQuantity> accepted = new ArrayList<>();
    List<PushFailure> failures = new ArrayList<>();
    // product -> sku -> warehouse -> the quantities asking for it (the last one's value wins)
    Map<String, Map<String, Map<String, List<ShopQuantity>>>> byProduct = new LinkedHashMap<>();
    String defaultWarehouse = null;
    for (ShopQuantity q : quantities) {
      Checks.notNull(q, "quantity");
      if (!TikTokShopApi.isSafeId(q.productId()) || !TikTokShopApi.isSafeId(q.skuId())
          || (q.warehouseId() != null && !TikTokShopApi.isSafeId(q.warehouseId()))) {
        failures.add(new PushFailure(q, INVALID_ID,
            "product, SKU and warehouse ids must be 1 to 64 letters, digits, '_' or '-'", false));
        continue;
      }
      if (q.quantity() < 0 || q.quantity() > TikTokShopApi.MAX_QUANTITY) {
        failures.add(new PushFailure(q, QUANTITY_OUT_OF_RANGE,
            "TikTok accepts 0 to " + TikTokShopApi.MAX_QUANTITY + " per warehouse, was " + q.quantity(), false));
        continue;
      }
      String warehouse = q.warehouseId();
      if (warehouse == null) {
        defaultWarehouse = defaultWarehouse != null ? defaultWarehouse : defaultWarehouseId();
        warehouse = defaultWarehouse;
      }
      byProduct.computeIfAbsent(q.productId(), k -> new LinkedHashMap<>())
          .computeIfAbsent(q.skuId(), k -> new LinkedHashMap<>())
          .computeIfAbsent(warehouse, k -> new ArrayList<>())
          .add(q);
    }
    if (byProduct.isEmpty()) {
      return new PushResult(accepted, failures);
    }
    Map<String, SkuInventory> current = new HashMap<>();
    try {
      for (SkuInventory inv : api.inventoryOfProducts(shopCipher, byProduct.keySet())) {
        current.put(inv.productId() + "\u0000" + inv.skuId(), inv);
      }
    } catch (TikTokAuthException e) {
      throw e;
    } catch (TikTokApiException e) {
      for (Map<String, Map<String, List<ShopQuantity>>> skus : byProduct.values()) {
        failAll(skus, failures, code(e), "could not read current inventory: " + e.getMessage(), e.retryable());
      }
      return new PushResult(accepted, failures);
    }
    TikTokApiException stoppedBy = null;
    for (Map.Entry<String, Map<String, Map<String, List<ShopQuantity>>>> product : byProduct.entrySet()) {
      String productId = product.getKey();
      if (stoppedBy != null) {
        failAll(product.getValue(), failures, code(stoppedBy), "not sent after an earlier failure: "
            + stoppedBy.getMessage(), true);
        continue;
      }
      List<SkuInventoryUpdate> updates = new ArrayList<>();
      Map<String, Map<String, List<ShopQuantity>>> sent = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, List<ShopQuantity>>> sku : product.getValue().entrySet()) {
        SkuInventory inv = current.get(productId + "\u0000" + sku.getKey());
        if (inv == null) {
          failSku(sku.getValue(), failures, SKU_NOT_FOUND, "TikTok has no SKU " + sku.getKey() + " in product "
              + productId, false);
          continue;
        }
        Prepared prepared = prepare(inv, sku.getValue(), failures);
        if (prepared != null) {
          updates.add(prepared.update());
          sent.put(sku.getKey(), prepared.quantities());
        }
      }
      if (updates.isEmpty()) {
        continue;
      }
      try {
        InventoryUpdateResult result = api.updateInventory(shopCipher, productId, updates);
        apply(result, sent, accepted, failures);
        for (InventoryUpdateError error : result.errors()) {
          if (error.warehouseErrors().stream().anyMatch(w -> WAREHOUSE_CODES.contains(w.code()))) {
            cachedDefaultWarehouse = null;
          }
        }
      } catch (TikTokAuthException e) {
        throw e;
      } catch (TikTokRateLimitedException | TikTokUnavailableException e) {
        failAll(sent, failures, code(e), e.getMessage(), true);
        stoppedBy = e;
      } catch (TikTokApiException e) {
        if (WAREHOUSE_CODES.contains(e.apiCode())) {
          cachedDefaultWarehouse = null;
        }
        failAll(sent, failures, code(e), e.getMessage(), e.retryable());
      }
    }
    LOG.debug("TikTok push of {} quantities: {} accepted, {} refused", quantities.size(), accepted.size(),
        failures.size());
    return new PushResult(accepted, failures);
  }

  /** A SKU update and the quantities it carries. */
  private record Prepared(SkuInventoryUpdate update, Map<String, List<ShopQuantity>> quantities) {}

  /**
   * The update of one SKU listing all its warehouses: the wanted ones with their new quantity, the
   * others with their current available quantity. {@code null} after reporting why nothing can be sent.
   */
  private static @Nullable Prepared prepare(
      SkuInventory inv, Map<String, List<ShopQuantity>> wanted, List<PushFailure> failures) {
    Map<String, Long> quantities = new LinkedHashMap<>();
    for (WarehouseInventory w : inv.warehouses()) {
      quantities.put(w.warehouseId(), w.available());
    }
    // A SKU that TikTok lists without warehouses is updated with exactly the warehouses asked for.
    boolean noWarehouses = quantities.isEmpty();
    Map<String, List<ShopQuantity>> sendable = new LinkedHashMap<>();
    for (Map.Entry<String, List<ShopQuantity>> w : wanted.entrySet()) {
      if (!noWarehouses && !quantities.containsKey(w.getKey())) {
        for (ShopQuantity q : w.getValue()) {
          failures.add(new PushFailure(q, WAREHOUSE_NOT_ASSIGNED, "SKU " + inv.skuId() + " is stocked in "
              + quantities.keySet() + ", not in warehouse " + w.getKey() + "; TikTok forbids adding warehouses", false));
        }
        continue;
      }
      List<ShopQuantity> qs = w.getValue();
      quantities.put(w.getKey(), qs.get(qs.size() - 1).quantity());
      sendable.put(w.getKey(), qs);
    }
    if (sendable.isEmpty()) {
      return null;
    }
    List<WarehouseQuantity> list = new ArrayList<>();
    quantities.forEach((id, qty) -> list.add(new WarehouseQuantity(id, qty)));
    return new Prepared(new SkuInventoryUpdate(inv.skuId(), list), sendable);
  }

  private static void apply(InventoryUpdateResult result, Map<String, Map<String, List<ShopQuantity>>> sent,
      List<ShopQuantity> accepted, List<PushFailure> failures) {
    Map<String, Map<String, List<ShopQuantity>>> remaining = new LinkedHashMap<>();
    sent.forEach((sku, ws) -> remaining.put(sku, new LinkedHashMap<>(ws)));
    for (InventoryUpdateError error : result.errors()) {
      String code = Long.toString(error.code());
      boolean retryable = RETRYABLE_SKU_CODES.contains(error.code());
      if (error.skuId() == null) {
        failAll(remaining, failures, code, error.message(), retryable);
        remaining.clear();
        continue;
      }
      Map<String, List<ShopQuantity>> ws = remaining.get(error.skuId());
      if (ws == null) {
        continue;
      }
      List<String> failedWarehouses = new ArrayList<>();
      for (WarehouseError we : error.warehouseErrors()) {
        if (we.warehouseId() != null && ws.containsKey(we.warehouseId())) {
          failedWarehouses.add(we.warehouseId());
        }
      }
      if (failedWarehouses.isEmpty()) {
        // The whole SKU update was refused (TikTok applies a SKU's warehouses together).
        failSku(ws, failures, code, error.message(), retryable);
        remaining.remove(error.skuId());
      } else {
        StringBuilder why = new StringBuilder(error.message());
        for (WarehouseError we : error.warehouseErrors()) {
          why.append("; warehouse ").append(we.warehouseId()).append(": ").append(we.code()).append(' ').append(we.message());
        }
        failSku(ws, failures, code, why.toString(), retryable);
        remaining.remove(error.skuId());
      }
    }
    remaining.values().forEach(ws -> ws.values().forEach(accepted::addAll));
  }

  private static void failAll(Map<String, Map<String, List<ShopQuantity>>> skus, List<PushFailure> failures,
      String code, String message, boolean retryable) {
    skus.values().forEach(ws -> failSku(ws, failures, code, message, retryable));
  }

  private static void failSku(Map<String, List<ShopQuantity>> ws, List<PushFailure> failures, String code,
      String message, boolean retryable) {
    ws.values().forEach(qs -> qs.forEach(q -> failures.add(new PushFailure(q, code, message, retryable))));
  }

  private static String code(TikTokApiException e) {
    return e.apiCode() == TikTokApiException.NO_API_CODE
        ? (e.httpStatus() > 0 ? "HTTP_" + e.httpStatus() : e.getClass().getSimpleName())
        : Long.toString(e.apiCode());
  }

  @Override
  public List<ShopOrder> orders(List<String> orderIds) {
    Checks.notNull(orderIds, "orderIds");
    if (orderIds.isEmpty()) {
      return List.of();
    }
    List<ShopOrder> out = new ArrayList<>();
    for (Order o : api.orders(shopCipher, orderIds)) {
      out.add(toShopOrder(o));
    }
    return out;
  }

  @Override
  public ShopOrderPage ordersUpdated(Instant from, Instant to, @Nullable String pageToken) {
    OrderPage page = api.searchOrders(shopCipher, from, to, pageToken, api.config().orderPageSize());
    List<ShopOrder> out = new ArrayList<>();
    for (Order o : page.orders()) {
      out.add(toShopOrder(o));
    }
    return new ShopOrderPage(out, page.nextPageToken());
  }

  /** The order state for a TikTok order status ({@code CANCEL} and {@code CANCELLED} alike). */
  public static OrderState orderState(@Nullable String status) {
    if (status == null) {
      return OrderState.UNKNOWN;
    }
    switch (status) {
      case "UNPAID":
        return OrderState.UNPAID;
      case "ON_HOLD":
        return OrderState.ON_HOLD;
      case "AWAITING_SHIPMENT":
      case "PARTIALLY_SHIPPING":
        return OrderState.AWAITING_SHIPMENT;
      case "AWAITING_COLLECTION":
        return OrderState.AWAITING_COLLECTION;
      case "IN_TRANSIT":
        return OrderState.IN_TRANSIT;
      case "DELIVERED":
        return OrderState.DELIVERED;
      case "COMPLETED":
        return OrderState.COMPLETED;
      case "CANCEL":
      case "CANCELLED":
        return OrderState.CANCELLED;
      default:
        return OrderState.UNKNOWN;
    }
  }

  private static ShopOrder toShopOrder(Order o) {
    OrderState state = orderState(o.status());
    Map<String, long[]> units = new LinkedHashMap<>();
    Map<String, OrderLineItem> first = new HashMap<>();
    for (OrderLineItem li : o.lineItems()) {
      if (state != OrderState.CANCELLED && "CANCELLED".equals(li.displayStatus())) {
        continue;
      }
      String key = li.productId() + "\u0000" + li.skuId();
      units.computeIfAbsent(key, k -> new long[1])[0] += li.quantity();
      first.putIfAbsent(key, li);
    }
    List<ShopOrderLine> lines = new ArrayList<>();
    units.forEach((key, n) -> {
      OrderLineItem li = first.get(key);
      if (n[0] > 0) {
        lines.add(new ShopOrderLine(li.productId(), li.skuId(), li.sellerSku(), n[0]));
      }
    });
    Instant updated = o.updateTime() != null ? o.updateTime() : o.createTime() != null ? o.createTime() : Instant.EPOCH;
    return new ShopOrder(o.id(), state, o.status(), lines, updated);
  }

  @Override
  public String toString() {
    return "TikTokShopClient[shop cipher " + shopCipher + "]";
  }

  /** Builds a {@link TikTokShopClient}. Not thread-safe. */
  public static final class Builder {
    private final TikTokShopApi api;
    private final String shopCipher;
    private @Nullable String defaultWarehouseId;
    private ProductFilter catalogFilter = ProductFilter.all();

    private Builder(TikTokShopApi api, String shopCipher) {
      this.api = api;
      this.shopCipher = shopCipher;
    }

    /**
     * The warehouse that quantities without a warehouse id go to. Without it the shop's default
     * sales warehouse is looked up and cached.
     */
    public Builder defaultWarehouseId(String warehouseId) {
      this.defaultWarehouseId = TikTokShopApi.pathId(warehouseId, "defaultWarehouseId");
      return this;
    }

    /** Which products {@link #catalogPage} lists; every product by default. */
    public Builder catalogFilter(ProductFilter filter) {
      this.catalogFilter = Checks.notNull(filter, "catalogFilter");
      return this;
    }

    public TikTokShopClient build() {
      return new TikTokShopClient(this);
    }
  }
}
