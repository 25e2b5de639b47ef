package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.benchmarks.Latencies;
import io.creatorflow.inventory.spi.ShopClient;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A {@link ShopClient} that times every push call of the client it wraps. Thread-safe. */
final class TimedShopClient implements ShopClient {
  private final ShopClient delegate;
  private final Latencies pushCalls = new Latencies();

  TimedShopClient(ShopClient delegate) {
    this.delegate = delegate;
  }

  /** A copy of the push call durations so far. */
  synchronized Latencies pushCalls() {
    return Latencies.merge(List.of(pushCalls));
  }

  synchronized void clear() {
    pushCalls.clear();
  }

  @Override
  public String channel() {
    return delegate.channel();
  }

  @Override
  public ShopCatalogPage catalogPage(@Nullable String pageToken, int pageSize) {
    return delegate.catalogPage(pageToken, pageSize);
  }

  @Override
  public PushResult pushQuantities(List<ShopQuantity> quantities) {
    long t0 = System.nanoTime();
    try {
      return delegate.pushQuantities(quantities);
    } finally {
      long t = System.nanoTime() - t0;
      synchronized (this) {
        pushCalls.add(t);
      }
    }
  }

  @Override
  public List<ShopOrder> orders(List<String> orderIds) {
    return delegate.orders(orderIds);
  }

  @Override
  public ShopOrderPage ordersUpdated(Instant from, Instant to, @Nullable String pageToken) {
    return delegate.ordersUpdated(from, to, pageToken);
  }
}
