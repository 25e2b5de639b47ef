package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/** Stores that each break one rule of the design notes, for proving that the kit catches them. */
final class BrokenStores {
  private BrokenStores() {}

  /**
   * Checks a mutation's guards on a fresh read, then writes without re-checking (the delegate
   * registers every item with backorders allowed, so it never refuses): the read-then-write race
   * of seed defect 2, which oversells when two reservations race for the last units.
   */
  static final class ReadThenWrite extends ForwardingStockStore {
    private final Map<String, Boolean> backorder = new ConcurrentHashMap<>();

    ReadThenWrite() {
      super(new InMemoryStockStore());
    }

    private static String key(TenantId tenant, Sku sku) {
      return tenant.value() + "\u0000" + sku.value();
    }

    private CatalogItem real(CatalogItem item) {
      boolean allow = backorder.getOrDefault(key(item.tenant(), item.sku()), item.allowBackorder());
      return new CatalogItem(item.tenant(), item.sku(), item.name(), item.location(), item.lowStockThreshold(), allow,
          item.listings(), item.version(), item.createdAt(), item.updatedAt());
    }

    private static ItemDefinition lenient(ItemDefinition d) {
      return d.toBuilder().allowBackorder(true).build();
    }

    @Override
    public Registration registerItem(ItemDefinition definition, Instant at) {
      backorder.putIfAbsent(key(definition.tenant(), definition.sku()), definition.allowBackorder());
      Registration r = delegate.registerItem(lenient(definition), at);
      return new Registration(real(r.item()), r.created());
    }

    @Override
    public Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule) {
      Optional<ItemUpdate> u = delegate.updateItem(lenient(definition), at, rule);
      u.ifPresent(x -> backorder.put(key(definition.tenant(), definition.sku()), definition.allowBackorder()));
      return u.map(x -> new ItemUpdate(real(x.item()), x.alertEvents()));
    }

    @Override
    public Optional<CatalogItem> item(TenantId tenant, Sku sku) {
      return delegate.item(tenant, sku).map(this::real);
    }

    @Override
    public Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
      return delegate.itemByListing(tenant, channel, channelSkuId).map(this::real);
    }

    @Override
    public Page<ItemStock> findItems(TenantId tenant, CatalogQuery query, long defaultThreshold) {
      return delegate.findItems(tenant, query, defaultThreshold).map(r -> new ItemStock(real(r.item()), r.level(), r.status()));
    }

    @Override
    public MutationResult apply(Mutation m) {
      if (m.idempotency() != null && delegate.replay(m.tenant(), m.idempotency().key()).isPresent()) {
        return delegate.apply(m);
      }
      OrderWrite write = m.order();
      if (write != null && delegate.order(m.tenant(), write.id()).map(Order::version).orElse(0L) != write.expectedVersion()) {
        return delegate.apply(m);
      }
      if (m.changes().stream().anyMatch(c -> c.reservedDelta() < 0)) {
        return delegate.apply(m); // releases and shipments: nothing to oversell
      }
      if (m.changes().stream().anyMatch(c -> delegate.level(m.tenant(), c.sku()).isEmpty())) {
        return delegate.apply(m); // unknown SKU
      }
      boolean lowers = false;
      for (LineChange c : m.changes()) {
        Optional<StockLevel> level = delegate.level(m.tenant(), c.sku());
        boolean allow = backorder.getOrDefault(key(m.tenant(), c.sku()), false);
        MutationResult.Rejection r = c.check(level.get().onHand(), level.get().reserved(), allow);
        if (r != null) {
          return new MutationResult.Rejected(r, c.sku(), level.get(), null);
        }
        lowers |= c.reservedDelta() > 0 || c.onHandDelta() < 0;
      }
      if (lowers) {
        LockSupport.parkNanos(200_000); // the gap between the read and the write that a race needs
      }
      return delegate.apply(m);
    }
  }

  /** Drops the idempotency key from every mutation and remembers none (seed defect 13). */
  static final class IgnoresIdempotency extends ForwardingStockStore {
    IgnoresIdempotency() {
      super(new InMemoryStockStore());
    }

    @Override
    public MutationResult apply(Mutation m) {
      return delegate.apply(new Mutation(m.tenant(), m.at(), null, m.changes(), m.order(), m.alertRule()));
    }

    @Override
    public Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey) {
      return Optional.empty();
    }
  }

  /** Never resolves alerts when stock comes back (seed defect 8). */
  static final class NeverResolvesAlerts extends ForwardingStockStore {
    private static final long FOREVER = 1_000_000_000_000L;

    NeverResolvesAlerts() {
      super(new InMemoryStockStore());
    }

    private static AlertRule sticky(AlertRule rule) {
      return new AlertRule(rule.defaultThreshold(), FOREVER);
    }

    @Override
    public MutationResult apply(Mutation m) {
      return delegate.apply(new Mutation(m.tenant(), m.at(), m.idempotency(), m.changes(), m.order(), sticky(m.alertRule())));
    }

    @Override
    public Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule) {
      return delegate.updateItem(definition, at, sticky(rule));
    }
  }
}
