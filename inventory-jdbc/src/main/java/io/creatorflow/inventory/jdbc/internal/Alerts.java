package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.StockStore.AlertResolution;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/** Alert reads, manual resolution and delivery bookkeeping. Thread-safe (stateless). */
public final class Alerts {
  private final Db db;
  private final AlertWriter writer;

  public Alerts(Db db, MutationWriter mutations) {
    this.db = db;
    this.writer = mutations.alerts();
  }

  public List<Alert> open(TenantId tenant, @Nullable Sku sku) {
    return db.withHandle("read open alerts", h -> {
      Query query = h.createQuery(db.sql().openAlerts(sku != null)).bind("tenant", tenant.value());
      if (sku != null) {
        query.bind("sku", sku.value());
      }
      return query.map(Rows.ALERT).list();
    });
  }

  public Optional<Alert> find(TenantId tenant, long alertId) {
    return db.withHandle("read an alert", h -> writer.find(h, tenant, alertId));
  }

  /**
   * Resolves an open alert by hand. Locks the SKU's row first (clearing its pointer to the alert), as
   * every mutation does, then resolves the alert if it is still open.
   */
  public Optional<AlertResolution> resolve(TenantId tenant, long alertId, Instant at, String actor) {
    return db.transaction("resolve an alert", tx -> {
      Handle h = tx.handle();
      Optional<Alert> alert = writer.find(h, tenant, alertId);
      if (alert.isEmpty() || !alert.get().isOpen()) {
        tx.rollbackOnly();
        return alert.map(a -> new AlertResolution(a, false));
      }
      h.createUpdate(db.sql().clearOpenAlert(alert.get().kind() == AlertKind.LOW_STOCK))
          .bind("tenant", tenant.value())
          .bind("sku", alert.get().sku().value())
          .bind("id", alertId)
          .execute();
      int resolved = h.createUpdate(db.sql().resolveAlert())
          .bind("at", Codec.nanos(at))
          .bind("actor", actor)
          .bind("tenant", tenant.value())
          .bind("id", alertId)
          .execute();
      if (resolved == 0) {
        // Resolved meanwhile by a stock change that held the row lock first.
        tx.rollbackOnly();
      }
      return writer.find(h, tenant, alertId).map(a -> new AlertResolution(a, resolved == 1));
    });
  }

  public boolean recordDelivery(TenantId tenant, long alertId, AlertEventType notification, DeliveryState state,
      int attempts) {
    return db.withHandle("record an alert delivery", h -> h.createUpdate(db.sql().recordDelivery())
        .bind("delivery", state.name())
        .bind("attempts", attempts)
        .bind("tenant", tenant.value())
        .bind("id", alertId)
        .bind("notification", notification.name())
        .execute() == 1);
  }

  public List<Alert> pendingDeliveries(Instant raisedBefore, int limit) {
    if (limit == 0) {
      return List.of();
    }
    return db.withHandle("read pending alert deliveries", h -> h.createQuery(db.sql().pendingDeliveries())
        .bind("raisedBefore", Codec.nanos(raisedBefore))
        .bind("limit", limit)
        .map(Rows.ALERT)
        .list());
  }
}
