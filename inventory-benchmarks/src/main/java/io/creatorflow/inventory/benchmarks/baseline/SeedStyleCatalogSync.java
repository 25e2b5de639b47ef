package io.creatorflow.inventory.benchmarks.baseline;

import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.spi.ShopClient;
import io.creatorflow.inventory.spi.ShopClient.ShopQuantity;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopApi.Product;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductSku;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * A full catalog sync as the seed's {@code syncFullCatalog} does it: the catalog rows (one per SKU,
 * each with its shop product id) in batches of 100, every row of a batch fetched at once with one
 * product GET ({@code GET /product/202309/products/{id}}, through {@link TikTokShopApi#product}), the
 * SKU's shop quantity compared with the expected one and a differing SKU pushed, then a fixed
 * one-second pause before the next batch. The SDK's API client underneath keeps its request signing,
 * local rate limiter and retries, so this baseline is faster than the seed's own code would be.
 *
 * <p>Not thread-safe; {@link #close()} stops its threads.
 */
public final class SeedStyleCatalogSync implements AutoCloseable {
  /** The seed's batch size. */
  public static final int BATCH_SIZE = 100;
  /** The seed's pause after every batch, in milliseconds. */
  public static final long PAUSE_MILLIS = 1_000;

  private final TikTokShopApi api;
  private final ShopClient client;
  private final String shopCipher;
  private final ExecutorService pool;

  /** A catalog row of the seed's {@code products} table: one per SKU, with the shop's ids. */
  public record Row(Sku sku, String productId, String skuId) {}

  /**
   * What a sync did.
   *
   * @param checked rows whose shop quantity was read
   * @param drifted rows whose shop quantity differed from the expected one
   * @param repaired drifted rows whose push the shop accepted
   * @param failed rows that could not be read or pushed
   */
  public record Outcome(int checked, int drifted, int repaired, int failed, long elapsedNanos) {}

  public SeedStyleCatalogSync(TikTokShopApi api, ShopClient client, String shopCipher) {
    this.api = api;
    this.client = client;
    this.shopCipher = shopCipher;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(BATCH_SIZE, r -> {
      Thread t = new Thread(r, "seed-sync-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Syncs the rows; {@code expected} is the quantity the shop should show for a SKU. */
  public Outcome sync(List<Row> rows, ToLongFunction<Sku> expected) throws InterruptedException {
    long t0 = System.nanoTime();
    AtomicInteger checked = new AtomicInteger();
    AtomicInteger drifted = new AtomicInteger();
    AtomicInteger repaired = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    for (int from = 0; from < rows.size(); from += BATCH_SIZE) {
      List<Future<?>> batch = new ArrayList<>();
      for (Row row : rows.subList(from, Math.min(rows.size(), from + BATCH_SIZE))) {
        batch.add(pool.submit(() -> {
          try {
            Product product = api.product(shopCipher, row.productId());
            long shows = -1;
            for (ProductSku s : product.skus()) {
              if (s.id().equals(row.skuId())) {
                shows = s.totalQuantity();
              }
            }
            checked.incrementAndGet();
            long want = expected.applyAsLong(row.sku());
            if (shows != want) {
              drifted.incrementAndGet();
              ShopClient.PushResult result =
                  client.pushQuantities(List.of(new ShopQuantity(row.productId(), row.skuId(), null, want)));
              if (result.allAccepted()) {
                repaired.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            }
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
        }));
      }
      for (Future<?> f : batch) {
        try {
          f.get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          failed.incrementAndGet();
        }
      }
      Thread.sleep(PAUSE_MILLIS);
    }
    return new Outcome(checked.get(), drifted.get(), repaired.get(), failed.get(), System.nanoTime() - t0);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
