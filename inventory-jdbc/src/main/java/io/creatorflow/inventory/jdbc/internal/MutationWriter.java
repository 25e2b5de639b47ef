package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.MutationResult.Rejected;
import io.creatorflow.inventory.spi.MutationResult.Rejection;
import io.creatorflow.inventory.spi.OrderWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link Mutation}s: one at a time with the exact outcome {@link
 * io.creatorflow.inventory.spi.StockStore#apply} specifies, or several in one transaction when all
 * of them apply (group commit).
 *
 * <p>Statements of one transaction, in this order (the same for one mutation and for many):
 *
 * <ol>
 *   <li>one multi-row INSERT of the idempotency records (the primary key makes a second
 *       application of a key fail here, before anything else is written);
 *   <li>one multi-row INSERT of new orders, and one guarded UPDATE per changed order ({@code
 *       version = expected});
 *   <li>per SKU, in (tenant, SKU) order so that concurrent transactions lock rows in one order: one
 *       conditional UPDATE whose WHERE clause is the {@link Guard} of all the SKU's changes, returning
 *       the quantities after it (PostgreSQL, H2; MySQL and MariaDB read the locked row back);
 *   <li>one multi-row INSERT of every ledger row, returning the ids (MySQL: one INSERT per row);
 *   <li>only when a threshold is crossed: alert rows and the item's open-alert ids.
 * </ol>
 *
 * <p>A single mutation that does not apply is diagnosed in the same transaction and rolled back,
 * with the precedence of the contract: a recorded key replays; then an order version mismatch; then
 * the first unregistered SKU; then the first change whose {@link LineChange#check} fails on its
 * locked row. A batch in which anything would not
 * apply is rolled back as a whole and the caller applies its mutations one by one.
 *
 * <p>Thread-safe (stateless).
 */
public final class MutationWriter {
  private static final int MAX_ROWS_PER_INSERT = 500;
  /** The width of the fingerprint column. */
  static final int MAX_FINGERPRINT_LENGTH = 255;

  private final Db db;
  private final AlertWriter alerts;
  private final @Nullable CommitListener listener;

  public MutationWriter(Db db) {
    this(db, null);
  }

  /**
   * A writer that tells {@code listener} the stock levels every committed transaction left, before
   * the results are returned to any caller.
   */
  public MutationWriter(Db db, @Nullable CommitListener listener) {
    this.db = db;
    this.alerts = new AlertWriter(db);
    this.listener = listener;
  }

  /**
   * Told what committed mutations did to stock, by the thread that committed them, before any caller
   * sees the results. Must be fast and must not throw.
   */
  public interface CommitListener {
    /** A SKU's stock row as a committed transaction left it. */
    void stockCommitted(StockLevel level);

    /**
     * A transaction that may have changed stock of {@code tenant} failed during COMMIT: whether it
     * applied is unknown.
     */
    void outcomeUnknown(TenantId tenant);
  }

  AlertWriter alerts() {
    return alerts;
  }

  /** Applies one mutation in its own transaction (retrying deadlocks) and returns its exact outcome. */
  public MutationResult apply(Mutation mutation) {
    Outcome outcome;
    try {
      outcome = db.transaction("apply a mutation", tx -> run(tx, List.of(mutation)));
    } catch (CommitFailedException e) {
      unknown(List.of(mutation));
      throw e;
    }
    if (outcome == null) {
      throw new IllegalStateException("a single mutation always has an outcome");
    }
    committed(outcome);
    return outcome.results().get(0);
  }

  /**
   * Applies mutations, in list order, in one transaction, if every one of them applies.
   *
   * @return one {@link MutationResult.Applied} per mutation; {@code null} if any mutation would be
   *     replayed or rejected, or the database aborted the transaction: then nothing was committed
   * @throws io.creatorflow.inventory.StoreUnavailableException if the database failed
   */
  public @Nullable List<MutationResult> applyAll(List<Mutation> batch) {
    if (batch.size() == 1) {
      return List.of(apply(batch.get(0)));
    }
    if (!independent(batch)) {
      return null;
    }
    Outcome outcome;
    try {
      outcome = db.transactionOnce("apply a batch of mutations", tx -> run(tx, batch));
    } catch (TransientFailureException e) {
      return null;
    } catch (CommitFailedException e) {
      unknown(batch);
      throw e;
    }
    if (outcome == null) {
      return null;
    }
    committed(outcome);
    return outcome.results();
  }

  /**
   * What a transaction body returns: the outcome of each mutation and, when all of them applied, the
   * stock rows they left (empty when the transaction was rolled back).
   */
  private record Outcome(List<MutationResult> results, List<StockLevel> levels) {}

  private void committed(Outcome outcome) {
    if (listener != null) {
      for (StockLevel level : outcome.levels()) {
        listener.stockCommitted(level);
      }
    }
  }

  private void unknown(List<Mutation> batch) {
    if (listener != null) {
      batch.stream().map(Mutation::tenant).distinct().forEach(listener::outcomeUnknown);
    }
  }

  /** Whether no two mutations share an idempotency key or an order (those must be serialised). */
  private static boolean independent(List<Mutation> batch) {
    Set<List<String>> keys = new HashSet<>();
    Set<List<String>> orders = new HashSet<>();
    for (Mutation m : batch) {
      if (m.idempotency() != null && !keys.add(List.of(m.tenant().value(), m.idempotency().key()))) {
        return false;
      }
      if (m.order() != null && !orders.add(List.of(m.tenant().value(), m.order().id().value()))) {
        return false;
      }
    }
    return true;
  }

  /** One change of one mutation, with the quantities it found and left. */
  private static final class Slot {
    final int member;
    final LineChange change;
    long onHandBefore;
    long reservedBefore;
    @Nullable SkuState sku;

    Slot(int member, LineChange change) {
      this.member = member;
      this.change = change;
    }

    long onHandAfter() {
      return onHandBefore + change.onHandDelta();
    }

    long reservedAfter() {
      return reservedBefore + change.reservedDelta();
    }
  }

  /** A SKU changed by the transaction: its key, threshold and open alerts. */
  private record SkuState(TenantId tenant, Sku sku, @Nullable Long lowStockThreshold, AlertWriter.OpenAlerts open) {}

  private record SkuKey(String tenant, String sku) implements Comparable<SkuKey> {
    @Override
    public int compareTo(SkuKey other) {
      int byTenant = tenant.compareTo(other.tenant);
      return byTenant != 0 ? byTenant : sku.compareTo(other.sku);
    }
  }

  /**
   * The transaction body. With one mutation, returns its exact outcome (rolling back unless it
   * applied); with several, returns their outcomes if all applied, else rolls back and returns null.
   */
  private @Nullable Outcome run(Tx tx, List<Mutation> batch) {
    Handle h = tx.handle();
    Statements sql = db.sql();
    boolean exact = batch.size() == 1;
    Mutation first = batch.get(0);

    // 1. Idempotency records: a key recorded before fails here, before anything else is written.
    List<Mutation> keyed = batch.stream().filter(m -> m.idempotency() != null).toList();
    for (Mutation m : keyed) {
      if (m.idempotency().fingerprint().length() > MAX_FINGERPRINT_LENGTH) {
        throw new InvalidRequestException("idempotency fingerprints may have at most " + MAX_FINGERPRINT_LENGTH
            + " characters, was " + m.idempotency().fingerprint().length());
      }
    }
    if (!keyed.isEmpty() && !db.insertIfAbsent(h, sql.insertIdempotency(keyed.size()), keyed.size(),
        insert -> bindIdempotency(insert, keyed))) {
      tx.rollbackOnly();
      if (!exact) {
        return null;
      }
      IdempotencyClaim claim = first.idempotency();
      return rolledBack(replay(h, first.tenant(), claim.key()).orElseThrow(
          () -> new IllegalStateException("idempotency key '" + claim.key() + "' conflicted but has no record")));
    }

    // 2. Orders: new ones in one INSERT (the primary key refuses an existing order), changed ones by
    // version.
    Instant[] orderCreatedAt = new Instant[batch.size()];
    List<Integer> newOrders = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      OrderWrite write = batch.get(i).order();
      if (write != null && write.expectedVersion() == 0) {
        newOrders.add(i);
        orderCreatedAt[i] = batch.get(i).at();
      }
    }
    boolean ordersWritten = newOrders.isEmpty() || db.insertIfAbsent(h, sql.insertOrders(newOrders.size()),
        newOrders.size(), insert -> bindNewOrders(insert, batch, newOrders));
    for (int i = 0; ordersWritten && i < batch.size(); i++) {
      OrderWrite write = batch.get(i).order();
      if (write != null && write.expectedVersion() != 0) {
        orderCreatedAt[i] = updateOrder(h, batch.get(i), write);
        ordersWritten = orderCreatedAt[i] != null;
      }
    }
    if (!ordersWritten) {
      tx.rollbackOnly();
      if (!exact) {
        return null;
      }
      OrderWrite write = first.order();
      return rolledBack(new Rejected(Rejection.ORDER_VERSION_MISMATCH, null, null,
          readOrder(h, first.tenant(), write.id()).orElse(null)));
    }

    // 3. Stock: one guarded UPDATE per SKU, in (tenant, SKU) order, covering its changes in batch order.
    List<StockLevel> levels = listener == null ? List.of() : new ArrayList<>(batch.size());
    List<List<Slot>> slotsOf = new ArrayList<>(batch.size());
    Map<SkuKey, List<Slot>> bySku = new TreeMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Mutation m = batch.get(i);
      List<Slot> slots = new ArrayList<>(m.changes().size());
      for (LineChange change : m.changes()) {
        Slot slot = new Slot(i, change);
        slots.add(slot);
        bySku.computeIfAbsent(new SkuKey(m.tenant().value(), change.sku().value()), k -> new ArrayList<>()).add(slot);
      }
      slotsOf.add(slots);
    }
    for (Map.Entry<SkuKey, List<Slot>> entry : bySku.entrySet()) {
      List<Slot> slots = entry.getValue();
      Guard guard = Guard.of(slots.stream().map(s -> s.change).toList());
      if (guard == null) {
        // Two counts of one SKU that cannot both apply: only in a batch (one mutation changes a SKU once).
        tx.rollbackOnly();
        return null;
      }
      Instant at = batch.get(slots.get(slots.size() - 1).member).at();
      Rows.StockAfter after = guardedUpdate(h, entry.getKey(), guard, at);
      if (after == null) {
        if (!exact) {
          tx.rollbackOnly();
          return null;
        }
        LineChange change = slots.get(0).change;
        Rejected rejected = diagnose(h, first.tenant(), change);
        if (rejected != null) {
          tx.rollbackOnly();
          return rolledBack(firstUnknownSku(h, first).orElse(rejected));
        }
        // The row changed between the UPDATE and the lock; now that it is locked the guard passes.
        after = guardedUpdate(h, entry.getKey(), guard, at);
        if (after == null) {
          throw new IllegalStateException("the guarded UPDATE of sku '" + change.sku()
              + "' disagrees with LineChange.check");
        }
      }
      SkuState state = new SkuState(TenantId.of(entry.getKey().tenant()), Sku.of(entry.getKey().sku()),
          after.lowStockThreshold(), new AlertWriter.OpenAlerts(after.lowAlertId(), after.outAlertId()));
      if (listener != null) {
        levels.add(new StockLevel(state.tenant(), state.sku(), after.onHand(), after.reserved(), after.version(), at));
      }
      long onHand = after.onHand() - guard.onHandDelta();
      long reserved = after.reserved() - guard.reservedDelta();
      for (Slot slot : slots) {
        slot.onHandBefore = onHand;
        slot.reservedBefore = reserved;
        slot.sku = state;
        onHand = slot.onHandAfter();
        reserved = slot.reservedAfter();
      }
    }

    // 4. Ledger rows, in batch order and change order: ids increase in that order.
    List<Slot> allSlots = new ArrayList<>();
    slotsOf.forEach(allSlots::addAll);
    List<Long> ids = insertMovements(h, batch, allSlots);

    // 5. Alerts, as if the mutations had been applied one after the other.
    List<MutationResult> results = new ArrayList<>(batch.size());
    int next = 0;
    for (int i = 0; i < batch.size(); i++) {
      Mutation m = batch.get(i);
      String key = m.idempotency() == null ? null : m.idempotency().key();
      List<Movement> movements = new ArrayList<>(slotsOf.get(i).size());
      List<AlertEvent> events = new ArrayList<>(0);
      for (Slot slot : slotsOf.get(i)) {
        LineChange c = slot.change;
        movements.add(new Movement(ids.get(next++), m.tenant(), c.sku(), c.type(), c.quantity(), slot.onHandBefore,
            slot.onHandAfter(), slot.reservedBefore, slot.reservedAfter(), c.reason(), c.reference(), c.actor(), key,
            m.at()));
        SkuState state = slot.sku;
        alerts.apply(h, m.tenant(), c.sku(), state.open(), m.alertRule(),
            AlertWriter.threshold(m.alertRule(), state.lowStockThreshold()), slot.onHandAfter() - slot.reservedAfter(),
            m.at(), events);
      }
      OrderWrite write = m.order();
      Order order = write == null ? null : new Order(m.tenant(), write.id(), write.status(), write.lines(),
          write.returned(), write.expectedVersion() + 1, orderCreatedAt[i], m.at());
      results.add(new MutationResult.Applied(movements, events, order));
    }
    for (List<Slot> slots : bySku.values()) {
      SkuState state = slots.get(0).sku;
      alerts.saveOpenAlerts(h, state.tenant(), state.sku(), state.open());
    }
    return new Outcome(results, levels);
  }

  /** The outcome of a single mutation whose transaction is rolled back. */
  private static Outcome rolledBack(MutationResult result) {
    return new Outcome(List.of(result), List.of());
  }

  // ------------------------------------------------------------------------------- stock

  private Rows.@Nullable StockAfter guardedUpdate(Handle h, SkuKey key, Guard guard, Instant at) {
    Statements sql = db.sql();
    String text = sql.stockUpdate(guard.variant());
    if (sql.updateReturns()) {
      return bindGuard(h.createQuery(text), key, guard, at).map(Rows.STOCK_AFTER).findOne().orElse(null);
    }
    if (bindGuard(h.createUpdate(text), key, guard, at).execute() == 0) {
      return null;
    }
    return h.createQuery(sql.stockAfter())
        .bind("tenant", key.tenant())
        .bind("sku", key.sku())
        .map(Rows.STOCK_AFTER)
        .one();
  }

  private static <S extends SqlStatement<S>> S bindGuard(S statement, SkuKey key, Guard guard, Instant at) {
    statement
        .bind("onHandDelta", guard.onHandDelta())
        .bind("reservedDelta", guard.reservedDelta())
        .bind("changes", (long) guard.changes())
        .bind("at", Codec.nanos(at))
        .bind("tenant", key.tenant())
        .bind("sku", key.sku())
        .bind("minReserved", guard.minReserved());
    if (guard.expectedOnHand() != null) {
      statement.bind("expectedOnHand", guard.expectedOnHand().longValue());
    }
    if (guard.minOnHand() != null) {
      statement.bind("minOnHand", guard.minOnHand().longValue());
    }
    if (guard.minAvailable() != null) {
      statement.bind("minAvailable", guard.minAvailable().longValue());
    }
    return statement;
  }

  /**
   * Why a change's guarded UPDATE matched no row: locks the SKU's row and applies {@link
   * LineChange#check} to it. Null if the check passes now.
   */
  private @Nullable Rejected diagnose(Handle h, TenantId tenant, LineChange change) {
    record Locked(StockLevel level, boolean allowBackorder) {}
    Optional<Locked> locked = h.createQuery(db.sql().lockLevel())
        .bind("tenant", tenant.value())
        .bind("sku", change.sku().value())
        .map((rs, ctx) -> new Locked(new StockLevel(tenant, change.sku(), rs.getLong("on_hand"), rs.getLong("reserved"),
            rs.getLong("stock_version"), Codec.instant(rs.getLong("stock_updated_at"))), rs.getBoolean("allow_backorder")))
        .findOne();
    if (locked.isEmpty()) {
      return new Rejected(Rejection.UNKNOWN_SKU, change.sku(), null, null);
    }
    StockLevel level = locked.get().level();
    Rejection rejection = change.check(level.onHand(), level.reserved(), locked.get().allowBackorder());
    return rejection == null ? null : new Rejected(rejection, change.sku(), level, null);
  }

  /**
   * The first change, in change order, that names an unregistered SKU: after a replay and an order
   * version mismatch, it takes precedence over every guard failure.
   */
  private Optional<MutationResult> firstUnknownSku(Handle h, Mutation m) {
    if (m.changes().isEmpty()) {
      return Optional.empty();
    }
    var query = h.createQuery(db.sql().existingSkus(m.changes().size())).bind(0, m.tenant().value());
    for (int i = 0; i < m.changes().size(); i++) {
      query.bind(i + 1, m.changes().get(i).sku().value());
    }
    Set<String> existing = new HashSet<>(query.mapTo(String.class).list());
    for (LineChange change : m.changes()) {
      if (!existing.contains(change.sku().value())) {
        return Optional.of(new Rejected(Rejection.UNKNOWN_SKU, change.sku(), null, null));
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------------- ledger

  private List<Long> insertMovements(Handle h, List<Mutation> batch, List<Slot> slots) {
    Statements sql = db.sql();
    List<Long> ids = new ArrayList<>(slots.size());
    for (int from = 0; from < slots.size(); from += MAX_ROWS_PER_INSERT) {
      List<Slot> chunk = slots.subList(from, Math.min(slots.size(), from + MAX_ROWS_PER_INSERT));
      if (sql.insertReturns()) {
        List<Long> chunkIds = new ArrayList<>(bindMovements(h.createQuery(sql.insertMovements(chunk.size())), batch,
            chunk).mapTo(Long.class).list());
        if (chunkIds.size() != chunk.size()) {
          throw new IllegalStateException("inserted " + chunk.size() + " ledger rows but got " + chunkIds.size() + " ids");
        }
        // Identity values are drawn row by row in VALUES order, so ascending ids match row order.
        Collections.sort(chunkIds);
        ids.addAll(chunkIds);
      } else {
        for (Slot slot : chunk) {
          ids.add(bindMovements(h.createUpdate(sql.insertMovements(1)), batch, List.of(slot))
              .executeAndReturnGeneratedKeys().mapTo(Long.class).one());
        }
      }
    }
    return ids;
  }

  private static <S extends SqlStatement<S>> S bindMovements(S statement, List<Mutation> batch, List<Slot> slots) {
    int p = 0;
    for (Slot slot : slots) {
      Mutation m = batch.get(slot.member);
      LineChange c = slot.change;
      statement
          .bind(p++, m.tenant().value())
          .bind(p++, c.sku().value())
          .bind(p++, c.type().name())
          .bind(p++, c.quantity())
          .bind(p++, slot.onHandBefore)
          .bind(p++, slot.onHandAfter())
          .bind(p++, slot.reservedBefore)
          .bind(p++, slot.reservedAfter())
          .bind(p++, c.reason())
          .bind(p++, c.reference())
          .bind(p++, c.actor())
          .bind(p++, m.idempotency() == null ? null : m.idempotency().key())
          .bind(p++, Codec.nanos(m.at()));
    }
    return statement;
  }

  /** What {@link #apply} replays for a key, read in the caller's transaction or handle. */
  Optional<MutationResult.Replayed> replay(Handle h, TenantId tenant, String key) {
    record IdempotencyRecord(String fingerprint, @Nullable String orderId) {}
    Optional<IdempotencyRecord> record = h.createQuery(db.sql().idempotencyRecord())
        .bind("tenant", tenant.value())
        .bind("key", key)
        .map((rs, ctx) -> new IdempotencyRecord(rs.getString("fingerprint"), rs.getString("order_id")))
        .findOne();
    if (record.isEmpty()) {
      return Optional.empty();
    }
    List<Movement> movements = h.createQuery(db.sql().movementsByKey())
        .bind("tenant", tenant.value())
        .bind("key", key)
        .map(Rows.MOVEMENT)
        .list();
    String orderId = record.get().orderId();
    Order order = orderId == null ? null : readOrder(h, tenant, OrderId.of(orderId)).orElse(null);
    return Optional.of(new MutationResult.Replayed(record.get().fingerprint(), movements, order));
  }

  private static void bindIdempotency(Update insert, List<Mutation> keyed) {
    int p = 0;
    for (Mutation m : keyed) {
      insert
          .bind(p++, m.tenant().value())
          .bind(p++, m.idempotency().key())
          .bind(p++, m.idempotency().fingerprint())
          .bind(p++, m.order() == null ? null : m.order().id().value())
          .bind(p++, Codec.nanos(m.at()));
    }
  }

  // ------------------------------------------------------------------------------- orders

  private static void bindNewOrders(Update insert, List<Mutation> batch, List<Integer> members) {
    int p = 0;
    for (int i : members) {
      Mutation m = batch.get(i);
      OrderWrite write = m.order();
      long at = Codec.nanos(m.at());
      insert
          .bind(p++, m.tenant().value())
          .bind(p++, write.id().value())
          .bind(p++, write.status().name())
          .bind(p++, Codec.encodeLines(write.lines()))
          .bind(p++, Codec.encodeLines(write.returned()))
          .bind(p++, 1L)
          .bind(p++, at)
          .bind(p++, at);
    }
  }

  /** Writes the next version of an order; its creation time, or null if the version differs. */
  private @Nullable Instant updateOrder(Handle h, Mutation m, OrderWrite write) {
    Statements sql = db.sql();
    Optional<Long> createdAt;
    if (sql.updateReturns()) {
      createdAt = bindOrderUpdate(h.createQuery(sql.updateOrder()), m, write).mapTo(Long.class).findOne();
    } else if (bindOrderUpdate(h.createUpdate(sql.updateOrder()), m, write).execute() == 0) {
      createdAt = Optional.empty();
    } else {
      createdAt = h.createQuery(sql.orderCreatedAt())
          .bind("tenant", m.tenant().value())
          .bind("orderId", write.id().value())
          .mapTo(Long.class)
          .findOne();
    }
    return createdAt.map(Codec::instant).orElse(null);
  }

  private static <S extends SqlStatement<S>> S bindOrderUpdate(S statement, Mutation m, OrderWrite write) {
    return statement
        .bind("status", write.status().name())
        .bind("lines", Codec.encodeLines(write.lines()))
        .bind("returned", Codec.encodeLines(write.returned()))
        .bind("version", write.expectedVersion() + 1)
        .bind("at", Codec.nanos(m.at()))
        .bind("tenant", m.tenant().value())
        .bind("orderId", write.id().value())
        .bind("expectedVersion", write.expectedVersion());
  }

  Optional<Order> readOrder(Handle h, TenantId tenant, OrderId id) {
    return h.createQuery(db.sql().order())
        .bind("tenant", tenant.value())
        .bind("orderId", id.value())
        .map(Rows.ORDER)
        .findOne();
  }
}
