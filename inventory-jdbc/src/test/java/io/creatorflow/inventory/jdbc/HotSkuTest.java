package io.creatorflow.inventory.jdbc;

import static io.creatorflow.inventory.jdbc.Fixtures.adjust;
import static io.creatorflow.inventory.jdbc.Fixtures.at;
import static io.creatorflow.inventory.jdbc.Fixtures.item;
import static io.creatorflow.inventory.jdbc.Fixtures.mutation;
import static io.creatorflow.inventory.jdbc.Fixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.MutationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two store instances, each with its own pool and group commit, and many threads reserving one hot
 * SKU: never oversold, every reservation all-or-nothing, and a ledger whose rows chain (each
 * movement starts where the previous one ended) in id order.
 */
class HotSkuTest {
  private static final int THREADS_PER_INSTANCE = 12;
  private static final int RESERVATIONS_PER_THREAD = 12;
  private static final int STOCK = 150;

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestDatabase.class)
  @DisplayName("two instances and many threads on one hot SKU: no oversell, a gapless ledger chain in id order")
  void hotSku(TestDatabase database) throws Exception {
    try (TestDatabase.Isolated db = database.isolate()) {
      JdbcStockStore first = db.newStore(8);
      JdbcStockStore second = JdbcStockStore.builder(db.newPool(8)).tablePrefix(db.prefix).build();
      TenantId tenant = TenantId.of("hot-" + System.nanoTime());
      first.registerItem(item(tenant, "HOT"), at(0));
      first.registerItem(item(tenant, "SIDE"), at(0));
      first.apply(mutation(tenant, at(1), null, adjust("HOT", STOCK), adjust("SIDE", 10_000)));

      ConcurrentLinkedQueue<MutationResult> results = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      int threads = 2 * THREADS_PER_INSTANCE;
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        JdbcStockStore store = t % 2 == 0 ? first : second;
        int thread = t;
        Thread worker = new Thread(() -> {
          try {
            start.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < RESERVATIONS_PER_THREAD; i++) {
              // Every other order also takes a unit of a second SKU: multi-line orders in the mix.
              OrderLine[] lines = i % 2 == 0 ? new OrderLine[] {OrderLine.of("HOT", 1)}
                  : new OrderLine[] {OrderLine.of("HOT", 1), OrderLine.of("SIDE", 1)};
              results.add(store.apply(reservation(tenant, at(2 + i), "o-" + thread + "-" + i, lines)));
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        worker.start();
        running.add(worker);
      }
      for (Thread worker : running) {
        worker.join(TimeUnit.MINUTES.toMillis(2));
      }
      assertThat(errors).isEmpty();
      long applied = results.stream().filter(r -> r instanceof MutationResult.Applied).count();
      assertThat(results).hasSize(threads * RESERVATIONS_PER_THREAD);
      assertThat(results).allMatch(r -> r instanceof MutationResult.Applied
          || (r instanceof MutationResult.Rejected rej && rej.reason() == MutationResult.Rejection.INSUFFICIENT_STOCK));
      assertThat(applied).isEqualTo(STOCK);

      StockLevel hot = first.level(tenant, Sku.of("HOT")).orElseThrow();
      assertThat(hot.reserved()).isEqualTo(STOCK);
      assertThat(hot.onHand()).isEqualTo(STOCK);
      assertThat(hot.version()).isEqualTo(1 + STOCK);
      long multiLine = results.stream().filter(r -> r instanceof MutationResult.Applied a && a.movements().size() == 2)
          .count();
      assertThat(second.level(tenant, Sku.of("SIDE")).orElseThrow().reserved()).isEqualTo(multiLine);

      for (String sku : List.of("HOT", "SIDE")) {
        List<Movement> ledger = new ArrayList<>();
        second.forEachMovement(tenant, Sku.of(sku), ledger::add);
        for (int i = 1; i < ledger.size(); i++) {
          Movement previous = ledger.get(i - 1);
          Movement m = ledger.get(i);
          assertThat(m.id()).isGreaterThan(previous.id());
          assertThat(m.onHandBefore()).as("%s movement %s starts where %s ended", sku, m.id(), previous.id())
              .isEqualTo(previous.onHandAfter());
          assertThat(m.reservedBefore()).isEqualTo(previous.reservedAfter());
          assertThat(m.type()).isEqualTo(MovementType.RESERVE);
        }
      }
    }
  }
}
