package io.creatorflow.inventory.sync;

import static io.creatorflow.inventory.sync.SyncFixture.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.ShopClient;
import io.creatorflow.inventory.spi.StockStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Scheduling, leases and lifecycle")
class SchedulingTest {
  final SyncFixture f = new SyncFixture();

  ShopSync.Builder periodic(SyncFixture fixture, String instance) {
    return fixture.builder().instanceId(instance)
        .reconcilePolicy(ReconcilePolicy.builder().interval(Duration.ofMinutes(1)).initialDelay(Duration.ofMinutes(1))
            .rateLimit(RateLimit.perSecond(100)).build())
        .orderPolicy(OrderPolicy.builder().pollInterval(Duration.ofMinutes(1)).build());
  }

  @Nested
  @DisplayName("leader election")
  class Leases {
    @Test
    @DisplayName("of two instances sharing a store only one runs the periodic jobs; the other takes over when it leaves")
    void oneLeader() {
      f.item("A", "p1", "s1", 5);
      SyncFixture second = new SyncFixture(f);
      ShopSync a = periodic(f, "instance-a").build();
      ShopSync b = periodic(second, "instance-b").build();
      a.start();
      b.start();
      for (int minute = 1; minute <= 3; minute++) {
        f.scheduler.advance(Duration.ofMinutes(1));
      }
      assertThat(a.stats().reconcile().runs()).isEqualTo(3);
      assertThat(a.stats().orderPoll().runs()).isEqualTo(3);
      assertThat(b.stats().reconcile().runs()).isZero();
      assertThat(b.stats().reconcile().skippedNotLeader()).isEqualTo(3);
      assertThat(b.stats().orderPoll().skippedNotLeader()).isEqualTo(3);
      assertThat(f.reconciles).hasSize(3);
      assertThat(second.reconciles).isEmpty();
      assertThat(f.shop.catalogCalls).hasSize(3);
      assertThat(f.shop.pollCalls).hasSize(3);

      a.closeAsync();
      f.scheduler.advance(Duration.ofMinutes(1));
      assertThat(b.stats().reconcile().runs()).isEqualTo(1);
      assertThat(b.stats().orderPoll().runs()).isEqualTo(1);
      assertThat(second.reconciles).hasSize(1);
      assertThat(f.reconciles).hasSize(3);
    }

    @Test
    @DisplayName("a run that loses its lease stops at the next page and says why")
    void leaseLost() {
      for (int i = 0; i < 30; i++) {
        f.item("S" + i, "p" + i, "s" + i, 5);
      }
      ShopSync a = f.builder().instanceId("instance-a").reconcilePolicy(ReconcilePolicy.builder()
          .interval(Duration.ofMinutes(1)).initialDelay(Duration.ofMinutes(1)).pageSize(10)
          .rateLimit(new RateLimit(1, 1)).build()).build();
      a.start();
      LeaseStore leases = (LeaseStore) f.store;
      String lease = "inventory-sync:" + T + ":" + FakeShop.CHANNEL + ":reconcile";
      f.shop.beforeCatalogPage = () -> {
        if (f.shop.catalogCalls.size() == 1) {
          leases.release(lease, "instance-a");
          assertThat(leases.tryAcquire(lease, "intruder", f.clock.instant(), Duration.ofHours(1))).isTrue();
        }
      };
      f.scheduler.advance(Duration.ofMinutes(1).plusSeconds(5));
      assertThat(f.reconciles).singleElement().satisfies(r -> {
        assertThat(r.complete()).isFalse();
        assertThat(r.pages()).isEqualTo(1);
        assertThat(r.failures()).extracting(ReconcileResult.Failure::kind).containsExactly(ReconcileResult.Kind.STOPPED);
      });
      f.scheduler.advance(Duration.ofMinutes(1));
      assertThat(a.stats().reconcile().skippedNotLeader()).isEqualTo(1);
    }

    @Test
    @DisplayName("a tick while the previous run goes on is skipped")
    void overlapGuard() {
      for (int i = 0; i < 30; i++) {
        f.item("S" + i, "p" + i, "s" + i, 5);
      }
      ShopSync a = f.builder().reconcilePolicy(ReconcilePolicy.builder().interval(Duration.ofSeconds(1))
          .initialDelay(Duration.ofSeconds(1)).pageSize(10).rateLimit(new RateLimit(0.5, 1)).build()).build();
      a.start();
      f.scheduler.advance(Duration.ofSeconds(1)); // the run starts: 3 pages, one every 2 s
      assertThat(a.stats().reconcile().runs()).isEqualTo(1);
      f.scheduler.advance(Duration.ofSeconds(3));
      assertThat(a.stats().reconcile().skippedOverlap()).isEqualTo(3);
      assertThat(a.stats().reconcile().runs()).isEqualTo(1);
      assertThat(a.reconcile()).isNotDone(); // an explicit request joins the running one
      f.scheduler.advance(Duration.ofSeconds(2));
      assertThat(f.reconciles).hasSize(1);
      f.scheduler.advance(Duration.ofSeconds(1));
      assertThat(a.stats().reconcile().runs()).isEqualTo(2);
    }

