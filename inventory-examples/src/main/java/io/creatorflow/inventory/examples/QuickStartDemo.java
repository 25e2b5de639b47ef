package io.creatorflow.inventory.examples;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.InsufficientStockException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.LedgerReport;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OrderCommand;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.creatorflow.inventory.PageRequest;

/**
 * The README's quick start, runnable: an engine on the in-memory store, a viral SKU, a burst of
 * concurrent orders that can never oversell, fulfilment, and the audit trail.
 *
 * <p>Run with {@code ./mvnw -q -pl inventory-examples -am compile exec:java}.
 */
public final class QuickStartDemo {
  private QuickStartDemo() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the demo, printing to {@code out}; returns the number of units oversold (always 0). */
  static long run(PrintStream out) throws Exception {
    ScheduledExecutorService alertExecutor = Executors.newSingleThreadScheduledExecutor();
    ExecutorService buyers = Executors.newFixedThreadPool(16);
    try (InMemoryStockStore store = new InMemoryStockStore();
        InventoryEngine engine = InventoryEngine.builder()
            .store(store)
            .alertSink(event -> out.printf("  alert %s: %s for %s (available %d)%n", event.type(),
                event.alert().kind(), event.alert().sku(), event.alert().availableAtOpen()))
            .alertExecutor(alertExecutor)
            .defaultLowStockThreshold(10)
            .build()) {
      TenantId creator = TenantId.of("creator-42");
      Sku hoodie = Sku.of("HOODIE-BLACK-M");

      engine.register(ItemDefinition.builder(creator, hoodie).name("Black hoodie, M").build());
      engine.adjust(Adjustment.of(creator, hoodie, 100, "first delivery").withType(MovementType.IN));
      out.println("Stocked 100 units of " + hoodie);

      // 500 buyers try to order 1 unit each at the same moment; exactly 100 may succeed.
      List<OrderId> accepted = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger rejected = new AtomicInteger();
      List<Future<?>> orders = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        OrderId id = OrderId.of("order-" + i);
        orders.add(buyers.submit(() -> {
          try {
            engine.reserve(Reservation.of(creator, id, OrderLine.of(hoodie, 1)));
            accepted.add(id);
          } catch (InsufficientStockException e) {
            rejected.incrementAndGet();
          }
        }));
      }
      for (Future<?> f : orders) {
        f.get();
      }
      StockLevel afterSale = engine.level(creator, hoodie);
      out.printf("Flash sale: %d orders accepted, %d rejected; on hand %d, reserved %d, available %d%n",
          accepted.size(), rejected.get(), afterSale.onHand(), afterSale.reserved(), afterSale.available());

      engine.fulfil(OrderCommand.of(creator, accepted.get(0)));
      engine.cancel(OrderCommand.of(creator, accepted.get(1)).withReason("buyer cancelled"));
      StockLevel level = engine.level(creator, hoodie);
      out.printf("After shipping one order and cancelling another: on hand %d, reserved %d, available %d%n",
          level.onHand(), level.reserved(), level.available());

      out.println("Latest movements:");
      for (Movement m : engine.history(creator, HistoryQuery.of(hoodie).withPage(PageRequest.first(5))).items()) {
        out.printf("  #%d %-8s qty %d  on hand %d -> %d  reserved %d -> %d  %s%n", m.id(), m.type(), m.quantity(),
            m.onHandBefore(), m.onHandAfter(), m.reservedBefore(), m.reservedAfter(),
            m.reference() == null ? m.reason() : m.reference());
      }
      LedgerReport report = engine.verifyLedger(creator);
      out.printf("Ledger check: %d movements replayed, consistent = %s%n", report.movementsChecked(), report.consistent());
      out.println("Open alerts: " + engine.openAlerts(creator).size());
      return Math.max(0, -level.available());
    } finally {
      buyers.shutdown();
      alertExecutor.shutdown();
      alertExecutor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
