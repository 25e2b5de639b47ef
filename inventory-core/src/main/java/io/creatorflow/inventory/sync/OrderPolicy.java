package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.spi.ShopClient.OrderState;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which shop order states move engine orders, and how the periodic order poll runs.
 *
 * <p>An order in a {@code reserveStates} state is reserved; in a {@code fulfilStates} state it is
 * fulfilled (reserved first if sync never saw it paid); {@link OrderState#CANCELLED} releases its
 * reservation. Other states ({@code UNPAID}, {@code ON_HOLD} by default, {@code UNKNOWN}) change
 * nothing.
 *
 * @param reserveStates states that reserve; default {@code AWAITING_SHIPMENT}, {@code
 *     AWAITING_COLLECTION}
 * @param fulfilStates states that fulfil; default {@code IN_TRANSIT}, {@code DELIVERED}, {@code
 *     COMPLETED}
 * @param returns what a completed return does ({@link ShopSync#applyReturn})
 * @param pollInterval how often orders updated since the last poll are pulled, to catch webhooks that
 *     never arrived; {@code null} disables the periodic poll
 * @param pollOverlap how far each poll reaches back before the previous one's end (shops report update
 *     times in whole seconds and index orders with a delay)
 * @param initialLookback how far the first poll of an instance reaches back
 * @param maxLookback the longest window one poll covers (an instance that was not the leader for a
 *     long time starts at most this far back)
 * @param orderMemory how many shop orders sync remembers the latest applied state of, to recognise
 *     stale notifications without asking the shop
 */
public record OrderPolicy(
    Set<OrderState> reserveStates,
    Set<OrderState> fulfilStates,
    ReturnHandling returns,
    @Nullable Duration pollInterval,
    Duration pollOverlap,
    Duration initialLookback,
    Duration maxLookback,
    int orderMemory) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(2);
  public static final Duration DEFAULT_POLL_OVERLAP = Duration.ofMinutes(2);
  public static final Duration DEFAULT_INITIAL_LOOKBACK = Duration.ofHours(1);
  public static final Duration DEFAULT_MAX_LOOKBACK = Duration.ofHours(24);
  public static final int DEFAULT_ORDER_MEMORY = 100_000;

  /** What a completed return does to stock. */
  public enum ReturnHandling {
    /** Returns are not applied. */
    IGNORE,
    /** The return is recorded on the engine order; stock is not changed (goods are not resold). */
    RECORD,
    /** The return is recorded and the goods go back on hand ({@code IN}). */
    RESTOCK
  }

  /** @throws IllegalArgumentException naming the first inconsistent value */
  public OrderPolicy {
    Objects.requireNonNull(reserveStates, "reserveStates");
    Objects.requireNonNull(fulfilStates, "fulfilStates");
    Objects.requireNonNull(returns, "returns");
    Objects.requireNonNull(pollOverlap, "pollOverlap");
    Objects.requireNonNull(initialLookback, "initialLookback");
    Objects.requireNonNull(maxLookback, "maxLookback");
    reserveStates = Set.copyOf(reserveStates);
    fulfilStates = Set.copyOf(fulfilStates);
    for (OrderState s : EnumSet.of(OrderState.CANCELLED, OrderState.UNKNOWN)) {
      if (reserveStates.contains(s) || fulfilStates.contains(s)) {
        throw new IllegalArgumentException("OrderPolicy: " + s + " can neither reserve nor fulfil");
      }
    }
    for (OrderState s : reserveStates) {
      if (fulfilStates.contains(s)) {
        throw new IllegalArgumentException("OrderPolicy: " + s + " is both a reserve and a fulfil state");
      }
    }
    if (fulfilStates.isEmpty() && reserveStates.isEmpty()) {
      throw new IllegalArgumentException("OrderPolicy needs at least one reserve or fulfil state");
    }
    for (OrderState r : reserveStates) {
      for (OrderState f : fulfilStates) {
        if (f.ordinal() < r.ordinal()) {
          throw new IllegalArgumentException("OrderPolicy: fulfil state " + f + " comes before reserve state " + r
              + " in an order's life; orders only move forward");
        }
      }
    }
    if (pollInterval != null && (pollInterval.compareTo(Duration.ofSeconds(1)) < 0)) {
      throw new IllegalArgumentException("OrderPolicy pollInterval must be at least 1 second, was " + pollInterval);
    }
    if (pollOverlap.isNegative()) {
      throw new IllegalArgumentException("OrderPolicy pollOverlap must not be negative, was " + pollOverlap);
    }
    if (initialLookback.isNegative()) {
      throw new IllegalArgumentException("OrderPolicy initialLookback must not be negative, was " + initialLookback);
    }
    if (maxLookback.compareTo(initialLookback) < 0) {
      throw new IllegalArgumentException("OrderPolicy maxLookback " + maxLookback + " is shorter than initialLookback "
          + initialLookback);
    }
    if (orderMemory < 1 || orderMemory > 10_000_000) {
      throw new IllegalArgumentException("OrderPolicy orderMemory must be between 1 and 10,000,000, was " + orderMemory);
    }
  }

  public static OrderPolicy ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().reserveStates(reserveStates).fulfilStates(fulfilStates).returns(returns)
        .pollOverlap(pollOverlap).initialLookback(initialLookback).maxLookback(maxLookback).orderMemory(orderMemory);
    b.pollInterval = pollInterval;
    return b;
  }

  /** Whether orders in {@code state} are reserved. */
  public boolean reserves(OrderState state) {
    return reserveStates.contains(state);
  }

  /** Whether orders in {@code state} are fulfilled. */
  public boolean fulfils(OrderState state) {
    return fulfilStates.contains(state);
  }

  /** Builds an {@link OrderPolicy}; defaults as documented on the record. Not thread-safe. */
  public static final class Builder {
    private Set<OrderState> reserveStates = EnumSet.of(OrderState.AWAITING_SHIPMENT, OrderState.AWAITING_COLLECTION);
    private Set<OrderState> fulfilStates = EnumSet.of(OrderState.IN_TRANSIT, OrderState.DELIVERED, OrderState.COMPLETED);
    private ReturnHandling returns = ReturnHandling.IGNORE;
    private @Nullable Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration pollOverlap = DEFAULT_POLL_OVERLAP;
    private Duration initialLookback = DEFAULT_INITIAL_LOOKBACK;
    private Duration maxLookback = DEFAULT_MAX_LOOKBACK;
    private int orderMemory = DEFAULT_ORDER_MEMORY;

    private Builder() {}

    public Builder reserveStates(Set<OrderState> states) {
      this.reserveStates = Set.copyOf(Objects.requireNonNull(states, "reserveStates"));
      return this;
    }

    public Builder fulfilStates(Set<OrderState> states) {
      this.fulfilStates = Set.copyOf(Objects.requireNonNull(states, "fulfilStates"));
      return this;
    }

    public Builder returns(ReturnHandling returns) {
      this.returns = Objects.requireNonNull(returns, "returns");
      return this;
    }

    /** The poll interval; see {@link #noPolling()}. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "pollInterval");
      return this;
    }

    /** Disables the periodic order poll ({@link ShopSync#pollOrders()} still works on demand). */
    public Builder noPolling() {
      this.pollInterval = null;
      return this;
    }

    public Builder pollOverlap(Duration overlap) {
      this.pollOverlap = Objects.requireNonNull(overlap, "pollOverlap");
      return this;
    }

    public Builder initialLookback(Duration lookback) {
      this.initialLookback = Objects.requireNonNull(lookback, "initialLookback");
      return this;
    }

    public Builder maxLookback(Duration lookback) {
      this.maxLookback = Objects.requireNonNull(lookback, "maxLookback");
      return this;
    }

    public Builder orderMemory(int orders) {
      this.orderMemory = orders;
      return this;
    }

    /** @throws IllegalArgumentException naming the first inconsistent value */
    public OrderPolicy build() {
      return new OrderPolicy(reserveStates, fulfilStates, returns, pollInterval, pollOverlap, initialLookback,
          maxLookback, orderMemory);
    }
  }
}
