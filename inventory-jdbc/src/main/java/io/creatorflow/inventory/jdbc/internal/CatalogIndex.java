package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Location;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory copy of each queried tenant's catalog (items, listings, stock levels) that answers
 * {@link io.creatorflow.inventory.spi.StockStore#findItems} instead of a scan in SQL. See {@code
 * JdbcStockStore.Builder#catalogIndex} for the contract.
 *
 * <h2>How it searches</h2>
 *
 * <p>Per tenant, a layout holds the items in SKU order and, for every trigram (three consecutive
 * chars) of an item's lower-cased name or SKU, the ascending positions of the items containing it. A
 * search text of three or more chars is looked up by its rarest trigram: every item that contains the
 * text contains each of its trigrams, so those positions (plus items renamed since the layout was
 * built) are a superset of the matches, in SKU order. Each candidate is then checked exactly as
 * {@link CatalogQuery#matchesText} does, and its status computed as {@link StockStatus#of} with its
 * effective threshold. Shorter texts, and no text, walk all items. The layout is rebuilt by the first
 * query after a SKU was added or more than {@value #MAX_RENAMED} items were renamed.
 *
 * <h2>How it stays exact</h2>
 *
 * <ul>
 *   <li>Every row the index holds is a committed state, and rows only move forward: an item is
 *       replaced only by a higher {@code item_version}, a level only by a higher {@code
 *       stock_version}. So the order in which threads report their commits does not matter.
 *   <li>This instance's writes are applied before they return to their callers: registrations and
 *       updates by {@link Catalog}, stock changes by {@link MutationWriter.CommitListener}. A stock
 *       change of a SKU the index does not hold yet, or a COMMIT whose outcome is unknown,
 *       invalidates the tenant: the next query verifies before it answers.
 *   <li>Verification compares the tenant's item count and the sums of its item and stock versions in
 *       the database with the index's. Versions only increase and items are never deleted, and the
 *       index is never ahead of the database, so equal figures mean equal rows: the index then holds
 *       every commit made before the verification began. Otherwise the SKUs whose versions differ are
 *       read again (one narrow scan, then the changed rows).
 *   <li>A query verifies first when the last verification began more than {@code maxStaleness}
 *       before the query did (or the tenant was invalidated since). Past half of that age, one
 *       querying thread verifies while the others go on answering from the index. No thread of its
 *       own: verification runs on the querying threads.
 * </ul>
 *
 * <p>Memory: one entry per item of each indexed tenant, at most {@code maxItems} items in all when
 * tenants are loaded; a tenant that would not fit is served by SQL. Thread-safe.
 */
public final class CatalogIndex implements MutationWriter.CommitListener {
  private static final int FETCH_CHUNK = 500;

  private final Db db;
  private final long maxStalenessNanos;
  private final long maxItems;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<TenantId, TenantIndex> tenants = new ConcurrentHashMap<>();
  private final AtomicLong indexedItems = new AtomicLong();

  /**
   * @param maxStaleness how long before a query the last verification against the database may have
   *     begun ({@link Duration#ZERO}: every query verifies)
   * @param maxItems how many items all indexed tenants may hold together, counted when a tenant is
   *     loaded
   * @param nanoClock measures staleness, in nanoseconds from any origin (such as {@link System#nanoTime})
   */
  public CatalogIndex(Db db, Duration maxStaleness, long maxItems, LongSupplier nanoClock) {
    this.db = Objects.requireNonNull(db, "db");
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.maxItems = maxItems;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** Items held for all tenants. */
  public long indexedItems() {
    return indexedItems.get();
  }

  // ------------------------------------------------------------------------------- queries

  /**
   * One page of a catalog search, with the same rows, order, statuses and total as {@link
   * Catalog#find}; {@code null} if the tenant does not fit in the index (the caller asks SQL).
   */
  public @Nullable Page<ItemStock> find(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    long now = nanoClock.getAsLong();
    TenantIndex index = tenants.computeIfAbsent(tenant, TenantIndex::new);
    if (!ensureFresh(index, now)) {
      return null;
    }
    String text = query.text();
    String needle = text == null ? null : Codec.searchForm(text);
    StockStatus wanted = query.status();
    int from = query.page().offset();
    int to = from + query.page().limit();
    List<ItemStock> rows = new ArrayList<>(Math.min(query.page().limit(), 64));
    long total = 0;
    View view = index.view();
    Slot[] slots = view.layout.slots;
    int[] candidates = needle == null ? null : view.candidates(needle);
    int n = candidates == null ? slots.length : candidates.length;
    for (int i = 0; i < n; i++) {
      Entry entry = slots[candidates == null ? i : candidates[i]].entry;
      StockStatus status = StockStatus.of(entry.available, entry.item.effectiveThreshold(defaultThreshold));
      if ((wanted == null || wanted == status) && entry.matches(needle)) {
        if (total >= from && total < to) {
          rows.add(new ItemStock(entry.item, entry.level, status));
        }
        total++;
      }
    }
    return new Page<>(rows, total, query.page());
  }

  /** Whether the index may answer for the tenant now, verifying it first if it is too old. */
  private boolean ensureFresh(TenantIndex index, long now) {
    if (index.excluded) {
      return false;
    }
    if (index.fresh(now - maxStalenessNanos)) {
      if (maxStalenessNanos > 1 && !index.fresh(now - maxStalenessNanos / 2) && index.verifyLock.tryLock()) {
        // Past half its age: this thread verifies ahead of time, the others answer meanwhile.
        try {
          if (!index.fresh(now - maxStalenessNanos / 2)) {
            verify(index);
          }
        } finally {
          index.verifyLock.unlock();
        }
      }
      return !index.excluded;
    }
    index.verifyLock.lock();
    try {
      // A verification that began after this query's deadline serves this query too.
      if (!index.fresh(now - maxStalenessNanos)) {
        verify(index);
      }
    } finally {
      index.verifyLock.unlock();
    }
    return !index.excluded;
  }

  /** Brings the tenant's index up to date with every commit made before this call. Holds verifyLock. */
  private void verify(TenantIndex index) {
    if (index.excluded) {
      return;
    }
    long started = nanoClock.getAsLong();
    long generation = index.generation.get();
    if (!index.loaded) {
      load(index);
    } else {
      refresh(index);
    }
    index.verifiedAt = started;
    index.verifiedGeneration = generation;
  }

  private void load(TenantIndex index) {
    db.withHandle("load the catalog index", h -> {
      long count = sums(h, index.tenant)[0];
      if (!reserve(index, count, false)) {
        exclude(index);
        return null;
      }
      readRows(h, index, List.of());
      return null;
    });
    if (!index.excluded) {
      index.loaded = true;
      account(index);
    }
  }

  /**
   * Counts {@code items} for the tenant in the budget, if they fit or {@code force}; returns whether
   * they were counted.
   */
  private synchronized boolean reserve(TenantIndex index, long items, boolean force) {
    long delta = items - index.reserved;
    if (!force && delta > 0 && indexedItems.get() + delta > maxItems) {
      return false;
    }
    indexedItems.addAndGet(delta);
    index.reserved = items;
    return true;
  }

  /** Counts what a loaded tenant holds now: it grows with registrations, past the budget if need be. */
  private void account(TenantIndex index) {
    long count;
    synchronized (index) {
      count = index.count;
    }
    if (count > index.reserved) {
      reserve(index, count, true);
    }
  }

  /** The tenant does not fit: SQL serves it from now on, and the index holds nothing of it. */
  private void exclude(TenantIndex index) {
    index.excluded = true;
    synchronized (index) {
      index.bySku.clear();
      index.view = null;
      index.count = 0;
    }
    reserve(index, 0, true);
  }

  private void refresh(TenantIndex index) {
    long[] held;
    synchronized (index) {
      held = new long[] {index.count, index.itemVersions, index.stockVersions};
    }
    db.withHandle("refresh the catalog index", h -> {
      long[] stored = sums(h, index.tenant);
      if (stored[0] == held[0] && stored[1] == held[1] && stored[2] == held[2]) {
        return null;
      }
      List<String> changed = new ArrayList<>();
      h.createQuery(db.sql().catalogVersions()).bind(0, index.tenant.value())
          .map((rs, ctx) -> {
            String sku = rs.getString("sku");
            Slot slot = index.bySku.get(sku);
            if (slot == null || slot.entry.item.version() < rs.getLong("item_version")
                || slot.entry.level.version() < rs.getLong("stock_version")) {
              changed.add(sku);
            }
            return null;
          })
          .forEach(ignored -> {});
      for (int from = 0; from < changed.size(); from += FETCH_CHUNK) {
        readRows(h, index, changed.subList(from, Math.min(changed.size(), from + FETCH_CHUNK)));
      }
      return null;
    });
    account(index);
  }

  private long[] sums(Handle h, TenantId tenant) {
    return h.createQuery(db.sql().catalogSums()).bind(0, tenant.value())
        .map((rs, ctx) -> new long[] {rs.getLong("items"), rs.getLong("item_versions"), rs.getLong("stock_versions")})
        .one();
  }

  /** Reads item rows with their listings (all of the tenant's if {@code skus} is empty) into the index. */
  private void readRows(Handle h, TenantIndex index, List<String> skus) {
    Query query = h.createQuery(db.sql().catalogRows(skus.size())).bind(0, index.tenant.value());
    for (int i = 0; i < skus.size(); i++) {
      query.bind(i + 1, skus.get(i));
    }
    // Rows come in SKU order, an item's listings together: the item is complete at the next SKU.
    Map<String, Location> locations = new HashMap<>();
    Rows.ItemRow[] pending = new Rows.ItemRow[1];
    List<ShopListing> listings = new ArrayList<>();
    query.map((rs, ctx) -> {
      Rows.ItemRow row = Rows.ITEM.map(rs, ctx);
      if (pending[0] != null && !pending[0].sku().equals(row.sku())) {
        put(index, pending[0], listings, locations);
        listings.clear();
      }
      pending[0] = row;
      String channel = rs.getString("l_channel");
      if (channel != null) {
        listings.add(new ShopListing(channel, rs.getString("l_product_id"), rs.getString("l_channel_sku_id")));
      }
      return null;
    }).forEach(ignored -> {});
    if (pending[0] != null) {
      put(index, pending[0], listings, locations);
    }
  }

  private static void put(TenantIndex index, Rows.ItemRow row, List<ShopListing> listings,
      Map<String, Location> locations) {
    // One tenant, one SKU and one instance per location shared by the item and its level.
    Location location = locations.computeIfAbsent(row.location().value(), k -> row.location());
    CatalogItem read = row.item(listings);
    CatalogItem item = new CatalogItem(index.tenant, row.sku(), read.name(), location, read.lowStockThreshold(),
        read.allowBackorder(), read.listings(), read.version(), read.createdAt(), read.updatedAt());
    StockLevel l = row.level();
    index.merge(item, new StockLevel(index.tenant, row.sku(), l.onHand(), l.reserved(), l.version(), l.updatedAt()));
  }

  // ------------------------------------------------------------------------------- this instance's writes

  /** An item this store registered or updated, with its stock row as the same transaction left it. */
  public void itemCommitted(CatalogItem item, StockLevel level) {
    TenantIndex index = tenants.get(item.tenant());
    if (index != null && !index.excluded && index.merge(item, level) && index.loaded) {
      account(index);
    }
  }

  @Override
  public void stockCommitted(StockLevel level) {
    TenantIndex index = tenants.get(level.tenant());
    if (index != null && !index.excluded && !index.mergeLevel(level)) {
      index.generation.incrementAndGet();
    }
  }

  @Override
  public void outcomeUnknown(TenantId tenant) {
    invalidate(tenant);
  }

  /** Makes the next query of the tenant verify the index before it answers. */
  public void invalidate(TenantId tenant) {
    TenantIndex index = tenants.get(tenant);
    if (index != null) {
      index.generation.incrementAndGet();
    }
  }

  // ------------------------------------------------------------------------------- state

  /** One item as the index holds it: immutable, replaced as a whole. */
  private static final class Entry {
    final CatalogItem item;
    final StockLevel level;
    final long available;
    final String nameSearch;
    final String skuSearch;

    Entry(CatalogItem item, StockLevel level, String nameSearch, String skuSearch) {
      this.item = item;
      this.level = level;
      this.available = level.available();
      this.nameSearch = nameSearch;
      this.skuSearch = skuSearch;
    }

    /** {@link CatalogQuery#matchesText} with the needle lower-cased once per query. */
    boolean matches(@Nullable String needle) {
      return needle == null || nameSearch.contains(needle) || skuSearch.contains(needle);
    }
  }

  /** An item's place in the index: the SKU and its current entry, replaced as a whole. */
  private static final class Slot {
    volatile Entry entry;
    /** Where the slot is in the tenant's current layout; written and read under the tenant's lock. */
    int position = -1;

    Slot(Entry entry) {
      this.entry = entry;
    }
  }

  /**
   * The tenant's slots in SKU order with, for each trigram (three consecutive chars) of any item's
   * search forms, the ascending positions of the items that contain it. Immutable; rebuilt when the
   * set of SKUs changes or too many names did.
   */
  private static final class Layout {
    final Slot[] slots;
    final Map<Long, int[]> postings;

    Layout(Slot[] slots) {
      this.slots = slots;
      Map<Long, IntList> building = new HashMap<>();
      for (int i = 0; i < slots.length; i++) {
        Entry entry = slots[i].entry;
        addTrigrams(building, entry.nameSearch, i);
        addTrigrams(building, entry.skuSearch, i);
      }
      Map<Long, int[]> postings = new HashMap<>(building.size() * 2);
      building.forEach((trigram, list) -> postings.put(trigram, list.toArray()));
      this.postings = postings;
    }

    private static void addTrigrams(Map<Long, IntList> building, String text, int position) {
      for (int i = 0; i + 3 <= text.length(); i++) {
        building.computeIfAbsent(trigram(text, i), k -> new IntList()).addOnce(position);
      }
    }
  }

  static long trigram(String text, int at) {
    return ((long) text.charAt(at) << 32) | ((long) text.charAt(at + 1) << 16) | text.charAt(at + 2);
  }

  /** A layout and the positions of items renamed since it was built (their trigrams may be missing). */
  private record View(Layout layout, int[] renamed) {
    /**
     * Ascending positions of every item whose search forms may contain {@code needle}: a superset of
     * the matches (each of a match's trigrams is one of the item's); {@code null} for all items.
     */
    int @Nullable [] candidates(String needle) {
      if (needle.length() < 3) {
        return null;
      }
      int[] best = null;
      for (int i = 0; i + 3 <= needle.length(); i++) {
        int[] posting = layout.postings.get(trigram(needle, i));
        if (posting == null) {
          best = EMPTY;
          break;
        }
        if (best == null || posting.length < best.length) {
          best = posting;
        }
      }
      if (renamed.length == 0) {
        return best;
      }
      TreeSet<Integer> union = new TreeSet<>();
      for (int p : best) {
        union.add(p);
      }
      for (int p : renamed) {
        union.add(p);
      }
      return union.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static final int[] EMPTY = new int[0];
  /** Renamed items a view tolerates before the layout is rebuilt. */
  private static final int MAX_RENAMED = 64;

  /** A growable list of ints. */
  private static final class IntList {
    int[] values = new int[4];
    int size;

    /** Adds a value unless it is the last one added. */
    void addOnce(int value) {
      if (size == 0 || values[size - 1] != value) {
        add(value);
      }
    }

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int[] sortedDistinct() {
      return Arrays.stream(values, 0, size).sorted().distinct().toArray();
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** One tenant's items, by SKU ({@code String.compareTo}, which is {@code Sku.compareTo}). */
  private static final class TenantIndex {
    final TenantId tenant;
    final ConcurrentSkipListMap<String, Slot> bySku = new ConcurrentSkipListMap<>();
    /** Null when the set of SKUs changed since the last layout. Guarded by this for writes. */
    volatile @Nullable View view;
    final ReentrantLock verifyLock = new ReentrantLock();
    /** Increased by everything that makes the index possibly behind the database. */
    final AtomicLong generation = new AtomicLong();
    /** When the last verification began (clock nanos), and the generation it started from. */
    volatile long verifiedAt;
    volatile long verifiedGeneration = -1;
    volatile boolean loaded;
    volatile boolean excluded;
    // Guarded by this: the figures verification compares with the database's.
    long count;
    long itemVersions;
    long stockVersions;
    /** How many items this tenant counts for in indexedItems. */
    long reserved;
    /** Increased with every new SKU. Guarded by this. */
    long structure;
    /** Positions of items renamed while a layout is being built, else null. Guarded by this. */
    @Nullable IntList renamedWhileBuilding;
    /** Held by the one query that builds a layout; the others wait for it. */
    final Object layoutLock = new Object();

    TenantIndex(TenantId tenant) {
      this.tenant = tenant;
    }

    /** Whether a verification that began after {@code deadline} covers every change since. */
    boolean fresh(long deadline) {
      return verifiedGeneration == generation.get() && verifiedAt - deadline > 0;
    }

    /**
     * The current view, rebuilding the layout if SKUs were added or too many items renamed. The
     * layout is built outside this index's lock, so writers (which report commits under it) never
     * wait for a build.
     */
    View view() {
      View v = view;
      if (v != null && v.renamed.length <= MAX_RENAMED) {
        return v;
      }
      synchronized (layoutLock) {
        v = view;
        if (v != null && v.renamed.length <= MAX_RENAMED) {
          return v;
        }
        Slot[] slots;
        long structureAtStart;
        synchronized (this) {
          slots = bySku.values().toArray(new Slot[0]);
          for (int i = 0; i < slots.length; i++) {
            slots[i].position = i;
          }
          structureAtStart = structure;
          renamedWhileBuilding = new IntList();
          view = null;
        }
        Layout layout = new Layout(slots);
        synchronized (this) {
          IntList renamed = Objects.requireNonNull(renamedWhileBuilding);
          renamedWhileBuilding = null;
          v = new View(layout, renamed.sortedDistinct());
          if (structure == structureAtStart) {
            // Otherwise a SKU came in meanwhile: the next query builds again.
            view = v;
          }
        }
        return v;
      }
    }

    /** Merges an item and its level, each only if newer; returns whether the SKU is new. */
    synchronized boolean merge(CatalogItem item, StockLevel level) {
      String sku = item.sku().value();
      Slot slot = bySku.get(sku);
      if (slot == null) {
        bySku.put(sku, new Slot(new Entry(item, level, Codec.searchForm(item.name()), Codec.searchForm(sku))));
        view = null;
        structure++;
        count++;
        itemVersions += item.version();
        stockVersions += level.version();
        return true;
      }
      Entry old = slot.entry;
      CatalogItem newItem = old.item;
      StockLevel newLevel = old.level;
      String nameSearch = old.nameSearch;
      if (item.version() > old.item.version()) {
        newItem = item;
        itemVersions += item.version() - old.item.version();
        if (!item.name().equals(old.item.name())) {
          nameSearch = Codec.searchForm(item.name());
        }
      }
      if (level.version() > old.level.version()) {
        newLevel = level;
        stockVersions += level.version() - old.level.version();
      }
      if (newItem != old.item || newLevel != old.level) {
        slot.entry = new Entry(newItem, newLevel, nameSearch, old.skuSearch);
        if (nameSearch != old.nameSearch) {
          // The layout's trigrams are those of the old name: queries also look at this item.
          View v = view;
          if (v != null) {
            int[] renamed = Arrays.copyOf(v.renamed, v.renamed.length + 1);
            renamed[renamed.length - 1] = slot.position;
            Arrays.sort(renamed);
            view = new View(v.layout, renamed);
          }
          if (renamedWhileBuilding != null && slot.position >= 0) {
            // (A slot added after the build began has no position: that layout is never installed.)
            renamedWhileBuilding.add(slot.position);
          }
        }
      }
      return false;
    }

    /** Merges a level if newer; false if the index does not hold the SKU. */
    synchronized boolean mergeLevel(StockLevel level) {
      Slot slot = bySku.get(level.sku().value());
      if (slot == null) {
        return false;
      }
      Entry old = slot.entry;
      if (level.version() > old.level.version()) {
        stockVersions += level.version() - old.level.version();
        slot.entry = new Entry(old.item, level, old.nameSearch, old.skuSearch);
      }
      return true;
    }
  }
}
