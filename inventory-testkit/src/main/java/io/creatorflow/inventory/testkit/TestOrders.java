package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.OrderCommand;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderReturn;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Makes order requests for one tenant with fresh order ids ({@code prefix-1}, {@code prefix-2},
 * ...), so tests read like the story they tell.
 *
 * <pre>{@code
 * TestOrders orders = TestOrders.forTenant(tenant);
 * Reservation r = orders.reservation().line(hoodie, 2).line(mug, 1).build();
 * engine.reserve(r);
 * engine.fulfil(orders.fulfil(r.orderId()));
 * engine.returnItems(orders.returnOf(r.orderId(), true, OrderLine.of(mug, 1)));
 * }</pre>
 *
 * <p>Thread-safe: order ids come from an atomic counter, so threads of a concurrency test may share
 * one instance.
 */
public final class TestOrders {
  private final TenantId tenant;
  private final String prefix;
  private final AtomicLong next = new AtomicLong();

  private TestOrders(TenantId tenant, String prefix) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    OrderId.of(prefix + "-1"); // fails fast on a prefix that cannot make order ids
  }

  /** Orders {@code order-1}, {@code order-2}, ... for {@code tenant}. */
  public static TestOrders forTenant(TenantId tenant) {
    return new TestOrders(tenant, "order");
  }

  /** Orders {@code prefix-1}, {@code prefix-2}, ... for {@code tenant}. */
  public static TestOrders forTenant(TenantId tenant, String prefix) {
    return new TestOrders(tenant, prefix);
  }

  /** A fresh order id. */
  public OrderId nextId() {
    return OrderId.of(prefix + "-" + next.incrementAndGet());
  }

  /** A reservation of one line under a fresh order id. */
  public Reservation reserve(Sku sku, long quantity) {
    return Reservation.of(tenant, nextId(), OrderLine.of(sku, quantity));
  }

  /** A reservation of several lines under a fresh order id. */
  public Reservation reserve(OrderLine... lines) {
    return Reservation.of(tenant, nextId(), lines);
  }

  /** Starts a reservation under a fresh order id. */
  public ReservationBuilder reservation() {
    return new ReservationBuilder(nextId());
  }

  /** Starts a reservation under a given order id. */
  public ReservationBuilder reservation(OrderId orderId) {
    return new ReservationBuilder(orderId);
  }

  /** Fulfils an order, without idempotency key. */
  public OrderCommand fulfil(OrderId orderId) {
    return OrderCommand.of(tenant, orderId);
  }

  /** Cancels an order, without idempotency key. */
  public OrderCommand cancel(OrderId orderId) {
    return OrderCommand.of(tenant, orderId).withReason("testkit cancel");
  }

  /** A return of some lines of an order, restocked or not. */
  public OrderReturn returnOf(OrderId orderId, boolean restock, OrderLine... lines) {
    return OrderReturn.of(tenant, orderId, restock, lines);
  }

  /** The tenant the orders belong to. */
  public TenantId tenant() {
    return tenant;
  }

  /** Builds one {@link Reservation}. Not thread-safe. */
  public final class ReservationBuilder {
    private final OrderId orderId;
    private final List<OrderLine> lines = new ArrayList<>();
    private @Nullable String key;
    private @Nullable String actor;

    private ReservationBuilder(OrderId orderId) {
      this.orderId = Objects.requireNonNull(orderId, "orderId");
    }

    /** Adds a line. */
    public ReservationBuilder line(Sku sku, long quantity) {
      lines.add(OrderLine.of(sku, quantity));
      return this;
    }

    /** Adds a line. */
    public ReservationBuilder line(String sku, long quantity) {
      return line(Sku.of(sku), quantity);
    }

    /** Records the reservation under this idempotency key instead of one derived from the order. */
    public ReservationBuilder idempotencyKey(String key) {
      this.key = key;
      return this;
    }

    /** Who reserved. */
    public ReservationBuilder actor(String actor) {
      this.actor = actor;
      return this;
    }

    /** The reservation. @throws io.creatorflow.inventory.InvalidRequestException if it has no line */
    public Reservation build() {
      return new Reservation(tenant, orderId, lines, actor, key);
    }
  }
}