    @Test
    @DisplayName("periodic jobs need a lease store: the builder says how to give one")
    void needsLeaseStore() {
      InMemoryStockStore real = new InMemoryStockStore();
      StockStore plain = (StockStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StockStore.class},
          (proxy, method, args) -> {
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      InventoryEngine engine = InventoryEngine.builder().store(plain).clock(f.clock).build();
      ShopSync.Builder b = ShopSync.builder().engine(engine).tenant(T).shop(f.shop).executor(f.scheduler);
      assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("LeaseStore").hasMessageContaining("leaseStore(").hasMessageContaining("noSchedule");
      assertThat(b.leaseStore(real).build()).isNotNull();
      assertThat(ShopSync.builder().engine(engine).tenant(T).shop(f.shop).executor(f.scheduler)
          .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
          .orderPolicy(OrderPolicy.builder().noPolling().build()).build()).isNotNull();
    }
  }

  @Nested
  @DisplayName("lifecycle")
  class Lifecycle {
    @Test
    @DisplayName("start twice is refused; close drains pending pushes at once, then stops listening")
    void drainOnClose() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = f.builder().build();
      sync.start();
      assertThatThrownBy(sync::start).isInstanceOf(IllegalStateException.class);
      f.adjust(a, -2);
      CompletableFuture<Void> closed = sync.closeAsync();
      assertThat(sync.closeAsync()).isSameAs(closed);
      f.scheduler.runDue(); // no coalescing window while draining
      assertThat(closed).isDone();
      assertThat(f.shop.quantity("s1")).isEqualTo(8);
      f.adjust(a, -2);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(sync.stats().queueDepth()).isZero();
      assertThatThrownBy(() -> sync.push(a)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(sync::reconcile).isInstanceOf(IllegalStateException.class);
      assertThat(sync.healthComponents().get("sync").status()).isEqualTo(io.creatorflow.inventory.HealthReport.Status.DOWN);
    }

    @Test
    @DisplayName("pushes still failing at the drain timeout are dropped and reported")
    void drainTimeout() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = f.builder().pushPolicy(PushPolicy.builder().drainTimeout(Duration.ofSeconds(2))
          .retry(new RetryPolicy(10, Duration.ofSeconds(5), Duration.ofSeconds(5), 0)).build()).build();
      sync.start();
      f.shop.refuse("s1", "36009002", true);
      f.adjust(a, -2);
      CompletableFuture<Void> closed = sync.closeAsync();
      f.scheduler.runDue();
      assertThat(closed).isNotDone();
      f.scheduler.advance(Duration.ofSeconds(2));
      assertThat(closed).isDone();
      assertThat(f.failed).extracting(PushOutcome::status)
          .containsExactly(PushOutcome.Status.RETRYING, PushOutcome.Status.DROPPED);
      assertThat(sync.pushStatus(a).lastFailure().status()).isEqualTo(PushOutcome.Status.DROPPED);
      assertThat(sync.stats().queueDepth()).isZero();
    }

    @Test
    @DisplayName("with a real executor, close() returns once the pending push is acknowledged")
    void realExecutor() throws Exception {
      ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
      try {
        Sku a = f.item("A", "p1", "s1", 10);
        ShopSync sync = f.builder().executor(executor).clock(java.time.Clock.systemUTC())
            .pushPolicy(PushPolicy.builder().coalesceWindow(Duration.ofMinutes(1)).build()).build();
        sync.start();
        f.adjust(a, -3);
        sync.close();
        assertThat(f.shop.quantity("s1")).isEqualTo(7);
        assertThat(sync.lastPushed(a)).hasValue(7);
      } finally {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      }
    }

