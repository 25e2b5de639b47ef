package io.creatorflow.inventory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.internal.Keys;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's compact forms (columnar ledger rows, order table, idempotency records kept
 * on their order, packed fingerprints) must answer every read exactly as the records it was given.
 */
class InMemoryStockStoreTest {
  private static final TenantId TENANT = TenantId.of("t");
  private static final AlertRule RULE = new AlertRule(0, 0);
  private static final Instant T0 = Instant.parse("2026-11-22T04:00:00.123456789Z");

  private final InMemoryStockStore store = new InMemoryStockStore();

  private void register(String... skus) {
    for (String sku : skus) {
      store.registerItem(ItemDefinition.builder(TENANT, Sku.of(sku)).name(sku).build(), T0);
    }
  }

  private MutationResult.Applied apply(Instant at, @Nullable IdempotencyClaim claim, List<LineChange> changes,
      @Nullable OrderWrite order) {
    MutationResult result = store.apply(new Mutation(TENANT, at, claim, changes, order, RULE));
    assertThat(result).isInstanceOf(MutationResult.Applied.class);
    return (MutationResult.Applied) result;
  }

  private static LineChange receive(String sku, long quantity, @Nullable String reason) {
    return new LineChange(Sku.of(sku), MovementType.IN, quantity, quantity, 0, null, reason, null, null);
  }

  private static LineChange reserve(String sku, long quantity, OrderId order) {
    return new LineChange(Sku.of(sku), MovementType.RESERVE, quantity, 0, quantity, null, null,
        Keys.orderReference(order), null);
  }

  private static OrderWrite newOrder(OrderId id, OrderLine... lines) {
    return new OrderWrite(id, 0, OrderStatus.RESERVED, List.of(lines), List.of());
  }

  @Test
  void reservationUnderTheOrdersOwnKeyReplaysExactly() {
    register("A", "B");
    apply(T0, null, List.of(receive("A", 10, "stock"), receive("B", 10, "stock")), null);
    OrderId id = OrderId.of("o-1");
    String fingerprint = "0123456789abcdef".repeat(4);
    MutationResult.Applied applied = apply(T0.plusNanos(1), new IdempotencyClaim(Keys.orderReservation(id), fingerprint),
        List.of(reserve("A", 2, id), reserve("B", 3, id)), newOrder(id, OrderLine.of("A", 2), OrderLine.of("B", 3)));

    MutationResult.Replayed replayed = store.replay(TENANT, Keys.orderReservation(id)).orElseThrow();
    assertThat(replayed.fingerprint()).isEqualTo(fingerprint);
    assertThat(replayed.movements()).isEqualTo(applied.movements());
    assertThat(replayed.order()).isEqualTo(applied.order());
    assertThat(store.order(TENANT, id)).contains(applied.order());
    assertThat(applied.movements().get(0).reference()).isEqualTo("order:o-1");
    assertThat(applied.movements().get(0).idempotencyKey()).isEqualTo("sys:reserve:o-1");
    assertThat(store.replay(TENANT, Keys.orderReservation(OrderId.of("o-2")))).isEmpty();
    assertThat(store.replay(TENANT, "sys:reserve:")).isEmpty();

    // The same key again replays; the order's later versions keep the record.
    MutationResult again = store.apply(new Mutation(TENANT, T0.plusSeconds(1),
        new IdempotencyClaim(Keys.orderReservation(id), "other"), List.of(reserve("A", 1, id)),
        newOrder(id, OrderLine.of("A", 1)), RULE));
    assertThat(again).isEqualTo(replayed);
    MutationResult.Applied cancelled = apply(T0.plusSeconds(2), null, List.of(
        new LineChange(Sku.of("A"), MovementType.RELEASE, 2, 0, -2, null, "cancel", "order:o-1", "me"),
        new LineChange(Sku.of("B"), MovementType.RELEASE, 3, 0, -3, null, "cancel", "order:o-1", "me")),
        new OrderWrite(id, 1, OrderStatus.CANCELLED, applied.order().lines(), List.of()));
    MutationResult.Replayed later = store.replay(TENANT, Keys.orderReservation(id)).orElseThrow();
    assertThat(later.movements()).isEqualTo(applied.movements());
    assertThat(later.order()).isEqualTo(cancelled.order());
    assertThat(later.order().createdAt()).isEqualTo(T0.plusNanos(1));
    assertThat(later.order().version()).isEqualTo(2);
  }

  @Test
  void fingerprintsOfAnyFormComeBackAsGiven() {
    register("A");
    apply(T0, null, List.of(receive("A", 100, null)), null);
    List<String> fingerprints = List.of("0123456789abcdef".repeat(4), "f".repeat(64), "0".repeat(64),
        "0123456789ABCDEF".repeat(4), "g" + "0".repeat(63), "0".repeat(63), "0".repeat(65), "fp-1", "",
        "é" + "0".repeat(63));
    for (int i = 0; i < fingerprints.size(); i++) {
      String key = "k-" + i;
      apply(T0, new IdempotencyClaim(key, fingerprints.get(i)), List.of(receive("A", 1, "r")), null);
      assertThat(store.replay(TENANT, key).orElseThrow().fingerprint()).isEqualTo(fingerprints.get(i));
      OrderId id = OrderId.of("o-" + i);
      apply(T0, new IdempotencyClaim(Keys.orderReservation(id), fingerprints.get(i)), List.of(reserve("A", 1, id)),
          newOrder(id, OrderLine.of("A", 1)));
      assertThat(store.replay(TENANT, Keys.orderReservation(id)).orElseThrow().fingerprint())
          .isEqualTo(fingerprints.get(i));
    }
  }

