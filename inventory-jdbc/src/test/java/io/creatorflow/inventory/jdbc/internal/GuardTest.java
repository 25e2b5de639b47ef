package io.creatorflow.inventory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.spi.LineChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The combined guard must be exactly LineChange.check applied change after change. */
class GuardTest {
  private static final Sku SKU = Sku.of("A");

  @Test
  @DisplayName("one change: the guard admits exactly what LineChange.check passes")
  void singleChangeMirrorsCheck() {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      LineChange change = randomChange(random);
      long onHand = random.nextInt(12);
      long reserved = random.nextInt(12);
      boolean backorder = random.nextBoolean();
      Guard guard = Guard.of(change);
      assertThat(guard.admits(onHand, reserved, backorder))
          .as("%s on onHand=%s reserved=%s backorder=%s", change, onHand, reserved, backorder)
          .isEqualTo(change.check(onHand, reserved, backorder) == null);
      assertThat(guard.changes()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a sequence: the guard admits exactly when every change passes its check in turn")
  void sequenceMirrorsSequentialChecks() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      List<LineChange> changes = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int j = 0; j < n; j++) {
        changes.add(randomChange(random));
      }
      long onHand = random.nextInt(15);
      long reserved = random.nextInt(15);
      boolean backorder = random.nextBoolean();
      boolean allPass = true;
      long o = onHand;
      long r = reserved;
      for (LineChange c : changes) {
        if (c.check(o, r, backorder) != null) {
          allPass = false;
          break;
        }
        o += c.onHandDelta();
        r += c.reservedDelta();
      }
      Guard guard = Guard.of(changes);
      boolean admitted = guard != null && guard.admits(onHand, reserved, backorder);
      assertThat(admitted).as("%s on onHand=%s reserved=%s backorder=%s", changes, onHand, reserved, backorder)
          .isEqualTo(allPass);
      if (guard != null) {
        assertThat(guard.onHandDelta()).isEqualTo(changes.stream().mapToLong(LineChange::onHandDelta).sum());
        assertThat(guard.reservedDelta()).isEqualTo(changes.stream().mapToLong(LineChange::reservedDelta).sum());
      }
    }
  }

  @Test
  @DisplayName("two counts that expect different on-hand values can never both apply")
  void contradictoryExpectations() {
    LineChange first = new LineChange(SKU, MovementType.ADJUSTMENT, 1, 1, 0, 5L, "count", null, null);
    LineChange second = new LineChange(SKU, MovementType.ADJUSTMENT, 1, 1, 0, 5L, "count", null, null);
    assertThat(Guard.of(List.of(first, second))).isNull();
    LineChange chained = new LineChange(SKU, MovementType.ADJUSTMENT, 1, 1, 0, 6L, "count", null, null);
    Guard guard = Guard.of(List.of(first, chained));
    assertThat(guard).isNotNull();
    assertThat(guard.expectedOnHand()).isEqualTo(5);
  }

  private static LineChange randomChange(Random random) {
    long onHandDelta = random.nextInt(9) - 4;
    long reservedDelta = random.nextInt(9) - 4;
    Long expected = random.nextInt(4) == 0 ? (long) random.nextInt(12) : null;
    return new LineChange(SKU, MovementType.ADJUSTMENT, Math.abs(onHandDelta), onHandDelta, reservedDelta, expected,
        null, null, null);
  }
}
