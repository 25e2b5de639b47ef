package io.creatorflow.inventory.sync;

import static io.creatorflow.inventory.sync.SyncFixture.START;
import static io.creatorflow.inventory.sync.SyncFixture.T;
import static io.creatorflow.inventory.sync.SyncFixture.line;
import static io.creatorflow.inventory.sync.SyncFixture.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.sync.OrderSyncResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Orders from webhooks and polling")
class OrderSyncTest {
  final SyncFixture f = new SyncFixture();
  Sku a;
  Sku b;
  ShopSync sync;

  @BeforeEach
  void setUp() {
    a = f.item("A", "p1", "s1", 10);
    b = f.item("B", "p1", "s2", 10);
    sync = f.builder().build();
  }

  Instant t(int seconds) {
    return START.plusSeconds(seconds);
  }

  OrderId engineId(String shopOrderId) {
    return OrderId.of(FakeShop.CHANNEL + ":" + shopOrderId);
  }

  long movements(Sku sku, MovementType type) {
    return f.ledger(sku).stream().filter(m -> m.type() == type).count();
  }

  @Nested
  @DisplayName("forward-only transitions")
  class Transitions {
    @Test
    @DisplayName("paid reserves, shipped fulfils, each exactly once, under channel:order ids and keys")
    void reserveThenFulfil() {
      f.shop.order(order("100", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 2), line("p1", "s2", 1)));
      OrderSyncResult r = sync.onOrderNotification("100");
      assertThat(r.outcome()).isEqualTo(Outcome.RESERVED);
      assertThat(r.engineOrderId()).isEqualTo(engineId("100"));
      assertThat(r.engineStatus()).isEqualTo(OrderStatus.RESERVED);
      assertThat(f.level(a).available()).isEqualTo(8);
      assertThat(f.level(b).available()).isEqualTo(9);
      assertThat(sync.onOrderNotification("100").outcome()).isEqualTo(Outcome.NO_CHANGE);
      f.shop.order(order("100", OrderState.IN_TRANSIT, t(5), line("p1", "s1", 2), line("p1", "s2", 1)));
      assertThat(sync.onOrderNotification("100").outcome()).isEqualTo(Outcome.FULFILLED);
      assertThat(sync.onOrderNotification("100").outcome()).isEqualTo(Outcome.NO_CHANGE);
      f.shop.order(order("100", OrderState.DELIVERED, t(9), line("p1", "s1", 2), line("p1", "s2", 1)));
      assertThat(sync.onOrderNotification("100").outcome()).isEqualTo(Outcome.NO_CHANGE);
      assertThat(f.level(a).onHand()).isEqualTo(8);
      assertThat(f.level(a).reserved()).isZero();
      assertThat(movements(a, MovementType.RESERVE)).isEqualTo(1);
      assertThat(movements(a, MovementType.OUT)).isEqualTo(1);
      List<String> keys = f.ledger(a).stream().map(Movement::idempotencyKey).filter(k -> k != null).toList();
      assertThat(keys).containsExactly("shop:100:reserve", "shop:100:fulfil");
      assertThat(keys).noneMatch(k -> k.startsWith("sys:"));
    }

    @Test
    @DisplayName("an order first seen shipped is reserved and fulfilled in one go")
    void fulfilReservesFirst() {
      f.shop.order(order("101", OrderState.DELIVERED, t(1), line("p1", "s1", 3)));
      OrderSyncResult r = sync.onOrderNotification("101");
      assertThat(r.outcome()).isEqualTo(Outcome.FULFILLED);
      assertThat(f.level(a).onHand()).isEqualTo(7);
      assertThat(f.level(a).reserved()).isZero();
      assertThat(f.engine.order(T, engineId("101")).status()).isEqualTo(OrderStatus.FULFILLED);
    }

