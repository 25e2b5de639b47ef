package io.creatorflow.inventory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.StockStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The kit hands every store it creates, in Jupiter tests and in jqwik properties, back to closeStore. */
@DisplayName("the kit's store life cycle")
class KitLifecycleTest {
  static final AtomicInteger created = new AtomicInteger();
  static final AtomicInteger secondCreated = new AtomicInteger();
  static final AtomicInteger closed = new AtomicInteger();

  static final class CountingKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      created.incrementAndGet();
      return new InMemoryStockStore();
    }

    @Override
    protected Optional<StockStore> createSecondStore(StockStore first) {
      secondCreated.incrementAndGet();
      return Optional.of(new ForwardingStockStore((InMemoryStockStore) first));
    }

    @Override
    protected void closeStore(StockStore store) throws Exception {
      closed.incrementAndGet();
      super.closeStore(store);
    }
  }

  @Test
  @DisplayName("every store created is closed, and the whole kit passes on a shared in-memory store")
  void everyStoreIsClosed() {
    created.set(0);
    secondCreated.set(0);
    closed.set(0);

    KitRun run = KitRun.of(CountingKit.class);

    assertThat(run.failures()).as(run.summary()).isZero();
    assertThat(created.get()).as("one store per test and one per property").isGreaterThan(100);
    assertThat(secondCreated.get()).isPositive();
    assertThat(closed.get()).isEqualTo(created.get() + secondCreated.get());
  }
}
