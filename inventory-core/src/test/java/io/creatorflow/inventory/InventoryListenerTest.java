package io.creatorflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.memory.InMemoryStockStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InventoryListenerTest {
  static final TenantId T = TenantId.of("t");
  static final Sku SKU = Sku.of("A");

  @Test
  @DisplayName("listeners hear committed movements, item changes and alerts, and a failing listener undoes nothing")
  void listeners() throws Exception {
    List<Object> heard = new CopyOnWriteArrayList<>();
    InventoryListener recording = new InventoryListener() {
      @Override
      public void onMovements(TenantId tenant, List<Movement> movements) {
        heard.add(movements.get(0).type());
      }

      @Override
      public void onItemChanged(CatalogItem item) {
        heard.add("item:" + item.version());
      }

      @Override
      public void onAlerts(List<AlertEvent> events) {
        heard.add("alerts:" + events.size());
      }
    };
    InventoryListener failing = new InventoryListener() {
      @Override
      public void onMovements(TenantId tenant, List<Movement> movements) {
        throw new IllegalStateException("listener bug");
      }
    };
    InventoryEngine engine = InventoryEngine.builder().store(new InMemoryStockStore()).listener(failing).build();
    AutoCloseable registration = engine.addListener(recording);
    engine.register(ItemDefinition.builder(T, SKU).name("A").build());
    engine.register(ItemDefinition.builder(T, SKU).name("A").build());
    engine.adjust(Adjustment.of(T, SKU, 3, "count"));
    try {
      engine.adjust(Adjustment.of(T, SKU, -5, "too many"));
    } catch (InsufficientStockException expected) {
      // rejected changes are not heard
    }
    engine.updateItem(ItemDefinition.builder(T, SKU).name("A2").build());
    registration.close();
    engine.adjust(Adjustment.of(T, SKU, 1, "count"));
    assertThat(heard).containsExactly("item:1", MovementType.ADJUSTMENT, "alerts:1", "item:2");
    assertThat(engine.level(T, SKU).onHand()).isEqualTo(4);
  }
}
