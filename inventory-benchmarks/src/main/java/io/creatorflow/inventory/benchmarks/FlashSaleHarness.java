package io.creatorflow.inventory.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Buyers racing for one hot SKU: {@code buyers} threads start together and each reserves one unit
 * after the other until its reservation is refused for want of stock. Measures the time from the
 * start to the last buyer's refusal, and the latency of every accepted reservation.
 */
public final class FlashSaleHarness {
  private FlashSaleHarness() {}

  /** One buyer's attempt; {@code false} when the SKU is sold out. */
  @FunctionalInterface
  public interface Attempt {
    boolean reserve(int buyer, int attempt) throws Exception;
  }

  /**
   * What a sale did.
   *
   * @param accepted reservations accepted
   * @param elapsedNanos from the start until every buyer had been refused
   * @param latencies of accepted reservations
   */
  public record Outcome(long accepted, long elapsedNanos, Latencies latencies) {
    public double perSecond() {
      return accepted / (elapsedNanos / 1e9);
    }
  }

  /**
   * Runs a sale.
   *
   * @throws Exception the first failure of any buyer (other than being refused)
   */
  public static Outcome run(int buyers, Attempt attempt) throws Exception {
    CyclicBarrier start = new CyclicBarrier(buyers + 1);
    List<Latencies> perBuyer = new ArrayList<>();
    long[] accepted = new long[buyers];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int b = 0; b < buyers; b++) {
      Latencies latencies = new Latencies(4096);
      perBuyer.add(latencies);
      int buyer = b;
      Thread t = new Thread(() -> {
        try {
          start.await(60, TimeUnit.SECONDS);
          for (int i = 0; failure.get() == null; i++) {
            long t0 = System.nanoTime();
            boolean ok = attempt.reserve(buyer, i);
            long t1 = System.nanoTime();
            if (!ok) {
              return;
            }
            accepted[buyer]++;
            latencies.add(t1 - t0);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "buyer-" + b);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    start.await(60, TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - t0;
    Throwable e = failure.get();
    if (e instanceof Exception ex) {
      throw ex;
    } else if (e instanceof Error err) {
      throw err;
    }
    long total = 0;
    for (long a : accepted) {
      total += a;
    }
    return new Outcome(total, elapsed, Latencies.merge(perBuyer));
  }
}
