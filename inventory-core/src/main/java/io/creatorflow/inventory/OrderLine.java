package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SKU and a quantity on an order.
 *
 * @param quantity 1 to {@value io.creatorflow.inventory.internal.Checks#MAX_QUANTITY}
 */
public record OrderLine(Sku sku, long quantity) {
  public OrderLine {
    Checks.notNull(sku, "order line sku");
    Checks.positiveQuantity(quantity, "order line quantity");
  }

  /**
   * {@code OrderLine[sku=<sku>, quantity=<quantity>]}, exactly the record's generated form (which
   * request fingerprints contain), built without {@code String.format}.
   */
  @Override
  public String toString() {
    return "OrderLine[sku=" + sku + ", quantity=" + quantity + "]";
  }

  public static OrderLine of(Sku sku, long quantity) {
    return new OrderLine(sku, quantity);
  }

  public static OrderLine of(String sku, long quantity) {
    return new OrderLine(Sku.of(sku), quantity);
  }

  /**
   * Merges lines of the same SKU (shops send one line per unit) and sorts them by SKU, the order in
   * which stores lock rows.
   *
   * @throws InvalidRequestException if a merged quantity exceeds the maximum
   */
  public static List<OrderLine> normalize(Collection<OrderLine> lines) {
    if (lines.size() == 1) {
      // Nothing to merge or sort: the common single-line order (kept as it is if already immutable).
      if (lines instanceof List<OrderLine> list) {
        Checks.notNull(list.get(0), "order line");
        return List.copyOf(list);
      }
      OrderLine line = lines.iterator().next();
      Checks.notNull(line, "order line");
      return List.of(line);
    }
    Map<Sku, Long> merged = new TreeMap<>();
    for (OrderLine line : lines) {
      Checks.notNull(line, "order line");
      merged.merge(line.sku(), line.quantity(), Long::sum);
    }
    List<OrderLine> out = new ArrayList<>(merged.size());
    merged.forEach((sku, qty) -> out.add(new OrderLine(sku, qty)));
    return List.copyOf(out);
  }

  /** The quantity for a SKU in normalized lines, or 0. */
  public static long quantityOf(List<OrderLine> lines, Sku sku) {
    for (OrderLine line : lines) {
      if (line.sku().equals(sku)) {
        return line.quantity();
      }
    }
    return 0;
  }
}
