package io.creatorflow.inventory.spi;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A sales channel's API as sync needs it, for one shop. Implementations (such as {@code
 * inventory-tiktok}'s) handle signing, paging, rate limits, retries and tokens; callers see
 * shop-neutral values.
 *
 * <p>Implementations are thread-safe. Every method may block on the network and throws {@code
 * io.creatorflow.inventory.InventoryException} subclasses on failure (never a raw {@code
 * IOException}); a failure that is worth retrying later says so through its type.
 */
public interface ShopClient extends AutoCloseable {

  /** The channel name used in {@link io.creatorflow.inventory.ShopListing#channel()}. */
  String channel();

  /**
   * One page of the shop's catalog with quantities, in the shop's order.
   *
   * @param pageToken {@code null} for the first page, else the previous page's {@link
   *     ShopCatalogPage#nextPageToken()}
   * @param pageSize 1 to 100
   */
  ShopCatalogPage catalogPage(@Nullable String pageToken, int pageSize);

  /**
   * Sets the shop's available quantity of SKUs (absolute values). Implementations batch per product
   * where the shop allows and report each SKU's outcome; a partial failure is reported in the result,
   * not thrown.
   */
  PushResult pushQuantities(List<ShopQuantity> quantities);

  /** Orders by id, with their line items; unknown ids are left out. */
  List<ShopOrder> orders(List<String> orderIds);

  /** Orders updated in {@code [from, to)}, one page at a time. */
  ShopOrderPage ordersUpdated(Instant from, Instant to, @Nullable String pageToken);

  /** Releases connections the client opened itself. */
  @Override
  default void close() {}

  /** A SKU as the shop shows it. {@code available} is what buyers can still order. */
  record ShopSku(
      String productId, String skuId, @Nullable String sellerSku, long available, @Nullable String productStatus,
      @Nullable Instant updatedAt) {}

  /** A page of {@link ShopSku}s; {@code nextPageToken} is {@code null} on the last page. */
  record ShopCatalogPage(List<ShopSku> skus, @Nullable String nextPageToken, long totalCount) {
    public ShopCatalogPage {
      skus = List.copyOf(skus);
    }
  }

  /**
   * An absolute quantity to publish.
   *
   * @param warehouseId the shop's warehouse, or {@code null} for the shop's default
   */
  record ShopQuantity(String productId, String skuId, @Nullable String warehouseId, long quantity) {}

  /** What the shop did with a push: the SKUs it accepted and the ones it refused, with reasons. */
  record PushResult(List<ShopQuantity> accepted, List<PushFailure> failures) {
    public PushResult {
      accepted = List.copyOf(accepted);
      failures = List.copyOf(failures);
    }

    public boolean allAccepted() {
      return failures.isEmpty();
    }
  }

  /** One SKU the shop refused; {@code retryable} if the same push may succeed later. */
  record PushFailure(ShopQuantity quantity, String code, String message, boolean retryable) {}

  /** The order states sync acts on, normalised across shops. */
  enum OrderState {
    UNPAID,
    ON_HOLD,
    AWAITING_SHIPMENT,
    AWAITING_COLLECTION,
    IN_TRANSIT,
    DELIVERED,
    COMPLETED,
    CANCELLED,
    /** A state this SDK does not know; kept as {@link ShopOrder#rawStatus()}. */
    UNKNOWN
  }

  /** One unit or more of one SKU on a shop order. */
  record ShopOrderLine(String productId, String skuId, @Nullable String sellerSku, long quantity) {}

  /** An order as the shop reports it. */
  record ShopOrder(
      String orderId, OrderState state, String rawStatus, List<ShopOrderLine> lines, Instant updatedAt) {
    public ShopOrder {
      lines = List.copyOf(lines);
    }
  }

  /** A page of orders; {@code nextPageToken} is {@code null} on the last page. */
  record ShopOrderPage(List<ShopOrder> orders, @Nullable String nextPageToken) {
    public ShopOrderPage {
      orders = List.copyOf(orders);
    }
  }
}
