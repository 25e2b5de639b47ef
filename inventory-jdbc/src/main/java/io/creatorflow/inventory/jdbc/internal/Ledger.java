package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.MutationResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;

/** Reads of the ledger, orders and idempotency records. Thread-safe (stateless). */
public final class Ledger {
  /** Ledger rows read per round trip by {@link #forEachMovement}. */
  static final int CHUNK = 1000;

  private final Db db;
  private final MutationWriter writer;

  public Ledger(Db db, MutationWriter writer) {
    this.db = db;
    this.writer = writer;
  }

  /** One page of history, newest first, with the true total: one query, two for a page past the end. */
  public Page<Movement> history(TenantId tenant, HistoryQuery q) {
    List<MovementType> types = q.types().stream().sorted().toList();
    return db.withHandle("read the ledger", h -> {
      record Counted(Movement movement, long total) {}
      String sql = db.sql().history(q.sku() != null, types.size(), q.from() != null, q.to() != null, false);
      Query select = h.createQuery(sql);
      int next = bindFilter(select, tenant, q, types);
      List<Counted> rows = select
          .bind(next, q.page().limit())
          .bind(next + 1, q.page().offset())
          .map((rs, ctx) -> new Counted(Rows.MOVEMENT.map(rs, ctx), rs.getLong("total_count")))
          .list();
      long total;
      if (!rows.isEmpty()) {
        total = rows.get(0).total();
      } else if (q.page().offset() == 0) {
        total = 0;
      } else {
        Query count = h.createQuery(db.sql().history(q.sku() != null, types.size(), q.from() != null,
            q.to() != null, true));
        bindFilter(count, tenant, q, types);
        total = count.mapTo(Long.class).one();
      }
      return new Page<>(rows.stream().map(Counted::movement).toList(), total, q.page());
    });
  }

  private static int bindFilter(Query query, TenantId tenant, HistoryQuery q, List<MovementType> types) {
    int p = 0;
    query.bind(p++, tenant.value());
    if (q.sku() != null) {
      query.bind(p++, q.sku().value());
    }
    for (MovementType type : types) {
      query.bind(p++, type.name());
    }
    Instant from = q.from();
    if (from != null) {
      query.bind(p++, Codec.nanos(from));
    }
    Instant to = q.to();
    if (to != null) {
      query.bind(p++, Codec.nanos(to));
    }
    return p;
  }

  /**
   * Feeds a SKU's movements, oldest first, {@value #CHUNK} per query (keyset paging on the id), so
   * no connection is held while {@code action} runs.
   */
  public void forEachMovement(TenantId tenant, Sku sku, Consumer<Movement> action) {
    long after = Long.MIN_VALUE;
    while (true) {
      long cursor = after;
      List<Movement> chunk = db.withHandle("read the ledger", h -> h.createQuery(db.sql().movementsOfSkuAfter())
          .bind("tenant", tenant.value())
          .bind("sku", sku.value())
          .bind("after", cursor)
          .bind("limit", CHUNK)
          .map(Rows.MOVEMENT)
          .list());
      chunk.forEach(action);
      if (chunk.size() < CHUNK) {
        return;
      }
      after = chunk.get(chunk.size() - 1).id();
    }
  }

  public Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey) {
    return db.withHandle("read an idempotency record", h -> writer.replay(h, tenant, idempotencyKey));
  }

  public Optional<Order> order(TenantId tenant, OrderId id) {
    return db.withHandle("read an order", h -> writer.readOrder(h, tenant, id));
  }
}
