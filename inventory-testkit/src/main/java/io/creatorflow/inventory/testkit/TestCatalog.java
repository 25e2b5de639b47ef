package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Builds a small catalog for a test and registers it, with its opening stock, in one call.
 *
 * <pre>{@code
 * TestCatalog catalog = TestCatalog.forTenant(tenant)
 *     .item("HOODIE-M", 20)
 *     .item("MUG", 3, b -> b.name("Mug").lowStockThreshold(5))
 *     .registerIn(engine);
 * }</pre>
 *
 * <p>Opening stock is booked as one {@link MovementType#IN} movement per SKU with the reason
 * {@value #OPENING_STOCK_REASON}. Not thread-safe; build it on one thread.
 */
public final class TestCatalog {
  /** The reason recorded on opening-stock movements. */
  public static final String OPENING_STOCK_REASON = "testkit opening stock";

  private final TenantId tenant;
  private final Map<Sku, ItemDefinition> definitions = new LinkedHashMap<>();
  private final Map<Sku, Long> openingStock = new LinkedHashMap<>();

  private TestCatalog(TenantId tenant) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
  }

  /** An empty catalog for {@code tenant}. */
  public static TestCatalog forTenant(TenantId tenant) {
    return new TestCatalog(tenant);
  }

  /** Adds an item named after its SKU, with the engine's default threshold and nothing on hand. */
  public TestCatalog item(String sku) {
    return item(sku, 0, b -> b);
  }

  /** Adds an item named after its SKU, with the engine's default threshold and {@code onHand}. */
  public TestCatalog item(String sku, long onHand) {
    return item(sku, onHand, b -> b);
  }

  /**
   * Adds an item with {@code onHand} opening stock; {@code customize} may set anything on the
   * definition builder (name, threshold, backorders, listings).
   *
   * @throws IllegalArgumentException if the SKU was added already or {@code onHand} is negative
   */
  public TestCatalog item(String sku, long onHand, UnaryOperator<ItemDefinition.Builder> customize) {
    Objects.requireNonNull(customize, "customize");
    if (onHand < 0) {
      throw new IllegalArgumentException("opening stock must not be negative, was " + onHand + " for sku " + sku);
    }
    Sku id = Sku.of(sku);
    if (definitions.containsKey(id)) {
      throw new IllegalArgumentException("sku '" + sku + "' was added to this catalog already");
    }
    definitions.put(id, customize.apply(ItemDefinition.builder(tenant, id)).build());
    openingStock.put(id, onHand);
    return this;
  }

  /**
   * Adds {@code count} items {@code prefix-000}, {@code prefix-001}, ... each with {@code onHand}.
   */
  public TestCatalog items(String prefix, int count, long onHand) {
    for (int i = 0; i < count; i++) {
      item(String.format("%s-%03d", prefix, i), onHand);
    }
    return this;
  }

  /** The tenant the catalog belongs to. */
  public TenantId tenant() {
    return tenant;
  }

  /** The SKUs in the order they were added. */
  public List<Sku> skus() {
    return List.copyOf(definitions.keySet());
  }

  /** The {@code index}-th SKU added (0-based). */
  public Sku sku(int index) {
    return skus().get(index);
  }

  /** The definitions in the order they were added. */
  public List<ItemDefinition> definitions() {
    return List.copyOf(definitions.values());
  }

  /** The definition of one SKU. @throws IllegalArgumentException if it is not in the catalog */
  public ItemDefinition definition(Sku sku) {
    ItemDefinition d = definitions.get(sku);
    if (d == null) {
      throw new IllegalArgumentException("sku '" + sku + "' is not in this catalog");
    }
    return d;
  }

  /** The opening stock of each SKU. */
  public Map<Sku, Long> openingStock() {
    return Map.copyOf(openingStock);
  }

  /**
   * Registers every item in {@code engine} and books its opening stock.
   *
   * @return this catalog
   */
  public TestCatalog registerIn(InventoryEngine engine) {
    Objects.requireNonNull(engine, "engine");
    for (ItemDefinition d : definitions.values()) {
      engine.register(d);
      long qty = openingStock.get(d.sku());
      if (qty > 0) {
        engine.adjust(Adjustment.of(tenant, d.sku(), qty, OPENING_STOCK_REASON).withType(MovementType.IN));
      }
    }
    return this;
  }

  @Override
  public String toString() {
    return "TestCatalog{tenant=" + tenant + ", items=" + openingStock + "}";
  }
}
