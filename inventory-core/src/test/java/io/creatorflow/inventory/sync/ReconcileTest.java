package io.creatorflow.inventory.sync;

import static io.creatorflow.inventory.sync.SyncFixture.START;
import static io.creatorflow.inventory.sync.SyncFixture.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.sync.ReconcileResult.Drift;
import io.creatorflow.inventory.sync.ReconcileResult.Repair;
import io.creatorflow.inventory.spi.ShopClient.ShopCatalogPage;
import io.creatorflow.inventory.spi.ShopClient.ShopSku;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Reconciliation")
class ReconcileTest {
  final SyncFixture f = new SyncFixture();

  static ReconcilePolicy.Builder policy() {
    return ReconcilePolicy.builder().noSchedule().pageSize(7).rateLimit(RateLimit.perSecond(100))
        .retry(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4), 0));
  }

  ShopSync sync(ReconcilePolicy policy) {
    return f.builder().reconcilePolicy(policy)
        .pushPolicy(PushPolicy.builder().coalesceWindow(Duration.ofMillis(200)).rateLimit(RateLimit.perSecond(100))
            .build()).build();
  }

  /** 20 SKUs, 2 per product, shop in step, except the drifted ones. */
  List<Sku> catalog(Set<Integer> drifted) {
    List<Sku> skus = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Sku s = f.item(String.format("SKU%02d", i), "p" + (i / 2), String.format("s%02d", i), 10 + i);
      skus.add(s);
      if (drifted.contains(i)) {
        f.shop.sku("p" + (i / 2), String.format("s%02d", i), 3);
      }
    }
    return skus;
  }

  ReconcileResult run(ShopSync sync) {
    CompletableFuture<ReconcileResult> run = sync.reconcile();
    f.scheduler.runUntilIdle(Duration.ofMinutes(10));
    assertThat(run).isDone();
    return run.join();
  }

  int ledgerRows(List<Sku> skus) {
    return skus.stream().mapToInt(s -> f.ledger(s).size()).sum();
  }

  @Nested
  @DisplayName("drift")
  class DriftDetection {
    @Test
    @DisplayName("report-only finds exactly the drifted SKUs page by page and changes nothing anywhere")
    void reportOnly() {
      List<Sku> skus = catalog(Set.of(3, 11, 19));
      int rows = ledgerRows(skus);
      ReconcileResult r = run(sync(policy().mode(ReconcilePolicy.Mode.REPORT_ONLY).build()));
      assertThat(r.complete()).isTrue();
      assertThat(r.pages()).isEqualTo(3);
      assertThat(f.shop.catalogCalls).hasSize(3);
      assertThat(r.checked()).isEqualTo(20);
      assertThat(r.matched()).isEqualTo(17);
      assertThat(r.drifts()).extracting(Drift::sku).containsExactly(skus.get(3), skus.get(11), skus.get(19));
      assertThat(r.drifts().get(0)).satisfies(d -> {
        assertThat(d.shopQuantity()).isEqualTo(3);
        assertThat(d.expectedQuantity()).isEqualTo(13);
        assertThat(d.available()).isEqualTo(13);
        assertThat(d.shopSkuId()).isEqualTo("s03");
        assertThat(d.shopProductId()).isEqualTo("p1");
        assertThat(d.repair()).isEqualTo(Repair.REPORTED);
      });
      assertThat(r.failures()).isEmpty();
      assertThat(f.shop.pushCalls).isEmpty();
      assertThat(f.shop.quantity("s03")).isEqualTo(3);
      assertThat(ledgerRows(skus)).isEqualTo(rows);
      assertThat(f.progress).extracting(ReconcileProgress::done).containsExactly(7L, 14L, 20L);
      assertThat(f.progress).allMatch(p -> p.total() == 20);
      assertThat(f.reconciles).containsExactly(r);
    }

    @Test
    @DisplayName("repair pushes the engine's quantity (one call per product) and never touches local stock")
    void repair() {
      List<Sku> skus = catalog(Set.of(3, 11, 19));
      int rows = ledgerRows(skus);
      ShopSync sync = sync(policy().build());
      ReconcileResult r = run(sync);
      assertThat(r.repaired()).isEqualTo(3);
      assertThat(r.drifts()).allMatch(d -> d.repair() == Repair.REPAIRED && d.repairOutcome() != null);
      assertThat(f.shop.pushCalls).extracting(c -> c.argument().stream().map(q -> q.skuId()).toList())
          .containsExactlyInAnyOrder(List.of("s03"), List.of("s11"), List.of("s19"));
      assertThat(f.shop.quantity("s03")).isEqualTo(13);
      assertThat(f.shop.quantity("s11")).isEqualTo(21);
      assertThat(ledgerRows(skus)).isEqualTo(rows);
      assertThat(f.level(skus.get(3)).onHand()).isEqualTo(13);
      assertThat(sync.lastReconcile()).contains(r);
      assertThat(run(sync).drifts()).isEmpty();
    }

    @Test
    @DisplayName("the channel policy decides what the shop should show")
    void channelPolicy() {
      catalog(Set.of());
      ShopSync sync = f.builder().reconcilePolicy(policy().mode(ReconcilePolicy.Mode.REPORT_ONLY).build())
          .channelPolicy(ChannelPolicy.builder().buffer(2).build()).build();
      ReconcileResult r = run(sync);
      assertThat(r.drifts()).hasSize(20).allMatch(d -> d.expectedQuantity() == d.shopQuantity() - 2);
    }

    @Test
    @DisplayName("shop SKUs without an engine SKU are unmapped; listed engine SKUs the shop lacks are missing")
    void unmappedAndMissing() {
      catalog(Set.of());
      f.shop.sku("p99", "foreign", 5);
      Sku ghost = Sku.of("GHOST");
      f.engine.register(ItemDefinition.builder(T, ghost).name("ghost")
          .listing(ShopListing.of(FakeShop.CHANNEL, "p77", "not-in-shop")).build());
      ReconcileResult r = run(sync(policy().build()));
      assertThat(r.unmapped()).isEqualTo(1);
      assertThat(r.missingAtShop()).containsExactly(ghost);
      assertThat(r.drifts()).isEmpty();
    }

    @Test
    @DisplayName("a SKU whose push is pending is in transit, not drift")
    void inTransit() {
      List<Sku> skus = catalog(Set.of());
      ShopSync sync = sync(policy().build());
      sync.start();
      f.adjust(skus.get(5), -4); // the push waits for its coalescing window
      CompletableFuture<ReconcileResult> run = sync.reconcile();
      f.scheduler.runDue();
      assertThat(run).isDone();
      assertThat(run.join().inTransit()).isEqualTo(1);
      assertThat(run.join().drifts()).isEmpty();
      f.scheduler.runUntilIdle(Duration.ofSeconds(5));
      assertThat(f.shop.quantity("s05")).isEqualTo(11);
    }

    @Test
    @DisplayName("a difference explained by a change after the engine catalog was read is confirmed away")
    void freshRead() {
      List<Sku> skus = catalog(Set.of());
      f.shop.beforeCatalogPage = () -> {
        if (f.shop.catalogCalls.size() == 1) {
          f.adjust(skus.get(2), -5); // committed after the index was read...
          f.shop.sku("p1", "s02", 7); // ...and already pushed by another instance
        }
      };
      ReconcileResult r = run(sync(policy().build()));
      assertThat(r.drifts()).isEmpty();
      assertThat(r.matched()).isEqualTo(20);
    }
  }

  @Nested
  @DisplayName("faults, pacing and concurrency")
  class Faults {
    @Test
    @DisplayName("failed pages are retried with backoff and the run completes")
    void pageRetry() {
      catalog(Set.of(4));
      f.shop.failNextCatalogPages(2, new StoreUnavailableException("HTTP 503", null));
      ReconcileResult r = run(sync(policy().build()));
      assertThat(r.complete()).isTrue();
      assertThat(r.failures()).isEmpty();
      assertThat(r.drifts()).hasSize(1);
      assertThat(f.shop.catalogCalls).extracting(c -> Duration.between(START, c.at()).toMillis())
          .startsWith(0L, 1000L, 3000L);
    }

    @Test
    @DisplayName("a page that keeps failing ends the run incomplete, with the reason, after what it repaired")
    void pageGivesUp() {
      catalog(Set.of(1));
      f.shop.beforeCatalogPage = () -> {
        if (f.shop.catalogCalls.size() == 2) {
          f.shop.failNextCatalogPages(3, new StoreUnavailableException("HTTP 500", null));
        }
      };
      ReconcileResult r = run(sync(policy().build()));
      assertThat(r.complete()).isFalse();
      assertThat(r.pages()).isEqualTo(1);
      assertThat(r.failures()).singleElement().satisfies(fail -> {
        assertThat(fail.kind()).isEqualTo(ReconcileResult.Kind.PAGE);
        assertThat(fail.reason()).contains("catalog page 2").contains("3 attempt(s)").contains("HTTP 500");
      });
      assertThat(r.repaired()).isEqualTo(1);
      assertThat(r.missingAtShop()).isEmpty();
    }

    @Test
    @DisplayName("repairs the shop refuses are listed as failures with the shop's code")
    void repairFailure() {
      catalog(Set.of(2, 9));
      f.shop.refuse("s09", "12052032", false);
      ReconcileResult r = run(sync(policy().build()));
      assertThat(r.complete()).isTrue();
      assertThat(r.repaired()).isEqualTo(1);
      assertThat(r.failures()).singleElement().satisfies(fail -> {
        assertThat(fail.kind()).isEqualTo(ReconcileResult.Kind.REPAIR);
        assertThat(fail.shopSkuId()).isEqualTo("s09");
        assertThat(fail.code()).isEqualTo("12052032");
      });
      assertThat(r.drifts()).filteredOn(d -> d.repair() == Repair.FAILED).extracting(Drift::shopSkuId)
          .containsExactly("s09");
    }

    @Test
    @DisplayName("catalog pages are paced by the rate limit")
    void pacing() {
      catalog(Set.of());
      run(sync(policy().rateLimit(new RateLimit(2, 1)).build()));
      assertThat(f.shop.catalogCalls).extracting(c -> Duration.between(START, c.at()).toMillis())
          .containsExactly(0L, 500L, 1000L);
    }

    @Test
    @DisplayName("repairs start after the last page, at most maxOutstandingRepairs unanswered at a time")
    void repairsAfterPaging() {
      catalog(Set.of(0, 7, 14));
      f.shop.beforeCatalogPage = () -> assertThat(f.shop.pushCalls).isEmpty();
      ReconcileResult r = run(sync(policy().maxOutstandingRepairs(1).build()));
      assertThat(r.repaired()).isEqualTo(3);
      assertThat(f.shop.catalogCalls).hasSize(3);
      // one repair at a time, each pushed after the 200 ms coalescing window
      assertThat(f.shop.pushCalls).extracting(c -> Duration.between(START, c.at()).toMillis())
          .containsExactly(200L, 400L, 600L);
      assertThat(f.shop.pushCalls).allMatch(c -> c.argument().size() == 1);
    }

    @Test
    @DisplayName("a shop SKU that the paging lists twice is compared once")
    void listedTwice() {
      catalog(Set.of(3));
      ReconcilePolicy p = policy().mode(ReconcilePolicy.Mode.REPORT_ONLY).build();
      ShopSync sync = f.builder().reconcilePolicy(p).shop(new SchedulingTest.ForwardingShop(f.shop, FakeShop.CHANNEL) {
        @Override
        public ShopCatalogPage catalogPage(String pageToken, int pageSize) {
          ShopCatalogPage page = super.catalogPage(pageToken, pageSize);
          if (pageToken == null) {
            return page;
          }
          // the first SKU of the catalog moved to the end of every later page
          java.util.List<ShopSku> skus = new ArrayList<>(page.skus());
          skus.add(f.shop.catalogPage(null, 1).skus().get(0));
          return new ShopCatalogPage(skus, page.nextPageToken(), page.totalCount());
        }
      }).build();
      ReconcileResult r = run(sync);
      assertThat(r.checked()).isEqualTo(20);
      assertThat(r.drifts()).hasSize(1);
    }

    @Test
    @DisplayName("a second request while a run goes on joins it")
    void overlap() {
      catalog(Set.of());
      ShopSync sync = sync(policy().build());
      CompletableFuture<ReconcileResult> first = sync.reconcile();
      assertThat(sync.reconcile()).isSameAs(first);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(first).isDone();
      assertThat(sync.reconcile()).isNotSameAs(first);
    }
  }

  @Test
  @DisplayName("12,500 SKUs: exactly the drifted ones are found, in 125 page calls, within the rate limit")
  void large() {
    int n = 12_500;
    Set<Integer> drifted = new HashSet<>();
    for (int i = 0; i < n; i += 337) {
      drifted.add(i);
    }
    for (int i = 0; i < n; i++) {
      String id = String.format("%05d", i);
      Sku s = Sku.of("SKU" + id);
      f.engine.register(ItemDefinition.builder(T, s).name(id)
          .listing(ShopListing.of(FakeShop.CHANNEL, "p" + (i / 5), "s" + id)).build());
      f.adjust(s, 1 + i % 50);
      f.shop.sku("p" + (i / 5), "s" + id, drifted.contains(i) ? 1000 : 1 + i % 50);
    }
    ShopSync sync = f.builder().reconcilePolicy(ReconcilePolicy.builder().noSchedule()
        .mode(ReconcilePolicy.Mode.REPORT_ONLY).pageSize(100).rateLimit(new RateLimit(10, 1)).build()).build();
    CompletableFuture<ReconcileResult> run = sync.reconcile();
    f.scheduler.runUntilIdle(Duration.ofMinutes(5));
    ReconcileResult r = run.join();
    assertThat(r.complete()).isTrue();
    assertThat(r.checked()).isEqualTo(n);
    assertThat(f.shop.catalogCalls).hasSize(125);
    assertThat(r.drifts()).extracting(d -> Integer.parseInt(d.sku().value().substring(3)))
        .containsExactlyInAnyOrderElementsOf(drifted);
    // 125 calls at 10 per second: the last one 12.4 s after the first
    assertThat(Duration.between(START, f.shop.catalogCalls.get(124).at())).isEqualTo(Duration.ofMillis(12_400));
    assertThat(f.progress).hasSize(125);
    assertThat(f.progress.get(124).done()).isEqualTo(n);
    List<Movement> none = f.ledger(Sku.of("SKU00000"));
    assertThat(none).hasSize(1);
  }
}
