package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.Sku;
import java.time.Duration;

/**
 * Run by {@link MicrometerIsolationTest} in a class loader without Micrometer: builds a sync,
 * changes stock and returns what the shop was told.
 */
public final class NoMicrometerScenario {
  private NoMicrometerScenario() {}

  public static long run() {
    SyncFixture f = new SyncFixture();
    Sku a = f.item("A", "p1", "s1", 10);
    ShopSync sync = f.builder().build();
    sync.start();
    f.adjust(a, -3);
    f.scheduler.runUntilIdle(Duration.ofMinutes(1));
    sync.health();
    return f.shop.quantity("s1");
  }
}
