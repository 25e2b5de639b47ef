package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.spi.LineChange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@link LineChange#check} for a sequence of changes of one SKU, applied one after the other, as
 * one conjunction of bounds on the quantities <em>before</em> the first change, so that a single
 * conditional UPDATE applies all of them or none.
 *
 * <p>Change {@code j} sees on hand {@code o + P_j} and reserved {@code r + Q_j}, where {@code P_j}
 * and {@code Q_j} are the deltas of the changes before it. Its check passes iff:
 *
 * <ul>
 *   <li>{@code expectedOnHand} is null or {@code o + P_j == expectedOnHand};
 *   <li>{@code r + Q_j + reservedDelta >= 0};
 *   <li>if it lowers on hand: {@code o + P_j + onHandDelta >= 0};
 *   <li>if it lowers available: the SKU allows backorders, or {@code (o - r) + (P_j - Q_j) +
 *       onHandDelta - reservedDelta >= 0}.
 * </ul>
 *
 * <p>Each bound is linear in {@code o}, {@code r} or {@code o - r}, so the conjunction over all
 * changes is one bound per kind (the largest), plus one equality. For a single change this is
 * exactly {@link LineChange#check}.
 *
 * @param onHandDelta the sum of the changes' on-hand deltas
 * @param reservedDelta the sum of the changes' reserved deltas
 * @param changes how many changes (the SKU's version rises by this much)
 * @param expectedOnHand on hand must equal this, or {@code null}
 * @param minReserved reserved must be at least this
 * @param minOnHand on hand must be at least this, or {@code null} if no change lowers on hand
 * @param minAvailable available must be at least this unless backorders are allowed, or {@code
 *     null} if no change lowers available
 */
public record Guard(
    long onHandDelta, long reservedDelta, int changes, @Nullable Long expectedOnHand, long minReserved,
    @Nullable Long minOnHand, @Nullable Long minAvailable) {

  static final int EXPECTED = 1;
  static final int MIN_ON_HAND = 2;
  static final int MIN_AVAILABLE = 4;

  /** The guard of one change. */
  public static Guard of(LineChange change) {
    Guard guard = of(List.of(change));
    if (guard == null) {
      throw new AssertionError("one change cannot contradict itself");
    }
    return guard;
  }

  /**
   * The guard of changes of one SKU applied in this order, or {@code null} if no quantities can
   * pass it (two changes expect different on-hand values).
   */
  public static @Nullable Guard of(List<LineChange> changes) {
    long onHand = 0;
    long reserved = 0;
    Long expected = null;
    long minReserved = Long.MIN_VALUE;
    Long minOnHand = null;
    Long minAvailable = null;
    for (LineChange c : changes) {
      if (c.expectedOnHand() != null) {
        long needed = c.expectedOnHand() - onHand;
        if (expected != null && expected != needed) {
          return null;
        }
        expected = needed;
      }
      minReserved = Math.max(minReserved, -(reserved + c.reservedDelta()));
      if (c.onHandDelta() < 0) {
        long needed = -(onHand + c.onHandDelta());
        minOnHand = minOnHand == null ? needed : Math.max(minOnHand, needed);
      }
      long availableDelta = c.onHandDelta() - c.reservedDelta();
      if (availableDelta < 0) {
        long needed = -(onHand - reserved + availableDelta);
        minAvailable = minAvailable == null ? needed : Math.max(minAvailable, needed);
      }
      onHand += c.onHandDelta();
      reserved += c.reservedDelta();
    }
    return new Guard(onHand, reserved, changes.size(), expected, minReserved, minOnHand, minAvailable);
  }

  /** Which of the {@link Statements#stockUpdate} variants carries this guard's predicates. */
  int variant() {
    return (expectedOnHand != null ? EXPECTED : 0) | (minOnHand != null ? MIN_ON_HAND : 0)
        | (minAvailable != null ? MIN_AVAILABLE : 0);
  }

  /** The guard evaluated in Java, exactly as the UPDATE's WHERE clause evaluates it. */
  public boolean admits(long onHand, long reserved, boolean allowBackorder) {
    return reserved >= minReserved
        && (expectedOnHand == null || onHand == expectedOnHand)
        && (minOnHand == null || onHand >= minOnHand)
        && (minAvailable == null || allowBackorder || onHand - reserved >= minAvailable);
  }
}
