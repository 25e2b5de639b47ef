package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * Writes alert transitions decided by {@link AlertRule#decide}, inside the caller's transaction,
 * which holds the SKU's row lock. The SKU's open alerts are the item row's {@code low_alert_id} and
 * {@code out_alert_id}; the unique index on open alerts backs the one-open-alert-per-kind
 * invariant. Thread-safe (stateless).
 */
final class AlertWriter {
  private final Db db;

  AlertWriter(Db db) {
    this.db = db;
  }

  /** One SKU's open alert ids, as read with its row and updated as transitions are written. */
  static final class OpenAlerts {
    private final @Nullable Long lowBefore;
    private final @Nullable Long outBefore;
    @Nullable Long low;
    @Nullable Long out;

    OpenAlerts(@Nullable Long low, @Nullable Long out) {
      this.lowBefore = low;
      this.outBefore = out;
      this.low = low;
      this.out = out;
    }

    boolean changed() {
      return !Objects.equals(low, lowBefore) || !Objects.equals(out, outBefore);
    }
  }

  /** The threshold the rule applies to an item with {@code lowStockThreshold} (or none). */
  static long threshold(AlertRule rule, @Nullable Long lowStockThreshold) {
    return lowStockThreshold != null ? lowStockThreshold : rule.defaultThreshold();
  }

  /**
   * Applies {@code rule} to one SKU whose available quantity is now {@code available}: resolves
   * and opens alerts in the reference order (low resolved, out resolved, out opened, low opened) and
   * adds their events to {@code events}. Call {@link #saveOpenAlerts} once the SKU is done.
   */
  void apply(Handle h, TenantId tenant, Sku sku, OpenAlerts open, AlertRule rule, long threshold, long available,
      Instant at, List<AlertEvent> events) {
    AlertRule.Decision d = rule.decide(threshold, available, open.low != null, open.out != null);
    if (!d.any()) {
      return;
    }
    if (d.resolveLow()) {
      events.add(AlertEvent.resolved(resolve(h, tenant, Objects.requireNonNull(open.low), at, Alert.SYSTEM_ACTOR)));
      open.low = null;
    }
    if (d.resolveOut()) {
      events.add(AlertEvent.resolved(resolve(h, tenant, Objects.requireNonNull(open.out), at, Alert.SYSTEM_ACTOR)));
      open.out = null;
    }
    if (d.openOut()) {
      Alert alert = open(h, tenant, sku, AlertKind.OUT_OF_STOCK, available, 0, at);
      open.out = alert.id();
      events.add(AlertEvent.opened(alert));
    }
    if (d.openLow()) {
      Alert alert = open(h, tenant, sku, AlertKind.LOW_STOCK, available, threshold, at);
      open.low = alert.id();
      events.add(AlertEvent.opened(alert));
    }
  }

  /** Writes the item row's open-alert ids if transitions changed them. */
  void saveOpenAlerts(Handle h, TenantId tenant, Sku sku, OpenAlerts open) {
    if (!open.changed()) {
      return;
    }
    h.createUpdate(db.sql().setOpenAlerts())
        .bind("lowAlertId", open.low)
        .bind("outAlertId", open.out)
        .bind("tenant", tenant.value())
        .bind("sku", sku.value())
        .execute();
  }

  private Alert open(Handle h, TenantId tenant, Sku sku, AlertKind kind, long available, long threshold, Instant at) {
    Statements sql = db.sql();
    long id = sql.insertReturns()
        ? bindAlert(h.createQuery(sql.insertAlert()), tenant, sku, kind, available, threshold, at)
            .mapTo(Long.class).one()
        : bindAlert(h.createUpdate(sql.insertAlert()), tenant, sku, kind, available, threshold, at)
            .executeAndReturnGeneratedKeys().mapTo(Long.class).one();
    return Alert.open(id, tenant, sku, kind, available, threshold, at);
  }

  private static <S extends SqlStatement<S>> S bindAlert(
      S statement, TenantId tenant, Sku sku, AlertKind kind, long available, long threshold, Instant at) {
    return statement
        .bind("tenant", tenant.value())
        .bind("sku", sku.value())
        .bind("kind", kind.name())
        .bind("available", available)
        .bind("threshold", threshold)
        .bind("at", Codec.nanos(at));
  }

  /**
   * Resolves an open alert; the caller holds the SKU's row lock, under which the alert is known to
   * be open.
   */
  Alert resolve(Handle h, TenantId tenant, long alertId, Instant at, String actor) {
    int updated = h.createUpdate(db.sql().resolveAlert())
        .bind("at", Codec.nanos(at))
        .bind("actor", actor)
        .bind("tenant", tenant.value())
        .bind("id", alertId)
        .execute();
    if (updated != 1) {
      throw new IllegalStateException("alert " + alertId + " of tenant '" + tenant
          + "' is not open although its item row names it as open");
    }
    return find(h, tenant, alertId).orElseThrow();
  }

  Optional<Alert> find(Handle h, TenantId tenant, long alertId) {
    return h.createQuery(db.sql().alert())
        .bind("tenant", tenant.value())
        .bind("id", alertId)
        .map(Rows.ALERT)
        .findOne();
  }
}
