package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A ledger query. Rows come newest first (by movement id, descending).
 *
 * @param sku only this SKU, or {@code null} for every SKU of the tenant
 * @param types only these movement types; empty means all
 * @param from only movements at or after this time, or {@code null}
 * @param to only movements before this time, or {@code null}
 * @param page which rows
 */
public record HistoryQuery(
    @Nullable Sku sku, Set<MovementType> types, @Nullable Instant from, @Nullable Instant to, PageRequest page) {

  public HistoryQuery {
    Checks.notNull(types, "types");
    Checks.notNull(page, "page");
    types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidRequestException("from (" + from + ") must be before to (" + to + ")");
    }
  }

  /** Every movement of the tenant, first page. */
  public static HistoryQuery all() {
    return new HistoryQuery(null, Set.of(), null, null, PageRequest.first());
  }

  /** Every movement of one SKU, first page. */
  public static HistoryQuery of(Sku sku) {
    return new HistoryQuery(sku, Set.of(), null, null, PageRequest.first());
  }

  public HistoryQuery withSku(@Nullable Sku sku) {
    return new HistoryQuery(sku, types, from, to, page);
  }

  public HistoryQuery withTypes(Set<MovementType> types) {
    return new HistoryQuery(sku, types, from, to, page);
  }

  public HistoryQuery between(@Nullable Instant from, @Nullable Instant to) {
    return new HistoryQuery(sku, types, from, to, page);
  }

  public HistoryQuery withPage(PageRequest page) {
    return new HistoryQuery(sku, types, from, to, page);
  }

  /** Whether a movement matches; the reference semantics stores must keep. */
  public boolean matches(Movement m) {
    return (sku == null || sku.equals(m.sku()))
        && (types.isEmpty() || types.contains(m.type()))
        && (from == null || !m.occurredAt().isBefore(from))
        && (to == null || m.occurredAt().isBefore(to));
  }
}
