package io.creatorflow.inventory.sync;

import static io.creatorflow.inventory.sync.SyncFixture.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderCommand;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.spi.ShopClient.PushFailure;
import io.creatorflow.inventory.spi.ShopClient.PushResult;
import io.creatorflow.inventory.spi.ShopClient.ShopQuantity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Push on change")
class PushTest {
  final SyncFixture f = new SyncFixture();

  ShopSync started(PushPolicy policy) {
    ShopSync sync = f.builder().pushPolicy(policy).build();
    sync.start();
    return sync;
  }

  static PushPolicy.Builder policy() {
    return PushPolicy.builder().coalesceWindow(Duration.ofMillis(200)).rateLimit(RateLimit.perSecond(1000))
        .retry(new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(4), 0));
  }

  @Nested
  @DisplayName("coalescing")
  class Coalescing {
    @Test
    @DisplayName("a burst of changes within the window sends the latest value once")
    void burst() {
      Sku a = f.item("A", "p1", "s1", 100);
      ShopSync sync = started(policy().build());
      for (int i = 0; i < 10; i++) {
        f.adjust(a, -1);
        f.clock.advance(Duration.ofMillis(10));
        f.scheduler.runDue();
      }
      assertThat(f.shop.pushCalls).isEmpty();
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(f.shop.pushCalls.get(0).argument()).containsExactly(new ShopQuantity("p1", "s1", null, 90));
      assertThat(f.shop.quantity("s1")).isEqualTo(90);
      assertThat(sync.lastPushed(a)).hasValue(90);
      assertThat(f.accepted).singleElement().satisfies(o -> {
        assertThat(o.status()).isEqualTo(PushOutcome.Status.ACCEPTED);
        assertThat(o.latency()).isEqualTo(Duration.ofMillis(200)); // first change at t0, acknowledged at t0 + window
      });
    }

    @Test
    @DisplayName("the value is read when the push is sent, not taken from the change")
    void freshRead() {
      Sku a = f.item("A", "p1", "s1", 10);
      started(policy().build());
      f.adjust(a, -3);
      f.clock.advance(Duration.ofMillis(150));
      f.adjust(a, 5);
      f.scheduler.advance(Duration.ofMillis(50)); // the window of the first change ends
      assertThat(f.shop.pushCalls).singleElement().satisfies(c ->
          assertThat(c.argument().get(0).quantity()).isEqualTo(12));
    }

    @Test
    @DisplayName("a change while a push is in flight is pushed again afterwards with the newer value")
    void changeDuringFlight() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = started(policy().build());
      f.shop.scriptPush(q -> {
        f.adjust(a, -4); // a sale commits while the shop call is on the wire
        return new PushResult(q, List.of());
      });
      f.adjust(a, -1);
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(f.shop.pushCalls.get(0).argument().get(0).quantity()).isEqualTo(9);
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).hasSize(2);
      assertThat(f.shop.pushCalls.get(1).argument().get(0).quantity()).isEqualTo(5);
      assertThat(f.shop.quantity("s1")).isEqualTo(5);
      assertThat(sync.whenIdle()).isDone();
    }

    @Test
    @DisplayName("a quantity the shop already acknowledged is not sent again")
    void unchangedIsSkipped() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = started(policy().build());
      f.adjust(a, -1);
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).hasSize(1);
      f.engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(a, 2)));
      f.engine.cancel(OrderCommand.of(T, OrderId.of("o1")));
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(sync.stats().pushesSkipped()).isEqualTo(1);
      // an explicit push is always sent
      CompletableFuture<PushOutcome> forced = sync.push(a);
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(forced).isCompletedWithValueMatching(o -> o.status() == PushOutcome.Status.ACCEPTED);
      assertThat(f.shop.pushCalls).hasSize(2);
    }

    @Test
    @DisplayName("fulfilment does not change available and sends nothing; unlisted SKUs are not pushed")
    void onlyAvailableChangesOfListedSkus() {
      Sku a = f.item("A", "p1", "s1", 10);
      Sku unlisted = Sku.of("LOCAL");
      f.engine.register(ItemDefinition.builder(T, unlisted).name("local only").build());
      ShopSync sync = started(policy().build());
      f.engine.reserve(Reservation.of(T, OrderId.of("o1"), OrderLine.of(a, 2)));
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).hasSize(1);
      f.engine.fulfil(OrderCommand.of(T, OrderId.of("o1")));
      f.adjust(unlisted, 5);
      f.scheduler.advance(Duration.ofSeconds(1));
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(sync.stats().queueDepth()).isZero();
    }
  }

  @Nested
  @DisplayName("batching, pacing and concurrency")
  class Batching {
    @Test
    @DisplayName("due SKUs are batched up to the batch size, keeping a product's SKUs together")
    void batchesPerProduct() {
      Sku a1 = f.item("A1", "pA", "sA1", 10);
      Sku a2 = f.item("A2", "pA", "sA2", 10);
      Sku b1 = f.item("B1", "pB", "sB1", 10);
      Sku b2 = f.item("B2", "pB", "sB2", 10);
      Sku b3 = f.item("B3", "pB", "sB3", 10);
      ShopSync sync = started(policy().maxBatchSize(3).maxConcurrentBatches(4).build());
      // first pushes teach sync which product each SKU belongs to
      for (Sku s : List.of(a1, a2, b1, b2, b3)) {
        f.adjust(s, -1);
      }
      f.scheduler.advance(Duration.ofMillis(200));
      f.shop.pushCalls.clear();
      for (Sku s : List.of(b1, a1, b2, a2, b3)) {
        f.adjust(s, -1);
      }
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).extracting(c -> c.argument().stream().map(ShopQuantity::skuId).toList())
          .containsExactly(List.of("sA1", "sA2"), List.of("sB1", "sB2", "sB3"));
      assertThat(sync.stats().pushesAccepted()).isEqualTo(10);
    }

    @Test
    @DisplayName("at most maxConcurrentBatches calls are in flight; the rest wait for them")
    void concurrencyBound() {
      for (int i = 0; i < 6; i++) {
        f.item("S" + i, "p" + i, "s" + i, 10);
      }
      ShopSync sync = started(policy().maxBatchSize(1).maxConcurrentBatches(2).rateLimit(new RateLimit(1, 1)).build());
      for (int i = 0; i < 6; i++) {
        f.adjust(Sku.of("S" + i), -1);
      }
      f.clock.advance(Duration.ofMillis(200));
      f.scheduler.runDue();
      // the first batch had a permit and went out; two more hold the two slots, waiting for their permits
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(sync.stats().inFlight()).isEqualTo(2);
      assertThat(sync.stats().queueDepth()).isEqualTo(5);
      assertThat(f.scheduler.pendingDelays()).containsExactly(1000L, 2000L);
      f.scheduler.runUntilIdle(Duration.ofSeconds(30));
      assertThat(f.shop.pushCalls).hasSize(6);
      assertThat(sync.stats().queueDepth()).isZero();
    }

    @Test
    @DisplayName("push calls are paced by the rate limit")
    void rateLimit() {
      for (int i = 0; i < 4; i++) {
        f.item("S" + i, "p" + i, "s" + i, 10);
      }
      started(policy().maxBatchSize(1).maxConcurrentBatches(4).rateLimit(new RateLimit(2, 1)).build());
      for (int i = 0; i < 4; i++) {
        f.adjust(Sku.of("S" + i), -1);
      }
      f.scheduler.runUntilIdle(Duration.ofSeconds(10));
      assertThat(f.shop.pushCalls).extracting(c -> Duration.between(SyncFixture.START, c.at()).toMillis())
          .containsExactly(200L, 700L, 1200L, 1700L);
    }

    @Test
    @DisplayName("locations map to shop warehouses; unmapped locations use the shop default")
    void warehouses() {
      Sku a = Sku.of("A");
      f.engine.register(ItemDefinition.builder(T, a).name("A").location(Location.of("berlin"))
          .listing(ShopListing.of(FakeShop.CHANNEL, "p1", "s1")).build());
      f.shop.sku("p1", "s1", 0);
      Sku b = f.item("B", "p2", "s2", 0);
      f.builder().pushPolicy(policy().maxProductsPerBatch(2).build()).warehouse(Location.of("berlin"), "WH-BER").build()
          .start();
      f.adjust(a, 3);
      f.adjust(b, 4);
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(f.shop.pushCalls).singleElement().satisfies(c -> assertThat(c.argument()).containsExactly(
          new ShopQuantity("p1", "s1", "WH-BER", 3), new ShopQuantity("p2", "s2", null, 4)));
    }
  }

  @Nested
  @DisplayName("flush by product")
  class ByProduct {
    /** The SKU ids of each push call, in call order. */
    List<List<String>> callSkus() {
      return f.shop.pushCalls.stream().map(c -> c.argument().stream().map(ShopQuantity::skuId).toList()).toList();
    }

    List<Long> callTimes() {
      return f.shop.pushCalls.stream().map(c -> Duration.between(SyncFixture.START, c.at()).toMillis()).toList();
    }

    @Test
    @DisplayName("with the default policy, a burst over a product's variants goes out as one call per product")
    void burstWithDefaults() {
      List<Sku> skus = new java.util.ArrayList<>();
      for (String p : List.of("A", "B", "C")) {
        for (int v = 1; v <= 3; v++) {
          skus.add(f.item(p + v, "p" + p, "s" + p + v, 10));
        }
      }
      ShopSync sync = started(PushPolicy.ofDefaults()); // first pushes since start: the lookup cache is cold
      // changes interleaved over the products, 10 ms apart: each SKU's own window ends at another time
      int[] order = {0, 3, 6, 1, 4, 7, 2, 5, 8};
      for (int i : order) {
        f.adjust(skus.get(i), -1);
        f.scheduler.advance(Duration.ofMillis(10));
      }
      f.scheduler.runUntilIdle(Duration.ofSeconds(5));
      assertThat(callSkus()).containsExactly(
          List.of("sA1", "sA2", "sA3"), List.of("sB1", "sB2", "sB3"), List.of("sC1", "sC2", "sC3"));
      // each product goes when its first SKU's window (100 ms) ends, taking the SKUs changed after it
      assertThat(callTimes()).containsExactly(100L, 110L, 120L);
      assertThat(f.accepted).hasSize(9).allMatch(o -> o.quantity() == 9);
      assertThat(f.accepted).filteredOn(o -> o.sku().equals(skus.get(8)))
          .singleElement().satisfies(o -> assertThat(o.latency()).isEqualTo(Duration.ofMillis(40)));
      assertThat(sync.whenIdle()).isDone();
    }

    @Test
    @DisplayName("SKUs of other products keep their own window; products per call are bounded")
    void productsPerBatch() {
      Sku a1 = f.item("A1", "pA", "sA1", 10);
      Sku a2 = f.item("A2", "pA", "sA2", 10);
      Sku a3 = f.item("A3", "pA", "sA3", 10);
      Sku b1 = f.item("B1", "pB", "sB1", 10);
      Sku c1 = f.item("C1", "pC", "sC1", 10);
      Sku d1 = f.item("D1", "pD", "sD1", 10);
      started(policy().maxBatchSize(10).maxProductsPerBatch(2).maxConcurrentBatches(4).build());
      for (Sku s : List.of(a1, b1, c1)) {
        f.adjust(s, -1);
      }
      f.scheduler.advance(Duration.ofMillis(50));
      f.adjust(a2, -1);
      f.adjust(a3, -1);
      f.adjust(d1, -1);
      f.scheduler.advance(Duration.ofMillis(150));
      // at 200 ms A1, B1 and C1 are due; A2 and A3 go with A1; D1 (another product) waits for its window
      assertThat(callSkus()).containsExactly(List.of("sA1", "sA2", "sA3", "sB1"), List.of("sC1"));
      f.scheduler.advance(Duration.ofMillis(50));
      assertThat(callSkus()).hasSize(3).last().isEqualTo(List.of("sD1"));
      assertThat(callTimes()).containsExactly(200L, 200L, 250L);
    }

    @Test
    @DisplayName("a product with more SKUs than the batch size is split over calls")
    void largeProductIsSplit() {
      for (int v = 1; v <= 5; v++) {
        f.adjust(f.item("A" + v, "pA", "sA" + v, 10), -1);
      }
      f.adjust(f.item("B1", "pB", "sB1", 10), -1);
      started(policy().maxBatchSize(2).maxProductsPerBatch(2).maxConcurrentBatches(8).build());
      for (int v = 1; v <= 5; v++) {
        f.adjust(Sku.of("A" + v), -1);
      }
      f.adjust(Sku.of("B1"), -1);
      f.scheduler.advance(Duration.ofMillis(200));
      assertThat(callSkus()).containsExactly(
          List.of("sA1", "sA2"), List.of("sA3", "sA4"), List.of("sA5", "sB1"));
    }

    @Test
    @DisplayName("a product's SKU whose push is in flight is not sent again before it is answered")
    void inFlightStaysOut() {
      Sku a1 = f.item("A1", "pA", "sA1", 10);
      Sku b1 = f.item("B1", "pB", "sB1", 10);
      Sku b2 = f.item("B2", "pB", "sB2", 10);
      ShopSync sync = started(policy().maxConcurrentBatches(4).rateLimit(new RateLimit(1, 1)).build());
      f.adjust(a1, -1);
      f.adjust(b1, -1);
      f.scheduler.advance(Duration.ofMillis(200));
      // A1 had the permit; B1 holds a slot until its permit at 1200 ms
      assertThat(callSkus()).containsExactly(List.of("sA1"));
      assertThat(sync.pushStatus(b1).pending()).isTrue();
      f.scheduler.advance(Duration.ofMillis(100));
      f.adjust(b1, -2); // B1 changes again while its push waits
      f.adjust(b2, -1);
      f.scheduler.advance(Duration.ofMillis(200));
      // B2 falls due at 500 ms; B1 is in flight, so B2 goes alone (its permit: 2200 ms)
      f.scheduler.runUntilIdle(Duration.ofSeconds(10));
      assertThat(callSkus()).containsExactly(List.of("sA1"), List.of("sB1"), List.of("sB2"));
      assertThat(callTimes()).containsExactly(200L, 1200L, 2200L);
      // B1's push read the level when it was sent, so its re-push after the change is unchanged and skipped
      assertThat(f.shop.quantity("sB1")).isEqualTo(7);
      assertThat(sync.lastPushed(b1)).hasValue(7);
      assertThat(sync.stats().pushesSkipped()).isEqualTo(1);
    }

    @Test
    @DisplayName("a SKU backing off after a failure keeps its backoff while its product goes out")
    void backoffIsKept() {
      Sku a1 = f.item("A1", "pA", "sA1", 10);
      Sku a2 = f.item("A2", "pA", "sA2", 10);
      ShopSync sync = started(policy().build());
      f.shop.scriptPush(q -> new PushResult(q.stream().filter(x -> !x.skuId().equals("sA1")).toList(),
          q.stream().filter(x -> x.skuId().equals("sA1"))
              .map(x -> new PushFailure(x, "36009003", "internal error", true)).toList()));
      f.adjust(a1, -1);
      f.adjust(a2, -1);
      f.scheduler.advance(Duration.ofMillis(300));
      f.adjust(a2, -1); // due at 500 ms; A1 retries at 700 ms (200 + 500 ms backoff)
      f.scheduler.runUntilIdle(Duration.ofSeconds(10));
      assertThat(callSkus()).containsExactly(List.of("sA1", "sA2"), List.of("sA2"), List.of("sA1"));
      assertThat(callTimes()).containsExactly(200L, 500L, 700L);
      assertThat(sync.lastPushed(a1)).hasValue(9);
      assertThat(sync.lastPushed(a2)).hasValue(8);
    }

    @Test
    @DisplayName("when calls are held back, the products that fell due first go first")
    void oldestFirst() {
      Sku w = f.item("W1", "pW", "sW1", 10);
      Sku x = f.item("X1", "pX", "sX1", 10);
      Sku z = f.item("Z1", "pZ", "sZ1", 10);
      Sku a = f.item("A1", "pA", "sA1", 10);
      started(policy().maxConcurrentBatches(1).rateLimit(new RateLimit(1, 1)).build());
      f.adjust(w, -1);
      f.adjust(x, -1);
      f.scheduler.advance(Duration.ofMillis(300));
      f.adjust(z, -1);
      f.scheduler.advance(Duration.ofMillis(100));
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofSeconds(10));
      // W goes at once, X holds the only slot until 1200 ms; then Z (due at 500) before A (due at 600)
      assertThat(callSkus()).containsExactly(List.of("sW1"), List.of("sX1"), List.of("sZ1"), List.of("sA1"));
      assertThat(callTimes()).containsExactly(200L, 1200L, 2200L, 3200L);
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {
    @Test
    @DisplayName("retryable exceptions are retried with exponential backoff, then succeed")
    void retryWithBackoff() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = started(policy().build());
      f.shop.failNextPush(new StoreUnavailableException("shop down", null));
      f.shop.failNextPush(new StoreUnavailableException("shop down", null));
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofSeconds(30));
      assertThat(f.shop.pushCalls).extracting(c -> Duration.between(SyncFixture.START, c.at()).toMillis())
          .containsExactly(200L, 700L, 1700L); // window, +500 ms, +1000 ms
      assertThat(f.failed).extracting(PushOutcome::status)
          .containsExactly(PushOutcome.Status.RETRYING, PushOutcome.Status.RETRYING);
      assertThat(f.accepted).singleElement().satisfies(o -> {
        assertThat(o.attempt()).isEqualTo(3);
        assertThat(o.latency()).isEqualTo(Duration.ofMillis(1700));
      });
      assertThat(sync.pushStatus(a).lastFailure()).isNull();
      assertThat(sync.stats().pushAttemptsFailed()).isEqualTo(2);
      assertThat(f.shop.quantity("s1")).isEqualTo(9);
    }

    @Test
    @DisplayName("retryable failures that use up every attempt are reported as GAVE_UP")
    void givesUp() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = started(policy().build());
      f.shop.refuse("s1", "36009003", true);
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.shop.pushCalls).hasSize(4);
      assertThat(f.failed).extracting(PushOutcome::status).containsExactly(PushOutcome.Status.RETRYING,
          PushOutcome.Status.RETRYING, PushOutcome.Status.RETRYING, PushOutcome.Status.GAVE_UP);
      PushStatus status = sync.pushStatus(a);
      assertThat(status.pending()).isFalse();
      assertThat(status.lastPushedQuantity()).isNull();
      assertThat(status.lastFailure()).isNotNull();
      assertThat(status.lastFailure().code()).isEqualTo("36009003");
      assertThat(sync.stats().pushesFailed()).isEqualTo(1);
      // the next change tries again from the first attempt
      f.shop.clearRefusals();
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(sync.pushStatus(a).lastPushedQuantity()).isEqualTo(8);
      assertThat(sync.pushStatus(a).lastFailure()).isNull();
    }

    @Test
    @DisplayName("a SKU the shop refuses is reported (status, listener, counters) while the rest of the batch succeeds")
    void partialRejection() {
      Sku a = f.item("A", "p1", "s1", 10);
      Sku b = f.item("B", "p1", "s2", 10);
      ShopSync sync = started(policy().build());
      f.shop.refuse("s2", "12052032", false);
      f.adjust(a, -1);
      f.adjust(b, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.shop.pushCalls).hasSize(1);
      assertThat(f.accepted).extracting(PushOutcome::sku).containsExactly(a);
      assertThat(f.failed).singleElement().satisfies(o -> {
        assertThat(o.sku()).isEqualTo(b);
        assertThat(o.status()).isEqualTo(PushOutcome.Status.REJECTED);
        assertThat(o.code()).isEqualTo("12052032");
        assertThat(o.quantity()).isEqualTo(9);
        assertThat(o.failed()).isTrue();
      });
      assertThat(sync.pushStatus(b).lastFailure()).isEqualTo(f.failed.get(0));
      assertThat(sync.stats().pushesFailed()).isEqualTo(1);
      assertThat(sync.stats().pushesAccepted()).isEqualTo(1);
    }

    @Test
    @DisplayName("non-retryable exceptions are rejected at once; a SKU the client gives no outcome for is retried")
    void nonRetryableAndMissingOutcome() {
      Sku a = f.item("A", "p1", "s1", 10);
      ShopSync sync = started(policy().build());
      f.shop.failNextPush(new InvalidRequestException("bad request"));
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.failed).extracting(PushOutcome::status).containsExactly(PushOutcome.Status.REJECTED);
      assertThat(f.failed.get(0).code()).isEqualTo("InvalidRequestException");
      f.failed.clear();
      f.shop.scriptPush(q -> new PushResult(List.of(), List.of()));
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.failed).extracting(PushOutcome::code).containsExactly("NO_RESULT");
      assertThat(sync.lastPushed(a)).hasValue(8);
    }

    @Test
    @DisplayName("a custom classifier decides which exceptions are retried")
    void classifier() {
      Sku a = f.item("A", "p1", "s1", 10);
      f.builder().pushPolicy(policy().build()).retryable(e -> false).build().start();
      f.shop.failNextPush(new StoreUnavailableException("down", null));
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.failed).extracting(PushOutcome::status).containsExactly(PushOutcome.Status.REJECTED);
    }

    @Test
    @DisplayName("a partial result naming unknown SKUs does not confuse the mapping")
    void foreignFailure() {
      Sku a = f.item("A", "p1", "s1", 10);
      started(policy().build());
      f.shop.scriptPush(q -> new PushResult(q, List.of(
          new PushFailure(new ShopQuantity("px", "unknown", null, 1), "X", "not ours", false))));
      f.adjust(a, -1);
      f.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(f.accepted).hasSize(1);
      assertThat(f.failed).isEmpty();
    }
  }

  @Nested
  @DisplayName("channel policy")
  class Policy {
    @Test
    @DisplayName("buffer, out-of-stock rule and cap shape the published quantity, never below 0")
    void shopQuantity() {
      ChannelPolicy p = ChannelPolicy.builder().buffer(2).outOfStockBelow(3).cap(500).build();
      assertThat(p.shopQuantity(10)).isEqualTo(8);
      assertThat(p.shopQuantity(5)).isEqualTo(3);
      assertThat(p.shopQuantity(4)).isZero();
      assertThat(p.shopQuantity(1)).isZero();
      assertThat(p.shopQuantity(-7)).isZero();
      assertThat(p.shopQuantity(900)).isEqualTo(500);
      assertThat(ChannelPolicy.ofDefaults().shopQuantity(7)).isEqualTo(7);
      assertThat(ChannelPolicy.builder().cap(0).build().shopQuantity(7)).isZero();
    }

    @Test
    @DisplayName("pushes apply the channel policy to available")
    void appliedToPushes() {
      Sku a = f.item("A", "p1", "s1", 10);
      f.builder().pushPolicy(policy().build()).channelPolicy(ChannelPolicy.builder().buffer(3).build()).build().start();
      f.adjust(a, -2);
      f.scheduler.runUntilIdle(Duration.ofSeconds(5));
      assertThat(f.shop.quantity("s1")).isEqualTo(5);
    }
  }
}
