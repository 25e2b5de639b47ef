package io.creatorflow.inventory.jdbc;

import static io.creatorflow.inventory.jdbc.Fixtures.RULE;
import static io.creatorflow.inventory.jdbc.Fixtures.adjust;
import static io.creatorflow.inventory.jdbc.Fixtures.at;
import static io.creatorflow.inventory.jdbc.Fixtures.mutation;
import static io.creatorflow.inventory.jdbc.Fixtures.reserve;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The catalog index of {@link JdbcStockStore} ({@code Builder#catalogIndex}) on H2: its answers
 * against the SQL search of a store without one, and its freshness contract with a second store
 * instance writing to the same tables. Time is moved by hand; nothing waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogIndexTest {
  private static final long DEFAULT_THRESHOLD = 5;
  private static final Duration STALENESS = Duration.ofSeconds(1);

  private TestDatabase.Isolated database;
  private HikariDataSource pool;
  private HikariDataSource otherPool;
  /** Another instance on the same tables, as another service instance: no index, its own pool. */
  private JdbcStockStore other;
  private MutableClock clock;
  private TenantId tenant;

  @BeforeAll
  void createDatabase() {
    database = TestDatabase.H2.isolate();
    pool = database.newPool(8);
    otherPool = database.newPool(4);
    other = JdbcStockStore.builder(otherPool).tablePrefix(database.prefix).build();
    other.migrate();
  }

  @AfterAll
  void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void newTenant() {
    tenant = TenantId.of("tenant-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
    clock = MutableClock.start();
  }

  private JdbcStockStore indexed(Duration staleness) {
    return JdbcStockStore.builder(pool).tablePrefix(database.prefix).catalogIndex(staleness)
        .catalogIndexClock(clock).build();
  }

  private static List<String> skus(Page<ItemStock> page) {
    return page.items().stream().map(r -> r.item().sku().value()).toList();
  }

  private Page<ItemStock> all(JdbcStockStore store) {
    return store.findItems(tenant, CatalogQuery.all(), DEFAULT_THRESHOLD);
  }

  private void register(JdbcStockStore store, String sku, String name) {
    store.registerItem(ItemDefinition.builder(tenant, Sku.of(sku)).name(name).build(), at(0));
  }

  private void stock(JdbcStockStore store, String sku, long delta) {
    MutationResult result = store.apply(mutation(tenant, at(1), null, adjust(sku, delta)));
    assertThat(result).isInstanceOf(MutationResult.Applied.class);
  }

  @Test
  @DisplayName("another instance's writes appear once the index is older than its staleness, and not before")
  void otherInstanceWritesWithinStaleness() {
    JdbcStockStore store = indexed(STALENESS);
    register(store, "A", "Alpha");
    register(store, "B", "Bravo");
    stock(store, "A", 20);
    assertThat(skus(all(store))).containsExactly("A", "B");

    register(other, "C", "Charlie");
    stock(other, "A", -20);
    other.updateItem(ItemDefinition.builder(tenant, Sku.of("B")).name("Renamed").build(), at(2), RULE);

    clock.advance(Duration.ofMillis(400));
    // Allowed by the contract: the writes are younger than the staleness and no verification ran.
    assertThat(skus(all(store))).containsExactly("A", "B");
    assertThat(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK), DEFAULT_THRESHOLD)
        .total()).isEqualTo(1);

    clock.advance(Duration.ofMillis(200));
    // Past half the staleness a query verifies ahead of time.
    assertThat(all(store)).isEqualTo(all(other));
    assertThat(skus(store.findItems(tenant, CatalogQuery.all().withText("renamed"), DEFAULT_THRESHOLD)))
        .containsExactly("B");
    assertThat(skus(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK),
        DEFAULT_THRESHOLD))).containsExactly("A", "B", "C");

    stock(other, "C", 3);
    clock.advance(Duration.ofMillis(400));
    assertThat(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK), DEFAULT_THRESHOLD)
        .total()).isZero();
    clock.advance(STALENESS);
    // Older than the staleness: the query verifies before it answers.
    assertThat(skus(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK),
        DEFAULT_THRESHOLD))).containsExactly("C");
    assertThat(all(store)).isEqualTo(all(other));
  }

  @Test
  @DisplayName("this instance's own writes are visible at once, also to SKUs another instance registered")
  void ownWritesAreExact() {
    JdbcStockStore store = indexed(Duration.ofHours(1));
    register(store, "A", "Alpha");
    assertThat(skus(all(store))).containsExactly("A");

    register(other, "X", "X-ray");
    // The index does not hold X: its stock change makes the next query verify.
    stock(store, "X", 7);
    register(store, "B", "Bravo");
    assertThat(skus(store.findItems(tenant, CatalogQuery.all().withText("bravo"), DEFAULT_THRESHOLD)))
        .containsExactly("B");
    // Renamed after the index laid out its search structures: found by the new name only.
    store.updateItem(ItemDefinition.builder(tenant, Sku.of("A")).name("Amber").lowStockThreshold(50L).build(), at(3),
        RULE);
    stock(store, "A", 30);
    assertThat(store.apply(mutation(tenant, at(4), "k1", reserve("A", 2)))).isInstanceOf(MutationResult.Applied.class);

    assertThat(all(store)).isEqualTo(all(other));
    assertThat(skus(store.findItems(tenant, CatalogQuery.all().withText("amber"), DEFAULT_THRESHOLD)))
        .containsExactly("A");
    assertThat(store.findItems(tenant, CatalogQuery.all().withText("alpha"), DEFAULT_THRESHOLD).total()).isZero();
    assertThat(skus(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK), DEFAULT_THRESHOLD)))
        .containsExactly("A");
    assertThat(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK), DEFAULT_THRESHOLD)
        .items().get(0).level().reserved()).isEqualTo(2);
  }

  @Test
  @DisplayName("with zero staleness every query sees every committed write")
  void zeroStaleness() {
    JdbcStockStore store = indexed(Duration.ZERO);
    register(store, "A", "Alpha");
    assertThat(all(store).total()).isEqualTo(1);
    register(other, "B", "Bravo");
    stock(other, "A", 3);
    assertThat(all(store)).isEqualTo(all(other));
    other.updateItem(ItemDefinition.builder(tenant, Sku.of("B")).name("Beta")
        .listings(List.of(new ShopListing("tiktok", "p-1", "s-1"))).build(), at(2), RULE);
    assertThat(all(store)).isEqualTo(all(other));
    assertThat(all(store).items().get(1).item().listings()).containsExactly(new ShopListing("tiktok", "p-1", "s-1"));
  }

  @Test
  @DisplayName("an invalidated tenant (a COMMIT with an unknown outcome) is verified by its next query")
  void invalidation() {
    JdbcStockStore store = indexed(Duration.ofHours(1));
    register(store, "A", "Alpha");
    assertThat(all(store).total()).isEqualTo(1);
    register(other, "B", "Bravo");
    assertThat(all(store).total()).isEqualTo(1);
    store.catalogIndex().outcomeUnknown(tenant);
    assertThat(all(store)).isEqualTo(all(other));
  }

  @Test
  @DisplayName("tenants are separate, and a tenant beyond the item budget is searched in SQL")
  void tenantsAndBudget() {
    JdbcStockStore store = JdbcStockStore.builder(pool).tablePrefix(database.prefix).catalogIndex(Duration.ofHours(1))
        .catalogIndexMaxItems(2).catalogIndexClock(clock).build();
    TenantId small = tenant;
    register(store, "A", "Alpha");
    register(store, "B", "Bravo");
    stock(store, "A", 9);
    tenant = TenantId.of(small.value() + "-big");
    register(store, "A", "Alpha");
    register(store, "B", "Bravo");
    register(store, "C", "Charlie");

    assertThat(all(store)).isEqualTo(all(other));
    assertThat(store.catalogIndex().indexedItems()).isZero();
    tenant = small;
    assertThat(all(store)).isEqualTo(all(other));
    assertThat(store.catalogIndex().indexedItems()).isEqualTo(2);
    assertThat(store.findItems(tenant, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK), 10).total()).isEqualTo(1);

    tenant = TenantId.of(small.value() + "-big");
    stock(store, "C", 1);
    assertThat(all(store)).isEqualTo(all(other));
    assertThat(store.catalogIndex().indexedItems()).isEqualTo(2);
  }

  @Test
  @DisplayName("random catalogs, writes from both instances and searches: the index answers as SQL does")
  void answersAsSql() {
    Random random = new Random(20_251_122);
    JdbcStockStore store = indexed(Duration.ZERO);
    JdbcStockStore exactOwn = indexed(Duration.ofHours(1));
    String[] words = {"Hoodie", "hood", "TEE", "Straße", "STRASSE", "50%", "a_b", "x!y", "Mug", "édition", "İstanbul",
        "lip oil", "  "};
    List<String> skus = new ArrayList<>();
    for (int round = 0; round < 12; round++) {
      for (int i = 0; i < 40; i++) {
        String sku = String.format("%s-%03d", words[random.nextInt(words.length - 1)].strip().replace(' ', '-')
            .replace("%", "P").replace("!", "X"), skus.size());
        String name = words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)] + " " + i;
        ItemDefinition.Builder def = ItemDefinition.builder(tenant, Sku.of(sku)).name(name);
        if (random.nextInt(3) == 0) {
          def.lowStockThreshold((long) random.nextInt(20));
        }
        (random.nextBoolean() ? exactOwn : other).registerItem(def.build(), at(round));
        skus.add(sku);
      }
      for (int i = 0; i < 60; i++) {
        String sku = skus.get(random.nextInt(skus.size()));
        long onHand = other.level(tenant, Sku.of(sku)).orElseThrow().onHand();
        long delta = random.nextInt(30) - Math.min(onHand, 10);
        if (delta != 0) {
          stock(random.nextBoolean() ? exactOwn : other, sku, delta);
        }
      }
      clock.advance(Duration.ofHours(2));
      compare(random, words, store, exactOwn);
      // Renames after the searches above laid out the index (beyond 64 it is laid out again).
      int renames = round == 5 ? 80 : random.nextInt(8);
      for (int i = 0; i < renames; i++) {
        String sku = skus.get(random.nextInt(skus.size()));
        (random.nextBoolean() ? exactOwn : other).updateItem(ItemDefinition.builder(tenant, Sku.of(sku))
            .name(words[random.nextInt(words.length)] + " renamed " + round).build(), at(round), RULE);
      }
      clock.advance(Duration.ofHours(2));
      compare(random, words, store, exactOwn);
    }
  }

  @Test
  @DisplayName("concurrent writers and searchers on one instance: afterwards every search answers as SQL does")
  void concurrentOwnWrites() throws Exception {
    JdbcStockStore store = indexed(Duration.ofHours(1));
    for (int i = 0; i < 40; i++) {
      register(store, String.format("SKU-%02d", i), "Hoodie " + i);
    }
    assertThat(all(store).total()).isEqualTo(40);
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      AtomicBoolean done = new AtomicBoolean();
      List<Future<?>> searches = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        searches.add(pool.submit(() -> {
          while (!done.get()) {
            store.findItems(tenant, CatalogQuery.all().withText("hoodie").withStatus(StockStatus.IN_STOCK), 5);
            store.findItems(tenant, CatalogQuery.all().withText("ca"), 5);
          }
          return null;
        }));
      }
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        writes.add(pool.submit(() -> {
          Random random = new Random(writer);
          for (int i = 0; i < 150; i++) {
            String sku = String.format("SKU-%02d", random.nextInt(40));
            switch (i % 10) {
              case 0 -> register(store, "NEW-" + writer + "-" + i, "Cap " + i);
              case 1 -> store.updateItem(ItemDefinition.builder(tenant, Sku.of(sku)).name("Candle " + writer + " " + i)
                  .build(), at(2), RULE);
              default -> stock(store, sku, 1 + random.nextInt(5));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : writes) {
        f.get(2, TimeUnit.MINUTES);
      }
      done.set(true);
      for (Future<?> f : searches) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String text : new String[] {null, "hoodie", "candle", "cap", "sku-1", "new-2", "ca", "1"}) {
      for (StockStatus status : new StockStatus[] {null, StockStatus.IN_STOCK, StockStatus.LOW_STOCK,
          StockStatus.OUT_OF_STOCK}) {
        CatalogQuery query = new CatalogQuery(status, text, PageRequest.of(0, 500));
        assertThat(store.findItems(tenant, query, DEFAULT_THRESHOLD)).as("%s", query)
            .isEqualTo(other.findItems(tenant, query, DEFAULT_THRESHOLD));
      }
    }
  }

  private void compare(Random random, String[] words, JdbcStockStore... stores) {
    {
      for (int q = 0; q < 40; q++) {
        StockStatus status = random.nextInt(4) == 0 ? null : StockStatus.values()[random.nextInt(3)];
        String word = words[random.nextInt(words.length)];
        String text = switch (random.nextInt(5)) {
          case 0 -> null;
          case 1 -> word.substring(0, Math.min(word.length(), 1 + random.nextInt(3)));
          case 2 -> "renamed " + random.nextInt(12);
          case 3 -> "renamed";
          default -> word;
        };
        CatalogQuery query = new CatalogQuery(status, text, PageRequest.of(random.nextInt(4) * 10, 1 + random.nextInt(30)));
        Page<ItemStock> expected = other.findItems(tenant, query, DEFAULT_THRESHOLD);
        for (JdbcStockStore store : stores) {
          assertThat(store.findItems(tenant, query, DEFAULT_THRESHOLD)).as("%s", query).isEqualTo(expected);
        }
      }
    }
  }
}
