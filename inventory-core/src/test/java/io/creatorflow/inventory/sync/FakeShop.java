package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.spi.ShopClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory shop for sync tests: a catalog of SKUs with quantities, orders, and scripted failures.
 * Records every call with the clock's time. Thread-safe (synchronized).
 */
final class FakeShop implements ShopClient {
  static final String CHANNEL = "shop";

  private final Clock clock;
  private final TreeMap<String, Sku> catalog = new TreeMap<>();
  private final Map<String, ShopOrder> orders = new HashMap<>();
  private final Deque<Function<List<ShopQuantity>, PushResult>> pushScript = new ArrayDeque<>();
  private final Deque<RuntimeException> catalogFailures = new ArrayDeque<>();
  private final Deque<RuntimeException> orderFailures = new ArrayDeque<>();
  private final Map<String, PushFailure> refusals = new HashMap<>();
  final List<Call<List<ShopQuantity>>> pushCalls = new CopyOnWriteArrayList<>();
  final List<Call<List<String>>> orderCalls = new CopyOnWriteArrayList<>();
  final List<Call<String>> catalogCalls = new CopyOnWriteArrayList<>();
  final List<Call<String>> pollCalls = new CopyOnWriteArrayList<>();
  int ordersPageSize = 2;
  /** Runs at the start of every catalog page call, before the page is read (to interleave changes). */
  volatile Runnable beforeCatalogPage = () -> {};

  record Call<T>(Instant at, T argument) {}

  private record Sku(String productId, String skuId, long quantity) {}

  FakeShop(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String channel() {
    return CHANNEL;
  }

  // ------------------------------------------------------------------------------------ set-up

  synchronized FakeShop sku(String productId, String skuId, long quantity) {
    catalog.put(skuId, new Sku(productId, skuId, quantity));
    return this;
  }

  synchronized long quantity(String skuId) {
    Sku s = catalog.get(skuId);
    if (s == null) {
      throw new IllegalArgumentException("no sku " + skuId);
    }
    return s.quantity();
  }

  synchronized void order(ShopOrder order) {
    orders.put(order.orderId(), order);
  }

  /** The next push calls are answered by these functions instead of the default behaviour. */
  synchronized void scriptPush(Function<List<ShopQuantity>, PushResult> answer) {
    pushScript.add(answer);
  }

  /** The next push call throws. */
  synchronized void failNextPush(RuntimeException e) {
    pushScript.add(q -> {
      throw e;
    });
  }

  /** Every push of this SKU id is refused with this code until cleared. */
  synchronized void refuse(String skuId, String code, boolean retryable) {
    refusals.put(skuId, new PushFailure(new ShopQuantity("", skuId, null, 0), code, "refused by the fake shop", retryable));
  }

  synchronized void clearRefusals() {
    refusals.clear();
  }

  synchronized void failNextCatalogPages(int n, RuntimeException e) {
    for (int i = 0; i < n; i++) {
      catalogFailures.add(e);
    }
  }

  synchronized void failNextOrderCalls(int n, RuntimeException e) {
    for (int i = 0; i < n; i++) {
      orderFailures.add(e);
    }
  }

  // ------------------------------------------------------------------------------------ ShopClient

  @Override
  public synchronized ShopCatalogPage catalogPage(@Nullable String pageToken, int pageSize) {
    catalogCalls.add(new Call<>(clock.instant(), pageToken));
    beforeCatalogPage.run();
    RuntimeException failure = catalogFailures.poll();
    if (failure != null) {
      throw failure;
    }
    List<Sku> all = new ArrayList<>(catalog.values());
    int from = pageToken == null ? 0 : Integer.parseInt(pageToken);
    int to = Math.min(all.size(), from + pageSize);
    List<ShopSku> skus = new ArrayList<>();
    for (Sku s : all.subList(from, to)) {
      skus.add(new ShopSku(s.productId(), s.skuId(), null, s.quantity(), "ACTIVATE", null));
    }
    return new ShopCatalogPage(skus, to < all.size() ? Integer.toString(to) : null, all.size());
  }

  @Override
  public synchronized PushResult pushQuantities(List<ShopQuantity> quantities) {
    pushCalls.add(new Call<>(clock.instant(), List.copyOf(quantities)));
    Function<List<ShopQuantity>, PushResult> scripted = pushScript.poll();
    PushResult result = scripted != null ? scripted.apply(quantities) : defaultPush(quantities);
    for (ShopQuantity q : result.accepted()) {
      Sku s = catalog.get(q.skuId());
      if (s != null) {
        catalog.put(q.skuId(), new Sku(s.productId(), s.skuId(), q.quantity()));
      }
    }
    return result;
  }

  private PushResult defaultPush(List<ShopQuantity> quantities) {
    List<ShopQuantity> accepted = new ArrayList<>();
    List<PushFailure> failures = new ArrayList<>();
    for (ShopQuantity q : quantities) {
      PushFailure refusal = refusals.get(q.skuId());
      if (refusal != null) {
        failures.add(new PushFailure(q, refusal.code(), refusal.message(), refusal.retryable()));
      } else if (!catalog.containsKey(q.skuId())) {
        failures.add(new PushFailure(q, "SKU_NOT_FOUND", "no such sku", false));
      } else {
        accepted.add(q);
      }
    }
    return new PushResult(accepted, failures);
  }

  @Override
  public synchronized List<ShopOrder> orders(List<String> orderIds) {
    orderCalls.add(new Call<>(clock.instant(), List.copyOf(orderIds)));
    RuntimeException failure = orderFailures.poll();
    if (failure != null) {
      throw failure;
    }
    List<ShopOrder> out = new ArrayList<>();
    for (String id : orderIds) {
      ShopOrder o = orders.get(id);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }

  @Override
  public synchronized ShopOrderPage ordersUpdated(Instant from, Instant to, @Nullable String pageToken) {
    pollCalls.add(new Call<>(clock.instant(), from + ".." + to + "@" + pageToken));
    RuntimeException failure = orderFailures.poll();
    if (failure != null) {
      throw failure;
    }
    List<ShopOrder> matching = orders.values().stream()
        .filter(o -> !o.updatedAt().isBefore(from) && o.updatedAt().isBefore(to))
        .sorted((a, b) -> a.updatedAt().equals(b.updatedAt()) ? a.orderId().compareTo(b.orderId())
            : a.updatedAt().compareTo(b.updatedAt()))
        .toList();
    int start = pageToken == null ? 0 : Integer.parseInt(pageToken);
    int end = Math.min(matching.size(), start + ordersPageSize);
    return new ShopOrderPage(matching.subList(start, end), end < matching.size() ? Integer.toString(end) : null);
  }
}