    @Test
    @DisplayName("a cancellation releases the reservation once; cancelling an unreserved order changes nothing")
    void cancel() {
      f.shop.order(order("102", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 4)));
      sync.onOrderNotification("102");
      f.shop.order(new ShopOrder("102", OrderState.CANCELLED, "CANCEL", List.of(line("p1", "s1", 4)), t(2)));
      assertThat(sync.onOrderNotification("102").outcome()).isEqualTo(Outcome.CANCELLED);
      assertThat(sync.onOrderNotification("102").outcome()).isEqualTo(Outcome.NO_CHANGE);
      assertThat(f.level(a).available()).isEqualTo(10);
      assertThat(movements(a, MovementType.RELEASE)).isEqualTo(1);
      f.shop.order(order("103", OrderState.CANCELLED, t(1), line("p1", "s1", 4)));
      OrderSyncResult never = sync.onOrderNotification("103");
      assertThat(never.outcome()).isEqualTo(Outcome.NO_CHANGE);
      assertThat(never.engineStatus()).isNull();
    }

    @Test
    @DisplayName("unpaid and on-hold orders wait; unknown statuses are reported; nothing moves")
    void notPaid() {
      f.shop.order(order("104", OrderState.UNPAID, t(1), line("p1", "s1", 1)));
      f.shop.order(order("105", OrderState.ON_HOLD, t(1), line("p1", "s1", 1)));
      f.shop.order(new ShopOrder("106", OrderState.UNKNOWN, "SOMETHING_NEW", List.of(line("p1", "s1", 1)), t(1)));
      assertThat(sync.syncOrders(List.of("104", "105", "106"))).extracting(OrderSyncResult::outcome)
          .containsExactly(Outcome.NOT_PAID, Outcome.NOT_PAID, Outcome.UNKNOWN_STATE);
      assertThat(f.level(a).available()).isEqualTo(10);
    }

    @Test
    @DisplayName("contradictions are reported as conflicts and never move stock backwards")
    void conflicts() {
      f.shop.order(order("107", OrderState.DELIVERED, t(1), line("p1", "s1", 1)));
      sync.onOrderNotification("107");
      f.shop.order(order("107", OrderState.CANCELLED, t(2), line("p1", "s1", 1)));
      OrderSyncResult r = sync.onOrderNotification("107");
      assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(r.engineStatus()).isEqualTo(OrderStatus.FULFILLED);
      assertThat(f.level(a).onHand()).isEqualTo(9);
      // reserved by the host under the same engine id with other lines
      f.engine.reserve(Reservation.of(T, engineId("108"), OrderLine.of(b, 1)));
      f.shop.order(order("108", OrderState.DELIVERED, t(1), line("p1", "s1", 5)));
      f.engine.cancel(io.creatorflow.inventory.OrderCommand.of(T, engineId("108")));
      assertThat(sync.onOrderNotification("108").outcome()).isEqualTo(Outcome.CONFLICT);
    }

    @Test
    @DisplayName("the configured states decide: ON_HOLD may reserve")
    void configuredStates() {
      ShopSync early = f.builder().orderPolicy(OrderPolicy.builder().noPolling()
          .reserveStates(EnumSet.of(OrderState.ON_HOLD, OrderState.AWAITING_SHIPMENT)).build()).build();
      f.shop.order(order("109", OrderState.ON_HOLD, t(1), line("p1", "s1", 1)));
      assertThat(early.onOrderNotification("109").outcome()).isEqualTo(Outcome.RESERVED);
    }
  }

  @Nested
  @DisplayName("duplicates and out-of-order delivery")
  class Redelivery {
    @Test
    @DisplayName("redelivered notifications apply once")
    void duplicates() {
      f.shop.order(order("200", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 2)));
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        outcomes.add(sync.onOrderNotification("200", t(1)).outcome());
      }
      assertThat(outcomes).containsExactly(Outcome.RESERVED, Outcome.NO_CHANGE, Outcome.NO_CHANGE, Outcome.NO_CHANGE,
          Outcome.NO_CHANGE);
      assertThat(movements(a, MovementType.RESERVE)).isEqualTo(1);
      assertThat(f.level(a).reserved()).isEqualTo(2);
    }

    @Test
    @DisplayName("a notification older than an applied state is stale and costs no shop call")
    void olderNotificationSkipsFetch() {
      f.shop.order(order("201", OrderState.CANCELLED, t(5), line("p1", "s1", 2)));
      assertThat(sync.onOrderNotification("201", t(5)).outcome()).isEqualTo(Outcome.NO_CHANGE);
      int calls = f.shop.orderCalls.size();
      OrderSyncResult late = sync.onOrderNotification("201", t(1)); // the AWAITING_SHIPMENT webhook, late
      assertThat(late.outcome()).isEqualTo(Outcome.STALE);
      assertThat(f.shop.orderCalls).hasSize(calls);
      assertThat(f.level(a).reserved()).isZero();
    }

    @Test
    @DisplayName("a late answer with an earlier state never reserves an order cancelled meanwhile")
    void staleFetchAfterCancel() {
      sync.applyOrder(order("202", OrderState.CANCELLED, t(5), line("p1", "s1", 2)));
      OrderSyncResult stale = sync.applyOrder(order("202", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 2)));
      assertThat(stale.outcome()).isEqualTo(Outcome.STALE);
      assertThat(f.level(a).reserved()).isZero();
      sync.applyOrder(order("203", OrderState.IN_TRANSIT, t(5), line("p1", "s1", 2)));
      assertThat(sync.applyOrder(order("203", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 2))).outcome())
          .isEqualTo(Outcome.STALE);
      assertThat(f.level(a).onHand()).isEqualTo(8);
      assertThat(f.level(a).reserved()).isZero();
    }

    @Test
    @DisplayName("two engine instances on one store applying the same order at once change stock once")
    void twoInstances() throws Exception {
      SyncFixture second = new SyncFixture(f);
      ShopSync other = second.builder().build();
      ShopOrder paid = order("204", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 3));
      List<CompletableFuture<OrderSyncResult>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ShopSync s = i % 2 == 0 ? sync : other;
        all.add(CompletableFuture.supplyAsync(() -> s.applyOrder(paid)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (CompletableFuture<OrderSyncResult> r : all) {
        outcomes.add(r.get().outcome());
      }
      assertThat(outcomes).containsOnly(Outcome.RESERVED, Outcome.NO_CHANGE);
      assertThat(outcomes.stream().filter(o -> o == Outcome.RESERVED)).hasSize(1);
      assertThat(f.level(a).reserved()).isEqualTo(3);
    }
  }

  @Nested
  @DisplayName("reported outcomes")
  class Reported {
    @Test
    @DisplayName("unmapped SKUs are reported, mapped lines still reserve")
    void unmapped() {
      f.shop.order(order("300", OrderState.AWAITING_SHIPMENT, t(1), line("p9", "s9", 1)));
      OrderSyncResult none = sync.onOrderNotification("300");
      assertThat(none.outcome()).isEqualTo(Outcome.UNMAPPED);
      assertThat(none.unmappedSkuIds()).containsExactly("s9");
      assertThat(none.retryable()).isFalse();
      f.shop.order(order("301", OrderState.AWAITING_SHIPMENT, t(1), line("p9", "s9", 1), line("p1", "s1", 1)));
      OrderSyncResult some = sync.onOrderNotification("301");
      assertThat(some.outcome()).isEqualTo(Outcome.RESERVED);
      assertThat(some.unmappedSkuIds()).containsExactly("s9");
      assertThat(f.engine.order(T, engineId("301")).lines()).containsExactly(OrderLine.of(a, 1));
    }

    @Test
    @DisplayName("an order the engine cannot cover is OVERSOLD, reserves nothing, and may succeed after a restock")
    void oversold() {
      f.shop.order(order("302", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 8), line("p1", "s2", 11)));
      OrderSyncResult r = sync.onOrderNotification("302");
      assertThat(r.outcome()).isEqualTo(Outcome.OVERSOLD);
      assertThat(r.applied()).isFalse();
      assertThat(f.level(a).reserved()).isZero();
      f.adjust(b, 1);
      assertThat(sync.onOrderNotification("302").outcome()).isEqualTo(Outcome.RESERVED);
    }

    @Test
    @DisplayName("shop failures are FAILED and retryable; unknown orders are NOT_FOUND")
    void failures() {
      f.shop.failNextOrderCalls(1, new StoreUnavailableException("shop down", null));
      OrderSyncResult r = sync.onOrderNotification("303");
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.retryable()).isTrue();
      assertThat(sync.onOrderNotification("303").outcome()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(sync.stats().orders()).containsEntry(Outcome.FAILED, 1L).containsEntry(Outcome.NOT_FOUND, 1L);
      assertThat(f.orderResults).hasSize(2);
    }

    @Test
    @DisplayName("ids that cannot be engine order ids are INVALID, not exceptions")
    void invalid() {
      assertThat(sync.applyOrder(order(" bad ", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 1))).outcome())
          .isEqualTo(Outcome.INVALID);
    }

    @Test
    @DisplayName("many orders are fetched 50 per call")
    void batchFetch() {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        ids.add("b" + i);
        f.shop.order(order("b" + i, OrderState.UNPAID, t(1), line("p1", "s1", 1)));
      }
      assertThat(sync.syncOrders(ids)).hasSize(120).allMatch(r -> r.outcome() == Outcome.NOT_PAID);
      assertThat(f.shop.orderCalls).extracting(c -> c.argument().size()).containsExactly(50, 50, 20);
    }
  }

  @Nested
  @DisplayName("returns")
  class Returns {
    ShopReturn ret(String order, String id, boolean completed, long qty) {
      return new ShopReturn(order, id, completed, List.of(new ShopReturn.Line("s1", qty)), t(20));
    }

    @Test
    @DisplayName("completed returns restock once when configured")
    void restock() {
      ShopSync restocking = f.builder().orderPolicy(OrderPolicy.builder().noPolling()
          .returns(OrderPolicy.ReturnHandling.RESTOCK).build()).build();
      f.shop.order(order("400", OrderState.DELIVERED, t(1), line("p1", "s1", 3)));
      restocking.onOrderNotification("400");
      assertThat(restocking.applyReturn(ret("400", "r1", false, 1)).outcome()).isEqualTo(Outcome.NO_CHANGE);
      assertThat(restocking.applyReturn(ret("400", "r1", true, 1)).outcome()).isEqualTo(Outcome.RETURNED);
      assertThat(restocking.applyReturn(ret("400", "r1", true, 1)).outcome()).isEqualTo(Outcome.NO_CHANGE);
      assertThat(f.level(a).onHand()).isEqualTo(8);
      Order o = f.engine.order(T, engineId("400"));
      assertThat(o.returned()).containsExactly(OrderLine.of(a, 1));
      assertThat(restocking.applyReturn(ret("400", "r2", true, 5)).outcome()).isEqualTo(Outcome.CONFLICT);
    }

    @Test
    @DisplayName("a return of an order the engine saw only reserved brings the order up to date first")
    void returnAfterMissedShipment() {
      ShopSync recording = f.builder().orderPolicy(OrderPolicy.builder().noPolling()
          .returns(OrderPolicy.ReturnHandling.RECORD).build()).build();
      f.shop.order(order("401", OrderState.AWAITING_SHIPMENT, t(1), line("p1", "s1", 2)));
      recording.onOrderNotification("401");
      f.shop.order(order("401", OrderState.COMPLETED, t(10), line("p1", "s1", 2)));
      assertThat(recording.applyReturn(ret("401", "r1", true, 2)).outcome()).isEqualTo(Outcome.RETURNED);
      assertThat(f.level(a).onHand()).isEqualTo(8); // recorded, not restocked
      assertThat(f.engine.order(T, engineId("401")).returned()).containsExactly(OrderLine.of(a, 2));
    }

    @Test
    @DisplayName("returns are ignored by default")
    void ignoredByDefault() {
      assertThat(sync.applyReturn(ret("402", "r1", true, 1)).outcome()).isEqualTo(Outcome.IGNORED);
    }
  }

  @Nested
  @DisplayName("order poll")
  class Poll {
    @Test
    @DisplayName("pages through orders updated since the last poll, and repeats a window that failed")
    void poll() {
      f.clock.advance(Duration.ofMinutes(10));
      f.shop.order(order("500", OrderState.AWAITING_SHIPMENT, t(540), line("p1", "s1", 1)));
      f.shop.order(order("501", OrderState.AWAITING_SHIPMENT, t(541), line("p1", "s1", 1)));
      f.shop.order(order("502", OrderState.DELIVERED, t(542), line("p1", "s1", 1)));
      CompletableFuture<OrderPollResult> first = sync.pollOrders();
      f.scheduler.runDue();
      assertThat(first).isDone();
      OrderPollResult r = first.join();
      assertThat(r.complete()).isTrue();
      assertThat(r.pages()).isEqualTo(2);
      assertThat(r.count(Outcome.RESERVED)).isEqualTo(2);
      assertThat(r.count(Outcome.FULFILLED)).isEqualTo(1);
      assertThat(r.to()).isEqualTo(f.clock.instant());
      assertThat(f.level(a).available()).isEqualTo(7);

      f.clock.advance(Duration.ofMinutes(5));
      f.shop.failNextOrderCalls(1, new StoreUnavailableException("down", null));
      CompletableFuture<OrderPollResult> second = sync.pollOrders();
      f.scheduler.runDue();
      OrderPollResult failed = second.join();
      assertThat(failed.complete()).isFalse();
      assertThat(failed.failure()).contains("down");
      assertThat(polls).containsExactly(r, failed);
      f.clock.advance(Duration.ofMinutes(5));
      CompletableFuture<OrderPollResult> again = sync.pollOrders();
      f.scheduler.runDue();
      // the failed window is covered again: it starts at the end of the last complete poll minus the overlap
      assertThat(again.join().from()).isEqualTo(r.to().minus(OrderPolicy.DEFAULT_POLL_OVERLAP));
      assertThat(again.join().count(Outcome.NO_CHANGE)).isEqualTo(3);
      assertThat(movements(a, MovementType.RESERVE)).isEqualTo(3);
    }

    final List<OrderPollResult> polls = new ArrayList<>();

    @BeforeEach
    void listen() {
      sync.addListener(new SyncListener() {
        @Override
        public void onOrderPollFinished(OrderPollResult result) {
          polls.add(result);
        }
      });
    }
  }

  @Test
  @DisplayName("a closed sync refuses order work")
  void closed() {
    sync.close();
    assertThatThrownBy(() -> sync.onOrderNotification("1")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