  @Test
  void keysOfTheReservedFormForOtherOrdersAreKeptApart() {
    register("A");
    apply(T0, null, List.of(receive("A", 10, null)), null);
    OrderId one = OrderId.of("one");
    OrderId two = OrderId.of("two");
    // A key naming order "one" on a mutation that writes order "two", and one that writes no order.
    MutationResult.Applied applied = apply(T0, new IdempotencyClaim(Keys.orderReservation(one), "fp"),
        List.of(reserve("A", 1, two)), newOrder(two, OrderLine.of("A", 1)));
    apply(T0, new IdempotencyClaim(Keys.orderReservation(OrderId.of("three")), "fp3"), List.of(receive("A", 1, "x")),
        null);
    MutationResult.Replayed replayed = store.replay(TENANT, Keys.orderReservation(one)).orElseThrow();
    assertThat(replayed.movements()).isEqualTo(applied.movements());
    assertThat(replayed.order()).isEqualTo(applied.order());
    assertThat(store.replay(TENANT, Keys.orderReservation(two))).isEmpty();
    assertThat(store.replay(TENANT, Keys.orderReservation(OrderId.of("three"))).orElseThrow().fingerprint())
        .isEqualTo("fp3");
    // Order "one" reserved now under its own key is a new record.
    MutationResult result = store.apply(new Mutation(TENANT, T0, new IdempotencyClaim(Keys.orderReservation(one), "x"),
        List.of(reserve("A", 1, one)), newOrder(one, OrderLine.of("A", 1)), RULE));
    assertThat(result).isInstanceOf(MutationResult.Replayed.class);
  }

  @Test
  void ledgerRowsReadBackAsAppendedAcrossChunksAndSkus() {
    register("A", "B", "C");
    List<Movement> appended = new ArrayList<>();
    appended.addAll(apply(T0, null, List.of(receive("A", 5_000, "stock"), receive("B", 5_000, null)), null).movements());
    int rows = 3_100;
    for (int i = 0; i < rows; i++) {
      String sku = i % 3 == 0 ? "B" : "A";
      Instant at = T0.plusMillis(i).plusNanos(i % 7);
      OrderId id = OrderId.of("o-" + i);
      LineChange change = switch (i % 4) {
        case 0 -> reserve(sku, 1 + i % 5, id);
        case 1 -> new LineChange(Sku.of(sku), MovementType.OUT, 1, -1, 0, null, "damaged é", "ref-" + i, "actor");
        case 2 -> receive(sku, 2, i % 8 == 2 ? null : "receipt " + i);
        default -> new LineChange(Sku.of(sku), MovementType.ADJUSTMENT, 1, -1, 0, null, null, null, "someone");
      };
      IdempotencyClaim claim = switch (i % 3) {
        case 0 -> new IdempotencyClaim(Keys.orderReservation(id), Integer.toHexString(i));
        case 1 -> new IdempotencyClaim("key-" + i, "fp");
        default -> null;
      };
      OrderWrite order = i % 4 == 0 ? newOrder(id, OrderLine.of(sku, 1 + i % 5)) : null;
      appended.addAll(apply(at, claim, List.of(change), order).movements());
    }
    List<Movement> newestFirst = new ArrayList<>(appended);
    newestFirst.sort(Comparator.comparingLong(Movement::id).reversed());

    Page<Movement> all = store.history(TENANT, HistoryQuery.all().withPage(PageRequest.of(0, 500)));
    assertThat(all.total()).isEqualTo(appended.size());
    assertThat(all.items()).isEqualTo(newestFirst.subList(0, 500));
    Page<Movement> deep = store.history(TENANT, HistoryQuery.all().withPage(PageRequest.of(2_900, 500)));
    assertThat(deep.items()).isEqualTo(newestFirst.subList(2_900, newestFirst.size()));

    HistoryQuery filtered = new HistoryQuery(Sku.of("A"), Set.of(MovementType.OUT, MovementType.RESERVE),
        T0.plusMillis(100).plusNanos(3), T0.plusMillis(2_500), PageRequest.of(10, 200));
    List<Movement> expected = newestFirst.stream().filter(filtered::matches).toList();
    Page<Movement> page = store.history(TENANT, filtered);
    assertThat(page.total()).isEqualTo(expected.size());
    assertThat(page.items()).isEqualTo(expected.subList(10, 210));

    List<Movement> ofB = new ArrayList<>();
    store.forEachMovement(TENANT, Sku.of("B"), ofB::add);
    assertThat(ofB).isEqualTo(appended.stream().filter(m -> m.sku().equals(Sku.of("B"))).toList());
    assertThat(store.history(TENANT, HistoryQuery.of(Sku.of("C"))).total()).isZero();
  }

  @Test
  void manyOrdersAreAllFound() {
    register("A");
    apply(T0, null, List.of(receive("A", 1_000_000, null)), null);
    int orders = 20_000;
    List<Order> written = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      OrderId id = OrderId.of("order-" + i);
      written.add(apply(T0.plusNanos(i), new IdempotencyClaim(Keys.orderReservation(id), "fp" + i),
          List.of(reserve("A", 1, id)), newOrder(id, OrderLine.of("A", 1))).order());
    }
    for (Order order : written) {
      assertThat(store.order(TENANT, order.id())).contains(order);
    }
    assertThat(store.order(TENANT, OrderId.of("order-" + orders))).isEmpty();
    assertThat(store.order(TenantId.of("other"), OrderId.of("order-1"))).isEmpty();
  }
}