    @Test
    @DisplayName("a host executor that refuses work leaves pushes pending instead of failing the stock change")
    void executorRefuses() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = f.builder().build();
      sync.start();
      f.scheduler.shutdown();
      f.adjust(a, -1);
      assertThat(f.level(a).available()).isEqualTo(9);
      assertThat(sync.stats().queueDepth()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("builder")
  class Builder {
    @Test
    @DisplayName("missing settings and unusable channel names fail with actionable messages")
    void validation() {
      assertThatThrownBy(() -> ShopSync.builder().build()).hasMessageContaining("engine(engine)");
      assertThatThrownBy(() -> ShopSync.builder().engine(f.engine).build()).hasMessageContaining("tenant(tenant)");
      assertThatThrownBy(() -> ShopSync.builder().engine(f.engine).tenant(T).build()).hasMessageContaining("shop(client)");
      assertThatThrownBy(() -> ShopSync.builder().engine(f.engine).tenant(T).shop(f.shop).build())
          .hasMessageContaining("executor(ScheduledExecutorService)");
      ShopClient sys = new ForwardingShop(f.shop, "sys");
      assertThatThrownBy(() -> f.builder().shop(sys).build()).hasMessageContaining("'sys'");
      ShopClient colon = new ForwardingShop(f.shop, "a:b");
      assertThatThrownBy(() -> f.builder().shop(colon).build()).hasMessageContaining("without ':'");
      assertThatThrownBy(() -> f.builder().maxPushLag(Duration.ZERO)).hasMessageContaining("maxPushLag");
      assertThatThrownBy(() -> f.builder().lookupCache(0, Duration.ofMinutes(1))).hasMessageContaining("maximumSize");
      assertThatThrownBy(() -> f.builder().instanceId(" ")).hasMessageContaining("instanceId");
    }

    @Test
    @DisplayName("policies validate at once and name the bad value")
    void policies() {
      assertThatThrownBy(() -> ChannelPolicy.builder().buffer(-1)).hasMessageContaining("buffer").hasMessageContaining("-1");
      assertThatThrownBy(() -> PushPolicy.builder().maxBatchSize(0).build()).hasMessageContaining("maxBatchSize");
      assertThatThrownBy(() -> PushPolicy.builder().maxProductsPerBatch(0).build())
          .hasMessageContaining("maxProductsPerBatch").hasMessageContaining("0");
      assertThatThrownBy(() -> PushPolicy.builder().coalesceWindow(Duration.ofMinutes(2)).build())
          .hasMessageContaining("coalesceWindow");
      assertThatThrownBy(() -> new RateLimit(0, 1)).hasMessageContaining("permitsPerSecond");
      assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
          .hasMessageContaining("maxAttempts");
      assertThatThrownBy(() -> RetryPolicy.of(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
          .hasMessageContaining("maxBackoff");
      assertThatThrownBy(() -> ReconcilePolicy.builder().pageSize(101).build()).hasMessageContaining("pageSize");
      assertThatThrownBy(() -> OrderPolicy.builder().reserveStates(java.util.Set.of(ShopClient.OrderState.CANCELLED))
          .build()).hasMessageContaining("CANCELLED");
      assertThatThrownBy(() -> OrderPolicy.builder()
          .reserveStates(java.util.Set.of(ShopClient.OrderState.IN_TRANSIT))
          .fulfilStates(java.util.Set.of(ShopClient.OrderState.AWAITING_SHIPMENT)).build())
          .hasMessageContaining("only move forward");
      assertThat(RetryPolicy.of(10, Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0).backoff(8, 0.5))
          .isEqualTo(Duration.ofSeconds(1));
      assertThat(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(8), 0.5).backoff(2, 1.0))
          .isEqualTo(Duration.ofSeconds(1));
      assertThat(PushPolicy.ofDefaults().toBuilder().build()).isEqualTo(PushPolicy.ofDefaults());
      assertThat(OrderPolicy.ofDefaults().toBuilder().build()).isEqualTo(OrderPolicy.ofDefaults());
      assertThat(ReconcilePolicy.ofDefaults().toBuilder().build()).isEqualTo(ReconcilePolicy.ofDefaults());
      assertThat(ChannelPolicy.builder().buffer(2).build().toBuilder().build()).isEqualTo(ChannelPolicy.builder()
          .buffer(2).build());
    }
  }

  /** A shop client under another channel name. */
  static class ForwardingShop implements ShopClient {
    private final ShopClient delegate;
    private final String channel;

    ForwardingShop(ShopClient delegate, String channel) {
      this.delegate = delegate;
      this.channel = channel;
    }

    @Override
    public String channel() {
      return channel;
    }

    @Override
    public ShopCatalogPage catalogPage(String pageToken, int pageSize) {
      return delegate.catalogPage(pageToken, pageSize);
    }

    @Override
    public PushResult pushQuantities(java.util.List<ShopQuantity> quantities) {
      return delegate.pushQuantities(quantities);
    }

    @Override
    public java.util.List<ShopOrder> orders(java.util.List<String> orderIds) {
      return delegate.orders(orderIds);
    }

    @Override
    public ShopOrderPage ordersUpdated(java.time.Instant from, java.time.Instant to, String pageToken) {
      return delegate.ordersUpdated(from, to, pageToken);
    }
  }

  static StoreUnavailableException down() {
    return new StoreUnavailableException("down", null);
  }
}
