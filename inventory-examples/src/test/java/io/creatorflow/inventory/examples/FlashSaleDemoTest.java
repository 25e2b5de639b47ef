package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.AlertKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --demo}: a flash sale through signed webhooks never oversells, and says so. */
class FlashSaleDemoTest {

  @Test
  @DisplayName("the flash sale accepts exactly the stock, refuses the rest, and oversells nothing, twice in a row")
  void summary(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    try (InventoryService service = TestServices.start(dir)) {
      for (int round = 1; round <= 2; round++) {
        FlashSaleDemo.Summary s = FlashSaleDemo.run(service, out);
        assertThat(s.ordersPlaced()).isEqualTo(FlashSaleDemo.BUYERS);
        assertThat(s.accepted()).isEqualTo((int) FlashSaleDemo.STOCK);
        assertThat(s.rejected()).isEqualTo(FlashSaleDemo.BUYERS - (int) FlashSaleDemo.STOCK);
        assertThat(s.oversold()).isZero();
        assertThat(s.duplicates()).isGreaterThanOrEqualTo(FlashSaleDemo.DUPLICATES);
        assertThat(s.lateDeliveries()).isEqualTo(FlashSaleDemo.SHIPPED);
        assertThat(s.shipped()).isEqualTo(FlashSaleDemo.SHIPPED);
        assertThat(s.cancelledByBuyers()).isEqualTo(FlashSaleDemo.CANCELLED);
        assertThat(s.ledgerConsistent()).isTrue();
        assertThat(s.level().available()).isEqualTo(FlashSaleDemo.CANCELLED);
        assertThat(s.shopQuantity()).isEqualTo(s.level().available());
        assertThat(s.slowestWebhookAck().toMillis()).isLessThan(3000);
        assertThat(s.alertsRaised()).isGreaterThanOrEqualTo(1);
        assertThat(service.engine().openAlerts(service.tenant(), s.sku()))
            .extracting(a -> a.kind()).contains(AlertKind.LOW_STOCK).doesNotContain(AlertKind.OUT_OF_STOCK);
      }
      assertThat(service.engine().verifyLedger(service.tenant()).consistent()).isTrue();
      assertThat(service.sync().stats().orders()).containsKey(io.creatorflow.inventory.sync.OrderSyncResult.Outcome.OVERSOLD);
    }
    String text = buffer.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("Flash sale on LIP-OIL-ROSE", "The engine accepted 50 orders and refused 70",
        "Oversold units: 0. Ledger consistent: true.");
  }

  @Test
  @DisplayName("main with --demo --exit prints the status page URL and the summary, and exits 0")
  void mainWithDemo(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = TestServices.env(dir);
    env.put("LOG_LEVEL", "warn");
    int code = InventoryService.run(new String[] {"--demo", "--exit"}, env,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).containsPattern("Status page: http://localhost:\\d+/");
    assertThat(printed).contains("Oversold units: 0.");
  }
}
