package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.benchmarks.Latencies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code clients} threads each send a request, wait for the answer, and send the
 * next, until a number of requests or a duration is used up. Records every request's latency and
 * counts unexpected answers.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** One request; returns whether the answer was the expected one. */
  @FunctionalInterface
  interface Call {
    boolean call(int client, long sequence) throws Exception;
  }

  record Outcome(long requests, long unexpected, long elapsedNanos, Latencies latencies) {
    double perSecond() {
      return requests / (elapsedNanos / 1e9);
    }
  }

  /** Runs until {@code total} requests were sent (if {@code total > 0}) or {@code nanos} have passed. */
  static Outcome run(int clients, long total, long nanos, Call call) throws Exception {
    AtomicLong next = new AtomicLong();
    AtomicLong unexpected = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CyclicBarrier start = new CyclicBarrier(clients + 1);
    List<Latencies> perClient = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
    for (int c = 0; c < clients; c++) {
      Latencies latencies = new Latencies(8192);
      perClient.add(latencies);
      int client = c;
      Thread t = new Thread(() -> {
        try {
          start.await(60, TimeUnit.SECONDS);
          while (failure.get() == null) {
            long seq = next.getAndIncrement();
            if ((total > 0 && seq >= total) || (total <= 0 && System.nanoTime() >= deadline.get())) {
              return;
            }
            long t0 = System.nanoTime();
            boolean ok = call.call(client, seq);
            latencies.add(System.nanoTime() - t0);
            if (!ok) {
              unexpected.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "client-" + c);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    deadline.set(System.nanoTime() + nanos);
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
    Latencies all = Latencies.merge(perClient);
    return new Outcome(all.count(), unexpected.get(), elapsed, all);
  }
}
