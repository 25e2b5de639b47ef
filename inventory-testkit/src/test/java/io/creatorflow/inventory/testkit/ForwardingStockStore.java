package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
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
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Forwards every call to an {@link InMemoryStockStore}. As it is, a second "instance" on the same
 * data (so the multi-instance tests run in memory); subclasses break one rule each.
 */
class ForwardingStockStore implements StockStore, EventInbox, LeaseStore {
  protected final InMemoryStockStore delegate;

  ForwardingStockStore(InMemoryStockStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Registration registerItem(ItemDefinition definition, Instant at) {
    return delegate.registerItem(definition, at);
  }

  @Override
  public Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule) {
    return delegate.updateItem(definition, at, rule);
  }

  @Override
  public Optional<CatalogItem> item(TenantId tenant, Sku sku) {
    return delegate.item(tenant, sku);
  }

  @Override
  public Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
    return delegate.itemByListing(tenant, channel, channelSkuId);
  }

  @Override
  public Optional<StockLevel> level(TenantId tenant, Sku sku) {
    return delegate.level(tenant, sku);
  }

  @Override
  public Page<ItemStock> findItems(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    return delegate.findItems(tenant, query, defaultThreshold);
  }

  @Override
  public MutationResult apply(Mutation mutation) {
    return delegate.apply(mutation);
  }

  @Override
  public Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey) {
    return delegate.replay(tenant, idempotencyKey);
  }

  @Override
  public Optional<Order> order(TenantId tenant, OrderId id) {
    return delegate.order(tenant, id);
  }

  @Override
  public Page<Movement> history(TenantId tenant, HistoryQuery query) {
    return delegate.history(tenant, query);
  }

  @Override
  public void forEachMovement(TenantId tenant, Sku sku, Consumer<Movement> action) {
    delegate.forEachMovement(tenant, sku, action);
  }

  @Override
  public List<Alert> openAlerts(TenantId tenant, @Nullable Sku sku) {
    return delegate.openAlerts(tenant, sku);
  }

  @Override
  public Optional<Alert> alert(TenantId tenant, long alertId) {
    return delegate.alert(tenant, alertId);
  }

  @Override
  public Optional<AlertResolution> resolveAlert(TenantId tenant, long alertId, Instant at, String actor) {
    return delegate.resolveAlert(tenant, alertId, at, actor);
  }

  @Override
  public boolean recordDelivery(TenantId tenant, long alertId, AlertEventType notification, DeliveryState state, int attempts) {
    return delegate.recordDelivery(tenant, alertId, notification, state, attempts);
  }

  @Override
  public List<Alert> pendingDeliveries(Instant raisedBefore, int limit) {
    return delegate.pendingDeliveries(raisedBefore, limit);
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public boolean offer(TenantId tenant, String source, String eventId, String payload, Instant receivedAt) {
    return delegate.offer(tenant, source, eventId, payload, receivedAt);
  }

  @Override
  public List<InboxEvent> pending(int limit) {
    return delegate.pending(limit);
  }

  @Override
  public void complete(TenantId tenant, String source, String eventId, Instant at, @Nullable String error) {
    delegate.complete(tenant, source, eventId, at, error);
  }

  @Override
  public boolean tryAcquire(String lease, String owner, Instant now, Duration ttl) {
    return delegate.tryAcquire(lease, owner, now, ttl);
  }

  @Override
  public void release(String lease, String owner) {
    delegate.release(lease, owner);
  }

  /** A second instance does not own the shared data: closing it closes nothing. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + delegate + "}";
  }
}
