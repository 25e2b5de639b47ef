package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where stock lives: catalog items, stock levels, the ledger, orders, alerts and idempotency
 * records, all scoped by tenant.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Atomicity.</b> {@link #apply}, {@link #updateItem} and {@link #resolveAlert} are each one
 *       atomic step: everything they describe is committed together, or nothing is. A crash or a
 *       lost connection never leaves a change without its ledger row, its alert transitions or its
 *       idempotency record.
 *   <li><b>Concurrency.</b> Implementations are thread-safe, and a shared store (SQL, Redis) keeps
 *       every guarantee with several engine instances on several machines writing at once.
 *       Correctness must come from the store's own atomicity (conditional statements, row locks,
 *       scripts), never from JVM locks alone when the backing data is shared.
 *   <li><b>No business logic.</b> A store applies the guards it is given ({@link
 *       LineChange#check}, {@link OrderWrite#expectedVersion()}, {@link AlertRule#decide}) and
 *       nothing else; validation and the order state machine live in the engine.
 *   <li><b>Tenancy.</b> Nothing reads or writes across tenants.
 *   <li><b>Failures.</b> Infrastructure failures are thrown as {@link StoreUnavailableException}
 *       with the driver's exception as cause; driver exceptions never escape. Guard failures are
 *       results ({@link MutationResult.Rejected}), not exceptions.
 * </ul>
 *
 * <p>The {@code inventory-testkit} module's {@code StockStoreCompatibilityKit} checks all of this;
 * every store should pass it.
 */
public interface StockStore extends AutoCloseable {

  /**
   * Registers an item with an empty stock level (0 on hand, 0 reserved) if the SKU is new.
   *
   * @return the stored item: the new one, or the existing one unchanged if the SKU was registered
   *     already (the engine compares definitions)
   * @throws ConflictException with {@link ConflictException.Reason#LISTING_TAKEN} if a listing's
   *     channel SKU id belongs to another SKU of the tenant
   */
  Registration registerItem(ItemDefinition definition, Instant at);

  /**
   * Replaces an item's definition and, in the same atomic step, re-applies {@code rule} to its
   * current stock (a new threshold may open or resolve alerts).
   *
   * @return the updated item and any alert events, or empty if the SKU is not registered
   * @throws ConflictException with {@link ConflictException.Reason#LISTING_TAKEN} as above
   */
  Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule);

  /** The item, or empty if the SKU is not registered. */
  Optional<CatalogItem> item(TenantId tenant, Sku sku);

  /** The item listed on {@code channel} under the channel's SKU id {@code channelSkuId}. */
  Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId);

  /** The SKU's current level, or empty if the SKU is not registered. */
  Optional<StockLevel> level(TenantId tenant, Sku sku);

  /**
   * Finds items sorted by SKU with their levels, with the true total of matches. Status is {@link
   * io.creatorflow.inventory.StockStatus#of} with each item's effective threshold ({@code
   * defaultThreshold} when it has none); text matching is {@link CatalogQuery#matchesText}.
   */
  Page<ItemStock> findItems(TenantId tenant, CatalogQuery query, long defaultThreshold);

  /**
   * Applies a mutation atomically.
   *
   * <ol>
   *   <li>If {@link Mutation#idempotency()} is set and the tenant has a record for its key, change
   *       nothing and return {@link MutationResult.Replayed} with the recorded fingerprint, the
   *       movements committed under the key and the order they wrote. Two concurrent mutations with
   *       the same key: exactly one applies, the other replays.
   *   <li>If the order's version differs from {@link OrderWrite#expectedVersion()} (0: the order
   *       exists), reject with {@code ORDER_VERSION_MISMATCH}.
   *   <li>If a change names an unregistered SKU, reject with {@code UNKNOWN_SKU}; if {@link
   *       LineChange#check} fails for any change, reject with its reason. All changes are checked
   *       before any is applied: a rejection changes nothing.
   *   <li>Otherwise apply every change, append one ledger row per change with a new movement id and
   *       the before/after quantities, apply {@link Mutation#alertRule()} to each changed SKU
   *       (opening and resolving alerts), write the order with version {@code expectedVersion + 1},
   *       record the idempotency key with the fingerprint and the movements, and commit.
   * </ol>
   */
  MutationResult apply(Mutation mutation);

  /**
   * What {@link #apply} would replay for an idempotency key: the recorded fingerprint, movements and
   * order; empty if the tenant never used the key.
   */
  Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey);

  /** The order, or empty if it was never reserved. */
  Optional<Order> order(TenantId tenant, OrderId id);

  /** Movements matching the query ({@link HistoryQuery#matches}), newest first, with a true total. */
  Page<Movement> history(TenantId tenant, HistoryQuery query);

  /** Feeds every movement of one SKU, oldest first, to {@code action}. */
  void forEachMovement(TenantId tenant, Sku sku, Consumer<Movement> action);

  /** Open alerts of the tenant (of one SKU if {@code sku} is not null), oldest first. */
  List<Alert> openAlerts(TenantId tenant, @Nullable Sku sku);

  /** An alert by id, open or resolved. */
  Optional<Alert> alert(TenantId tenant, long alertId);

  /**
   * Resolves an open alert by hand.
   *
   * @return the alert after the call and whether this call resolved it; empty if unknown
   */
  Optional<AlertResolution> resolveAlert(TenantId tenant, long alertId, Instant at, String actor);

  /**
   * Records where delivery of an alert's notification stands, if that notification is still the
   * alert's latest.
   *
   * @return whether it was recorded
   */
  boolean recordDelivery(TenantId tenant, long alertId, AlertEventType notification, DeliveryState state, int attempts);

  /**
   * Alerts of every tenant whose latest notification is {@link DeliveryState#PENDING} and was
   * raised at or before {@code raisedBefore}, oldest first; for the redelivery sweep.
   */
  List<Alert> pendingDeliveries(Instant raisedBefore, int limit);

  /**
   * Checks that the store can be reached.
   *
   * @throws StoreUnavailableException if it cannot
   */
  void ping();

  /** Releases what the store itself opened; never what the host supplied (data sources, clients). */
  @Override
  default void close() {}

  /** The result of {@link #registerItem}. */
  record Registration(CatalogItem item, boolean created) {}

  /** The result of {@link #updateItem}. */
  record ItemUpdate(CatalogItem item, List<AlertEvent> alertEvents) {
    public ItemUpdate {
      alertEvents = List.copyOf(alertEvents);
    }
  }

  /** The result of {@link #resolveAlert}. */
  record AlertResolution(Alert alert, boolean resolvedNow) {}
}
