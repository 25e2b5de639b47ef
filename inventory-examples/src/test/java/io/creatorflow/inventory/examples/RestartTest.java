package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.examples.TestServices.Client;
import io.creatorflow.inventory.examples.TestServices.Reply;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default keeps its state in the data directory: a restart sees the same stock. */
class RestartTest {

  @Test
  @DisplayName("a restart on the same data directory sees the same stock, ledger and alerts")
  void sameStockAfterRestart(@TempDir Path dir) throws Exception {
    JsonNode before;
    long movements;
    long alerts;
    try (InventoryService first = TestServices.start(dir)) {
      assertThat(first.catalogImport().imported()).isEqualTo(30);
      Client api = new Client(first);
      Reply adjusted = api.postJson("api/inventory/products/TEE-1-L/adjust",
          "{\"quantity\": -7, \"reason\": \"sold at a pop-up\"}", "Idempotency-Key", "popup-1");
      assertThat(adjusted.status()).isEqualTo(200);
      before = api.get("api/inventory/products/TEE-1-L").json();
      movements = api.get("api/inventory/movements").json().get("pagination").get("total").asLong();
      alerts = api.get("api/inventory/alerts").json().get("total").asLong();
    }

    try (InventoryService second = TestServices.start(dir)) {
      Client api = new Client(second);
      JsonNode after = api.get("api/inventory/products/TEE-1-L").json();
      assertThat(after.get("on_hand")).isEqualTo(before.get("on_hand"));
      assertThat(after.get("reserved")).isEqualTo(before.get("reserved"));
      assertThat(after.get("stock_version")).isEqualTo(before.get("stock_version"));
      assertThat(api.get("api/inventory/movements").json().get("pagination").get("total").asLong()).isEqualTo(movements);
      assertThat(api.get("api/inventory/alerts").json().get("total").asLong()).isEqualTo(alerts);
      // The import knows every SKU now: the shop's numbers do not overwrite the engine's.
      assertThat(second.catalogImport().imported()).isZero();
      assertThat(second.catalogImport().known()).isEqualTo(30);
      // The idempotency key is remembered across the restart.
      Reply replay = api.postJson("api/inventory/products/TEE-1-L/adjust",
          "{\"quantity\": -7, \"reason\": \"sold at a pop-up\"}", "Idempotency-Key", "popup-1");
      assertThat(replay.json().get("replayed").asBoolean()).isTrue();
      assertThat(api.get("api/inventory/products/TEE-1-L").json().get("on_hand")).isEqualTo(before.get("on_hand"));
      // The new emulator opened with the demo's numbers; the start-up reconciliation repairs the drift.
      second.sync().reconcile().get(20, TimeUnit.SECONDS);
      second.sync().whenIdle().get(20, TimeUnit.SECONDS);
      ShopListing listing = second.engine().item(second.tenant(), Sku.of("TEE-1-L")).listings().get(0);
      assertThat(second.emulator().orElseThrow().totalQuantity(listing.skuId())).isEqualTo(after.get("available").asLong());
    }
  }
}
