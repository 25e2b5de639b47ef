package io.creatorflow.inventory.benchmarks;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, recorded by one thread (merge several with {@link #merge}), and
 * their exact percentiles (nearest rank over the sorted samples). Not thread-safe.
 */
public final class Latencies {
  private long[] samples;
  private int size;
  private boolean sorted;

  public Latencies() {
    this(1024);
  }

  public Latencies(int capacity) {
    this.samples = new long[Math.max(16, capacity)];
  }

  public void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[size++] = nanos;
    sorted = false;
  }

  /** All samples of several recorders. */
  public static Latencies merge(Iterable<Latencies> parts) {
    int total = 0;
    for (Latencies p : parts) {
      total += p.size;
    }
    Latencies all = new Latencies(total);
    for (Latencies p : parts) {
      System.arraycopy(p.samples, 0, all.samples, all.size, p.size);
      all.size += p.size;
    }
    return all;
  }

  /** Forgets every sample. */
  public void clear() {
    size = 0;
    sorted = false;
  }

  public int count() {
    return size;
  }

  /** The {@code p}th percentile (0 &lt; p &le; 100) in milliseconds; 0 without samples. */
  public double percentileMillis(double p) {
    if (size == 0) {
      return 0;
    }
    if (!sorted) {
      Arrays.sort(samples, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    int index = Math.min(size - 1, Math.max(0, rank - 1));
    return samples[index] / 1_000_000.0;
  }

  /** The mean in milliseconds; 0 without samples. */
  public double meanMillis() {
    if (size == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += samples[i];
    }
    return sum / size / 1_000_000.0;
  }

  /** The largest sample in milliseconds; 0 without samples. */
  public double maxMillis() {
    return percentileMillis(100);
  }
}
