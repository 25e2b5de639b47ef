package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.spi.StockStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A kit that cannot fail proves nothing: each store here breaks one rule of the design notes, and
 * the kit, run on it through the JUnit Platform launcher, must fail in the groups that check that
 * rule. (The broken subclasses are nested so that the build's own test run does not pick them up.)
 */
@DisplayName("the kit catches broken stores")
class BrokenStoresAreCaughtTest {

  static final class ReadThenWriteKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new BrokenStores.ReadThenWrite();
    }
  }

  static final class IgnoresIdempotencyKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new BrokenStores.IgnoresIdempotency();
    }
  }

  static final class NeverResolvesAlertsKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new BrokenStores.NeverResolvesAlerts();
    }
  }

  static final class DuplicateAlertsKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new SimpleStockStore(SimpleStockStore.Defect.DUPLICATE_ALERTS);
    }
  }

  static final class SkipsLedgerRowsKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new SimpleStockStore(SimpleStockStore.Defect.SKIPS_RELEASE_ROWS);
    }
  }

  static final class PartialMutationsKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new SimpleStockStore(SimpleStockStore.Defect.PARTIAL_MUTATIONS);
    }
  }

  static final class LikeWildcardsKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new SimpleStockStore(SimpleStockStore.Defect.LIKE_WILDCARDS);
    }
  }

  static final class PageLengthTotalKit extends StockStoreCompatibilityKit {
    @Override
    protected StockStore createStore() {
      return new SimpleStockStore(SimpleStockStore.Defect.PAGE_LENGTH_TOTAL);
    }
  }

  @Test
  @DisplayName("a store that checks stock, then writes without re-checking, oversells under concurrency")
  void readThenWrite() {
    KitRun.of(ReadThenWriteKit.class).assertCaughtBy("concurrency");
  }

  @Test
  @DisplayName("a store that ignores idempotency keys applies redeliveries twice")
  void ignoresIdempotency() {
    KitRun.of(IgnoresIdempotencyKit.class).assertCaughtBy("idempotency", "reservations", "concurrency", KitRun.PROPERTIES);
  }

  @Test
  @DisplayName("a store that never resolves alerts on restock")
  void neverResolvesAlerts() {
    KitRun.of(NeverResolvesAlertsKit.class).assertCaughtBy("alerts", KitRun.PROPERTIES);
  }

  @Test
  @DisplayName("a store that opens an alert without checking for an open one opens duplicates")
  void duplicateAlerts() {
    KitRun.of(DuplicateAlertsKit.class).assertCaughtBy("alerts", KitRun.PROPERTIES);
  }

  @Test
  @DisplayName("a store that skips the ledger row of a release leaves the ledger unable to explain the balance")
  void skipsLedgerRows() {
    KitRun.of(SkipsLedgerRowsKit.class).assertCaughtBy("fulfilment, cancellation and returns", "concurrency", KitRun.PROPERTIES);
  }

  @Test
  @DisplayName("a store that applies a mutation's changes one by one leaves half-reserved orders")
  void partialMutations() {
    KitRun.of(PartialMutationsKit.class).assertCaughtBy("reservations", "store contract (SPI)", KitRun.PROPERTIES);
  }

  @Test
  @DisplayName("a store that passes search text to LIKE matches % and _ as wildcards")
  void likeWildcards() {
    KitRun.of(LikeWildcardsKit.class).assertCaughtBy("queries and paging");
  }

  @Test
  @DisplayName("a store that reports the page length as the total")
  void pageLengthTotal() {
    KitRun.of(PageLengthTotalKit.class).assertCaughtBy("queries and paging");
  }
}
